import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CONTEXT_URL, recordContext } from '../../schemas/paths.js';
import { expandRecord, localDocumentLoader, recordJson, withContext } from '../../schemas/jsonld.js';
import { fixtureRecords } from './fixture-records.js';
import { validateRecord } from '../../schemas/validate.js';
import { CRYO, fullRecord } from './sample-records.js';

const DCAT = 'http://www.w3.org/ns/dcat#';
const DCT = 'http://purl.org/dc/terms/';
const XSD = 'http://www.w3.org/2001/XMLSchema#';
const GSP = 'http://www.opengis.net/ont/geosparql#';
const FOAF = 'http://xmlns.com/foaf/0.1/';
const SKOS = 'http://www.w3.org/2004/02/skos/core#';
const VCARD = 'http://www.w3.org/2006/vcard/ns#';

type Node = Record<string, any>;

test('withContext puts the inline context first and keeps the record valid', () => {
  const r = withContext(fullRecord());
  assert.equal(Object.keys(r)[0], '@context');
  assert.is(r['@context'], recordContext());
  assert.equal(validateRecord(r), []);
  assert.equal(withContext(r)['@context'], recordContext(), 'idempotent');
});

test('recordJson is JSON.stringify(withContext(record)) byte for byte: every fixture record, the full record, with a context of its own', async () => {
  const records = [fullRecord(), ...(await fixtureRecords()).map((f) => f.record)];
  for (const r of records) assert.is(recordJson(r), JSON.stringify(withContext(r)));
  const own = { ...fullRecord(), '@context': 'https://example.org/other' } as any;
  assert.is(recordJson(own), JSON.stringify(withContext(own)));
  assert.is(recordJson({} as any), JSON.stringify(withContext({} as any)));
});

test('the local loader serves only the context URL: never the network', async () => {
  const doc = await localDocumentLoader(CONTEXT_URL);
  assert.equal((doc.document as Node)['@context'], recordContext());
  for (const url of ['https://schema.org/', 'http://example.org/context.jsonld', 'file:///etc/passwd']) {
    try {
      await localDocumentLoader(url);
      assert.unreachable(`loaded ${url}`);
    } catch (err) {
      assert.match((err as Error).message, `refusing to load ${url}`);
    }
  }
  // A record pointing at a foreign context cannot be expanded either.
  const foreign = { ...fullRecord(), '@context': 'https://schema.org/' };
  const { expand } = (await import('jsonld')).default;
  try {
    await (expand as (doc: unknown, o: unknown) => Promise<unknown>)(foreign, { documentLoader: localDocumentLoader });
    assert.unreachable('expanded with a remote context');
  } catch (err) {
    const details = (err as { details?: { code?: string; cause?: Error } }).details;
    assert.is(details?.code, 'loading remote context failed');
    assert.match(details?.cause?.message ?? '', 'refusing to load https://schema.org/');
  }
});

test('the full record expands to the DCAT-AP IRIs (safe mode: nothing dropped)', async () => {
  const md = CRYO.datasets[0].metadata;
  const [ds] = (await expandRecord(fullRecord())) as Node[];
  assert.equal(ds['@type'], [`${DCAT}Dataset`, 'https://schema.org/Dataset']);
  assert.equal(ds[`${DCT}title`], [
    { '@value': md.title, '@language': 'en' },
    { '@value': 'Évolution des glaciers : bilan de masse du glacier d’Argentière', '@language': 'fr' },
  ]);
  const loc = ds[`${DCT}spatial`][0];
  assert.equal(loc['@type'], [`${DCT}Location`]);
  assert.equal(loc[`${DCAT}bbox`][0]['@type'], `${GSP}wktLiteral`);
  assert.match(loc[`${DCAT}bbox`][0]['@value'], /^POLYGON\(\(6\.96007 45\.92699,7\.03347 45\.92699,/);
  const period = ds[`${DCT}temporal`][0];
  assert.equal(period[`${DCAT}startDate`], [{ '@value': '1995-10-17', '@type': `${XSD}date` }]);
  assert.equal(period[`${DCAT}endDate`], [{ '@value': '2015-09-25', '@type': `${XSD}date` }]);
  const dist = ds[`${DCAT}distribution`][0];
  assert.equal(dist[`${DCAT}accessURL`], [{ '@id': md.onlineResource.urlInfo }]);
  assert.equal(dist[`${DCAT}downloadURL`], [{ '@id': md.onlineResource.urlDownload }]);
  assert.equal(dist[`${DCAT}byteSize`], [{ '@value': 123456, '@type': `${XSD}nonNegativeInteger` }]);
  assert.equal(dist[`${DCAT}mediaType`], [
    { '@id': 'https://www.iana.org/assignments/media-types/text/plain', '@type': [`${DCT}MediaType`] },
  ]);
  assert.equal(ds[`${DCAT}theme`][0]['@id'], 'http://inspire.ec.europa.eu/theme/ef');
  assert.equal(ds[`${DCT}issued`], [{ '@value': '2016', '@type': `${XSD}gYear` }]);
  assert.equal(ds[`${DCT}license`][0]['@id'], md.dataConstraint.licence.url);
  assert.equal(ds[`${DCAT}keyword`].length, 3);
  assert.equal(ds[`${DCT}publisher`][0]['@type'], [`${FOAF}Organization`, `${FOAF}Agent`], 'DCAT-AP wants a foaf:Agent');
  assert.equal(ds[`${DCAT}contactPoint`][0]['@type'], [
    'http://www.w3.org/2006/vcard/ns#Individual',
    'http://www.w3.org/2006/vcard/ns#Kind',
  ]);
  // The catalog record points at the dataset with foaf:primaryTopic (a reverse property in the context).
  const cr = ds['@reverse'][`${FOAF}primaryTopic`][0];
  assert.equal(cr['@type'], [`${DCAT}CatalogRecord`]);
  assert.equal(cr[`${DCT}modified`], [{ '@value': '2020-06-15', '@type': `${XSD}date` }]);
});

test('the record itself is typed for DCAT-AP: referenced resources carry their range class, agents foaf:Agent', async () => {
  const r = fullRecord();
  const [ds] = (await expandRecord(r)) as Node[];
  const types = (v: Node[]) => v.map((x) => x['@type']);
  assert.equal(types(ds[`${DCT}language`]), [[`${DCT}LinguisticSystem`]]);
  assert.equal(types(ds[`${DCT}conformsTo`]), [[`${DCT}Standard`]]);
  assert.equal(types(ds[`${DCT}accrualPeriodicity`]), [[`${DCT}Frequency`]]);
  assert.equal(types(ds[`${DCAT}landingPage`]), [[`${FOAF}Document`]]);
  assert.equal(types(ds[`${DCT}type`]), [[`${SKOS}Concept`]]);
  assert.ok(ds[`${DCT}type`][0][`${SKOS}prefLabel`].length > 0, 'a concept has a label');
  assert.equal(types(ds[`${DCT}creator`]), [[`${FOAF}Person`, `${FOAF}Agent`]]);
  assert.equal(ds[`${DCAT}spatialResolutionInMeters`], [{ '@value': '25', '@type': `${XSD}decimal` }]);
  const cr = ds['@reverse'][`${FOAF}primaryTopic`][0];
  assert.equal(types(cr[`${DCT}conformsTo`]), [[`${DCT}Standard`]]);
  assert.equal(types(cr[`${DCAT}contactPoint`]), [[`${VCARD}Organization`, `${VCARD}Kind`]], 'GeoDCAT-AP: the metadata contact');
  // servesDataset stays a plain reference: the served dataset is typed in its own record
  assert.equal(ds[`${DCAT}servesDataset`], [{ '@id': r.servesDataset![0] }]);
});

test('a key the context does not define makes expansion throw (safe mode) instead of being dropped', async () => {
  const bad = { ...fullRecord(), notInContext: 'x' };
  try {
    await expandRecord(bad);
    assert.unreachable('expanded an unknown key');
  } catch (err) {
    assert.match(JSON.stringify((err as { details?: unknown }).details ?? (err as Error).message), 'notInContext');
  }
});

test.run();
