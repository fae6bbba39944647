/**
 * STAC facts shared by the STAC harvesters and the STAC crosswalk: what kind of document a JSON value is, the
 * identifier of an item's record, the box of a GeoJSON geometry, and what items add to their collection. Pure.
 */
import { arr, obj, str, type JsonObject } from './json.js';
import { coded, type SourceWarning } from './warnings.js';

/** A 2D bounding box [west, south, east, north] in CRS84 (a 3D STAC bbox loses its heights). */
export type Bbox = [number, number, number, number];

/** An interval as ISO datetime strings; null is an open end. */
export type Interval = [string | null, string | null];

/**
 * The bounding box of a GeoJSON geometry (min/max of its positions; a geometry across the antimeridian gets a box
 * spanning the longitudes in between). undefined for a geometry without positions.
 */
export function geometryBbox(geometry: unknown): Bbox | undefined {
  let w = Infinity;
  let s = Infinity;
  let e = -Infinity;
  let n = -Infinity;
  const visit = (c: unknown): void => {
    if (!Array.isArray(c)) return;
    if (c.length >= 2 && typeof c[0] === 'number' && typeof c[1] === 'number') {
      w = Math.min(w, c[0]);
      e = Math.max(e, c[0]);
      s = Math.min(s, c[1]);
      n = Math.max(n, c[1]);
      return;
    }
    for (const x of c) visit(x);
  };
  const g = obj(geometry);
  if (!g) return undefined;
  if (g.type === 'GeometryCollection') for (const x of arr(g.geometries)) visit(obj(x)?.coordinates);
  else visit(g.coordinates);
  return Number.isFinite(w) ? [w, s, e, n] : undefined;
}

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

export type StacKind = 'stac-collection' | 'stac-item';

/** The kind of a STAC document: one detection for every layer, in core/formats.ts. */
export { stacKind } from './formats.js';

/**
 * The identifier of an item's record: `${collectionId}/${itemId}`, the collection being the one the item was found in
 * (else the one it names). Harvesters use it too, so that a failure names the record it would have been.
 */
export function itemIdentifier(
  json: JsonObject,
  collection: JsonObject | undefined,
  warnings: SourceWarning[] = [],
): { id: string | undefined; collectionId: string | undefined } {
  const itemId = str(json.id);
  const walked = str(collection?.id);
  const declared = str(json.collection);
  if (walked && declared && walked !== declared) {
    warnings.push(coded('collection', 'stac.item.collectionDiffers', { declared, walked }));
  }
  const collectionId = walked ?? declared;
  if (!collectionId) warnings.push(coded('collection', 'stac.item.noCollection'));
  return { id: itemId && (collectionId ? `${collectionId}/${itemId}` : itemId), collectionId };
}
