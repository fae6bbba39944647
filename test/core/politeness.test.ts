/** The per-host politeness limiter (core/politeness.ts): requests in flight per host, the delay between starts, aborts. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { HostLimiter, hostKey } from '../../core/politeness.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('hostKey: host and port, default ports made explicit', () => {
  assert.is(hostKey('https://catalogue.example.org/csw?x=1'), 'catalogue.example.org:443');
  assert.is(hostKey('http://127.0.0.1:8765/csw'), '127.0.0.1:8765');
  assert.is(hostKey('http://[::1]/x'), '[::1]:80');
  assert.is(hostKey('not a url'), '');
});

test('limits are checked', () => {
  assert.throws(() => new HostLimiter({ maxPerHost: 0 }), /maxPerHost must be a whole number >= 1/);
  assert.throws(() => new HostLimiter({ maxPerHost: 1.5 }), /maxPerHost/);
  assert.throws(() => new HostLimiter({ delayMs: -1 }), /delayMs must be a number of ms >= 0/);
  assert.equal(new HostLimiter().limits, { maxPerHost: Infinity, delayMs: 0 });
});

test('at most maxPerHost in flight per host, other hosts not held back, in order of arrival', async () => {
  const l = new HostLimiter({ maxPerHost: 2 });
  const started: string[] = [];
  const job = async (host: string, name: string, ms: number) => {
    const release = await l.acquire(host);
    started.push(name);
    await sleep(ms);
    release();
  };
  const all = Promise.all([job('a', 'a1', 60), job('a', 'a2', 60), job('a', 'a3', 10), job('a', 'a4', 10), job('b', 'b1', 10)]);
  await sleep(20);
  assert.equal(started.sort(), ['a1', 'a2', 'b1']);
  assert.equal(l.stats('a'), { inFlight: 2, peak: 2 });
  await all;
  assert.equal(started.slice(3), ['a3', 'a4']);
  assert.equal(l.stats('a'), { inFlight: 0, peak: 2 });
});

test('a delay between the starts of two requests to one host; a release twice counts once', async () => {
  const l = new HostLimiter({ maxPerHost: 10, delayMs: 80 });
  const at: number[] = [];
  await Promise.all(
    [0, 1, 2].map(async () => {
      const release = await l.acquire('h');
      at.push(Date.now());
      release();
      release();
    }),
  );
  assert.ok(at[1] - at[0] >= 75 && at[2] - at[1] >= 75, JSON.stringify(at));
  assert.is(l.stats('h').inFlight, 0);
});

test('a waiting request gives up when its signal is aborted; the others go on', async () => {
  const l = new HostLimiter({ maxPerHost: 1 });
  const first = await l.acquire('h');
  const controller = new AbortController();
  const waiting = l.acquire('h', controller.signal);
  const next = l.acquire('h');
  controller.abort(new Error('stopped'));
  await waiting.then(
    () => assert.unreachable('should have been refused'),
    (err: Error) => assert.is(err.message, 'stopped'),
  );
  first();
  const release = await next;
  assert.is(l.stats('h').inFlight, 1);
  release();
  const late = await l.acquire('h', AbortSignal.abort(new Error('aborted before'))).catch((err: Error) => err.message);
  assert.is(late, 'aborted before');
});

test('configure: raising the limit lets waiting requests start at once', async () => {
  const l = new HostLimiter({ maxPerHost: 1 });
  const r1 = await l.acquire('h');
  let second = false;
  const p = l.acquire('h').then((r) => {
    second = true;
    return r;
  });
  await sleep(10);
  assert.is(second, false);
  l.configure({ maxPerHost: 2 });
  (await p)();
  assert.is(second, true);
  r1();
});

test.run();
