/**
 * Harvests a list of sources one after the other, each with its summary and its run record: what the `harvest`
 * command, the scheduler and the server call alike.
 */
import type { Client } from '@elastic/elasticsearch';
import { harvestSource, type RunSummary } from './harvest.js';
import type { Logger } from './log.js';
import { recordRun } from './runs.js';
import type { SourceConfig } from './sources.js';
import { projectPath } from '../schemas/paths.js';
import type { IndexSettingsOptions } from '../mappings/es-index.js';

/** The records index alias when none is given ($HUB_INDEX is read by the callers). */
export const DEFAULT_ALIAS = 'hub-records';

/** Harvests sources one after the other; returns the summaries. */
export async function harvestAll(
  sources: SourceConfig[],
  target: { client: Client; alias: string; index?: IndexSettingsOptions },
  log: Logger,
  opts: { maxDeleteRatio?: number; reportDir?: string } = {},
): Promise<RunSummary[]> {
  const summaries: RunSummary[] = [];
  for (const source of sources) {
    const summary = await harvestSource(source, {
      client: target.client,
      alias: target.alias,
      index: target.index,
      log,
      maxDeleteRatio: opts.maxDeleteRatio,
      reportDir: opts.reportDir ?? projectPath('.cache', 'reports'),
    });
    await recordRun(target.client, target.alias, summary);
    summaries.push(summary);
    const { failures: _f, notices: _n, ...brief } = summary;
    log.info(
      `${summary.name}: ${summary.status}, ${summary.indexed} indexed, ${summary.failed} failed, ${summary.deleted} removed in ${(summary.ms / 1000).toFixed(1)}s`,
      log.json ? { summary: brief } : undefined,
    );
  }
  return summaries;
}
