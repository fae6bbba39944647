/** Scheduled harvests and source definitions: cron expressions checked up front, a scheduled run really harvests. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../pipelines/log.js';
import { latestRuns } from '../../pipelines/runs.js';
import { acquireLock, markLive } from '../../pipelines/locks.js';
import { checkSchedules, scheduleSources } from '../../pipelines/schedule.js';
import { loadSources, validateSource, type SourceConfig } from '../../pipelines/sources.js';
import { sharedFixture } from '../../schemas/paths.js';
import { UsageError } from '../../core/result.js';
import { deleteIndices, esClient, tempIndexName } from '../helpers/services.js';

test('source definitions: every problem named at once', () => {
  assert.throws(
    () => validateSource({ id: 'Bad Id', type: 'ftp', url: '', schedule: 'every day', extra: 1 }),
    (err: Error) =>
      err instanceof UsageError &&
      /id: must be/.test(err.message) &&
      /type: must be one of/.test(err.message) &&
      /url: must be/.test(err.message) &&
      /schedule: must be a cron expression/.test(err.message) &&
      /extra: unknown field/.test(err.message),
  );
  assert.throws(() => validateSource({ id: 'x', type: 'csw', url: '/local/path' }), /needs an http\(s\) url/);
  const ok = validateSource({ id: 'tour', type: 'ozcar', url: '/data/TOUR_en.json', schedule: '0 2 * * *' });
  assert.is(ok.id, 'tour');
});

test('a sources file: relative paths resolved against it, duplicate ids refused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sources-'));
  const file = join(dir, 'sources.json');
  writeFileSync(file, JSON.stringify({ sources: [{ id: 'a', type: 'ozcar', url: 'feeds/a.json' }] }));
  assert.is(loadSources(file)[0].url, join(dir, 'feeds', 'a.json'));
  writeFileSync(
    file,
    JSON.stringify({
      sources: [
        { id: 'a', type: 'ozcar', url: 'a.json' },
        { id: 'a', type: 'ozcar', url: 'b.json' },
      ],
    }),
  );
  assert.throws(() => loadSources(file), /used twice/);
  writeFileSync(file, '{ not json');
  assert.throws(() => loadSources(file), /cannot read sources file/);
});

test('invalid cron expressions are refused before anything is scheduled', () => {
  const bad = { id: 'x', type: 'ozcar', url: '/x.json', schedule: '61 * * * *' } as SourceConfig;
  assert.throws(() => checkSchedules([bad]), /x: "61 \* \* \* \*"/);
  assert.is(checkSchedules([{ ...bad, schedule: undefined }]).length, 0);
});

test('a scheduled source is harvested at its time, once, and its run recorded', async () => {
  const client = await esClient();
  const alias = tempIndexName('schedule');
  // a cron that fires once, at a second a few seconds from now
  const at = new Date(Date.now() + 4000);
  const source: SourceConfig = {
    id: 'tour',
    type: 'ozcar',
    url: sharedFixture('ozcar', 'TOUR_en.json'),
    schedule: `${at.getSeconds()} ${at.getMinutes()} ${at.getHours()} * * *`,
  };
  const scheduler = scheduleSources([source], { client, alias }, silentLogger);
  try {
    const next = scheduler.next()[0].next!;
    assert.is(Math.floor(next.getTime() / 1000), Math.floor(at.getTime() / 1000));
    const deadline = Date.now() + 60_000;
    while (!(await latestRuns(client, alias)).some((r) => r.status !== 'running') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 250));
  } finally {
    await scheduler.stop();
  }
  const runs = await latestRuns(client, alias);
  assert.is(runs.length, 1);
  const [run] = runs;
  assert.equal([run.source, run.status, run.seen, run.indexed, run.new, run.failed, run.deleted], ['tour', 'ok', 1, 1, 1, 0, 0]);
  assert.ok(Date.parse(run.startedAt) >= Math.floor(at.getTime() / 1000) * 1000, `${run.startedAt} after ${at.toISOString()}`);
  assert.is((await client.count({ index: alias })).count, 1); // TOUR_en.json holds one dataset
  await deleteIndices(client, `${alias}*`);
});

test('stopping the scheduler lets a run under way end for the grace, then abandons it: recorded interrupted', async () => {
  const client = await esClient();
  const alias = tempIndexName('schedule');
  // a pivot file served by a server that never answers: the run hangs on it until the stop abandons it
  const hanging = createServer(() => undefined);
  await new Promise<void>((r) => hanging.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/TOUR_en.json`;
  const source: SourceConfig = { id: 'hangs', type: 'ozcar', url, schedule: '* * * * * *' };
  const scheduler = scheduleSources([source], { client, alias }, silentLogger, { graceMs: 1000 });
  let stopped: Promise<void> | undefined;
  try {
    const deadline = Date.now() + 30_000;
    while (!(await latestRuns(client, alias)).some((r) => r.status === 'running') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    const t0 = Date.now();
    stopped = scheduler.stop('the test stopped the scheduler');
    await stopped;
    const took = Date.now() - t0;
    assert.ok(took >= 900 && took < 10_000, `stop took ${took} ms`);
  } finally {
    await (stopped ?? scheduler.stop());
    hanging.closeAllConnections();
    hanging.close();
  }
  // (the slots that came while it hung are recorded skipped: the next test)
  const runs = (await latestRuns(client, alias)).filter((r) => r.status !== 'skipped');
  assert.equal(
    runs.map((r) => [r.source, r.status, r.error]),
    [['hangs', 'interrupted', 'stopped (the test stopped the scheduler, and the grace of 1 s passed)']],
  );
  await deleteIndices(client, `${alias}*`);
});

test("a slot that comes while the source's run goes, here or in another process holding its lock, is skipped and recorded, as the service does", async () => {
  const client = await esClient();
  const alias = tempIndexName('schedule');
  // a pivot file served by a server that never answers: the first run goes on while the next slots come
  const hanging = createServer(() => undefined);
  await new Promise<void>((r) => hanging.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/TOUR_en.json`;
  const source: SourceConfig = { id: 'hangs', type: 'ozcar', url, schedule: '* * * * * *' };
  const scheduler = scheduleSources([source], { client, alias }, silentLogger, { graceMs: 500 });
  try {
    const deadline = Date.now() + 30_000;
    while (!(await latestRuns(client, alias)).some((r) => r.status === 'skipped') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
  } finally {
    await scheduler.stop('the test stopped the scheduler');
    hanging.closeAllConnections();
    hanging.close();
  }
  const runs = await latestRuns(client, alias, { size: 50 });
  const ran = runs.filter((r) => r.status !== 'skipped');
  assert.is(ran.length, 1, 'one run, never a second one at once');
  const skipped = runs.filter((r) => r.status === 'skipped');
  assert.ok(skipped.length >= 1);
  for (const k of skipped) {
    assert.match(
      k.error ?? '',
      new RegExp(`^scheduled slot of \\S+ skipped: source "hangs" already has run ${ran[0].runId} queued or under way`),
    );
    assert.equal([k.seen, k.indexed, k.endedAt], [0, 0, k.startedAt]);
  }

  // another process holds the lock: the slot is skipped, naming its run
  const alias2 = tempIndexName('schedule');
  // (a lock of this process counts as held only while its run is live here: markLive stands for the other process)
  const unmark = markLive('run-of-another-process');
  const lock = await acquireLock(client, alias2, 'tour', 'run-of-another-process');
  const tour: SourceConfig = { id: 'tour', type: 'ozcar', url: sharedFixture('ozcar', 'TOUR_en.json'), schedule: '* * * * * *' };
  const scheduler2 = scheduleSources([tour], { client, alias: alias2 }, silentLogger);
  try {
    const deadline = Date.now() + 30_000;
    while (!(await latestRuns(client, alias2)).some((r) => r.status === 'skipped') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
  } finally {
    await scheduler2.stop();
    await lock.release();
    unmark();
  }
  const runs2 = await latestRuns(client, alias2);
  assert.ok(runs2.length >= 1);
  for (const r of runs2) {
    assert.is(r.status, 'skipped');
    assert.match(r.error ?? '', /skipped: source "tour" is being harvested by run run-of-another-process \(pid \d+ on /, r.error);
  }
  await deleteIndices(client, `${alias}*`);
  await deleteIndices(client, `${alias2}*`);
});

test.run();
