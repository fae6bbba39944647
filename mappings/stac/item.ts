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
 * - a malformed bbox, geometry or date-time is left out with a warning naming its field and value (the geometry's box
 *   stands for a malformed bbox, the datetime for a malformed or reversed start/end): the record is kept;
 * - licence and providers: its own, else its collection's (STAC items inherit them).
 */
import { RecordError } from '../../core/result.js';
import type { Location, PeriodOfTime } from '../../schemas/record.js';
import { inOrder } from '../../core/dates.js';
import { dateLiteral } from '../../core/vocab.js';
import { recordIri } from '../../schemas/record.js';
import { describe, stacRecord } from './describe.js';
import { bboxLocation, bboxOrWarn, dateTimeOrWarn, geoJsonLiteral, geometryBbox, periodOfTime, type Interval } from './extent.js';
import { lookupIn } from './fields.js';
import { itemIdentifier } from '../../core/stac.js';
import { isObject, obj, str, type JsonObject } from '../../core/json.js';
import { baseUrl } from './links.js';
import type { StacContext, StacMapped } from './types.js';
import { coded, phrase, type Phrase, type SourceWarning } from '../../core/warnings.js';

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
  let geometry = json.geometry;
  if (geometry === null || geometry === undefined) {
    warnings.push(geometry === null ? coded('geometry', 'stac.geometry.null') : coded('geometry', 'stac.geometry.missing'));
    if (json.bbox === undefined) return undefined;
  } else if (!isObject(geometry) || typeof geometry.type !== 'string') {
    warnings.push(coded('geometry', 'stac.geometry.invalid', { got: JSON.stringify(geometry).slice(0, 80) }));
    geometry = undefined;
  }
  const given =
    json.bbox !== undefined
      ? bboxOrWarn(json.bbox, 'bbox', warnings, phrase(geometry ? 'stac.leftOut.geometryBox' : 'stac.leftOut.noSpatial'))
      : undefined;
  let box = given;
  if (!box && geometry) {
    const around = geometryBbox(geometry);
    if (!around) {
      warnings.push(coded('geometry', 'stac.geometry.noPositions'));
      return undefined;
    }
    // positions out of range (latitude and longitude swapped...): neither the box nor the geometry can be used
    box = bboxOrWarn(around, 'geometry', warnings, phrase('stac.leftOut.notCrs84'));
    if (!box) return undefined;
  }
  if (!box) return undefined;
  const location = bboxLocation(box);
  if (isObject(geometry)) {
    const literal = geoJsonLiteral(geometry);
    if (literal) location.geometry = literal;
    else warnings.push(coded('geometry', 'stac.geometry.tooLarge'));
  }
  return location;
}

const given = (v: unknown): boolean => v !== undefined && v !== null;

/** The item's start and end, when it gives them and they can be used; a fault is a warning (the datetime then stands). */
function startEnd(props: JsonObject, warnings: SourceWarning[], fallback: Phrase): Interval | undefined {
  const { start_datetime: start, end_datetime: end } = props;
  if (!given(start) && !given(end)) return undefined;
  const s = given(start) ? dateTimeOrWarn(start, 'properties.start_datetime', warnings, fallback) : null;
  const e = given(end) ? dateTimeOrWarn(end, 'properties.end_datetime', warnings, fallback) : null;
  if (s === undefined || e === undefined) return undefined;
  if (s !== null && e !== null && !inOrder(dateLiteral(s)!, dateLiteral(e)!)) {
    warnings.push(coded('properties.start_datetime', 'stac.item.startAfterEnd', { start: s, end: e, fallback }));
    return undefined;
  }
  return [s, e];
}

function readTemporal(props: JsonObject, warnings: SourceWarning[]): PeriodOfTime | undefined {
  const hasDatetime = given(props.datetime);
  let interval = startEnd(props, warnings, phrase(hasDatetime ? 'stac.leftOut.datetimeStands' : 'stac.leftOut.noTemporal'));
  if (!interval && hasDatetime) {
    const at = dateTimeOrWarn(props.datetime, 'properties.datetime', warnings, phrase('stac.leftOut.noTemporal'));
    if (at) interval = [at, at];
  } else if (!interval && !given(props.start_datetime) && !given(props.end_datetime)) {
    warnings.push(coded('properties.datetime', 'stac.item.noDatetime'));
  }
  return interval ? periodOfTime(interval) : undefined;
}
