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
 * How a harvest ended, as the harvester says it (the generator's return value): it saw the whole source, or it did
 * not, and why. Only after a complete run may the pipeline remove the records a source no longer has.
 */
export type RunEnd = { complete: true } | { complete: false; reason: IncompleteReason; message: string };

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
