/**
 * EX_Extent (both encodings): geographic bounding boxes, bounding polygons (GML 3.1 / 3.2), geographic
 * descriptions, and temporal extents (TimePeriod begin/end positions or instants, TimeInstant).
 *
 * Forgiven, with a warning: an EX_Extent wrapped in another (extentsOf), a temporalElement inside a geographicElement.
 */
import type { Location, PeriodOfTime, WktLiteral } from '../../schemas/record.js';
import { unique } from '../../core/json.js';
import { dateLiteral, wktBbox } from '../../core/vocab.js';
import { inOrder } from '../../core/dates.js';
import { all, attr, children, first, namedChildren, ownText, text, textAt, type XNode } from '../../core/xml.js';
import { langText, warn, type MapCtx } from './context.js';

const EXTENT = ['gmd:identificationInfo/*/gmd:extent/*', 'mdb:identificationInfo/*/mri:extent/*'] as const;
const BBOX_AT = [
  `${EXTENT[0]}/gmd:geographicElement/gmd:EX_GeographicBoundingBox`,
  `${EXTENT[1]}/gex:geographicElement/gex:EX_GeographicBoundingBox`,
] as const;
const POLYGON_AT = [
  `${EXTENT[0]}/gmd:geographicElement/gmd:EX_BoundingPolygon/gmd:polygon`,
  `${EXTENT[1]}/gex:geographicElement/gex:EX_BoundingPolygon/gex:polygon`,
] as const;
const TEMPORAL_AT = [`${EXTENT[0]}/gmd:temporalElement/*/gmd:extent`, `${EXTENT[1]}/gex:temporalElement/*/gex:extent`] as const;

function num(v: string | undefined): number {
  if (v === undefined) return NaN;
  return Number(v.replace(',', '.'));
}

/** Locations of one EX_Extent: each bounding box, polygon and geographic description. */
export function extentLocations(ctx: MapCtx, extent: XNode): Location[] {
  const out: Location[] = [];
  const description = langText(ctx, first(extent, 'description'));
  const included = (el: XNode) => !['false', '0'].includes(textAt(el, 'extentTypeCode') ?? '');
  const boxOf = (el: XNode) =>
    ['westBoundLongitude', 'southBoundLatitude', 'eastBoundLongitude', 'northBoundLatitude'].map((k) => num(textAt(el, k))) as Box;
  // the extent's boxes, wherever they stand in it: they say which axis order an ambiguous polygon was written in
  const boxes = all(extent, 'geographicElement')
    .flatMap((ge) => namedChildren(ge))
    .filter(([name, el]) => name.endsWith('GeographicBoundingBox') && included(el))
    .map(([, el]) => boxOf(el))
    .filter((b) => wktBbox(...b) !== undefined);
  for (const ge of all(extent, 'geographicElement')) {
    for (const [name, el] of namedChildren(ge)) {
      // extentTypeCode false: the area is excluded; not a location of the resource.
      if (!included(el)) continue;
      if (name.endsWith('GeographicBoundingBox')) {
        const [w, s, e, n] = boxOf(el);
        const bbox = wktBbox(w, s, e, n);
        if (bbox) {
          out.push({ '@type': 'dct:Location', bbox, ...(description && out.length === 0 ? { prefLabel: description } : {}) });
        } else if ([w, e, s, n].every(Number.isNaN)) {
          warn(ctx, BBOX_AT, 'iso.bbox.empty');
        } else {
          warn(ctx, BBOX_AT, 'iso.bbox.invalid', { w, s, e, n });
        }
      } else if (name.endsWith('BoundingPolygon')) {
        for (const poly of all(el, 'polygon')) {
          for (const [gname, geom] of namedChildren(poly)) {
            // latitude first is EPSG:4326's own axis order: read so, as AODN's are, no warning
            const wkt = gmlToWkt(gname, geom, boxes);
            if (wkt) out.push({ '@type': 'dct:Location', geometry: wkt });
            else warn(ctx, POLYGON_AT, 'iso.polygon.unsupported', { gml: gname });
          }
        }
      } else if (name.endsWith('GeographicDescription')) {
        for (const id of all(el, 'geographicIdentifier', '*')) {
          const code = text(first(id, 'code'));
          if (code) out.push({ '@type': 'dct:Location', prefLabel: { '@none': code } });
        }
      }
    }
  }
  if (out.length === 0 && description && (all(extent, 'geographicElement').length > 0 || all(extent, 'temporalElement').length === 0)) {
    out.push({ '@type': 'dct:Location', prefLabel: description });
  }
  return out;
}

// --- GML geometry → WKT (CRS84 lon lat) -------------------------------------------------------------------------

/** true when the srsName declares lat/lon axis order (EPSG:4326 in URN or http form); plain "EPSG:4326" is lon/lat by usage. */
function latLonOrder(srsName: string | undefined): boolean | undefined {
  if (!srsName) return false;
  if (/CRS:?84$/i.test(srsName)) return false;
  const m = /EPSG(?::[\d.]*:|\/0\/|::)(\d+)$/i.exec(srsName);
  if (m) return m[1] === '4326' || m[1] === '4258' || m[1] === '4171' ? true : undefined;
  if (/^EPSG:(4326|4258|4171)$/i.test(srsName)) return false;
  return undefined; // projected or unknown CRS: cannot be written as CRS84
}

function coordsOf(node: XNode | undefined, dim: number): number[][] | undefined {
  if (node === undefined) return undefined;
  const posList = first(node, 'posList');
  let values: number[] = [];
  if (posList !== undefined) {
    const d = Number(attr(posList, 'srsDimension') ?? dim) || 2;
    values = (ownText(posList) ?? '').split(/\s+/).filter(Boolean).map(Number);
    const pts: number[][] = [];
    for (let i = 0; i + 1 < values.length; i += d) pts.push([values[i], values[i + 1]]);
    return pts;
  }
  const pos = children(node, 'pos');
  if (pos.length) return pos.map((p) => (ownText(p) ?? '').split(/\s+/).map(Number).slice(0, 2));
  const coordinates = first(node, 'coordinates');
  if (coordinates !== undefined) {
    return (ownText(coordinates) ?? '')
      .split(/\s+/)
      .filter(Boolean)
      .map((t) => t.split(',').map(Number).slice(0, 2));
  }
  return undefined;
}

/** A coordinate past its limit by a rounding error only (180.00000000000017, written by a reprojection) is the limit. */
function noiseless(v: number, limit: number): number {
  return Math.abs(v) > limit && Math.abs(v) - limit < 1e-9 ? Math.sign(v) * limit : v;
}

function ringWkt(ring: number[][], swap: boolean): string | undefined {
  if (ring.length < 4 || ring.some((p) => p.length < 2 || p.some((x) => !Number.isFinite(x)))) return undefined;
  const pts = ring.map(([a, b]) => (swap ? [b, a] : [a, b])).map(([x, y]) => [noiseless(x, 180), noiseless(y, 90)]);
  if (pts.some(([x, y]) => Math.abs(x) > 180 || Math.abs(y) > 90)) return undefined;
  return '(' + pts.map(([x, y]) => `${x} ${y}`).join(',') + ')';
}

/** The rings of a polygon; `strict`: undefined when any ring is not geographic (else such a hole is left out). */
function polygonRings(polygon: XNode, swap: boolean, strict = false): string | undefined {
  const rings: string[] = [];
  const ext = first(polygon, 'exterior', 'LinearRing') ?? first(polygon, 'outerBoundaryIs', 'LinearRing');
  const extWkt = ext && ringWkt(coordsOf(ext, 2) ?? [], swap);
  if (!extWkt) return undefined;
  rings.push(extWkt);
  for (const inner of [...all(polygon, 'interior', 'LinearRing'), ...all(polygon, 'innerBoundaryIs', 'LinearRing')]) {
    const w = ringWkt(coordsOf(inner, 2) ?? [], swap);
    if (w) rings.push(w);
    else if (strict) return undefined;
  }
  return '(' + rings.join(',') + ')';
}

/** A geographic box: west, south, east, north (west > east across the antimeridian). */
type Box = [number, number, number, number];

/**
 * WKT (CRS84) of a GML Polygon, MultiSurface/MultiPolygon or Point; undefined when unsupported or projected. A plain
 * "EPSG:4326" is lon/lat by usage, but lat/lon by the EPSG axis order that some write: the order in which every
 * coordinate is geographic, when only one is (AODN's GeoNetwork: "-48 -168 -51 -168..."); when both are (geocat.ch's
 * "47.8 8.57", a place in Switzerland or off Somalia), the one that lies on the extent's own boxes, if only one does.
 */
export function gmlToWkt(name: string, geom: XNode, boxes: Box[] = []): WktLiteral | undefined {
  const srsName = attr(geom, 'srsName');
  const order = latLonOrder(srsName);
  if (order === undefined) return undefined;
  if ((name === 'Polygon' || name === 'MultiSurface' || name === 'MultiPolygon') && srsName && /^EPSG:(4326|4258|4171)$/i.test(srsName)) {
    const strict = surfaceWkt(name, geom, order, true);
    const swapped = surfaceWkt(name, geom, !order, true);
    if (strict && swapped && boxes.length > 0 && !onBoxes(strict, boxes) && onBoxes(swapped, boxes)) return swapped;
    if (strict) return strict;
    if (swapped) return swapped;
  }
  return surfaceWkt(name, geom, order, false);
}

/** Whether a polygon's own box meets one of the boxes (CRS84 WKT; a box across the antimeridian is two). */
function onBoxes(wkt: WktLiteral, boxes: Box[]): boolean {
  const nums = wkt['@value'].match(/-?[\d.]+(?:e-?\d+)?/gi)?.map(Number) ?? [];
  const xs = nums.filter((_, i) => i % 2 === 0);
  const ys = nums.filter((_, i) => i % 2 === 1);
  const [w, e, s, n] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const spans = ([bw, bs, be, bn]: Box): Box[] =>
    bw <= be
      ? [[bw, bs, be, bn]]
      : [
          [bw, bs, 180, bn],
          [-180, bs, be, bn],
        ];
  return boxes.flatMap(spans).some(([bw, bs, be, bn]) => w <= be && bw <= e && s <= bn && bs <= n);
}

function surfaceWkt(name: string, geom: XNode, swap: boolean, strict: boolean): WktLiteral | undefined {
  let value: string | undefined;
  if (name === 'Polygon') {
    const r = polygonRings(geom, swap, strict);
    if (r) value = 'POLYGON' + r;
  } else if (name === 'MultiSurface' || name === 'MultiPolygon') {
    const polys: string[] = [];
    for (const member of [...all(geom, 'surfaceMember'), ...all(geom, 'polygonMember'), ...all(geom, 'surfaceMembers')]) {
      for (const p of children(member, 'Polygon')) {
        const r = polygonRings(p, swap, strict);
        if (r) polys.push(r);
        else if (strict) return undefined;
      }
    }
    if (polys.length === 1) value = 'POLYGON' + polys[0];
    else if (polys.length > 1) value = 'MULTIPOLYGON(' + polys.join(',') + ')';
  } else if (name === 'LineString' || name === 'LinearRing') {
    const pts = (coordsOf(geom, 2) ?? []).map(([a, b]) => (swap ? [b, a] : [a, b]));
    if (pts.length >= 2 && pts.every(([x, y]) => Number.isFinite(x) && Number.isFinite(y) && Math.abs(x) <= 180 && Math.abs(y) <= 90)) {
      value = 'LINESTRING(' + pts.map(([x, y]) => `${x} ${y}`).join(',') + ')';
    }
  } else if (name === 'Point') {
    const c = coordsOf(geom, 2)?.[0];
    if (c && c.length >= 2 && c.every(Number.isFinite)) {
      const [x, y] = swap ? [c[1], c[0]] : [c[0], c[1]];
      if (Math.abs(x) <= 180 && Math.abs(y) <= 90) value = `POINT(${x} ${y})`;
    }
  }
  return value ? { '@value': value, '@type': 'gsp:wktLiteral' } : undefined;
}

// --- Temporal -----------------------------------------------------------------------------------------------------

/** A GML time position: open ("now", "unknown", empty) → undefined. */
function position(node: XNode | undefined): string | undefined {
  if (node === undefined) return undefined;
  const ind = attr(node, 'indeterminatePosition');
  if (ind === 'now' || ind === 'unknown') return undefined;
  const v = text(node);
  if (!v || /^(now|unknown|present|ongoing)$/i.test(v)) return undefined;
  return v;
}

function instantPosition(parent: XNode | undefined): string | undefined {
  return position(first(parent, 'TimeInstant', 'timePosition'));
}

/** Periods of time of one EX_Extent (temporalElement/*\/extent/TimePeriod|TimeInstant). */
export function extentPeriods(ctx: MapCtx, extent: XNode): PeriodOfTime[] {
  const out: PeriodOfTime[] = [];
  // a temporalElement written inside a geographicElement (AODN's GeoNetwork records) is the extent's, misplaced
  const misplaced = all(extent, 'geographicElement', 'temporalElement', '*', 'extent');
  if (misplaced.length > 0)
    warn(
      ctx,
      [`${EXTENT[0]}/gmd:geographicElement/gmd:temporalElement`, `${EXTENT[1]}/gex:geographicElement/gex:temporalElement`],
      'iso.temporalElement.misplaced',
    );
  for (const te of [...all(extent, 'temporalElement', '*', 'extent'), ...misplaced]) {
    for (const [name, el] of namedChildren(te)) {
      let start: string | undefined;
      let end: string | undefined;
      if (name === 'TimePeriod') {
        start = position(first(el, 'beginPosition')) ?? instantPosition(first(el, 'begin'));
        end = position(first(el, 'endPosition')) ?? instantPosition(first(el, 'end'));
      } else if (name === 'TimeInstant') {
        start = end = position(first(el, 'timePosition'));
      } else continue;
      const startDate = dateLiteral(start);
      const endDate = dateLiteral(end);
      // said as the data centre can correct it: GML wants ISO 8601 (AODN records write 15/06/1981)
      if (start && !startDate) warn(ctx, TEMPORAL_AT, 'iso.temporal.beginNotDate', { value: start });
      if (end && !endDate) warn(ctx, TEMPORAL_AT, 'iso.temporal.endNotDate', { value: end });
      if (startDate && endDate && !inOrder(startDate, endDate)) {
        warn(ctx, [`${TEMPORAL_AT[0]}/gml:${name}`, `${TEMPORAL_AT[1]}/gml:${name}`], 'iso.temporal.order', {
          start: start ?? '',
          end: end ?? '',
        });
      } else if (startDate || endDate) {
        out.push({ '@type': 'dct:PeriodOfTime', ...(startDate ? { startDate } : {}), ...(endDate ? { endDate } : {}) });
      }
    }
  }
  return out;
}

/** What an EX_Extent holds of its own (any other element of it is none of ISO's). */
const RE_EXTENT_PART = /^(?:description|geographicElement|temporalElement|verticalElement)$/;

/**
 * The EX_Extent elements of an identification section. One that holds no element of its own but another EX_Extent
 * (AODN's GeoNetwork: gex:EX_Extent/mri:EX_Extent gco:isoType="gmd:EX_Extent", its elements in mri:) is read as that
 * inner one, with a warning.
 */
function extentsOf(ctx: MapCtx, ident: XNode): XNode[] {
  const out: XNode[] = [];
  for (const ext of all(ident, 'extent', '*')) {
    const parts = namedChildren(ext);
    const inner = parts.filter(([n]) => n.endsWith('EX_Extent')).map(([, node]) => node);
    if (inner.length === 0 || parts.some(([n]) => RE_EXTENT_PART.test(n))) {
      out.push(ext);
      continue;
    }
    warn(ctx, EXTENT, 'iso.extent.nested');
    out.push(...inner);
  }
  return out;
}

/** Every extent of an identification section: its locations and periods, each once. */
export function readExtents(ctx: MapCtx, ident: XNode): { spatial: Location[]; temporal: PeriodOfTime[] } {
  const spatial: Location[] = [];
  const temporal: PeriodOfTime[] = [];
  for (const ext of extentsOf(ctx, ident)) {
    spatial.push(...extentLocations(ctx, ext));
    temporal.push(...extentPeriods(ctx, ext));
  }
  return {
    spatial: unique(
      spatial,
      (l) => (l.bbox?.['@value'] ?? '') + '|' + (l.geometry?.['@value'] ?? '') + '|' + JSON.stringify(l.prefLabel ?? null),
    ),
    temporal: unique(temporal, (t) => `${t.startDate?.['@value']}|${t.endDate?.['@value']}`),
  };
}
