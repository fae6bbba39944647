/**
 * The Elasticsearch index: settings and mapping of the documents built by mappings/index-doc.ts.
 *
 * Built ONLY on what the embedded minimal node has (RUNBOOK): keyword, text with the `standard` analyzer, date,
 * numeric, boolean, date_range, geo_point, objects; no geo_shape, no language analyzer, no asciifolding (text is folded
 * in our code, mappings/fold.ts). The same mapping runs unchanged on a full cluster.
 *
 * `dynamic: strict`: a field the mapping does not know makes ES reject the document (reported as an index Failure),
 * so a projection bug cannot silently add unmapped fields.
 */
import type { Client, estypes } from '@elastic/elasticsearch';

/**
 * Version of the mapping AND of the projection (index-doc.ts). Bump it whenever either changes: ensureIndex then
 * creates `<alias>-v<version>`, copies the documents re-projected and swaps the alias (pipelines/index-admin.ts),
 * and the indexer re-writes every record whose stored `harvest.mapping_version` differs.
 */
// 3: the FAIR assessment (quality) and the persistent-identifier schemes (pid)
// 4: external identifiers (external_ids) for search and OGC API - Records externalIds
// 5: the raw record's content hash (harvest.raw_hash) that lets a run skip unchanged records before mapping them
// 6: copies of one dataset from several sources: dup_keys (mappings/dup-keys.ts) and dup (pipelines/duplicates.ts)
// 7: crosswalk corrections found on unseen real records (ISO 19115-3 profiles' parties, HNAP codes, ncISO services,
//    DS_Series, 0..360 boxes, lat/lon polygons, GeoDCAT-AP language codes...) and the INSPIRE code lists' French labels
// 8: an ISO dataset series embedding its members is split into the series and a record per member (dcat:inSeries,
//    dcat:seriesMember: mappings/iso/series.ts); a series' record is otherwise unchanged, so its raw hash alone would
//    not re-map it; DCAT feeds keep dcat:inSeries (no longer dct:isPartOf); csw:Record (Dublin Core) is mapped;
//    ISO web pages and service endpoints are no downloads, WMO codes and disclaimers beside a licence are rights
//    statements, GeoDCAT-AP role properties are read, names in several languages follow the metadata language; in the
//    index: no time_start for a period open at its start, facet values composed (NFC), index.max_regex_length (ACCENTI)
// 9: value_counts (how many distinct keywords, formats, licences, languages, publishers are indexed: CQL2 A_CONTAINEDBY
//    and A_EQUALS); ncISO viewer links are pages, not distributions; ISO 19115-3 aggregates (mda:DS_Series...) are
//    split into the series and its members like gmd:DS_Series
// 10: ISO values of unseen real records no longer lost: a 19139 service's srv:restrictions, an aggregateDataSetName
//    citation's identifier, a DOI given by a DOI-system authority citation, an EX_Extent inside an EX_Extent, a
//    temporalElement inside a geographicElement, transferOptions inside a distributionFormat; DCAT: a
//    ProvenanceStatement given by its dct:description, a dct:temporal given as text
// 11: DCAT-AP 3 properties the sources held and the hub dropped: dct:alternative (ISO alternateTitle, DCAT),
//    dcat:temporalResolution (ISO 19115-3, DCAT), dct:isReferencedBy (ISO additionalDocumentation, STAC
//    sci:publications, no longer dct:relation; DCAT), dcatap:applicableLegislation (an ISO record declared conformant to
//    an INSPIRE regulation; DCAT), adms:versionNotes, dcat:hasVersion, dcat:isVersionOf (DCAT, dct:hasVersion and
//    dct:isVersionOf read as those): the records that hold them change, their raw hash alone would not re-map them;
//    an ISO associated resource whose citation's title is a URL is related by it
// 12: part_of (the hub IRIs a record names as its parent or series: dct:isPartOf, dcat:inSeries), so that the page and
//    the OGC API item of a series or parent list the records naming it (ISO gmd:parentIdentifier) without a scan; and
//    versions and life-cycle status (DCAT 3 section 11): dcat:previousVersion, dcat:hasCurrentVersion, dct:replaces,
//    dct:isReplacedBy and adms:status in the record, read from STAC (Version extension: deprecated and the
//    latest-version, predecessor-version, successor-version links; version-history as a page) and DCAT (pav:
//    versions too), ISO (an associated resource of type revisionOf, before a relation); ISO 19115-3 vertical,
//    angularDistance and levelOfDetail resolutions as geodcatap:spatialResolutionAsText, a distance in EPSG unit codes (urn:ogc:def:uom:EPSG::9036) in metres; STAC
//    extensions: proj:code / proj:epsg as dct:conformsTo, processing:lineage as dct:provenance, asset gsd and
//    raster:spatial_resolution as gsd and dcat:spatialResolutionInMeters, a collection's sci:doi, sci:citation and
//    sci:publications from its own fields only (no longer its items' summaries): the records that hold them change,
//    their raw hash alone would not re-map them;
//    and OZCAR documents of type Publication are dct:isReferencedBy (a DOI as https://doi.org/...), no longer dct:relation
//    (what OpenAIRE reads as a link to a publication: DataCite IsReferencedBy); the OZCAR records that hold them change
// 13: an ISO polygon in a plain "EPSG:4326" whose coordinates are geographic in both axis orders is read in the one
//    that puts it on its extent's bounding box (geocat.ch writes latitude first, EPSG's own order: its Swiss
//    groundwater service was indexed off Somalia); and a distribution's spdx:checksum (DCAT, STAC file:checksum
//    multihashes), which the hub dropped: the records that hold one change, their raw hash would not re-map them
export const MAPPING_VERSION = 13;

/** Facet values longer than this are not indexed as keywords (they stay in `record` and `all_text`). */
export const IGNORE_ABOVE = 512;

const keyword = { type: 'keyword', ignore_above: IGNORE_ABOVE } as const;
const text = { type: 'text', analyzer: 'standard' } as const;
const date = { type: 'date' } as const;
const dbl = { type: 'double' } as const;
const count = { type: 'integer' } as const;
const box = { properties: { west: dbl, south: dbl, east: dbl, north: dbl } } as const;

export const INDEX_MAPPINGS = {
  dynamic: 'strict',
  properties: {
    id: { type: 'keyword' },
    /** The whole JSON-LD record: stored in _source, not indexed. */
    record: { type: 'object', enabled: false },
    source: { type: 'keyword' },
    original_id: { type: 'keyword' },
    type: { type: 'keyword' },
    title: text,
    title_sort: { type: 'keyword' },
    description: text,
    all_text: text,
    keywords: keyword,
    themes: keyword,
    theme_labels: keyword,
    topic_categories: keyword,
    language: keyword,
    formats: keyword,
    publisher: keyword,
    organisations: keyword,
    licence: keyword,
    access_rights: keyword,
    /** The box, or its part west of the antimeridian ([west, 180]) when it crosses it. */
    bbox: box,
    /** The part east of the antimeridian ([-180, east]) of a box crossing it; absent otherwise. */
    bbox_split: box,
    centroid: { type: 'geo_point' },
    time: { type: 'date_range' },
    time_start: date,
    time_end: date,
    issued: date,
    modified: date,
    /**
     * When the bulk request that last wrote the document was sent (set by the indexer, not by prepareDoc): the OAI-PMH
     * datestamp, so that a record written late in a long run is never older than an OAI harvest made during the run.
     */
    indexed_at: date,
    harvest: {
      properties: {
        source: { type: 'keyword' },
        harvested_at: date,
        content_hash: { type: 'keyword' },
        record_hash: { type: 'keyword' },
        mapping_version: { type: 'integer' },
        last_seen: date,
        run_id: { type: 'keyword' },
        /** Content hash of the raw record (pipelines/unchanged.ts): read back by id (mget), never searched. */
        raw_hash: { type: 'keyword', index: false, doc_values: false },
      },
    },
    has_doi: { type: 'boolean' },
    /** Schemes of the record's global persistent identifiers ('doi', 'handle': mappings/pid.ts): the OAI-PMH `pid` set. */
    pid: { type: 'keyword' },
    /** External identifiers (DOIs...) as `value`, `scheme:value` and `scheme:` (mapping version 4). */
    external_ids: keyword,
    /** Identifiers naming the same dataset across sources (`doi:…`, `id:…`: mappings/dup-keys.ts). Mapping version 6. */
    dup_keys: keyword,
    /** Hosts of the record's landing pages and identifier IRIs: the copy from the dataset's own site. Version 5. */
    dup_hosts: keyword,
    /** The record among its copies from other sources (pipelines/duplicates.ts): absent when it has none. Version 5. */
    dup: { properties: { primary: { type: 'boolean' }, of: { type: 'keyword' }, also: { type: 'keyword' } } },
    /** The IRIs of the records it is part of (dct:isPartOf, dcat:inSeries): its parts are found by them. Version 12. */
    part_of: { type: 'keyword' },
    platform: keyword,
    instrument: keyword,
    processing_level: keyword,
    data_type: keyword,
    variables: keyword,
    gsd: dbl,
    resolution_m: dbl,
    granule_count: { type: 'long' },
    /** FAIR assessment (mappings/fair): MQA points and rating (a facet), F-UJI points. Since mapping version 2. */
    quality: { properties: { mqa: { type: 'float' }, rating: keyword, fuji: { type: 'float' } } },
    /** How many distinct values of each of these fields are indexed, for CQL2 A_CONTAINEDBY/A_EQUALS. Version 9. */
    value_counts: { properties: { keywords: count, formats: count, licence: count, language: count, publisher: count } },
  },
} as const;

export interface IndexSettingsOptions {
  /** Primary shards; default 1 (one node, a few million records at most). */
  shards?: number;
  /** Replicas; default 0 (a single node cannot place them; raise it on a cluster). */
  replicas?: number;
  /** Refresh interval, e.g. '1s' (default), '30s' during a big first load, '-1' to disable. */
  refreshInterval?: string;
}

/** Settings of a new index, options checked up front. */
export function indexSettings(opts: IndexSettingsOptions = {}): Record<string, unknown> {
  const { shards = 1, replicas = 0, refreshInterval = '1s' } = opts;
  if (!Number.isInteger(shards) || shards < 1) throw new RangeError(`shards must be an integer >= 1, got ${shards}`);
  if (!Number.isInteger(replicas) || replicas < 0) throw new RangeError(`replicas must be an integer >= 0, got ${replicas}`);
  if (!/^(-1|\d+(ms|s|m|h))$/.test(refreshInterval)) {
    throw new RangeError(`refreshInterval must look like '1s', '500ms', '2m' or '-1', got '${refreshInterval}'`);
  }
  return { number_of_shards: shards, number_of_replicas: replicas, refresh_interval: refreshInterval, max_regex_length: MAX_REGEX_LENGTH };
}

/**
 * Longest regular expression a query may send (`index.max_regex_length`; Elasticsearch's default is 1,000): CQL2's
 * ACCENTI writes each letter as the class of its marked forms (pipelines/cql2-query.ts), up to 80 characters, and its
 * values and patterns are at most 512 characters.
 */
export const MAX_REGEX_LENGTH = 65_536;

/**
 * Settings of the hub's small bookkeeping indices (runs, locks, tombstones): one shard, and a copy on every other node
 * up to one (`auto_expand_replicas` 0-1: none on a single node, one on a cluster, so that a node stopping never takes
 * the run history, the locks or the deletions with it).
 */
export const AUX_INDEX_SETTINGS = { number_of_shards: 1, auto_expand_replicas: '0-1' } as const;

/**
 * Creates one of the bookkeeping indices with AUX_INDEX_SETTINGS when it is missing; an index made meanwhile by another
 * process is fine.
 */
export async function ensureAuxIndex(client: Client, index: string, mappings: estypes.MappingTypeMapping): Promise<void> {
  if (await client.indices.exists({ index })) return;
  await client.indices
    .create({ index, settings: AUX_INDEX_SETTINGS, mappings })
    .catch((err: { meta?: { body?: { error?: { type?: string } } } }) => {
      if (err.meta?.body?.error?.type !== 'resource_already_exists_exception') throw err;
    });
}

/** Name of the concrete index behind `alias` for a mapping version: `${alias}-v${version}`. */
export function versionedIndexName(alias: string, version: number = MAPPING_VERSION): string {
  return `${alias}-v${version}`;
}
