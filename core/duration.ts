/**
 * Durations as an operator writes them in a sources file: a number and a unit, `90s`, `30m`, `12h`, `7d`, `2w`
 * (`0` alone: none). Pure.
 */

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const DURATION = /^(\d+(?:\.\d+)?)\s*(s|m|h|d|w)$/;

/** The milliseconds of a duration (`7d`, `12h`, `30m`, `90s`, `2w`, `0`), or undefined when it is not one. */
export function parseDuration(text: unknown): number | undefined {
  if (text === 0 || text === '0') return 0;
  if (typeof text !== 'string') return undefined;
  const m = DURATION.exec(text.trim());
  if (!m) return undefined;
  const ms = Number(m[1]) * UNITS[m[2]];
  return Number.isFinite(ms) ? Math.round(ms) : undefined;
}

/** A duration for a message: `7d`, `36h`, `90s` (the largest unit that divides it), `0`. */
export function durationText(ms: number): string {
  if (ms === 0) return '0';
  for (const u of ['w', 'd', 'h', 'm', 's']) if (ms % UNITS[u] === 0) return `${ms / UNITS[u]}${u}`;
  return `${ms}ms`;
}
