/**
 * `harvester export dcat` and `harvester remove` as a user runs them (the installed bin): the export to a file in each
 * format with its summary on stderr, usage mistakes in one sentence with exit 2; a source removed from the
 * configuration leaves the index with tombstones.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Parser } from 'n3';
import { missingMandatory } from '../../pipelines/export-dcat.js';
import { countTombstones } from '../../pipelines/tombstones.js';
import type { HubRecord } from '../../schemas/record.js';
import { harvesterBin } from '../helpers/bin.js';
import { indexDatedFixtures } from '../helpers/oai.js';
import { deleteIndices, esClient, esUrl, tempIndexName } from '../helpers/services.js';

const bin = harvesterBin();
const client = await esClient();
const alias = tempIndexName('cli-export');
const dir = mkdtempSync(join(tmpdir(), 'cli-export-'));
let records: HubRecord[] = [];
let es = '';

test.before(async () => {
  es = await esUrl();
  records = await indexDatedFixtures(client, alias);
});
test.after(async () => {
  await deleteIndices(client, `${alias}*`);
  bin.cleanup();
});

test('export dcat --format ntriples --out FILE: the catalogue in the file, what was left out on stderr, exit 0', async () => {
  const out = join(dir, 'catalogue.nt');
  const r = await bin.runAsync(
    { env: { LOG_LEVEL: 'info' } },
    'export',
    'dcat',
    '--format',
    'ntriples',
    '--out',
    out,
    '--es',
    es,
    '--alias',
    alias,
  );
  assert.is(r.code, 0, r.err);
  const quads = new Parser({ format: 'N-Triples' }).parse(readFileSync(out, 'utf8'));
  const lacking = records.filter((x) => missingMandatory(x).length > 0).length;
  const datasets = quads.filter(
    (q) => q.predicate.value === 'http://www.w3.org/ns/dcat#dataset' || q.predicate.value === 'http://www.w3.org/ns/dcat#service',
  );
  assert.is(datasets.length, records.length - lacking);
  const summary = r.errLines
    .map((l) => JSON.parse(l) as { msg: string; exported?: number; leftOut?: unknown })
    .find((l) => l.exported !== undefined);
  assert.is(summary?.exported, records.length - lacking);
  assert.match(r.err, /left out \d+ records lacking a DCAT-AP mandatory value/);

  const ttl = await bin.runAsync({}, 'export', 'dcat', '--source', 'ozcar', '--es', es, '--alias', alias);
  assert.is(ttl.code, 0, ttl.err);
  assert.match(ttl.out, /^@prefix rdf: <http:\/\/www\.w3\.org\/1999\/02\/22-rdf-syntax-ns#>\./);
  const q2 = new Parser({ format: 'Turtle' }).parse(ttl.out);
  assert.is(
    q2.filter((q) => q.predicate.value === 'http://www.w3.org/ns/dcat#dataset').length,
    records.filter((x) => x.isPrimaryTopicOf.sourceId === 'ozcar').length,
  );
});

test('export usage mistakes: one sentence, exit 2', async () => {
  const cases: [string[], RegExp][] = [
    [['export'], /export needs what to export: harvester export dcat/],
    [['export', 'csv'], /unknown export "csv"/],
    [['export', 'dcat', '--format', 'xml'], /--format must be one of turtle, rdfxml, jsonld, ntriples \(got "xml"\)/],
    [['export', 'dcat', '--bbox', '1,2,3', '--es', es, '--alias', alias], /--bbox must be four numbers/],
    [['export', 'dcat', '--out', join(dir, 'no', 'such', 'x.ttl'), '--es', es, '--alias', alias], /--out: no such folder: .*\/no\/such/],
    [['export', 'dcat', '--es', es, '--alias', 'test-nothing-here'], /there is no index "test-nothing-here"/],
  ];
  for (const [args, message] of cases) {
    const r = await bin.runAsync({}, ...args);
    assert.is(r.code, 2, `${args.join(' ')}: ${r.err}`);
    assert.match(r.err, message);
    assert.not.match(r.err, /\n\s+at /, 'no stack');
  }
});

test('remove --source: refused while the sources file names it; then every record leaves with a tombstone', async () => {
  const sources = join(dir, 'sources.json');
  writeFileSync(sources, JSON.stringify({ sources: [{ id: 'stac', type: 'stac', url: 'catalog.json' }] }));
  const refused = await bin.runAsync({}, 'remove', '--source', 'stac', '--sources', sources, '--es', es, '--alias', alias);
  assert.is(refused.code, 2);
  assert.match(refused.err, /source "stac" is still in .*sources\.json: remove it there first/);
  const n = records.filter((r) => r.isPrimaryTopicOf.sourceId === 'stac').length;
  writeFileSync(sources, JSON.stringify({ sources: [{ id: 'ozcar', type: 'ozcar', url: 'x.json' }] }));
  const ok = await bin.runAsync({}, 'remove', '--source', 'stac', '--sources', sources, '--es', es, '--alias', alias);
  assert.is(ok.code, 0, ok.err);
  assert.is((await client.count({ index: alias, query: { term: { source: 'stac' } } })).count, 0);
  assert.is(await countTombstones(client, alias, 'stac'), n);
  const again = await bin.runAsync({}, 'remove', '--source', 'stac', '--sources', sources, '--es', es, '--alias', alias);
  assert.is(again.code, 0);
  assert.match(again.err, /holds no record of source \\?"stac\\?": nothing to remove/);
});

test.run();
