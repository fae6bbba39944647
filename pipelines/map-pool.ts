/**
 * Mapping in parallel: the CPU-bound part of a harvest (parse, crosswalk, validate, index document) runs in worker
 * threads while the main thread fetches pages and batches bulk requests. Results come back in the harvester's order
 * (so "the last record with an id wins" stays true), through a bounded window (memory stays flat).
 *
 * Measured on the 2-core machine: the main thread alone was saturated at ~800 records/s while Elasticsearch used a
 * fraction of the other core (scripts/bench/harvest.ts).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { HarvestItem, RawRecord } from '../harvesters/types.js';
import { prepareDoc, type Pending } from '../mappings/index-doc.js';
import { mapRecords } from './map.js';
import type { TheiaThesaurus } from './theia.js';
import { thesaurusFromData, validateRaws, type ThesaurusData, type ValidatedRecord } from './validate-record.js';
import { inOrderBatches } from '../core/batches.js';
import { toFailure, type Failure, type RecordResult } from '../core/result.js';
import type { HubRecord } from '../schemas/record.js';
import { hubId } from '../schemas/record.js';

/**
 * What one raw record became: a document ready for the indexer (with its count of warnings, and `idMismatch`, the
 * identifier the harvester gave, when the crosswalk read another one), or a failure (raw input kept), or for
 * `harvester validate` a record's report (job.validate).
 */
export type Mapped =
  | { kind: 'doc'; doc: Pending; warnings: number; idMismatch?: string }
  | { kind: 'failure'; failure: Failure }
  | { kind: 'validated'; result: ValidatedRecord | { skipped: string } };
/** The harvest stream with records mapped: notices and harvest-stage failures pass through in place. */
export type MappedItem = Mapped | { kind: 'item'; item: Exclude<HarvestItem, { kind: 'record' }> };

export interface MapJob {
  harvestedAt: string;
  run: { runId: string; seenAt: string };
  /** Validation instead of indexing (`harvester validate`): each record becomes its report. */
  validate?: { thesaurus: ThesaurusData };
}

/** The thesaurus of a validation job, built once per thread. */
let thesaurus: { data: ThesaurusData; value: TheiaThesaurus } | undefined;

/**
 * Maps raw records as far as the indexer's input, in their order (stage by stage over the chunk: pipelines/map.ts
 * mapRecords). Pure; never throws.
 */
export function mapChunk(raws: readonly RawRecord[], job: MapJob): Mapped[] {
  if (job.validate) {
    if (thesaurus?.data !== job.validate.thesaurus)
      thesaurus = { data: job.validate.thesaurus, value: thesaurusFromData(job.validate.thesaurus) };
    return validateRaws(raws, job.harvestedAt, thesaurus.value).map((result) => ({ kind: 'validated', result }));
  }
  return mapRecords(raws, { harvestedAt: job.harvestedAt }).map((result, i) => indexInput(raws[i], result, job));
}

/** A mapped record as the indexer's input: its document (or a failure of the index stage), or its failure. */
function indexInput(raw: RawRecord, result: RecordResult<HubRecord>, job: MapJob): Mapped {
  if (!result.ok) return { kind: 'failure', failure: result };
  const identifier = result.record.isPrimaryTopicOf.identifier;
  try {
    return {
      kind: 'doc',
      doc: prepareDoc(result.record, { source: raw.source, location: raw.location, rawHash: raw.rawHash }, job.run),
      warnings: result.warnings?.length ?? 0,
      ...(raw.id !== undefined && raw.id !== identifier ? { idMismatch: raw.id } : {}),
    };
  } catch (err) {
    return {
      kind: 'failure',
      failure: toFailure(err, {
        source: raw.source,
        id: identifier,
        indexId: result.record.identifier,
        stage: 'index',
        location: raw.location,
        raw: raw.body,
      }),
    };
  }
}

/** Default number of mapping workers: one per core, at most 4 (0 maps in the calling thread). */
export function defaultMapWorkers(): number {
  const env = process.env.HUB_MAP_WORKERS;
  if (env !== undefined && /^\d+$/.test(env)) return Number(env);
  return Math.min(4, availableParallelism());
}

/** The message that asks a worker to end (pipelines/map-worker.ts). */
export const STOP = 'stop';

/** Records sent to a worker in one message: fewer messages, less overhead. */
const CHUNK = 25;
/** A source that gives nothing for this long: the records gathered are mapped and passed on now. */
const IDLE_MS = 1000;

interface Slot {
  worker: Worker;
  pending: Map<number, { resolve: (m: Mapped[]) => void; raws: RawRecord[] }>;
}

/**
 * The heap of one mapping thread. A worker's heap stays small: it holds one chunk at a time. Young generation 8 MB: ~8
 * MB less per worker than 16 MB, at the same speed (100k-record replay, scripts/bench/harvest.ts).
 */
export const WORKER_LIMITS = { maxOldGenerationSizeMb: 96, maxYoungGenerationSizeMb: 8 } as const;

/**
 * How long close() waits for each worker to end by itself (the module graph it is loading evaluated, the chunk it
 * maps finished) before it is terminated.
 */
export const CLOSE_WAIT_MS = 10_000;

export class MapPool {
  private readonly slots: Slot[] = [];
  private next = 0;
  private seq = 0;
  private closed = false;
  /** Workers that died (each replaced by a new one), their records failures. */
  crashes = 0;

  /** `workers` 0 maps in the calling thread; `limits`: the heap of each mapping thread (default WORKER_LIMITS). */
  constructor(
    private readonly job: MapJob,
    workers: number = defaultMapWorkers(),
    private readonly limits: { maxOldGenerationSizeMb: number; maxYoungGenerationSizeMb: number } = WORKER_LIMITS,
  ) {
    if (!Number.isInteger(workers) || workers < 0) throw new RangeError(`workers must be a whole number >= 0 (got ${workers})`);
    for (let i = 0; i < workers; i++) this.slots.push(this.spawn());
  }

  get workers(): number {
    return this.slots.length;
  }

  private spawn(): Slot {
    // compiled: the worker module; from sources (tsx, in development): a bootstrap that registers tsx first
    const ts = import.meta.url.endsWith('.ts');
    const url = new URL(ts ? './map-worker.ts' : './map-worker.js', import.meta.url);
    const entry = ts ? `import('tsx/esm/api').then((t) => { t.register(); return import(${JSON.stringify(url.href)}); })` : url;
    const worker = new Worker(entry, {
      workerData: this.job,
      ...(ts ? { eval: true } : {}),
      resourceLimits: { ...this.limits },
    });
    // An idle worker does not keep the process alive; one holding records does (ref'd while it has work): else a
    // worker dying with the last records of a harvest would let the process end before its death is seen.
    worker.unref();
    const slot: Slot = { worker, pending: new Map() };
    worker.on('message', ({ id, out }: { id: number; out: Mapped[] }) => {
      const p = slot.pending.get(id);
      slot.pending.delete(id);
      if (slot.pending.size === 0) worker.unref();
      p?.resolve(out);
    });
    const crash = (err: unknown) => {
      // every record the worker held becomes a failure that keeps its raw input; a new worker takes its place
      if (slot.pending.size > 0) this.crashes++;
      for (const [, p] of slot.pending) {
        p.resolve(
          p.raws.map((raw) => ({
            kind: 'failure',
            failure: toFailure(new Error(`mapping worker died: ${(err as Error)?.message ?? err}`), {
              source: raw.source,
              ...(raw.id !== undefined ? { id: raw.id, indexId: hubId(raw.source, raw.id) } : {}),
              ...(raw.idText !== undefined ? { idText: raw.idText } : {}),
              stage: 'map',
              location: raw.location,
              raw: raw.body,
            }),
          })),
        );
      }
      slot.pending.clear();
      worker.unref();
      const i = this.slots.indexOf(slot);
      if (i >= 0 && !this.closed) this.slots[i] = this.spawn();
    };
    worker.on('error', crash);
    worker.on('exit', (code) => {
      if (slot.pending.size > 0) crash(new Error(`exit code ${code}`));
    });
    return slot;
  }

  /** Maps a chunk of raw records (in a worker when there are any); resolves in the chunk's order. */
  map(raws: RawRecord[]): Promise<Mapped[]> {
    if (this.slots.length === 0) return Promise.resolve(mapChunk(raws, this.job));
    // the least busy worker, ties broken round-robin
    let slot = this.slots[this.next++ % this.slots.length];
    for (const s of this.slots) if (s.pending.size < slot.pending.size) slot = s;
    const id = this.seq++;
    return new Promise((resolve) => {
      slot.pending.set(id, { resolve, raws });
      slot.worker.ref();
      slot.worker.postMessage({ id, raws });
    });
  }

  /**
   * The harvest stream, mapped: records go to the workers in chunks, everything comes out in the harvester's order.
   * At most `window` chunks are in flight. Returns what the harvester returned (how its run ended). When the harvester
   * throws, what it yielded before is still delivered, then the error.
   */
  async *mapStream<R>(
    items: AsyncGenerator<HarvestItem, R, undefined>,
    window = Math.max(2, this.slots.length * 4),
  ): AsyncGenerator<MappedItem, R, undefined> {
    return yield* inOrderBatches(items, {
      member: (item) => (item.kind === 'record' ? item.raw : undefined),
      work: (chunk) => this.map(chunk),
      // (every record is a member: what passes alone is a notice or a failure)
      alone: (item): MappedItem => ({ kind: 'item', item: item as Exclude<HarvestItem, { kind: 'record' }> }),
      size: CHUNK,
      window,
      holdLone: true, // (one result per record)
      maxWaitMs: IDLE_MS, // a slow source: what it sent is mapped and passed on, not held until its next page
    });
  }

  /**
   * Ends the workers: each is asked to stop, and ends once it has loaded its modules and mapped what it holds; one
   * that has not ended within `waitMs` is terminated. Never terminate() a worker at once: a pool closed right after it
   * was made (a source that fails at its first request) stopped threads while V8 evaluated their module graph, which
   * aborted the whole process ("Check failed: (location_) != nullptr" in SourceTextModule::ExecuteAsyncModule).
   * Resolves with the number of workers that had to be terminated.
   */
  async close(waitMs = CLOSE_WAIT_MS): Promise<{ terminated: number }> {
    this.closed = true;
    const slots = this.slots.splice(0);
    const ended = await Promise.all(
      slots.map(
        ({ worker }) =>
          new Promise<boolean>((resolve) => {
            if (worker.threadId < 0) return resolve(true); // (ended already)
            const timer = setTimeout(() => resolve(false), waitMs);
            worker.once('exit', () => {
              clearTimeout(timer);
              resolve(true);
            });
            worker.ref(); // (the process waits for its workers to end)
            worker.postMessage(STOP);
          }),
      ),
    );
    await Promise.all(slots.filter((_, i) => !ended[i]).map((s) => s.worker.terminate()));
    return { terminated: ended.filter((e) => !e).length };
  }
}
