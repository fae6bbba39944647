/**
 * The `harvest`, `runs` and `search` commands: argument checks, then the pipelines, then a readable summary
 * (or JSON lines when not a terminal).
 */
import { existsSync } from 'node:fs';
import { getHeapStatistics } from 'node:v8';
import { Client } from '@elastic/elasticsearch';
import { harvestSource, type RunSummary } from './harvest.js';
import type { Logger } from './log.js';
import { defaultMapWorkers } from './map-pool.js';
import { formatSummary, latestRuns, recordRun } from './runs.js';
import { loadSources, sourceFromUrl, type SourceConfig, type SourceType } from './sources.js';
import { searchRecords } from './search.js';
import { projectPath } from '../schemas/paths.js';
import { UsageError } from '../core/result.js';

type Values = Record<string, string | boolean | string[] | undefined>;

export const DEFAULT_ALIAS = 'hub-records';

export function usageError(message: string): UsageError {
  return new UsageError(message);
}

export function esTarget(values: Values): { client: Client; url: string; alias: string } {
  const url = (values.es as string | undefined) ?? process.env.ES_URL ?? 'http://127.0.0.1:9200';
  const alias = (values.alias as string | undefined) ?? process.env.HUB_INDEX ?? DEFAULT_ALIAS;
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(alias)) throw usageError(`--alias must be a lower-case index name (got "${alias}")`);
  return { client: new Client({ node: url, requestTimeout: 120_000 }), url, alias };
}

function number(values: Values, name: string, min: number, max: number): number | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < min || n > max) throw usageError(`--${name} must be a number from ${min} to ${max} (got "${String(v)}")`);
  return n;
}

function selectSources(values: Values): SourceConfig[] {
  if (values.url) {
    const type = ((values.type as string | undefined) ?? 'csw') as SourceType;
    if (!['csw', 'stac', 'stac-api', 'ozcar'].includes(type)) throw usageError(`--type must be csw, stac, stac-api or ozcar (got "${type}")`);
    return [sourceFromUrl(values.url as string, type, values.id as string | undefined)];
  }
  if (values.type || values.id) throw usageError('--type and --id go with --url');
  const file = (values.sources as string | undefined) ?? process.env.HUB_SOURCES ?? 'sources.json';
  if (!existsSync(file)) throw usageError(`no sources file "${file}": give --sources FILE or --url URL`);
  const all = loadSources(file);
  const wanted = values.source as string[] | undefined;
  if (wanted?.length) {
    const unknown = wanted.filter((id) => !all.some((s) => s.id === id));
    if (unknown.length) throw usageError(`unknown source ${unknown.join(', ')} (known: ${all.map((s) => s.id).join(', ')})`);
    return all.filter((s) => wanted.includes(s.id));
  }
  return all.filter((s) => s.enabled !== false);
}

/** The process a long command runs in (debug level): its pid, heap limit and mapping threads. */
export function logProcess(log: Logger): void {
  const heapLimitMb = Math.round(getHeapStatistics().heap_size_limit / 2 ** 20);
  log.log('debug', `pid ${process.pid}, heap limit ${heapLimitMb} MB, ${defaultMapWorkers()} mapping thread(s)`, { pid: process.pid, heapLimitMb, mapWorkers: defaultMapWorkers() });
}

/** Harvests sources one after the other; returns the summaries. */
export async function harvestAll(
  sources: SourceConfig[],
  target: { client: Client; alias: string },
  log: Logger,
  opts: { maxDeleteRatio?: number; reportDir?: string } = {},
): Promise<RunSummary[]> {
  const summaries: RunSummary[] = [];
  for (const source of sources) {
    const summary = await harvestSource(source, {
      client: target.client,
      alias: target.alias,
      log,
      maxDeleteRatio: opts.maxDeleteRatio,
      reportDir: opts.reportDir ?? projectPath('.cache', 'reports'),
    });
    await recordRun(target.client, target.alias, summary);
    summaries.push(summary);
    const { failures: _f, notices: _n, ...brief } = summary;
    log.info(`${summary.name}: ${summary.status}, ${summary.indexed} indexed, ${summary.failed} failed, ${summary.deleted} removed in ${(summary.ms / 1000).toFixed(1)}s`, log.json ? { summary: brief } : undefined);
  }
  return summaries;
}

export function printSummaries(summaries: RunSummary[], log: Logger): void {
  if (log.json) process.stdout.write(summaries.map((s) => JSON.stringify(s)).join('\n') + '\n');
  else process.stdout.write('\n' + formatSummary(summaries) + '\n');
}

export async function harvestCommand(values: Values, log: Logger): Promise<number> {
  logProcess(log);
  const sources = selectSources(values);
  const maxDeleteRatio = number(values, 'max-delete-ratio', 0, 1);
  const target = esTarget(values);
  try {
    // cluster health, not ping: the minimal Elasticsearch build has no root endpoint (HEAD / answers 405)
    await target.client.cluster.health({ timeout: '5s' });
  } catch (err) {
    const why = (err as Error).message || (err as Error).name;
    throw new Error(`Elasticsearch does not answer at ${target.url} (${why}); start one with "npm start" or set ES_URL`);
  }
  const summaries = await harvestAll(sources, target, log, { maxDeleteRatio, reportDir: values['report-dir'] as string | undefined });
  printSummaries(summaries, log);
  await target.client.close();
  return summaries.every((s) => s.status === 'ok') ? 0 : 1;
}

export async function scheduleCommand(values: Values, log: Logger): Promise<number> {
  logProcess(log);
  const sources = selectSources(values);
  const target = esTarget(values);
  const { scheduleSources, checkSchedules } = await import('./schedule.js');
  if (checkSchedules(sources).length === 0) throw usageError('no enabled source has a "schedule" (a cron expression) in the sources file');
  const scheduler = scheduleSources(sources, target, log, {
    parallel: number(values, 'parallel', 1, 32),
    maxDeleteRatio: number(values, 'max-delete-ratio', 0, 1),
    reportDir: values['report-dir'] as string | undefined,
  });
  for (const n of scheduler.next()) log.info(`${n.source}: "${n.schedule}", next run ${n.next?.toISOString() ?? 'never'}`, { source: n.source });
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

export async function runsCommand(values: Values): Promise<number> {
  const target = esTarget(values);
  const runs = await latestRuns(target.client, target.alias, {
    source: values.source as string | undefined,
    size: number(values, 'limit', 1, 1000) ?? 20,
  });
  if (runs.length === 0) process.stdout.write('no runs recorded yet\n');
  else process.stdout.write(formatSummary(runs) + '\n');
  await target.client.close();
  return 0;
}

export async function searchCommand(values: Values): Promise<number> {
  const target = esTarget(values);
  let bbox: [number, number, number, number] | undefined;
  if (values.bbox) {
    const parts = String(values.bbox).split(',').map(Number);
    if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n))) throw usageError('--bbox must be W,S,E,N in degrees');
    bbox = parts as [number, number, number, number];
  }
  const res = await searchRecords(target.client, target.alias, {
    q: values.q as string | undefined,
    bbox,
    from: values.from as string | undefined,
    to: values.to as string | undefined,
    theme: values.theme as string | undefined,
    source: values.source as string | undefined,
    size: number(values, 'size', 1, 10_000) ?? 10,
  });
  if (values.json) for (const hit of res.hits) process.stdout.write(JSON.stringify(hit.record) + '\n');
  else {
    process.stdout.write(`${res.total} records\n`);
    for (const hit of res.hits) {
      const title = Object.values(hit.record.title)[0] ?? '';
      process.stdout.write(`- ${hit.record.identifier}  ${title}\n`);
    }
  }
  await target.client.close();
  return 0;
}
