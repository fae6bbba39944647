/**
 * The hub's figures for Prometheus (GET /metrics, text exposition format 0.0.4, written by prom-client), read from the
 * same place as GET /status when scraped: each source's last run (status as a state set, times, duration, counts),
 * when its last `ok` run ended (what an alert on a stale source watches), its next scheduled run, what the service is
 * doing with it, its records in the index and their FAIR points; the service's runs under way and waiting; whether
 * Elasticsearch answered the scrape; and the process itself (memory, CPU, event loop lag, garbage collection:
 * prom-client's default metrics, prefixed `hub_`).
 *
 * Alert rules an operator may write (docs/service.md has them): a source whose last run failed
 * `hub_source_last_run_status{status="failed"} == 1`; no `ok` run for two days
 * `time() - hub_source_last_ok_timestamp_seconds > 2 * 86400`; the index not answering `hub_index_up == 0`.
 */
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { RunStatus } from './runs.js';
import type { SourceStatus } from './status.js';

/** What one scrape says: read from the index and the service (api/routes/metrics.ts). */
export interface MetricsSnapshot {
  /** Whether Elasticsearch answered the reads of this scrape (without it: the sources as the service knows them). */
  indexUp: boolean;
  sources: SourceStatus[];
  /** When each source's last `ok` run ended (ISO 8601), by source id. */
  lastOk: Map<string, string>;
  /** The service's figures; undefined when the server runs no harvests. */
  service?: { running: number; queued: number; maxRuns: number; scheduling: boolean; stopping: boolean };
}

/** The statuses a last run may have (`refused` is never recorded, `skipped` slots are not last runs). */
export const LAST_RUN_STATUSES: RunStatus[] = ['running', 'ok', 'partial', 'suspect', 'failed', 'interrupted', 'aborted'];
const COUNTS = ['seen', 'new', 'restored', 'updated', 'unchanged', 'deleted', 'failed'] as const;

const seconds = (iso: string | undefined): number | undefined => {
  const t = iso ? Date.parse(iso) : NaN;
  return Number.isNaN(t) ? undefined : t / 1000;
};

/** The registry of one server: its gauges set from each scrape's snapshot, and the process's own metrics. */
export class HubMetrics {
  readonly registry = new Registry();
  private readonly gauges;

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'hub_' });
    const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
      new Gauge<L>({ name, help, labelNames, registers: [this.registry] });
    const bySource = ['source'] as const;
    this.gauges = {
      indexUp: gauge('hub_index_up', 'Whether Elasticsearch answered this scrape (1) or not (0)', []),
      info: gauge('hub_source_info', 'A source of the sources file or of the run history (1), its name, type and schedule', [
        'source',
        'name',
        'type',
        'schedule',
      ]),
      enabled: gauge('hub_source_enabled', 'Whether the source is in the sources file and enabled (1) or not (0)', bySource),
      status: gauge('hub_source_last_run_status', "The status of the source's last run: 1 for its status, 0 for the others", [
        'source',
        'status',
      ]),
      started: gauge('hub_source_last_run_start_timestamp_seconds', "When the source's last run started (Unix time)", bySource),
      ended: gauge('hub_source_last_run_end_timestamp_seconds', "When the source's last run ended (Unix time), once it has", bySource),
      duration: gauge('hub_source_last_run_duration_seconds', "How long the source's last run took (so far, while it runs)", bySource),
      counts: gauge('hub_source_last_run_records', "Records of the source's last run, by what became of them", ['source', 'outcome']),
      lastOk: gauge('hub_source_last_ok_timestamp_seconds', "When the source's last run with status ok ended (Unix time)", bySource),
      nextRun: gauge('hub_source_next_run_timestamp_seconds', "The source's next scheduled run (Unix time)", bySource),
      live: gauge('hub_source_run_state', 'What the service is doing with the source: 1 for its run queued or running', [
        'source',
        'state',
      ]),
      records: gauge('hub_source_records', 'Records of the source in the index', bySource),
      mqa: gauge('hub_source_fair_mqa_points', "Average MQA points (0 to 405) of the source's records in the index", bySource),
      running: gauge('hub_runs_running', 'Runs under way in this service', []),
      queued: gauge('hub_runs_queued', 'Runs waiting for a slot in this service', []),
      maxRuns: gauge('hub_runs_max', 'Runs this service makes at once', []),
      scheduling: gauge('hub_service_scheduling', "Whether this service's schedules start runs (1) or not (0)", []),
    };
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The exposition text of a snapshot: every gauge of the sources set afresh (a source gone leaves no series). */
  async text(s: MetricsSnapshot): Promise<string> {
    const g = this.gauges;
    for (const x of Object.values(g)) x.reset();
    g.indexUp.set(s.indexUp ? 1 : 0);
    for (const r of s.sources) {
      const source = r.source;
      g.info.set({ source, name: r.name ?? source, type: r.type ?? '', schedule: r.schedule ?? '' }, 1);
      g.enabled.set({ source }, r.configured && r.enabled ? 1 : 0);
      const last = r.lastRun;
      if (last) {
        for (const status of LAST_RUN_STATUSES) g.status.set({ source, status }, last.status === status ? 1 : 0);
        const started = seconds(last.startedAt);
        const ended = seconds(last.endedAt);
        if (started !== undefined) g.started.set({ source }, started);
        if (ended !== undefined) g.ended.set({ source }, ended);
        g.duration.set({ source }, last.ms / 1000);
        // (a run that died before recording any count has none: no sample rather than a false 0)
        if (!last.countsUnknown) for (const outcome of COUNTS) g.counts.set({ source, outcome }, last[outcome] ?? 0);
      }
      const ok = seconds(s.lastOk.get(source));
      if (ok !== undefined) g.lastOk.set({ source }, ok);
      const next = seconds(r.nextRun);
      if (next !== undefined) g.nextRun.set({ source }, next);
      for (const state of ['queued', 'running'] as const) g.live.set({ source, state }, r.live?.state === state ? 1 : 0);
      if (r.quality) {
        g.records.set({ source }, r.quality.records);
        if (r.quality.mqa !== null) g.mqa.set({ source }, r.quality.mqa);
      }
    }
    if (s.service) {
      g.running.set(s.service.running);
      g.queued.set(s.service.queued);
      g.maxRuns.set(s.service.maxRuns);
      g.scheduling.set(s.service.scheduling ? 1 : 0);
    }
    return this.registry.metrics();
  }
}
