/**
 * The catalogue pages and their assets:
 * - GET /catalogue: search by words, box, period and facets (api/pages/search-page.ts), the query in the URL;
 * - GET /catalogue/records/:id: a record (api/pages/record-page.ts);
 * - GET /static/...: CSS, the map script, the basemap (api/static/), and Leaflet from its npm package.
 * Pages and assets are compressed when the client accepts it. A bad parameter is the page again with the error said
 * and the field marked (400), or the API's JSON 400 for a client that asked for JSON.
 */
import { createReadStream, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import compress from '@fastify/compress';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { UsageError } from '../../core/result.js';
import { getRecord, linkedRecords, partsOf } from '../../pipelines/record.js';
import { searchRecords, type SearchResult } from '../../pipelines/search.js';
import { projectPath } from '../../schemas/paths.js';
import { hubIdIri, type LangMap } from '../../schemas/record.js';
import { baseUrl, noIndex, type ApiContext } from '../http.js';
import { recordSignposts } from '../signposting.js';
import { answer, ERROR_BODY, errors } from '../responses.js';
import { requestLang, t } from '../pages/i18n.js';
import { PATHS } from '../pages/layout.js';
import { checkPage, lastPage, parseQuery, QueryFault, searchParams, type CatalogueQuery } from '../pages/query.js';
import { recordPage, RELATED } from '../pages/record-page.js';
import { searchPage } from '../pages/search-page.js';
import { sendNotFoundPage, sendPage, wantsJson } from '../pages/send.js';

const require = createRequire(import.meta.url);

/** Roots of /static/: the compiled browser scripts (dist/api/static) first, then the sources' CSS and data. */
function staticRoots(): string[] {
  const compiled = fileURLToPath(new URL('../static', import.meta.url));
  return [...new Set([compiled, projectPath('api', 'static')])].filter((d) => existsSync(d));
}

const EMPTY: SearchResult = { total: 0, offset: 0, hits: [] };

/** A page in the OpenAPI description. */
const PAGE = answer('The page (HTML, French or English).', { 'text/html': undefined });

/** The catalogue page the reader came from, when the Referer is one of ours: where "back to the results" goes. */
function backLink(req: FastifyRequest): string | undefined {
  const ref = req.headers.referer;
  if (!ref) return undefined;
  try {
    const u = new URL(ref);
    const own = new URL(`${req.protocol}://${req.host}`);
    return u.host === own.host && u.pathname === PATHS.catalogue ? u.pathname + u.search : undefined;
  } catch {
    return undefined;
  }
}

/** No record `id`: a page saying so with a link to the catalogue (404), or the JSON 404 for a client that wants JSON. */
function noRecord(req: FastifyRequest, reply: FastifyReply, id: string): FastifyReply {
  if (wantsJson(req)) return reply.code(404).send({ status: 404, error: `no record ${id}` });
  return sendNotFoundPage(req, reply, (lang) => t(lang, 'record.notfound', id));
}

export async function pageRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  await app.register(async (scope) => {
    await scope.register(compress, { threshold: 1024 });
    await scope.register(fastifyStatic, {
      root: staticRoots(),
      prefix: `${PATHS.static}/`,
      index: false,
      list: false,
      maxAge: 3_600_000,
      // only what the pages use: no source maps of the browser scripts' TypeScript, no README
      allowedPath: (path) => /^\/(css|js|data|img)\/[\w.-]+\.(css|js|geojson|svg)$/.test(path),
    });
    const leaflet = join(dirname(require.resolve('leaflet/package.json')), 'dist');
    await scope.register(fastifyStatic, {
      root: leaflet,
      prefix: `${PATHS.leaflet}/`,
      decorateReply: false,
      index: false,
      maxAge: 86_400_000,
    });
    // where browsers look for a site's icon by themselves (a 404 there is an error in every page's console)
    scope.get('/favicon.ico', { schema: { hide: true } }, (_req, reply) => reply.redirect(PATHS.favicon, 301));
    // Leaflet's licence (BSD-2-Clause), which its redistribution must carry
    const licence = join(dirname(require.resolve('leaflet/package.json')), 'LICENSE');
    scope.get(
      `${PATHS.leaflet}-LICENSE`,
      {
        schema: {
          summary: "Leaflet's licence",
          tags: ['pages'],
          response: { 200: answer('The licence text.', { 'text/plain': undefined }) },
        },
      },
      async (_req, reply) => reply.type('text/plain; charset=utf-8').send(createReadStream(licence)),
    );

    scope.get(
      PATHS.catalogue,
      {
        schema: {
          summary: 'The catalogue page: search by words, box, period and facets (for people; GET /search is the API)',
          tags: ['pages'],
          response: {
            200: PAGE,
            400: answer('The page again with the error said and the field marked, or the JSON error for a client that asks for JSON.', {
              'text/html': undefined,
              'application/json': ERROR_BODY,
            }),
          },
        },
      },
      async (req: FastifyRequest, reply: FastifyReply) => {
        const { lang, explicit } = requestLang(req);
        let query: CatalogueQuery = { filters: {}, page: 1 };
        let result: SearchResult | undefined;
        let parents: Map<string, LangMap | null> | undefined;
        try {
          query = parseQuery(req.query as Record<string, string | string[]>);
          const partOf = query.filters.partOf ?? [];
          [result, parents] = await Promise.all([
            searchRecords(ctx.client, ctx.alias, searchParams(query, lang)).catch((err: unknown) => {
              if (noIndex(err)) return EMPTY;
              throw err;
            }),
            // the titles of the records a partOf filter names, for its chip
            partOf.length
              ? linkedRecords(
                  ctx.client,
                  ctx.alias,
                  partOf.flatMap((id) => hubIdIri(id) ?? []),
                ).catch((err: unknown) => {
                  if (noIndex(err)) return undefined;
                  throw err;
                })
              : undefined,
          ]);
          checkPage(query, result.total);
        } catch (err) {
          if (!(err instanceof UsageError) || wantsJson(req)) throw err;
          const param = err.param?.replace(/^--/, '');
          // the page's own faults are said in its language, and the form shows back what can be mended
          if (err instanceof QueryFault) query = err.query;
          const message = err instanceof QueryFault ? err.in(lang) : err.message;
          // past the last page: the error links the last one
          const last = param === 'page' && result ? lastPage(result.total) : undefined;
          const error = { message, ...(param ? { parameter: param } : {}), ...(last ? { lastPage: last } : {}) };
          return sendPage(reply, searchPage({ lang, explicitLang: explicit, url: req.url, query, error }), lang, 400);
        }
        return sendPage(
          reply,
          searchPage({ lang, explicitLang: explicit, url: req.url, query, result, ...(parents ? { parents } : {}) }),
          lang,
        );
      },
    );

    scope.get<{ Params: { id: string } }>(
      `${PATHS.catalogue}/records/:id`,
      {
        schema: {
          summary: 'The page of a record (for people; GET /records/{id} is its DCAT-AP)',
          tags: ['pages'],
          response: {
            200: PAGE,
            404: answer('No such record: a page saying so, or the JSON error for a client that asks for JSON.', {
              'text/html': undefined,
              'application/json': ERROR_BODY,
            }),
            ...errors(400),
          },
        },
      },
      async (req, reply) => {
        const { lang, explicit } = requestLang(req);
        const id = req.params.id;
        const stored = await getRecord(ctx.client, ctx.alias, id).catch((err: unknown) => {
          if (noIndex(err)) return undefined;
          throw err;
        });
        if (!stored) return noRecord(req, reply, id);
        const r = stored.record;
        const [linked, parts] = await Promise.all([
          linkedRecords(
            ctx.client,
            ctx.alias,
            RELATED.flatMap((k) => r[k] ?? []),
          ),
          partsOf(ctx.client, ctx.alias, r),
        ]);
        const base = baseUrl(ctx, req);
        const page = recordPage({ lang, explicitLang: explicit, url: req.url, stored, back: backLink(req), linked, parts, baseUrl: base });
        void reply.header(
          'Link',
          recordSignposts(r, (format) => base + PATHS.dcat(stored.id, format)),
        );
        return sendPage(reply, page, lang);
      },
    );

    // An id holding a slash (STAC: collection/item) typed or pasted without encoding it: the record's own URL.
    scope.get<{ Params: { '*': string } }>(`${PATHS.catalogue}/records/*`, { schema: { hide: true } }, async (req, reply) => {
      const id = req.params['*'];
      const stored = id
        ? await getRecord(ctx.client, ctx.alias, id).catch((err: unknown) => {
            if (noIndex(err)) return undefined;
            throw err;
          })
        : undefined;
      if (!stored) return noRecord(req, reply, id);
      const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : '';
      return reply.redirect(PATHS.record(stored.id) + query, 308);
    });
  });
}
