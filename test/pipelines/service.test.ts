/**
 * The harvest service (pipelines/service.ts) against the real Elasticsearch node and fault servers of our own on
 * loopback (test/helpers/fault-csw.ts, fault-stac.ts, es-proxy.ts): schedules with seconds (which runs happened when,
 * a slot skipped while the previous run goes), the global limit on runs, the per-host limit and delay observed at the
 * server, a manual trigger during a scheduled run, a gentle stop mid-run, Elasticsearch unreachable while the service
 * runs. Each checks the exact counts in the index and in the run records.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@elastic/elasticsearch';
import { politeness } from '../../core/politeness.js';
import type { RunSummary } from '../../pipelines/harvest.js';
import { currentLock } from '../../pipelines/locks.js';
import type { Logger } from '../../pipelines/log.js';
import { emptyRunSummary, latestRuns, runsIndex } from '../../pipelines/runs.js';
import { liveSchedulers } from '../../pipelines/schedulers.js';
import { NO_SCHEDULER, sourcesStatus, type SourceStatus } from '../../pipelines/status.js';
import { operatorsPage } from '../../api/pages/operators-page.js';
import { AlreadyRunning, HarvestService, UnknownSource, type ServiceOptions } from '../../pipelines/service.js';
import type { SourceConfig } from '../../pipelines/sources.js';
import { esProxy } from '../helpers/es-proxy.js';
import { faultyCsw, generatedRecords } from '../helpers/fault-csw.js';
import { faultyStac } from '../helpers/fault-stac.js';
import { deleteIndices, esClient, esUrl, tempIndexName } from '../helpers/services.js';

const client = await esClient();
const reports = mkdtempSync(join(tmpdir(), 'hub-service-'));
const records = generatedRecords(100);

test.after(async () => {
  politeness.configure({});
  rmSync(reports, { recursive: true, force: true });
  await deleteIndices(client, 'test-service-*');
});

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

const csw = (id: string, url: string, extra: Partial<SourceConfig> = {}): SourceConfig => ({
  id,
  type: 'csw',
  url,
  options: { pageSize: 25, http: { retryDelayMs: 10 } },
  // every run a full one: these scenarios count what whole runs do (incremental runs: test/pipelines/incremental)
  incremental: false,
  ...extra,
});

function service(sources: SourceConfig[], alias: string, opts: ServiceOptions = {}, target?: { client: Client; alias: string }) {
  const log = memoryLog();
  const s = new HarvestService(sources, target ?? { client, alias }, log, { reportDir: reports, mapWorkers: 0, ...opts });
  return { s, log };
}

async function count(alias: string, source?: string): Promise<number> {
  await client.indices.refresh({ index: alias });
  return (await client.count({ index: alias, ...(source ? { query: { term: { source } } } : {}) })).count;
}

async function runsOf(alias: string, source: string): Promise<RunSummary[]> {
  await client.indices.refresh({ index: runsIndex(alias), ignore_unavailable: true });
  return (await latestRuns(client, alias, { source, size: 100 })).reverse();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(what: string, cond: () => boolean | Promise<boolean>, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

test('options are checked up front: run limit, grace, bad cron expressions, a source twice', () => {
  assert.throws(() => new HarvestService([], { client, alias: 'x' }, memoryLog(), { maxRuns: 0 }), /maxRuns must be a whole number >= 1/);
  assert.throws(() => new HarvestService([], { client, alias: 'x' }, memoryLog(), { graceMs: -1 }), /graceMs/);
  assert.throws(
    () => new HarvestService([csw('a', 'http://x', { schedule: '61 * * * *' })], { client, alias: 'x' }, memoryLog()),
    /a: "61/,
  );
  assert.throws(() => new HarvestService([csw('a', 'http://x'), csw('a', 'http://y')], { client, alias: 'x' }, memoryLog()), /given twice/);
});

test('schedules with seconds: each run at its slot, one run per source, a slot that comes while the run goes is skipped and recorded', async () => {
  const alias = tempIndexName('service');
  // slow: 4 pages of 25, each answered after 900 ms: a run takes about 4 s, its source is scheduled every 2 s
  const slowCsw = await faultyCsw({ records, pageCap: 25 });
  slowCsw.fault = (r) => (r.op === 'GetRecords' ? { delayMs: 900 } : undefined);
  const quickCsw = await faultyCsw({ records: records.slice(0, 10), pageCap: 25 });
  const { s, log } = service(
    [csw('slow', slowCsw.url, { schedule: '*/2 * * * * *' }), csw('quick', quickCsw.url, { schedule: '*/3 * * * * *' })],
    alias,
    { maxRuns: 2 },
  );
  await s.start();
  const t0 = Date.now();
  try {
    assert.equal(
      s.next().map((n) => n.source),
      ['slow', 'quick'],
    );
    assert.is(s.next()[0].next!.getTime() % 2000, 0, 'the next slot of */2 is on an even second');
    // until slow has one ended run and a skipped slot, and quick has two runs
    await until('the runs', async () => {
      const slow = await runsOf(alias, 'slow');
      const quick = await runsOf(alias, 'quick');
      return (
        slow.some((r) => r.status === 'ok') &&
        slow.some((r) => r.status === 'skipped') &&
        quick.filter((r) => r.status === 'ok').length >= 2
      );
    });
  } finally {
    await s.stop();
    await slowCsw.close();
    await quickCsw.close();
  }
  const slow = await runsOf(alias, 'slow');
  const quick = await runsOf(alias, 'quick');
  const ran = slow.filter((r) => r.status !== 'skipped');
  // every run is for a slot of its schedule (an even second for */2, a multiple of 3 s for */3), and started at it or
  // after it (later when it waits for the index: on a loaded machine, seconds)
  const slotOf = (r: RunSummary) => Date.parse(r.slot ?? 'none');
  for (const r of ran) assert.is(slotOf(r) % 2000, 0, `slow run for ${r.slot}`);
  for (const r of quick) assert.is(slotOf(r) % 3000, 0, `quick run for ${r.slot}`);
  for (const r of [...ran, ...quick]) assert.ok(slotOf(r) >= t0 - 1000 && Date.parse(r.startedAt) >= slotOf(r), JSON.stringify(r));
  // never two runs of slow at once
  const ended = ran.filter((r) => r.endedAt);
  for (let i = 1; i < ended.length; i++) assert.ok(Date.parse(ended[i].startedAt) >= Date.parse(ended[i - 1].endedAt!), 'no overlap');
  // each skipped slot is a slot, and names the run going then: the run of the last slot before it that started one
  const skipped = slow.filter((r) => r.status === 'skipped');
  assert.ok(skipped.length >= 1);
  for (const k of skipped) {
    const m = /skipped: source "slow" is being harvested by run ([0-9a-f-]{36})/.exec(k.error ?? '');
    assert.ok(m, k.error);
    assert.is(Date.parse(k.startedAt) % 2000, 0, `a skip is a slot: ${k.startedAt}`);
    const before = ran.filter((r) => slotOf(r) < Date.parse(k.startedAt));
    assert.is(before.at(-1)?.runId, m[1], `the run going at ${k.startedAt}`);
  }
  assert.ok(
    log.lines.some((l) => l.level === 'warn' && /^slow: scheduled slot of .* skipped: source "slow" is being harvested by run/.test(l.msg)),
  );
  // exact counts: the first run of each source found everything new; later ones found it unchanged
  const okSlow = ran.filter((r) => r.status === 'ok');
  assert.equal([okSlow[0].seen, okSlow[0].new], [100, 100]);
  // each run records the FAIR figures of its source's records when it ended
  assert.is(okSlow[0].quality?.records, 100);
  const q0 = okSlow[0].quality!;
  assert.is(q0.ratings.excellent + q0.ratings.good + q0.ratings.sufficient + q0.ratings.bad, 100);
  for (const r of quick.filter((r) => r.status === 'ok').slice(1)) assert.equal([r.seen, r.new, r.unchanged], [10, 0, 10]);
  assert.is(await count(alias, 'slow'), 100);
  assert.is(await count(alias, 'quick'), 10);
  // the status: the last run (not the skip), the last skipped slot, the FAIR figures of the records
  const st = await s.status();
  const slowSt = st.find((x) => x.source === 'slow')!;
  assert.ok(slowSt.lastRun && slowSt.lastRun.status !== 'skipped');
  assert.ok(slowSt.lastSkipped);
  assert.is(slowSt.quality?.records, 100);
  assert.ok((slowSt.quality?.mqa ?? 0) > 0);
  const dist = slowSt.quality!.ratings;
  assert.is(dist.excellent + dist.good + dist.sufficient + dist.bad, 100);
});

test('a process too busy at a slot: a slot that comes late still starts; one overtaken by the next slot is recorded skipped, not lost', async () => {
  const alias = tempIndexName('service');
  const c = await faultyCsw({ records: records.slice(0, 5), pageCap: 25 });
  const { s, log } = service([csw('busy', c.url, { schedule: '*/3 * * * * *' })], alias);
  await s.start();
  let s0: number;
  try {
    // just after a slot S0, the event loop is held 8 s (a long garbage collection, a loaded machine): the timers of S1
    // (S0 + 3 s) and S2 (S0 + 6 s) fire just after S0 + 8 s, 5 s and 2 s late (node-cron counts whole seconds: a timer
    // firing up to S0 + 9 s finds the same)
    await until('just after a slot', () => Date.now() % 3000 >= 100 && Date.now() % 3000 < 400);
    s0 = Date.now() - (Date.now() % 3000);
    while (Date.now() < s0 + 8050);
    await until('the slots of S1 and S2 recorded', async () => {
      const slots = new Set((await runsOf(alias, 'busy')).map((r) => r.slot));
      return [s0 + 3000, s0 + 6000].every((t) => slots.has(new Date(t).toISOString()));
    });
  } finally {
    await s.stop();
    await c.close();
  }
  const bySlot = new Map((await runsOf(alias, 'busy')).map((r) => [Date.parse(r.slot ?? ''), r]));
  // S1, overtaken by S2 before its timer could fire: recorded skipped, saying why
  const s1 = bySlot.get(s0 + 3000)!;
  assert.is(s1.status, 'skipped');
  assert.match(s1.error ?? '', /skipped: the process was too busy to start it in time \(its timer fired [5-9] s late\)$/);
  assert.ok(log.lines.some((l) => l.level === 'warn' && l.msg.includes(s1.error!)));
  // S2, 2 s late: started (or skipped because S0's run still goes), never dropped
  const s2 = bySlot.get(s0 + 6000)!;
  assert.not.match(s2.error ?? '', /too busy/);
  assert.ok(s2.status !== 'skipped' || /being harvested by run/.test(s2.error ?? ''), JSON.stringify(s2));
});

test('the global limit: three sources triggered at once, two run, the third waits for a free slot', async () => {
  const alias = tempIndexName('service');
  const servers = await Promise.all([0, 1, 2].map(() => faultyCsw({ records: records.slice(0, 50), pageCap: 25 })));
  for (const c of servers) c.fault = (r) => (r.op === 'GetRecords' ? { delayMs: 400 } : undefined);
  const { s, log } = service(
    servers.map((c, i) => csw(`s${i}`, c.url)),
    alias,
    { maxRuns: 2 },
  );
  await s.start();
  let peak = 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, servers.filter((c) => c.inFlight > 0).length);
  }, 10);
  try {
    const triggered = await Promise.all([0, 1, 2].map((i) => s.trigger(`s${i}`)));
    // the triggers race for the slots (each reads the source's lock first): two run, one waits
    assert.equal(triggered.map((t) => t.state).sort(), ['queued', 'running', 'running']);
    const waiting = triggered.findIndex((t) => t.state === 'queued');
    // the log says which run waits: only the one queued (the second run, taking the last free slot, was said to wait)
    const asked = log.lines.filter((l) => / asked for/.test(l.msg)).map((l) => l.msg);
    assert.equal(
      triggered.map((t) => asked.find((m) => m.includes(t.runId))?.endsWith('waiting for a free slot')),
      triggered.map((_, i) => i === waiting),
      asked.join('\n'),
    );
    await sleep(100);
    assert.equal([s.info().running, s.info().queued], [2, 1]);
    assert.is(s.live(`s${waiting}`)?.state, 'queued');
    const summaries = await Promise.all(triggered.map((t) => t.done));
    assert.equal(
      summaries.map((x) => [x?.status, x?.new]),
      [
        ['ok', 50],
        ['ok', 50],
        ['ok', 50],
      ],
    );
    assert.equal(
      summaries.map((x) => x?.runId),
      triggered.map((t) => t.runId),
      'the run ids given at the trigger are the runs',
    );
    const third = summaries[waiting]!;
    const [a, b] = summaries.filter((_, i) => i !== waiting) as RunSummary[];
    assert.ok(
      Date.parse(third.startedAt) >= Math.min(Date.parse(a.endedAt!), Date.parse(b.endedAt!)),
      'the third started when a slot freed',
    );
  } finally {
    clearInterval(sampler);
    await s.stop();
    await Promise.all(servers.map((c) => c.close()));
  }
  assert.is(peak, 2, 'two sources were asked at once at most');
  assert.is(await count(alias), 150);
});

test('politeness per host: two runs on one CSW share one request in flight; a delay spaces the requests to a STAC API', async () => {
  const alias = tempIndexName('service');
  const one = await faultyCsw({ records: records.slice(0, 75), pageCap: 25 });
  one.fault = (r) => (r.op === 'GetRecords' ? { delayMs: 200 } : undefined);
  const { s } = service([csw('a', one.url), csw('b', one.url)], alias, { maxRuns: 2, politeness: { maxPerHost: 1 } });
  await s.start();
  try {
    const [a, b] = await Promise.all([s.trigger('a'), s.trigger('b')]);
    const [ra, rb] = await Promise.all([a.done, b.done]);
    assert.equal([ra?.status, ra?.new, rb?.status, rb?.new], ['ok', 75, 'ok', 75]);
    assert.ok(Date.parse(rb!.startedAt) < Date.parse(ra!.endedAt!), 'the two runs went at the same time');
    assert.is(one.maxInFlight, 1, 'never two requests at once to the host');
  } finally {
    await s.stop();
  }
  // the same with two in flight allowed: the server sees two at once
  one.resetPeak();
  const { s: s2 } = service([csw('a', one.url), csw('b', one.url)], alias, { maxRuns: 2, politeness: { maxPerHost: 2 } });
  await s2.start();
  try {
    const [a, b] = await Promise.all([s2.trigger('a'), s2.trigger('b')]);
    await Promise.all([a.done, b.done]);
    assert.is(one.maxInFlight, 2);
  } finally {
    await s2.stop();
    await one.close();
  }
  // a delay of 300 ms between the starts of two requests to one host
  const stac = await faultyStac({ items: 60, limit: 20 });
  const at: number[] = [];
  stac.fault = () => {
    at.push(Date.now());
    return undefined;
  };
  const stacSource: SourceConfig = { id: 'st', type: 'stac-api', url: stac.url, options: { items: 'index', limit: 20 } };
  const { s: s3 } = service([stacSource], alias, { politeness: { maxPerHost: 4, delayMs: 300 } });
  await s3.start();
  try {
    const r = await (await s3.trigger('st')).done;
    assert.equal([r?.status, r?.seen], ['ok', 61], r?.error);
    assert.ok(at.length >= 4);
    for (let i = 1; i < at.length; i++) assert.ok(at[i] - at[i - 1] >= 290, `requests ${i} and ${i + 1} ${at[i] - at[i - 1]} ms apart`);
    assert.is(stac.maxInFlight, 1);
  } finally {
    await s3.stop();
    await stac.close();
  }
});

test('a manual trigger during a scheduled run is refused naming it; unknown sources are named; a later trigger runs', async () => {
  const alias = tempIndexName('service');
  const c = await faultyCsw({ records, pageCap: 25 });
  c.fault = (r) => (r.op === 'GetRecords' ? { delayMs: 500 } : undefined);
  // a slot in two seconds (6-field cron: second minute hour ...)
  const at = new Date(Math.ceil((Date.now() + 2000) / 1000) * 1000);
  const schedule = `${at.getSeconds()} ${at.getMinutes()} ${at.getHours()} * * *`;
  const { s } = service([csw('src', c.url, { schedule })], alias);
  await s.start();
  try {
    await s.trigger('nope').catch((err: unknown) => {
      assert.instance(err, UnknownSource);
      assert.is((err as Error).message, 'no source "nope" in the sources file (its sources: src)');
    });
    await until('the scheduled run', () => s.live('src')?.state === 'running');
    const scheduled = s.live('src')!;
    assert.is(scheduled.by, 'schedule');
    const refused = await s.trigger('src').catch((err: unknown) => err);
    assert.instance(refused, AlreadyRunning);
    assert.is((refused as AlreadyRunning).runId, scheduled.runId);
    assert.match((refused as Error).message, `source "src" is being harvested by run ${scheduled.runId}`);
    await until('the scheduled run to end', () => s.live('src') === undefined);
    const [first] = await runsOf(alias, 'src');
    assert.equal([first.runId, first.status, first.new], [scheduled.runId, 'ok', 100], `the scheduled run: ${first.step}: ${first.error}`);
    c.fault = undefined;
    c.records = records.slice(0, 90).concat(generatedRecords(5, 500));
    const again = await (await s.trigger('src')).done;
    assert.equal([again?.status, again?.seen, again?.new, again?.unchanged, again?.deleted], ['ok', 95, 5, 90, 10]);
    assert.is(await count(alias), 95);
  } finally {
    await s.stop();
    await c.close();
  }
});

test('a run whose document says it ended no longer blocks its source: the next trigger is accepted at once, the two runs exact', async () => {
  // the window between the run's last write (GET /runs/{id} answers "ok") and the service letting go of it: a client
  // that triggers again as soon as it saw the end must not get a 409 (the service benchmark met it on a loaded machine)
  const alias = tempIndexName('service');
  const c = await faultyCsw({ records, pageCap: 25 });
  let next: Promise<unknown> | undefined;
  let ended: RunSummary | undefined;
  const { s } = service([csw('src', c.url)], alias, {
    // called once the run's document is final, while the service still holds the run
    onRun: (summary) => {
      if (next) return;
      ended = summary;
      next = s.trigger('src').then(
        (r) => r.done,
        (err: unknown) => err,
      );
    },
  });
  await s.start();
  try {
    const first = await s.trigger('src');
    await first.done;
    assert.ok(next, 'the first run ended');
    const second = await next;
    assert.not.instance(second, AlreadyRunning, `the trigger was refused: ${String(second)}`);
    const run = second as RunSummary;
    assert.is.not(run.runId, first.runId);
    assert.equal([ended?.status, ended?.new, run.status, run.seen, run.new, run.unchanged], ['ok', 100, 'ok', 100, 0, 100]);
    const runs = await runsOf(alias, 'src');
    assert.equal(
      runs.map((r) => [r.runId, r.status]),
      [
        [first.runId, 'ok'],
        [run.runId, 'ok'],
      ],
    );
    assert.is(await count(alias), 100);
    assert.is(s.live('src'), undefined, 'nothing left under way');
    assert.is(await currentLock(client, alias, 'src'), undefined, 'the lock is released');
  } finally {
    await s.stop();
    await c.close();
  }
});

test('a stop mid-run: the page in flight is finished and written, nothing more asked, the run interrupted, the index holds exactly what it counted', async () => {
  const alias = tempIndexName('service');
  const c = await faultyCsw({ records, pageCap: 10 });
  c.fault = (r) => (r.op === 'GetRecords' ? { delayMs: 400 } : undefined);
  const { s } = service([csw('src', c.url, { options: { pageSize: 10, http: { retryDelayMs: 10 } } })], alias, { graceMs: 20_000 });
  await s.start();
  const third = new Promise<void>((resolve) => {
    c.onRequest = (r) => {
      if (r.op === 'GetRecords' && r.start === 31) resolve();
    };
  });
  const { done } = await s.trigger('src');
  await third; // page 4 asked: in flight when the stop comes
  const t0 = Date.now();
  await s.stop('SIGTERM received');
  const took = Date.now() - t0;
  const r = (await done)!;
  await c.close();
  assert.ok(took < 10_000, `stopped in ${took} ms`);
  assert.is(r.status, 'interrupted');
  assert.is(r.error, 'stopped (SIGTERM received)');
  assert.is(r.deletion, 'the run was interrupted: nothing removed');
  const pages = c.pageRequests();
  assert.ok(
    pages.every((p) => p.start! <= 41),
    `nothing asked after the page in flight (and the one asked ahead): ${pages.map((p) => p.start).join(',')}`,
  );
  assert.equal([r.seen, r.new, r.indexed, r.failed], [40, 40, 40, 0], 'the four pages received, every record of them');
  assert.is(await count(alias), 40);
  const [doc] = await runsOf(alias, 'src');
  assert.equal([doc.status, doc.seen, doc.indexed, doc.new], ['interrupted', 40, 40, 40]);
  assert.is(await currentLock(client, alias, 'src'), undefined, 'the lock is released');
  const late = await s.trigger('src').catch((err: unknown) => err);
  assert.match(String(late), /the service is stopping/);
});

test("a stop that comes while a trigger reads the source's lock: the trigger is refused, no run queued only to be dropped", async () => {
  const alias = tempIndexName('service');
  const c = await faultyCsw({ records: records.slice(0, 10), pageCap: 10 });
  const { s, log } = service([csw('src', c.url)], alias);
  await s.start();
  try {
    const trigger = s.trigger('src').catch((err: unknown) => err as Error); // asks the index first (health, lock)
    await s.stop('SIGTERM received');
    const got = await trigger;
    assert.instance(got, Error, 'refused');
    assert.match((got as Error).message, /the service is stopping/);
    assert.equal(
      log.lines.filter((l) => /src: run /.test(l.msg)).map((l) => l.msg),
      [],
      'no run said asked for, then not started',
    );
    assert.is(c.requests.length, 0, 'the source was not asked');
  } finally {
    await c.close();
  }
});

test('Elasticsearch unreachable while the service runs: a short outage is ridden out; a long one records the run on disk, the service goes on, the next run puts it in the history', async () => {
  const alias = tempIndexName('service');
  const proxy = await esProxy(await esUrl());
  const pclient = new Client({ node: proxy.url, maxRetries: 0, requestTimeout: 5000 });
  const c = await faultyCsw({ records, pageCap: 25 });
  c.fault = (r) => (r.op === 'GetRecords' ? { delayMs: 300 } : undefined);
  const { s } = service(
    [csw('src', c.url)],
    alias,
    { indexRetryBudgetMs: 6000, batchSize: 25, recordTimeoutMs: 2000 },
    { client: pclient, alias },
  );
  await s.start();
  try {
    // a 2 s outage in the middle of the run: ridden out
    const page2 = new Promise<void>((resolve) => (c.onRequest = (r) => r.start === 26 && resolve()));
    const first = await s.trigger('src');
    await page2;
    proxy.down();
    await sleep(2000);
    await proxy.up();
    const r1 = (await first.done)!;
    assert.equal([r1.status, r1.seen, r1.new, r1.failed], ['ok', 100, 100, 0], r1.error);
    assert.is(await count(alias), 100);
    // gone for good at the end of the next run: the records not written are failures, the run recorded on disk
    const page4 = new Promise<void>((resolve) => (c.onRequest = (r) => r.start === 76 && resolve()));
    const second = await s.trigger('src');
    await page4;
    proxy.down();
    const r2 = (await second.done)!;
    assert.is(r2.status, 'failed');
    assert.ok(r2.localRecord, `recorded on disk: ${JSON.stringify({ ...r2, failures: r2.failures.slice(0, 1) })}`);
    assert.ok(readdirSync(reports).some((f) => f.includes(r2.runId.slice(0, 8)) && f.endsWith('.run.json')));
    assert.is(s.live('src'), undefined);
    // the index back: the next run puts the recorded one in the history, and harvests everything
    await proxy.up();
    assert.ok(r2.failed > 0 && r2.unchanged + r2.failed === r2.seen, JSON.stringify([r2.seen, r2.unchanged, r2.failed]));
    const r3 = (await (await s.trigger('src')).done)!;
    assert.equal([r3.status, r3.seen, r3.new, r3.unchanged, r3.deleted], ['ok', 100, 0, 100, 0], r3.error);
    assert.is(await count(alias), 100);
    const history = await runsOf(alias, 'src');
    assert.equal(
      history.map((h) => [h.runId, h.status]),
      [
        [r1.runId, 'ok'],
        [r2.runId, 'failed'],
        [r3.runId, 'ok'],
      ],
    );
    assert.ok(readdirSync(reports).some((f) => f.includes(r2.runId.slice(0, 8)) && f.endsWith('.run.recorded.json')));
  } finally {
    await s.stop();
    await proxy.close();
    await pclient.close();
    await c.close();
  }
});

test('the log says how each run ended and why: a failed source at error level naming its error, a suspect one at warn naming the guard, ok at info', async () => {
  const alias = tempIndexName('service');
  const c = await faultyCsw({ records, pageCap: 25 });
  const { s, log } = service([csw('src', c.url)], alias);
  await s.start();
  try {
    const ok = (await (await s.trigger('src')).done)!;
    assert.is(ok.status, 'ok');
    c.fault = (r) => (r.op === 'GetRecords' && r.page === 2 ? { status: 500, body: 'boom' } : undefined);
    const failed = (await (await s.trigger('src')).done)!;
    assert.is(failed.status, 'failed');
    c.fault = undefined;
    c.records = records.slice(0, 30);
    const suspect = (await (await s.trigger('src')).done)!;
    assert.is(suspect.status, 'suspect');
    const ends = log.lines.filter((l) => /^src: (ok|failed|suspect),/.test(l.msg));
    assert.equal(
      ends.map((l) => [l.level, l.msg.split(',')[0]]),
      [
        ['info', 'src: ok'],
        ['error', 'src: failed'],
        ['warn', 'src: suspect'],
      ],
    );
    assert.match(ends[1].msg, /: step "harvest the source" failed: CSW GetRecords page 2 \(startPosition 26\).*HTTP 500/);
    assert.match(ends[2].msg, /: 70 of 100 records \(70%\) are no longer in the source/);
    assert.match(ends[2].msg, /\(if the source really lost them: harvester harvest --source src --max-delete-ratio 1\)$/);
    assert.is(await count(alias, 'src'), 100, 'nothing removed');
    // 5 records gone for real (within the guard): withdrawn for their grace, which the line says
    c.records = records.slice(0, 95);
    const withdrew = (await (await s.trigger('src')).done)!;
    assert.equal([withdrew.status, withdrew.deleted, withdrew.withdrawn], ['ok', 5, 5]);
    assert.match(log.lines.at(-1)!.msg, /^src: ok, 95 indexed, 0 failed, 5 removed \(5 withdrawn\) in [\d.]+s$/);
  } finally {
    await s.stop();
    await c.close();
  }
});

test('a page that hangs: the records already received are written within seconds, not held until the run ends; a stop past the grace then loses none of them', async () => {
  const alias = tempIndexName('service');
  const c = await faultyCsw({ records, pageCap: 25 });
  c.fault = (r) => (r.op === 'GetRecords' && r.page === 2 ? { hang: true } : undefined);
  const { s } = service([csw('src', c.url)], alias, { graceMs: 300 });
  await s.start();
  try {
    const page2 = new Promise<void>((resolve) => (c.onRequest = (r) => r.page === 2 && resolve()));
    const { done } = await s.trigger('src');
    await page2;
    // the 25 records of page 1 reach the index while page 2 hangs (a batch waits 5 s at most)
    await until('page 1 in the index', async () => (await client.indices.exists({ index: alias })) && (await count(alias)) === 25, 15_000);
    await s.stop('test stop');
    const r = (await done)!;
    assert.equal([r.status, r.seen, r.new, r.indexed, r.failed], ['interrupted', 25, 25, 25, 0], JSON.stringify(r.failures.slice(0, 1)));
    assert.is(await count(alias), 25);
  } finally {
    await s.stop();
    await c.close();
  }
});

test('two services on one index, one slot: the run starts in one, the other records the slot skipped naming it (not an error, not lost)', async () => {
  const alias = tempIndexName('service');
  const c = await faultyCsw({ records, pageCap: 25 });
  c.fault = (r) => (r.op === 'GetRecords' ? { delayMs: 200 } : undefined);
  const one = service([csw('src', c.url)], alias);
  const two = service([csw('src', c.url)], alias);
  await one.s.start();
  await two.s.start();
  try {
    // both slots come at once: each finds the source free, one takes its lock
    const [a, b] = await Promise.all([one.s.trigger('src', 'schedule'), two.s.trigger('src', 'schedule')]);
    const [ra, rb] = await Promise.all([a.done, b.done]);
    const ran = [ra, rb].find((r) => r?.status === 'ok')!;
    const skipped = [ra, rb].find((r) => r?.status !== 'ok')!;
    assert.ok(ran, JSON.stringify([ra?.status, rb?.status]));
    assert.is(skipped.status, 'skipped');
    assert.match(
      skipped.error ?? '',
      new RegExp(`^scheduled slot of .* skipped: source "src" is being harvested by run ${ran.runId} \\(pid ${process.pid} on `),
    );
    const history = await runsOf(alias, 'src');
    assert.equal(history.map((h) => h.status).sort(), ['ok', 'skipped']);
    assert.equal(
      [...one.log.lines, ...two.log.lines].filter((l) => l.level === 'error'),
      [],
    );
  } finally {
    await one.s.stop();
    await two.s.stop();
    await c.close();
  }
});

test('an index that hangs at start does not hold the schedules back: they are on at once, the bookkeeping of the start goes on behind', async () => {
  const proxy = await esProxy(await esUrl());
  const pclient = new Client({ node: proxy.url, maxRetries: 0, requestTimeout: 4000 });
  const alias = tempIndexName('service');
  const { s } = service([csw('src', 'http://127.0.0.1:9/csw', { schedule: '0 3 * * *' })], alias, {}, { client: pclient, alias });
  proxy.pause();
  try {
    const started = s.start();
    await sleep(500);
    assert.ok(s.scheduling, 'the schedules are on while the index hangs');
    assert.equal(
      s.next().map((n) => n.source),
      ['src'],
    );
    await proxy.up();
    await started;
  } finally {
    await s.stop();
    await proxy.close();
    await pclient.close();
  }
});

test('a service that follows the schedules says so in the index while it runs; one started without them gives no next run', async () => {
  const alias = tempIndexName('service');
  const yearly = csw('yearly', 'http://127.0.0.1:9/csw', { schedule: '0 2 1 1 *' });
  // without schedules (manual triggers only): nothing will run the source, and the status and the page say so
  const manual = service([yearly], alias, { schedule: false }).s;
  await manual.start();
  let [st] = await manual.status();
  assert.equal([st.nextRun, st.unscheduled], [undefined, NO_SCHEDULER]);
  const page = (row: SourceStatus) =>
    String(
      operatorsPage({ lang: 'en', explicitLang: true, url: '/operators', report: () => undefined }, [
        { source: 'yearly', runs: 1, last: emptyRunSummary(yearly, 'r1', 'ok', new Date().toISOString()), status: row },
      ]),
    );
  assert.match(page(st), 'Next run: none, no scheduler is running (harvester serve or harvester schedule)');
  await manual.stop();
  // with them: its timers give the next run, and its document says so to harvester status in other processes
  const scheduling = service([yearly], alias).s;
  await scheduling.start();
  try {
    [st] = await scheduling.status();
    assert.ok(st.nextRun?.match(/^\d{4}-01-01T/), JSON.stringify(st));
    assert.is(st.unscheduled, undefined);
    assert.match(page(st), /Next run: <time datetime="\d{4}-01-01T/);
    await until('its document', async () => (await liveSchedulers(client, alias)).some((x) => x.kind === 'serve'));
    const [elsewhere] = await sourcesStatus(client, alias, [yearly]);
    assert.is(elsewhere.nextRun, st.nextRun);
  } finally {
    await scheduling.stop();
  }
  assert.equal(await liveSchedulers(client, alias), [], 'its document is deleted when it stops');
  assert.is((await sourcesStatus(client, alias, [yearly]))[0].unscheduled, NO_SCHEDULER);
});

test.run();
