/**
 * STAC → HubRecord crosswalk: `stacToRecord(json, ctx)`.
 *
 * STAC 1.0 and 1.1, and the older fields still found (0.x `eo:gsd`, `eo:platform`, `eo:instrument`, collection-level
 * `properties`, collections without `type`, licence "proprietary" / "various", 0.6 extents). A Collection or an Item is
 * a dcat:Dataset; a Catalog is not a dataset (SkipRecord); anything else is a RecordError.
 */
import { RecordError, SkipRecord } from '../../core/result.js';
import { collectionToRecord } from './collection.js';
import { itemToRecord } from './item.js';
import { isObject } from '../../core/json.js';
import { stacKind } from '../../core/stac.js';
import type { StacContext, StacMapped } from './types.js';

export type { StacContext, StacEnrichment, StacMapped, StacKind } from './types.js';
export { stacKind } from '../../core/stac.js';
export { stacSpecIri } from './catalog-record.js';
export { contentHash, canonicalJson } from '../../core/json.js';

/** Maps a STAC Collection or Item to a record. Pure; throws RecordError, or SkipRecord for a Catalog. */
export function stacToRecord(json: unknown, ctx: StacContext): StacMapped {
  if (!isObject(json)) throw new RecordError('map', 'a STAC document must be a JSON object');
  if (typeof ctx.source !== 'string' || ctx.source === '') throw new RecordError('map', 'context: source is required');
  if (ctx.collection !== undefined && !isObject(ctx.collection))
    throw new RecordError('map', 'context: collection must be a STAC collection object');
  if (ctx.enrichment !== undefined && !isObject(ctx.enrichment)) throw new RecordError('map', 'context: enrichment must be an object');
  switch (stacKind(json)) {
    case 'stac-collection':
      return collectionToRecord(json, ctx);
    case 'stac-item':
      return itemToRecord(json, ctx);
    case 'stac-catalog':
      throw new SkipRecord('map', 'a STAC Catalog is not a dataset: its collections and items are the records');
    default:
      throw new RecordError('map', `type ${JSON.stringify(json.type)}: not a STAC Collection, Item or Catalog`);
  }
}
