/**
 * The last stage of a complete run: remove the records the source no longer has (indexed, not seen by the run), within
 * the deletion guard. A source that suddenly returns far fewer records is more likely broken than emptied: the guard
 * holds such removals back (the run is then `suspect`) until the operator confirms (`--max-delete-ratio 1`).
 *
 * The guard (per source in the sources file, or for a whole command with --max-delete-ratio / --max-delete-count):
 * - at most `maxDeleteRatio` of the source's indexed records in one run (default 10%),
 * - and at most `maxDeleteCount` records (default: no count),
 * - but one record may always go (unless either is 0: nothing ever goes), and never all of them (unless
 *   maxDeleteRatio is 1);
 * - every removal above REMOVAL_WARN_RATIO (2%) of the source is allowed but warned about.
 */
import type { Client } from '@elastic/elasticsearch';
import { countStale, deleteStale, type SeenTest } from './index-admin.js';
import type { SourceRanking } from './duplicates.js';

export interface DeletionGuard {
  /** Largest share of a source's indexed records one run may remove (0 to 1). Default 0.1; 1: no limit. */
  maxDeleteRatio?: number;
  /** Most records one run may remove, whatever their share. Default: no count. */
  maxDeleteCount?: number;
}

export const DELETION_DEFAULTS = { maxDeleteRatio: 0.1 } as const;

/** Removals above this share of a source's records are allowed (within the guard) but warned about. */
export const REMOVAL_WARN_RATIO = 0.02;

/** How many of a source's `total` indexed records one run may remove under `guard`. */
export function removalLimit(total: number, guard: DeletionGuard = {}): number {
  const ratio = guard.maxDeleteRatio ?? DELETION_DEFAULTS.maxDeleteRatio;
  let limit = ratio >= 1 ? total : Math.floor(total * ratio);
  if (guard.maxDeleteCount !== undefined) limit = Math.min(limit, guard.maxDeleteCount);
  // one record may always go (unless a ratio or count of 0 says never), but never the whole source short of a ratio of 1
  if (guard.maxDeleteCount !== 0 && ratio > 0) limit = Math.max(limit, 1);
  if (ratio < 1) limit = Math.min(limit, total - 1);
  return Math.max(0, limit);
}

export interface Removal {
  /** The source's documents in the index before removal, when counted. */
  total?: number;
  /** Those the run did not see. */
  stale: number;
  deleted: number;
  /** Why the stale records were kept (the guard held them back), when they were. */
  held?: string;
  /** A warning for a removal allowed but large (above REMOVAL_WARN_RATIO). */
  warning?: string;
}

/**
 * Removes the documents of `source` that a complete run did not see, within `guard`. `seenCount` (distinct ids the run
 * saw) and `exact` (every record of the run indexed: no failure, no skip) allow the common case at no cost: the
 * source has exactly as many documents as ids seen, so none is stale. `onDeleted` receives the ids removed.
 */
export async function removeStale(
  client: Client,
  alias: string,
  source: string,
  seen: SeenTest,
  opts: {
    guard?: DeletionGuard;
    refresh?: boolean;
    seenCount?: number;
    exact?: boolean;
    /** Withdraw rather than delete: the records stay in their tombstones until then (pipelines/tombstones.ts). */
    graceUntil?: string;
    onDeleted?: (ids: string[]) => void | Promise<void>;
    ranking?: SourceRanking;
  } = {},
): Promise<Removal> {
  // (A false "seen" makes seenCount smaller than the ids indexed, so the counts cannot match by accident: the scan decides.)
  if (opts.exact && opts.seenCount !== undefined) {
    const { count } = await client.count({ index: alias, query: { term: { source } } });
    if (count === opts.seenCount) return { total: count, stale: 0, deleted: 0 };
  }
  const { total, stale } = await countStale(client, alias, source, seen);
  if (stale === 0) return { total, stale, deleted: 0 };
  const limit = removalLimit(total, opts.guard);
  const share = `${stale} of ${total} records (${Math.round((stale / total) * 100)}%)`;
  if (stale > limit) {
    const ratio = opts.guard?.maxDeleteRatio ?? DELETION_DEFAULTS.maxDeleteRatio;
    const rule =
      stale === total
        ? 'all of them'
        : `more than the ${limit} one run may remove (maxDeleteRatio ${ratio}${opts.guard?.maxDeleteCount !== undefined ? `, maxDeleteCount ${opts.guard.maxDeleteCount}` : ''})`;
    return {
      total,
      stale,
      deleted: 0,
      held: `${share} are no longer in the source: ${rule}; kept, the run is suspect (if the source really lost them: harvester harvest --source ${source} --max-delete-ratio 1)`,
    };
  }
  const deleted = await deleteStale(client, alias, source, seen, {
    refresh: opts.refresh !== false,
    onDeleted: opts.onDeleted,
    ...(opts.graceUntil !== undefined ? { graceUntil: opts.graceUntil } : {}),
    ranking: opts.ranking,
  });
  return {
    total,
    stale,
    deleted,
    ...(stale / total > REMOVAL_WARN_RATIO
      ? {
          warning:
            opts.graceUntil !== undefined
              ? `withdrew ${deleted} of ${total} records (${Math.round((stale / total) * 100)}%) that the source no longer has: purged from ${opts.graceUntil.slice(0, 10)} unless they come back`
              : `removed ${deleted} of ${total} records (${Math.round((stale / total) * 100)}%) that the source no longer has`,
        }
      : {}),
  };
}
