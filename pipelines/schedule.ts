/**
 * Scheduled harvests: every enabled source with a `schedule` (cron expression) is harvested at those times, one
 * source at a time by default (a small machine; the index is shared), never two runs of the same source at once: a
 * slot that comes while the source's run is queued or under way here, or while another process holds its lock
 * (pipelines/locks.ts), is skipped and recorded in the history as `skipped`, as the service does (pipelines/slots.ts). Runs left `running` by a dead process are marked aborted when the scheduler
 * starts. A stop lets the runs under way end for a grace (default 30 s), then abandons their work: they are recorded
 * `interrupted`.
 */
import { randomUUID } from 'node:crypto';
import cron, { type ScheduledTask } from 'node-cron';
import PQueue from 'p-queue';
import type { Client } from '@elastic/elasticsearch';
import type { IndexSettingsOptions } from '../mappings/es-index.js';
import { abortDeadRuns, gracefulStop, harvestAll, STOP_GRACE_MS, type HarvestAllOptions } from './harvest-all.js';
import type { Logger } from './log.js';
import { startSchedulerBeacon, type SchedulerBeacon } from './schedulers.js';
import { heldElsewhere, skipSlot } from './slots.js';
import type { SourceConfig } from './sources.js';

export interface ScheduleOptions extends Omit<HarvestAllOptions, 'signal' | 'slot'> {
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

/**
 * The document that says this process follows the schedules of `scheduled` (pipelines/schedulers.ts); a heartbeat that
 * cannot be written (the index does not answer) is said once.
 */
export function schedulerBeacon(
  target: { client: Client; alias: string },
  log: Logger,
  kind: 'serve' | 'schedule',
  scheduled: SourceConfig[],
  timezone?: string,
): SchedulerBeacon {
  let said = false;
  return startSchedulerBeacon(
    target.client,
    target.alias,
    { kind, sources: scheduled.map((s) => s.id), ...(timezone ? { timezone } : {}) },
    {
      onError: (err) => {
        if (!said) log.warn(`the scheduler could not say it is alive in the index (${(err as Error).message}); tried again`);
        said = true;
      },
    },
  );
}

/**
 * How late a slot may still start: the timer of a slot fires late when the process is busy (a loaded machine, a long
 * garbage collection). node-cron's default (1 s) dropped such a slot without a run or a record: a daily schedule lost
 * its day. A slot later than this, or one that the next slot overtook, is recorded skipped (pipelines/slots.ts).
 */
export const SLOT_LATE_MS = 5 * 60_000;

/**
 * The cron task of a scheduled source: `onSlot` gets the slot's own date-time (not when its timer fired); a slot missed
 * (the process busy past SLOT_LATE_MS, or past the next slot) is said and recorded as a skipped slot.
 */
export function slotTask(
  source: SourceConfig,
  target: { client: Client; alias: string },
  log: Logger,
  onSlot: (at: Date) => unknown,
  timezone?: string,
): ScheduledTask {
  const task = cron.schedule(source.schedule!, (ctx) => void onSlot(ctx.date), {
    name: source.id,
    missedExecutionTolerance: SLOT_LATE_MS,
    ...(timezone ? { timezone } : {}),
  });
  task.on('execution:missed', (ctx) => {
    const late = Math.round((ctx.triggeredAt.getTime() - ctx.date.getTime()) / 1000);
    void skipSlot(target, log, source, ctx.date, {
      message: `the process was too busy to start it in time (its timer fired ${late} s late)`,
    });
  });
  return task;
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
  /** The sources whose run is queued or under way here: its id and since when. */
  const waiting = new Map<string, { runId: string; since: string }>();
  const stopper = gracefulStop(graceMs);
  void abortDeadRuns(target, log, opts.lockTtlMs);
  // `harvester status` tells from it that the schedules are followed (pipelines/schedulers.ts)
  const beacon = schedulerBeacon(target, log, 'schedule', scheduled, timezone);
  const tasks: { source: SourceConfig; task: ScheduledTask }[] = scheduled.map((source) => ({
    source,
    task: slotTask(
      source,
      target,
      log,
      async (at) => {
        // a run still queued or under way (here, or elsewhere holding the source's lock) is not queued again: the slot
        // is skipped and recorded (pipelines/slots.ts), as the service does
        const here = waiting.get(source.id);
        const busy = here
          ? { runId: here.runId, message: `source "${source.id}" already has run ${here.runId} queued or under way (since ${here.since})` }
          : await heldElsewhere(target.client, target.alias, source.id);
        if (stopper.requested) return;
        if (busy) {
          await skipSlot(target, log, source, at, busy);
          return;
        }
        if (waiting.has(source.id)) return; // another slot came while the lock was read: the next one is enough
        const runId = randomUUID();
        waiting.set(source.id, { runId, since: at.toISOString() });
        void queue
          .add(() => harvestAll([source], target, log, { ...runOptions, runId, slot: at.toISOString(), signal: stopper.signal }))
          .catch((err: unknown) => log.error(`${source.id}: run crashed: ${(err as Error).message}`, { source: source.id }))
          .finally(() => waiting.delete(source.id));
      },
      timezone,
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
      await beacon.stop();
    },
  };
}
