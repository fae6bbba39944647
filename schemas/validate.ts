/**
 * Validation of a normalised record against schemas/record.schema.json (JSON Schema 2020-12, ajv), plus the few
 * cross-field rules JSON Schema cannot express.
 *
 * The schema is NOT compiled when a command starts: schemas/record-validator.gen.ts is ajv's standalone code of it,
 * generated at build time (`npm run gen:validator`, schemas/record-ajv.ts says how; a test keeps it in step with the
 * schema). Should that file be out of date (its digest is not the schema's), the schema is compiled here instead by
 * the same ajv configuration: slower to start, same verdicts (`recordValidatorOrigin` says which runs).
 *
 * `allErrors` is off: validation stops at the first failing keyword of each branch, which keeps a valid record at a few
 * microseconds (measured in test/schemas/validate.test.ts) and an invalid one still names the first problem precisely.
 */
import { readFileSync } from 'node:fs';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { projectPath } from './paths.js';
import { hubId, type HubRecord } from './record.js';
import { compileRecordSchema } from './record-ajv.js';
import * as precompiled from './record-validator.gen.js';
import { inOrder } from '../core/dates.js';
import { sha256 } from '../core/hash.js';
import { phrase, phraseText, type Phrase } from '../core/warnings.js';

export { isBboxWkt } from './record-formats.js';

const schemaText = readFileSync(projectPath('schemas', 'record.schema.json'), 'utf8');

/** The JSON Schema of HubRecord (parsed schemas/record.schema.json). */
export const recordSchema: Record<string, unknown> = JSON.parse(schemaText);

/** Which validator runs: the one generated at build time, or (when that is out of date) the schema compiled now. */
export const recordValidatorOrigin: 'precompiled' | 'compiled' =
  precompiled.SCHEMA_SHA256 === sha256(schemaText) ? 'precompiled' : 'compiled';

const validateSchema: ValidateFunction =
  recordValidatorOrigin === 'precompiled' ? (precompiled.validate as unknown as ValidateFunction) : compileRecordSchema(recordSchema);

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

interface FieldError {
  /** Where: JSON pointer segments. */
  at: (string | number)[];
  message: string;
  /** The message without its path, as a phrase of core/texts (a dropped value's warning says it in French too). */
  why?: Phrase;
}

/** Cross-field rules (only checked once the schema passes). */
function crossFieldErrors(r: HubRecord): FieldError[] {
  const errors: FieldError[] = [];
  const cr = r.isPrimaryTopicOf;
  const expectedId = hubId(cr.sourceId, cr.identifier);
  if (r.identifier !== expectedId) {
    errors.push({
      at: ['identifier'],
      message: `/identifier must be "${expectedId}" (isPrimaryTopicOf.sourceId:isPrimaryTopicOf.identifier)`,
    });
  }
  const iriSuffix = encodeURIComponent(cr.sourceId) + ':' + encodeURIComponent(cr.identifier);
  if (!r['@id'].endsWith(iriSuffix)) errors.push({ at: ['@id'], message: `/@id must end with "${iriSuffix}" (see recordIri)` });
  r.temporal?.forEach((p, i) => {
    if (p.startDate && p.endDate && !inOrder(p.startDate, p.endDate)) {
      errors.push({
        at: ['temporal', i],
        message: `/temporal/${i} startDate ${p.startDate['@value']} is after endDate ${p.endDate['@value']}`,
        why: phrase('record.reason.temporalOrder', { start: p.startDate['@value'], end: p.endDate['@value'] }),
      });
    }
  });
  return errors;
}

/**
 * Validates a record: `[]` when valid, else messages each starting with the JSON path of the problem, e.g.
 * `/spatial/0/bbox/@value must match format "bbox-wkt"`. Never throws.
 */
export function validateRecord(record: unknown): string[] {
  if (validateSchema(record)) return crossFieldErrors(record as HubRecord).map((e) => e.message);
  // `if` and `propertyNames` errors only repeat the error reported just before them.
  return (validateSchema.errors ?? []).filter((e) => e.keyword !== 'if' && e.keyword !== 'propertyNames').map(formatError);
}

// ------------------------------------------------------------------------------------------------ optional values

/**
 * Why a value of a schema definition fails, in words (the ajv message of a pattern is a regular expression): phrases of
 * core/texts (record.reason.*), so that a report says them in French too.
 */
const REASONS: Record<string, Phrase> = {
  iri: phrase('record.reason.iri'),
  mailto: phrase('record.reason.mailto'),
  text: phrase('record.reason.text'),
  decimal: phrase('record.reason.decimal'),
  dateLiteral: phrase('record.reason.dateLiteral'),
  bboxLiteral: phrase('record.reason.bboxLiteral'),
  geometryLiteral: phrase('record.reason.geometryLiteral'),
  langMap: phrase('record.reason.langMap'),
  langMapMulti: phrase('record.reason.langMapMulti'),
};

/**
 * An ajv error's message (formatError's, without the path) as a phrase of core/texts (record.ajv.*), for the keywords
 * the record's schema uses; undefined for any other, or should ajv word one differently (the English must be ajv's
 * own, byte for byte: the phrase is kept only when its English text is the message).
 */
function ajvPhrase(e: ErrorObject, english: string): Phrase | undefined {
  const p = e.params as Record<string, unknown>;
  const made = Object.hasOwn(AJV_PHRASES, e.keyword) ? AJV_PHRASES[e.keyword](p, String(p.limit)) : undefined;
  return made && phraseText(made) === english ? made : undefined;
}

/** The phrase of each ajv keyword the record's schema uses, from the error's params (and its limit, when it has one). */
const AJV_PHRASES: Record<string, (p: Record<string, unknown>, limit: string) => Phrase> = {
  type: (p) => phrase('record.ajv.type', { type: String(p.type) }),
  enum: (p) => phrase('record.ajv.enum', { values: JSON.stringify(p.allowedValues) }),
  const: (p) => phrase('record.ajv.const', { value: JSON.stringify(p.allowedValue) }),
  pattern: (p) => phrase('record.ajv.pattern', { pattern: String(p.pattern) }),
  format: (p) => phrase('record.ajv.format', { format: String(p.format) }),
  required: (p) => phrase('record.ajv.required', { property: String(p.missingProperty) }),
  anyOf: () => phrase('record.ajv.anyOf'),
  minLength: (_, limit) => phrase('record.ajv.minLength', { limit }),
  maxLength: (_, limit) => phrase('record.ajv.maxLength', { limit }),
  minItems: (_, limit) => phrase('record.ajv.minItems', { limit }),
  minimum: (_, limit) => phrase('record.ajv.minimum', { limit }),
  exclusiveMinimum: (_, limit) => phrase('record.ajv.exclusiveMinimum', { limit }),
  minProperties: (_, limit) => phrase('record.ajv.minProperties', { limit }),
};

/** Why a value fails: in English (the warning's words), and as a phrase when the catalogue has it. */
function reasonOf(e: ErrorObject): { reason: string; why?: Phrase } {
  const def = /.*\/\$defs\/(\w+)\//.exec(e.schemaPath)?.[1];
  let why: Phrase | undefined;
  if (e.keyword === 'additionalProperties') why = phrase('record.reason.notField');
  else if (e.propertyName !== undefined) why = phrase('record.reason.langTag', { name: e.propertyName });
  else if (def && REASONS[def] && ['pattern', 'format', 'type', 'minLength', 'minProperties'].includes(e.keyword)) why = REASONS[def];
  if (why) return { reason: phraseText(why), why };
  const reason = formatError(e).replace(/^\S+ /, '');
  const ajv = ajvPhrase(e, reason);
  return ajv ? { reason, why: ajv } : { reason };
}

type Schema = Record<string, unknown>;

/** The schema of a definition reference, followed. */
function deref(schema: Schema | undefined): Schema | undefined {
  let s = schema;
  const defs = recordSchema.$defs as Record<string, Schema>;
  for (let i = 0; s && typeof s.$ref === 'string' && i < 10; i++) s = defs[s.$ref.replace('#/$defs/', '')];
  return s;
}

/** The schema that describes the value at a JSON pointer (properties, items, additionalProperties followed). */
function schemaAt(at: (string | number)[]): Schema | undefined {
  let s = deref(recordSchema);
  for (const key of at) {
    if (!s) return undefined;
    if (typeof key === 'number') s = deref(s.items as Schema);
    else s = deref(((s.properties as Record<string, Schema> | undefined)?.[key] ?? s.additionalProperties) as Schema | undefined);
  }
  return s;
}

/** Whether the member `key` of the object described by `parent` may be absent. */
function optionalIn(parent: Schema | undefined, key: string): boolean {
  return !((parent?.required as string[] | undefined) ?? []).includes(key);
}

function pointer(at: (string | number)[]): string {
  return '/' + at.map((k) => String(k).replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
}

function valueAt(root: unknown, at: (string | number)[]): unknown {
  let v = root;
  for (const k of at) v = v === null || typeof v !== 'object' ? undefined : (v as Record<string | number, unknown>)[k];
  return v;
}

/**
 * The nearest part of the record at or above `at` that may be left out: an optional member of an object, or an item
 * of an array (an array left empty is then an error of its own, dropped in turn when optional). Undefined when the
 * way up reaches a mandatory member of the record (its identifier, title, types, catalogue record...).
 */
function droppable(record: unknown, at: (string | number)[]): (string | number)[] | undefined {
  for (let k = at.length; k >= 1; k--) {
    const parentPath = at.slice(0, k - 1);
    const key = at[k - 1];
    const parent = valueAt(record, parentPath);
    if (Array.isArray(parent)) return at.slice(0, k);
    if (typeof key === 'string' && optionalIn(schemaAt(parentPath), key)) return at.slice(0, k);
  }
  return undefined;
}

function drop(record: unknown, at: (string | number)[]): void {
  const parent = valueAt(record, at.slice(0, -1)) as Record<string, unknown> | unknown[];
  const key = at[at.length - 1];
  if (Array.isArray(parent)) parent.splice(key as number, 1);
  else delete parent[key as string];
}

/** A value for a warning: its JSON text, cut. */
function shown(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 120 ? text.slice(0, 117) + '...' : text;
}

/** An optional value dropped from a record: where it was (a JSON Pointer of the record), the value, and why. */
export interface DroppedValue {
  at: string;
  value: unknown;
  reason: string;
  /** The reason as a phrase of core/texts, when the catalogue has it (an ajv message of another keyword: not). */
  why?: Phrase;
}

export interface CheckedRecord {
  /** The record, without the optional values that were not valid (a copy when any was dropped). */
  record: HubRecord;
  /** What still fails: a mandatory value missing or broken (then the record fails as a whole). */
  errors: string[];
  /** One warning per optional value dropped: where, the value, and why (the same as `dropped`, in words). */
  warnings: string[];
  dropped: DroppedValue[];
}

/** Whether a value is an empty list or object (left so by a drop). */
function isEmptied(v: unknown): boolean {
  return Array.isArray(v) ? v.length === 0 : typeof v === 'object' && v !== null && Object.keys(v).length === 0;
}

/**
 * Validates a record the way a harvest needs it: an optional value that is not valid (a contact's homepage written
 * "www.example.org", a blank keyword, an impossible date) is dropped, with a warning naming where it was, the value
 * and why, and the rest of the record is kept; only a missing or broken mandatory value (identifier, title, types,
 * the catalogue record's required fields) leaves errors, which fail the record. Nothing is guessed: a value is kept
 * as it is or dropped. Which values are optional is read from schemas/record.schema.json (`required`), so a new
 * optional field is handled without code. Never throws.
 */
export function checkRecord(input: HubRecord): CheckedRecord {
  let record = input;
  const warnings: string[] = [];
  const dropped: DroppedValue[] = [];
  for (let round = 0; round < 500; round++) {
    let at: (string | number)[];
    let reason: string;
    let why: Phrase | undefined;
    if (validateSchema(record)) {
      const cross = crossFieldErrors(record);
      if (cross.length === 0) return { record, errors: [], warnings, dropped };
      at = cross[0].at;
      reason = cross[0].message.replace(/^\S+ /, '');
      why = cross[0].why;
    } else {
      const errors = (validateSchema.errors ?? []).filter((e) => e.keyword !== 'if' && e.keyword !== 'propertyNames');
      const e = errors[0] ?? validateSchema.errors![0];
      const p = e.params as Record<string, unknown>;
      at = e.instancePath
        .split('/')
        .slice(1)
        .map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
      at = at.map((k, i) => (Array.isArray(valueAt(record, at.slice(0, i))) ? Number(k) : k));
      if (e.propertyName !== undefined) at = [...at, e.propertyName];
      else if (e.keyword === 'additionalProperties') at = [...at, String(p.additionalProperty)];
      ({ reason, why } = reasonOf(e));
    }
    const target = droppable(record, at);
    if (!target) {
      return { record, errors: validateRecord(record), warnings, dropped };
    }
    if (record === input) record = structuredClone(input);
    const value = valueAt(record, target);
    const shownAt = pointer(at) === pointer(target) ? pointer(target) : `${pointer(target)} (${pointer(at)})`;
    warnings.push(`dropped the optional value at ${shownAt} ${shown(value)}: ${reason}`);
    dropped.push({ at: pointer(at), value: valueAt(record, at) ?? value, reason, ...(why ? { why } : {}) });
    drop(record, target);
    // a list (or object) the drop left empty goes with it, when it may: the warning above says why
    for (let up = target.slice(0, -1); up.length > 0 && isEmptied(valueAt(record, up)); up = up.slice(0, -1)) {
      const parent = droppable(record, up);
      if (!parent || pointer(parent) !== pointer(up)) break;
      drop(record, up);
    }
  }
  return { record, errors: validateRecord(record), warnings, dropped };
}
