/**
 * A gentle stop of a harvester: once `drain` is aborted, the source is asked for nothing more, while what it already
 * sent is kept. The items the harvester holds (the rest of a page already received) are passed on, and so is the page
 * in flight when the stop came (the request under way then is waited for: one request, whether the pipeline was
 * waiting for it at that moment or asks for it next); the next item that needs a request ends the harvest: the
 * harvester's own signal (`stopHarvester`) cancels that request (a harvester that asks one page ahead may have sent it)
 * and what it would have given is dropped, never half-used. The pipeline then maps and writes everything passed on,
 * so that a run stopped this way has in the index exactly what it counted (pipelines/harvest.ts records it
 * `interrupted`, nothing removed).
 */
import { incomplete, type HarvestItem, type RunEnd } from '../harvesters/types.js';

/** Whether `p` settles before the event loop's next turn (the item was in the harvester's hands, no I/O awaited). */
async function settlesNow<T>(p: Promise<T>): Promise<boolean> {
  let settled = false;
  const mark = () => {
    settled = true;
  };
  p.then(mark, mark);
  await new Promise<void>((resolve) => setImmediate(resolve));
  return settled;
}

export async function* drainable(
  gen: AsyncGenerator<HarvestItem, RunEnd, undefined>,
  drain: AbortSignal | undefined,
  stopHarvester: (why: string) => void,
): AsyncGenerator<HarvestItem, RunEnd, undefined> {
  if (!drain) return yield* gen;
  const why = () => {
    const r = drain.reason as unknown;
    return r instanceof Error ? r.message : typeof r === 'string' ? r : 'the run was stopped';
  };
  /** Whether the pipeline is waiting for the harvester (a request of it in flight) right now. */
  let waiting = false;
  /** Requests still awaited after the stop: the one in flight when it came, else the next one. */
  let allowance = 1;
  const onDrain = () => {
    if (waiting) allowance = 0; // the request in flight is the one awaited
  };
  if (drain.aborted)
    allowance = 0; // stopped before anything was asked
  else drain.addEventListener('abort', onDrain, { once: true });
  let finished = false;
  try {
    for (;;) {
      const p = gen.next();
      if (drain.aborted && !(await settlesNow(p))) {
        if (allowance === 0) {
          stopHarvester(why());
          await p.catch(() => undefined); // its request cancelled: what it gives is dropped
          return incomplete('paging', `${why()}: the source was not asked for more`);
        }
        allowance--;
      }
      waiting = true;
      let next: IteratorResult<HarvestItem, RunEnd>;
      try {
        next = await p;
      } finally {
        waiting = false;
      }
      if (next.done) {
        finished = true;
        return next.value;
      }
      yield next.value;
    }
  } finally {
    drain.removeEventListener('abort', onDrain);
    if (!finished) await gen.return(incomplete('paging', 'stopped')).catch(() => undefined);
  }
}
