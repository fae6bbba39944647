/**
 * What a document is: the ONE format detection every layer uses (the mapping stage for a record nobody labelled, the
 * STAC harvesters and crosswalk for a STAC document, `harvester map` for a whole file). Pure, cheap (reads the root
 * start tag of XML, the top-level keys of JSON).
 *
 * The rules:
 * - XML: an ISO record by its root element (core/xml.ts rootInfo): gmd/gmi MD_Metadata or MI_Metadata and profiles
 *   extending them (ISO 19139, 19115-2) -> 'iso19139'; mdb:MD_Metadata -> 'iso19115-3'.
 * - STAC: the declared `type` decides (`Collection`, `Catalog`, and `Feature` WITH `stac_version`: a GeoJSON Feature
 *   without it is not STAC); before 1.0.0-rc.1 collections and catalogs had no `type`: then `stac_version` and `id`
 *   make it STAC, and an `extent` makes it a collection. A `Catalog` with an extent is a catalog (its type says so).
 * - API pages: a FeatureCollection whose features are STAC items; `{ collections: [...] }`.
 * - OZCAR: a pivot file has `producer` or `datasets` at its root (a `version` key alone is not enough: package.json
 *   has one); one dataset of it has `observations` or `metadata`.
 * - DCAT: an RDF/XML document (root rdf:RDF) or a resource description (a JSON-LD node object whose `@type` names
 *   dcat:Dataset, dcat:DatasetSeries or dcat:DataService); an Atom `entry` is one OpenSearch result.
 */
import { isObject, type JsonObject } from './json.js';
import { rootInfo, type RootInfo } from './xml.js';

/** The source formats a crosswalk knows. */
export type SourceFormat =
  | 'iso19139' // gmd:MD_Metadata, gmi:MI_Metadata (ISO 19115-2 in 19139 encoding) and profiles extending them
  | 'iso19115-3' // mdb:MD_Metadata
  | 'stac-collection'
  | 'stac-item'
  | 'stac-catalog'
  | 'ozcar-dataset'
  | 'dcat' // a DCAT dataset, series or service: its description (core/rdf.ts), or an RDF/XML document (a CSW record)
  | 'resto-collection' // a resto 2 collection description (osDescription, model...)
  | 'resto-product' // a resto 2 product: a GeoJSON Feature whose properties are resto's (productIdentifier, startDate...)
  | 'opensearch-entry' // an Atom entry of an OpenSearch (EO) response
  | 'csw-record'; // a CSW record in Dublin Core: csw:Record of CSW 2.0.2 or 3.0 (mappings/dc)

/** A STAC document: a collection or an item (a record each), or a catalog (not a dataset). */
export type StacDocumentKind = 'stac-collection' | 'stac-item' | 'stac-catalog';

/** What a whole JSON document (a file, a response) is. */
export type JsonDocumentKind =
  | StacDocumentKind
  | 'stac-items' // a STAC API page of items: a FeatureCollection of STAC items
  | 'stac-collections' // a STAC API page of collections: { collections: [...] }
  | 'ozcar-pivot' // an OZCAR pivot file: { version, producer, datasets }
  | 'ozcar-dataset'; // one dataset of a pivot file

/** What we read, for messages: a file that is none of these says so naming them. */
export const KNOWN_FORMATS =
  'ISO 19139, 19115-2 or 19115-3 XML, a CSW response or csw:Record (Dublin Core), a STAC catalog, collection, item or API page, or an OZCAR pivot file';

const GMD_NS = 'http://www.isotc211.org/2005/gmd';
const GMI_NS = 'http://www.isotc211.org/2005/gmi';
const MDB_NS = /^https?:\/\/standards\.iso\.org\/iso\/19115\/-3\/mdb\//;
const MDB_TEXT = 'http://standards.iso.org/iso/19115/-3/mdb/';
/** A declaration of the gmd namespace (not the namespace named in a link or a text). */
const GMD_DECLARED = /\bxmlns(?::[\w.-]+)?\s*=\s*(["'])http:\/\/www\.isotc211\.org\/2005\/gmd\1/;
const METADATA_ROOT = /(?:^|_)M[DI]_Metadata$/;
/**
 * ISO dataset aggregates (a series and its member datasets), whose metadata is an MD_Metadata or MI_Metadata inside: ISO
 * 19139's gmd:DS_* and ISO 19115-3's mda:DS_* (mda 1.0 and 2.0, the "MetaData Application" namespace of ISO 19115-1
 * clause 6.2).
 */
const AGGREGATE_ROOT = /^DS_(?:Series|DataSet|Aggregate|Initiative|ProductionSeries|Sensor|Platform|OtherAggregate|StereoMate)$/;
/** ISO 19115-3's namespace of aggregates (mda:DS_Series...): the aggregate's own record is `has`, not seriesMetadata. */
const MDA_NS = /^https?:\/\/standards\.iso\.org\/iso\/19115\/-3\/mda\//;
const MDA_TEXT = 'http://standards.iso.org/iso/19115/-3/mda/';

/**
 * Whether a root element is an ISO dataset aggregate (`gmd:DS_Series`, `mda:DS_Series`...): its record is its
 * seriesMetadata (19139) or its `has` (19115-3).
 */
export const isIsoAggregateRoot = (localName: string): boolean => AGGREGATE_ROOT.test(localName);

/**
 * Where a member embedded in an ISO aggregate sits in its series: what the harvesters' splitting
 * (harvesters/csw/records.ts aggregateParts) tells the crosswalk (mappings/iso/series.ts) as `context.series`.
 */
export interface SeriesPosition {
  /** The series record's identifier (its seriesMetadata's fileIdentifier), when read for certain. */
  id?: string;
  /** 1-based position of the member among the series' embedded members, in document order. */
  position: number;
  /** How many members the series embeds. */
  of: number;
}

/**
 * A member of an ISO dataset series given by reference only (`has xlink:href`) whose link names its record in the
 * same source: what the CSW harvester tells the crosswalk (`context.memberRecords` of the series) about the links it
 * leaves unfetched because each is a GetRecordById request to the harvested CSW itself (harvesters/csw/index.ts
 * PagingRun.leave), so that the series still names these members (dcat:seriesMember, mappings/iso/series.ts). The
 * harvester alone decides which links are its own CSW's; the crosswalk reads no URL for an identifier.
 */
export interface MemberRecord {
  /** The link as the series gives it (xlink:href, entities decoded, trimmed; a relative one as written). */
  href: string;
  /** The identifier the link asks for (its `id` parameter, decoded): the member's fileIdentifier, its record id here. */
  id: string;
}

/** The ISO flavours, told apart from the root element. */
export type IsoFlavour = 'iso19139' | 'iso19115-2' | 'iso19115-3';

/**
 * Flavour of a record from its root element, or undefined when the root is not an ISO metadata record. `text` is
 * consulted only when the root does not say (no namespace declared on it: a CSW page split without declarations).
 */
export function isoFlavour(info: Pick<RootInfo, 'localName' | 'namespaceUri' | 'namespaces'>, text?: string): IsoFlavour | undefined {
  const { localName, namespaceUri, namespaces } = info;
  if (AGGREGATE_ROOT.test(localName) && (namespaceUri === GMD_NS || (namespaceUri === undefined && !!text?.includes(GMD_NS)))) {
    // Northwest Knowledge Network's gmd:DS_Series: composedOf (the member datasets) and seriesMetadata (the record)
    return text?.includes(':MI_Metadata') ? 'iso19115-2' : 'iso19139';
  }
  if (AGGREGATE_ROOT.test(localName) && (MDA_NS.test(namespaceUri ?? '') || (namespaceUri === undefined && !!text?.includes(MDA_TEXT)))) {
    // ISO 19115-3's mda:DS_Series: has (the record, mdb:MD_Metadata) and composedOf (the members)
    return 'iso19115-3';
  }
  if (!METADATA_ROOT.test(localName)) return undefined;
  if (namespaceUri && MDB_NS.test(namespaceUri)) return 'iso19115-3';
  if (localName === 'MI_Metadata' || namespaceUri === GMI_NS) return 'iso19115-2';
  if (localName === 'MD_Metadata' && (namespaceUri === GMD_NS || namespaceUri === undefined)) {
    if (namespaceUri === GMD_NS) return 'iso19139';
    if (text && text.includes(MDB_TEXT)) return 'iso19115-3';
    return 'iso19139';
  }
  // A profile (che:CHE_MD_Metadata...) of either encoding: the namespaces its root declares say which, mdb first (a
  // 19115-3 record may name the gmd namespace in a link: geocat.ch's operatesOn GetRecordById URLs with
  // outputSchema=http://www.isotc211.org/2005/gmd); else a gmd namespace declared further down, else mdb named, else
  // gmd named.
  const declared = Object.values(namespaces);
  if (declared.some((ns) => MDB_NS.test(ns))) return 'iso19115-3';
  if (declared.includes(GMD_NS)) return 'iso19139';
  if (text !== undefined && GMD_DECLARED.test(text)) return 'iso19139';
  if (text !== undefined && text.includes(MDB_TEXT)) return 'iso19115-3';
  if (text !== undefined && text.includes(GMD_NS)) return 'iso19139';
  return undefined;
}

/** The source format of an ISO flavour (19115-2 is read by the 19139 crosswalk). */
export const isoFormat = (flavour: IsoFlavour | undefined): SourceFormat | undefined =>
  flavour === undefined ? undefined : flavour === 'iso19115-3' ? 'iso19115-3' : 'iso19139';

const RDF_NS = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';
const ATOM_NS = 'http://www.w3.org/2005/Atom';
const CSW202_NS = 'http://www.opengis.net/cat/csw/2.0.2';
const CSW30_NS = 'http://www.opengis.net/cat/csw/3.0';
const DCAT_RECORD_CLASSES = ['Dataset', 'DatasetSeries', 'DataService'].map((c) => `http://www.w3.org/ns/dcat#${c}`);

/** The format of one XML record, or undefined when it is not an ISO, RDF/XML or Atom entry record (or not XML). Never throws. */
export function xmlRecordFormat(xml: string): SourceFormat | undefined {
  try {
    const info = rootInfo(xml);
    if (info.localName === 'RDF' && (info.namespaceUri === RDF_NS || info.namespaceUri === undefined)) return 'dcat';
    if (info.localName === 'entry' && (info.namespaceUri === ATOM_NS || info.namespaceUri === undefined)) return 'opensearch-entry';
    if (info.localName === 'Record' && (info.namespaceUri === CSW202_NS || info.namespaceUri === CSW30_NS)) return 'csw-record';
    return isoFormat(isoFlavour(info, xml));
  } catch {
    return undefined;
  }
}

/** Whether a JSON object is a DCAT resource description (an expanded JSON-LD node of a DCAT record class). */
export function isDcatDescription(json: unknown): boolean {
  if (!isObject(json)) return false;
  const types = json['@type'];
  return Array.isArray(types) && types.some((t) => DCAT_RECORD_CLASSES.includes(t as string));
}

/** The kind of a STAC document: collection, item, catalog, or undefined when it is none of them. */
export function stacKind(json: unknown): StacDocumentKind | undefined {
  if (!isObject(json)) return undefined;
  switch (json.type) {
    case 'Collection':
      return 'stac-collection';
    case 'Catalog':
      return 'stac-catalog';
    case 'Feature':
      // a GeoJSON Feature is a STAC item only when it says so
      return typeof json.stac_version === 'string' ? 'stac-item' : undefined;
    case undefined:
      // before 1.0.0-rc.1 collections and catalogs had no `type`: a collection has an extent (and a license)
      if (typeof json.stac_version === 'string' && typeof json.id === 'string')
        return json.extent !== undefined ? 'stac-collection' : 'stac-catalog';
      return undefined;
    default:
      return undefined;
  }
}

/** What a whole JSON document is, or undefined when it is nothing we read (see describeJson for the sentence). */
export function jsonKind(json: unknown): JsonDocumentKind | undefined {
  if (!isObject(json)) return undefined;
  const stac = stacKind(json);
  if (stac) return stac;
  if (json.type === 'FeatureCollection' && Array.isArray(json.features)) {
    return json.features.length === 0 || json.features.some((f) => stacKind(f) === 'stac-item') ? 'stac-items' : undefined;
  }
  if (Array.isArray(json.collections)) return 'stac-collections';
  if ('producer' in json || 'datasets' in json) return 'ozcar-pivot';
  // an OZCAR dataset: its observations, or its metadata under its datasetId (a GDAL info JSON has "metadata" too)
  if ('observations' in json || ('metadata' in json && 'datasetId' in json)) return 'ozcar-dataset';
  return undefined;
}

/** The format of one record as a harvester yields it (XML text or parsed JSON), or undefined. */
export function recordFormat(body: string | JsonObject): SourceFormat | undefined {
  if (typeof body === 'string') return xmlRecordFormat(body);
  if (isDcatDescription(body)) return 'dcat';
  const kind = jsonKind(body);
  return kind === 'stac-collection' || kind === 'stac-item' || kind === 'stac-catalog' || kind === 'ozcar-dataset' ? kind : undefined;
}

/** One sentence saying why a JSON document is nothing we read, naming what was expected. */
export function describeJson(json: unknown): string {
  const what = Array.isArray(json)
    ? 'a JSON array'
    : !isObject(json)
      ? `a JSON ${json === null ? 'null' : typeof json}`
      : json.type === 'Feature'
        ? 'a GeoJSON Feature without stac_version (not a STAC item)'
        : json.type === 'FeatureCollection'
          ? 'a GeoJSON FeatureCollection whose features are not STAC items'
          : `a JSON object with keys ${Object.keys(json).slice(0, 6).join(', ') || '(none)'}${Object.keys(json).length > 6 ? ', ...' : ''}`;
  return `${what}, not a document this harvester reads (expected ${KNOWN_FORMATS})`;
}
