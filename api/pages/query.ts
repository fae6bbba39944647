/**
 * The one place where the catalogue page meets the search: the page's URL (which holds the whole query, so that a
 * link is shareable) ↔ `SearchParams` of pipelines/search.ts, and which facet filters by which parameter. The page
 * never builds an Elasticsearch query itself: it calls `searchRecords` with what `searchParams()` returns.
 *
 * URL of the catalogue page: `/catalogue?q=&bbox=W,S,E,N&from=&to=&theme=..&keyword=..&source=..&type=..&sort=&page=N&lang=`
 * (a filter parameter may repeat: values of one facet are alternatives, facets combine).
 */
import { UsageError } from '../../core/result.js';
import {
  bboxProblem,
  type FacetName,
  type FacetValue,
  type SearchParams,
  type SearchResult,
  type SortName,
} from '../../pipelines/search.js';
import type { IndexType } from '../../mappings/index-doc.js';
import type { MessageKey } from './i18n.js';
import { PATHS } from './layout.js';

/** Records per page of the catalogue. */
export const PAGE_SIZE = 20;
/** Values shown per facet. */
export const FACET_SIZE = 12;
/** Deepest record reachable by paging (Elasticsearch's from + size window). */
export const MAX_WINDOW = 10_000;
/** Longest text accepted in the search box, and most values of one filter. */
const MAX_Q = 500;
const MAX_VALUES = 20;

const TYPES: readonly IndexType[] = ['dataset', 'series', 'service'];
/** Orders of the results the page offers (those of searchRecords); without words, relevance is title order. */
export const SORTS: readonly SortName[] = ['relevance', 'date', 'title'];

/**
 * The facets the page shows, in order: its URL parameter, the facet of SearchResult.facets it reads, its label, and
 * the SearchParams field that filters by it. A facet without `filter` is shown with its counts but its values are
 * not links (searchRecords does not filter by it yet); a facet that the result does not carry (`rating` before
 * records have FAIR scores) is not shown at all.
 */
export const FACETS: readonly FacetSpec[] = [
  { param: 'theme', facet: 'theme', label: 'facet.themes', filter: 'theme' },
  { param: 'category', facet: 'variableCategory', label: 'facet.category', filter: 'variableCategory' },
  { param: 'keyword', facet: 'keyword', label: 'facet.keywords', filter: 'keyword' },
  { param: 'type', facet: 'type', label: 'facet.type', filter: 'type' },
  { param: 'source', facet: 'source', label: 'facet.source', filter: 'source' },
  { param: 'format', facet: 'format', label: 'facet.formats', filter: 'format' },
  { param: 'licence', facet: 'licence', label: 'facet.licence', filter: 'licence' },
  { param: 'rating', facet: 'rating', label: 'facet.rating', filter: 'rating' },
  { param: 'publisher', facet: 'publisher', label: 'facet.publisher', filter: 'publisher' },
];

export interface FacetSpec {
  /** URL parameter. */
  param: string;
  /** Key of SearchResult.facets (names not yet in FacetName are read when present). */
  facet: FacetName | (string & {});
  label: MessageKey;
  /** The SearchParams field filtering by this facet, when searchRecords has one. */
  filter?: 'theme' | 'keyword' | 'source' | 'type' | 'variableCategory' | 'format' | 'licence' | 'rating' | 'publisher';
}

/** The catalogue page's query, as read from its URL. */
export interface CatalogueQuery {
  q?: string;
  bbox?: [number, number, number, number];
  from?: string;
  to?: string;
  /** Values of each filter parameter (FACETS[].param with a filter). */
  filters: Record<string, string[]>;
  /** Order of the results; absent: relevance with words, else title. */
  sort?: SortName;
  /** 1-based. */
  page: number;
}

type Raw = Record<string, string | string[] | undefined>;

function values(raw: Raw, name: string): string[] {
  const v = raw[name];
  const list = (v === undefined ? [] : Array.isArray(v) ? v : [v]).map((s) => s.trim()).filter((s) => s !== '');
  if (list.length > MAX_VALUES) throw new UsageError(`${name} may be given at most ${MAX_VALUES} times (got ${list.length})`, name);
  return list;
}

function single(raw: Raw, name: string): string | undefined {
  const list = values(raw, name);
  if (list.length > 1) throw new UsageError(`${name} may be given once (got ${list.length} values)`, name);
  return list[0];
}

/** A box typed as "west,south,east,north" (spaces allowed); a UsageError naming `bbox` when it is not one. */
export function parseBbox(text: string): [number, number, number, number] {
  const parts = text.split(/\s*,\s*|\s+/).filter((s) => s !== '');
  const nums = parts.map((p) => (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(p) ? Number(p) : NaN));
  const problem = bboxProblem(nums);
  if (problem) throw new UsageError(`${problem} (write it as west,south,east,north, e.g. -5.2,47.3,-1,48.9)`, 'bbox');
  return nums as [number, number, number, number];
}

/** Reads the page's query from the request's query string; a UsageError naming the parameter when one is unusable. */
export function parseQuery(raw: Raw): CatalogueQuery {
  const q = single(raw, 'q');
  if (q !== undefined && q.length > MAX_Q) throw new UsageError(`q is too long: at most ${MAX_Q} characters (got ${q.length})`, 'q');
  const bboxText = single(raw, 'bbox');
  const pageText = single(raw, 'page') ?? '1';
  if (!/^\d{1,6}$/.test(pageText) || Number(pageText) < 1)
    throw new UsageError(`page must be a whole number from 1 (got "${pageText}")`, 'page');
  const page = Number(pageText);
  if ((page - 1) * PAGE_SIZE >= MAX_WINDOW)
    throw new UsageError(`page ${page} is beyond the ${MAX_WINDOW.toLocaleString('en')} records that can be paged through`, 'page');
  const sort = single(raw, 'sort');
  if (sort !== undefined && !(SORTS as readonly string[]).includes(sort))
    throw new UsageError(`sort must be one of ${SORTS.join(', ')} (got "${sort}")`, 'sort');
  const filters: Record<string, string[]> = {};
  for (const f of FACETS) {
    if (!f.filter) continue;
    const list = values(raw, f.param);
    if (f.filter === 'type') {
      const bad = list.find((v) => !(TYPES as readonly string[]).includes(v));
      if (bad !== undefined) throw new UsageError(`type must be one of ${TYPES.join(', ')} (got "${bad}")`, 'type');
    }
    if (list.length) filters[f.param] = [...new Set(list)];
  }
  return {
    ...(q !== undefined ? { q } : {}),
    ...(bboxText !== undefined ? { bbox: parseBbox(bboxText) } : {}),
    ...(single(raw, 'from') !== undefined ? { from: single(raw, 'from') } : {}),
    ...(single(raw, 'to') !== undefined ? { to: single(raw, 'to') } : {}),
    filters,
    ...(sort !== undefined ? { sort: sort as SortName } : {}),
    page,
  };
}

/** The last page of a result of `total` records within the pageable window (1 when there is none). */
export function lastPage(total: number): number {
  return Math.max(1, Math.ceil(Math.min(total, MAX_WINDOW) / PAGE_SIZE));
}

/** A UsageError naming `page` when the query's page is past the last page of a result of `total` records. */
export function checkPage(query: CatalogueQuery, total: number): void {
  const last = lastPage(total);
  if (query.page > last)
    throw new UsageError(
      `page ${query.page} is past the last page (${last}): ${total.toLocaleString('en')} ${total === 1 ? 'record matches' : 'records match'}`,
      'page',
    );
}

/**
 * What searchRecords is asked for this page (dates are checked there, naming `from` or `to`); `lang`, the page's
 * language, is the one the search prefers for the labels of themes and the snippets.
 */
export function searchParams(query: CatalogueQuery, lang?: string): SearchParams {
  const params: SearchParams = {
    size: PAGE_SIZE,
    offset: (query.page - 1) * PAGE_SIZE,
    aggs: true,
    facetSize: FACET_SIZE,
    ...(lang ? { lang } : {}),
    ...(query.q !== undefined ? { q: query.q } : {}),
    ...(query.bbox ? { bbox: query.bbox } : {}),
    ...(query.from !== undefined ? { from: query.from } : {}),
    ...(query.to !== undefined ? { to: query.to } : {}),
    ...(query.sort !== undefined ? { sort: query.sort } : {}),
  };
  for (const f of FACETS) {
    const list = f.filter ? query.filters[f.param] : undefined;
    if (!f.filter || !list?.length) continue;
    if (f.filter === 'type') params.type = list as IndexType[];
    else params[f.filter] = list;
  }
  return params;
}

/** The facets of a result in page order, those the result carries only. */
export function facetsOf(result: SearchResult): { spec: FacetSpec; buckets: FacetValue[] }[] {
  const all = (result.facets ?? {}) as Record<string, FacetValue[] | undefined>;
  return FACETS.flatMap((spec) => {
    const buckets = all[spec.facet];
    return buckets ? [{ spec, buckets }] : [];
  });
}

/** The URL of the catalogue page for `query` (parameters in a stable order; page 1 and empty values left out). */
export function catalogueUrl(query: CatalogueQuery, lang?: string): string {
  const p = new URLSearchParams();
  if (query.q) p.set('q', query.q);
  if (query.bbox) p.set('bbox', query.bbox.join(','));
  if (query.from) p.set('from', query.from);
  if (query.to) p.set('to', query.to);
  for (const f of FACETS) for (const v of query.filters[f.param] ?? []) p.append(f.param, v);
  if (query.sort) p.set('sort', query.sort);
  if (query.page > 1) p.set('page', String(query.page));
  if (lang) p.set('lang', lang);
  const s = p.toString();
  return s ? `${PATHS.catalogue}?${s}` : PATHS.catalogue;
}

/** The query with one filter value added or removed (back to page 1). */
export function toggleFilter(query: CatalogueQuery, param: string, value: string): CatalogueQuery {
  const current = query.filters[param] ?? [];
  const next = current.includes(value) ? current.filter((v) => v !== value) : [...current, value];
  const filters = { ...query.filters, [param]: next };
  if (next.length === 0) delete filters[param];
  return { ...query, filters, page: 1 };
}

/** The query without one of its plain parameters (back to page 1). */
export function without(query: CatalogueQuery, key: 'q' | 'bbox' | 'from' | 'to'): CatalogueQuery {
  const { [key]: _gone, ...rest } = query;
  return { ...rest, page: 1 };
}

/** Whether the query filters anything at all. */
export function isEmpty(query: CatalogueQuery): boolean {
  return !query.q && !query.bbox && !query.from && !query.to && Object.keys(query.filters).length === 0;
}
