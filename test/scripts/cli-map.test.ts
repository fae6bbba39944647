/**
 * `harvester map` as a data centre checks its feed with it (the installed bin): folders read recursively, names on
 * standard input, and every warning and notice on stderr (what `harvest` would log), `--quiet` hiding them.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectPath, sharedFixture } from '../../schemas/paths.js';
import { harvesterBin } from '../helpers/bin.js';

const bin = harvesterBin();
test.after(() => bin.cleanup());

/** stderr's tab-separated lines as [file, id, kind, message]. */
function problems(err: string): string[][] {
  return err
    .split('\n')
    .filter((l) => l.includes('\t'))
    .map((l) => l.split('\t'));
}

test('the warnings that harvest logs for an OZCAR file are printed by map too: file, identifier, "warning", message', () => {
  const cryo = sharedFixture('ozcar', 'CRYO_en.json');
  const r = bin.run('map', cryo);
  assert.is(r.code, 0, r.err);
  const rows = problems(r.err);
  assert.ok(
    rows.every((row) => row.length === 4),
    r.err,
  );
  // the producer's forgiven problems: a notice of the OZCAR reader, as harvest logs it
  assert.ok(
    rows.some(
      ([file, id, kind, message]) => file === cryo && id === '-' && kind === 'warning' && /accepted with forgiven problems/.test(message),
    ),
    r.err,
  );
  // the reader's informative notice
  assert.ok(
    rows.some(([, , kind, message]) => kind === 'notice' && /pivot 1\.0, producer CRYO/.test(message)),
    r.err,
  );
  // a crosswalk's warning, with the dataset's identifier
  assert.ok(
    rows.some(([file, id, kind]) => file.startsWith(cryo) && id === 'CRYO_DAT_gl_mb_alp_arg' && kind === 'warning'),
    r.err,
  );
  const warnings = rows.filter((row) => row[2] === 'warning').length;
  assert.is(r.errLines.at(-1), `${r.lines.length} mapped, 0 failed, ${warnings} warnings`);

  const quiet = bin.run('map', '--quiet', cryo);
  assert.is(quiet.code, 0);
  assert.is(quiet.err, '', 'nothing on stderr with --quiet when nothing failed');
  assert.equal(
    quiet.lines.map((l) => l.identifier),
    r.lines.map((l) => l.identifier),
    'the same records',
  );
});

test('a folder is read with its sub-folders; a STAC catalog and the files its walk reached give each record once', () => {
  const dir = join(bin.dir, 'feed');
  const iso = sharedFixture('iso19139');
  const isoFiles = readdirSync(iso).filter((f) => f.endsWith('.xml'));
  mkdirSync(join(dir, 'iso', 'deeper'), { recursive: true });
  isoFiles.forEach((f, i) => copyFileSync(join(iso, f), join(dir, 'iso', i % 2 ? 'deeper' : '', f)));
  writeFileSync(join(dir, 'iso', 'README.txt'), 'not a record: neither .xml nor .json, not read');
  const r = bin.run('map', '--quiet', dir);
  assert.is(r.code, 0, r.err);
  assert.is(r.lines.length, isoFiles.length);
  // a folder with nothing to read is said, not passed over in silence
  mkdirSync(join(dir, 'empty'));
  writeFileSync(join(dir, 'empty', 'notes.txt'), 'nothing');
  const empty = bin.run('map', join(dir, 'empty'));
  assert.is(empty.code, 1);
  assert.equal(problems(empty.err), [[join(dir, 'empty'), '-', 'fetch', 'no .xml or .json file in this folder or its sub-folders']]);

  // the sample STAC tree: catalog.json walks to every collection and item, which are also files of the folder
  const stac = bin.run('map', projectPath('samples', 'stac'));
  const walked = bin.run('map', projectPath('samples', 'stac', 'catalog.json'));
  assert.is(stac.code, 0, stac.err);
  assert.is(stac.lines.length, walked.lines.length);
  assert.equal(stac.lines.map((l) => l.identifier).sort(), walked.lines.map((l) => l.identifier).sort());
  assert.match(stac.errLines.at(-1)!, /reached twice \(printed once\)$/);
});

test('"-" reads file and folder names from standard input; a missing one is a failure line, the others still map', () => {
  const iso = sharedFixture('iso19139');
  const files = readdirSync(iso)
    .filter((f) => f.endsWith('.xml'))
    .map((f) => join(iso, f));
  const input =
    [files[0], '', sharedFixture('ozcar', 'TOUR_en.json'), join(bin.dir, 'gone.xml'), sharedFixture('iso19115-3')].join('\n') + '\n';
  const r = bin.runWith({ input }, 'map', '-');
  assert.is(r.code, 1, r.err);
  const mdb = readdirSync(sharedFixture('iso19115-3')).length;
  assert.is(r.lines.length, 1 + 1 + mdb);
  const failed = problems(r.err).filter((row) => !['warning', 'notice'].includes(row[2]));
  assert.equal(failed, [[join(bin.dir, 'gone.xml'), '-', 'fetch', `no such file or folder: ${join(bin.dir, 'gone.xml')}`]]);
  const twice = bin.runWith({ input: '' }, 'map', '-', '-');
  assert.is(twice.code, 2);
});

test.run();
