/**
 * The resto harvester against a replay of resto servers (test/fixtures/resto/replay.ts: recorded answers of PEPS,
 * resto 2.5.2, 6.0.0 and 9.6.2, and Mundi's OpenSearch Atom, paged as resto pages them) on loopback: resto 2 detected
 * from its web-page root, collections as records, products when asked, paged by the next links or by startIndex /
 * page when there are none, the 500 cap of resto, Atom; resto 6+ (STAC-like) collections and items; every stop.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { harvestResto, type RestoHarvestOptions } from '../../harvesters/resto/index.js';
import type { Notice, RawRecord } from '../../harvesters/types.js';
import { SourceError, UsageError, type Failure } from '../../core/result.js';
import { mapRecord } from '../../pipelines/map.js';
import { restoReplay } from '../fixtures/resto/replay.js';
import { replayServer, type ReplayServer } from '../helpers/replay.js';

interface Run {
  records: RawRecord[];
  failures: Failure[];
  notices: Notice[];
  error?: Error;
}

let srv: ReplayServer;
test.before(async () => {
  srv = await replayServer(restoReplay({ products: { S2: 1234, Landsat: 0, S1: 5, LOOP: 1200, BROKEN: 700 }, items: 45 }));
});
test.after(() => srv.close());

async function run(o: Omit<RestoHarvestOptions, 'source' | 'url'> & { url: string }): Promise<Run> {
  srv.requests.length = 0;
  const out: Run = { records: [], failures: [], notices: [] };
  try {
    for await (const item of harvestResto({ source: 'peps', http: { retries: 0 }, ...o, url: srv.url + o.url })) {
      if (item.kind === 'record') out.records.push(item.raw);
      else if (item.kind === 'failure') out.failures.push(item.failure);
      else out.notices.push(item.notice);
    }
  } catch (err) {
    out.error = err as Error;
  }
  return out;
}
const truncated = (r: Run) => r.notices.some((n) => n.data?.truncated === true);
const searches = () =>
  srv.requests.filter((q) => /search\.(json|atom)|\/items/.test(q.path)).map((q) => q.url.replace(/^\/resto\/api\/collections\//, ''));
const mapsAll = (r: Run) => {
  const failed = r.records.map((raw) => mapRecord(raw, { harvestedAt: '2026-12-01T00:00:00Z' })).filter((m) => !m.ok);
  assert.equal(failed, []);
};

test('resto 2, detected from its web-page root: the collections are the records (products not asked)', async () => {
  const r = await run({ url: '/resto' });
  assert.is(r.error, undefined);
  assert.equal(
    srv.requests.map((q) => q.path),
    ['/resto', '/resto/collections.json'],
  );
  assert.equal(
    r.records.map((x) => [x.id, x.format]),
    [
      ['S2', 'resto-collection'],
      ['Landsat_CNES', 'resto-collection'],
      ['S1', 'resto-collection'],
      ['LOOP', 'resto-collection'],
      ['BROKEN', 'resto-collection'],
    ],
  );
  assert.equal(r.notices[0].data, { api: 'resto2', collections: `${srv.url}/resto/collections.json` });
  assert.not.ok(truncated(r));
  mapsAll(r);
});

test('products too: 1,234 products of S2 in pages of 500 following the next links (page=2, page=3), every one mapped', async () => {
  const r = await run({ url: '/resto', products: 'index', collections: ['S2'] });
  assert.is(r.error, undefined);
  assert.equal(searches(), [
    'S2/search.json?maxRecords=500&startIndex=1',
    'S2/search.json?maxRecords=500&page=2',
    'S2/search.json?maxRecords=500&page=3',
  ]);
  const products = r.records.filter((x) => x.format === 'resto-product');
  assert.is(products.length, 1234);
  assert.is(new Set(products.map((x) => x.id)).size, 1234);
  assert.equal(products[0].context, { collection: 'S2' });
  assert.ok(r.notices.some((n) => n.message === 'collection S2: 1234 product(s) matched'));
  assert.not.ok(truncated(r));
  mapsAll(r);
});

test('asking for more than resto gives (pageSize 1000, capped at 500) loses nothing: the next links say where to go on', async () => {
  const r = await run({ url: '/resto', products: 'index', collections: ['S2'], pageSize: 1000 });
  assert.is(r.records.filter((x) => x.format === 'resto-product').length, 1234);
  assert.not.ok(truncated(r));
});

test('no next links (S1): the next page is asked by startIndex, or by page number; stops when all counted were read', async () => {
  let r = await run({ url: '/resto', products: 'index', collections: ['S1'], pageSize: 2 });
  assert.equal(searches(), [
    'S1/search.json?maxRecords=2&startIndex=1',
    'S1/search.json?maxRecords=2&startIndex=3',
    'S1/search.json?maxRecords=2&startIndex=5',
  ]);
  assert.is(r.records.filter((x) => x.format === 'resto-product').length, 5);
  r = await run({ url: '/resto', products: 'index', collections: ['S1'], pageSize: 2, paging: 'page' });
  assert.equal(searches(), [
    'S1/search.json?maxRecords=2&page=1',
    'S1/search.json?maxRecords=2&page=2',
    'S1/search.json?maxRecords=2&page=3',
  ]);
  assert.is(r.records.filter((x) => x.format === 'resto-product').length, 5);
  assert.not.ok(truncated(r));
});

test('OpenSearch Atom (format "atom"): entries as records, paged by os:totalResults and the next links', async () => {
  const r = await run({ url: '/resto', products: 'index', collections: ['S1'], format: 'atom', pageSize: 2 });
  assert.is(r.error, undefined);
  assert.equal(searches(), [
    'S1/search.atom?maxRecords=2&startIndex=1',
    'S1/search.atom?maxRecords=2&startIndex=3',
    'S1/search.atom?maxRecords=2&startIndex=5',
  ]);
  const entries = r.records.filter((x) => x.format === 'opensearch-entry');
  assert.is(entries.length, 5);
  assert.is(entries[0].id, 'S2A_MSIL1C_20200815T005251_N0209_R002_T55PBQ_20200815T023440_000000');
  assert.is(entries[1].id, 'S2A_MSIL1C_20200815T005251_N0209_R002_T55PBR_20200815T023440_000001');
  mapsAll(r);
});

test('resto 6+ (a STAC-like landing page): STAC collections and items, paged by limit and ?next= links, context.matched', async () => {
  const r = await run({ url: '/stac', products: 'index', pageSize: 20 });
  assert.is(r.error, undefined);
  assert.equal(r.notices[0].data?.api, 'stac');
  assert.equal(searches(), [
    '/stac/collections/L8/items?limit=20&startIndex=1',
    '/stac/collections/L8/items?limit=20&next=20',
    '/stac/collections/L8/items?limit=20&next=40',
  ]);
  assert.equal(
    r.records.map((x) => x.format).filter((f, i, a) => a.indexOf(f) === i),
    ['stac-collection', 'stac-item'],
  );
  assert.is(r.records.filter((x) => x.format === 'stac-item').length, 45);
  mapsAll(r);
  // resto 9's list of child links: each collection read from its link
  const nine = await run({ url: '/stac9' });
  assert.equal(
    nine.records.map((x) => x.id),
    [
      'animal_tracking_datasets',
      'climate_forecast-age_of_sea_ice',
      'climate_forecast-air_pressure_at_mean_sea_level',
      'climate_forecast-air_temperature',
    ],
  );
  mapsAll(nine);
});

test('stops: a looping next link and maxProducts (incomplete, said); a page that fails ends the harvest naming it', async () => {
  const loop = await run({ url: '/resto', products: 'index', collections: ['LOOP'] });
  assert.ok(truncated(loop));
  assert.ok(loop.notices.some((n) => /was already read; paging stopped/.test(n.message)));
  const bounded = await run({ url: '/resto', products: 'index', collections: ['S2'], maxProducts: 600 });
  assert.is(bounded.records.filter((x) => x.format === 'resto-product').length, 600);
  assert.ok(bounded.notices.some((n) => n.message === 'stopped at maxProducts 600: the harvest is incomplete'));
  assert.ok(truncated(bounded));
  const broken = await run({ url: '/resto', products: 'index', collections: ['BROKEN'] });
  assert.instance(broken.error, SourceError);
  assert.match(
    broken.error!.message,
    /^products of collection BROKEN, page 2: GET .*page=2: HTTP 500 Internal Server Error: database is down; harvest stopped after 500 product\(s\)$/,
  );
  const missing = await run({ url: '/resto', collections: ['S3'] });
  assert.ok(
    missing.notices.some((n) => n.message === `collection(s) S3 not in ${srv.url}/resto/collections.json` && n.data?.truncated === true),
  );
});

test('options are checked up front: one UsageError naming each', () => {
  assert.throws(
    () => harvestResto({ source: 'x', url: 'file:///tmp/x', products: 'all' as never, pageSize: 0, api: 'stac', format: 'atom' }),
    (e: unknown) =>
      e instanceof UsageError &&
      /url: must be an http\(s\) URL of resto's root/.test(e.message) &&
      /products: must be one of "none", "index" \(got "all"\)/.test(e.message) &&
      /pageSize: must be an integer from 1 to 10000 \(got 0\)/.test(e.message),
  );
  assert.throws(
    () => harvestResto({ source: 'x', url: 'https://h/resto', api: 'stac', format: 'atom' }),
    (e: unknown) => e instanceof UsageError && /format: "atom" is read from resto 2 only/.test(e.message),
  );
});

test.run();
