/**
 * A user's mistakes on the command line (the installed bin): each is one sentence on stderr that names what to change,
 * exit 2, never a stack trace; an unexpected error is one line, exit 1, its stack only at LOG_LEVEL=debug.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedFixture } from '../../schemas/paths.js';
import { harvesterBin, type BinResult } from '../helpers/bin.js';
import { esUrl, tempIndexName } from '../helpers/services.js';

const bin = harvesterBin();
test.after(() => bin.cleanup());
// nothing listens on port 9 (discard): "Elasticsearch down" without stopping anyone's node
const DOWN = 'http://127.0.0.1:9';

/** Exit 2 and exactly one line on stderr, matching `message`, with no trace of a stack or of node's own wording. */
function usage(r: BinResult, message: RegExp): void {
  assert.is(r.code, 2, `exit ${r.code}: ${r.err}`);
  assert.is(r.errLines.length, 1, r.err);
  assert.match(r.errLines[0], message);
  assert.not.match(r.err, /\n\s+at |ENOENT|EISDIR|To specify a positional|_exception/);
}

test('an unknown option: one line naming the nearest option, exit 2', () => {
  usage(
    bin.run('harvest', '--urll', 'http://x.org/csw'),
    /^harvester harvest: unknown option --urll \(did you mean --url\?\); harvester harvest --help lists the options$/,
  );
  usage(bin.run('search', '--bboxx', '1,2,3,4'), /unknown option --bboxx \(did you mean --bbox\?\)/);
  usage(bin.run('map', '--quite', 'x.xml'), /unknown option --quite \(did you mean --quiet\?\)/);
  // nothing near: no guess
  usage(bin.run('runs', '--colour'), /^harvester runs: unknown option --colour; harvester runs --help/);
  usage(bin.run('harvest', '--url'), /--url needs a value/);
  usage(bin.run('search', '--json=yes'), /--json takes no value/);
});

test('an unknown command names the nearest one; a stray argument says which option it may have meant', () => {
  const r = bin.run('harvset');
  assert.is(r.code, 2);
  assert.match(r.errLines[0], /^harvester: unknown command "harvset" \(did you mean harvest\?\)$/);
  assert.is(r.errLines.length, 1, 'one sentence, not the usage after it');
  const far = bin.run('frobnicate');
  assert.is(far.code, 2);
  assert.is(far.errLines.length, 1, far.err);
  const listed = /^harvester: unknown command "frobnicate" \(the commands are ([a-z, -]+); harvester --help says what each does\)$/.exec(
    far.errLines[0],
  );
  assert.ok(listed, far.errLines[0]);
  for (const c of ['map', 'validate', 'harvest', 'search', 'serve', 'runs']) assert.ok(listed[1].split(', ').includes(c), c);
  usage(
    bin.run('harvest', 'geobretagne'),
    /harvest takes no arguments, only options: got "geobretagne" \(did you mean --source geobretagne\?\)/,
  );
  usage(bin.run('harvest', 'https://example.org/csw'), /\(did you mean --url https:\/\/example\.org\/csw\?\)/);
  usage(bin.run('runs', 'one', 'two'), /runs takes one SOURCE at most, got: one two/);
});

test('search: a bad --from, --to or --bbox exits 2 naming the bad value or coordinate, before Elasticsearch is asked', () => {
  // --es DOWN: the check comes first, so the answer is the usage error, not "Elasticsearch does not answer"
  usage(
    bin.run('search', '--from', 'nope', '--es', DOWN),
    /^harvester search: --from must be a date: YYYY, YYYY-MM, YYYY-MM-DD .*\(got "nope"\)$/,
  );
  usage(bin.run('search', '--to', '2019-13', '--es', DOWN), /--to must be a date/);
  usage(bin.run('search', '--from', '2020', '--to', '2019', '--es', DOWN), /from \(2020\) is after to \(2019\)/);
  usage(
    bin.run('search', '--bbox', '200,0,210,10', '--es', DOWN),
    /^harvester search: --bbox west 200 is not a longitude: it must be from -180 to 180$/,
  );
  usage(bin.run('search', '--bbox', '0,0,190,10', '--es', DOWN), /--bbox east 190 is not a longitude/);
  usage(bin.run('search', '--bbox', '0,-95,10,10', '--es', DOWN), /--bbox south -95 is not a latitude/);
  usage(bin.run('search', '--bbox', '0,10,5,5', '--es', DOWN), /--bbox south 10 is north of north 5/);
  usage(bin.run('search', '--bbox', '1,2,x,4', '--es', DOWN), /--bbox must be four numbers W,S,E,N/);
  usage(bin.run('search', '--size', '5000', '--es', DOWN), /--size must be a number from 1 to 1000/);
  usage(bin.run('search', '--size', '100', '--page', '101', '--es', DOWN), /goes past the 10,000th record/);
  usage(bin.run('search', 'couverture', '--q', 'sol', '--es', DOWN), /give the text once/);
});

test('a bad source id is one usage error up front, not a validation failure per record', () => {
  usage(
    bin.run('map', '--source', 'Bad Id!', sharedFixture('iso19139', 'owslib-csw_geobretagne_mdmetadata.xml')),
    /^harvester map: --source must be 1 to 64 lower-case letters, digits, "-" or "_" \(got "Bad Id!"\)$/,
  );
  usage(bin.run('search', '--source', 'Bad Id!', '--es', DOWN), /--source must be/);
  usage(bin.run('runs', '--source', 'Bad Id!', '--es', DOWN), /--source must be/);
  usage(
    bin.run('harvest', '--url', sharedFixture('ozcar', 'TOUR_en.json'), '--type', 'ozcar', '--id', 'Bad Id!', '--es', DOWN),
    /--id must be/,
  );
  usage(
    bin.run('harvest', '--url', sharedFixture('ozcar', 'TOUR_en.json'), '--type', 'ozcar', '--source', 'tour'),
    /with --url, --id names the source/,
  );
});

test('a missing file or folder says "no such file", not ENOENT or EISDIR; exit 2 before anything is mapped', () => {
  const good = sharedFixture('ozcar', 'TOUR_en.json');
  const r = bin.run('map', good, join(bin.dir, 'nothere.xml'));
  usage(r, /^harvester map: no such file or folder: .*nothere\.xml$/);
  assert.is(r.out, '', 'nothing mapped before the check');
  usage(
    bin.run('harvest', '--url', join(bin.dir, 'nothere.json'), '--type', 'ozcar', '--es', DOWN),
    /^harvester harvest: no such file: .*nothere\.json$/,
  );
  usage(bin.run('harvest', '--url', sharedFixture('ozcar'), '--type', 'ozcar', '--es', DOWN), /is a folder: give the file itself/);
  usage(bin.run('harvest', '--sources', join(bin.dir, 'nothere.json'), '--es', DOWN), /no sources file/);
  usage(
    bin.run('validate', good, '--thesaurus', join(bin.dir, 'nothere.ttl')),
    /^harvester validate: --thesaurus: no such file: .*nothere\.ttl$/,
  );
  usage(bin.run('validate', good, '--thesaurus', bin.dir), /^harvester validate: --thesaurus: .* is a folder: give the SKOS file$/);
});

test('a sources file that cannot be used exits 2 with one message', () => {
  const dir = join(bin.dir, 'sources');
  mkdirSync(dir);
  const notJson = join(dir, 'broken.json');
  writeFileSync(notJson, '{ "sources": [ ');
  const r = bin.run('harvest', '--sources', notJson, '--es', DOWN);
  assert.is(r.code, 2, r.err);
  assert.match(r.err, /broken\.json/);
  assert.not.match(r.err, /\n\s+at /);
  const badId = join(dir, 'bad-id.json');
  writeFileSync(badId, JSON.stringify({ sources: [{ id: 'Bad Id', type: 'ozcar', url: 'x.json' }] }));
  const b = bin.run('harvest', '--sources', badId, '--es', DOWN);
  assert.is(b.code, 2, b.err);
  assert.match(b.err, /"Bad Id": id: must be/);
  const good = join(dir, 'good.json');
  writeFileSync(good, JSON.stringify({ sources: [{ id: 'tour', type: 'ozcar', url: sharedFixture('ozcar', 'TOUR_en.json') }] }));
  usage(
    bin.run('harvest', '--sources', good, '--source', 'toure', '--es', DOWN),
    /unknown source toure \(did you mean tour\?\); the sources of .*good\.json: tour$/,
  );
});

test('Elasticsearch down: the same sentence in harvest, search and runs; one line, exit 1; the stack only at LOG_LEVEL=debug', () => {
  const sentence = /Elasticsearch does not answer at http:\/\/127\.0\.0\.1:9 \(.*\); start one with "npm start" or set ES_URL/;
  for (const args of [
    ['harvest', '--url', sharedFixture('ozcar', 'TOUR_en.json'), '--type', 'ozcar'],
    ['search', 'couverture'],
    ['runs'],
  ]) {
    const r = bin.run(...args, '--es', DOWN);
    assert.is(r.code, 1, `${args[0]}: ${r.err}`);
    const errors = r.errLines.filter((l) => !l.startsWith('{')); // harvest logs JSON lines (stderr is not a terminal)
    assert.is(errors.length, 1, r.err);
    assert.match(errors[0], new RegExp(`^harvester ${args[0]}: ${sentence.source}`));
    assert.not.match(r.err, /\n\s+at /);
  }
  const debug = bin.runWith({ env: { LOG_LEVEL: 'debug' } }, 'runs', '--es', DOWN);
  assert.is(debug.code, 1);
  assert.match(debug.err, sentence);
  assert.match(debug.err, /\n\s+at .*connect/, 'the stack, at debug level');
});

test('--alias of an index that does not exist: a sentence, exit 2', async () => {
  const alias = tempIndexName('cli-nothere');
  const r = bin.run('search', '--es', await esUrl(), '--alias', alias);
  usage(r, new RegExp(`^harvester search: no index or alias "${alias}" at .*: harvest into it first, or give the alias a harvest used`));
  const runs = bin.run('runs', '--es', await esUrl(), '--alias', alias);
  assert.is(runs.code, 0);
  assert.match(runs.out, new RegExp(`^no runs recorded yet in ${alias}-runs at `));
});

test('every option of every command is explained in its --help', () => {
  const main = bin.run('--help');
  const commands = [...main.out.matchAll(/^ {2}([a-z]+) {2,}/gm)].map((m) => m[1]);
  assert.ok(commands.includes('search') && commands.includes('map'), main.out);
  for (const command of commands) {
    const help = bin.run(command, '--help');
    assert.is(help.code, 0, command);
    // every --option the help names has a line of its own that explains it
    for (const option of new Set([...help.out.matchAll(/(--[a-z-]+)/g)].map((m) => m[1]))) {
      if (option === '--help') continue;
      assert.match(help.out, new RegExp(`^ {2}(TEXT, )?(--[a-z]+, )?${option}\\b.* {2,}\\S`, 'm'), `${command} --help explains ${option}`);
    }
  }
});

test.run();
