/**
 * Copies of real records under another source: a record of source `from` as one of source `to`, its id and every hub
 * IRI of `from` in it renamed, so that a copy's links (a member's dcat:inSeries, a series' members, a service's served
 * datasets) name the records of the same copy. What the benchmarks and tests that need many linked records index.
 */
import { HUB_BASE_URI, type HubRecord } from '../../schemas/record.js';

export function inSource(r: HubRecord, from: string, to: string): HubRecord {
  const text = JSON.stringify(r).split(`"${HUB_BASE_URI}${from}:`).join(`"${HUB_BASE_URI}${to}:`);
  const copy = JSON.parse(text) as HubRecord;
  copy.identifier = `${to}:${r.identifier.slice(from.length + 1)}`;
  copy.isPrimaryTopicOf = { ...copy.isPrimaryTopicOf, sourceId: to };
  return copy;
}
