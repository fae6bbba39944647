/**
 * What every harvester yields. A harvester only talks to a source and yields raw records as an
 * async iterable; it knows nothing of mapping or Elasticsearch.
 */
import type { Failure } from '../core/result.js';
import type { SourceFormat } from '../core/formats.js';

/** The source formats a crosswalk knows (declared with the one format detection, core/formats.ts). */
export type { SourceFormat } from '../core/formats.js';

/** One raw record as it came from the source. */
export interface RawRecord {
  /** Source id (configured name), used in the stable record id `source:identifier`. */
  source: string;
  /** Detected format, when the harvester knows it; the mapping stage detects it otherwise. */
  format?: SourceFormat;
  /**
   * The record's identifier when the harvester can tell it cheaply AND for certain: exactly what the crosswalk will read
   * (the same element, the same normalisation). A failure of this record before it is mapped is then tied to its
   * document in the index (its previous version is kept). When in doubt, leave it out and say what it looked like in
   * `idText`.
   */
  id?: string;
  /** What the identifier looked like when it could not be read for certain (reports only). */
  idText?: string;
  /** XML text of one record (a standalone document, namespaces declared), or parsed JSON. */
  body: string | Record<string, unknown>;
  /** Where it came from: URL or file, and page/position, for error reports. */
  location: string;
  /** The line of the file or page where an XML record starts, when not 1: its parse errors count lines from it. */
  line?: number;
  /** URL of this one record at the source (e.g. a CSW GetRecordById request), when it has one. */
  url?: string;
  /** Extra context a crosswalk needs (e.g. the OZCAR producer of a dataset, a STAC item's collection). */
  context?: Record<string, unknown>;
  /**
   * The content hash of this raw record, set by the harvest pipeline before mapping (pipelines/unchanged.ts) and stored
   * with its document, so that the next run can tell it unchanged without mapping it. Harvesters leave it out.
   */
  rawHash?: string;
}

/** Something a harvester says about the source that is not a record (chosen output schema, page anomalies...). */
export interface Notice {
  level: 'info' | 'warn';
  message: string;
  data?: Record<string, unknown>;
}

export type HarvestItem =
  | { kind: 'record'; raw: RawRecord }
  /** A record lost at the harvest stage (e.g. a STAC item link that 404s), reported, never silently dropped. */
  | { kind: 'failure'; failure: Failure }
  | { kind: 'notice'; notice: Notice };

/**
 * Why a harvest that ended normally did not see the whole source:
 * - `max-records`: a configured cap (CSW maxRecords, STAC maxItems or maxDocuments, maxDepth) was reached;
 * - `incremental`: only records modified since a date were asked for;
 * - `paging`: the server's paging ended early or looped (fewer records than it matched, a next link that repeats);
 * - `unreadable`: part of the source could not be read (records reported with their position, a catalogue branch
 *   lost) and what it holds is unknown.
 */
export type IncompleteReason = 'max-records' | 'incremental' | 'paging' | 'unreadable';

/**
 * What a source answered for one document it serves whole (an OZCAR pivot file, a DCAT file: harvesters/conditional.ts),
 * kept with the run so that the next run can ask "has it changed?": the HTTP validators (ETag, Last-Modified), the
 * content hash of the body, and for a local file its modification time and size.
 */
export interface Validator {
  /** The URL asked for, or the local file's path. */
  url: string;
  etag?: string;
  lastModified?: string;
  /** sha256 of the body (hex). */
  hash?: string;
  /** Local file: modification time (ISO) and size in bytes. */
  mtime?: string;
  size?: number;
}

/**
 * What the next run needs from this one and the pipeline keeps in the run document (docs/incremental.md):
 * - `validators`: what the source's documents answered (conditional requests of the next incremental run);
 * - `whole`: the run was asked for what changed since a date or since the last run, but read the whole source
 *   anyway, and why (the API cannot filter; the file had changed): the run is then a full one.
 */
interface EndNotes {
  validators?: Validator[];
}

/**
 * How a harvest ended, as the harvester says it (the generator's return value): it saw the whole source, or it did
 * not, and why. Only after a complete run may the pipeline remove the records a source no longer has. An incremental
 * run whose source said "nothing changed since the last run" (HTTP 304, the same content hash) has `notModified`.
 */
export type RunEnd =
  | ({ complete: true; whole?: string } & EndNotes)
  | ({ complete: false; reason: IncompleteReason; message: string; notModified?: boolean } & EndNotes);

/** The end of a harvest that saw the whole source. */
export const COMPLETE: RunEnd = Object.freeze({ complete: true });

/** The end of a harvest that did not see the whole source. */
export function incomplete(reason: IncompleteReason, message: string): RunEnd {
  return { complete: false, reason, message };
}

/**
 * The end of a paged listing from its paging decision: complete, or incomplete because a configured bound was
 * reached (a stop named `max-...`: max-records, max-pages, max-products) or because the paging broke off.
 */
export function pagingEnd(d: { stop: string; complete: boolean; notice?: Notice }): RunEnd {
  if (d.complete) return COMPLETE;
  return incomplete(d.stop.startsWith('max-') ? 'max-records' : 'paging', d.notice?.message ?? `paging stopped: ${d.stop}`);
}

/**
 * A harvester: an async generator of items that returns how the run ended (RunEnd). It throws a SourceError when the
 * source as a whole fails; the pipeline then keeps everything already indexed for that source.
 */
export type Harvester = AsyncGenerator<HarvestItem, RunEnd, undefined>;

/** The end of an incremental harvest whose source has not changed since the last run (nothing read). */
export function notModifiedEnd(message: string, validators: Validator[]): RunEnd {
  return { complete: false, reason: 'incremental', message, notModified: true, validators };
}
