/**
 * Unchanged records cost neither a crosswalk nor a write: between the harvester and the mapping threads, the raw
 * record's content hash (rawRecordHash) is compared with the one stored in its indexed document (`harvest.raw_hash`,
 * written with the document). A record whose raw hash and mapping version are those of its document is counted
 * `unchanged` and goes no further; every other record goes on to be mapped, carrying its hash to its document.
 *
 * Memory stays flat whatever the size of the source: the hashes are not loaded at the start of a run but asked for by
 * batch (one `mget` of `batchSize` ids, two batches in flight while the harvester goes on reading). Only records whose
 * harvester gives their identifier for certain (RawRecord.id) can be skipped. When Elasticsearch does not answer the
 * mget, the batch is mapped as usual (the indexer then decides what to write): a lookup never loses a record.
 */
import type { Client } from '@elastic/elasticsearch';
import { inOrderBatches } from '../core/batches.js';
import { sha256Parts } from '../core/hash.js';
import { canonicalJson } from '../core/json.js';
import type { HarvestItem, RawRecord } from '../harvesters/types.js';
import { MAPPING_VERSION } from '../mappings/es-index.js';
import { hubId } from '../schemas/record.js';

/**
 * The content hash of a raw record: everything of it that its crosswalk reads (format, URL, context, body: a text as
 * it is, parsed JSON in canonical form), not where in the source it was (its page and position).
 */
export function rawRecordHash(raw: RawRecord): string {
  const body = typeof raw.body === 'string' ? raw.body : canonicalJson(raw.body);
  const where = raw.url ?? raw.location.split(/\s/, 1)[0];
  return sha256Parts([raw.format ?? '', where, raw.context ? canonicalJson(raw.context) : '', body]);
}

export interface UnchangedOptions {
  client: Client;
  /** The records index alias. */
  index: string;
  /** The source id (index ids are `source:identifier`). */
  source: string;
  /** Ids asked for in one mget. Default 500. */
  batchSize?: number;
  /** Whether an index id was already seen in this run: a record that comes twice is never skipped the second time. */
  seenBefore?: (indexId: string) => boolean;
  /** A record skipped as unchanged (its index id): counted by the caller. */
  onUnchanged: (indexId: string) => void;
  /** A batch that could not be looked up (mapped as usual): said by the caller, once. */
  onLookupError?: (err: unknown) => void;
  signal?: AbortSignal;
}

/** Batches looked up while the harvester goes on. */
const IN_FLIGHT = 2;
/** A source that gives nothing for this long: the ids gathered are looked up and passed on now. */
const IDLE_MS = 1000;

/**
 * The harvester's stream without its unchanged records (see the file's comment); every other item passes through in
 * its place, and the harvester's return value (its RunEnd) is returned.
 */
export async function* skipUnchanged<R>(
  items: AsyncGenerator<HarvestItem, R, undefined>,
  o: UnchangedOptions,
): AsyncGenerator<HarvestItem, R, undefined> {
  return yield* inOrderBatches(items, {
    member: (item) => (item.kind === 'record' && item.raw.id !== undefined ? item.raw : undefined),
    work: (batch) => lookup(batch, o),
    alone: (item) => {
      if (item.kind === 'record') item.raw.rawHash = rawRecordHash(item.raw);
      return item;
    },
    size: o.batchSize ?? 500,
    window: IN_FLIGHT,
    maxWaitMs: IDLE_MS,
  });
}

/** One batch: its hashes, one mget of the stored ones, the unchanged records counted and left out. Never rejects. */
async function lookup(batch: RawRecord[], o: UnchangedOptions): Promise<HarvestItem[]> {
  const ids = batch.map((raw) => hubId(o.source, raw.id!));
  for (const raw of batch) raw.rawHash = rawRecordHash(raw);
  const stored = new Map<string, { raw_hash?: string; mapping_version?: number }>();
  try {
    const res = await o.client.mget<{ harvest?: { raw_hash?: string; mapping_version?: number } }>(
      { index: o.index, ids: [...new Set(ids)], _source_includes: ['harvest.raw_hash', 'harvest.mapping_version'] },
      o.signal ? { signal: o.signal } : {},
    );
    for (const d of res.docs) if ('found' in d && d.found && d._source?.harvest) stored.set(d._id, d._source.harvest);
  } catch (err) {
    o.onLookupError?.(err);
    return batch.map((raw) => ({ kind: 'record', raw }));
  }
  const out: HarvestItem[] = [];
  const inBatch = new Set<string>();
  batch.forEach((raw, k) => {
    const id = ids[k];
    const h = stored.get(id);
    const again = inBatch.has(id) || (o.seenBefore?.(id) ?? false);
    inBatch.add(id);
    if (!again && h && h.raw_hash === raw.rawHash && h.mapping_version === MAPPING_VERSION) o.onUnchanged(id);
    else out.push({ kind: 'record', raw });
  });
  return out;
}
