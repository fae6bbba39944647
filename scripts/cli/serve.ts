/** The `serve` command: the hub's HTTP server in the foreground until SIGTERM or SIGINT, then a graceful stop. */
import { buildServer } from '../../api/server.js';
import type { Logger } from '../../pipelines/log.js';
import { UsageError } from '../../core/result.js';
import { esTarget, number, type Values } from './args.js';

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 8080;

export async function serveCommand(values: Values, log: Logger): Promise<number> {
  const host = (values.host as string | undefined) ?? process.env.HUB_HOST ?? DEFAULT_HOST;
  const portText = (values.port as string | undefined) ?? process.env.HUB_PORT;
  const port = portText === undefined ? DEFAULT_PORT : number({ port: portText }, 'port', 0, 65535);
  if (port === undefined || !Number.isInteger(port))
    throw new UsageError(`--port must be a whole number from 0 to 65535 (got "${portText}")`, '--port');
  const publicUrl = (values['public-url'] as string | undefined) ?? process.env.HUB_PUBLIC_URL;
  const target = esTarget(values);
  const app = await buildServer({
    client: target.client,
    alias: target.alias,
    esUrl: target.url,
    log,
    publicUrl,
    operatorToken: process.env.HUB_OPERATOR_TOKEN || undefined,
    reportDir: values['report-dir'] as string | undefined,
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
  log.info(`serving on ${url} (health: ${url}/health)`, { url });
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log.info(`${signal}: finishing the requests under way, then stopping`);
      void app.close().then(resolve);
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  await target.client.close();
  log.info('stopped');
  return 0;
}
