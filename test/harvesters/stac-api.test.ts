/**
 * The STAC API harvester against a REAL STAC API server: `rustac serve` (memory backend) loaded with the stac-spec
 * examples of /work/shared/fixtures/stac, plus a bulk collection of scenes derived from the real extended item (the
 * examples hold 5 items, 3 of them sharing one id: ids are made unique in the copies). Collections and items paged with
 * a small limit must come out complete, through /collections/{id}/items (GET next links) and through /search (POST
 * next links with a body). Then the paths rustac does not exercise (paged /collections, a looping next link, an items
 * page that fails) against a local node:http API serving the same example collections.
 *
 * Prints the measured harvest throughput (records/s).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { harvestStacApi, type StacApiOptions } from '../../harvesters/stac/api.js';
import type { Notice, RawRecord, RunEnd } from '../../harvesters/types.js';
import { mapRecord } from '../../pipelines/map.js';
import { SourceError, type Failure } from '../../core/result.js';
import { sharedFixture } from '../../schemas/paths.js';
import { rustac, type RustacServer } from '../helpers/services.js';

type J = Record<string, any>;
const shared = (f: string): J => JSON.parse(readFileSync(sharedFixture('stac', f), 'utf8'));
const BULK = 1000;

// ---------------------------------------------------------------------------------------------------------------
// The data set: real example collections and items, written where their links expect them.

const dataDir = mkdtempSync(join(tmpdir(), 'stac-api-data-'));
const write = (path: string, json: unknown) => {
  mkdirSync(dirname(join(dataDir, path)), { recursive: true });
  writeFileSync(join(dataDir, path), JSON.stringify(json));
};
/** collection id → its item ids, as loaded into the server. */
const expected = new Map<string, J[]>();

const simple = shared('collection.json');
const simpleItems = simple.links
  .filter((l: J) => l.rel === 'item')
  .map((l: J) => {
    const file = l.href.replace(/^\.\//, '');
    const it = shared(file);
    it.id = `${it.id}-${file.replace('.json', '')}`; // the three examples share one id
    write(file, it);
    return it;
  });
write('collection.json', simple);
expected.set(simple.id, simpleItems);

const extensions = shared('extensions-collection_collection.json');
const proj = shared('extensions-collection_proj-example_proj-example.json');
proj.collection = extensions.id; // the example names a collection that is not in the examples
extensions.links = extensions.links.filter((l: J) => l.rel !== 'parent' && l.rel !== 'root');
// rustac resolves a collection's item links against its working folder, not the collection file: both at the top
write('extensions-collection.json', extensions);
write('proj-example/proj-example.json', { ...proj, links: proj.links.filter((l: J) => l.rel !== 'root') });
expected.set(extensions.id, [proj]);

const sentinel = shared('collection-only_collection.json');
sentinel.links = sentinel.links.filter((l: J) => l.rel === 'license');
write('collection-only/collection.json', sentinel);
expected.set(sentinel.id, []);

// bulk: scenes made from the real extended item, one hour and a hundredth of a degree apart
const bulkCollection = {
  ...shared('collection.json'),
  id: 'bulk-scenes',
  title: 'Scenes derived from the extended example item',
  links: [],
};
const base = shared('extended-item.json');
const bulkItems = Array.from({ length: BULK }, (_, i) => {
  const it = structuredClone(base);
  it.id = `scene-${String(i).padStart(5, '0')}`;
  it.collection = bulkCollection.id;
  it.links = [];
  it.properties.datetime = new Date(Date.parse(base.properties.datetime) + i * 3_600_000).toISOString();
  const dx = (i % 100) * 0.01;
  it.bbox = [base.bbox[0] - dx, base.bbox[1], base.bbox[2] - dx, base.bbox[3]];
  it.geometry.coordinates = [it.geometry.coordinates[0].map(([x, y]: number[]) => [x - dx, y])];
  return it;
});
write('bulk-collection.json', bulkCollection);
write('bulk-items.json', { type: 'FeatureCollection', features: bulkItems });
expected.set(bulkCollection.id, bulkItems);
const allItems = [...expected.values()].flat().length;

let server: RustacServer;
test.before(async () => {
  try {
    server = await rustac({
      dir: dataDir,
      files: [
        'collection.json',
        'extensions-collection.json',
        'collection-only/collection.json',
        'bulk-collection.json',
        'bulk-items.json',
      ],
    });
  } catch (err) {
    console.error(err); // uvu does not print what a before hook throws
    throw err;
  }
});
test.after(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

interface Harvested {
  records: RawRecord[];
  failures: Failure[];
  notices: Notice[];
  ms: number;
  /** How the harvest ended, as the harvester returned it. */
  end?: RunEnd;
}
async function harvest(options: Partial<StacApiOptions>, url = server.url): Promise<Harvested> {
  const out: Harvested = { records: [], failures: [], notices: [], ms: 0 };
  const t0 = performance.now();
  const h = harvestStacApi({ source: 'rustac', url, http: { retries: 0 }, ...options });
  for (;;) {
    const next = await h.next();
    if (next.done) {
      out.end = next.value;
      break;
    }
    const item = next.value;
    if (item.kind === 'record') out.records.push(item.raw);
    else if (item.kind === 'failure') out.failures.push(item.failure);
    else out.notices.push(item.notice);
  }
  out.ms = performance.now() - t0;
  return out;
}
const itemsOf = (h: Harvested, collection: string) =>
  h.records.filter((r) => r.format === 'stac-item' && (r.context?.collection as J)?.id === collection);
const sorted = (xs: (string | undefined)[]) => [...xs].sort();

/** Every collection once, and every item of each once, with its collection as context. */
function assertComplete(h: Harvested): void {
  assert.equal(h.failures, []);
  const colls = h.records.filter((r) => r.format === 'stac-collection');
  assert.equal(sorted(colls.map((r) => r.id)), sorted([...expected.keys()]));
  for (const [id, items] of expected) {
    const got = itemsOf(h, id);
    assert.equal(sorted(got.map((r) => (r.body as J).id as string)), sorted(items.map((i) => i.id)), `items of ${id}`);
    assert.equal(sorted(got.map((r) => r.id)), sorted(items.map((i) => `${id}/${i.id}`)));
  }
  assert.is(h.records.length, expected.size + allItems);
}

test('landing page: conformance classes said in a notice', async () => {
  const h = await harvest({ items: 'none' });
  const landing = (await (await fetch(server.url)).json()) as J;
  assert.equal(h.notices[0].data?.conformsTo, landing.conformsTo);
  assert.equal(sorted(h.records.map((r) => r.id)), sorted([...expected.keys()]));
  assert.ok(h.records.every((r) => r.format === 'stac-collection' && r.context === undefined));
});

test('items index, limit 7, through /collections/{id}/items (GET next links): complete', async () => {
  const h = await harvest({ items: 'index', limit: 7 });
  assertComplete(h);
  // each collection before its items
  const firstItem = h.records.findIndex((r) => r.format === 'stac-item' && (r.context?.collection as J).id === bulkCollection.id);
  assert.ok(h.records.findIndex((r) => r.id === bulkCollection.id) < firstItem);
  // a sample maps and validates; the item's collection comes from the API
  for (const raw of [...itemsOf(h, simple.id), ...itemsOf(h, bulkCollection.id).slice(0, 20)]) {
    const r = mapRecord(raw, { harvestedAt: '2026-11-25T10:00:00Z' });
    assert.ok(r.ok, raw.id);
    if (r.ok) {
      assert.equal(r.record.isPartOf, [`https://data.hub.example/record/rustac:${(raw.context!.collection as J).id}`]);
      assert.is(r.record.isPrimaryTopicOf.sourceUrl, raw.location);
    }
  }
});

test('items index, limit 5, through /search (POST next links with a body): complete', async () => {
  const h = await harvest({ items: 'index', limit: 5, itemsVia: 'search' });
  assertComplete(h);
});

test('items enrich: each collection after its items, with their count, box and interval', async () => {
  const h = await harvest({ items: 'enrich', limit: 50 });
  assert.equal(h.failures, []);
  assert.is(h.records.length, expected.size);
  for (const [id, items] of expected) {
    const r = h.records.find((x) => x.id === id)!;
    const e = (r.context as J).enrichment;
    assert.is(e.itemCount, items.length, `count of ${id}`);
    if (!items.length) {
      assert.equal(e, { itemCount: 0 });
      continue;
    }
    const boxes = items.map((i) => i.bbox as number[]);
    assert.equal(e.itemBbox, [
      Math.min(...boxes.map((b) => b[0])),
      Math.min(...boxes.map((b) => b[1])),
      Math.max(...boxes.map((b) => b[2])),
      Math.max(...boxes.map((b) => b[3])),
    ]);
    const starts = items.map((i) => Date.parse(i.properties.start_datetime ?? i.properties.datetime));
    const ends = items.map((i) => Date.parse(i.properties.end_datetime ?? i.properties.datetime));
    assert.is(Date.parse(e.itemInterval[0]), Math.min(...starts));
    assert.is(Date.parse(e.itemInterval[1]), Math.max(...ends));
    const m = mapRecord(r, { harvestedAt: '2026-11-25T10:00:00Z' });
    assert.ok(m.ok && m.record.granuleCount === items.length);
  }
});

test('maxItems bounds the harvest (said once); listed collections; a listed collection that is not there', async () => {
  let h = await harvest({ items: 'index', limit: 4, maxItems: 10 });
  assert.is(h.records.filter((r) => r.format === 'stac-item').length, 10);
  assert.is(h.notices.filter((n) => /stopped at maxItems 10: the harvest is incomplete/.test(n.message)).length, 1);
  // items are records in 'index' mode: some are missing, the harvest says so (the pipeline removes nothing)
  assert.equal(h.end, { complete: false, reason: 'max-records', message: 'maxItems 10 reached' });
  // in 'enrich' mode every collection is still a record: nothing is missing from the index
  const enriched = await harvest({ items: 'enrich', limit: 4, maxItems: 10 });
  assert.equal(enriched.end, { complete: true });
  h = await harvest({ items: 'index', limit: 2, collections: [simple.id, 'no-such-collection'] });
  assert.equal(
    h.records.map((r) => r.id),
    [simple.id, ...simpleItems.map((i: J) => `${simple.id}/${i.id}`)],
  );
  assert.is(h.failures.length, 1);
  assert.is(h.failures[0].id, 'no-such-collection');
  assert.match(h.failures[0].error, /HTTP 404/);
});

test('throughput: the bulk collection, pages of 100 (printed)', async () => {
  const h = await harvest({ items: 'index', limit: 100, collections: [bulkCollection.id] });
  assert.is(h.records.length, 1 + BULK);
  // map + validate twice: the first pass includes compiling the code paths, the second is the steady rate
  let ok = 0;
  let mapMs = 0;
  for (let pass = 0; pass < 2; pass++) {
    const t0 = performance.now();
    ok = 0;
    for (const raw of h.records) if (mapRecord(raw, { harvestedAt: '2026-11-25T10:00:00Z' }).ok) ok++;
    mapMs = performance.now() - t0;
  }
  assert.is(ok, h.records.length);
  const rate = (n: number, ms: number) => Math.round((n / ms) * 1000);
  console.log(
    `\n  STAC API harvest (rustac, memory backend, pages of 100): ${h.records.length} records in ${h.ms.toFixed(0)} ms = ${rate(h.records.length, h.ms)} records/s;` +
      ` map + validate: ${rate(ok, mapMs)} records/s`,
  );
});

// ---------------------------------------------------------------------------------------------------------------
// What rustac does not do: paged /collections, a looping next link, a failing items page. A local API serving the
// example collections.

/** A small STAC API: /collections in pages of 2 (GET next), items of one collection in pages, one path failing. */
async function fakeApi(opts: { loopCollections?: boolean; failItems?: boolean }) {
  const collections = [simple, extensions, sentinel];
  const srv = createServer((req, res) => {
    const u = new URL(req.url!, 'http://x');
    const base = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
    const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (u.pathname === '/') {
      return json(200, {
        type: 'Catalog',
        id: 'fake',
        description: 'test',
        conformsTo: ['https://api.stacspec.org/v1.0.0/core', 'https://api.stacspec.org/v1.0.0/collections'],
        links: [{ rel: 'data', href: `${base}/collections` }],
      });
    }
    if (u.pathname === '/collections') {
      const skip = Number(u.searchParams.get('skip') ?? 0);
      const page = collections.slice(skip, skip + 2);
      const next = opts.loopCollections ? 0 : skip + 2;
      const links =
        skip + 2 < collections.length || opts.loopCollections ? [{ rel: 'next', href: `${base}/collections?skip=${next}` }] : [];
      return json(200, { collections: page, links });
    }
    const m = /^\/collections\/([^/]+)\/items$/.exec(u.pathname);
    if (m) {
      if (opts.failItems && m[1] === simple.id) return json(500, { code: 'ServerError' });
      return json(200, { type: 'FeatureCollection', features: expected.get(m[1]) ?? [], links: [] });
    }
    return json(404, { code: 'NotFound' });
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}/`, close: () => new Promise<void>((r) => srv.close(() => r())) };
}

test('paged /collections: every collection once; a looping next link stops with a warn notice', async () => {
  let api = await fakeApi({});
  try {
    const h = await harvest({ items: 'none' }, api.url);
    assert.equal(
      h.records.map((r) => r.id),
      [simple.id, extensions.id, sentinel.id],
    );
  } finally {
    await api.close();
  }
  api = await fakeApi({ loopCollections: true });
  try {
    const h = await harvest({ items: 'none' }, api.url);
    // the first page was asked as ?limit=100, its next link asks ?skip=0 (the same page under another URL: read once
    // more), whose next link asks ?skip=0 again: a request already made, the loop is seen and paging stops
    assert.equal(
      h.records.map((r) => r.id),
      [simple.id, extensions.id, simple.id, extensions.id],
    );
    assert.ok(h.notices.some((n) => n.level === 'warn' && /already read/.test(n.message)));
  } finally {
    await api.close();
  }
});

test('an items page that fails: enrich → a failure and the collection without enrichment; index → the source fails', async () => {
  const api = await fakeApi({ failItems: true });
  try {
    const h = await harvest({ items: 'enrich' }, api.url);
    assert.is(h.failures.length, 1);
    assert.is(h.failures[0].id, simple.id);
    assert.match(h.failures[0].error, /HTTP 500/);
    assert.is(h.records.find((r) => r.id === simple.id)!.context, undefined);
    assert.equal((h.records.find((r) => r.id === extensions.id)!.context as J).enrichment.itemCount, 1);
    try {
      await harvest({ items: 'index' }, api.url);
      assert.unreachable();
    } catch (err) {
      assert.instance(err, SourceError);
    }
  } finally {
    await api.close();
  }
});

test('options are checked up front', () => {
  assert.throws(
    () =>
      harvestStacApi({
        source: 'x',
        url: '/local/path',
        limit: 0,
        items: 'some',
        collections: [],
        maxItems: 1.5,
      } as unknown as StacApiOptions),
    (e: unknown) =>
      [
        'url: must be an http(s) URL',
        'limit: must be an integer from 1 to 10000 (got 0)',
        'items: must be one of "enrich", "index", "none" (got "some")',
        'collections: must be a non-empty array',
        'maxItems: must be an integer >= 1 (got 1.5)',
      ].every((s) => (e as Error).message.includes(s)),
  );
});

test.run();
