/**
 * What the pages read out of a record, as plain values: its boxes for the map, its periods, its type, the snippet of
 * a result with the searched words marked, and the OGC web services among its distributions (typed so that a user
 * can add them to QGIS). Pure functions of the record; the templates only lay them out.
 */
import type { DateLiteral, HubRecord } from '../../schemas/record.js';
import { foldWords } from '../../core/fold.js';
import { geometryBox, iriTail, parseBboxWkt, type IndexType } from '../../mappings/index-doc.js';
import { html, type Html } from './html.js';

// the OGC web services among a record's distributions: typed in mappings/services.ts (the OGC API - Records links use
// them too)
export { serviceLink, type ServiceLink, type ServiceType } from '../../mappings/services.js';

export type Box = [number, number, number, number];

/** Every box of the record ([west, south, east, north]; west > east across the antimeridian). */
export function recordBoxes(r: HubRecord): Box[] {
  const out: Box[] = [];
  for (const loc of r.spatial ?? []) {
    const b = loc.bbox ? parseBboxWkt(loc.bbox['@value']) : loc.geometry ? geometryBox(loc.geometry) : undefined;
    if (b) out.push([b.west, b.south, b.east, b.north]);
  }
  return out;
}

export function recordType(r: HubRecord): IndexType {
  if (r['@type'][0] === 'dcat:DataService') return 'service';
  if (r['@type'][0] === 'dcat:DatasetSeries') return 'series';
  return 'dataset';
}

/** A date literal as written by its precision: 2019, 2019-06, 2019-06-30, 2019-06-30 14:05 UTC. */
export function dateText(d: DateLiteral | undefined): string | undefined {
  if (!d) return undefined;
  if (d['@type'] !== 'xsd:dateTime') return d['@value'];
  const t = Date.parse(d['@value']);
  if (Number.isNaN(t)) return d['@value'];
  const iso = new Date(t).toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

/** The record's periods as [start, end] texts; an absent end is undefined (ongoing). */
export function periods(r: HubRecord): { start?: string; end?: string }[] {
  return (r.temporal ?? [])
    .map((p) => ({ start: dateText(p.startDate), end: dateText(p.endDate) }))
    .filter((p) => p.start !== undefined || p.end !== undefined);
}

/**
 * The first `max` characters of a text, cut at a word, with the words that match the query (folded and stemmed the
 * way the search folds them) in <mark>.
 */
export function snippet(text: string | undefined, q: string | undefined, max = 280): Html | undefined {
  if (!text) return undefined;
  let cut = text.replace(/\s+/g, ' ').trim();
  if (cut.length > max) cut = cut.slice(0, cut.lastIndexOf(' ', max) > max / 2 ? cut.lastIndexOf(' ', max) : max) + ' …';
  const wanted = new Set(q ? foldWords(q) : []);
  if (wanted.size === 0) return html`${cut}`;
  // Words and what lies between them, each word marked when its folded form is a query word.
  const parts = cut.split(/([\p{L}\p{N}]+)/u);
  return html`${parts.map((p, i) => (i % 2 === 1 && foldWords(p).some((w) => wanted.has(w)) ? html`<mark>${p}</mark>` : p))}`;
}

/** A readable name for an IRI of a code list: its last path segment ("…/file-type/TIFF" → "TIFF"). */
export function iriLabel(iri: string): string {
  return iriTail(iri);
}
