/**
 * Issue 9's fault-injection run as tests: a CSW of our own serving 300 generated ISO records in pages of 25
 * (test/helpers/fault-csw.ts), a STAC API replay (fault-stac.ts) and a TCP proxy in front of the real Elasticsearch
 * node (es-proxy.ts), switched between faults while the real pipeline runs; every scenario checks the exact counts in
 * the index and in the run record.
 *
 * Elasticsearch outages are scaled by HUB_FAULT_SCALE (default 0.1: "paused 60 s" pauses 6 s, with the indexer's
 * patience, the lock's ttl and the heartbeat scaled alike); HUB_FAULT_SCALE=1 runs them at full length.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@elastic/elasticsearch';
import { harvestSource, type HarvestOptions, type RunSummary } from '../../pipelines/harvest.js';
import { gracefulStop, harvestAll, runEndLine } from '../../pipelines/harvest-all.js';
import { currentLock } from '../../pipelines/locks.js';
import type { Logger } from '../../pipelines/log.js';
import { deadRun, formatDuration, formatSummary, latestRuns, runsIndex } from '../../pipelines/runs.js';
import type { SourceConfig } from '../../pipelines/sources.js';
import { formatStatus, sourcesStatus } from '../../pipelines/status.js';
import { sourceRunsPage } from '../../api/pages/operators-page.js';
import { harvesterBin } from '../helpers/bin.js';
import { esProxy } from '../helpers/es-proxy.js';
import { faultyCsw, generatedRecords, type CswRequest, type FaultyCsw } from '../helpers/fault-csw.js';
import { faultyStac } from '../helpers/fault-stac.js';
import { deleteIndices, esClient, esUrl, tempIndexName } from '../helpers/services.js';

const SCALE = Number(process.env.HUB_FAULT_SCALE ?? 0.1);
const scaled = (ms: number) => Math.round(ms * SCALE);
const client = await esClient();
const ES = await esUrl();
const reports = mkdtempSync(join(tmpdir(), 'hub-faults-'));
const bin = harvesterBin();
/** 315 generated records: the source has the first 300; the last 15 are what a newer state of it adds. */
const catalogue = generatedRecords(315);
const base = catalogue.slice(0, 300);

let t0 = 0;
test.before.each(() => {
  t0 = Date.now();
});
test.after.each((ctx) => {
  if (process.env.HUB_FAULT_TIMES) console.log(`\n${((Date.now() - t0) / 1000).toFixed(1)}s ${ctx.__test__}`);
});
test.after(async () => {
  bin.cleanup();
  rmSync(reports, { recursive: true, force: true });
  await deleteIndices(client, 'test-faults-*');
});

/** A logger that keeps its lines (and writes nothing). */
function memoryLog(): Logger & { lines: { level: string; msg: string }[] } {
  const lines: { level: string; msg: string }[] = [];
  const log = (level: string, msg: string) => void lines.push({ level, msg });
  return {
    json: true,
    lines,
    log,
    info: (m) => log('info', m),
    warn: (m) => log('warn', m),
    error: (m) => log('error', m),
    progress: () => ({ update() {}, stop() {} }),
  };
}

const src = (url: string, options: Record<string, unknown> = {}, extra: Partial<SourceConfig> = {}): SourceConfig => ({
  id: 'src',
  type: 'csw',
  url,
  options: { pageSize: 25, ...options, http: { retryDelayMs: 10, ...(options.http as object) } },
  ...extra,
});
// (full runs: these scenarios are about what a complete run may remove; incremental runs: test/pipelines/incremental)
const run = (alias: string, source: SourceConfig, o: Partial<HarvestOptions> = {}) =>
  harvestSource(source, { client, alias, log: memoryLog(), reportDir: reports, mapWorkers: 0, full: true, ...o });

async function count(alias: string): Promise<number> {
  await client.indices.refresh({ index: alias });
  return (await client.count({ index: alias })).count;
}
const has = async (alias: string, i: number) => (await client.exists({ index: alias, id: `src:${catalogue[i].id}` })) === true;

/** The run as recorded in <alias>-runs. */
async function recorded(alias: string, runId: string): Promise<RunSummary | undefined> {
  await client.indices.refresh({ index: runsIndex(alias) });
  const got = await client.get<RunSummary>({ index: runsIndex(alias), id: runId }, { ignore: [404] });
  return got.found ? got._source : undefined;
}

const COUNTS = ['status', 'seen', 'indexed', 'new', 'restored', 'updated', 'unchanged', 'deleted', 'failed', 'skipped'] as const;
const counts = (s: Pick<RunSummary, (typeof COUNTS)[number]>) => Object.fromEntries(COUNTS.map((k) => [k, s[k]]));

/** The summary's counts are `expected`, and the run document in the index says the same. */
async function expectRun(alias: string, s: RunSummary, expected: Partial<Record<(typeof COUNTS)[number], unknown>>): Promise<void> {
  const full = { seen: 0, indexed: 0, new: 0, restored: 0, updated: 0, unchanged: 0, deleted: 0, failed: 0, skipped: 0, ...expected };
  assert.equal(counts(s), { ...full, status: expected.status }, `${s.error ?? ''} ${s.deletion ?? ''}`);
  const doc = await recorded(alias, s.runId);
  assert.ok(doc, 'the run is recorded');
  assert.equal(counts(doc), counts(s), 'the run record says what the summary says');
}

/** A CSW of the 300 records, and an index where one complete run has put them all. */
async function seeded(): Promise<{ alias: string; csw: FaultyCsw }> {
  const alias = tempIndexName('faults');
  const csw = await faultyCsw({ records: base, pageCap: 25 });
  const first = await run(alias, src(csw.url));
  await expectRun(alias, first, { status: 'ok', seen: 300, indexed: 300, new: 300 });
  csw.requests.length = 0;
  return { alias, csw };
}

/** Resolves when the CSW receives a request that `when` accepts; rejects when none came within `ms` (no test hangs). */
function requested(csw: FaultyCsw, when: (r: CswRequest) => boolean, ms = 60_000): Promise<CswRequest> {
  return new Promise((resolve, reject) => {
    const before = csw.onRequest;
    const timer = setTimeout(() => reject(new Error(`the awaited request did not come within ${ms / 1000} s`)), ms);
    csw.onRequest = (r) => {
      before?.(r);
      if (when(r)) {
        clearTimeout(timer);
        resolve(r);
      }
    };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Found 1: a failed record's previous version was deleted
// ---------------------------------------------------------------------------------------------------------------

test('1. an undeclared entity in one fileIdentifier: that record fails, its previous version stays, nothing is removed', async () => {
  const { alias, csw } = await seeded();
  try {
    csw.spoil(base[51].id, 'entity-in-id');
    const s = await run(alias, src(csw.url));
    await expectRun(alias, s, { status: 'partial', seen: 300, indexed: 299, unchanged: 299, failed: 1 });
    const f = s.failures[0];
    assert.equal([f.stage, f.id, f.idText, f.indexId], ['parse', undefined, `${base[51].id}&undeclared;`, undefined]);
    assert.match(s.deletion ?? '', /^1 failed record\(s\) could not be tied to an indexed record for certain .*: nothing removed$/);
    // every screen names the failed record by what its identifier looked like (the text to look for at the source),
    // as the run's warning does: GET /status and harvester status, the run's end in the log, the operators' pages
    const named = `"${base[51].id}&undeclared;" (identifier not read for certain): `;
    const [st] = await sourcesStatus(client, alias, [src(csw.url)]);
    assert.ok(st.lastRun?.firstError?.startsWith(named), st.lastRun?.firstError);
    assert.match(runEndLine(s).message, `first failure: ${named}`);
    const page = sourceRunsPage({ lang: 'en', explicitLang: false, url: '/operators/sources/src', report: () => undefined }, 'src', [s]);
    assert.match(String(page), `<code>&quot;${base[51].id}&amp;undeclared;&quot; (identifier not read for certain)</code>`);
    assert.is(await count(alias), 300);
    assert.ok(await has(alias, 51), 'the previous version of record 52 is kept');
  } finally {
    await csw.close();
  }
});

test('1. a failure tied to its record for certain (no identificationInfo) keeps it, and removal still goes on', async () => {
  const { alias, csw } = await seeded();
  try {
    csw.spoil(base[99].id, 'no-identification');
    csw.records = base.slice(0, 297); // 3 records (1%) gone from the source
    const s = await run(alias, src(csw.url));
    await expectRun(alias, s, { status: 'partial', seen: 297, indexed: 296, unchanged: 296, deleted: 3, failed: 1 });
    assert.equal([s.failures[0].stage, s.failures[0].id, s.failures[0].indexId], ['map', base[99].id, `src:${base[99].id}`]);
    assert.is(await count(alias), 297);
    assert.ok(await has(alias, 99), 'the failed record keeps its previous version');
    assert.not.ok(await has(alias, 299), 'a record the source no longer has is removed');
  } finally {
    await csw.close();
  }
});

// ---------------------------------------------------------------------------------------------------------------
// Found 2: two harvests of one source at once
// ---------------------------------------------------------------------------------------------------------------

test('2. two runs of one source at once: the second is refused naming the first, or waits for it when asked', async () => {
  const alias = tempIndexName('faults');
  const older = await faultyCsw({ records: base, pageCap: 25 }); // the source as it was, slow
  const newer = await faultyCsw({ records: catalogue, pageCap: 25 }); // the source with 15 records more
  older.fault = (r) => (r.op === 'GetRecords' ? { delayMs: 150 } : undefined);
  try {
    const a = run(alias, src(older.url));
    await requested(older, (r) => r.op === 'GetRecords' && r.start === 51);
    const b = await run(alias, src(newer.url));
    assert.is(b.status, 'refused');
    assert.match(
      b.error ?? '',
      /^source "src" is being harvested by run [0-9a-f-]{36} \(pid \d+ on [^)]+\) since .*: not started \(harvest --wait waits for it/,
    );
    assert.is(await recorded(alias, b.runId), undefined, 'a refused run is not recorded');
    const first = await a;
    await expectRun(alias, first, { status: 'ok', seen: 300, indexed: 300, new: 300 });
    assert.is(await count(alias), 300);
    assert.is(await currentLock(client, alias, 'src'), undefined, 'the lock is released');

    // asked to wait: the newer run starts when the older one ends, and its 15 new records stay
    const again = run(alias, src(older.url));
    await requested(older, (r) => r.op === 'GetRecords' && r.start === 51);
    const waited = await run(alias, src(newer.url), { waitForLockMs: 120_000 });
    const olderAgain = await again;
    assert.is(olderAgain.status, 'ok');
    assert.ok(Date.parse(waited.startedAt) < Date.parse(olderAgain.endedAt!));
    // (every record comes from another server address: all "updated")
    await expectRun(alias, waited, { status: 'ok', seen: 315, indexed: 315, new: 15, updated: 300 });
    assert.is(await count(alias), 315);
  } finally {
    await older.close();
    await newer.close();
  }
});

// ---------------------------------------------------------------------------------------------------------------
// Found 3: one bad spot ended the whole harvest
// ---------------------------------------------------------------------------------------------------------------

for (const fault of ['truncated', 'doctype-entities', 'mismatched-tag'] as const) {
  test(`3. one bad record on page 3 (${fault}): read around it, reported with its position, the rest harvested, nothing removed`, async () => {
    const { alias, csw } = await seeded();
    try {
      csw.spoil(base[59].id, fault);
      const s = await run(alias, src(csw.url));
      await expectRun(alias, s, { status: 'partial', seen: 300, indexed: 299, unchanged: 299, failed: 1 });
      assert.equal(s.end, { complete: false, reason: 'unreadable', message: '1 record(s) could not be read (positions 60)' });
      const f = s.failures[0];
      assert.is(f.location, `${csw.url} page 3 (startPosition 51) record 10 (position 60 in the result set)`);
      assert.match(f.error, `GetRecords ${csw.url}?service=CSW&version=2.0.2&request=GetRecords&`);
      assert.match(s.deletion ?? '', /did not see the whole source \(unreadable: .*\): nothing removed/);
      assert.is(await count(alias), 300);
      assert.ok(await has(alias, 59), 'its previous version is kept');
      assert.is(csw.pageRequests().at(-1)!.start, 276, 'pages 4 to 12 harvested');
    } finally {
      await csw.close();
    }
  });
}

test('3. the bad record readable by GetRecordById: nothing lost, the run complete', async () => {
  const { alias, csw } = await seeded();
  try {
    csw.spoil(base[59].id, 'truncated', { byId: false });
    const s = await run(alias, src(csw.url));
    // (read by GetRecordById, it is the same record from the same address: unchanged)
    await expectRun(alias, s, { status: 'ok', seen: 300, indexed: 300, unchanged: 300 });
    assert.equal(s.end, { complete: true });
  } finally {
    await csw.close();
  }
});

// ---------------------------------------------------------------------------------------------------------------
// Found 4: a source that suddenly returns nothing or 40% ended `ok`
// ---------------------------------------------------------------------------------------------------------------

test('4. a source that returns nothing, 40% or 55% of its records: suspect, nothing removed; 5% goes, warned', async () => {
  const { alias, csw } = await seeded();
  try {
    for (const n of [0, 120, 165]) {
      csw.records = base.slice(0, n);
      const s = await run(alias, src(csw.url));
      await expectRun(alias, s, { status: 'suspect', seen: n, indexed: n, unchanged: n });
      assert.is(s.stale, 300 - n);
      assert.match(s.deletion ?? '', `${300 - n} of 300 records (${Math.round(((300 - n) / 300) * 100)}%) are no longer in the source`);
      assert.match(s.deletion ?? '', /kept, the run is suspect/);
      assert.is(await count(alias), 300);
    }
    // the guard of a source (sources file), or of the command, decides: 45% may go when the source allows half
    csw.records = base.slice(0, 165);
    const allowed = await run(alias, src(csw.url, {}, { maxDeleteRatio: 0.5 }));
    await expectRun(alias, allowed, { status: 'ok', seen: 165, indexed: 165, unchanged: 165, deleted: 135 });
    assert.is(await count(alias), 165);
    // the 135 come back: restored (their tombstones removed), not new
    csw.records = base;
    await expectRun(alias, await run(alias, src(csw.url)), { status: 'ok', seen: 300, indexed: 300, unchanged: 165, restored: 135 });
    // 5%: within the default 10%, removed, with a warning; a count caps it too
    csw.records = base.slice(0, 285);
    const capped = await run(alias, src(csw.url, {}, { maxDeleteCount: 10 }));
    await expectRun(alias, capped, { status: 'suspect', seen: 285, indexed: 285, unchanged: 285 });
    assert.match(capped.deletion ?? '', 'more than the 10 one run may remove (maxDeleteRatio 0.1, maxDeleteCount 10)');
    const five = await run(alias, src(csw.url));
    await expectRun(alias, five, { status: 'ok', seen: 285, indexed: 285, unchanged: 285, deleted: 15 });
    assert.ok(
      five.notices.some(
        (n) =>
          n.level === 'warn' &&
          /^withdrew 15 of 300 records \(5%\) that the source no longer has: purged from \d{4}-\d{2}-\d{2} unless they come back$/.test(
            n.message,
          ),
      ),
    );
    assert.is(await count(alias), 285);
    for (const i of [284, 285, 299]) assert.is(await has(alias, i), i < 285, `record ${i + 1}`);
  } finally {
    await csw.close();
  }
});

test('4. the command exits 1 on a suspect run', async () => {
  const { alias, csw } = await seeded();
  try {
    const args = [
      'harvest',
      '--full',
      '--url',
      csw.url,
      '--type',
      'csw',
      '--id',
      'src',
      '--alias',
      alias,
      '--es',
      ES,
      '--report-dir',
      reports,
    ];
    csw.records = base.slice(0, 120);
    const r = await bin.runAsync({}, ...args);
    assert.is(r.code, 1, r.err);
    const summary = r.lines.find((l: RunSummary) => l.runId);
    assert.equal([summary.status, summary.deleted, summary.stale], ['suspect', 0, 180]);
    assert.is(await count(alias), 300);
  } finally {
    await csw.close();
  }
});

// ---------------------------------------------------------------------------------------------------------------
// Found 5: runs that die left no trace
// ---------------------------------------------------------------------------------------------------------------

test('5. killed with kill -9 mid-run: the next start marks it aborted, takes its lock over at once and harvests it all', async () => {
  const alias = tempIndexName('faults');
  const csw = await faultyCsw({ records: base, pageCap: 25 });
  csw.fault = (r) => (r.op === 'GetRecords' ? { delayMs: 200 } : undefined);
  try {
    const child = spawn(bin.path, ['harvest', '--full', '--url', csw.url, '--type', 'csw', '--id', 'src', '--alias', alias, '--es', ES], {
      stdio: 'ignore',
      env: { ...process.env, HUB_MAP_WORKERS: '0' },
    });
    const exited = new Promise((r) => child.on('exit', r));
    await requested(csw, (r) => r.op === 'GetRecords' && r.start === 126);
    const running = await latestRuns(client, alias);
    assert.equal(
      running.map((r) => [r.status, r.owner.pid]),
      [['running', child.pid]],
      'the run was recorded when it started',
    );
    child.kill('SIGKILL');
    await exited;
    const killedRun = running[0].runId;
    assert.is((await currentLock(client, alias, 'src'))?.holderGone, true);
    // killed before its first heartbeat (10 s) after 125 records: its document has no counts. What harvester status,
    // GET /status and the operators' page show of it says "unknown", never "seen 0" (the source had nothing)
    assert.is(running[0].countedAt, undefined);
    const [st] = await sourcesStatus(client, alias, [src(csw.url)]);
    assert.equal([st.lastRun?.status, st.lastRun?.countsUnknown], ['aborted', true]);
    const statusRow = formatStatus([st])
      .split('\n')[2]
      .split(/\s{2,}/);
    assert.equal(statusRow.slice(4, 11), ['?', '?', '?', '?', '?', '?', '?'], formatStatus([st]));
    assert.match(st.lastRun?.firstError ?? '', 'how many records it saw is unknown');
    const dead = deadRun(running[0])!;
    const page = String(sourceRunsPage({ lang: 'en', explicitLang: false, url: '/', report: () => undefined }, 'src', [dead]));
    assert.match(page, '<abbr title="unknown">?</abbr>');
    assert.match(page, 'How many records this run saw is unknown');
    assert.not.match(page, /<td class="num">0<\/td>/);
    const before = await count(alias);
    csw.fault = undefined;
    const log = memoryLog();
    const [s] = await harvestAll([src(csw.url)], { client, alias }, log, { reportDir: reports, mapWorkers: 0 });
    await expectRun(alias, s, { status: 'ok', seen: 300, indexed: 300, new: 300 - before, unchanged: before });
    const killed = await recorded(alias, killedRun);
    assert.equal([killed?.status, killed?.countsUnknown], ['aborted', true]);
    const table = formatSummary([killed!], { started: true }).split('\n');
    assert.equal(table[2].split(/\s{2,}/).slice(3), ['?', '?', '?', '?', '?', '?', '?', '?', '?', formatDuration(killed!.ms), '-']);
    assert.ok(s.countedAt, 'a run that ends records when it counted');
    assert.match(killed?.error ?? '', `its process (pid ${child.pid} on `);
    assert.ok(
      log.lines.some((l) =>
        new RegExp(`took over the lock of run ${killedRun} \\(pid ${child.pid} on .*\\): its process is gone`).test(l.msg),
      ),
      JSON.stringify(log.lines),
    );
    assert.is(await count(alias), 300);
  } finally {
    await csw.close();
  }
});

test('5/7. Elasticsearch gone at the end of a source: its summary and a local record naming the step; the next source runs', async () => {
  const alias = tempIndexName('faults');
  const proxy = await esProxy(ES);
  const viaProxy = new Client({ node: proxy.url, maxRetries: 0, requestTimeout: 5000 });
  const first = await faultyCsw({ records: base.slice(0, 100), pageCap: 25 });
  const second = await faultyCsw({ records: catalogue.slice(100, 150), pageCap: 25 });
  // the node goes away once the first source has served its last page: its last batch, the refresh, the removal
  // and the run record all meet a node that is gone
  first.onRequest = (r) => {
    if (r.op === 'GetRecords' && r.start === 76) proxy.down();
  };
  try {
    const dir = mkdtempSync(join(reports, 'local-'));
    const summaries = await harvestAll([src(first.url), { ...src(second.url), id: 'second' }], { client: viaProxy, alias }, memoryLog(), {
      reportDir: dir,
      indexRetryBudgetMs: 1000,
      recordTimeoutMs: 2000,
      onRun: () => void proxy.up(),
    });
    assert.is(summaries.length, 2, 'every source has its summary');
    const [a, b] = summaries;
    assert.equal(counts(a), {
      status: 'failed',
      seen: 100,
      indexed: 0,
      new: 0,
      restored: 0,
      updated: 0,
      unchanged: 0,
      deleted: 0,
      failed: 100,
      skipped: 0,
    });
    assert.is(a.step, 'index');
    assert.match(
      a.error ?? '',
      /^Elasticsearch: ConnectionError: .*ECONNREFUSED.*; then step "record the run" failed: Elasticsearch: ConnectionError/,
    );
    assert.is(a.deletion, 'the run did not complete: nothing removed');
    assert.ok(a.failures.every((f) => f.stage === 'index' && f.indexId?.startsWith('src:')));
    assert.ok(a.localRecord && existsSync(a.localRecord));
    assert.equal(JSON.parse(readFileSync(a.localRecord, 'utf8')).status, 'failed');
    assert.ok(
      a.reportFile && readFileSync(a.reportFile, 'utf8').trim().split('\n').length === 100,
      'the 100 records in the failure report',
    );
    await expectRun(alias, b, { status: 'ok', seen: 50, indexed: 50, new: 50 });
    // in the index the first run still says running; the next start puts the local record in its place
    assert.is((await recorded(alias, a.runId))?.status, 'running');
    await harvestAll([], { client, alias }, memoryLog(), { reportDir: dir });
    assert.equal(counts((await recorded(alias, a.runId))!), counts(a));
    assert.equal(
      readdirSync(dir).filter((f) => f.endsWith('.run.recorded.json')),
      [a.localRecord.split('/').at(-1)!.replace('.run.json', '.run.recorded.json')],
    );
  } finally {
    await viaProxy.close();
    await proxy.close();
    await first.close();
    await second.close();
  }
});

test('5. the command with Elasticsearch gone mid-run: the summary on stdout names the step, the run recorded on disk, exit 1', async () => {
  const alias = tempIndexName('faults');
  const proxy = await esProxy(ES);
  const csw = await faultyCsw({ records: base.slice(0, 100), pageCap: 25 });
  csw.onRequest = (r) => {
    if (r.op === 'GetRecords' && r.start === 76) proxy.down();
  };
  const dir = mkdtempSync(join(reports, 'cli-'));
  try {
    const r = await bin.runAsync(
      { env: { HUB_INDEX_RETRY_S: '1' } },
      ...['harvest', '--full', '--url', csw.url, '--type', 'csw', '--id', 'src', '--alias', alias, '--es', proxy.url, '--report-dir', dir],
    );
    assert.is(r.code, 1, r.err);
    const summary = r.lines.find((l: RunSummary) => l.runId) as RunSummary;
    assert.equal([summary.status, summary.step, summary.failed], ['failed', 'index', 100]);
    assert.match(summary.error ?? '', /^Elasticsearch: ConnectionError/);
    assert.ok(summary.localRecord && existsSync(summary.localRecord));
    assert.ok(
      r.errLines.some((l) => /step \\?"write the last records to the index\\?" failed: Elasticsearch: ConnectionError/.test(l)),
      r.err,
    );
  } finally {
    await proxy.close();
    await csw.close();
  }
});

test('5/7. SIGTERM lets the run end for the grace then abandons it; a second SIGTERM abandons it at once: recorded interrupted', async () => {
  for (const how of ['grace', 'twice'] as const) {
    const alias = tempIndexName('faults');
    const csw = await faultyCsw({ records: base, pageCap: 25 });
    csw.fault = (r) => (r.op === 'GetRecords' ? { delayMs: 300 } : undefined);
    try {
      const child = spawn(
        bin.path,
        [
          'harvest',
          '--url',
          csw.url,
          '--type',
          'csw',
          '--id',
          'src',
          '--alias',
          alias,
          '--es',
          ES,
          '--grace',
          how === 'grace' ? '1' : '30',
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
      await requested(csw, (r) => r.op === 'GetRecords' && r.start === 76);
      const t0 = Date.now();
      child.kill('SIGTERM');
      if (how === 'twice') {
        await new Promise((r) => setTimeout(r, 300));
        child.kill('SIGTERM');
      }
      const code = await exited;
      const took = Date.now() - t0;
      assert.is(code, 1);
      assert.ok(took < 10_000, `ended ${took} ms after the signal`);
      const s = JSON.parse(out.split('\n').find((l) => l.startsWith('{'))!) as RunSummary;
      assert.is(s.status, 'interrupted', how);
      assert.match(
        s.error ?? '',
        how === 'grace' ? 'stopped (SIGTERM received, and the grace of 1 s passed)' : 'stopped (SIGTERM received again)',
      );
      assert.is(s.deletion, 'the run was interrupted: nothing removed');
      const doc = await recorded(alias, s.runId);
      assert.equal(counts(doc!), counts(s));
      assert.ok(s.seen < 300);
      assert.is(await currentLock(client, alias, 'src'), undefined, 'the lock is released');
    } finally {
      await csw.close();
    }
  }
});

// ---------------------------------------------------------------------------------------------------------------
// Found 6: an mget item error counted a record "new"
// ---------------------------------------------------------------------------------------------------------------

test('6. the compared versions cannot be read (the index closed, then reopened): asked again, not counted new', async () => {
  const { alias, csw } = await seeded();
  const index = Object.keys(await client.indices.getAlias({ name: alias }))[0];
  try {
    await client.indices.close({ index });
    // reopened a while after the harvest has read its last page: its mget has met item errors by then
    csw.onRequest = (r) => {
      if (r.op === 'GetRecords' && r.start === 276) setTimeout(() => void client.indices.open({ index }), 1500);
    };
    const s = await run(alias, src(csw.url), { batchSize: 100 });
    await expectRun(alias, s, { status: 'ok', seen: 300, indexed: 300, unchanged: 300 });
    assert.is(await count(alias), 300);
  } finally {
    await client.indices.open({ index }).catch(() => undefined);
    await csw.close();
  }
});

// ---------------------------------------------------------------------------------------------------------------
// Found 7: timeouts
// ---------------------------------------------------------------------------------------------------------------

test('7. a page that hangs fails within the request budget (http.budgetMs), not after every attempt times out', async () => {
  const { alias, csw } = await seeded();
  try {
    csw.fault = (r) => (r.op === 'GetRecords' && r.start === 26 ? { hang: true } : undefined);
    const t0 = Date.now();
    const s = await run(alias, src(csw.url, { http: { timeoutMs: 500, budgetMs: 2000, retries: 10, retryDelayMs: 10 } }));
    const took = Date.now() - t0;
    assert.ok(took < 6000, `${took} ms`);
    await expectRun(alias, s, { status: 'failed', seen: 25, indexed: 25, unchanged: 25 });
    assert.is(s.step, 'harvest');
    assert.match(
      s.error ?? '',
      /^CSW GetRecords page 2 \(startPosition 26\): GET http:\/\/127\.0\.0\.1:\d+\/csw\?.*: no answer within 2000 ms \(http\.budgetMs\) over \d+ attempt\(s\)/,
    );
    assert.is(await count(alias), 300);
  } finally {
    await csw.close();
  }
});

test('7. a stop waits at most the grace, the run budget ends a run: both recorded interrupted, nothing removed', async () => {
  const { alias, csw } = await seeded();
  try {
    csw.fault = (r) => (r.op === 'GetRecords' && r.start === 101 ? { hang: true } : undefined);
    const stop = gracefulStop(1000);
    const out = harvestAll([src(csw.url)], { client, alias }, memoryLog(), { reportDir: reports, signal: stop.signal, full: true });
    await requested(csw, (r) => r.start === 101);
    const t0 = Date.now();
    stop.request('the scheduler was stopped');
    const [s] = await out;
    const took = Date.now() - t0;
    assert.ok(took >= 900 && took < 10_000, `the stop took ${took} ms`);
    // the 100 records read before the hang: passed on once the source was idle for a second (core/batches.ts
    // maxWaitMs), found unchanged, unless the run was abandoned before: then each is reported (raw input kept)
    const abandoned = async (r: RunSummary) => {
      await expectRun(alias, r, {
        status: 'interrupted',
        seen: 100,
        indexed: r.unchanged,
        unchanged: r.unchanged,
        failed: 100 - r.unchanged,
      });
      for (const f of r.failures) assert.is(f.error, 'not indexed: the run was interrupted before the mget was answered');
    };
    await abandoned(s);
    assert.is(s.error, 'stopped (the scheduler was stopped, and the grace of 1 s passed)');
    const budget = await run(alias, src(csw.url), { maxRunMs: 1500 });
    await abandoned(budget);
    assert.is(budget.error, "the run's time budget of 1.5s ran out (maxRunMinutes)");
    assert.is(await count(alias), 300);
  } finally {
    await csw.close();
  }
});

// ---------------------------------------------------------------------------------------------------------------
// Found 8: records that are not ISO were skipped silently
// ---------------------------------------------------------------------------------------------------------------

test('8. records in a format no crosswalk reads in a CSW page (DataCite): skipped, said once per kind, counted; Dublin Core ones are mapped', async () => {
  const { alias, csw } = await seeded();
  try {
    csw.spoil(base[10].id, 'unknown-format');
    csw.spoil(base[30].id, 'unknown-format');
    const log = memoryLog();
    const s = await run(alias, src(csw.url), { log });
    await expectRun(alias, s, { status: 'ok', seen: 300, indexed: 298, unchanged: 298, skipped: 2 });
    const said = log.lines.filter((l) => /skipped, not a record this harvester indexes/.test(l.msg));
    assert.is(said.length, 1);
    assert.match(said[0].msg, 'a <resource> (http://datacite.org/schema/kernel-4): not a record format this harvester knows');
    assert.is(await count(alias), 300, 'their previous versions are kept');
    // served as csw:Record (Dublin Core) instead: read by mappings/dc, no longer skipped (they were before it)
    csw.spoil(base[10].id, 'not-iso');
    csw.spoil(base[30].id, 'not-iso');
    const dc = await run(alias, src(csw.url));
    await expectRun(alias, dc, { status: 'ok', seen: 300, indexed: 300, updated: 2, unchanged: 298 });
    const got = await client.get<{ record: { isPrimaryTopicOf: { sourceFormat: string } } }>({ index: alias, id: `src:${base[10].id}` });
    assert.is(got._source!.record.isPrimaryTopicOf.sourceFormat, 'csw-record');
  } finally {
    await csw.close();
  }
});

// ---------------------------------------------------------------------------------------------------------------
// What held, and holds
// ---------------------------------------------------------------------------------------------------------------

test('held: 500 on every request, an HTML 502 page with status 200: the source fails, nothing removed', async () => {
  const { alias, csw } = await seeded();
  try {
    csw.fault = (r) => (r.op === 'GetRecords' ? { status: 500 } : undefined);
    const s = await run(alias, src(csw.url));
    await expectRun(alias, s, { status: 'failed' });
    assert.match(
      s.error ?? '',
      /^CSW GetRecords page 1 \(startPosition 1\): GET http:\/\/127\.0\.0\.1:\d+\/csw\?.*: HTTP 500 Internal Server Error \(after 4 attempts\)/,
    );
    csw.fault = (r) => (r.op === 'GetRecords' && r.start === 26 ? { html: true } : undefined);
    const html = await run(alias, src(csw.url));
    await expectRun(alias, html, { status: 'failed', seen: 25, indexed: 25, unchanged: 25 });
    assert.match(html.error ?? '', 'CSW GetRecords page 2 (startPosition 26) failed: an HTML page, not a CSW response: "502 Bad Gateway"');
    assert.is(await count(alias), 300);
  } finally {
    await csw.close();
  }
});

test('held: a 500 on one page then recovering: everything, unchanged', async () => {
  const { alias, csw } = await seeded();
  try {
    let errors = 0;
    csw.fault = (r) => (r.op === 'GetRecords' && r.start === 51 && errors++ < 2 ? { status: 500 } : undefined);
    await expectRun(alias, await run(alias, src(csw.url)), { status: 'ok', seen: 300, indexed: 300, unchanged: 300 });
  } finally {
    await csw.close();
  }
});

for (const [what, outage, how] of [
  ['paused 60 s', 60_000, 'pause'],
  ['killed and back after 30 s', 30_000, 'down'],
  ['killed and back after 70 s', 70_000, 'down'],
] as const) {
  test(`held: Elasticsearch ${what} (x${SCALE}) mid-run: ridden out, everything indexed`, async () => {
    const alias = tempIndexName('faults');
    const proxy = await esProxy(ES);
    const viaProxy = new Client({ node: proxy.url, requestTimeout: scaled(outage) + 30_000 });
    const csw = await faultyCsw({ records: base, pageCap: 25 });
    csw.onRequest = (r) => {
      if (r.op === 'GetRecords' && r.start === 126) {
        if (how === 'pause') proxy.pause();
        else proxy.down();
        setTimeout(() => void proxy.up(), scaled(outage));
      }
    };
    try {
      const s = await harvestSource(src(csw.url), {
        client: viaProxy,
        alias,
        log: memoryLog(),
        batchSize: 50,
        indexRetryBudgetMs: scaled(120_000),
        lockTtlMs: scaled(120_000),
        heartbeatMs: scaled(10_000),
      });
      await expectRun(alias, s, { status: 'ok', seen: 300, indexed: 300, new: 300 });
      assert.is(await count(alias), 300);
    } finally {
      await viaProxy.close();
      await proxy.close();
      await csw.close();
    }
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The STAC replay
// ---------------------------------------------------------------------------------------------------------------

test('STAC API: an items page failing (index mode) fails the source; a bad item or maxItems makes the run incomplete; a shrunken API is suspect', async () => {
  const alias = tempIndexName('faults');
  const stac = await faultyStac({ items: 120, limit: 20 });
  const source: SourceConfig = {
    id: 'stac',
    type: 'stac-api',
    url: stac.url,
    options: { items: 'index', limit: 20, http: { retries: 1, retryDelayMs: 10 } },
  };
  try {
    const first = await run(alias, source);
    await expectRun(alias, first, { status: 'ok', seen: 121, indexed: 121, new: 121 });
    stac.fault = (r) => (r.kind === 'items' && r.page === 3 ? { status: 500 } : undefined);
    const failed = await run(alias, source);
    await expectRun(alias, failed, { status: 'failed', seen: 41, indexed: 41, unchanged: 41 });
    assert.match(failed.error ?? '', /items\?limit=20&page=3: HTTP 500/);
    stac.fault = undefined;
    stac.badItem = 45;
    const bad = await run(alias, source);
    await expectRun(alias, bad, { status: 'partial', seen: 121, indexed: 120, unchanged: 120, failed: 1 });
    assert.match(bad.deletion ?? '', /could not be tied to an indexed record for certain/);
    stac.badItem = undefined;
    const capped = await run(alias, { ...source, options: { ...source.options, maxItems: 50 } });
    await expectRun(alias, capped, { status: 'partial', seen: 51, indexed: 51, unchanged: 51 });
    assert.equal(capped.end, { complete: false, reason: 'max-records', message: 'maxItems 50 reached' });
    stac.items = 60;
    const shrunk = await run(alias, source);
    await expectRun(alias, shrunk, { status: 'suspect', seen: 61, indexed: 61, unchanged: 61 });
    assert.is(shrunk.stale, 60);
    assert.is(await count(alias), 121);
  } finally {
    await stac.close();
  }
});

test.run();
