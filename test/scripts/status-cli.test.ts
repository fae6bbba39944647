/**
 * `harvester status` read from the index (no server): a run left "running" by a process that died is shown aborted,
 * with why, as `harvester runs` shows it; the real command in a child process against the test node.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HOST } from '../../pipelines/locks.js';
import { emptyRunSummary, getRun, recordRun } from '../../pipelines/runs.js';
import { NO_SCHEDULER, sourcesStatus } from '../../pipelines/status.js';
import { liveSchedulers, schedulersIndex } from '../../pipelines/schedulers.js';
import { silentLogger } from '../../pipelines/log.js';
import { buildServer } from '../../api/server.js';
import { harvesterBin } from '../helpers/bin.js';
import { deleteIndices, esClient, esUrl, tempIndexName } from '../helpers/services.js';

const bin = harvesterBin();
const ES = await esUrl();
const client = await esClient();

test.after(async () => {
  bin.cleanup();
  await deleteIndices(client, 'test-status-cli-*');
});

test('a run whose process died (kill -9) is shown aborted by harvester status, not running for ever', async () => {
  const alias = tempIndexName('status-cli');
  const file = join(bin.dir, 'sources.yaml');
  writeFileSync(file, 'sources:\n  - id: geo\n    type: csw\n    url: http://127.0.0.1:9/csw\n');
  // a process of this machine that is gone: its pid no longer runs
  const dead = spawnSync(process.execPath, ['-e', '']).pid;
  const at = new Date(Date.now() - 5_000).toISOString();
  const run = emptyRunSummary({ id: 'geo', type: 'csw', url: 'http://127.0.0.1:9/csw' }, 'killed-run', 'running', at);
  await recordRun(client, alias, { ...run, owner: { host: HOST, pid: dead } });
  const status = await bin.runAsync({}, 'status', '--sources', file, '--es', ES, '--alias', alias);
  assert.is(status.code, 0, status.err);
  assert.match(status.out, /\ngeo\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+\S+\s+aborted\s/);
  assert.match(
    status.out,
    `first error: the run stopped without finishing: last heartbeat ${at} and its process (pid ${dead} on ${HOST}) is gone`,
  );
  const json = await bin.runAsync({}, 'status', '--json', '--sources', file, '--es', ES, '--alias', alias);
  assert.equal(
    json.lines.map((r) => [(r as { source: string }).source, (r as { lastRun?: { status: string } }).lastRun?.status]),
    [['geo', 'aborted']],
  );
});

test("the server only reads: GET /status, /metrics and the operators' page show such a run aborted without recording it", async () => {
  const alias = tempIndexName('status-cli');
  const dead = spawnSync(process.execPath, ['-e', '']).pid;
  const at = new Date(Date.now() - 5_000).toISOString();
  const run = emptyRunSummary({ id: 'geo', type: 'csw', url: 'http://127.0.0.1:9/csw' }, 'killed-run-2', 'running', at);
  await recordRun(client, alias, { ...run, owner: { host: HOST, pid: dead } });
  const [st] = await sourcesStatus(client, alias, []);
  assert.equal([st.source, st.lastRun?.status], ['geo', 'aborted']);
  assert.match(st.lastRun?.firstError ?? '', `its process (pid ${dead} on ${HOST}) is gone`);
  const app = await buildServer({ client, alias, esUrl: ES, log: silentLogger });
  try {
    const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    assert.match(metrics, 'hub_source_last_run_status{source="geo",status="aborted"} 1');
    assert.match(metrics, 'hub_source_last_run_status{source="geo",status="running"} 0');
    const page = (await app.inject({ method: 'GET', url: '/operators?lang=en' })).body;
    assert.match(page, /data-source="geo"[^>]*data-status="aborted"|data-status="aborted"[^>]*data-source="geo"/);
  } finally {
    await app.close();
  }
  assert.is((await getRun(client, alias, 'killed-run-2'))?.status, 'running', 'the history is left to the commands that record');
});

/** A sources file of three: nightly (scheduled once a year), ondemand (no schedule), off (scheduled, disabled). */
function scheduleFile(name: string): string {
  const file = join(bin.dir, name);
  writeFileSync(
    file,
    [
      'sources:',
      '  - { id: nightly, type: csw, url: "http://127.0.0.1:9/csw", schedule: "0 2 1 1 *" }',
      '  - { id: ondemand, type: csw, url: "http://127.0.0.1:9/csw" }',
      '  - { id: off, type: csw, url: "http://127.0.0.1:9/csw", schedule: "0 2 1 1 *", enabled: false }',
      '',
    ].join('\n'),
  );
  return file;
}

test('harvester schedule says which sources named with --source it will not run, and why', async () => {
  const alias = tempIndexName('status-cli');
  const file = scheduleFile('schedule.yaml');
  const none = await bin.runAsync(
    {},
    'schedule',
    '--sources',
    file,
    '--es',
    ES,
    '--alias',
    alias,
    '--source',
    'ondemand',
    '--source',
    'off',
  );
  assert.is(none.code, 2);
  assert.is(
    none.err.trim(),
    'harvester schedule: no source named has a schedule to follow: ondemand: it has no "schedule" in the sources file; off: it is disabled (enabled: false)',
  );
  const child = spawn(
    bin.path,
    ['schedule', '--sources', file, '--es', ES, '--alias', alias, '--source', 'nightly', '--source', 'ondemand'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let err = '';
  const said = new Promise<void>((resolve) =>
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString();
      if (err.includes('next run 20')) resolve();
    }),
  );
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  await said;
  child.kill('SIGTERM');
  assert.is(await exited, 0);
  assert.match(err, 'ondemand: not scheduled: it has no \\"schedule\\" in the sources file (harvester run ondemand harvests it now)');
});

test('harvester status gives a next run only while a scheduler follows the schedules; else it says none will happen', async () => {
  const alias = tempIndexName('status-cli');
  const file = scheduleFile('beacon.yaml');
  const status = async () => {
    const text = await bin.runAsync({}, 'status', '--sources', file, '--es', ES, '--alias', alias);
    assert.is(text.code, 0, text.err);
    const json = await bin.runAsync({}, 'status', '--json', '--sources', file, '--es', ES, '--alias', alias);
    const rows = json.lines as { source: string; nextRun?: string; unscheduled?: string }[];
    return { text: text.out, nightly: rows.find((r) => r.source === 'nightly')! };
  };
  // no scheduler: no next run, and why
  let st = await status();
  assert.is(st.nightly.nextRun, undefined);
  assert.is(st.nightly.unscheduled, NO_SCHEDULER);
  assert.match(st.text, /\nnightly\s.*\snone: no scheduler/);
  assert.match(st.text, `scheduled "0 2 1 1 *", but ${NO_SCHEDULER}`);
  assert.match(st.text, /\nondemand\s.*\son demand/);
  assert.match(st.text, /\noff\s.*\sdisabled/);
  // harvester schedule running: the next run of its cron expression
  const start = () => {
    const child = spawn(bin.path, ['schedule', '--sources', file, '--es', ES, '--alias', alias], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    const said = new Promise<void>((resolve) =>
      child.stderr.on('data', (c: Buffer) => {
        err += c.toString();
        if (err.includes('next run 20')) resolve();
      }),
    );
    return { child, said, exited: new Promise<number | null>((resolve) => child.on('close', resolve)) };
  };
  const waitFor = async (what: () => Promise<boolean>) => {
    for (let i = 0; i < 100 && !(await what()); i++) await new Promise((r) => setTimeout(r, 100));
  };
  const first = start();
  await first.said;
  await waitFor(async () => (await liveSchedulers(client, alias)).length === 1);
  st = await status();
  assert.ok(st.nightly.nextRun?.match(/^\d{4}-01-01T/), JSON.stringify(st.nightly));
  assert.is(st.nightly.unscheduled, undefined);
  assert.match(st.text, /\nnightly\s.*\s\d{4}-01-01 \d\d:00:00/);
  // killed (kill -9): its document stays, but its process is gone: no scheduler again
  first.child.kill('SIGKILL');
  await first.exited;
  assert.is((await client.count({ index: schedulersIndex(alias) })).count, 1);
  st = await status();
  assert.equal([st.nightly.nextRun, st.nightly.unscheduled], [undefined, NO_SCHEDULER]);
  // stopped cleanly: its document is deleted
  const second = start();
  await second.said;
  await waitFor(async () => (await liveSchedulers(client, alias)).length === 1);
  assert.ok((await status()).nightly.nextRun);
  second.child.kill('SIGTERM');
  await second.exited;
  await client.indices.refresh({ index: schedulersIndex(alias) });
  assert.equal((await liveSchedulers(client, alias)).length, 0);
  assert.is((await status()).nightly.unscheduled, NO_SCHEDULER);
});

test.run();
