/**
 * resto and DCAT sources through the whole pipeline into the REAL Elasticsearch: a replay of resto 2 (PEPS) with its
 * products, a replay of resto 6+ (STAC-like), udata's paged JSON-LD catalogue, and a GeoNetwork CSW asked for DCAT.
 * Every record ends indexed, a second run changes nothing, products are found by place and time like any record, and
 * a bounded run (maxProducts) removes nothing.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import type { Client } from '@elastic/elasticsearch';
import { harvestSource, type RunSummary } from '../../pipelines/harvest.js';
import { silentLogger } from '../../pipelines/log.js';
import { searchRecords } from '../../pipelines/search.js';
import type { SourceConfig } from '../../pipelines/sources.js';
import { projectPath, sharedFixture } from '../../schemas/paths.js';
import { restoReplay } from '../fixtures/resto/replay.js';
import { deleteIndices, esClient, tempIndexName } from '../helpers/services.js';
import { replayServer, type ReplayServer } from '../helpers/replay.js';

const alias = tempIndexName('resto-dcat');
let client: Client;
let resto: ReplayServer;
let dcat: ReplayServer;

const dcatFile = (f: string) => readFileSync(projectPath('test', 'fixtures', 'dcat', f), 'utf8');

test.before(async () => {
  client = await esClient();
  resto = await replayServer(restoReplay({ products: { S2: 1234, Landsat: 0, S1: 5 }, items: 45 }));
  dcat = await replayServer((req) => {
    if (req.path === '/catalog.jsonld') {
      const page = req.query.get('page') ?? '1';
      return {
        type: 'application/ld+json',
        body: dcatFile(`udata-partial-collection-${page}.jsonld`).replaceAll(
          'http://data.test.org/catalog.jsonld',
          '{{BASE}}/catalog.jsonld',
        ),
      };
    }
    const q = new Map([...req.query].map(([k, v]) => [k.toLowerCase(), v]));
    if (q.get('request') === 'GetCapabilities')
      return { type: 'application/xml', body: readFileSync(sharedFixture('csw', 'pycsw-apiso-GetCapabilities.xml'), 'utf8') };
    return { type: 'application/xml', body: dcatFile(`csw/udata-geonetwork-dcat-page-${q.get('startposition') ?? '1'}.xml`) };
  });
});

test.after(async () => {
  await Promise.all([resto?.close(), dcat?.close()]);
  await deleteIndices(client, `${alias}*`);
});

const sources = (): SourceConfig[] => [
  { id: 'peps', type: 'resto', url: `${resto.url}/resto`, options: { products: 'index', collections: ['S2', 'S1'] } },
  { id: 'resto9', type: 'resto', url: `${resto.url}/stac`, options: { products: 'index', pageSize: 20 } },
  { id: 'udata', type: 'dcat', url: `${dcat.url}/catalog.jsonld?page=1` },
  { id: 'geo2france', type: 'csw', url: `${dcat.url}/csw`, options: { outputSchema: 'dcat', pageSize: 2 } },
];

async function harvestAll(list = sources(), full = false): Promise<Record<string, RunSummary>> {
  const out: Record<string, RunSummary> = {};
  for (const s of list) out[s.id] = await harvestSource(s, { client, alias, log: silentLogger, mapWorkers: 0, full });
  return out;
}

const count = async (source: string) => (await client.count({ index: alias, query: { term: { source } } })).count;

test('every record of every source indexed; nothing failed', async () => {
  const runs = await harvestAll();
  const expected: Record<string, number> = { peps: 2 + 1234 + 5, resto9: 1 + 45, udata: 4, geo2france: 6 };
  for (const [id, n] of Object.entries(expected)) {
    const run = runs[id];
    assert.is(run.status, 'ok', `${id}: ${run.error ?? JSON.stringify(run.failures.slice(0, 3))}`);
    assert.equal([run.seen, run.indexed, run.new, run.failed], [n, n, n, 0], id);
    assert.is(await count(id), n, id);
  }
});

test('a second run of the same sources changes nothing', async () => {
  const runs = await harvestAll();
  for (const run of Object.values(runs)) {
    assert.is(run.status, 'ok', run.source);
    assert.equal([run.new, run.updated, run.deleted, run.unchanged], [0, 0, 0, run.indexed], run.source);
  }
});

test('products are found by place and time like any record', async () => {
  // PEPS's recorded products lie in the western Pacific (Guam), acquired on 2020-08-15
  const guam = await searchRecords(client, alias, {
    bbox: [144, 13, 148, 15],
    from: '2020-08-15',
    to: '2020-08-15',
    source: ['peps'],
    size: 1,
  });
  assert.ok(guam.total >= 1234, `${guam.total}`);
  const elsewhere = await searchRecords(client, alias, { bbox: [0, 40, 10, 50], source: ['peps'], size: 1 });
  assert.is(elsewhere.total, 0);
  const text = await searchRecords(client, alias, { q: 'Sentinel-2', source: ['peps'], size: 5 });
  assert.ok(text.hits.some((h) => h.record.identifier === 'peps:S2'));
});

test('a bounded run (maxProducts) is incomplete: nothing is removed', async () => {
  const [peps] = sources();
  // (a full run: an incremental one asks only for the products updated since the last run, none here)
  const runs = await harvestAll([{ ...peps, options: { ...peps.options, maxProducts: 100 } }], true);
  const run = runs.peps;
  assert.is(run.status, 'partial');
  assert.is(run.deleted, 0);
  assert.match(run.deletion ?? '', /did not see the whole source/);
  assert.is(await count('peps'), 2 + 1234 + 5);
});

test.run();
