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
  bboxFault,
  bboxProblem,
  userDateBounds,
  type FacetName,
  type FacetValue,
  type SearchParams,
  type SearchResult,
  type SortName,
} from '../../pipelines/search.js';
import type { IndexType } from '../../mappings/index-doc.js';
import { hubIdIri } from '../../schemas/record.js';
import { translator, type Lang, type MessageKey, type Translate } from './i18n.js';
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
  { param: 'language', facet: 'language', label: 'facet.language', filter: 'language' },
  // a filter without a facet: the records that are part of a record (its page links here past the ones it lists)
  { param: 'partOf', facet: 'partOf', label: 'facet.partOf', filter: 'partOf' },
];

export interface FacetSpec {
  /** URL parameter. */
  param: string;
  /** Key of SearchResult.facets (names not yet in FacetName are read when present). */
  facet: FacetName | (string & {});
  label: MessageKey;
  /** The SearchParams field filtering by this facet, when searchRecords has one. */
  filter?:
    'theme' | 'keyword' | 'source' | 'type' | 'variableCategory' | 'format' | 'licence' | 'rating' | 'publisher' | 'language' | 'partOf';
}

/** The catalogue page's query, as read from its URL. */
export interface CatalogueQuery {
  q?: string;
  bbox?: [number, number, number, number];
  /** A box as typed when it is not one (only in the query of a QueryFault: the form shows it back to be mended). */
  bboxText?: string;
  from?: string;
  to?: string;
  /** Values of each filter parameter (FACETS[].param with a filter). */
  filters: Record<string, string[]>;
  /** Order of the results; absent: relevance with words, else title. */
  sort?: SortName;
  /** 1-based. */
  page: number;
}

/**
 * A parameter of the page's URL that cannot be used: a UsageError naming it, whose message is the English sentence
 * (what a client asking JSON gets), and which the page says in its own language (`say`). `query` is what the URL
 * holds that can be shown back: the words, dates and box as typed, the filters that are usable, so that the form
 * the page shows again keeps them for the user to mend.
 */
export class QueryFault extends UsageError {
  constructor(
    param: string,
    readonly say: (tr: Translate) => string,
    readonly query: CatalogueQuery,
  ) {
    super(say(translator('en')), param);
  }
  /** The sentence in the page's language. */
  in(lang: Lang): string {
    return this.say(translator(lang));
  }
}

type Raw = Record<string, string | string[] | undefined>;

/** A parameter as the form names it (its label), for the sentences saying what is wrong with it. */
function fieldLabel(tr: Translate, param: string): string {
  const facet = FACETS.find((f) => f.param === param);
  if (facet) return tr(facet.label);
  const keys: Record<string, MessageKey> = {
    q: 'search.q',
    from: 'search.from',
    to: 'search.to',
    bbox: 'field.bbox',
    sort: 'field.sort',
    page: 'field.page',
  };
  return keys[param] ? tr(keys[param]) : param;
}

function values(raw: Raw, name: string): string[] {
  const v = raw[name];
  return (v === undefined ? [] : Array.isArray(v) ? v : [v]).map((s) => s.trim()).filter((s) => s !== '');
}

/** A box typed as "west,south,east,north" (spaces allowed); a UsageError naming `bbox` when it is not one. */
export function parseBbox(text: string): [number, number, number, number] {
  const nums = boxNumbers(text);
  const fault = bboxFault(nums);
  if (fault) throw new QueryFault('bbox', (tr) => tr('query.bbox', fault, bboxProblem(nums)!), { bboxText: text, filters: {}, page: 1 });
  return nums as [number, number, number, number];
}

function boxNumbers(text: string): number[] {
  const parts = text.split(/\s*,\s*|\s+/).filter((s) => s !== '');
  return parts.map((p) => (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(p) ? Number(p) : NaN));
}

/**
 * Reads the page's query from the request's query string; a QueryFault naming the first parameter that is unusable
 * (checked in the order of the form: words, box, dates, filters, order, page), with what can be shown back.
 */
export function parseQuery(raw: Raw): CatalogueQuery {
  // first what the URL holds, as typed (the first of repeated values), so that a fault can show it back
  const first = (name: string) => values(raw, name)[0];
  const shown: CatalogueQuery = { filters: {}, page: 1 };
  const q = first('q');
  if (q !== undefined) shown.q = q;
  for (const name of ['from', 'to'] as const) if (first(name) !== undefined) shown[name] = first(name);
  const bboxText = first('bbox');
  if (bboxText !== undefined) shown.bboxText = bboxText;
  for (const f of FACETS) {
    const usable = values(raw, f.param).filter((v) => f.filter && (f.filter !== 'type' || (TYPES as readonly string[]).includes(v)));
    if (usable.length) shown.filters[f.param] = [...new Set(usable)].slice(0, MAX_VALUES);
  }
  const sort = first('sort');
  if (sort !== undefined && (SORTS as readonly string[]).includes(sort)) shown.sort = sort as SortName;
  const fault = (param: string, say: (tr: Translate) => string): never => {
    throw new QueryFault(param, say, shown);
  };

  for (const name of ['q', 'bbox', 'from', 'to', 'sort', 'page']) {
    const n = values(raw, name).length;
    if (n > 1) fault(name, (tr) => tr('query.once', name, fieldLabel(tr, name), n));
  }
  if (q !== undefined && q.length > MAX_Q) fault('q', (tr) => tr('query.long', MAX_Q, q.length));
  if (bboxText !== undefined) {
    const nums = boxNumbers(bboxText);
    const box = bboxFault(nums);
    if (box) fault('bbox', (tr) => tr('query.bbox', box, bboxProblem(nums)!));
    shown.bbox = nums as [number, number, number, number];
    delete shown.bboxText;
  }
  // the dates as searchRecords reads them (it checks them again for its other callers)
  const bounds: Partial<Record<'from' | 'to', { start: string; end: string }>> = {};
  for (const name of ['from', 'to'] as const) {
    const value = shown[name];
    if (value === undefined) continue;
    try {
      bounds[name] = userDateBounds(value, name);
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      fault(name, (tr) => tr('query.date', name, fieldLabel(tr, name), value, err.message));
    }
  }
  if (bounds.from && bounds.to && bounds.from.start > bounds.to.end) fault('from', (tr) => tr('query.reversed', shown.from!, shown.to!));

  for (const f of FACETS) {
    if (!f.filter) continue;
    const list = values(raw, f.param);
    if (list.length > MAX_VALUES) fault(f.param, (tr) => tr('query.tooMany', f.param, fieldLabel(tr, f.param), MAX_VALUES, list.length));
    const bad = f.filter === 'type' ? list.find((v) => !(TYPES as readonly string[]).includes(v)) : undefined;
    if (bad !== undefined) fault('type', (tr) => tr('query.type', bad, TYPES));
    const notId = f.filter === 'partOf' ? list.find((v) => !hubIdIri(v)) : undefined;
    if (notId !== undefined) fault('partOf', (tr) => tr('query.partOf', notId));
  }
  if (sort !== undefined && !shown.sort) fault('sort', (tr) => tr('query.sort', sort, SORTS));
  const pageText = first('page') ?? '1';
  if (!/^\d{1,6}$/.test(pageText) || Number(pageText) < 1) fault('page', (tr) => tr('query.page', pageText));
  const page = Number(pageText);
  if ((page - 1) * PAGE_SIZE >= MAX_WINDOW) fault('page', (tr) => tr('query.window', page, MAX_WINDOW));
  return { ...shown, page };
}

/** The last page of a result of `total` records within the pageable window (1 when there is none). */
export function lastPage(total: number): number {
  return Math.max(1, Math.ceil(Math.min(total, MAX_WINDOW) / PAGE_SIZE));
}

/** A QueryFault naming `page` when the query's page is past the last page of a result of `total` records. */
export function checkPage(query: CatalogueQuery, total: number): void {
  const last = lastPage(total);
  if (query.page > last) throw new QueryFault('page', (tr) => tr('query.past', query.page, last, total), query);
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
