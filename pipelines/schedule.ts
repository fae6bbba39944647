/**
 * Scheduled harvests: every enabled source with a `schedule` (cron expression) is harvested at those times, one
 * source at a time by default (a small machine; the index is shared), never two runs of the same source at once: in
 * this process a run still queued or under way is not queued again, and across processes the source's lock refuses
 * a second run (pipelines/locks.ts). Runs left `running` by a dead process are marked aborted when the scheduler
 * starts. A stop lets the runs under way end for a grace (default 30 s), then abandons their work: they are recorded
 * `interrupted`.
 */
import cron, { type ScheduledTask } from 'node-cron';
import PQueue from 'p-queue';
import type { Client } from '@elastic/elasticsearch';
import type { IndexSettingsOptions } from '../mappings/es-index.js';
import { abortDeadRuns, gracefulStop, harvestAll, STOP_GRACE_MS, type HarvestAllOptions } from './harvest-all.js';
import type { Logger } from './log.js';
import type { SourceConfig } from './sources.js';

export interface ScheduleOptions extends Omit<HarvestAllOptions, 'signal'> {
  /** Sources harvested at the same time at most. Default 1. */
  parallel?: number;
  /** Time zone of the cron expressions. Default: the machine's. */
  timezone?: string;
  /** How long stop() lets the runs under way end by themselves before abandoning their work. Default 30 s. */
  graceMs?: number;
}

export interface Scheduler {
  /** The scheduled sources with their next run. */
  next(): { source: string; schedule: string; next: Date | null }[];
  /**
   * Stops scheduling (runs queued and not started are dropped); lets the runs under way end for the grace, then
   * abandons their work (recorded interrupted); resolves when they have ended.
   */
  stop(reason?: string): Promise<void>;
}

/** Checks every schedule up front; throws one error naming each bad expression. */
export function checkSchedules(sources: SourceConfig[]): SourceConfig[] {
  const scheduled = sources.filter((s) => s.enabled !== false && s.schedule);
  const bad = scheduled.filter((s) => !cron.validate(s.schedule!));
  if (bad.length) throw new Error(`invalid cron expression: ${bad.map((s) => `${s.id}: "${s.schedule}"`).join('; ')}`);
  return scheduled;
}

export function scheduleSources(
  sources: SourceConfig[],
  target: { client: Client; alias: string; index?: IndexSettingsOptions },
  log: Logger,
  opts: ScheduleOptions = {},
): Scheduler {
  const scheduled = checkSchedules(sources);
  const { parallel = 1, timezone, graceMs = STOP_GRACE_MS, ...runOptions } = opts;
  if (!Number.isInteger(parallel) || parallel < 1) throw new Error(`parallel must be a whole number >= 1 (got ${parallel})`);
  const queue = new PQueue({ concurrency: parallel });
  const waiting = new Set<string>();
  const stopper = gracefulStop(graceMs);
  void abortDeadRuns(target, log, opts.lockTtlMs);
  const tasks: { source: SourceConfig; task: ScheduledTask }[] = scheduled.map((source) => ({
    source,
    task: cron.schedule(
      source.schedule!,
      () => {
        // a run still queued or under way is not queued again: the next tick is enough
        if (waiting.has(source.id)) {
          log.warn(`${source.id}: previous run not finished, this one is skipped`, { source: source.id });
          return;
        }
        if (stopper.requested) return;
        waiting.add(source.id);
        void queue
          .add(() => harvestAll([source], target, log, { ...runOptions, signal: stopper.signal }))
          .catch((err: unknown) => log.error(`${source.id}: run crashed: ${(err as Error).message}`, { source: source.id }))
          .finally(() => waiting.delete(source.id));
      },
      { name: source.id, noOverlap: true, ...(timezone ? { timezone } : {}) },
    ),
  }));
  return {
    next: () => tasks.map(({ source, task }) => ({ source: source.id, schedule: source.schedule!, next: task.getNextRun() })),
    async stop(reason = 'the scheduler was stopped') {
      await Promise.all(tasks.map(({ task }) => Promise.resolve(task.stop())));
      queue.clear();
      stopper.request(reason);
      await queue.onIdle();
      stopper.dispose();
    },
  };
}
