/**
 * Scheduled harvests: every enabled source with a `schedule` (cron expression) is harvested at those times, one
 * source at a time by default (a small machine; the index is shared), never two runs of the same source at once.
 */
import cron, { type ScheduledTask } from 'node-cron';
import PQueue from 'p-queue';
import type { Client } from '@elastic/elasticsearch';
import type { IndexSettingsOptions } from '../mappings/es-index.js';
import { harvestAll } from './harvest-all.js';
import type { Logger } from './log.js';
import type { SourceConfig } from './sources.js';

export interface ScheduleOptions {
  /** Sources harvested at the same time at most. Default 1. */
  parallel?: number;
  /** Time zone of the cron expressions. Default: the machine's. */
  timezone?: string;
  maxDeleteRatio?: number;
  reportDir?: string;
}

export interface Scheduler {
  /** The scheduled sources with their next run. */
  next(): { source: string; schedule: string; next: Date | null }[];
  /** Stops scheduling; resolves when the runs under way have ended. */
  stop(): Promise<void>;
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
  const parallel = opts.parallel ?? 1;
  if (!Number.isInteger(parallel) || parallel < 1) throw new Error(`parallel must be a whole number >= 1 (got ${parallel})`);
  const queue = new PQueue({ concurrency: parallel });
  const waiting = new Set<string>();
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
        waiting.add(source.id);
        void queue
          .add(() => harvestAll([source], target, log, opts))
          .catch((err: unknown) => log.error(`${source.id}: run crashed: ${(err as Error).message}`, { source: source.id }))
          .finally(() => waiting.delete(source.id));
      },
      { name: source.id, noOverlap: true, ...(opts.timezone ? { timezone: opts.timezone } : {}) },
    ),
  }));
  return {
    next: () => tasks.map(({ source, task }) => ({ source: source.id, schedule: source.schedule!, next: task.getNextRun() })),
    async stop() {
      await Promise.all(tasks.map(({ task }) => Promise.resolve(task.stop())));
      await queue.onIdle();
    },
  };
}
