/**
 * The Elasticsearch document of a record: a pure projection of a (validated) HubRecord onto the fields of
 * mappings/es-index.ts. The whole record travels along in `record` (stored, not indexed); every other field exists only
 * to search, filter, sort or facet.
 *
 * Design choices:
 * - Text is folded in our code (mappings/fold.ts) because the node has no asciifolding nor language analyzer; queries
 *   are folded by the same function (pipelines/search.ts).
 * - Place: the node has no geo_shape, so a record's extent is ONE box of four doubles `bbox.{west,south,east,north}`.
 *   A record with several boxes is indexed by the smallest box enclosing them all (a search may then find a record
 *   whose boxes leave a gap around the searched area: a false positive, never a miss). A box crossing the antimeridian
 *   (west > east) is split in two: `bbox` = [west, 180] and `bbox_split` = [-180, east]; every box stored has
 *   west <= east, so intersection is four range comparisons per part (see pipelines/search.ts). `centroid` is the
 *   box centre (geo_point), for distance sorting or maps.
 * - Time: `time` is a date_range per period (open end: no `lte`, i.e. unbounded), `time_start`/`time_end` the overall
 *   start and end (no `time_end` when a period is open at its end, no `time_start` when one is open at its start). Year and month precisions become whole periods:
 *   xsd:gYear 2019 → 2019-01-01T00:00:00.000Z .. 2019-12-31T23:59:59.999Z. Dates whose year is outside 0001..9999
 *   are not indexed (ES date formats need four-digit years).
 */
import { doiIri } from '../core/vocab.js';
import type { Agent, Concept, HubRecord, LangMap, LangMapMulti } from '../schemas/record.js';
import { isOrganisationContact, isPerson } from '../schemas/record.js';
import { dateBounds } from '../core/dates.js';
import { fold, sortKey } from '../core/fold.js';
import { sha256 } from '../core/hash.js';
import { unique } from '../core/json.js';
import { IGNORE_ABOVE, MAPPING_VERSION } from './es-index.js';
import { fairScores, type FairSummary } from './fair/index.js';
import { globalIdentifiers, type PidScheme } from './pid.js';
import { dupHosts, dupKeys } from './dup-keys.js';

export interface Box {
  west: number;
  south: number;
  east: number;
  north: number;
}

export interface TimeRange {
  gte?: string;
  lte?: string;
}

export interface HarvestInfo {
  /** Source id (isPrimaryTopicOf.sourceId). */
  source: string;
  harvested_at?: string;
  /** sha256 of the raw source record (isPrimaryTopicOf.contentHash). */
  content_hash: string;
  /** sha256 of the normalised record without its harvest time: what tells unchanged from updated. */
  record_hash: string;
  mapping_version: number;
  /** When the harvest that last wrote the document (new or changed record) saw it. An unchanged record is not written
   * again: that its source still has it follows from its presence after the source's last complete run (runs index). */
  last_seen?: string;
  /** Harvest run that last wrote the document. */
  run_id?: string;
  /**
   * Content hash of the raw record the document was mapped from (pipelines/unchanged.ts rawRecordHash): a later run
   * that receives the same raw record skips its crosswalk and its write. Absent outside a harvest.
   */
  raw_hash?: string;
}

export type IndexType = 'dataset' | 'series' | 'service';

/** How a record stands among the copies of its dataset harvested from other sources (pipelines/duplicates.ts). */
export interface DupState {
  /** true: the copy shown (search, OGC API items, DCAT export); false: reachable from it, not listed. */
  primary: boolean;
  /** On a copy that is not primary: the hub id of the primary. */
  of?: string;
  /** On the primary: the hub ids of the other copies. */
  also?: string[];
}

export interface IndexDoc {
  id: string;
  /** When the indexer last wrote it (added to the bytes at the bulk request; see es-index.ts). */
  indexed_at?: string;
  record: HubRecord;
  source: string;
  original_id: string;
  type: IndexType;
  title: string[];
  title_sort: string;
  description: string[];
  all_text: string;
  keywords: string[];
  themes: string[];
  theme_labels: string[];
  topic_categories: string[];
  language: string[];
  formats: string[];
  publisher: string[];
  organisations: string[];
  licence: string[];
  access_rights: string[];
  bbox?: Box;
  bbox_split?: Box;
  centroid?: { lat: number; lon: number };
  time: TimeRange[];
  time_start?: string;
  time_end?: string;
  issued?: string;
  modified?: string;
  harvest: HarvestInfo;
  has_doi: boolean;
  /** Schemes of its DOIs and Handles (mappings/pid.ts), each once: what a Dataverse can import. */
  pid: PidScheme[];
  /** External identifiers in every form a search may give them (see externalIdTerms). */
  external_ids: string[];
  /** The identifiers that name the same dataset wherever it is harvested from (mappings/dup-keys.ts). */
  dup_keys: string[];
  /** Hosts of its landing pages and identifier IRIs: which copy is the original (mappings/dup-keys.ts). */
  dup_hosts: string[];
  /**
   * Copies of the dataset from other sources (pipelines/duplicates.ts): never set by the projection, maintained by the
   * harvest's link step with partial updates; absent (or null) for a record that has no copy.
   */
  dup?: DupState | null;
  /** The IRIs of the records it is part of: its dct:isPartOf and dcat:inSeries (pipelines/record.ts recordParts). */
  part_of: string[];
  platform: string[];
  instrument: string[];
  processing_level: string[];
  data_type: string[];
  variables: string[];
  gsd: number[];
  resolution_m: number[];
  granule_count?: number;
  /** The record's FAIR assessment in a few figures (mappings/fair): a facet by MQA rating, averages per source. */
  quality: FairSummary;
  /** How many distinct values of these fields are indexed (CQL2 A_CONTAINEDBY and A_EQUALS). Since version 9. */
  value_counts: Record<'keywords' | 'formats' | 'licence' | 'language' | 'publisher', number>;
}

// ---------------------------------------------------------------------------------------------------------- dates

// ---------------------------------------------------------------------------------------------------------- place

const NUM = String.raw`-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?`;
const POINT_RE = new RegExp(String.raw`(${NUM})\s+(${NUM})`, 'g');

/** The box of a WKT `POLYGON((w s,e s,e n,w n,w s))` (record.ts convention, west > east across the antimeridian). */
export function parseBboxWkt(wkt: string): Box | undefined {
  const pts = [...wkt.replace(/^<[^>]*>\s*/, '').matchAll(POINT_RE)].map((m) => [Number(m[1]), Number(m[2])]);
  if (pts.length !== 5) return coordinatesBox(pts);
  const [[w, s], [e], [, n]] = pts;
  if (!(s <= n && s >= -90 && n <= 90 && w >= -180 && w <= 180 && e >= -180 && e <= 180)) return undefined;
  return { west: w, south: s, east: e, north: n };
}

/** Enclosing box of a list of [lon, lat] (never crossing the antimeridian). */
function coordinatesBox(pts: number[][]): Box | undefined {
  let west = Infinity;
  let south = Infinity;
  let east = -Infinity;
  let north = -Infinity;
  for (const [x, y] of pts) {
    if (!(x >= -180 && x <= 180 && y >= -90 && y <= 90)) return undefined;
    west = Math.min(west, x);
    east = Math.max(east, x);
    south = Math.min(south, y);
    north = Math.max(north, y);
  }
  return pts.length === 0 ? undefined : { west, south, east, north };
}

/** Every [lon, lat] pair of a parsed GeoJSON geometry. */
function geoJsonPoints(value: unknown, out: number[][]): void {
  if (!Array.isArray(value)) return;
  if (value.length >= 2 && typeof value[0] === 'number' && typeof value[1] === 'number') {
    out.push([value[0], value[1]]);
    return;
  }
  for (const v of value) geoJsonPoints(v, out);
}

/** Enclosing box of a geometry literal (WKT or GeoJSON); undefined when it does not parse. */
export function geometryBox(lit: { '@value': string; '@type': string }): Box | undefined {
  if (lit['@type'] === 'gsp:wktLiteral') {
    const body = lit['@value'].replace(/^<[^>]*>\s*/, '');
    return coordinatesBox([...body.matchAll(POINT_RE)].map((m) => [Number(m[1]), Number(m[2])]));
  }
  try {
    const g = JSON.parse(lit['@value']) as { coordinates?: unknown; geometries?: { coordinates?: unknown }[] };
    const pts: number[][] = [];
    geoJsonPoints(g.coordinates, pts);
    for (const sub of g.geometries ?? []) geoJsonPoints(sub.coordinates, pts);
    return coordinatesBox(pts);
  } catch {
    return undefined;
  }
}

/**
 * The smallest box enclosing all boxes, on the circle of longitudes: the complement of the widest longitude gap
 * left by the boxes. It crosses the antimeridian (west > east) when that is narrower than the box through 0.
 */
export function enclosingBox(boxes: Box[]): Box | undefined {
  if (boxes.length <= 1) return boxes[0];
  const south = Math.min(...boxes.map((b) => b.south));
  const north = Math.max(...boxes.map((b) => b.north));
  // Longitude intervals that do not cross, sorted and merged.
  const iv = boxes
    .flatMap((b) =>
      b.west <= b.east
        ? [[b.west, b.east]]
        : [
            [b.west, 180],
            [-180, b.east],
          ],
    )
    .sort((a, b) => a[0] - b[0]);
  const merged: number[][] = [];
  for (const [a, b] of iv) {
    const last = merged[merged.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else merged.push([a, b]);
  }
  // The gap across the antimeridian (from the last interval's end round to the first's start) ...
  let best = { gap: merged[0][0] + 180 + (180 - merged[merged.length - 1][1]), west: merged[0][0], east: merged[merged.length - 1][1] };
  // ... against each gap between consecutive intervals: the box then starts after the gap and ends before it.
  for (let i = 1; i < merged.length; i++) {
    const gap = merged[i][0] - merged[i - 1][1];
    if (gap > best.gap) best = { gap, west: merged[i][0], east: merged[i - 1][1] };
  }
  return { west: best.west, south, east: best.east, north };
}

/** A box as stored: one part, or two when it crosses the antimeridian ([west, 180] then [-180, east]). */
export function splitBox(b: Box): [Box] | [Box, Box] {
  if (b.west <= b.east) return [b];
  return [
    { west: b.west, south: b.south, east: 180, north: b.north },
    { west: -180, south: b.south, east: b.east, north: b.north },
  ];
}

/** Centre of a box (longitude taken across the antimeridian when the box crosses it). */
export function boxCentre(b: Box): { lat: number; lon: number } {
  const width = b.west <= b.east ? b.east - b.west : b.east - b.west + 360;
  let lon = b.west + width / 2;
  if (lon > 180) lon -= 360;
  return { lat: (b.south + b.north) / 2, lon };
}

// ---------------------------------------------------------------------------------------------------------- text

/** Languages preferred for the sort title, in order. */
const PREFERRED_LANGS = ['fr', 'en', '@none'];

function values(map: LangMap | undefined): string[] {
  return map ? Object.values(map) : [];
}
function multiValues(map: LangMapMulti | undefined): string[] {
  return map ? Object.values(map).flat() : [];
}
function preferred(map: LangMap): string {
  for (const l of PREFERRED_LANGS) if (map[l] !== undefined) return map[l];
  return Object.values(map)[0] ?? '';
}
/** The distinct values of a field, without the undefined and empty ones. */
function distinct(list: (string | undefined)[]): string[] {
  return unique(list.filter((v): v is string => v !== undefined && v !== '').map(composed));
}
/**
 * A value composed (NFC: "é" one character, not "e" and a combining accent), so that values that look alike are one
 * facet value and CQL2's ACCENTI (pipelines/cql2-query.ts) finds them; only values holding a combining mark change.
 */
const composed = (v: string): string => (/[\u0300-\u036f]/.test(v) ? v.normalize('NFC') : v);
/** How many of distinct `values` the index holds as keywords (a longer one is not indexed: es-index.ts IGNORE_ABOVE). */
function indexedCount(values: string[]): number {
  return values.filter((v) => v.length <= IGNORE_ABOVE).length;
}

/** Last path segment of an IRI (".../file-type/TIFF" → "TIFF", ".../language/FRA" → "FRA"). */
export function iriTail(iri: string): string {
  const m = /[/#]([^/#]+)\/?$/.exec(iri);
  return m ? decodeURIComponent(m[1]) : iri;
}
/** An IRI-or-label node as one facet value: its label (preferred language), else the IRI. */
function labelOrIri(node: { '@id'?: string; label?: LangMap } | undefined): string | undefined {
  if (!node) return undefined;
  if (node.label) return preferred(node.label);
  return node['@id'];
}

function agentsOf(r: HubRecord): Agent[] {
  const out: Agent[] = [];
  const push = (a: Agent | undefined): void => {
    if (!a) return;
    out.push(a);
    push(a.memberOf);
  };
  push(r.publisher);
  for (const a of [...(r.creator ?? []), ...(r.rightsHolder ?? []), ...(r.funder ?? [])]) push(a);
  for (const q of r.qualifiedAttribution ?? []) push(q.agent);
  return out;
}

/** An identifier of the resource given by another authority (a DOI, a registry's code), with its scheme when known. */
export interface ExternalId {
  /** `doi` for a DOI in any of its spellings; otherwise the identifier's authority as the record gives it. */
  scheme?: string;
  /** A DOI is bare (`10.1234/abc`); any other value as given. */
  value: string;
}

/** The bare DOI (`10.1234/abc`) of `doi:10...`, `https://doi.org/10...` or `10...`; undefined when it is not one. */
export function bareDoi(text: string): string | undefined {
  return doiIri(text)?.slice('https://doi.org/'.length);
}

/** The external identifiers of a record (its `otherIdentifier`s), DOIs in one spelling, each once. */
export function externalIds(r: HubRecord): ExternalId[] {
  const out: ExternalId[] = [];
  for (const i of r.otherIdentifier ?? []) {
    const doi = bareDoi(i.notation);
    const agency = i.schemaAgency?.trim();
    if (doi) out.push({ scheme: 'doi', value: doi });
    else out.push({ ...(agency ? { scheme: agency } : {}), value: i.notation.trim() });
  }
  return unique(out, (e) => `${e.scheme?.toLowerCase() ?? ''}\u0000${e.value.toLowerCase()}`);
}

/**
 * The values the `external_ids` field holds for a record, so that one case-insensitive term query answers each form
 * of the OGC API - Records `externalIds` parameter: the value alone, `scheme:value`, `scheme:` (any identifier of that
 * scheme), and the notation as the source wrote it (e.g. `https://doi.org/10...`).
 */
function externalIdTerms(r: HubRecord): string[] {
  const terms: string[] = [];
  for (const e of externalIds(r)) {
    terms.push(e.value);
    if (e.scheme) terms.push(`${e.scheme.toLowerCase()}:${e.value}`, `${e.scheme.toLowerCase()}:`);
  }
  for (const i of r.otherIdentifier ?? []) terms.push(i.notation.trim());
  return distinct(terms);
}

function typeOf(r: HubRecord): IndexType {
  if (r['@type'][0] === 'dcat:DataService') return 'service';
  if (r['@type'][0] === 'dcat:DatasetSeries') return 'series';
  return 'dataset';
}

function conceptLabels(concepts: Concept[] | undefined): string[] {
  return (concepts ?? []).flatMap((c) => values(c.prefLabel));
}

/**
 * sha256 of the normalised record minus its @context and harvest time: equal for a record harvested again unchanged.
 * The catalogue record's `modified` is left out too when it is the harvest time (a source without a date stamp).
 */
export function recordHash(record: HubRecord): string {
  const { '@context': _ctx, ...rest } = record;
  return sha256(JSON.stringify({ ...rest, isPrimaryTopicOf: withoutHarvestTime(record) }));
}

function withoutHarvestTime(record: HubRecord): Partial<HubRecord['isPrimaryTopicOf']> {
  const { harvestedAt, ...cr } = record.isPrimaryTopicOf;
  const m = cr.modified as HubRecord['isPrimaryTopicOf']['modified'] | undefined;
  if (m && m['@value'] === harvestedAt['@value'] && m['@type'] === harvestedAt['@type']) {
    const { modified: _m, ...rest } = cr;
    return rest;
  }
  return cr;
}

/**
 * recordHash from the record's JSON text (the record minus @context, as JSON.stringify writes it), without
 * serialising the record a second time: the text of its `isPrimaryTopicOf` object is swapped for the same object
 * without the harvest time, which is exactly the text recordHash hashes. (A JSON string value escapes its quotes,
 * so the `"isPrimaryTopicOf":{...}` searched for can only be the member itself.)
 */
function recordHashOfJson(record: HubRecord, json: string): string {
  const member = '"isPrimaryTopicOf":' + JSON.stringify(record.isPrimaryTopicOf);
  const at = json.indexOf(member);
  if (at === -1) return recordHash(record); // (cannot happen: the member is always there; kept for safety)
  const swapped = '"isPrimaryTopicOf":' + JSON.stringify(withoutHarvestTime(record));
  return sha256(json.slice(0, at) + swapped + json.slice(at + member.length));
}

// ---------------------------------------------------------------------------------------------------------- doc

/** Values the indexer adds to `harvest` (absent: the document is built outside a harvest run). */
export interface RunInfo {
  runId?: string;
  /** ISO date-time the run saw the record. */
  lastSeen?: string;
  /** Content hash of the raw record (harvest.raw_hash). */
  rawHash?: string;
}

/** Projects a validated record onto the index document. Pure: same record, same document. */
export function toIndexDoc(record: HubRecord, run: RunInfo = {}): IndexDoc {
  const r = storedRecord(record);
  return { id: r.identifier, record: r, ...searchFields(r, run, recordHash(record)) };
}

/** The record as stored in the index document: without its @context. */
function storedRecord(record: HubRecord): HubRecord {
  const { '@context': _ctx, ...stored } = record;
  return stored;
}

/** Every field of the index document but `id` and `record`, in the document's order. */
type SearchFields = Omit<IndexDoc, 'id' | 'record'>;

function searchFields(r: HubRecord, run: RunInfo, hash: string): SearchFields {
  const cr = r.isPrimaryTopicOf;
  const pids = globalIdentifiers(r);

  const titles = values(r.title);
  const descriptions = values(r.description);
  const keywords = distinct(multiValues(r.keyword));
  const themeLabels = distinct(conceptLabels(r.theme));
  const agents = agentsOf(r);
  const partyNames = distinct([
    ...agents.flatMap((a) => values(a.name)),
    ...(r.contactPoint ?? []).flatMap((c) => [c.fn, c.organizationName]),
  ]);
  const variables = distinct((r.variableMeasured ?? []).flatMap((v) => values(v.name)));

  // Place: all boxes (bbox, else the geometry's envelope) enclosed in one, split at the antimeridian.
  const boxes: Box[] = [];
  for (const loc of r.spatial ?? []) {
    const b = loc.bbox ? parseBboxWkt(loc.bbox['@value']) : loc.geometry ? geometryBox(loc.geometry) : undefined;
    if (b) boxes.push(b);
  }
  const box = enclosingBox(boxes);
  const parts = box ? splitBox(box) : undefined;

  // Time: one range per period; an absent end is open (unbounded), an absent start too.
  const time: TimeRange[] = [];
  let timeStart: string | undefined;
  let timeEnd: string | undefined;
  let openEnd = false;
  let openStart = false;
  for (const p of r.temporal ?? []) {
    let gte = p.startDate ? dateBounds(p.startDate)?.start : undefined;
    let lte = p.endDate ? dateBounds(p.endDate)?.end : undefined;
    if (gte === undefined && lte === undefined) continue;
    // A reversed period (the schema check reports it) is swapped rather than rejected by ES.
    if (gte !== undefined && lte !== undefined && gte > lte) [gte, lte] = [dateBounds(p.endDate!)!.start, dateBounds(p.startDate!)!.end];
    time.push({ ...(gte !== undefined ? { gte } : {}), ...(lte !== undefined ? { lte } : {}) });
    if (gte === undefined) openStart = true;
    else if (timeStart === undefined || gte < timeStart) timeStart = gte;
    if (lte === undefined) openEnd = true;
    else if (timeEnd === undefined || lte > timeEnd) timeEnd = lte;
  }

  // Titles and descriptions are folded once, for their own fields and for all_text: fold(a + '\n' + b) is
  // fold(a) + ' ' + fold(b) (words are folded one by one, and joined by single spaces).
  const foldedTitles = titles.map(fold);
  const foldedDescriptions = descriptions.map(fold);
  const otherText = fold(
    [
      ...keywords,
      ...themeLabels,
      ...conceptLabels(r.subject),
      ...partyNames,
      ...(r.provenance ?? []).flatMap((p) => values(p.label)),
      ...variables,
      ...(r.platform ?? []),
      ...(r.instrument ?? []),
      cr.identifier,
      ...(r.otherIdentifier ?? []).map((i) => i.notation),
    ].join('\n'),
  );
  const allText = [...foldedTitles, ...foldedDescriptions, otherText].filter((t) => t !== '').join(' ');

  const language = distinct((r.language ?? []).map((l) => iriTail(l['@id'])));
  const formats = distinct(
    (r.distribution ?? []).flatMap((d) => [
      d.format?.label ? preferred(d.format.label) : d.format?.['@id'] ? iriTail(d.format['@id']) : undefined,
      d.mediaType?.['@id'].replace(/^https?:\/\/www\.iana\.org\/assignments\/media-types\//, ''),
    ]),
  );
  const publisher = distinct(r.publisher ? [preferred(r.publisher.name)] : []);
  const licence = distinct([...(r.license ?? []), ...(r.distribution ?? []).map((d) => d.license)].map(labelOrIri));

  const issued = r.issued ? dateBounds(r.issued)?.start : undefined;
  const modified = r.modified ? dateBounds(r.modified)?.start : undefined;
  const harvestedAt = dateBounds(cr.harvestedAt)?.start;

  return {
    source: cr.sourceId,
    original_id: cr.identifier,
    type: typeOf(r),
    title: foldedTitles,
    title_sort: sortKey(preferred(r.title)),
    description: foldedDescriptions,
    all_text: allText,
    keywords,
    themes: distinct((r.theme ?? []).map((c) => c['@id'])),
    theme_labels: themeLabels,
    topic_categories: distinct((r.subject ?? []).map((c) => c.notation ?? (c['@id'] ? iriTail(c['@id']) : undefined))),
    language,
    formats,
    publisher,
    organisations: distinct([
      ...agents.filter((a) => !isPerson(a)).map((a) => preferred(a.name)),
      ...(r.contactPoint ?? []).map((c) => c.organizationName ?? (isOrganisationContact(c) ? c.fn : undefined)),
    ]),
    licence,
    access_rights: distinct([labelOrIri(r.accessRights)]),
    ...(parts ? { bbox: parts[0] } : {}),
    ...(parts?.[1] ? { bbox_split: parts[1] } : {}),
    ...(box ? { centroid: boxCentre(box) } : {}),
    time,
    ...(timeStart !== undefined && !openStart ? { time_start: timeStart } : {}),
    ...(timeEnd !== undefined && !openEnd ? { time_end: timeEnd } : {}),
    ...(issued !== undefined ? { issued } : {}),
    ...(modified !== undefined ? { modified } : {}),
    harvest: {
      source: cr.sourceId,
      ...(harvestedAt !== undefined ? { harvested_at: harvestedAt } : {}),
      content_hash: cr.contentHash,
      record_hash: hash,
      mapping_version: MAPPING_VERSION,
      ...(run.lastSeen !== undefined ? { last_seen: run.lastSeen } : {}),
      ...(run.runId !== undefined ? { run_id: run.runId } : {}),
      ...(run.rawHash !== undefined ? { raw_hash: run.rawHash } : {}),
    },
    has_doi: pids.some((p) => p.scheme === 'doi'),
    pid: distinct(pids.map((p) => p.scheme)) as PidScheme[],
    external_ids: externalIdTerms(r),
    dup_keys: dupKeys(r),
    dup_hosts: dupHosts(r),
    part_of: unique([...(r.isPartOf ?? []), ...(r.inSeries ?? [])]),
    platform: distinct(r.platform ?? []),
    instrument: distinct(r.instrument ?? []),
    processing_level: distinct(r.processingLevel ?? []),
    data_type: distinct(r.dataType ?? []),
    variables,
    gsd: r.gsd ?? [],
    resolution_m: r.spatialResolutionInMeters !== undefined ? [Number(r.spatialResolutionInMeters)] : [],
    ...(r.granuleCount !== undefined ? { granule_count: r.granuleCount } : {}),
    // computed where the document is made: in the map stage of a harvest (a mapping worker), and on re-projection;
    // the scores alone, none of the assessment's detail
    quality: fairScores(r),
    value_counts: {
      keywords: indexedCount(keywords),
      formats: indexedCount(formats),
      licence: indexedCount(licence),
      language: indexedCount(language),
      publisher: indexedCount(publisher),
    },
  };
}

/** A record ready for the bulk API: its index document serialised (see prepareDoc). */
export interface Pending {
  id: string;
  source: string;
  location?: string;
  /**
   * JSON of the full index document, UTF-8 encoded: the bytes the bulk request carries. Bytes rather than a string, so
   * that a mapping worker hands them over without a copy (a transferred buffer) and they stay outside the main
   * thread's heap until they are written to the socket.
   */
  json: Uint8Array;
  recordHash: string;
  /** Content hash of the raw record (harvest.raw_hash), when the harvest pipeline gave one. */
  rawHash?: string;
}

const UTF8 = new TextEncoder();

/**
 * The index document of a record, serialised: pure and CPU-bound, so that it can run next to the crosswalk in a
 * mapping worker (pipelines/map-pool.ts) while the main thread only batches them (pipelines/indexer.ts). Throws when the record's source
 * differs from the source being indexed.
 */
export function prepareDoc(
  record: HubRecord,
  meta: { source: string; location?: string; rawHash?: string },
  run: { runId: string; seenAt: string },
): Pending {
  const declared = record.isPrimaryTopicOf.sourceId;
  if (declared !== meta.source) throw new Error(`record source '${declared}' differs from the source being indexed '${meta.source}'`);
  // The text of JSON.stringify(toIndexDoc(record, ...)), with the record serialised once for the line and its hash.
  const r = storedRecord(record);
  const recordJson = JSON.stringify(r);
  const hash = recordHashOfJson(r, recordJson);
  const fields = JSON.stringify(searchFields(r, { runId: run.runId, lastSeen: run.seenAt, rawHash: meta.rawHash }, hash));
  const line = `{"id":${JSON.stringify(r.identifier)},"record":${recordJson},${fields.slice(1)}`;
  return {
    id: r.identifier,
    source: meta.source,
    ...(meta.location !== undefined ? { location: meta.location } : {}),
    // (a TextEncoder array owns its whole buffer: it can be transferred; Buffer.from may slice a shared pool)
    json: UTF8.encode(line),
    recordHash: hash,
    ...(meta.rawHash !== undefined ? { rawHash: meta.rawHash } : {}),
  };
}
