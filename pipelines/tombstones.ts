/**
 * Tombstones: what the hub remembers of a record that left the index, so that OAI-PMH reports it as deleted
 * (`<header status="deleted">`, a Dataverse then deletes its harvested copy) and a DCAT consumer can tell.
 *
 * - They live in their own index `<alias>-tombstones`, never in the records index: search, counts, /health and every
 *   export of live records read the alias only, so a tombstone cannot show up there.
 * - One small document per record id (the id is the document id): the record's id, source, the set fields OAI-PMH
 *   filters on (type, pid, has_doi), its state, and `harvest.harvested_at`, the datestamp of the deletion (the same
 *   field name as a live record's datestamp, so that OAI-PMH sorts and filters both indices with one query).
 * - Written BEFORE the record is deleted (buryRecords, called by pipelines/index-admin.ts deleteStale): a crash between
 *   the two leaves a tombstone beside a live record, never a deletion nobody remembers; a tombstone whose record is
 *   live is void (OAI-PMH checks, and reviveTombstones removes it).
 * - A record that comes back replaces its tombstone: readers ignore a tombstone whose id is live again, and the next
 *   burial for its source (or `reviveTombstones`) removes it.
 * - Kept with no time limit (OAI-PMH Identify says deletedRecord "persistent").
 * - Deletions with a grace period (issue 13): a record missing from a complete full run is first WITHDRAWN: it leaves
 *   the records index (so search, OGC API Records, pages and DCAT exports no longer show it) and its tombstone has
 *   state 'withdrawn', `grace_until`, and the whole record (`record`, stored, not indexed: kept, restorable). OAI-PMH
 *   reports it deleted from then on. A record that comes back before `grace_until` is RESTORED (restoreReturned: its
 *   tombstone removed, the record indexed anew with a new datestamp); once the grace has passed, a later complete full
 *   run or `harvester purge` PURGES it (purgeWithdrawn: state 'deleted', the kept record dropped).
 */
import type { Client } from '@elastic/elasticsearch';
import { ensureAuxIndex } from '../mappings/es-index.js';

export function tombstoneIndex(alias: string): string {
  return `${alias}-tombstones`;
}

export type TombstoneState = 'deleted' | 'withdrawn';
/** Why a record left: its source no longer had it after a complete run, or the source itself was removed. */
export type TombstoneReason = 'stale' | 'source-removed';

export interface Tombstone {
  id: string;
  source: string;
  type?: string;
  pid: string[];
  has_doi: boolean;
  state: TombstoneState;
  reason: TombstoneReason;
  /** When the record was removed (its OAI-PMH datestamp; `harvest.harvested_at` says the same, for older readers). */
  indexed_at: string;
  harvest: { harvested_at: string };
  /** The datestamp of the record's last version before removal. */
  last_datestamp?: string;
  /** For state 'withdrawn': until when the record may come back (restored), after which it is purged. */
  grace_until?: string;
  /** For state 'withdrawn': the record as it was indexed (stored, not indexed). */
  record?: unknown;
}

const MAPPING = {
  dynamic: 'strict',
  properties: {
    id: { type: 'keyword' },
    source: { type: 'keyword' },
    type: { type: 'keyword' },
    pid: { type: 'keyword' },
    has_doi: { type: 'boolean' },
    state: { type: 'keyword' },
    reason: { type: 'keyword' },
    harvest: { properties: { harvested_at: { type: 'date' } } },
    /** The OAI-PMH datestamp: when the record was removed (the records index's field of the same name). */
    indexed_at: { type: 'date' },
    last_datestamp: { type: 'date' },
    grace_until: { type: 'date' },
    record: { type: 'object', enabled: false },
  },
} as const;

/** Tombstone indices this process has checked for the fields of the current mapping. */
const checked = new Set<string>();

/** Creates the tombstone index when missing (idempotent, safe when two processes race). */
export async function ensureTombstoneIndex(client: Client, alias: string): Promise<string> {
  const index = tombstoneIndex(alias);
  if (await client.indices.exists({ index })) {
    // an index made before withdrawals existed gets the newer fields (adding fields is allowed on a strict mapping)
    if (!checked.has(index))
      await client.indices.putMapping({
        index,
        properties: { record: MAPPING.properties.record, indexed_at: MAPPING.properties.indexed_at },
      });
    checked.add(index);
    return index;
  }
  await ensureAuxIndex(client, index, MAPPING);
  return index;
}

interface LiveFields {
  id: string;
  source: string;
  type?: string;
  pid?: string[];
  has_doi?: boolean;
  indexed_at?: string;
  harvest?: { harvested_at?: string };
  record?: unknown;
}

function bulkErrors(
  items: Record<string, { _id?: string | null; status: number; error?: { type?: string; reason?: string | null } }>[],
): string[] {
  return items.flatMap((item) => {
    const r = Object.values(item)[0];
    return r.error ? [`${r._id}: [${r.status}] ${r.error.type}: ${r.error.reason}`] : [];
  });
}

/**
 * Writes a tombstone for each of `ids` that the records index holds, BEFORE the caller deletes them; returns how many
 * were written. Throws when a tombstone cannot be written (then the caller must not delete: the deletion would be
 * forgotten). Tombstones of the same source whose record is live again are removed on the way.
 */
export async function buryRecords(
  client: Client,
  alias: string,
  ids: string[],
  opts: { reason?: TombstoneReason; now?: string; graceUntil?: string } = {},
): Promise<number> {
  if (ids.length === 0) return 0;
  const index = await ensureTombstoneIndex(client, alias);
  const now = opts.now ?? new Date().toISOString();
  const withdraw = opts.graceUntil !== undefined;
  const res = await client.mget<LiveFields>({
    index: alias,
    ids,
    _source_includes: ['id', 'source', 'type', 'pid', 'has_doi', 'indexed_at', 'harvest.harvested_at', ...(withdraw ? ['record'] : [])],
  });
  const lines: string[] = [];
  const sources = new Set<string>();
  for (const d of res.docs) {
    if (!('found' in d) || !d.found || !d._source) continue;
    const s = d._source;
    sources.add(s.source);
    const stone: Tombstone = {
      id: s.id,
      source: s.source,
      ...(s.type !== undefined ? { type: s.type } : {}),
      pid: s.pid ?? [],
      has_doi: s.has_doi ?? false,
      state: withdraw ? 'withdrawn' : 'deleted',
      reason: opts.reason ?? 'stale',
      harvest: { harvested_at: now },
      indexed_at: now,
      ...((s.indexed_at ?? s.harvest?.harvested_at) ? { last_datestamp: s.indexed_at ?? s.harvest?.harvested_at } : {}),
      ...(withdraw ? { grace_until: opts.graceUntil, record: s.record } : {}),
    };
    lines.push(JSON.stringify({ index: { _id: d._id } }), JSON.stringify(stone));
  }
  if (lines.length === 0) return 0;
  const bulk = await client.bulk({ index, operations: (lines.join('\n') + '\n') as never, refresh: true });
  const errors = bulkErrors(bulk.items);
  if (errors.length > 0) throw new Error(`${errors.length} tombstones could not be written, nothing deleted; first: ${errors[0]}`);
  // (the records being buried are still live until the caller deletes them: their new tombstones stay; withdrawn
  // records that came back are left to restoreReturned, which counts them)
  const burying = new Set(ids);
  for (const source of sources) await reviveTombstones(client, alias, source, burying, { state: 'deleted' });
  return lines.length / 2;
}

/** Of `ids`, those the records index holds (live records): a tombstone with one of these ids is void. */
export async function liveIds(client: Client, alias: string, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const res = await client.mget({ index: alias, ids, _source: false });
  return new Set(res.docs.filter((d) => 'found' in d && d.found).map((d) => d._id));
}

/**
 * Removes the tombstones of `source` (all sources when undefined) whose record is live again (it came back); returns
 * how many. Reads the tombstones in pages of 1,000 by search_after on the id.
 */
export async function reviveTombstones(
  client: Client,
  alias: string,
  source?: string,
  except?: Set<string>,
  opts: { state?: TombstoneState } = {},
): Promise<number> {
  const index = tombstoneIndex(alias);
  if (!(await client.indices.exists({ index }))) return 0;
  let after: string[] | undefined;
  let removed = 0;
  const filter = [...(source ? [{ term: { source } }] : []), ...(opts.state ? [{ term: { state: opts.state } }] : [])];
  for (;;) {
    const res = await client.search<{ id: string }>({
      index,
      size: 1000,
      _source: false,
      sort: [{ id: 'asc' }],
      query: { bool: { filter } },
      ...(after ? { search_after: after } : {}),
    });
    const hits = res.hits.hits;
    if (hits.length === 0) break;
    const live = await liveIds(
      client,
      alias,
      hits.map((h) => h._id as string),
    );
    for (const id of except ?? []) live.delete(id);
    if (live.size > 0) {
      const ops = [...live].map((id) => JSON.stringify({ delete: { _id: id } })).join('\n') + '\n';
      await client.bulk({ index, operations: ops as never, refresh: true });
      removed += live.size;
    }
    after = hits[hits.length - 1].sort as string[];
    if (hits.length < 1000) break;
  }
  return removed;
}

/** How many tombstones an index holds (of one source, or all). */
export async function countTombstones(client: Client, alias: string, source?: string): Promise<number> {
  const index = tombstoneIndex(alias);
  if (!(await client.indices.exists({ index }))) return 0;
  const r = await client.count({ index, query: source ? { term: { source } } : { match_all: {} } });
  return r.count;
}

/**
 * Records of `source` removed earlier that are live again (the run indexed them anew): withdrawn ones within their
 * grace, and those deleted for good (grace 0, purged, or removed with their source); their tombstones are removed.
 * Returns how many came back: the run counts them `restored`, not `new`.
 */
export async function restoreReturned(client: Client, alias: string, source: string): Promise<number> {
  return reviveTombstones(client, alias, source);
}

/**
 * Purges the withdrawn records (of `source`, or of every source) whose grace period ended at `now`: each tombstone
 * becomes 'deleted' for good (its datestamp stays the withdrawal's: OAI-PMH has reported it deleted since) and the
 * kept record is dropped. A withdrawn record that is live again is restored instead. Returns both counts.
 */
export async function purgeWithdrawn(
  client: Client,
  alias: string,
  opts: { source?: string; now?: string } = {},
): Promise<{ purged: number; restored: number }> {
  const index = tombstoneIndex(alias);
  if (!(await client.indices.exists({ index }))) return { purged: 0, restored: 0 };
  const now = opts.now ?? new Date().toISOString();
  const filter = [
    ...(opts.source ? [{ term: { source: opts.source } }] : []),
    { term: { state: 'withdrawn' } },
    { range: { grace_until: { lte: now } } },
  ];
  let purged = 0;
  let restored = 0;
  let after: string[] | undefined;
  for (;;) {
    // (the pages change as they are purged: search_after on the id keeps the walk exact)
    const res = await client.search<Tombstone>({
      index,
      size: 500,
      sort: [{ id: 'asc' }],
      _source_excludes: ['record'],
      query: { bool: { filter } },
      ...(after ? { search_after: after } : {}),
    });
    const hits = res.hits.hits;
    if (hits.length === 0) break;
    const live = await liveIds(
      client,
      alias,
      hits.map((h) => h._id as string),
    );
    const lines: string[] = [];
    for (const h of hits) {
      const id = h._id as string;
      if (live.has(id)) {
        lines.push(JSON.stringify({ delete: { _id: id } }));
        continue;
      }
      const { record: _record, grace_until: _grace, ...stone } = h._source!;
      lines.push(JSON.stringify({ index: { _id: id } }), JSON.stringify({ ...stone, state: 'deleted' }));
    }
    const bulk = await client.bulk({ index, operations: (lines.join('\n') + '\n') as never, refresh: true });
    const errors = bulkErrors(bulk.items);
    if (errors.length > 0) throw new Error(`${errors.length} withdrawn records could not be purged; first: ${errors[0]}`);
    restored += live.size;
    purged += hits.length - live.size;
    after = hits[hits.length - 1].sort as string[];
    if (hits.length < 500) break;
  }
  return { purged, restored };
}

/** How many withdrawn records (of one source, or all) wait for their grace period to end. */
export async function countWithdrawn(client: Client, alias: string, source?: string): Promise<number> {
  const index = tombstoneIndex(alias);
  if (!(await client.indices.exists({ index }))) return 0;
  const filter = [...(source ? [{ term: { source } }] : []), { term: { state: 'withdrawn' } }];
  return (await client.count({ index, query: { bool: { filter } } })).count;
}
