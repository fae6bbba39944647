/**
 * Search of the record index (fields of mappings/es-index.ts), with only what the minimal node has:
 * - place: a box intersects a record's box when, on some pair of parts (query parts × record parts, a box crossing
 *   the antimeridian being split in two on both sides), west <= other east, east >= other west, south <= other
 *   north and north >= other south: four range queries on doubles;
 * - time: `time` (date_range) intersects [from, to]; either end may be left open; year and month precision are whole
 *   periods ("2019" .. "2019" is the whole year);
 * - text: folded by mappings/fold.ts exactly like the documents, every word required, in title (boosted) or all_text;
 * - facets: terms aggregations and a histogram of start years.
 * A parameter that cannot be used is a UsageError naming it (`param`): the CLI exits 2, the server answers 400.
 */
import type { Client } from '@elastic/elasticsearch';
import type { HubRecord, DateLiteral } from '../schemas/record.js';
import { fold } from '../core/fold.js';
import { dateBounds } from '../core/dates.js';
import { UsageError } from '../core/result.js';
import { splitBox, type IndexType } from '../mappings/index-doc.js';

export interface SearchParams {
  /** Free text (any language; accents and case do not matter). */
  q?: string;
  /** [west, south, east, north] in degrees (CRS84); west > east crosses the antimeridian. */
  bbox?: [number, number, number, number];
  /** Start of the time window: YYYY, YYYY-MM, YYYY-MM-DD or a date-time. */
  from?: string;
  /** End of the time window (same forms; a year or month means its end). */
  to?: string;
  /** Theme concept IRI(s) or label(s): a record matches one of them. */
  theme?: string | string[];
  /** Keyword(s), case-insensitive: a record matches one of them. */
  keyword?: string | string[];
  source?: string | string[];
  type?: IndexType | IndexType[];
  /** Hits returned; default 10, 0..1000. */
  size?: number;
  /** Hits skipped (paging); default 0. */
  offset?: number;
  /** Return facets and the start-year histogram; default false. */
  aggs?: boolean;
  /** Values per facet; default 20. */
  facetSize?: number;
}

export interface SearchHit {
  id: string;
  score: number | null;
  source: string;
  type: IndexType;
  record: HubRecord;
}

export const FACETS = {
  themes: 'themes',
  keywords: 'keywords',
  source: 'source',
  type: 'type',
  formats: 'formats',
  publisher: 'publisher',
  licence: 'licence',
} as const;
export type FacetName = keyof typeof FACETS;

export interface SearchResult {
  total: number;
  hits: SearchHit[];
  facets?: Record<FacetName, { key: string; count: number }[]>;
  /** Records per year of their start date. */
  startYears?: { year: string; count: number }[];
}

type Query = Record<string, unknown>;

function list<T>(v: T | T[] | undefined): T[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** The instants a user date covers (same rules as indexed dates); a UsageError naming `param` when it is not a date. */
export function userDateBounds(value: string, param = 'date'): { start: string; end: string } {
  const type: DateLiteral['@type'] = /^\d{4}$/.test(value)
    ? 'xsd:gYear'
    : /^\d{4}-\d{2}$/.test(value)
      ? 'xsd:gYearMonth'
      : /^\d{4}-\d{2}-\d{2}$/.test(value)
        ? 'xsd:date'
        : 'xsd:dateTime';
  const b = dateBounds({ '@value': value, '@type': type });
  if (!b || Number.isNaN(Date.parse(b.start))) {
    throw new UsageError(`${param} must be a date: YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm:ss[Z|±hh:mm] (got "${value}")`, param);
  }
  return b;
}

/** Why a box [west, south, east, north] is not one, naming the coordinate at fault; undefined when it is one. */
export function bboxProblem(bbox: readonly number[]): string | undefined {
  if (bbox.length !== 4) return `bbox must be 4 numbers [west, south, east, north] (got ${bbox.length})`;
  const [west, south, east, north] = bbox;
  const names = ['west', 'south', 'east', 'north'];
  const bad = bbox.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) return `bbox ${names[bad]} must be a number (got ${String(bbox[bad])})`;
  for (const [name, v] of [
    ['west', west],
    ['east', east],
  ] as const)
    if (v < -180 || v > 180) return `bbox ${name} ${v} is not a longitude: it must be from -180 to 180`;
  for (const [name, v] of [
    ['south', south],
    ['north', north],
  ] as const)
    if (v < -90 || v > 90) return `bbox ${name} ${v} is not a latitude: it must be from -90 to 90`;
  if (south > north) return `bbox south ${south} is north of north ${north}: the order is west, south, east, north`;
  return undefined;
}

/** The query for records whose box intersects `bbox`. */
export function bboxQuery(bbox: [number, number, number, number]): Query {
  const problem = bboxProblem(bbox);
  if (problem) throw new UsageError(problem, 'bbox');
  const [west, south, east, north] = bbox;
  const should: Query[] = [];
  for (const q of splitBox({ west, south, east, north })) {
    for (const f of ['bbox', 'bbox_split']) {
      should.push({
        bool: {
          filter: [
            { range: { [`${f}.west`]: { lte: q.east } } },
            { range: { [`${f}.east`]: { gte: q.west } } },
            { range: { [`${f}.south`]: { lte: q.north } } },
            { range: { [`${f}.north`]: { gte: q.south } } },
          ],
        },
      });
    }
  }
  return { bool: { should, minimum_should_match: 1 } };
}

/** The ES request body (without index) for `params`; exported for tests and for callers adding their own options. */
export function searchBody(params: SearchParams): Record<string, unknown> {
  const size = params.size ?? 10;
  const offset = params.offset ?? 0;
  const facetSize = params.facetSize ?? 20;
  if (!Number.isInteger(size) || size < 0 || size > 1000)
    throw new UsageError(`size must be a whole number from 0 to 1000 (got ${size})`, 'size');
  if (!Number.isInteger(offset) || offset < 0) throw new UsageError(`offset must be a whole number >= 0 (got ${offset})`, 'offset');
  if (!Number.isInteger(facetSize) || facetSize < 1)
    throw new UsageError(`facetSize must be a whole number >= 1 (got ${facetSize})`, 'facetSize');

  const filter: Query[] = [];
  const must: Query[] = [];
  const text = params.q === undefined ? '' : fold(params.q);
  if (text !== '') {
    must.push({ multi_match: { query: text, fields: ['title^3', 'all_text'], operator: 'and', type: 'best_fields' } });
  }
  if (params.bbox) filter.push(bboxQuery(params.bbox));
  if (params.from !== undefined || params.to !== undefined) {
    const gte = params.from !== undefined ? userDateBounds(params.from, 'from').start : undefined;
    const lte = params.to !== undefined ? userDateBounds(params.to, 'to').end : undefined;
    if (gte !== undefined && lte !== undefined && gte > lte)
      throw new UsageError(`from (${params.from}) is after to (${params.to})`, 'from');
    filter.push({ range: { time: { ...(gte ? { gte } : {}), ...(lte ? { lte } : {}), relation: 'intersects' } } });
  }
  const themes = list(params.theme);
  if (themes.length > 0) {
    filter.push({ bool: { should: [{ terms: { themes } }, { terms: { theme_labels: themes } }], minimum_should_match: 1 } });
  }
  const keywords = list(params.keyword);
  if (keywords.length > 0) {
    filter.push({
      bool: { should: keywords.map((k) => ({ term: { keywords: { value: k, case_insensitive: true } } })), minimum_should_match: 1 },
    });
  }
  if (list(params.source).length > 0) filter.push({ terms: { source: list(params.source) } });
  if (list(params.type).length > 0) filter.push({ terms: { type: list(params.type) } });

  return {
    size,
    from: offset,
    track_total_hits: true,
    _source: ['record', 'source', 'type'],
    query: { bool: { must: must.length > 0 ? must : [{ match_all: {} }], filter } },
    sort: text !== '' ? ['_score', { title_sort: 'asc' }, { id: 'asc' }] : [{ title_sort: 'asc' }, { id: 'asc' }],
    ...(params.aggs
      ? {
          aggs: {
            ...Object.fromEntries(Object.entries(FACETS).map(([name, field]) => [name, { terms: { field, size: facetSize } }])),
            start_years: { date_histogram: { field: 'time_start', calendar_interval: 'year', format: 'yyyy', min_doc_count: 1 } },
          },
        }
      : {}),
  };
}

interface Bucket {
  key: string | number;
  key_as_string?: string;
  doc_count: number;
}

/** Searches the records of `alias` (see SearchParams). */
export async function searchRecords(client: Client, alias: string, params: SearchParams): Promise<SearchResult> {
  const body = searchBody(params);
  const res = await client.search<{ record: HubRecord; source: string; type: IndexType }>({ index: alias, ...body });
  const total = typeof res.hits.total === 'number' ? res.hits.total : (res.hits.total?.value ?? 0);
  const hits = res.hits.hits.map((h) => ({
    id: h._id as string,
    score: h._score ?? null,
    source: h._source!.source,
    type: h._source!.type,
    record: h._source!.record,
  }));
  if (!params.aggs) return { total, hits };
  const aggs = res.aggregations as Record<string, { buckets: Bucket[] }>;
  const facets = Object.fromEntries(
    Object.keys(FACETS).map((name) => [name, aggs[name].buckets.map((b) => ({ key: String(b.key), count: b.doc_count }))]),
  ) as Record<FacetName, { key: string; count: number }[]>;
  const startYears = aggs.start_years.buckets.map((b) => ({ year: b.key_as_string ?? String(b.key), count: b.doc_count }));
  return { total, hits, facets, startYears };
}
