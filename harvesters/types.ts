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
  /** Identifier when the harvester can tell it cheaply (used in error reports before mapping). */
  id?: string;
  /** XML text of one record (a standalone document, namespaces declared), or parsed JSON. */
  body: string | Record<string, unknown>;
  /** Where it came from: URL or file, and page/position, for error reports. */
  location: string;
  /** URL of this one record at the source (e.g. a CSW GetRecordById request), when it has one. */
  url?: string;
  /** Extra context a crosswalk needs (e.g. the OZCAR producer of a dataset, a STAC item's collection). */
  context?: Record<string, unknown>;
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
 * A harvester: an async generator of items. It throws a SourceError when the source as a whole fails;
 * the pipeline then keeps everything already indexed for that source.
 */
export type Harvester = AsyncGenerator<HarvestItem, void, undefined>;
