/**
 * What the items of a collection add to it (items: 'enrich'): a running count, the box around their boxes and the
 * interval around their datetimes. Constant memory: items are folded in one by one and dropped.
 */
import { geometryBbox, type Bbox, type StacEnrichment } from '../../core/stac.js';
import { arr, num, obj, str, type JsonObject } from '../../core/json.js';
import { dateLiteral } from '../../core/vocab.js';

export interface ItemAggregate {
  count: number;
  box?: Bbox;
  /** Earliest start and latest end seen, as given (compared as instants). */
  start?: string;
  end?: string;
  /** An item had an open start / end (start_datetime or end_datetime null beside the other). */
  openStart: boolean;
  openEnd: boolean;
}

export function emptyAggregate(): ItemAggregate {
  return { count: 0, openStart: false, openEnd: false };
}

/** The box of an item: its bbox when well-formed, else the box of its geometry; undefined without either. */
export function itemBbox(item: JsonObject): Bbox | undefined {
  const b = arr(item.bbox).map(num);
  if ((b.length === 4 || b.length === 6) && b.every((x) => x !== undefined)) {
    const n = b;
    const box: Bbox = n.length === 4 ? [n[0], n[1], n[2], n[3]] : [n[0], n[1], n[3], n[4]];
    if (Math.abs(box[0]) <= 180 && Math.abs(box[2]) <= 180 && Math.abs(box[1]) <= 90 && Math.abs(box[3]) <= 90 && box[1] <= box[3])
      return box;
  }
  return item.geometry ? geometryBbox(item.geometry) : undefined;
}

/** An RFC 3339 date-time (as the crosswalk reads it), else undefined. */
const instant = (v: unknown): string | undefined => {
  const s = str(v);
  return s !== undefined && dateLiteral(s) !== undefined && !Number.isNaN(Date.parse(s)) ? s : undefined;
};

/**
 * Folds one item into the aggregate (mutates it: one small object per collection). A box across the antimeridian
 * (west > east) widens the union to every longitude: the union of such boxes is not one box.
 */
export function addItem(agg: ItemAggregate, item: JsonObject): void {
  agg.count++;
  const box = itemBbox(item);
  if (box) {
    const [w, s, e, n] = box[0] > box[2] ? [-180, box[1], 180, box[3]] : box;
    agg.box = agg.box ? [Math.min(agg.box[0], w), Math.min(agg.box[1], s), Math.max(agg.box[2], e), Math.max(agg.box[3], n)] : [w, s, e, n];
  }
  const p = obj(item.properties) ?? {};
  const hasRange = p.start_datetime !== undefined || p.end_datetime !== undefined;
  const start = hasRange ? instant(p.start_datetime) : instant(p.datetime);
  const end = hasRange ? instant(p.end_datetime) : instant(p.datetime);
  if (hasRange && p.start_datetime === null && end) agg.openStart = true;
  if (hasRange && p.end_datetime === null && start) agg.openEnd = true;
  if (start && (agg.start === undefined || Date.parse(start) < Date.parse(agg.start))) agg.start = start;
  if (end && (agg.end === undefined || Date.parse(end) > Date.parse(agg.end))) agg.end = end;
}

export function toEnrichment(agg: ItemAggregate): StacEnrichment {
  const start = agg.openStart ? null : (agg.start ?? null);
  const end = agg.openEnd ? null : (agg.end ?? null);
  // items with only a start beside items with only an end can give start > end: no interval then
  const ordered = start === null || end === null || Date.parse(start) <= Date.parse(end);
  return {
    itemCount: agg.count,
    ...(agg.box ? { itemBbox: agg.box } : {}),
    ...(ordered && (start !== null || end !== null) ? { itemInterval: [start, end] as [string | null, string | null] } : {}),
  };
}
