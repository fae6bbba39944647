/**
 * The official OpenAPI 3.0 schemas of OGC API - Records - Part 1: Core 1.0 and of OGC API - Features - Part 1: Core
 * 1.0 (which Records builds on), compiled by ajv, for the tests that check the hub's /ogcapi answers against them.
 *
 * Where they come from (unmodified YAML files):
 * - opengeospatial/ogcapi-records, tag 1.0.0 (commit df95f9cfebe7, the approved standard):
 *   core/openapi/schemas/*.yaml and core/openapi/responses/*.yaml;
 * - opengeospatial/ogcapi-features, tag 1.0.1 (commit 4ff19a573457, Part 1 1.0.1, the version the Records schemas
 *   reference as https://schemas.opengis.net/ogcapi/features/part1/1.0/): core/openapi/schemas/*.yaml.
 * They are read from test/fixtures/ogc-schemas (laid out as schemas.opengis.net:
 * `ogcapi/records/part1/1.0/openapi/{schemas,responses}/`, `ogcapi/features/part1/1.0/openapi/schemas/`, with the OGC
 * licence and a README saying where each file comes from), or from the folder `OGC_SCHEMAS_DIR` names (same layout).
 * Each file is added to ajv under its schemas.opengis.net URL, so that the relative and absolute `$ref`s between them
 * resolve locally: nothing is fetched.
 *
 * How OpenAPI 3.0 is read: the schemas declare no `$schema` (OpenAPI 3.0 schema objects are a JSON Schema draft-04/05
 * dialect; the one file that declares draft-04, the schema of OpenAPI documents, is left out), so ajv's draft-07 class
 * compiles them; `nullable: true` is honoured as OpenAPI 3.0.3 defines it (null is
 * added to the `type` of the same schema object: ajv implements this keyword natively) and `example` is an annotation.
 * Honouring `nullable` is needed: a collection's open-ended temporal extent is `[start, null]`, allowed only by
 * `nullable` in the Features extent.yaml. It also brings out a defect of recordGeoJSON.yaml (see KNOWN_DEFECTS).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { projectPath } from '../../schemas/paths.js';

const addFormats = addFormatsModule.default;

export const OPENGIS = 'https://schemas.opengis.net/';
export const RECORDS_1_0 = `${OPENGIS}ogcapi/records/part1/1.0/openapi/`;
export const FEATURES_1_0 = `${OPENGIS}ogcapi/features/part1/1.0/openapi/schemas/`;

/** The folder laid out as schemas.opengis.net that holds the OGC API schemas. */
export function ogcSchemasDir(): string {
  return process.env.OGC_SCHEMAS_DIR ?? projectPath('test', 'fixtures', 'ogc-schemas');
}

/**
 * What each /ogcapi answer is checked against: the response schemas of Records 1.0 (what the standard's own OpenAPI
 * definition declares for each operation) and, for a collection, the stricter `collection.yaml` that
 * /req/records-api/catalog-response includes (a catalog whose itemType is "record").
 */
export const SCHEMAS = {
  landingPage: { url: `${RECORDS_1_0}responses/LandingPage.yaml`, mediaType: 'application/json' },
  conformance: { url: `${RECORDS_1_0}responses/ConformanceDeclaration.yaml`, mediaType: 'application/json' },
  collections: { url: `${RECORDS_1_0}responses/Catalogs.yaml`, mediaType: 'application/json' },
  catalog: { url: `${RECORDS_1_0}responses/Catalog.yaml`, mediaType: 'application/json' },
  recordCollection: { url: `${RECORDS_1_0}schemas/collection.yaml` },
  records: { url: `${RECORDS_1_0}responses/Records.yaml`, mediaType: 'application/geo+json' },
  record: { url: `${RECORDS_1_0}responses/Record.yaml`, mediaType: 'application/geo+json' },
} as const;
export type SchemaName = keyof typeof SCHEMAS;

/**
 * Errors of the official schemas themselves, each with the clause that shows it: an ajv error they match is reported
 * apart (never as the hub's fault) and only where the value is `null` as the clause allows. test/api/
 * ogc-records-schemas.test.ts proves each one still happens on a real answer, so that none outlives its cause.
 */
export const KNOWN_DEFECTS = [
  {
    id: 'record-time-null',
    why:
      'recordGeoJSON.yaml (Records 1.0.0) declares `time: oneOf: [{enum: [null]}, time.yaml]` and time.yaml is `type: object, ' +
      'nullable: true`: null matches both branches, so oneOf rejects it. Yet /rec/record-core/time B says "If temporal ' +
      'information about the resource is not available then the time property SHOULD ... be included in the record and ' +
      'its value SHOULD be set to null", and the core properties table says time "Can be null". The null branch shows ' +
      'the intent; the nullable of time.yaml is the error.',
    // null at a record's `time`, rejected by a oneOf because both of its branches (0 and 1) accept it
    matches: (e: ErrorObject, value: unknown) =>
      value === null &&
      /^(\/features\/\d+)?\/time$/.test(e.instancePath) &&
      e.keyword === 'oneOf' &&
      JSON.stringify((e.params as { passingSchemas?: unknown }).passingSchemas) === '[0,1]',
  },
  {
    id: 'feature-geometry-null',
    why:
      'featureGeoJSON.yaml of Features 1.0.1, which featureCollectionGeoJSON.yaml (and so the Records response ' +
      'Records.yaml) applies to every item, declares `geometry: $ref geometryGeoJSON.yaml` without null. RFC 7946 ' +
      '3.2 says the geometry of an unlocated feature is null, Records /req/json/record-content NOTE says "the values of ' +
      'the geometry member can be null as per the GeoJSON RFC", and recordGeoJSON.yaml allows null. (Fixed upstream ' +
      "after 1.0.1: ogcapi-features commit a1810c6 \"GeoJSON 'geometry' can be 'null'\".)",
    // null at an item's `geometry` (recordGeoJSON.yaml accepts it: the errors of a oneOf that passes are dropped, so
    // what is left at this path comes from featureGeoJSON.yaml's geometryGeoJSON.yaml: `type` of each geometry, `oneOf`)
    matches: (e: ErrorObject, value: unknown) =>
      value === null && /^\/features\/\d+\/geometry$/.test(e.instancePath) && (e.keyword === 'type' || e.keyword === 'oneOf'),
  },
] as const;
export type DefectId = (typeof KNOWN_DEFECTS)[number]['id'];

/** The value at a JSON pointer (ajv's instancePath) of a document. */
export function atPointer(doc: unknown, pointer: string): unknown {
  let v = doc;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

/** What a check found: the hub's errors (one line each) and the known schema defects met. */
export interface Verdict {
  errors: string[];
  defects: DefectId[];
}

export interface OgcSchemas {
  /** Checks a document; `what` names it (a path, a record id) in each error line. */
  check(name: SchemaName, doc: unknown, what: string): Verdict;
  /** The files loaded, relative to ogcSchemasDir(). */
  files: string[];
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile() && d.name.endsWith('.yaml'))
    .map((d) => join(d.parentPath, d.name))
    .sort();
}

/** Why the schemas cannot be loaded from `dir` (what is missing and where it belongs), or undefined when they can. */
export function ogcSchemasMissing(dir = ogcSchemasDir()): string | undefined {
  for (const want of [SCHEMAS.record.url, `${FEATURES_1_0}featureCollectionGeoJSON.yaml`]) {
    const file = join(dir, ...want.slice(OPENGIS.length).split('/'));
    if (!existsSync(file))
      return (
        `the official OGC API schemas are not at ${dir} (no ${file}): they belong in test/fixtures/ogc-schemas (or in ` +
        'the folder OGC_SCHEMAS_DIR names), laid out as schemas.opengis.net; its README says which files of which ' +
        'repositories and commits'
      );
  }
  return undefined;
}

/** Loads and compiles the schemas; throws, saying what is missing and where it comes from, when they are absent. */
export function loadOgcSchemas(dir = ogcSchemasDir()): OgcSchemas {
  const root = join(dir, 'ogcapi');
  const missing = ogcSchemasMissing(dir);
  if (missing) throw new Error(missing);
  const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, strictRequired: false });
  addFormats(ajv);
  ajv.addKeyword({ keyword: 'example' });
  const files = yamlFiles(root).map((f) => relative(dir, f).split(sep).join('/'));
  for (const rel of files) {
    const doc = parse(readFileSync(join(dir, rel), 'utf8')) as Record<string, unknown>;
    // records/.../schemas/schema.yaml is the draft-04 schema of OpenAPI 3.0 documents themselves, referenced by no
    // other file: not one an answer is checked against (and ajv's draft-07 class has no draft-04 meta-schema)
    if (typeof doc.$schema === 'string' && doc.$schema.includes('draft-04')) continue;
    // a response file: its schema for the media type of the JSON answer (text/html is a string)
    const content = rel.includes('/responses/') ? (doc.content as Record<string, { schema: unknown }>) : undefined;
    const mediaType = Object.values(SCHEMAS).find((s) => s.url === OPENGIS + rel && 'mediaType' in s);
    if (content && !mediaType) continue;
    const schema = content ? content[(mediaType as { mediaType: string }).mediaType].schema : doc;
    ajv.addSchema(schema as object, OPENGIS + rel);
  }
  const compiled = new Map<SchemaName, ValidateFunction>();
  const validator = (name: SchemaName) => {
    let v = compiled.get(name);
    if (!v) {
      v = ajv.getSchema(SCHEMAS[name].url);
      if (!v) throw new Error(`no schema ${SCHEMAS[name].url} among the files of ${root}`);
      compiled.set(name, v);
    }
    return v;
  };
  return {
    files,
    check(name, doc, what) {
      const validate = validator(name);
      if (validate(doc)) return { errors: [], defects: [] };
      const defects = new Set<DefectId>();
      const errors: string[] = [];
      for (const e of validate.errors ?? []) {
        const value = atPointer(doc, e.instancePath);
        const defect = KNOWN_DEFECTS.find((d) => d.matches(e, value));
        if (defect) {
          defects.add(defect.id);
          continue;
        }
        errors.push(describe(doc, e, what));
      }
      return { errors: [...new Set(errors)], defects: [...defects] };
    },
  };
}

/** One error line: the document, the record (feature id) it is in, the path, what the schema says and where. */
function describe(doc: unknown, e: ErrorObject, what: string): string {
  const m = /^\/(features|collections)\/(\d+)/.exec(e.instancePath);
  const id = m ? atPointer(doc, `/${m[1]}/${m[2]}/id`) : undefined;
  const inside = typeof id === 'string' || typeof id === 'number' ? ` (${m![1] === 'features' ? 'record' : 'collection'} ${id})` : '';
  const params = Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : '';
  return `${what}${inside}: ${e.instancePath || '/'} ${e.message ?? e.keyword}${params} [${e.schemaPath}]`;
}
