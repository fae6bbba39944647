/**
 * The one normalised record: compact JSON-LD read as DCAT-AP 3 / GeoDCAT-AP through
 * `schemas/context.jsonld` (schema.org alongside). `schemas/record.schema.json` is its JSON Schema.
 *
 * Conventions:
 * - multilingual text is a JSON-LD language map: `{ "fr": "...", "en": "..." }`, `"@none"` when the language is unknown;
 * - a resource the record refers to is a node with its IRI and the class DCAT-AP 3 gives the property's range
 *   (`{ "@id": ".../language/FRA", "@type": "dct:LinguisticSystem" }`), as real exporters write them inline, so that
 *   the record's own RDF passes the DCAT-AP 3.0.1 SHACL range shapes, which check classes without inference; a
 *   foaf:Person or foaf:Organization is also a foaf:Agent, a vcard:Individual or vcard:Organization also a vcard:Kind;
 *   every skos:Concept has a skos:prefLabel, every skos:ConceptScheme a dct:title, every agent a foaf:name;
 * - IRIs of the other reference properties (relation, isPartOf, endpointURL, depiction...) are plain strings (the
 *   context coerces them with `@type: @id`);
 * - dates are typed literals `{ "@value": "2020-01-31", "@type": "xsd:date" }` (xsd:date, xsd:dateTime, xsd:gYear,
 *   xsd:gYearMonth) so that they stay exact and SHACL-valid;
 * - a bounding box is a WKT literal `POLYGON((w s,e s,e n,w n,w s))` in CRS84 order (lon lat); when west > east the box
 *   crosses the antimeridian and is written as given (the index splits it in two).
 */

export type LangMap = { [lang: string]: string };
export type LangMapMulti = { [lang: string]: string[] };

export type { DateType, DateLiteral, WktLiteral, GeoJsonLiteral } from '../core/literals.js';
import type { DateLiteral, WktLiteral, GeoJsonLiteral } from '../core/literals.js';

/** A controlled vocabulary; DCAT-AP requires its title. */
export interface ConceptScheme {
  '@id'?: string;
  '@type': 'skos:ConceptScheme';
  title: LangMap;
  issued?: DateLiteral;
}

/**
 * A controlled-vocabulary term (INSPIRE theme, GCMD keyword, topic category, resource type...): an IRI with its label
 * (DCAT-AP wants themes as IRIs and every concept labelled; a term known only by its label is a keyword instead).
 */
export interface Concept {
  '@id': string;
  '@type': 'skos:Concept';
  prefLabel: LangMap;
  notation?: string;
  inScheme?: ConceptScheme;
}

/** A standard or specification (dct:conformsTo): a reference system, a metadata standard, a service protocol... */
export interface Standard {
  '@id': string;
  '@type': 'dct:Standard';
}

/** A language: an EU language authority IRI, e.g. http://publications.europa.eu/resource/authority/language/FRA */
export interface LinguisticSystem {
  '@id': string;
  '@type': 'dct:LinguisticSystem';
}

/** An IANA media type IRI, e.g. https://www.iana.org/assignments/media-types/image/tiff */
export interface MediaType {
  '@id': string;
  '@type': 'dct:MediaType';
}

/** An EU frequency authority IRI, e.g. http://publications.europa.eu/resource/authority/frequency/ANNUAL */
export interface Frequency {
  '@id': string;
  '@type': 'dct:Frequency';
}

/**
 * A legislation the resource falls under (dcatap:applicableLegislation): an ELI IRI, e.g.
 * http://data.europa.eu/eli/reg/2010/1089/oj (the DCAT-AP range shapes check the class eli:LegalResource).
 */
export interface LegalResource {
  '@id': string;
  '@type': 'eli:LegalResource';
}

/** A web page (landing page, documentation page). */
export interface WebPage {
  '@id': string;
  '@type': 'foaf:Document';
}

export interface Identifier {
  '@type': 'adms:Identifier';
  notation: string;
  /** Code space / authority (e.g. "doi", "EPSG", a registry URL). */
  schemaAgency?: string;
}

/** The classes of an agent: a person or an organisation is also a foaf:Agent (what the DCAT-AP shapes check). */
export type AgentType = ['foaf:Person', 'foaf:Agent'] | ['foaf:Organization', 'foaf:Agent'] | ['foaf:Agent'];

/** foaf agent: publisher, creator, rights holder, funder. */
export interface Agent {
  '@id'?: string;
  '@type': AgentType;
  name: LangMap;
  /** mailto: IRI */
  mbox?: string;
  homepage?: string;
  /** Other identifiers of the agent: ORCID, ROR, ISNI... as IRIs or codes. */
  identifier?: string[];
  /** Person's organisation. */
  memberOf?: Agent;
}

/** The classes of a contact point: an individual or an organisation is also a vcard:Kind. */
export type ContactType = ['vcard:Individual', 'vcard:Kind'] | ['vcard:Organization', 'vcard:Kind'] | ['vcard:Kind'];

/** vCard contact point. */
export interface ContactPoint {
  '@id'?: string;
  '@type': ContactType;
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
  mediaType?: MediaType;
  license?: LicenseDocument;
  rights?: RightsStatement;
  /** Protocol or API specification the access follows, e.g. http://www.opengis.net/def/serviceType/ogc/wms */
  conformsTo?: Standard[];
  /** The protocol as the source names it (ISO protocol, STAC link rel...). */
  protocol?: string;
  /** ISO CI_OnLineFunctionCode or STAC asset role. */
  function?: string;
  byteSize?: number;
  /** The file's digest (DCAT-AP 3 spdx:checksum): DCAT's spdx:Checksum, a STAC asset's file:checksum (a multihash). */
  checksum?: Checksum;
  /** DCAT-AP 3's other optional properties of a distribution, as a DCAT source gives them. */
  issued?: DateLiteral;
  modified?: DateLiteral;
  language?: LinguisticSystem[];
  /** foaf:page: its documentation. */
  page?: WebPage[];
  /** adms:status: an EU distribution-status concept (completed, deprecated...). */
  status?: Concept;
  /** dcatap:availability: an EU planned-availability concept (stable, available, temporary, experimental). */
  availability?: Concept;
  /** dcat:compressFormat, dcat:packageFormat: IANA media types (gzip, tar...). */
  compressFormat?: MediaType;
  packageFormat?: MediaType;
  spatialResolutionInMeters?: string;
  temporalResolution?: string;
}

/** A digest of a distribution's file (spdx:Checksum): an SPDX algorithm and a lower-case hexadecimal value. */
export interface Checksum {
  '@type': 'spdx:Checksum';
  /** An SPDX algorithm individual: http://spdx.org/rdf/terms#checksumAlgorithm_sha256 ... */
  algorithm: { '@id': string; '@type': 'spdx:ChecksumAlgorithm' };
  /** xsd:hexBinary, lower case. */
  checksumValue: string;
}

/** Where the record came from: the dcat:CatalogRecord about the resource. */
export interface CatalogRecord {
  '@id'?: string;
  '@type': 'dcat:CatalogRecord';
  /** The source's own record identifier (ISO fileIdentifier, STAC id, OZCAR dataset id). */
  identifier: string;
  /**
   * When the catalogue entry last changed: the source's metadata date stamp, else the time of the harvest that wrote
   * it (`harvestedAt`: the hub's own catalogue entry changed then; recordHash ignores it, see mappings/index-doc.ts).
   */
  modified: DateLiteral;
  /** Languages of the metadata. */
  language?: LinguisticSystem[];
  /** The metadata standard of the source record. */
  conformsTo?: Standard;
  /** GeoDCAT-AP: the metadata point of contact (ISO gmd:contact, about the record, not the resource). */
  contactPoint?: ContactPoint[];
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
  /** Other names of the resource (dct:alternative: ISO alternateTitle, a DCAT source's own), several per language. */
  alternative?: LangMapMulti;
  keyword?: LangMapMulti;
  theme?: Concept[];
  /** ISO topic categories (INSPIRE TopicCategory code list IRIs). */
  subject?: Concept[];
  /** Resource type (INSPIRE ResourceType code list, or service type). */
  resourceType?: Concept[];
  spatial?: Location[];
  temporal?: PeriodOfTime[];
  issued?: DateLiteral;
  modified?: DateLiteral;
  created?: DateLiteral;
  language?: LinguisticSystem[];
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
  conformsTo?: Standard[];
  conformity?: Conformity[];
  /**
   * Legislation the resource falls under (dcatap:applicableLegislation): a DCAT source's own; an ISO record's only when
   * it declares conformity (pass true) to an INSPIRE implementing rule, never guessed.
   */
  applicableLegislation?: LegalResource[];
  /**
   * The finest spatial resolution in metres, as an xsd:decimal lexical form ("0.5", "30"): DCAT-AP allows one value;
   * other distances the source gives are in spatialResolutionAsText ("10 m"). A string so that jsonld.js writes a
   * valid xsd:decimal (a JSON number 0.5 would become "5.0E-1").
   */
  spatialResolutionInMeters?: string;
  /** Equivalent scale denominators (GeoDCAT-AP spatialResolutionAsText carries "1:25000"). */
  spatialResolutionAsText?: string[];
  /**
   * The smallest time between data items (dcat:temporalResolution), an xsd:duration lexical form ("P1D", "PT15M"):
   * ISO 19115-1/-3 temporalResolution (TM_PeriodDuration), a DCAT source's own. One value (DCAT-AP).
   */
  temporalResolution?: string;
  accrualPeriodicity?: Frequency;
  /** Graphic overviews / thumbnails (IRIs). */
  depiction?: string[];
  landingPage?: WebPage[];
  page?: WebPage[];
  /** Parent record or collection IRI. */
  isPartOf?: string[];
  /**
   * The dataset series this dataset is a member of (dcat:inSeries, DCAT 3's main property between a member and its
   * series: an ISO DS_Series member, mappings/iso/series.ts). IRIs of the series' records.
   */
  inSeries?: string[];
  /**
   * A series' members (dcat:seriesMember, DCAT 3's inverse of dcat:inSeries, given in addition to it as DCAT 3 section
   * 7 allows: each member's own record states dcat:inSeries). IRIs of the members' records.
   */
  seriesMember?: string[];
  relation?: string[];
  /** Publications that cite or describe the resource (dct:isReferencedBy): IRIs, a DOI as https://doi.org/... */
  isReferencedBy?: string[];
  /** The resource's version (dcat:version): ISO citation edition, STAC version, a DCAT source's own. */
  version?: string;
  /** What is new in this version (adms:versionNotes). */
  versionNotes?: LangMap;
  /** Other versions of this resource (dcat:hasVersion): IRIs. */
  hasVersion?: string[];
  /** The resource this one is a version of (dcat:isVersionOf): IRIs. */
  isVersionOf?: string[];
  /**
   * The version of an abstract resource that is its current one (dcat:hasCurrentVersion, a sub-property of
   * dcat:hasVersion: each is in hasVersion too): a STAC latest-version link of a record that names no version.
   */
  hasCurrentVersion?: string[];
  /** The version before this one in its lineage (dcat:previousVersion): a STAC predecessor-version link, a DCAT source's. */
  previousVersion?: string[];
  /** Resources this one supersedes (dct:replaces): a DCAT source's own. */
  replaces?: string[];
  /**
   * Resources that supersede this one (dct:isReplacedBy): a STAC successor-version link, and the latest-version link of
   * a record that is itself a version; a DCAT source's own.
   */
  isReplacedBy?: string[];
  /**
   * Where the resource is in its life-cycle (adms:status, DCAT 3 section 11): an EU dataset-status concept, e.g.
   * DEPRECATED for a STAC `deprecated: true` (Version extension); a DCAT source's own.
   */
  status?: Concept;
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

/** Whether an agent is a person (else an organisation or an agent named by its role). */
export function isPerson(a: Agent): boolean {
  return a['@type'][0] === 'foaf:Person';
}
/** Whether a contact point is an organisation. */
export function isOrganisationContact(c: ContactPoint): boolean {
  return c['@type'][0] === 'vcard:Organization';
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

/** The IRI of the record a hub id (`source:identifier`) names; undefined for what is not a hub id. */
export function hubIdIri(id: string): string | undefined {
  const at = id.indexOf(':');
  return at > 0 && at < id.length - 1 ? recordIri(id.slice(0, at), id.slice(at + 1)) : undefined;
}

/** The source and hub id (`source:identifier`) a record IRI names (recordIri's inverse); undefined for another IRI. */
export function recordOfIri(iri: string): { source: string; id: string } | undefined {
  if (!iri.startsWith(HUB_BASE_URI)) return undefined;
  const local = iri.slice(HUB_BASE_URI.length);
  const at = local.indexOf(':');
  if (at <= 0) return undefined;
  const source = decodeURIComponent(local.slice(0, at));
  return { source, id: `${source}:${decodeURIComponent(local.slice(at + 1))}` };
}
