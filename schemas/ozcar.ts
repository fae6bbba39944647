/**
 * Validation of Theia/OZCAR pivot JSON (format version 1.0) against schemas/ozcar-pivot.schema.json (JSON Schema
 * draft-07, ajv). Each validator is compiled ONCE, on first use, and reused.
 *
 * Two verdicts:
 * - strict (default): the verdict of the official pivotSchemaDraft7.json, which this schema reproduces
 *   (test/schemas/ozcar.test.ts compares them on every fixture);
 * - tolerant (`{ tolerant: true }`, what the harvester uses): the strict schema with the few deviations that real,
 *   published pivot files carry and that do not keep a dataset from being understood (PIVOT_TOLERANCES). A document
 *   the tolerant schema accepts is valid; every strict problem it forgave is returned in `tolerated`, so that the
 *   caller reports it (nothing is forgiven silently).
 *
 * Problems are `{ path, message, keyword }` with `path` a JSON Pointer (RFC 6901) into the document validated, e.g.
 * `/metadata/title` for a missing title or `/observations/0/dataType` for a value outside the list.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as AjvModule from 'ajv';
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import type addFormatsModule from 'ajv-formats';
import { projectPath } from './paths.js';
import { phrase, phraseText, type Phrase } from '../core/warnings.js';

// ajv and ajv-formats (CommonJS) load with the first validator: the crosswalks import this module for its constants,
// and `harvester map` of ISO files starts without them.
const require = createRequire(import.meta.url);

/** `$id` of schemas/ozcar-pivot.schema.json. */
export const OZCAR_PIVOT_SCHEMA_ID = 'https://w3id.org/fair-harvester/schemas/ozcar-pivot.schema.json';
/** IRI of the official pivot schema: what an OZCAR dataset record `conformsTo`. */
export const OZCAR_PIVOT_OFFICIAL_IRI = 'https://in-situ.theia-land.fr/json-schema/pivotSchemaDraft7.json';
/** Pivot format versions this project reads. */
export const OZCAR_PIVOT_VERSIONS: readonly string[] = ['1.0'];

/** The parts of a pivot file that can be validated on their own. */
export type PivotPart = 'file' | 'envelope' | 'producer' | 'dataset' | 'observation';

/** One problem: where (JSON Pointer into the validated document), what, and the JSON Schema keyword at fault. */
export interface PivotIssue {
  path: string;
  message: string;
  keyword: string;
  /** The message as a phrase of core/texts (ozcar.pivot.*), so that a report says it in French; not for a keyword of ajv's own words. */
  why?: Phrase;
}

/** An issue whose message is a phrase's English. */
const issue = (path: string, keyword: string, why: Phrase): PivotIssue => ({ path, message: phraseText(why), keyword, why });

export interface PivotVerdict {
  valid: boolean;
  /** Problems that make the document invalid (for the verdict asked). */
  errors: PivotIssue[];
  /** Tolerant mode only: strict problems forgiven by PIVOT_TOLERANCES, to report as warnings. */
  tolerated: PivotIssue[];
}

export interface PivotValidateOptions {
  /** true: apply PIVOT_TOLERANCES (see there). Default false: the official schema's verdict. */
  tolerant?: boolean;
}

/**
 * What the tolerant verdict forgives, each seen in the real files of /work/shared/fixtures/ozcar:
 * - `empty`: an empty string, `null` or `[]` as a property value counts as absent (the official importer removes them
 *   before validating: "we accept empty string, null, empty field, and treat all of them the same"). CRYO and TOUR
 *   carry `"unit": ""`, `"acronym": ""`, `"idScanR": ""`, `"calibration": ""`. A REQUIRED property that is empty is
 *   still missing.
 * - `open-lists`: climates and geologies outside the portal lists (`"Quartenary soils"` in TOUR and CRYO): they are
 *   search keywords, kept as given.
 * - `country`: a funding or organisation without `iso3166` (the CATC files predate that requirement).
 * - `unit`: an observed property without a unit is taken as dimensionless (CRYO's "Albedo" has `"unit": ""`; the format
 *   asks for "N/A"): losing the variable would be worse than losing its unit.
 * Everything else (a value outside another list, a malformed URL or date, a missing required property...) stays an
 * error.
 */
export const PIVOT_TOLERANCES = [
  { id: 'empty', description: 'empty strings, null and [] count as absent properties' },
  { id: 'open-lists', description: 'climates and geologies may be outside the portal lists' },
  { id: 'country', description: 'fundings and organisations may lack iso3166' },
  { id: 'unit', description: 'an observed property may lack its unit' },
] as const;

const DEFINITION: Record<Exclude<PivotPart, 'file'>, string> = {
  envelope: 'Envelope',
  producer: 'Producer',
  dataset: 'Dataset',
  observation: 'Observation',
};

type Schema = Record<string, unknown> & { definitions: Record<string, Record<string, unknown>> };

let strictSchema: Schema | undefined;
/** The parsed schemas/ozcar-pivot.schema.json. */
export function pivotSchema(): Schema {
  strictSchema ??= JSON.parse(readFileSync(projectPath('schemas', 'ozcar-pivot.schema.json'), 'utf8')) as Schema;
  return strictSchema;
}

/** The strict schema with PIVOT_TOLERANCES `open-lists`, `country` and `unit` applied (`empty` is done on the data). */
function tolerantSchema(): Schema {
  const s = structuredClone(pivotSchema());
  const d = s.definitions;
  for (const name of ['Climate', 'Geology'])
    d[name] = { type: 'string', description: `${typeof d[name]?.description === 'string' ? d[name].description : name} (open list)` };
  for (const name of ['Funding', 'Organisation']) {
    d[name].required = (d[name].required as string[]).filter((p) => p !== 'iso3166');
  }
  d.ObservedProperty.required = (d.ObservedProperty.required as string[]).filter((p) => p !== 'unit');
  return s;
}

function newAjv(schema: Schema): Ajv {
  const { Ajv } = require('ajv') as typeof AjvModule;
  // ajv-formats: module.exports = plugin, plugin.default = plugin; TypeScript under NodeNext types the default import
  // as the module object, so take `.default`, which exists at run time too.
  const addFormats = (require('ajv-formats') as typeof addFormatsModule).default;
  // allErrors: report every problem of a dataset at once; verbose: keep the offending value for the messages.
  // strictRequired off: "at least one of" is written anyOf [{ required: [name] }, ...] beside the properties.
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, strictRequired: false });
  addFormats(ajv);
  ajv.addSchema(schema);
  return ajv;
}

const cache = new Map<string, ValidateFunction>();
let ajvStrict: Ajv | undefined;
let ajvTolerant: Ajv | undefined;

function validator(part: PivotPart, tolerant: boolean): ValidateFunction {
  const key = `${part}:${tolerant}`;
  let v = cache.get(key);
  if (!v) {
    const ajv = tolerant ? (ajvTolerant ??= newAjv(tolerantSchema())) : (ajvStrict ??= newAjv(pivotSchema()));
    const ref = part === 'file' ? OZCAR_PIVOT_SCHEMA_ID : `${OZCAR_PIVOT_SCHEMA_ID}#/definitions/${DEFINITION[part]}`;
    v = ajv.getSchema(ref);
    if (!v) throw new Error(`ozcar-pivot.schema.json has no ${ref}`);
    cache.set(key, v);
  }
  return v;
}

/** A copy with every object property whose value is "", null or [] removed (PIVOT_TOLERANCES `empty`). Array items are kept, so indexes do not move. */
export function pruneEmpty(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(pruneEmpty);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === '' || v === null || (Array.isArray(v) && v.length === 0)) continue;
    out[k] = pruneEmpty(v);
  }
  return out;
}

/** pruneEmpty, except for the envelope's datasets, which the envelope does not check (no copy of the whole file). */
function pruneFor(part: PivotPart, json: unknown): unknown {
  if (part !== 'envelope' || json === null || typeof json !== 'object' || Array.isArray(json)) return pruneEmpty(json);
  const { datasets, ...rest } = json as Record<string, unknown>;
  return datasets === undefined ? pruneEmpty(rest) : { ...(pruneEmpty(rest) as object), datasets };
}

/** Validates a part of a pivot file. Never throws on bad data. */
export function validatePivot(part: PivotPart, json: unknown, options: PivotValidateOptions = {}): PivotVerdict {
  const strict = validator(part, false);
  if (strict(json)) return { valid: true, errors: [], tolerated: [] };
  const strictIssues = summarise(strict.errors ?? []);
  if (!options.tolerant) return { valid: false, errors: strictIssues, tolerated: [] };
  const tolerant = validator(part, true);
  const errors = tolerant(pruneFor(part, json)) ? [] : summarise(tolerant.errors ?? []);
  // A strict problem at or under a path that is an error anyway is not "tolerated": it is part of that error.
  const tolerated = strictIssues.filter((t) => !errors.some((e) => t.path === e.path || t.path.startsWith(e.path + '/')));
  return { valid: errors.length === 0, errors, tolerated };
}

/** A whole pivot file: `{ version, producer, datasets }`. */
export function validatePivotFile(json: unknown, options?: PivotValidateOptions): PivotVerdict {
  return validatePivot('file', json, options);
}
/** One element of `datasets`, with its observations. */
export function validatePivotDataset(json: unknown, options?: PivotValidateOptions): PivotVerdict {
  return validatePivot('dataset', json, options);
}
/** One element of a dataset's `observations`. */
export function validatePivotObservation(json: unknown, options?: PivotValidateOptions): PivotVerdict {
  return validatePivot('observation', json, options);
}
/** The `producer` object. */
export function validatePivotProducer(json: unknown, options?: PivotValidateOptions): PivotVerdict {
  return validatePivot('producer', json, options);
}
/** The file with `datasets` only checked to be a non-empty array (datasets are then checked one by one). */
export function validatePivotEnvelope(json: unknown, options?: PivotValidateOptions): PivotVerdict {
  return validatePivot('envelope', json, options);
}

/** `path: message; path: message` for the first `max` issues (and how many more), each path prefixed. */
export function formatIssues(issues: readonly PivotIssue[], prefix = '', max = 5): string {
  const shown = issues.slice(0, max).map((i) => `${prefix + i.path || '/'}: ${i.message}`);
  if (issues.length > max) shown.push(`and ${issues.length - max} more`);
  return shown.join('; ');
}

// ---------------------------------------------------------------------------------------------------------------
// ajv errors → issues
// ---------------------------------------------------------------------------------------------------------------

const ANYOF_REQUIRED = /\/anyOf\/\d+\/required$/;

function show(value: unknown, max = 80): string {
  const s = JSON.stringify(value) ?? String(value);
  return s.length > max ? s.slice(0, max) + '…' : s;
}

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * One issue per problem, in ajv's order: `if` errors (which only repeat their `then`/`else` errors) are dropped, the
 * `required` errors of an "at least one of" anyOf become one issue naming the alternatives, a missing or unexpected
 * property is reported at its own path, and duplicates are removed.
 */
function summarise(errors: readonly ErrorObject[]): PivotIssue[] {
  const out: PivotIssue[] = [];
  const seen = new Set<string>();
  const push = (issue: PivotIssue) => {
    const key = issue.path + '\u0000' + issue.message;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(issue);
    }
  };
  for (const e of errors) {
    if (e.keyword === 'if') continue;
    if (e.keyword === 'required' && ANYOF_REQUIRED.test(e.schemaPath)) continue; // reported with their anyOf
    const p = e.params as Record<string, unknown>;
    if (e.keyword === 'anyOf') {
      const alternatives = errors
        .filter((b) => b.keyword === 'required' && b.instancePath === e.instancePath && ANYOF_REQUIRED.test(b.schemaPath))
        .map((b) => String((b.params as { missingProperty: string }).missingProperty));
      const why = alternatives.length
        ? phrase('ozcar.pivot.anyOf', { names: [...new Set(alternatives)].join(', ') })
        : phrase('ozcar.pivot.noForm');
      push(issue(e.instancePath, 'anyOf', why));
      continue;
    }
    push(issueOf(e, p));
  }
  return out;
}

function issueOf(e: ErrorObject, p: Record<string, unknown>): PivotIssue {
  const path = e.instancePath;
  switch (e.keyword) {
    case 'required':
      return issue(`${path}/${escapePointer(String(p.missingProperty))}`, 'required', phrase('ozcar.pivot.required'));
    case 'additionalProperties':
      return issue(`${path}/${escapePointer(String(p.additionalProperty))}`, 'additionalProperties', phrase('ozcar.pivot.notProperty'));
    case 'enum': {
      const allowed = (p.allowedValues as unknown[]).map((v) => show(v));
      return issue(path, 'enum', phrase('ozcar.pivot.enum', { value: show(e.data), allowed: allowed.join(', ') }));
    }
    case 'const':
      return issue(path, 'const', phrase('ozcar.pivot.const', { value: show(e.data), allowed: show(p.allowedValue) }));
    case 'format':
      return issue(path, 'format', phrase('ozcar.pivot.format', { value: show(e.data), format: String(p.format) }));
    case 'pattern':
      return issue(path, 'pattern', phrase('ozcar.pivot.pattern', { value: show(e.data), pattern: String(p.pattern) }));
    case 'minLength':
      return issue(path, 'minLength', phrase('ozcar.pivot.empty'));
    case 'minItems':
      return issue(path, 'minItems', phrase('ozcar.pivot.minItems', { limit: String(p.limit) }));
    case 'type':
      return issue(path, 'type', phrase('ozcar.pivot.type', { type: String(p.type), value: show(e.data, 40) }));
    default:
      return { path, message: e.message ?? e.keyword, keyword: e.keyword };
  }
}
