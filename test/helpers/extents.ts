/**
 * The places and times of records as tests read them on their own (not with the code under test), to compute what a
 * search by box or period must find.
 */
import type { HubRecord } from '../../schemas/record.js';

/** The [west, south, east, north] boxes of a record, read from its WKT bounding boxes (west > east across 180°). */
export function boxes(r: HubRecord): number[][] {
  return (r.spatial ?? []).flatMap((l) => {
    if (!l.bbox) return [];
    // POLYGON((w s,e s,e n,w n,w s))
    const n = l.bbox['@value'].match(/-?\d+(\.\d+)?([eE][-+]?\d+)?/g)!.map(Number);
    return [[n[0], n[1], n[2], n[5]]];
  });
}

/** Longitude intervals of a box, cut at the antimeridian. */
const lon = (w: number, e: number) =>
  w <= e
    ? [[w, e]]
    : [
        [w, 180],
        [-180, e],
      ];

/** Whether box `b` meets box `q` (both [w, s, e, n], either may cross the antimeridian). */
export const inBox = (b: number[], q: number[]) =>
  b[1] <= q[3] && b[3] >= q[1] && lon(b[0], b[2]).some(([a1, a2]) => lon(q[0], q[2]).some(([b1, b2]) => a1 <= b2 && a2 >= b1));

/** The instant a date literal stands for: its first moment, or with `end` its last (a year, a month, a day). */
export function instant(value: string, end: boolean): number {
  if (/^\d{4}$/.test(value)) return end ? Date.UTC(Number(value) + 1, 0, 1) - 1 : Date.UTC(Number(value), 0, 1);
  if (/^\d{4}-\d{2}$/.test(value)) {
    const [y, m] = value.split('-').map(Number);
    return end ? Date.UTC(y, m, 1) - 1 : Date.UTC(y, m - 1, 1);
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return Date.parse(value + 'T00:00:00Z') + (end ? 86_400_000 - 1 : 0);
  return Date.parse(/Z|[+-]\d\d:?\d\d$/.test(value) ? value : value + 'Z');
}

/** Whether a period of the record meets [from, to] (ms; an open end is infinite; a period without dates meets none). */
export function overlaps(r: HubRecord, from: number, to: number): boolean {
  return (r.temporal ?? []).some((p) => {
    if (!p.startDate && !p.endDate) return false;
    const s = p.startDate ? instant(p.startDate['@value'], false) : -Infinity;
    const e = p.endDate ? instant(p.endDate['@value'], true) : Infinity;
    return s <= to && e >= from;
  });
}
