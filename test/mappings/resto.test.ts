/**
 * The resto crosswalk on recorded answers (test/fixtures/resto/README.md): a PEPS product (resto 2), resto 2.5.2's
 * PEPS Sentinel-2 collection description (two languages), an OpenSearch Atom entry (Mundi); and resto 6's STAC-like
 * item read by the STAC crosswalk. Each record is validated (mapRecord).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { all, parseXml } from '../../core/xml.js';
import { RecordError } from '../../core/result.js';
import { restoToRecord } from '../../mappings/resto/index.js';
import { mapRecord } from '../../pipelines/map.js';
import { projectPath } from '../../schemas/paths.js';
import type { HubRecord } from '../../schemas/record.js';
import type { RawRecord } from '../../harvesters/types.js';

const read = (f: string) => readFileSync(projectPath('test', 'fixtures', 'resto', f), 'utf8');
const json = (f: string) => JSON.parse(read(f)) as Record<string, unknown>;
function map(raw: Omit<RawRecord, 'location'>): HubRecord {
  const m = mapRecord({ ...raw, location: 'test' }, { harvestedAt: '2026-12-01T00:00:00Z' });
  if (!m.ok) throw new Error(m.error);
  return m.record;
}

test('a PEPS product (resto 2): its name, extent, platform and instrument, download and WMS, quicklook, collection', () => {
  const peps = json('eodag-peps_search.json') as { features: Record<string, unknown>[] };
  const r = map({ source: 'peps', format: 'resto-product', body: peps.features[0], context: { collection: 'S2ST' } });
  assert.is(r.identifier, 'peps:S2A_MSIL1C_20200815T005251_N0209_R002_T55PDR_20200815T023440');
  assert.equal(r.otherIdentifier, [
    { '@type': 'adms:Identifier', notation: '01f888ef-3368-59ff-a639-52242d159d7c', schemaAgency: 'resto' },
  ]);
  assert.match(r.spatial![0].bbox!['@value'], /^POLYGON\(\(146\.07173856054 13\.478316386477,147\.09056628434 /);
  assert.is(JSON.parse(r.spatial![0].geometry!['@value']).type, 'MultiPolygon');
  assert.equal(r.temporal, [
    {
      '@type': 'dct:PeriodOfTime',
      startDate: { '@value': '2020-08-15T00:52:51.024Z', '@type': 'xsd:dateTime' },
      endDate: { '@value': '2020-08-15T00:52:51.024Z', '@type': 'xsd:dateTime' },
    },
  ]);
  assert.equal([r.platform, r.instrument, r.processingLevel, r.dataType], [['S2A'], ['MSI', 'INS-NOBS'], ['LEVEL1C'], ['S2MSI1C']]);
  const [download, wms] = r.distribution!;
  assert.is(download.downloadURL, 'https://peps.cnes.fr/resto/collections/S2ST/01f888ef-3368-59ff-a639-52242d159d7c/download');
  assert.is(download.byteSize, 781865648);
  assert.equal(download.mediaType, { '@id': 'https://www.iana.org/assignments/media-types/application/zip', '@type': 'dct:MediaType' });
  assert.equal(wms.conformsTo, [{ '@id': 'http://www.opengis.net/def/serviceType/ogc/wms', '@type': 'dct:Standard' }]);
  assert.equal(r.depiction, [
    'https://peps.cnes.fr/quicklook/2020/08/15/S2A/S2A_MSIL1C_20200815T005251_N0209_R002_T55PDR_20200815T023440_quicklook.jpg',
  ]);
  assert.equal(r.isPartOf, ['https://data.hub.example/record/peps:S2ST']);
  // resto's keywords without those it derives from the date and the collection
  assert.equal(r.keyword, { '@none': ['S2MSI1C', 'LEVEL1C', 's2A', 'msi', 'INS-NOBS', 'Descending', 'Nominal'] });
  assert.is(r.publisher!.name['@none'], 'ESA');
  assert.is(r.isPrimaryTopicOf.sourceFormat, 'resto-product');
});

test("resto 2's PEPS Sentinel-2 collection: its OpenSearch description in two languages, contact, attribution, access", () => {
  const r = map({ source: 'peps', format: 'resto-collection', body: json('resto-v2.5.2-collection-S2_PEPS.json') });
  assert.is(r.identifier, 'peps:S2');
  assert.equal(r.title, { en: 'Sentinel-2', fr: 'Sentinel-2' });
  assert.match(r.description!.en, /Data are downloaded from the French Space Agency Sentinel Exploitation Platform \(PEPS\)$/); // HTML removed
  assert.equal(r.keyword!.en, ['sentinel2', 'sentinel', 's2', 'esa', 'cnes', 'optical']);
  assert.equal(r.contactPoint, [
    { '@type': ['vcard:Individual', 'vcard:Kind'], fn: 'Jérôme Gasperi', hasEmail: 'mailto:jerome.gasperi@gmail.com' },
  ]);
  assert.equal(r.rights![0].label, { en: 'CNES. Copyright 2015, All Rights Reserved', fr: 'CNES. Copyright 2015, All Rights Reserved' });
  assert.is(r.accessRights!['@id'], 'http://publications.europa.eu/resource/authority/access-right/PUBLIC');
  // as resto 2 lists it (one language, statistics): facets and counts
  const listed = { ...json('resto-v2.5.2-collection-S2_PEPS.json') };
  listed.osDescription = (listed.osDescription as Record<string, unknown>).en;
  listed.statistics = { count: 1234, facets: { platform: { S2A: 800, S2B: 434 }, productType: { S2MSI1C: 1234 } } };
  const l = map({ source: 'peps', format: 'resto-collection', body: listed });
  assert.equal(l.title, { '@none': 'Sentinel-2' });
  assert.equal([l.platform, l.dataType, l.granuleCount], [['S2A', 'S2B'], ['S2MSI1C'], 1234]);
});

test('an OpenSearch Atom entry (Mundi): georss box (latitude first) and polygon, dc:date, eo: elements, quicklooks', () => {
  const feed = parseXml(read('eodag-mundi_search.xml')).root;
  const r = map({
    source: 'mundi',
    format: 'opensearch-entry',
    body: all(feed, 'entry')[0],
    context: { collection: 'S2' },
  });
  assert.is(r.identifier, 'mundi:S2A_MSIL1C_20200815T005251_N0209_R002_T55PBQ_20200815T023440');
  // <georss:box>13.0051676309 144.782186453 13.5622621538 145.2460125142</georss:box>: south west north east
  assert.is(
    r.spatial![0].bbox!['@value'],
    'POLYGON((144.782186453 13.0051676309,145.2460125142 13.0051676309,145.2460125142 13.5622621538,144.782186453 13.5622621538,144.782186453 13.0051676309))',
  );
  const ring = JSON.parse(r.spatial![0].geometry!['@value']).coordinates[0] as number[][];
  assert.equal(ring[0], [145.24601251424042, 13.005167630855658]); // longitude first
  assert.equal([r.platform, r.instrument, r.processingLevel, r.dataType, r.gsd], [['Sentinel2'], ['MSI'], ['L1C'], ['IMAGE'], [10]]);
  assert.is(r.temporal![0].startDate!['@value'], '2020-08-15T00:52:51Z');
  assert.is(r.depiction!.length, 2);
  assert.equal(r.rights![0].label, { '@none': 'Copernicus Sentinel data' });
  assert.equal(r.isPartOf, ['https://data.hub.example/record/mundi:S2']);
});

test("resto 6's STAC-like item and collection: the STAC crosswalk maps them", () => {
  const page = json('resto-v6.0.0-api-example-RestoFeatureCollection.json') as { features: Record<string, unknown>[] };
  const collection = (json('resto-v6.0.0-api-example-collections.json') as { collections: Record<string, unknown>[] }).collections[0];
  const c = map({ source: 'r6', format: 'stac-collection', body: collection });
  assert.is(c.identifier, 'r6:L8');
  const item = map({ source: 'r6', format: 'stac-item', body: page.features[0], context: { collection } });
  assert.is(item.identifier, 'r6:L8/8030a391-4002-556f-929b-d7ff9dad6705');
  assert.equal(item.isPartOf, ['https://data.hub.example/record/r6:L8']);
});

test('what is not a resto record is a RecordError', () => {
  const ctx = { source: 's', harvestedAt: '2026-12-01T00:00:00Z' };
  assert.throws(
    () => restoToRecord('x', 'resto-product', ctx),
    (e: unknown) => e instanceof RecordError,
  );
  assert.throws(
    () => restoToRecord({ type: 'Feature', id: 'a' }, 'resto-product', ctx),
    (e: unknown) => e instanceof RecordError && /properties: missing/.test((e as Error).message),
  );
  assert.throws(
    () => restoToRecord({ osDescription: {} }, 'resto-collection', ctx),
    (e: unknown) => e instanceof RecordError && /needs a name/.test((e as Error).message),
  );
});

test.run();
