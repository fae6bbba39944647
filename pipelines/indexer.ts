/**
 * Bulk indexing of normalised records into Elasticsearch, in the style of pelias' dbclient: records are queued, sent
 * in bulk requests of bounded size, at most `concurrency` requests in flight (add() waits beyond that: bounded memory).
 *
 * Per batch:
 * 1. one `mget` of the ids, fetching only harvest.record_hash, harvest.mapping_version and harvest.raw_hash, classifies
 *    each record: new (absent), updated (hash or mapping version differ) or unchanged (an unchanged record stored
 *    without a raw hash is written again with it, still counted unchanged: pipelines/unchanged.ts); an mget item error (a shard not ready, a
 *    node recovering) is not an answer: those ids are asked again (with backoff), and a record still not classified
 *    when the retries run out is a Failure (never counted "new" and rewritten on a guess);
 * 2. one `bulk`: new and updated records are indexed in full; unchanged ones are not written at all (a second harvest
 *    of an unchanged source writes nothing: an update would make Elasticsearch rewrite and re-index the whole
 *    document, which made re-harvests 1.4x slower than first harvests). harvest.run_id and harvest.last_seen are
 *    those of the run that last WROTE the document; which records a run saw is the harvest pipeline's business
 *    (pipelines/harvest.ts, for stale removal);
 * 3. EVERY bulk item is read: a rejected item becomes a Failure {source, id, stage: 'index', error: ES reason},
 *    passed to `onFailure` and counted (and kept, up to `maxKeptFailures`) in the stats; never dropped silently.
 *    Items rejected with 429 (queue full) are sent again.
 * The whole request (mget or bulk) is retried with exponential backoff on 429, 5xx and connection errors, for up to
 * `retries` retries within `retryBudgetMs` (default 2 minutes: a node restarting is waited for); when they run out,
 * every record of the batch becomes a Failure (the indexer itself never throws for a record). A Failure names the
 * record by its identifier at the source (`id`) and by its document id (`indexId`), which keeps its previous version.
 * `signal` abandons the work under way: the requests are cancelled and the records not yet written are Failures.
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
  /**
   * Longest time a record waits in a batch that is not full: then the batch is sent anyway. Default 5 s: a slow source
   * (a page every minute, a page that hangs) has what it sent written, not held in memory until the run ends (a stop
   * past its grace, or a kill, would lose it and count it failed).
   */
  maxBatchAgeMs?: number;
  /** UTF-8 bytes of documents per bulk request (a batch is sent when it reaches either limit); default 5 MiB. */
  maxBatchBytes?: number;
  /** Bulk requests in flight at once; default 2 (the machine has 2 cores and so has the node). */
  concurrency?: number;
  /** Refresh the index once in close() so that everything is searchable at once; default false. */
  refresh?: boolean;
  /** Called for every record that could not be indexed. */
  onFailure?: (failure: Failure) => void;
  /** Retries of a request or item after a retryable error; default 10. */
  retries?: number;
  /** First retry delay, doubled at each retry (capped at 30 s); default 500 ms. */
  retryDelayMs?: number;
  /**
   * Longest time a request (or an mget item) is retried for, from its first failure: no retry starts past it. Default
   * 120 s, enough for a node that restarts.
   */
  retryBudgetMs?: number;
  /** Abandons the work under way: requests cancelled, records not yet written reported as Failures. */
  signal?: AbortSignal;
  /** harvest.last_seen of the documents this run writes (ISO date-time); default: when the indexer was created. */
  seenAt?: string;
  /** Failures kept in stats.failures; default 1000. */
  maxKeptFailures?: number;
  /** The clock that stamps `indexed_at` on each document written (the OAI-PMH datestamp). Default: the system's. */
  clock?: () => Date;
}

export interface AddMeta {
  /** Source id: must equal record.isPrimaryTopicOf.sourceId. */
  source: string;
  /** Where the record came from (URL, file, page), copied into a Failure. */
  location?: string;
}

/** `restamp`: the same record, stored without its raw hash: written again with it, counted unchanged. */
type Kind = 'new' | 'updated' | 'unchanged' | 'restamp';

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
/** An error cause as `type: reason (caused by type: reason)`. */
function causeText(e: EsErrorCause | undefined): string {
  let s = `${e?.type ?? 'error'}: ${e?.reason ?? ''}`;
  if (e?.caused_by) s += ` (caused by ${e.caused_by.type}: ${e.caused_by.reason})`;
  return s;
}

/** An item error as `[status] type: reason (caused by type: reason)`. */
function itemErrorText(status: number, e: EsErrorCause | undefined): string {
  return `[${status}] ${causeText(e)}`;
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
  private readonly retryBudgetMs: number;
  private readonly signal?: AbortSignal;
  private readonly seenAt: string;
  private readonly clock: () => Date;
  private readonly maxKeptFailures: number;

  private readonly maxBatchAgeMs: number;
  private batch = new Map<string, Pending>();
  private batchBytes = 0;
  /** Sends the batch once its first record has waited maxBatchAgeMs. */
  private ageTimer?: NodeJS.Timeout;
  /** The batches taken, dispatched one after the other (in the order taken: the last version of a record wins). */
  private tail: Promise<void> = Promise.resolve();
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
    this.maxBatchAgeMs = positiveInt('maxBatchAgeMs', opts.maxBatchAgeMs ?? 5000, 1);
    this.maxBatchBytes = positiveInt('maxBatchBytes', opts.maxBatchBytes ?? 5 * 1024 * 1024, 1024);
    this.concurrency = positiveInt('concurrency', opts.concurrency ?? 2);
    this.refresh = opts.refresh ?? false;
    if (opts.onFailure !== undefined && typeof opts.onFailure !== 'function') throw new TypeError('onFailure must be a function');
    this.onFailure = opts.onFailure;
    this.retries = positiveInt('retries', opts.retries ?? 10, 0);
    this.retryDelayMs = positiveInt('retryDelayMs', opts.retryDelayMs ?? 500, 0);
    this.retryBudgetMs = positiveInt('retryBudgetMs', opts.retryBudgetMs ?? 120_000, 0);
    this.signal = opts.signal;
    this.seenAt = opts.seenAt ?? new Date(this.started).toISOString();
    this.clock = opts.clock ?? (() => new Date());
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
    else if (!this.ageTimer) {
      this.ageTimer = setTimeout(() => {
        this.ageTimer = undefined;
        if (!this.closed) void this.flush();
      }, this.maxBatchAgeMs);
      this.ageTimer.unref();
    }
  }

  /** Sends what is queued, flushes the last batch, waits for every request; refreshes when asked. */
  async close(): Promise<IndexStats> {
    if (!this.closed) {
      this.closed = true;
      await this.flush();
      while (this.inFlight.size > 0) await Promise.all([...this.inFlight].map((f) => f.promise));
      if (this.refresh) await this.client.indices.refresh({ index: this.index }, this.transport());
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

  /** Takes the batch and dispatches it after the batches taken before; resolves once it is sent off. */
  private flush(): Promise<void> {
    clearTimeout(this.ageTimer);
    this.ageTimer = undefined;
    if (this.batch.size === 0) return this.tail;
    const batch = this.batch;
    this.batch = new Map();
    this.batchBytes = 0;
    this.tail = this.tail.then(() => this.dispatch(batch));
    return this.tail;
  }

  private async dispatch(batch: Map<string, Pending>): Promise<void> {
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

  /** Transport options of every request: the signal that abandons them. */
  private transport(): { signal?: AbortSignal } {
    return this.signal ? { signal: this.signal } : {};
  }

  /** A record that could not be written: `p.id` is its document id (`source:identifier`) when known. */
  private fail(p: { id?: string; source: string; location?: string }, error: string, raw?: unknown): void {
    const prefix = `${p.source}:`;
    const identifier = p.id?.startsWith(prefix) ? p.id.slice(prefix.length) : undefined;
    const failure: Failure = {
      ok: false,
      source: p.source,
      ...(identifier !== undefined ? { id: identifier, indexId: p.id } : {}),
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

  /**
   * Runs a request, retrying it with backoff on retryable errors while the retries and the time budget last (from the
   * first failure); rethrows the last error, with the retries made in `retried`.
   */
  private async withRetry<T>(what: () => Promise<T>, retried = { n: 0 }): Promise<T> {
    let firstFailure: number | undefined;
    for (let attempt = 0; ; attempt++) {
      try {
        return await what();
      } catch (err) {
        firstFailure ??= Date.now();
        const wait = this.backoff(attempt);
        // Stop: not retryable, abandoned, retries or time budget exhausted.
        if (!isRetryable(err) || this.signal?.aborted || !this.mayRetry(attempt, firstFailure, wait)) throw err;
        this.stats.retries++;
        retried.n++;
        await this.sleep(wait);
      }
    }
  }

  /** Whether retry number `attempt + 1` may start after waiting `wait` ms. */
  private mayRetry(attempt: number, firstFailure: number, wait: number): boolean {
    return attempt < this.retries && Date.now() + wait - firstFailure <= this.retryBudgetMs;
  }

  /** Wait before attempt `attempt + 1` (`attempt` counts from 0). */
  private backoff(attempt: number): number {
    return backoffDelay(attempt + 1, this.retryDelayMs);
  }

  /** A wait that ends early when the work is abandoned. */
  private sleep(ms: number): Promise<void> {
    const signal = this.signal;
    if (!signal) return sleep(ms);
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(t);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const t = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  /** Why a request failed for good, as the message of the records it leaves unwritten. */
  private failedText(what: string, err: unknown, retried: number): string {
    if (this.signal?.aborted) return `not indexed: the run was interrupted before the ${what} was answered`;
    return `${what} failed after ${retried} retries: ${errorText(err)}`;
  }

  /**
   * Classifies a batch by its stored hash and mapping version. The ids whose mget item came back with an error (a
   * shard not ready) are asked again with backoff, within the same retries and time budget; those still unanswered
   * are returned in `unknown` with the last item error (they are not written).
   */
  private async classify(
    batch: Map<string, Pending>,
    retried: { n: number },
  ): Promise<{ kinds: Map<string, Kind>; unknown: Map<string, string> }> {
    const kinds = new Map<string, Kind>();
    let ask = [...batch.keys()];
    let firstFailure: number | undefined;
    for (let attempt = 0; ; attempt++) {
      const res = await this.withRetry(
        () =>
          this.client.mget<{ harvest?: { record_hash?: string; mapping_version?: number; raw_hash?: string } }>(
            { index: this.index, ids: ask, _source_includes: ['harvest.record_hash', 'harvest.mapping_version', 'harvest.raw_hash'] },
            this.transport(),
          ),
        retried,
      );
      const unknown = new Map<string, string>();
      for (const d of res.docs) {
        if ('error' in d && d.error) {
          unknown.set(d._id, causeText(d.error));
          continue;
        }
        if (!('found' in d) || !d.found) {
          kinds.set(d._id, 'new');
          continue;
        }
        const h = d._source?.harvest;
        const p = batch.get(d._id);
        const same = h?.record_hash === p?.recordHash && h?.mapping_version === MAPPING_VERSION;
        // the same record stored without a raw hash (before raw hashes were, or copied by a rollover): written again
        // with it, so that the next run skips it before mapping (pipelines/unchanged.ts). One stored with another raw
        // hash (the raw text changed, the record did not) is not rewritten: it is only mapped again next time.
        const restamp = same && p?.rawHash !== undefined && h?.raw_hash === undefined;
        kinds.set(d._id, restamp ? 'restamp' : same ? 'unchanged' : 'updated');
      }
      // Stop: every record classified.
      if (unknown.size === 0) return { kinds, unknown };
      firstFailure ??= Date.now();
      const wait = this.backoff(attempt);
      // Stop: abandoned, retries or time budget exhausted: the records not classified are not written.
      if (this.signal?.aborted || !this.mayRetry(attempt, firstFailure, wait)) return { kinds, unknown };
      this.stats.retries++;
      retried.n++;
      await this.sleep(wait);
      ask = [...unknown.keys()];
    }
  }

  /** Classifies and writes one batch; every record ends counted as indexed or failed. Never rejects. */
  private async send(batch: Map<string, Pending>): Promise<void> {
    let kinds: Map<string, Kind>;
    const retried = { n: 0 };
    try {
      const c = await this.classify(batch, retried);
      kinds = c.kinds;
      for (const [id, error] of c.unknown) {
        const p = batch.get(id)!;
        batch.delete(id);
        this.failPending(
          p,
          this.signal?.aborted
            ? 'not indexed: the run was interrupted before its indexed version could be read'
            : `its indexed version could not be read after ${retried.n} retries (mget item error: ${error}): not written`,
        );
      }
    } catch (err) {
      const msg = this.failedText('mget', err, retried.n);
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
      // Each document gets `indexed_at` (the OAI-PMH datestamp: when it was written) as its first member, put in front
      // of the prepared bytes ('{' replaced): the documents are not parsed again.
      const parts: Uint8Array[] = [];
      const stamp = Buffer.from(`{"indexed_at":${JSON.stringify(this.clock().toISOString())},`);
      for (const { p } of todo) {
        const json = p.json;
        const empty = json.byteLength <= 2;
        parts.push(Buffer.from(JSON.stringify({ index: { _id: p.id } }) + '\n'));
        parts.push(...(empty ? [json] : [stamp, json.subarray(1)]), NEWLINE);
      }
      const body = Buffer.concat(parts);
      let items: Record<string, { status: number; error?: EsErrorCause }>[];
      const bulkRetried = { n: 0 };
      try {
        const res = await this.withRetry(() => {
          this.stats.bulkRequests++;
          // A pre-serialised NDJSON body (the client sends a Buffer as it is): every document is serialised once.
          return this.client.bulk({ index: this.index, operations: body as never }, this.transport());
        }, bulkRetried);
        items = res.items;
      } catch (err) {
        const msg = this.failedText('bulk request', err, bulkRetried.n);
        for (const { p } of todo) this.failPending(p, msg);
        return;
      }
      const again: typeof todo = [];
      let throttled = false;
      items.forEach((item, i) => {
        const { p, kind } = todo[i];
        const r = Object.values(item)[0];
        if (!r.error && r.status < 300) {
          this.stats[kind === 'restamp' ? 'unchanged' : kind]++;
          this.stats.indexed++;
        } else if (r.status === 429 && pass < this.retries && !this.signal?.aborted) {
          throttled = true;
          again.push({ p, kind });
        } else {
          this.failPending(p, itemErrorText(r.status, r.error));
        }
      });
      // Stop: nothing left to send again.
      if (again.length === 0) return;
      this.stats.retries++;
      if (throttled) await this.sleep(this.backoff(pass));
      todo = again;
    }
  }
}
