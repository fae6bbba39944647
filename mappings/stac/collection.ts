/**
 * A STAC Collection → dcat:Dataset. Pure.
 *
 * - spatial: every box of extent.spatial.bbox (the first is the overall box), then, when the items were walked to
 *   enrich the collection and their box differs from the overall one, the box around the items (prefLabel
 *   "extent of the items");
 * - temporal: every interval of extent.temporal.interval (null ends stay open), then the items' interval the same way;
 * - granuleCount: the number of items walked;
 * - facets read from summaries, 0.x collection `properties` and top-level extension fields; the scientific extension's
 *   (sci:doi, sci:citation, sci:publications) from the collection's own fields only, not its items' summaries;
 * - isPartOf: the parent link (a catalogue or a parent collection), as an IRI of the STAC document.
 * A malformed box or interval of the extent is left out with a warning naming its JSON path (extent.ts).
 */
import { RecordError } from '../../core/result.js';
import type { Location, PeriodOfTime } from '../../schemas/record.js';
import { describe, stacRecord } from './describe.js';
import { bboxLocation, periodOfTime, readBbox, readCollectionExtent, readInterval, sameBbox, type Bbox, type Interval } from './extent.js';
import { lookupIn } from './fields.js';
import { obj, str, type JsonObject } from '../../core/json.js';
import { baseUrl } from './links.js';
import type { StacContext, StacEnrichment, StacMapped } from './types.js';
import { coded, type SourceWarning } from '../../core/warnings.js';

export function collectionToRecord(json: JsonObject, ctx: StacContext): StacMapped {
  const warnings: SourceWarning[] = [];
  const id = str(json.id);
  if (!id) throw new RecordError('map', 'id: missing (a collection needs an id)');
  const extent = readCollectionExtent(json.extent, warnings, str(json.stac_version));
  const enrichment = ctx.enrichment ? readEnrichment(ctx.enrichment) : undefined;
  const lookup = lookupIn(obj(json.summaries), obj(json.properties), json);
  const d = describe(
    {
      json,
      meta: json,
      metaPath: '',
      lookup,
      own: lookupIn(obj(json.properties), json),
      base: baseUrl(json, ctx.sourceUrl),
      inherited: undefined,
      collection: true,
    },
    id,
    warnings,
  );
  if (!str(json.description)) warnings.push(coded('description', 'stac.description.missing'));

  const spatial: Location[] = extent.bboxes.map((b) => bboxLocation(b));
  const temporal = extent.intervals.map(periodOfTime).filter((p): p is PeriodOfTime => p !== undefined);
  if (temporal.length < extent.intervals.length) warnings.push(coded('extent.temporal.interval', 'stac.interval.open'));
  const declaredBox = extent.bboxes[0] as Bbox | undefined;
  if (enrichment?.itemBbox && (!declaredBox || !sameBbox(enrichment.itemBbox, declaredBox))) {
    spatial.push(bboxLocation(enrichment.itemBbox, 'extent of the items'));
    if (declaredBox && !within(enrichment.itemBbox, declaredBox)) warnings.push(coded('extent.spatial.bbox[0]', 'stac.bbox.itemsBeyond'));
  }
  if (enrichment?.itemInterval) {
    const items = periodOfTime(enrichment.itemInterval);
    const declared = extent.intervals[0] as Interval | undefined;
    if (items && (enrichment.itemInterval[0] !== declared?.[0] || enrichment.itemInterval[1] !== declared?.[1])) temporal.push(items);
  }

  const own = { spatial, temporal, isPartOf: d.parents, granuleCount: enrichment?.itemCount };
  return { record: stacRecord('stac-collection', json, id, ctx, d, own, warnings), warnings };
}

/** Checks the enrichment a harvester passed (it comes through an untyped RawRecord context). */
function readEnrichment(e: StacEnrichment): StacEnrichment {
  const count = e.itemCount;
  if (!Number.isInteger(count) || count < 0)
    throw new RecordError('map', `enrichment.itemCount: expected an integer >= 0, got ${JSON.stringify(count)}`);
  const itemBbox: Bbox | undefined = e.itemBbox === undefined ? undefined : readBbox(e.itemBbox, 'enrichment.itemBbox');
  const itemInterval: Interval | undefined =
    e.itemInterval === undefined ? undefined : readInterval(e.itemInterval, 'enrichment.itemInterval');
  return { itemCount: count, ...(itemBbox ? { itemBbox } : {}), ...(itemInterval ? { itemInterval } : {}) };
}

/** Whether box a lies within box b (boxes across the antimeridian are not compared: true). */
function within(a: Bbox, b: Bbox): boolean {
  if (a[0] > a[2] || b[0] > b[2]) return true;
  const eps = 1e-9;
  return a[0] >= b[0] - eps && a[1] >= b[1] - eps && a[2] <= b[2] + eps && a[3] <= b[3] + eps;
}
