/**
 * The extents of a csw:Record: ows:BoundingBox (its `crs` says the axis order: EPSG:4326, in any of its spellings, is
 * latitude then longitude, as CSW 2.0.2 and OWS 1.0 write it; CRS84 is longitude then latitude; another CRS is not
 * reprojected: left out with a warning; no `crs` is read as EPSG:4326, the CSW 2.0.2 default, with a warning),
 * ows:WGS84BoundingBox (always longitude then latitude), dct:spatial (a place name, or an IRI), dct:temporal (an ISO
 * 8601 interval "start/end", or a DCMI Period "start=...; end=..."). Pure.
 */
import type { Location, PeriodOfTime } from '../../schemas/record.js';
import { crsIri, wktBbox } from '../../core/vocab.js';
import { all, attr, ownText, textAt, type XNode } from '../../core/xml.js';
import { coded } from '../../core/warnings.js';
import { isAbsoluteIri, periodFromText } from '../common.js';
import type { DcCtx } from './fields.js';

const EPSG_4326 = 'http://www.opengis.net/def/crs/EPSG/0/4326';
const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';

function corner(v: string | undefined): [number, number] | undefined {
  const p = (v ?? '').trim().split(/\s+/).map(Number);
  return p.length >= 2 && p.every(Number.isFinite) ? [p[0], p[1]] : undefined;
}

/** One box as a Location, or undefined with a warning. `lonLat`: the corners are written longitude first. */
function box(ctx: DcCtx, at: string, node: XNode, lonLat: boolean): Location | undefined {
  const lo = corner(textAt(node, 'LowerCorner'));
  const up = corner(textAt(node, 'UpperCorner'));
  if (!lo || !up) {
    ctx.warnings.push(coded(at, 'dc.bbox.corners'));
    return undefined;
  }
  const [w, s, e, n] = lonLat ? [lo[0], lo[1], up[0], up[1]] : [lo[1], lo[0], up[1], up[0]];
  const bbox = wktBbox(w, s, e, n);
  if (!bbox) {
    ctx.warnings.push(coded(at, 'dc.bbox.notDegrees', { w, s, e, n }));
    return undefined;
  }
  return { '@type': 'dct:Location', bbox };
}

/** dct:temporal: "start/end" (either side may be empty or ".."), or a DCMI Period (mappings/common.ts periodFromText). */
function period(ctx: DcCtx, text: string): PeriodOfTime | undefined {
  const p = periodFromText(text);
  if (!p) ctx.warnings.push(coded('dct:temporal', 'dc.temporal.invalid', { value: text }));
  return p;
}

export function readDcExtents(ctx: DcCtx, rec: XNode): { spatial: Location[]; temporal: PeriodOfTime[] } {
  const spatial: Location[] = [];
  for (const node of all(rec, 'BoundingBox')) {
    const crs = attr(node, 'crs');
    const iri = crs ? crsIri(crs) : undefined;
    if (crs && iri !== EPSG_4326 && iri !== CRS84) {
      ctx.warnings.push(coded('ows:BoundingBox', 'dc.bbox.crs', { crs }));
      continue;
    }
    if (!crs) ctx.warnings.push(coded('ows:BoundingBox', 'dc.bbox.noCrs'));
    const b = box(ctx, 'ows:BoundingBox', node, iri === CRS84);
    if (b) spatial.push(b);
  }
  for (const node of all(rec, 'WGS84BoundingBox')) {
    const b = box(ctx, 'ows:WGS84BoundingBox', node, true);
    if (b) spatial.push(b);
  }
  for (const node of all(rec, 'spatial')) {
    const t = ownText(node);
    if (!t) continue;
    spatial.push(
      /^https?:\/\//i.test(t) && isAbsoluteIri(t)
        ? { '@id': t, '@type': 'dct:Location' }
        : { '@type': 'dct:Location', prefLabel: { [ctx.main]: t } },
    );
  }
  const temporal = all(rec, 'temporal')
    .map((n) => ownText(n))
    .filter((t): t is string => !!t)
    .map((t) => period(ctx, t))
    .filter((p): p is PeriodOfTime => !!p);
  // the same box given twice (BoundingBox and WGS84BoundingBox) once
  const seen = new Set<string>();
  return {
    spatial: spatial.filter((l) => {
      const k = JSON.stringify(l);
      return seen.has(k) ? false : (seen.add(k), true);
    }),
    temporal,
  };
}
