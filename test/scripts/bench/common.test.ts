/**
 * scripts/bench/common.ts loadTest, as the search benchmark pairs its two sides: a run of `{ amount: n }` sends exactly
 * the first n requests of the list, each once, however many clients share them; a timed run cycles through the list.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadTest, machineCpuMs } from '../../../scripts/bench/common.js';

/** A server on loopback that answers 200 to everything and records the paths asked, in order of arrival. */
async function recorder(): Promise<{ base: string; paths: string[]; server: Server }> {
  const paths: string[] = [];
  const server = createServer((req, res) => {
    paths.push(req.url ?? '');
    // a little work per request, so that several clients overlap
    setTimeout(() => res.end('{}'), 1);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, paths, server };
}

const LIST = Array.from({ length: 200 }, (_, i) => ({ method: 'GET' as const, path: `/q/${i}` }));

test('{ amount } sends the first requests of the list, each once, and counts them all', async () => {
  const { base, paths, server } = await recorder();
  try {
    const m = await loadTest(base, LIST, 8, { amount: 75 });
    assert.is(m.requests, 75);
    assert.is(m.errors, 0);
    assert.is(m.times.length, 75);
    assert.is(paths.length, 75);
    assert.equal(
      [...paths].sort(),
      LIST.slice(0, 75)
        .map((r) => r.path)
        .sort(),
    );
  } finally {
    server.close();
  }
});

test('a timed run cycles through the list from its start', async () => {
  const { base, paths, server } = await recorder();
  try {
    const m = await loadTest(base, LIST.slice(0, 5), 2, 1);
    assert.ok(m.requests > 10, `only ${m.requests} requests in a second`);
    assert.equal(paths.slice(0, 5).sort(), ['/q/0', '/q/1', '/q/2', '/q/3', '/q/4']);
    // every path of the short list asked again and again, none left out
    for (const r of LIST.slice(0, 5)) assert.ok(paths.filter((p) => p === r.path).length >= 2, r.path);
  } finally {
    server.close();
  }
});

test('machineCpuMs counts busy and idle time that only grows', async () => {
  const a = machineCpuMs();
  const until = Date.now() + 50;
  while (Date.now() < until); // busy for 50 ms
  await new Promise((r) => setTimeout(r, 50));
  const b = machineCpuMs();
  assert.ok(a.busy > 0 && a.idle >= 0);
  assert.ok(b.busy >= a.busy + 30, `busy ${a.busy} -> ${b.busy} after 50 ms of work`);
  assert.ok(b.idle >= a.idle);
});

test.run();
