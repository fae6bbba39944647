/**
 * The pipeline of one source, top to bottom: harvest -> map -> validate -> index -> (only after a complete run) remove
 * what the source no longer has. A source that fails part way removes nothing; a record that fails is reported with
 * its source, identifier and stage (and its raw input in the failure report) and the rest goes on.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@elastic/elasticsearch';
import type { Notice } from '../harvesters/types.js';
import type { Logger } from './log.js';
import { MapPool } from './map-pool.js';
import { BulkIndexer } from './indexer.js';
import { countStale, deleteStale, ensureIndex, type SeenTest } from './index-admin.js';
import { SeenIds } from '../core/seen-ids.js';
import { HarvestError, type Failure } from '../core/result.js';
import { harvesterFor, type SourceConfig } from './sources.js';
import { FailureReport } from './failure-report.js';
import { hubId } from '../schemas/record.js';
import type { IndexSettingsOptions } from '../mappings/es-index.js';

export interface HarvestOptions {
  client: Client;
  /** Alias of the records index. */
  alias: string;
  /** Shards and replicas of the records index when this run creates it (replicas also applied to an existing one). */
  index?: IndexSettingsOptions;
  log: Logger;
  /** Folder for per-run failure reports (NDJSON with the raw input). Default: none (failures only logged and counted). */
  reportDir?: string;
  /**
   * Largest share of a source's indexed records that one run may remove as no longer present. Default 0.5: a source
   * that suddenly returns half its catalogue is more likely broken than emptied; the operator forces it with 1.
   */
  maxDeleteRatio?: number;
  /** Refresh the index when the run ends so that searches see it at once. Default: true. */
  refresh?: boolean;
  /** Bulk batch size. Default 500. */
  batchSize?: number;
  /** Threads that map records (0: in this thread). Default: one per core, at most 4 ($HUB_MAP_WORKERS overrides). */
  mapWorkers?: number;
}

export type RunStatus = 'ok' | 'partial' | 'failed';

export interface RunSummary {
  runId: string;
  source: string;
  name: string;
  type: string;
  url: string;
  status: RunStatus;
  startedAt: string;
  endedAt: string;
  ms: number;
  /** Records the harvester yielded (plus failures it reported itself). */
  seen: number;
  mapped: number;
  indexed: number;
  new: number;
  updated: number;
  unchanged: number;
  /** Records that came twice with the same identifier in one run: the last one is kept. */
  duplicates: number;
  deleted: number;
  failed: number;
  skipped: number;
  warnings: number;
  failuresByStage: Record<string, number>;
  /** First failures, for the summary; the report file has all of them. */
  failures: Omit<Failure, 'raw'>[];
  notices: Notice[];
  /** Why the source stopped early, when it did. */
  error?: string;
  /** Why stale records were not removed, when they were not. */
  deletion?: string;
  reportFile?: string;
}

const MAX_FAILURES_IN_SUMMARY = 50;

export async function harvestSource(source: SourceConfig, opts: HarvestOptions): Promise<RunSummary> {
  const { client, alias, log } = opts;
  const runId = randomUUID();
  const startedAt = new Date();
  const harvestedAt = startedAt.toISOString();
  const s: RunSummary = {
    runId,
    source: source.id,
    name: source.name ?? source.id,
    type: source.type,
    url: source.url,
    status: 'ok',
    startedAt: harvestedAt,
    endedAt: harvestedAt,
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
  const report = opts.reportDir ? new FailureReport(opts.reportDir, runId, source.id) : undefined;
  /**
   * Index ids of every record this run saw, indexed or failed (a failed record keeps its previous version), in constant
   * memory: after a complete run, the source's documents not in it are stale. Never false for a record seen; a rare
   * false "seen" keeps a stale record one more run (harvesters/seen-ids.ts).
   */
  const seen = new SeenIds(undefined, undefined, runId);
  /** Why this run did not see the whole source (then nothing is removed as stale). */
  let incomplete: string | undefined;
  const fail = (f: Failure): void => {
    if (f.skipped) s.skipped++;
    else s.failed++;
    s.failuresByStage[f.stage] = (s.failuresByStage[f.stage] ?? 0) + 1;
    const { raw: _raw, ...brief } = f;
    if (s.failures.length < MAX_FAILURES_IN_SUMMARY) s.failures.push(brief);
    // the indexer names a rejected document by its index id (already `source:identifier`), the other stages by the source's id
    if (f.id) seen.add(f.stage === 'index' && f.id.startsWith(`${source.id}:`) ? f.id : hubId(source.id, f.id));
    report?.add(f);
    if (!f.skipped) log.warn(`${f.source}: record ${f.id ?? '(no id)'} failed at ${f.stage}: ${f.error}`, { location: f.location });
  };

  await ensureIndex(client, alias, opts.index);
  const indexer = new BulkIndexer({ client, index: alias, runId, batchSize: opts.batchSize, onFailure: fail });
  const pool = new MapPool({ harvestedAt, run: indexer.run }, opts.mapWorkers);
  log.info(`harvesting ${s.name} (${source.type} ${source.url})`, { source: source.id, runId });
  const progress = log.progress(s.name);
  let total: number | undefined;
  let completed = false;
  try {
    for await (const m of pool.mapStream(harvesterFor(source))) {
      if (m.kind === 'item' && m.item.kind === 'notice') {
        const notice = m.item.notice;
        s.notices.push(notice);
        if (notice.data?.truncated === true) incomplete ??= notice.message;
        if (typeof notice.data?.matched === 'number') total = notice.data.matched;
        log.log(notice.level, `${s.name}: ${notice.message}`, { source: source.id, ...notice.data });
        continue;
      }
      s.seen++;
      if (m.kind === 'item' && m.item.kind === 'failure') {
        // a failure the harvester reported itself
        const f = m.item.failure;
        fail(f);
        // a document lost before we know which records it holds (a catalogue link that 404s): what is under it is unknown
        if (!f.id) incomplete ??= `a document could not be read (${f.location ?? f.error})`;
      } else if (m.kind === 'failure') fail(m.failure);
      else if (m.kind === 'doc') {
        s.mapped++;
        s.warnings += m.warnings;
        seen.add(m.doc.id);
        await indexer.addPrepared(m.doc);
      }
      if (s.seen % 100 === 0) progress.update(s.seen, { indexed: s.mapped, failed: s.failed }, total);
    }
    completed = true;
  } catch (err) {
    s.status = 'failed';
    s.error = err instanceof Error ? err.message : String(err);
    if (!(err instanceof HarvestError)) s.error = `unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`;
    log.error(`${s.name}: source failed, nothing already indexed is removed: ${s.error}`, { source: source.id });
  } finally {
    progress.stop();
    await pool.close();
  }
  const stats = await indexer.close();
  Object.assign(s, {
    indexed: stats.indexed,
    new: stats.new,
    updated: stats.updated,
    unchanged: stats.unchanged,
    duplicates: stats.duplicates,
  });
  if (stats.duplicates > 0)
    log.warn(`${s.name}: ${stats.duplicates} record(s) came again with an identifier already seen in this run; the last one was kept`, {
      source: source.id,
    });
  if (opts.refresh !== false) await client.indices.refresh({ index: alias });

  if (!completed) s.deletion = 'source did not complete: nothing removed';
  else if (incomplete) s.deletion = `the run did not see the whole source (${incomplete}): nothing removed`;
  else s.deletion = await removeStale(source, s, opts, seen);
  if (completed && (s.failed > 0 || incomplete)) s.status = 'partial';
  const ended = new Date();
  s.endedAt = ended.toISOString();
  s.ms = ended.getTime() - startedAt.getTime();
  if (report) s.reportFile = await report.close();
  return s;
}

/** Removes records the source no longer has (indexed, not seen by this complete run), unless that would remove more than maxDeleteRatio of them. */
async function removeStale(source: SourceConfig, s: RunSummary, opts: HarvestOptions, seen: SeenIds): Promise<string | undefined> {
  const { client, alias, log } = opts;
  const ratio = opts.maxDeleteRatio ?? 0.5;
  // The common case at no cost: every record of the run was indexed (so the index holds all the ids the run saw) and
  // the source has exactly as many documents as distinct ids seen: then they are the same, nothing is stale. (A false
  // "seen" makes seen.size smaller than the ids indexed, so the counts cannot match by accident: the scan decides.)
  if (s.failed === 0 && s.skipped === 0) {
    const { count } = await client.count({ index: alias, query: { term: { source: source.id } } });
    if (count === seen.size) return undefined;
  }
  const wasSeen: SeenTest = (id) => seen.has(id);
  const { total, stale } = await countStale(client, alias, source.id, wasSeen);
  if (stale === 0) return undefined;
  if (stale > total * ratio) {
    const why = `${stale} of ${total} records are no longer in the source: more than ${Math.round(ratio * 100)}%, kept (run with --max-delete-ratio 1 to remove them)`;
    log.warn(`${s.name}: ${why}`, { source: source.id });
    return why;
  }
  s.deleted = await deleteStale(client, alias, source.id, wasSeen, { refresh: opts.refresh !== false });
  return undefined;
}
