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
import { mapRecord } from './map.js';
import type { TheiaThesaurus } from './theia.js';
import { thesaurusFromData, validateRaw, type ThesaurusData, type ValidatedRecord } from './validate-record.js';
import { toFailure, type Failure } from '../core/result.js';

/** What one raw record became: a document ready for the indexer, or a failure (raw input kept). */
export type Mapped =
  | { kind: 'doc'; doc: Pending; warnings: number }
  | { kind: 'failure'; failure: Failure }
  /** `harvester validate`: a record's report (job.validate). */
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

/** Maps one raw record as far as the indexer's input. Pure; never throws. */
export function mapForIndex(raw: RawRecord, job: MapJob): Mapped {
  if (job.validate) {
    if (thesaurus?.data !== job.validate.thesaurus)
      thesaurus = { data: job.validate.thesaurus, value: thesaurusFromData(job.validate.thesaurus) };
    return { kind: 'validated', result: validateRaw(raw, job.harvestedAt, thesaurus.value) };
  }
  const result = mapRecord(raw, { harvestedAt: job.harvestedAt });
  if (!result.ok) return { kind: 'failure', failure: result };
  try {
    return {
      kind: 'doc',
      doc: prepareDoc(result.record, { source: raw.source, location: raw.location }, job.run),
      warnings: result.warnings?.length ?? 0,
    };
  } catch (err) {
    return {
      kind: 'failure',
      failure: toFailure(err, {
        source: raw.source,
        id: result.record.isPrimaryTopicOf.identifier,
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

/** Records sent to a worker in one message: fewer messages, less overhead. */
const CHUNK = 25;

interface Slot {
  worker: Worker;
  pending: Map<number, { resolve: (m: Mapped[]) => void; raws: RawRecord[] }>;
}

export class MapPool {
  private readonly slots: Slot[] = [];
  private next = 0;
  private seq = 0;

  /** `workers` 0 maps in the calling thread. */
  constructor(
    private readonly job: MapJob,
    workers: number = defaultMapWorkers(),
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
      // A worker's heap stays small: it holds one chunk at a time. Young generation 8 MB: ~8 MB less per worker than
      // 16 MB, at the same speed (100k-record replay, scripts/bench/harvest.ts).
      resourceLimits: { maxOldGenerationSizeMb: 96, maxYoungGenerationSizeMb: 8 },
    });
    worker.unref();
    const slot: Slot = { worker, pending: new Map() };
    worker.on('message', ({ id, out }: { id: number; out: Mapped[] }) => {
      const p = slot.pending.get(id);
      slot.pending.delete(id);
      p?.resolve(out);
    });
    const crash = (err: unknown) => {
      // every record the worker held becomes a failure that keeps its raw input; a new worker takes its place
      for (const [, p] of slot.pending) {
        p.resolve(
          p.raws.map((raw) => ({
            kind: 'failure',
            failure: toFailure(new Error(`mapping worker died: ${(err as Error)?.message ?? err}`), {
              source: raw.source,
              id: raw.id,
              stage: 'map',
              location: raw.location,
              raw: raw.body,
            }),
          })),
        );
      }
      slot.pending.clear();
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots[i] = this.spawn();
    };
    worker.on('error', crash);
    worker.on('exit', (code) => {
      if (slot.pending.size > 0) crash(new Error(`exit code ${code}`));
    });
    return slot;
  }

  /** Maps a chunk of raw records (in a worker when there are any); resolves in the chunk's order. */
  map(raws: RawRecord[]): Promise<Mapped[]> {
    if (this.slots.length === 0) return Promise.resolve(raws.map((raw) => mapForIndex(raw, this.job)));
    // the least busy worker, ties broken round-robin
    let slot = this.slots[this.next++ % this.slots.length];
    for (const s of this.slots) if (s.pending.size < slot.pending.size) slot = s;
    const id = this.seq++;
    return new Promise((resolve) => {
      slot.pending.set(id, { resolve, raws });
      slot.worker.postMessage({ id, raws });
    });
  }

  /**
   * The harvest stream, mapped: records go to the workers in chunks, everything comes out in the harvester's order.
   * At most `window` chunks are in flight. When the harvester throws, what it yielded before is still delivered,
   * then the error.
   */
  async *mapStream(items: AsyncIterable<HarvestItem>, window = Math.max(2, this.slots.length * 4)): AsyncGenerator<MappedItem> {
    const fifo: Promise<MappedItem[]>[] = [];
    let chunk: RawRecord[] = [];
    const flush = () => {
      if (chunk.length) fifo.push(this.map(chunk));
      chunk = [];
    };
    let failure: { error: unknown } | undefined;
    try {
      for await (const item of items) {
        if (item.kind === 'record') {
          chunk.push(item.raw);
          if (chunk.length >= CHUNK) flush();
        } else {
          flush();
          fifo.push(Promise.resolve([{ kind: 'item', item }]));
        }
        while (fifo.length > window) yield* await fifo.shift()!;
      }
    } catch (error) {
      failure = { error }; // the source failed: deliver what it yielded before, then its error
    }
    flush();
    while (fifo.length) yield* await fifo.shift()!;
    if (failure) throw failure.error;
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    this.slots.length = 0;
  }
}
