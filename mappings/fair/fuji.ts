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
 */
import type { HubRecord } from '../../schemas/record.js';
import { knownLicense } from '../../core/vocab.js';
import type { Fix } from './mqa.js';
import type { LinkResults } from './links.js';
import {
  COAR_ACCESS_RIGHTS,
  FILE_TYPE_MEDIA,
  fileTypeCode,
  FUJI_FORMATS,
  IANA_MEDIA_TYPE,
  isEuAccessRight,
  KNOWN_VOCABULARIES,
} from './vocabularies.js';
import { formatFamily, whereIn, type Field, type FormatFamily } from './where.js';

export type TestStatus = 'pass' | 'fail' | 'not assessed';

export interface FujiTest {
  id: string;
  name: string;
  points: number;
  status: TestStatus;
}

export interface FujiMetric {
  id: string;
  name: string;
  principle: string;
  /** total_score of the metric in v0.5. */
  max: number;
  points: number;
  /** pass: some points; fail: none although a test worth points was decided; not assessed: no test worth points could be decided. */
  status: TestStatus;
  tests: FujiTest[];
  fix?: Fix;
}

export interface FujiAssessment {
  methodology: 'F-UJI metrics v0.5';
  points: number;
  /** 25: every v0.5 metric. */
  max: number;
  /** The points of the tests that metadata can decide (the rest is not assessed). */
  assessable: number;
  percent: number;
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

const isPid = (id: string) => RE_DOI.test(id) || RE_HANDLE.test(id) || RE_ARK.test(id) || RE_PURL.test(id) || RE_URN.test(id);

interface Def {
  id: string;
  name: string;
  principle: string;
  max: number;
  scoring: 'cumulative' | 'alternative';
  field?: Field;
  add?: string;
}

const DEFS: Def[] = [
  {
    id: 'FsF-F1-01D',
    name: 'Data is assigned a globally unique identifier',
    principle: 'F1',
    max: 1,
    scoring: 'alternative',
    field: 'identifier',
    add: 'a globally unique, resolvable identifier (a DOI or an http(s) IRI)',
  },
  {
    id: 'FsF-F1-02D',
    name: 'Data is assigned a persistent identifier',
    principle: 'F1',
    max: 1,
    scoring: 'alternative',
    field: 'identifier',
    add: 'a persistent identifier (DOI, Handle, ARK)',
  },
  { id: 'FsF-F2-01M', name: 'Metadata includes descriptive core elements', principle: 'F2', max: 2, scoring: 'cumulative' },
  {
    id: 'FsF-F3-01M',
    name: 'Metadata includes the identifier of the data it describes',
    principle: 'F3',
    max: 1,
    scoring: 'cumulative',
    field: 'downloadURL',
    add: 'the data files: their URL, format and size',
  },
  {
    id: 'FsF-F4-01M',
    name: 'Metadata can be retrieved programmatically (search engines, registries)',
    principle: 'F4',
    max: 2,
    scoring: 'cumulative',
  },
  {
    id: 'FsF-A1-01M',
    name: 'Metadata contains access level and access conditions of the data',
    principle: 'A1',
    max: 1,
    scoring: 'alternative',
    field: 'accessRights',
    add: 'machine-readable access rights',
  },
  {
    id: 'FsF-A1-02M',
    name: 'Metadata is accessible through a standardized communication protocol',
    principle: 'A1',
    max: 1,
    scoring: 'alternative',
    field: 'landingPage',
    add: 'a landing page over http(s)',
  },
  {
    id: 'FsF-A1-03D',
    name: 'Data is accessible through a standardized communication protocol',
    principle: 'A1',
    max: 1,
    scoring: 'alternative',
    field: 'downloadURL',
    add: 'a data URL over http(s) that answers',
  },
  {
    id: 'FsF-A2-01M',
    name: 'Metadata remains available, even if the data is no longer available',
    principle: 'A2',
    max: 1,
    scoring: 'alternative',
    field: 'identifier',
    add: 'a DOI (DataCite keeps its metadata)',
  },
  {
    id: 'FsF-I1-01M',
    name: 'Metadata is represented using a formal knowledge representation language',
    principle: 'I1',
    max: 2,
    scoring: 'cumulative',
  },
  {
    id: 'FsF-I2-01M',
    name: 'Metadata uses semantic resources',
    principle: 'I2',
    max: 1,
    scoring: 'cumulative',
    field: 'theme',
    add: 'themes or keywords from a known vocabulary (INSPIRE, GEMET, GCMD, Theia/OZCAR) by their IRI',
  },
  {
    id: 'FsF-I3-01M',
    name: 'Metadata includes links between the data and its related entities',
    principle: 'I3',
    max: 1,
    scoring: 'alternative',
    field: 'relation',
    add: 'related resources by their identifier (publications, parent series)',
  },
  {
    id: 'FsF-R1-01MD',
    name: 'Metadata specifies the content of the data',
    principle: 'R1',
    max: 4,
    scoring: 'cumulative',
    field: 'variableMeasured',
    add: 'what the data holds: measured variables, or each file with its format and size',
  },
  {
    id: 'FsF-R1.1-01M',
    name: 'Metadata includes license information under which data can be reused',
    principle: 'R1.1',
    max: 2,
    scoring: 'cumulative',
    field: 'license',
    add: 'a licence registered at SPDX (e.g. CC-BY-4.0, etalab-2.0) by its URL',
  },
  {
    id: 'FsF-R1.2-01M',
    name: 'Metadata includes provenance information about data creation or generation',
    principle: 'R1.2',
    max: 2,
    scoring: 'cumulative',
    field: 'creator',
    add: 'who created the data and when',
  },
  {
    id: 'FsF-R1.3-01M',
    name: 'Metadata follows a standard recommended by the target research community',
    principle: 'R1.3',
    max: 1,
    scoring: 'alternative',
    field: 'title',
    add: 'an ISO 19115 / 19139 record of the dataset (the RDA catalogue lists it; STAC and the OZCAR pivot are not there)',
  },
  {
    id: 'FsF-R1.3-02D',
    name: 'Data is available in a file format recommended by the target research community',
    principle: 'R1.3',
    max: 1,
    scoring: 'alternative',
    field: 'mediaType',
    add: 'a scientific, open or long-term format (NetCDF, HDF5, GeoTIFF, GeoJSON, PDF...)',
  },
];

type T = [id: string, name: string, points: number, status: TestStatus];

export function assessFuji(record: HubRecord, links?: LinkResults): FujiAssessment {
  const family: FormatFamily = formatFamily(record.isPrimaryTopicOf.sourceFormat);
  const ids = [...(record.otherIdentifier ?? []).map((i) => i.notation), record.isPrimaryTopicOf.identifier];
  const dists = record.distribution ?? [];
  const ok = (b: boolean): TestStatus => (b ? 'pass' : 'fail');
  const answered = (url: string | undefined): TestStatus =>
    !url ? 'fail' : !links ? 'not assessed' : links.get(url) === undefined ? 'not assessed' : ok(links.get(url)!.ok);
  const anyStatus = (list: TestStatus[]): TestStatus =>
    list.includes('pass') ? 'pass' : list.includes('not assessed') ? 'not assessed' : 'fail';

  const urlId = ids.find((i) => RE_URL.test(i) || isPid(i));
  const pid = ids.find(isPid);
  const doi = ids.find((i) => RE_DOI.test(i));
  const hasKeywords = Object.values(record.keyword ?? {}).some((l) => l.length > 0) || !!record.theme?.length;
  const citation = {
    creator: !!record.creator?.length,
    title: true,
    object_identifier: ids.length > 0,
    publication_date: !!record.issued,
    publisher: !!record.publisher,
    object_type: !!record.resourceType?.length || record['@type'].length > 0,
  };
  const core = { ...citation, summary: !!record.description, keywords: hasKeywords };
  const missing = Object.entries(core)
    .filter(([, v]) => !v)
    .map(([k]) => k);
  const landing = record.landingPage?.[0]?.['@id'] ?? record.isPrimaryTopicOf.sourceUrl;
  const conceptIris = [...(record.theme ?? []), ...(record.subject ?? [])].map((c) => c['@id']).filter((i): i is string => !!i);
  const variableIris = (record.variableMeasured ?? []).map((v) => v.propertyID).filter((i): i is string => !!i);
  const related = [...(record.relation ?? []), ...(record.isPartOf ?? []), ...(record.servesDataset ?? [])];
  const accessIri = record.accessRights?.['@id'];
  const accessText = Object.values(record.accessRights?.label ?? {}).join(' ');
  const license = record.license?.[0] ?? dists.find((d) => d.license)?.license;
  const spdx = knownLicense(license?.['@id'])?.spdx ?? /^https?:\/\/spdx\.org\/licenses\/[\w.+-]+/.exec(license?.['@id'] ?? '')?.[0];
  const mediaTypes = dists.flatMap((d) => {
    const iri = d.mediaType?.['@id'];
    const m = iri?.startsWith(IANA_MEDIA_TYPE) ? iri.slice(IANA_MEDIA_TYPE.length) : undefined;
    const code = fileTypeCode(d.format?.['@id']);
    return [m, code ? FILE_TYPE_MEDIA[code] : undefined].filter((x): x is string => !!x);
  });
  const provenance = [
    record.creator?.length,
    record.publisher,
    record.rightsHolder?.length,
    record.qualifiedAttribution?.length,
    record.created,
    record.issued,
    record.modified,
    record.provenance?.length,
  ].some(Boolean);

  const tests: Record<string, T[]> = {
    'FsF-F1-01D': [
      [
        'FsF-F1-01D-1',
        'Identifier is resolvable and follows a defined unique identifier syntax (IRI, URL)',
        1,
        !urlId ? 'fail' : answered(urlId.startsWith('http') ? urlId : undefined),
      ],
      [
        'FsF-F1-01D-2',
        'Identifier is not resolvable but follows an UUID or HASH type syntax',
        0.5,
        ok(ids.some((i) => RE_UUID.test(i) || RE_HASH.test(i))),
      ],
    ],
    'FsF-F1-02D': [
      ['FsF-F1-02D-1', 'Identifier follows a defined persistent identifier syntax', 0.5, ok(!!pid)],
      ['FsF-F1-02D-2', 'Persistent identifier is resolvable', 1, !pid ? 'fail' : answered(pid.startsWith('http') ? pid : undefined)],
    ],
    'FsF-F2-01M': [
      ['FsF-F2-01M-1', 'Metadata has been made available via common web methods', 0.5, 'not assessed'],
      ['FsF-F2-01M-2', 'Core data citation metadata is available', 0.5, ok(Object.values(citation).every(Boolean))],
      ['FsF-F2-01M-3', 'Core descriptive metadata is available', 1, ok(missing.length === 0)],
    ],
    'FsF-F3-01M': [
      [
        'FsF-F3-01M-1',
        'Metadata contains data content related information (file name, size, type)',
        0.5,
        ok(dists.some((d) => d.format || d.mediaType || d.byteSize !== undefined)),
      ],
      [
        'FsF-F3-01M-2',
        'Metadata contains a PID or URL which indicates the location of the downloadable data content',
        0.5,
        ok(dists.some((d) => d.downloadURL ?? d.accessURL)),
      ],
    ],
    'FsF-F4-01M': [
      ['FsF-F4-01M-1', 'Metadata is given in a way major search engines can ingest it (JSON-LD, Dublin Core, RDFa)', 1, 'not assessed'],
      ['FsF-F4-01M-2', 'Metadata is registered in major research data registries (DataCite)', 1, 'not assessed'],
    ],
    'FsF-A1-01M': [
      [
        'FsF-A1-01M-1',
        'Information about access restrictions or rights can be identified in metadata',
        0.5,
        ok(!!record.accessRights || !!record.rights?.length),
      ],
      [
        'FsF-A1-01M-3',
        'Data access information is indicated by (not machine readable) standard terms',
        1,
        ok(/\b(public|open|restricted|embargo\w*|metadata[ -]only|closed)\b/i.test(accessText)),
      ],
      [
        'FsF-A1-01M-2',
        'Data access information is machine readable',
        1,
        ok(isEuAccessRight(accessIri) || !!accessIri?.startsWith(COAR_ACCESS_RIGHTS)),
      ],
    ],
    'FsF-A1-02M': [
      [
        'FsF-A1-02M-1',
        'Landing page link is based on standardized web communication protocols',
        1,
        !landing ? 'fail' : /^file:/i.test(landing) ? 'not assessed' : ok(/^(https?|ftp):\/\//i.test(landing)),
      ],
    ],
    'FsF-A1-03D': [
      [
        'FsF-A1-03D-1',
        'Metadata includes a resolvable link to data based on standardized web communication protocols',
        1,
        dists.length === 0 ? 'fail' : anyStatus(dists.map((d) => answered(d.downloadURL ?? d.accessURL))),
      ],
    ],
    'FsF-A2-01M': [
      ['FsF-A2-01M-1', 'The persistent identifier system used guarantees the preservation of associated metadata', 1, ok(!!doi)],
    ],
    'FsF-I1-01M': [
      ['FsF-I1-01M-1', 'Parsable, structured metadata (JSON-LD, RDFa) is embedded in the landing page XHTML/HTML code', 1, 'not assessed'],
      [
        'FsF-I1-01M-2',
        'Parsable, graph data (RDF, JSON-LD) is accessible through content negotiation, typed links or sparql endpoint',
        1,
        'not assessed',
      ],
    ],
    'FsF-I2-01M': [
      ['FsF-I2-01M-1', 'Vocabulary namespace URIs can be identified in metadata', 0, ok(conceptIris.length + variableIris.length > 0)],
      [
        'FsF-I2-01M-2',
        'Namespaces of known semantic resources can be identified in metadata',
        1,
        ok([...conceptIris, ...variableIris].some((i) => KNOWN_VOCABULARIES.some((v) => i.startsWith(v)))),
      ],
    ],
    'FsF-I3-01M': [
      ['FsF-I3-01M-1', 'Related resources are explicitly mentioned in metadata', 1, ok(related.length > 0)],
      [
        'FsF-I3-01M-2',
        'Related resources are indicated by machine readable links or identifiers',
        1,
        ok(related.some((r) => RE_URL.test(r))),
      ],
    ],
    'FsF-R1-01MD': [
      [
        'FsF-R1-01MD-1',
        'Minimal information about available data content is given in metadata (resource type, content links)',
        1,
        ok(!!record.resourceType?.length || dists.length > 0),
      ],
      [
        'FsF-R1-01MD-2',
        'Verifiable data descriptors (file info, measured variables or observation types) are specified in metadata',
        1,
        ok(dists.some((d) => (d.format || d.mediaType) && d.byteSize !== undefined) || !!record.variableMeasured?.length),
      ],
      ['FsF-R1-01MD-3', 'Data content matches file type and size specified in metadata', 1, 'not assessed'],
      ['FsF-R1-01MD-4', 'Data content matches measured variables or observation types specified in metadata', 1, 'not assessed'],
    ],
    'FsF-R1.1-01M': [
      ['FsF-R1.1-01M-1', 'Licence information is given in an appropriate metadata element', 1, ok(!!license)],
      ['FsF-R1.1-01M-2', 'Recognized licence is valid and registered at SPDX', 1, ok(!!spdx)],
    ],
    'FsF-R1.2-01M': [
      ['FsF-R1.2-01M-1', 'Metadata contains elements which hold provenance information and can be mapped to PROV', 1, ok(provenance)],
      [
        'FsF-R1.2-01M-2',
        'Metadata contains provenance information using formal provenance ontologies (PROV-O)',
        1,
        ok(!!record.qualifiedAttribution?.length),
      ],
    ],
    'FsF-R1.3-01M': [
      [
        'FsF-R1.3-01M-1',
        'Community specific metadata standard is detected using namespaces or schemas found in provided metadata',
        1,
        ok(family === 'iso19139' || family === 'iso19115-3'),
      ],
      ['FsF-R1.3-01M-3', 'Multidisciplinary but community endorsed metadata standard is detected by namespace (DCAT)', 0, 'pass'],
    ],
    'FsF-R1.3-02D': [
      [
        'FsF-R1.3-02D-1',
        'The format of a data file given in the metadata is listed in the long term, open or scientific file formats controlled list',
        1,
        ok(mediaTypes.some((m) => FUJI_FORMATS.has(m))),
      ],
    ],
  };

  const metrics: FujiMetric[] = DEFS.map((d) => {
    const ts: FujiTest[] = tests[d.id].map(([id, name, points, status]) => ({ id, name, points, status }));
    const passed = ts.filter((t) => t.status === 'pass').map((t) => t.points);
    const raw = d.scoring === 'cumulative' ? passed.reduce((a, b) => a + b, 0) : Math.max(0, ...passed);
    const points = Math.min(d.max, raw);
    // pass: some points; fail: no points although a test that gives points could be decided; else not assessed
    const status: TestStatus = points > 0 ? 'pass' : ts.some((t) => t.status === 'fail' && t.points > 0) ? 'fail' : 'not assessed';
    const m: FujiMetric = { id: d.id, name: d.name, principle: d.principle, max: d.max, points, status, tests: ts };
    const lacking = ts.some((t) => t.status === 'fail' && t.points > 0);
    if (lacking && points < d.max) {
      if (d.id === 'FsF-F2-01M') {
        const fields: Record<string, Field> = {
          creator: 'creator',
          publication_date: 'issued',
          publisher: 'publisher',
          summary: 'description',
          keywords: 'keyword',
          object_identifier: 'identifier',
          object_type: 'resourceType',
        };
        m.fix = {
          add: `the core metadata it lacks: ${missing.join(', ')}`,
          where: missing.map((k) => whereIn(family, fields[k] ?? 'title')).join('; '),
        };
      } else if (d.id === 'FsF-R1.3-01M') m.fix = { add: d.add!, where: 'the whole record (publish it in ISO 19139 or 19115-3 as well)' };
      else if (d.field && d.add) m.fix = { add: d.add, where: whereIn(family, d.field) };
    }
    return m;
  });
  const points = metrics.reduce((s, m) => s + m.points, 0);
  const max = DEFS.reduce((s, d) => s + d.max, 0);
  const assessable = metrics.reduce((s, m) => {
    const decided = m.tests.filter((t) => t.status !== 'not assessed').map((t) => t.points);
    const best = DEFS.find((d) => d.id === m.id)!.scoring === 'cumulative' ? decided.reduce((a, b) => a + b, 0) : Math.max(0, ...decided);
    return s + Math.min(m.max, best);
  }, 0);
  return { methodology: 'F-UJI metrics v0.5', points, max, assessable, percent: Math.round((points / max) * 1000) / 10, metrics };
}
