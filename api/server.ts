/**
 * The hub's one HTTP server (`harvester serve`): fastify over the index. It owns what every route shares (request
 * logs, limits, CORS for reading, the error shape, the operator token) and registers the route modules of
 * api/routes/; the routes themselves are thin over pipelines/.
 */
import { maxHeaderSize, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import cors from '@fastify/cors';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { UsageError } from '../core/result.js';
import { MAX_PATH_PARAM, sendError, type ApiContext, type ErrorBody } from './http.js';
import { wantsHtml } from './html.js';
import { INDEX_DOWN, indexDown } from './params.js';
import { requestLang, t } from './pages/i18n.js';
import { errorPage } from './pages/layout.js';
import { sendNotFoundPage, sendPage } from './pages/send.js';
import { ERROR_BODY } from './responses.js';
import { ROUTES, type RouteModule } from './routes/index.js';

export interface ServerOptions extends ApiContext {
  /**
   * Longest time a request may take, in ms, before the server answers 503 and drops it. Default 30,000: a page or an
   * export page is read in well under a second; what takes longer is stuck.
   */
  requestTimeoutMs?: number;
  /** Largest request body, in bytes (routes taking uploads set their own, larger limit). Default 1 MiB. */
  bodyLimit?: number;
  /** Route modules to register instead of api/routes/ (tests add their own). Default: all of ROUTES. */
  routes?: RouteModule[];
}

const DEFAULTS = { requestTimeoutMs: 30_000, bodyLimit: 1024 * 1024 };

/**
 * The answer to a request node's HTTP parser refuses before any route sees it, in the one error shape: 431 when the
 * request line and headers pass node's limit (a query string of many long parameters), 408 when it is not received
 * in time, 400 when it is not HTTP.
 */
function clientError(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, error]: [number, string] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [
          431,
          `the request line and headers are longer than the ${maxHeaderSize / 1024} KB the server reads: send fewer or shorter parameters`,
        ]
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'the request was not received in time']
        : [400, 'the request is not valid HTTP'];
  const body = JSON.stringify({ status, error } satisfies ErrorBody);
  if (socket.writable)
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`,
    );
  socket.destroy(err);
}

/** The part of an OpenAPI path item that finishDescription changes. */
type PathItem = Record<string, { parameters?: { in: string; name: string }[]; responses?: Record<string, unknown> }>;

/** Names of the wildcard path parameters (fastify's `*`, which a record id holding "/" needs) in /openapi.json. */
const WILDCARD_NAMES: [RegExp, string][] = [
  [/\/items\/\{\*\}$/, 'recordId'],
  [/\{\*\}$/, 'id'],
];

/**
 * The finishing touches of /openapi.json: a wildcard path parameter gets the name its route's errors use, and every
 * operation lists the 431 that node answers before any route sees a request whose URL passes its limit.
 */
function finishDescription<T extends { paths?: Record<string, PathItem> }>({ openapiObject }: { openapiObject: T }): T {
  const paths: Record<string, PathItem> = {};
  for (const [path, item] of Object.entries(openapiObject.paths ?? {})) {
    const name = WILDCARD_NAMES.find(([re]) => re.test(path))?.[1];
    for (const op of Object.values(item)) {
      if (name) for (const p of op.parameters ?? []) if (p.in === 'path' && p.name === '*') p.name = name;
      op.responses ??= {};
      op.responses[431] ??= {
        description: `The request line and headers are longer than the server reads (${maxHeaderSize / 1024} KB).`,
        content: { 'application/json': { schema: ERROR_BODY } },
      };
    }
    paths[name ? path.replace(/\{\*\}$/, `{${name}}`) : path] = item;
  }
  return { ...openapiObject, paths };
}

/** Options checked up front, each problem naming the option. */
function checkOptions(o: ServerOptions): void {
  if (o.requestTimeoutMs !== undefined && !(Number.isInteger(o.requestTimeoutMs) && o.requestTimeoutMs >= 100))
    throw new UsageError(`requestTimeoutMs must be a whole number of ms, at least 100 (got ${o.requestTimeoutMs})`);
  if (o.bodyLimit !== undefined && !(Number.isInteger(o.bodyLimit) && o.bodyLimit >= 1024))
    throw new UsageError(`bodyLimit must be a whole number of bytes, at least 1024 (got ${o.bodyLimit})`);
  if (o.publicUrl !== undefined && !/^https?:\/\/[^/\s]+(\/\S*)?$/i.test(o.publicUrl))
    throw new UsageError(`the public URL must be an http(s) URL such as https://hub.example.org (got "${o.publicUrl}")`);
}

export async function buildServer(opts: ServerOptions): Promise<FastifyInstance> {
  checkOptions(opts);
  const { requestTimeoutMs, bodyLimit } = { ...DEFAULTS, ...opts };
  const ctx: ApiContext = {
    client: opts.client,
    alias: opts.alias,
    log: opts.log,
    esUrl: opts.esUrl,
    publicUrl: opts.publicUrl,
    operatorToken: opts.operatorToken,
    ...(opts.ssrfAllow ? { ssrfAllow: opts.ssrfAllow } : {}),
    reportDir: opts.reportDir,
    ...(opts.service ? { service: opts.service } : {}),
  };
  const app = Fastify({
    logger: false,
    bodyLimit,
    requestTimeout: requestTimeoutMs,
    connectionTimeout: requestTimeoutMs,
    // behind a reverse proxy the client's address and scheme come from X-Forwarded-*
    trustProxy: true,
    // /records/x and /records/x/ are the same page
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: MAX_PATH_PARAM },
    clientErrorHandler: clientError,
    // a path that is not valid percent-encoding, or a path parameter longer than MAX_PATH_PARAM: a 400 like any other
    frameworkErrors: (err, _req, reply) => {
      const message =
        err.code === 'FST_ERR_MAX_PARAM_LENGTH'
          ? `a path parameter is longer than ${MAX_PATH_PARAM} characters`
          : err.code === 'FST_ERR_BAD_URL'
            ? 'the path is not valid percent-encoding (a % must be followed by two hexadecimal digits of UTF-8)'
            : err.message;
      void sendError(reply, 400, message);
    },
  });

  // One log line per request: JSON when not a terminal (structured for log shippers), short text otherwise.
  app.addHook('onResponse', async (req, reply) => {
    const data = {
      method: req.method,
      url: req.url,
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime),
      ip: req.ip,
    };
    ctx.log.log(reply.statusCode >= 500 ? 'error' : 'info', `${req.method} ${req.url} ${reply.statusCode}`, data);
  });

  // Reading is open to any origin (catalogue clients in browsers); writing is not.
  await app.register(cors, { origin: '*', methods: ['GET', 'HEAD'] });

  // The OpenAPI description (/openapi.json) is generated from the schemas of the routes registered after this.
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Land-surface data hub',
        version: '1',
        description:
          'Metadata catalogue of the national land-surface data hub: search, OGC API - Records, records in DCAT-AP, harvesting status.',
      },
      components: {
        securitySchemes: {
          operatorToken: {
            type: 'http',
            scheme: 'bearer',
            description: 'The operator token (HUB_OPERATOR_TOKEN) that write endpoints need.',
          },
        },
      },
    },
    transformObject: finishDescription as never,
  });

  // A path served with other methods answers 405 with the methods it takes (RFC 9110 15.5.6), any other a 404. Both
  // the 404 handler and the error handler ask (fastify reads the body of a QUERY or PATCH before the 404 handler,
  // and refuses one without its Content-Type), so that no hook costs the requests that find their route.
  const routes = methodsByPath(app);
  const notAllowed = (req: FastifyRequest, reply: FastifyReply): FastifyReply | undefined => {
    const path = req.url.split('?')[0];
    const allowed = routes.methodsOf(path);
    // (a method the path takes that still found no route: the router is stricter than these patterns)
    if (allowed.length === 0 || allowed.includes(req.method)) return undefined;
    return sendError(
      reply.header('allow', allowed.join(', ')),
      405,
      `${req.method} is not allowed on ${path}: it takes ${allowed.join(', ')}`,
    );
  };
  app.setErrorHandler(async (err: FastifyError, req, reply) => {
    if (req.is404) {
      const refused = notAllowed(req, reply);
      if (refused) return refused;
    }
    if (err instanceof UsageError) return sendError(reply, 400, err.message, err.param?.replace(/^--/, ''));
    if (err.validation) {
      // fastify's schema validation: name the parameter (querystring.limit -> limit)
      const v = err.validation[0];
      const param = (v?.instancePath || `/${String((v?.params as { missingProperty?: string } | undefined)?.missingProperty ?? '')}`)
        .replace(/^\//, '')
        .split('/')[0];
      // an enum failure lists what is allowed ("sort: must be one of relevance, date, title")
      const allowed = (v?.params as { allowedValues?: unknown[] } | undefined)?.allowedValues;
      // a parameter that takes one value, given several times (?q=a&q=b): say so, not "must be string"
      const given = err.validationContext === 'querystring' && param ? (req.query as Record<string, unknown>)[param] : undefined;
      if (v?.keyword === 'type' && Array.isArray(given))
        return sendError(reply, 400, `${param} is given ${given.length} times: give it once`, param);
      const message = v?.keyword === 'enum' && allowed ? `must be one of ${allowed.join(', ')}` : (v?.message ?? err.message);
      return sendError(reply, 400, `${param ? `${param}: ` : ''}${message}`, param || undefined);
    }
    if (indexDown(err)) {
      // Elasticsearch down (or restarting): every route that reads the index says so, 503, not an internal error
      ctx.log.warn(`${req.method} ${req.url.split('?')[0]}: Elasticsearch does not answer (${err.name}: ${err.message})`);
      void reply.header('Retry-After', String(INDEX_RETRY_AFTER_S));
      if (browsing(req)) {
        const { lang, explicit } = requestLang(req);
        return sendPage(reply, errorPage({ lang, explicitLang: explicit, url: req.url, message: t(lang, 'page.indexDown') }), lang, 503, 0);
      }
      return sendError(reply, 503, INDEX_DOWN);
    }
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    if (status >= 500) ctx.log.error(`${req.method} ${req.url}: ${err.stack ?? err.message}`);
    return sendError(reply, status, status >= 500 ? 'internal error: the server log has the details' : err.message);
  });
  app.setNotFoundHandler(
    async (req, reply) =>
      notAllowed(req, reply) ??
      (browsing(req)
        ? sendNotFoundPage(req, reply, (lang) => t(lang, 'page.notfound', req.url.split('?')[0]))
        : sendError(reply, 404, `no such page: ${req.method} ${req.url.split('?')[0]}`)),
  );

  for (const route of opts.routes ?? ROUTES) await route(app, ctx);
  return app;
}

/** Seconds a client is asked to wait (Retry-After) when Elasticsearch does not answer. */
const INDEX_RETRY_AFTER_S = 30;

/** A browser asking for a page (GET or HEAD, HTML preferred to JSON): its 404 is a page, not the API's JSON. */
function browsing(req: FastifyRequest): boolean {
  return (req.method === 'GET' || req.method === 'HEAD') && wantsHtml(req, undefined);
}

/**
 * The methods each route path takes, gathered as routes are added (onRoute), for the 405s: a route's path as a pattern
 * (`:name` one segment, `*` the rest). The catch-all OPTIONS of CORS preflights is left out, or every path would
 * match; OPTIONS is listed wherever another method is, since that catch-all answers it.
 */
function methodsByPath(app: FastifyInstance): { methodsOf(path: string): string[] } {
  const patterns: { re: RegExp; methods: string[] }[] = [];
  app.addHook('onRoute', (route) => {
    if (route.url === '*' || route.url === '/*') return;
    const body = route.url
      .replace(/\/+$/, '')
      .split(/(:[A-Za-z0-9_]+|\*)/)
      .map((part, i) => (i % 2 === 0 ? part.replace(/[.+?^${}()|[\]\\]/g, '\\$&') : part === '*' ? '.*' : '[^/]+'))
      .join('');
    patterns.push({ re: new RegExp(`^${body}/?$`), methods: ([] as string[]).concat(route.method) });
  });
  return {
    methodsOf(path) {
      const found = new Set(patterns.filter((p) => p.re.test(path)).flatMap((p) => p.methods));
      if (found.size === 0) return [];
      if (found.has('GET')) found.add('HEAD');
      found.add('OPTIONS');
      const order = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
      return [...found].sort((a, b) => order.indexOf(a) - order.indexOf(b));
    },
  };
}
