/**
 * Incremental runs and deletions with a grace period (issue 13 items 4 and 5), on the real Elasticsearch node with the
 * fault CSW of test/helpers (it honours a "modified since" constraint as pycsw does): an incremental run asks with the
 * constraint and sees only the changed records; an unchanged re-run maps nothing and writes nothing; a record that
 * disappears is withdrawn (gone from /search, deleted in OAI-PMH), restored when it comes back within its grace,
 * purged after it; an incremental run never withdraws. Every scenario checks the exact counts in the index and in the
 * run record.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../api/server.js';
import { oaiRoutes } from '../../api/routes/oai.js';
import { searchRoutes } from '../../api/routes/search.js';
import { harvestSource, type HarvestOptions, type RunSummary } from '../../pipelines/harvest.js';
import { planFromHistory, WATERMARK_MARGIN_MS } from '../../pipelines/incremental.js';
import { silentLogger } from '../../pipelines/log.js';
import { runsIndex } from '../../pipelines/runs.js';
import { checkSource, type SourceConfig } from '../../pipelines/sources.js';
import { purgeWithdrawn, tombstoneIndex, type Tombstone } from '../../pipelines/tombstones.js';
import { rawRecordHash } from '../../pipelines/unchanged.js';
import { MAPPING_VERSION } from '../../mappings/es-index.js';
import { faultyCsw, generatedRecords, touched, type CatalogueRecord, type FaultyCsw } from '../helpers/fault-csw.js';
import { readOai } from '../helpers/oai.js';
import { deleteIndices, esClient, esUrl, tempIndexName } from '../helpers/services.js';

const client = await esClient();
const ES = await esUrl();
const reports = mkdtempSync(join(tmpdir(), 'hub-incremental-'));
const catalogue = generatedRecords(60);
const servers: FaultyCsw[] = [];
const apps: FastifyInstance[] = [];

test.after(async () => {
  for (const a of apps) await a.close();
  for (const s of servers) await s.close();
  rmSync(reports, { recursive: true, force: true });
  await deleteIndices(client, 'test-incr-*');
});

async function csw(records: CatalogueRecord[] = catalogue): Promise<FaultyCsw> {
  const s = await faultyCsw({ records: [...records], pageCap: 25 });
  servers.push(s);
  return s;
}

const src = (url: string, extra: Partial<SourceConfig> = {}): SourceConfig => ({
  id: 'src',
  type: 'csw',
  url,
  options: { pageSize: 25, http: { retryDelayMs: 10 } },
  ...extra,
});
const run = (alias: string, source: SourceConfig, o: Partial<HarvestOptions> = {}) =>
  harvestSource(source, { client, alias, log: silentLogger, reportDir: reports, mapWorkers: 0, ...o });

async function count(alias: string, query: object = { match_all: {} }): Promise<number> {
  await client.indices.refresh({ index: alias });
  return (await client.count({ index: alias, query })).count;
}
const indexId = (r: CatalogueRecord) => `src:${r.id}`;
const live = async (alias: string, r: CatalogueRecord) => (await client.exists({ index: alias, id: indexId(r) })) === true;

/** Every document's id and version: a write of any of them changes it. */
async function versions(alias: string): Promise<Map<string, number>> {
  await client.indices.refresh({ index: alias });
  const res = await client.search({ index: alias, size: 1000, version: true, _source: false, query: { match_all: {} } });
  return new Map(res.hits.hits.map((h) => [h._id as string, h._version as number]));
}

async function tombstone(alias: string, r: CatalogueRecord): Promise<Tombstone | undefined> {
  const got = await client.get<Tombstone>({ index: tombstoneIndex(alias), id: indexId(r) }, { ignore: [404] });
  return got.found ? got._source : undefined;
}

/** The run as recorded in <alias>-runs. */
async function recorded(alias: string, runId: string): Promise<RunSummary> {
  await client.indices.refresh({ index: runsIndex(alias) });
  return (await client.get<RunSummary>({ index: runsIndex(alias), id: runId }))._source!;
}

function counts(s: RunSummary) {
  const { status, mode, seen, mapped, indexed, new: n, updated, unchanged, deleted, withdrawn, restored, purged, failed } = s;
  return { status, mode, seen, mapped, indexed, new: n, updated, unchanged, deleted, withdrawn, restored, purged, failed };
}

async function server(alias: string): Promise<FastifyInstance> {
  const app = await buildServer({ client, alias, esUrl: ES, log: silentLogger, routes: [searchRoutes, oaiRoutes({ pageSize: 100 })] });
  apps.push(app);
  return app;
}

/** The OAI-PMH headers of a ListIdentifiers (one page: the test index is small), by hub id. */
async function oaiHeaders(app: FastifyInstance): Promise<Map<string, { datestamp: string; status?: string }>> {
  const r = await app.inject({ method: 'GET', url: '/oai?verb=ListIdentifiers&metadataPrefix=oai_dc' });
  assert.is(r.statusCode, 200);
  const doc = readOai(r.body);
  const list = doc.ListIdentifiers as { header: { identifier: string[]; datestamp: string; '@status'?: string }[] };
  return new Map(
    list.header.map((h) => [
      h.identifier[0].replace(/^oai:[^:]+:/, ''),
      { datestamp: h.datestamp, ...(h['@status'] ? { status: h['@status'] } : {}) },
    ]),
  );
}

async function searchTotal(app: FastifyInstance, q: string): Promise<number> {
  const r = await app.inject({ method: 'GET', url: `/search?q=${encodeURIComponent(q)}` });
  assert.is(r.statusCode, 200, r.body);
  return (JSON.parse(r.body) as { total: number }).total;
}

test('the plan: full first, then incremental since the last successful run less the margin; full again after fullEvery, on --full, on a new mapping', () => {
  const source: SourceConfig = { id: 's', type: 'csw', url: 'http://127.0.0.1:1/csw' };
  const now = new Date('2026-12-05T12:00:00Z');
  const ran = (startedAt: string, o: Partial<RunSummary> = {}) =>
    ({ startedAt, status: 'ok', mode: 'full', end: { complete: true }, mappingVersion: MAPPING_VERSION, ...o }) as RunSummary;
  assert.is(planFromHistory(source, [], { now }).mode, 'full');
  const history = [
    ran('2026-12-05T02:00:00Z', { status: 'failed' }),
    ran('2026-12-04T02:00:00Z', { mode: 'incremental', end: { complete: false, reason: 'incremental', message: '' } }),
    ran('2026-12-01T02:00:00Z'),
  ];
  const p = planFromHistory(source, history, { now });
  assert.is(p.mode, 'incremental');
  // the last SUCCESSFUL run (not the failed one), less the margin
  assert.is(p.since, new Date(Date.parse('2026-12-04T02:00:00Z') - WATERMARK_MARGIN_MS).toISOString());
  assert.is(planFromHistory(source, history, { now, full: true }).mode, 'full');
  assert.is(planFromHistory({ ...source, fullEvery: '3d' }, history, { now }).mode, 'full', 'the full run is 4 days old');
  assert.is(planFromHistory({ ...source, incremental: false }, history, { now }).mode, 'full');
  assert.is(planFromHistory({ ...source, type: 'stac' }, history, { now }).mode, 'full', 'no "changed since" query');
  const older = history.map((r) => ({ ...r, mappingVersion: MAPPING_VERSION - 1 }));
  assert.match(planFromHistory(source, older, { now }).reason, /mapping version/);
  // the data centre moved its catalogue: the new URL is read in whole once, then incremental again
  const there = history.map((r) => ({ ...r, url: source.url }));
  assert.is(planFromHistory(source, there, { now }).mode, 'incremental');
  const moved = planFromHistory({ ...source, url: 'http://127.0.0.1:2/csw' }, there, { now });
  assert.equal(
    [moved.mode, moved.reason],
    ['full', "the source's URL changed since its last full run (http://127.0.0.1:1/csw, now http://127.0.0.1:2/csw)"],
  );
  assert.is(planFromHistory(source, [history[0], history[1]], { now }).mode, 'full', 'no complete full run');
  const suspect = planFromHistory(source, [ran('2026-12-05T01:00:00Z', { status: 'suspect' }), ...history], { now });
  assert.equal([suspect.mode, suspect.watermark], ['full', '2026-12-05T01:00:00Z']);
  assert.match(suspect.reason, /was suspect/);
});

test('sources: incremental, fullEvery and deletionGrace checked, with precise messages', () => {
  const ok = checkSource({ id: 'a', type: 'csw', url: 'http://x/csw', incremental: false, fullEvery: '12h', deletionGrace: '0' });
  assert.equal(ok.problems, []);
  const bad = checkSource({ id: 'a', type: 'csw', url: 'http://x/csw', incremental: 'yes', fullEvery: 'weekly', deletionGrace: 7 });
  assert.equal(bad.problems, [
    'incremental: must be true or false (got "yes")',
    'fullEvery: must be a duration such as "7d", "12h", "30m", "90s" or "0" (got "weekly")',
    'deletionGrace: must be a duration such as "7d", "12h", "30m", "90s" or "0" (got 7)',
  ]);
});

test('raw hash: what the crosswalk reads, not where in the source the record was', () => {
  const raw = { source: 's', body: '<x/>', location: 'http://h/csw page 1 record 2', id: 'x' };
  assert.is(rawRecordHash(raw), rawRecordHash({ ...raw, location: 'http://h/csw page 9 record 1' }));
  assert.is.not(rawRecordHash(raw), rawRecordHash({ ...raw, body: '<x />' }));
  assert.is.not(rawRecordHash(raw), rawRecordHash({ ...raw, context: { collection: 'c' } }));
  assert.is(rawRecordHash({ ...raw, body: { b: 1, a: [1, 2] } }), rawRecordHash({ ...raw, body: { a: [1, 2], b: 1 } }));
});

test('incremental CSW run: asks with the Modified constraint and sees only the changed records; an unchanged full re-run maps and writes nothing', async () => {
  const alias = tempIndexName('incr-csw');
  const s = await csw();
  const first = await run(alias, src(s.url));
  assert.equal(counts(first), {
    status: 'ok',
    mode: 'full',
    seen: 60,
    mapped: 60,
    indexed: 60,
    new: 60,
    updated: 0,
    unchanged: 0,
    deleted: 0,
    withdrawn: 0,
    restored: 0,
    purged: 0,
    failed: 0,
  });
  assert.ok(
    s.pageRequests().every((r) => r.constraint === undefined),
    'the first run asks for everything',
  );

  // three records edited at the source since
  const changed = [4, 30, 59];
  for (const i of changed) s.records[i] = touched(s.records[i], new Date());
  const before = s.requests.length;
  const second = await run(alias, src(s.url));
  assert.equal(counts(second), {
    status: 'ok',
    mode: 'incremental',
    seen: 3,
    mapped: 3,
    indexed: 3,
    new: 0,
    updated: 3,
    unchanged: 0,
    deleted: 0,
    withdrawn: 0,
    restored: 0,
    purged: 0,
    failed: 0,
  });
  assert.is(second.since, new Date(Date.parse(first.startedAt) - WATERMARK_MARGIN_MS).toISOString());
  assert.equal(second.end, { complete: false, reason: 'incremental', message: `incremental harvest (modified since ${second.since})` });
  const pages = s.pageRequests().filter((r) => r.n > before);
  assert.ok(pages.length >= 1);
  for (const p of pages) {
    assert.is(p.modifiedSince, second.since, 'every page asks with the constraint');
    assert.match(p.constraint!, /apiso:Modified >= '/);
  }
  for (const i of changed) {
    const doc = await client.get<{ title: string[] }>({ index: alias, id: indexId(s.records[i]) });
    assert.match(doc._source!.title[0], /revised/);
  }
  assert.is((await recorded(alias, second.runId)).mode, 'incremental');

  // the same source again, every record asked for: nothing mapped, nothing written
  const v = await versions(alias);
  const third = await run(alias, src(s.url), { full: true });
  assert.equal(counts(third), {
    status: 'ok',
    mode: 'full',
    seen: 60,
    mapped: 0,
    indexed: 60,
    new: 0,
    updated: 0,
    unchanged: 60,
    deleted: 0,
    withdrawn: 0,
    restored: 0,
    purged: 0,
    failed: 0,
  });
  assert.equal(await versions(alias), v, 'no document was written');

  // and incremental again with nothing changed: only the records stamped within the safety margin (1 h before the
  // last run) come back, and they are left out by their raw hash: nothing mapped
  const fourth = await run(alias, src(s.url));
  assert.equal([fourth.status, fourth.mode, fourth.seen, fourth.mapped, fourth.unchanged], ['ok', 'incremental', 3, 0, 3]);
  assert.equal(await versions(alias), v, 'no document was written');
});

test('an incremental run never withdraws: records gone from the source stay until a full run', async () => {
  const alias = tempIndexName('incr-never');
  const s = await csw();
  assert.is((await run(alias, src(s.url))).new, 60);
  s.records = s.records.slice(0, 55);
  const inc = await run(alias, src(s.url));
  assert.is(inc.mode, 'incremental');
  assert.equal([inc.status, inc.deleted, inc.withdrawn], ['ok', 0, 0]);
  assert.match(inc.deletion ?? '', /incremental/);
  assert.is(await count(alias), 60);
  // the full run withdraws the 5 (within the guard: 8% of 60)
  const full = await run(alias, src(s.url), { full: true });
  assert.equal([full.status, full.mode, full.deleted, full.withdrawn], ['ok', 'full', 5, 5]);
  assert.is(await count(alias), 55);
});

test('a record that disappears is withdrawn (hidden, deleted in OAI-PMH, kept), restored when it comes back within its grace, purged after it', async () => {
  const alias = tempIndexName('incr-grace');
  const s = await csw();
  const app = await server(alias);
  const gone = s.records[10];
  const briefly = s.records[20];
  assert.is((await run(alias, src(s.url, { deletionGrace: '1h' }))).new, 60);
  const title = ((await client.get<{ title: string[] }>({ index: alias, id: indexId(gone) }))._source!.title[0] ?? '').split(' ')[0];
  void title;
  const searchedBefore = await searchTotal(app, gone.id);
  assert.is(searchedBefore, 1, 'found by its identifier');

  // 1. two records leave the source: withdrawn, not deleted
  s.records = s.records.filter((r) => r !== gone && r !== briefly);
  const w = await run(alias, src(s.url, { deletionGrace: '1h' }), { full: true });
  assert.equal(counts(w), {
    status: 'ok',
    mode: 'full',
    seen: 58,
    mapped: 0,
    indexed: 58,
    new: 0,
    updated: 0,
    unchanged: 58,
    deleted: 2,
    withdrawn: 2,
    restored: 0,
    purged: 0,
    failed: 0,
  });
  assert.not.ok(await live(alias, gone));
  assert.is(await searchTotal(app, gone.id), 0, 'hidden from search');
  const stone = await tombstone(alias, gone);
  assert.is(stone?.state, 'withdrawn');
  assert.ok(Date.parse(stone!.grace_until!) > Date.now() + 3_000_000, 'withdrawn for the grace of 1h');
  assert.is((stone!.record as { identifier?: string }).identifier, indexId(gone), 'the record is kept');
  let headers = await oaiHeaders(app);
  assert.is(headers.get(indexId(gone))?.status, 'deleted', 'OAI-PMH reports it deleted');
  assert.is(headers.get(indexId(briefly))?.status, 'deleted');
  const withdrawnAt = headers.get(indexId(briefly))!.datestamp;

  // 2. one comes back within its grace: restored (not new), with a datestamp after its withdrawal
  s.records.splice(20, 0, briefly);
  const back = await run(alias, src(s.url, { deletionGrace: '1h' }), { full: true });
  assert.equal(counts(back), {
    status: 'ok',
    mode: 'full',
    seen: 59,
    mapped: 1,
    indexed: 59,
    new: 0,
    updated: 0,
    unchanged: 58,
    deleted: 0,
    withdrawn: 0,
    restored: 1,
    purged: 0,
    failed: 0,
  });
  assert.ok(await live(alias, briefly));
  assert.is(await tombstone(alias, briefly), undefined, 'its tombstone is gone');
  assert.is(await searchTotal(app, briefly.id), 1);
  headers = await oaiHeaders(app);
  assert.is(headers.get(indexId(briefly))?.status, undefined, 'live again in OAI-PMH');
  assert.ok(headers.get(indexId(briefly))!.datestamp >= withdrawnAt, 'its datestamp moved on');
  assert.is(headers.get(indexId(gone))?.status, 'deleted');

  // 3. a run within the grace purges nothing
  const within = await run(alias, src(s.url, { deletionGrace: '1h' }), { full: true });
  assert.equal([within.status, within.purged, within.withdrawn, within.restored], ['ok', 0, 0, 0]);
  assert.is((await tombstone(alias, gone))?.state, 'withdrawn');

  // 4. another record leaves with a grace of 1 s; once it has passed, the next full run purges it (and only it)
  const short = s.records[40];
  s.records = s.records.filter((r) => r !== short);
  const w2 = await run(alias, src(s.url, { deletionGrace: '1s' }), { full: true });
  assert.equal([w2.status, w2.withdrawn, w2.purged], ['ok', 1, 0]);
  await new Promise((r) => setTimeout(r, 1500));
  const after = await run(alias, src(s.url, { deletionGrace: '1s' }), { full: true });
  assert.equal([after.status, after.withdrawn, after.purged, after.restored], ['ok', 0, 1, 0]);
  const purged = await tombstone(alias, short);
  assert.is(purged?.state, 'deleted');
  assert.is(purged?.record, undefined, 'the kept record is dropped');
  assert.is(purged?.grace_until, undefined);
  assert.is((await tombstone(alias, gone))?.state, 'withdrawn', 'a record within its grace (1h) is never purged');
  headers = await oaiHeaders(app);
  assert.is(headers.get(indexId(short))?.status, 'deleted');
  assert.is(await count(alias), 58);

  // 5. purge by hand (harvester purge): nothing is due
  assert.equal(await purgeWithdrawn(client, alias, { source: 'src' }), { purged: 0, restored: 0 });
  assert.equal(await purgeWithdrawn(client, alias, { source: 'src', now: new Date(Date.now() + 7_200_000).toISOString() }), {
    purged: 1,
    restored: 0,
  });
  assert.is((await tombstone(alias, gone))?.state, 'deleted');
});

test('a record deleted at once (grace 0) or purged that comes back is counted restored, not new; a record never seen is new', async () => {
  const alias = tempIndexName('incr-back');
  const s = await csw();
  assert.is((await run(alias, src(s.url))).new, 60);
  const gone = s.records[5];
  const purged = s.records[15];
  s.records = s.records.filter((r) => r !== gone);
  const d = await run(alias, src(s.url, { deletionGrace: '0s' }), { full: true });
  assert.equal([d.status, d.deleted, d.withdrawn], ['ok', 1, 0]);
  assert.is((await tombstone(alias, gone))?.state, 'deleted');
  // another leaves with a grace of 1 s, and is purged by hand once it has passed
  s.records = s.records.filter((r) => r !== purged);
  assert.is((await run(alias, src(s.url, { deletionGrace: '1s' }), { full: true })).withdrawn, 1);
  assert.equal(await purgeWithdrawn(client, alias, { source: 'src', now: new Date(Date.now() + 5000).toISOString() }), {
    purged: 1,
    restored: 0,
  });
  // both come back, with one record the index never had
  s.records = [...s.records, gone, purged, ...generatedRecords(1, 60)];
  const back = await run(alias, src(s.url), { full: true });
  assert.equal(counts(back), {
    status: 'ok',
    mode: 'full',
    seen: 61,
    mapped: 3,
    indexed: 61,
    new: 1,
    updated: 0,
    unchanged: 58,
    deleted: 0,
    withdrawn: 0,
    restored: 2,
    purged: 0,
    failed: 0,
  });
  assert.is(back.indexed, back.new + back.restored! + back.updated + back.unchanged);
  assert.is(await tombstone(alias, gone), undefined, 'its tombstone is gone');
  assert.is(await tombstone(alias, purged), undefined);
  assert.equal(counts(await recorded(alias, back.runId)), counts(back), 'recorded as such');
  // a later run brings nothing back
  assert.equal([(await run(alias, src(s.url), { full: true })).restored, (await recorded(alias, back.runId)).new], [0, 1]);
});

test('never withdrawn after a source that answers with far fewer records: the guard holds, the run is suspect', async () => {
  const alias = tempIndexName('incr-guard');
  const s = await csw();
  assert.is((await run(alias, src(s.url))).new, 60);
  s.records = s.records.slice(0, 20);
  const r = await run(alias, src(s.url), { full: true });
  assert.equal([r.status, r.deleted, r.withdrawn, r.purged], ['suspect', 0, 0, 0]);
  assert.is(await count(alias), 60);
  s.records = [];
  const empty = await run(alias, src(s.url), { full: true });
  assert.equal([empty.deleted, empty.withdrawn], [0, 0]);
  assert.is(await count(alias), 60);
  // the next run (not asked to be full) checks the whole source again: still suspect, not an incremental "ok" of 0 records
  const next = await run(alias, src(s.url));
  assert.equal([next.mode, next.status, next.deleted], ['full', 'suspect', 0]);
  assert.match(next.plan ?? '', /was suspect/);
  // the source is back: the full run is ok, and the runs after it are incremental again
  s.records = catalogue;
  const back = await run(alias, src(s.url));
  assert.equal([back.mode, back.status], ['full', 'ok']);
  assert.is((await run(alias, src(s.url))).mode, 'incremental');
});

test('deletionGrace 0: records missing from a full run are deleted at once (tombstone deleted), as before', async () => {
  const alias = tempIndexName('incr-nograce');
  const s = await csw();
  assert.is((await run(alias, src(s.url, { deletionGrace: '0' }))).new, 60);
  const gone = s.records[7];
  s.records = s.records.filter((r) => r !== gone);
  const r = await run(alias, src(s.url, { deletionGrace: '0' }), { full: true });
  assert.equal([r.status, r.deleted, r.withdrawn], ['ok', 1, 0]);
  assert.is((await tombstone(alias, gone))?.state, 'deleted');
});

test.run();
