/**
 * The gentle stop of a harvester (pipelines/drain.ts), on a harvester of pages of our own: after the stop, the items
 * it holds and the page in flight are passed on, the next request is cancelled through the harvester's signal and
 * nothing of it is used.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { drainable } from '../../pipelines/drain.js';
import { COMPLETE, type HarvestItem, type RunEnd } from '../../harvesters/types.js';

/** Pages of `size` records, each "fetched" in `ms` (cancelled by the signal); records numbered from 1. */
function pages(n: number, size: number, ms: number, signal: AbortSignal, asked: number[]): AsyncGenerator<HarvestItem, RunEnd, undefined> {
  return (async function* () {
    for (let p = 0; p < n; p++) {
      asked.push(p + 1);
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(resolve, ms);
        signal.addEventListener('abort', () => {
          clearTimeout(t);
          reject(new Error('aborted'));
        });
      });
      for (let i = 1; i <= size; i++)
        yield { kind: 'record', raw: { source: 's', id: String(p * size + i), body: '', location: `page ${p + 1}` } };
    }
    return COMPLETE;
  })();
}

async function consume(gen: AsyncGenerator<HarvestItem, RunEnd, undefined>, onItem: (n: number) => void | Promise<void>) {
  const ids: string[] = [];
  for (;;) {
    const next = await gen.next();
    if (next.done) return { ids, end: next.value };
    if (next.value.kind === 'record') ids.push(next.value.raw.id!);
    await onItem(ids.length);
  }
}

test('without a stop: everything, and the harvester end', async () => {
  const asked: number[] = [];
  const { ids, end } = await consume(
    drainable(pages(3, 5, 5, new AbortController().signal, asked), new AbortController().signal, () => assert.unreachable()),
    () => {},
  );
  assert.is(ids.length, 15);
  assert.equal(end, COMPLETE);
});

test('a stop while a page is in flight: that page is passed on whole, the next request cancelled, the run incomplete', async () => {
  const asked: number[] = [];
  const harvester = new AbortController();
  const drain = new AbortController();
  const stopped: string[] = [];
  const gen = drainable(pages(10, 5, 40, harvester.signal, asked), drain.signal, (why) => {
    stopped.push(why);
    harvester.abort();
  });
  // the stop comes 20 ms into the wait for page 3
  const { ids, end } = await consume(gen, (n) => {
    if (n === 10) setTimeout(() => drain.abort(new Error('SIGTERM received')), 20);
  });
  assert.is(ids.length, 15, 'pages 1-3 whole');
  assert.equal(asked, [1, 2, 3, 4], 'page 4 was asked and cancelled');
  assert.equal(stopped, ['SIGTERM received']);
  assert.equal(end, { complete: false, reason: 'paging', message: 'SIGTERM received: the source was not asked for more' });
});

test('a stop while the records of a page are consumed: the rest of it, and the page in flight only when one is', async () => {
  const asked: number[] = [];
  const harvester = new AbortController();
  const drain = new AbortController();
  const gen = drainable(pages(10, 5, 10, harvester.signal, asked), drain.signal, () => harvester.abort());
  const { ids } = await consume(gen, (n) => {
    if (n === 7) drain.abort(new Error('stop'));
  });
  // stopped while no request was awaited: the items held (8-10) and one more request (page 3), then nothing
  assert.is(ids.length, 15);
  assert.equal(asked, [1, 2, 3, 4]);
});

test('a stop before anything: nothing is asked for beyond the first request, which is cancelled', async () => {
  const asked: number[] = [];
  const harvester = new AbortController();
  const { ids } = await consume(
    drainable(pages(3, 5, 10, harvester.signal, asked), AbortSignal.abort(new Error('stop')), () => harvester.abort()),
    () => {},
  );
  assert.equal(ids, []);
  assert.equal(asked, [1]);
});

test.run();
