/**
 * OGC API - Records, Part 1 (built on OGC API - Features, Part 1) over the record index: what the routes of
 * api/routes/ogc-records.ts answer, as pure functions plus the two index reads they need.
 *
 * - Collections: the whole catalogue (`catalogue`) and one per source (its id), each `itemType: "record"`, with
 *   their spatial and temporal extents and record counts read from the index in one aggregation.
 * - Items: the query parameters of Records Part 1 (bbox, datetime, limit, q, type, ids, externalIds, sortby) and
 *   property filters on the queryables, turned into pipelines/search.ts SearchParams (one query builder for the
 *   whole hub); pages follow `next`/`prev` cursors, at any depth.
 * - A record as GeoJSON (recordGeoJSON of the standard): `time.interval` with ".." for open ends, geometry the
 *   record's box (two boxes across the antimeridian), properties type, title, description, keywords, themes
 *   (`{concepts: [{id, title}], scheme}`), language, resourceLanguages, externalIds, formats, contacts, license (SPDX
 *   id, else "other" with license links), rights, created, updated; links to the record's DCAT-AP forms, the source
 *   record, its distributions, and its thumbnails (`preview`).
 */
import type { Client } from '@elastic/elasticsearch';
import { conceptLabels, langKey } from '../core/vocab.js';
import { licenseSpdx } from '../core/vocab.js';
import { UsageError } from '../core/result.js';
import { dateBounds } from '../core/dates.js';
import { isPerson, recordOfIri, type Agent, type Concept, type HubRecord, type LicenseDocument } from '../schemas/record.js';
import { externalIds, iriTail, parseBboxWkt, geometryBox, enclosingBox, type Box } from '../mappings/index-doc.js';
import { OGC_PROTOCOL, serviceLink } from '../mappings/services.js';
import { copyRef, preferredText, timeExtent, userDateBounds, SORTABLES, type CopyRef, type SearchParams, type SortKey } from './search.js';
import { latestRuns } from './runs.js';
import { CQL2_QUERYABLES, cql2Where } from './cql2-query.js';
import { parentSeries, servedHeld } from './export-dcat.js';
import { recordParts } from './record.js';

/** Id of the collection holding the whole catalogue (a source of this id would be shadowed by it). */
export const CATALOGUE_ID = 'catalogue';
/** Path of the OGC API landing page on the server; every other OGC path is under it. */
export const OGC_BASE_PATH = '/ogcapi';
/** Records per page when `limit` is not given, and the most a page holds (a larger `limit` is lowered to it, as OGC API - Features asks). */
export const DEFAULT_LIMIT = 10;
export const MAX_LIMIT = 1000;

export const CONFORMANCE = [
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
  'http://www.opengis.net/spec/ogcapi-records-1/1.0/conf/core',
  'http://www.opengis.net/spec/ogcapi-records-1/1.0/conf/record-core',
  'http://www.opengis.net/spec/ogcapi-records-1/1.0/conf/record-collection',
  'http://www.opengis.net/spec/ogcapi-records-1/1.0/conf/record-core-query-parameters',
  'http://www.opengis.net/spec/ogcapi-records-1/1.0/conf/records-api',
  'http://www.opengis.net/spec/ogcapi-records-1/1.0/conf/searchable-catalog',
  'http://www.opengis.net/spec/ogcapi-records-1/1.0/conf/sorting',
  'http://www.opengis.net/spec/ogcapi-records-1/1.0/conf/json',
  'http://www.opengis.net/spec/ogcapi-records-1/1.0/conf/html',
  'http://www.opengis.net/spec/ogcapi-records-1/1.0/conf/oas30',
  // the filter parameter (pipelines/cql2-query.ts): the classes it answers entirely
  'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables',
  'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter',
  'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter',
  'http://www.opengis.net/spec/cql2/1.0/conf/cql2-text',
  'http://www.opengis.net/spec/cql2/1.0/conf/cql2-json',
  'http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2',
  'http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators',
  'http://www.opengis.net/spec/cql2/1.0/conf/case-insensitive-comparison',
  'http://www.opengis.net/spec/cql2/1.0/conf/accent-insensitive-comparison',
  'http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions',
  'http://www.opengis.net/spec/cql2/1.0/conf/temporal-functions',
  'http://www.opengis.net/spec/cql2/1.0/conf/array-functions',
];

/** Longitude, latitude in degrees (WGS 84): the one coordinate system of the API. */
export const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';
const GREGORIAN = 'http://www.opengis.net/def/uom/ISO-8601/0/Gregorian';

export interface Link {
  href: string;
  rel: string;
  type?: string;
  title?: string;
  hreflang?: string;
  /** A service link's OGC protocol name (`OGC:WMS`...), as pycsw and GeoNetwork give it to their clients. */
  protocol?: string;
  /** A service link's layer (feature type, coverage), as pycsw gives it. */
  name?: string;
}

// ---------------------------------------------------------------------------------------------- queryables

/**
 * The queryables: properties an items request may filter on by name (`?keywords=...`), each mapped to the
 * SearchParams filter it sets. Values of one name (repeated) are alternatives.
 */
export const QUERYABLES = {
  keywords: { param: 'keyword', title: 'Keyword', description: 'A keyword of the record (case-insensitive).' },
  themes: { param: 'theme', title: 'Theme', description: 'A theme concept IRI or label (INSPIRE themes, GCMD...).' },
  formats: { param: 'format', title: 'Format', description: 'A distribution format (label or media type).' },
  license: { param: 'licence', title: 'Licence', description: 'A licence as the record gives it (label or IRI).' },
  language: { param: 'language', title: 'Resource language', description: 'A language code (FRA, ENG...).' },
  publisher: { param: 'publisher', title: 'Publisher', description: 'The publisher name.' },
  source: { param: 'source', title: 'Source', description: 'The id of the source the record was harvested from.' },
  rating: { param: 'rating', title: 'FAIR rating', description: 'excellent, good, sufficient or bad (once records are scored).' },
  variableCategory: {
    param: 'variableCategory',
    title: 'Variable category',
    description: 'A Theia/OZCAR variable category IRI (or its last segment).',
  },
} as const satisfies Record<string, { param: keyof SearchParams; title: string; description: string }>;
export type QueryableName = keyof typeof QUERYABLES;
export const QUERYABLE_NAMES = Object.keys(QUERYABLES) as QueryableName[];

/**
 * The JSON Schema type of a string queryable as the records hold it: an array of strings where a record may hold
 * several values (keywords, themes...: Features Part 3 /rec/queryables/queryables-schema B and I, its example of an
 * array queryable), a string otherwise.
 */
const stringType = (name: string) => (CQL2_QUERYABLES[name].many ? { type: 'array', items: { type: 'string' } } : { type: 'string' });

/** The queryables document of a collection (JSON Schema 2020-12, as OGC API - Features Part 3 describes it). */
export function queryablesDoc(apiUrl: string, collectionId: string, title: string): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `${apiUrl}/collections/${encodeURIComponent(collectionId)}/queryables`,
    type: 'object',
    title: `Queryables of ${title}`,
    properties: {
      id: { title: 'Record id', description: 'Hub record id (source:identifier): the ids parameter.', type: 'string' },
      type: { title: 'Type', type: 'string', enum: ['dataset', 'series', 'service'], description: 'The type parameter.' },
      externalIds: {
        title: 'External identifiers',
        ...stringType('externalIds'),
        description: 'DOIs and other identifiers: the externalIds parameter.',
      },
      geometry: {
        title: 'Extent',
        // a box, or its two halves across the antimeridian (boxGeometry)
        format: 'geometry-polygon-or-multipolygon',
        description: 'The bbox parameter; in a filter, S_INTERSECTS or S_DISJOINT with a BBOX or a POINT.',
        'x-ogc-role': 'primary-geometry',
      },
      time: {
        title: 'Time extent',
        type: 'string',
        format: 'date-time',
        description:
          'The datetime parameter; in a filter, an interval (either end may be open), compared by the temporal functions (T_INTERSECTS, T_DURING, T_MEETS...).',
        'x-ogc-role': 'primary-instant',
      },
      created: {
        title: 'Issued',
        type: 'string',
        format: 'date-time',
        description:
          'When the resource was issued (filter only): an instant, compared by = < > and T_AFTER, T_BEFORE, T_DISJOINT, T_EQUALS, T_INTERSECTS.',
      },
      updated: {
        title: 'Updated',
        type: 'string',
        format: 'date-time',
        description: 'When the resource last changed (filter only): an instant, as created.',
      },
      ...Object.fromEntries(
        QUERYABLE_NAMES.map((n) => [n, { title: QUERYABLES[n].title, ...stringType(n), description: QUERYABLES[n].description }]),
      ),
    },
    additionalProperties: false,
  };
}

/** Sortables of `sortby` (OGC name -> sort key of pipelines/search.ts). */
export const SORTABLE_NAMES: Record<string, SortKey['by']> = {
  title: 'title',
  updated: 'updated',
  created: 'issued',
  start: 'start',
  end: 'end',
};

export function sortablesDoc(apiUrl: string, collectionId: string): Record<string, unknown> {
  const titles: Record<string, string> = {
    title: 'Title',
    updated: 'Last modification of the resource',
    created: 'Issue date of the resource',
    start: 'Start of the time extent',
    end: 'End of the time extent',
  };
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `${apiUrl}/collections/${encodeURIComponent(collectionId)}/sortables`,
    type: 'object',
    title: 'Sortables',
    properties: Object.fromEntries(Object.keys(SORTABLE_NAMES).map((n) => [n, { title: titles[n], type: 'string' }])),
  };
}

// ------------------------------------------------------------------------------------------- items parameters

/** `datetime` of OGC API - Features: an instant or an interval `a/b` with `..` (or nothing) for an open end. */
export function parseDatetime(text: string): { from?: string; to?: string } {
  const parts = text.split('/');
  if (parts.length > 2 || text.trim() === '')
    throw new UsageError(`datetime must be an instant or an interval start/end with .. for an open end (got "${text}")`, 'datetime');
  const open = (s: string) => s === '' || s === '..';
  if (parts.length === 1) {
    if (open(parts[0])) throw new UsageError('datetime must not be ".." alone: give an instant or an interval', 'datetime');
    userDateBounds(parts[0], 'datetime');
    return { from: parts[0], to: parts[0] };
  }
  const [a, b] = parts;
  if (open(a) && open(b)) return {};
  if (!open(a)) userDateBounds(a, 'datetime');
  if (!open(b)) userDateBounds(b, 'datetime');
  if (!open(a) && !open(b) && userDateBounds(a, 'datetime').start > userDateBounds(b, 'datetime').end)
    throw new UsageError(`datetime ${text}: the start is after the end`, 'datetime');
  return { ...(open(a) ? {} : { from: a }), ...(open(b) ? {} : { to: b }) };
}

/** `sortby=title,-updated`: sort keys of pipelines/search.ts (+ ascending, the default, - descending). */
export function parseSortby(text: string): SortKey[] {
  return text.split(',').map((raw) => {
    const s = raw.trim();
    const m = /^([+-]?)([A-Za-z_][A-Za-z0-9_]*)$/.exec(s);
    const by = m ? SORTABLE_NAMES[m[2]] : undefined;
    if (!m || !by || !SORTABLES.includes(by))
      throw new UsageError(`sortby ${s}: sortable are ${Object.keys(SORTABLE_NAMES).join(', ')}, each with + or - before it`, 'sortby');
    const key: SortKey = { by, order: m[1] === '-' ? 'desc' : 'asc' };
    return key;
  });
}

/** An items query: Records Part 1 parameters, already split into lists; property filters by queryable name. */
export interface ItemsQuery {
  bbox?: [number, number, number, number];
  datetime?: string;
  limit?: number;
  /** Hits skipped (within the first 10,000); the `next` links use cursors instead. */
  offset?: number;
  q?: string[];
  type?: string[];
  ids?: string[];
  externalIds?: string[];
  sortby?: string;
  cursor?: string;
  filters: Partial<Record<QueryableName, string[]>>;
  /** A CQL2 filter (OGC API - Features Part 3) in `filterLang` (default cql2-text), coordinates in `filterCrs` (CRS84 only). */
  filter?: string;
  filterLang?: string;
  filterCrs?: string;
}

/** The search of an items request on a collection (the whole catalogue, or one source). */
export function itemsSearch(collectionId: string, query: ItemsQuery): SearchParams {
  const limit = Math.min(query.limit ?? DEFAULT_LIMIT, MAX_LIMIT);
  const time = query.datetime !== undefined ? parseDatetime(query.datetime) : {};
  const params: SearchParams = {
    anyPhrase: query.q?.filter((s) => s.trim() !== ''),
    bbox: query.bbox,
    ...time,
    type: query.type as SearchParams['type'],
    ids: query.ids,
    externalIds: query.externalIds,
    sort: query.sortby !== undefined ? parseSortby(query.sortby) : undefined,
    size: limit,
    offset: query.offset,
    cursor: query.cursor,
    fuzzy: 'off',
    record: true,
  };
  if (query.filterCrs !== undefined) {
    if (query.filter === undefined && query.filterLang === undefined)
      throw new UsageError('filter-crs is given without a filter', 'filter-crs');
    if (query.filter !== undefined && query.filterCrs !== CRS84)
      throw new UsageError(`filter-crs must be ${CRS84} (longitude, latitude in degrees; got "${query.filterCrs}")`, 'filter-crs');
  }
  params.where = cql2Where(query.filter, query.filterLang);
  for (const name of QUERYABLE_NAMES) {
    const v = query.filters[name];
    if (v) (params as Record<string, unknown>)[QUERYABLES[name].param] = v;
  }
  if (collectionId !== CATALOGUE_ID) {
    const asked = query.filters.source;
    // a source collection holds its own records only: another source asked for finds nothing
    params.source = asked ? asked.filter((s) => s === collectionId) : [collectionId];
    if (params.source.length === 0) params.ids = [];
  }
  return params;
}

// ----------------------------------------------------------------------------------------------- collections

export interface CollectionInfo {
  id: string;
  title: string;
  description: string;
  records: number;
  /** [west, south, east, north] enclosing every record's box. */
  bbox?: [number, number, number, number];
  /** Earliest start, latest end (null: some record is open-ended or undated at that end). */
  interval?: [string | null, string | null];
}

interface ExtentAggs {
  doc_count?: number;
  w1?: { value: number | null };
  w2?: { value: number | null };
  s1?: { value: number | null };
  s2?: { value: number | null };
  e1?: { value: number | null };
  e2?: { value: number | null };
  n1?: { value: number | null };
  n2?: { value: number | null };
  start?: { value: number | null; value_as_string?: string };
  end?: { value: number | null; value_as_string?: string };
  open?: { doc_count: number };
  openStart?: { doc_count: number };
}

const EXTENT_AGGS = {
  w1: { min: { field: 'bbox.west' } },
  w2: { min: { field: 'bbox_split.west' } },
  s1: { min: { field: 'bbox.south' } },
  s2: { min: { field: 'bbox_split.south' } },
  e1: { max: { field: 'bbox.east' } },
  e2: { max: { field: 'bbox_split.east' } },
  n1: { max: { field: 'bbox.north' } },
  n2: { max: { field: 'bbox_split.north' } },
  start: { min: { field: 'time_start' } },
  end: { max: { field: 'time_end' } },
  // dated records without an end: open-ended, so the collection's interval is open too
  open: { filter: { bool: { filter: [{ exists: { field: 'time' } }], must_not: [{ exists: { field: 'time_end' } }] } } },
  // and dated records without a start (a period open at its start): the interval is open at its start
  openStart: { filter: { bool: { filter: [{ exists: { field: 'time' } }], must_not: [{ exists: { field: 'time_start' } }] } } },
};

function extentOf(a: ExtentAggs): Pick<CollectionInfo, 'bbox' | 'interval'> {
  const num = (...v: ({ value: number | null } | undefined)[]) => v.map((x) => x?.value).filter((x): x is number => typeof x === 'number');
  const w = num(a.w1, a.w2);
  const s = num(a.s1, a.s2);
  const e = num(a.e1, a.e2);
  const n = num(a.n1, a.n2);
  const bbox: [number, number, number, number] | undefined =
    w.length && s.length && e.length && n.length ? [Math.min(...w), Math.min(...s), Math.max(...e), Math.max(...n)] : undefined;
  const start =
    a.start?.value != null && !(a.openStart && a.openStart.doc_count > 0)
      ? new Date(a.start.value).toISOString().replace('.000Z', 'Z')
      : null;
  const end = a.end?.value != null && !(a.open && a.open.doc_count > 0) ? new Date(a.end.value).toISOString().replace('.000Z', 'Z') : null;
  return { ...(bbox ? { bbox } : {}), ...(start || end ? { interval: [start, end] as [string | null, string | null] } : {}) };
}

/** The source names of the run history (`<alias>-runs`), by source id; empty when there is none. */
async function sourceNames(client: Client, alias: string): Promise<Map<string, string>> {
  try {
    const runs = await latestRuns(client, alias, { size: 1000 });
    const names = new Map<string, string>();
    for (const r of runs) if (!names.has(r.source) && r.name) names.set(r.source, r.name);
    return names;
  } catch {
    return new Map();
  }
}

/** "1 source", "12 sources", "100,000 records". */
const counted = (n: number, word: string): string => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

/** The whole catalogue's collection, then one per source (by id), with their extents and counts; one request. */
export async function collections(client: Client, alias: string, catalogueTitle: string): Promise<CollectionInfo[]> {
  const [res, names] = await Promise.all([
    client.search({
      index: alias,
      size: 0,
      track_total_hits: true,
      aggs: { ...EXTENT_AGGS, sources: { terms: { field: 'source', size: 10_000, order: { _key: 'asc' } }, aggs: EXTENT_AGGS } },
    }),
    sourceNames(client, alias),
  ]);
  const aggs = res.aggregations as unknown as ExtentAggs & { sources: { buckets: (ExtentAggs & { key: string; doc_count: number })[] } };
  const total = typeof res.hits.total === 'number' ? res.hits.total : (res.hits.total?.value ?? 0);
  const out: CollectionInfo[] = [
    {
      id: CATALOGUE_ID,
      title: catalogueTitle,
      description: `Every record of the hub: ${counted(total, 'record')} harvested from ${counted(aggs.sources.buckets.length, 'source')}.`,
      records: total,
      ...extentOf(aggs),
    },
  ];
  for (const b of aggs.sources.buckets) {
    if (b.key === CATALOGUE_ID) continue;
    const name = names.get(b.key);
    out.push({
      id: b.key,
      title: name ?? b.key,
      description: `Records harvested from the source ${name && name !== b.key ? `${name} (${b.key})` : b.key}.`,
      records: b.doc_count,
      ...extentOf(b),
    });
  }
  return out;
}

/** Whether a collection exists (the catalogue always does; a source when the index holds one of its records). */
export async function collectionExists(client: Client, alias: string, id: string): Promise<boolean> {
  if (id === CATALOGUE_ID) return true;
  const res = await client.search({ index: alias, size: 0, terminate_after: 1, track_total_hits: 1, query: { term: { source: id } } });
  const total = typeof res.hits.total === 'number' ? res.hits.total : (res.hits.total?.value ?? 0);
  return total > 0;
}

/**
 * A collection's JSON (OGC API - Features collection, Records catalogue: catalog.yaml and collection.yaml of Records
 * 1.0, whose `type` is fixed to "Collection") with its links.
 */
export function collectionDoc(c: CollectionInfo, apiUrl: string): Record<string, unknown> {
  const self = `${apiUrl}/collections/${encodeURIComponent(c.id)}`;
  return {
    id: c.id,
    type: 'Collection',
    itemType: 'record',
    title: c.title,
    description: c.description,
    recordCount: c.records,
    extent: {
      ...(c.bbox ? { spatial: { bbox: [c.bbox], crs: CRS84 } } : {}),
      ...(c.interval ? { temporal: { interval: [c.interval], trs: GREGORIAN } } : {}),
    },
    crs: [CRS84],
    conformsTo: ['http://www.opengis.net/spec/ogcapi-records-1/1.0/conf/record-collection'],
    links: [
      { rel: 'self', type: 'application/json', href: self, title: 'This collection (JSON)' },
      { rel: 'alternate', type: 'text/html', href: `${self}?f=html`, title: 'This collection (HTML)' },
      { rel: 'items', type: 'application/geo+json', href: `${self}/items`, title: 'Its records (GeoJSON)' },
      { rel: 'items', type: 'text/html', href: `${self}/items?f=html`, title: 'Its records (HTML)' },
      {
        rel: 'http://www.opengis.net/def/rel/ogc/1.0/queryables',
        type: 'application/schema+json',
        href: `${self}/queryables`,
        title: 'Queryables',
      },
      {
        rel: 'http://www.opengis.net/def/rel/ogc/1.0/sortables',
        type: 'application/schema+json',
        href: `${self}/sortables`,
        title: 'Sortables',
      },
    ],
  };
}

// ------------------------------------------------------------------------------------------------ the record

type Geometry = { type: 'Polygon'; coordinates: number[][][] } | { type: 'MultiPolygon'; coordinates: number[][][][] };

function ring(w: number, s: number, e: number, n: number): number[][] {
  return [
    [w, s],
    [e, s],
    [e, n],
    [w, n],
    [w, s],
  ];
}

/** The record's box as a GeoJSON polygon (two across the antimeridian, as RFC 7946 asks); null without one. */
export function boxGeometry(b: Box | undefined): Geometry | null {
  if (!b) return null;
  if (b.west <= b.east) return { type: 'Polygon', coordinates: [ring(b.west, b.south, b.east, b.north)] };
  return { type: 'MultiPolygon', coordinates: [[ring(b.west, b.south, 180, b.north)], [ring(-180, b.south, b.east, b.north)]] };
}

/** The box enclosing a record's spatial extents (the one the index searches by). */
export function recordBox(r: HubRecord): Box | undefined {
  const boxes: Box[] = [];
  for (const loc of r.spatial ?? []) {
    const b = loc.bbox ? parseBboxWkt(loc.bbox['@value']) : loc.geometry ? geometryBox(loc.geometry) : undefined;
    if (b) boxes.push(b);
  }
  return enclosingBox(boxes);
}

/** A date literal as OGC wants it: a date-time in UTC (dates and years at their first instant). */
function dateTime(lit: Parameters<typeof dateBounds>[0] | undefined): string | undefined {
  const b = lit ? dateBounds(lit) : undefined;
  return b ? b.start.replace('.000Z', 'Z') : undefined;
}

/** A time extent bound for `time.interval`: a date stays a date, anything else becomes a UTC date-time. */
function intervalBound(value: string | null, end: boolean): string {
  if (value === null) return '..';
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const type = /^\d{4}$/.test(value) ? 'xsd:gYear' : /^\d{4}-\d{2}$/.test(value) ? 'xsd:gYearMonth' : 'xsd:dateTime';
  const b = dateBounds({ '@value': value, '@type': type });
  if (!b) return '..';
  // a year or a month: its first and last day
  if (type !== 'xsd:dateTime') return (end ? b.end : b.start).slice(0, 10);
  return (end ? b.end : b.start).replace('.000Z', 'Z');
}

/**
 * `time.interval`: both ends dates or both timestamps, ".." for an open end (Records /req/record-core/time-interval B
 * and C: "If the start is a date, the end SHALL be a date, too, or '..'", and the same of timestamps). A date facing a
 * timestamp becomes its first (start) or last (end) instant in UTC, exactly as the index holds it (core/dates.ts):
 * `…T00:00:00Z` and `…T23:59:59.999Z`. Not `…T23:59:59Z`: a CQL2 TIMESTAMP is one instant, so a client copying the
 * shown end into T_EQUALS or T_FINISHES would miss the record's last 999 ms; RFC 3339 (which the standard names for
 * timestamps) allows the fraction of a second, and the collection's extent already shows it.
 */
export function timeInterval(start: string | null, end: string | null): [string, string] {
  const a = intervalBound(start, false);
  const b = intervalBound(end, true);
  const isDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s);
  if (isDate(a) && b.includes('T')) return [`${a}T00:00:00Z`, b];
  if (a.includes('T') && isDate(b)) return [a, `${b}T23:59:59.999Z`];
  return [a, b];
}

/** OGC contacts of a record: contact points, publisher, creators and every qualified attribution, each once. */
type Contact = { name?: string; organization?: string; [more: string]: unknown };
function contacts(r: HubRecord, lang?: string): Contact[] {
  const byKey = new Map<string, { c: Contact; roles: Set<string> }>();
  const add = (c: Contact, role: string) => {
    if (c.name === undefined && c.organization === undefined) return;
    const key = `${c.name ?? ''}\u0000${c.organization ?? ''}`;
    const seen = byKey.get(key);
    if (seen) {
      seen.roles.add(role);
      for (const [k, v] of Object.entries(c)) if (seen.c[k] === undefined) seen.c[k] = v;
    } else byKey.set(key, { c, roles: new Set([role]) });
  };
  const agent = (a: Agent): Contact => {
    const name = preferredText(a.name, lang);
    const person = isPerson(a);
    return {
      ...(person ? { name } : { organization: name }),
      ...(person && a.memberOf ? { organization: preferredText(a.memberOf.name, lang) } : {}),
      ...(a.mbox ? { emails: [{ value: a.mbox.replace(/^mailto:/i, '') }] } : {}),
      ...(a.homepage ? { links: [{ href: a.homepage, rel: 'about', type: 'text/html' }] } : {}),
      ...(a.identifier?.length ? { identifier: a.identifier[0] } : {}),
    };
  };
  for (const c of r.contactPoint ?? []) {
    const person = c['@type'][0] === 'vcard:Individual';
    const phone = c.hasTelephone?.replace(/^tel:/i, '').replace(/[\s.()-]/g, '');
    add(
      {
        ...(person ? { name: c.fn } : { organization: c.fn }),
        ...(person && c.organizationName ? { organization: c.organizationName } : {}),
        ...(!person && c.organizationName && c.organizationName !== c.fn ? { name: c.fn, organization: c.organizationName } : {}),
        ...(c.hasEmail ? { emails: [{ value: c.hasEmail.replace(/^mailto:/i, '') }] } : {}),
        ...(phone && /^\+[1-9][0-9]{3,14}$/.test(phone) ? { phones: [{ value: phone }] } : {}),
        ...(c.hasURL ? { links: [{ href: c.hasURL, rel: 'about', type: 'text/html' }] } : {}),
        ...(c.hasUID ? { identifier: c.hasUID } : {}),
      },
      'pointOfContact',
    );
  }
  if (r.publisher) add(agent(r.publisher), 'publisher');
  for (const a of r.creator ?? []) add(agent(a), 'author');
  for (const a of r.rightsHolder ?? []) add(agent(a), 'rightsHolder');
  for (const a of r.funder ?? []) add(agent(a), 'funder');
  for (const q of r.qualifiedAttribution ?? []) add(agent(q.agent), iriTail(q.hadRole));
  return [...byKey.values()].map(({ c, roles }) => ({ ...c, roles: [...roles] }));
}

/** The scheme of a concept: its scheme's IRI, else the IRI's namespace (up to its last / or #), else "local". */
function schemeOf(c: Concept): string {
  if (c.inScheme?.['@id']) return c.inScheme['@id'];
  const m = c['@id'] ? /^(.*)[/#][^/#]+$/.exec(c['@id']) : null;
  return m ? m[1] : 'local';
}

/** OGC themes: the record's themes and topic categories grouped by scheme. */
function themes(r: HubRecord, lang?: string): { concepts: { id: string; title?: string; url?: string }[]; scheme: string }[] {
  const groups = new Map<string, { id: string; title?: string; url?: string }[]>();
  for (const c of [...(r.theme ?? []), ...(r.subject ?? [])]) {
    const title = preferredText(conceptLabels(c, lang), lang);
    const id = c['@id'] ?? c.notation ?? title;
    if (!id) continue;
    const scheme = schemeOf(c);
    const list = groups.get(scheme) ?? [];
    if (list.some((x) => x.id === id)) continue;
    list.push({ id, ...(title ? { title } : {}), ...(c['@id'] && /^https?:/.test(c['@id']) ? { url: c['@id'] } : {}) });
    groups.set(scheme, list);
  }
  return [...groups].map(([scheme, concepts]) => ({ concepts, scheme }));
}

/**
 * `license`: the SPDX id when every licence of the record has the same one, else "other" with `license` links that say
 * which (/req/record-core/license B). A licence given only as text has no document of its own: its link is the
 * record's HTML page, at the section that shows the text (the record's licences under #rights, a distribution's under
 * #access), else the record's DCAT-AP form, which holds the text too.
 */
function license(r: HubRecord, recordUrl: string, recordPage?: string): { value?: string; links: Link[] } {
  const own = r.license ?? [];
  const docs: LicenseDocument[] = [...own, ...(r.distribution ?? []).flatMap((d) => (d.license ? [d.license] : []))];
  if (docs.length === 0) return { links: [] };
  const spdx = [...new Set(docs.map((d) => licenseSpdx(d['@id']) ?? licenseSpdx(preferredText(d.label)) ?? 'other'))];
  const links: Link[] = [];
  const seen = new Set<string>();
  for (const d of docs) {
    const label = preferredText(d.label);
    const target = d['@id']
      ? { href: d['@id'] }
      : recordPage
        ? { href: `${recordPage}#${own.includes(d) ? 'rights' : 'access'}`, type: 'text/html' }
        : { href: recordUrl };
    if (seen.has(target.href)) continue;
    seen.add(target.href);
    links.push({ ...target, rel: 'license', ...(label ? { title: label } : {}) });
  }
  return { value: spdx.length === 1 ? spdx[0] : 'other', links };
}

const MEDIA_TYPE_PREFIX = /^https?:\/\/www\.iana\.org\/assignments\/media-types\//;

export interface RecordFeatureOptions {
  /** URL of the OGC API landing page (no trailing slash). */
  apiUrl: string;
  /** URL of the server (no trailing slash): /records/{id} lives there. */
  serverUrl: string;
  /** Collection the record is served in. */
  collectionId: string;
  /** URL of the record's HTML page in the catalogue (where a licence given only as text shows). */
  recordPage?: string;
  rating?: string;
  lang?: string;
  /** Copies of the record's dataset from other sources (the primary lists them; a copy names its primary). */
  alsoFrom?: CopyRef[];
  copyOf?: CopyRef;
  /** The record's parents (dct:isPartOf) that the hub holds as series (seriesParents): its series too. */
  parentSeries?: string[];
  /** Hub ids of the records naming it as their parent or series (relativesOf): its parts, linked as its items. */
  parts?: string[];
}

/**
 * The parents of each of `records` (a page of items, or one) that the hub holds as dataset series, by record
 * identifier: the series its DCAT-AP graph names by dcat:inSeries besides its own (export-dcat.ts parentSeries, over the
 * records servedHeld reads), so that its OGC links say what its DCAT-AP says. A record's hit does not tell whether
 * its parent is a series: one search for the whole page, none when no record names a parent or a series.
 */
export async function seriesParents(client: Client, alias: string, records: HubRecord[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (!records.some((r) => r.isPartOf?.length)) return out;
  const held = await servedHeld(
    client,
    alias,
    records.filter((r) => r.isPartOf?.length),
  );
  for (const r of records) {
    const parents = parentSeries(r, held);
    if (parents.length) out.set(r.identifier, parents);
  }
  return out;
}

/**
 * What the links of a page of records (or of one) need from other records, by record identifier: the parents it
 * names that the hub holds as series (seriesParents) and the records naming it as their parent or series
 * (record.ts recordParts: the first PARTS_MAX by title). Two searches at most, side by side.
 */
export async function relativesOf(
  client: Client,
  alias: string,
  records: HubRecord[],
): Promise<Map<string, Pick<RecordFeatureOptions, 'parentSeries' | 'parts'>>> {
  const [parents, parts] = await Promise.all([
    seriesParents(client, alias, records),
    recordParts(
      client,
      alias,
      records.map((r) => r['@id']),
    ),
  ]);
  const out = new Map<string, Pick<RecordFeatureOptions, 'parentSeries' | 'parts'>>();
  for (const r of records) {
    const up = parents.get(r.identifier);
    const down = parts.get(r['@id'])?.records.map((p) => p.id);
    if (up || down) out.set(r.identifier, { ...(up ? { parentSeries: up } : {}), ...(down ? { parts: down } : {}) });
  }
  return out;
}

/** The item of another source's copy: in the catalogue collection when that is the one served, else its source's. */
function copyLinks(o: RecordFeatureOptions): Link[] {
  const itemUrl = (c: CopyRef) => {
    const cid = o.collectionId === CATALOGUE_ID ? CATALOGUE_ID : c.source;
    return `${o.apiUrl}/collections/${encodeURIComponent(cid)}/items/${encodeURIComponent(c.id)}`;
  };
  return [
    ...(o.alsoFrom ?? []).map((c) => ({
      href: itemUrl(c),
      rel: 'alternate',
      type: 'application/geo+json',
      title: `The same dataset, also from source ${c.source}`,
    })),
    ...(o.copyOf
      ? [
          {
            href: itemUrl(o.copyOf),
            rel: 'canonical',
            type: 'application/geo+json',
            title: `The copy listed, from source ${o.copyOf.source}`,
          },
        ]
      : []),
  ];
}

/**
 * A record's links to its versions, a series member's link to its series (its dcat:inSeries, and a parent the hub
 * holds as a series: parentSeries) and a series' links to its members and parts. Not `collection`: Records'
 * record-links requirement gives a record one `collection` link, the record collection it is served in. IANA relations instead
 * (Records recommends them): `up` (RFC 8288, the parent in a hierarchy) to the series, `item` (RFC 6573, a member of
 * the collection the context is) to each member; a hub record as its item here, another IRI (a DCAT feed's) as it is.
 */
function relativeLinks(r: HubRecord, o: RecordFeatureOptions): Link[] {
  const item = (hub: CopyRef): Pick<Link, 'href' | 'type'> => {
    const cid = o.collectionId === CATALOGUE_ID ? CATALOGUE_ID : hub.source;
    return { href: `${o.apiUrl}/collections/${encodeURIComponent(cid)}/items/${encodeURIComponent(hub.id)}`, type: 'application/geo+json' };
  };
  const target = (iri: string): Pick<Link, 'href' | 'type'> => {
    const hub = recordOfIri(iri);
    return hub ? item(hub) : { href: iri };
  };
  const named = new Set((r.seriesMember ?? []).flatMap((iri) => recordOfIri(iri)?.id ?? []));
  const isSeries = r['@type'][0] === 'dcat:DatasetSeries';
  // its versions (DCAT 3 section 11) by the IANA relations of RFC 5829, as STAC writes them
  const versions = (iris: string[] | undefined, rel: string, title: string) => (iris ?? []).map((iri) => ({ ...target(iri), rel, title }));
  return [
    ...versions(r.previousVersion, 'predecessor-version', 'Its previous version'),
    ...versions(r.replaces, 'predecessor-version', 'The record it replaces'),
    ...versions(r.isReplacedBy, 'successor-version', 'The record replacing it'),
    ...versions(r.hasCurrentVersion, 'latest-version', 'Its current version'),
    ...[...(r.inSeries ?? []), ...(o.parentSeries ?? [])].map((iri) => ({
      ...target(iri),
      rel: 'up',
      title: 'The dataset series it is in',
    })),
    ...(r.seriesMember ?? []).map((iri) => ({ ...target(iri), rel: 'item', title: 'A dataset of the series' })),
    // the records naming it as their parent or series, but those its own dcat:seriesMember lists already
    ...(o.parts ?? [])
      .filter((id) => !named.has(id))
      .map((id) => ({
        ...item(copyRef(id)),
        rel: 'item',
        title: isSeries ? 'A dataset of the series' : 'A record that is part of it',
      })),
  ];
}

/** A record as OGC API - Records GeoJSON (see the file comment). */
export function recordFeature(r: HubRecord, o: RecordFeatureOptions): Record<string, unknown> {
  const type = r['@type'][0] === 'dcat:DataService' ? 'service' : r['@type'][0] === 'dcat:DatasetSeries' ? 'series' : 'dataset';
  const time = timeExtent(r.temporal);
  const timeObj = time ? { interval: timeInterval(time.start, time.end) } : null;
  const keywords = [...new Set(Object.values(r.keyword ?? {}).flat())];
  const th = themes(r, o.lang);
  const resourceLanguages = [...new Set((r.language ?? []).map((l) => langKey(l['@id'])).filter((l) => l !== '@none'))].map((code) => ({
    code,
  }));
  const titleLangs = Object.keys(r.title).filter((l) => l !== '@none');
  const formats = [
    ...new Map(
      (r.distribution ?? []).flatMap((d) => {
        const name = d.format?.label ? preferredText(d.format.label) : d.format?.['@id'] ? iriTail(d.format['@id']) : undefined;
        const mediaType = d.mediaType?.['@id'].replace(MEDIA_TYPE_PREFIX, '');
        return name || mediaType
          ? [[`${name ?? ''}|${mediaType ?? ''}`, { ...(name ? { name } : {}), ...(mediaType ? { mediaType } : {}) }]]
          : [];
      }),
    ).values(),
  ];
  const rights = [r.accessRights, ...(r.rights ?? [])].map((x) => preferredText(x?.label)).filter((x): x is string => !!x);
  const item = `${o.apiUrl}/collections/${encodeURIComponent(o.collectionId)}/items/${encodeURIComponent(r.identifier)}`;
  const recordUrl = `${o.serverUrl}/records/${encodeURIComponent(r.identifier)}`;
  const lic = license(r, recordUrl, o.recordPage);
  const links: Link[] = [
    { href: item, rel: 'self', type: 'application/geo+json', title: 'This record (GeoJSON)' },
    { href: `${item}?f=html`, rel: 'alternate', type: 'text/html', title: 'This record (HTML)' },
    {
      href: `${o.apiUrl}/collections/${encodeURIComponent(o.collectionId)}`,
      rel: 'collection',
      type: 'application/json',
      title: 'The collection',
    },
    { href: recordUrl, rel: 'alternate', type: 'application/ld+json', title: 'DCAT-AP (JSON-LD)' },
    { href: recordUrl, rel: 'alternate', type: 'text/turtle', title: 'DCAT-AP (Turtle)' },
    { href: recordUrl, rel: 'alternate', type: 'application/rdf+xml', title: 'DCAT-AP (RDF/XML)' },
    // the source record where a client can fetch it: a file the harvest read (a local source) is no link for them
    ...(r.isPrimaryTopicOf.sourceUrl && /^https?:\/\//i.test(r.isPrimaryTopicOf.sourceUrl)
      ? [{ href: r.isPrimaryTopicOf.sourceUrl, rel: 'via', title: `The source record (${r.isPrimaryTopicOf.sourceFormat})` }]
      : []),
    ...(r.depiction ?? []).map((href) => ({ href, rel: 'preview', title: 'Thumbnail' })),
    ...(r.landingPage ?? []).map((p) => ({ href: p['@id'], rel: 'about', type: 'text/html', title: 'Landing page' })),
    ...(r.page ?? []).map((p) => ({ href: p['@id'], rel: 'describedby', title: 'Documentation' })),
    ...(r.distribution ?? []).flatMap((d) => {
      const named = preferredText(d.title, o.lang);
      const title = named ?? d.protocol;
      const mediaType = d.mediaType?.['@id'].replace(MEDIA_TYPE_PREFIX, '');
      // an OGC web service, typed as the record page types it: its protocol name and the layer it names
      const ogc = serviceLink(d, named);
      const protocol = ogc && OGC_PROTOCOL[ogc.type];
      const service =
        !!ogc ||
        (d.conformsTo ?? []).some((c) => /serviceType|ogc|\/wms|\/wfs|\/wmts|\/wcs/i.test(c['@id'])) ||
        /^OGC:/i.test(d.protocol ?? '');
      const out: Link[] = [];
      if (d.downloadURL)
        out.push({ href: d.downloadURL, rel: 'enclosure', ...(mediaType ? { type: mediaType } : {}), ...(title ? { title } : {}) });
      if (d.accessURL && d.accessURL !== d.downloadURL)
        out.push({
          href: d.accessURL,
          rel: service ? 'service' : 'related',
          ...(title ? { title } : {}),
          ...(protocol ? { protocol } : {}),
          // (the layer of a map, feature or coverage service: the one it names, else the source's name of the resource)
          ...(ogc?.layer && /^(WMS|WMTS|WFS|WCS)$/.test(ogc.type) ? { name: ogc.layer } : {}),
        });
      return out;
    }),
    ...relativeLinks(r, o),
    ...lic.links,
    ...copyLinks(o),
  ];
  const properties: Record<string, unknown> = {
    type,
    title: preferredText(r.title, o.lang) ?? r.identifier,
    ...(r.description ? { description: preferredText(r.description, o.lang) } : {}),
    ...(keywords.length ? { keywords } : {}),
    ...(th.length ? { themes: th } : {}),
    ...(titleLangs.length
      ? { language: { code: o.lang && titleLangs.includes(o.lang) ? o.lang : titleLangs.includes('fr') ? 'fr' : titleLangs[0] } }
      : {}),
    ...(titleLangs.length > 1 ? { languages: titleLangs.map((code) => ({ code })) } : {}),
    ...(resourceLanguages.length ? { resourceLanguages } : {}),
    ...(externalIds(r).length ? { externalIds: externalIds(r) } : {}),
    ...(formats.length ? { formats } : {}),
    ...(contacts(r, o.lang).length ? { contacts: contacts(r, o.lang) } : {}),
    ...(lic.value ? { license: lic.value } : {}),
    ...(rights.length ? { rights: rights.join('; ') } : {}),
    ...(dateTime(r.issued ?? r.created) ? { created: dateTime(r.issued ?? r.created) } : {}),
    ...(dateTime(r.modified) ? { updated: dateTime(r.modified) } : {}),
    // the time extent again, where the earlier drafts of the standard (and some clients) read it
    ...(timeObj ? { time: timeObj } : {}),
    source: r.isPrimaryTopicOf.sourceId,
    ...(o.rating ? { rating: o.rating } : {}),
  };
  return {
    id: r.identifier,
    type: 'Feature',
    conformsTo: ['http://www.opengis.net/spec/ogcapi-records-1/1.0/req/record-core'],
    time: timeObj,
    geometry: boxGeometry(recordBox(r)),
    properties,
    links,
  };
}
