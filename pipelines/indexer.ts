/**
 * Bulk indexing of normalised records into Elasticsearch, in the style of pelias' dbclient: records are queued, sent
 * in bulk requests of bounded size, at most `concurrency` requests in flight (add() waits beyond that: bounded memory).
 *
 * Per batch:
 * 1. one `mget` of the ids, fetching only harvest.record_hash and harvest.mapping_version, classifies each record:
 *    new (absent), updated (hash or mapping version differ) or unchanged;
 * 2. one `bulk`: new and updated records are indexed in full; unchanged ones are not written at all (a second harvest
 *    of an unchanged source writes nothing: an update would make Elasticsearch rewrite and re-index the whole
 *    document, which made re-harvests 1.4x slower than first harvests). harvest.run_id and harvest.last_seen are
 *    those of the run that last WROTE the document; which records a run saw is the harvest pipeline's business
 *    (pipelines/harvest.ts, for stale removal);
 * 3. EVERY bulk item is read: a rejected item becomes a Failure {source, id, stage: 'index', error: ES reason},
 *    passed to `onFailure` and counted (and kept, up to `maxKeptFailures`) in the stats; never dropped silently.
 *    Items rejected with 429 (queue full) are sent again.
 * The whole request (mget or bulk) is retried with exponential backoff on 429, 5xx and connection errors; when the
 * retries run out, every record of the batch becomes a Failure (the indexer itself never throws for a record).
 */
import { errors, type Client } from '@elastic/elasticsearch';
import type { HubRecord } from '../schemas/record.js';
import type { Failure } from '../core/result.js';
import { backoffDelay } from '../core/retry.js';
import { MAPPING_VERSION } from '../mappings/es-index.js';
import { prepareDoc, type Pending } from '../mappings/index-doc.js';

export { prepareDoc, type Pending };

export interface IndexStats {
  /** Records now in the index as this run saw them: new + updated + unchanged. */
  indexed: number;
  new: number;
  updated: number;
  unchanged: number;
  failed: number;
  /** Records replaced by a later record with the same id in the same batch (the last one wins). */
  duplicates: number;
  /** Bulk HTTP requests sent, retries included. */
  bulkRequests: number;
  /** Requests (mget or bulk) or items sent again after a retryable error. */
  retries: number;
  ms: number;
  /** The failures (the first `maxKeptFailures`; `failed` counts them all). */
  failures: Failure[];
}

export interface BulkIndexerOptions {
  client: Client;
  /** Index or alias written to (the alias of ensureIndex). */
  index: string;
  /** Id of the harvest run, stored in harvest.run_id of the documents it writes. */
  runId: string;
  /** Records per bulk request; default 500. */
  batchSize?: number;
  /** UTF-8 bytes of documents per bulk request (a batch is sent when it reaches either limit); default 5 MiB. */
  maxBatchBytes?: number;
  /** Bulk requests in flight at once; default 2 (the machine has 2 cores and so has the node). */
  concurrency?: number;
  /** Refresh the index once in close() so that everything is searchable at once; default false. */
  refresh?: boolean;
  /** Called for every record that could not be indexed. */
  onFailure?: (failure: Failure) => void;
  /** Retries of a request or item after a retryable error; default 5. */
  retries?: number;
  /** First retry delay, doubled at each retry (capped at 30 s); default 500 ms. */
  retryDelayMs?: number;
  /** harvest.last_seen of the documents this run writes (ISO date-time); default: when the indexer was created. */
  seenAt?: string;
  /** Failures kept in stats.failures; default 1000. */
  maxKeptFailures?: number;
}

export interface AddMeta {
  /** Source id: must equal record.isPrimaryTopicOf.sourceId. */
  source: string;
  /** Where the record came from (URL, file, page), copied into a Failure. */
  location?: string;
}

type Kind = 'new' | 'updated' | 'unchanged';

interface InFlight {
  ids: Set<string>;
  promise: Promise<void>;
}

/** Ends each NDJSON line of a bulk body. */
const NEWLINE = Buffer.from('\n');

function positiveInt(name: string, v: number, min = 1): number {
  if (!Number.isInteger(v) || v < min) throw new RangeError(`${name} must be an integer >= ${min}, got ${v}`);
  return v;
}

/** A request error worth retrying: 429, 5xx, or no answer at all (connection, timeout). */
export function isRetryable(err: unknown): boolean {
  if (err instanceof errors.ResponseError) {
    const s = err.statusCode ?? 0;
    return s === 429 || s >= 500;
  }
  return err instanceof errors.ConnectionError || err instanceof errors.TimeoutError || err instanceof errors.NoLivingConnectionsError;
}

function errorText(err: unknown): string {
  if (err instanceof errors.ResponseError) {
    const e = (err.body as { error?: { type?: string; reason?: string } } | undefined)?.error;
    return `[${err.statusCode ?? '?'}] ${e?.type ?? err.name}: ${e?.reason ?? err.message}`;
  }
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

interface EsErrorCause {
  type?: string;
  reason?: string | null;
  caused_by?: EsErrorCause;
}
/** An item error as `[status] type: reason (caused by type: reason)`. */
function itemErrorText(status: number, e: EsErrorCause | undefined): string {
  let s = `[${status}] ${e?.type ?? 'error'}: ${e?.reason ?? ''}`;
  if (e?.caused_by) s += ` (caused by ${e.caused_by.type}: ${e.caused_by.reason})`;
  return s;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class BulkIndexer {
  private readonly client: Client;
  private readonly index: string;
  private readonly runId: string;
  private readonly batchSize: number;
  private readonly maxBatchBytes: number;
  private readonly concurrency: number;
  private readonly refresh: boolean;
  private readonly onFailure?: (failure: Failure) => void;
  private readonly retries: number;
  private readonly retryDelayMs: number;
  private readonly seenAt: string;
  private readonly maxKeptFailures: number;

  private batch = new Map<string, Pending>();
  private batchBytes = 0;
  private readonly inFlight = new Set<InFlight>();
  private readonly started = Date.now();
  private closed = false;
  /** First error thrown by onFailure (or an unexpected one while sending): rethrown by close(). */
  private callbackError: unknown;
  private readonly stats: IndexStats = {
    indexed: 0,
    new: 0,
    updated: 0,
    unchanged: 0,
    failed: 0,
    duplicates: 0,
    bulkRequests: 0,
    retries: 0,
    ms: 0,
    failures: [],
  };

  constructor(opts: BulkIndexerOptions) {
    if (!opts || typeof opts.client?.bulk !== 'function') throw new TypeError('client must be an @elastic/elasticsearch Client');
    if (typeof opts.index !== 'string' || opts.index === '') throw new TypeError('index must be a non-empty index or alias name');
    if (typeof opts.runId !== 'string' || opts.runId === '') throw new TypeError('runId must be a non-empty string');
    this.client = opts.client;
    this.index = opts.index;
    this.runId = opts.runId;
    this.batchSize = positiveInt('batchSize', opts.batchSize ?? 500);
    this.maxBatchBytes = positiveInt('maxBatchBytes', opts.maxBatchBytes ?? 5 * 1024 * 1024, 1024);
    this.concurrency = positiveInt('concurrency', opts.concurrency ?? 2);
    this.refresh = opts.refresh ?? false;
    if (opts.onFailure !== undefined && typeof opts.onFailure !== 'function') throw new TypeError('onFailure must be a function');
    this.onFailure = opts.onFailure;
    this.retries = positiveInt('retries', opts.retries ?? 5, 0);
    this.retryDelayMs = positiveInt('retryDelayMs', opts.retryDelayMs ?? 500, 0);
    this.seenAt = opts.seenAt ?? new Date(this.started).toISOString();
    if (Number.isNaN(Date.parse(this.seenAt))) throw new RangeError(`seenAt must be an ISO date-time, got '${this.seenAt}'`);
    this.maxKeptFailures = positiveInt('maxKeptFailures', opts.maxKeptFailures ?? 1000, 0);
  }

  /** Queues a record; resolves once queued, waiting while `concurrency` bulk requests are in flight. */
  async add(record: HubRecord, meta: AddMeta): Promise<void> {
    if (this.closed) throw new Error('BulkIndexer.add() called after close()');
    let pending: Pending;
    try {
      pending = prepareDoc(record, meta, this.run);
    } catch (err) {
      this.fail(
        { id: record?.identifier, source: meta.source, location: meta.location },
        err instanceof Error ? err.message : String(err),
        record,
      );
      return;
    }
    await this.addPrepared(pending);
  }

  /** What prepareDoc needs to know of this run (the mapping workers get it too). */
  get run(): { runId: string; seenAt: string } {
    return { runId: this.runId, seenAt: this.seenAt };
  }

  /** Queues a document made by prepareDoc (with this indexer's `run`); same back-pressure as add(). */
  async addPrepared(pending: Pending): Promise<void> {
    if (this.closed) throw new Error('BulkIndexer.addPrepared() called after close()');
    const previous = this.batch.get(pending.id);
    if (previous) {
      // Same id twice in one batch: the last one wins.
      this.stats.duplicates++;
      this.batchBytes -= previous.json.byteLength;
      this.batch.delete(pending.id);
    }
    this.batch.set(pending.id, pending);
    this.batchBytes += pending.json.byteLength;
    if (this.batch.size >= this.batchSize || this.batchBytes >= this.maxBatchBytes) await this.flush();
  }

  /** Sends what is queued, flushes the last batch, waits for every request; refreshes when asked. */
  async close(): Promise<IndexStats> {
    if (!this.closed) {
      this.closed = true;
      await this.flush();
      while (this.inFlight.size > 0) await Promise.all([...this.inFlight].map((f) => f.promise));
      if (this.refresh) await this.client.indices.refresh({ index: this.index });
    }
    if (this.callbackError !== undefined)
      throw this.callbackError instanceof Error ? this.callbackError : new Error(JSON.stringify(this.callbackError));
    this.stats.ms = Date.now() - this.started;
    return { ...this.stats, failures: [...this.stats.failures] };
  }

  /** Current counters (the indexer goes on). */
  snapshot(): IndexStats {
    return { ...this.stats, ms: Date.now() - this.started, failures: [...this.stats.failures] };
  }

  private async flush(): Promise<void> {
    if (this.batch.size === 0) return;
    const batch = this.batch;
    this.batch = new Map();
    this.batchBytes = 0;
    // Bounded memory: wait for a free slot.
    while (this.inFlight.size >= this.concurrency) await Promise.race([...this.inFlight].map((f) => f.promise));
    // Keep "last wins" across batches: an id still being written by an earlier request waits for it.
    for (const f of [...this.inFlight]) {
      for (const id of batch.keys()) {
        if (f.ids.has(id)) {
          await f.promise;
          break;
        }
      }
    }
    const entry: InFlight = { ids: new Set(batch.keys()), promise: Promise.resolve() };
    entry.promise = this.send(batch)
      .catch((err: unknown) => {
        this.callbackError ??= err;
      })
      .finally(() => this.inFlight.delete(entry));
    this.inFlight.add(entry);
  }

  private fail(p: { id?: string; source: string; location?: string }, error: string, raw?: unknown): void {
    const failure: Failure = {
      ok: false,
      source: p.source,
      ...(p.id !== undefined ? { id: p.id } : {}),
      stage: 'index',
      error,
      ...(p.location !== undefined ? { location: p.location } : {}),
      ...(raw !== undefined ? { raw } : {}),
    };
    this.stats.failed++;
    if (this.stats.failures.length < this.maxKeptFailures) this.stats.failures.push(failure);
    try {
      this.onFailure?.(failure);
    } catch (err) {
      // The failure is counted and kept; the caller's error surfaces in close().
      this.callbackError ??= err;
    }
  }

  private failPending(p: Pending, error: string): void {
    let raw: unknown;
    try {
      raw = (JSON.parse(Buffer.from(p.json.buffer, p.json.byteOffset, p.json.byteLength).toString('utf8')) as { record?: unknown }).record;
    } catch {
      raw = undefined;
    }
    this.fail(p, error, raw);
  }

  /** Runs a request, retrying it with backoff on retryable errors; rethrows the last error. */
  private async withRetry<T>(what: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await what();
      } catch (err) {
        // Stop: not retryable, or retries exhausted.
        if (!isRetryable(err) || attempt >= this.retries) throw err;
        this.stats.retries++;
        await sleep(this.backoff(attempt));
      }
    }
  }

  /** Wait before attempt `attempt + 1` (`attempt` counts from 0). */
  private backoff(attempt: number): number {
    return backoffDelay(attempt + 1, this.retryDelayMs);
  }

  /** Classifies a batch by its stored hash and mapping version. */
  private async classify(batch: Map<string, Pending>): Promise<Map<string, Kind>> {
    const res = await this.withRetry(() =>
      this.client.mget<{ harvest?: { record_hash?: string; mapping_version?: number } }>({
        index: this.index,
        ids: [...batch.keys()],
        _source_includes: ['harvest.record_hash', 'harvest.mapping_version'],
      }),
    );
    const kinds = new Map<string, Kind>();
    for (const d of res.docs) {
      // An mget item error (e.g. a shard not ready) counts as new: a full index is always correct.
      if (!('found' in d) || !d.found) {
        kinds.set(d._id, 'new');
        continue;
      }
      const h = d._source?.harvest;
      const same = h?.record_hash === batch.get(d._id)?.recordHash && h?.mapping_version === MAPPING_VERSION;
      kinds.set(d._id, same ? 'unchanged' : 'updated');
    }
    return kinds;
  }

  /** Classifies and writes one batch; every record ends counted as indexed or failed. Never rejects. */
  private async send(batch: Map<string, Pending>): Promise<void> {
    let kinds: Map<string, Kind>;
    try {
      kinds = await this.classify(batch);
    } catch (err) {
      const msg = `mget failed after ${this.retries} retries: ${errorText(err)}`;
      for (const p of batch.values()) this.failPending(p, msg);
      return;
    }
    let todo: { p: Pending; kind: Kind }[] = [];
    for (const p of batch.values()) {
      const kind = kinds.get(p.id) ?? 'new';
      if (kind !== 'unchanged') todo.push({ p, kind });
      else {
        // already indexed as it is: nothing to write
        this.stats.unchanged++;
        this.stats.indexed++;
      }
    }
    // Each pass sends `todo`; items to send again (429) form the next pass.
    for (let pass = 0; todo.length > 0; pass++) {
      // The NDJSON body as bytes: documents arrive UTF-8 encoded (prepareDoc), joined here with one copy.
      const parts: Uint8Array[] = [];
      for (const { p } of todo) {
        parts.push(Buffer.from(JSON.stringify({ index: { _id: p.id } }) + '\n'), p.json, NEWLINE);
      }
      const body = Buffer.concat(parts);
      let items: Record<string, { status: number; error?: EsErrorCause }>[];
      try {
        const res = await this.withRetry(() => {
          this.stats.bulkRequests++;
          // A pre-serialised NDJSON body (the client sends a Buffer as it is): every document is serialised once.
          return this.client.bulk({ index: this.index, operations: body as never });
        });
        items = res.items;
      } catch (err) {
        const msg = `bulk request failed after ${this.retries} retries: ${errorText(err)}`;
        for (const { p } of todo) this.failPending(p, msg);
        return;
      }
      const again: typeof todo = [];
      let throttled = false;
      items.forEach((item, i) => {
        const { p, kind } = todo[i];
        const r = Object.values(item)[0];
        if (!r.error && r.status < 300) {
          this.stats[kind]++;
          this.stats.indexed++;
        } else if (r.status === 429 && pass < this.retries) {
          throttled = true;
          again.push({ p, kind });
        } else {
          this.failPending(p, itemErrorText(r.status, r.error));
        }
      });
      // Stop: nothing left to send again.
      if (again.length === 0) return;
      this.stats.retries++;
      if (throttled) await sleep(this.backoff(pass));
      todo = again;
    }
  }
}
