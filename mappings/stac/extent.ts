/**
 * STAC extents → dct:spatial / dct:temporal. Pure.
 *
 * A collection's `extent` is required and read strictly: anything malformed is a RecordError naming the JSON path.
 * Older forms still found in catalogues are accepted with a warning: a flat `extent.spatial.bbox` ([w,s,e,n] instead of
 * [[w,s,e,n]]), a flat `extent.temporal.interval`, and the 0.6 forms `extent.spatial: [w,s,e,n]`,
 * `extent.temporal: [start, end]`.
 */
import type { GeoJsonLiteral, Location, PeriodOfTime } from '../../schemas/record.js';
import { RecordError } from '../../core/result.js';
import { dateLiteral, wktBbox } from '../../core/vocab.js';
import { isObject, num, obj } from '../../core/json.js';
import type { Bbox, Interval } from '../../core/stac.js';
import { sourceWarning, type SourceWarning } from '../../core/warnings.js';

export { geometryBbox, type Bbox, type Interval } from '../../core/stac.js';

/** Geometries longer than this (characters of GeoJSON) are not copied into the record: the bbox stays. */
export const MAX_GEOMETRY_CHARS = 100_000;

const fail = (path: string, message: string): RecordError => new RecordError('map', `${path}: ${message}`);

/**
 * Reads a STAC bbox: 4 numbers [w,s,e,n] or 6 numbers [w,s,zmin,e,n,zmax]. Throws a RecordError naming `path` when it is
 * not one, when a longitude is outside [-180, 180], a latitude outside [-90, 90], or south > north.
 * west > east is valid: the box crosses the antimeridian.
 */
export function readBbox(v: unknown, path: string): Bbox {
  if (!Array.isArray(v)) throw fail(path, `expected an array of 4 or 6 numbers, got ${describe(v)}`);
  if (v.length !== 4 && v.length !== 6) throw fail(path, `expected 4 or 6 numbers, got ${v.length}`);
  const bad = v.findIndex((x) => num(x) === undefined);
  if (bad >= 0) throw fail(`${path}[${bad}]`, `expected a number, got ${describe(v[bad])}`);
  const n = v as number[];
  const box: Bbox = n.length === 4 ? [n[0], n[1], n[2], n[3]] : [n[0], n[1], n[3], n[4]];
  const [w, s, e, north] = box;
  if (Math.abs(w) > 180 || Math.abs(e) > 180) throw fail(path, `longitude out of [-180, 180]: ${JSON.stringify(v)}`);
  if (Math.abs(s) > 90 || Math.abs(north) > 90) throw fail(path, `latitude out of [-90, 90]: ${JSON.stringify(v)}`);
  if (s > north) throw fail(path, `south ${s} is north of north ${north}`);
  return box;
}

/** A dct:Location holding the box as a WKT literal. */
export function bboxLocation(box: Bbox, label?: string): Location {
  const wkt = wktBbox(...box);
  // readBbox checked the ranges wktBbox checks, so this cannot be undefined for a box it returned
  if (!wkt) throw new RecordError('map', `bbox ${JSON.stringify(box)} cannot be written as WKT`);
  return { '@type': 'dct:Location', bbox: wkt, ...(label ? { prefLabel: { en: label } } : {}) };
}

/** Reads one STAC datetime; throws a RecordError naming `path` when it is not an RFC 3339 date-time. */
export function readDateTime(v: unknown, path: string): string {
  if (typeof v !== 'string' || !dateLiteral(v)) throw fail(path, `expected an RFC 3339 date-time, got ${describe(v)}`);
  return v;
}

/**
 * Reads a STAC interval [start, end] (either may be null: open). Throws a RecordError naming `path` when it is not an
 * array of two, when a bound is not a date-time, or when start is after end.
 */
export function readInterval(v: unknown, path: string): Interval {
  if (!Array.isArray(v) || v.length !== 2) throw fail(path, `expected [start, end] (null for an open end), got ${describe(v)}`);
  const start = v[0] === null ? null : readDateTime(v[0], `${path}[0]`);
  const end = v[1] === null ? null : readDateTime(v[1], `${path}[1]`);
  if (start !== null && end !== null && Date.parse(start) > Date.parse(end)) throw fail(path, `start ${start} is after end ${end}`);
  return [start, end];
}

/** A dct:PeriodOfTime of an interval; undefined when both ends are open (it says nothing). */
export function periodOfTime([start, end]: Interval): PeriodOfTime | undefined {
  const startDate = start === null ? undefined : dateLiteral(start);
  const endDate = end === null ? undefined : dateLiteral(end);
  if (!startDate && !endDate) return undefined;
  return { '@type': 'dct:PeriodOfTime', ...(startDate ? { startDate } : {}), ...(endDate ? { endDate } : {}) };
}

export interface CollectionExtent {
  /** Every box of extent.spatial.bbox; the first is the overall box. */
  bboxes: Bbox[];
  /** Every interval of extent.temporal.interval; the first is the overall interval. */
  intervals: Interval[];
}

/** Reads a collection's extent strictly (see the file comment for the older forms accepted). */
export function readCollectionExtent(extent: unknown, warnings: SourceWarning[]): CollectionExtent {
  if (extent === undefined || extent === null) throw fail('extent', 'missing (required for a collection)');
  if (!isObject(extent)) throw fail('extent', `expected an object, got ${describe(extent)}`);
  return { bboxes: readSpatial(extent.spatial, warnings), intervals: readTemporal(extent.temporal, warnings) };
}

function readSpatial(spatial: unknown, warnings: SourceWarning[]): Bbox[] {
  if (Array.isArray(spatial)) {
    warnings.push(sourceWarning('extent.spatial', 'a bare bbox (STAC 0.6 form): read as extent.spatial.bbox[0]'));
    return [readBbox(spatial, 'extent.spatial')];
  }
  const s = obj(spatial);
  if (!s) throw fail('extent.spatial', `expected an object with bbox, got ${describe(spatial)}`);
  const bbox = s.bbox;
  if (!Array.isArray(bbox) || bbox.length === 0)
    throw fail('extent.spatial.bbox', `expected a non-empty array of boxes, got ${describe(bbox)}`);
  if (bbox.every((x) => typeof x === 'number')) {
    warnings.push(sourceWarning('extent.spatial.bbox', 'a single flat box, not an array of boxes: read as one box'));
    return [readBbox(bbox, 'extent.spatial.bbox')];
  }
  return bbox.map((b, i) => readBbox(b, `extent.spatial.bbox[${i}]`));
}

function readTemporal(temporal: unknown, warnings: SourceWarning[]): Interval[] {
  if (Array.isArray(temporal)) {
    warnings.push(sourceWarning('extent.temporal', 'a bare interval (STAC 0.6 form): read as extent.temporal.interval[0]'));
    return [readInterval(temporal, 'extent.temporal')];
  }
  const t = obj(temporal);
  if (!t) throw fail('extent.temporal', `expected an object with interval, got ${describe(temporal)}`);
  const interval = t.interval;
  if (!Array.isArray(interval) || interval.length === 0) {
    throw fail('extent.temporal.interval', `expected a non-empty array of [start, end], got ${describe(interval)}`);
  }
  if (interval.length === 2 && interval.every((x) => x === null || typeof x === 'string')) {
    warnings.push(sourceWarning('extent.temporal.interval', 'a single flat interval, not an array of intervals: read as one interval'));
    return [readInterval(interval, 'extent.temporal.interval')];
  }
  return interval.map((x, i) => readInterval(x, `extent.temporal.interval[${i}]`));
}

/** The geometry as a GeoJSON literal; undefined when it is too large to copy (see MAX_GEOMETRY_CHARS). */
export function geoJsonLiteral(geometry: unknown): GeoJsonLiteral | undefined {
  const text = JSON.stringify(geometry);
  return text.length > MAX_GEOMETRY_CHARS ? undefined : { '@value': text, '@type': 'gsp:geoJSONLiteral' };
}

/** true when two boxes are the same (to a millionth of a degree). */
export function sameBbox(a: Bbox, b: Bbox): boolean {
  return a.every((x, i) => Math.abs(x - b[i]) < 1e-6);
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  const text = JSON.stringify(v);
  return text.length > 80 ? text.slice(0, 80) + '…' : text;
}
