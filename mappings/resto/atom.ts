/**
 * An OpenSearch (EO) Atom entry (resto's `search.atom`, and other OpenSearch-EO servers) -> a dcat:Dataset. The entry
 * comes as the XML tree of core/xml.ts (prefixes removed: atom:title, dc:date, georss:box... are title, date, box).
 * Pure.
 *
 * - identifier: dc:identifier, else atom:id; title: atom:title; description: atom:summary (else content);
 * - temporal: dc:date, an instant or `start/end`; issued / modified: published / updated;
 * - spatial: georss:box (`south west north east`, latitude first) and georss:polygon (`lat lon lat lon ...`, made a
 *   GeoJSON polygon in longitude, latitude order);
 * - the eo: elements: platform, instrument, processingLevel, productType (as data type), resolution (as GSD);
 * - link rel="enclosure" -> a download distribution; media:content of a QUICKLOOK or THUMBNAIL -> depictions;
 *   dc:rights -> a rights statement; category terms -> keywords.
 */
import { coded, type SourceWarning } from '../../core/warnings.js';
import { dateLiteral } from '../../core/vocab.js';
import { RecordError } from '../../core/result.js';
import { restoEntryId } from '../../core/resto.js';
import { all, attr, first, text, type XElement, type XNode } from '../../core/xml.js';
import { recordIri, type Distribution, type GeoJsonLiteral, type HubRecord, type Location } from '../../schemas/record.js';
import { assignValues, DATASET, recordHead } from '../common.js';
import { bboxLocation, periodOfTime } from '../stac/extent.js';
import { noneMap, organisation, plain, restoCatalogRecord, type RestoContext } from './common.js';

const textAt = (entry: XNode, name: string): string | undefined => {
  const t = text(first(entry, name))?.trim();
  return t ? t : undefined;
};

function numbers(s: string | undefined): number[] {
  return (s ?? '')
    .trim()
    .split(/[\s,]+/)
    .filter(Boolean)
    .map(Number);
}

function spatial(entry: XNode, warnings: SourceWarning[]): Location[] {
  const box = numbers(textAt(entry, 'box'));
  const ring = numbers(textAt(entry, 'polygon'));
  let loc: Location | undefined;
  if (box.length === 4 && box.every(Number.isFinite)) {
    const [s, w, n, e] = box;
    try {
      loc = bboxLocation([w, s, e, n]);
    } catch {
      warnings.push(coded('georss:box', 'resto.box.invalid', { box: box.join(' ') }));
    }
  }
  if (ring.length >= 8 && ring.length % 2 === 0 && ring.every(Number.isFinite)) {
    const coords: number[][] = [];
    for (let i = 0; i < ring.length; i += 2) coords.push([ring[i + 1], ring[i]]);
    const lons = coords.map((c) => c[0]);
    const lats = coords.map((c) => c[1]);
    loc ??= bboxLocation([Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)]);
    const geometry: GeoJsonLiteral = {
      '@value': JSON.stringify({ type: 'Polygon', coordinates: [coords] }),
      '@type': 'gsp:geoJSONLiteral',
    };
    loc.geometry = geometry;
  }
  // GeoRSS GML (pycsw's CSW Atom output): georss:where/gml:Envelope, lat lon (EPSG:4326) unless said CRS84
  const envelope = first(entry, 'where', 'Envelope');
  if (!loc && envelope !== undefined) {
    const lower = numbers(textAt(envelope, 'lowerCorner'));
    const upper = numbers(textAt(envelope, 'upperCorner'));
    const lonLat = /CRS:?84$/i.test(attr(envelope, 'srsName') ?? '');
    if (lower.length === 2 && upper.length === 2 && [...lower, ...upper].every(Number.isFinite)) {
      const [[w, s], [e, n]] = lonLat ? [lower, upper] : [lower.reverse(), upper.reverse()];
      try {
        loc = bboxLocation([w, s, e, n]);
      } catch {
        warnings.push(coded('georss:where', 'resto.box.invalid', { box: `${lower.join(' ')} ${upper.join(' ')}` }));
      }
    }
  }
  if (!loc) warnings.push(coded('georss:box', 'resto.spatial.none'));
  return loc ? [loc] : [];
}

function distributions(entry: XNode): Distribution[] {
  const out: Distribution[] = [];
  for (const l of all(entry, 'link')) {
    const href = attr(l, 'href');
    if (attr(l, 'rel') !== 'enclosure' || !href || !/^https?:\/\//.test(href)) continue;
    const length = Number(attr(l, 'length'));
    out.push({
      '@type': 'dcat:Distribution',
      accessURL: href,
      downloadURL: href,
      ...(attr(l, 'title') ? { title: { '@none': attr(l, 'title')! } } : {}),
      ...(Number.isInteger(length) && length > 0 ? { byteSize: length } : {}),
      function: 'download',
    });
  }
  return out;
}

function depictions(entry: XNode): string[] {
  const out: string[] = [];
  for (const c of all(entry, 'group', 'content')) {
    const url = attr(c, 'url');
    const category = text(first(c, 'category'))?.trim().toUpperCase();
    if (
      url &&
      /^https?:\/\//.test(url) &&
      (category === 'QUICKLOOK' || category === 'THUMBNAIL' || attr(c, 'medium') === 'image') &&
      !out.includes(url)
    )
      out.push(url);
  }
  for (const l of all(entry, 'link')) {
    const href = attr(l, 'href');
    if (href && /^(icon|quicklook|thumbnail)$/i.test(attr(l, 'rel') ?? '') && /^https?:\/\//.test(href) && !out.includes(href))
      out.push(href);
  }
  return out;
}

export function atomEntryToRecord(entry: XElement, ctx: RestoContext): { record: HubRecord; warnings: SourceWarning[] } {
  const warnings: SourceWarning[] = [];
  const id = restoEntryId(entry);
  if (!id) throw new RecordError('map', 'an Atom entry needs an id or a dc:identifier');
  const title = noneMap(textAt(entry, 'title')) ?? { '@none': id };
  const [start, end] = (textAt(entry, 'date') ?? '').split('/');
  const temporal = start ? periodOfTime([start, end || start]) : undefined;
  if (!temporal) warnings.push(coded('dc:date', 'resto.date.missing'));
  const resolution = Number(textAt(entry, 'resolution'));
  const one = (name: string) => [textAt(entry, name)].filter((x): x is string => !!x);
  const rights = noneMap(textAt(entry, 'rights'));
  const categories = all(entry, 'category')
    .map((c) => attr(c, 'term') ?? attr(c, 'label'))
    .filter((x): x is string => !!x);
  const record = assignValues(recordHead(ctx.source, id, DATASET, title), {
    description: noneMap(plain(textAt(entry, 'summary') ?? textAt(entry, 'content'))),
    keyword: categories.length ? { '@none': [...new Set(categories)] } : undefined,
    spatial: spatial(entry, warnings),
    temporal: temporal ? [temporal] : [],
    issued: dateLiteral(textAt(entry, 'published')),
    modified: dateLiteral(textAt(entry, 'updated')),
    publisher: organisation(text(first(entry, 'author', 'name'))),
    distribution: distributions(entry),
    rights: rights ? [{ '@type': 'dct:RightsStatement' as const, label: rights }] : [],
    depiction: depictions(entry),
    isPartOf: ctx.collection ? [recordIri(ctx.source, ctx.collection)] : [],
    platform: one('platform'),
    instrument: one('instrument'),
    processingLevel: one('processingLevel'),
    dataType: one('productType'),
    gsd: Number.isFinite(resolution) && resolution > 0 ? [resolution] : [],
    isPrimaryTopicOf: restoCatalogRecord(id, 'opensearch-entry', entry, ctx, dateLiteral(textAt(entry, 'updated'))),
  }) as HubRecord;
  return { record, warnings };
}
