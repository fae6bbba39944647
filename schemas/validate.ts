/**
 * Validation of a normalised record against schemas/record.schema.json (JSON Schema 2020-12, ajv), plus the few
 * cross-field rules JSON Schema cannot express. The schema is compiled ONCE, when this module is loaded.
 *
 * `allErrors` is off: validation stops at the first failing keyword of each branch, which keeps a valid record at a few
 * microseconds (measured in test/schemas/validate.test.ts) and an invalid one still names the first problem precisely.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { projectPath } from './paths.js';
import { hubId, type DateLiteral, type HubRecord } from './record.js';
import { dateBounds } from '../core/dates.js';

/** Days in each month of a (proleptic Gregorian) year. */
function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** `xsd-calendar`: the date part of an xsd:date / xsd:dateTime is a real day (no 2019-02-29, no 04-31). */
function isCalendarDay(value: string): boolean {
  const m = /^(-?\d{4,})-(\d{2})-(\d{2})/.exec(value);
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

const ajv = new Ajv2020({ allErrors: false, strict: true, strictRequired: false, strictTypes: false });
ajv.addFormat('xsd-calendar', { type: 'string', validate: isCalendarDay });
ajv.addFormat('bbox-wkt', { type: 'string', validate: isBboxWkt });

/** The JSON Schema of HubRecord (parsed schemas/record.schema.json). */
export const recordSchema: Record<string, unknown> = JSON.parse(readFileSync(projectPath('schemas', 'record.schema.json'), 'utf8'));
const validateSchema = ajv.compile(recordSchema);

/** One ajv error as `<json path> <message>`, with the offending name or allowed values when ajv keeps them apart. */
function formatError(e: ErrorObject): string {
  const path = e.instancePath === '' ? '/' : e.instancePath;
  const p = e.params as Record<string, unknown>;
  if (e.keyword === 'additionalProperties') return `${path} must NOT have additional property '${String(p.additionalProperty)}'`;
  if (e.propertyName !== undefined) return `${path} key '${e.propertyName}' ${e.message ?? e.keyword}`;
  if (e.keyword === 'enum') return `${path} ${e.message}: ${JSON.stringify(p.allowedValues)}`;
  if (e.keyword === 'const') return `${path} must be ${JSON.stringify(p.allowedValue)}`;
  return `${path} ${e.message ?? e.keyword}`;
}

/** Cross-field rules (only checked once the schema passes). */
function crossFieldErrors(r: HubRecord): string[] {
  const errors: string[] = [];
  const cr = r.isPrimaryTopicOf;
  const expectedId = hubId(cr.sourceId, cr.identifier);
  if (r.identifier !== expectedId) {
    errors.push(`/identifier must be "${expectedId}" (isPrimaryTopicOf.sourceId:isPrimaryTopicOf.identifier)`);
  }
  const iriSuffix = encodeURIComponent(cr.sourceId) + ':' + encodeURIComponent(cr.identifier);
  if (!r['@id'].endsWith(iriSuffix)) errors.push(`/@id must end with "${iriSuffix}" (see recordIri)`);
  r.temporal?.forEach((p, i) => {
    if (p.startDate && p.endDate && !startsBeforeEnd(p.startDate, p.endDate)) {
      errors.push(`/temporal/${i} startDate ${p.startDate['@value']} is after endDate ${p.endDate['@value']}`);
    }
  });
  return errors;
}

function startsBeforeEnd(start: DateLiteral, end: DateLiteral): boolean {
  const a = dateBounds(start);
  const b = dateBounds(end);
  // Dates outside what the index can hold (years < 1 or > 9999) are not compared.
  return a === undefined || b === undefined || a.start <= b.end;
}

/**
 * Validates a record: `[]` when valid, else messages each starting with the JSON path of the problem, e.g.
 * `/spatial/0/bbox/@value must match format "bbox-wkt"`. Never throws.
 */
export function validateRecord(record: unknown): string[] {
  if (validateSchema(record)) return crossFieldErrors(record as HubRecord);
  // `if` and `propertyNames` errors only repeat the error reported just before them.
  return (validateSchema.errors ?? []).filter((e) => e.keyword !== 'if' && e.keyword !== 'propertyNames').map(formatError);
}
