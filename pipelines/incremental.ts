/**
 * Incremental runs: what a run asks its source for, decided from the source's run history (the `<alias>-runs` index).
 *
 * - The watermark of a source is the start of its last successful run (status `ok` or `suspect`: every record it was
 *   given is indexed). A later run asks only for what changed since the watermark, less a safety margin
 *   (WATERMARK_MARGIN_MS: the source's clock and ours differ, and a record modified while the last run was reading
 *   the pages after it is caught again), where the source's protocol can say "changed since" (ASK below: CSW's
 *   Modified queryable, a STAC API's Filter extension on `updated`, resto's date parameter), or, for a source served
 *   as one document (OZCAR, a DCAT file), only if that document changed since the last successful run (the validators
 *   that run kept: a conditional GET, else the content hash). Such a run is `incremental`: its harvester says so in
 *   its RunEnd, and nothing is withdrawn after it (the records it did not see were not asked for). A harvester that
 *   read the whole source after all (the API cannot filter, the file changed) ends complete, and the run is recorded
 *   full, saying why (run-account.ts).
 * - A full run (every record asked for, deletions reconciled) when: asked (`harvester harvest --full`), the source has
 *   `incremental: false`, it has no successful run yet, its last successful run was `suspect` (the deletion guard held
 *   removals back: every run is full until one is not), its last complete full run is older than `fullEvery` (default
 *   7 days), or was made with another MAPPING_VERSION (the index was rebuilt), or its type has no "changed since"
 *   query (a static STAC catalogue: every run is full; unchanged records still cost neither a crosswalk nor a write,
 *   pipelines/unchanged.ts).
 * - A source that configures its "changed since" option itself (CSW `modifiedSince`, STAC API and resto
 *   `updatedSince`) keeps it: its runs are incremental from that date.
 */
import type { Client } from '@elastic/elasticsearch';
import { durationText, parseDuration } from '../core/duration.js';
import { MAPPING_VERSION } from '../mappings/es-index.js';
import type { Validator } from '../harvesters/types.js';
import { latestRuns, type RunMode, type RunSummary } from './runs.js';
import { RUN_DEFAULTS, type SourceConfig, type SourceType } from './sources.js';

/** Subtracted from the watermark: what a run asks for starts this long before the last successful run started. */
export const WATERMARK_MARGIN_MS = 3_600_000;

/** Runs of a source read to find its last successful and last full runs. */
const HISTORY = 50;

/**
 * How each source type's harvester asks for what changed (docs/incremental.md has the table with the fallbacks):
 * - `since`: records changed since a date-time, in the harvester option named (CSW `modifiedSince`: the Modified
 *   queryable; STAC API `updatedSince`: a CQL2 filter on `updated` where the API has the Filter extension; resto
 *   `updatedSince`: its OpenSearch update (resto 2) or publication (resto 6+) date);
 * - `conditional`: the source is one document served whole (an OZCAR pivot file, a DCAT file): asked for only if it
 *   changed since the last successful run (the validators that run kept: ETag, Last-Modified, content hash, a local
 *   file's modification time and size: harvesters/conditional.ts), in the harvester option `conditional`.
 * A type not listed (a static STAC catalogue) has no "changed since": every run is full.
 */
type Ask = { kind: 'since'; option: string } | { kind: 'conditional' };
const ASK: Partial<Record<SourceType, Ask>> = {
  csw: { kind: 'since', option: 'modifiedSince' },
  'stac-api': { kind: 'since', option: 'updatedSince' },
  resto: { kind: 'since', option: 'updatedSince' },
  ozcar: { kind: 'conditional' },
  dcat: { kind: 'conditional' },
};

export type { RunMode } from './runs.js';

/** What a run asks for, and why. */
export interface RunPlan {
  mode: RunMode;
  /** Why this mode (said in the run document and the log). */
  reason: string;
  /** Incremental: records changed at or after this date-time are asked for. */
  since?: string;
  /** The start of the source's last successful run, when it has one. */
  watermark?: string;
  /** Incremental, conditional: the last successful run's validators of the source's documents. */
  validators?: Validator[];
  /** Incremental, conditional: the records the source holds (indexed by the last successful run), counted unchanged when it has not changed. */
  records?: number;
}

/** Whether a run is successful for the watermark: it ended, and every record it was given is indexed. */
function successful(r: RunSummary): boolean {
  return r.status === 'ok' || r.status === 'suspect';
}

/** Whether a run saw the whole source (a full run that completed); runs recorded before modes existed included. */
function completeFull(r: RunSummary): boolean {
  return successful(r) && (r.mode ?? 'full') === 'full' && r.end?.complete === true;
}

/** The milliseconds of the source's `fullEvery`. */
export function fullEveryMs(source: SourceConfig): number {
  return parseDuration(source.fullEvery ?? RUN_DEFAULTS.fullEvery) ?? 0;
}

/** The milliseconds of the source's `deletionGrace`. */
export function deletionGraceMs(source: SourceConfig): number {
  return parseDuration(source.deletionGrace ?? RUN_DEFAULTS.deletionGrace) ?? 0;
}

/**
 * The plan of a run from the source's past runs (newest first): pure. `now` is the run's start; `full` forces a full
 * run.
 */
export function planFromHistory(source: SourceConfig, history: RunSummary[], opts: { now: Date; full?: boolean }): RunPlan {
  const ask = ASK[source.type];
  if (ask?.kind === 'since') {
    const configured = source.options?.[ask.option];
    if (typeof configured === 'string') return { mode: 'incremental', reason: `the source configures ${ask.option}`, since: configured };
  }
  const last = history.find(successful);
  const watermark = last ? { watermark: last.startedAt } : {};
  const full = (reason: string): RunPlan => ({ mode: 'full', reason, ...watermark });
  if (opts.full) return full('a full run was asked for');
  if (source.incremental === false) return full('the source is not incremental (incremental: false)');
  if (!ask) return full(`a ${source.type} source cannot be asked for what changed: every run is full`);
  if (!last) return full('the source has no successful run yet');
  // a suspect run saw far fewer records than the index holds (broken, or emptied on purpose): until a full run is not
  // suspect, every run is full, so that the status keeps saying so (an incremental run asking only for what changed
  // would end ok and hide it) and nothing changed meanwhile is missed by a watermark the suspect run moved
  if (last.status === 'suspect')
    return full(
      `the last successful run (${last.startedAt}) was suspect, its removals held back: a full run checks the whole source again`,
    );
  const lastFull = history.find(completeFull);
  if (!lastFull) return full('the source has no complete full run yet');
  const every = fullEveryMs(source);
  const age = opts.now.getTime() - Date.parse(lastFull.startedAt);
  if (!(age < every)) return full(`the last full run (${lastFull.startedAt}) is older than fullEvery (${durationText(every)})`);
  if (lastFull.mappingVersion !== MAPPING_VERSION)
    return full(`the last full run was made with mapping version ${lastFull.mappingVersion ?? '(unknown)'}, now ${MAPPING_VERSION}`);
  // a data centre that moved its catalogue (the operator changed the URL): "changed since" the old server's dates says
  // nothing of the new one (a migrated catalogue keeps its old date stamps), the records' links name the old host, and
  // what the new one no longer has would be missed until fullEvery: the new endpoint is read in whole once
  if (lastFull.url !== undefined && lastFull.url !== source.url)
    return full(`the source's URL changed since its last full run (${lastFull.url}, now ${source.url})`);
  if (ask.kind === 'conditional') {
    if (!last.validators?.length)
      return full(
        `the last successful run (${last.startedAt}) kept no validators of the source (ETag, Last-Modified, content hash): a paged catalogue is read in whole`,
      );
    return {
      mode: 'incremental',
      reason: `the source is read only if it changed since the last successful run (${last.startedAt}): conditional request, else content hash`,
      validators: last.validators,
      records: last.indexed,
      ...watermark,
    };
  }
  const since = new Date(Date.parse(last.startedAt) - WATERMARK_MARGIN_MS).toISOString();
  return {
    mode: 'incremental',
    reason: `records changed since the last successful run (${last.startedAt}, less ${durationText(WATERMARK_MARGIN_MS)})`,
    since,
    ...watermark,
  };
}

/** The plan of a run of `source`, read from its run history. */
export async function planRun(client: Client, alias: string, source: SourceConfig, opts: { now: Date; full?: boolean }): Promise<RunPlan> {
  const history = await latestRuns(client, alias, { source: source.id, size: HISTORY });
  return planFromHistory(source, history, opts);
}

/** The source as its harvester must read it for this plan: the "changed since" option set for an incremental run. */
export function sourceForPlan(source: SourceConfig, plan: RunPlan): SourceConfig {
  const ask = ASK[source.type];
  if (plan.mode !== 'incremental' || !ask) return source;
  if (ask.kind === 'conditional') {
    if (!plan.validators) return source;
    return { ...source, options: { ...(source.options ?? {}), conditional: { validators: plan.validators } } };
  }
  if (plan.since === undefined || source.options?.[ask.option] !== undefined) return source;
  return { ...source, options: { ...(source.options ?? {}), [ask.option]: plan.since } };
}
