/**
 * Status at a glance: one row per source (configured, or only known from its runs): its last run (start, duration,
 * status, counts, first error), the run under way or waiting in the service, the last scheduled slot skipped, its next
 * scheduled run, and the FAIR figures of its indexed records (issue 11: average MQA points and F-UJI points, and the
 * MQA rating distribution, one Elasticsearch aggregation on quality.* by source). What `harvester status`, GET /status
 * and the operators' page show.
 */
import type { Client } from '@elastic/elasticsearch';
import { countText, deadRun, failureName, latestRuns, runSources, type RunStatus, type RunSummary } from './runs.js';
import { liveSchedulers, type SchedulerInfo } from './schedulers.js';
import { nextRun, type SourceConfig } from './sources.js';
import { formatQuality, qualityBySource, RATINGS, type SourceQuality } from './quality.js';

export { formatQuality, qualityBySource, RATINGS, type SourceQuality } from './quality.js';

/** The last run of a source, in brief. */
export interface RunBrief {
  runId: string;
  status: RunStatus;
  startedAt: string;
  endedAt?: string;
  ms: number;
  seen: number;
  new: number;
  /** Records removed by an earlier run that came back (not counted in `new`). */
  restored: number;
  updated: number;
  unchanged: number;
  deleted: number;
  failed: number;
  /** The run died before it recorded any count (runs.ts deadRun): its counts are unknown, not 0. */
  countsUnknown?: boolean;
  /** The run's error, else its first failure's ("id: error"). */
  firstError?: string;
  /** A suspect run: why (the deletion guard's words: how many records the source no longer has, and what to do). */
  deletion?: string;
}

/** What the service knows of a source right now (only under `harvester serve`). */
export interface LiveState {
  state: 'queued' | 'running';
  runId: string;
  /** 'schedule' or 'manual'. */
  by: 'schedule' | 'manual';
  queuedAt: string;
  startedAt?: string;
}

export interface SourceStatus {
  source: string;
  name?: string;
  type?: string;
  url?: string;
  /** Whether the sources file has it (a source only known from its runs is not). */
  configured: boolean;
  enabled: boolean;
  schedule?: string;
  /** Next scheduled run (ISO 8601), when it has a schedule, is enabled and a live scheduler follows it. */
  nextRun?: string;
  /**
   * A source with a schedule, enabled, that no live scheduler follows (pipelines/schedulers.ts): why no run will
   * happen (no `nextRun` then).
   */
  unscheduled?: string;
  /** The run under way or waiting for a slot in the service. */
  live?: LiveState;
  /** The last run (not a skipped slot), running ones included. */
  lastRun?: RunBrief;
  /** The last scheduled slot skipped because the previous run was still going. */
  lastSkipped?: { at: string; error?: string };
  quality?: SourceQuality;
}

function brief(run: RunSummary): RunBrief {
  const firstFailure = (run.failures ?? []).find((f) => !f.skipped);
  const firstError = run.error ?? (firstFailure ? `${failureName(firstFailure)}: ${firstFailure.error}` : undefined);
  return {
    runId: run.runId,
    status: run.status,
    startedAt: run.startedAt,
    ...(run.endedAt ? { endedAt: run.endedAt } : {}),
    ms: run.ms,
    seen: run.seen,
    new: run.new,
    restored: run.restored ?? 0,
    updated: run.updated,
    unchanged: run.unchanged,
    deleted: run.deleted,
    failed: run.failed,
    ...(run.countsUnknown ? { countsUnknown: true } : {}),
    ...(firstError ? { firstError: firstError.slice(0, 500) } : {}),
    ...(run.status === 'suspect' && run.deletion ? { deletion: run.deletion.slice(0, 500) } : {}),
  };
}

/** Sources whose runs are read at the same time. */
const PARALLEL = 8;

/**
 * The status of every configured source (in the file's order), then of the sources only known from their runs (by
 * id). `next` gives a source's next scheduled run (the service's own timers); by default it is computed from its cron
 * expression. `live` gives what the service is doing with it.
 */
export async function sourcesStatus(
  client: Client,
  alias: string,
  sources: SourceConfig[],
  opts: StatusOptions = {},
): Promise<SourceStatus[]> {
  const [known, quality, schedulers] = await Promise.all([
    runSources(client, alias),
    qualityBySource(client, alias),
    // (not known when they cannot be read: each schedule is then taken at its word)
    liveSchedulers(client, alias).catch(() => undefined),
  ]);
  return statusRows(sources, { ...opts, schedulers }, known, quality, async (id) => {
    const [[last], [skipped]] = await Promise.all([
      latestRuns(client, alias, { source: id, size: 1, except: ['skipped'] }),
      latestRuns(client, alias, { source: id, size: 1, only: ['skipped'] }),
    ]);
    // a run whose process died (kill -9, a crash) is shown aborted, as harvester runs records it: GET /status and
    // /metrics only read the index, and would say "running" until the next run of the source came by
    return { last: last && (deadRun(last) ?? last), skipped };
  });
}

/**
 * What can be said of the configured sources without the index (Elasticsearch does not answer): each with its
 * schedule, next run and what the service is doing with it now; no last run, no FAIR figures.
 */
export function configuredStatus(sources: SourceConfig[], opts: StatusOptions = {}): Promise<SourceStatus[]> {
  return statusRows(sources, opts, [], new Map(), () => Promise.resolve({ last: undefined, skipped: undefined }));
}

/**
 * `next`: a source's next run by the caller's own timers (the service); else, and for the sources those timers do not
 * follow, the next time of its cron expression when a live scheduler follows it (`schedulers`, read from the index;
 * undefined: not known, the cron expression is taken at its word).
 */
interface StatusOptions {
  next?: (id: string) => Date | undefined;
  live?: (id: string) => LiveState | undefined;
  timezone?: string;
}

/** Why a scheduled source will not run when no live scheduler follows it. */
export const NO_SCHEDULER = 'no scheduler is running (harvester serve or harvester schedule): no run will happen';

async function statusRows(
  sources: SourceConfig[],
  opts: StatusOptions & { schedulers?: SchedulerInfo[] },
  known: { source: string }[],
  quality: Map<string, SourceQuality>,
  runsOf: (id: string) => Promise<{ last: RunSummary | undefined; skipped: RunSummary | undefined }>,
): Promise<SourceStatus[]> {
  const ids = [...sources.map((s) => s.id), ...known.map((k) => k.source).filter((id) => !sources.some((s) => s.id === id))];
  const byId = new Map(sources.map((s) => [s.id, s]));
  const rows: SourceStatus[] = [];
  for (let i = 0; i < ids.length; i += PARALLEL) {
    const batch = ids.slice(i, i + PARALLEL);
    const found = await Promise.all(
      batch.map(async (id) => {
        if (!known.some((k) => k.source === id)) return { last: undefined, skipped: undefined };
        return runsOf(id);
      }),
    );
    batch.forEach((id, j) => {
      const s = byId.get(id);
      const enabled = s ? s.enabled !== false : false;
      const scheduled = Boolean(s?.schedule && enabled);
      const followedBy = opts.schedulers?.find((x) => x.sources.includes(id));
      const next = scheduled
        ? (opts.next?.(id) ?? (!opts.schedulers || followedBy ? nextRun(s!.schedule!, followedBy?.timezone ?? opts.timezone) : undefined))
        : undefined;
      const live = opts.live?.(id);
      const { last, skipped } = found[j];
      const q = quality.get(id);
      rows.push({
        source: id,
        ...(s?.name ? { name: s.name } : last?.name && last.name !== id ? { name: last.name } : {}),
        ...(s ? { type: s.type, url: s.url } : last ? { type: last.type, url: last.url } : {}),
        configured: Boolean(s),
        enabled,
        ...(s?.schedule ? { schedule: s.schedule } : {}),
        ...(next ? { nextRun: next.toISOString() } : {}),
        ...(scheduled && !next && opts.schedulers ? { unscheduled: NO_SCHEDULER } : {}),
        ...(live ? { live } : {}),
        ...(last ? { lastRun: brief(last) } : {}),
        ...(skipped ? { lastSkipped: { at: skipped.startedAt, ...(skipped.error ? { error: skipped.error } : {}) } } : {}),
        ...(q ? { quality: q } : {}),
      });
    });
  }
  return rows;
}

function utc(iso: string | undefined): string {
  if (!iso) return '-';
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : new Date(t).toISOString().slice(0, 19).replace('T', ' ');
}

function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.round(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** One line per source for people: a table, then each source's first error and skipped slot. */
export function formatStatus(rows: SourceStatus[]): string {
  if (rows.length === 0) return 'no sources configured and no runs recorded';
  const head = [
    'source',
    'last run (UTC)',
    'took',
    'status',
    'seen',
    'new',
    'restored',
    'updated',
    'unchanged',
    'deleted',
    'failed',
    'next run (UTC)',
    'FAIR',
  ];
  const lines = rows.map((r) => {
    const l = r.lastRun;
    const status = r.live ? `${r.live.state}${l && r.live.state === 'queued' ? ` (last ${l.status})` : ''}` : (l?.status ?? 'never run');
    const next = !r.configured
      ? 'not configured'
      : !r.enabled
        ? 'disabled'
        : r.unscheduled
          ? 'none: no scheduler'
          : r.schedule
            ? utc(r.nextRun)
            : 'on demand';
    const q = r.quality && r.quality.records > 0 ? `${r.quality.mqa ?? '-'}/405 ${dominant(r.quality)}` : '-';
    return [
      r.source,
      utc(l?.startedAt),
      l ? duration(l.ms) : '-',
      status,
      ...(['seen', 'new', 'restored', 'updated', 'unchanged', 'deleted', 'failed'] as const).map((k) => (l ? countText(l, l[k]) : '-')),
      next,
      q,
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((r) => r[i].length)));
  const numeric = new Set([4, 5, 6, 7, 8, 9, 10]);
  const fmt = (r: string[]) =>
    r
      .map((c, i) => (numeric.has(i) ? c.padStart(widths[i]) : i === r.length - 1 ? c : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const out = [fmt(head), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(fmt)];
  for (const r of rows) {
    const notes: string[] = [];
    if (r.lastRun?.firstError) notes.push(`  first error: ${r.lastRun.firstError.split('\n')[0].slice(0, 300)}`);
    if (r.lastRun?.deletion) notes.push(`  suspect: ${r.lastRun.deletion}`);
    if (r.unscheduled) notes.push(`  scheduled "${r.schedule}", but ${r.unscheduled}`);
    if (r.lastSkipped)
      notes.push(`  slot skipped at ${utc(r.lastSkipped.at)}: ${r.lastSkipped.error ?? 'the previous run was still going'}`);
    if (r.quality && r.quality.records > 0) notes.push(`  FAIR: ${formatQuality(r.quality)}`);
    if (notes.length) out.push('', `${r.source}:`, ...notes);
  }
  return out.join('\n');
}

/** The most frequent rating, as "mostly good". */
function dominant(q: SourceQuality): string {
  const best = [...RATINGS].sort((a, b) => q.ratings[b] - q.ratings[a])[0];
  return `mostly ${best}`;
}
