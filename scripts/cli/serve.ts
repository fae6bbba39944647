/**
 * The `serve` command: the hub's HTTP server in the foreground, and the harvest service (pipelines/service.ts) when a
 * sources file is there: the sources' schedules (unless --no-schedule), manual triggers (POST /sources/{id}/run), the
 * global and per-host limits. SIGTERM or SIGINT: the server stops accepting and finishes the requests under way; the
 * runs under way write what they have received and are recorded interrupted (past the grace, abandoned); a second
 * signal abandons them at once.
 */
import { existsSync } from 'node:fs';
import { buildServer } from '../../api/server.js';
import { UsageError } from '../../core/result.js';
import { ssrfAllowFromEnv } from '../../core/ssrf.js';
import { STOP_GRACE_MS } from '../../pipelines/harvest-all.js';
import type { Logger } from '../../pipelines/log.js';
import { DEFAULT_HOST_REQUESTS, DEFAULT_MAX_RUNS, HarvestService } from '../../pipelines/service.js';
import { esSilence } from '../../pipelines/es-connection.js';
import { loadSources, type SourceConfig } from '../../pipelines/sources.js';
import { HUB_BASE_URI } from '../../schemas/record.js';
import { esTarget, logProcess, number, sourcesFile, type Values } from './args.js';

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 8080;

/** An option, else its environment variable, as a whole number in [min, max]; the message names both. */
function wholeOption(values: Values, name: string, env: string, min: number, max: number): number | undefined {
  const given = values[name] as string | undefined;
  const text = given ?? process.env[env];
  if (text === undefined || text === '') return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || n < min || n > max)
    throw new UsageError(
      `${given !== undefined ? `--${name}` : env} must be a whole number from ${min} to ${max} (got "${text}")`,
      given !== undefined ? `--${name}` : env,
    );
  return n;
}

/** Every source of the sources file, disabled ones included (they run only when asked for by name). */
function readSources(values: Values): SourceConfig[] {
  const file = sourcesFile(values);
  if (!existsSync(file)) throw new UsageError(`no sources file "${file}"`, '--sources');
  try {
    return loadSources(file);
  } catch (err) {
    throw err instanceof UsageError ? err : new UsageError((err as Error).message, '--sources');
  }
}

/** The service's options from the command line and the environment, checked up front. */
export function serviceOptions(values: Values) {
  const grace = number(values, 'grace', 0, 3600);
  const retry = process.env.HUB_INDEX_RETRY_S;
  if (retry !== undefined && !/^\d+$/.test(retry))
    throw new UsageError(`HUB_INDEX_RETRY_S must be a whole number of seconds (got "${retry}")`, 'HUB_INDEX_RETRY_S');
  return {
    maxRuns: wholeOption(values, 'max-runs', 'HUB_MAX_RUNS', 1, 64) ?? DEFAULT_MAX_RUNS,
    politeness: {
      maxPerHost: wholeOption(values, 'host-requests', 'HUB_HOST_REQUESTS', 1, 1000) ?? DEFAULT_HOST_REQUESTS,
      delayMs: wholeOption(values, 'host-delay', 'HUB_HOST_DELAY_MS', 0, 3_600_000) ?? 0,
    },
    schedule: values['no-schedule'] !== true,
    graceMs: grace === undefined ? STOP_GRACE_MS : grace * 1000,
    reportDir: values['report-dir'] as string | undefined,
    ...(retry !== undefined ? { indexRetryBudgetMs: Number(retry) * 1000 } : {}),
  };
}

/**
 * Serves until SIGTERM/SIGINT; `onListen` is told the base URL once the server listens (the demo prints where to
 * look). `withService: false` serves the index only, whatever sources file is around (the demo).
 */
export async function serveCommand(
  values: Values,
  log: Logger,
  onListen?: (url: string) => void,
  { withService = true }: { withService?: boolean } = {},
): Promise<number> {
  logProcess(log);
  const host = (values.host as string | undefined) ?? process.env.HUB_HOST ?? DEFAULT_HOST;
  // named as given: a bad $HUB_PORT in a service's environment file is not the --port the operator never typed
  const port = wholeOption(values, 'port', 'HUB_PORT', 0, 65535) ?? DEFAULT_PORT;
  const publicUrl = (values['public-url'] as string | undefined) ?? process.env.HUB_PUBLIC_URL;
  // the sources file: the one given (it must exist), else the default one when it is there
  const explicit = values.sources !== undefined || process.env.HUB_SOURCES !== undefined;
  let sources: SourceConfig[] | undefined;
  const opts = serviceOptions(values);
  if (withService && (explicit || existsSync(sourcesFile(values)))) sources = readSources(values);
  else if (values['no-schedule'] || values['max-runs'] || values['host-requests'] || values['host-delay'])
    log.warn(`no sources file (${sourcesFile(values)}): the server runs no harvests, the service options are not used`);
  const operatorToken = process.env.HUB_OPERATOR_TOKEN || undefined;
  let ssrfAllow: string[];
  try {
    ssrfAllow = ssrfAllowFromEnv();
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (sources && !operatorToken && values['no-schedule'])
    throw new UsageError(
      '--no-schedule without HUB_OPERATOR_TOKEN: no run could ever start (manual runs need the token); set HUB_OPERATOR_TOKEN or drop --no-schedule',
      '--no-schedule',
    );
  const target = esTarget(values);
  let service: HarvestService | undefined;
  if (sources) {
    try {
      service = new HarvestService(sources, target, log, opts);
    } catch (err) {
      throw new UsageError((err as Error).message, '--sources');
    }
  }
  const app = await buildServer({
    client: target.client,
    alias: target.alias,
    esUrl: target.url,
    log,
    publicUrl,
    operatorToken,
    ssrfAllow,
    reportDir: values['report-dir'] as string | undefined,
    ...(service ? { service } : {}),
  });
  try {
    await app.listen({ host, port });
  } catch (err) {
    await target.client.close();
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new UsageError(`port ${port} on ${host} is already in use: choose another with --port`, '--port');
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new UsageError(`cannot listen on ${host}: no such local address`, '--host');
    throw err;
  }
  const address = app.server.address();
  const url =
    address && typeof address === 'object'
      ? `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`
      : `http://${host}:${port}`;
  // the signals are ours before the server says it serves (whoever reads that may stop it at once) and before the
  // service starts: a stop while its start waits on the index is a graceful one too
  const stopped = new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        log.warn(`${signal} again: the runs under way are abandoned now`);
        service?.abandon(`${signal} received again`);
        return;
      }
      stopping = true;
      log.info(
        `${signal}: no new requests or runs; the requests under way finish` +
          (service
            ? `, the runs under way write what they have (${Math.round(opts.graceMs / 1000)} s at most; a second ${signal} abandons them)`
            : ''),
      );
      void Promise.all([app.close(), service?.stop(`${signal} received`)]).then(() => resolve());
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  log.info(`serving on ${url} (health: ${url}/health)`, { url });
  // record IRIs on the reserved example domain do on a workstation, not on a hub that others harvest
  if (process.env.HUB_BASE_URI === undefined && (publicUrl !== undefined || !/^(127\.|localhost$|::1$)/.test(host)))
    log.warn(
      `HUB_BASE_URI is not set: the records' IRIs (DCAT-AP, OAI-PMH, JSON-LD) are under ${HUB_BASE_URI}, a reserved example domain that nobody can resolve (data.gouv.fr's harvester refuses the data services named there); set it to the base of the hub's public record IRIs (docs/production.md)`,
    );
  const silent = await esSilence(target.client);
  if (silent !== undefined)
    log.warn(
      `Elasticsearch does not answer at ${target.url} (${silent}): the search, the pages and the runs fail until it does; the server goes on, GET /health says when it answers`,
    );
  if (service && !operatorToken)
    log.warn(
      'HUB_OPERATOR_TOKEN is not set: POST /sources/{id}/run (and "harvester run --server") answer 403; only the schedules start runs',
    );
  if (service) {
    await service.start();
    const info = service.info();
    log.info(
      `harvest service: ${sources!.length} source(s), ${info.scheduling ? 'schedules on' : 'schedules off (manual runs only)'}, ` +
        `at most ${info.maxRuns} run(s) at once, ${info.politeness.maxPerHost} request(s) in flight per host` +
        `${info.politeness.delayMs ? `, ${info.politeness.delayMs} ms between requests to a host` : ''}`,
      { service: info },
    );
    for (const n of service.next())
      log.info(`${n.source}: "${n.schedule}", next run ${n.next?.toISOString() ?? 'never'}`, { source: n.source });
  }
  onListen?.(url);
  await stopped;
  await target.client.close();
  log.info('stopped');
  return 0;
}
