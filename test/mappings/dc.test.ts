/**
 * mappings/dc: real CSW Dublin Core records (pycsw's, test/fixtures/csw/README.md), each value checked against the
 * XML it comes from.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { cswRecordToRecord } from '../../mappings/dc/index.js';
import { xmlRecordFormat } from '../../core/formats.js';
import { splitRecords } from '../../harvesters/csw/records.js';
import { projectPath } from '../../schemas/paths.js';
import { recordIri } from '../../schemas/record.js';
import { checkRecord } from '../../schemas/validate.js';
import { warningLine } from '../../core/warnings.js';

const SOURCE = 'pycsw';
const CTX = { source: SOURCE, harvestedAt: '2026-12-07T07:00:00Z' };
const fixture = (f: string) => readFileSync(projectPath('test', 'fixtures', 'csw', f), 'utf8');
/** The record of a file: a GetRecordById answer split as the harvester splits it, or a bare csw:Record. */
const map = (f: string) => {
  const [rec] = splitRecords(fixture(f)).records;
  assert.is(xmlRecordFormat(rec.xml), 'csw-record');
  const out = cswRecordToRecord(rec.xml, CTX);
  assert.equal(checkRecord(out.record).errors, []);
  return out;
};

test('PacIOOS NS06 in Dublin Core (pycsw GetRecordById, full): every element to its field', () => {
  const { record: r, warnings } = map('pycsw-apiso-GetRecordById-full-dc.xml');
  assert.is(r.identifier, 'pycsw:NS06agg'); // <dc:identifier>NS06agg
  assert.equal(r['@type'], ['dcat:Dataset', 'schema:Dataset']); // <dc:type>dataset
  assert.equal(r.title, { en: 'PacIOOS Nearshore Sensor 06: Pohnpei, Micronesia' }); // dc:language eng -> "en"
  assert.ok(r.description!.en.startsWith('The nearshore sensors are part of the Pacific Islands Ocean Observing System'));
  assert.ok(r.keyword!.en.includes('Oceans > Ocean Chemistry > Chlorophyll')); // &gt; decoded
  assert.ok(r.keyword!.en.includes('sea_water_temperature'));
  assert.is(r.keyword!.en.filter((k) => k === 'Pacific Islands Ocean Observing System (PacIOOS)').length, 1); // given twice
  // scheme="...#MD_TopicCategoryCode": the INSPIRE topic category concept
  assert.equal(
    r.theme!.map((t) => t['@id']),
    ['http://inspire.ec.europa.eu/metadata-codelist/TopicCategory/climatologyMeteorologyAtmosphere'],
  );
  assert.equal(r.modified, { '@value': '2014-04-16', '@type': 'xsd:date' }); // dct:modified
  assert.equal(r.issued, { '@value': '2014-04-16', '@type': 'xsd:date' }); // dc:date
  assert.equal(r.language, [{ '@id': 'http://publications.europa.eu/resource/authority/language/ENG', '@type': 'dct:LinguisticSystem' }]);
  // ows:BoundingBox crs EPSG 4326: "6.96 158.22" is latitude then longitude -> POINT-like box at lon 158.22, lat 6.96
  assert.equal(r.spatial, [
    {
      '@type': 'dct:Location',
      bbox: { '@value': 'POLYGON((158.22 6.96,158.22 6.96,158.22 6.96,158.22 6.96,158.22 6.96))', '@type': 'gsp:wktLiteral' },
    },
  ]);
  // 8 dct:references: the thumbnail a depiction, the 7 others distributions; scheme WWW:LINK is the protocol
  assert.equal(r.depiction, ['http://pacioos.org/metadata/browse/NS06agg.png']);
  assert.is(r.distribution!.length, 7);
  assert.equal(r.distribution![1], {
    '@type': 'dcat:Distribution',
    accessURL: 'http://oos.soest.hawaii.edu/thredds/dodsC/pacioos/nss/ns06agg.html',
    protocol: 'WWW:LINK',
  });
  assert.is(
    r.distribution![2].accessURL,
    'http://pacioos.org/voyager/index.html?b=6.874279%2C158.077126%2C7.050468%2C158.369808&tz=pont&o=qual:2::p0NS06p1',
  );
  assert.is(r.relation, undefined); // <dc:relation></dc:relation>: empty
  assert.is(r.isPrimaryTopicOf.sourceFormat, 'csw-record');
  assert.is(r.isPrimaryTopicOf.conformsTo?.['@id'], 'http://www.opengis.net/cat/csw/2.0.2');
  // one dc:format (WWW:LINK) for seven links: not guessed
  assert.equal(warnings.map(warningLine), ["dc:format: 1 format(s) for 7 link(s): which format is which link's is not said; not kept"]);
});

test('CITE record 94bc9c83: a dataset, a subject with a scheme that is no concept scheme IRI, dc:date, a lat/lon box', () => {
  const { record: r, warnings } = map('pycsw-cite-Record_94bc9c83.xml');
  assert.is(r.identifier, 'pycsw:urn:uuid:94bc9c83-97f6-4b40-9eb8-a8e8787a5c63');
  assert.equal(r.title, { '@none': 'Mauris sed neque' }); // no dc:language
  assert.equal(r.keyword, { '@none': ['Vegetation-Cropland'] });
  assert.equal(
    r.resourceType!.map((t) => t['@id']),
    ['http://purl.org/dc/dcmitype/Dataset'],
  );
  assert.equal(r.issued, { '@value': '2006-03-26', '@type': 'xsd:date' });
  // <ows:LowerCorner>47.595 -4.097</ows:LowerCorner> <ows:UpperCorner>51.217 0.889</ows:UpperCorner>, EPSG:6.11:4326
  assert.equal(r.spatial![0].bbox!['@value'], 'POLYGON((-4.097 47.595,0.889 47.595,0.889 51.217,-4.097 51.217,-4.097 47.595))');
  assert.equal(warnings, []);
});

test('CITE record 19887a8a: a place name (dct:spatial), an image format without a link', () => {
  const { record: r } = map('pycsw-cite-Record_19887a8a.xml');
  assert.equal(r.spatial, [{ '@type': 'dct:Location', prefLabel: { '@none': 'GR-22' } }]);
  assert.equal(
    r.resourceType!.map((t) => t['@id']),
    ['http://purl.org/dc/dcmitype/Image'],
  );
  assert.is(r.distribution, undefined);
});

test('CITE record 6a3de50b: a service (DCMI Service) related to record 94bc9c83 of the same catalogue', () => {
  const { record: r } = map('pycsw-cite-Record_6a3de50b.xml');
  assert.equal(r['@type'], ['dcat:DataService', 'schema:WebAPI']);
  assert.equal(r.relation, [recordIri(SOURCE, 'urn:uuid:94bc9c83-97f6-4b40-9eb8-a8e8787a5c63')]);
});

test('a WGS84BoundingBox is longitude first; a box in another CRS is left out, said; CSW 3.0 records read the same', () => {
  const xml = fixture('pycsw-cite-Record_94bc9c83.xml')
    .replace('http://www.opengis.net/cat/csw/2.0.2', 'http://www.opengis.net/cat/csw/3.0')
    .replace(
      '<dc:date>',
      '<ows:WGS84BoundingBox><ows:LowerCorner>-4.097 47.595</ows:LowerCorner><ows:UpperCorner>0.889 51.217</ows:UpperCorner></ows:WGS84BoundingBox><ows:BoundingBox crs="EPSG:2154"><ows:LowerCorner>1 2</ows:LowerCorner><ows:UpperCorner>3 4</ows:UpperCorner></ows:BoundingBox><dc:date>',
    );
  assert.is(xmlRecordFormat(xml), 'csw-record');
  const { record: r, warnings } = cswRecordToRecord(xml, CTX);
  assert.is(r.spatial!.length, 1); // the lat/lon box and the lon/lat box are the same box
  assert.is(r.isPrimaryTopicOf.conformsTo?.['@id'], 'http://www.opengis.net/cat/csw/3.0');
  assert.ok(warnings.map(warningLine).some((l) => l.includes('crs "EPSG:2154" is not EPSG:4326 nor CRS84')));
});

test.run();
