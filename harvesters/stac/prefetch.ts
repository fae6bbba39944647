/**
 * Ordered read-ahead: runs `load` over inputs with at most `window` results started and not yet consumed, and yields
 * them in input order. The actual parallelism is bounded by the p-queue `load` goes through (shared by a whole walk);
 * the window bounds what is held in memory (a collection with 100,000 item links never has more than `window` items
 * loaded at once).
 */
export async function* prefetch<T, R>(inputs: readonly T[], load: (input: T) => Promise<R>, window: number): AsyncGenerator<[T, R]> {
  if (!Number.isInteger(window) || window < 1) throw new RangeError(`prefetch window must be an integer >= 1, got ${window}`);
  const pending: Promise<R>[] = [];
  let started = 0;
  const startNext = (): void => {
    const p = load(inputs[started++]);
    p.catch(() => undefined); // a rejection is observed when its turn comes, not reported as unhandled before
    pending.push(p);
  };
  while (started < inputs.length && pending.length < window) startNext();
  for (let i = 0; i < inputs.length; i++) {
    const result = await pending.shift()!;
    if (started < inputs.length) startNext();
    yield [inputs[i], result];
  }
}
