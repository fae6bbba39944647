/**
 * The two formats of schemas/record.schema.json that JSON Schema cannot say: `xsd-calendar` (the date part of an
 * xsd:date / xsd:dateTime is a real day) and `bbox-wkt` (the box polygon of record.ts). Plain functions: the
 * precompiled validator (record-validator.gen.ts) and ajv's compiler (record-ajv.ts) both call them.
 */

/** Days in each month of a (proleptic Gregorian) year. */
function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

const RE_DATE = /^(-?\d{4,})-(\d{2})-(\d{2})/;

/** `xsd-calendar`: the date part of an xsd:date / xsd:dateTime is a real day (no 2019-02-29, no 04-31). */
export function isCalendarDay(value: string): boolean {
  const m = RE_DATE.exec(value);
  if (!m) return false;
  const month = Number(m[2]);
  const day = Number(m[3]);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(Number(m[1]), month);
}

const NUM = String.raw`-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?`;
const POINT_RE = new RegExp(String.raw`(${NUM})\s+(${NUM})`, 'g');

/**
 * `bbox-wkt`: the polygon is the box POLYGON((w s,e s,e n,w n,w s)) of record.ts: corners in that order, longitudes
 * in [-180, 180], latitudes in [-90, 90], south <= north (west > east is allowed: it crosses the antimeridian).
 * Catches the classic crosswalk bug of swapped lat/lon or corners.
 */
export function isBboxWkt(value: string): boolean {
  const pts = [...value.matchAll(POINT_RE)].map((m) => [Number(m[1]), Number(m[2])] as const);
  if (pts.length !== 5) return false;
  const [[w, s], [e, s2], [e2, n], [w2, n2], [w3, s3]] = pts;
  if (s2 !== s || e2 !== e || w2 !== w || n2 !== n || w3 !== w || s3 !== s) return false;
  return w >= -180 && w <= 180 && e >= -180 && e <= 180 && s >= -90 && n <= 90 && s <= n;
}

/** The formats by name, as ajv takes them (and as the precompiled validator reads them). */
export const recordFormats = {
  'xsd-calendar': { type: 'string', validate: isCalendarDay },
  'bbox-wkt': { type: 'string', validate: isBboxWkt },
} as const;
