import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MAPPING_VERSION, INDEX_MAPPINGS } from '../../mappings/es-index.js';
import { dateBounds } from '../../core/dates.js';
import {
  boxCentre,
  enclosingBox,
  geometryBox,
  parseBboxWkt,
  prepareDoc,
  recordHash,
  splitBox,
  toIndexDoc,
} from '../../mappings/index-doc.js';
import { readdirSync } from 'node:fs';
import { itemsFromFile } from '../../pipelines/files.js';
import { mapRecord } from '../../pipelines/map.js';
import { sharedFixture } from '../../schemas/paths.js';
import type { HubRecord } from '../../schemas/record.js';
import { CRYO, bboxWkt, fullRecord, reharvested, smallRecord } from '../schemas/sample-records.js';

test('the full CRYO record projects onto every facet', () => {
  const r = fullRecord();
  const md = CRYO.datasets[0].metadata;
  const d = toIndexDoc(r, { runId: 'run-1', lastSeen: '2026-11-25T13:00:00.000Z' });
  assert.is(d.id, 'ozcar-cryo:CRYO_DAT_gl_mb_alp_arg');
  assert.is(d.source, 'ozcar-cryo');
  assert.is(d.original_id, CRYO.datasets[0].datasetId);
  assert.is(d.type, 'dataset');
  assert.equal(d.record.title, r.title);
  assert.is((d.record as unknown as Record<string, unknown>)['@context'], undefined);
  assert.equal(d.title, [
    'glacioclim mass balance dataset argentiere glacier alpe',
    'evolution des glacier bilan de masse du glacier d argentiere',
  ]);
  assert.is(d.title_sort, 'evolution des glaciers bilan de masse du glacier d argentiere', 'French title preferred for sorting');
  assert.equal(d.keywords, [...md.topicCategories, CRYO.datasets[0].observations[0].observedProperty.name]);
  assert.equal(d.themes, ['http://inspire.ec.europa.eu/theme/ef', 'https://w3id.org/ozcar-theia/glaciersIceSheets']);
  assert.equal(d.theme_labels, [md.inspireTheme, 'Glaciers and ice sheets']);
  assert.equal(d.topic_categories, ['climatologyMeteorologyAtmosphere']);
  assert.equal(d.language, ['ENG']);
  assert.equal(d.formats, ['TXT', 'text/plain']);
  assert.equal(d.publisher, [CRYO.producer.title]);
  assert.ok(d.organisations.includes('Institut des Géosciences de Grenoble'));
  assert.not.ok(d.organisations.includes('Delphine Six'), 'persons are not organisations');
  assert.equal(d.licence, [md.dataConstraint.licence.title]);
  assert.equal(d.access_rights, ['public']);
  assert.is(d.has_doi, true);
  assert.equal(d.variables, ['Summer Mass Balance (point)']);
  assert.equal(d.gsd, [0.5]);
  assert.is(d.granule_count, CRYO.datasets[0].observations.length);
  // all_text carries the folded lineage, party names and identifiers.
  for (const w of [
    'broadcasted unmodified',
    'delphine six',
    'veronique chaffard',
    'cryo_dat_gl_mb_alp_arg'.replace(/_/g, ' '),
    '10 17178',
  ]) {
    assert.ok(d.all_text.includes(w), w);
  }
  // Place: the bbox of the CRYO polygon, and its centre.
  assert.equal(d.bbox, { west: 6.96007, south: 45.92699, east: 7.03347, north: 45.96389 });
  assert.is(d.bbox_split, undefined);
  assert.ok(Math.abs(d.centroid!.lon - 6.99677) < 1e-9 && Math.abs(d.centroid!.lat - 45.94544) < 1e-9);
  // Time and dates: a gYear and a gYearMonth become their first instant.
  assert.equal(d.time, [{ gte: '1995-10-17T00:00:00.000Z', lte: '2015-09-25T23:59:59.999Z' }]);
  assert.is(d.time_start, '1995-10-17T00:00:00.000Z');
  assert.is(d.time_end, '2015-09-25T23:59:59.999Z');
  assert.is(d.issued, '2016-01-01T00:00:00.000Z');
  assert.is(d.modified, '2019-03-01T00:00:00.000Z');
  assert.equal(d.harvest, {
    source: 'ozcar-cryo',
    harvested_at: '2026-11-25T12:00:00.000Z',
    content_hash: r.isPrimaryTopicOf.contentHash,
    record_hash: recordHash(r),
    mapping_version: MAPPING_VERSION,
    last_seen: '2026-11-25T13:00:00.000Z',
    run_id: 'run-1',
  });
});

test('every field of the document is in the strict mapping', () => {
  const d = toIndexDoc(fullRecord()) as unknown as Record<string, unknown>;
  const mapped = Object.keys(INDEX_MAPPINGS.properties);
  for (const k of Object.keys(d)) assert.ok(mapped.includes(k), `${k} is mapped`);
});

test('year and month precision become whole periods; an open end stays open', () => {
  assert.equal(dateBounds({ '@value': '2019', '@type': 'xsd:gYear' }), {
    start: '2019-01-01T00:00:00.000Z',
    end: '2019-12-31T23:59:59.999Z',
  });
  assert.equal(dateBounds({ '@value': '2020-02', '@type': 'xsd:gYearMonth' }), {
    start: '2020-02-01T00:00:00.000Z',
    end: '2020-02-29T23:59:59.999Z',
  });
  assert.equal(dateBounds({ '@value': '2019-05-01T10:00:00+02:00', '@type': 'xsd:dateTime' }), {
    start: '2019-05-01T08:00:00.000Z',
    end: '2019-05-01T08:00:00.000Z',
  });
  assert.is(dateBounds({ '@value': '-0500', '@type': 'xsd:gYear' }), undefined, 'years before 0001 are not indexed');
  const open = toIndexDoc(smallRecord({ source: 's', id: 'o', title: { en: 'o' }, start: { '@value': '2019', '@type': 'xsd:gYear' } }));
  assert.equal(open.time, [{ gte: '2019-01-01T00:00:00.000Z' }]);
  assert.is(open.time_start, '2019-01-01T00:00:00.000Z');
  assert.is(open.time_end, undefined);
});

test('facet values are composed (NFC): a keyword written with a combining accent is the same value as the precomposed one', () => {
  const r = smallRecord({ source: 's', id: 'nfc', title: { en: 'nfc' } });
  r.keyword = { fr: ['tempe\u0301rature', 'température', 'sol'] };
  assert.equal(toIndexDoc(r).keywords, ['température', 'sol']);
});

test('a period open at its start leaves the overall start open (no time_start), whatever the other periods start', () => {
  const r = smallRecord({ source: 's', id: 'os', title: { en: 'os' }, end: { '@value': '2010', '@type': 'xsd:gYear' } });
  r.temporal = [
    ...(r.temporal ?? []),
    {
      '@type': 'dct:PeriodOfTime',
      startDate: { '@value': '2015', '@type': 'xsd:gYear' },
      endDate: { '@value': '2020', '@type': 'xsd:gYear' },
    },
  ];
  const d = toIndexDoc(r);
  assert.equal(d.time, [{ lte: '2010-12-31T23:59:59.999Z' }, { gte: '2015-01-01T00:00:00.000Z', lte: '2020-12-31T23:59:59.999Z' }]);
  assert.is(d.time_start, undefined);
  assert.is(d.time_end, '2020-12-31T23:59:59.999Z');
});

test('a box crossing the antimeridian is split in two parts, each with west <= east', () => {
  const d = toIndexDoc(smallRecord({ source: 's', id: 'fiji', title: { en: 'Fiji' }, bbox: [177, -19, -178, -16] }));
  assert.equal(d.bbox, { west: 177, south: -19, east: 180, north: -16 });
  assert.equal(d.bbox_split, { west: -180, south: -19, east: -178, north: -16 });
  assert.equal(d.centroid, { lat: -17.5, lon: 179.5 });
  assert.equal(boxCentre({ west: 170, south: 0, east: -150, north: 0 }).lon, -170);
  assert.equal(splitBox({ west: -180, south: -90, east: 180, north: 90 }).length, 1, 'the whole world is one part');
});

test('several boxes are enclosed in the smallest box, across the antimeridian when narrower', () => {
  assert.equal(
    enclosingBox([
      { west: 1, south: 40, east: 2, north: 41 },
      { west: -5, south: 42, east: -4, north: 43 },
    ]),
    { west: -5, south: 40, east: 2, north: 43 },
  );
  // Two islands on either side of the antimeridian: the box goes through it (10° wide), not round the world.
  assert.equal(
    enclosingBox([
      { west: 172, south: -10, east: 175, north: -8 },
      { west: -178, south: -12, east: -175, north: -11 },
    ]),
    { west: 172, south: -12, east: -175, north: -8 },
  );
  assert.equal(
    enclosingBox([
      { west: 170, south: 0, east: -170, north: 1 },
      { west: 0, south: 0, east: 10, north: 1 },
    ]),
    { west: 0, south: 0, east: -170, north: 1 },
  );
});

test('boxes from WKT and GeoJSON geometries (the CRYO polygon)', () => {
  const geo = CRYO.datasets[0].metadata.spatialExtent.geometry;
  assert.equal(geometryBox({ '@value': JSON.stringify(geo), '@type': 'gsp:geoJSONLiteral' }), {
    west: 6.96007,
    south: 45.92699,
    east: 7.03347,
    north: 45.96389,
  });
  assert.equal(geometryBox({ '@value': 'LINESTRING(1 2, 3 -4)', '@type': 'gsp:wktLiteral' }), { west: 1, south: -4, east: 3, north: 2 });
  assert.equal(parseBboxWkt('<http://www.opengis.net/def/crs/OGC/1.3/CRS84> ' + bboxWkt(-5, 41, 10, 51)), {
    west: -5,
    south: 41,
    east: 10,
    north: 51,
  });
  assert.is(parseBboxWkt(bboxWkt(-5, 95, 10, 51)), undefined, 'out of range');
  // A location with only a geometry is indexed by its envelope.
  const r = smallRecord({ source: 's', id: 'g', title: { en: 'g' } });
  r.spatial = [{ '@type': 'dct:Location', geometry: { '@value': JSON.stringify(geo), '@type': 'gsp:geoJSONLiteral' } }];
  assert.equal(toIndexDoc(r).bbox, { west: 6.96007, south: 45.92699, east: 7.03347, north: 45.96389 });
});

test('the record hash ignores the harvest time and @context, not the content', () => {
  const a = fullRecord();
  const b = fullRecord();
  b.isPrimaryTopicOf.harvestedAt = { '@value': '2027-01-01T00:00:00Z', '@type': 'xsd:dateTime' };
  (b as unknown as Record<string, unknown>)['@context'] = 'https://w3id.org/fair-harvester/context.jsonld';
  assert.is(recordHash(a), recordHash(b));
  b.title = { ...b.title, de: 'Gletscher' };
  assert.is.not(recordHash(a), recordHash(b));
});

test('types and the DOI flag', () => {
  const svc = smallRecord({ source: 's', id: 'svc', title: { en: 'x' }, type: ['dcat:DataService', 'schema:WebAPI'] });
  assert.is(toIndexDoc(svc).type, 'service');
  const ser = smallRecord({ source: 's', id: 'ser', title: { en: 'x' }, type: ['dcat:DatasetSeries', 'dcat:Dataset', 'schema:Dataset'] });
  assert.is(toIndexDoc(ser).type, 'series');
  assert.is(toIndexDoc(ser).has_doi, false);
  const doiId = smallRecord({ source: 's', id: '10.17178/CRYOBSCLIM.CLB.all', title: { en: 'x' } });
  assert.is(toIndexDoc(doiId).has_doi, true);
});

test('prepareDoc writes exactly JSON.stringify(toIndexDoc) in UTF-8 and recordHash, on records of every family', async () => {
  const files = ['iso19139', 'iso19115-3', 'stac', 'ozcar'].flatMap((dir) =>
    readdirSync(sharedFixture(dir))
      .filter((f) => /\.(xml|json)$/.test(f))
      .map((f) => sharedFixture(dir, f)),
  );
  const records: HubRecord[] = [fullRecord()];
  for (const file of files) {
    for await (const item of itemsFromFile(file, 'fx')) {
      if (item.kind !== 'record') continue;
      const result = mapRecord(item.raw, { harvestedAt: '2026-11-25T12:00:00Z' });
      if (result.ok) records.push(result.record);
    }
  }
  assert.ok(records.length > 20, `only ${records.length} records`);
  const run = { runId: 'run-7', seenAt: '2026-11-25T13:00:00.000Z' };
  for (const r of records) {
    const p = prepareDoc(r, { source: r.isPrimaryTopicOf.sourceId }, run);
    const expected = JSON.stringify(toIndexDoc(r, { runId: run.runId, lastSeen: run.seenAt }));
    assert.is(Buffer.from(p.json).toString('utf8'), expected, r.identifier);
    assert.is(p.recordHash, recordHash(r), r.identifier);
    // the bytes own their buffer (a mapping worker transfers it)
    assert.is(p.json.byteLength, p.json.buffer.byteLength);
    // the record hash does not change with the harvest time, only the line does; nor does it with the catalogue
    // record's `modified` when that is the harvest time (a source without a date stamp: the crosswalk writes both)
    const later = reharvested(r, '2027-01-01T00:00:00Z');
    const q = prepareDoc(later, { source: r.isPrimaryTopicOf.sourceId }, run);
    assert.is(q.recordHash, p.recordHash, r.identifier);
    assert.is.not(Buffer.from(q.json).toString('utf8'), expected);
  }
});

test.run();
