/**
 * Run history: every run of every source is kept in the `<alias>-runs` index so that operators see what ran,
 * what changed, what failed and why; and the readable summary printed at the end of a harvest.
 */
import type { Client } from '@elastic/elasticsearch';
import type { RunSummary } from './harvest.js';

export function runsIndex(alias: string): string {
  return `${alias}-runs`;
}

const RUNS_MAPPING = {
  dynamic: false,
  properties: {
    runId: { type: 'keyword' },
    source: { type: 'keyword' },
    type: { type: 'keyword' },
    status: { type: 'keyword' },
    startedAt: { type: 'date' },
    endedAt: { type: 'date' },
    ms: { type: 'long' },
    seen: { type: 'long' },
    indexed: { type: 'long' },
    new: { type: 'long' },
    updated: { type: 'long' },
    unchanged: { type: 'long' },
    deleted: { type: 'long' },
    failed: { type: 'long' },
    skipped: { type: 'long' },
  },
} as const;

/** Stores a run summary (the failures list is capped in the summary; the report file has all of them). */
export async function recordRun(client: Client, alias: string, summary: RunSummary): Promise<void> {
  const index = runsIndex(alias);
  if (!(await client.indices.exists({ index }))) {
    await client.indices
      .create({ index, settings: { number_of_shards: 1, number_of_replicas: 0 }, mappings: RUNS_MAPPING })
      .catch((err: { meta?: { body?: { error?: { type?: string } } } }) => {
        if (err.meta?.body?.error?.type !== 'resource_already_exists_exception') throw err;
      });
  }
  await client.index({ index, id: summary.runId, document: summary, refresh: true });
}

/** The latest runs, newest first, optionally of one source. */
export async function latestRuns(client: Client, alias: string, opts: { source?: string; size?: number } = {}): Promise<RunSummary[]> {
  const index = runsIndex(alias);
  if (!(await client.indices.exists({ index }))) return [];
  const res = await client.search<RunSummary>({
    index,
    size: opts.size ?? 20,
    sort: [{ startedAt: 'desc' }],
    query: opts.source ? { term: { source: opts.source } } : { match_all: {} },
  });
  return res.hits.hits.map((h) => h._source!).filter(Boolean);
}

/** The ids of the sources that have runs recorded, with how many each (sorted by id); [] when none ran yet. */
export async function runSources(client: Client, alias: string): Promise<{ source: string; runs: number }[]> {
  const index = runsIndex(alias);
  if (!(await client.indices.exists({ index }))) return [];
  const res = await client.search({
    index,
    size: 0,
    aggs: { sources: { terms: { field: 'source', size: 10_000, order: { _key: 'asc' } } } },
  });
  const buckets = (res.aggregations?.sources as { buckets: { key: string; doc_count: number }[] } | undefined)?.buckets ?? [];
  return buckets.map((b) => ({ source: b.key, runs: b.doc_count }));
}

const STATUS_MARK: Record<string, string> = { ok: 'ok', partial: 'PARTIAL', failed: 'FAILED' };

function rate(s: RunSummary): string {
  return s.ms > 0 ? `${Math.round((s.seen / s.ms) * 1000)}/s` : '-';
}

/** A duration for people: 850ms, 1.6s, 2m05s, 1h02m. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.round(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** An instant as "2026-12-02 21:17:08" (UTC), the form of the "started (UTC)" column. */
function utc(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : new Date(t).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * A readable table of runs, then the failures worth reading. Sources are named by id (what --source takes);
 * `started` adds when each run started (the `runs` command: what ran, when).
 */
export function formatSummary(runs: RunSummary[], opts: { started?: boolean } = {}): string {
  const head = [
    ...(opts.started ? ['started (UTC)'] : []),
    'source',
    'status',
    'seen',
    'indexed',
    'new',
    'updated',
    'unchanged',
    'deleted',
    'failed',
    'skipped',
    'took',
    'rate',
  ];
  const left = opts.started ? 3 : 2;
  const rows = runs.map((s) => [
    ...(opts.started ? [utc(s.startedAt)] : []),
    s.source,
    STATUS_MARK[s.status] ?? s.status,
    String(s.seen),
    String(s.indexed),
    String(s.new),
    String(s.updated),
    String(s.unchanged),
    String(s.deleted),
    String(s.failed),
    String(s.skipped),
    formatDuration(s.ms),
    rate(s),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i < left ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const out = [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
  for (const s of runs) {
    const notes: string[] = [];
    if (s.error) notes.push(`  source error: ${s.error}`);
    if (s.deletion) notes.push(`  removal: ${s.deletion}`);
    if (s.duplicates) notes.push(`  ${s.duplicates} record(s) shared an identifier with another record of the run: the last one was kept`);
    for (const n of s.notices.filter((n) => n.level === 'warn').slice(0, 5)) notes.push(`  warning: ${n.message}`);
    const byStage = Object.entries(s.failuresByStage);
    if (byStage.length) notes.push(`  failures by stage: ${byStage.map(([k, v]) => `${k} ${v}`).join(', ')}`);
    for (const f of s.failures.filter((f) => !f.skipped).slice(0, 5))
      notes.push(`  - ${f.id ?? '(no id)'} [${f.stage}] ${f.error.slice(0, 200)}`);
    if (s.failed > 5) notes.push(`  ... ${s.failed - 5} more`);
    if (s.reportFile) notes.push(`  full failure report: ${s.reportFile}`);
    const who = s.name && s.name !== s.source ? `${s.source} (${s.name})` : s.source;
    if (notes.length) out.push('', `${who}${opts.started ? `, run ${s.runId} started ${utc(s.startedAt)}` : ''}:`, ...notes);
  }
  return out.join('\n');
}
