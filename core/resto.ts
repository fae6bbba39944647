/**
 * resto facts shared by the resto harvester and the resto crosswalk (as core/stac.ts is for STAC): how a collection, a
 * product and an OpenSearch Atom entry are identified.
 */
import { isObject, str, type JsonObject } from './json.js';
import { first, text, type XNode } from './xml.js';

/** A collection's identifier: its `id` (resto 6+, STAC), else its `name` (resto 2). */
export function restoCollectionId(c: JsonObject): string | undefined {
  return str(c.id) ?? str(c.name);
}

/**
 * A product's identifier: its `productIdentifier` (the product's own name, e.g. S2A_MSIL1C_..., the same in every
 * catalogue that holds it), else the feature's `id` (resto's UUID).
 */
export function restoProductId(f: JsonObject): string | undefined {
  const p = isObject(f.properties) ? f.properties : {};
  return str(p.productIdentifier) ?? (typeof f.id === 'number' ? String(f.id) : str(f.id));
}

/** An Atom entry's identifier: its dc:identifier, else its atom:id. */
export function restoEntryId(entry: XNode): string | undefined {
  return text(first(entry, 'identifier'))?.trim() || text(first(entry, 'id'))?.trim() || undefined;
}
