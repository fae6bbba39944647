/**
 * schemas/ozcar-pivot.schema.json + schemas/ozcar.ts against the OFFICIAL pivot schemas (compiled here with ajv):
 * the same verdict on every fixture file, valid and invalid, on every producer, dataset and observation inside them,
 * and on targeted variants of a valid file; then the tolerant verdict and the error paths.
 *
 * The official pivotSchemaDraft7.json refers to an external GeoJSON schema
 * (https://in-situ.theia-land.fr/json-schema/geoJsonSchemaDraft7.json) that is not among the fixtures: it is replaced
 * by an accept-all schema, so geometries are not part of the comparison (ours checks them: tested apart below).
 * The provider import schemas (root/provider/datasets/observations) are loaded as published, with the two fixes a
 * standard validator needs: `${JSON_SCHEMA_API_URL}` replaced by a base URL, and the `#/definitions` fragment removed
 * from observations_schema.json's `$id` (it makes the schema refer to itself forever); their Java regular
 * expressions need ajv's non-unicode mode.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { sharedFixture } from '../../schemas/paths.js';
import {
  formatIssues,
  pruneEmpty,
  validatePivot,
  validatePivotDataset,
  validatePivotFile,
  validatePivotObservation,
  validatePivotProducer,
  type PivotPart,
} from '../../schemas/ozcar.js';

const addFormats = addFormatsModule.default;
type Json = Record<string, any>;

const dir = sharedFixture('ozcar');
const read = (...p: string[]): Json => JSON.parse(readFileSync(join(dir, ...p), 'utf8')) as Json;
const VALID_FILES = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();
const INVALID_FILES = readdirSync(join(dir, 'invalid'))
  .filter((f) => f.endsWith('.json'))
  .sort();

// --- the official schemas -------------------------------------------------------------------------------------------

const pivotOfficial = read('schema', 'pivotSchemaDraft7.json');
const PIVOT_ID = pivotOfficial.$id as string;
const official = new Ajv({ strict: false, allErrors: false });
addFormats(official);
official.addSchema({ $id: 'https://in-situ.theia-land.fr/json-schema/geoJsonSchemaDraft7.json' });
official.addSchema(pivotOfficial);
const OFFICIAL: Record<PivotPart, ValidateFunction> = {
  file: official.getSchema(PIVOT_ID)!,
  envelope: official.getSchema(PIVOT_ID)!, // not compared
  producer: official.compile({ $ref: `${PIVOT_ID}#/definitions/Producer` }),
  dataset: official.compile({ $ref: `${PIVOT_ID}#/definitions/Dataset` }),
  observation: official.compile({ $ref: `${PIVOT_ID}#/definitions/Observation` }),
};

const IMPORT_BASE = 'https://import-schemas.test/';
const imports = new Ajv({ strict: false, validateSchema: false, unicodeRegExp: false, logger: false });
addFormats(imports);
for (const f of ['root_schema.json', 'provider_schema.json', 'datasets_schema.json', 'observations_schema.json']) {
  const text = readFileSync(join(dir, 'schema', f), 'utf8')
    .replaceAll('${JSON_SCHEMA_API_URL}', IMPORT_BASE)
    .replace('observations_schema.json#/definitions"', 'observations_schema.json"');
  imports.addSchema(JSON.parse(text));
}
/** The import schemas validate arrays of datasets / observations: a single one is wrapped. */
const IMPORT: Partial<Record<PivotPart, (x: unknown) => boolean>> = {
  file: (x) => imports.getSchema(IMPORT_BASE + 'root_schema.json')!(x) as boolean,
  producer: (x) => imports.getSchema(IMPORT_BASE + 'provider_schema.json')!(x) as boolean,
  dataset: (x) => imports.getSchema(IMPORT_BASE + 'datasets_schema.json')!([x]) as boolean,
  observation: (x) => imports.getSchema(IMPORT_BASE + 'observations_schema.json')!([x]) as boolean,
};

function officialVerdict(part: PivotPart, doc: unknown): boolean {
  return OFFICIAL[part](doc);
}

function sameVerdict(part: PivotPart, doc: unknown, what: string): boolean {
  const ours = validatePivot(part, doc);
  const theirs = officialVerdict(part, doc);
  assert.is(ours.valid, theirs, `${what}: ours ${ours.valid} (${formatIssues(ours.errors)}), official ${theirs}`);
  return theirs;
}

// --- every fixture ----------------------------------------------------------------------------------------------------

test('fixtures: at least the documented files are there', () => {
  for (const f of ['CATC_en.json', 'CRYO_en.json', 'KARS_en.json', 'TOUR_en.json']) assert.ok(VALID_FILES.includes(f), f);
  assert.ok(INVALID_FILES.length >= 6, INVALID_FILES.join(', '));
});

test('same verdict as pivotSchemaDraft7.json on every whole file, valid and invalid', () => {
  let compared = 0;
  for (const [f, path] of [...VALID_FILES.map((f) => [f, [f]] as const), ...INVALID_FILES.map((f) => [f, ['invalid', f]] as const)]) {
    const text = readFileSync(join(dir, ...path), 'utf8');
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      assert.ok(f.includes('invalidJson'), `${f} is not JSON`);
      continue; // not JSON: no schema verdict to compare
    }
    const isFragment = !('producer' in (doc as Json));
    if (isFragment) continue; // fragments: next test
    sameVerdict('file', doc, f);
    compared++;
  }
  assert.ok(compared >= 6, `compared ${compared} files`);
});

test('same verdict on every producer, dataset and observation inside the files, and on the fragments', () => {
  let n = 0;
  for (const path of [
    ...VALID_FILES.map((f) => [f]),
    ['invalid', 'CATC_en_invalidFormat.json'],
    ['invalid', 'CATC_en_wrong_category.json'],
  ]) {
    const doc = read(...path);
    sameVerdict('producer', doc.producer, `${path.join('/')} producer`);
    for (const [i, ds] of (doc.datasets as Json[]).entries()) {
      sameVerdict('dataset', ds, `${path.join('/')} /datasets/${i}`);
      for (const [j, o] of (ds.observations as Json[]).entries()) {
        sameVerdict('observation', o, `${path.join('/')} /datasets/${i}/observations/${j}`);
        n++;
      }
    }
  }
  assert.ok(n > 642 + 1244, `compared ${n} observations`);
  assert.is(sameVerdict('dataset', read('invalid', 'dataset_missingDatasetTitle.json'), 'dataset fragment'), false);
  assert.is(sameVerdict('observation', read('invalid', 'observation_WrongDatatype.json'), 'observation fragment'), false);
  assert.is(sameVerdict('producer', read('invalid', 'producer_badUrl.json'), 'producer fragment'), false);
});

test('the provider import schemas give the same verdicts on the files and the fragments', () => {
  const cases: Array<[PivotPart, Json, string]> = [
    ...VALID_FILES.map((f) => ['file', read(f), f] as [PivotPart, Json, string]),
    ['file', read('invalid', 'CATC_en_invalidFormat.json'), 'CATC_en_invalidFormat'],
    ['file', read('invalid', 'CATC_en_wrong_category.json'), 'CATC_en_wrong_category'],
    ['dataset', read('invalid', 'dataset_missingDatasetTitle.json'), 'dataset fragment'],
    ['observation', read('invalid', 'observation_WrongDatatype.json'), 'observation fragment'],
    ['producer', read('invalid', 'producer_badUrl.json'), 'producer fragment'],
  ];
  for (const [part, doc, what] of cases) {
    assert.is(validatePivot(part, doc).valid, IMPORT[part]!(doc), what);
  }
});

test('the verdicts themselves: of the real files, only KARS_en.json passes the official schema as published', () => {
  const verdicts = Object.fromEntries(
    ['CATC_en.json', 'CRYO_en.json', 'KARS_en.json', 'TOUR_en.json'].map((f) => [f, officialVerdict('file', read(f))]),
  );
  assert.equal(verdicts, { 'CATC_en.json': false, 'CRYO_en.json': false, 'KARS_en.json': true, 'TOUR_en.json': false });
});

// --- variants of a valid file: the rewritten alternatives (if/then/else, "at least one of") --------------------------

type Mutation = [string, (d: Json) => void, boolean];
const MUTATIONS: Mutation[] = [
  ['no title', (d) => delete d.datasets[0].metadata.title, false],
  ['a person with the organisation role', (d) => (d.datasets[0].metadata.contacts[0].role = 'Research group'), false],
  ['an organisation contact with a firstName', (d) => (d.datasets[0].metadata.contacts[9].firstName = 'X'), false],
  [
    'an organisation contact without name, acronym, idScanR',
    (d) => {
      const c = d.datasets[0].metadata.contacts[9];
      delete c.name;
      delete c.acronym;
      delete c.idScanR;
    },
    false,
  ],
  ['an organisation contact with only its acronym', (d) => delete d.datasets[0].metadata.contacts[9].name, true],
  ['an organisation contact without role', (d) => delete d.datasets[0].metadata.contacts[9].role, false],
  ['a person without role', (d) => delete d.datasets[0].metadata.contacts[0].role, false],
  ['a person organisation with another role', (d) => (d.datasets[0].metadata.contacts[0].organisation.role = 'Data manager'), false],
  ['a funding without iso3166', (d) => delete d.producer.fundings[0].iso3166, false],
  [
    'a funding with only its idScanR',
    (d) => {
      const f = d.producer.fundings[0];
      delete f.name;
      delete f.acronym;
      f.idScanR = '180089013';
    },
    true,
  ],
  ['a funding with an unknown type', (d) => (d.producer.fundings[0].type = 'Organisation'), false],
  ['a sampling specimen (no geometry)', (d) => delete d.datasets[0].observations[0].featureOfInterest.samplingFeature.geometry, true],
  [
    'a specimen with an unknown property',
    (d) => {
      const s = d.datasets[0].observations[0].featureOfInterest.samplingFeature;
      delete s.geometry;
      s.depth = 3;
    },
    false,
  ],
  ['a virtual sensor', (d) => (d.datasets[0].observations[0].procedure.dataProduction.sensors = [{ name: 'SWAT model' }]), true],
  [
    'a sensor with name and manufacturer',
    (d) => (d.datasets[0].observations[0].procedure.dataProduction.sensors = [{ name: 'm', manufacturer: 'x' }]),
    false,
  ],
  [
    'a physical sensor without model',
    (d) => (d.datasets[0].observations[0].procedure.dataProduction.sensors = [{ manufacturer: 'x' }]),
    false,
  ],
  [
    'a physical sensor with an empty calibration',
    (d) => (d.datasets[0].observations[0].procedure.dataProduction.sensors = [{ manufacturer: 'x', model: 'y', calibration: '' }]),
    false,
  ],
  ['a data type outside the list', (d) => (d.datasets[0].observations[0].dataType = 'Archaic'), false],
  ['a keyword URI that is not a URI', (d) => (d.datasets[0].metadata.keywords[0].uri = 'not a uri'), false],
  ['version "1"', (d) => (d.version = '1'), false],
  ['an embargo', (d) => (d.datasets[0].metadata.dataConstraint.embargo = { duration: 30, priviledgedUsers: ['a.b@c.fr'] }), true],
  ['a negative embargo', (d) => (d.datasets[0].metadata.dataConstraint.embargo = { duration: -1, priviledgedUsers: ['a.b@c.fr'] }), false],
  ['a start date that is not a date-time', (d) => (d.datasets[0].observations[0].temporalExtent.dateBeg = '2004-10-06'), false],
  ['an unknown producerId', (d) => (d.producer.producerId = 'ABCD'), false],
  ['a datasetId outside the pattern', (d) => (d.datasets[0].datasetId = 'kars_1'), false],
  ['a DOI outside the pattern', (d) => (d.datasets[0].metadata.onlineResource.doi = 'abc'), false],
  ['spatial extent properties not empty', (d) => (d.datasets[0].metadata.spatialExtent.properties = { a: 1 }), false],
  ['an additional value without columnName', (d) => (d.datasets[0].observations[0].result.additionalValues = [{ name: 'x' }]), false],
  [
    'lineage steps',
    (d) =>
      (d.datasets[0].observations[0].procedure.lineageInformations = [
        { processingDescription: 'gap filling', processingDate: '2020-01-01T00:00:00Z' },
      ]),
    true,
  ],
  ['an unknown root key', (d) => (d.comment = 'x'), false],
  ['no observation', (d) => (d.datasets[0].observations = []), false],
];

test('same verdict as the official schema on variants of KARS_en.json (and the verdict expected)', () => {
  const base = read('KARS_en.json');
  assert.ok(officialVerdict('file', base));
  for (const [what, mutate, expected] of MUTATIONS) {
    const doc = structuredClone(base);
    mutate(doc);
    assert.is(sameVerdict('file', doc, what), expected, `${what}: official verdict`);
  }
});

test('geometries (ours only: the official schema leaves them to an external schema)', () => {
  const kars = read('KARS_en.json');
  const withGeometry = (g: unknown) => {
    const ds = structuredClone(kars.datasets[0]);
    ds.metadata.spatialExtent.geometry = g;
    return validatePivotDataset(ds);
  };
  assert.ok(
    withGeometry({
      type: 'MultiPolygon',
      coordinates: [
        [
          [
            [0, 0],
            [1, 0],
            [1, 1],
            [0, 0],
          ],
        ],
      ],
    }).valid,
  );
  assert.ok(withGeometry({ type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: [1, 2, 3] }] }).valid);
  const ring = withGeometry({
    type: 'Polygon',
    coordinates: [
      [
        [0, 0],
        [1, 0],
        [0, 0],
      ],
    ],
  });
  assert.not.ok(ring.valid);
  assert.ok(
    ring.errors.some((e) => e.path === '/metadata/spatialExtent/geometry/coordinates/0'),
    formatIssues(ring.errors),
  );
  assert.not.ok(withGeometry({ type: 'Point', coordinates: [1] }).valid);
  assert.not.ok(withGeometry({ type: 'Point', coordinates: ['1', '2'] }).valid);
  assert.not.ok(withGeometry({ type: 'Circle', coordinates: [1, 2] }).valid);
});

// --- errors with their JSON paths --------------------------------------------------------------------------------------

test('errors name the JSON path: missing title, wrong data type, bad URL, misspelt root key', () => {
  const ds = validatePivotDataset(read('invalid', 'dataset_missingDatasetTitle.json'));
  assert.ok(
    ds.errors.some((e) => e.path === '/metadata/title' && e.keyword === 'required'),
    formatIssues(ds.errors),
  );
  const obs = validatePivotObservation(read('invalid', 'observation_WrongDatatype.json'));
  assert.equal(
    obs.errors.map((e) => e.path),
    ['/dataType'],
  );
  assert.match(obs.errors[0].message, /"Archaic" is not one of "Numeric"/);
  const producer = validatePivotProducer(read('invalid', 'producer_badUrl.json'));
  assert.equal(
    producer.errors.map((e) => e.path),
    ['/onlineResource/urlDownload'],
  );
  assert.match(producer.errors[0].message, /htxxxztpbd\.amma-catch\.org.*not a valid uri/);
  const file = validatePivotFile(read('invalid', 'CATC_en_invalidFormat.json'));
  const paths = file.errors.map((e) => e.path);
  assert.ok(paths.includes('/version') && paths.includes('/versions'), paths.slice(0, 5).join(', '));
});

test('"at least one of" is one error naming the alternatives', () => {
  const doc = read('KARS_en.json');
  const c = doc.datasets[0].metadata.contacts[9];
  delete c.name;
  delete c.acronym;
  delete c.idScanR;
  const v = validatePivotFile(doc);
  assert.equal(v.errors, [
    {
      path: '/datasets/0/metadata/contacts/9',
      message: 'needs at least one of name, acronym, idScanR',
      keyword: 'anyOf',
      why: { code: 'ozcar.pivot.anyOf', params: { names: 'name, acronym, idScanR' } },
    },
  ]);
});

test('formatIssues prefixes paths and counts what it leaves out', () => {
  const issues = [1, 2, 3].map((i) => ({ path: `/a/${i}`, message: 'm', keyword: 'k' }));
  assert.is(formatIssues(issues, '/datasets/4', 2), '/datasets/4/a/1: m; /datasets/4/a/2: m; and 1 more');
});

// --- the tolerant verdict ------------------------------------------------------------------------------------------------

test('tolerant: every real file passes, and each forgiven problem is returned with its path', () => {
  for (const f of VALID_FILES) {
    const doc = read(f);
    const strict = validatePivotFile(doc);
    const v = validatePivotFile(doc, { tolerant: true });
    assert.ok(v.valid, `${f}: ${formatIssues(v.errors)}`);
    assert.equal(v.tolerated, strict.errors, `${f}: tolerated = the strict errors`);
  }
  // CATC: every funding lacks iso3166 (computed from the file)
  const catc = read('CATC_en.json');
  const expected = (catc.producer.fundings as Json[]).flatMap((f, i) => ('iso3166' in f ? [] : [`/producer/fundings/${i}/iso3166`]));
  assert.ok(expected.length > 0);
  assert.equal(
    validatePivotFile(catc, { tolerant: true }).tolerated.map((t) => t.path),
    expected,
  );
  // TOUR and CRYO: the "Quartenary soils" misspelling, at the paths where the files have it
  for (const f of ['TOUR_en.json', 'CRYO_en.json']) {
    const doc = read(f);
    const where = (doc.datasets as Json[]).flatMap((ds, i) =>
      (ds.metadata.portalSearchCriteria.geologies as string[]).flatMap((g, j) =>
        g === 'Quaternary soils' ||
        ['Volcanic rocks', 'Plutonic rocks', 'Metamorphic rocks', 'Carbonate rocks', 'Other sedimentary rocks'].includes(g)
          ? []
          : [`/datasets/${i}/metadata/portalSearchCriteria/geologies/${j}`],
      ),
    );
    assert.ok(where.length > 0, f);
    const tolerated = validatePivotFile(doc, { tolerant: true })
      .tolerated.filter((t) => t.keyword === 'enum')
      .map((t) => t.path);
    assert.equal(tolerated, where, f);
  }
});

test('tolerant: what stays an error (the invalid fixtures, an empty required title)', () => {
  assert.not.ok(validatePivotDataset(read('invalid', 'dataset_missingDatasetTitle.json'), { tolerant: true }).valid);
  assert.not.ok(validatePivotObservation(read('invalid', 'observation_WrongDatatype.json'), { tolerant: true }).valid);
  assert.not.ok(validatePivotProducer(read('invalid', 'producer_badUrl.json'), { tolerant: true }).valid);
  assert.not.ok(validatePivotFile(read('invalid', 'CATC_en_invalidFormat.json'), { tolerant: true }).valid);
  const ds = structuredClone(read('KARS_en.json').datasets[0]);
  ds.metadata.title = '';
  const v = validatePivotDataset(ds, { tolerant: true });
  assert.equal(
    v.errors.map((e) => e.path),
    ['/metadata/title'],
  );
  assert.equal(v.tolerated, [], 'the empty title is part of the error, not forgiven');
});

test('pruneEmpty drops "", null and [] properties, keeps array items in place', () => {
  assert.equal(pruneEmpty({ a: '', b: null, c: [], d: { e: '', f: 1 }, g: ['', { h: '' }], p: {} }), { d: { f: 1 }, g: ['', {}], p: {} });
});

test.run();
