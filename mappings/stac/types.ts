/** Types shared by the STAC crosswalk and the STAC harvesters. */
import type { HubRecord } from '../../schemas/record.js';
import type { StacEnrichment } from '../../core/stac.js';

export type { StacEnrichment, StacKind } from '../../core/stac.js';
import type { JsonObject } from '../../core/json.js';
import type { SourceWarning } from '../../core/warnings.js';

export interface StacContext {
  /** Source id (configured name). */
  source: string;
  /** ISO dateTime of the harvest run. */
  harvestedAt: string;
  /** Where the document came from (http(s) URL, file: URL or local path). */
  sourceUrl?: string;
  /** For an item: its collection's JSON (its id, and the licence and providers the item inherits). */
  collection?: JsonObject;
  /** For a collection: what its items say (see StacEnrichment). */
  enrichment?: StacEnrichment;
}

export interface StacMapped {
  record: HubRecord;
  warnings: SourceWarning[];
}
