/**
 * `harvest --url`, `search` and `runs` as a user runs them (the installed bin), on a real OZCAR file harvested into a
 * throw-away alias of the real Elasticsearch.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedFixture } from '../../schemas/paths.js';
import { harvesterBin } from '../helpers/bin.js';
import { deleteIndices, esClient, esUrl, tempIndexName } from '../helpers/services.js';

const bin = harvesterBin();
const alias = tempIndexName('cli-query');
const CRYO = sharedFixture('ozcar', 'CRYO_en.json');
const datasets = (JSON.parse(readFileSync(CRYO, 'utf8')) as { datasets: unknown[] }).datasets.length;
let es: string;

test.before(async () => {
  es = await esUrl();
});
test.after(async () => {
  await deleteIndices(await esClient(), `${alias}*`);
  bin.cleanup();
});

function cli(...args: string[]) {
  return bin.run(...args, '--es', es, '--alias', alias);
}

test('harvest --url derives a short source id from the file name and says so in the summary', () => {
  const r = cli('harvest', '--url', CRYO, '--type', 'ozcar', '--report-dir', join(bin.dir, 'reports'));
  assert.is(r.code, 0, r.err);
  const [summary] = r.lines;
  assert.is(summary.source, 'cryo-en');
  assert.is(summary.indexed, datasets);
  // not a terminal: the log is JSON lines on stderr, the sentence among them
  assert.ok(
    r.errLines.some((l) => JSON.parse(l).msg === 'source id: cryo-en (from the URL; --id to choose)'),
    r.err,
  );
  const tour = cli(
    'harvest',
    '--url',
    sharedFixture('ozcar', 'TOUR_en.json'),
    '--type',
    'ozcar',
    '--id',
    'tour',
    '--report-dir',
    join(bin.dir, 'reports'),
  );
  assert.is(tour.code, 0, tour.err);
  assert.is(tour.lines[0].source, 'tour');
  assert.not.match(tour.err, /source id: /, 'no sentence when --id chose it');
});

test('search: words are the text; "showing 1-N of M" and how to see more; --page pages', () => {
  const all = cli('search', '--size', '1000');
  assert.is(all.code, 0, all.err);
  assert.is(all.out.split('\n')[0], `${datasets + 1} records`);
  const first = cli('search', '--size', '3');
  assert.is(first.out.split('\n')[0], `showing 1-3 of ${datasets + 1} records; --size N / --page P for more`);
  const ids = (r: typeof first) =>
    r.out
      .split('\n')
      .filter((l) => l.startsWith('- '))
      .map((l) => l.split(' ')[1]);
  assert.is(ids(first).length, 3);
  const last = cli('search', '--size', '3', '--page', '3');
  assert.is(last.out.split('\n')[0], `showing 7-${datasets + 1} of ${datasets + 1} records; --size N / --page P for more`);
  const pages = [first, cli('search', '--size', '3', '--page', '2'), last].flatMap(ids);
  assert.equal(pages, ids(all), 'the pages together are the whole list, in order');
  const past = cli('search', '--size', '3', '--page', '9');
  assert.match(past.out, /page 9 is past the last one \(3 page\(s\) of 3\)/);

  // "search tourbieres" is "search --q tourbieres": the TOUR dataset only, not every record
  const words = cli('search', 'tourbieres');
  assert.is(words.code, 0, words.err);
  assert.equal(words.out, cli('search', '--q', 'tourbieres').out);
  assert.is(words.out.split('\n')[0], '1 record');
  assert.match(words.out, /- tour:/);
  const two = cli('search', 'glacier', 'argentiere');
  assert.equal(two.out, cli('search', '--q', 'glacier argentiere').out);
  assert.ok(ids(two).length >= 1 && ids(two).length < datasets, two.out);
  // --source, repeatable
  assert.is(cli('search', '--source', 'tour').out.split('\n')[0], '1 record');
  assert.is(cli('search', '--source', 'tour', '--source', 'cryo-en').out.split('\n')[0], `${datasets + 1} records`);

  // a typing mistake: found anyway, and said
  const typo = cli('search', 'glaicer', 'argentiere');
  assert.is(typo.code, 0, typo.err);
  assert.match(typo.out, /^nothing matches as typed/);
  assert.equal(ids(typo), ids(two));
  // --keyword (any case, counted from the records themselves), --type, --sort
  const records = cli('search', '--size', '1000', '--json').lines as { identifier: string; keyword?: Record<string, string[]> }[];
  const kw = Object.values(records[0].keyword ?? {}).flat()[0];
  const holding = records.filter((r) =>
    Object.values(r.keyword ?? {})
      .flat()
      .some((k) => k.toLowerCase() === kw.toLowerCase()),
  ).length;
  const byKeyword = cli('search', '--keyword', kw.toUpperCase(), '--size', '1000');
  assert.is(ids(byKeyword).length, holding, kw);
  assert.is(cli('search', '--type', 'service').out, 'no records\n');
  const badSort = cli('search', '--sort', 'newest');
  assert.is(badSort.code, 2);
  assert.match(badSort.err, /--sort must be one of relevance, date, title/);
  // --filter: CQL2 text, as OGC API - Records takes it
  const exact = records
    .filter((r) =>
      Object.values(r.keyword ?? {})
        .flat()
        .includes(kw),
    )
    .map((r) => r.identifier);
  const filtered = cli('search', '--filter', `keywords = '${kw.replace(/'/g, "''")}' OR source = 'tour'`, '--size', '1000');
  assert.is(filtered.code, 0, filtered.err);
  assert.equal(
    ids(filtered).sort(),
    [...new Set([...exact, ...records.filter((r) => r.identifier.startsWith('tour:')).map((r) => r.identifier)])].sort(),
  );
  const badFilter = cli('search', '--filter', "source = 'tour' AND");
  assert.is(badFilter.code, 2);
  assert.match(badFilter.err, /invalid cql2-text filter at column \d+/);
  assert.not.match(badFilter.err, /\n\s+at /, 'no stack trace');
});

test('runs: when each run started, how long it took, the source id; an unknown --source names the known ones, exit 2', () => {
  const r = cli('runs');
  assert.is(r.code, 0, r.err);
  const [head, rule, ...rows] = r.out.split('\n');
  assert.match(head, /^started \(UTC\) +source +status +seen .* took +rate$/);
  assert.match(rule, /^-+ +-+/);
  // newest first: tour, then cryo-en, each with its start date-time and duration
  assert.match(rows[0], /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d +tour +ok +1 .* \d+(\.\d)?(ms|s) /);
  assert.match(rows[1], new RegExp(`^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d +cryo-en +ok +${datasets} `));
  // each run's FAIR figures are those recorded when it ended, and say so (not today's figures repeated under each run)
  assert.match(r.out, /\n {2}FAIR of its records in the index when the run ended: MQA avg [\d.]+\/405 /);
  const one = cli('runs', '--source', 'cryo-en');
  assert.is(one.code, 0, one.err);
  assert.ok(
    one.out
      .split('\n')
      .slice(2)
      .filter((l) => /^\d{4}-/.test(l))
      .every((l) => / cryo-en /.test(l)),
    one.out,
  );
  const nope = cli('runs', '--source', 'cryo');
  assert.is(nope.code, 2, nope.err);
  assert.is(nope.err, 'harvester runs: no runs of source "cryo" (did you mean cryo-en?); sources with runs: cryo-en, tour\n');
});

test.run();
