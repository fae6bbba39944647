/** What the long commands share: the Elasticsearch target, numeric options, the sources a command works on. */
import { existsSync } from 'node:fs';
import { getHeapStatistics } from 'node:v8';
import { Client } from '@elastic/elasticsearch';
import { UsageError } from '../../core/result.js';
import { DEFAULT_ALIAS } from '../../pipelines/harvest-all.js';
import type { Logger } from '../../pipelines/log.js';
import { defaultMapWorkers } from '../../pipelines/map-pool.js';
import { loadSources, sourceFromUrl, type SourceConfig, type SourceType } from '../../pipelines/sources.js';

export type Values = Record<string, string | boolean | string[] | undefined>;

export function esTarget(values: Values): { client: Client; url: string; alias: string } {
  const url = (values.es as string | undefined) ?? process.env.ES_URL ?? 'http://127.0.0.1:9200';
  const alias = (values.alias as string | undefined) ?? process.env.HUB_INDEX ?? DEFAULT_ALIAS;
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(alias)) throw new UsageError(`--alias must be a lower-case index name (got "${alias}")`);
  return { client: new Client({ node: url, requestTimeout: 120_000 }), url, alias };
}

export function number(values: Values, name: string, min: number, max: number): number | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < min || n > max) throw new UsageError(`--${name} must be a number from ${min} to ${max} (got "${String(v)}")`);
  return n;
}

export function selectSources(values: Values): SourceConfig[] {
  if (values.url) {
    const type = ((values.type as string | undefined) ?? 'csw') as SourceType;
    if (!['csw', 'stac', 'stac-api', 'ozcar'].includes(type)) throw new UsageError(`--type must be csw, stac, stac-api or ozcar (got "${type}")`);
    return [sourceFromUrl(values.url as string, type, values.id as string | undefined)];
  }
  if (values.type || values.id) throw new UsageError('--type and --id go with --url');
  const file = (values.sources as string | undefined) ?? process.env.HUB_SOURCES ?? 'sources.json';
  if (!existsSync(file)) throw new UsageError(`no sources file "${file}": give --sources FILE or --url URL`);
  const all = loadSources(file);
  const wanted = values.source as string[] | undefined;
  if (wanted?.length) {
    const unknown = wanted.filter((id) => !all.some((s) => s.id === id));
    if (unknown.length) throw new UsageError(`unknown source ${unknown.join(', ')} (known: ${all.map((s) => s.id).join(', ')})`);
    return all.filter((s) => wanted.includes(s.id));
  }
  return all.filter((s) => s.enabled !== false);
}

/** The process a long command runs in (debug level): its pid, heap limit and mapping threads. */
export function logProcess(log: Logger): void {
  const heapLimitMb = Math.round(getHeapStatistics().heap_size_limit / 2 ** 20);
  log.log('debug', `pid ${process.pid}, heap limit ${heapLimitMb} MB, ${defaultMapWorkers()} mapping thread(s)`, { pid: process.pid, heapLimitMb, mapWorkers: defaultMapWorkers() });
}

