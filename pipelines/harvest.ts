/**
 * The pipeline of one source, in named steps (runs.ts STEPS), the accounting kept in one place (run-account.ts):
 *
 * 1. start: the index (created or migrated), the source's lock (locks.ts: a second run of the source is refused, or
 *    waits), what the run asks for (incremental.ts: every record, or what changed since the last successful run), the
 *    run document written as `running` (runs.ts) and a heartbeat that extends the lock and updates the run document
 *    every `heartbeatMs`;
 * 2. harvest: harvester -> unchanged records left out by their raw hash (unchanged.ts) -> map in worker threads ->
 *    validate -> bulk index, every record counted as it goes; the harvester says how its run ended (complete, or
 *    incomplete and why);
 * 3. index: the last records written, the index refreshed; records removed earlier that came back restored (counted
 *    `restored`, not `new`);
 * 4. remove: only after a complete full run, with every failure tied to its indexed record, the records the source no
 *    longer has are withdrawn for the source's grace period (deleted at once when it is 0), within the deletion guard
 *    (remove-stale.ts; held back: the run is `suspect`); withdrawn records whose grace ended are purged;
 * 5. finish: the status, the failure report closed, the lock released, the run document finished (or, when the index
 *    cannot take it, written on disk next to the failure reports).
 *
 * Whatever throws, in whichever step, the run ends with its summary and its record, naming the step that failed; a
 * failing step removes nothing. A record that fails is reported with its source, identifier and stage (and its raw
 * input in the failure report) and keeps its previous version; the rest goes on. A stop (`signal`), the run's time
 * budget or its lock taken over by another run interrupt it: the work under way is abandoned, the run recorded
 * `interrupted`, nothing removed.
 */
import type { Client } from '@elastic/elasticsearch';
import { HarvestError, UsageError } from '../core/result.js';
import type { RunEnd } from '../harvesters/types.js';
import { projectPath } from '../schemas/paths.js';
import { writeLocalRunRecord } from './failure-report.js';
import { ensureIndex } from './index-admin.js';
import { BulkIndexer } from './indexer.js';
import { acquireLock, LOCK_TTL_MS, LockHeld, markLive, type HeldLock } from './locks.js';
import type { Logger } from './log.js';
import { MapPool, type MappedItem } from './map-pool.js';
import { removeStale } from './remove-stale.js';
import { deletionGraceMs, planRun, sourceForPlan, type RunPlan } from './incremental.js';
import { purgeWithdrawn, restoreReturned } from './tombstones.js';
import { skipUnchanged } from './unchanged.js';
import { linkRun, rankingKey } from './duplicates.js';
import { drainable } from './drain.js';
import { qualityOfSource } from './quality.js';
import { RunAccount } from './run-account.js';
import { formatDuration, latestRuns, markAbortedRuns, runLogSummary, STEPS, writeRun, type RunStep, type RunSummary } from './runs.js';
import { harvesterFor, type SourceConfig } from './sources.js';

export type { RunStatus, RunSummary } from './runs.js';
import type { IndexSettingsOptions } from '../mappings/es-index.js';

export interface HarvestOptions {
  client: Client;
  /** Alias of the records index. */
  alias: string;
  /** Shards and replicas of the records index when this run creates it (replicas also applied to an existing one). */
  index?: IndexSettingsOptions;
  log: Logger;
  /**
   * Folder for per-run failure reports (NDJSON with the raw input). Default: none (failures only logged and counted).
   * A run that cannot be recorded in the index is recorded there (default: .cache/reports).
   */
  reportDir?: string;
  /** Deletion guard of this run, over the source's own (remove-stale.ts): largest share of its records removed. */
  maxDeleteRatio?: number;
  /** Deletion guard of this run, over the source's own: most records removed. */
  maxDeleteCount?: number;
  /** Refresh the index when the run ends so that searches see it at once. Default: true. */
  refresh?: boolean;
  /** Bulk batch size. Default 500. */
  batchSize?: number;
  /** Threads that map records (0: in this thread). Default: one per core, at most 4 ($HUB_MAP_WORKERS overrides). */
  mapWorkers?: number;
  /** Stops the run: the work under way is abandoned, the run recorded `interrupted`. */
  signal?: AbortSignal;
  /**
   * Stops the run gently (pipelines/drain.ts): the source is asked for nothing more, what it already sent (the page in
   * flight included) is mapped and written, the run recorded `interrupted`, nothing removed. `signal` still abandons.
   */
  drain?: AbortSignal;
  /** The run's id, when the caller chose it beforehand (a run started over HTTP answers with it). Default: a new UUID. */
  runId?: string;
  /** A scheduled run: the slot it is for (ISO date-time), recorded in its document. */
  slot?: string;
  /** Time budget of the run in ms: past it, the run is interrupted. Default: the source's maxRunMinutes, else 6 hours. */
  maxRunMs?: number;
  /** How long to wait for the source's lock while another live run holds it. Default 0: refuse at once. */
  waitForLockMs?: number;
  /** Period of the heartbeat (lock extended, run document updated). Default 10 s. */
  heartbeatMs?: number;
  /** How long the lock (and a `running` run document) stays valid without a heartbeat. Default 2 minutes. */
  lockTtlMs?: number;
  /** Longest time the indexer retries a request while Elasticsearch does not answer. Default 2 minutes. */
  indexRetryBudgetMs?: number;
  /** Longest wait for the run document's last write, before it is recorded on disk instead. Default 10 s. */
  recordTimeoutMs?: number;
  /** A full run, whatever the source's history says (`harvester harvest --full`). Default: incremental when it can be. */
  full?: boolean;
  /** Map every record, even those whose raw record is the one indexed (after a crosswalk fix). Default false. */
  remap?: boolean;
}

/** Default time budget of one run. */
export const DEFAULT_MAX_RUN_MS = 6 * 3600_000;
/** Default heartbeat period. */
export const HEARTBEAT_MS = 10_000;

/** Where failure reports and local run records go when the caller does not say. */
export function defaultReportDir(): string {
  return projectPath('.cache', 'reports');
}

export async function harvestSource(source: SourceConfig, opts: HarvestOptions): Promise<RunSummary> {
  const { client, alias, log } = opts;
  const run = new RunAccount(source, log, opts.reportDir, opts.runId);
  if (opts.slot) run.summary.slot = opts.slot;
  const unmark = markLive(run.runId);
  const budget = opts.maxRunMs ?? (source.maxRunMinutes !== undefined ? source.maxRunMinutes * 60_000 : DEFAULT_MAX_RUN_MS);
  const stop = runStop(run, log, opts.signal, budget);
  const onDrain = () => {
    const r = opts.drain?.reason as unknown;
    const why = `stopped (${r instanceof Error ? r.message : typeof r === 'string' ? r : 'asked to stop'})`;
    run.interrupted(why);
    log.warn(`${run.summary.name}: ${why}: the source is asked for nothing more, what it sent is written`, { source: source.id });
  };
  if (opts.drain?.aborted) onDrain();
  else opts.drain?.addEventListener('abort', onDrain, { once: true });
  let lock: HeldLock | undefined;
  let beat: Heartbeat | undefined;
  log.info(`harvesting ${run.summary.name} (${source.type} ${source.url})`, { source: source.id, runId: run.runId });
  try {
    // 1. start: the index, the lock, the run document and its heartbeat
    const start = async () => {
      const ix = await ensureIndex(client, alias, opts.index);
      if (ix.rolledOverFrom) {
        const from = ix.rolledOverFrom;
        const pruned = ix.pruned ? `; older versions deleted: ${ix.pruned.join(', ')}` : '';
        log.info(`mapping changed: ${ix.copied ?? 0} records copied from ${from} to ${ix.index} (${from} kept for a swap back${pruned})`, {
          source: source.id,
          index: ix.index,
        });
      }
    };
    if (!(await step(run, 'start', start))) return await finish(run, opts);
    try {
      lock = await acquireLock(client, alias, source.id, run.runId, {
        ttlMs: opts.lockTtlMs ?? LOCK_TTL_MS,
        waitMs: opts.waitForLockMs,
        signal: stop.signal,
        onNote: (m) => log.warn(`${run.summary.name}: ${m}`, { source: source.id }),
      });
    } catch (err) {
      if (err instanceof LockHeld) return refused(run, err, log);
      run.stepFailed('lock', err, describe(err));
      return await finish(run, opts);
    }
    // a run of this source whose lock was just taken over (its process died) is marked aborted
    await markAbortedRuns(client, alias, { source: source.id, staleMs: opts.lockTtlMs }).catch(() => undefined);
    const plan = await planStage(run, opts);
    if (!(await step(run, 'start', () => writeRun(client, alias, run.snapshot({ start: true }), { refresh: true }))))
      return await finish(run, opts);
    beat = heartbeat(run, lock, opts, stop);

    // 2. harvest and 3. index
    await harvestAndIndex(sourceForPlan(source, plan), run, opts, stop.signal);
    await restoreStage(run, opts);

    // 4. remove: only after a complete run
    await removeStage(run, opts);

    // 4b. link: the copies of a dataset from other sources, shown once (pipelines/duplicates.ts)
    // (not when writing to the index failed: Elasticsearch is not answering)
    if (!run.isInterrupted && run.summary.step !== 'index') await linkStage(run, opts);
  } finally {
    opts.drain?.removeEventListener('abort', onDrain);
    stop.dispose();
    await beat?.stop();
    await lock?.release();
    unmark();
  }
  // 5. finish
  return finish(run, opts);
}

/** What the run asks for; a history that cannot be read makes it a full run (it removes nothing more than one would). */
async function planStage(run: RunAccount, opts: HarvestOptions): Promise<RunPlan> {
  let plan: RunPlan;
  try {
    plan = await planRun(opts.client, opts.alias, run.source, { now: run.startedAt, full: opts.full });
  } catch (err) {
    plan = { mode: 'full', reason: `the run history could not be read (${describe(err)}): a full run` };
  }
  run.planned(plan);
  opts.log.info(`${run.summary.name}: ${plan.mode} run: ${plan.reason}${plan.since ? `, since ${plan.since}` : ''}`, {
    source: run.source.id,
  });
  return plan;
}

/** Runs one step; a throw ends it as the run's failure naming the step, never across steps. Returns whether it went through. */
async function step(run: RunAccount, name: RunStep, body: () => Promise<unknown>): Promise<boolean> {
  try {
    await body();
    return true;
  } catch (err) {
    run.stepFailed(name, err, describe(err));
    return false;
  }
}

/** An error for the run document: its message, and what kind of error when it is not one of ours. */
function describe(err: unknown): string {
  if (err instanceof HarvestError || err instanceof UsageError) return err.message;
  const e = err as { name?: string; message?: string; meta?: { statusCode?: number } };
  const es = ['ConnectionError', 'TimeoutError', 'NoLivingConnectionsError', 'ResponseError'].includes(e.name ?? '');
  if (es) return `Elasticsearch: ${e.name}: ${e.message}`;
  return `unexpected error: ${e.message ?? String(err)}`;
}

/** 2. harvester -> map pool -> indexer, then 3. the last records written and the index refreshed. */
async function harvestAndIndex(source: SourceConfig, run: RunAccount, opts: HarvestOptions, signal: AbortSignal): Promise<void> {
  const { client, alias, log } = opts;
  const indexer = new BulkIndexer({
    client,
    index: alias,
    runId: run.runId,
    batchSize: opts.batchSize,
    onFailure: (f) => run.failure(f, 'index'),
    signal,
    ...(opts.indexRetryBudgetMs !== undefined ? { retryBudgetMs: opts.indexRetryBudgetMs } : {}),
  });
  const pool = new MapPool({ harvestedAt: run.summary.startedAt, run: indexer.run }, opts.mapWorkers);
  const progress = log.progress(run.summary.name);
  let lookupSaid = false;
  const harvesterStop = new AbortController();
  const harvester = harvesterFor(source, { signal: AbortSignal.any([signal, harvesterStop.signal]) });
  const harvested = drainable(harvester, opts.drain, (why) => harvesterStop.abort(new Error(why)));
  const items = opts.remap
    ? harvested
    : skipUnchanged(harvested, {
        client,
        index: alias,
        source: source.id,
        signal,
        seenBefore: (id) => run.seen.has(id),
        onUnchanged: (id) => run.unchanged(id),
        onLookupError: (err) => {
          if (!lookupSaid && !signal.aborted)
            log.warn(`${run.summary.name}: the indexed raw hashes could not be read (${describe(err)}): those records are mapped`, {
              source: source.id,
            });
          lookupSaid = true;
        },
      });
  try {
    const end = await consume(pool.mapStream(items), run, indexer, progress);
    run.ended(end);
  } catch (err) {
    if (!signal.aborted) {
      log.log('debug', `${run.summary.name}: ${(err as Error)?.stack ?? String(err)}`, { source: source.id });
      run.stepFailed('harvest', err, describe(err));
    }
  } finally {
    progress.stop();
    await pool.close();
  }
  await step(run, 'index', async () => {
    run.indexed(await indexer.close());
    if (opts.refresh !== false && !signal.aborted) await client.indices.refresh({ index: alias });
  });
}

/** Reads the mapped stream to its end, every item to the accounting and every document to the indexer. */
async function consume(
  stream: AsyncGenerator<MappedItem, RunEnd, undefined>,
  run: RunAccount,
  indexer: BulkIndexer,
  progress: { update(done: number, counts: Record<string, number>, total?: number): void },
): Promise<RunEnd> {
  let total: number | undefined;
  for (;;) {
    const next = await stream.next();
    if (next.done) return next.value;
    const m = next.value;
    if (m.kind === 'item') {
      const item = m.item;
      if (item.kind === 'notice') {
        run.notice(item.notice);
        if (typeof item.notice.data?.matched === 'number') total = item.notice.data.matched;
        continue;
      }
      run.failure(item.failure, 'harvester');
    } else if (m.kind === 'failure') run.failure(m.failure, 'mapping');
    else if (m.kind === 'doc') {
      run.document(m.doc, m.warnings, m.idMismatch);
      await indexer.addPrepared(m.doc);
    } else throw new Error('a validation report in a harvest: the map pool was given a validation job');
    const s = run.summary;
    if (s.seen % 100 === 0) progress.update(s.seen, run.progress(), total);
  }
}

/**
 * 3. (end) Records removed earlier (withdrawn within their grace period, or deleted) that this run indexed anew are
 * restored: their tombstones removed, and they are counted `restored`, no longer `new` (the indexer found them absent).
 * Only after a run that indexed new records; a failure here only leaves void tombstones (OAI-PMH ignores a tombstone
 * whose record is live), said as a warning, and those records stay counted new.
 */
async function restoreStage(run: RunAccount, opts: HarvestOptions): Promise<void> {
  const s = run.summary;
  if (s.new === 0 || run.isInterrupted) return;
  try {
    // (a tombstone left live by an earlier run whose restore failed is restored too: never more than this run's new)
    const back = Math.min(s.new, await restoreReturned(opts.client, opts.alias, run.source.id));
    s.new -= back;
    s.restored = (s.restored ?? 0) + back;
  } catch (err) {
    run.notice({ level: 'warn', message: `withdrawn records that came back could not be restored yet: ${describe(err)}` });
  }
}

/**
 * 4. Stale removal, when the run may remove anything at all: a complete full run. The records it did not see are
 * withdrawn for the source's grace period (deleted at once when it is 0); held back by the guard: the run is suspect.
 * Then the withdrawn records whose grace has ended are purged (the run saw the whole source: none of them came back).
 */
async function removeStage(run: RunAccount, opts: HarvestOptions): Promise<void> {
  const s = run.summary;
  if (run.isInterrupted) {
    s.deletion = 'the run was interrupted: nothing removed';
    return;
  }
  if (run.hasFailed) {
    s.deletion = 'the run did not complete: nothing removed';
    return;
  }
  const incomplete = run.incompleteReason();
  if (incomplete) {
    s.deletion = `${incomplete}: nothing removed`;
    return;
  }
  if (s.mode === 'incremental') {
    s.deletion = 'an incremental run (only what changed was asked for): nothing removed';
    return;
  }
  const source = run.source;
  const grace = deletionGraceMs(source);
  await step(run, 'remove', async () => {
    const r = await removeStale(opts.client, opts.alias, source.id, (id) => run.seen.has(id), {
      guard: {
        maxDeleteRatio: opts.maxDeleteRatio ?? source.maxDeleteRatio,
        maxDeleteCount: opts.maxDeleteCount ?? source.maxDeleteCount,
      },
      refresh: opts.refresh !== false,
      seenCount: run.seen.size,
      exact: s.failed === 0 && s.skipped === 0,
      ...(grace > 0 ? { graceUntil: new Date(Date.now() + grace).toISOString() } : {}),
      ranking: source.ranking,
    });
    s.deleted = r.deleted;
    if (grace > 0) s.withdrawn = r.deleted;
    if (r.stale > 0) s.stale = r.stale;
    if (r.held) {
      s.deletion = r.held;
      run.holdRemovals(r.held);
      opts.log.warn(`${s.name}: ${r.held}`, { source: source.id });
    }
    if (r.warning) run.notice({ level: 'warn', message: r.warning, data: { deleted: r.deleted, total: r.total } });
    // what was due when the run started: a record withdrawn by this very run is never purged by it, however short
    // its grace and however long the run
    const p = await purgeWithdrawn(opts.client, opts.alias, { source: source.id, now: s.startedAt });
    s.purged = p.purged;
    s.restored = (s.restored ?? 0) + p.restored;
  });
}

/**
 * 4b. The run's records and their copies from other sources, linked: one primary shown per dataset. A failure here is
 * a warning of the run (the records are indexed; the next run links them), never a failed run.
 */
async function linkStage(run: RunAccount, opts: HarvestOptions): Promise<void> {
  const s = run.summary;
  try {
    // the source's groups linked before are decided again only when something may have changed them: another
    // ranking than its previous run's, or a previous run whose link step did not end (a ranking change applies to
    // every group at once with `harvester link`; a copy removed or rewritten is relinked where that happens)
    const key = rankingKey(run.source.ranking);
    const previous = (await latestRuns(opts.client, opts.alias, { source: run.source.id, size: 5 })).find(
      (r) => r.runId !== run.runId && r.status !== 'running',
    );
    const full = previous?.linked === undefined || previous.linkRanking !== key;
    const r = await linkRun(opts.client, opts.alias, run.source.id, run.runId, run.source.ranking, { full });
    s.linkRanking = key;
    s.linked = r.linked;
    s.hidden = r.hidden;
    if (r.linked > 0)
      opts.log.info(`${s.name}: ${r.linked} record(s) also come from another source (${r.hidden} shown through another source's copy)`, {
        source: run.source.id,
      });
  } catch (err) {
    run.notice({ level: 'warn', message: `step "${STEPS.link}" failed: ${describe(err)}; the next run links them` });
  }
}

/** 5. The status, the failure report closed, the run document finished (or recorded on disk when the index cannot). */
async function finish(run: RunAccount, opts: HarvestOptions): Promise<RunSummary> {
  const s = await run.finish();
  // the FAIR figures of the source's records (not asked when the index was the step that failed)
  if (s.step !== 'start' && s.step !== 'index' && s.step !== 'lock') {
    const quality = await qualityOfSource(opts.client, opts.alias, s.source, Math.min(opts.recordTimeoutMs ?? 10_000, 5000));
    if (quality) s.quality = quality;
  }
  try {
    await writeRun(opts.client, opts.alias, s, { refresh: true, timeoutMs: opts.recordTimeoutMs ?? 10_000 });
  } catch (err) {
    const why = describe(err);
    s.status = s.status === 'interrupted' ? s.status : 'failed';
    s.step ??= 'record';
    s.error = s.error ? `${s.error}; then step "${STEPS.record}" failed: ${why}` : why;
    try {
      s.localRecord = await writeLocalRunRecord(opts.reportDir ?? defaultReportDir(), s);
    } catch (e) {
      // (bounded, as every end-of-run line: the summary printed by the command has the rest)
      opts.log.error(`${s.name}: the run could not be recorded on disk either: ${(e as Error).message}`, {
        source: s.source,
        run: runLogSummary(s),
      });
    }
    opts.log.error(`${s.name}: step "${STEPS.record}" failed: ${why}${s.localRecord ? `; recorded in ${s.localRecord}` : ''}`, {
      source: s.source,
    });
  }
  return s;
}

/** A run refused because another run holds the source's lock: said, returned, not recorded. */
async function refused(run: RunAccount, err: LockHeld, log: Logger): Promise<RunSummary> {
  const s = await run.finish();
  s.status = 'refused';
  s.step = 'lock';
  s.error = err.message;
  s.deletion = 'the run did not start: nothing removed';
  log.warn(`${s.name}: ${err.message}`, { source: s.source });
  return s;
}

/** What stops a run from outside: the caller's signal, the run's time budget, its lock taken over. */
interface RunStop {
  readonly signal: AbortSignal;
  abort(why: string): void;
  dispose(): void;
}

function runStop(run: RunAccount, log: Logger, outer: AbortSignal | undefined, budgetMs: number): RunStop {
  const controller = new AbortController();
  const abort = (why: string) => {
    if (controller.signal.aborted) return;
    run.interrupted(why);
    log.warn(`${run.summary.name}: ${why}: the work under way is abandoned, nothing is removed`, { source: run.source.id });
    controller.abort(new Error(why));
  };
  const onOuter = () => {
    const reason = outer?.reason as unknown;
    abort(`stopped (${reason instanceof Error ? reason.message : typeof reason === 'string' ? reason : 'asked to stop'})`);
  };
  if (outer?.aborted) onOuter();
  else outer?.addEventListener('abort', onOuter, { once: true });
  const budget = budgetMs > 0 ? budgetMs : DEFAULT_MAX_RUN_MS;
  const timer = setTimeout(() => abort(`the run's time budget of ${formatDuration(budget)} ran out (maxRunMinutes)`), budget);
  timer.unref();
  return {
    signal: controller.signal,
    abort,
    dispose() {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onOuter);
    },
  };
}

interface Heartbeat {
  /** Stops the heartbeat; resolves when the one under way (if any) has ended. */
  stop(): Promise<void>;
}

/**
 * Every `heartbeatMs`: the lock extended (a lock taken over by another run interrupts this one) and the run document
 * updated with the counts so far. A heartbeat that cannot be written (Elasticsearch down) is said once and retried at
 * the next beat.
 */
function heartbeat(run: RunAccount, lock: HeldLock, opts: HarvestOptions, stop: RunStop): Heartbeat {
  const { client, alias, log } = opts;
  let current: Promise<void> | undefined;
  let said = false;
  const beat = async () => {
    const held = await lock.heartbeat();
    if (held === 'lost') stop.abort("the source's lock was taken over by another run (this run's heartbeats had stopped too long)");
    try {
      await writeRun(client, alias, run.snapshot(), { timeoutMs: opts.heartbeatMs ?? HEARTBEAT_MS });
      said = false;
    } catch (err) {
      if (!said)
        log.warn(`${run.summary.name}: the run's heartbeat could not be written (${describe(err)}); the run goes on`, {
          source: run.source.id,
        });
      said = true;
    }
  };
  const timer = setInterval(() => {
    current ??= beat().finally(() => (current = undefined));
  }, opts.heartbeatMs ?? HEARTBEAT_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await current;
    },
  };
}
