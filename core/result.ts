/**
 * Results and errors shared by every stage.
 *
 * A stage never throws across records: each record ends as a `RecordResult`, either
 * `{ ok: true, record }` or a `Failure` that keeps the raw input, the source and the identifier.
 * Only a `SourceError` (the source itself is unusable: unreachable, not a CSW, an exception report)
 * ends the harvest of one source, and it never removes anything already indexed.
 */

import type { SourceWarning } from './warnings.js';

/** Where in the pipeline something went wrong. */
export type Stage = 'fetch' | 'parse' | 'map' | 'validate' | 'score' | 'index';

/** Base of the small error hierarchy: `skip` decides whether the record counts as skipped or failed. */
export class HarvestError extends Error {
  readonly stage: Stage;
  /** true: the input is not a record we harvest (e.g. a deleted or non-metadata entry): counted as skipped, not failed. */
  readonly skip: boolean;
  constructor(stage: Stage, message: string, options: { skip?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.stage = stage;
    this.skip = options.skip ?? false;
  }
}

/** One record cannot be used; the rest of the harvest goes on. */
export class RecordError extends HarvestError {}

/** The record is not something we harvest (reported, counted as skipped). */
export class SkipRecord extends RecordError {
  constructor(stage: Stage, message: string) {
    super(stage, message, { skip: true });
  }
}

/** The whole source failed (unreachable, exception report, HTML page...). Nothing already indexed is removed. */
export class SourceError extends HarvestError {
  /** The URL and request that failed, for the operator. */
  readonly url?: string;
  readonly request?: string;
  constructor(stage: Stage, message: string, options: { url?: string; request?: string; cause?: unknown } = {}) {
    super(stage, message, { cause: options.cause });
    this.url = options.url;
    this.request = options.request;
  }
}

/** A record that could not go through, with everything needed to act on it. */
export interface Failure {
  ok: false;
  /** Source id (configured name of the source, or the file for `harvester map`). */
  source: string;
  /** Identifier of the record when known (file identifier, STAC id...). */
  id?: string;
  stage: Stage;
  error: string;
  /** true when the record was skipped on purpose rather than failed. */
  skipped?: boolean;
  /** Where the raw input came from (URL, file, page and position). */
  location?: string;
  /** The raw input (XML text or parsed JSON), kept so that nothing is lost. */
  raw?: unknown;
}

export interface Success<T> {
  ok: true;
  record: T;
  /** Things the operator should know that did not stop the record (e.g. a derived identifier). */
  warnings?: SourceWarning[];
}

export type RecordResult<T> = Success<T> | Failure;

/** Turns anything thrown while handling one record into a Failure. */
export function toFailure(err: unknown, ctx: { source: string; id?: string; stage: Stage; location?: string; raw?: unknown }): Failure {
  const he = err instanceof HarvestError ? err : undefined;
  const message = err instanceof Error ? err.message : String(err);
  return {
    ok: false,
    source: ctx.source,
    ...(ctx.id !== undefined ? { id: ctx.id } : {}),
    stage: he?.stage ?? ctx.stage,
    error: message,
    ...(he?.skip ? { skipped: true } : {}),
    ...(ctx.location !== undefined ? { location: ctx.location } : {}),
    ...(ctx.raw !== undefined ? { raw: ctx.raw } : {}),
  };
}

/**
 * A user's mistake: a bad option, argument, sources file or request parameter. Its message is one sentence that names
 * what to change; a command prints it and exits 2, the server answers 400. Never a stack trace.
 */
export class UsageError extends Error {
  /** The option, field or parameter at fault, when there is one (e.g. `--bbox`, `sources[2].options.pageSize`). */
  readonly param?: string;
  /** Every problem found, one line each, when there are several (e.g. every bad option of every source of a file). */
  readonly problems: readonly string[];
  constructor(message: string, param?: string, problems: readonly string[] = [message]) {
    super(message);
    this.name = 'UsageError';
    this.param = param;
    this.problems = problems;
  }
}
