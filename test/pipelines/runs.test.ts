/** Run documents on the real node: dead runs marked aborted, runs recorded on disk put in the history, a source's state. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { acquireLock, HOST, markLive } from '../../pipelines/locks.js';
import {
  formatSummary,
  latestRuns,
  markAbortedRuns,
  recordLocalRun,
  runsIndex,
  sourceState,
  writeRun,
  type RunSummary,
} from '../../pipelines/runs.js';
import { deleteIndices, esClient, tempIndexName } from '../helpers/services.js';

const client = await esClient();
const alias = tempIndexName('runs');
test.after(async () => {
  await deleteIndices(client, `${alias}*`);
});

const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
function run(id: string, over: Partial<RunSummary> = {}): RunSummary {
  return {
    runId: id,
    source: 'src',
    name: 'src',
    type: 'csw',
    url: 'http://h/csw',
    status: 'running',
    owner: { host: HOST, pid: process.pid },
    startedAt: ago(60_000),
    heartbeatAt: ago(1000),
    ms: 59_000,
    seen: 10,
    mapped: 10,
    indexed: 10,
    new: 10,
    updated: 0,
    unchanged: 0,
    duplicates: 0,
    deleted: 0,
    failed: 0,
    skipped: 0,
    warnings: 0,
    failuresByStage: {},
    failures: [],
    notices: [],
    ...over,
  };
}
const get = async (id: string) => (await client.get<RunSummary>({ index: runsIndex(alias), id }))._source!;

test('a running run is marked aborted only when its process is certainly gone or its heartbeat stopped', async () => {
  const dead = spawnSync(process.execPath, ['-e', '0']).pid;
  const unmark = markLive('alive-here');
  await writeRun(client, alias, run('alive-here'));
  await writeRun(client, alias, run('gone-here')); // this process, but no longer under way in it
  await writeRun(client, alias, run('killed', { owner: { host: HOST, pid: dead } }));
  await writeRun(client, alias, run('elsewhere-fresh', { owner: { host: 'other-host', pid: 1 } }));
  await writeRun(client, alias, run('elsewhere-silent', { owner: { host: 'other-host', pid: 1 }, heartbeatAt: ago(600_000) }));
  await writeRun(client, alias, run('finished', { status: 'ok', owner: { host: HOST, pid: dead } }), { refresh: true });
  const marked = await markAbortedRuns(client, alias);
  assert.equal(marked.map((r) => r.runId).sort(), ['elsewhere-silent', 'gone-here', 'killed']);
  const killed = await get('killed');
  assert.equal([killed.status, killed.endedAt], ['aborted', killed.heartbeatAt]);
  assert.match(
    killed.error!,
    `the run stopped without finishing: last heartbeat ${killed.heartbeatAt} and its process (pid ${dead} on ${HOST}) is gone`,
  );
  assert.match((await get('elsewhere-silent')).error!, ', none for 120 s');
  assert.equal(
    [(await get('alive-here')).status, (await get('elsewhere-fresh')).status, (await get('finished')).status],
    ['running', 'running', 'ok'],
  );
  unmark();
});

test('a run recorded on disk replaces its document while that still says running; never one that ended', async () => {
  const ended = run('gone-here', {
    status: 'failed',
    step: 'index',
    error: 'Elasticsearch: gone',
    endedAt: ago(0),
    localRecord: '/x.run.json',
  });
  // (marked aborted by the test above: the index knows better than a local record)
  assert.is(await recordLocalRun(client, alias, ended), false);
  await writeRun(client, alias, run('was-running'));
  assert.is(await recordLocalRun(client, alias, { ...ended, runId: 'was-running' }), true);
  assert.equal([(await get('was-running')).status, (await get('was-running')).step], ['failed', 'index']);
  assert.is(await recordLocalRun(client, alias, { ...ended, runId: 'never-written' }), true);
  assert.is((await get('never-written')).status, 'failed');
});

test("a source's state: its lock, the run under way, its last runs newest first", async () => {
  const unmark = markLive('now');
  const lock = await acquireLock(client, alias, 'state-src', 'now');
  await writeRun(client, alias, run('before', { source: 'state-src', status: 'ok', startedAt: ago(3600_000), endedAt: ago(3500_000) }));
  await writeRun(client, alias, run('now', { source: 'state-src', startedAt: ago(10_000) }), { refresh: true });
  const state = await sourceState(client, alias, 'state-src');
  assert.equal([state.lock?.runId, state.running?.runId, state.lastEnded?.runId], ['now', 'now', 'before']);
  assert.equal(
    state.runs.map((r) => r.runId),
    ['now', 'before'],
  );
  await lock.release();
  unmark();
  assert.is((await sourceState(client, alias, 'state-src')).lock, undefined);
  assert.equal(await latestRuns(client, alias, { source: 'nothing' }), []);
});

test('the summary table names every status, the failed step and the local record', () => {
  const text = formatSummary([
    run('a', { status: 'suspect', deletion: '180 of 300 records (60%) are no longer in the source: ...', stale: 180 }),
    run('b', { status: 'failed', step: 'index', error: 'Elasticsearch: ConnectionError: gone', localRecord: '/r/x.run.json' }),
    run('c', { status: 'interrupted', step: 'harvest', error: 'stopped (SIGTERM received again)' }),
    run('d', {
      end: { complete: false, reason: 'unreadable', message: '1 record(s) could not be read (positions 60)' },
      status: 'partial',
    }),
  ]);
  for (const part of [
    'SUSPECT',
    'removal: 180 of 300 records (60%)',
    'FAILED',
    'step "write the last records to the index" failed: Elasticsearch: ConnectionError: gone',
    'recorded locally (the index could not take it): /r/x.run.json',
    'INTERRUPTED',
    'interrupted during step "harvest the source": stopped (SIGTERM received again)',
    'incomplete (unreadable): 1 record(s) could not be read (positions 60)',
  ])
    assert.match(text, part);
});

test.run();
