/**
 * The one normalised record: compact JSON-LD read as DCAT-AP 3 / GeoDCAT-AP through
 * `schemas/context.jsonld` (schema.org alongside). `schemas/record.schema.json` is its JSON Schema.
 *
 * Conventions:
 * - multilingual text is a JSON-LD language map: `{ "fr": "...", "en": "..." }`, `"@none"` when the language is unknown;
 * - IRIs of pure reference properties are plain strings (the context coerces them with `@type: @id`);
 * - dates are typed literals `{ "@value": "2020-01-31", "@type": "xsd:date" }` (xsd:date, xsd:dateTime, xsd:gYear,
 *   xsd:gYearMonth) so that they stay exact and SHACL-valid;
 * - a bounding box is a WKT literal `POLYGON((w s,e s,e n,w n,w s))` in CRS84 order (lon lat); when west > east the box
 *   crosses the antimeridian and is written as given (the index splits it in two).
 */

export type LangMap = { [lang: string]: string };
export type LangMapMulti = { [lang: string]: string[] };

export type { DateType, DateLiteral, WktLiteral, GeoJsonLiteral } from '../core/literals.js';
import type { DateLiteral, WktLiteral, GeoJsonLiteral } from '../core/literals.js';

export interface ConceptScheme {
  '@id'?: string;
  '@type': 'skos:ConceptScheme';
  title?: LangMap;
  issued?: DateLiteral;
}

/** A controlled-vocabulary term (INSPIRE theme, GCMD keyword, topic category...). */
export interface Concept {
  '@id'?: string;
  '@type': 'skos:Concept';
  prefLabel?: LangMap;
  notation?: string;
  inScheme?: ConceptScheme;
}

export interface Identifier {
  '@type': 'adms:Identifier';
  notation: string;
  /** Code space / authority (e.g. "doi", "EPSG", a registry URL). */
  schemaAgency?: string;
}

/** foaf agent: publisher, creator, rights holder, funder. */
export interface Agent {
  '@id'?: string;
  '@type': 'foaf:Agent' | 'foaf:Organization' | 'foaf:Person';
  name: LangMap;
  /** mailto: IRI */
  mbox?: string;
  homepage?: string;
  /** Other identifiers of the agent: ORCID, ROR, ISNI... as IRIs or codes. */
  identifier?: string[];
  /** Person's organisation. */
  memberOf?: Agent;
}

/** vCard contact point. */
export interface ContactPoint {
  '@id'?: string;
  '@type': 'vcard:Organization' | 'vcard:Individual' | 'vcard:Kind';
  fn: string;
  organizationName?: string;
  /** mailto: IRI */
  hasEmail?: string;
  hasURL?: string;
  hasTelephone?: string;
  /** Free-text postal address. */
  note?: string;
  /** ORCID or other identifier IRI. */
  hasUID?: string;
}

/** A responsible party with its role (prov:qualifiedAttribution), for every role, including those above. */
export interface Attribution {
  '@type': 'prov:Attribution';
  agent: Agent;
  /** Role IRI, e.g. http://inspire.ec.europa.eu/metadata-codelist/ResponsiblePartyRole/custodian */
  hadRole: string;
}

export interface Location {
  '@id'?: string;
  '@type': 'dct:Location';
  bbox?: WktLiteral;
  geometry?: WktLiteral | GeoJsonLiteral;
  prefLabel?: LangMap;
}

export interface PeriodOfTime {
  '@type': 'dct:PeriodOfTime';
  startDate?: DateLiteral;
  /** Absent for an open interval (ISO indeterminatePosition="now", STAC null end). */
  endDate?: DateLiteral;
}

export interface LicenseDocument {
  '@id'?: string;
  '@type': 'dct:LicenseDocument';
  label?: LangMap;
}

export interface RightsStatement {
  '@id'?: string;
  '@type': 'dct:RightsStatement';
  label?: LangMap;
}

export interface ProvenanceStatement {
  '@type': 'dct:ProvenanceStatement';
  label: LangMap;
}

/** A file format: an IRI of the EU file-type authority when recognised, else a label. */
export interface MediaTypeOrExtent {
  '@id'?: string;
  '@type': 'dct:MediaTypeOrExtent';
  label?: LangMap;
}

export interface Distribution {
  '@id'?: string;
  '@type': 'dcat:Distribution';
  accessURL: string;
  downloadURL?: string;
  title?: LangMap;
  description?: LangMap;
  format?: MediaTypeOrExtent;
  /** IANA media type IRI, e.g. https://www.iana.org/assignments/media-types/image/tiff */
  mediaType?: string;
  license?: LicenseDocument;
  rights?: RightsStatement;
  /** Protocol or API specification the access follows (IRI), e.g. http://www.opengis.net/def/serviceType/ogc/wms */
  conformsTo?: string[];
  /** The protocol as the source names it (ISO protocol, STAC link rel...). */
  protocol?: string;
  /** ISO CI_OnLineFunctionCode or STAC asset role. */
  function?: string;
  byteSize?: number;
}

/** Where the record came from: the dcat:CatalogRecord about the resource. */
export interface CatalogRecord {
  '@id'?: string;
  '@type': 'dcat:CatalogRecord';
  /** The source's own record identifier (ISO fileIdentifier, STAC id, OZCAR dataset id). */
  identifier: string;
  /** The metadata date stamp. */
  modified?: DateLiteral;
  language?: string[];
  /** The metadata standard of the source record (IRI). */
  conformsTo?: string;
  sourceId: string;
  sourceFormat: string;
  sourceUrl?: string;
  harvestedAt: DateLiteral;
  /** sha256 (hex) of the raw source record, to tell what changed between harvests. */
  contentHash: string;
}

export interface Conformity {
  '@type': 'hub:ConformityResult';
  specification: { title?: LangMap; '@id'?: string; issued?: DateLiteral };
  /** true: conformant, false: not conformant, absent: not evaluated. */
  pass?: boolean;
  explanation?: LangMap;
}

/** A measured variable (schema:PropertyValue), e.g. from OZCAR observed properties or STAC eo:bands. */
export interface VariableMeasured {
  '@type': 'schema:PropertyValue';
  name: LangMap;
  description?: LangMap;
  unitText?: string;
  /** IRI of the property in a vocabulary. */
  propertyID?: string;
}

export type RecordType =
  ['dcat:Dataset', 'schema:Dataset'] | ['dcat:DatasetSeries', 'dcat:Dataset', 'schema:Dataset'] | ['dcat:DataService', 'schema:WebAPI'];

export interface HubRecord {
  '@context'?: unknown;
  /** IRI of the resource: `${HUB_BASE}${source}:${identifier}` (see recordIri). */
  '@id': string;
  '@type': RecordType;
  /** Stable hub id `source:identifier`. */
  identifier: string;
  otherIdentifier?: Identifier[];
  title: LangMap;
  description?: LangMap;
  keyword?: LangMapMulti;
  theme?: Concept[];
  /** ISO topic categories (INSPIRE TopicCategory code list IRIs). */
  subject?: Concept[];
  /** Resource type IRI (INSPIRE ResourceType code list, or service type). */
  resourceType?: string[];
  spatial?: Location[];
  temporal?: PeriodOfTime[];
  issued?: DateLiteral;
  modified?: DateLiteral;
  created?: DateLiteral;
  /** EU language authority IRIs, e.g. http://publications.europa.eu/resource/authority/language/FRA */
  language?: string[];
  publisher?: Agent;
  creator?: Agent[];
  rightsHolder?: Agent[];
  contactPoint?: ContactPoint[];
  qualifiedAttribution?: Attribution[];
  funder?: Agent[];
  distribution?: Distribution[];
  license?: LicenseDocument[];
  accessRights?: RightsStatement;
  rights?: RightsStatement[];
  provenance?: ProvenanceStatement[];
  conformsTo?: string[];
  conformity?: Conformity[];
  spatialResolutionInMeters?: number[];
  /** Equivalent scale denominators (GeoDCAT-AP spatialResolutionAsText carries "1:25000"). */
  spatialResolutionAsText?: string[];
  /** EU frequency authority IRI. */
  accrualPeriodicity?: string;
  /** Graphic overviews / thumbnails (IRIs). */
  depiction?: string[];
  landingPage?: string[];
  page?: string[];
  /** Parent record or collection IRI. */
  isPartOf?: string[];
  relation?: string[];
  version?: string;
  bibliographicCitation?: string;
  /** Services: datasets the service operates on (IRIs). */
  servesDataset?: string[];
  endpointURL?: string[];
  endpointDescription?: string[];
  variableMeasured?: VariableMeasured[];
  /** Searchable facets of satellite and in-situ data. */
  platform?: string[];
  instrument?: string[];
  processingLevel?: string[];
  dataType?: string[];
  samplingFeature?: string[];
  /** Ground sample distance in metres (STAC gsd). */
  gsd?: number[];
  /** End of an embargo (OZCAR). */
  embargoEndDate?: DateLiteral;
  /** Data policy text or URL (OZCAR). */
  dataPolicy?: LangMap;
  /** Counts of granules (STAC items) summarised into this record. */
  granuleCount?: number;
  isPrimaryTopicOf: CatalogRecord;
}

/** Base IRI of hub records; production sets HUB_BASE_URI. */
export const HUB_BASE_URI = process.env.HUB_BASE_URI ?? 'https://data.hub.example/record/';

/** Stable hub id and IRI of a record. */
export function hubId(source: string, identifier: string): string {
  return `${source}:${identifier}`;
}
export function recordIri(source: string, identifier: string): string {
  return HUB_BASE_URI + encodeURIComponent(source) + ':' + encodeURIComponent(identifier);
}
