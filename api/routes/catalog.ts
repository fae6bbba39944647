/**
 * The DCAT-AP catalogue over HTTP (pipelines/export-dcat.ts does the work):
 *
 * - `GET /catalog` (and `/catalog.ttl`, `.rdf`, `.jsonld`, `.nt`): one page of the catalogue, the records in id
 *   order with the `dcat:Catalog` node and a `hydra:PartialCollectionView` (first, next, previous, last,
 *   `hydra:totalItems`), as data.gouv.fr's harvester follows it. Parameters: `pageSize` (1 to 500, default 100), the
 *   cursors the links carry (`after`, `before`, `page=last`; `page=N` is informational), search's filters (`q`,
 *   `bbox=W,S,E,N`, `from`, `to`, `theme`, `source`) and `include-nonconforming=true`.
 * - `GET /records/{id}` (and the same suffixes): the DCAT-AP graph of one record, JSON-LD by default, Turtle, RDF/XML
 *   or N-Triples by negotiation; a `Link` header to the source record (rel="via") and to the other serialisations.
 *   A record that left the hub answers 410 Gone with the date it left (its tombstone); an unknown one 404.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { UsageError } from '../../core/result.js';
import { RDF_FORMATS, RDF_MEDIA_TYPE, RDF_SUFFIX, serializeQuads, type RdfFormat } from '../../mappings/rdf/serialize.js';
import { catalogPage, pageWithLinks, servedRecordGraph, type ExportFilters } from '../../pipelines/export-dcat.js';
import { loadHubIdentity, type HubIdentity } from '../../pipelines/hub-identity.js';
import { tombstoneIndex } from '../../pipelines/tombstones.js';
import { HUB_BASE_URI, type HubRecord } from '../../schemas/record.js';
import { wantsHtml } from '../html.js';
import { baseUrl, sendError, type ApiContext } from '../http.js';
import { PATHS } from '../pages/layout.js';
import { acceptFormat, mediaType, OFFERED, suffixFormat } from '../negotiate.js';
import { answer, describedOnly, errors } from '../responses.js';
import type { RouteModule } from './index.js';

/** Largest and default page of /catalog. */
export const CATALOG_PAGE = { max: 500, default: 100 };

type Query = Record<string, string | string[] | undefined>;

function one(q: Query, name: string): string | undefined {
  const v = q[name];
  if (Array.isArray(v)) throw new UsageError(`${name} is given ${v.length} times: give it once`, name);
  return v === undefined || v === '' ? undefined : v;
}

/**
 * The parameters of /catalog as /openapi.json describes them. The handler checks them itself (its messages name the
 * parameter and what it takes), so the route's validator lets every query through (`describedOnly`).
 */
const CATALOG_QUERY = {
  type: 'object',
  properties: {
    pageSize: { type: 'integer', minimum: 1, maximum: CATALOG_PAGE.max, default: CATALOG_PAGE.default, description: 'Records per page.' },
    after: { type: 'string', description: 'Cursor of hydra:next: the page after this record id.' },
    before: { type: 'string', description: 'Cursor of hydra:previous: the page before this record id.' },
    page: {
      type: 'string',
      pattern: '^([1-9][0-9]{0,8}|last)?$',
      description: 'last: the last page; a number is informational (it comes with after or before, as the links give it).',
    },
    q: { type: 'string', description: 'Free text, as GET /search.' },
    bbox: { type: 'string', description: 'west,south,east,north in degrees (WGS 84).' },
    from: { type: 'string', description: 'Start of the time window (YYYY, YYYY-MM, YYYY-MM-DD or a date-time).' },
    to: { type: 'string', description: 'End of the time window (same forms).' },
    theme: { type: 'string', description: 'A theme concept IRI or label.' },
    source: { type: 'string', description: 'A source id.' },
    'include-nonconforming': {
      type: 'string',
      enum: ['true', 'false'],
      description: 'true: also the records lacking a DCAT-AP mandatory value (left out and counted in X-Left-Out by default).',
    },
  },
} as const;

const KNOWN = new Set(Object.keys(CATALOG_QUERY.properties));

/** The JSON-LD of a graph (an object with @context and @graph). */
const JSONLD = { type: 'object', description: 'JSON-LD: @context and @graph' } as const;
/** The body of each serialisation in the description: JSON-LD is JSON, the others text. */
const RDF_BODY: Record<RdfFormat, object | undefined> = { jsonld: JSONLD, turtle: undefined, rdfxml: undefined, ntriples: undefined };
/** The media types of the RDF serialisations: HTML is the page's only when a client prefers it to all of them. */
const RDF_TYPES = RDF_FORMATS.map((f) => RDF_MEDIA_TYPE[f]);
const rdfMedia = (formats: readonly RdfFormat[]) => Object.fromEntries(formats.map((f) => [RDF_MEDIA_TYPE[f], RDF_BODY[f]]));

function filtersOf(q: Query): ExportFilters {
  const f: ExportFilters = {};
  const text = one(q, 'q');
  if (text) f.q = text;
  const bbox = one(q, 'bbox');
  if (bbox) {
    const parts = bbox.split(',').map((s) => Number(s.trim()));
    if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n)))
      throw new UsageError(`bbox must be four numbers west,south,east,north (got "${bbox}")`, 'bbox');
    f.bbox = parts as [number, number, number, number];
  }
  const from = one(q, 'from');
  if (from) f.from = from;
  const to = one(q, 'to');
  if (to) f.to = to;
  const theme = one(q, 'theme');
  if (theme) f.theme = theme;
  const source = one(q, 'source');
  if (source) f.source = source;
  return f;
}

function negotiated(req: FastifyRequest, reply: FastifyReply, suffix: RdfFormat | undefined, fallback: RdfFormat): RdfFormat | undefined {
  void reply.header('Vary', 'Accept');
  if (suffix) return suffix;
  const f = acceptFormat(req.headers.accept, fallback);
  if (!f) void sendError(reply, 406, `none of the media types in Accept is served here: ${OFFERED}`, 'Accept');
  return f;
}

/** 303 See Other to `to`, which depends on Accept. */
function seeOther(reply: FastifyReply, to: string): FastifyReply {
  return reply.code(303).header('location', to).header('vary', 'Accept').type('text/plain; charset=utf-8').send(`See ${to}\n`);
}

/** Path prefixes the server answers itself: a records' IRI base there is not routed (the server's route wins). */
const OWN_PREFIXES = ['/records/', '/catalogue/', '/ogcapi/', '/operators/', '/static/'];

/**
 * The path of the records' IRIs (`/record/` of HUB_BASE_URI by default) when the server can answer it: not the root,
 * not a path it serves itself.
 */
export function recordIriPath(base: string = HUB_BASE_URI): string | undefined {
  let path: string;
  try {
    path = new URL(base).pathname;
  } catch {
    return undefined;
  }
  if (!path.endsWith('/') || path === '/' || OWN_PREFIXES.some((p) => path.startsWith(p))) return undefined;
  return path;
}

export function catalogRoutes(options: { identity?: HubIdentity } = {}): RouteModule {
  return (app: FastifyInstance, ctx: ApiContext) => {
    const identity = options.identity ?? loadHubIdentity();

    const catalog = async (req: FastifyRequest, reply: FastifyReply, suffix?: RdfFormat) => {
      const q = req.query as Query;
      const unknown = Object.keys(q).filter((k) => !KNOWN.has(k));
      if (unknown.length > 0) throw new UsageError(`unknown parameter ${unknown[0]} (known: ${[...KNOWN].join(', ')})`, unknown[0]);
      const sizeText = one(q, 'pageSize');
      const pageSize = sizeText === undefined ? CATALOG_PAGE.default : Number(sizeText);
      if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > CATALOG_PAGE.max)
        throw new UsageError(`pageSize must be a whole number from 1 to ${CATALOG_PAGE.max} (got "${sizeText}")`, 'pageSize');
      const after = one(q, 'after');
      const before = one(q, 'before');
      const pageText = one(q, 'page');
      const last = pageText === 'last';
      if (pageText !== undefined && !last && !/^[1-9]\d{0,8}$/.test(pageText))
        throw new UsageError(`page must be a page number or "last" (got "${pageText}")`, 'page');
      if ([after, before, last || undefined].filter((x) => x !== undefined).length > 1)
        throw new UsageError('give one position at most: after, before or page=last', after ? 'after' : 'before');
      if (pageText !== undefined && !last && pageText !== '1' && after === undefined && before === undefined)
        throw new UsageError(
          'page numbers come with the cursor of the links (after or before): follow hydra:next from the first page',
          'page',
        );
      const inc = one(q, 'include-nonconforming');
      if (inc !== undefined && inc !== 'true' && inc !== 'false')
        throw new UsageError(`include-nonconforming must be true or false (got "${inc}")`, 'include-nonconforming');
      const filters = filtersOf(q);
      const format = negotiated(req, reply, suffix, 'jsonld');
      if (!format) return reply;

      const page = await catalogPage(ctx.client, ctx.alias, identity, {
        filters,
        pageSize,
        ...(after !== undefined ? { after } : {}),
        ...(before !== undefined ? { before } : {}),
        last,
        includeNonconforming: inc === 'true',
      });
      const number = last ? Math.max(1, Math.ceil(page.totalItems / pageSize)) : Number(pageText ?? '1');
      const path = `${baseUrl(ctx, req)}/catalog${suffix ? `.${RDF_SUFFIX[suffix]}` : ''}`;
      const link = (extra: Record<string, string>) => {
        const p = new URLSearchParams();
        for (const [k, v] of Object.entries({ ...filters, ...(inc ? { 'include-nonconforming': inc } : {}) })) p.set(k, String(v));
        if (pageSize !== CATALOG_PAGE.default) p.set('pageSize', String(pageSize));
        for (const [k, v] of Object.entries(extra)) p.set(k, v);
        const s = p.toString();
        return s ? `${path}?${s}` : path;
      };
      const view = link({
        ...(after !== undefined ? { after } : {}),
        ...(before !== undefined ? { before } : {}),
        ...(pageText !== undefined ? { page: pageText } : {}),
      });
      const quads = pageWithLinks(page, identity, {
        view,
        first: link({}),
        last: link({ page: 'last' }),
        totalItems: page.totalItems,
        ...(page.hasNext && page.lastId !== undefined ? { next: link({ after: page.lastId, page: String(number + 1) }) } : {}),
        ...(page.hasPrevious && page.firstId !== undefined
          ? { previous: link({ before: page.firstId, page: String(Math.max(1, number - 1)) }) }
          : {}),
      });
      if (page.leftOut.total > 0) void reply.header('X-Left-Out', String(page.leftOut.total));
      return reply.type(mediaType(format)).send(serializeQuads(format, quads));
    };

    const catalogSchema = (formats: readonly RdfFormat[]) => ({
      summary: `The DCAT-AP catalogue, one page (${formats.length > 1 ? 'by content negotiation: ' : ''}${formats.map((f) => RDF_MEDIA_TYPE[f]).join(', ')})`,
      description:
        'Records in id order with the dcat:Catalog node and a hydra:PartialCollectionView (first, next, previous, last); an empty parameter counts as absent. Documented in docs/dcat.md.',
      tags: ['DCAT-AP'],
      querystring: CATALOG_QUERY,
      response: {
        200: answer('One page of the catalogue.', rdfMedia(formats)),
        // a suffix route answers its serialisation whatever Accept says
        ...(formats.length > 1 ? errors(400, 406) : errors(400)),
      },
    });
    app.get('/catalog', { schema: catalogSchema(RDF_FORMATS), validatorCompiler: describedOnly }, (req, reply) => catalog(req, reply));
    for (const f of RDF_FORMATS)
      app.get(`/catalog.${RDF_SUFFIX[f]}`, { schema: catalogSchema([f]), validatorCompiler: describedOnly }, (req, reply) =>
        catalog(req, reply, f),
      );

    // a record's IRI names the dataset itself; dereferenced on the hub's host, it answers 303 See Other to a document
    // about it (W3C "Cool URIs for the Semantic Web"): the record's page for a browser, its DCAT-AP otherwise (Accept is
    // kept across the redirect, so /records/{id} negotiates the serialisation)
    const iriPath = recordIriPath();
    if (iriPath)
      app.get(
        `${iriPath}*`,
        {
          schema: {
            summary: `A record's IRI (${HUB_BASE_URI}{id}): 303 to its page (a browser) or its DCAT-AP (/records/{id})`,
            tags: ['DCAT-AP'],
            params: { type: 'object', properties: { '*': { type: 'string', description: 'The record id (source:identifier).' } } },
            response: {
              303: answer("See Other: the record's page when the client prefers HTML, else /records/{id} (Location).", {
                'text/plain': undefined,
              }),
              ...errors(404),
            },
          },
          validatorCompiler: describedOnly,
        },
        (req, reply) => {
          const id = (req.params as { '*': string })['*'];
          if (!id) return sendError(reply, 404, `a record's IRI is ${HUB_BASE_URI}{id}, with the record's id`);
          const target = wantsHtml(req, undefined, RDF_TYPES) ? PATHS.record(id) : `/records/${encodeURIComponent(id)}`;
          return seeOther(reply, `${baseUrl(ctx, req)}${target}`);
        },
      );

    app.get(
      '/records/*',
      {
        schema: {
          summary:
            'One record in DCAT-AP (JSON-LD by default; Turtle, RDF/XML or N-Triples by Accept or by a suffix: .ttl, .rdf, .jsonld, .nt)',
          tags: ['DCAT-AP'],
          params: {
            type: 'object',
            properties: { '*': { type: 'string', description: 'The record id (source:identifier), with an optional suffix.' } },
          },
          response: {
            200: answer(
              'The DCAT-AP graph of the record; a Link header to the source record (rel="via") and the other serialisations.',
              rdfMedia(RDF_FORMATS),
            ),
            303: answer(
              "See Other: the record's page, when the client prefers HTML to every RDF serialisation (a browser) and gives no suffix (Location).",
              {
                'text/plain': undefined,
              },
            ),
            ...errors(400, 404, 406, 410),
          },
        },
        validatorCompiler: describedOnly,
      },
      async (req, reply) => {
        const raw = (req.params as { '*': string })['*'];
        const tombstones = tombstoneIndex(ctx.alias);
        const lookup = async (id: string) => {
          const res = await ctx.client.mget<{ record?: HubRecord; harvest?: { harvested_at?: string } }>({
            docs: [
              { _index: ctx.alias, _id: id, _source: ['record'] },
              { _index: tombstones, _id: id, _source: ['harvest.harvested_at'] },
            ],
          });
          const [live, stone] = res.docs;
          if ('found' in live && live.found) return { record: live._source!.record! };
          if (stone && 'found' in stone && stone.found) return { removed: stone._source?.harvest?.harvested_at ?? '' };
          return undefined;
        };
        let id = raw;
        let found = raw ? await lookup(raw) : undefined;
        const { format: suffix, base } = suffixFormat(raw);
        if (!found && suffix) {
          id = base;
          found = await lookup(base);
        }
        const explicit = found && id === raw ? undefined : suffix;
        // a browser asking for the record without a suffix (a search result's link) is sent to its page, as its IRI
        // is; a suffix keeps its serialisation
        // (its query string kept: the page's lang)
        if (!explicit && wantsHtml(req, undefined, RDF_TYPES))
          return seeOther(reply, `${baseUrl(ctx, req)}${PATHS.record(id)}${new URL(req.url, 'http://x').search}`);
        const format = negotiated(req, reply, explicit, 'jsonld');
        if (!format) return reply;
        if (!found) return sendError(reply, 404, `no record has the id "${id}"`);
        if ('removed' in found)
          return sendError(reply, 410, `the record "${id}" left the hub on ${found.removed} (its source no longer has it)`);
        const record = found.record;
        const self = `${baseUrl(ctx, req)}/records/${encodeURIComponent(id)}`;
        const links = RDF_FORMATS.filter((f) => f !== format).map(
          (f) => `<${self}.${RDF_SUFFIX[f]}>; rel="alternate"; type="${RDF_MEDIA_TYPE[f]}"`,
        );
        const sourceUrl = record.isPrimaryTopicOf.sourceUrl;
        if (sourceUrl && /^https?:\/\//i.test(sourceUrl)) links.unshift(`<${sourceUrl}>; rel="via"`);
        void reply.header('Link', links.join(', '));
        return reply.type(mediaType(format)).send(serializeQuads(format, await servedRecordGraph(ctx.client, ctx.alias, record)));
      },
    );
  };
}
