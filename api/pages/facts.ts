/**
 * What the pages read out of a record, as plain values: its boxes for the map, its periods, its type, the snippet of
 * a result with the searched words marked, and the OGC web services among its distributions (typed so that a user
 * can add them to QGIS). Pure functions of the record; the templates only lay them out.
 */
import type { DateLiteral, Distribution, HubRecord } from '../../schemas/record.js';
import { foldWords } from '../../core/fold.js';
import { geometryBox, iriTail, parseBboxWkt, type IndexType } from '../../mappings/index-doc.js';
import { html, type Html } from './html.js';

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

/** OGC web service types the record page explains (what QGIS's "Add layer" dialogs take). */
export type ServiceType = 'WMS' | 'WMTS' | 'WFS' | 'WCS' | 'CSW' | 'SOS' | 'WPS' | 'OGC API - Features';

export interface ServiceLink {
  type: ServiceType;
  /** The service's base URL, without its OGC request parameters: what a QGIS connection takes. */
  url: string;
  /** The GetCapabilities request of the service. */
  capabilities: string;
  /** The layer (feature type, coverage) the distribution names, when it names one. */
  layer?: string;
}

const SERVICE_BY_IRI: Record<string, ServiceType> = {
  wms: 'WMS',
  wmts: 'WMTS',
  wfs: 'WFS',
  wcs: 'WCS',
  csw: 'CSW',
  sos: 'SOS',
  wps: 'WPS',
  features: 'OGC API - Features',
};

/** OGC request parameters that belong to one request, not to the service (dropped from the base URL). */
const REQUEST_PARAMS = new Set([
  'service',
  'request',
  'version',
  'acceptversions',
  'layers',
  'layer',
  'typename',
  'typenames',
  'coverage',
  'coverageid',
  'styles',
  'bbox',
  'width',
  'height',
  'format',
  'crs',
  'srs',
  'transparent',
  'tilematrixset',
  'tilematrix',
  'tilerow',
  'tilecol',
  'outputformat',
  'maxfeatures',
  'count',
]);

function serviceType(d: Distribution): ServiceType | undefined {
  for (const { '@id': iri } of d.conformsTo ?? []) {
    const m = /opengis\.net\/def\/serviceType\/ogc\/(?:api\/)?([a-z]+)/i.exec(iri);
    if (m && SERVICE_BY_IRI[m[1].toLowerCase()]) return SERVICE_BY_IRI[m[1].toLowerCase()];
  }
  const p = (d.protocol ?? '').toUpperCase();
  if (/WMTS|WEB MAP TILE/.test(p)) return 'WMTS';
  if (/\bWMS\b|WEB MAP SERVICE|GETMAP/.test(p)) return 'WMS';
  if (/\bWFS\b|WEB FEATURE|GETFEATURE/.test(p)) return 'WFS';
  if (/\bWCS\b|WEB COVERAGE/.test(p)) return 'WCS';
  if (!d.protocol) {
    const m = /[?&]service=(WMS|WMTS|WFS|WCS|CSW)\b/i.exec(d.accessURL);
    if (m) return m[1].toUpperCase() as ServiceType;
  }
  return undefined;
}

/** The OGC web service a distribution gives access to, typed; undefined for a file or a web page. */
export function serviceLink(d: Distribution, layerName?: string): ServiceLink | undefined {
  const type = serviceType(d);
  if (!type) return undefined;
  let u: URL;
  try {
    u = new URL(d.accessURL);
  } catch {
    return undefined;
  }
  if (!/^https?:$/.test(u.protocol)) return undefined;
  let layer = layerName;
  for (const [k, v] of u.searchParams) {
    if (!layer && ['layers', 'layer', 'typename', 'typenames', 'coverageid'].includes(k.toLowerCase()) && v) layer = v.split(',')[0];
  }
  const base = new URL(u.href);
  for (const k of [...base.searchParams.keys()]) if (REQUEST_PARAMS.has(k.toLowerCase())) base.searchParams.delete(k);
  const url = base.href.replace(/\?$/, '');
  let capabilities: string;
  if (type === 'OGC API - Features') capabilities = url;
  else if (type === 'WMTS' && /\/WMTSCapabilities\.xml$/i.test(u.pathname)) capabilities = u.href;
  else {
    const c = new URL(url);
    c.searchParams.set('SERVICE', type);
    c.searchParams.set('REQUEST', 'GetCapabilities');
    capabilities = c.href;
  }
  return { type, url, capabilities, ...(layer ? { layer } : {}) };
}

/** A readable name for an IRI of a code list: its last path segment ("…/file-type/TIFF" → "TIFF"). */
export function iriLabel(iri: string): string {
  return iriTail(iri);
}
