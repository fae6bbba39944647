/** The `harvest` and `schedule` commands: arguments checked, then the pipelines, then a readable summary (or JSON lines). */
import { UsageError } from '../../core/result.js';
import { gracefulStop, harvestAll, STOP_GRACE_MS } from '../../pipelines/harvest-all.js';
import type { RunSummary } from '../../pipelines/harvest.js';
import type { Logger } from '../../pipelines/log.js';
import type { SourceConfig } from '../../pipelines/sources.js';
import { formatSummary } from '../../pipelines/runs.js';
import { connect, esTarget, logProcess, number, selectSources, type Values } from './args.js';

export function printSummaries(summaries: RunSummary[], log: Logger): void {
  if (summaries.length === 0) return;
  if (log.json) process.stdout.write(summaries.map((s) => JSON.stringify(s)).join('\n') + '\n');
  else process.stdout.write('\n' + formatSummary(summaries) + '\n');
}

/** The deletion guard, the grace and the indexer's patience the two commands share. */
function runOptions(values: Values) {
  const grace = number(values, 'grace', 0, 3600);
  const retry = process.env.HUB_INDEX_RETRY_S;
  if (retry !== undefined && !/^\d+$/.test(retry))
    throw new UsageError(`HUB_INDEX_RETRY_S must be a whole number of seconds (got "${retry}")`, 'HUB_INDEX_RETRY_S');
  return {
    maxDeleteRatio: number(values, 'max-delete-ratio', 0, 1),
    maxDeleteCount: wholeNumber(values, 'max-delete-count'),
    reportDir: values['report-dir'] as string | undefined,
    graceMs: grace === undefined ? STOP_GRACE_MS : grace * 1000,
    ...(retry !== undefined ? { indexRetryBudgetMs: Number(retry) * 1000 } : {}),
  };
}

function wholeNumber(values: Values, name: string): number | undefined {
  const n = number(values, name, 0, Number.MAX_SAFE_INTEGER);
  if (n !== undefined && !Number.isInteger(n))
    throw new UsageError(`--${name} must be a whole number (got "${String(values[name])}")`, `--${name}`);
  return n;
}

/**
 * SIGINT / SIGTERM: the first lets the runs under way end for the grace, then abandons them; the second abandons them
 * at once. Returns the removal of the handlers.
 */
function onStopSignals(log: Logger, stop: (reason: string) => void): () => void {
  const handler = (signal: NodeJS.Signals) => {
    log.warn(`${signal}: stopping (a second ${signal} abandons the runs under way at once)`);
    stop(signal);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}

export async function harvestCommand(values: Values, log: Logger): Promise<number> {
  logProcess(log);
  const sources = selectSources(values);
  const { graceMs, ...guard } = runOptions(values);
  const target = await connect(values);
  const stopper = gracefulStop(graceMs);
  const removeHandlers = onStopSignals(log, (signal) => stopper.request(`${signal} received`));
  let summaries: RunSummary[];
  try {
    summaries = await harvestAll(sources, target, log, {
      ...guard,
      signal: stopper.signal,
      ...(values.wait ? { waitForLockMs: Number.MAX_SAFE_INTEGER } : {}),
      ...(values.full ? { full: true } : {}),
      ...(values.remap ? { remap: true } : {}),
    });
  } finally {
    removeHandlers();
    stopper.dispose();
  }
  printSummaries(summaries, log);
  if (values.url && values.id === undefined) {
    // the id prefixes every record id and names the source in `runs`: say where it came from and how to choose it
    const said = `source id: ${sources[0].id} (from the URL; --id to choose)`;
    if (log.json) log.info(said, { source: sources[0].id });
    else process.stdout.write(said + '\n');
  }
  await target.client.close();
  return summaries.length === sources.length && summaries.every((s) => s.status === 'ok') ? 0 : 1;
}

export async function scheduleCommand(values: Values, log: Logger): Promise<number> {
  logProcess(log);
  const sources = selectSources(values);
  const { graceMs, ...guard } = runOptions(values);
  const target = esTarget(values);
  const { scheduleSources, checkSchedules } = await import('../../pipelines/schedule.js');
  const scheduled = checkSchedules(sources);
  // a source named with --source that will never run here is said (it was left out without a word): which, and why
  const named = (values.source as string[] | undefined)?.length ? sources.filter((s) => !scheduled.includes(s)) : [];
  const why = (s: SourceConfig) => (s.enabled === false ? 'it is disabled (enabled: false)' : 'it has no "schedule" in the sources file');
  if (scheduled.length === 0)
    throw new UsageError(
      named.length
        ? `no source named has a schedule to follow: ${named.map((s) => `${s.id}: ${why(s)}`).join('; ')}`
        : 'no enabled source has a "schedule" (a cron expression) in the sources file',
      '--source',
    );
  for (const s of named) log.warn(`${s.id}: not scheduled: ${why(s)} (harvester run ${s.id} harvests it now)`, { source: s.id });
  const scheduler = scheduleSources(sources, target, log, { parallel: number(values, 'parallel', 1, 32), graceMs, ...guard });
  // the handlers before the first line: a stop that follows it at once must find them (else the signal kills the
  // process, its scheduler document left behind)
  const stopped = new Promise<void>((resolve) => {
    const removeHandlers = onStopSignals(log, (signal) => {
      log.info(`${signal}: no new runs; the runs under way have ${Math.round(graceMs / 1000)} s to end`);
      void scheduler.stop(`${signal} received`).then(() => {
        removeHandlers();
        resolve();
      });
    });
  });
  for (const n of scheduler.next())
    log.info(`${n.source}: "${n.schedule}", next run ${n.next?.toISOString() ?? 'never'}`, { source: n.source });
  await stopped;
  await target.client.close();
  return 0;
}
