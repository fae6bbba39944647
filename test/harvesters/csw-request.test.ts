/** CSW request builders: KVP (2.0.2 and 3.0), XML bodies, constraints and the incremental condition. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import {
  capabilitiesUrl,
  combineConstraint,
  getRecordsBody,
  getRecordsUrl,
  modifiedQueryable,
  splitFilter,
  withKvp,
} from '../../harvesters/csw/request.js';

const GMD = 'http://www.isotc211.org/2005/gmd';
const base = { outputSchema: GMD, typeNames: 'gmd:MD_Metadata', startPosition: 8, maxRecords: 7 };
const OGC_FILTER =
  '<ogc:Filter xmlns:ogc="http://www.opengis.net/ogc"><ogc:PropertyIsLike wildCard="%" singleChar="_" escapeChar="\\"><ogc:PropertyName>apiso:Title</ogc:PropertyName><ogc:Literal>%soil%</ogc:Literal></ogc:PropertyIsLike></ogc:Filter>';

const params = (url: string) => [...new URL(url).searchParams];

test('GetRecords KVP, CSW 2.0.2: every parameter of the standard request', () => {
  const url = getRecordsUrl('http://127.0.0.1:9/csw', { ...base, version: '2.0.2', constraint: { cql: "apiso:Modified >= '2024-01-01'" } });
  assert.equal(params(url), [
    ['service', 'CSW'],
    ['version', '2.0.2'],
    ['request', 'GetRecords'],
    ['typeNames', 'gmd:MD_Metadata'],
    ['resultType', 'results'],
    ['elementSetName', 'full'],
    ['outputSchema', GMD],
    ['startPosition', '8'],
    ['maxRecords', '7'],
    ['constraintLanguage', 'CQL_TEXT'],
    ['constraint_language_version', '1.1.0'],
    ['constraint', "apiso:Modified >= '2024-01-01'"],
  ]);
  assert.not.match(url, '+'); // spaces as %20
});

test('GetRecords KVP, CSW 3.0: no resultType, no constraint_language_version', () => {
  const url = getRecordsUrl('http://127.0.0.1:9/csw', { ...base, version: '3.0.0', constraint: { cql: 'dc:title like "%a%"' } });
  const keys = params(url).map(([k]) => k);
  assert.ok(!keys.includes('resultType') && !keys.includes('constraint_language_version'), keys.join());
  assert.equal(new URL(url).searchParams.get('version'), '3.0.0');
  assert.equal(new URL(url).searchParams.get('constraintLanguage'), 'CQL_TEXT');
});

test('KVP with a Filter: constraintLanguage FILTER, and a Filter without its own xmlns gets one', () => {
  const url = getRecordsUrl('http://h/csw', {
    ...base,
    version: '2.0.2',
    constraint: { filter: OGC_FILTER.replace(' xmlns:ogc="http://www.opengis.net/ogc"', '') },
  });
  const c = new URL(url).searchParams.get('constraint')!;
  assert.is(new URL(url).searchParams.get('constraintLanguage'), 'FILTER');
  assert.ok(c.startsWith('<ogc:Filter xmlns:ogc="http://www.opengis.net/ogc">'), c);
  assert.is(XMLValidator.validate(c), true);
});

test('the configured URL keeps its own parameters; CSW ones in it are replaced', () => {
  const url = withKvp('http://h/pycsw/csw.py?config=a.yml&SERVICE=WMS&Request=GetCapabilities', [['service', 'CSW']]);
  assert.equal(params(url), [
    ['config', 'a.yml'],
    ['service', 'CSW'],
  ]);
  assert.equal(params(capabilitiesUrl('http://h/geonetwork/srv/eng/csw')), [
    ['service', 'CSW'],
    ['request', 'GetCapabilities'],
    ['acceptVersions', '2.0.2,3.0.0'],
  ]);
});

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', processEntities: true });

test('GetRecords XML, CSW 2.0.2: well-formed, attributes, Query typeNames, CqlText escaped', () => {
  const body = getRecordsBody({ ...base, version: '2.0.2', constraint: { cql: "dc:title like '%<&>%'" } });
  assert.is(XMLValidator.validate(body), true);
  const doc = xml.parse(body)['csw:GetRecords'];
  assert.equal(
    [doc.service, doc.version, doc.resultType, doc.startPosition, doc.maxRecords, doc.outputSchema],
    ['CSW', '2.0.2', 'results', '8', '7', GMD],
  );
  assert.is(doc['xmlns:csw'], 'http://www.opengis.net/cat/csw/2.0.2');
  assert.is(doc['csw:Query'].typeNames, 'gmd:MD_Metadata');
  assert.is(doc['csw:Query']['csw:ElementSetName'], 'full');
  assert.is(doc['csw:Query']['csw:Constraint'].version, '1.1.0');
  assert.is(doc['csw:Query']['csw:Constraint']['csw:CqlText'], "dc:title like '%<&>%'");
});

test('GetRecords XML, CSW 3.0: csw30 namespace only (pycsw picks the version by searching the body), no resultType', () => {
  const body = getRecordsBody({ ...base, version: '3.0.0' });
  assert.is(XMLValidator.validate(body), true);
  assert.not.match(body, 'cat/csw/2.0.2');
  assert.not.match(body, 'resultType');
  const doc = xml.parse(body)['csw30:GetRecords'];
  assert.is(doc['xmlns:csw30'], 'http://www.opengis.net/cat/csw/3.0');
  assert.is(doc['csw30:Query']['csw30:ElementSetName'], 'full');
});

test('combineConstraint: modifiedSince alone, with CQL, with an ogc:Filter, with a fes:Filter', () => {
  assert.equal(combineConstraint(undefined, '2024-01-01', 'apiso:Modified', '2.0.2'), { cql: "apiso:Modified >= '2024-01-01'" });
  assert.equal(combineConstraint({ cql: "dc:type = 'dataset'" }, '2024-01-01', 'dct:modified', '2.0.2'), {
    cql: "(dc:type = 'dataset') AND dct:modified >= '2024-01-01'",
  });
  assert.equal(combineConstraint({ cql: 'x' }, undefined, 'apiso:Modified', '2.0.2'), { cql: 'x' });
  const ogc = combineConstraint({ filter: OGC_FILTER }, '2024-01-01T00:00:00Z', 'apiso:Modified', '2.0.2') as { filter: string };
  assert.is(XMLValidator.validate(ogc.filter), true);
  const o = xml.parse(ogc.filter)['ogc:Filter']['ogc:And'];
  assert.ok(o['ogc:PropertyIsLike'], 'the configured condition is kept');
  assert.equal(o['ogc:PropertyIsGreaterThanOrEqualTo'], { 'ogc:PropertyName': 'apiso:Modified', 'ogc:Literal': '2024-01-01T00:00:00Z' });
  const fesIn =
    '<fes:Filter xmlns:fes="http://www.opengis.net/fes/2.0"><fes:PropertyIsEqualTo><fes:ValueReference>dc:type</fes:ValueReference><fes:Literal>dataset</fes:Literal></fes:PropertyIsEqualTo></fes:Filter>';
  const fes = combineConstraint({ filter: fesIn }, '2024-01-01', 'apiso:Modified', '3.0.0') as { filter: string };
  assert.equal(xml.parse(fes.filter)['fes:Filter']['fes:And']['fes:PropertyIsGreaterThanOrEqualTo'], {
    'fes:ValueReference': 'apiso:Modified',
    'fes:Literal': '2024-01-01',
  });
});

test('modifiedQueryable: apiso:Modified when advertised, else dct:modified', () => {
  assert.is(modifiedQueryable(['apiso:Modified', 'dct:modified'], 'gmd:MD_Metadata'), 'apiso:Modified');
  assert.is(modifiedQueryable(['dct:modified'], 'csw:Record'), 'dct:modified');
  assert.is(modifiedQueryable([], 'gmd:MD_Metadata'), 'apiso:Modified');
  assert.is(modifiedQueryable([], 'csw:Record'), 'dct:modified');
});

test('splitFilter: refuses what is not one Filter element', () => {
  assert.throws(() => splitFilter('<ogc:PropertyIsLike/>'), /one <ogc:Filter> or <fes:Filter> element/);
  assert.throws(() => splitFilter('<ogc:Filter><a/></ogc:Filter><b/>'), /must end with <\/ogc:Filter>/);
  assert.is(splitFilter(OGC_FILTER).namespace, 'http://www.opengis.net/ogc');
  assert.is(splitFilter('<Filter xmlns="http://www.opengis.net/ogc"/>').content, '');
});

test.run();
