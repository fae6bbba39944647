/**
 * A gentle stop of a harvester: once `drain` is aborted, the source is asked for nothing more, while what it already
 * sent is kept. The records the harvester holds (the rest of a page already received) and the page in flight when the
 * stop came are passed on; the first item that would need a new request ends the harvest there: the harvester's own
 * signal (`stopHarvester`) cancels that request at once and what it would have given is dropped, never half-used. The
 * pipeline then maps and writes everything passed on, so that a run stopped this way has in the index exactly what it
 * counted (pipelines/harvest.ts records it `interrupted`, nothing removed).
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
  const stopped = (): RunEnd => incomplete('paging', `${why()}: the source was not asked for more`);
  let finished = false;
  try {
    for (;;) {
      // a stop before this item was asked for: only an item the harvester already holds is still taken
      const drainedBefore = drain.aborted;
      const p = gen.next();
      if (drainedBefore && !(await settlesNow(p))) {
        stopHarvester(why());
        await p.catch(() => undefined); // its request cancelled: what it gives is dropped
        return stopped();
      }
      const next = await p;
      if (next.done) {
        finished = true;
        return next.value;
      }
      yield next.value;
    }
  } finally {
    if (!finished) await gen.return(incomplete('paging', 'stopped')).catch(() => undefined);
  }
}
