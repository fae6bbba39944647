/**
 * scripts/cli/out-file.ts: an --out file is checked before any work, written under a temporary name beside it, and
 * takes its name only when complete; dropped, or cut short by an exit, it leaves the previous file as it was and no
 * temporary file.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { checkOutFile, openOutFile } from '../../scripts/cli/out-file.js';
import { UsageError } from '../../core/result.js';
import { projectPath } from '../../schemas/paths.js';

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hub-out-file-'));
  writeFileSync(join(dir, 'export.ttl'), 'previous');
  return dir;
}

test('checked up front: a missing folder, a folder given as the file, each a usage error naming the option', () => {
  const dir = folder();
  assert.throws(
    () => checkOutFile(join(dir, 'no', 'such', 'x.json')),
    (e: Error) => e instanceof UsageError && /^--out: no such folder: .*\/no\/such$/.test(e.message),
  );
  mkdirSync(join(dir, 'sub'));
  assert.throws(
    () => checkOutFile(join(dir, 'sub'), '--report'),
    (e: Error) => e instanceof UsageError && /^--report: .*sub is a folder/.test(e.message),
  );
  assert.throws(
    () => checkOutFile(join(dir, 'export.ttl', 'x')),
    (e: Error) => e instanceof UsageError && /is not a folder/.test(e.message),
  );
  assert.is(checkOutFile(join(dir, 'new.json')), join(dir, 'new.json'));
});

test('written beside under a temporary name: the previous file stays until commit, then the complete one replaces it', async () => {
  const dir = folder();
  const file = await openOutFile(join(dir, 'export.ttl'));
  file.stream.write('half of the new export');
  assert.is(readFileSync(join(dir, 'export.ttl'), 'utf8'), 'previous');
  assert.is(readdirSync(dir).length, 2, 'the temporary file is beside it');
  file.stream.write(', and the rest');
  await file.commit();
  assert.is(readFileSync(join(dir, 'export.ttl'), 'utf8'), 'half of the new export, and the rest');
  assert.equal(readdirSync(dir), ['export.ttl']);
  file.discard(); // nothing once committed
  assert.equal(readdirSync(dir), ['export.ttl']);
});

test('discarded (a failure on the way): the previous file as it was, no temporary file', async () => {
  const dir = folder();
  const file = await openOutFile(join(dir, 'export.ttl'));
  file.stream.write('half of it');
  file.discard();
  assert.is(readFileSync(join(dir, 'export.ttl'), 'utf8'), 'previous');
  assert.equal(readdirSync(dir), ['export.ttl']);
});

test('the process exits while writing (Ctrl-C turned into an exit): the previous file as it was, no temporary file', () => {
  const dir = folder();
  const module = pathToFileURL(projectPath('dist', 'scripts', 'cli', 'out-file.js')).href;
  const script = `const { openOutFile } = await import(${JSON.stringify(module)});
const f = await openOutFile(${JSON.stringify(join(dir, 'export.ttl'))});
f.stream.write('half of it', () => process.exit(130));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.is(r.status, 130, r.stderr);
  assert.is(readFileSync(join(dir, 'export.ttl'), 'utf8'), 'previous');
  assert.equal(readdirSync(dir), ['export.ttl']);
});

test.run();
