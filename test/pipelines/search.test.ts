/** searchRecords against the real Elasticsearch node: place, time, theme, keyword, text and facets. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { HubRecord } from '../../schemas/record.js';
import { validateRecord } from '../../schemas/validate.js';
import { ensureIndex } from '../../pipelines/index-admin.js';
import { BulkIndexer } from '../../pipelines/indexer.js';
import { UsageError } from '../../core/result.js';
import { searchRecords, type SearchParams } from '../../pipelines/search.js';
import { Client, errors } from '@elastic/elasticsearch';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deleteIndices, esClient, tempIndexName } from '../helpers/services.js';
import { CRYO, fullRecord, smallRecord } from '../schemas/sample-records.js';

const alias = tempIndexName('search');
const client = await esClient();
const SOURCE = 'ozcar-cryo';

/** A record of CRYO dataset i: its real title, polygon envelope and observation period. */
function cryoRecord(i: number): HubRecord {
  const ds = CRYO.datasets[i];
  const ring = ds.metadata.spatialExtent.geometry.coordinates[0];
  const xs = ring.map((p) => p[0]);
  const ys = ring.map((p) => p[1]);
  const begins = ds.observations.map((o) => o.temporalExtent.dateBeg).sort();
  const ends = ds.observations.map((o) => o.temporalExtent.dateEnd).sort();
  return smallRecord({
    source: SOURCE,
    id: ds.datasetId,
    title: { en: ds.metadata.title },
    description: { en: ds.metadata.description },
    bbox: [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)],
    start: { '@value': begins[0].slice(0, 10), '@type': 'xsd:date' },
    end: { '@value': ends[ends.length - 1].slice(0, 10), '@type': 'xsd:date' },
    keywords: ds.metadata.topicCategories,
  });
}

const FIJI = smallRecord({
  source: 'hand',
  id: 'fiji-reefs',
  title: { en: 'Coral reefs of Fiji' },
  bbox: [177, -19, -178, -16],
  start: { '@value': '2019', '@type': 'xsd:gYear' },
  end: { '@value': '2020', '@type': 'xsd:gYear' },
  themes: ['http://inspire.ec.europa.eu/theme/hb'],
});
const OPEN = smallRecord({
  source: 'hand',
  id: 'brittany-rivers',
  title: { fr: 'Débits des rivières de Bretagne' },
  bbox: [-5.2, 47.3, -1, 48.9],
  start: { '@value': '2018-06', '@type': 'xsd:gYearMonth' },
  keywords: ['Hydrologie'],
});
const SERVICE = smallRecord({
  source: 'hand',
  id: 'soil-wms',
  title: { fr: 'Carte des sols (WMS)' },
  type: ['dcat:DataService', 'schema:WebAPI'],
});

const RECORDS = [fullRecord(), ...CRYO.datasets.slice(1).map((_, i) => cryoRecord(i + 1)), FIJI, OPEN, SERVICE];
const ids = (hits: { id: string }[]) => hits.map((h) => h.id).sort();
async function found(params: SearchParams): Promise<string[]> {
  const res = await searchRecords(client, alias, { size: 100, ...params });
  assert.is(res.total, res.hits.length);
  return ids(res.hits);
}

test.before(async () => {
  await ensureIndex(client, alias);
  const indexer = new BulkIndexer({ client, index: alias, runId: 'search-run', refresh: true });
  for (const r of RECORDS) {
    assert.equal(validateRecord(r), [], r.identifier);
    await indexer.add(r, { source: r.isPrimaryTopicOf.sourceId });
  }
  const stats = await indexer.close();
  assert.is(stats.new, RECORDS.length);
  assert.is(stats.failed, 0);
});
test.after(async () => {
  await deleteIndices(client, `${alias}-v*`);
});

test('text: accents, case and plurals folded on both sides', async () => {
  assert.equal(await found({ q: 'evolution glacier' }), ['ozcar-cryo:CRYO_DAT_gl_mb_alp_arg']);
  assert.equal(await found({ q: 'ÉVOLUTION DES GLACIERS' }), ['ozcar-cryo:CRYO_DAT_gl_mb_alp_arg']);
  assert.equal(await found({ q: 'debit riviere' }), ['hand:brittany-rivers']);
  // Every word is required: "Mass balance" is in the three mass-balance datasets only.
  assert.equal(await found({ q: 'mass balance' }), [
    'ozcar-cryo:CRYO_DAT_gl_mb_alp_arg',
    'ozcar-cryo:CRYO_DAT_gl_mb_alp_gb',
    'ozcar-cryo:CRYO_DAT_gl_mb_alp_st',
  ]);
  const res = await searchRecords(client, alias, { q: 'Antarctica meteo', size: 10 });
  assert.equal(ids(res.hits), [
    'ozcar-cryo:CRYO_DAT_gl_met_ant_cp',
    'ozcar-cryo:CRYO_DAT_gl_met_ant_d17',
    'ozcar-cryo:CRYO_DAT_gl_met_ant_dc',
  ]);
  assert.equal(res.hits[0].record.title.en, CRYO.datasets.find((d) => res.hits[0].id.endsWith(d.datasetId))!.metadata.title);
});

test('place: box intersection, including boxes crossing the antimeridian on either side', async () => {
  // The Alps: four CRYO datasets (the meteo one spans the other three).
  assert.equal(await found({ bbox: [5, 44, 8, 47] }), [
    'ozcar-cryo:CRYO_DAT_gl_mb_alp_arg',
    'ozcar-cryo:CRYO_DAT_gl_mb_alp_gb',
    'ozcar-cryo:CRYO_DAT_gl_mb_alp_st',
    'ozcar-cryo:CRYO_DAT_gl_met_alp',
  ]);
  // A small box inside the meteo box only, between the glaciers.
  assert.equal(await found({ bbox: [6.7, 45.5, 6.8, 45.6] }), ['ozcar-cryo:CRYO_DAT_gl_met_alp']);
  // Western France: Brittany only (the Alps are east of 2°E).
  assert.equal(await found({ bbox: [-10, 40, 2, 50] }), ['hand:brittany-rivers']);
  // Fiji from its western part, its eastern part, and a query box that itself crosses the antimeridian.
  assert.equal(await found({ bbox: [178, -20, 179, -15] }), ['hand:fiji-reefs']);
  assert.equal(await found({ bbox: [-179, -20, -177, -15] }), ['hand:fiji-reefs']);
  assert.equal(await found({ bbox: [175, -25, -175, -10] }), ['hand:fiji-reefs']);
  // West < east: these boxes go the long way round, through 0°, and stop short of the antimeridian.
  assert.equal(await found({ bbox: [-178.5, -20, 176, -15] }), ['hand:fiji-reefs'], 'touches Fiji east of 180°');
  assert.equal(await found({ bbox: [-177.5, -20, 176.5, -15] }), [], 'leaves out Fiji (176.5..180 and -180..-177.5)');
  // Antarctica: the three points of East Antarctica (Dome C at 123.3°E, Cap Prudhomme and D17 near 139.8°E).
  assert.equal(await found({ bbox: [120, -80, 140, -60] }), [
    'ozcar-cryo:CRYO_DAT_gl_met_ant_cp',
    'ozcar-cryo:CRYO_DAT_gl_met_ant_d17',
    'ozcar-cryo:CRYO_DAT_gl_met_ant_dc',
  ]);
  assert.equal(await found({ bbox: [139.8, -67, 140, -66] }), ['ozcar-cryo:CRYO_DAT_gl_met_ant_cp'], 'a point record');
});

test('time: range intersection with whole years and months, and an open end', async () => {
  // Only the open-ended Brittany record reaches 2021.
  assert.equal(await found({ from: '2021' }), ['hand:brittany-rivers']);
  // December 2019: Fiji (2019..2020) and Brittany (2018-06.. open).
  assert.equal(await found({ from: '2019-12', to: '2019-12' }), ['hand:brittany-rivers', 'hand:fiji-reefs']);
  // Up to the end of 1994: only Saint-Sorlin starts in 1994 (Gebroulaz 1995-05-23, Argentière's record 1995-10-17).
  assert.equal(await found({ to: '1994' }), ['ozcar-cryo:CRYO_DAT_gl_mb_alp_st']);
  assert.equal(await found({ to: '1995-10-16' }), ['ozcar-cryo:CRYO_DAT_gl_mb_alp_gb', 'ozcar-cryo:CRYO_DAT_gl_mb_alp_st']);
  assert.equal(await found({ to: '1995-10-17' }), [
    'ozcar-cryo:CRYO_DAT_gl_mb_alp_arg',
    'ozcar-cryo:CRYO_DAT_gl_mb_alp_gb',
    'ozcar-cryo:CRYO_DAT_gl_mb_alp_st',
  ]);
  // D17 ends 2012-12-31: found on its last day, not the day after.
  assert.ok((await found({ from: '2012-12-31', to: '2012-12-31' })).includes('ozcar-cryo:CRYO_DAT_gl_met_ant_d17'));
  assert.not.ok((await found({ from: '2013-01-01', to: '2013-01-01' })).includes('ozcar-cryo:CRYO_DAT_gl_met_ant_d17'));
});

test('theme (IRI or label), keyword (any case), source and type filters; combined with text and place', async () => {
  assert.equal(await found({ theme: 'http://inspire.ec.europa.eu/theme/hb' }), ['hand:fiji-reefs']);
  assert.equal(await found({ theme: CRYO.datasets[0].metadata.inspireTheme }), ['ozcar-cryo:CRYO_DAT_gl_mb_alp_arg']);
  assert.equal(await found({ keyword: 'hydrologie' }), ['hand:brittany-rivers']);
  assert.is((await found({ keyword: 'GEOSCIENTIFIC INFORMATION' })).length, CRYO.datasets.length);
  assert.equal(await found({ type: 'service' }), ['hand:soil-wms']);
  assert.equal(await found({ source: 'hand', type: ['dataset'] }), ['hand:brittany-rivers', 'hand:fiji-reefs']);
  assert.equal(await found({ q: 'glacier', bbox: [6.5, 45.2, 6.7, 45.4], from: '2000', to: '2001' }), ['ozcar-cryo:CRYO_DAT_gl_mb_alp_gb']);
});

test('facets and the start-year histogram', async () => {
  const res = await searchRecords(client, alias, { size: 0, aggs: true });
  assert.is(res.total, RECORDS.length);
  assert.is(res.hits.length, 0);
  assert.equal(res.facets!.source, [
    { key: SOURCE, count: CRYO.datasets.length },
    { key: 'hand', count: 3 },
  ]);
  assert.equal(res.facets!.type, [
    { key: 'dataset', count: RECORDS.length - 1 },
    { key: 'service', count: 1 },
  ]);
  assert.ok(res.facets!.keyword.some((b) => b.key === 'Geoscientific Information' && b.count === CRYO.datasets.length));
  assert.equal(res.facets!.licence, [{ key: CRYO.datasets[0].metadata.dataConstraint.licence.title, count: 1 }]);
  const years = Object.fromEntries(res.startYears!.map((b) => [b.year, b.count]));
  assert.is(years['1994'], 1, 'Saint-Sorlin');
  assert.is(years['1995'], 2, 'Argentière and Gebroulaz');
  assert.is(years['2019'], 1);
  assert.is(
    res.startYears!.reduce((n, b) => n + b.count, 0),
    RECORDS.length - 1,
    'every record with a time but the service',
  );
});

test("an INSPIRE theme facet is labelled in the reader's language, whichever language its record names it in", async () => {
  const ef = 'http://inspire.ec.europa.eu/theme/ef';
  const label = async (lang?: string) =>
    (await searchRecords(client, alias, { size: 0, aggs: true, ...(lang ? { lang } : {}) })).facets!.theme.find((b) => b.key === ef);
  // the record names it in English only, as its OZCAR file does
  assert.equal(fullRecord().theme?.find((c) => c['@id'] === ef)?.prefLabel, { en: CRYO.datasets[0].metadata.inspireTheme });
  // the INSPIRE registry's label (https://inspire.ec.europa.eu/theme/ef) for a French reader; the record's own otherwise
  assert.equal(await label('fr'), { key: ef, count: 1, label: 'Installations de suivi environnemental', labelLang: 'fr' });
  assert.equal(await label('en'), { key: ef, count: 1, label: 'Environmental monitoring facilities', labelLang: 'en' });
  assert.equal(await label(), { key: ef, count: 1, label: 'Environmental monitoring facilities', labelLang: 'en' });
  assert.equal(await label('de'), { key: ef, count: 1, label: 'Environmental monitoring facilities', labelLang: 'en' });
  // a concept of another scheme keeps the labels its record gives
  const glaciers = fullRecord().theme![1]['@id'];
  const category = (await searchRecords(client, alias, { size: 0, aggs: true, lang: 'fr' })).facets!.variableCategory.find(
    (b) => b.key === glaciers,
  );
  assert.equal(category, { key: glaciers, count: 1, label: 'Glaciers and ice sheets', labelLang: 'en' });
});

test('bad parameters are refused before any request, as usage errors that name the parameter and the coordinate', async () => {
  const cases: [Record<string, unknown>, string, RegExp][] = [
    [{ bbox: [0, 10, 5, 5] }, 'bbox', /^bbox south 10 is north of north 5/],
    [{ bbox: [200, 0, 210, 10] }, 'bbox', /^bbox west 200 is not a longitude/],
    [{ bbox: [0, 0, 10, 95] }, 'bbox', /^bbox north 95 is not a latitude/],
    [{ from: '2019-13' }, 'from', /^from must be a date/],
    [{ to: 'soon' }, 'to', /^to must be a date/],
    [{ from: '2020', to: '2019' }, 'from', /after/],
    [{ size: 5000 }, 'size', /^size must be/],
  ];
  for (const [p, param, message] of cases) {
    try {
      await searchRecords(client, alias, p);
      assert.unreachable(JSON.stringify(p));
    } catch (err) {
      assert.instance(err, UsageError, JSON.stringify(p));
      assert.is((err as UsageError).param, param);
      assert.match((err as Error).message, message);
    }
  }
});

test('an Elasticsearch error is thrown as the client throws it, after one request: a missing index', async () => {
  const missing = tempIndexName('search-missing');
  let requests = 0;
  const count = () => requests++;
  client.diagnostic.on('request', count);
  try {
    const err = await searchRecords(client, missing, { q: 'glacier' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.instance(err, errors.ResponseError);
    const e = err as InstanceType<typeof errors.ResponseError>;
    assert.is(e.statusCode, 404);
    assert.is((e.meta.body as { error?: { type?: string } }).error?.type, 'index_not_found_exception');
    assert.match(e.message, /^index_not_found_exception\n\tRoot causes:\n\t\tindex_not_found_exception: no such index/);
    assert.is(requests, 1);
  } finally {
    client.diagnostic.off('request', count);
  }
});

test('an answer cut short (the connection lost in its body) is a ConnectionError at once, as the client says it', async () => {
  // a node that sends the headers of a whole answer and half of its body, then drops the connection
  const whole = Buffer.from(JSON.stringify({ took: 1, hits: { total: { value: 1, relation: 'eq' }, hits: [] } }));
  const node = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch', 'content-length': whole.length });
    res.write(whole.subarray(0, whole.length >> 1), () => setTimeout(() => res.destroy(), 50));
  });
  await new Promise<void>((resolve) => node.listen(0, '127.0.0.1', resolve));
  const cut = new Client({ node: `http://127.0.0.1:${(node.address() as AddressInfo).port}`, maxRetries: 0, requestTimeout: 10_000 });
  try {
    const started = Date.now();
    const err = await searchRecords(cut, alias, { q: 'glacier' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    // (a ConnectionError is "Elasticsearch does not answer": GET /search then answers 503, not 500)
    assert.instance(err, errors.ConnectionError);
    assert.match((err as Error).message, /other side closed|closed while reading/);
    assert.ok(Date.now() - started < 5000, 'the error comes when the connection is lost, not at the timeout');
  } finally {
    await cut.close();
    node.closeAllConnections();
    await new Promise((resolve) => node.close(resolve));
  }
});

test.run();
