/**
 * OGC API - Records Part 1 at /ogcapi (landing page, conformance, collections, items, one item, queryables,
 * sortables), JSON by default and simple HTML when a browser asks (f=html or Accept): thin routes over
 * pipelines/ogc-records.ts and pipelines/search.ts. Documented in docs/ogc-api-records.md.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { UsageError } from '../../core/result.js';
import {
  CATALOGUE_ID,
  CONFORMANCE,
  DEFAULT_LIMIT,
  MAX_LIMIT,
  OGC_BASE_PATH,
  QUERYABLE_NAMES,
  CRS84,
  collectionDoc,
  collectionExists,
  collections,
  itemsSearch,
  queryablesDoc,
  recordFeature,
  relativesOf,
  sortablesDoc,
  type CollectionInfo,
  type ItemsQuery,
  type QueryableName,
} from '../../pipelines/ogc-records.js';
import { getRecords, searchRecords, type SearchParams } from '../../pipelines/search.js';
import { FILTER_LANGS } from '../../pipelines/cql2-query.js';
import { a, escapeHtml, htmlPage, wantsHtml, type Alternate } from '../html.js';
import { PATHS } from '../pages/layout.js';
import { baseUrl, MAX_PATH_PARAM, OPENAPI_TYPE, sendError, type ApiContext } from '../http.js';
import { aliased, checkKnown, commaList, indexUnavailable, parseBbox, renamingParams, repeated } from '../params.js';
import { answer, asJson, errors, errorsOrPage, LINKS } from '../responses.js';

/** The title of the whole catalogue's collection and of the landing page. */
export const CATALOGUE_TITLE = 'Land-surface data hub catalogue';

const F = { type: 'string', enum: ['json', 'html', 'geojson'], description: 'Representation: json (default) or html.' } as const;
const LANG = { type: 'string', description: 'Preferred language of titles and descriptions (fr, en...).' } as const;
const collectionParam = {
  type: 'object',
  properties: {
    collectionId: { type: 'string', maxLength: MAX_PATH_PARAM, description: `"${CATALOGUE_ID}" (every record) or a source id.` },
  },
  required: ['collectionId'],
} as const;

// What the answers are, for /openapi.json (api/responses.ts): the JSON of OGC API - Records, or HTML for a browser.
const STRINGS = { type: 'array', items: { type: 'string' } } as const;
const LANDING_DOC = {
  type: 'object',
  properties: { title: { type: 'string' }, description: { type: 'string' }, links: LINKS },
  required: ['links'],
} as const;
const CONFORMANCE_DOC = { type: 'object', properties: { conformsTo: STRINGS }, required: ['conformsTo'] } as const;
const COLLECTION_DOC = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    type: { type: 'string' },
    itemType: { type: 'string' },
    title: { type: 'string' },
    description: { type: 'string' },
    recordCount: { type: 'integer', description: 'Records in the collection.' },
    extent: {
      type: 'object',
      description: 'spatial.bbox: [[west, south, east, north]] (CRS84); temporal.interval: [[start, end]], null for an open end.',
    },
    crs: STRINGS,
    conformsTo: STRINGS,
    links: LINKS,
  },
  required: ['id', 'links'],
} as const;
const COLLECTIONS_DOC = {
  type: 'object',
  properties: { collections: { type: 'array', items: COLLECTION_DOC }, links: LINKS },
  required: ['collections', 'links'],
} as const;
/** A queryables or sortables document: a JSON Schema of the properties (OGC API - Features Part 3). */
const PROPERTIES_DOC = {
  type: 'object',
  properties: { type: { type: 'string' }, title: { type: 'string' }, properties: { type: 'object' } },
  required: ['type', 'properties'],
} as const;
const OBJECTS = { type: 'array', items: { type: 'object' } } as const;
/** A record as a GeoJSON feature (OGC API - Records, record-core). */
const FEATURE = {
  type: 'object',
  properties: {
    id: { type: 'string', description: 'The hub record id (source:identifier).' },
    type: { type: 'string', enum: ['Feature'] },
    conformsTo: STRINGS,
    time: {
      type: 'object',
      nullable: true,
      properties: { interval: { ...STRINGS, description: '[start, end], ".." for an open end' } },
      description: 'The time extent; null without one.',
    },
    geometry: {
      type: 'object',
      nullable: true,
      properties: { type: { type: 'string', enum: ['Polygon', 'MultiPolygon'] }, coordinates: { type: 'array' } },
      required: ['type', 'coordinates'],
      description: 'The extent as a polygon (two across the antimeridian); null without one.',
    },
    properties: {
      type: 'object',
      properties: {
        type: { type: 'string', description: 'dataset, series or service' },
        title: { type: 'string' },
        description: { type: 'string' },
        keywords: STRINGS,
        themes: OBJECTS,
        language: { type: 'object' },
        languages: OBJECTS,
        resourceLanguages: OBJECTS,
        externalIds: OBJECTS,
        formats: OBJECTS,
        contacts: OBJECTS,
        license: { type: 'string' },
        rights: { type: 'string' },
        created: { type: 'string' },
        updated: { type: 'string' },
        time: { type: 'object' },
        source: { type: 'string' },
        rating: { type: 'string' },
      },
      required: ['type', 'title'],
    },
    links: LINKS,
  },
  required: ['id', 'type', 'geometry', 'properties', 'links'],
} as const;
const FEATURE_COLLECTION = {
  type: 'object',
  properties: {
    type: { type: 'string', enum: ['FeatureCollection'] },
    features: { type: 'array', items: FEATURE },
    numberMatched: { type: 'integer' },
    numberReturned: { type: 'integer' },
    timeStamp: { type: 'string' },
    links: LINKS,
  },
  required: ['type', 'features', 'numberMatched', 'numberReturned', 'links'],
} as const;
/** The 200 answer: `json` in the media type given, or HTML (f=html, or a browser's Accept). */
const ok = (description: string, schema: object, mediaType = 'application/json') => ({
  200: answer(description, { [mediaType]: schema, 'text/html': undefined }),
});

const ITEMS_QUERY = {
  type: 'object',
  properties: {
    bbox: { type: 'string', description: 'minLon,minLat,maxLon,maxLat (CRS84); minLon > maxLon crosses the antimeridian.' },
    datetime: {
      type: 'string',
      description: 'An instant, or an interval start/end with .. for an open end (RFC 3339 dates or date-times).',
    },
    limit: {
      type: 'integer',
      minimum: 1,
      default: DEFAULT_LIMIT,
      description: `Records per page (more than ${MAX_LIMIT} is lowered to ${MAX_LIMIT}).`,
    },
    offset: { type: 'integer', minimum: 0, description: 'Records skipped (within the first 10,000; the next links page further).' },
    startindex: {
      type: 'integer',
      minimum: 0,
      description: 'The same as offset: an older name that pygeoapi and pycsw took, and that older QGIS MetaSearch sends.',
    },
    q: {
      type: 'string',
      description: 'Search terms: words separated by spaces must appear together in that order; commas separate alternatives.',
    },
    type: { type: 'string', description: 'Comma-separated record types: dataset, series, service.' },
    ids: { type: 'string', description: 'Comma-separated record ids (an empty list finds nothing).' },
    externalIds: {
      type: 'string',
      description:
        'Comma-separated external identifiers: value, scheme:value or scheme: (a DOI in any spelling; an empty list finds nothing).',
    },
    sortby: { type: 'string', description: 'Comma-separated sortables (title, updated, created, start, end), each with + (default) or -.' },
    cursor: { type: 'string', description: 'The paging cursor of a next or prev link.' },
    filter: {
      type: 'string',
      description:
        "A CQL2 filter on the queryables (OGC API - Features Part 3), e.g. source = 'theia' AND keywords LIKE 'sol%' AND T_INTERSECTS(time, INTERVAL('2020-01-01', '..')): comparisons, LIKE, IN, IS NULL, CASEI, ACCENTI, S_INTERSECTS and S_DISJOINT of geometry with a BBOX or a POINT, every temporal function (T_DURING, T_MEETS... of time and an INTERVAL; T_AFTER, T_BEFORE, T_DISJOINT, T_EQUALS, T_INTERSECTS of time, created or updated and a DATE, a TIMESTAMP or an INTERVAL), the array functions (A_CONTAINS...) of the array queryables (keywords, themes...). What cannot be answered exactly is a 400 naming filter.",
    },
    'filter-lang': {
      type: 'string',
      // (cql-text: the drafts' name of cql2-text, which GDAL's OGC API - Features driver looks for here before it sends
      // a -where clause to the server)
      enum: [...FILTER_LANGS],
      description: 'The language of filter: cql2-text (the default) or cql2-json; cql-text is read as cql2-text.',
    },
    'filter-crs': { type: 'string', description: `The coordinate system of filter geometries: ${CRS84} (the default) only.` },
    datetime_: { type: 'string', description: 'The same as datetime (OWSLib 0.28 sends both).' },
    f: F,
    lang: LANG,
    ...Object.fromEntries(
      QUERYABLE_NAMES.map((n) => [n, { type: 'array', items: { type: 'string' }, description: `Property filter (see queryables): ${n}.` }]),
    ),
  },
} as const;
const ITEMS_PARAMS = Object.keys(ITEMS_QUERY.properties);

/** The search of an items request: its parameters read and checked (a UsageError naming the one at fault). */
async function itemsParams(q: ItemsQs, cid: string): Promise<SearchParams> {
  const filters: Partial<Record<QueryableName, string[]>> = {};
  for (const n of QUERYABLE_NAMES) if (q[n] !== undefined) filters[n] = repeated(q[n])!;
  // OWSLib's collection_items(datetime_=...) sends the value twice, as datetime and datetime_; older QGIS
  // MetaSearch pages with startindex
  const datetime = aliased(q, 'datetime', 'datetime_');
  const offset = aliased(q, 'offset', 'startindex');
  const query: ItemsQuery = {
    bbox: q.bbox !== undefined ? parseBbox(q.bbox) : undefined,
    datetime,
    limit: q.limit,
    offset,
    q: commaList(q.q),
    type: commaList(q.type),
    // an empty list of ids is valid and finds nothing
    ids: q.ids === undefined ? undefined : commaList(q.ids)!.filter((s) => s !== ''),
    // an empty list of external ids finds nothing, as ids
    externalIds: commaList(q.externalIds)?.filter((s) => s !== ''),
    sortby: q.sortby,
    cursor: q.cursor,
    filters,
    filter: q.filter,
    filterLang: q['filter-lang'],
    filterCrs: q['filter-crs'],
  };
  if (q.cursor !== undefined && offset !== undefined) {
    const name = q.offset !== undefined ? 'offset' : 'startindex';
    throw new UsageError(`give either ${name} or cursor, not both`, name);
  }
  return renamingParams(RENAMED, () => itemsSearch(cid, query));
}

/** The text fields of an items page's form. */
const FORM_FIELDS = ['q', 'bbox', 'datetime', 'filter'] as const;

/**
 * The search form of an items page in HTML: the text, box, period and CQL2 filter of this page's request, filled in
 * (a GET form: its answer is a shareable URL like any other items request).
 */
function itemsForm(action: string, q: ItemsQs): string {
  const field = (name: string, label: string, value: string | undefined, hint: string) =>
    `<label>${escapeHtml(label)} <input name="${name}" value="${escapeHtml(value ?? '')}" placeholder="${escapeHtml(hint)}"></label> `;
  return `<form class="items-search" method="get" action="${escapeHtml(action)}"><input type="hidden" name="f" value="html">${field('q', 'Words', q.q, 'glacier, soil moisture')}${field('bbox', 'Box', q.bbox, 'west,south,east,north')}${field('datetime', 'Time', q.datetime, '2015-01-01/..')}<label>CQL2 filter <textarea name="filter" rows="2" cols="60" placeholder="type = 'dataset' AND keywords LIKE 'Sol%'">${escapeHtml(q.filter ?? '')}</textarea></label> <button type="submit">Search</button> <a href="${escapeHtml(action.replace(/\/items$/, '/queryables'))}?f=html">queryables</a></form>`;
}

/** Pipeline parameter names -> the names of an items request. */
const RENAMED = {
  from: 'datetime',
  to: 'datetime',
  size: 'limit',
  sort: 'sortby',
  keyword: 'keywords',
  theme: 'themes',
  format: 'formats',
  licence: 'license',
};

type ItemsQs = {
  filter?: string;
  'filter-lang'?: string;
  'filter-crs'?: string;
  bbox?: string;
  datetime?: string;
  datetime_?: string;
  limit?: number;
  offset?: number;
  startindex?: number;
  q?: string;
  type?: string;
  ids?: string;
  externalIds?: string;
  sortby?: string;
  cursor?: string;
  f?: string;
  lang?: string;
} & Partial<Record<QueryableName, string[]>>;

function urls(ctx: ApiContext, req: FastifyRequest): { server: string; api: string } {
  const server = baseUrl(ctx, req);
  return { server, api: server + OGC_BASE_PATH };
}

/** The HTML and JSON alternates of a page (its own URL with f=...). */
function alternates(req: FastifyRequest, server: string, json: string): Alternate[] {
  const url = new URL(req.url, 'http://x');
  const withF = (f: string) => {
    url.searchParams.set('f', f);
    return `${server}${url.pathname}${url.search}`;
  };
  return [
    { href: withF('json'), type: json, title: 'JSON' },
    { href: withF('html'), type: 'text/html', title: 'HTML' },
  ];
}

const crumbs = (api: string, more: [string, string][] = []): [string, string][] => [[api, 'OGC API - Records'], ...more];

function sendHtml(reply: FastifyReply, html: string): FastifyReply {
  return reply.type('text/html; charset=utf-8').send(html);
}

async function withIndex<T>(reply: FastifyReply, ctx: ApiContext, fn: () => Promise<T>): Promise<T | FastifyReply> {
  try {
    return await fn();
  } catch (err) {
    const answered = indexUnavailable(reply, ctx, err);
    if (answered) return answered;
    throw err;
  }
}

/** The collection asked for, or a 404 naming the known ones. */
async function findCollection(ctx: ApiContext, id: string): Promise<{ found?: CollectionInfo; all: CollectionInfo[] }> {
  const all = await collections(ctx.client, ctx.alias, CATALOGUE_TITLE);
  return { found: all.find((c) => c.id === id), all };
}

function noCollection(reply: FastifyReply, id: string, all: CollectionInfo[]): FastifyReply {
  return sendError(reply, 404, `no collection "${id}": the collections are ${all.map((c) => c.id).join(', ')}`, 'collectionId');
}

export function ogcRecordsRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const tags = ['OGC API - Records'];

  app.get<{ Querystring: { f?: string } }>(
    OGC_BASE_PATH,
    {
      schema: {
        summary: 'OGC API - Records landing page',
        tags,
        querystring: { type: 'object', properties: { f: F } },
        response: {
          ...ok('The landing page: links to the conformance classes, the collections and this description.', LANDING_DOC),
          ...errors(400),
        },
      },
      serializerCompiler: asJson,
    },
    async (req, reply) => {
      checkKnown(req.query, ['f']);
      const { server, api } = urls(ctx, req);
      const doc = {
        title: CATALOGUE_TITLE,
        description:
          'OGC API - Records of the national land-surface data hub: every harvested record (ISO 19115 catalogues, STAC, OZCAR in-situ feeds), searchable by place, time, text and properties.',
        links: [
          { href: api, rel: 'self', type: 'application/json', title: 'This document' },
          { href: `${api}?f=html`, rel: 'alternate', type: 'text/html', title: 'This document (HTML)' },
          {
            href: `${api}/api`,
            rel: 'service-desc',
            type: OPENAPI_TYPE,
            title: 'The API definition (OpenAPI 3.0, paths relative to this page)',
          },
          { href: `${api}/conformance`, rel: 'conformance', type: 'application/json', title: 'Conformance classes' },
          { href: `${api}/collections`, rel: 'data', type: 'application/json', title: 'Collections' },
          {
            href: `${api}/collections/${CATALOGUE_ID}`,
            rel: 'http://www.opengis.net/def/rel/ogc/1.0/ogc-catalog',
            type: 'application/json',
            title: 'The whole catalogue',
          },
          { href: `${server}/search`, rel: 'search', type: 'application/json', title: 'The hub search API (GET /search)' },
        ],
      };
      if (!wantsHtml(req, req.query.f)) return doc;
      const body = `<p>${escapeHtml(doc.description)}</p><ul>${doc.links
        .filter((l) => l.rel !== 'self' && l.rel !== 'alternate')
        .map((l) => `<li>${a(l.href, l.title)}</li>`)
        .join('')}</ul>`;
      return sendHtml(
        reply,
        htmlPage({ title: doc.title, body, alternates: alternates(req, server, 'application/json'), breadcrumbs: crumbs(api) }),
      );
    },
  );

  app.get<{ Querystring: { f?: string } }>(
    `${OGC_BASE_PATH}/conformance`,
    {
      schema: {
        summary: 'Conformance classes',
        tags,
        querystring: { type: 'object', properties: { f: F } },
        response: { ...ok('The conformance classes the API implements.', CONFORMANCE_DOC), ...errors(400) },
      },
      serializerCompiler: asJson,
    },
    async (req, reply) => {
      checkKnown(req.query, ['f']);
      const { server, api } = urls(ctx, req);
      if (!wantsHtml(req, req.query.f)) return { conformsTo: CONFORMANCE };
      const body = `<ul>${CONFORMANCE.map((c) => `<li><code>${escapeHtml(c)}</code></li>`).join('')}</ul>`;
      return sendHtml(
        reply,
        htmlPage({
          title: 'Conformance',
          body,
          alternates: alternates(req, server, 'application/json'),
          breadcrumbs: crumbs(api, [[`${api}/conformance`, 'Conformance']]),
        }),
      );
    },
  );

  app.get<{ Querystring: { f?: string } }>(
    `${OGC_BASE_PATH}/collections`,
    {
      schema: {
        summary: 'Collections: the whole catalogue and one per source',
        tags,
        querystring: { type: 'object', properties: { f: F } },
        response: { ...ok('The collections, with their record counts and extents.', COLLECTIONS_DOC), ...errors(400, 503) },
      },
      serializerCompiler: asJson,
    },
    async (req, reply) => {
      checkKnown(req.query, ['f']);
      const { server, api } = urls(ctx, req);
      const html = wantsHtml(req, req.query.f);
      return withIndex(reply, ctx, async () => {
        const list = await collections(ctx.client, ctx.alias, CATALOGUE_TITLE);
        const doc = {
          collections: list.map((c) => collectionDoc(c, api)),
          links: [
            { href: `${api}/collections`, rel: 'self', type: 'application/json', title: 'This document' },
            { href: `${api}/collections?f=html`, rel: 'alternate', type: 'text/html', title: 'This document (HTML)' },
          ],
        };
        if (!html) return doc;
        const rows = list
          .map(
            (c) =>
              `<tr><td>${a(`${api}/collections/${encodeURIComponent(c.id)}?f=html`, c.title)}</td><td><code>${escapeHtml(c.id)}</code></td><td>${c.records.toLocaleString('en-US')}</td><td>${a(`${api}/collections/${encodeURIComponent(c.id)}/items?f=html`, 'records')}</td></tr>`,
          )
          .join('');
        const body = `<table><thead><tr><th>Collection</th><th>id</th><th>Records</th><th></th></tr></thead><tbody>${rows}</tbody></table>`;
        return sendHtml(
          reply,
          htmlPage({
            title: 'Collections',
            body,
            alternates: alternates(req, server, 'application/json'),
            breadcrumbs: crumbs(api, [[`${api}/collections`, 'Collections']]),
          }),
        );
      });
    },
  );

  app.get<{ Params: { collectionId: string }; Querystring: { f?: string } }>(
    `${OGC_BASE_PATH}/collections/:collectionId`,
    {
      schema: {
        summary: 'One collection',
        tags,
        params: collectionParam,
        querystring: { type: 'object', properties: { f: F } },
        response: { ...ok('The collection, with its record count and extent.', COLLECTION_DOC), ...errors(400, 404, 503) },
      },
      serializerCompiler: asJson,
    },
    async (req, reply) => {
      checkKnown(req.query, ['f']);
      const { server, api } = urls(ctx, req);
      const html = wantsHtml(req, req.query.f);
      return withIndex(reply, ctx, async () => {
        const { found, all } = await findCollection(ctx, req.params.collectionId);
        if (!found) return noCollection(reply, req.params.collectionId, all);
        const doc = collectionDoc(found, api);
        if (!html) return doc;
        const self = `${api}/collections/${encodeURIComponent(found.id)}`;
        const body = `<p>${escapeHtml(found.description)}</p><dl>
<dt>Records</dt><dd>${found.records.toLocaleString('en-US')} — ${a(`${self}/items?f=html`, 'browse them')}</dd>
${found.bbox ? `<dt>Extent</dt><dd>${found.bbox.map((n) => n.toFixed(4)).join(', ')} (west, south, east, north)</dd>` : ''}
${found.interval ? `<dt>Time</dt><dd>${escapeHtml(found.interval[0] ?? '..')} / ${escapeHtml(found.interval[1] ?? '..')}</dd>` : ''}
<dt>Queryables</dt><dd>${a(`${self}/queryables?f=html`, 'the properties to filter on')}</dd></dl>`;
        return sendHtml(
          reply,
          htmlPage({
            title: found.title,
            body,
            alternates: alternates(req, server, 'application/json'),
            breadcrumbs: crumbs(api, [
              [`${api}/collections?f=html`, 'Collections'],
              [`${self}?f=html`, found.id],
            ]),
          }),
        );
      });
    },
  );

  for (const kind of ['queryables', 'sortables'] as const) {
    app.get<{ Params: { collectionId: string }; Querystring: { f?: string } }>(
      `${OGC_BASE_PATH}/collections/:collectionId/${kind}`,
      {
        schema: {
          summary: kind === 'queryables' ? 'The properties records can be filtered on' : 'The properties records can be sorted by',
          tags,
          params: collectionParam,
          querystring: { type: 'object', properties: { f: F } },
          response: {
            ...ok(`The ${kind} of the collection as a JSON Schema.`, PROPERTIES_DOC, 'application/schema+json'),
            ...errors(400, 404, 503),
          },
        },
        serializerCompiler: asJson,
      },
      async (req, reply) => {
        checkKnown(req.query, ['f']);
        const { server, api } = urls(ctx, req);
        const html = wantsHtml(req, req.query.f);
        return withIndex(reply, ctx, async () => {
          const { found, all } = await findCollection(ctx, req.params.collectionId);
          if (!found) return noCollection(reply, req.params.collectionId, all);
          const doc = kind === 'queryables' ? queryablesDoc(api, found.id, found.title) : sortablesDoc(api, found.id);
          if (!html) return reply.type('application/schema+json').send(doc);
          const props = doc.properties as Record<
            string,
            { title?: string; description?: string; type?: string; format?: string; items?: { type?: string } }
          >;
          // what a property holds: a string (its format), an array of strings, a geometry
          const typeOf = (p: (typeof props)[string]) =>
            p.type === 'array' ? `array of ${p.items?.type ?? 'values'}` : [p.type, p.format].filter((x) => x !== undefined).join(', ');
          const rows = Object.entries(props)
            .map(
              ([n, p]) =>
                `<tr><td><code>${escapeHtml(n)}</code></td><td>${escapeHtml(p.title ?? '')}</td><td>${escapeHtml(typeOf(p))}</td><td>${escapeHtml(p.description ?? '')}</td></tr>`,
            )
            .join('');
          const self = `${api}/collections/${encodeURIComponent(found.id)}`;
          return sendHtml(
            reply,
            htmlPage({
              title: `${kind === 'queryables' ? 'Queryables' : 'Sortables'} of ${found.title}`,
              body: `<table><thead><tr><th>Name</th><th>Title</th><th>Type</th><th>Description</th></tr></thead><tbody>${rows}</tbody></table>`,
              alternates: alternates(req, server, 'application/schema+json'),
              breadcrumbs: crumbs(api, [
                [`${api}/collections?f=html`, 'Collections'],
                [`${self}?f=html`, found.id],
              ]),
            }),
          );
        });
      },
    );
  }

  app.get<{ Params: { collectionId: string }; Querystring: ItemsQs }>(
    `${OGC_BASE_PATH}/collections/:collectionId/items`,
    {
      schema: {
        summary: 'Records of a collection, filtered',
        description:
          'Records Part 1 query parameters, property filters on the queryables (repeat a name for alternatives), a CQL2 filter (OGC API - Features Part 3), paging by next/prev links.',
        tags,
        params: collectionParam,
        querystring: ITEMS_QUERY,
        response: {
          ...ok(
            'One page of the records found, as GeoJSON features, with links to the next and previous pages.',
            FEATURE_COLLECTION,
            'application/geo+json',
          ),
          303: answer("A browser's search form sent with empty fields: the same request without them (Location).", {
            'text/html': undefined,
          }),
          ...errorsOrPage(400),
          ...errors(404, 503),
        },
      },
      serializerCompiler: asJson,
    },
    async (req, reply) => {
      checkKnown(req.query, ITEMS_PARAMS);
      const { server, api } = urls(ctx, req);
      const q = req.query;
      const html = wantsHtml(req, q.f);
      // the page's form sends its empty fields: in a browser, an empty field is no criterion, and the page's URL (and
      // every link of the page, made from it) is better without them
      if (html && FORM_FIELDS.some((k) => q[k] === '')) {
        const url = new URL(req.url, 'http://x');
        for (const k of FORM_FIELDS) if (url.searchParams.get(k) === '') url.searchParams.delete(k);
        const to = `${url.pathname}${url.search}`;
        return sendHtml(
          reply.code(303).header('location', to),
          `<!doctype html><title>See other</title><a href="${escapeHtml(to)}">${escapeHtml(to)}</a>`,
        );
      }
      const cid = req.params.collectionId;
      let params: SearchParams;
      try {
        params = await itemsParams(q, cid);
      } catch (err) {
        if (!html || !(err instanceof UsageError)) throw err;
        // a browser gets the form back, filled in, with what to fix (a client gets the JSON 400)
        const self = `${api}/collections/${encodeURIComponent(cid)}/items`;
        return sendHtml(
          reply.code(400),
          htmlPage({
            title: 'Records: the search cannot be run',
            body: `${itemsForm(self, q)}<p class="error" role="alert">${escapeHtml(err.message)}${err.param ? ` (parameter <code>${escapeHtml(err.param)}</code>)` : ''}</p>`,
            breadcrumbs: crumbs(api, [
              [`${api}/collections?f=html`, 'Collections'],
              [`${api}/collections/${encodeURIComponent(cid)}?f=html`, cid],
              [`${self}?f=html`, 'records'],
            ]),
          }),
        );
      }
      return withIndex(reply, ctx, async () => {
        if (!(await collectionExists(ctx.client, ctx.alias, cid))) {
          const { all } = await findCollection(ctx, cid);
          return noCollection(reply, cid, all);
        }
        const found = { id: cid, title: cid === CATALOGUE_ID ? CATALOGUE_TITLE : `source ${cid}` };
        const res = await renamingParams(RENAMED, () => searchRecords(ctx.client, ctx.alias, { ...params, lang: q.lang }));
        const self = `${api}/collections/${encodeURIComponent(found.id)}/items`;
        const page = (set: Record<string, string>, f?: string) => {
          const url = new URL(req.url, 'http://x');
          url.searchParams.delete('offset');
          url.searchParams.delete('startindex');
          url.searchParams.delete('cursor');
          for (const [k, v] of Object.entries(set)) url.searchParams.set(k, v);
          if (f) url.searchParams.set('f', f);
          else url.searchParams.delete('f');
          return `${server}${url.pathname}${url.search}`;
        };
        const relatives = await relativesOf(
          ctx.client,
          ctx.alias,
          res.hits.map((h) => h.record),
        );
        const features = res.hits.map((h) =>
          recordFeature(h.record, {
            apiUrl: api,
            serverUrl: server,
            collectionId: found.id,
            recordPage: server + PATHS.record(h.record.identifier),
            rating: h.rating,
            lang: q.lang,
            ...(h.alsoFrom ? { alsoFrom: h.alsoFrom } : {}),
            ...(h.copyOf ? { copyOf: h.copyOf } : {}),
            ...relatives.get(h.record.identifier),
          }),
        );
        const links = [
          { href: page({}, undefined).replace(/\?$/, ''), rel: 'self', type: 'application/geo+json', title: 'This page' },
          { href: page({}, 'html'), rel: 'alternate', type: 'text/html', title: 'This page (HTML)' },
          { href: `${api}/collections/${encodeURIComponent(found.id)}`, rel: 'collection', type: 'application/json', title: found.title },
          ...(res.next ? [{ href: page({ cursor: res.next }), rel: 'next', type: 'application/geo+json', title: 'Next page' }] : []),
          ...(res.prev ? [{ href: page({ cursor: res.prev }), rel: 'prev', type: 'application/geo+json', title: 'Previous page' }] : []),
        ];
        const doc = {
          type: 'FeatureCollection',
          features,
          numberMatched: res.total,
          numberReturned: features.length,
          timeStamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
          links,
        };
        if (!html) return reply.type('application/geo+json').send(doc);
        const rows = res.hits
          .map(
            (h) =>
              `<li>${a(`${self}/${encodeURIComponent(h.id)}?f=html`, h.title)} <small>(${escapeHtml(h.type)}, ${escapeHtml(h.source)}${h.time ? `, ${escapeHtml(h.time.start ?? '..')} – ${escapeHtml(h.time.end ?? '..')}` : ''})</small>${h.snippet ? `<br>${h.snippet}` : ''}</li>`,
          )
          .join('');
        const nav = [
          res.prev ? `<a rel="prev" href="${escapeHtml(page({ cursor: res.prev }, 'html'))}">← previous</a>` : '',
          res.next ? `<a rel="next" href="${escapeHtml(page({ cursor: res.next }, 'html'))}">next →</a>` : '',
        ].join('');
        const body = `${itemsForm(self, q)}<p>${res.total.toLocaleString('en-US')} records${res.total ? `; ${res.offset + 1}–${res.offset + res.hits.length} shown` : ''}.</p><ol start="${res.offset + 1}">${rows}</ol><nav class="pages">${nav}</nav>`;
        return sendHtml(
          reply,
          htmlPage({
            title: `Records of ${found.title}`,
            body,
            alternates: alternates(req, server, 'application/geo+json'),
            breadcrumbs: crumbs(api, [
              [`${api}/collections?f=html`, 'Collections'],
              [`${api}/collections/${encodeURIComponent(found.id)}?f=html`, found.id],
              [`${self}?f=html`, 'records'],
            ]),
          }),
        );
      });
    },
  );

  // a record id may hold "/" (STAC items: source:collection/item), hence the wildcard
  app.get<{ Params: { collectionId: string; '*': string }; Querystring: { f?: string; lang?: string } }>(
    `${OGC_BASE_PATH}/collections/:collectionId/items/*`,
    {
      schema: {
        summary: 'One record',
        tags,
        params: {
          type: 'object',
          properties: {
            collectionId: collectionParam.properties.collectionId,
            '*': { type: 'string', description: 'The record id (source:identifier).' },
          },
        },
        querystring: { type: 'object', properties: { f: F, lang: LANG } },
        response: { ...ok('The record as a GeoJSON feature.', FEATURE, 'application/geo+json'), ...errors(400, 404, 503) },
      },
      serializerCompiler: asJson,
    },
    async (req, reply) => {
      checkKnown(req.query, ['f', 'lang']);
      const { server, api } = urls(ctx, req);
      const html = wantsHtml(req, req.query.f);
      const id = req.params['*'];
      const cid = req.params.collectionId;
      if (id === '') return sendError(reply, 404, 'no record id given: /collections/{collectionId}/items/{recordId}', 'recordId');
      return withIndex(reply, ctx, async () => {
        const [hit] = await getRecords(ctx.client, ctx.alias, [id]);
        if (!hit || (cid !== CATALOGUE_ID && hit.record.isPrimaryTopicOf.sourceId !== cid)) {
          const { found, all } = await findCollection(ctx, cid);
          if (!found) return noCollection(reply, cid, all);
          return sendError(reply, 404, `no record "${id}" in collection ${cid}`, 'recordId');
        }
        const relatives = await relativesOf(ctx.client, ctx.alias, [hit.record]);
        const feature = recordFeature(hit.record, {
          apiUrl: api,
          serverUrl: server,
          collectionId: cid,
          recordPage: server + PATHS.record(hit.record.identifier),
          rating: hit.rating,
          lang: req.query.lang,
          ...(hit.alsoFrom ? { alsoFrom: hit.alsoFrom } : {}),
          ...(hit.copyOf ? { copyOf: hit.copyOf } : {}),
          ...relatives.get(hit.record.identifier),
        });
        if (!html) return reply.type('application/geo+json').send(feature);
        const p = feature.properties as Record<string, unknown>;
        const row = (label: string, value: unknown) =>
          value === undefined || (Array.isArray(value) && value.length === 0)
            ? ''
            : `<dt>${escapeHtml(label)}</dt><dd>${typeof value === 'string' ? escapeHtml(value) : `<code>${escapeHtml(JSON.stringify(value))}</code>`}</dd>`;
        const links = (feature.links as { href: string; rel: string; title?: string; type?: string }[])
          .map(
            (l) =>
              `<li><code>${escapeHtml(l.rel)}</code> ${a(l.href, l.title ?? l.href)}${l.type ? ` <small>${escapeHtml(l.type)}</small>` : ''}</li>`,
          )
          .join('');
        const body = `${typeof p.description === 'string' ? `<p>${escapeHtml(p.description)}</p>` : ''}<dl>
${row('Id', feature.id)}${row('Type', p.type)}${row('Source', p.source)}${row('Keywords', (p.keywords as string[] | undefined)?.join(', '))}
${row('Themes', p.themes)}${row('Time', feature.time)}${row('Extent', feature.geometry)}${row('Formats', p.formats)}${row('Contacts', p.contacts)}
${row('Licence', p.license)}${row('Rights', p.rights)}${row('External ids', p.externalIds)}${row('Created', p.created)}${row('Updated', p.updated)}${row('FAIR rating', p.rating)}</dl>
<h2>Links</h2><ul>${links}</ul>`;
        return sendHtml(
          reply,
          htmlPage({
            title: String(p.title),
            body,
            alternates: alternates(req, server, 'application/geo+json'),
            breadcrumbs: crumbs(api, [
              [`${api}/collections?f=html`, 'Collections'],
              [`${api}/collections/${encodeURIComponent(cid)}?f=html`, cid],
              [`${api}/collections/${encodeURIComponent(cid)}/items?f=html`, 'records'],
            ]),
          }),
        );
      });
    },
  );
}
