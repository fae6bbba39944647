/**
 * A STAC Item → dcat:Dataset, part of its collection's record. Pure.
 *
 * - identifier `${collectionId}/${itemId}` (item ids are unique within a collection only); the collection is the one
 *   the harvester found the item in (ctx.collection), else the item's `collection` field; an item with neither keeps
 *   its bare id (with a warning);
 * - isPartOf: recordIri(source, collectionId), else the item's parent/collection link IRIs;
 * - spatial: its bbox (else the box of its geometry) as WKT, and its geometry as a GeoJSON literal (left out above
 *   MAX_GEOMETRY_CHARS); `geometry: null` is valid STAC: no spatial, a warning;
 * - temporal: start_datetime / end_datetime when given, else datetime as an instant (start = end);
 * - licence and providers: its own, else its collection's (STAC items inherit them).
 */
import { RecordError } from '../../core/result.js';
import type { Location, PeriodOfTime } from '../../schemas/record.js';
import { recordIri } from '../../schemas/record.js';
import { describe, stacRecord } from './describe.js';
import { bboxLocation, geoJsonLiteral, geometryBbox, periodOfTime, readBbox, readDateTime, type Interval } from './extent.js';
import { lookupIn } from './fields.js';
import { itemIdentifier } from '../../core/stac.js';
import { isObject, obj, str, type JsonObject } from '../../core/json.js';
import { baseUrl } from './links.js';
import type { StacContext, StacMapped } from './types.js';
import { sourceWarning, type SourceWarning } from '../../core/warnings.js';

export function itemToRecord(json: JsonObject, ctx: StacContext): StacMapped {
  const warnings: SourceWarning[] = [];
  const itemId = str(json.id);
  if (!itemId) throw new RecordError('map', 'id: missing (an item needs an id)');
  const props = obj(json.properties);
  if (!props) throw new RecordError('map', 'properties: missing (an item needs properties, with at least a datetime)');

  const { collectionId } = itemIdentifier(json, ctx.collection, warnings);
  const id = collectionId ? `${collectionId}/${itemId}` : itemId;

  const d = describe(
    { json, meta: props, metaPath: 'properties.', lookup: lookupIn(props), base: baseUrl(json, ctx.sourceUrl), inherited: ctx.collection },
    itemId,
    warnings,
  );
  const spatial = readSpatial(json, warnings);
  const temporal = readTemporal(props, warnings);
  const isPartOf = collectionId ? [recordIri(ctx.source, collectionId)] : d.parents;

  const own = { spatial: spatial ? [spatial] : [], temporal: temporal ? [temporal] : [], isPartOf };
  return { record: stacRecord('stac-item', json, id, ctx, d, own, warnings), warnings };
}

function readSpatial(json: JsonObject, warnings: SourceWarning[]): Location | undefined {
  const geometry = json.geometry;
  if (geometry === null || geometry === undefined) {
    warnings.push(sourceWarning('geometry', geometry === null ? 'null (valid STAC), no spatial extent' : 'missing, no spatial extent'));
    if (json.bbox === undefined) return undefined;
  } else if (!isObject(geometry) || typeof geometry.type !== 'string') {
    throw new RecordError('map', `geometry: expected a GeoJSON geometry or null, got ${JSON.stringify(geometry).slice(0, 80)}`);
  }
  const box = json.bbox !== undefined ? readBbox(json.bbox, 'bbox') : geometryBbox(geometry);
  if (!box) {
    warnings.push(sourceWarning('geometry', 'no positions, no spatial extent'));
    return undefined;
  }
  const location = bboxLocation(box);
  if (isObject(geometry)) {
    const literal = geoJsonLiteral(geometry);
    if (literal) location.geometry = literal;
    else warnings.push(sourceWarning('geometry', 'too large to copy, the bbox stands for it'));
  }
  return location;
}

function readTemporal(props: JsonObject, warnings: SourceWarning[]): PeriodOfTime | undefined {
  const start = props.start_datetime;
  const end = props.end_datetime;
  let interval: Interval | undefined;
  if ((start !== undefined && start !== null) || (end !== undefined && end !== null)) {
    interval = [
      start === undefined || start === null ? null : readDateTime(start, 'properties.start_datetime'),
      end === undefined || end === null ? null : readDateTime(end, 'properties.end_datetime'),
    ];
    if (interval[0] !== null && interval[1] !== null && Date.parse(interval[0]) > Date.parse(interval[1])) {
      throw new RecordError('map', `properties.start_datetime ${interval[0]} is after properties.end_datetime ${interval[1]}`);
    }
  } else if (props.datetime !== undefined && props.datetime !== null) {
    const at = readDateTime(props.datetime, 'properties.datetime');
    interval = [at, at];
  }
  if (!interval) {
    warnings.push(sourceWarning('properties.datetime', 'null and no start_datetime / end_datetime, no temporal extent'));
    return undefined;
  }
  return periodOfTime(interval);
}
