/**
 * The pure converter of OGC API - Records (pipelines/ogc-records.ts) on records made here, for what the fixture
 * catalogue lacks: a time extent whose start is a date and whose end a date-time (and the reverse), which Records
 * /req/record-core/time-interval B and C forbid to leave mixed; and the `geometry` queryable, which must admit the two
 * polygons of a box across the antimeridian; the source record linked only where a client can fetch it.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { boxGeometry, queryablesDoc, recordFeature, timeInterval } from '../../pipelines/ogc-records.js';
import { smallRecord, type SmallRecordOptions } from '../schemas/sample-records.js';
import { CQL2_QUERYABLES } from '../../pipelines/cql2-query.js';

const OPTS = { apiUrl: 'http://hub.example/ogcapi', serverUrl: 'http://hub.example', collectionId: 'catalogue' };
const intervalOf = (start: SmallRecordOptions['start'], end: SmallRecordOptions['end']) =>
  (recordFeature(smallRecord({ source: 's', id: 'r', title: { en: 'R' }, start, end }), OPTS).time as { interval: string[] }).interval;

test('time.interval: a date facing a date-time becomes a date-time (the first or last instant of its day, UTC, as indexed)', () => {
  assert.equal(
    intervalOf({ '@value': '2010-01-01', '@type': 'xsd:date' }, { '@value': '2015-09-25T14:00:00+02:00', '@type': 'xsd:dateTime' }),
    ['2010-01-01T00:00:00Z', '2015-09-25T12:00:00Z'],
  );
  assert.equal(intervalOf({ '@value': '2010-01-01T06:30:00Z', '@type': 'xsd:dateTime' }, { '@value': '2015', '@type': 'xsd:gYear' }), [
    '2010-01-01T06:30:00Z',
    '2015-12-31T23:59:59.999Z',
  ]);
  // two dates, two date-times, an open end: as they are
  assert.equal(intervalOf({ '@value': '2018-06', '@type': 'xsd:gYearMonth' }, { '@value': '2019-02-03', '@type': 'xsd:date' }), [
    '2018-06-01',
    '2019-02-03',
  ]);
  assert.equal(intervalOf({ '@value': '2018-06-01T00:00:00Z', '@type': 'xsd:dateTime' }, undefined), ['2018-06-01T00:00:00Z', '..']);
  assert.equal(intervalOf(undefined, { '@value': '2019-02-03', '@type': 'xsd:date' }), ['..', '2019-02-03']);
  assert.equal(timeInterval('2019-02-03', '2019-02-03T10:00:00Z'), ['2019-02-03T00:00:00Z', '2019-02-03T10:00:00Z']);
});

test('the geometry queryable admits every geometry a record gets: a polygon, or two across the antimeridian', () => {
  const format = (queryablesDoc('http://hub.example/ogcapi', 'catalogue', 'C').properties as Record<string, { format?: string }>).geometry
    .format!;
  const types = [
    boxGeometry({ west: 1, south: 2, east: 3, north: 4 })!.type,
    boxGeometry({ west: 177, south: -19, east: -178, north: -16 })!.type,
  ];
  assert.equal(types, ['Polygon', 'MultiPolygon']);
  for (const t of types)
    assert.ok(
      format
        .replace(/^geometry-/, '')
        .split('-or-')
        .includes(t.toLowerCase()),
      `${format} admits ${t}`,
    );
});

test('the queryables document names exactly the properties a CQL2 filter can use', () => {
  const doc = queryablesDoc('http://hub.example/ogcapi', 'catalogue', 'C').properties as Record<string, unknown>;
  assert.equal(Object.keys(doc).sort(), Object.keys(CQL2_QUERYABLES).sort());
});

test('queryables typed as the records hold them: an array of strings where a record holds several values', () => {
  const doc = queryablesDoc('http://hub.example/ogcapi', 'catalogue', 'C').properties as Record<
    string,
    { type?: string; format?: string; items?: { type: string } }
  >;
  // several per record: keywords, themes (and the variable categories among them), distribution formats, the licences
  // of the record and of its distributions, resource languages, external identifiers (Features Part 3's example of an
  // array queryable: {type: array, items: {type: string}})
  const arrays = ['externalIds', 'formats', 'keywords', 'language', 'license', 'themes', 'variableCategory'];
  for (const n of arrays) assert.equal(doc[n], { ...doc[n], type: 'array', items: { type: 'string' } }, n);
  // one per record
  for (const n of ['id', 'type', 'source', 'publisher', 'rating']) assert.is(doc[n].type, 'string', n);
  for (const n of ['created', 'updated', 'time']) assert.equal([doc[n].type, doc[n].format], ['string', 'date-time'], n);
  assert.is(doc.geometry.type, undefined);
  assert.equal(
    Object.keys(doc)
      .filter((n) => doc[n].type === 'array')
      .sort(),
    arrays,
  );
});

test('the source record is a via link when harvested over HTTP(S), never a file path of the harvesting machine', () => {
  const via = (sourceUrl: string) => {
    const r = smallRecord({ source: 's', id: 'r', title: { en: 'R' } });
    r.isPrimaryTopicOf.sourceUrl = sourceUrl;
    return (recordFeature(r, OPTS).links as { rel: string; href: string }[]).filter((l) => l.rel === 'via').map((l) => l.href);
  };
  const csw = 'https://catalogue.example.org/csw?service=CSW&request=GetRecordById&id=r';
  assert.equal(via(csw), [csw]);
  assert.equal(via('file:///srv/hub/samples/stac/collection.json'), []);
});

test.run();
