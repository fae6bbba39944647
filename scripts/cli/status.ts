/**
 * The `status` command: one line per source (pipelines/status.ts): last run (start, duration), status and counts,
 * first error, next scheduled run, FAIR figures of its records. From the index and the sources file, or from a
 * running server (--server URL, else $HUB_URL: GET /status, which also knows the runs waiting for a slot).
 */
import { existsSync } from 'node:fs';
import { UsageError } from '../../core/result.js';
import { markAbortedRuns } from '../../pipelines/runs.js';
import { loadSources, type SourceConfig } from '../../pipelines/sources.js';
import { formatStatus, sourcesStatus, type SourceStatus } from '../../pipelines/status.js';
import { connect, esDown, sourcesFile, type Values } from './args.js';

export async function statusCommand(values: Values): Promise<number> {
  const server = (values.server as string | undefined) ?? process.env.HUB_URL;
  let rows: SourceStatus[];
  if (server !== undefined) {
    if (!/^https?:\/\/[^/\s]+/i.test(server)) throw new UsageError(`--server must be the hub's http(s) URL (got "${server}")`, '--server');
    const url = `${server.replace(/\/+$/, '')}/status`;
    let res: Response;
    try {
      res = await fetch(url, { signal: AbortSignal.timeout(30_000) });
    } catch (err) {
      throw new Error(
        `the server does not answer at ${url} (${(err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message})`,
      );
    }
    if (!res.ok) {
      const said = ((await res.json().catch(() => undefined)) as { error?: unknown } | undefined)?.error;
      throw new Error(`the server answered ${res.status} at ${url}${typeof said === 'string' ? `: ${said}` : ''}`);
    }
    rows = ((await res.json()) as { sources: SourceStatus[] }).sources;
  } else {
    const file = sourcesFile(values);
    let sources: SourceConfig[] = [];
    if (values.sources !== undefined || process.env.HUB_SOURCES !== undefined || existsSync(file)) {
      if (!existsSync(file)) throw new UsageError(`no sources file "${file}"`, '--sources');
      try {
        sources = loadSources(file);
      } catch (err) {
        throw err instanceof UsageError ? err : new UsageError((err as Error).message, '--sources');
      }
    }
    const target = await connect(values);
    try {
      // a run left "running" by a process that died (kill -9, a crash) is shown as what it is, as harvester runs shows
      // it: else the status said "running" for as long as no other command came by, its counts frozen
      await markAbortedRuns(target.client, target.alias);
      rows = await sourcesStatus(target.client, target.alias, sources);
    } catch (err) {
      const name = (err as Error).name;
      if (name === 'ConnectionError' || name === 'TimeoutError' || name === 'NoLivingConnectionsError') throw esDown(target.url, err);
      throw err;
    } finally {
      await target.client.close();
    }
  }
  if (values.json) process.stdout.write(rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : ''));
  else process.stdout.write(formatStatus(rows) + '\n');
  return 0;
}
