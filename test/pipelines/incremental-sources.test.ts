/**
 * Incremental runs of the sources beyond CSW (issue 13 item 4), on the real Elasticsearch node: each asks its source
 * only for what changed and indexes exactly the changed records; the assertions check what the server was asked
 * (the CQL2 filter, the conditional headers, resto's date parameter) and the counts in the index and the run record.
 * - STAC API: the fault STAC of test/helpers honours the Filter extension as the spec says; the real rustac server
 *   declares no Filter extension: the run falls back to full and says why.
 * - OZCAR and DCAT files: a conditional GET (304 counted unchanged with the records the source holds), a server without
 *   validators (the content hash), a local file (modification time and size), a full run sending no conditional
 *   header and reconciling deletions.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { harvestSource, type HarvestOptions, type RunSummary } from '../../pipelines/harvest.js';
import { silentLogger } from '../../pipelines/log.js';
import { runsIndex } from '../../pipelines/runs.js';
import type { SourceConfig } from '../../pipelines/sources.js';
import { WATERMARK_MARGIN_MS } from '../../pipelines/incremental.js';
import { projectPath, sharedFixture } from '../../schemas/paths.js';
import { faultyStac, type FaultyStac } from '../helpers/fault-stac.js';
import { restoReplay } from '../fixtures/resto/replay.js';
import { replayServer, type ReplayRequest, type ReplayServer } from '../helpers/replay.js';
import { deleteIndices, esClient, rustac, tempIndexName, type RustacServer } from '../helpers/services.js';

const client = await esClient();
const reports = mkdtempSync(join(tmpdir(), 'hub-incr-sources-'));
const closers: (() => Promise<void>)[] = [];

test.after(async () => {
  for (const c of closers) await c();
  rmSync(reports, { recursive: true, force: true });
  await deleteIndices(client, 'test-incs-*');
});

const run = (alias: string, source: SourceConfig, o: Partial<HarvestOptions> = {}) =>
  harvestSource(source, { client, alias, log: silentLogger, reportDir: reports, mapWorkers: 0, ...o });

function counts(s: RunSummary) {
  const { status, mode, seen, mapped, indexed, new: n, updated, unchanged, deleted, failed } = s;
  return { status, mode, seen, mapped, indexed, new: n, updated, unchanged, deleted, failed };
}

/** Every document's id and version: a write of any of them changes it. */
async function versions(alias: string): Promise<Map<string, number>> {
  await client.indices.refresh({ index: alias });
  const res = await client.search({ index: alias, size: 1000, version: true, _source: false, query: { match_all: {} } });
  return new Map(res.hits.hits.map((h) => [h._id as string, h._version as number]));
}

function written(before: Map<string, number>, after: Map<string, number>): string[] {
  return [...after].filter(([id, v]) => before.get(id) !== v).map(([id]) => id);
}

async function recorded(alias: string, runId: string): Promise<RunSummary> {
  await client.indices.refresh({ index: runsIndex(alias) });
  return (await client.get<RunSummary>({ index: runsIndex(alias), id: runId }))._source!;
}

async function stac(o: { items: number; limit?: number; filter?: boolean }): Promise<FaultyStac> {
  const s = await faultyStac(o);
  closers.push(() => s.close());
  return s;
}

const stacSource = (url: string, extra: Partial<SourceConfig> = {}): SourceConfig => ({
  id: 'sa',
  type: 'stac-api',
  url,
  options: { items: 'index', limit: 10, http: { retryDelayMs: 10 } },
  ...extra,
});

test('STAC API with the Filter extension: an incremental run asks for updated >= the watermark and indexes exactly the changed items; a full run asks no filter and reconciles deletions', async () => {
  const alias = tempIndexName('incs-stac');
  const s = await stac({ items: 30, limit: 10, filter: true });
  const first = await run(alias, stacSource(s.url));
  assert.equal(counts(first), {
    status: 'ok',
    mode: 'full',
    seen: 31,
    mapped: 31,
    indexed: 31,
    new: 31,
    updated: 0,
    unchanged: 0,
    deleted: 0,
    failed: 0,
  });
  assert.ok(
    s.requests.every((r) => r.filter === undefined),
    'a full run asks for every item',
  );

  const changed = [3, 17, 29];
  const now = new Date().toISOString();
  for (const i of changed) s.updated.set(i, now);
  const before = await versions(alias);
  const asked = s.requests.length;
  const second = await run(alias, stacSource(s.url));
  assert.equal(counts(second), {
    status: 'ok',
    mode: 'incremental',
    seen: 4,
    mapped: 3,
    indexed: 4,
    new: 0,
    updated: 3,
    unchanged: 1,
    deleted: 0,
    failed: 0,
  });
  const since = new Date(Date.parse(first.startedAt) - WATERMARK_MARGIN_MS).toISOString();
  assert.is(second.since, since);
  const filtered = s.requests.slice(asked).filter((r) => r.kind === 'items' && r.filter !== undefined);
  assert.ok(filtered.length >= 1, 'the items were asked with a filter');
  for (const r of filtered) {
    assert.is(r.filterLang, 'cql2-text');
    assert.is(r.filter, `updated >= TIMESTAMP('${since}')`);
  }
  assert.equal(
    filtered.flatMap((r) => r.items ?? []),
    changed,
    'the server answered only the changed items',
  );
  assert.equal(written(before, await versions(alias)).sort(), changed.map((i) => `sa:simple-collection/${s.itemId(i)}`).sort());
  assert.equal((await recorded(alias, second.runId)).end, {
    complete: false,
    reason: 'incremental',
    message: `incremental harvest (items updated since ${since})`,
  });

  // the source drops an item: a full run asks no filter, sees every item, and withdraws the one gone
  s.items = 29;
  const asked2 = s.requests.length;
  const full = await run(alias, { ...stacSource(s.url), deletionGrace: '0' }, { full: true });
  assert.ok(s.requests.slice(asked2).every((r) => r.filter === undefined));
  assert.equal(counts(full), {
    status: 'ok',
    mode: 'full',
    seen: 30,
    mapped: 0,
    indexed: 30,
    new: 0,
    updated: 0,
    unchanged: 30,
    deleted: 1,
    failed: 0,
  });
  assert.is(await client.exists({ index: alias, id: `sa:simple-collection/${s.itemId(29)}` }), false);
});

test('STAC API whose items carry no "updated": the incremental run reads every item and is a full run that says why', async () => {
  const alias = tempIndexName('incs-stacnu');
  const s = await stac({ items: 12, limit: 10, filter: true });
  s.noUpdated = true;
  await run(alias, stacSource(s.url));
  const asked = s.requests.length;
  const second = await run(alias, stacSource(s.url));
  assert.is(second.mode, 'full');
  assert.match(second.plan ?? '', /the items of collection simple-collection carry no "updated": every item of it is read/);
  assert.ok(s.requests.slice(asked).every((r) => r.filter === undefined));
  assert.equal(counts(second), {
    status: 'ok',
    mode: 'full',
    seen: 13,
    mapped: 0,
    indexed: 13,
    new: 0,
    updated: 0,
    unchanged: 13,
    deleted: 0,
    failed: 0,
  });
});

test('the real rustac server declares no Filter extension: the incremental run falls back to full, with the reason in the run', async () => {
  let server: RustacServer;
  try {
    server = await rustac({ dir: sharedFixture('stac'), files: ['collection.json', 'core-item.json'] });
  } catch (err) {
    console.error(err);
    throw err;
  }
  closers.push(() => server.stop());
  const alias = tempIndexName('incs-rustac');
  const source = stacSource(server.url);
  const first = await run(alias, source);
  assert.is(first.status, 'ok', first.error);
  assert.is(first.mode, 'full');
  assert.is(first.indexed, 2);
  const second = await run(alias, source);
  assert.is(second.status, 'ok', second.error);
  assert.is(second.mode, 'full');
  assert.match(second.plan ?? '', /records changed since the last successful run/);
  assert.match(second.plan ?? '', /the API does not declare the STAC API Filter extension/);
  assert.is(second.since, undefined);
  // (rustac's memory backend answers the item on several pages: the copies are counted duplicates, each run)
  assert.equal([second.seen, second.indexed, second.new, second.updated], [first.seen, 2, 0, 0]);
  assert.ok(second.notices.some((n) => /does not declare the STAC API Filter extension/.test(n.message)));
});

/** A server of one document with optional ETag / Last-Modified that honours conditional requests. */
interface DocServer {
  srv: ReplayServer;
  body: string;
  etag: boolean;
  lastModified: boolean;
  /** Requests to the document, with their conditional headers. */
  asked(): { ifNoneMatch?: string; ifModifiedSince?: string; status: number }[];
}

async function docServer(body: string, path: string, type: string, o: { etag: boolean; lastModified: boolean }): Promise<DocServer> {
  const statuses: number[] = [];
  const modified = new Date('2026-11-01T00:00:00Z');
  const state: DocServer = {
    srv: undefined as unknown as ReplayServer,
    body,
    etag: o.etag,
    lastModified: o.lastModified,
    asked: () =>
      state.srv.requests
        .filter((r) => r.path === path)
        .map((r: ReplayRequest, k) => ({
          ...(typeof r.headers['if-none-match'] === 'string' ? { ifNoneMatch: r.headers['if-none-match'] } : {}),
          ...(typeof r.headers['if-modified-since'] === 'string' ? { ifModifiedSince: r.headers['if-modified-since'] } : {}),
          status: statuses[k],
        })),
  };
  state.srv = await replayServer((req) => {
    if (req.path !== path) {
      statuses.push(404);
      return { status: 404, body: 'not found' };
    }
    const tag = `"${createHash('sha1').update(state.body).digest('hex')}"`;
    const headers: Record<string, string> = {
      ...(state.etag ? { etag: tag } : {}),
      ...(state.lastModified ? { 'last-modified': modified.toUTCString() } : {}),
    };
    const inm = req.headers['if-none-match'];
    const ims = req.headers['if-modified-since'];
    const fresh =
      (state.etag && inm === tag) ||
      (state.lastModified && inm === undefined && typeof ims === 'string' && Date.parse(ims) >= modified.getTime());
    statuses.push(fresh ? 304 : 200);
    return fresh ? { status: 304, body: '', headers } : { body: state.body, type, headers };
  });
  closers.push(() => state.srv.close());
  return state;
}

const CRYO = readFileSync(sharedFixture('ozcar', 'CRYO_en.json'), 'utf8');
/** CRYO with dataset k's title edited, or without dataset k. */
function cryo(edit: { retitle?: number; drop?: number } = {}): string {
  const d = JSON.parse(CRYO) as { datasets: { metadata: { title: string } }[] };
  if (edit.retitle !== undefined) d.datasets[edit.retitle].metadata.title += ' (revised)';
  if (edit.drop !== undefined) d.datasets.splice(edit.drop, 1);
  return JSON.stringify(d);
}

test('OZCAR feed with ETag: 304 is a run that reads nothing and counts the records the source holds unchanged; a changed file is read in whole (a full run); --full sends no conditional header and reconciles deletions', async () => {
  const alias = tempIndexName('incs-ozcar');
  const doc = await docServer(CRYO, '/CRYO_en.json', 'application/json', { etag: true, lastModified: true });
  const source: SourceConfig = { id: 'oz', type: 'ozcar', url: `${doc.srv.url}/CRYO_en.json`, deletionGrace: '0' };
  const first = await run(alias, source);
  assert.equal(counts(first), {
    status: 'ok',
    mode: 'full',
    seen: 8,
    mapped: 8,
    indexed: 8,
    new: 8,
    updated: 0,
    unchanged: 0,
    deleted: 0,
    failed: 0,
  });
  const kept = (await recorded(alias, first.runId)).validators!;
  assert.is(kept.length, 1);
  assert.is(kept[0].url, source.url);
  assert.ok(kept[0].etag && kept[0].lastModified && kept[0].hash, 'ETag, Last-Modified and the content hash kept with the run');
  assert.equal(doc.asked()[0], { status: 200 }, 'the first run sends no conditional header');

  const before = await versions(alias);
  const second = await run(alias, source);
  assert.equal(counts(second), {
    status: 'ok',
    mode: 'incremental',
    seen: 8,
    mapped: 0,
    indexed: 8,
    new: 0,
    updated: 0,
    unchanged: 8,
    deleted: 0,
    failed: 0,
  });
  assert.equal(doc.asked()[1], { ifNoneMatch: kept[0].etag, ifModifiedSince: kept[0].lastModified, status: 304 });
  assert.is(second.end?.complete, false);
  assert.ok(second.end && !second.end.complete && second.end.notModified === true);
  assert.equal(written(before, await versions(alias)), [], 'nothing written');
  assert.equal((await recorded(alias, second.runId)).validators, kept, 'the validators carried on');

  // a third unchanged run counts the same (from the 304 run before it)
  const third = await run(alias, source);
  assert.equal([third.mode, third.seen, third.unchanged, third.mapped], ['incremental', 8, 8, 0]);

  // the file changes (one title): read in whole, one record written, the run is full (it saw every record)
  doc.body = cryo({ retitle: 2 });
  const fourth = await run(alias, source);
  assert.equal(counts(fourth), {
    status: 'ok',
    mode: 'full',
    seen: 8,
    mapped: 1,
    indexed: 8,
    new: 0,
    updated: 1,
    unchanged: 7,
    deleted: 0,
    failed: 0,
  });
  assert.match(fourth.plan ?? '', /changed since the last run: read in whole/);
  assert.is(doc.asked()[3].status, 200);
  assert.ok(doc.asked()[3].ifNoneMatch, 'asked conditionally');

  // a full run (--full): no conditional header, the dataset the file dropped is removed
  doc.body = cryo({ retitle: 2, drop: 7 });
  const full = await run(alias, source, { full: true });
  assert.equal(doc.asked()[4], { status: 200 }, 'a full run sends no conditional header');
  assert.equal(counts(full), {
    status: 'ok',
    mode: 'full',
    seen: 7,
    mapped: 0,
    indexed: 7,
    new: 0,
    updated: 0,
    unchanged: 7,
    deleted: 1,
    failed: 0,
  });
});

test('OZCAR feed from a server without ETag nor Last-Modified: the content hash tells an unchanged file', async () => {
  const alias = tempIndexName('incs-ozhash');
  const doc = await docServer(CRYO, '/CRYO_en.json', 'application/json', { etag: false, lastModified: false });
  const source: SourceConfig = { id: 'oz', type: 'ozcar', url: `${doc.srv.url}/CRYO_en.json` };
  await run(alias, source);
  const second = await run(alias, source);
  assert.equal(doc.asked()[1], { status: 200 }, 'nothing to ask conditionally with');
  assert.equal(counts(second), {
    status: 'ok',
    mode: 'incremental',
    seen: 8,
    mapped: 0,
    indexed: 8,
    new: 0,
    updated: 0,
    unchanged: 8,
    deleted: 0,
    failed: 0,
  });
  assert.ok(second.notices.some((n) => /has not changed since the last run \(the same content hash\)/.test(n.message)));
  doc.body = cryo({ retitle: 0 });
  const third = await run(alias, source);
  assert.equal([third.mode, third.mapped, third.updated, third.unchanged], ['full', 1, 1, 7]);
});

test('a local OZCAR file: the same modification time and size skip it unread; a touched file with the same content by its hash; an edited one read in whole', async () => {
  const alias = tempIndexName('incs-ozfile');
  const dir = mkdtempSync(join(tmpdir(), 'hub-incs-'));
  closers.push(async () => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'CRYO_en.json');
  writeFileSync(file, CRYO);
  const source: SourceConfig = { id: 'oz', type: 'ozcar', url: file };
  const first = await run(alias, source);
  const v = first.validators![0];
  assert.equal([v.url, typeof v.mtime, v.size, typeof v.hash], [file, 'string', Buffer.byteLength(CRYO), 'string']);
  const second = await run(alias, source);
  assert.equal([second.mode, second.seen, second.unchanged, second.mapped], ['incremental', 8, 8, 0]);
  assert.ok(second.notices.some((n) => /the same modification time and size/.test(n.message)));
  const later = new Date(Date.now() + 5000);
  utimesSync(file, later, later);
  const third = await run(alias, source);
  assert.equal([third.mode, third.unchanged], ['incremental', 8]);
  assert.ok(third.notices.some((n) => /the same content hash/.test(n.message)));
  writeFileSync(file, cryo({ retitle: 7 }));
  const fourth = await run(alias, source);
  assert.equal([fourth.mode, fourth.mapped, fourth.updated, fourth.unchanged], ['full', 1, 1, 7]);
});

test('a DCAT file with Last-Modified only: If-Modified-Since, 304 counted unchanged', async () => {
  const alias = tempIndexName('incs-dcat');
  const rdf = readFileSync(projectPath('test', 'fixtures', 'dcat', 'ckanext-dcat-catalog.rdf'), 'utf8');
  const doc = await docServer(rdf, '/catalog.rdf', 'application/rdf+xml', { etag: false, lastModified: true });
  const source: SourceConfig = { id: 'dc', type: 'dcat', url: `${doc.srv.url}/catalog.rdf` };
  const first = await run(alias, source);
  assert.is(first.status, 'ok', first.error);
  const n = first.indexed;
  assert.ok(n > 0);
  const second = await run(alias, source);
  assert.equal(doc.asked()[1], { ifModifiedSince: first.validators![0].lastModified, status: 304 });
  assert.equal([second.mode, second.status, second.seen, second.unchanged, second.mapped], ['incremental', 'ok', n, n, 0]);
});

test('resto 2: the incremental run asks the products with updated=<watermark> and indexes exactly the edited ones; resto 9.7+ asks created=<watermark>/..', async () => {
  const alias = tempIndexName('incs-resto');
  const edited = new Map<string, string>();
  const srv = await replayServer(restoReplay({ products: { S2: 30, S1: 0 }, items: 12, updated: edited }));
  closers.push(() => srv.close());
  const peps: SourceConfig = {
    id: 'peps',
    type: 'resto',
    url: `${srv.url}/resto`,
    options: { products: 'index', collections: ['S2'], pageSize: 10 },
  };
  const first = await run(alias, peps);
  assert.equal(counts(first), {
    status: 'ok',
    mode: 'full',
    seen: 31,
    mapped: 31,
    indexed: 31,
    new: 31,
    updated: 0,
    unchanged: 0,
    deleted: 0,
    failed: 0,
  });
  assert.ok(srv.requests.every((r) => !r.query.has('updated')));
  const now = new Date().toISOString();
  edited.set('S2/4', now);
  edited.set('S2/21', now);
  const before = await versions(alias);
  const asked = srv.requests.length;
  const second = await run(alias, peps);
  const since = new Date(Date.parse(first.startedAt) - WATERMARK_MARGIN_MS).toISOString();
  const searches = srv.requests.slice(asked).filter((r) => /search\.json$/.test(r.path));
  assert.ok(searches.length >= 1);
  for (const r of searches) assert.is(r.query.get('updated'), since);
  assert.equal(counts(second), {
    status: 'ok',
    mode: 'incremental',
    seen: 3,
    mapped: 2,
    indexed: 3,
    new: 0,
    updated: 2,
    unchanged: 1,
    deleted: 0,
    failed: 0,
  });
  const w = written(before, await versions(alias)).sort();
  assert.is(w.length, 2);
  assert.ok(w[0].endsWith('_S2_000021') && w[1].endsWith('_S2_000004'), w.join(', '));

  // resto 9.8 (its landing page says resto:version): the creation date as an open range
  const r9: SourceConfig = { id: 'r9', type: 'resto', url: `${srv.url}/stac`, options: { products: 'index', pageSize: 5 } };
  const first9 = await run(alias, r9);
  assert.equal([first9.status, first9.mode, first9.indexed], ['ok', 'full', 13]);
  edited.set('L8/7', new Date().toISOString());
  const asked9 = srv.requests.length;
  const second9 = await run(alias, r9);
  const since9 = new Date(Date.parse(first9.startedAt) - WATERMARK_MARGIN_MS).toISOString();
  const items = srv.requests.slice(asked9).filter((r) => r.path === '/stac/collections/L8/items');
  assert.ok(items.length >= 1);
  for (const r of items) assert.is(r.query.get('created'), `${since9}/..`);
  assert.equal(
    [second9.status, second9.mode, second9.seen, second9.mapped, second9.updated, second9.unchanged],
    ['ok', 'incremental', 2, 1, 1, 1],
  );
  assert.ok(second9.notices.some((n) => /creation in its database/.test(n.message)));
});

test('resto with collections only: the incremental run reads every collection and is a full run that says why', async () => {
  const alias = tempIndexName('incs-restoc');
  const srv = await replayServer(restoReplay({ products: { S2: 3, S1: 2 }, items: 0 }));
  closers.push(() => srv.close());
  const src: SourceConfig = { id: 'peps', type: 'resto', url: `${srv.url}/resto`, options: { collections: ['S2', 'S1'] } };
  await run(alias, src);
  const second = await run(alias, src);
  assert.equal([second.status, second.mode, second.seen, second.unchanged], ['ok', 'full', 2, 2]);
  assert.match(second.plan ?? '', /collections only \(products "none"\): every collection is read/);
});

test.run();
