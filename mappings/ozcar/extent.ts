/**
 * Extents of an OZCAR dataset: the bounding box of a GeoJSON geometry (from every coordinate) and the union of the
 * observations' time extents. Pure.
 */
import type { DateLiteral } from '../../schemas/record.js';
import { arr, isObject } from '../../core/json.js';
import { dateLiteral } from '../../core/vocab.js';

export type Position = [number, number, ...number[]];

function isPosition(v: unknown): v is Position {
  return Array.isArray(v) && v.length >= 2 && v.every((n) => typeof n === 'number' && Number.isFinite(n));
}

/** Every position of a GeoJSON geometry, a Feature or a FeatureCollection (nested coordinate arrays, collections). */
export function positions(geojson: unknown, out: Position[] = []): Position[] {
  if (!isObject(geojson)) return out;
  if (geojson.type === 'Feature') return positions(geojson.geometry, out);
  if (geojson.type === 'FeatureCollection') {
    for (const f of arr(geojson.features)) positions(f, out);
    return out;
  }
  if (geojson.type === 'GeometryCollection') {
    for (const g of arr(geojson.geometries)) positions(g, out);
    return out;
  }
  const walk = (c: unknown) => {
    if (isPosition(c)) out.push(c);
    else for (const x of arr(c)) walk(x);
  };
  walk(geojson.coordinates);
  return out;
}

export interface Bbox {
  west: number;
  south: number;
  east: number;
  north: number;
}

/**
 * Bounding box of positions: min/max of longitudes and latitudes. Undefined when there is no position. A set of
 * positions across the antimeridian gives the wide box (-180..180 side); OZCAR sites do not cross it.
 */
export function bboxOf(ps: readonly Position[]): Bbox | undefined {
  if (!ps.length) return undefined;
  let [west, south] = ps[0];
  let [east, north] = ps[0];
  for (const [x, y] of ps) {
    if (x < west) west = x;
    if (x > east) east = x;
    if (y < south) south = y;
    if (y > north) north = y;
  }
  return { west, south, east, north };
}

export function inBbox(p: Position, b: Bbox): boolean {
  return p[0] >= b.west && p[0] <= b.east && p[1] >= b.south && p[1] <= b.north;
}

/** A time extent of an observation, as given. */
export interface TimeExtent {
  dateBeg?: unknown;
  dateEnd?: unknown;
}

export interface Period {
  start?: DateLiteral;
  end?: DateLiteral;
  /** Extents that could not be read, for warnings. */
  unreadable: number;
}

/**
 * "For results that are not temporal (e.g. a geological map) the date of acquisition followed by 31-12-9999": such an
 * end (year 9999) is not a real end, the acquisition date is.
 */
const NOT_TEMPORAL_END = /^9999-/;

/** Union of time extents: the earliest start and the latest end, each kept as written (typed by dateLiteral). */
export function unionPeriod(extents: readonly TimeExtent[]): Period {
  let start: { ms: number; text: string } | undefined;
  let end: { ms: number; text: string } | undefined;
  let unreadable = 0;
  for (const e of extents) {
    const beg = typeof e.dateBeg === 'string' ? e.dateBeg.trim() : undefined;
    const fin = typeof e.dateEnd === 'string' ? e.dateEnd.trim() : undefined;
    const b = beg && dateLiteral(beg) ? Date.parse(beg) : NaN;
    const endText = fin && NOT_TEMPORAL_END.test(fin) ? beg : fin;
    const f = endText && dateLiteral(endText) ? Date.parse(endText) : NaN;
    if (Number.isNaN(b) || Number.isNaN(f) || b > f) {
      unreadable++;
      continue;
    }
    if (!start || b < start.ms) start = { ms: b, text: beg! };
    if (!end || f > end.ms) end = { ms: f, text: endText! };
  }
  return { ...(start ? { start: dateLiteral(start.text)! } : {}), ...(end ? { end: dateLiteral(end.text)! } : {}), unreadable };
}
