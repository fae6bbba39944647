/**
 * `GET /search`: the catalogue's search as JSON, a thin layer over pipelines/search.ts searchRecords (which the CLI
 * and the catalogue pages call too). Every parameter is checked (an unknown one too) and a bad one is a 400 naming
 * it; the schemas below are the OpenAPI description served at /openapi.json.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { UsageError } from '../../core/result.js';
import {
  FACET_NAMES,
  searchRecords,
  type FacetName,
  type FacetValue,
  type SearchParams,
  type SearchResult,
  type SearchSummary,
  type SortName,
} from '../../pipelines/search.js';
import { cql2Where, FILTER_LANGS } from '../../pipelines/cql2-query.js';
import { baseUrl, type ApiContext } from '../http.js';
import { checkKnown, commaList, indexUnavailable, parseBbox, renamingParams, repeated, schemaParams } from '../params.js';
import { errors } from '../responses.js';

/** Most hits in one page of GET /search. */
export const MAX_PAGE_SIZE = 100;

const many = (description: string) => ({
  type: 'array',
  items: { type: 'string', minLength: 1, maxLength: 512 },
  maxItems: 100,
  description: `${description} Repeat the parameter for several values: a record matches one of them.`,
});

export const SEARCH_QUERY = {
  type: 'object',
  properties: {
    q: {
      type: 'string',
      maxLength: 500,
      description:
        'Free text, any language; accents and case do not matter. Every word is required; "a phrase" in quotes; word* for words beginning so; -word to leave out. When nothing matches as typed, words one or two letters away are searched (the answer then has fuzzy: true).',
    },
    bbox: {
      type: 'string',
      description:
        'west,south,east,north in degrees (WGS 84), e.g. -5.5,47,-1,49; west > east crosses the antimeridian. Records whose extent intersects it.',
    },
    start: {
      type: 'string',
      description:
        'Start of the time window (YYYY, YYYY-MM, YYYY-MM-DD or a date-time). Records whose time extent overlaps the window; either end may be left out (open).',
    },
    end: { type: 'string', description: 'End of the time window (same forms; a year or a month means its last instant).' },
    theme: many('Theme concept IRI or label (INSPIRE themes, GCMD keywords...).'),
    keyword: many('Keyword (case-insensitive).'),
    source: many('Source id (the data centre catalogue the record was harvested from).'),
    type: { type: 'array', items: { type: 'string', enum: ['dataset', 'series', 'service'] }, description: 'Resource type.' },
    format: many('Distribution format as the format facet shows it.'),
    licence: many('Licence as the licence facet shows it.'),
    rating: many('FAIR rating (excellent, good, sufficient, bad) once records are scored.'),
    variableCategory: many('Theia/OZCAR variable category IRI (or its last segment).'),
    publisher: many('Publisher name.'),
    language: many('Resource language code (FRA, ENG...).'),
    ids: { type: 'array', items: { type: 'string' }, description: 'Hub record ids (source:identifier), comma-separated or repeated.' },
    partOf: {
      type: 'array',
      items: { type: 'string' },
      description:
        "Hub record ids (source:identifier), comma-separated or repeated: the records naming one of them as their parent or series (a series' datasets, an ISO parentIdentifier).",
    },
    externalIds: {
      type: 'array',
      items: { type: 'string' },
      description: 'External identifiers (a DOI in any spelling, scheme:value or scheme:), comma-separated or repeated.',
    },
    sort: {
      type: 'string',
      enum: ['relevance', 'date', 'title'],
      description: 'Order: relevance (default with q), date (newest first), title (default without q).',
    },
    size: { type: 'integer', minimum: 0, maximum: MAX_PAGE_SIZE, default: 10, description: 'Hits per page.' },
    page: { type: 'integer', minimum: 1, description: 'Page number within the first 10,000 hits; past them, follow the next cursor.' },
    cursor: { type: 'string', maxLength: 4096, description: 'The next or prev cursor of a previous answer to the same search.' },
    facets: { type: 'boolean', default: true, description: 'Return the facets (values with counts) and the start-year histogram.' },
    facetSize: { type: 'integer', minimum: 1, maximum: 200, default: 20, description: 'Values per facet.' },
    fuzzy: {
      type: 'string',
      enum: ['auto', 'off'],
      default: 'auto',
      description: 'auto: when nothing matches as typed, tolerate typing mistakes.',
    },
    lang: { type: 'string', description: 'Preferred language of titles and snippets (fr, en...).' },
    filter: {
      type: 'string',
      description:
        "A CQL2 filter on the queryables of OGC API - Records (docs/ogc-api-records.md), with every other parameter: e.g. type = 'dataset' AND T_AFTER(time, DATE('2015-01-01')).",
    },
    'filter-lang': {
      type: 'string',
      enum: [...FILTER_LANGS],
      description: 'The language of filter: cql2-text (the default) or cql2-json.',
    },
  },
} as const;

const facetValues = {
  type: 'array',
  items: {
    type: 'object',
    properties: { key: { type: 'string' }, count: { type: 'integer' }, label: { type: 'string' } },
    required: ['key', 'count'],
  },
} as const;

const nullableString = { type: 'string', nullable: true } as const;

/** Another source's copy of a record's dataset, with the link to it. */
const copyItem = {
  type: 'object',
  properties: { id: { type: 'string' }, source: { type: 'string' }, link: { type: 'string' } },
  required: ['id', 'source', 'link'],
} as const;

export const SEARCH_RESPONSE = {
  type: 'object',
  properties: {
    total: { type: 'integer', description: 'Records matching (exact).' },
    offset: { type: 'integer', description: 'Position (0-based) of the first hit of this page.' },
    size: { type: 'integer' },
    fuzzy: { type: 'boolean', description: 'true when nothing matched as typed and these hits tolerate typing mistakes.' },
    hits: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          title: { type: 'string' },
          titleHtml: { type: 'string', description: 'The title as HTML, the words searched for in <mark>.' },
          snippet: { type: 'string', description: 'Part of the description as HTML, the words searched for in <mark>.' },
          bbox: { type: 'array', items: { type: 'number' }, description: 'west, south, east, north' },
          time: { type: 'object', properties: { start: nullableString, end: nullableString }, description: 'null: open' },
          source: { type: 'string' },
          type: { type: 'string' },
          thumbnail: { type: 'string' },
          rating: { type: 'string' },
          score: { type: 'number', nullable: true },
          link: { type: 'string', description: 'The record (JSON-LD, or a page by content negotiation).' },
          alsoFrom: {
            type: 'array',
            description:
              'The same dataset as harvested from other sources (same DOI or identifier): their copies, not listed (docs/duplicates.md).',
            items: copyItem,
          },
          copyOf: { ...copyItem, description: 'On a copy asked for by ids: the copy that search lists.' },
        },
        required: ['id', 'title', 'source', 'type', 'link'],
      },
    },
    facets: { type: 'object', properties: Object.fromEntries(FACET_NAMES.map((n) => [n, facetValues])) },
    startYears: {
      type: 'array',
      items: { type: 'object', properties: { year: { type: 'string' }, count: { type: 'integer' } } },
    },
    next: { type: 'string', description: 'Cursor of the next page (absent on the last).' },
    prev: { type: 'string', description: 'Cursor of the previous page (absent on the first).' },
    links: {
      type: 'object',
      properties: { self: { type: 'string' }, next: { type: 'string' }, prev: { type: 'string' } },
    },
  },
  required: ['total', 'offset', 'size', 'hits'],
} as const;

const KNOWN = schemaParams(SEARCH_QUERY);

export interface SearchQuery {
  q?: string;
  bbox?: string;
  start?: string;
  end?: string;
  theme?: string[];
  keyword?: string[];
  source?: string[];
  type?: ('dataset' | 'series' | 'service')[];
  format?: string[];
  licence?: string[];
  rating?: string[];
  variableCategory?: string[];
  publisher?: string[];
  language?: string[];
  ids?: string[];
  partOf?: string[];
  externalIds?: string[];
  sort?: SortName;
  size?: number;
  page?: number;
  cursor?: string;
  facets?: boolean;
  facetSize?: number;
  fuzzy?: 'auto' | 'off';
  lang?: string;
  filter?: string;
  'filter-lang'?: string;
}

/** The searchRecords parameters of a GET /search query (already type-checked by its schema). */
export function searchParams(query: SearchQuery): SearchParams {
  const size = query.size ?? 10;
  if (query.page !== undefined && query.cursor !== undefined) throw new UsageError('give either page or cursor, not both', 'page');
  return {
    where: cql2Where(query.filter, query['filter-lang']),
    q: query.q,
    bbox: query.bbox === undefined ? undefined : parseBbox(query.bbox),
    from: query.start,
    to: query.end,
    theme: repeated(query.theme),
    keyword: repeated(query.keyword),
    source: repeated(query.source),
    type: all(query.type),
    format: repeated(query.format),
    licence: repeated(query.licence),
    rating: repeated(query.rating),
    variableCategory: repeated(query.variableCategory),
    publisher: repeated(query.publisher),
    language: repeated(query.language),
    ids: commaList(query.ids),
    partOf: commaList(query.partOf),
    externalIds: commaList(query.externalIds),
    sort: query.sort,
    size,
    offset: query.page !== undefined ? (query.page - 1) * size : undefined,
    cursor: query.cursor,
    aggs: query.facets ?? true,
    facetSize: query.facetSize,
    fuzzy: query.fuzzy,
    lang: query.lang,
    record: false,
  };
}

/** Pipeline parameter names -> the names of GET /search. */
const RENAMED = { from: 'start', to: 'end', offset: 'page' };

/** A repeated parameter as a list, keeping its element type. */
function all<T extends string>(v: T | T[] | undefined): T[] | undefined {
  return v === undefined ? undefined : Array.isArray(v) ? v : [v];
}

/** The URL of this search with other paging parameters (the query string kept otherwise as sent). */
function pageUrl(req: FastifyRequest, base: string, set: Record<string, string | undefined>): string {
  const url = new URL(req.url, 'http://x');
  for (const k of ['page', 'cursor']) url.searchParams.delete(k);
  for (const [k, v] of Object.entries(set)) if (v !== undefined) url.searchParams.set(k, v);
  return `${base}${url.pathname}${url.search}`;
}

/**
 * The answer of GET /search, every object's properties in the order in which the serialiser fastify compiles from
 * SEARCH_RESPONSE writes them (its required properties first, then the others, each group in the schema's order): the
 * route serialises it with JSON.stringify rather than with that serialiser, and the text is the same byte for byte (test/api/search-serialise.test.ts compares the two on real answers). Absent optional values are
 * `undefined`, which JSON.stringify leaves out as the compiled serialiser does.
 */
export function searchAnswer(res: SearchResult<SearchSummary>, size: number, req: FastifyRequest, base: string) {
  const link = (id: string) => `${base}/records/${encodeURIComponent(id)}`;
  return {
    total: res.total,
    offset: res.offset,
    size,
    hits: res.hits.map((h) => ({
      id: h.id,
      title: h.title,
      source: h.source,
      type: h.type,
      link: link(h.id),
      titleHtml: h.titleHtml,
      snippet: h.snippet,
      bbox: h.bbox,
      time: h.time ? { start: h.time.start, end: h.time.end } : undefined,
      thumbnail: h.thumbnail,
      rating: h.rating,
      score: h.score,
      alsoFrom: h.alsoFrom?.map((c) => ({ id: c.id, source: c.source, link: link(c.id) })),
      copyOf: h.copyOf ? { id: h.copyOf.id, source: h.copyOf.source, link: link(h.copyOf.id) } : undefined,
    })),
    fuzzy: res.fuzzy ? true : undefined,
    facets: res.facets ? facetsInOrder(res.facets) : undefined,
    startYears: res.facets ? res.startYears?.map((y) => ({ year: y.year, count: y.count })) : undefined,
    next: res.next,
    prev: res.prev,
    links: {
      self: `${base}${req.url}`,
      next: res.next ? pageUrl(req, base, { cursor: res.next }) : undefined,
      prev: res.prev ? pageUrl(req, base, { cursor: res.prev }) : undefined,
    },
  };
}

/** The facets in the order of FACET_NAMES, each value as {key, count, label}. */
function facetsInOrder(facets: Record<FacetName, FacetValue[]>): Record<FacetName, FacetValue[]> {
  const out = {} as Record<FacetName, FacetValue[]>;
  for (const name of FACET_NAMES) out[name] = facets[name]?.map((v) => ({ key: v.key, count: v.count, label: v.label }));
  return out;
}

/**
 * JSON.stringify for the answers that have a schema (200; errors go through fastify's default serialiser): the
 * serialiser fastify compiles from SEARCH_RESPONSE checks and escapes every string in JavaScript, which cost about a
 * tenth of the server's CPU per search (docs/search.md, "per-request cost"); the schema stays the OpenAPI description.
 */
const stringify = () => (data: unknown) => JSON.stringify(data);

export function searchRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get<{ Querystring: SearchQuery }>(
    '/search',
    {
      schema: {
        summary: 'Search the catalogue',
        description:
          'Full text, place (bbox), time (start/end), theme, keyword, source, type, format, licence, FAIR rating and variable category, with facet counts and paging at any depth (cursor). Documented in docs/search.md.',
        tags: ['search'],
        querystring: SEARCH_QUERY,
        response: { 200: SEARCH_RESPONSE, ...errors(400, 503) },
      },
      serializerCompiler: stringify,
    },
    async (req, reply) => {
      checkKnown(req.query as Record<string, unknown>, KNOWN);
      const params = await renamingParams(RENAMED, () => searchParams(req.query));
      try {
        const res = await renamingParams(RENAMED, () => searchRecords(ctx.client, ctx.alias, { ...params, record: false }));
        return searchAnswer(res, params.size ?? 10, req, baseUrl(ctx, req));
      } catch (err) {
        const answered = indexUnavailable(reply, ctx, err);
        if (answered) return answered;
        throw err;
      }
    },
  );
}
