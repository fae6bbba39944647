/**
 * The records a sitemap lists (https://www.sitemaps.org/protocol.html), so that search engines (Google Dataset Search
 * among them) reach every record's page, not only the first 10,000 results a catalogue page can show: the records in
 * id order, by pages of at most SITEMAP_PAGE, each page named by the id it starts after (a cursor: page N needs no
 * skipping through the N-1 before it). A copy of a dataset that another source's record stands for is left out, as in
 * every list (pipelines/duplicates.ts).
 */
import type { Client } from '@elastic/elasticsearch';
import { SHOWN_COPIES } from './search.js';

/** URLs per sitemap page: the protocol's limit. */
export const SITEMAP_PAGE = 50_000;
/** Ids read per request while walking the index. */
const BATCH = 10_000;
/** How long the pages' boundaries are reused before the index is walked again. */
export const BOUNDARIES_TTL_MS = 10 * 60_000;

export interface SitemapEntry {
  id: string;
  /** When the index last wrote the record's document (its page changed then). */
  lastmod?: string;
}

type Hit = { _id?: string | null; sort?: unknown[]; _source?: { indexed_at?: string } };

/** The records after `after` (from the first when undefined), in id order, `limit` at most, read BATCH at a time. */
export async function* sitemapEntries(
  client: Client,
  alias: string,
  after: string | undefined,
  limit = SITEMAP_PAGE,
  fields: string[] = ['indexed_at'],
): AsyncGenerator<SitemapEntry> {
  let cursor: unknown[] | undefined = after === undefined ? undefined : [after];
  let left = limit;
  while (left > 0) {
    const res = await client.search<{ indexed_at?: string }>({
      index: alias,
      size: Math.min(BATCH, left),
      query: SHOWN_COPIES,
      sort: [{ id: 'asc' }],
      _source: fields.length ? fields : false,
      track_total_hits: false,
      ...(cursor ? { search_after: cursor as string[] } : {}),
    });
    const hits = res.hits.hits as Hit[];
    for (const h of hits) yield { id: h._id as string, ...(h._source?.indexed_at ? { lastmod: h._source.indexed_at } : {}) };
    // the last page: fewer than asked
    if (hits.length < Math.min(BATCH, left)) return;
    left -= hits.length;
    cursor = hits[hits.length - 1].sort;
  }
}

const cache = new Map<string, { at: number; starts: (string | undefined)[] }>();

/**
 * Where each sitemap page starts: undefined for the first, then the id after which each next one starts (every
 * SITEMAP_PAGE-th id). Walks the ids of the whole index (BATCH a request, no source read); reused for
 * BOUNDARIES_TTL_MS, so that a crawler asking again does not walk it again.
 */
export async function sitemapPages(
  client: Client,
  alias: string,
  pageSize = SITEMAP_PAGE,
  now = Date.now(),
): Promise<(string | undefined)[]> {
  const key = `${alias}\u0000${pageSize}`;
  const hit = cache.get(key);
  if (hit && now - hit.at < BOUNDARIES_TTL_MS) return hit.starts;
  const starts: (string | undefined)[] = [undefined];
  let n = 0;
  let last: string | undefined;
  for await (const e of sitemapEntries(client, alias, undefined, Number.MAX_SAFE_INTEGER, [])) {
    if (n > 0 && n % pageSize === 0) starts.push(last);
    last = e.id;
    n++;
  }
  cache.set(key, { at: now, starts });
  return starts;
}
