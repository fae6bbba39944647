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
 * - `state` is 'deleted' today. Issue 13's "withdrawn with a grace period" adds the state 'withdrawn' with a
 *   `grace_until` date (mapped here already): a withdrawn record still served until then, reported deleted after.
 */
import type { Client } from '@elastic/elasticsearch';
import { AUX_INDEX_SETTINGS } from '../mappings/es-index.js';

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
  /** For state 'withdrawn' (issue 13): until when the record stays served. */
  grace_until?: string;
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
  },
} as const;

/** Creates the tombstone index when missing (idempotent, safe when two processes race). */
export async function ensureTombstoneIndex(client: Client, alias: string): Promise<string> {
  const index = tombstoneIndex(alias);
  if (await client.indices.exists({ index })) return index;
  await client.indices
    .create({ index, settings: AUX_INDEX_SETTINGS, mappings: MAPPING })
    .catch((err: { meta?: { body?: { error?: { type?: string } } } }) => {
      if (err.meta?.body?.error?.type !== 'resource_already_exists_exception') throw err;
    });
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
  opts: { reason?: TombstoneReason; now?: string } = {},
): Promise<number> {
  if (ids.length === 0) return 0;
  const index = await ensureTombstoneIndex(client, alias);
  const now = opts.now ?? new Date().toISOString();
  const res = await client.mget<LiveFields>({
    index: alias,
    ids,
    _source_includes: ['id', 'source', 'type', 'pid', 'has_doi', 'indexed_at', 'harvest.harvested_at'],
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
      state: 'deleted',
      reason: opts.reason ?? 'stale',
      harvest: { harvested_at: now },
      indexed_at: now,
      ...((s.indexed_at ?? s.harvest?.harvested_at) ? { last_datestamp: s.indexed_at ?? s.harvest?.harvested_at } : {}),
    };
    lines.push(JSON.stringify({ index: { _id: d._id } }), JSON.stringify(stone));
  }
  if (lines.length === 0) return 0;
  const bulk = await client.bulk({ index, operations: (lines.join('\n') + '\n') as never, refresh: true });
  const errors = bulkErrors(bulk.items);
  if (errors.length > 0) throw new Error(`${errors.length} tombstones could not be written, nothing deleted; first: ${errors[0]}`);
  // (the records being buried are still live until the caller deletes them: their new tombstones stay)
  const burying = new Set(ids);
  for (const source of sources) await reviveTombstones(client, alias, source, burying);
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
export async function reviveTombstones(client: Client, alias: string, source?: string, except?: Set<string>): Promise<number> {
  const index = tombstoneIndex(alias);
  if (!(await client.indices.exists({ index }))) return 0;
  let after: string[] | undefined;
  let removed = 0;
  for (;;) {
    const res = await client.search<{ id: string }>({
      index,
      size: 1000,
      _source: false,
      sort: [{ id: 'asc' }],
      query: source ? { term: { source } } : { match_all: {} },
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
