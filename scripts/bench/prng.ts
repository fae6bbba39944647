/**
 * A small seeded pseudo-random generator (mulberry32, uniform in [0, 1)): the same seed gives the same sequence, so
 * that a benchmark asks the same queries on every run and a generated test corpus is the same on every machine.
 */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
