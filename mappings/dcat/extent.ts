/**
 * Where and when: dct:spatial places (a dcat:bbox, a locn:geometry in WKT or GeoJSON, a name, or only an IRI such as a
 * GeoNames feature) and dct:temporal periods (dcat:startDate / dcat:endDate; schema: and OWL-Time spellings are moved
 * there by aliases.ts; a text "start/end" too). Geometries are kept in CRS84: a WKT literal may start with its CRS IRI; EPSG:4326 (latitude
 * first) is turned to longitude first; another CRS is left out with a warning. Pure.
 */
import { coded, type SourceWarning } from '../../core/warnings.js';
import type { GeoJsonLiteral, Location, PeriodOfTime, WktLiteral } from '../../schemas/record.js';
import type { TermNode } from './compact.js';
import { date, isIri, isLiteral, langMap, langTag, list, nodes } from './values.js';
import { wktBbox } from '../../core/vocab.js';
import { periodFromText } from '../common.js';

const CRS84 = /^<?https?:\/\/www\.opengis\.net\/def\/crs\/OGC\/1\.3\/CRS84>?$/i;
const EPSG4326 = /^<?https?:\/\/www\.opengis\.net\/def\/crs\/EPSG\/0\/4326>?$/i;
const RE_WKT =
  /^\s*(?:(<[^>\s]+>)\s+)?(POINT|LINESTRING|POLYGON|MULTIPOINT|MULTILINESTRING|MULTIPOLYGON|GEOMETRYCOLLECTION)((?:\s*(?:Z|M|ZM))?\s*(?:\(.*\)|EMPTY))\s*$/is;
const GEOJSON_TYPES =
  /^(https?:\/\/www\.iana\.org\/assignments\/media-types\/application\/(vnd\.geo\+json|geo\+json)|gsp:geoJSONLiteral)$/i;

/** A WKT text in CRS84, its keyword upper-cased; undefined (with a warning) in a CRS that is not CRS84 nor EPSG:4326. */
export function wkt(text: string, warnings: SourceWarning[]): WktLiteral | undefined {
  const m = RE_WKT.exec(text.trim());
  if (!m) {
    warnings.push(coded('dct:spatial', 'dcat.geometry.unknown', { text: JSON.stringify(text.trim().slice(0, 60)) }));
    return undefined;
  }
  const [, crs, keyword, rest] = m;
  let body = rest.trim();
  if (crs && !CRS84.test(crs)) {
    if (!EPSG4326.test(crs)) {
      warnings.push(coded('dct:spatial', 'dcat.geometry.crs', { crs }));
      return undefined;
    }
    body = body.replace(/(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)\s+(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)/g, '$2 $1'); // lat lon -> lon lat
  }
  return {
    '@value': `${crs && CRS84.test(crs) ? `${crs} ` : ''}${keyword.toUpperCase()}${body.startsWith('(') ? '' : ' '}${body}`,
    '@type': 'gsp:wktLiteral',
  };
}

/** A geometry literal: WKT (typed so, or text starting with a WKT keyword or a CRS IRI) or GeoJSON. */
function geometry(v: { '@value': string; '@type'?: string }, warnings: SourceWarning[]): WktLiteral | GeoJsonLiteral | undefined {
  const text = v['@value'].trim();
  if ((v['@type'] && GEOJSON_TYPES.test(v['@type'])) || text.startsWith('{')) {
    try {
      const g = JSON.parse(text) as { type?: unknown };
      if (typeof g.type === 'string') return { '@value': text, '@type': 'gsp:geoJSONLiteral' };
    } catch {
      /* said below */
    }
    warnings.push(coded('dct:spatial', 'dcat.geometry.badGeoJson', { text: JSON.stringify(text.slice(0, 60)) }));
    return undefined;
  }
  if (/gmlLiteral$/i.test(v['@type'] ?? '') || text.startsWith('<gml') || text.startsWith('<')) {
    if (!/^<[^>\s]+>\s/.test(text)) {
      warnings.push(coded('dct:spatial', 'dcat.geometry.gml'));
      return undefined;
    }
  }
  return wkt(text, warnings);
}

/**
 * The geometry literals of one property of a place, WKT first. GeoDCAT-AP writes one shape in several encodings (a
 * dcat:bbox as WKT, GML and GeoJSON): one left out is no fault when another is read, so the warnings are only said
 * when none is.
 */
function geometries(values: ReturnType<typeof list>, warnings: SourceWarning[]): Array<WktLiteral | GeoJsonLiteral> {
  const said: SourceWarning[] = [];
  const read = values
    .filter(isLiteral)
    .map((g) => geometry(g, said))
    .filter((g): g is WktLiteral | GeoJsonLiteral => g !== undefined);
  if (read.length === 0) warnings.push(...said);
  const rank = (g: WktLiteral | GeoJsonLiteral): number => (g['@type'] === 'gsp:wktLiteral' ? 0 : 1);
  return read.sort((a, b) => rank(a) - rank(b));
}

const RE_POLYGON = /^(?:<[^>\s]+>\s+)?POLYGON\s*\(\(([^()]*)\)\)$/i;

/**
 * A WKT polygon that is a box, as the record writes one (POLYGON((w s,e s,e n,w n,w s))): GeoDCAT-AP writes the same
 * box from its north-west corner (SEMIC's ISO 19139 XSLT, the EEA's examples: POLYGON((w n,e n,e s,w s,w n))), which
 * is the same rectangle. undefined for any other shape.
 */
function asBox(g: WktLiteral | GeoJsonLiteral): WktLiteral | undefined {
  if (g['@type'] !== 'gsp:wktLiteral') return undefined;
  const ring = RE_POLYGON.exec(g['@value'])?.[1]
    .split(',')
    .map((p) => p.trim().split(/\s+/).map(Number));
  if (ring?.length !== 5 || ring.some((p) => p.length !== 2 || !p.every(Number.isFinite))) return undefined;
  const [[w, s], [e, s2], [e2, n], [w2, n2]] = ring;
  // the record's own order, kept as it is: west may be east of east (across the antimeridian), a point a box
  const own = s === s2 && e === e2 && n === n2 && w === w2 ? wktBbox(w, s, e, n) : undefined;
  if (own) return own;
  const xs = [...new Set(ring.map((p) => p[0]))];
  const ys = [...new Set(ring.map((p) => p[1]))];
  if (xs.length !== 2 || ys.length !== 2) return undefined;
  return wktBbox(Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys));
}

/** The places of a description. */
export function places(n: TermNode, warnings: SourceWarning[]): Location[] {
  const out: Location[] = [];
  for (const v of list(n, 'spatial')) {
    if (isLiteral(v)) {
      // a place given by name only
      const label = v['@value'].trim();
      if (label) out.push({ '@type': 'dct:Location', prefLabel: { [langTag(v['@language'])]: label } });
      continue;
    }
    const id = v['@id'] !== undefined && isIri(v['@id']) ? v['@id'] : undefined;
    const boxes = geometries(list(v, 'bbox'), warnings);
    const bbox = boxes.map(asBox).find((b) => b !== undefined);
    // a bbox that is not the POLYGON box the record wants (GeoJSON, another shape): kept as the geometry
    const geom = geometries(list(v, 'geometry'), warnings)[0] ?? (bbox ? undefined : boxes[0]);
    const prefLabel = langMap(v, 'prefLabel');
    if (!id && !bbox && !geom && !prefLabel) continue;
    out.push({
      ...(id ? { '@id': id } : {}),
      '@type': 'dct:Location',
      ...(bbox ? { bbox: bbox } : {}),
      ...(geom ? { geometry: geom } : {}),
      ...(prefLabel ? { prefLabel } : {}),
    });
  }
  return out;
}

/**
 * The periods of a description (one without a start nor an end is left out). A period given as text, as Project Open
 * Data (DCAT-US) writes it, is read as the Dublin Core crosswalk reads it: an ISO 8601 interval "start/end", a DCMI
 * Period, or a date; another text is left out with a warning.
 */
export function periods(n: TermNode, warnings: SourceWarning[]): PeriodOfTime[] {
  const out: PeriodOfTime[] = [];
  for (const v of list(n, 'temporal').filter(isLiteral)) {
    const text = v['@value'].trim();
    const p = text ? periodFromText(text) : undefined;
    if (p) out.push(p);
    else if (text) warnings.push(coded('dct:temporal', 'dcat.temporal.invalid', { value: text.slice(0, 80) }));
  }
  for (const p of nodes(n, 'temporal')) {
    const startDate = date(p, 'startDate');
    const endDate = date(p, 'endDate');
    if (startDate || endDate)
      out.push({ '@type': 'dct:PeriodOfTime', ...(startDate ? { startDate } : {}), ...(endDate ? { endDate } : {}) });
  }
  return out;
}
