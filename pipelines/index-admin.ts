/**
 * Index administration with only what the minimal node has (RUNBOOK): no _reindex, no _delete_by_query.
 *
 * - Searches go to an ALIAS; the concrete index is `<alias>-v<MAPPING_VERSION>`.
 * - A mapping (or projection) change bumps MAPPING_VERSION: ensureIndex then creates the new index, copies every
 *   document into it re-projected from its stored record (point-in-time + search_after + bulk), and swaps the alias
 *   in one atomic request (rolloverToNewMapping).
 * - Stale records (those a complete run did not see) are removed by search (point-in-time + search_after) + bulk
 *   delete (deleteStale).
 */
import type { Client } from '@elastic/elasticsearch';
import { INDEX_MAPPINGS, MAPPING_VERSION, indexSettings, versionedIndexName, type IndexSettingsOptions } from '../mappings/es-index.js';
import { toIndexDoc, type IndexDoc } from '../mappings/index-doc.js';
import { linkAll, linkedKeysOf, relinkKeys, type SourceRanking } from './duplicates.js';
import { buryRecords, type TombstoneReason } from './tombstones.js';

/** Documents per page of a point-in-time scan (and per bulk request). */
const PAGE_SIZE = 1000;
/** Point-in-time keep-alive between two pages. */
const PIT_KEEP_ALIVE = '2m';

/** An alias name ES accepts, that cannot be mistaken for one of our versioned index names. */
export function checkAliasName(alias: string): void {
  if (typeof alias !== 'string' || !/^[a-z0-9][a-z0-9._-]*$/.test(alias) || alias.length > 200) {
    throw new TypeError(`alias must be lower-case letters, digits, '.', '_' or '-' (at most 200), got '${alias}'`);
  }
  if (/-v\d+$/.test(alias)) throw new TypeError(`alias must not end like a versioned index name (-v<n>), got '${alias}'`);
}

export interface EnsureIndexResult {
  /** The concrete index the alias points at. */
  index: string;
  /** true when this call created the index. */
  created: boolean;
  /** The index the alias pointed at before a rollover. */
  rolledOverFrom?: string;
  /** Documents copied by the rollover. */
  copied?: number;
  /** Indices of mapping versions older than `rolledOverFrom`, deleted after the rollover (see pruneOldVersions). */
  pruned?: string[];
}

/** Concrete indices an alias points at ([] when the alias does not exist). */
async function aliasTargets(client: Client, alias: string): Promise<string[]> {
  if (!(await client.indices.existsAlias({ name: alias }))) return [];
  return Object.keys(await client.indices.getAlias({ name: alias }));
}

async function createIndex(client: Client, index: string, opts: IndexSettingsOptions): Promise<boolean> {
  try {
    await client.indices.create({ index, settings: indexSettings(opts), mappings: INDEX_MAPPINGS });
    return true;
  } catch (err) {
    // Created meanwhile (another process, or a rollover interrupted earlier): use it.
    if ((err as { body?: { error?: { type?: string } } }).body?.error?.type === 'resource_already_exists_exception') return false;
    throw err;
  }
}

/**
 * Makes `alias` point at `<alias>-v<MAPPING_VERSION>` with the current mapping. Idempotent: nothing happens when it
 * already does. When the alias points at an older version, the documents are copied into the new index and the alias
 * is swapped (rolloverToNewMapping; the old index is kept unless `deleteOld`, older versions are deleted:
 * pruneOldVersions).
 */
export async function ensureIndex(
  client: Client,
  alias: string,
  opts: IndexSettingsOptions & { deleteOld?: boolean } = {},
): Promise<EnsureIndexResult> {
  checkAliasName(alias);
  indexSettings(opts); // options checked before any request
  const target = versionedIndexName(alias);
  const current = await aliasTargets(client, alias);
  if (current.length === 1 && current[0] === target) {
    if (opts.replicas !== undefined) await applyReplicas(client, target, opts.replicas);
    return { index: target, created: false };
  }
  if (current.length > 1) throw new Error(`alias '${alias}' points at several indices (${current.join(', ')}): fix it by hand`);
  if (current.length === 1) {
    const v = /-v(\d+)$/.exec(current[0]);
    if (v && Number(v[1]) > MAPPING_VERSION) {
      throw new Error(`alias '${alias}' points at ${current[0]}, newer than this code's mapping version ${MAPPING_VERSION}`);
    }
    const r = await rolloverToNewMapping(client, alias, { from: current[0], to: target, ...opts });
    // an index from before mapping version 6 never linked the copies of a dataset from several sources: linked now
    // (by source id; each source's next run decides its groups again with the sources file's ranking)
    if (v && Number(v[1]) < 6) await linkAll(client, alias);
    const pruned = opts.deleteOld ? [] : await pruneOldVersions(client, alias, current[0]);
    return { index: target, created: r.created, rolledOverFrom: current[0], copied: r.copied, ...(pruned.length ? { pruned } : {}) };
  }
  if (await client.indices.exists({ index: alias })) {
    throw new Error(`'${alias}' is a concrete index, not an alias: rename it or choose another alias`);
  }
  const created = await createIndex(client, target, opts);
  await client.indices.updateAliases({ actions: [{ add: { index: target, alias } }] });
  return { index: target, created };
}

/**
 * After a rollover from `previous`, deletes the indices of mapping versions older than it (`<alias>-v<K>`, K below
 * previous's version, never an index the alias points at). Each mapping change would otherwise leave a whole copy of
 * the catalogue behind (3.4 GB for the benchmark's million records); the previous one is kept so that an operator can
 * swap the alias back by hand (docs/production.md).
 */
async function pruneOldVersions(client: Client, alias: string, previous: string): Promise<string[]> {
  const version = (index: string) => {
    const m = /-v(\d+)$/.exec(index);
    return m && index === versionedIndexName(alias, Number(m[1])) ? Number(m[1]) : undefined;
  };
  const keep = version(previous);
  if (keep === undefined) return [];
  const existing = Object.keys(await client.indices.get({ index: `${alias}-v*`, expand_wildcards: ['open', 'closed'] }));
  const served = new Set(await aliasTargets(client, alias));
  // oldest first, by version number (as text, v10 would come before v9)
  const old = existing.filter((i) => (version(i) ?? keep) < keep && !served.has(i)).sort((a, b) => version(a)! - version(b)!);
  for (const index of old) await client.indices.delete({ index });
  return old;
}

/**
 * Sets the replicas of an existing index when they differ from `replicas` (a dynamic setting: the cluster adds or
 * drops copies in the background). Shards cannot change on an existing index: they apply to the next one.
 */
async function applyReplicas(client: Client, index: string, replicas: number): Promise<void> {
  // read from the node's own view: a harvest that changes nothing needs no master for this
  const got = await client.indices.getSettings({ index, name: 'index.number_of_replicas', local: true });
  const now = Number(Object.values(got)[0]?.settings?.index?.number_of_replicas);
  if (now !== replicas) await client.indices.putSettings({ index, settings: { number_of_replicas: replicas } });
}

/** Every document of an index, page by page, through a point in time sorted by _shard_doc. */
async function* scan<T>(
  client: Client,
  index: string,
  query: Record<string, unknown>,
  source: boolean | string[],
): AsyncGenerator<{ _id: string; _source?: T }[]> {
  let pit = (await client.openPointInTime({ index, keep_alive: PIT_KEEP_ALIVE })).id;
  try {
    let after: unknown[] | undefined;
    for (;;) {
      const res = await client.search<T>({
        pit: { id: pit, keep_alive: PIT_KEEP_ALIVE },
        size: PAGE_SIZE,
        sort: [{ _shard_doc: 'asc' }],
        query,
        _source: source,
        track_total_hits: false,
        ...(after ? { search_after: after as never } : {}),
      });
      pit = res.pit_id ?? pit;
      const hits = res.hits.hits;
      // Stop: the last page was read.
      if (hits.length === 0) return;
      yield hits.map((h) => ({ _id: h._id as string, _source: h._source }));
      after = hits[hits.length - 1].sort;
      if (hits.length < PAGE_SIZE) return;
    }
  } finally {
    await client.closePointInTime({ id: pit }).catch(() => undefined);
  }
}

/** Bulk item errors of a response, as `id: type: reason`. */
function bulkErrors(
  items: Record<string, { _id?: string | null; status: number; error?: { type?: string; reason?: string | null } }>[],
): string[] {
  const out: string[] = [];
  for (const item of items) {
    const r = Object.values(item)[0];
    if (r.error) out.push(`${r._id}: [${r.status}] ${r.error.type}: ${r.error.reason}`);
  }
  return out;
}

/** A stored document re-projected with the current toIndexDoc, keeping its harvest run fields. */
function reproject(stored: IndexDoc): IndexDoc {
  const doc = toIndexDoc(stored.record, { runId: stored.harvest?.run_id, lastSeen: stored.harvest?.last_seen });
  // the copies' links are not the record's: they follow it (pipelines/duplicates.ts maintains them)
  if (stored.dup) doc.dup = stored.dup;
  return doc;
}

/**
 * Copies every document of `from` into the new index `to` (created with the current mapping), re-projected from its
 * stored record, then swaps `alias` from `from` to `to` in one atomic request. Any document that fails to copy stops
 * the rollover BEFORE the swap (the alias keeps serving `from`; `to` is left for inspection).
 */
export async function rolloverToNewMapping(
  client: Client,
  alias: string,
  opts: IndexSettingsOptions & { from: string; to?: string; deleteOld?: boolean },
): Promise<{ created: boolean; copied: number }> {
  checkAliasName(alias);
  const to = opts.to ?? versionedIndexName(alias, MAPPING_VERSION);
  if (to === opts.from) throw new Error(`rollover needs two different indices, got '${to}' twice`);
  // Copy with refresh off, then restore the asked interval.
  const created = await createIndex(client, to, { ...opts, refreshInterval: '-1' });
  let copied = 0;
  for await (const page of scan<IndexDoc>(client, opts.from, { match_all: {} }, true)) {
    const lines: string[] = [];
    for (const h of page) {
      lines.push(JSON.stringify({ index: { _id: h._id } }), JSON.stringify(reproject(h._source as IndexDoc)));
    }
    const res = await client.bulk({ index: to, operations: (lines.join('\n') + '\n') as never });
    const errs = bulkErrors(res.items);
    if (errs.length > 0) {
      throw new Error(`rollover ${opts.from} → ${to}: ${errs.length} documents not copied, alias not swapped; first: ${errs[0]}`);
    }
    copied += page.length;
  }
  await client.indices.putSettings({ index: to, settings: { refresh_interval: opts.refreshInterval ?? '1s' } });
  await client.indices.refresh({ index: to });
  await client.indices.updateAliases({
    actions: [{ remove: { index: opts.from, alias } }, { add: { index: to, alias } }],
  });
  if (opts.deleteOld) await client.indices.delete({ index: opts.from });
  return { created, copied };
}

/** Whether a run saw a record, by its index id (SeenIds.has in a harvest: never false for a record it saw). */
export type SeenTest = (id: string) => boolean;

function checkStaleArgs(source: string, seen: SeenTest): void {
  if (typeof source !== 'string' || source === '') throw new TypeError('source must be a non-empty string');
  if (typeof seen !== 'function') throw new TypeError('seen must be a function (id) => boolean');
}

/** Ids of the documents of `source`, a page at a time (point-in-time scan, no _source). */
function sourceIds(client: Client, alias: string, source: string): AsyncGenerator<{ _id: string }[]> {
  return scan(client, alias, { term: { source } }, false);
}

/** How many documents `source` has in the index, and how many of them the run did not see. */
export async function countStale(client: Client, alias: string, source: string, seen: SeenTest): Promise<{ total: number; stale: number }> {
  checkStaleArgs(source, seen);
  let total = 0;
  let stale = 0;
  for await (const page of sourceIds(client, alias, source)) {
    total += page.length;
    for (const h of page) if (!seen(h._id)) stale++;
  }
  return { total, stale };
}

/**
 * Deletes the documents of `source` that the run did not see (`seen(id)` false), by point-in-time search + bulk
 * delete, each leaving a tombstone (pipelines/tombstones.ts) so that OAI-PMH reports it deleted, and returns how
 * many were deleted. Call it ONLY after a complete, successful harvest of that source: after a partial one it would
 * delete records that still exist. Refreshes the index at the end unless `refresh: false`. This is the one place where
 * the ids of the records leaving the index are known: `onDeleted` also receives those of each bulk request that were
 * deleted. Throws when some deletions fail (after trying them all).
 */
export async function deleteStale(
  client: Client,
  alias: string,
  source: string,
  seen: SeenTest,
  opts: {
    refresh?: boolean;
    reason?: TombstoneReason;
    graceUntil?: string;
    onDeleted?: (ids: string[]) => void | Promise<void>;
    /** How sources rank when the primary copy of a dataset goes and another takes its place (pipelines/duplicates.ts). */
    ranking?: SourceRanking;
  } = {},
): Promise<number> {
  checkStaleArgs(source, seen);
  let deleted = 0;
  // the keys of the removed records that had copies from other sources: those groups are decided again after
  const linked = new Set<string>();
  const errors: string[] = [];
  for await (const page of sourceIds(client, alias, source)) {
    const doomed = page.filter((h) => !seen(h._id)).map((h) => h._id);
    if (doomed.length === 0) continue;
    for (const k of await linkedKeysOf(client, alias, doomed)) linked.add(k);
    // OAI-PMH must be able to say they were deleted: a tombstone each, written before they go (pipelines/tombstones.ts)
    // (`graceUntil`: withdrawn, the record kept in its tombstone until then)
    await buryRecords(client, alias, doomed, {
      reason: opts.reason,
      ...(opts.graceUntil !== undefined ? { graceUntil: opts.graceUntil } : {}),
    });
    const lines = doomed.map((id) => JSON.stringify({ delete: { _id: id } }));
    const res = await client.bulk({ index: alias, operations: (lines.join('\n') + '\n') as never });
    const gone: string[] = [];
    for (const item of res.items) {
      const r = item.delete;
      if (r?.result === 'deleted') {
        deleted++;
        gone.push(r._id!);
      } else if (r?.error) errors.push(`${r._id}: [${r.status}] ${r.error.type}: ${r.error.reason}`);
      // A 404 not_found (deleted meanwhile) is neither counted nor an error.
    }
    if (gone.length > 0) await opts.onDeleted?.(gone);
  }
  if ((opts.refresh ?? true) || linked.size > 0) await client.indices.refresh({ index: alias });
  // the primary passes to the next copy; a copy left alone is shown again
  if (linked.size > 0) await relinkKeys(client, alias, linked, { ranking: opts.ranking, refresh: true });
  if (errors.length > 0) throw new Error(`deleteStale(${source}): ${errors.length} deletions failed, ${deleted} done; first: ${errors[0]}`);
  return deleted;
}
