/**
 * Search of the record index (fields of mappings/es-index.ts): the one function the CLI (`harvester search`), the
 * HTTP API (`GET /search`, OGC API - Records) and the catalogue pages call. Built only on what the minimal node has:
 * - text (pipelines/search-text.ts): folded by core/fold.ts exactly like the documents; words, phrases, prefixes,
 *   exclusions; typing mistakes forgiven by a second, fuzzy search when the first finds nothing;
 * - place: a box intersects a record's box when, on some pair of parts (query parts × record parts, a box crossing
 *   the antimeridian being split in two on both sides), west <= other east, east >= other west, south <= other
 *   north and north >= other south: four range queries on doubles;
 * - time: `time` (date_range) intersects [from, to]; either end may be left open, and so may the record's; year and
 *   month precision are whole periods ("2019" .. "2019" is the whole year);
 * - facets: terms aggregations. Values within one facet are alternatives (OR), facets combine with AND; each facet's
 *   counts are those of the records matching every OTHER facet filter (its own filter left out), so that a list of
 *   checkboxes shows what ticking one more value would add ("disjunctive" facets: the filters then go to
 *   `post_filter`);
 * - paging: `offset` within the first 10,000 hits, and past them a cursor (pipelines/search-cursor.ts) read with
 *   `search_after` on a sort that always ends with the record id (a total order).
 * A parameter that cannot be used is a UsageError naming it (`param`): the CLI exits 2, the server answers 400.
 */
import { conceptLabels } from '../core/vocab.js';
import { errors, type Client, type estypes } from '@elastic/elasticsearch';
import type { HubRecord, DateLiteral, LangMap, Concept, PeriodOfTime } from '../schemas/record.js';
import { hubIdIri } from '../schemas/record.js';
import { dateBounds } from '../core/dates.js';
import { UsageError } from '../core/result.js';
import { bareDoi, splitBox, type Box, type DupState, type IndexType } from '../mappings/index-doc.js';
import { decodeCursor, encodeCursor, queryKey, type Cursor } from './search-cursor.js';
import {
  hasTerms,
  hasText,
  highlight,
  highlightTerms,
  parseUserQuery,
  textClauses,
  type HighlightTerms,
  type TextQuery,
} from './search-text.js';

/**
 * The field the FAIR rating is indexed in: `quality.rating`, the MQA rating (excellent, good, sufficient, bad) that the
 * harvest's scoring (branch `validate`, mappings/fair) adds to index documents. Until an index holds it, the facet is
 * empty and filtering by it finds nothing.
 */
export const RATING_FIELD = 'quality.rating';
/** Theia/OZCAR variable categories are themes whose IRI starts with this (mappings/ozcar/codes.ts). */
export const VARIABLE_CATEGORY_BASE = 'https://w3id.org/ozcar-theia/';
/** Elasticsearch's result window (index.max_result_window): `offset + size` may not pass it; a cursor goes further. */
export const RESULT_WINDOW = 10_000;
/** Most hits in one page. */
export const MAX_SIZE = 1000;
/** Most values of one filter parameter (e.g. theme=...&theme=...). */
export const MAX_VALUES = 100;

export type SortName = 'relevance' | 'date' | 'title';
/** A sort key of the OGC API `sortby` form: a sortable field and an order. */
export interface SortKey {
  by: 'title' | 'updated' | 'issued' | 'start' | 'end' | 'relevance';
  order: 'asc' | 'desc';
}

export interface SearchParams {
  /** What a user types: words (all required), "phrases", prefix*, -excluded (pipelines/search-text.ts). */
  q?: string;
  /** Alternatives, each a phrase: a record matches one of them (OGC API - Records `q=a b,c`). */
  anyPhrase?: string[];
  /** [west, south, east, north] in degrees (CRS84); west > east crosses the antimeridian. */
  bbox?: [number, number, number, number];
  /** Start of the time window: YYYY, YYYY-MM, YYYY-MM-DD or a date-time; absent: open. */
  from?: string;
  /** End of the time window (same forms; a year or month means its end); absent: open. */
  to?: string;
  /** Theme concept IRI(s) or label(s): a record matches one of them. */
  theme?: string | string[];
  /** Keyword(s), case-insensitive: a record matches one of them. */
  keyword?: string | string[];
  source?: string | string[];
  type?: IndexType | IndexType[];
  /** Format label(s) or media type(s), as the `format` facet shows them. */
  format?: string | string[];
  /** Licence label(s) or IRI(s), as the `licence` facet shows them. */
  licence?: string | string[];
  /** FAIR rating(s) (excellent, good, sufficient, bad) once the index holds them. */
  rating?: string | string[];
  /** Theia/OZCAR variable category IRI(s) or label(s). */
  variableCategory?: string | string[];
  publisher?: string | string[];
  /** Resource language code(s) as the index holds them (FRA, ENG...). */
  language?: string | string[];
  /** Hub record ids (`source:identifier`). */
  ids?: string[];
  /** Hub record ids: the records naming one of them as their parent or series (dct:isPartOf, dcat:inSeries). */
  partOf?: string | string[];
  /** External identifiers: `value`, `scheme:value` or `scheme:` (a DOI in any spelling). */
  externalIds?: string[];
  /** Index queries every hit also matches: a CQL2 filter as pipelines/cql2-query.ts builds it. */
  where?: Record<string, unknown>[];
  /** Order of the hits; default relevance when there is text, else title. */
  sort?: SortName | SortKey[];
  /** Hits returned; default 10, 0..1000. */
  size?: number;
  /** Hits skipped (paging within the first 10,000); default 0. Not with `cursor`. */
  offset?: number;
  /** The `next` or `prev` cursor of a previous answer to the same search: pages at any depth. */
  cursor?: string;
  /** Return facets and the start-year histogram; default false. */
  aggs?: boolean;
  /** Values per facet; default 20, 1..200. */
  facetSize?: number;
  /** Typing mistakes: `auto` (default) searches again with fuzzy words when the words find nothing; `off` never. */
  fuzzy?: 'auto' | 'off';
  /** Preferred language of titles and snippets (a language-map key: fr, en...); default fr, then en. */
  lang?: string;
  /** Include each hit's whole stored record (`record`); default true. The HTTP API asks for summaries only. */
  record?: boolean;
}

/** A hit as a result list shows it. */
export interface SearchSummary {
  id: string;
  score: number | null;
  source: string;
  type: IndexType;
  /** The title in the preferred language. */
  title: string;
  /** The title as safe HTML, the words searched for in <mark>. */
  titleHtml: string;
  /** Part of the description as safe HTML, the words searched for in <mark> (the part where they are). */
  snippet?: string;
  /** [west, south, east, north]; west > east when the box crosses the antimeridian. */
  bbox?: [number, number, number, number];
  /** The record's time extent as its dates were written (YYYY, YYYY-MM, date or date-time); null: open. */
  time?: { start: string | null; end: string | null };
  /** First graphic overview (URL). */
  thumbnail?: string;
  /** FAIR rating, when the index holds one. */
  rating?: string;
  /** The same dataset as harvested from other sources: their copies, reachable by id (docs/duplicates.md). */
  alsoFrom?: CopyRef[];
  /** On a copy that is not the one shown (asked for by `ids`): the copy shown. */
  copyOf?: CopyRef;
}

/** Another source's copy of a record's dataset. */
export interface CopyRef {
  /** Hub id `source:identifier`. */
  id: string;
  source: string;
}

/** The copy a hub id names (`source:identifier`: a source id holds no colon). */
export function copyRef(id: string): CopyRef {
  const at = id.indexOf(':');
  return { id, source: at > 0 ? id.slice(0, at) : id };
}

/** The copies of a stored record's `dup` as the API shows them. */
export function copiesOf(dup: DupState | null | undefined): { alsoFrom?: CopyRef[]; copyOf?: CopyRef } {
  if (!dup) return {};
  return {
    ...(dup.also && dup.also.length > 0 ? { alsoFrom: dup.also.map(copyRef) } : {}),
    ...(dup.primary === false && dup.of ? { copyOf: copyRef(dup.of) } : {}),
  };
}

/** A hit with its whole stored record (the default; `record: false` asks for summaries only). */
export interface SearchHit extends SearchSummary {
  record: HubRecord;
}

export const FACETS = {
  theme: 'themes',
  variableCategory: 'themes',
  keyword: 'keywords',
  source: 'source',
  type: 'type',
  format: 'formats',
  licence: 'licence',
  rating: RATING_FIELD,
  publisher: 'publisher',
  language: 'language',
} as const;
export type FacetName = keyof typeof FACETS;
export const FACET_NAMES = Object.keys(FACETS) as FacetName[];

export interface FacetValue {
  key: string;
  count: number;
  /** A readable label, for facets whose keys are IRIs (themes, variable categories). */
  label?: string;
  /**
   * The language of `label`, when the concept's label map says it (absent for an untagged label): the pages mark a
   * label in another language than theirs. Not in the search API's JSON (api/routes/search.ts lists what it sends).
   */
  labelLang?: string;
}

export interface SearchResult<H extends SearchSummary = SearchHit> {
  /** Records matching (exact). */
  total: number;
  /** Position (0-based) of the first hit of this page in the whole result list. */
  offset: number;
  hits: H[];
  /** Cursor of the next page; absent on the last page. */
  next?: string;
  /** Cursor of the previous page; absent on the first page. */
  prev?: string;
  /** true when nothing matched as typed and the hits are those of the typing-tolerant search. */
  fuzzy?: boolean;
  facets?: Record<FacetName, FacetValue[]>;
  /** Records per year of their start date (with every filter applied). */
  startYears?: { year: string; count: number }[];
}

type Query = Record<string, unknown>;

function list<T>(v: T | T[] | undefined): T[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

// --------------------------------------------------------------------------------------------- parameter checks

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
  if (!b || Number.isNaN(Date.parse(b.start)) || !sameCalendarDay(value, b.start, type)) {
    throw new UsageError(`${param} must be a date: YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm:ss[Z|±hh:mm] (got "${value}")`, param);
  }
  return b;
}

/** 2019-02-30 parses in JavaScript as 2019-03-02: a day (or hour) that does not exist is not a date. */
function sameCalendarDay(value: string, start: string, type: DateLiteral['@type']): boolean {
  if (type === 'xsd:gYear') return true;
  if (type === 'xsd:gYearMonth') return /^\d{4}-(0[1-9]|1[0-2])$/.test(value);
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2}))?/.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const day = new Date(0);
  day.setUTCFullYear(y, mo - 1, d); // (Date.UTC would read years 0-99 as 1900-1999)
  const dayOk = day.getUTCFullYear() === y && day.getUTCMonth() === mo - 1 && day.getUTCDate() === d;
  const timeOk = m[4] === undefined || (Number(m[4]) <= 23 && Number(m[5]) <= 59 && Number(m[6]) <= 60);
  return dayOk && timeOk && !Number.isNaN(Date.parse(start));
}

/** What is wrong with a box [west, south, east, north], naming the coordinate at fault (bboxProblem says it). */
export type BboxFault =
  | { kind: 'count'; count: number }
  | { kind: 'number' | 'longitude' | 'latitude'; coord: 'west' | 'south' | 'east' | 'north'; value: number }
  | { kind: 'order'; south: number; north: number };

/** What is wrong with a box [west, south, east, north]; undefined when it is one. */
export function bboxFault(bbox: readonly number[]): BboxFault | undefined {
  if (bbox.length !== 4) return { kind: 'count', count: bbox.length };
  const coords = ['west', 'south', 'east', 'north'] as const;
  const bad = bbox.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) return { kind: 'number', coord: coords[bad], value: bbox[bad] };
  for (const i of [0, 2]) if (bbox[i] < -180 || bbox[i] > 180) return { kind: 'longitude', coord: coords[i], value: bbox[i] };
  for (const i of [1, 3]) if (bbox[i] < -90 || bbox[i] > 90) return { kind: 'latitude', coord: coords[i], value: bbox[i] };
  if (bbox[1] > bbox[3]) return { kind: 'order', south: bbox[1], north: bbox[3] };
  return undefined;
}

/** Why a box [west, south, east, north] is not one, naming the coordinate at fault; undefined when it is one. */
export function bboxProblem(bbox: readonly number[]): string | undefined {
  const f = bboxFault(bbox);
  if (!f) return undefined;
  switch (f.kind) {
    case 'count':
      return `bbox must be 4 numbers [west, south, east, north] (got ${f.count})`;
    case 'number':
      return `bbox ${f.coord} must be a number (got ${String(f.value)})`;
    case 'longitude':
      return `bbox ${f.coord} ${f.value} is not a longitude: it must be from -180 to 180`;
    case 'latitude':
      return `bbox ${f.coord} ${f.value} is not a latitude: it must be from -90 to 90`;
    case 'order':
      return `bbox south ${f.south} is north of north ${f.north}: the order is west, south, east, north`;
  }
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

/** Values of a filter parameter: non-empty strings, at most MAX_VALUES of them, each at most 512 characters. */
function values(v: string | string[] | undefined, param: string): string[] {
  const out = list(v);
  if (out.length > MAX_VALUES) throw new UsageError(`${param} takes at most ${MAX_VALUES} values (got ${out.length})`, param);
  for (const s of out) {
    if (typeof s !== 'string' || s.trim() === '') throw new UsageError(`${param} must not be empty`, param);
    if (s.length > 512) throw new UsageError(`${param} values must be at most 512 characters`, param);
  }
  return out;
}

function wholeNumber(v: number | undefined, fallback: number, param: string, min: number, max: number): number {
  const n = v ?? fallback;
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`${param} must be a whole number from ${min} to ${max} (got ${String(v)})`, param);
  return n;
}

const SORT_NAMES: SortName[] = ['relevance', 'date', 'title'];
const SORT_FIELDS: Record<SortKey['by'], string> = {
  relevance: '_score',
  title: 'title_sort',
  updated: 'modified',
  issued: 'issued',
  start: 'time_start',
  end: 'time_end',
};
export const SORTABLES = Object.keys(SORT_FIELDS) as SortKey['by'][];

/** The sort keys of a sort name (the id is added last, always). */
function sortKeys(sort: SearchParams['sort'], text: boolean): SortKey[] {
  if (Array.isArray(sort)) {
    for (const k of sort)
      if (!SORTABLES.includes(k.by) || (k.order !== 'asc' && k.order !== 'desc'))
        throw new UsageError(`sort by ${String(k.by)} is not possible: sortable are ${SORTABLES.join(', ')}`, 'sort');
    return sort;
  }
  const name = sort ?? (text ? 'relevance' : 'title');
  if (!SORT_NAMES.includes(name)) throw new UsageError(`sort must be one of ${SORT_NAMES.join(', ')} (got "${String(name)}")`, 'sort');
  switch (name) {
    case 'relevance':
      return text
        ? [
            { by: 'relevance', order: 'desc' },
            { by: 'title', order: 'asc' },
          ]
        : [{ by: 'title', order: 'asc' }];
    case 'date':
      // newest first: last modification, then issue date (records without either come last, by title)
      return [
        { by: 'updated', order: 'desc' },
        { by: 'issued', order: 'desc' },
        { by: 'title', order: 'asc' },
      ];
    case 'title':
      return [{ by: 'title', order: 'asc' }];
  }
}

/** Earliest and latest instants an index date holds (epoch ms), exact as JSON numbers. */
const MIN_DATE_MS = Date.parse('0001-01-01T00:00:00.000Z');
const MAX_DATE_MS = Date.parse('9999-12-31T23:59:59.999Z');

/**
 * The Elasticsearch sort of the keys (then the id), reversed for a `prev` cursor. Records without a value come last
 * in the forward order: a date sort puts them at an explicit instant beyond every real one rather than `_last`,
 * whose sort value (Long.MIN_VALUE) does not survive a JSON number in JavaScript and so could not be given back in
 * `search_after`.
 */
function esSort(keys: SortKey[], reverse: boolean): Query[] {
  const flip = (o: 'asc' | 'desc'): 'asc' | 'desc' => (reverse ? (o === 'asc' ? 'desc' : 'asc') : o);
  const out: Query[] = keys.map((k) => {
    if (k.by === 'relevance') return { _score: { order: flip(k.order) } };
    const field = SORT_FIELDS[k.by];
    if (field === 'title_sort') return { [field]: { order: flip(k.order), missing: reverse ? '_first' : '_last' } };
    return { [field]: { order: flip(k.order), missing: k.order === 'desc' ? MIN_DATE_MS : MAX_DATE_MS } };
  });
  out.push({ id: { order: flip('asc') } });
  return out;
}

// ------------------------------------------------------------------------------------------------ the request

/** Everything checked and read: what searchBody and searchRecords work with. */
interface Plan {
  text: TextQuery;
  /** Filters that select (query), and those of the facets (post_filter when facets are asked). */
  base: Query[];
  facetFilters: Partial<Record<FacetName, Query>>;
  sort: SortKey[];
  size: number;
  offset: number;
  cursor?: Cursor;
  key: string;
  aggs: boolean;
  facetSize: number;
  fuzzy: 'auto' | 'off';
  lang?: string;
  record: boolean;
}

const anyOf = (field: string, vals: string[]): Query => ({ terms: { [field]: vals } });
// none of no values: a bool of no should clauses would match every record
const anyOfIgnoringCase = (field: string, vals: string[]): Query =>
  vals.length === 0
    ? { match_none: {} }
    : { bool: { should: vals.map((v) => ({ term: { [field]: { value: v, case_insensitive: true } } })), minimum_should_match: 1 } };
/** An IRI or its label: themes and variable categories are filtered by either. */
const iriOrLabel = (vals: string[]): Query => ({
  bool: { should: [{ terms: { themes: vals } }, { terms: { theme_labels: vals } }], minimum_should_match: 1 },
});

/** The terms an external id is searched by: as given, and a DOI in any spelling as `doi:<bare DOI>`. */
function externalIdTerms(v: string): string[] {
  const doi = bareDoi(v.replace(/^doi:/i, ''));
  const schemed = /^([^:/]+):(.*)$/.exec(v);
  const out = [schemed ? `${schemed[1].toLowerCase()}:${schemed[2]}` : v];
  if (doi) out.push(`doi:${doi}`, doi);
  return out;
}

/** The records a result list shows: all but the copies of a dataset whose primary is another source's record. */
export const SHOWN_COPIES: Query = { bool: { must_not: [{ term: { 'dup.primary': false } }] } };

function plan(params: SearchParams): Plan {
  const size = wholeNumber(params.size, 10, 'size', 0, MAX_SIZE);
  const facetSize = wholeNumber(params.facetSize, 20, 'facetSize', 1, 200);
  if (params.cursor !== undefined && params.offset !== undefined && params.offset !== 0)
    throw new UsageError('give either a cursor or an offset (page), not both', 'cursor');
  const offset = wholeNumber(params.offset, 0, 'offset', 0, RESULT_WINDOW);
  if (offset + size > RESULT_WINDOW)
    throw new UsageError(
      `page too deep: hits ${offset + 1}-${offset + size} pass the ${RESULT_WINDOW.toLocaleString('en-US')}th; follow the "next" cursor to page further`,
      'offset',
    );
  if (params.fuzzy !== undefined && params.fuzzy !== 'auto' && params.fuzzy !== 'off')
    throw new UsageError(`fuzzy must be auto or off (got "${String(params.fuzzy)}")`, 'fuzzy');
  if (params.lang !== undefined && !/^([a-z]{2,3}(-[A-Za-z0-9]{1,8})*|@none)$/.test(params.lang))
    throw new UsageError(`lang must be a language code such as fr or en (got "${params.lang}")`, 'lang');

  const text = parseUserQuery(params.q, 'q', values(params.anyPhrase, 'q'));
  const base: Query[] = [];
  if (params.bbox) base.push(bboxQuery(params.bbox));
  if (params.from !== undefined || params.to !== undefined) {
    const gte = params.from !== undefined ? userDateBounds(params.from, 'from').start : undefined;
    const lte = params.to !== undefined ? userDateBounds(params.to, 'to').end : undefined;
    if (gte !== undefined && lte !== undefined && gte > lte)
      throw new UsageError(`from (${params.from}) is after to (${params.to}): the time window is reversed`, 'from');
    base.push({ range: { time: { ...(gte ? { gte } : {}), ...(lte ? { lte } : {}), relation: 'intersects' } } });
  }
  if (params.ids !== undefined) base.push(anyOf('id', values(params.ids, 'ids')));
  // one dataset harvested from several sources is listed once, by its primary copy (pipelines/duplicates.ts); records
  // asked for by id are found whichever copy they are
  else base.push(SHOWN_COPIES);
  if (params.partOf !== undefined) {
    const parents = values(params.partOf, 'partOf');
    const bad = parents.find((id) => !hubIdIri(id));
    if (bad !== undefined) throw new UsageError(`partOf must be hub record ids, source:identifier (got "${bad}")`, 'partOf');
    base.push(
      anyOf(
        'part_of',
        parents.map((id) => hubIdIri(id)!),
      ),
    );
  }
  if (params.externalIds !== undefined) {
    const ext = values(params.externalIds, 'externalIds').flatMap(externalIdTerms);
    base.push(anyOfIgnoringCase('external_ids', [...new Set(ext)]));
  }
  if (params.where) base.push(...params.where);

  const facetFilters: Partial<Record<FacetName, Query>> = {};
  const theme = values(params.theme, 'theme');
  if (theme.length) facetFilters.theme = iriOrLabel(theme);
  const cat = values(params.variableCategory, 'variableCategory');
  if (cat.length) facetFilters.variableCategory = iriOrLabel(cat.map((c) => (/^[A-Za-z0-9]+$/.test(c) ? VARIABLE_CATEGORY_BASE + c : c)));
  const keyword = values(params.keyword, 'keyword');
  if (keyword.length) facetFilters.keyword = anyOfIgnoringCase('keywords', keyword);
  const types = values(params.type, 'type');
  for (const t of types)
    if (!['dataset', 'series', 'service'].includes(t)) throw new UsageError(`type must be dataset, series or service (got "${t}")`, 'type');
  if (types.length) facetFilters.type = anyOf('type', types);
  for (const name of ['source', 'format', 'licence', 'rating', 'publisher', 'language'] as const) {
    const v = values(params[name], name);
    if (v.length) facetFilters[name] = anyOf(FACETS[name], v);
  }

  const sort = sortKeys(params.sort, hasText(text));
  // what defines the result list (not the page): a cursor is only valid with the same
  const key = queryKey([text, base, facetFilters, sort, params.fuzzy ?? 'auto']);
  const cursor = params.cursor !== undefined ? decodeCursor(params.cursor, key) : undefined;
  return {
    text,
    base,
    facetFilters,
    sort,
    size,
    offset: cursor ? cursor.offset : offset,
    cursor,
    key,
    aggs: params.aggs ?? false,
    facetSize,
    fuzzy: params.fuzzy ?? 'auto',
    lang: params.lang,
    record: params.record ?? true,
  };
}

/** What a hit's _source holds for a summary (the whole record only when asked). */
function sourceFields(record: boolean): string[] {
  const common = ['source', 'type', 'bbox', 'bbox_split', RATING_FIELD, 'dup'];
  return record ? ['record', ...common] : [...common, 'record.title', 'record.description', 'record.depiction', 'record.temporal'];
}

function facetAggs(p: Plan): Query {
  const aggs: Query = {};
  const names = Object.keys(p.facetFilters) as FacetName[];
  const others = (except?: FacetName): Query => {
    const f = names.filter((n) => n !== except).map((n) => p.facetFilters[n]!);
    return f.length ? { bool: { filter: f } } : { match_all: {} };
  };
  const categoryRe = `${VARIABLE_CATEGORY_BASE.replace(/[.?+*|{}[\]()"\\#@&<>~]/g, '\\$&')}.*`;
  for (const name of FACET_NAMES) {
    const terms: Query = { field: FACETS[name], size: p.facetSize };
    if (name === 'theme') terms.exclude = categoryRe;
    if (name === 'variableCategory') terms.include = categoryRe;
    const inner: Query = { terms };
    // themes and categories are IRIs: one record of each bucket gives its label
    if (name === 'theme' || name === 'variableCategory') inner.aggs = { label: { top_hits: { size: 1, _source: ['record.theme'] } } };
    aggs[name] = { filter: others(name), aggs: { values: inner } };
  }
  aggs.start_years = {
    filter: others(),
    aggs: { values: { date_histogram: { field: 'time_start', calendar_interval: 'year', format: 'yyyy', min_doc_count: 1 } } },
  };
  return aggs;
}

function body(p: Plan, fuzzy: boolean): Record<string, unknown> {
  const { must, mustNot, should } = textClauses(p.text, fuzzy);
  const facetFilters = Object.values(p.facetFilters);
  // without facets, facet filters select like any other; with facets they go to post_filter (see the file comment)
  const filter = p.aggs ? p.base : [...p.base, ...facetFilters];
  const reverse = p.cursor?.dir === 'prev';
  return {
    size: p.size,
    ...(p.cursor ? { search_after: p.cursor.after } : p.offset > 0 ? { from: p.offset } : {}),
    track_total_hits: true,
    _source: sourceFields(p.record),
    query: {
      bool: {
        must: must.length > 0 ? must : [{ match_all: {} }],
        ...(mustNot.length ? { must_not: mustNot } : {}),
        ...(must.length > 0 && should.length ? { should } : {}),
        ...(filter.length ? { filter } : {}),
      },
    },
    ...(p.aggs && facetFilters.length ? { post_filter: { bool: { filter: facetFilters } } } : {}),
    sort: esSort(p.sort, reverse),
    ...(p.aggs ? { aggs: facetAggs(p) } : {}),
  };
}

/**
 * The Elasticsearch request body (without index) for `params`, every parameter checked first (a UsageError naming
 * the one at fault): exported for the CLI's up-front check, for tests, and for benchmarks that send the same query
 * straight to Elasticsearch.
 */
export function searchBody(params: SearchParams): Record<string, unknown> {
  return body(plan(params), false);
}

/**
 * Whether a search goes through Elasticsearch's shard request cache: first pages only (no cursor, no offset), the
 * ones people repeat (a landing page's facets, a popular query) and the costliest (facets visit every match). The
 * cache is emptied for a shard whenever a refresh changes it, so an answer never outlives the index it came from;
 * deep pages would only push useful entries out.
 */
function cacheable(p: Plan): boolean {
  return !p.cursor && p.offset === 0;
}

/** The whole request searchRecords sends for `params`: the body and the URL parameters (for benchmarks). */
export function searchRequest(params: SearchParams): { body: Record<string, unknown>; querystring: { request_cache?: boolean } } {
  const p = plan(params);
  return { body: body(p, false), querystring: cacheable(p) ? { request_cache: true } : {} };
}

// ------------------------------------------------------------------------------------------------- the answer

interface Stored {
  record: HubRecord;
  source: string;
  type: IndexType;
  bbox?: Box;
  bbox_split?: Box;
  quality?: { rating?: string | string[] };
  dup?: DupState | null;
}
interface Bucket {
  key: string | number;
  key_as_string?: string;
  doc_count: number;
  label?: { hits: { hits: { _source?: { record?: { theme?: Concept[] } } }[] } };
}

const PREFERRED = ['fr', 'en', '@none'];
/** A language map's text in the preferred language, else French, English, no language, else any. */
export function preferredText(map: LangMap | undefined, lang?: string): string | undefined {
  return preferredEntry(map, lang)?.text;
}

/** The same choice, with the language of the text chosen (undefined for an untagged one, `@none`). */
export function preferredEntry(map: LangMap | undefined, lang?: string): { text: string; lang?: string } | undefined {
  if (!map) return undefined;
  for (const l of lang ? [lang, ...PREFERRED] : PREFERRED)
    if (map[l] !== undefined) return l === '@none' ? { text: map[l] } : { text: map[l], lang: l };
  const first = Object.entries(map)[0];
  if (!first) return undefined;
  return first[0] === '@none' ? { text: first[1] } : { text: first[1], lang: first[0] };
}

/** The time extent of a record as written: earliest start, latest end; null for an open (or unknown) end. */
export function timeExtent(temporal: PeriodOfTime[] | undefined): { start: string | null; end: string | null } | undefined {
  let start: { v: string; at: string } | null | undefined;
  let end: { v: string; at: string } | null | undefined;
  for (const p of temporal ?? []) {
    const s = p.startDate && dateBounds(p.startDate);
    const e = p.endDate && dateBounds(p.endDate);
    if (!s && !e) continue;
    if (!s) start = null;
    else if (start !== null && (start === undefined || s.start < start.at)) start = { v: p.startDate!['@value'], at: s.start };
    if (!e) end = null;
    else if (end !== null && (end === undefined || e.end > end.at)) end = { v: p.endDate!['@value'], at: e.end };
  }
  if (start === undefined && end === undefined) return undefined;
  return { start: start?.v ?? null, end: end?.v ?? null };
}

function firstRating(s: Stored): string | undefined {
  const r = s.quality?.rating;
  return Array.isArray(r) ? r[0] : r;
}

function toHit(
  h: { _id?: string | null; _score?: number | null; _source?: Stored },
  p: Plan,
  terms: HighlightTerms,
): SearchSummary & { record?: HubRecord } {
  const s = h._source!;
  const r = s.record;
  const title = preferredText(r.title, p.lang) ?? '';
  const titleHtml = highlight(title, terms, 10_000)?.html ?? '';
  // the description where the words are: the preferred language, else the first one that shows a match
  const preferred = preferredText(r.description, p.lang);
  const descriptions = r.description ? [preferred, ...Object.values(r.description).filter((d) => d !== preferred)] : [];
  let snippet: string | undefined;
  for (const d of descriptions) {
    // without words to mark, the preferred description is the snippet
    if (snippet !== undefined && !hasTerms(terms)) break;
    const hl = highlight(d, terms);
    if (!hl) continue;
    snippet ??= hl.html;
    if (hl.marked) {
      snippet = hl.html;
      break;
    }
  }
  const bbox: [number, number, number, number] | undefined = s.bbox
    ? [s.bbox.west, s.bbox.south, s.bbox_split ? s.bbox_split.east : s.bbox.east, s.bbox.north]
    : undefined;
  const time = timeExtent(r.temporal);
  const rating = firstRating(s);
  return {
    id: h._id as string,
    score: h._score ?? null,
    source: s.source,
    type: s.type,
    title,
    titleHtml,
    ...(snippet !== undefined ? { snippet } : {}),
    ...(bbox ? { bbox } : {}),
    ...(time ? { time } : {}),
    ...(r.depiction?.[0] ? { thumbnail: r.depiction[0] } : {}),
    ...(rating !== undefined ? { rating } : {}),
    ...copiesOf(s.dup),
    ...(p.record ? { record: r } : {}),
  };
}

function facetValues(name: FacetName, buckets: Bucket[], lang?: string): FacetValue[] {
  return buckets.map((b) => {
    const key = String(b.key);
    let label: { text: string; lang?: string } | undefined;
    if (name === 'theme' || name === 'variableCategory') {
      const concept = b.label?.hits.hits[0]?._source?.record?.theme?.find((c) => c['@id'] === key);
      label = preferredEntry(concept && conceptLabels(concept, lang), lang);
    }
    return {
      key,
      count: b.doc_count,
      ...(label !== undefined ? { label: label.text } : {}),
      ...(label?.lang !== undefined ? { labelLang: label.lang } : {}),
    };
  });
}

/**
 * The bytes of an answer's body, read with listeners: an async iterator costs a generator and promises per answer
 * (about 1.5% of the server's CPU per search, docs/search.md). The connection lost before its end is the client's
 * ConnectionError (Elasticsearch does not answer: a 503 to the user), as when the client reads the answer itself,
 * rather than the socket's own error.
 */
function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let ended = false;
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.once('end', () => {
      ended = true;
      resolve(Buffer.concat(chunks));
    });
    stream.once('error', (err: Error) =>
      reject(err instanceof errors.ElasticsearchClientError ? err : new errors.ConnectionError(err.message)),
    );
    stream.once('close', () => {
      if (!ended) reject(new errors.ConnectionError('Connection closed while reading the body'));
    });
  });
}

/**
 * One search request, its answer taken as bytes and parsed once: the client's own reading decodes an answer chunk by
 * chunk into a string before parsing it, which cost about 5% of the server's CPU per search (docs/search.md, "per-request
 * cost"). A 502, 503 or 504 is asked for again the client's ordinary way, which retries it on another node; another
 * error is thrown as the client throws it (a missing index, a bad query, a 429), without a second request.
 */
async function searchOnce(client: Client, request: estypes.SearchRequest): Promise<estypes.SearchResponse<Stored>> {
  const res = await client.search<Stored>(request, { asStream: true, meta: true });
  const stream = res.body as unknown as NodeJS.ReadableStream;
  const status = res.statusCode ?? 0;
  if (status < 200 || (status >= 300 && status < 400) || status === 502 || status === 503 || status === 504) {
    stream.resume();
    return client.search<Stored>(request);
  }
  const text = (await readAll(stream)).toString('utf8');
  if (status < 300) return JSON.parse(text) as estypes.SearchResponse<Stored>;
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // (an error page that is not JSON: kept as text, as the client keeps it)
  }
  throw new errors.ResponseError({ ...res, body });
}

/**
 * Searches the records of `alias` (see SearchParams): one page of hits with their summaries, the total, the cursors
 * of the next and previous pages, and the facets when asked. Throws a UsageError (naming the parameter) before any
 * request when a parameter cannot be used.
 */
export async function searchRecords(
  client: Client,
  alias: string,
  params: SearchParams & { record: false },
): Promise<SearchResult<SearchSummary>>;
export async function searchRecords(client: Client, alias: string, params: SearchParams): Promise<SearchResult>;
export async function searchRecords(client: Client, alias: string, params: SearchParams): Promise<SearchResult<SearchSummary>> {
  const p = plan(params);
  const run = (fuzzy: boolean) => searchOnce(client, { index: alias, ...body(p, fuzzy), ...(cacheable(p) ? { request_cache: true } : {}) });
  // a cursor of the fuzzy retry's result list pages that list
  let fuzzy = p.cursor?.fuzzy === true;
  let res = await run(fuzzy).catch((err: unknown) => {
    // a LIKE or ACCENTI pattern of the filter whose automaton is too large for the node: the user's to narrow
    if (params.where && /Determinizing .* would require more than/.test(JSON.stringify((err as errors.ResponseError).meta?.body ?? '')))
      throw new UsageError(
        'filter: a LIKE or ACCENTI pattern of the filter is too complex for the index to answer: make it more precise',
        'filter',
      );
    throw err;
  });
  const total = (r: typeof res) => (typeof r.hits.total === 'number' ? r.hits.total : (r.hits.total?.value ?? 0));
  // nothing as typed: the same search with each word allowed a typing mistake (a cursor says which list it pages)
  if (total(res) === 0 && p.fuzzy === 'auto' && p.text.words.length > 0 && !p.cursor) {
    const again = await run(true);
    if (total(again) > 0) {
      res = again;
      fuzzy = true;
    }
  }
  const hits = res.hits.hits;
  if (p.cursor?.dir === 'prev') hits.reverse();
  const terms = highlightTerms(p.text, fuzzy);
  const out: SearchResult<SearchSummary> = { total: total(res), offset: p.offset, hits: hits.map((h) => toHit(h, p, terms)) };
  if (fuzzy) out.fuzzy = true;
  // cursors carry the query key of the search as typed, and whether the list is the fuzzy retry's
  const first = hits[0]?.sort as Cursor['after'] | undefined;
  const last = hits[hits.length - 1]?.sort as Cursor['after'] | undefined;
  if (last && p.offset + hits.length < out.total)
    out.next = encodeCursor({ key: p.key, after: last, dir: 'next', offset: p.offset + hits.length, fuzzy });
  if (first && p.offset > 0)
    out.prev = encodeCursor({ key: p.key, after: first, dir: 'prev', offset: Math.max(0, p.offset - p.size), fuzzy });
  if (p.aggs) {
    const aggs = res.aggregations as Record<string, { values: { buckets: Bucket[] } }>;
    out.facets = Object.fromEntries(FACET_NAMES.map((n) => [n, facetValues(n, aggs[n].values.buckets, p.lang)])) as Record<
      FacetName,
      FacetValue[]
    >;
    out.startYears = aggs.start_years.values.buckets.map((b) => ({ year: b.key_as_string ?? String(b.key), count: b.doc_count }));
  }
  return out;
}

/** Records by their hub ids, in the order asked (absent ones left out): for record pages and OGC API items. */
export async function getRecords(
  client: Client,
  alias: string,
  ids: string[],
): Promise<{ id: string; record: HubRecord; rating?: string; alsoFrom?: CopyRef[]; copyOf?: CopyRef }[]> {
  if (ids.length === 0) return [];
  const res = await client.mget<Stored>({ index: alias, ids, _source: ['record', RATING_FIELD, 'dup'] });
  return res.docs.flatMap((d) => {
    if (!('found' in d) || !d.found || !d._source) return [];
    const rating = firstRating(d._source);
    return [{ id: d._id, record: d._source.record, ...(rating !== undefined ? { rating } : {}), ...copiesOf(d._source.dup) }];
  });
}
