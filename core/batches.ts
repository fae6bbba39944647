/**
 * A stream worked on in batches and given back in its own order: the items that belong in a batch are gathered
 * `size` at a time and handed to `work` (which runs while the stream goes on); any other item closes the batch being
 * gathered and passes on its own, in its place, unless `holdLone`: then it is held in the batch being gathered and
 * given back after the members before it (a file's notice between two records does not cut a batch short:
 * `harvester validate` yields one per file, and its batches were of one record each). At most `window` batches (or
 * lone items) wait to be given back.
 * The stream's return value is returned. When the stream throws, what it yielded before is still given back, then its
 * error; when the consumer stops early, the stream is stopped too (its finally blocks run).
 * Used for the raw-hash lookups of unchanged records (pipelines/unchanged.ts) and the mapping threads
 * (pipelines/map-pool.ts).
 */
export interface BatchOptions<I, B, O> {
  /** What an item puts in a batch; undefined: the item passes on its own. */
  member: (item: I) => B | undefined;
  /** A batch's results, in its order. */
  work: (batch: B[]) => Promise<O[]>;
  /** A lone item as a result. */
  alone: (item: I) => O;
  /** Members per batch. */
  size: number;
  /** Batches and lone items waiting at most. */
  window: number;
  /**
   * Lone items met while a batch is gathered are held in it, in their place, instead of closing it (default false).
   * Only for a `work` that gives one result per member, in order (results are put back among the lone items by their
   * position).
   */
  holdLone?: boolean;
  /**
   * When the stream gives nothing for this long (a slow page, a page that hangs), the batch gathered so far is handed
   * to `work` and every result ready is given back, instead of waiting for the stream to go on. Default: wait.
   */
  maxWaitMs?: number;
}

const IDLE = Symbol('idle');

export async function* inOrderBatches<I, B, O, R>(
  items: AsyncGenerator<I, R, undefined>,
  o: BatchOptions<I, B, O>,
): AsyncGenerator<O, R, undefined> {
  const fifo: Promise<O[]>[] = [];
  let batch: B[] = [];
  // lone items met while a batch is gathered: their results, and how many members came before each
  let held: { at: number; out: O }[] = [];
  const flush = () => {
    if (batch.length) {
      const lone = held;
      fifo.push(lone.length ? o.work(batch).then((results) => inPlace(results, lone)) : o.work(batch));
    }
    batch = [];
    held = [];
  };
  let failure: { error: unknown } | undefined;
  let end: R | undefined;
  let done = false;
  let pending: Promise<IteratorResult<I, R>> | undefined;
  try {
    for (;;) {
      pending ??= items.next();
      let next: IteratorResult<I, R>;
      if (o.maxWaitMs !== undefined && (batch.length > 0 || fifo.length > 0)) {
        let timer: NodeJS.Timeout | undefined;
        const idle = new Promise<typeof IDLE>((resolve) => (timer = setTimeout(() => resolve(IDLE), o.maxWaitMs)));
        const first = await Promise.race([pending, idle]);
        clearTimeout(timer);
        if (first === IDLE) {
          // the stream is slow: what was gathered goes on now (the stream's next item is still awaited)
          flush();
          while (fifo.length) yield* await fifo.shift()!;
          continue;
        }
        next = first;
      } else next = await pending;
      pending = undefined;
      if (next.done) {
        end = next.value;
        done = true;
        break;
      }
      const member = o.member(next.value);
      if (member !== undefined) {
        batch.push(member);
        if (batch.length >= o.size) flush();
      } else if (batch.length && o.holdLone) {
        held.push({ at: batch.length, out: o.alone(next.value) });
        if (held.length >= o.size) flush(); // (held items are bounded too)
      } else {
        flush();
        fifo.push(Promise.resolve([o.alone(next.value)]));
      }
      while (fifo.length > o.window) yield* await fifo.shift()!;
    }
  } catch (error) {
    failure = { error }; // the stream failed: what it yielded before goes on, then its error
  } finally {
    // stopped early by the consumer: the stream stops too
    if (!done && !failure) await items.return(undefined as R);
  }
  flush();
  while (fifo.length) yield* await fifo.shift()!;
  if (failure) throw failure.error;
  return end as R;
}

/** A batch's results with the lone items held while it was gathered, each after the members that came before it. */
function inPlace<O>(results: O[], held: { at: number; out: O }[]): O[] {
  const out: O[] = [];
  let r = 0;
  for (const h of held) {
    while (r < h.at) out.push(results[r++]);
    out.push(h.out);
  }
  while (r < results.length) out.push(results[r++]);
  return out;
}
