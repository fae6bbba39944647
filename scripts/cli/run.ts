/**
 * The `run` command: one harvest of one source now. With a server (--server URL, else $HUB_URL) it asks the running
 * service (POST /sources/{id}/run with the operator token of $HUB_OPERATOR_TOKEN) and, with --wait, follows the run
 * to its end (GET /runs/{id}); without one it harvests in this process, as `harvest --source ID` does.
 */
import { UsageError } from '../../core/result.js';
import { gracefulStop, harvestAll } from '../../pipelines/harvest-all.js';
import type { RunSummary } from '../../pipelines/harvest.js';
import type { Logger } from '../../pipelines/log.js';
import { formatSummary } from '../../pipelines/runs.js';
import { checkSourceId, connect, logProcess, number, selectSources, type Values } from './args.js';

/** How often --wait asks the server about the run. */
const POLL_MS = 1000;

export async function runCommand(values: Values, positionals: string[], log: Logger): Promise<number> {
  if (positionals.length !== 1)
    throw new UsageError(
      positionals.length === 0
        ? 'run needs the id of one SOURCE (harvester sources lists them)'
        : `run takes one SOURCE, got ${positionals.length}: ${positionals.join(' ')}`,
    );
  const id = checkSourceId(positionals[0], 'SOURCE');
  const server = (values.server as string | undefined) ?? process.env.HUB_URL;
  if (server !== undefined) return runOnServer(server, id, values.wait === true, log);
  logProcess(log);
  const [source] = selectSources({ sources: values.sources, source: [id] });
  const grace = number(values, 'grace', 0, 3600);
  const target = await connect(values);
  const stopper = gracefulStop(grace === undefined ? undefined : grace * 1000);
  const handler = (signal: NodeJS.Signals) => {
    log.warn(`${signal}: stopping (a second ${signal} abandons the run at once)`);
    stopper.request(`${signal} received`);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  let summaries: RunSummary[];
  try {
    summaries = await harvestAll([source], target, log, {
      signal: stopper.signal,
      reportDir: values['report-dir'] as string | undefined,
      ...(values.wait ? { waitForLockMs: Number.MAX_SAFE_INTEGER } : {}),
    });
  } finally {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
    stopper.dispose();
    await target.client.close();
  }
  print(summaries, log);
  return summaries.length === 1 && summaries[0].status === 'ok' ? 0 : 1;
}

function print(summaries: RunSummary[], log: Logger): void {
  if (summaries.length === 0) return;
  if (log.json) process.stdout.write(summaries.map((s) => JSON.stringify(s)).join('\n') + '\n');
  else process.stdout.write('\n' + formatSummary(summaries, { started: true }) + '\n');
}

async function ask(url: string, init: RequestInit): Promise<{ status: number; body: Record<string, unknown> }> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
    throw new Error(`the server does not answer at ${url} (${cause}); is "harvester serve" running there?`);
  }
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { error: text.slice(0, 200) };
  }
  return { status: res.status, body };
}

async function runOnServer(server: string, id: string, wait: boolean, log: Logger): Promise<number> {
  if (!/^https?:\/\/[^/\s]+/i.test(server)) throw new UsageError(`--server must be the hub's http(s) URL (got "${server}")`, '--server');
  const base = server.replace(/\/+$/, '');
  const token = process.env.HUB_OPERATOR_TOKEN;
  if (!token) throw new UsageError('asking a server to run a source needs the operator token in HUB_OPERATOR_TOKEN', 'HUB_OPERATOR_TOKEN');
  const { status, body } = await ask(`${base}/sources/${encodeURIComponent(id)}/run`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
  });
  const error = typeof body.error === 'string' ? body.error : `HTTP ${status}`;
  if (status === 401 || status === 403) throw new UsageError(`the server refused the operator token: ${error}`, 'HUB_OPERATOR_TOKEN');
  if (status === 404) throw new UsageError(`the server says: ${error}`, 'SOURCE');
  if (status === 409) {
    process.stderr.write(`harvester run: ${error}\n`);
    return 1;
  }
  if (status !== 202) throw new Error(`the server answered ${status}: ${error}`);
  const runId = String(body.runId);
  if (log.json) process.stdout.write(JSON.stringify({ runId, source: id, state: body.state, server: base }) + '\n');
  else process.stdout.write(`run ${runId} of ${id} ${body.state === 'queued' ? 'waiting for a free slot' : 'started'} on ${base}\n`);
  if (!wait) return 0;
  for (;;) {
    await new Promise((r) => setTimeout(r, POLL_MS));
    const { status: s, body: run } = await ask(`${base}/runs/${runId}`, {});
    if (s === 404) continue; // not recorded yet
    if (s !== 200) throw new Error(`the server answered ${s} about run ${runId}: ${typeof run.error === 'string' ? run.error : ''}`);
    if (run.status === 'queued' || run.status === 'running' || run.endedAt === undefined) continue;
    print([run as unknown as RunSummary], log);
    return run.status === 'ok' ? 0 : 1;
  }
}
