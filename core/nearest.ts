/**
 * "Did you mean ...?": the known name nearest to a mistyped one (an option, a command, a source id), by edit distance.
 */

/** Levenshtein distance (insertions, deletions, substitutions), case-insensitive. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const row = [i];
    for (let j = 1; j <= t.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (s[i - 1] === t[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[t.length];
}

/**
 * The candidate nearest to `word`, or undefined when none is near enough to be a likely typo: at most a third of the
 * longer name's letters differ (at least one may), or one name begins with the other ("--ur" for "--url").
 */
export function nearest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(word, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  if (best === undefined) return undefined;
  const w = word.toLowerCase();
  const b = best.toLowerCase();
  const prefix = w.length >= 3 && (b.startsWith(w) || w.startsWith(b));
  return bestDistance <= Math.max(1, Math.floor(Math.max(word.length, best.length) / 3)) || prefix ? best : undefined;
}
