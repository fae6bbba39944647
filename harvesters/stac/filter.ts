/**
 * The STAC API Filter extension (https://github.com/stac-api-extensions/filter) as the STAC API harvester uses it: to
 * ask only for the items updated since a date-time. Pure.
 *
 * The API says what it can by its conformance classes:
 * - Item Search Filter `https://api.stacspec.org/v1.0.0[-rc.N]/item-search#filter`: `filter` at /search;
 * - Features Filter `http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter`: `filter` at
 *   /collections/{id}/items;
 * - CQL2 Text `http://www.opengis.net/spec/cql2/1.0/conf/cql2-text`, CQL2 JSON `.../cql2-json`: the languages
 *   (`filter-lang`: `cql2-text`, the default of GET, or `cql2-json`, the default of POST).
 * A comparison of a property with a timestamp is Basic CQL2, which every API with the extension supports:
 * `updated >= TIMESTAMP('2024-05-31T00:00:00Z')`, in JSON `{"op": ">=", "args": [{"property": "updated"},
 * {"timestamp": "2024-05-31T00:00:00Z"}]}`.
 */
import type { JsonObject } from '../../core/json.js';

/** The conformance classes that matter here (any 1.x version of STAC API's). */
export const FILTER_CLASSES = {
  itemSearch: /^https:\/\/api\.stacspec\.org\/v1\.[^/]+\/item-search#filter$/,
  features: /^http:\/\/www\.opengis\.net\/spec\/ogcapi-features-3\/1\.0\/conf\/features-filter$/,
  cql2Text: /^http:\/\/www\.opengis\.net\/spec\/cql2\/1\.0\/conf\/cql2-text$/,
  cql2Json: /^http:\/\/www\.opengis\.net\/spec\/cql2\/1\.0\/conf\/cql2-json$/,
} as const;

/** How the items are filtered: since when, in which language, at which endpoint. */
export interface ItemFilter {
  /** RFC 3339 date-time, UTC. */
  since: string;
  lang: 'cql2-text' | 'cql2-json';
  at: 'search' | 'items';
}

/** The filter "updated at or after `since`" in the filter's language. */
export function updatedFilter(f: ItemFilter): { lang: ItemFilter['lang']; value: string | JsonObject } {
  if (f.lang === 'cql2-text') return { lang: f.lang, value: `updated >= TIMESTAMP('${f.since}')` };
  return { lang: f.lang, value: { op: '>=', args: [{ property: 'updated' }, { timestamp: f.since }] } };
}
