/**
 * The accounting of one run, in one place: every count of the run document, the ids the run saw (for stale removal),
 * the failures (counted by stage, the first ones kept, all of them in the failure report), the notices, and what makes
 * the run incomplete for deletion purposes. pipelines/harvest.ts feeds it from each stage; nothing else counts.
 *
 * A run is complete for deletion purposes only when the harvester says it saw the whole source (RunEnd) AND every
 * failure is tied to a document id for certain (`Failure.indexId`: that document keeps its previous version) AND the
 * harvester's identifiers agree with the crosswalk's. A failure that could be any record (no certain identifier: an
 * undeclared entity in it, a record cut short, a catalogue branch that could not be read) would otherwise let stale
 * removal take its previous version for gone.
 */
import { randomUUID } from 'node:crypto';
import type { Failure } from '../core/result.js';
import { SeenIds } from '../core/seen-ids.js';
import type { Notice, RunEnd } from '../harvesters/types.js';
import { hubId } from '../schemas/record.js';
import { FailureReport } from './failure-report.js';
import type { IndexStats } from './indexer.js';
import type { Logger } from './log.js';
import type { Pending } from '../mappings/index-doc.js';
import { emptyRunSummary, failureName, MAX_NOTICES, STEPS, type RunStatus, type RunStep, type RunSummary } from './runs.js';
import type { SourceConfig } from './sources.js';
import type { RunPlan } from './incremental.js';
import { MAPPING_VERSION } from '../mappings/es-index.js';

const MAX_FAILURES_IN_SUMMARY = 50;

export class RunAccount {
  readonly summary: RunSummary;
  readonly startedAt: Date;
  /**
   * Index ids of every record this run saw, indexed or failed (a failed record keeps its previous version), in constant
   * memory: after a complete run, the source's documents not in it are stale. Never false for a record seen; a rare
   * false "seen" keeps a stale record one more run (core/seen-ids.ts).
   */
  readonly seen: SeenIds;
  /** Failures (not skips) that could not be tied to a document id. */
  private untied = 0;
  private firstUntied?: Failure;
  /** Records whose identifier the harvester gave differently from the crosswalk's. */
  private mismatches = 0;
  private firstMismatch?: { given: string; read: string };
  /** Kinds of records skipped, each logged once per run. */
  private readonly skipKinds = new Set<string>();
  private readonly report?: FailureReport;
  /** The step that failed, when one did (the first one). */
  private failedStep?: { step: RunStep; error: string };
  private interruptedBy?: string;
  /** Why the deletion guard held removals back, when it did. */
  private held?: string;
  /** Records skipped before mapping because their raw record is the one indexed (pipelines/unchanged.ts). */
  private skippedUnchanged = 0;
  /** The records the source holds by the plan (a conditional incremental run): unchanged when it has not changed. */
  private plannedRecords?: number;

  constructor(
    readonly source: SourceConfig,
    private readonly log: Logger,
    reportDir?: string,
    runId: string = randomUUID(),
  ) {
    this.startedAt = new Date();
    const at = this.startedAt.toISOString();
    this.summary = {
      ...emptyRunSummary(source, runId, 'running', at),
      withdrawn: 0,
      restored: 0,
      purged: 0,
      mappingVersion: MAPPING_VERSION,
    };
    this.seen = new SeenIds(undefined, undefined, runId);
    this.report = reportDir ? new FailureReport(reportDir, runId, source.id) : undefined;
  }

  get runId(): string {
    return this.summary.runId;
  }

  /** A notice of the harvester: kept (the first MAX_NOTICES) and logged. */
  notice(n: Notice): void {
    const s = this.summary;
    if (s.notices.length < MAX_NOTICES) s.notices.push(n);
    else s.noticesOmitted = (s.noticesOmitted ?? 0) + 1;
    this.log.log(n.level, `${s.name}: ${n.message}`, { source: s.source, ...n.data });
  }

  /** What the run asks its source for (pipelines/incremental.ts). */
  planned(plan: RunPlan): void {
    const s = this.summary;
    s.mode = plan.mode;
    s.plan = plan.reason;
    if (plan.since !== undefined) s.since = plan.since;
    if (plan.watermark !== undefined) s.watermark = plan.watermark;
    this.plannedRecords = plan.records;
  }

  /** A record the harvester yielded that is indexed as it is (same raw record, same mapping version): not mapped. */
  unchanged(indexId: string): void {
    const s = this.summary;
    s.seen++;
    s.unchanged++;
    s.indexed++;
    this.skippedUnchanged++;
    this.seen.add(indexId);
  }

  /** A record the harvester yielded, mapped into a document for the indexer. */
  document(doc: Pending, warnings: number, idMismatch?: string): void {
    const s = this.summary;
    s.seen++;
    s.mapped++;
    s.warnings += warnings;
    this.seen.add(doc.id);
    if (idMismatch !== undefined) {
      this.mismatches++;
      const read = doc.id.slice(s.source.length + 1);
      if (!this.firstMismatch) {
        this.firstMismatch = { given: idMismatch, read };
        this.log.warn(
          `${s.name}: the harvester read the identifier "${idMismatch}" where the crosswalk reads "${read}" (${doc.location ?? ''}): this run removes nothing`,
          { source: s.source },
        );
      }
    }
  }

  /**
   * A record that failed or was skipped, reported by the harvester itself (which gives at most the record's identifier
   * at the source), by the mapping or by the indexer (a record already counted as seen). Counted, tied to its document
   * when it can be, reported, logged (a skip once per kind).
   */
  failure(f: Failure, origin: 'harvester' | 'mapping' | 'index'): void {
    const s = this.summary;
    if (origin !== 'index') s.seen++;
    const tied: Failure =
      f.indexId === undefined && origin === 'harvester' && f.id !== undefined ? { ...f, indexId: hubId(s.source, f.id) } : f;
    if (tied.skipped) s.skipped++;
    else s.failed++;
    s.failuresByStage[tied.stage] = (s.failuresByStage[tied.stage] ?? 0) + 1;
    const { raw: _raw, ...brief } = tied;
    if (s.failures.length < MAX_FAILURES_IN_SUMMARY) s.failures.push(brief);
    if (tied.indexId !== undefined) this.seen.add(tied.indexId);
    else if (!tied.skipped) {
      this.untied++;
      this.firstUntied ??= brief;
    }
    this.report?.add(tied);
    if (!tied.skipped) {
      const who = failureName(tied);
      this.log.warn(`${tied.source}: record ${who} failed at ${tied.stage}: ${tied.error}`, { location: tied.location });
    } else if (!this.skipKinds.has(tied.error)) {
      // once per kind per run: a source full of records we do not harvest says so once, the count is in the summary
      this.skipKinds.add(tied.error);
      this.log.warn(
        `${s.name}: skipped, not a record this harvester indexes: ${tied.error} (first at ${tied.location ?? '?'}; said once per kind, the summary counts them)`,
        {
          source: s.source,
        },
      );
    }
  }

  /** The indexer's counts (its failures came through failure()). */
  indexed(stats: IndexStats): void {
    const s = this.summary;
    Object.assign(s, {
      indexed: stats.indexed + this.skippedUnchanged,
      new: stats.new,
      updated: stats.updated,
      unchanged: stats.unchanged + this.skippedUnchanged,
      duplicates: stats.duplicates,
    });
    if (stats.duplicates > 0) {
      this.log.warn(
        `${s.name}: ${stats.duplicates} record(s) came again with an identifier already seen in this run; the last one was kept`,
        {
          source: s.source,
        },
      );
    }
  }

  /**
   * How the harvester said its run ended. Its validators are kept for the next run; an incremental run whose harvester
   * read the whole source anyway (the API cannot filter, the file changed) is a full one, and says why; a source that
   * has not changed since the last run counts the records it holds (the plan's) as seen and unchanged.
   */
  ended(end: RunEnd): void {
    const s = this.summary;
    const { validators, ...rest } = end;
    s.end = rest;
    if (validators) s.validators = validators;
    if (s.mode === 'incremental' && end.complete) {
      s.mode = 'full';
      s.plan = `${s.plan ?? 'incremental'}; but the whole source was read: ${end.whole ?? 'the harvester asked for every record'}`;
      delete s.since;
    }
    if (!end.complete && end.notModified) {
      const records = this.plannedRecords ?? 0;
      s.seen += records;
      this.skippedUnchanged += records;
    }
  }

  /** A step failed: the run's status is failed (unless interrupted), the step named with the error. */
  stepFailed(step: RunStep, err: unknown, message?: string): void {
    const error = message ?? (err instanceof Error ? err.message : String(err));
    this.failedStep ??= { step, error };
    this.log.error(`${this.summary.name}: step "${STEPS[step]}" failed: ${error}`, { source: this.summary.source, step });
  }

  /** The run was stopped from outside (a stop after its grace, its time budget, its lock taken over). */
  interrupted(why: string): void {
    this.interruptedBy ??= why;
  }

  get isInterrupted(): boolean {
    return this.interruptedBy !== undefined;
  }

  /** Whether a step failed. */
  get hasFailed(): boolean {
    return this.failedStep !== undefined;
  }

  /** The deletion guard held removals back. */
  holdRemovals(why: string): void {
    this.held = why;
  }

  /**
   * Why this run must not remove anything as stale, or undefined when it may: the harvester did not see the whole
   * source, a failure could be any record, or the harvester's identifiers disagree with the crosswalk's.
   */
  incompleteReason(opts: { incrementalIsComplete?: boolean } = {}): string | undefined {
    const end = this.summary.end;
    // (for the status: an incremental run that saw all it asked for is `ok`; it still removes nothing)
    if (end && !end.complete && !(opts.incrementalIsComplete && end.reason === 'incremental'))
      return `the run did not see the whole source (${end.reason}: ${end.message})`;
    if (this.untied > 0) {
      const f = this.firstUntied!;
      return `${this.untied} failed record(s) could not be tied to an indexed record for certain (e.g. ${f.idText !== undefined ? `"${f.idText}"` : 'one without identifier'} at ${f.location ?? '?'}: ${f.error.slice(0, 120)})`;
    }
    if (this.mismatches > 0) {
      const m = this.firstMismatch!;
      return `the harvester's identifiers disagree with the crosswalk's for ${this.mismatches} record(s) (e.g. "${m.given}" read as "${m.read}")`;
    }
    return undefined;
  }

  /** Progress counts for the progress display. */
  progress(): { indexed: number; failed: number } {
    return { indexed: this.summary.mapped + this.skippedUnchanged, failed: this.summary.failed };
  }

  /**
   * The run document as it stands now: at its heartbeats with `countedAt`; without it when the run starts (`start`), so
   * that a run that dies before its first heartbeat is known to have no counts (runs.ts deadRun).
   */
  snapshot(opts: { start?: boolean } = {}): RunSummary {
    const now = new Date();
    const at = now.toISOString();
    return { ...this.summary, heartbeatAt: at, ...(opts.start ? {} : { countedAt: at }), ms: now.getTime() - this.startedAt.getTime() };
  }

  /** Ends the run: its status from what happened, its times, its failure report closed. */
  async finish(): Promise<RunSummary> {
    const s = this.summary;
    if (this.report) s.reportFile = await this.report.close().catch(() => undefined);
    const status: RunStatus = this.interruptedBy
      ? 'interrupted'
      : this.failedStep
        ? 'failed'
        : this.held
          ? 'suspect'
          : s.failed > 0 || this.incompleteReason({ incrementalIsComplete: true })
            ? 'partial'
            : 'ok';
    s.status = status;
    if (this.interruptedBy) s.error = this.interruptedBy + (this.failedStep ? `; then ${this.failedStep.error}` : '');
    else if (this.failedStep) s.error = this.failedStep.error;
    if (this.failedStep) s.step = this.failedStep.step;
    else if (this.interruptedBy) s.step = 'harvest';
    const ended = new Date();
    s.endedAt = ended.toISOString();
    s.heartbeatAt = s.endedAt;
    s.countedAt = s.endedAt;
    s.ms = ended.getTime() - this.startedAt.getTime();
    return s;
  }
}
