/**
 * Run history: every run of every source is a document of the `<alias>-runs` index (docs/runs.md), written when the run
 * starts (`running`), updated with its counts at every heartbeat while it goes, and finished when it ends; a `running`
 * run whose heartbeats stopped (its process was killed, or lost the index for good) is marked `aborted` by the next
 * start of a harvest, of the scheduler or of `harvester runs`. Operators see what ran, what changed, what failed and
 * why; other code reads a source's state (its lock, the run under way, its last runs) with sourceState().
 * Also the readable summary printed at the end of a harvest.
 */
import type { Client } from '@elastic/elasticsearch';
import { ensureAuxIndex } from '../mappings/es-index.js';
import type { Failure } from '../core/result.js';
import type { Notice, RunEnd, Validator } from '../harvesters/types.js';
import { currentLock, HOST, ownerGone, type LockInfo } from './locks.js';
import { formatQuality, type SourceQuality } from './quality.js';

export function runsIndex(alias: string): string {
  return `${alias}-runs`;
}

/**
 * How a run ended (or stands):
 * - `running`: under way (its heartbeat says when it last reported);
 * - `ok`: the whole source was seen, every record indexed, what the source no longer has removed;
 * - `partial`: some records failed (each kept its previous version), or the run did not see the whole source:
 *   nothing was removed;
 * - `suspect`: the run saw the whole source but the deletion guard held removals back (the source suddenly has far
 *   fewer records: broken, or emptied on purpose; `--max-delete-ratio 1` confirms);
 * - `failed`: the source or a step of the pipeline failed (`step` names it): nothing was removed;
 * - `interrupted`: stopped from outside (a stop after its grace, the run's time budget, its lock taken over): nothing
 *   was removed;
 * - `aborted`: the run stopped without finishing (its process was killed): marked so by a later process;
 * - `refused`: not started, another run of the source holds its lock (not recorded in the history);
 * - `skipped`: a scheduled slot that did not start a run because the source's previous run was still going (recorded
 *   by the service, pipelines/service.ts, so that the history shows the gap; `error` names the run still going).
 */
export type RunStatus = 'running' | 'ok' | 'partial' | 'suspect' | 'failed' | 'interrupted' | 'aborted' | 'refused' | 'skipped';

/** The steps of a run (pipelines/harvest.ts), each with what it does, as messages name them. */
export const STEPS = {
  start: 'prepare the index',
  lock: "take the source's lock",
  harvest: 'harvest the source',
  index: 'write the last records to the index',
  remove: 'remove the records the source no longer has',
  link: 'link the copies of a dataset harvested from other sources',
  record: 'record the run',
} as const;
export type RunStep = keyof typeof STEPS;

/** A run document: what `harvester runs` shows and docs/runs.md describes field by field. */
export interface RunSummary {
  runId: string;
  source: string;
  name: string;
  type: string;
  url: string;
  status: RunStatus;
  /** Who runs it. */
  owner: { host: string; pid: number };
  startedAt: string;
  /**
   * A run started by a schedule, or a skipped slot: the slot it is for. A run starts later when it waits for a free
   * slot (`maxRuns`) or for the index; a skipped slot's `startedAt` is its slot.
   */
  slot?: string;
  /** Last time the run said it was alive (every heartbeat, and its end). */
  heartbeatAt: string;
  /** When it ended (absent while running). */
  endedAt?: string;
  /** Duration so far, or in all once ended. */
  ms: number;
  /**
   * When the counts below were last recorded (every heartbeat, and the end); absent from the document written when the
   * run starts. A run that died before its first heartbeat has none: its zeros say nothing (`countsUnknown`).
   */
  countedAt?: string;
  /**
   * An aborted run that died before its first heartbeat recorded any count: how many records it saw is unknown (not
   * 0). Shown as "?" by `harvester runs`, `harvester status` and the operators' page.
   */
  countsUnknown?: boolean;
  /** Records the harvester yielded (plus failures it reported itself). */
  seen: number;
  mapped: number;
  /** Records now in the index as this run saw them: new + restored + updated + unchanged. */
  indexed: number;
  /** Records the index did not have and never removed (a record that came back after its removal is `restored`). */
  new: number;
  updated: number;
  unchanged: number;
  /** Records that came twice with the same identifier in one run: the last one is kept. */
  duplicates: number;
  /**
   * Records of the source that are copies of a dataset also harvested from another source (the same DOI, file
   * identifier...: docs/duplicates.md), once the run's `link` step has decided; absent when the step did not run.
   */
  linked?: number;
  /** Of the linked records, those not listed in search because another source's copy is the primary. */
  hidden?: number;
  /** Fingerprint of the sources' ranking the link step used (the next run decides old groups again when it differs). */
  linkRanking?: string;
  /** Records that left the records index in this run: withdrawn for the grace period, or deleted at once (grace 0). */
  deleted: number;
  /** Of `deleted`, the records withdrawn (hidden, reported deleted by OAI-PMH, kept until their grace ends). */
  withdrawn?: number;
  /**
   * Records removed by an earlier run (withdrawn within their grace period, or deleted) that came back in this one:
   * their tombstone removed, their datestamp new. Not counted in `new` (runs recorded before 2026-12 counted them in
   * both, and only the withdrawn ones here).
   */
  restored?: number;
  /** Withdrawn records whose grace period had ended, purged by this run (their tombstone says deleted for good). */
  purged?: number;
  /** What the run asked its source for (pipelines/incremental.ts): every record, or what changed since `since`. */
  mode?: RunMode;
  /** Why that mode. */
  plan?: string;
  /** Incremental: records changed at or after this date-time were asked for. */
  since?: string;
  /** The start of the source's last successful run when this one started (the watermark). */
  watermark?: string;
  /**
   * What the source's documents answered (ETag, Last-Modified, content hash; a local file's modification time and size),
   * for the next incremental run's conditional request (OZCAR, DCAT files: docs/incremental.md). Stored, not indexed.
   */
  validators?: Validator[];
  /** MAPPING_VERSION of the code that made the run (a full run follows a change). */
  mappingVersion?: number;
  failed: number;
  skipped: number;
  warnings: number;
  failuresByStage: Record<string, number>;
  /** First failures, for the summary; the report file has all of them. */
  failures: Omit<Failure, 'raw'>[];
  /** What the harvester said about the source (the first MAX_NOTICES; `noticesOmitted` counts the others). */
  notices: Notice[];
  noticesOmitted?: number;
  /** How the harvest ended, as the harvester said it: complete, or incomplete and why. Absent when it failed. */
  end?: RunEnd;
  /** Records in the index that this complete run did not see (found stale), whether removed or not. */
  stale?: number;
  /** Why stale records were not removed, when they were not (incomplete run, deletion guard...). */
  deletion?: string;
  /** The step that failed (status failed or interrupted), and why. */
  step?: RunStep;
  error?: string;
  /** The failure report (NDJSON, one failed record per line with its raw input). */
  reportFile?: string;
  /** Where the run was recorded on disk when the index could not take it. */
  localRecord?: string;
  /**
   * The FAIR figures of the source's records in the index when the run ended (pipelines/quality.ts): average MQA and
   * F-UJI points, records per MQA rating. Absent when the index could not say.
   */
  quality?: SourceQuality;
}

/** A run document of `source` with every count at zero: what a run starts from (run-account.ts), or a skipped slot. */
export function emptyRunSummary(
  source: { id: string; name?: string; type: string; url: string },
  runId: string,
  status: RunStatus,
  at: string,
): RunSummary {
  return {
    runId,
    source: source.id,
    name: source.name ?? source.id,
    type: source.type,
    url: source.url,
    status,
    owner: { host: HOST, pid: process.pid },
    startedAt: at,
    heartbeatAt: at,
    ms: 0,
    seen: 0,
    mapped: 0,
    indexed: 0,
    new: 0,
    updated: 0,
    unchanged: 0,
    duplicates: 0,
    deleted: 0,
    failed: 0,
    skipped: 0,
    warnings: 0,
    failuresByStage: {},
    failures: [],
    notices: [],
  };
}

/** What a run asks its source for: every record (deletions reconciled), or what changed since the last successful run. */
export type RunMode = 'full' | 'incremental';

/** Notices kept in a run document. */
export const MAX_NOTICES = 100;

/** How long a `running` run may stay without a heartbeat before the next start marks it aborted. */
export const RUN_STALE_MS = 120_000;

const RUNS_MAPPING = {
  dynamic: false,
  properties: {
    runId: { type: 'keyword' },
    source: { type: 'keyword' },
    type: { type: 'keyword' },
    status: { type: 'keyword' },
    step: { type: 'keyword' },
    owner: { properties: { host: { type: 'keyword' }, pid: { type: 'long' } } },
    startedAt: { type: 'date' },
    heartbeatAt: { type: 'date' },
    endedAt: { type: 'date' },
    ms: { type: 'long' },
    seen: { type: 'long' },
    indexed: { type: 'long' },
    new: { type: 'long' },
    updated: { type: 'long' },
    unchanged: { type: 'long' },
    deleted: { type: 'long' },
    linked: { type: 'long' },
    hidden: { type: 'long' },
    withdrawn: { type: 'long' },
    restored: { type: 'long' },
    purged: { type: 'long' },
    mode: { type: 'keyword' },
    mappingVersion: { type: 'integer' },
    failed: { type: 'long' },
    skipped: { type: 'long' },
    stale: { type: 'long' },
  },
} as const;

/** Creates the runs index when missing; adds the fields newer code maps to an older one. */
async function ensureRunsIndex(client: Client, alias: string): Promise<string> {
  const index = runsIndex(alias);
  await ensureAuxIndex(client, index, RUNS_MAPPING);
  return index;
}

/**
 * Writes a run document (at its start, at its heartbeats, at its end). `refresh` makes it visible to searches at once
 * (start and end); `timeoutMs` bounds the request (a run ending while the index is down records itself locally).
 */
export async function writeRun(
  client: Client,
  alias: string,
  run: RunSummary,
  opts: { refresh?: boolean; timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<void> {
  const index = await ensureRunsIndex(client, alias);
  await client.index(
    { index, id: run.runId, document: run, refresh: opts.refresh ?? false },
    { ...(opts.timeoutMs ? { requestTimeout: opts.timeoutMs, maxRetries: 1 } : {}), ...(opts.signal ? { signal: opts.signal } : {}) },
  );
}

/**
 * Whether the runs index exists, once its shard can answer: a search racing the index's creation by the first run
 * would otherwise fail (no_shard_available).
 */
async function runsReady(client: Client, alias: string): Promise<string | undefined> {
  const index = runsIndex(alias);
  if (!(await client.indices.exists({ index }))) return undefined;
  await client.cluster.health({ index, wait_for_status: 'yellow', timeout: '10s' });
  return index;
}

/**
 * A search of the runs index (or another small index of the hub's: pipelines/schedulers.ts), asked again for a few
 * seconds while its shard is not ready (just created by a run starting: the node may say "no shard available" a moment
 * after it reports the index healthy).
 */
export async function searchRuns<T>(client: Client, params: Parameters<Client['search']>[0]) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await client.search<T>(params);
    } catch (err) {
      const e = err as { meta?: { statusCode?: number }; message?: string };
      const notReady = e.meta?.statusCode === 503 || /no_shard_available/.test(e.message ?? '');
      if (!notReady || attempt >= 20) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/** Stores a finished run (the failures list is capped in the summary; the report file has all of them). */
export async function recordRun(client: Client, alias: string, summary: RunSummary): Promise<void> {
  await writeRun(client, alias, summary, { refresh: true });
}

/**
 * Writes a run recorded on disk into the history (its `localRecord` says so), unless its document there has moved on
 * from `running` (then the index knows better). Returns whether it was written.
 */
export async function recordLocalRun(client: Client, alias: string, run: RunSummary): Promise<boolean> {
  const index = await ensureRunsIndex(client, alias);
  let version: { if_seq_no: number; if_primary_term: number } | undefined;
  try {
    const got = await client.get<RunSummary>({ index, id: run.runId });
    if (got.found && got._source?.status !== 'running') return false;
    if (got.found) version = { if_seq_no: got._seq_no!, if_primary_term: got._primary_term! };
  } catch (err) {
    if ((err as { meta?: { statusCode?: number } }).meta?.statusCode !== 404) throw err;
  }
  // (its localRecord says where it was recorded first)
  await client.index({ index, id: run.runId, document: run, refresh: true, ...(version ?? { op_type: 'create' }) });
  return true;
}

/**
 * A `running` run whose process is gone (its pid, on this machine) or whose heartbeat stopped for `staleMs`, as it
 * stands: `aborted`, ended at its last heartbeat, with why; undefined when it may still be alive (or is not running).
 * Read-only: markAbortedRuns records it; the server's read-only pages and GET /status show it so meanwhile.
 */
export function deadRun(run: RunSummary, staleMs = RUN_STALE_MS, now = Date.now()): RunSummary | undefined {
  if (run.status !== 'running') return undefined;
  const beat = Date.parse(run.heartbeatAt ?? run.startedAt);
  const gone = run.owner ? ownerGone({ ...run.owner, runId: run.runId }) : undefined;
  if (!(gone === true || (gone === undefined && now - beat > staleMs))) return undefined;
  const ended = new Date(Number.isNaN(beat) ? now : beat).toISOString();
  // (a run recorded before countedAt existed that counted something had a heartbeat)
  const unknown = run.countedAt === undefined && run.seen === 0;
  return {
    ...run,
    status: 'aborted',
    endedAt: ended,
    ms: Math.max(0, Date.parse(ended) - Date.parse(run.startedAt)),
    ...(unknown ? { countsUnknown: true } : {}),
    error:
      `the run stopped without finishing: last heartbeat ${run.heartbeatAt ?? run.startedAt}` +
      (gone ? ` and its process (pid ${run.owner.pid} on ${run.owner.host}) is gone` : `, none for ${Math.round(staleMs / 1000)} s`) +
      (unknown
        ? '; how many records it saw is unknown (it stopped before its first heartbeat recorded its counts)'
        : `; its counts are those of its last heartbeat (${run.countedAt ?? run.heartbeatAt})`),
  };
}

/** Failures named in a run's end-of-run log line (the failure report and the run document have the others). */
export const LOG_FAILURES = 3;
/** Longest text of a run (its error, its removal note, a failure's error...) in its end-of-run log line. */
const LOG_TEXT = 300;

/**
 * A run in brief for its end-of-run line of the JSON log, bounded whatever the run (log processors choke on huge
 * lines: journald splits lines over 48 KiB): its counts, status, step and duration, its texts cut at LOG_TEXT
 * characters, its first LOG_FAILURES failures (`failuresOmitted`: how many others) and where the whole of it is (the
 * failure report, the run document by its id, or the local record). Its notices and the source's validators are left
 * out (`notices`: how many there were). About 2 KB at most.
 */
export function runLogSummary(s: RunSummary): Record<string, unknown> {
  const cut = (text: string | undefined) => (text === undefined || text.length <= LOG_TEXT ? text : `${text.slice(0, LOG_TEXT)}…`);
  const { failures = [], notices = [], noticesOmitted, validators: _validators, error, deletion, plan, end, name, url, ...rest } = s;
  const named = failures.filter((f) => !f.skipped).slice(0, LOG_FAILURES);
  return {
    ...rest,
    name: cut(name),
    url: cut(url),
    ...(error !== undefined ? { error: cut(error) } : {}),
    ...(deletion !== undefined ? { deletion: cut(deletion) } : {}),
    ...(plan !== undefined ? { plan: cut(plan) } : {}),
    ...(end ? { end: end.complete ? end : { ...end, message: cut(end.message) } } : {}),
    notices: notices.length + (noticesOmitted ?? 0),
    failures: named.map((f) => ({
      ...(f.id !== undefined ? { id: cut(f.id) } : f.idText !== undefined ? { idText: cut(f.idText) } : {}),
      stage: f.stage,
      error: cut(f.error),
      ...(f.location !== undefined ? { location: cut(f.location) } : {}),
    })),
    ...(s.failed > named.length ? { failuresOmitted: s.failed - named.length } : {}),
  };
}

/** A count of a run for people: "?" when the run died before recording any (countsUnknown). */
export function countText(run: Pick<RunSummary, 'countsUnknown'>, n: number | undefined): string {
  return run.countsUnknown ? '?' : String(n ?? 0);
}

/**
 * Marks `aborted` the runs still `running` whose process is certainly gone: no heartbeat for `staleMs` (default
 * RUN_STALE_MS), or a process of this machine that no longer runs, or this process for a run no longer under way. Each
 * is updated only if it did not change since it was read. Returns the runs marked.
 */
export async function markAbortedRuns(
  client: Client,
  alias: string,
  opts: { staleMs?: number; source?: string } = {},
): Promise<RunSummary[]> {
  const index = await runsReady(client, alias);
  if (!index) return [];
  const staleMs = opts.staleMs ?? RUN_STALE_MS;
  const res = await searchRuns<RunSummary>(client, {
    index,
    size: 1000,
    seq_no_primary_term: true,
    query: {
      bool: {
        filter: [{ term: { status: 'running' } }, ...(opts.source ? [{ term: { source: opts.source } }] : [])],
      },
    },
  });
  const marked: RunSummary[] = [];
  const now = Date.now();
  for (const hit of res.hits.hits) {
    const run = hit._source;
    if (!run) continue;
    const dead = deadRun(run, staleMs, now);
    if (!dead) continue;
    const aborted: RunSummary = {
      ...dead,
      error: `${dead.error} (marked aborted by pid ${process.pid} on ${HOST} at ${new Date(now).toISOString()})`,
    };
    try {
      await client.index({
        index,
        id: run.runId,
        document: aborted,
        if_seq_no: hit._seq_no!,
        if_primary_term: hit._primary_term!,
        refresh: true,
      });
      marked.push(aborted);
    } catch (err) {
      // it moved meanwhile (a late heartbeat): alive after all
      if ((err as { meta?: { statusCode?: number } }).meta?.statusCode !== 409) throw err;
    }
  }
  return marked;
}

/** The latest runs, newest first, optionally of one source, optionally only (or without) the runs of some statuses. */
export async function latestRuns(
  client: Client,
  alias: string,
  opts: { source?: string; size?: number; except?: RunStatus[]; only?: RunStatus[] } = {},
): Promise<RunSummary[]> {
  const index = await runsReady(client, alias);
  if (!index) return [];
  const res = await searchRuns<RunSummary>(client, {
    index,
    size: opts.size ?? 20,
    sort: [{ startedAt: 'desc' }],
    query: {
      bool: {
        filter: [...(opts.source ? [{ term: { source: opts.source } }] : []), ...(opts.only ? [{ terms: { status: opts.only } }] : [])],
        must_not: opts.except?.length ? [{ terms: { status: opts.except } }] : [],
      },
    },
  });
  return res.hits.hits.map((h) => h._source!).filter(Boolean);
}

/**
 * When each source's last run of one of `statuses` ended (ISO 8601), by source id: one aggregation over the history
 * (GET /metrics: the last `ok` run, what an alert on stale sources watches). Empty when there is no history.
 */
export async function lastEndedBySource(client: Client, alias: string, statuses: RunStatus[]): Promise<Map<string, string>> {
  const index = await runsReady(client, alias);
  if (!index) return new Map();
  const res = await searchRuns<RunSummary>(client, {
    index,
    size: 0,
    query: { terms: { status: statuses } },
    aggs: { sources: { terms: { field: 'source', size: 10_000 }, aggs: { ended: { max: { field: 'endedAt' } } } } },
  });
  const buckets = (res.aggregations?.sources as { buckets: { key: string; ended: { value: number | null } }[] } | undefined)?.buckets ?? [];
  return new Map(buckets.filter((b) => b.ended.value !== null).map((b) => [b.key, new Date(b.ended.value!).toISOString()]));
}

/** What other code needs to know of a source right now: who holds its lock, the run under way, its last runs. */
export interface SourceState {
  /** The lock, when held (expired: its holder stopped its heartbeats; holderGone: its process is known to be gone). */
  lock?: LockInfo & { expired: boolean; holderGone?: boolean };
  /** The run under way, when there is one. */
  running?: RunSummary;
  /** The last runs, newest first (the one under way included). */
  runs: RunSummary[];
  /** The last run that ended (not running), when there is one. */
  lastEnded?: RunSummary;
}

/** A source's lock and last `size` runs (default 10). */
export async function sourceState(client: Client, alias: string, source: string, opts: { size?: number } = {}): Promise<SourceState> {
  const [lock, runs] = await Promise.all([
    currentLock(client, alias, source),
    latestRuns(client, alias, { source, size: opts.size ?? 10 }),
  ]);
  const running = runs.find((r) => r.status === 'running');
  const lastEnded = runs.find((r) => r.status !== 'running');
  return { ...(lock ? { lock } : {}), ...(running ? { running } : {}), runs, ...(lastEnded ? { lastEnded } : {}) };
}

/** The ids of the sources that have runs recorded, with how many each (sorted by id); [] when none ran yet. */
export async function runSources(client: Client, alias: string): Promise<{ source: string; runs: number }[]> {
  const index = await runsReady(client, alias);
  if (!index) return [];
  const res = await searchRuns(client, {
    index,
    size: 0,
    aggs: { sources: { terms: { field: 'source', size: 10_000, order: { _key: 'asc' } } } },
  });
  const buckets = (res.aggregations?.sources as { buckets: { key: string; doc_count: number }[] } | undefined)?.buckets ?? [];
  return buckets.map((b) => ({ source: b.key, runs: b.doc_count }));
}

const STATUS_MARK: Record<RunStatus, string> = {
  running: 'running',
  ok: 'ok',
  partial: 'PARTIAL',
  suspect: 'SUSPECT',
  failed: 'FAILED',
  interrupted: 'INTERRUPTED',
  aborted: 'ABORTED',
  refused: 'REFUSED',
  skipped: 'SKIPPED',
};

function rate(s: RunSummary): string {
  return s.ms > 0 ? `${Math.round((s.seen / s.ms) * 1000)}/s` : '-';
}

/**
 * How a failed record is named to an operator: its identifier, else what its identifier looked like when it could not
 * be read for certain (a record cut short, an undeclared entity: the text to look for at the source), else "(no id)".
 */
export function failureName(f: Pick<Failure, 'id' | 'idText'>): string {
  return f.id ?? (f.idText !== undefined ? `"${f.idText}" (identifier not read for certain)` : '(no id)');
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
    'restored',
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
    ...[s.seen, s.indexed, s.new, s.restored, s.updated, s.unchanged, s.deleted, s.failed, s.skipped].map((n) => countText(s, n)),
    formatDuration(s.ms),
    s.countsUnknown ? '-' : rate(s),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i < left ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const out = [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
  for (const s of runs) {
    const notes: string[] = [];
    if (s.status === 'running') notes.push(`  under way: pid ${s.owner?.pid} on ${s.owner?.host}, last heartbeat ${utc(s.heartbeatAt)}`);
    if (s.error)
      notes.push(
        `  ${
          s.status === 'interrupted'
            ? `interrupted${s.step ? ` during step "${STEPS[s.step]}"` : ''}` // a stop, not a failure of the step
            : s.step
              ? `step "${STEPS[s.step]}" failed`
              : s.status === 'aborted'
                ? 'aborted'
                : 'source error'
        }: ${s.error}`,
      );
    if (s.end && !s.end.complete) notes.push(`  incomplete (${s.end.reason}): ${s.end.message}`);
    if (s.mode === 'incremental') notes.push(`  incremental: ${s.plan ?? `records changed since ${s.since}`}`);
    if (s.withdrawn || s.purged) notes.push(`  withdrawn ${s.withdrawn ?? 0}, purged ${s.purged ?? 0} (deletions with a grace period)`);
    if (s.restored) notes.push(`  ${s.restored} record(s) removed by an earlier run came back: restored (not counted new)`);
    if (s.deletion) notes.push(`  removal: ${s.deletion}`);
    if (s.duplicates) notes.push(`  ${s.duplicates} record(s) shared an identifier with another record of the run: the last one was kept`);
    if (s.linked)
      notes.push(
        `  ${s.linked} record(s) are also harvested from another source: ${s.linked - (s.hidden ?? 0)} shown, ${s.hidden ?? 0} reachable from another source's copy`,
      );
    for (const n of (s.notices ?? []).filter((n) => n.level === 'warn').slice(0, 5)) notes.push(`  warning: ${n.message}`);
    const byStage = Object.entries(s.failuresByStage ?? {});
    if (byStage.length) notes.push(`  failures by stage: ${byStage.map(([k, v]) => `${k} ${v}`).join(', ')}`);
    for (const f of (s.failures ?? []).filter((f) => !f.skipped).slice(0, 5))
      notes.push(`  - ${failureName(f)} [${f.stage}] ${f.error.slice(0, 200)}`);
    if (s.failed > 5) notes.push(`  ... ${s.failed - 5} more`);
    if (s.reportFile) notes.push(`  full failure report: ${s.reportFile}`);
    if (s.localRecord) notes.push(`  recorded locally (the index could not take it): ${s.localRecord}`);
    if (s.quality && s.quality.records > 0)
      notes.push(`  FAIR of its records in the index when the run ended: ${formatQuality(s.quality)}`);
    const who = s.name && s.name !== s.source ? `${s.source} (${s.name})` : s.source;
    if (notes.length) out.push('', `${who}${opts.started ? `, run ${s.runId} started ${utc(s.startedAt)}` : ''}:`, ...notes);
  }
  return out.join('\n');
}

/** One run document by its id; undefined when the history has no such run. */
export async function getRun(client: Client, alias: string, runId: string): Promise<RunSummary | undefined> {
  const index = await runsReady(client, alias);
  if (!index) return undefined;
  try {
    const got = await client.get<RunSummary>({ index, id: runId });
    return got.found ? got._source : undefined;
  } catch (err) {
    if ((err as { meta?: { statusCode?: number } }).meta?.statusCode === 404) return undefined;
    throw err;
  }
}
