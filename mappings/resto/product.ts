/**
 * A resto 2 product (a GeoJSON Feature whose properties are resto's: PEPS, Theia) -> a dcat:Dataset, part of its
 * collection's record. Pure.
 *
 * - identifier: productIdentifier (the product's own name), else the feature's id (core/resto.ts); the feature id is
 *   kept as another identifier;
 * - spatial: the geometry's box and the geometry; temporal: startDate to completionDate;
 * - platform, instrument, processingLevel, productType (as data type), sensorMode, resolution (as GSD);
 * - services.download -> a distribution (download URL, media type, size); services.browse (WMS) -> a distribution whose
 *   access follows WMS; quicklook / thumbnail -> depictions;
 * - keywords: the names of resto's keywords, except those it derives from the date (season, year, month, day) and the
 *   collection's own name;
 * - license: resto's license object (its description's short name and URL); organisationName -> publisher.
 */
import { coded, type SourceWarning } from '../../core/warnings.js';
import { arr, isObject, num, obj, str, type JsonObject } from '../../core/json.js';
import { restoProductId } from '../../core/resto.js';
import { RecordError } from '../../core/result.js';
import { dateLiteral, mediaTypeIri } from '../../core/vocab.js';
import {
  recordIri,
  type Distribution,
  type HubRecord,
  type Identifier,
  type LicenseDocument,
  type Location,
} from '../../schemas/record.js';
import { assignValues, DATASET, mediaType, recordHead, standard, webPages } from '../common.js';
import { bboxLocation, geoJsonLiteral, geometryBbox, periodOfTime } from '../stac/extent.js';
import { noneMap, organisation, plain, restoCatalogRecord, textOf, type RestoContext } from './common.js';

const DATE_KEYWORDS = new Set(['season', 'year', 'month', 'day', 'collection']);
const WMS = 'http://www.opengis.net/def/serviceType/ogc/wms';

function spatial(json: JsonObject, warnings: SourceWarning[]): Location[] {
  const box = geometryBbox(json.geometry);
  if (!box) {
    warnings.push(coded('geometry', 'resto.geometry.none'));
    return [];
  }
  const loc = bboxLocation(box);
  const g = geoJsonLiteral(json.geometry);
  if (g) loc.geometry = g;
  return [loc];
}

function keywords(props: JsonObject): string[] {
  const out: string[] = [];
  const k = props.keywords;
  // resto 2: { hash: { name, type } }; later: [{ name, type }] or strings
  const entries = Array.isArray(k) ? k : isObject(k) ? Object.values(k) : [];
  for (const e of entries) {
    const name = typeof e === 'string' ? e : str(obj(e)?.name);
    const type = str(obj(e)?.type);
    if (name && !(type && DATE_KEYWORDS.has(type)) && !out.includes(name)) out.push(name);
  }
  return out;
}

function license(l: unknown): LicenseDocument[] {
  const o = obj(l);
  if (!o) return [];
  const d = obj(o.description);
  const desc = d && ('url' in d || 'shortName' in d) ? d : (obj(d?.en) ?? obj(Object.values(d ?? {})[0]));
  const url = str(desc?.url);
  const label = str(desc?.shortName) ?? str(o.licenseId);
  if (!url && !label) return [];
  return [
    {
      ...(url && /^https?:\/\//.test(url) ? { '@id': url } : {}),
      '@type': 'dct:LicenseDocument',
      ...(label ? { label: { '@none': label } } : {}),
    },
  ];
}

function distributions(services: JsonObject | undefined): Distribution[] {
  const out: Distribution[] = [];
  const dl = obj(services?.download);
  const url = str(dl?.url);
  if (url && /^https?:\/\//.test(url)) {
    const media = mediaTypeIri(str(dl?.mimeType));
    const size = num(dl?.size);
    out.push({
      '@type': 'dcat:Distribution',
      accessURL: url,
      downloadURL: url,
      ...(media ? { mediaType: mediaType(media) } : {}),
      ...(size !== undefined && Number.isInteger(size) && size >= 0 ? { byteSize: size } : {}),
      function: 'download',
    });
  }
  const layer = obj(obj(services?.browse)?.layer);
  const wms = str(layer?.url);
  if (wms && /^https?:\/\//.test(wms)) {
    out.push({
      '@type': 'dcat:Distribution',
      accessURL: wms,
      ...(textOf(obj(services?.browse)?.title) ? { title: { '@none': textOf(obj(services?.browse)?.title)! } } : {}),
      conformsTo: [standard(WMS)],
      protocol: `OGC:${(str(layer?.type) ?? 'WMS').toUpperCase()}`,
      function: 'browse',
    });
  }
  return out;
}

export function restoProductToRecord(json: JsonObject, ctx: RestoContext): { record: HubRecord; warnings: SourceWarning[] } {
  const warnings: SourceWarning[] = [];
  const props = obj(json.properties);
  if (!props) throw new RecordError('map', 'properties: missing (a resto product needs them)');
  const id = restoProductId(json);
  if (!id) throw new RecordError('map', 'no productIdentifier and no id');
  const collection = ctx.collection ?? str(props.collection);
  const featureId = typeof json.id === 'string' && json.id !== id ? json.id : undefined;
  const other: Identifier[] = featureId ? [{ '@type': 'adms:Identifier', notation: featureId, schemaAgency: 'resto' }] : [];
  const start = textOf(props.startDate);
  const end = textOf(props.completionDate) ?? start;
  const temporal = start ? periodOfTime([start, end ?? null]) : undefined;
  if (!temporal) warnings.push(coded('properties.startDate', 'resto.startDate.none'));
  const resolution = num(props.resolution);
  const record = assignValues(recordHead(ctx.source, id, DATASET, noneMap(props.title) ?? { '@none': id }, other), {
    description: noneMap(plain(props.description)),
    keyword: keywords(props).length ? { '@none': keywords(props) } : undefined,
    spatial: spatial(json, warnings),
    temporal: temporal ? [temporal] : [],
    issued: dateLiteral(textOf(props.published)),
    modified: dateLiteral(textOf(props.updated)),
    publisher: organisation(props.organisationName),
    distribution: distributions(obj(props.services)),
    license: license(props.license),
    depiction: [textOf(props.quicklook), textOf(props.thumbnail)].filter((u): u is string => !!u && /^https?:\/\//.test(u)),
    landingPage: webPages(
      arr(props.links)
        .map(obj)
        .filter((l) => l?.rel === 'alternate' && /html/.test(str(l.type) ?? ''))
        .map((l) => str(l?.href))
        .filter((u): u is string => !!u && /^https?:\/\//.test(u)),
    ),
    isPartOf: collection ? [recordIri(ctx.source, collection)] : [],
    platform: [textOf(props.platform)].filter((x): x is string => !!x),
    instrument: [textOf(props.instrument), textOf(props.sensorMode)].filter((x): x is string => !!x),
    processingLevel: [textOf(props.processingLevel)].filter((x): x is string => !!x),
    dataType: [textOf(props.productType)].filter((x): x is string => !!x),
    gsd: resolution !== undefined && resolution > 0 ? [resolution] : [],
    isPrimaryTopicOf: restoCatalogRecord(id, 'resto-product', json, ctx, dateLiteral(textOf(props.updated))),
  }) as HubRecord;
  return { record, warnings };
}
