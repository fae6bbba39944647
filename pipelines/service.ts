/**
 * The hub as a service (`harvester serve`): the sources' schedules, manual triggers, and a graceful stop, over
 * harvestAll (one source per run) and the locks of pipelines/locks.ts.
 *
 * - **Schedules**: every enabled source with a cron `schedule` (5 fields, or 6 with seconds) is harvested at those
 *   times, unless the service was started without schedules (`schedule: false`: manual triggers only).
 * - **A global limit** on runs at once (`maxRuns`, default 2): a run beyond it waits for a slot (`queued`).
 * - **One run at a time per source**: a scheduled slot that comes while the source's previous run is queued or under
 *   way (here, or in another process that holds its lock) is skipped; the log says so and the history records a run
 *   document of status `skipped` naming the run still going. A manual trigger then is refused (`AlreadyRunning`: HTTP
 *   409).
 * - **Politeness per host** (core/politeness.ts): requests in flight per host and a delay between their starts, for
 *   every run of the process together (the harvesters' fetch helper goes through it).
 * - **A graceful stop** (`stop()`: SIGTERM, SIGINT): no new run starts, runs waiting for a slot are dropped, the runs
 *   under way ask their source for nothing more, write what they have received (the page in flight included) and are
 *   recorded `interrupted` (nothing removed); past the grace (default 30 s) what is still under way is abandoned.
 * - At start, the runs recorded on disk while the index was down are put in the history and the runs a dead process
 *   left `running` are marked `aborted` (harvestAll does it again before every run).
 */
import { randomUUID } from 'node:crypto';
import type { ScheduledTask } from 'node-cron';
import PQueue from 'p-queue';
import type { Client } from '@elastic/elasticsearch';
import { politeness, type PolitenessOptions } from '../core/politeness.js';
import type { IndexSettingsOptions } from '../mappings/es-index.js';
import { defaultReportDir, type RunSummary } from './harvest.js';
import { abortDeadRuns, gracefulStop, harvestAll, recordLocalRuns, STOP_GRACE_MS, type HarvestAllOptions } from './harvest-all.js';
import type { Logger } from './log.js';
import { getRun } from './runs.js';
import { heldElsewhere, skipSlot } from './slots.js';
import { checkSchedules, schedulerBeacon, slotTask } from './schedule.js';
import type { SchedulerBeacon } from './schedulers.js';
import type { SourceConfig } from './sources.js';
import { configuredStatus, sourcesStatus, type LiveState, type SourceStatus } from './status.js';

/** Runs at the same time at most, by default ($HUB_MAX_RUNS, --max-runs). */
export const DEFAULT_MAX_RUNS = 2;
/** Requests in flight to one host at most, by default, under the service ($HUB_HOST_REQUESTS, --host-requests). */
export const DEFAULT_HOST_REQUESTS = 4;

export interface ServiceOptions extends Omit<HarvestAllOptions, 'signal' | 'drain' | 'runId' | 'slot'> {
  /** Runs at the same time at most (a whole number >= 1). Default DEFAULT_MAX_RUNS (2). */
  maxRuns?: number;
  /** Whether the sources' cron schedules start runs. Default true; false: manual triggers only. */
  schedule?: boolean;
  /** Time zone of the cron expressions. Default: the machine's. */
  timezone?: string;
  /** How long a stop lets the runs under way write what they have before abandoning it. Default 30 s. */
  graceMs?: number;
  /**
   * Politeness per host for the whole process. Default: DEFAULT_HOST_REQUESTS (4) requests in flight per host, no
   * delay. Applied by start().
   */
  politeness?: PolitenessOptions;
}

/** How long a manual trigger waits for Elasticsearch to answer before it is refused (the index does not answer). */
const INDEX_CHECK_MS = 5000;

/** A manual trigger for a source the sources file does not have. */
export class UnknownSource extends Error {
  constructor(
    readonly source: string,
    known: string[],
  ) {
    super(`no source "${source}" in the sources file${known.length ? ` (its sources: ${known.join(', ')})` : ' (it has none)'}`);
    this.name = 'UnknownSource';
  }
}

/** A manual trigger for a source whose run is queued or under way (here or in another process). */
export class AlreadyRunning extends Error {
  constructor(
    readonly source: string,
    readonly runId: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'AlreadyRunning';
  }
}

interface Entry extends LiveState {
  source: string;
  done: Promise<RunSummary | undefined>;
}

export class HarvestService {
  private readonly queue: PQueue;
  private readonly active = new Map<string, Entry>();
  private readonly finished = new Map<string, RunSummary | undefined>();
  /** Runs still held here whose document says they ended (hasEnded): the next trigger of their source is accepted. */
  private readonly ended = new Set<string>();
  private readonly tasks = new Map<string, ScheduledTask>();
  private readonly stopper;
  private readonly drain = new AbortController();
  private readonly maxRuns: number;
  private stopping?: Promise<void>;
  /** The document that says this service follows the schedules, while it does. */
  private beacon?: SchedulerBeacon;
  private readonly runOptions: Omit<ServiceOptions, 'maxRuns' | 'schedule' | 'timezone' | 'graceMs' | 'politeness' | 'onRun'>;

  constructor(
    readonly sources: SourceConfig[],
    private readonly target: { client: Client; alias: string; index?: IndexSettingsOptions },
    private readonly log: Logger,
    private readonly opts: ServiceOptions = {},
  ) {
    const { maxRuns = DEFAULT_MAX_RUNS, graceMs = STOP_GRACE_MS } = opts;
    if (!Number.isInteger(maxRuns) || maxRuns < 1) throw new RangeError(`maxRuns must be a whole number >= 1 (got ${maxRuns})`);
    if (!(Number.isFinite(graceMs) && graceMs >= 0)) throw new RangeError(`graceMs must be a number of ms >= 0 (got ${graceMs})`);
    if (opts.schedule !== false) checkSchedules(sources); // every bad expression named before anything starts
    const ids = new Set<string>();
    for (const s of sources) {
      if (ids.has(s.id)) throw new RangeError(`source "${s.id}" is given twice`);
      ids.add(s.id);
    }
    this.maxRuns = maxRuns;
    this.queue = new PQueue({ concurrency: maxRuns });
    this.stopper = gracefulStop(graceMs);
    const { maxRuns: _m, schedule: _s, timezone: _t, graceMs: _g, politeness: _p, onRun: _o, ...runOptions } = opts;
    this.runOptions = runOptions;
  }

  /**
   * Applies the politeness limits, records the runs left on disk, marks the dead runs aborted, and starts the
   * schedules. Elasticsearch not answering is not an error here: the runs say so when they come.
   */
  async start(): Promise<void> {
    politeness.configure({ maxPerHost: DEFAULT_HOST_REQUESTS, ...this.opts.politeness });
    // the schedules first: an index slow to answer (a node that hangs, retried for minutes) must not keep slots from
    // coming; every run does this bookkeeping again before it harvests (harvestAll)
    if (this.opts.schedule !== false && !this.stopping)
      for (const source of checkSchedules(this.sources)) {
        this.tasks.set(
          source.id,
          slotTask(source, this.target, this.log, (at) => this.slot(source, at), this.opts.timezone),
        );
      }
    // `harvester status` tells from it that the schedules are followed (pipelines/schedulers.ts)
    if (this.tasks.size > 0 && !this.beacon)
      this.beacon = schedulerBeacon(this.target, this.log, 'serve', checkSchedules(this.sources), this.opts.timezone);
    await recordLocalRuns(this.target, this.opts.reportDir ?? defaultReportDir(), this.log);
    await abortDeadRuns(this.target, this.log, this.opts.lockTtlMs);
  }

  /** Whether the sources' schedules start runs. */
  get scheduling(): boolean {
    return this.tasks.size > 0;
  }

  /** The scheduled sources with their next run. */
  next(): { source: string; schedule: string; next: Date | null }[] {
    return [...this.tasks].map(([id, task]) => ({
      source: id,
      schedule: this.sources.find((s) => s.id === id)!.schedule!,
      next: task.getNextRun(),
    }));
  }

  /** What the service is doing with a source now: its run queued or under way. */
  live(source: string): LiveState | undefined {
    const e = this.active.get(source);
    return e
      ? { state: e.state, runId: e.runId, by: e.by, queuedAt: e.queuedAt, ...(e.startedAt ? { startedAt: e.startedAt } : {}) }
      : undefined;
  }

  /** A run started here by its id: queued or running (its state), or ended (its summary, while this process lives). */
  runState(runId: string): LiveState | RunSummary | undefined {
    for (const e of this.active.values()) if (e.runId === runId) return this.live(e.source);
    return this.finished.get(runId);
  }

  /** Figures of the service: the limits, runs under way and waiting. */
  info(): {
    scheduling: boolean;
    maxRuns: number;
    running: number;
    queued: number;
    politeness: Required<PolitenessOptions>;
    stopping: boolean;
  } {
    const states = [...this.active.values()].map((e) => e.state);
    return {
      scheduling: this.scheduling,
      maxRuns: this.maxRuns,
      running: states.filter((s) => s === 'running').length,
      queued: states.filter((s) => s === 'queued').length,
      politeness: politeness.limits,
      stopping: this.stopping !== undefined,
    };
  }

  /** The status of every source (pipelines/status.ts) with what the service is doing and its timers' next runs. */
  status(): Promise<SourceStatus[]> {
    return sourcesStatus(this.target.client, this.target.alias, this.sources, {
      live: (id) => this.live(id),
      next: (id) => this.tasks.get(id)?.getNextRun() ?? undefined,
      ...(this.opts.timezone ? { timezone: this.opts.timezone } : {}),
    });
  }

  /** The sources as the service knows them without the index (Elasticsearch does not answer): schedule, next run, live. */
  liveStatus(): Promise<SourceStatus[]> {
    return configuredStatus(this.sources, {
      live: (id) => this.live(id),
      next: (id) => this.tasks.get(id)?.getNextRun() ?? undefined,
      ...(this.opts.timezone ? { timezone: this.opts.timezone } : {}),
    });
  }

  /**
   * Starts a run of a source now (or as soon as a slot is free): its run id at once. Throws UnknownSource, or
   * AlreadyRunning when the source's run is queued or under way here or its lock is held by a live run elsewhere, or
   * an Error when the service is stopping; a manual trigger throws the client's ConnectionError or TimeoutError when
   * Elasticsearch does not answer within INDEX_CHECK_MS.
   */
  async trigger(
    sourceId: string,
    by: 'manual' | 'schedule' = 'manual',
    slot?: Date,
  ): Promise<{ runId: string; state: 'queued' | 'running'; done: Promise<RunSummary | undefined> }> {
    const source = this.sources.find((s) => s.id === sourceId);
    if (!source)
      throw new UnknownSource(
        sourceId,
        this.sources.map((s) => s.id),
      );
    if (this.stopping) throw new Error('the service is stopping: no new run starts');
    // an operator's trigger while Elasticsearch does not answer: said at once (one request, no retry; the route's 503
    // with Retry-After), not after the client's retries of the lock lookup and a run bound to fail; a scheduled slot
    // still runs, and its failure is recorded as any run's
    if (by === 'manual') await this.target.client.cluster.health({ local: true }, { maxRetries: 0, requestTimeout: INDEX_CHECK_MS });
    const busy = await this.busy(sourceId);
    if (busy) throw busy;
    // a stop that came while the index was asked (seconds when it does not answer): no run is queued only to be
    // dropped, nor said to be "scheduled" after the line saying it will not start
    if (this.stopping) throw new Error('the service is stopping: no new run starts');
    // checked again: another trigger may have come while the lock was read
    const again = this.active.get(sourceId);
    if (again && !this.ended.has(again.runId)) throw this.alreadyRunning(again);
    const runId = randomUUID();
    const entry: Entry = {
      source: sourceId,
      state: 'queued',
      runId,
      by,
      queuedAt: new Date().toISOString(),
      done: Promise.resolve(undefined),
    };
    this.active.set(sourceId, entry);
    // said before the run is queued, from the runs under way and waiting: the queue starts a run at once when a slot
    // is free (its own "not started" or "harvesting" lines then come after this one), and once it holds the run its
    // count of runs under way includes it (a run taking the last free slot was said to wait for one)
    const waits = this.queue.pending + this.queue.size >= this.maxRuns;
    this.log.info(`${sourceId}: run ${runId} ${by === 'manual' ? 'asked for' : 'scheduled'}${waits ? ', waiting for a free slot' : ''}`, {
      source: sourceId,
      runId,
      by,
    });
    entry.done = this.queue
      .add(async (): Promise<RunSummary | undefined> => {
        if (this.stopping) {
          this.log.warn(`${sourceId}: run ${runId} not started, the service is stopping`, { source: sourceId, runId });
          return undefined;
        }
        entry.state = 'running';
        entry.startedAt = new Date().toISOString();
        const [summary] = await harvestAll([source], this.target, this.log, {
          ...this.runOptions,
          runId,
          ...(slot ? { slot: slot.toISOString() } : {}),
          signal: this.stopper.signal,
          drain: this.drain.signal,
        });
        if (summary?.status === 'refused' && by === 'schedule') {
          // another process took the source's lock between our look at it and our run (two services, one slot):
          // the slot is skipped like any slot that finds its source busy, and recorded so
          const held = /\bby run ([0-9a-f-]{36})\b/.exec(summary.error ?? '')?.[1];
          return skipSlot(this.target, this.log, source, slot ?? new Date(entry.queuedAt), {
            ...(held ? { runId: held } : {}),
            message: summary.error ?? 'its lock is held',
          });
        }
        if (summary) this.opts.onRun?.(summary);
        return summary;
      })
      .catch((err: unknown) => {
        this.log.error(`${sourceId}: run ${runId} crashed: ${(err as Error).message}`, { source: sourceId, runId });
        return undefined;
      })
      .finally(() => {
        // (a run that had recorded its end may already have been followed by the next one: that one stays)
        if (this.active.get(sourceId) === entry) this.active.delete(sourceId);
        this.ended.delete(runId);
      })
      .then((summary: RunSummary | undefined | void) => {
        this.finished.set(runId, summary ?? undefined);
        if (this.finished.size > 1000) this.finished.delete(this.finished.keys().next().value!);
        return summary ?? undefined;
      });
    return { runId, state: entry.state, done: entry.done };
  }

  /** Why a source cannot start a run now: its run here, or a live lock held by another process; undefined if free. */
  private async busy(sourceId: string): Promise<AlreadyRunning | undefined> {
    const here = this.active.get(sourceId);
    if (here && !(await this.hasEnded(here))) return this.alreadyRunning(here);
    const held = await heldElsewhere(this.target.client, this.target.alias, sourceId);
    return held ? new AlreadyRunning(sourceId, held.runId, held.message) : undefined;
  }

  /**
   * Whether a run under way here has already recorded its end: its document in the history is final (its lock was
   * released before), only the last bookkeeping of the process is left. A client that saw the run end through
   * GET /runs/{id} may start the next one at once: refusing it (409) for those milliseconds would be a spurious
   * conflict, and on a loaded machine the refresh of that last write leaves a window of seconds.
   */
  private async hasEnded(e: Entry): Promise<boolean> {
    if (e.state !== 'running') return false;
    if (this.ended.has(e.runId)) return true;
    let doc;
    try {
      doc = await getRun(this.target.client, this.target.alias, e.runId);
    } catch {
      return false; // the history does not answer: the run is taken as under way
    }
    if (!doc || doc.status === 'running') return false;
    if (this.active.get(e.source) === e) this.ended.add(e.runId);
    return true;
  }

  private alreadyRunning(e: Entry): AlreadyRunning {
    return new AlreadyRunning(
      e.source,
      e.runId,
      e.state === 'queued'
        ? `source "${e.source}" already has run ${e.runId} waiting for a free slot (since ${e.queuedAt})`
        : `source "${e.source}" is being harvested by run ${e.runId} (since ${e.startedAt})`,
    );
  }

  /** A scheduled slot (its date-time `at`): a run, or a skip said in the log and recorded in the history. */
  private async slot(source: SourceConfig, at: Date): Promise<void> {
    if (this.stopping) return;
    try {
      await this.trigger(source.id, 'schedule', at);
    } catch (err) {
      if (!(err instanceof AlreadyRunning)) {
        if (!this.stopping) this.log.error(`${source.id}: scheduled run not started: ${(err as Error).message}`, { source: source.id });
        return;
      }
      await skipSlot(this.target, this.log, source, at, { runId: err.runId, message: err.message });
    }
  }

  /**
   * Stops: no new slot or trigger, runs waiting for a slot dropped, the runs under way write what they have received
   * and are recorded interrupted; past the grace their work is abandoned. Resolves when every run has ended.
   */
  stop(reason = 'the service was stopped'): Promise<void> {
    this.stopping ??= (async () => {
      await Promise.all([...this.tasks.values()].map((t) => Promise.resolve(t.stop())));
      this.drain.abort(new Error(reason));
      this.stopper.request(reason);
      await Promise.all([...this.active.values()].map((e) => e.done));
      await this.queue.onIdle();
      this.stopper.dispose();
      await Promise.all([...this.tasks.values()].map((t) => Promise.resolve(t.destroy())));
      await this.beacon?.stop();
    })();
    return this.stopping;
  }

  /** A second stop: abandons the work under way at once. */
  abandon(reason: string): void {
    this.stopper.request(reason);
    this.stopper.request(reason);
  }
}
