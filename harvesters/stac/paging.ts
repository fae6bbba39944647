/**
 * Paging of STAC API responses (/collections, /collections/{id}/items, /search): the request for the next page, read
 * from the page's `next` link. Pure.
 *
 * A STAC API `next` link may carry, beside href: `method` (GET or POST), `body` (the POST body of the next request),
 * `merge` (true: merge `body` into the current request's body rather than replace it) and `headers`.
 */
import { canonicalJson, isObject, obj, str, type JsonObject } from '../../core/json.js';
import type { Notice } from '../types.js';

export interface PageRequest {
  url: string;
  method: 'GET' | 'POST';
  body?: JsonObject;
  headers?: Record<string, string>;
}

export type StopReason = 'max-items' | 'empty-page' | 'last-page' | 'bad-next-link' | 'loop';

export type NextDecision = { next: PageRequest } | { stop: StopReason; notice?: Notice };

export interface PagingState {
  /** Keys (requestKey) of every request made so far in this listing. */
  seen: ReadonlySet<string>;
  /** Items yielded so far (across the whole harvest, when maxItems bounds the harvest). */
  yielded: number;
  maxItems?: number;
}

/** Identity of a request: method, URL and canonical body (two requests with the same key return the same page). */
export function requestKey(r: PageRequest): string {
  return `${r.method} ${r.url}${r.body ? ' ' + canonicalJson(r.body) : ''}`;
}

/**
 * The next page to request after `page` (got by `current`), or why to stop. `key` names the array of the page:
 * 'features' (items, search) or 'collections'.
 */
export function nextLink(page: JsonObject, current: PageRequest, state: PagingState, key: 'features' | 'collections'): NextDecision {
  // stop: maxItems reached: the harvest is bounded on purpose, and incomplete
  if (state.maxItems !== undefined && state.yielded >= state.maxItems) {
    return {
      stop: 'max-items',
      notice: {
        level: 'warn',
        message: `stopped at maxItems ${state.maxItems}: the harvest is incomplete`,
        data: { maxItems: state.maxItems },
      },
    };
  }
  // stop: an empty page ends the listing, even when it has a next link (some servers always send one: following it
  // would never end or loop on empty pages)
  const entries = page[key];
  if (!Array.isArray(entries) || entries.length === 0) return { stop: 'empty-page' };
  const link = (Array.isArray(page.links) ? page.links : []).map(obj).find((l) => l?.rel === 'next');
  // stop: no next link: this was the last page
  if (!link) return { stop: 'last-page' };
  const next = requestOf(link, current);
  // stop: a next link we cannot follow (no href, not a URL, a method other than GET/POST)
  if (typeof next === 'string') {
    return {
      stop: 'bad-next-link',
      notice: { level: 'warn', message: `${current.url}: ${next}; paging stopped`, data: { url: current.url, link } },
    };
  }
  // stop: the next link asks for a page already read: the server loops; what was read is kept
  if (state.seen.has(requestKey(next))) {
    return {
      stop: 'loop',
      notice: {
        level: 'warn',
        message: `${current.url}: the next link asks again for a page already read (${next.method} ${next.url}); paging stopped`,
        data: { url: next.url, method: next.method },
      },
    };
  }
  return { next };
}

/** The request a next link describes, or why it cannot be followed. */
function requestOf(link: JsonObject, current: PageRequest): PageRequest | string {
  const href = str(link.href);
  if (!href) return 'the next link has no href';
  let url: string;
  try {
    url = new URL(href, current.url).href;
  } catch {
    return `the next link href ${JSON.stringify(href)} is not a URL`;
  }
  const method = (str(link.method) ?? 'GET').toUpperCase();
  if (method !== 'GET' && method !== 'POST') return `the next link method ${method} is neither GET nor POST`;
  const headers = isObject(link.headers)
    ? Object.fromEntries(Object.entries(link.headers).filter((e): e is [string, string] => typeof e[1] === 'string'))
    : undefined;
  let body: JsonObject | undefined;
  if (method === 'POST') {
    const given = obj(link.body);
    // merge: the link body updates the current body; otherwise it replaces it (absent: the current body is sent again)
    body = link.merge === true ? { ...(current.body ?? {}), ...(given ?? {}) } : (given ?? current.body ?? {});
  }
  return { url, method, ...(body ? { body } : {}), ...(headers && Object.keys(headers).length ? { headers } : {}) };
}
