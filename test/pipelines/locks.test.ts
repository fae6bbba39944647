/** The lock per source, on the real node: taken once, refused or waited for, taken over from a dead holder, lost, released. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { acquireLock, currentLock, HOST, LockHeld, locksIndex, markLive, type LockInfo } from '../../pipelines/locks.js';
import { deleteIndices, esClient, tempIndexName } from '../helpers/services.js';

const client = await esClient();
const alias = tempIndexName('locks');
test.after(async () => {
  await deleteIndices(client, `${alias}*`);
});

/** A pid that existed and no longer does. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '0']);
  return r.pid;
}

test('taken once: a second run is refused with the holder named; released, the source is free', async () => {
  const unmark = markLive('run-a');
  const a = await acquireLock(client, alias, 'one', 'run-a');
  const held = await currentLock(client, alias, 'one');
  assert.equal([held?.runId, held?.pid, held?.host, held?.expired, held?.holderGone], ['run-a', process.pid, HOST, false, false]);
  try {
    await acquireLock(client, alias, 'one', 'run-b');
    assert.unreachable('a second run took the lock');
  } catch (err) {
    assert.instance(err, LockHeld);
    assert.is((err as LockHeld).holder.runId, 'run-a');
    assert.match((err as Error).message, `source "one" is being harvested by run run-a (pid ${process.pid} on ${HOST}) since `);
    assert.match((err as Error).message, 'not started (harvest --wait waits for it; the lock expires at ');
  }
  assert.is(await a.heartbeat(), 'ok');
  await a.release();
  unmark();
  assert.is(await currentLock(client, alias, 'one'), undefined);
});

test('a heartbeat extends the lock; an expired one is taken over, and its holder learns it has lost it', async () => {
  const unmark = markLive('run-old');
  const old = await acquireLock(client, alias, 'two', 'run-old', { ttlMs: 1000 });
  const first = (await currentLock(client, alias, 'two'))!.expiresAt;
  await new Promise((r) => setTimeout(r, 50));
  assert.is(await old.heartbeat(), 'ok');
  assert.ok((await currentLock(client, alias, 'two'))!.expiresAt > first, 'extended');
  // another machine's view: the holder is alive here, but its lock expired (no heartbeat for the ttl)
  await new Promise((r) => setTimeout(r, 1200));
  assert.is((await currentLock(client, alias, 'two'))!.expired, true);
  unmark(); // (this process no longer runs it: like a holder whose heartbeats stopped)
  const notes: string[] = [];
  const taker = await acquireLock(client, alias, 'two', 'run-new', { onNote: (m) => notes.push(m) });
  assert.match(notes[0], /^took over the lock of run run-old \(pid \d+ on .*\): its process is gone$/);
  assert.is(await old.heartbeat(), 'lost');
  await old.release(); // does not release the taker's lock
  assert.is((await currentLock(client, alias, 'two'))?.runId, 'run-new');
  await taker.release();
});

test("a dead process's lock (kill -9) is taken over at once; of two takers, one wins", async () => {
  const dead: LockInfo = {
    source: 'three',
    runId: 'killed',
    host: HOST,
    pid: deadPid(),
    acquiredAt: new Date().toISOString(),
    heartbeatAt: new Date().toISOString(),
    expiresAt: new Date(Date.now() + 3600_000).toISOString(),
  };
  await client.index({ index: locksIndex(alias), id: 'three', document: dead, refresh: true });
  assert.is((await currentLock(client, alias, 'three'))?.holderGone, true);
  const unmark = [markLive('t1'), markLive('t2')];
  const results = await Promise.allSettled([acquireLock(client, alias, 'three', 't1'), acquireLock(client, alias, 'three', 't2')]);
  const won = results.filter((r) => r.status === 'fulfilled');
  const lost = results.filter((r) => r.status === 'rejected');
  assert.is(won.length, 1);
  assert.instance(lost[0].reason, LockHeld);
  const holder = (await currentLock(client, alias, 'three'))!;
  assert.ok(['t1', 't2'].includes(holder.runId));
  await won[0].value.release();
  unmark.forEach((u) => u());
});

test('asked to wait, a run gets the lock when its holder releases it', async () => {
  const unmark = [markLive('first'), markLive('second')];
  const first = await acquireLock(client, alias, 'four', 'first');
  setTimeout(() => void first.release(), 500);
  const notes: string[] = [];
  const t0 = Date.now();
  const second = await acquireLock(client, alias, 'four', 'second', { waitMs: 30_000, onNote: (m) => notes.push(m) });
  assert.ok(Date.now() - t0 >= 400);
  assert.equal(notes, [`waiting for run first (pid ${process.pid} on ${HOST}) to release the lock of "four"`]);
  assert.is((await currentLock(client, alias, 'four'))?.runId, 'second');
  await second.release();
  // waiting has a bound: past it, refused, saying how long it waited
  const third = await acquireLock(client, alias, 'four', 'first');
  try {
    await acquireLock(client, alias, 'four', 'second', { waitMs: 300 });
    assert.unreachable();
  } catch (err) {
    assert.match((err as Error).message, /still held after waiting 0 s/);
  }
  await third.release();
  unmark.forEach((u) => u());
});

test.run();
