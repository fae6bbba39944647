/**
 * The three source families through the same pipeline into one index: a real pycsw (ISO 19139), a static STAC
 * catalogue served over HTTP, a real STAC API (rustac) and OZCAR pivot feeds. The same searches by place and time
 * find datasets of every family, exactly those whose stored extents say so.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@elastic/elasticsearch';
import { harvestSource, type RunSummary } from '../../pipelines/harvest.js';
import { silentLogger } from '../../pipelines/log.js';
import { searchRecords } from '../../pipelines/search.js';
import type { SourceConfig } from '../../pipelines/sources.js';
import type { HubRecord } from '../../schemas/record.js';
import { sharedFixture } from '../../schemas/paths.js';
import { exampleTree, serveFolder, type StaticServer } from '../fixtures/stac/tree.js';
import {
  deleteIndices,
  esClient,
  pycsw,
  rustac,
  tempIndexName,
  xmlFiles,
  type PycswServer,
  type RustacServer,
} from '../helpers/services.js';
import { boxes, inBox, overlaps } from '../helpers/extents.js';

const alias = tempIndexName('families');
let client: Client;
let csw: PycswServer;
let api: RustacServer;
let web: StaticServer;
let tree: { dir: string; cleanup: () => void };
const runs: RunSummary[] = [];
let all: HubRecord[] = [];

const FAMILY: Record<string, string> = {
  'fx-csw': 'csw',
  'fx-stac-web': 'stac',
  'fx-stac-api': 'stac',
  'fx-kars': 'ozcar',
  'fx-cryo': 'ozcar',
  'fx-tour': 'ozcar',
};

const source = (id: string) => id.split(':')[0];

test.before(async () => {
  client = await esClient();
  tree = exampleTree();
  [csw, api, web] = await Promise.all([
    pycsw({ recordsFiles: xmlFiles(sharedFixture('iso19139')), maxRecords: 10 }),
    rustac({ dir: sharedFixture('stac'), files: ['collection-only_collection.json'] }),
    serveFolder(tree.dir),
  ]);
  const sources: SourceConfig[] = [
    { id: 'fx-csw', type: 'csw', url: csw.url },
    { id: 'fx-stac-web', type: 'stac', url: `${web.url}/catalog.json`, options: { items: 'index' } },
    { id: 'fx-stac-api', type: 'stac-api', url: api.url, options: { limit: 2 } },
    { id: 'fx-kars', type: 'ozcar', url: sharedFixture('ozcar', 'KARS_en.json') },
    { id: 'fx-cryo', type: 'ozcar', url: sharedFixture('ozcar', 'CRYO_en.json') },
    { id: 'fx-tour', type: 'ozcar', url: sharedFixture('ozcar', 'TOUR_en.json') },
  ];
  for (const s of sources) runs.push(await harvestSource(s, { client, alias, log: silentLogger }));
  const res = await client.search<{ record: HubRecord }>({ index: alias, size: 1000, query: { match_all: {} } });
  all = res.hits.hits.map((h) => h._source!.record);
});

test.after(async () => {
  await Promise.all([csw?.stop(), api?.stop(), web?.close()]);
  tree?.cleanup();
  await deleteIndices(client, `${alias}*`);
});

test('every source of every family is harvested into the one index', () => {
  for (const run of runs) {
    assert.ok(run.status !== 'failed', `${run.source}: ${run.error}`);
    assert.ok(run.indexed > 0, `${run.source} indexed nothing`);
  }
  const bySource = (id: string) => all.filter((r) => source(r.identifier) === id).length;
  assert.is(bySource('fx-csw'), csw.loaded);
  assert.is(bySource('fx-cryo'), 8); // CRYO_en.json: 8 datasets
  assert.ok(bySource('fx-stac-web') >= 3); // the catalogue's collections and items
  assert.is(bySource('fx-stac-api'), 1); // rustac serves the one collection
});

/**
 * The records a search lists: the static catalogue and the STAC API serve the same collection `sentinel-2`, one dataset
 * by two routes, listed once (docs/duplicates.md: without a sources file's ranking, the first source id's copy).
 */
const listed = () => all.filter((r) => r.identifier !== 'fx-stac-web:sentinel-2');

test('the same STAC collection by two routes is listed once, the other copy reachable by id', async () => {
  const copy = await searchRecords(client, alias, { ids: ['fx-stac-web:sentinel-2'], record: false });
  assert.equal(
    copy.hits.map((h) => [h.id, h.copyOf?.id]),
    [['fx-stac-web:sentinel-2', 'fx-stac-api:sentinel-2']],
  );
  const runOf = (id: string) => runs.find((r) => r.source === id)!;
  // (the static catalogue ran first, alone; the STAC API's run linked its collection, the copy listed)
  assert.equal([runOf('fx-stac-web').linked, runOf('fx-stac-api').linked, runOf('fx-stac-api').hidden], [0, 1, 0]);
});

test('by place: one search finds ISO, STAC and OZCAR datasets, exactly those whose extents intersect', async () => {
  for (const box of [
    [-10, 35, 30, 60], // Europe
    [5.5, 44.5, 7.5, 46.5], // the western Alps
    [120, -80, 150, -60], // Adélie Land and Dome C
  ] as [number, number, number, number][]) {
    const expected = listed()
      .filter((r) => boxes(r).some((b) => inBox(b, box)))
      .map((r) => r.identifier)
      .sort();
    const res = await searchRecords(client, alias, { bbox: box, size: 1000 });
    assert.equal(res.hits.map((h) => h.record.identifier).sort(), expected, `bbox ${box}`);
  }
  const europe = await searchRecords(client, alias, { bbox: [-10, 35, 30, 60], size: 1000 });
  const families = new Set(europe.hits.map((h) => FAMILY[source(h.record.identifier)]));
  assert.equal([...families].sort(), ['csw', 'ozcar', 'stac']);
});

test('by time: one search finds datasets of every family whose period overlaps 2010', async () => {
  const from = Date.UTC(2010, 0, 1);
  const to = Date.UTC(2011, 0, 1) - 1;
  const expected = listed()
    .filter((r) => overlaps(r, from, to))
    .map((r) => r.identifier)
    .sort();
  const res = await searchRecords(client, alias, { from: '2010', to: '2010', size: 1000 });
  assert.equal(res.hits.map((h) => h.record.identifier).sort(), expected);
  const families = new Set(res.hits.map((h) => FAMILY[source(h.record.identifier)]));
  assert.equal([...families].sort(), ['csw', 'ozcar', 'stac']);
});

test('by theme and text: in-situ datasets found by their INSPIRE theme and variables, as ISO ones are', async () => {
  const ef = 'http://inspire.ec.europa.eu/theme/ef';
  const expected = all
    .filter((r) => r.theme?.some((t) => t['@id'] === ef))
    .map((r) => r.identifier)
    .sort();
  assert.ok(expected.length >= 10);
  const res = await searchRecords(client, alias, { theme: ef, size: 1000 });
  assert.equal(res.hits.map((h) => h.record.identifier).sort(), expected);
  const glaciers = await searchRecords(client, alias, { q: 'glacier mass balance', size: 5 });
  assert.ok(glaciers.hits.length > 0);
  assert.is(source(glaciers.hits[0].record.identifier), 'fx-cryo');
  const sentinel = await searchRecords(client, alias, { q: 'sentinel', size: 50 });
  const sentinelFamilies = new Set(sentinel.hits.map((h) => FAMILY[source(h.record.identifier)]));
  assert.ok(sentinelFamilies.has('csw') && sentinelFamilies.has('stac'), [...sentinelFamilies].join());
});

test('a record failing this run keeps its previous version; a record gone from the source is removed; unchanged ones are not rewritten', async () => {
  const changing = exampleTree();
  // (the three example items share one id: in this copy each gets its own)
  const edit = (file: string, change: (json: Record<string, any>) => void) => {
    const path = join(changing.dir, file);
    const json = JSON.parse(readFileSync(path, 'utf8'));
    change(json);
    writeFileSync(path, JSON.stringify(json));
  };
  for (const name of ['simple', 'core', 'extended']) edit(`${name}-item.json`, (j) => (j.id = `item-${name}`));
  const server = await serveFolder(changing.dir);
  const src: SourceConfig = { id: 'fx-change', type: 'stac', url: `${server.url}/collection.json`, options: { items: 'index' } };
  const versions = async () => {
    await client.indices.refresh({ index: alias });
    const res = await client.search({ index: alias, size: 100, query: { term: { source: 'fx-change' } }, version: true, _source: false });
    return new Map(res.hits.hits.map((h) => [h._id!, h._version!]));
  };
  try {
    const first = await harvestSource(src, { client, alias, log: silentLogger });
    assert.equal([first.status, first.new, first.failed], ['ok', 4, 0]); // the collection and its three items
    const before = await versions();
    // the source changes: core-item is no longer listed, extended-item is now broken, simple-item is unchanged
    edit('collection.json', (j) => (j.links = j.links.filter((l: { href: string }) => !l.href.endsWith('core-item.json'))));
    edit('extended-item.json', (j) => delete j.properties); // (a malformed datetime is only left out with a warning)

    const second = await harvestSource(src, { client, alias, log: silentLogger });
    assert.equal([second.status, second.failed, second.deleted], ['partial', 1, 1], JSON.stringify(second.failures));
    assert.match(second.failures[0].error, /properties: missing/);
    const after = await versions();
    assert.equal([...after.keys()].sort(), [...before.keys()].filter((id) => id !== 'fx-change:simple-collection/item-core').sort());
    // the broken item's previous version stays as it was; the unchanged item is not written again
    assert.is(after.get('fx-change:simple-collection/item-extended'), before.get('fx-change:simple-collection/item-extended'));
    assert.is(after.get('fx-change:simple-collection/item-simple'), before.get('fx-change:simple-collection/item-simple'));
    assert.ok(second.unchanged >= 1);
  } finally {
    await server.close();
    changing.cleanup();
  }
});

test.run();
