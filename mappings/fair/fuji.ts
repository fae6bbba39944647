/**
 * The F-UJI FAIR metrics (FAIRsFAIR metrics v0.5, F-UJI's `fuji_server/yaml/metrics_v0.5.yaml`,
 * https://doi.org/10.5281/zenodo.4081213) of one record, from its metadata alone: each metric with its tests, their
 * points (cumulative or alternative, as the metric says) and pass or fail. Tests that need the network (a landing
 * page, content negotiation, a PID resolving, a registry) or the data itself are "not assessed"; the URL tests are
 * assessed when links were checked (--links).
 *
 * Read on the record the hub makes of the source record: its identifiers, its DCAT-AP / schema.org properties and the
 * vocabularies (namespaces) its values come from. F-UJI's own lists: core metadata (Mapper.REQUIRED_CORE_METADATA),
 * provenance elements (Mapper.PROVENANCE_MAPPING), formats (vocabularies.ts).
 *
 * The metrics are one table made once, `FUJI_METRICS`: each metric with its name, principle, maximum and scoring, each
 * of its tests with its name, points and rule (a pure function of the record). A record's assessment carries only what
 * varies: the points and status of each metric, its tests' status, and what to fix (`assessFuji`). `fujiPoints` gives
 * the points alone, building nothing else (what the index keeps).
 */
import type { Distribution, HubRecord, LicenseDocument } from '../../schemas/record.js';
import { EU_FILE_TYPE } from '../../core/vocab.js';
import type { Fix } from './mqa.js';
import { knownLicenseOf } from './licenses.js';
import type { LinkResults } from './links.js';
import { COAR_ACCESS_RIGHTS, FILE_TYPE_MEDIA, FUJI_FORMATS, IANA_MEDIA_TYPE, isEuAccessRight, KNOWN_VOCABULARIES } from './vocabularies.js';
import { formatFamily, FORMAT_FAMILIES, whereIn, type Field, type FormatFamily } from './where.js';

export type TestStatus = 'pass' | 'fail' | 'not assessed';

/** One test of a record's metric: its status (its name and points are the methodology's, FUJI_METRICS). */
export interface FujiTest {
  id: string;
  status: TestStatus;
}

/** One metric of a record: what varies (its name, principle, maximum and scoring are the methodology's). */
export interface FujiMetric {
  id: string;
  points: number;
  /** pass: some points; fail: none although a test worth points was decided; not assessed: no test worth points could be decided. */
  status: TestStatus;
  tests: FujiTest[];
  /** When a test worth points failed and the metric is short of its maximum: what to add, and where. */
  fix?: Fix;
}

export interface FujiAssessment {
  /** Of FUJI_MAX (25: every v0.5 metric). */
  points: number;
  /** The points of the tests that metadata can decide (the rest is not assessed). */
  assessable: number;
  /** points / FUJI_MAX, in percent, to the tenth. */
  percent: number;
  /** Every metric, in the order of FUJI_METRICS. */
  metrics: FujiMetric[];
}

const RE_DOI = /^https:\/\/doi\.org\/10\.\d{4,9}\/\S+$/i;
const RE_HANDLE = /^(?:https?:\/\/hdl\.handle\.net\/|hdl:)\d+(?:\.\d+)*\/\S+$/i;
const RE_ARK = /^(?:https?:\/\/[^/]+\/)?ark:\/?\d{5,}\/\S+$/i;
const RE_PURL = /^https?:\/\/(?:purl\.org|w3id\.org|identifiers\.org)\/\S+$/i;
const RE_URN = /^urn:[a-z0-9][a-z0-9-]{0,31}:\S+$/i;
const RE_UUID = /^(?:urn:uuid:|\{)?[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\}?$/i;
const RE_HASH = /^(?:sha256-)?[0-9a-f]{32,64}$/i;
const RE_URL = /^(?:https?|ftp):\/\/[^\s/]+\S*$/i;
const RE_SPDX = /^https?:\/\/spdx\.org\/licenses\/[\w.+-]+/;
const RE_ACCESS_TERMS = /\b(public|open|restricted|embargo\w*|metadata[ -]only|closed)\b/i;

const isPid = (id: string) => RE_DOI.test(id) || RE_HANDLE.test(id) || RE_ARK.test(id) || RE_PURL.test(id) || RE_URN.test(id);

/** What several tests read of a record, gathered once per record. */
interface Facts {
  links: LinkResults;
  dists: readonly Distribution[];
  /** Of its identifiers (the other identifiers, then the catalogue record's): the first URL or PID, the first PID. */
  urlId?: string;
  pid?: string;
  doi: boolean;
  /** F-UJI's core metadata elements it lacks (bit i: CORE[i]). */
  missing: number;
  /** The dataset's licence, else the first distribution's. */
  license?: LicenseDocument;
}

const ok = (b: boolean): TestStatus => (b ? 'pass' : 'fail');
const notAssessed = (): TestStatus => 'not assessed';
/** A URL's test: fail without a URL, not assessed unless links were checked (and this one was), else whether it answered. */
function answered(url: string | undefined, links: LinkResults): TestStatus {
  if (!url) return 'fail';
  const l = links?.get(url);
  return l === undefined ? 'not assessed' : ok(l.ok);
}

/** F-UJI's core metadata (Mapper.REQUIRED_CORE_METADATA): the citation elements, then summary and keywords. */
const CORE: readonly { name: string; field: Field; citation: boolean; has: (r: HubRecord) => boolean }[] = [
  { name: 'creator', field: 'creator', citation: true, has: (r) => !!r.creator?.length },
  { name: 'title', field: 'title', citation: true, has: () => true },
  // the catalogue record's own identifier is always one
  { name: 'object_identifier', field: 'identifier', citation: true, has: () => true },
  { name: 'publication_date', field: 'issued', citation: true, has: (r) => !!r.issued },
  { name: 'publisher', field: 'publisher', citation: true, has: (r) => !!r.publisher },
  { name: 'object_type', field: 'resourceType', citation: true, has: (r) => !!r.resourceType?.length || r['@type'].length > 0 },
  { name: 'summary', field: 'description', citation: false, has: (r) => !!r.description },
  { name: 'keywords', field: 'keyword', citation: false, has: (r) => hasKeywords(r) },
];
const CITATION_BITS = CORE.reduce((bits, c, i) => (c.citation ? bits | (1 << i) : bits), 0);

function hasKeywords(r: HubRecord): boolean {
  const keywords = r.keyword ?? {};
  for (const k in keywords) if (keywords[k].length > 0) return true;
  return !!r.theme?.length;
}

/** Some IRI of the record's concepts (themes, subjects) or measured variables passes `pred`. */
function someConceptIri(r: HubRecord, pred: (iri: string) => boolean): boolean {
  const iriOf = (c: { '@id'?: string }) => c['@id'];
  return someOf(r.theme, iriOf, pred) || someOf(r.subject, iriOf, pred) || someOf(r.variableMeasured, (v) => v.propertyID, pred);
}

/** Some item of `list` has a value (`of`) that passes `pred`. */
function someOf<T>(list: readonly T[] | undefined, of: (item: T) => string | undefined, pred: (value: string) => boolean): boolean {
  if (!list) return false;
  for (let i = 0; i < list.length; i++) {
    const v = of(list[i]);
    if (v && pred(v)) return true;
  }
  return false;
}
const itself = (s: string) => s;
const isKnownVocabulary = (iri: string) => KNOWN_VOCABULARIES.some((v) => iri.startsWith(v));

/** Some related resource (relation, isPartOf, servesDataset, the publications about it, its versions) passes `pred`. */
function someRelated(r: HubRecord, pred: (iri: string) => boolean): boolean {
  return [
    r.relation,
    r.isPartOf,
    r.servesDataset,
    r.isReferencedBy,
    r.hasVersion,
    r.isVersionOf,
    r.previousVersion,
    r.replaces,
    r.isReplacedBy,
  ].some((l) => someOf(l, itself, pred));
}

/** The record's data URLs: pass if one answers, else not assessed if one was not checked, else fail. */
function someDataUrlAnswers(f: Facts): TestStatus {
  if (f.dists.length === 0) return 'fail';
  let status: TestStatus = 'fail';
  for (const d of f.dists) {
    const s = answered(d.downloadURL ?? d.accessURL, f.links);
    if (s === 'pass') return 'pass';
    if (s === 'not assessed') status = s;
  }
  return status;
}

/** The IANA media type IRIs of F-UJI's format lists, and the EU file types F-UJI would read as one of them. */
const FUJI_MEDIA_IRIS = new Set([...FUJI_FORMATS].map((m) => IANA_MEDIA_TYPE + m));
const FUJI_FILE_TYPE_IRIS = new Set(
  Object.entries(FILE_TYPE_MEDIA)
    .filter(([, m]) => FUJI_FORMATS.has(m))
    .map(([code]) => EU_FILE_TYPE + code),
);

export interface FujiTestDef {
  id: string;
  name: string;
  points: number;
  /** The test's decision on a record. */
  rule: (r: HubRecord, f: Facts) => TestStatus;
}

export interface FujiMetricDef {
  id: string;
  name: string;
  principle: string;
  /** total_score of the metric in v0.5. */
  max: number;
  scoring: 'cumulative' | 'alternative';
  tests: readonly FujiTestDef[];
  /** What to add when it falls short, and where: a field of the record's format, a place said as it is, or the core metadata it lacks. */
  fix?: { add: string; field: Field } | { add: string; where: string } | 'core metadata';
}

/** The 17 metrics of v0.5, in their order, with their tests and rules: what the report's methodology block states once. */
export const FUJI_METRICS: readonly FujiMetricDef[] = [
  {
    id: 'FsF-F1-01D',
    name: 'Data is assigned a globally unique identifier',
    principle: 'F1',
    max: 1,
    scoring: 'alternative',
    fix: { field: 'identifier', add: 'a globally unique, resolvable identifier (a DOI or an http(s) IRI)' },
    tests: [
      {
        id: 'FsF-F1-01D-1',
        name: 'Identifier is resolvable and follows a defined unique identifier syntax (IRI, URL)',
        points: 1,
        rule: (_, f) => (!f.urlId ? 'fail' : answered(f.urlId.startsWith('http') ? f.urlId : undefined, f.links)),
      },
      {
        id: 'FsF-F1-01D-2',
        name: 'Identifier is not resolvable but follows an UUID or HASH type syntax',
        points: 0.5,
        rule: (r) => ok(someIdentifier(r, (i) => RE_UUID.test(i) || RE_HASH.test(i))),
      },
    ],
  },
  {
    id: 'FsF-F1-02D',
    name: 'Data is assigned a persistent identifier',
    principle: 'F1',
    max: 1,
    scoring: 'alternative',
    fix: { field: 'identifier', add: 'a persistent identifier (DOI, Handle, ARK)' },
    tests: [
      { id: 'FsF-F1-02D-1', name: 'Identifier follows a defined persistent identifier syntax', points: 0.5, rule: (_, f) => ok(!!f.pid) },
      {
        id: 'FsF-F1-02D-2',
        name: 'Persistent identifier is resolvable',
        points: 1,
        rule: (_, f) => (!f.pid ? 'fail' : answered(f.pid.startsWith('http') ? f.pid : undefined, f.links)),
      },
    ],
  },
  {
    id: 'FsF-F2-01M',
    name: 'Metadata includes descriptive core elements',
    principle: 'F2',
    max: 2,
    scoring: 'cumulative',
    fix: 'core metadata',
    tests: [
      { id: 'FsF-F2-01M-1', name: 'Metadata has been made available via common web methods', points: 0.5, rule: notAssessed },
      {
        id: 'FsF-F2-01M-2',
        name: 'Core data citation metadata is available',
        points: 0.5,
        rule: (_, f) => ok((f.missing & CITATION_BITS) === 0),
      },
      { id: 'FsF-F2-01M-3', name: 'Core descriptive metadata is available', points: 1, rule: (_, f) => ok(f.missing === 0) },
    ],
  },
  {
    id: 'FsF-F3-01M',
    name: 'Metadata includes the identifier of the data it describes',
    principle: 'F3',
    max: 1,
    scoring: 'cumulative',
    fix: { field: 'downloadURL', add: 'the data files: their URL, format and size' },
    tests: [
      {
        id: 'FsF-F3-01M-1',
        name: 'Metadata contains data content related information (file name, size, type)',
        points: 0.5,
        rule: (_, f) => ok(f.dists.some((d) => d.format || d.mediaType || d.byteSize !== undefined)),
      },
      {
        id: 'FsF-F3-01M-2',
        name: 'Metadata contains a PID or URL which indicates the location of the downloadable data content',
        points: 0.5,
        rule: (_, f) => ok(f.dists.some((d) => d.downloadURL ?? d.accessURL)),
      },
    ],
  },
  {
    id: 'FsF-F4-01M',
    name: 'Metadata can be retrieved programmatically (search engines, registries)',
    principle: 'F4',
    max: 2,
    scoring: 'cumulative',
    tests: [
      {
        id: 'FsF-F4-01M-1',
        name: 'Metadata is given in a way major search engines can ingest it (JSON-LD, Dublin Core, RDFa)',
        points: 1,
        rule: notAssessed,
      },
      { id: 'FsF-F4-01M-2', name: 'Metadata is registered in major research data registries (DataCite)', points: 1, rule: notAssessed },
    ],
  },
  {
    id: 'FsF-A1-01M',
    name: 'Metadata contains access level and access conditions of the data',
    principle: 'A1',
    max: 1,
    scoring: 'alternative',
    fix: { field: 'accessRights', add: 'machine-readable access rights' },
    tests: [
      {
        id: 'FsF-A1-01M-1',
        name: 'Information about access restrictions or rights can be identified in metadata',
        points: 0.5,
        rule: (r) => ok(!!r.accessRights || !!r.rights?.length),
      },
      {
        id: 'FsF-A1-01M-3',
        name: 'Data access information is indicated by (not machine readable) standard terms',
        points: 1,
        rule: (r) => ok(RE_ACCESS_TERMS.test(r.accessRights?.label ? Object.values(r.accessRights.label).join(' ') : '')),
      },
      {
        id: 'FsF-A1-01M-2',
        name: 'Data access information is machine readable',
        points: 1,
        rule: (r) => ok(isEuAccessRight(r.accessRights?.['@id']) || !!r.accessRights?.['@id']?.startsWith(COAR_ACCESS_RIGHTS)),
      },
    ],
  },
  {
    id: 'FsF-A1-02M',
    name: 'Metadata is accessible through a standardized communication protocol',
    principle: 'A1',
    max: 1,
    scoring: 'alternative',
    fix: { field: 'landingPage', add: 'a landing page over http(s)' },
    tests: [
      {
        id: 'FsF-A1-02M-1',
        name: 'Landing page link is based on standardized web communication protocols',
        points: 1,
        rule: (r) => {
          const landing = r.landingPage?.[0]?.['@id'] ?? r.isPrimaryTopicOf.sourceUrl;
          return !landing ? 'fail' : /^file:/i.test(landing) ? 'not assessed' : ok(/^(https?|ftp):\/\//i.test(landing));
        },
      },
    ],
  },
  {
    id: 'FsF-A1-03D',
    name: 'Data is accessible through a standardized communication protocol',
    principle: 'A1',
    max: 1,
    scoring: 'alternative',
    fix: { field: 'downloadURL', add: 'a data URL over http(s) that answers' },
    tests: [
      {
        id: 'FsF-A1-03D-1',
        name: 'Metadata includes a resolvable link to data based on standardized web communication protocols',
        points: 1,
        rule: (_, f) => someDataUrlAnswers(f),
      },
    ],
  },
  {
    id: 'FsF-A2-01M',
    name: 'Metadata remains available, even if the data is no longer available',
    principle: 'A2',
    max: 1,
    scoring: 'alternative',
    fix: { field: 'identifier', add: 'a DOI (DataCite keeps its metadata)' },
    tests: [
      {
        id: 'FsF-A2-01M-1',
        name: 'The persistent identifier system used guarantees the preservation of associated metadata',
        points: 1,
        rule: (_, f) => ok(f.doi),
      },
    ],
  },
  {
    id: 'FsF-I1-01M',
    name: 'Metadata is represented using a formal knowledge representation language',
    principle: 'I1',
    max: 2,
    scoring: 'cumulative',
    tests: [
      {
        id: 'FsF-I1-01M-1',
        name: 'Parsable, structured metadata (JSON-LD, RDFa) is embedded in the landing page XHTML/HTML code',
        points: 1,
        rule: notAssessed,
      },
      {
        id: 'FsF-I1-01M-2',
        name: 'Parsable, graph data (RDF, JSON-LD) is accessible through content negotiation, typed links or sparql endpoint',
        points: 1,
        rule: notAssessed,
      },
    ],
  },
  {
    id: 'FsF-I2-01M',
    name: 'Metadata uses semantic resources',
    principle: 'I2',
    max: 1,
    scoring: 'cumulative',
    fix: { field: 'theme', add: 'themes or keywords from a known vocabulary (INSPIRE, GEMET, GCMD, Theia/OZCAR) by their IRI' },
    tests: [
      {
        id: 'FsF-I2-01M-1',
        name: 'Vocabulary namespace URIs can be identified in metadata',
        points: 0,
        rule: (r) => ok(someConceptIri(r, () => true)),
      },
      {
        id: 'FsF-I2-01M-2',
        name: 'Namespaces of known semantic resources can be identified in metadata',
        points: 1,
        rule: (r) => ok(someConceptIri(r, isKnownVocabulary)),
      },
    ],
  },
  {
    id: 'FsF-I3-01M',
    name: 'Metadata includes links between the data and its related entities',
    principle: 'I3',
    max: 1,
    scoring: 'alternative',
    fix: { field: 'relation', add: 'related resources by their identifier (publications, parent series)' },
    tests: [
      {
        id: 'FsF-I3-01M-1',
        name: 'Related resources are explicitly mentioned in metadata',
        points: 1,
        rule: (r) => ok(someRelated(r, () => true)),
      },
      {
        id: 'FsF-I3-01M-2',
        name: 'Related resources are indicated by machine readable links or identifiers',
        points: 1,
        rule: (r) => ok(someRelated(r, (i) => RE_URL.test(i))),
      },
    ],
  },
  {
    id: 'FsF-R1-01MD',
    name: 'Metadata specifies the content of the data',
    principle: 'R1',
    max: 4,
    scoring: 'cumulative',
    fix: { field: 'variableMeasured', add: 'what the data holds: measured variables, or each file with its format and size' },
    tests: [
      {
        id: 'FsF-R1-01MD-1',
        name: 'Minimal information about available data content is given in metadata (resource type, content links)',
        points: 1,
        rule: (r, f) => ok(!!r.resourceType?.length || f.dists.length > 0),
      },
      {
        id: 'FsF-R1-01MD-2',
        name: 'Verifiable data descriptors (file info, measured variables or observation types) are specified in metadata',
        points: 1,
        rule: (r, f) => ok(f.dists.some((d) => (d.format || d.mediaType) && d.byteSize !== undefined) || !!r.variableMeasured?.length),
      },
      { id: 'FsF-R1-01MD-3', name: 'Data content matches file type and size specified in metadata', points: 1, rule: notAssessed },
      {
        id: 'FsF-R1-01MD-4',
        name: 'Data content matches measured variables or observation types specified in metadata',
        points: 1,
        rule: notAssessed,
      },
    ],
  },
  {
    id: 'FsF-R1.1-01M',
    name: 'Metadata includes license information under which data can be reused',
    principle: 'R1.1',
    max: 2,
    scoring: 'cumulative',
    fix: { field: 'license', add: 'a licence registered at SPDX (e.g. CC-BY-4.0, etalab-2.0) by its URL' },
    tests: [
      {
        id: 'FsF-R1.1-01M-1',
        name: 'Licence information is given in an appropriate metadata element',
        points: 1,
        rule: (_, f) => ok(!!f.license),
      },
      {
        id: 'FsF-R1.1-01M-2',
        name: 'Recognized licence is valid and registered at SPDX',
        points: 1,
        rule: (_, f) => ok(!!knownLicenseOf(f.license?.['@id'])?.spdx || RE_SPDX.test(f.license?.['@id'] ?? '')),
      },
    ],
  },
  {
    id: 'FsF-R1.2-01M',
    name: 'Metadata includes provenance information about data creation or generation',
    principle: 'R1.2',
    max: 2,
    scoring: 'cumulative',
    fix: { field: 'creator', add: 'who created the data and when' },
    tests: [
      {
        id: 'FsF-R1.2-01M-1',
        name: 'Metadata contains elements which hold provenance information and can be mapped to PROV',
        points: 1,
        rule: (r) =>
          ok(
            !!r.creator?.length ||
              !!r.publisher ||
              !!r.rightsHolder?.length ||
              !!r.qualifiedAttribution?.length ||
              !!r.created ||
              !!r.issued ||
              !!r.modified ||
              !!r.provenance?.length,
          ),
      },
      {
        id: 'FsF-R1.2-01M-2',
        name: 'Metadata contains provenance information using formal provenance ontologies (PROV-O)',
        points: 1,
        rule: (r) => ok(!!r.qualifiedAttribution?.length),
      },
    ],
  },
  {
    id: 'FsF-R1.3-01M',
    name: 'Metadata follows a standard recommended by the target research community',
    principle: 'R1.3',
    max: 1,
    scoring: 'alternative',
    fix: {
      add: 'an ISO 19115 / 19139 record of the dataset (the RDA catalogue lists it; STAC and the OZCAR pivot are not there)',
      where: 'the whole record (publish it in ISO 19139 or 19115-3 as well)',
    },
    tests: [
      {
        id: 'FsF-R1.3-01M-1',
        name: 'Community specific metadata standard is detected using namespaces or schemas found in provided metadata',
        points: 1,
        rule: (r) => {
          const family = formatFamily(r.isPrimaryTopicOf.sourceFormat);
          return ok(family === 'iso19139' || family === 'iso19115-3');
        },
      },
      {
        id: 'FsF-R1.3-01M-3',
        name: 'Multidisciplinary but community endorsed metadata standard is detected by namespace (DCAT)',
        points: 0,
        rule: () => 'pass',
      },
    ],
  },
  {
    id: 'FsF-R1.3-02D',
    name: 'Data is available in a file format recommended by the target research community',
    principle: 'R1.3',
    max: 1,
    scoring: 'alternative',
    fix: { field: 'mediaType', add: 'a scientific, open or long-term format (NetCDF, HDF5, GeoTIFF, GeoJSON, PDF...)' },
    tests: [
      {
        id: 'FsF-R1.3-02D-1',
        name: 'The format of a data file given in the metadata is listed in the long term, open or scientific file formats controlled list',
        points: 1,
        rule: (_, f) =>
          ok(f.dists.some((d) => FUJI_MEDIA_IRIS.has(d.mediaType?.['@id'] ?? '') || FUJI_FILE_TYPE_IRIS.has(d.format?.['@id'] ?? ''))),
      },
    ],
  },
];

/** The most points of every metric (25). */
export const FUJI_MAX = FUJI_METRICS.reduce((s, m) => s + m.max, 0);

/** Some identifier of the record passes `pred`: its other identifiers first, then the catalogue record's. */
function someIdentifier(r: HubRecord, pred: (id: string) => boolean): boolean {
  return someOf(r.otherIdentifier, (i) => i.notation, pred) || pred(r.isPrimaryTopicOf.identifier);
}

function factsOf(r: HubRecord, links: LinkResults): Facts {
  const dists = r.distribution ?? [];
  let missing = 0;
  for (let i = 0; i < CORE.length; i++) if (!CORE[i].has(r)) missing |= 1 << i;
  const f: Facts = { links, dists, doi: false, missing, license: r.license?.[0] ?? dists.find((d) => d.license)?.license };
  // its identifiers in order, each read once: the first URL or PID, the first PID, a DOI among them
  const read = (id: string) => {
    const pid = isPid(id);
    if (pid && f.pid === undefined) f.pid = id;
    if (f.urlId === undefined && (pid || RE_URL.test(id))) f.urlId = id;
    if (pid && RE_DOI.test(id)) f.doi = true;
  };
  for (const i of r.otherIdentifier ?? []) read(i.notation);
  read(r.isPrimaryTopicOf.identifier);
  return f;
}

/*
 * A metric's outcome depends on its tests' statuses alone (and its fix on the record's format family, and for the core
 * metadata on what is missing): its few possible outcomes are computed once, at load, indexed by the statuses (each
 * test a digit in base 3: fail 0, pass 1, not assessed 2), and a record's metric is the outcome its statuses index:
 * the same frozen object for every record with the same outcome, made the first time one has it.
 */
const STATUSES: readonly TestStatus[] = ['fail', 'pass', 'not assessed'];
const code = (s: TestStatus) => (s === 'fail' ? 0 : s === 'pass' ? 1 : 2);

interface Outcome {
  points: number;
  /** The points of the tests decided (not "not assessed"). */
  assessable: number;
  status: TestStatus;
  /** A test worth points was decided and failed, and the metric is short of its maximum: it has a fix. */
  fixable: boolean;
}

/** A metric's points from its tests' statuses: those passed (or, `decided`, those not "not assessed"). */
function metricPoints(m: FujiMetricDef, statuses: readonly TestStatus[], decided: boolean): number {
  let sum = 0;
  let best = 0;
  for (let j = 0; j < m.tests.length; j++) {
    const s = statuses[j];
    if (decided ? s === 'not assessed' : s !== 'pass') continue;
    const p = m.tests[j].points;
    sum += p;
    if (p > best) best = p;
  }
  return Math.min(m.max, m.scoring === 'cumulative' ? sum : best);
}

/** What a metric makes of its tests' statuses. */
function outcomeOf(m: FujiMetricDef, statuses: readonly TestStatus[]): Outcome {
  const points = metricPoints(m, statuses, false);
  // lacking: a test worth points was decided and failed
  const lacking = m.tests.some((t, j) => statuses[j] === 'fail' && t.points > 0);
  return {
    points,
    assessable: metricPoints(m, statuses, true),
    status: points > 0 ? 'pass' : lacking ? 'fail' : 'not assessed',
    fixable: lacking && points < m.max && m.fix !== undefined,
  };
}

/** Per metric, its outcome for each combination of its tests' statuses (3^tests of them). */
const OUTCOMES: readonly (readonly Outcome[])[] = FUJI_METRICS.map((m) =>
  Array.from({ length: 3 ** m.tests.length }, (_, key) =>
    outcomeOf(
      m,
      m.tests.map((_t, j) => STATUSES[Math.floor(key / 3 ** j) % 3]),
    ),
  ),
);

/** Each metric's statuses key (see OUTCOMES), in FUJI_METRICS' order. */
function keysOf(r: HubRecord, f: Facts): number[] {
  const keys = new Array<number>(FUJI_METRICS.length);
  for (let k = 0; k < FUJI_METRICS.length; k++) {
    const tests = FUJI_METRICS[k].tests;
    let key = 0;
    for (let j = 0, unit = 1; j < tests.length; j++, unit *= 3) key += code(tests[j].rule(r, f)) * unit;
    keys[k] = key;
  }
  return keys;
}

/** The record's F-UJI points alone (what the index keeps): nothing else is built. */
export function fujiPoints(record: HubRecord, links?: LinkResults): number {
  const keys = keysOf(record, factsOf(record, links));
  let points = 0;
  for (let k = 0; k < keys.length; k++) points += OUTCOMES[k][keys[k]].points;
  return points;
}

/** The fixes, made once: per format family, per metric (the core metadata's names what is missing: made with the metric). */
const FIXES = {} as Record<FormatFamily, readonly (Fix | undefined)[]>;
for (const family of FORMAT_FAMILIES)
  FIXES[family] = FUJI_METRICS.map(({ fix }) =>
    !fix || fix === 'core metadata'
      ? undefined
      : Object.freeze({ add: fix.add, where: 'where' in fix ? fix.where : whereIn(family, fix.field) }),
  );

/** How the fix of the core metadata a record lacks begins; the F-UJI names of what it lacks follow. */
export const CORE_LACKING = 'the core metadata it lacks: ';

/** What to add of the core metadata a record lacks (`missing`: bits of CORE), and where. */
function coreFix(family: FormatFamily, missing: number): Fix {
  const lacking = CORE.filter((_, i) => missing & (1 << i));
  return Object.freeze({
    add: `${CORE_LACKING}${lacking.map((c) => c.name).join(', ')}`,
    where: lacking.map((c) => whereIn(family, c.field)).join('; '),
  });
}

/** Per metric, the metrics made so far, by statuses key, format family (and for the core metadata, what is missing). */
const MADE: readonly Map<number, FujiMetric>[] = FUJI_METRICS.map(() => new Map());

/** Metric k of a record whose tests' statuses key is `key`. */
function metricOf(k: number, key: number, family: FormatFamily, missing: number): FujiMetric {
  const def = FUJI_METRICS[k];
  const o = OUTCOMES[k][key];
  const byCore = o.fixable && def.fix === 'core metadata';
  const slot = key * FORMAT_FAMILIES.length + FORMAT_FAMILIES.indexOf(family);
  // (the core metadata's fix names what is missing: those are told apart by it, below zero)
  const id = byCore ? -1 - (slot * (1 << CORE.length) + missing) : slot;
  let m = MADE[k].get(id);
  if (!m) {
    const tests = def.tests.map((t, j) => Object.freeze({ id: t.id, status: STATUSES[Math.floor(key / 3 ** j) % 3] }));
    const made: FujiMetric = { id: def.id, points: o.points, status: o.status, tests: Object.freeze(tests) as FujiTest[] };
    if (o.fixable) made.fix = byCore ? coreFix(family, missing) : FIXES[family][k];
    m = Object.freeze(made);
    MADE[k].set(id, m);
  }
  return m;
}

/**
 * The record's F-UJI assessment: each metric's points and status, its tests' status, what to fix. The metrics are
 * shared, frozen objects (see OUTCOMES): read them, copy them to change them.
 */
export function assessFuji(record: HubRecord, links?: LinkResults): FujiAssessment {
  const family = formatFamily(record.isPrimaryTopicOf.sourceFormat);
  const f = factsOf(record, links);
  const keys = keysOf(record, f);
  const metrics = new Array<FujiMetric>(keys.length);
  let points = 0;
  let assessable = 0;
  for (let k = 0; k < keys.length; k++) {
    const o = OUTCOMES[k][keys[k]];
    points += o.points;
    assessable += o.assessable;
    metrics[k] = metricOf(k, keys[k], family, f.missing);
  }
  return { points, assessable, percent: Math.round((points / FUJI_MAX) * 1000) / 10, metrics };
}
