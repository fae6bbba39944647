/** Types shared by the STAC crosswalk and the STAC harvesters. */
import type { HubRecord } from '../../schemas/record.js';
import type { Bbox, Interval } from './extent.js';
import type { JsonObject } from '../json.js';

/**
 * What the items of a collection add to it when they are harvested to enrich it (items: 'enrich') rather than as
 * records of their own: how many there are, the box around their boxes, the interval around their datetimes.
 */
export interface StacEnrichment {
  itemCount: number;
  /** [west, south, east, north] around every item bbox (absent when no item had one). */
  itemBbox?: Bbox;
  /** [first start, last end] of the items (null: an item had an open end or no datetime at all). */
  itemInterval?: Interval;
}

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
  warnings: string[];
}

export type StacKind = 'stac-collection' | 'stac-item';
