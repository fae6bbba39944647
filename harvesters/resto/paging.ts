/**
 * Paging of resto / OpenSearch-EO answers: what a page says (`pageInfo`, for the three answers resto gives) and the
 * request for the next page, or why to stop (`nextPage`). Pure.
 *
 * resto pages by `startIndex` (1-based, OpenSearch {startIndex}) or `page` (OpenSearch {startPage}) with `maxRecords`
 * (resto 2) or `limit` (resto 6 and later), and caps a page at 500 records whatever is asked. Its answers say:
 * - resto 2 (GeoJSON): `properties.totalResults` (exact when `properties.exactCount`), `properties.startIndex`,
 *   `properties.itemsPerPage` (the records of this page), `properties.links` with rel `next`;
 * - resto 6+ (STAC-like FeatureCollection): `context.matched` (exact when `context.exactCount`), `context.returned`,
 *   `context.startIndex`, `links` with rel `next` (often `?next=<token>`);
 * - Atom (OpenSearch 1.1): `os:totalResults`, `os:startIndex`, `os:itemsPerPage`, `link rel="next"`.
 * A next link, when there is one, is followed; otherwise the next request is computed from what was read.
 */
import { arr, num, obj, str, type JsonObject } from '../../core/json.js';
import type { Notice } from '../types.js';

/** What one page says about the paging. */
export interface PageInfo {
  /** Entries on this page. */
  returned: number;
  /** Entries the whole query matches, when said. */
  matched?: number;
  /** false when the server says `matched` is an estimate. */
  exact?: boolean;
  /** The next page's URL, when the page gives one. */
  next?: string;
}

/** The paging of a JSON answer: a resto 2 GeoJSON page, a STAC-like page, or a list of collections. */
export function jsonPageInfo(page: JsonObject, entries: number, base: string): PageInfo {
  const props = obj(page.properties);
  const context = obj(page.context);
  const matched = num(props?.totalResults) ?? num(context?.matched) ?? num(page.numberMatched);
  const exact = props?.exactCount ?? context?.exactCount;
  const links = [...arr(props?.links), ...arr(page.links)].map(obj);
  const nextLink = links.find((l) => l?.rel === 'next' && (str(l.method) ?? 'GET').toUpperCase() === 'GET');
  const next = resolve(str(nextLink?.href), base);
  return {
    returned: entries,
    ...(matched !== undefined && matched >= 0 ? { matched } : {}),
    ...(typeof exact === 'boolean' ? { exact } : {}),
    ...(next ? { next } : {}),
  };
}

/** A link resolved against the page URL (undefined when absent; kept as written when it does not resolve). */
export function resolve(href: string | undefined, base: string): string | undefined {
  if (!href) return undefined;
  try {
    return new URL(href, base).href;
  } catch {
    return href;
  }
}

export type PagingMode = 'startIndex' | 'page';

/** The request just made. */
export interface PageRequest {
  url: string;
  /** 1-based index of its first entry (startIndex mode), or its page number (page mode). */
  startIndex: number;
  page: number;
  limit: number;
}

export interface PagingState {
  request: PageRequest;
  mode: PagingMode;
  /** Name of the page size parameter: maxRecords (resto 2, OpenSearch) or limit (resto 6+). */
  limitParam: string;
  /** Every URL requested in this listing, this one included. */
  seen: ReadonlySet<string>;
  /** Entries read in this listing, this page's included. */
  read: number;
  /** Entries read over the whole harvest, for maxProducts. */
  total: number;
  maxProducts?: number;
  pages: number;
  maxPages: number;
}

export type StopReason =
  'last-page' | 'empty-page' | 'short-page' | 'max-products' | 'max-pages' | 'bad-next-link' | 'other-origin' | 'loop';

export type PageDecision = { next: PageRequest } | { stop: StopReason; complete: boolean; notice?: Notice };

/** The request for the page after `info`, or why to stop and whether the listing was then read whole. */
export function nextPage(info: PageInfo, s: PagingState): PageDecision {
  const warn = (stop: StopReason, message: string, data: Record<string, unknown> = {}): PageDecision => ({
    stop,
    complete: false,
    notice: { level: 'warn', message, data: { truncated: true, ...data } },
  });
  // stop: maxProducts reached: the harvest is bounded on purpose, and incomplete
  if (s.maxProducts !== undefined && s.total >= s.maxProducts) {
    return warn('max-products', `stopped at maxProducts ${s.maxProducts}: the harvest is incomplete`, { maxProducts: s.maxProducts });
  }
  // stop: a page without entries ends the listing; read whole unless the server counted, exactly, more than were read
  if (info.returned === 0) {
    if (info.matched !== undefined && info.exact !== false && s.read < info.matched) {
      return warn('empty-page', `${s.request.url}: an empty page after ${s.read} of ${info.matched} entries; paging stopped`, {
        matched: info.matched,
        read: s.read,
      });
    }
    return { stop: 'empty-page', complete: true };
  }
  let next: string;
  if (info.next) {
    next = info.next;
  } else {
    // stop: no next link and everything the server counted was read: the last page
    if (info.matched !== undefined && s.read >= info.matched) return { stop: 'last-page', complete: true };
    // stop: no next link, no count, and a page shorter than asked: the last page
    if (info.matched === undefined && info.returned < s.request.limit) return { stop: 'short-page', complete: true };
    // otherwise the next page is asked for by startIndex or page number (resto 2 answers may carry no next link)
    next = withParams(
      s.request.url,
      s.mode === 'page' ? { page: String(s.request.page + 1) } : { startIndex: String(s.request.startIndex + info.returned) },
    );
  }
  // stop: a next link that is not an http(s) URL cannot be followed: what is behind it is unknown
  let url: URL;
  try {
    url = new URL(next);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http(s)');
  } catch {
    return warn('bad-next-link', `${s.request.url}: the next page ${JSON.stringify(next)} is not an http(s) URL; paging stopped`);
  }
  // stop: a next page on another host is not followed (a catalogue pages itself): what is behind it is unknown
  if (url.hostname !== new URL(s.request.url).hostname) {
    return warn('other-origin', `${s.request.url}: the next page ${url.href} is on another host; not followed, paging stopped`, {
      next: url.href,
    });
  }
  // stop: the next page was already requested: the server loops; what was read is kept
  if (s.seen.has(url.href)) return warn('loop', `${s.request.url}: the next page ${url.href} was already read; paging stopped`);
  // stop: maxPages reached (a bound against listings that never end): incomplete
  if (s.pages >= s.maxPages) {
    return warn('max-pages', `stopped after maxPages ${s.maxPages} pages: the harvest is incomplete`, { maxPages: s.maxPages });
  }
  return {
    next: {
      url: url.href,
      startIndex: s.request.startIndex + info.returned,
      page: s.request.page + 1,
      limit: s.request.limit,
    },
  };
}

/** The URL with these query parameters set. */
export function withParams(url: string, params: Record<string, string>): string {
  const u = new URL(url);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return u.href;
}
