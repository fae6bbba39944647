/**
 * The same dataset by two routes: data centres' catalogues harvest each other, so one dataset often reaches the hub
 * from two sources. Records of different sources that share a key (mappings/dup-keys.ts: a DOI, a Handle, the
 * source's own record identifier, an identifier IRI) are copies of one dataset; this module links them so that search
 * shows the dataset once (docs/duplicates.md):
 *
 * - every index document carries its `dup_keys`; a linked one also carries `dup`: `{ primary: true, also: [ids] }` on
 *   the copy shown, `{ primary: false, of: id }` on the others. Search, OGC API items and the DCAT export leave out the
 *   documents whose `dup.primary` is false; the primary lists the others ("also from"), which stay reachable by id.
 * - which copy is the primary: the source ranking (rankSources): the sources file's `precedence` list, then the
 *   sources' `priority`, then the copy from the dataset's own site (origin), then the order the sources are declared,
 *   then the source id.
 * - when: the harvest's `link` step (linkRun, after the records are written and the index refreshed) re-decides every
 *   group one of the run's written records (or of the source's records already linked) belongs to; every deletion
 *   (pipelines/index-admin.ts deleteStale: stale records, `harvester remove`) re-decides the groups of the copies it
 *   removed, so that the primary passes to the next copy and the others stay.
 *
 * Built only with what the embedded node has: searches (terms queries on dup_keys) and bulk partial updates (`doc`),
 * conditional on the version read (if_seq_no): no script, no update-by-query. A key that names several records of one
 * source (a collection's DOI repeated on its items) does not identify one dataset: it links nothing.
 */
import type { Client } from '@elastic/elasticsearch';
import { sha256 } from '../core/hash.js';
import type { DupState } from '../mappings/index-doc.js';

/** How the sources of a sources file rank when copies of one dataset compete (pipelines/sources.ts builds it). */
export interface SourceRanking {
  /** The file's top-level `precedence`: source ids, first wins. */
  precedence: readonly string[];
  /** Each source's `priority` (default 0): higher wins, after the precedence list. */
  priority: Readonly<Record<string, number>>;
  /** Source ids in the order the file declares them. */
  declared: readonly string[];
  /** Each source's URL: a copy whose dataset lives on its source's site is the original. */
  urls: Readonly<Record<string, string>>;
}

/** A fingerprint of a ranking: a run whose ranking is its previous run's need not decide its old groups again. */
export function rankingKey(ranking: SourceRanking | undefined): string {
  return ranking ? sha256(JSON.stringify([ranking.precedence, ranking.priority, ranking.declared, ranking.urls])).slice(0, 16) : 'none';
}

/** Most documents one group search reads; a key found on more (a generic value) is left unlinked. */
export const MAX_GROUP_DOCS = 10_000;
/** Rounds of following keys from copy to copy (a DOI on one copy, a file identifier on the next...). */
const ROUNDS = 4;
/** Keys per terms query, documents per page of a run's pass. */
const CHUNK = 1000;
const PIT_KEEP_ALIVE = '2m';

/** The fields of a document the links are decided by, read from doc values (never the large _source). */
const FIELDS = ['source', 'dup_keys', 'dup_hosts', 'dup.primary', 'dup.of', 'dup.also'];

interface Hit {
  _id?: string | null;
  _seq_no?: number;
  _primary_term?: number;
  fields?: Record<string, unknown[]>;
}

/** What doc values say of a document (keyword lists come sorted: `also` is compared as a set). */
function fromFields(h: Hit): { source: string; keys: string[]; hosts: string[]; dup: DupState | null } {
  const f = h.fields ?? {};
  const strings = (name: string) => (f[name] ?? []) as string[];
  const primary = (f['dup.primary'] ?? [])[0] as boolean | undefined;
  const of = strings('dup.of')[0];
  const also = strings('dup.also');
  const dup: DupState | null =
    primary === undefined ? null : { primary, ...(of !== undefined ? { of } : {}), ...(also.length ? { also } : {}) };
  return { source: strings('source')[0], keys: strings('dup_keys'), hosts: strings('dup_hosts'), dup };
}

/** A document of a group as the decision needs it. */
export interface GroupDoc {
  id: string;
  source: string;
  keys: string[];
  dup?: DupState | null;
  /** Hosts the dataset's own identifiers and landing pages live on (the origin rule). */
  hosts: string[];
  seqNo?: number;
  primaryTerm?: number;
}

function hostOf(url: string | undefined): string | undefined {
  if (typeof url !== 'string' || !/^https?:\/\//i.test(url) || !URL.canParse(url)) return undefined;
  return new URL(url).hostname.toLowerCase().replace(/^www\./, '');
}

/** Two hosts are one site: equal, one under the other, or sharing the parent of two names of three labels or more. */
export function sameSite(a: string, b: string): boolean {
  if (a === b || a.endsWith('.' + b) || b.endsWith('.' + a)) return true;
  const pa = a.split('.');
  const pb = b.split('.');
  return pa.length >= 3 && pb.length >= 3 && pa.slice(1).join('.') === pb.slice(1).join('.');
}

function toGroupDoc(h: Hit): GroupDoc {
  const { source, keys, hosts, dup } = fromFields(h);
  return {
    id: h._id as string,
    source,
    keys,
    dup,
    hosts,
    ...(h._seq_no !== undefined ? { seqNo: h._seq_no } : {}),
    ...(h._primary_term !== undefined ? { primaryTerm: h._primary_term } : {}),
  };
}

/** Whether a copy is its dataset's original: its landing page or identifier IRI is on its source's site. */
export function isOrigin(doc: GroupDoc, ranking?: SourceRanking): boolean {
  const site = hostOf(ranking?.urls[doc.source]);
  return site !== undefined && doc.hosts.some((h) => sameSite(h, site));
}

/** Sort key of a copy: lower wins (see the file comment for the order of the rules). */
function rankKey(doc: GroupDoc, ranking?: SourceRanking): [number, number, number, number, string, string] {
  const listed = ranking?.precedence.indexOf(doc.source) ?? -1;
  const declared = ranking?.declared.indexOf(doc.source) ?? -1;
  return [
    listed < 0 ? Number.MAX_SAFE_INTEGER : listed,
    -(ranking?.priority[doc.source] ?? 0),
    isOrigin(doc, ranking) ? 0 : 1,
    declared < 0 ? Number.MAX_SAFE_INTEGER : declared,
    doc.source,
    doc.id,
  ];
}

/** The copies in the order they rank: the first is the primary. */
export function rankCopies<T extends GroupDoc>(docs: T[], ranking?: SourceRanking): T[] {
  const keyed = docs.map((d) => ({ d, k: rankKey(d, ranking) }));
  keyed.sort((a, b) => {
    for (let i = 0; i < a.k.length; i++) {
      const x = a.k[i];
      const y = b.k[i];
      if (x < y) return -1;
      if (x > y) return 1;
    }
    return 0;
  });
  return keyed.map((x) => x.d);
}

/** Keys that link: found on documents of two sources or more, on one document per source. */
export function linkingKeys(byKey: Map<string, GroupDoc[]>): Set<string> {
  const out = new Set<string>();
  for (const [key, docs] of byKey) {
    const sources = new Set(docs.map((d) => d.source));
    if (sources.size >= 2 && sources.size === docs.length) out.add(key);
  }
  return out;
}

/**
 * The state each document should have: `null` when it has no copy, else primary or not (the caller writes it only for
 * the documents whose every key was searched: their groups are whole).
 */
export function decide(docs: GroupDoc[], byKey: Map<string, GroupDoc[]>, ranking?: SourceRanking): Map<string, DupState | null> {
  const linking = linkingKeys(byKey);
  const parent = new Map<string, string>(docs.map((d) => [d.id, d.id]));
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(x, r);
    return r;
  };
  for (const key of linking) {
    const [first, ...rest] = byKey.get(key)!;
    for (const d of rest) parent.set(find(d.id), find(first.id));
  }
  const groups = new Map<string, GroupDoc[]>();
  for (const d of docs) {
    const root = find(d.id);
    groups.set(root, [...(groups.get(root) ?? []), d]);
  }
  const out = new Map<string, DupState | null>();
  for (const group of groups.values()) {
    if (group.length === 1) {
      out.set(group[0].id, null);
      continue;
    }
    const ranked = rankCopies(group, ranking);
    const best = ranked[0].source;
    const primaries = ranked.filter((d) => d.source === best);
    const also = new Map<string, string[]>(primaries.map((p) => [p.id, []]));
    for (const d of ranked) {
      if (d.source === best) continue;
      // its primary: the first primary it shares a linking key with, else the best one
      const p = primaries.find((pr) => pr.keys.some((k) => linking.has(k) && d.keys.includes(k))) ?? primaries[0];
      also.get(p.id)!.push(d.id);
      out.set(d.id, { primary: false, of: p.id });
    }
    for (const p of primaries) {
      const ids = also.get(p.id)!;
      out.set(p.id, ids.length > 0 ? { primary: true, also: ids } : null);
    }
  }
  return out;
}

function sameState(a: DupState | null | undefined, b: DupState | null | undefined): boolean {
  const norm = (s: DupState | null | undefined) =>
    s ? JSON.stringify({ p: s.primary, o: s.of ?? null, a: s.also && s.also.length ? [...s.also].sort() : null }) : 'null';
  return norm(a) === norm(b);
}

export interface LinkStats {
  /** Keys whose groups were decided. */
  keys: number;
  /** Documents whose `dup` changed. */
  updated: number;
  /** Updates that lost to a concurrent write of the document (its own run links it again). */
  conflicts: number;
}

function chunks<T>(list: T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += n) out.push(list.slice(i, i + n));
  return out;
}

/**
 * Re-decides the groups of copies that hold any of `keys`, following keys from copy to copy, and writes the `dup` of
 * every document whose state changes (bulk partial updates, conditional on the version read). The index must be
 * refreshed before (so that the search sees the documents) and is refreshed after when `refresh`.
 */
export async function relinkKeys(
  client: Client,
  alias: string,
  keys: Iterable<string>,
  opts: { ranking?: SourceRanking; refresh?: boolean } = {},
): Promise<LinkStats> {
  const docs = new Map<string, GroupDoc>();
  const queried = new Set<string>();
  let frontier = [...new Set(keys)];
  const stats: LinkStats = { keys: frontier.length, updated: 0, conflicts: 0 };
  if (frontier.length === 0) return stats;
  const crowded = new Set<string>();
  for (let round = 0; round < ROUNDS && frontier.length > 0; round++) {
    for (const chunk of chunks(frontier, CHUNK)) {
      const res = await client.search({
        index: alias,
        size: MAX_GROUP_DOCS,
        seq_no_primary_term: true,
        _source: false,
        docvalue_fields: FIELDS,
        // (no score, no ranking of hits: index order is the cheapest way to read them all)
        sort: ['_doc'],
        query: { terms: { dup_keys: chunk } },
      });
      for (const h of res.hits.hits) docs.set(h._id as string, toGroupDoc(h));
      // too many documents for one search: the keys of this chunk are not all whole, none of them links
      if (res.hits.hits.length >= MAX_GROUP_DOCS) for (const k of chunk) crowded.add(k);
      for (const k of chunk) queried.add(k);
    }
    const byKey = keyIndex(docs, queried, crowded);
    const linking = linkingKeys(byKey);
    const next = new Set<string>();
    for (const k of linking) for (const d of byKey.get(k)!) for (const dk of d.keys) if (!queried.has(dk)) next.add(dk);
    // a document linked before is decided again, whatever key it was found by (its copy may have gone)
    for (const d of docs.values()) if (d.dup) for (const dk of d.keys) if (!queried.has(dk) && !crowded.has(dk)) next.add(dk);
    frontier = [...next];
  }
  const byKey = keyIndex(docs, queried, crowded);
  const states = decide([...docs.values()], byKey, opts.ranking);
  const lines: string[] = [];
  for (const d of docs.values()) {
    // a document with a key not searched may be linked beyond what was read: left as it is
    if (!d.keys.every((k) => queried.has(k))) continue;
    const want = states.get(d.id) ?? null;
    if (sameState(d.dup, want)) continue;
    const cond = d.seqNo !== undefined && d.primaryTerm !== undefined ? { if_seq_no: d.seqNo, if_primary_term: d.primaryTerm } : {};
    // a partial update merges objects: every field written, null for those the new state has not
    const dup = want && { primary: want.primary, of: want.of ?? null, also: want.also ?? null };
    lines.push(JSON.stringify({ update: { _id: d.id, ...cond } }), JSON.stringify({ doc: { dup } }));
  }
  for (const part of chunks(lines, 2 * CHUNK)) {
    const res = await client.bulk({ index: alias, operations: (part.join('\n') + '\n') as never });
    for (const item of res.items) {
      const r = item.update;
      if (!r) continue;
      if (r.status === 409 || r.status === 404) stats.conflicts++;
      else if (r.error) throw new Error(`linking copies: ${r._id}: [${r.status}] ${r.error.type}: ${r.error.reason}`);
      else stats.updated++;
    }
  }
  if (opts.refresh && lines.length > 0) await client.indices.refresh({ index: alias });
  return stats;
}

/** The documents of each searched key (a crowded key is left out: it links nothing). */
function keyIndex(docs: Map<string, GroupDoc>, queried: Set<string>, crowded: Set<string>): Map<string, GroupDoc[]> {
  const byKey = new Map<string, GroupDoc[]>();
  for (const d of docs.values()) for (const k of d.keys) if (queried.has(k) && !crowded.has(k)) byKey.set(k, [...(byKey.get(k) ?? []), d]);
  return byKey;
}

/** Every page of documents a query matches (point in time, _shard_doc order). */
async function* scan(
  client: Client,
  alias: string,
  query: Record<string, unknown>,
): AsyncGenerator<{ id: string; s: ReturnType<typeof fromFields> }[]> {
  let pit = (await client.openPointInTime({ index: alias, keep_alive: PIT_KEEP_ALIVE })).id;
  try {
    let after: unknown[] | undefined;
    for (;;) {
      const res = await client.search({
        pit: { id: pit, keep_alive: PIT_KEEP_ALIVE },
        size: CHUNK,
        sort: [{ _shard_doc: 'asc' }],
        query,
        _source: false,
        docvalue_fields: FIELDS,
        track_total_hits: false,
        ...(after ? { search_after: after as never } : {}),
      });
      pit = res.pit_id ?? pit;
      const hits = res.hits.hits;
      if (hits.length === 0) return;
      yield hits.map((h) => ({ id: h._id as string, s: fromFields(h as Hit) }));
      after = hits[hits.length - 1].sort;
      if (hits.length < CHUNK) return;
    }
  } finally {
    await client.closePointInTime({ id: pit }).catch(() => undefined);
  }
}

export interface RunLinks extends LinkStats {
  /** Records of the source that have a copy from another source (after the pass). */
  linked: number;
  /** Of those, the ones not shown because another source's copy is the primary. */
  hidden: number;
}

/**
 * The harvest's `link` step for one source: the records the run wrote (`runId`), and with `full` (the default) the
 * source's records already linked, are checked against the other sources' records, page by page (one terms search per
 * 1,000 records: memory flat), and every group found is decided again. The written records are skipped when no other
 * source has a record. Refreshes the index first (the run's last writes) and after. Returns what changed and the
 * source's linked records.
 */
export async function linkRun(
  client: Client,
  alias: string,
  source: string,
  runId: string | undefined,
  ranking?: SourceRanking,
  opts: { full?: boolean } = {},
): Promise<RunLinks> {
  await client.indices.refresh({ index: alias });
  const stats: LinkStats = { keys: 0, updated: 0, conflicts: 0 };
  const full = opts.full ?? true;
  const others = (await client.count({ index: alias, query: { bool: { must_not: [{ term: { source } }] } } })).count;
  const wanted: Record<string, unknown>[] = full ? [{ exists: { field: 'dup.primary' } }] : [];
  if (others > 0 && runId !== undefined) wanted.push({ term: { 'harvest.run_id': runId } });
  if (wanted.length === 0) return { ...stats, ...(await countLinked(client, alias, source)) };
  const query = { bool: { filter: [{ term: { source } }], should: wanted, minimum_should_match: 1 } };
  for await (const page of scan(client, alias, query)) {
    const keys = new Set<string>();
    const pageKeys = new Set(page.flatMap((p) => p.s.keys));
    const ids = page.map((p) => p.id);
    // already linked: decided again (a precedence changed, a copy went)
    for (const p of page) if (p.s.dup) for (const k of p.s.keys) keys.add(k);
    if (others > 0) {
      const res = await client.search({
        index: alias,
        size: MAX_GROUP_DOCS,
        _source: false,
        docvalue_fields: ['source', 'dup_keys'],
        sort: ['_doc'],
        query: {
          bool: {
            should: [
              { bool: { filter: [{ terms: { dup_keys: [...pageKeys] } }], must_not: [{ term: { source } }] } },
              // copies of other sources that point at these records (one of them may have lost its key)
              { terms: { 'dup.of': ids } },
              { terms: { 'dup.also': ids } },
            ],
            minimum_should_match: 1,
          },
        },
      });
      for (const h of res.hits.hits) {
        const f = fromFields(h);
        const shared = f.keys.filter((k) => pageKeys.has(k));
        for (const k of shared.length > 0 && f.source !== source ? shared : f.keys) keys.add(k);
      }
    }
    if (keys.size === 0) continue;
    const s = await relinkKeys(client, alias, keys, { ranking });
    stats.keys += s.keys;
    stats.updated += s.updated;
    stats.conflicts += s.conflicts;
  }
  if (stats.updated > 0) await client.indices.refresh({ index: alias });
  return { ...stats, ...(await countLinked(client, alias, source)) };
}

/** How many records of `source` have a copy from another source, and how many of them are hidden behind it. */
export async function countLinked(client: Client, alias: string, source: string): Promise<{ linked: number; hidden: number }> {
  const res = await client.search({
    index: alias,
    size: 0,
    query: { bool: { filter: [{ term: { source } }, { exists: { field: 'dup.primary' } }] } },
    track_total_hits: true,
    aggs: { hidden: { filter: { term: { 'dup.primary': false } } } },
  });
  const total = typeof res.hits.total === 'number' ? res.hits.total : (res.hits.total?.value ?? 0);
  return { linked: total, hidden: (res.aggregations?.hidden as { doc_count: number } | undefined)?.doc_count ?? 0 };
}

/** The keys of those of `ids` that are linked to a copy (read before they are deleted: their groups change). */
export async function linkedKeysOf(client: Client, alias: string, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const res = await client.search({
    index: alias,
    size: ids.length,
    _source: false,
    docvalue_fields: ['dup_keys'],
    query: { bool: { filter: [{ ids: { values: ids } }, { exists: { field: 'dup.primary' } }] } },
  });
  const keys = new Set<string>();
  for (const h of res.hits.hits) for (const k of fromFields(h).keys) keys.add(k);
  return [...keys];
}

/**
 * Links every group of copies in the index (after a mapping change, or when asked): the keys found on two documents
 * or more, read by a terms aggregation in partitions (memory flat), each partition's groups decided.
 */
export async function linkAll(client: Client, alias: string, ranking?: SourceRanking): Promise<LinkStats> {
  await client.indices.refresh({ index: alias });
  const card = await client.search({ index: alias, size: 0, aggs: { n: { cardinality: { field: 'dup_keys' } } } });
  const distinct = (card.aggregations?.n as { value: number } | undefined)?.value ?? 0;
  const stats: LinkStats = { keys: 0, updated: 0, conflicts: 0 };
  if (distinct === 0) return stats;
  const partitions = Math.max(1, Math.ceil(distinct / 5000));
  for (let p = 0; p < partitions; p++) {
    const res = await client.search({
      index: alias,
      size: 0,
      aggs: {
        shared: { terms: { field: 'dup_keys', min_doc_count: 2, size: 10_000, include: { partition: p, num_partitions: partitions } } },
      },
    });
    const keys = ((res.aggregations?.shared as { buckets: { key: string }[] } | undefined)?.buckets ?? []).map((b) => b.key);
    // and the keys of documents linked before (a copy that lost its partner is set free)
    const s = await relinkKeys(client, alias, keys, { ranking });
    stats.keys += s.keys;
    stats.updated += s.updated;
    stats.conflicts += s.conflicts;
  }
  const stale = scan(client, alias, { exists: { field: 'dup.primary' } });
  for await (const page of stale) {
    const s = await relinkKeys(
      client,
      alias,
      page.flatMap((p) => p.s.keys),
      { ranking },
    );
    stats.updated += s.updated;
    stats.conflicts += s.conflicts;
  }
  if (stats.updated > 0) await client.indices.refresh({ index: alias });
  return stats;
}
