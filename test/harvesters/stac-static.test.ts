/**
 * The static STAC catalogue walk, on the stac-spec examples of /work/shared/fixtures/stac laid out as the tree their
 * links describe (test/fixtures/stac/tree.ts), read from local paths and from a local node:http server, and on the
 * broken variants of test/fixtures/stac/broken (a 404 child, cycles, invalid JSON, an HTML page, an item without
 * geometry, a collection with a malformed extent): each one reported, none stopping the walk.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { harvestStaticCatalog, type StaticCatalogOptions } from '../../harvesters/stac/static.js';
import type { HarvestItem, Notice, RawRecord, RunEnd } from '../../harvesters/types.js';
import type { Failure } from '../../core/result.js';
import { mapRecord } from '../../pipelines/map.js';
import { SourceError } from '../../core/result.js';
import { sharedFixture } from '../../schemas/paths.js';
import { BROKEN_STAC, exampleTree, serveFolder, SHARED_STAC } from '../fixtures/stac/tree.js';

type J = Record<string, any>;
const shared = (f: string): J => JSON.parse(readFileSync(join(SHARED_STAC, f), 'utf8'));
const brokenFile = (f: string): J => JSON.parse(readFileSync(join(BROKEN_STAC, f), 'utf8'));

interface Walked {
  records: RawRecord[];
  failures: Failure[];
  notices: Notice[];
  /** How the walk ended, as the harvester returned it. */
  end?: RunEnd;
}

async function walk(options: Partial<StaticCatalogOptions> & { url: string }): Promise<Walked> {
  const out: Walked = { records: [], failures: [], notices: [] };
  const h = harvestStaticCatalog({ source: 'stac-test', ...options });
  for (;;) {
    const next = await h.next();
    if (next.done) {
      out.end = next.value;
      return out;
    }
    collect(out, next.value);
  }
}
function collect(out: Walked, item: HarvestItem): void {
  if (item.kind === 'record') out.records.push(item.raw);
  else if (item.kind === 'failure') out.failures.push(item.failure);
  else out.notices.push(item.notice);
}
const ids = (w: Walked, format?: string) => w.records.filter((r) => !format || r.format === format).map((r) => r.id);
const byId = (w: Walked, id: string) => w.records.find((r) => r.id === id)!;
const mapped = (raw: RawRecord) => mapRecord(raw, { harvestedAt: '2026-11-25T10:00:00Z' });

const tree = exampleTree();
const root = shared('catalog.json');
/** Collections and items the example catalog links to, read from the files (not from the walk). */
const childFiles: string[] = root.links.filter((l: J) => l.rel === 'child').map((l: J) => l.href.replace(/^\.\//, '').split('/').join('_'));
const rootItemFiles: string[] = root.links.filter((l: J) => l.rel === 'item').map((l: J) => l.href.replace(/^\.\//, ''));
const collections = childFiles.map(shared);
const extensions = shared('extensions-collection_collection.json');
const projItem = shared('extensions-collection_proj-example_proj-example.json');

test('local walk, items enrich: one record per collection (after its items) and for the collectionless item', async () => {
  const w = await walk({ url: join(tree.dir, 'catalog.json') });
  assert.equal(w.failures, []);
  assert.equal(ids(w, 'stac-collection').sort(), collections.map((c) => c.id).sort());
  assert.equal(
    ids(w, 'stac-item'),
    rootItemFiles.map((f) => shared(f).id),
    'items under no collection are records',
  );
  assert.is(w.records.filter((r) => r.format === 'stac-catalog').length, 0, 'a catalog is not a record');
  // the extensions collection links one item: its count, bbox and datetime
  const ext = byId(w, extensions.id);
  assert.equal(ext.context, {
    enrichment: { itemCount: 1, itemBbox: projItem.bbox, itemInterval: [projItem.properties.datetime, projItem.properties.datetime] },
  });
  assert.is(ext.location, join(tree.dir, 'extensions-collection', 'collection.json'));
  // collections without items: a count of 0
  const itemless = collections.filter((c) => !c.links.some((l: J) => l.rel === 'item')).map((c) => c.id);
  assert.is(itemless.length, 2);
  for (const r of w.records.filter((r) => itemless.includes(r.id!))) assert.equal(r.context, { enrichment: { itemCount: 0 } });
  // every record maps and validates through the pipeline's map stage
  for (const raw of w.records) assert.ok(mapped(raw).ok, `${raw.id} maps`);
  const extRecord = mapped(ext);
  assert.ok(extRecord.ok && extRecord.record.granuleCount === 1);
  const done = w.notices.at(-1)!;
  assert.equal(done.data, {
    documents: 1 + childFiles.length + rootItemFiles.length + 1,
    collections: 3,
    items: 1,
    itemsFolded: 1,
    catalogs: 1,
    failures: 0,
  });
  assert.equal(w.end, { complete: true });
});

test('local walk, items index: the collection first, then its items with the collection as context', async () => {
  const w = await walk({ url: join(tree.dir, 'catalog.json'), items: 'index' });
  const itemIds = ids(w, 'stac-item');
  assert.equal(itemIds, [`${extensions.id}/${projItem.id}`, ...rootItemFiles.map((f) => shared(f).id)]);
  const i = w.records.findIndex((r) => r.id === `${extensions.id}/${projItem.id}`);
  assert.is(w.records[i - 1].id, extensions.id, 'the collection comes right before its item');
  assert.equal(w.records[i].context, { collection: extensions });
  const r = mapped(w.records[i]);
  assert.ok(r.ok);
  if (r.ok) {
    assert.equal(r.record.isPartOf, [`https://data.hub.example/record/stac-test:${extensions.id}`]);
    assert.ok(
      r.warnings?.some((x) => x.at === 'collection' && x.message.includes(projItem.collection)),
      'its `collection` field differs from where it was found',
    );
    assert.equal(
      r.record.license?.map((l) => l['@id']),
      extensions.links.filter((l: J) => l.rel === 'license').map((l: J) => l.href),
      'licence inherited',
    );
  }
});

test('a collection as the root: its three items enrich it (union of boxes, first start to last end)', async () => {
  const coll = shared('collection.json');
  const items = coll.links.filter((l: J) => l.rel === 'item').map((l: J) => shared(l.href.replace(/^\.\//, '')));
  const w = await walk({ url: join(tree.dir, 'collection.json') });
  assert.equal(ids(w), [coll.id]);
  const starts = items
    .map((i: J) => i.properties.start_datetime ?? i.properties.datetime)
    .sort((a: string, b: string) => Date.parse(a) - Date.parse(b));
  const ends = items
    .map((i: J) => i.properties.end_datetime ?? i.properties.datetime)
    .sort((a: string, b: string) => Date.parse(a) - Date.parse(b));
  const bbox = [0, 1, 2, 3].map((k) => (k < 2 ? Math.min : Math.max)(...items.map((i: J) => i.bbox[k])));
  assert.equal(w.records[0].context, { enrichment: { itemCount: items.length, itemBbox: bbox, itemInterval: [starts[0], ends.at(-1)] } });
});

test('http walk: the same records as the local walk, fetches bounded by concurrency', async () => {
  const local = await walk({ url: join(tree.dir, 'catalog.json'), items: 'index' });
  for (const concurrency of [1, 3]) {
    const server = await serveFolder(tree.dir, { delayMs: 30 });
    try {
      const w = await walk({ url: `${server.url}/catalog.json`, items: 'index', concurrency });
      assert.equal(w.failures, []);
      assert.equal(ids(w), ids(local));
      assert.equal(
        w.records.map((r) => r.body),
        local.records.map((r) => r.body),
      );
      assert.is(byId(w, extensions.id).location, `${server.url}/extensions-collection/collection.json`);
      assert.is(server.requests.length, new Set(server.requests).size, 'each document fetched once');
      assert.ok(server.maxInFlight <= concurrency, `at most ${concurrency} at once (saw ${server.maxInFlight})`);
      if (concurrency > 1) assert.ok(server.maxInFlight > 1, 'fetches overlap');
      // mapped over http, relative links resolve against the server
      const r = mapped(byId(w, extensions.id));
      assert.ok(r.ok && r.record.isPrimaryTopicOf.sourceUrl === `${server.url}/extensions-collection/collection.json`);
    } finally {
      await server.close();
    }
  }
});

/** Failures by kind for the broken set. */
function brokenExpectations(w: Walked, http: boolean): void {
  const at = (suffix: string) => w.failures.filter((f) => f.location!.endsWith(suffix));
  assert.is(at('missing/collection.json').length, 1, '404 child');
  assert.match(at('missing/collection.json')[0].error, http ? /HTTP 404/ : /not found/);
  assert.is(at('missing/collection.json')[0].stage, 'fetch');
  const cycles = w.failures.filter((f) => f.error.includes('loops back'));
  assert.is(cycles.length, 3, 'the loop catalog back to the root, its child back to it, and a catalog linking itself');
  const invalid = at('invalid/collection.json');
  assert.is(invalid.length, 1);
  assert.is(invalid[0].stage, 'parse');
  assert.match(invalid[0].error, /invalid JSON/);
  assert.type(invalid[0].raw, 'string', 'the raw text is kept');
  const html = at('not-stac.html');
  assert.is(html.length, 1);
  assert.match(html[0].error, http ? /wrong content type text\/html/ : /invalid JSON/);
  assert.is(w.failures.length, 6);
  for (const f of w.failures) assert.is(f.source, 'stac-test');
  // the walk went on: the sound collection, the collection with the item without geometry, the bad extent
  assert.equal(ids(w, 'stac-collection').sort(), ['bad-extent', 'nogeom-collection', 'simple-collection']);
  assert.ok(
    w.notices.some((n) => n.data?.duplicates === 1),
    'the collection listed twice is walked once',
  );
}

test('broken catalogue, local: every break reported, the walk goes on', async () => {
  const w = await walk({ url: join(BROKEN_STAC, 'catalog.json') });
  brokenExpectations(w, false);
  const sound = brokenFile('sound/item.json');
  assert.equal(byId(w, 'simple-collection').context, {
    enrichment: { itemCount: 1, itemBbox: sound.bbox, itemInterval: [sound.properties.datetime, sound.properties.datetime] },
  });
  const nogeom = brokenFile('nogeom/item-null-geometry.json');
  assert.equal(
    byId(w, 'nogeom-collection').context,
    {
      enrichment: { itemCount: 1, itemInterval: [nogeom.properties.datetime, nogeom.properties.datetime] },
    },
    'an item without geometry counts, adds no box',
  );
  // a malformed extent is an optional value: left out with a warning naming its path, the collection is kept
  const bad = mapped(byId(w, 'bad-extent'));
  assert.ok(bad.ok, 'the collection with a malformed extent maps');
  if (bad.ok) {
    assert.is(bad.record.spatial, undefined);
    assert.ok(
      bad.warnings?.some((x) => x.at === 'extent.spatial.bbox[0]'),
      'the malformed box is named by its path',
    );
  }
});

test('broken catalogue, http, items index: same reports; the item without geometry maps with a warning', async () => {
  const server = await serveFolder(BROKEN_STAC);
  try {
    const w = await walk({ url: `${server.url}/catalog.json`, items: 'index', http: { retries: 0 } });
    brokenExpectations(w, true);
    const item = w.records.find((r) => r.format === 'stac-item' && r.id === 'nogeom-collection/proj-example')!;
    const r = mapped(item);
    assert.ok(r.ok);
    if (r.ok) {
      assert.is(r.record.spatial, undefined);
      assert.ok(r.warnings!.some((x) => x.at === 'geometry' && x.message.startsWith('null')));
    }
  } finally {
    await server.close();
  }
});

test('maxDepth and maxDocuments stop the walk with notices', async () => {
  let w = await walk({ url: join(tree.dir, 'catalog.json'), maxDepth: 1 });
  assert.ok(
    w.notices.some((n) => n.level === 'warn' && n.data?.notFollowed === 1),
    'the item at depth 2 is not followed',
  );
  assert.equal(w.end, { complete: false, reason: 'max-records', message: '1 links deeper than maxDepth 1 were not followed' });
  assert.is(byId(w, extensions.id).context, undefined, 'a cut below the collection: no enrichment (it would undercount)');
  w = await walk({ url: join(tree.dir, 'catalog.json'), maxDepth: 0 });
  assert.equal(w.records, []);
  w = await walk({ url: join(tree.dir, 'catalog.json'), maxDocuments: 3 });
  const cut = w.notices.filter((n) => /stopped after maxDocuments 3 documents/.test(n.message) && n.level === 'warn');
  assert.is(cut.length, 1, 'said once');
  // the harvester says the run did not see the whole catalogue: the pipeline removes nothing after it
  assert.equal(w.end, { complete: false, reason: 'max-records', message: 'stopped after maxDocuments 3 documents' });
  assert.is(w.notices.at(-1)!.data!.documents, 3);
  assert.is(w.records.length, 2, 'the two children fetched');
});

test('a root that cannot be read ends the harvest with a SourceError; bad options are refused up front', async () => {
  try {
    await walk({ url: join(tree.dir, 'nothing-here.json') });
    assert.unreachable();
  } catch (err) {
    assert.instance(err, SourceError);
    assert.match((err as Error).message, /not found/);
  }
  try {
    await walk({ url: join(BROKEN_STAC, 'not-stac.html') });
    assert.unreachable();
  } catch (err) {
    assert.instance(err, SourceError);
    assert.match((err as Error).message, /invalid JSON/);
  }
  // JSON, but not STAC (a real OZCAR pivot file): not a catalogue
  try {
    await walk({ url: sharedFixture('ozcar', 'TOUR_en.json') });
    assert.unreachable();
  } catch (err) {
    assert.instance(err, SourceError);
    assert.match((err as Error).message, /not a STAC catalog, collection or item/);
  }
  assert.throws(
    () =>
      harvestStaticCatalog({
        source: '',
        url: 'ftp://x/catalog.json',
        maxDepth: -1,
        concurrency: 0,
        items: 'all' as 'index',
        extra: 1,
      } as unknown as StaticCatalogOptions),
    (e: unknown) => {
      const m = (e as Error).message;
      return [
        'source: must be',
        'url: must be an http(s) URL',
        'maxDepth: must be an integer >= 0',
        'concurrency: must be an integer >= 1',
        'items: must be one of "enrich", "index" (got "all")',
        'extra: unknown option (known: maxDepth, maxDocuments, concurrency, items, http)',
      ].every((s) => m.includes(s));
    },
  );
});

test.after(() => tree.cleanup());
test.run();
