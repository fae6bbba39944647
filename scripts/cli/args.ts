/** What the long commands share: the Elasticsearch target, numeric options, the sources a command works on. */
import { existsSync } from 'node:fs';
import { checkSourceId, pathKind } from './inputs.js';
import { getHeapStatistics } from 'node:v8';
import type { Client } from '@elastic/elasticsearch';
import { nearest } from '../../core/nearest.js';
import { UsageError } from '../../core/result.js';
import { DEFAULT_ALIAS } from '../../pipelines/harvest-all.js';
import { createClient, describeNodes, esConnection } from '../../pipelines/es-connection.js';
import type { IndexSettingsOptions } from '../../mappings/es-index.js';
import type { Logger } from '../../pipelines/log.js';
import { defaultMapWorkers } from '../../pipelines/map-pool.js';
import { loadSources, SOURCE_TYPES, sourceFromUrl, type SourceConfig, type SourceType } from '../../pipelines/sources.js';

export type Values = Record<string, string | boolean | string[] | undefined>;

/** Where a command reads and writes: a client (credentials and TLS from the environment), the node URLs as
 * messages show them (no credentials), the records alias and the settings of a records index it creates. */
export type Target = { client: Client; url: string; alias: string; index: IndexSettingsOptions };

/** The Elasticsearch target of a command: --es (else ES_URL) and the rest of pipelines/es-connection.ts's variables. */
export function esTarget(values: Values): Target {
  const alias = (values.alias as string | undefined) ?? process.env.HUB_INDEX ?? DEFAULT_ALIAS;
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(alias)) throw new UsageError(`--alias must be a lower-case index name (got "${alias}")`, '--alias');
  const conn = esConnection(process.env, values.es as string | undefined);
  return { client: createClient(conn), url: describeNodes(conn), alias, index: conn.index };
}

/** The sentence every command says when Elasticsearch does not answer. */
export function esDown(url: string, err: unknown): Error {
  const why = (err as Error).message || (err as Error).name;
  return new Error(`Elasticsearch does not answer at ${url} (${why}); start one with "npm start" or set ES_URL (or --es)`);
}

/** esTarget, once Elasticsearch has answered (else the esDown sentence). */
export async function connect(values: Values): Promise<Target> {
  const target = esTarget(values);
  try {
    // cluster health, not ping: the minimal Elasticsearch build has no root endpoint (HEAD / answers 405); `local`:
    // the node answers from its own view, so that reading still works on a cluster that has lost its master
    await target.client.cluster.health({ timeout: '5s', local: true });
  } catch (err) {
    await target.client.close();
    throw esDown(target.url, err);
  }
  return target;
}

/** Whether an Elasticsearch error says that the index (or alias) does not exist. */
export function indexMissing(err: unknown): boolean {
  const e = err as { meta?: { body?: { error?: { type?: string } } } };
  return e.meta?.body?.error?.type === 'index_not_found_exception';
}

export { checkSourceId, pathKind } from './inputs.js';

export function number(values: Values, name: string, min: number, max: number): number | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < min || n > max)
    throw new UsageError(`--${name} must be a number from ${min} to ${max} (got "${String(v)}")`);
  return n;
}

/**
 * The sources file a command reads: --sources, else $HUB_SOURCES, else sources.json in the working folder, else
 * sources.yaml or sources.yml when one of them is there (and sources.json is not).
 */
export function sourcesFile(values: Values): string {
  const given = (values.sources as string | undefined) ?? process.env.HUB_SOURCES;
  if (given !== undefined) return given;
  return ['sources.json', 'sources.yaml', 'sources.yml'].find((f) => existsSync(f)) ?? 'sources.json';
}

export function selectSources(values: Values): SourceConfig[] {
  if (values.url) {
    const url = values.url as string;
    const type = ((values.type as string | undefined) ?? 'csw') as SourceType;
    if (!SOURCE_TYPES.includes(type)) {
      const near = nearest(type, SOURCE_TYPES);
      throw new UsageError(`--type must be ${SOURCE_TYPES.join(', ')} (got "${type}")${near ? `; did you mean ${near}?` : ''}`, '--type');
    }
    if (values.source || values.sources)
      throw new UsageError('--source and --sources choose from a sources file; with --url, --id names the source', '--source');
    if (values.id !== undefined) checkSourceId(values.id as string, '--id');
    const local = (type === 'stac' || type === 'ozcar' || type === 'dcat') && !/^[a-z][a-z0-9+.-]*:/i.test(url);
    if (local && pathKind(url, 'file') === 'folder')
      throw new UsageError(`--url ${url} is a folder: give the file itself (a catalog.json, an OZCAR pivot file, a DCAT file)`, '--url');
    try {
      return [sourceFromUrl(url, type, values.id as string | undefined)];
    } catch (err) {
      throw new UsageError((err as Error).message, '--url');
    }
  }
  if (values.type || values.id) throw new UsageError('--type and --id go with --url');
  const file = sourcesFile(values);
  if (!existsSync(file)) throw new UsageError(`no sources file "${file}": give --sources FILE or --url URL`, '--sources');
  let all: SourceConfig[];
  try {
    all = loadSources(file);
  } catch (err) {
    // a sources file that cannot be used is the user's to fix: exit 2, one message
    throw err instanceof UsageError ? err : new UsageError((err as Error).message, '--sources');
  }
  const wanted = values.source as string[] | undefined;
  if (wanted?.length) {
    const unknown = wanted.filter((id) => !all.some((s) => s.id === id));
    if (unknown.length) {
      const near =
        unknown.length === 1
          ? nearest(
              unknown[0],
              all.map((s) => s.id),
            )
          : undefined;
      throw new UsageError(
        `unknown source ${unknown.join(', ')}${near ? ` (did you mean ${near}?)` : ''}; the sources of ${file}: ${all.map((s) => s.id).join(', ')}`,
        '--source',
      );
    }
    return all.filter((s) => wanted.includes(s.id));
  }
  return all.filter((s) => s.enabled !== false);
}

/** The process a long command runs in (debug level): its pid, heap limit and mapping threads. */
export function logProcess(log: Logger): void {
  const heapLimitMb = Math.round(getHeapStatistics().heap_size_limit / 2 ** 20);
  log.log('debug', `pid ${process.pid}, heap limit ${heapLimitMb} MB, ${defaultMapWorkers()} mapping thread(s)`, {
    pid: process.pid,
    heapLimitMb,
    mapWorkers: defaultMapWorkers(),
  });
}
