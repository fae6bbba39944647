/** The `harvest` and `schedule` commands: arguments checked, then the pipelines, then a readable summary (or JSON lines). */
import { UsageError } from '../../core/result.js';
import { harvestAll } from '../../pipelines/harvest-all.js';
import type { RunSummary } from '../../pipelines/harvest.js';
import type { Logger } from '../../pipelines/log.js';
import { formatSummary } from '../../pipelines/runs.js';
import { connect, esTarget, logProcess, number, selectSources, type Values } from './args.js';

export function printSummaries(summaries: RunSummary[], log: Logger): void {
  if (log.json) process.stdout.write(summaries.map((s) => JSON.stringify(s)).join('\n') + '\n');
  else process.stdout.write('\n' + formatSummary(summaries) + '\n');
}

export async function harvestCommand(values: Values, log: Logger): Promise<number> {
  logProcess(log);
  const sources = selectSources(values);
  const maxDeleteRatio = number(values, 'max-delete-ratio', 0, 1);
  const target = await connect(values);
  const summaries = await harvestAll(sources, target, log, { maxDeleteRatio, reportDir: values['report-dir'] as string | undefined });
  printSummaries(summaries, log);
  if (values.url && values.id === undefined) {
    // the id prefixes every record id and names the source in `runs`: say where it came from and how to choose it
    const said = `source id: ${sources[0].id} (from the URL; --id to choose)`;
    if (log.json) log.info(said, { source: sources[0].id });
    else process.stdout.write(said + '\n');
  }
  await target.client.close();
  return summaries.every((s) => s.status === 'ok') ? 0 : 1;
}

export async function scheduleCommand(values: Values, log: Logger): Promise<number> {
  logProcess(log);
  const sources = selectSources(values);
  const target = esTarget(values);
  const { scheduleSources, checkSchedules } = await import('../../pipelines/schedule.js');
  if (checkSchedules(sources).length === 0)
    throw new UsageError('no enabled source has a "schedule" (a cron expression) in the sources file');
  const scheduler = scheduleSources(sources, target, log, {
    parallel: number(values, 'parallel', 1, 32),
    maxDeleteRatio: number(values, 'max-delete-ratio', 0, 1),
    reportDir: values['report-dir'] as string | undefined,
  });
  for (const n of scheduler.next())
    log.info(`${n.source}: "${n.schedule}", next run ${n.next?.toISOString() ?? 'never'}`, { source: n.source });
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log.info(`${signal}: no new runs; waiting for the runs under way to end`);
      void scheduler.stop().then(resolve);
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  await target.client.close();
  return 0;
}
