/**
 * What every route shares: the context the server gives it, the public base URL of links, the operator token that
 * guards write endpoints, and the one shape of an error answer.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Client } from '@elastic/elasticsearch';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '../pipelines/log.js';
import { OGC_BASE_PATH } from '../pipelines/ogc-records.js';
import type { HarvestService } from '../pipelines/service.js';

/** What the server hands each route module (one object, built once at start). */
export interface ApiContext {
  client: Client;
  /** Alias of the records index (runs go to `<alias>-runs`). */
  alias: string;
  log: Logger;
  /** Elasticsearch URL, for /health only (never its credentials). */
  esUrl: string;
  /**
   * Public base URL of the server (no trailing slash) when it sits behind a proxy; unset, each request's own
   * scheme and Host header are used.
   */
  publicUrl?: string;
  /** The operator token that write endpoints require; unset, write endpoints answer 403 and do nothing. */
  operatorToken?: string;
  /**
   * Hosts and address ranges that URLs given by users (POST /validate) may reach although they are not public
   * (core/ssrf.ts); default none. From $HUB_SSRF_ALLOW (comma-separated) in `harvester serve`.
   */
  ssrfAllow?: string[];
  /**
   * Folder of the harvests' failure reports, which the operators' page serves read-only (only `*.failures.ndjson`
   * files directly inside it). Default: `.cache/reports` of the project, where `harvest` writes them by default.
   */
  reportDir?: string;
  /**
   * The harvest service (`harvester serve` with a sources file): schedules, manual triggers (POST /sources/{id}/run),
   * what runs now (GET /status). Unset: the server only reads the index.
   */
  service?: HarvestService;
}

/** Longest value of a named path parameter (`/ogcapi/collections/:collectionId`); a longer one is a 400. */
export const MAX_PATH_PARAM = 500;

/** Whether an index error says the index does not exist yet (no harvest ran): an empty catalogue, not a failure. */
export function noIndex(err: unknown): boolean {
  return (err as { meta?: { statusCode?: number } }).meta?.statusCode === 404;
}

/** The base URL links are written with: the configured public URL, else the request's own scheme and host. */
export function baseUrl(ctx: ApiContext, req: FastifyRequest): string {
  if (ctx.publicUrl) return ctx.publicUrl.replace(/\/+$/, '');
  return `${req.protocol}://${req.host}`;
}

/** The JSON body of every error answer: what went wrong in one sentence, and the parameter to fix when there is one. */
export interface ErrorBody {
  status: number;
  error: string;
  parameter?: string;
}

export function sendError(reply: FastifyReply, status: number, error: string, parameter?: string): FastifyReply {
  const body: ErrorBody = { status, error, ...(parameter !== undefined ? { parameter } : {}) };
  return reply.code(status).type('application/json; charset=utf-8').send(body);
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * A preHandler for write endpoints: the request must carry `Authorization: Bearer <operator token>`. Without a
 * configured token no write endpoint works at all (403), whatever the request carries.
 */
export function requireOperator(ctx: ApiContext) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (!ctx.operatorToken) {
      await sendError(reply, 403, 'write endpoints are disabled: the server was started without HUB_OPERATOR_TOKEN');
      return;
    }
    const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    if (!m || !sameSecret(m[1], ctx.operatorToken)) {
      void reply.header('WWW-Authenticate', 'Bearer realm="operators"');
      // a token sent but not this server's (a stale copy, another hub's) is said so: "needs the token" to an operator
      // who sent one sends them looking for a missing header
      await sendError(
        reply,
        401,
        m
          ? "the token sent is not this server's operator token (its HUB_OPERATOR_TOKEN)"
          : 'this endpoint needs the operator token: Authorization: Bearer <HUB_OPERATOR_TOKEN>',
      );
    }
  };
}

/** The media type of an OpenAPI 3.0 description in JSON, as OpenAPI 3.0 and OGC API - Common's examples spell it. */
export const OPENAPI_TYPE = 'application/vnd.oai.openapi+json;version=3.0';

/** The APIs of the server, as links relative to its base URL: GET / lists them, the pages' footer links them. */
export const API_FACES = [
  { path: '/openapi.json', rel: 'service-desc', type: OPENAPI_TYPE, title: 'OpenAPI description of every route', short: 'OpenAPI' },
  { path: '/search', rel: 'search', type: 'application/json', title: 'Search API (GET /search)', short: 'Search' },
  { path: OGC_BASE_PATH, rel: 'related', type: 'application/json', title: 'OGC API - Records', short: 'OGC API - Records' },
  { path: '/oai?verb=Identify', rel: 'related', type: 'text/xml', title: 'OAI-PMH 2.0', short: 'OAI-PMH' },
  { path: '/catalog', rel: 'related', type: 'application/ld+json', title: 'DCAT-AP 3.0.1 catalogue', short: 'DCAT-AP' },
] as const;
