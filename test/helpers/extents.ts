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
