/**
 * The paging cursor of a search: an opaque string (base64url of a small JSON) that holds the sort values of the last
 * (or first) hit shown, so that the next (or previous) page is read with Elasticsearch's `search_after`, at any
 * depth (from + size stops at the index's 10,000-hit window), and the position of that page for display.
 * A cursor is bound to its query: used with other filters or another sort it is refused (a UsageError naming the
 * parameter), rather than silently paging through another result list.
 */
import { sha256 } from '../core/hash.js';
import { UsageError } from '../core/result.js';

export interface Cursor {
  /** The query the cursor belongs to (see queryKey). */
  key: string;
  /** Sort values of the hit to continue from. */
  after: (string | number | boolean | null)[];
  /** `next`: the hits after `after`; `prev`: the hits before it (read in reverse sort order, then reversed). */
  dir: 'next' | 'prev';
  /** Position (0-based) of the first hit of the page the cursor leads to. */
  offset: number;
  /** The result list is the fuzzy retry's (nothing matched as typed): its pages are read with the same fuzzy words. */
  fuzzy?: boolean;
}

/** A short digest of what defines a result list (filters, text, sort), in a canonical JSON form. */
export function queryKey(defining: unknown): string {
  return sha256(JSON.stringify(defining)).slice(0, 16);
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(
    JSON.stringify({ k: c.key, a: c.after, d: c.dir === 'prev' ? 'p' : 'n', o: c.offset, ...(c.fuzzy ? { f: 1 } : {}) }),
  ).toString('base64url');
}

const SORT_VALUE = (v: unknown): v is string | number | boolean | null =>
  v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/** The cursor a string holds; a UsageError naming `param` when it is not one, or not one of this query (`key`). */
export function decodeCursor(text: string, key: string, param = 'cursor'): Cursor {
  let raw: unknown;
  try {
    if (!/^[A-Za-z0-9_-]{1,4096}$/.test(text)) throw new Error('not base64url');
    raw = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw new UsageError(`${param} is not a cursor of this API: use the "next" or "prev" value of a previous answer as it is`, param);
  }
  const r = raw as { k?: unknown; a?: unknown; d?: unknown; o?: unknown; f?: unknown };
  if (
    typeof r.k !== 'string' ||
    !Array.isArray(r.a) ||
    !r.a.every(SORT_VALUE) ||
    (r.d !== 'n' && r.d !== 'p') ||
    typeof r.o !== 'number' ||
    !Number.isInteger(r.o) ||
    r.o < 0 ||
    (r.f !== undefined && r.f !== 1)
  )
    throw new UsageError(`${param} is not a cursor of this API: use the "next" or "prev" value of a previous answer as it is`, param);
  if (r.k !== key)
    throw new UsageError(
      `${param} belongs to another search (other text, filters or sort): a cursor pages only the search that returned it`,
      param,
    );
  return { key: r.k, after: r.a, dir: r.d === 'p' ? 'prev' : 'next', offset: r.o, ...(r.f === 1 ? { fuzzy: true } : {}) };
}
