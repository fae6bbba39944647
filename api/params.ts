/**
 * Query parameters of the reading routes (GET /search, OGC API - Records): unknown names refused with the nearest
 * known one, boxes and lists read from their text forms, pipeline errors renamed to the parameter the client sent,
 * and the one answer when the index is not there (yet) or Elasticsearch does not answer.
 */
import { errors } from '@elastic/elasticsearch';
import type { FastifyReply } from 'fastify';
import { nearest } from '../core/nearest.js';
import { UsageError } from '../core/result.js';
import { sendError, type ApiContext } from './http.js';

/** A querystring schema's property names (the parameters a route knows). */
export function schemaParams(schema: { properties: Record<string, unknown> }): string[] {
  return Object.keys(schema.properties);
}

/**
 * Refuses a parameter the route does not know (a typo would otherwise be ignored and give a wrong answer), naming it
 * and the nearest known name. `also` accepts more names (e.g. the queryables of a collection).
 */
export function checkKnown(query: Record<string, unknown>, known: readonly string[], also: readonly string[] = []): void {
  for (const name of Object.keys(query)) {
    if (known.includes(name) || also.includes(name)) continue;
    const near = nearest(name, [...known, ...also]);
    throw new UsageError(
      `unknown parameter ${name}${near ? ` (did you mean ${near}?)` : ''}; known: ${[...known, ...also].join(', ')}`,
      name,
    );
  }
}

/**
 * A box from its text form `west,south,east,north` (or the 6-number 3D form `minx,miny,minz,maxx,maxy,maxz`, whose
 * heights are ignored): four numbers, each range checked later by pipelines/search.ts.
 */
export function parseBbox(text: string, param = 'bbox'): [number, number, number, number] {
  const parts = text.split(',');
  const numbers = parts.map((p) => (p.trim() === '' ? NaN : Number(p)));
  if ((parts.length !== 4 && parts.length !== 6) || numbers.some((n) => !Number.isFinite(n)))
    throw new UsageError(`${param} must be four numbers west,south,east,north in degrees, e.g. -5.5,47,-1,49 (got "${text}")`, param);
  const [w, s, e, n] = parts.length === 6 ? [numbers[0], numbers[1], numbers[3], numbers[4]] : numbers;
  return [w, s, e, n];
}

/** A repeated or comma-separated parameter as a list (`ids=a,b` or `ids=a&ids=b`); undefined when absent. */
export function commaList(v: string | string[] | undefined): string[] | undefined {
  if (v === undefined) return undefined;
  return (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).map((s) => s.trim());
}

/** A repeated parameter as a list (values may hold commas: keywords, licences); undefined when absent. */
export function repeated(v: string | string[] | undefined): string[] | undefined {
  return v === undefined ? undefined : Array.isArray(v) ? v : [v];
}

/**
 * The value of parameter `name`, or of `alias`, another name of it that some clients send (both at once must agree: a
 * UsageError naming the alias otherwise).
 */
export function aliased<Q, K extends keyof Q & string, A extends keyof Q & string>(query: Q, name: K, alias: A): Q[K] | Q[A] {
  const [value, other]: unknown[] = [query[name], query[alias]];
  if (value !== undefined && other !== undefined && value !== other)
    throw new UsageError(`${alias} is another name of ${name}: give one of them`, alias);
  return query[name] ?? query[alias];
}

/** Runs `fn`, renaming the parameter of a UsageError it throws (pipeline names -> the route's names). */
export async function renamingParams<T>(names: Record<string, string>, fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof UsageError && err.param && names[err.param]) {
      const to = names[err.param];
      const message = err.message.startsWith(err.param) ? to + err.message.slice(err.param.length) : err.message;
      // every parameter the message names with its value, "from (2020) is after to (2019)", by its name here
      const named = new RegExp(`\\b(${Object.keys(names).join('|')}) \\(`, 'g');
      throw new UsageError(
        message.replace(named, (_, n: string) => `${names[n]} (`),
        to,
      );
    }
    throw err;
  }
}

/**
 * The answer when the index cannot be read: 503 when there is no index yet (nothing harvested) or Elasticsearch does
 * not answer, naming which; undefined for any other error (the server's error handler then answers it).
 */
export function indexUnavailable(reply: FastifyReply, ctx: ApiContext, err: unknown): FastifyReply | undefined {
  const type = (err as { meta?: { body?: { error?: { type?: string } } } }).meta?.body?.error?.type;
  if (type === 'index_not_found_exception')
    return sendError(reply, 503, `the catalogue index "${ctx.alias}" does not exist yet: harvest a source first`);
  if (indexDown(err)) return sendError(reply, 503, INDEX_DOWN);
  return undefined;
}

/**
 * Longest time GET /status and GET /metrics wait for the index: a node that hangs (rather than refusing) would otherwise
 * hold a monitor's request for minutes (ES_REQUEST_TIMEOUT_MS, with retries); past it the answer is that of an index
 * that does not answer, with what the service knows.
 */
export const STATUS_BUDGET_MS = 10_000;

/** `p`, or an Elasticsearch TimeoutError after `ms` (what p does then is ignored): an answer within a budget. */
export function within<T>(ms: number, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new errors.TimeoutError(`the index did not answer within ${ms / 1000} s`)), ms);
  });
  p.catch(() => undefined);
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

/** What a client is told when Elasticsearch does not answer. */
export const INDEX_DOWN = 'the catalogue index does not answer: try again in a moment';

/** Whether an error is Elasticsearch not answering (refused, timed out, no node alive), not a fault of the request. */
export function indexDown(err: unknown): boolean {
  return err instanceof errors.ConnectionError || err instanceof errors.TimeoutError || err instanceof errors.NoLivingConnectionsError;
}
