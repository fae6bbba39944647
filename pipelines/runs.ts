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

const STATUS_MARK: Record<string, string> = { ok: 'ok', partial: 'PARTIAL', failed: 'FAILED' };

function rate(s: RunSummary): string {
  return s.ms > 0 ? `${Math.round((s.seen / s.ms) * 1000)}/s` : '-';
}

/** A readable table of runs, then the failures worth reading. */
export function formatSummary(runs: RunSummary[]): string {
  const head = ['source', 'status', 'seen', 'indexed', 'new', 'updated', 'unchanged', 'deleted', 'failed', 'skipped', 'time', 'rate'];
  const rows = runs.map((s) => [
    s.name,
    STATUS_MARK[s.status] ?? s.status,
    String(s.seen),
    String(s.indexed),
    String(s.new),
    String(s.updated),
    String(s.unchanged),
    String(s.deleted),
    String(s.failed),
    String(s.skipped),
    `${(s.ms / 1000).toFixed(1)}s`,
    rate(s),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
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
    if (notes.length) out.push('', `${s.name}:`, ...notes);
  }
  return out.join('\n');
}
