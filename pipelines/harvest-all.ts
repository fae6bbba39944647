/**
 * Harvests a list of sources one after the other, each with its summary and its run record, whatever fails in one of
 * them: what the `harvest` command, the scheduler and the server call alike. Also the graceful stop they share.
 */
import { readdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { Client } from '@elastic/elasticsearch';
import { defaultReportDir, harvestSource, type HarvestOptions, type RunSummary } from './harvest.js';
import type { Level, Logger } from './log.js';
import { failureName, markAbortedRuns, recordLocalRun, runLogSummary, STEPS } from './runs.js';
import type { SourceConfig } from './sources.js';
import type { IndexSettingsOptions } from '../mappings/es-index.js';

/** The records index alias when none is given ($HUB_INDEX is read by the callers). */
export const DEFAULT_ALIAS = 'hub-records';

/** Default time a stop waits for the runs under way to end by themselves, before abandoning their work. */
export const STOP_GRACE_MS = 30_000;

export interface HarvestAllOptions extends Pick<
  HarvestOptions,
  | 'maxDeleteRatio'
  | 'maxDeleteCount'
  | 'reportDir'
  | 'signal'
  | 'drain'
  | 'runId'
  | 'slot'
  | 'waitForLockMs'
  | 'maxRunMs'
  | 'heartbeatMs'
  | 'lockTtlMs'
  | 'indexRetryBudgetMs'
  | 'recordTimeoutMs'
  | 'mapWorkers'
  | 'batchSize'
  | 'full'
  | 'remap'
> {
  /** Called with each source's summary as soon as its run has ended (and been recorded). */
  onRun?: (summary: RunSummary) => void;
}

/**
 * Harvests sources one after the other; returns the summaries. First, the runs recorded on disk while the index was
 * unreachable are put in the history, and runs left `running` by a dead process are marked aborted. Once `signal` is
 * aborted, the run under way ends interrupted and the next sources are not started.
 */
export async function harvestAll(
  sources: SourceConfig[],
  target: { client: Client; alias: string; index?: IndexSettingsOptions },
  log: Logger,
  opts: HarvestAllOptions = {},
): Promise<RunSummary[]> {
  const { onRun, ...options } = opts;
  await recordLocalRuns(target, opts.reportDir ?? defaultReportDir(), log);
  await abortDeadRuns(target, log, opts.lockTtlMs);
  const summaries: RunSummary[] = [];
  for (const source of sources) {
    if (opts.signal?.aborted) {
      log.warn(`${source.id}: not started, the harvest was stopped`, { source: source.id });
      continue;
    }
    const summary = await harvestSource(source, {
      ...options,
      client: target.client,
      alias: target.alias,
      index: target.index,
      log,
      reportDir: opts.reportDir ?? defaultReportDir(),
    });
    summaries.push(summary);
    // (a refused run did not start: the refusal was said, naming the run that holds the lock)
    const { level, message } = runEndLine(summary);
    if (summary.status !== 'refused')
      log.log(
        level,
        message,
        log.json ? { source: summary.source, runId: summary.runId, status: summary.status, summary: runLogSummary(summary) } : undefined,
      );
    onRun?.(summary);
  }
  return summaries;
}

/**
 * The log line of a run's end: its level by status (ok: info; partial, suspect, interrupted: warn; failed and the
 * rest: error) and, unless it is ok, why in the same line (the run's error, its first failure, why nothing was
 * removed): an operator reading the service's log sees what failed and why without opening the run.
 */
export function runEndLine(s: RunSummary): { level: Level; message: string } {
  const grace = [...(s.withdrawn ? [`${s.withdrawn} withdrawn`] : []), ...(s.purged ? [`${s.purged} purged`] : [])];
  const counts = `${s.indexed} indexed${s.restored ? ` (${s.restored} restored)` : ''}, ${s.failed} failed, ${s.deleted} removed${grace.length ? ` (${grace.join(', ')})` : ''} in ${(s.ms / 1000).toFixed(1)}s`;
  const level: Level = s.status === 'ok' ? 'info' : ['partial', 'suspect', 'interrupted'].includes(s.status) ? 'warn' : 'error';
  if (s.status === 'ok') return { level, message: `${s.name}: ok, ${counts}` };
  const line = (text: string) => text.split('\n')[0].slice(0, 500);
  const why: string[] = [];
  if (s.error) why.push(s.status === 'failed' && s.step ? `step "${STEPS[s.step]}" failed: ${line(s.error)}` : line(s.error));
  const first = (s.failures ?? []).find((f) => !f.skipped);
  if (first && !s.error) why.push(`first failure: ${failureName(first)}: ${line(first.error)}`);
  if (s.deletion && s.status !== 'failed' && s.status !== 'interrupted') why.push(line(s.deletion));
  if (s.reportFile) why.push(`failure report: ${s.reportFile}`);
  return { level, message: `${s.name}: ${s.status}, ${counts}${why.length ? `: ${why.join('; ')}` : ''}` };
}

/** Marks aborted the runs left `running` by a process that died; says so. Elasticsearch not answering is not an error here. */
export async function abortDeadRuns(target: { client: Client; alias: string }, log: Logger, staleMs?: number): Promise<RunSummary[]> {
  try {
    const marked = await markAbortedRuns(target.client, target.alias, { ...(staleMs !== undefined ? { staleMs } : {}) });
    for (const r of marked)
      log.warn(`${r.source}: run ${r.runId} started ${r.startedAt} is marked aborted: ${r.error}`, { source: r.source });
    return marked;
  } catch {
    return []; // the runs themselves will say that the index does not answer
  }
}

/**
 * Puts in the history the runs recorded on disk (`*.run.json` in `dir`) because the index could not take them when
 * they ended: each replaces its document when that is missing or still says `running`; the file is then renamed
 * `*.run.recorded.json`. Elasticsearch not answering is not an error here (they wait for the next start).
 */
export async function recordLocalRuns(target: { client: Client; alias: string }, dir: string, log: Logger): Promise<number> {
  let files: string[];
  try {
    files = (await readdir(dir)).filter((f) => f.endsWith('.run.json'));
  } catch {
    return 0;
  }
  let recorded = 0;
  for (const f of files) {
    const file = join(dir, f);
    try {
      const run = JSON.parse(await readFile(file, 'utf8')) as RunSummary;
      const done = await recordLocalRun(target.client, target.alias, run);
      await rename(file, file.replace(/\.run\.json$/, '.run.recorded.json'));
      if (done) {
        recorded++;
        log.info(
          `${run.source}: run ${run.runId} of ${run.startedAt}, recorded on disk when the index could not take it, is now in the history`,
          {
            source: run.source,
          },
        );
      }
    } catch {
      // unreadable or the index still down: left for the next start
    }
  }
  return recorded;
}

/**
 * A stop that lets the runs under way end by themselves for `graceMs` (default 30 s), then abandons their work: the
 * signal to pass to harvestAll. `request()` starts the grace (a second call abandons at once); `reason` says why in
 * the runs' records.
 */
export function gracefulStop(graceMs = STOP_GRACE_MS): {
  signal: AbortSignal;
  request(reason: string): void;
  readonly requested: boolean;
  dispose(): void;
} {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let requested = false;
  return {
    signal: controller.signal,
    get requested() {
      return requested;
    },
    request(reason: string) {
      if (requested || graceMs <= 0) {
        clearTimeout(timer);
        controller.abort(new Error(requested ? `${reason} again` : reason));
        requested = true;
        return;
      }
      requested = true;
      timer = setTimeout(() => controller.abort(new Error(`${reason}, and the grace of ${Math.round(graceMs / 1000)} s passed`)), graceMs);
      timer.unref();
    },
    dispose() {
      clearTimeout(timer);
    },
  };
}
