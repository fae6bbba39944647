/**
 * STAC extents → dct:spatial / dct:temporal. Pure.
 *
 * Extents are optional in the record: a box, an interval or a date-time that is malformed (a latitude of 95, south
 * north of north, "11/12/2020", a start after its end) is left out with a warning naming its JSON path and its value,
 * and the rest of the record is kept (only a missing identifier or title fails a record). Older forms still found in
 * catalogues are accepted with a warning: a flat `extent.spatial.bbox` ([w,s,e,n] instead of [[w,s,e,n]]), a flat
 * `extent.temporal.interval`, and the 0.6 forms `extent.spatial: [w,s,e,n]`, `extent.temporal: [start, end]`.
 */
import type { GeoJsonLiteral, Location, PeriodOfTime } from '../../schemas/record.js';
import { RecordError } from '../../core/result.js';
import { dateLiteral, wktBbox } from '../../core/vocab.js';
import { isObject, num, obj } from '../../core/json.js';
import type { Bbox, Interval } from '../../core/stac.js';
import { coded, phrase, phraseText, type Phrase, type SourceWarning } from '../../core/warnings.js';
import type { ParamValue } from '../../core/texts/render.js';

export { geometryBbox, type Bbox, type Interval } from '../../core/stac.js';

/** Geometries longer than this (characters of GeoJSON) are not copied into the record: the bbox stays. */
export const MAX_GEOMETRY_CHARS = 100_000;

/** What is wrong with a value: where (its JSON path) and why; thrown by the strict readers. */
class ExtentProblem extends RecordError {
  constructor(
    readonly at: string,
    readonly why: Phrase,
  ) {
    super('map', `${at}: ${phraseText(why)}`);
  }
}

const fail = (path: string, why: Phrase): ExtentProblem => new ExtentProblem(path, why);

/**
 * Runs a strict reader; a malformed value is a warning at its path, saying what is left out, and undefined.
 * (A harvester's own data, such as an enrichment, is read with the strict readers: a fault there is a bug.)
 */
function orWarn<T>(read: () => T, warnings: SourceWarning[], leftOut: Phrase): T | undefined {
  try {
    return read();
  } catch (e) {
    if (!(e instanceof ExtentProblem)) throw e;
    warnings.push(coded(e.at, 'stac.extent.invalid', { why: e.why, leftOut }));
    return undefined;
  }
}

/**
 * Reads a STAC bbox: 4 numbers [w,s,e,n] or 6 numbers [w,s,zmin,e,n,zmax]. Throws a RecordError naming `path` when it is
 * not one, when a longitude is outside [-180, 180], a latitude outside [-90, 90], or south > north.
 * west > east is valid: the box crosses the antimeridian.
 */
export function readBbox(v: unknown, path: string): Bbox {
  if (!Array.isArray(v)) throw fail(path, phrase('stac.bbox.notArray', { got: describe(v) }));
  if (v.length !== 4 && v.length !== 6) throw fail(path, phrase('stac.bbox.length', { count: v.length }));
  const bad = v.findIndex((x) => num(x) === undefined);
  if (bad >= 0) throw fail(`${path}[${bad}]`, phrase('stac.bbox.notNumber', { got: describe(v[bad]) }));
  const n = v as number[];
  const box: Bbox = n.length === 4 ? [n[0], n[1], n[2], n[3]] : [n[0], n[1], n[3], n[4]];
  const [w, s, e, north] = box;
  if (Math.abs(w) > 180 || Math.abs(e) > 180) throw fail(path, phrase('stac.bbox.longitude', { box: JSON.stringify(v) }));
  if (Math.abs(s) > 90 || Math.abs(north) > 90) throw fail(path, phrase('stac.bbox.latitude', { box: JSON.stringify(v) }));
  if (s > north) throw fail(path, phrase('stac.bbox.southNorth', { south: s, north }));
  return box;
}

/** A STAC bbox as readBbox reads it; a malformed one is a warning at its path and undefined. */
export function bboxOrWarn(
  v: unknown,
  path: string,
  warnings: SourceWarning[],
  leftOut: Phrase = phrase('stac.leftOut.box'),
): Bbox | undefined {
  return orWarn(() => readBbox(v, path), warnings, leftOut);
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
  if (typeof v !== 'string' || !dateLiteral(v)) throw fail(path, phrase('stac.datetime.invalid', { got: describe(v) }));
  return v;
}

/**
 * Reads a STAC interval [start, end] (either may be null: open). Throws a RecordError naming `path` when it is not an
 * array of two, when a bound is not a date-time, or when start is after end.
 */
export function readInterval(v: unknown, path: string): Interval {
  if (!Array.isArray(v) || v.length !== 2) throw fail(path, phrase('stac.interval.notPair', { got: describe(v) }));
  const start = v[0] === null ? null : readDateTime(v[0], `${path}[0]`);
  const end = v[1] === null ? null : readDateTime(v[1], `${path}[1]`);
  if (start !== null && end !== null && Date.parse(start) > Date.parse(end))
    throw fail(path, phrase('stac.interval.order', { start, end }));
  return [start, end];
}

/** A STAC interval as readInterval reads it; a malformed one is a warning at its path and undefined. */
export function intervalOrWarn(v: unknown, path: string, warnings: SourceWarning[]): Interval | undefined {
  return orWarn(() => readInterval(v, path), warnings, phrase('stac.leftOut.interval'));
}

/** A STAC date-time as readDateTime reads it; a malformed one is a warning at its path and undefined. */
export function dateTimeOrWarn(v: unknown, path: string, warnings: SourceWarning[], leftOut: Phrase): string | undefined {
  return orWarn(() => readDateTime(v, path), warnings, leftOut);
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

/**
 * Reads a collection's extent (see the file comment for the older forms accepted): each box and interval that can be
 * read; what cannot is a warning at its JSON path. `stacVersion`: the document's; the bare forms are the right ones
 * before STAC 0.8 (0.6, 0.7), read without a warning there.
 */
export function readCollectionExtent(extent: unknown, warnings: SourceWarning[], stacVersion?: string): CollectionExtent {
  if (extent === undefined || extent === null) {
    warnings.push(coded('extent', 'stac.extent.missing'));
    return { bboxes: [], intervals: [] };
  }
  if (!isObject(extent)) {
    warnings.push(coded('extent', 'stac.extent.notObject', { got: describe(extent) }));
    return { bboxes: [], intervals: [] };
  }
  const bare = /^0\.[0-7]\./.test(stacVersion ?? '') ? [] : warnings;
  return { bboxes: readSpatial(extent.spatial, warnings, bare), intervals: readTemporal(extent.temporal, warnings, bare) };
}

const defined = <T>(x: T | undefined): x is T => x !== undefined;

/** `bare`: where a bare (pre-0.8) form is said to be one (nowhere for a document of that version). */
function readSpatial(spatial: unknown, warnings: SourceWarning[], bare: SourceWarning[]): Bbox[] {
  if (Array.isArray(spatial)) {
    bare.push(coded('extent.spatial', 'stac.extent.bareBbox'));
    return [bboxOrWarn(spatial, 'extent.spatial', warnings)].filter(defined);
  }
  const s = obj(spatial);
  if (!s) {
    warnings.push(coded('extent.spatial', 'stac.extent.spatialNotObject', { got: describe(spatial) }));
    return [];
  }
  const bbox = s.bbox;
  if (!Array.isArray(bbox) || bbox.length === 0) {
    warnings.push(coded('extent.spatial.bbox', 'stac.extent.bboxNotArray', { got: describe(bbox) }));
    return [];
  }
  if (bbox.every((x) => typeof x === 'number')) {
    warnings.push(coded('extent.spatial.bbox', 'stac.extent.flatBbox'));
    return [bboxOrWarn(bbox, 'extent.spatial.bbox', warnings)].filter(defined);
  }
  return bbox.map((b, i) => bboxOrWarn(b, `extent.spatial.bbox[${i}]`, warnings)).filter(defined);
}

function readTemporal(temporal: unknown, warnings: SourceWarning[], bare: SourceWarning[]): Interval[] {
  if (Array.isArray(temporal)) {
    bare.push(coded('extent.temporal', 'stac.extent.bareInterval'));
    return [intervalOrWarn(temporal, 'extent.temporal', warnings)].filter(defined);
  }
  const t = obj(temporal);
  if (!t) {
    warnings.push(coded('extent.temporal', 'stac.extent.temporalNotObject', { got: describe(temporal) }));
    return [];
  }
  const interval = t.interval;
  if (!Array.isArray(interval) || interval.length === 0) {
    warnings.push(coded('extent.temporal.interval', 'stac.extent.intervalNotArray', { got: describe(interval) }));
    return [];
  }
  if (interval.length === 2 && interval.every((x) => x === null || typeof x === 'string')) {
    warnings.push(coded('extent.temporal.interval', 'stac.extent.flatInterval'));
    return [intervalOrWarn(interval, 'extent.temporal.interval', warnings)].filter(defined);
  }
  return interval.map((x, i) => intervalOrWarn(x, `extent.temporal.interval[${i}]`, warnings)).filter(defined);
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

/** A value as a warning shows it: its JSON text, cut; nothing when it is absent (a phrase: "nothing", « rien »). */
function describe(v: unknown): ParamValue {
  if (v === undefined) return phrase('stac.nothing');
  const text = JSON.stringify(v);
  return text.length > 80 ? text.slice(0, 80) + '…' : text;
}
