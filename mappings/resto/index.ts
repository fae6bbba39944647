/**
 * resto / OpenSearch-EO -> HubRecord crosswalk: `restoToRecord(body, format, ctx)`. Pure.
 *
 * resto 2 collections (collection.ts) and products (product.ts), and OpenSearch Atom entries (atom.ts). What resto 6
 * and later answer is STAC (collections and items with stac_version): the harvester labels it so, and the STAC
 * crosswalk (mappings/stac/) maps it.
 */
import { isObject } from '../../core/json.js';
import type { SourceWarning } from '../../core/warnings.js';
import { RecordError } from '../../core/result.js';
import type { XElement } from '../../core/xml.js';
import type { HubRecord } from '../../schemas/record.js';
import { atomEntryToRecord } from './atom.js';
import { restoCollectionToRecord } from './collection.js';
import type { RestoContext } from './common.js';
import { restoProductToRecord } from './product.js';

export type { RestoContext } from './common.js';

export function restoToRecord(
  body: unknown,
  format: 'resto-collection' | 'resto-product' | 'opensearch-entry',
  ctx: RestoContext,
): { record: HubRecord; warnings: SourceWarning[] } {
  if (typeof ctx.source !== 'string' || ctx.source === '') throw new RecordError('map', 'context: source is required');
  if (!isObject(body)) throw new RecordError('map', `a ${format} must be a JSON object (an Atom entry: its XML tree)`);
  switch (format) {
    case 'resto-collection':
      return restoCollectionToRecord(body, ctx);
    case 'resto-product':
      return restoProductToRecord(body, ctx);
    case 'opensearch-entry':
      return atomEntryToRecord(body as XElement, ctx);
  }
}
