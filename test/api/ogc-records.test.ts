/**
 * OGC API - Records at /ogcapi over the fixture records of every family: the landing page, conformance, collections
 * (the whole catalogue and one per source, with counts and extents), items with each Records Part 1 parameter and
 * property filter (what each finds computed here from the records), one record as GeoJSON with the properties and
 * links the standard lists, HTML for browsers, the 400s and 404s; and OWSLib's client
 * (owslib.ogcapi.records.Records, from .cache/pyenv) on a listening server: records(), collection_items() with bbox,
 * datetime, q and limit, collection_item(), collection_queryables(), api().
 */
import { spawn } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../api/server.js';
import { silentLogger } from '../../pipelines/log.js';
import { projectPath } from '../../schemas/paths.js';
import type { HubRecord } from '../../schemas/record.js';
import { ensurePythonVenv, venvBin } from '../../scripts/services/python.js';
import { deleteIndices, esClient, esUrl, tempIndexName } from '../helpers/services.js';
import { indexFixtureCatalogue } from '../helpers/catalogue.js';
import { boxes, inBox, overlaps } from '../helpers/extents.js';

const alias = tempIndexName('ogc');
const client = await esClient();
let app: FastifyInstance;
let url = '';
let records: HubRecord[] = [];

interface Feature {
  id: string;
  type: string;
  conformsTo: string[];
  time: { interval: string[] } | null;
  geometry: { type: string; coordinates: unknown } | null;
  properties: Record<string, any>;
  links: { href: string; rel: string; type?: string; title?: string }[];
}
interface FC {
  type: string;
  features: Feature[];
  numberMatched: number;
  numberReturned: number;
  links: { href: string; rel: string; type?: string }[];
}

async function get(path: string, headers: Record<string, string> = {}) {
  const r = await app.inject({ url: path, headers });
  return { status: r.statusCode, type: String(r.headers['content-type']), body: r.body, json: () => r.json() };
}
async function items(collection: string, query: string): Promise<FC> {
  const r = await get(`/ogcapi/collections/${collection}/items?${/(^|&)limit=/.test(query) ? '' : 'limit=1000&'}${query}`);
  assert.is(r.status, 200, `${query}: ${r.body.slice(0, 300)}`);
  assert.match(r.type, /application\/geo\+json/);
  return r.json();
}
const sorted = (xs: string[]) => [...xs].sort();
const found = async (collection: string, query: string) => {
  const fc = await items(collection, query);
  assert.is(fc.numberMatched, fc.numberReturned, query);
  return sorted(fc.features.map((f) => f.id));
};
const expectIds = (pred: (r: HubRecord) => boolean) => sorted(records.filter(pred).map((r) => r.identifier));

const text = (r: HubRecord) => JSON.stringify([r.title, r.description, r.keyword]).toLowerCase();

test.before(async () => {
  records = (await indexFixtureCatalogue(client, alias)).records;
  app = await buildServer({ client, alias, esUrl: await esUrl(), log: silentLogger });
  await app.listen({ host: '127.0.0.1', port: 0 });
  url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
});
test.after(async () => {
  await app?.close();
  await deleteIndices(client, `${alias}*`);
});

test('landing page and conformance', async () => {
  const land = (await get('/ogcapi')).json();
  const rels = land.links.map((l: { rel: string }) => l.rel);
  for (const rel of ['self', 'service-desc', 'conformance', 'data']) assert.ok(rels.includes(rel), rel);
  const desc = land.links.find((l: { rel: string }) => l.rel === 'service-desc');
  const self = land.links.find((l: { rel: string }) => l.rel === 'self').href as string;
  assert.is(desc.href, `${self}/api`);
  // the description of this API alone, its paths relative to the landing page (OGC API - Common), as clients
  // look operations up (GDAL: /collections/{collectionId}/items)
  const res = await get('/ogcapi/api');
  assert.is(res.type, 'application/vnd.oai.openapi+json;version=3.0');
  const api = res.json() as { servers: { url: string }[]; paths: Record<string, { get?: unknown }> };
  assert.equal(api.servers, [{ url: self }]);
  const paths = Object.keys(api.paths).sort();
  assert.ok(paths.includes('/collections/{collectionId}/items'), paths.join(' '));
  assert.ok(!paths.some((p) => p.startsWith('/ogcapi') || p.startsWith('/search')), paths.join(' '));
  // every path, its parameters filled with real values, answers from the server URL
  const one = records.find((r) => r.identifier.includes('/'))!;
  for (const path of paths) {
    const filled = path.replace('{collectionId}', one.isPrimaryTopicOf.sourceId).replace('{recordId}', one.identifier);
    const r = await get(new URL(api.servers[0].url + filled).pathname);
    assert.is(r.status, 200, `${path}: ${r.body.slice(0, 200)}`);
  }
  assert.is(paths.length, Object.keys((await get('/openapi.json')).json().paths).filter((p) => p.startsWith('/ogcapi')).length);
  const bad = await get('/ogcapi/api?f=html');
  assert.is(bad.status, 400);
  assert.is(bad.json().parameter, 'f');
  const conf = (await get('/ogcapi/conformance')).json().conformsTo as string[];
  for (const c of [
    'ogcapi-features-1/1.0/conf/core',
    'ogcapi-records-1/1.0/conf/record-core',
    'ogcapi-records-1/1.0/conf/records-api',
    'ogcapi-records-1/1.0/conf/html',
  ])
    assert.ok(
      conf.some((x) => x.endsWith(c)),
      c,
    );
});

test('collections: the whole catalogue and one per source, with record counts and extents', async () => {
  const doc = (await get('/ogcapi/collections')).json() as {
    collections: { id: string; itemType: string; recordCount: number; extent: any; links: any[] }[];
  };
  const bySource: Record<string, number> = {};
  for (const r of records) bySource[r.isPrimaryTopicOf.sourceId] = (bySource[r.isPrimaryTopicOf.sourceId] ?? 0) + 1;
  assert.equal(
    doc.collections.map((c) => c.id),
    ['catalogue', ...Object.keys(bySource).sort()],
  );
  for (const c of doc.collections) {
    assert.is(c.itemType, 'record');
    assert.is(c.recordCount, c.id === 'catalogue' ? records.length : bySource[c.id], c.id);
    assert.ok(c.links.some((l: { rel: string }) => l.rel === 'items'));
  }
  // the extent of a source: the box enclosing its records' boxes, the interval from the earliest start to the latest end
  const cryo = doc.collections.find((c) => c.id === 'fx-cryo')!;
  const bs = records.filter((r) => r.isPrimaryTopicOf.sourceId === 'fx-cryo').flatMap(boxes);
  assert.equal(cryo.extent.spatial.bbox[0], [
    Math.min(...bs.map((b) => b[0])),
    Math.min(...bs.map((b) => b[1])),
    Math.max(...bs.map((b) => b[2])),
    Math.max(...bs.map((b) => b[3])),
  ]);
  assert.is(cryo.extent.temporal.interval[0].length, 2);
  // the catalogue's interval is open: a record (Brittany) has no end
  const all = doc.collections.find((c) => c.id === 'catalogue')!;
  assert.is(all.extent.temporal.interval[0][1], null);
  const one = (await get('/ogcapi/collections/fx-kars')).json();
  assert.is(one.recordCount, bySource['fx-kars']);
});

test('items: bbox, datetime, q (phrases, commas for alternatives), type, ids, externalIds and property filters', async () => {
  const alps = [5.5, 44.5, 7.5, 46.5];
  assert.equal(
    await found('catalogue', `bbox=${alps.join(',')}`),
    expectIds((r) => boxes(r).some((b) => inBox(b, alps))),
  );
  const across = [170, -30, -170, 10];
  assert.equal(
    await found('catalogue', `bbox=${across.join(',')}`),
    expectIds((r) => boxes(r).some((b) => inBox(b, across))),
  );
  assert.ok((await found('catalogue', `bbox=${across.join(',')}`)).includes('hand:fiji-reefs'));
  assert.equal(
    await found('catalogue', 'datetime=2010-01-01/2010-12-31'),
    expectIds((r) => overlaps(r, Date.UTC(2010, 0, 1), Date.UTC(2011, 0, 1) - 1)),
  );
  assert.equal(
    await found('catalogue', 'datetime=../1995-10-16'),
    expectIds((r) => overlaps(r, -Infinity, Date.parse('1995-10-17T00:00:00Z') - 1)),
  );
  assert.equal(
    await found('catalogue', 'datetime=2021-01-01T00:00:00Z/..'),
    expectIds((r) => overlaps(r, Date.UTC(2021, 0, 1), Infinity)),
  );
  assert.equal(
    await found('catalogue', 'datetime=2019-07-01'),
    expectIds((r) => overlaps(r, Date.UTC(2019, 6, 1), Date.UTC(2019, 6, 2) - 1)),
  );
  // q: words separated by spaces are one phrase; commas separate alternatives
  assert.equal(
    await found('catalogue', `q=${encodeURIComponent('mass balance dataset')}`),
    expectIds((r) => text(r).includes('mass balance dataset')),
  );
  assert.equal(await found('catalogue', `q=${encodeURIComponent('dataset mass balance')}`), []);
  assert.equal(await found('catalogue', `q=${encodeURIComponent('coral reefs,rivières')}`), ['hand:brittany-rivers', 'hand:fiji-reefs']);
  assert.equal(
    await found('catalogue', 'type=service'),
    expectIds((r) => r['@type'][0] === 'dcat:DataService'),
  );
  assert.equal(await found('catalogue', 'ids=hand:fiji-reefs,fx-kars:KARS_DAT_FONTNIM-1'), [
    'fx-kars:KARS_DAT_FONTNIM-1',
    'hand:fiji-reefs',
  ]);
  assert.equal(await found('catalogue', 'ids='), [], 'an empty list of ids finds nothing');
  assert.equal(await found('catalogue', 'externalIds='), [], 'nor does an empty list of external ids');
  assert.equal(await found('catalogue', 'externalIds=,'), []);
  const doi = records
    .find((r) => r.identifier === 'fx-kars:KARS_DAT_FONTNIM-1')!
    .otherIdentifier![0].notation.replace('https://doi.org/', '');
  assert.equal(await found('catalogue', `externalIds=${encodeURIComponent(`doi:${doi}`)}`), ['fx-kars:KARS_DAT_FONTNIM-1']);
  assert.equal(
    await found('catalogue', 'externalIds=doi:'),
    expectIds((r) =>
      (r.otherIdentifier ?? []).some((i) => /^(https:\/\/doi\.org\/)?10\./.test(i.notation) || /doi/i.test(i.schemaAgency ?? '')),
    ),
  );
  // property filters (queryables)
  assert.equal(await found('catalogue', 'keywords=Hydrologie'), ['hand:brittany-rivers']);
  assert.equal(
    await found('catalogue', `themes=${encodeURIComponent('http://inspire.ec.europa.eu/theme/hb')}`),
    expectIds((r) => (r.theme ?? []).some((t) => t['@id'] === 'http://inspire.ec.europa.eu/theme/hb')),
  );
  assert.equal(
    await found('catalogue', 'source=fx-tour'),
    expectIds((r) => r.isPrimaryTopicOf.sourceId === 'fx-tour'),
  );
  // a source's collection holds its records only
  assert.equal(
    await found('fx-cryo', 'bbox=-180,-90,180,90'),
    expectIds((r) => r.isPrimaryTopicOf.sourceId === 'fx-cryo' && boxes(r).length > 0),
  );
  assert.equal(await found('fx-cryo', 'source=fx-tour'), []);
  // a limit past the largest page is lowered, not refused
  const big = await items('catalogue', 'limit=5000');
  assert.is(big.numberReturned, records.length);
  // sortby
  const byUpdated = (await items('catalogue', 'sortby=-updated&limit=100')).features.map((f) => f.properties.updated as string | undefined);
  const dated = byUpdated.filter((u): u is string => !!u);
  assert.equal(dated, [...dated].sort().reverse());
});

test('paging: limit, next and prev links', async () => {
  const first = await items('fx-iso19139', 'limit=5&sortby=title');
  assert.is(first.numberReturned, 5);
  const next = first.links.find((l) => l.rel === 'next')!.href;
  assert.ok(next.startsWith(url.replace(/:\d+$/, '')) || next.startsWith('http://localhost'), next);
  const second = (await get(next.replace(/^http:\/\/[^/]+/, ''))).json() as FC;
  assert.is(second.numberReturned, 5);
  const prev = second.links.find((l) => l.rel === 'prev')!.href;
  const back = (await get(prev.replace(/^http:\/\/[^/]+/, ''))).json() as FC;
  assert.equal(
    back.features.map((f) => f.id),
    first.features.map((f) => f.id),
  );
  assert.not.ok(first.links.some((l) => l.rel === 'prev'));
  // offset skips records; startindex (pygeoapi's and pycsw's older name, older QGIS MetaSearch's) is the same
  const skipped = await items('fx-iso19139', 'limit=5&sortby=title&offset=5');
  assert.equal(
    skipped.features.map((f) => f.id),
    second.features.map((f) => f.id),
  );
  const old = await items('fx-iso19139', 'limit=5&sortby=title&startindex=5');
  assert.equal(
    old.features.map((f) => f.id),
    second.features.map((f) => f.id),
  );
  for (const l of old.links.filter((l) => l.rel === 'next' || l.rel === 'prev'))
    assert.not.match(l.href, /startindex|offset=/, `${l.rel} pages by its cursor: ${l.href}`);
  const third = (await get(old.links.find((l) => l.rel === 'next')!.href.replace(/^http:\/\/[^/]+/, ''))).json() as FC;
  assert.equal(
    third.features.map((f) => f.id),
    (await items('fx-iso19139', 'limit=5&sortby=title&offset=10')).features.map((f) => f.id),
  );
});

test('service links carry the OGC protocol name and the layer, as pycsw gives them (QGIS MetaSearch, GeoNetwork)', async () => {
  // the INSPIRE record of bathy.online (owslib-csw_iso_identifier.xml): a WMS and a WFS, each naming its layer
  const rec = records.find((x) => x.distribution?.some((d) => d.accessURL.includes('bathy.online/geoserver/MarineRegion/wms')))!;
  const f = (await get(`/ogcapi/collections/catalogue/items/${rec.identifier}`)).json() as Feature;
  const links = f.links as { href: string; rel: string; protocol?: string; name?: string }[];
  const wms = links.find((l) => l.href.includes('/MarineRegion/wms'))!;
  const wfs = links.find((l) => l.href.includes('/MarineRegion/wfs'))!;
  assert.equal([wms.rel, wms.protocol, wms.name], ['service', 'OGC:WMS', 'ManagementRestrictionOrRegulationZone']);
  assert.equal([wfs.rel, wfs.protocol, wfs.name], ['service', 'OGC:WFS', 'MarineRegion:ManagementRestrictionOrRegulationZone']);
  assert.ok(
    links.filter((l) => l.protocol).every((l) => l.rel === 'service'),
    'only service links have a protocol',
  );
  // a catalogue service (CSW) has its protocol and no layer
  const withCsw = records.find((x) => x.distribution?.some((d) => /[?&]SERVICE=CSW/i.test(d.accessURL)))!;
  const csw = ((await get(`/ogcapi/collections/catalogue/items/${withCsw.identifier}`)).json() as Feature).links as typeof links;
  const cswLink = csw.find((l) => /[?&]SERVICE=CSW/i.test(l.href))!;
  assert.equal([cswLink.rel, cswLink.protocol, cswLink.name], ['service', 'OGC:CSW', undefined]);
});

test('a record as GeoJSON: time interval with .. for open ends, geometry, properties and links of the standard', async () => {
  const r = await get('/ogcapi/collections/catalogue/items/fx-cryo:CRYO_DAT_gl_mb_alp_arg');
  assert.is(r.status, 200);
  assert.match(r.type, /geo\+json/);
  const f = r.json() as Feature;
  const rec = records.find((x) => x.identifier === f.id)!;
  assert.is(f.type, 'Feature');
  assert.ok(f.conformsTo[0].endsWith('/req/record-core'));
  assert.equal(f.time!.interval, [
    rec.temporal![0].startDate!['@value'].replace(/\.\d+Z$/, 'Z'),
    rec.temporal![0].endDate!['@value'].replace(/\.\d+Z$/, 'Z'),
  ]);
  assert.is(f.geometry!.type, 'Polygon');
  const p = f.properties;
  assert.is(p.type, 'dataset');
  assert.is(p.title, rec.title.en);
  assert.is(p.description, rec.description!.en);
  assert.equal(sorted(p.keywords), sorted([...new Set(Object.values(rec.keyword!).flat())]));
  const schemes = p.themes.map((t: { scheme: string }) => t.scheme);
  assert.ok(schemes.includes('http://inspire.ec.europa.eu/theme'), JSON.stringify(schemes));
  const inspire = p.themes.find((t: { scheme: string }) => t.scheme === 'http://inspire.ec.europa.eu/theme');
  assert.equal(inspire.concepts[0], {
    id: 'http://inspire.ec.europa.eu/theme/ef',
    title: 'Environmental monitoring facilities',
    url: 'http://inspire.ec.europa.eu/theme/ef',
  });
  assert.ok(
    p.themes.some((t: { scheme: string }) => t.scheme === 'https://w3id.org/ozcar-theia/'),
    'Theia categories have their scheme',
  );
  assert.equal(p.externalIds, [{ scheme: 'doi', value: '10.17178/CRYOBSCLIM.CLB.all' }]);
  assert.is(p.license, 'CC-BY-4.0');
  assert.ok(f.links.some((l) => l.rel === 'license'));
  assert.ok(p.contacts.length >= 2);
  for (const c of p.contacts) assert.ok((c.name || c.organization) && c.roles.length > 0, JSON.stringify(c));
  assert.ok(p.contacts.some((c: { roles: string[] }) => c.roles.includes('publisher')));
  assert.equal(p.resourceLanguages, [{ code: 'en' }]);
  assert.is(p.language.code, 'en');
  const rels = f.links.map((l) => `${l.rel} ${l.type ?? ''}`);
  for (const want of [
    'self application/geo+json',
    'alternate text/html',
    'collection application/json',
    'alternate application/ld+json',
    'alternate text/turtle',
  ])
    assert.ok(rels.includes(want), want);
  // harvested from a file here (the fixtures): no via link to a path of the harvesting machine (test/pipelines/ogc-records)
  assert.match(rec.isPrimaryTopicOf.sourceUrl ?? '', /^file:/);
  assert.not.ok(rels.includes('via '));
  assert.ok(
    f.links.some(
      (l) => l.rel === 'alternate' && l.type === 'application/ld+json' && l.href.endsWith('/records/fx-cryo%3ACRYO_DAT_gl_mb_alp_arg'),
    ),
  );
  assert.ok(
    f.links.some((l) => l.rel === 'enclosure' || l.rel === 'related'),
    'distributions',
  );
  // thumbnails are previews
  const withThumb = records.find((x) => x.depiction?.length)!;
  const t = (await get(`/ogcapi/collections/catalogue/items/${encodeURIComponent(withThumb.identifier)}`)).json() as Feature;
  assert.ok(t.links.some((l) => l.rel === 'preview' && l.href === withThumb.depiction![0]));
  // across the antimeridian: two polygons; an open end: ".."
  const fiji = (await get('/ogcapi/collections/hand/items/hand:fiji-reefs')).json() as Feature;
  assert.is(fiji.geometry!.type, 'MultiPolygon');
  assert.equal(fiji.time!.interval, ['2019-01-01', '2020-12-31']);
  const rivers = (await get('/ogcapi/collections/catalogue/items/hand:brittany-rivers')).json() as Feature;
  assert.equal(rivers.time!.interval, ['2018-06-01', '..']);
  const wms = (await get('/ogcapi/collections/catalogue/items/hand:soil-wms')).json() as Feature;
  assert.is(wms.properties.type, 'service');
  assert.is(wms.geometry, null);
  assert.is(wms.time, null);
  // a STAC item id holds "/": the path takes it whole
  const stacItem = records.find((x) => x.identifier.startsWith('fx-stac:') && x.identifier.includes('/'))!;
  const s = await get(`/ogcapi/collections/fx-stac/items/${stacItem.identifier}`);
  assert.is(s.status, 200, s.body.slice(0, 200));
  assert.is((s.json() as Feature).id, stacItem.identifier);
});

test('HTML when a browser asks (Accept or f=html), JSON otherwise', async () => {
  const browser = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };
  for (const path of [
    '/ogcapi',
    '/ogcapi/conformance',
    '/ogcapi/collections',
    '/ogcapi/collections/fx-cryo',
    '/ogcapi/collections/fx-cryo/items',
    '/ogcapi/collections/fx-cryo/queryables',
    '/ogcapi/collections/catalogue/items/hand:fiji-reefs',
  ]) {
    const h = await get(path, browser);
    assert.is(h.status, 200, path);
    assert.match(h.type, /^text\/html/, path);
    assert.match(h.body, /^<!doctype html>/, path);
    assert.match(h.body, /<link rel="alternate" type="application\//, path);
    const j = await get(path, { accept: '*/*' });
    assert.match(j.type, /json/, path);
    const forced = await get(`${path}?f=json`, browser);
    assert.match(forced.type, /json/, path);
  }
  const page = (await get('/ogcapi/collections/catalogue/items?f=html&q=coral%20reefs')).body;
  assert.match(page, /Coral reefs of Fiji|Récifs coralliens des Fidji/);
  assert.not.match(page, /<script/);
  const item = (await get('/ogcapi/collections/catalogue/items/hand:fiji-reefs?f=html')).body;
  assert.match(item, /<h1>Récifs coralliens des Fidji<\/h1>/);
});

test('license: an SPDX id, or "other" with license links; a licence given only as text links the record page where it shows', async () => {
  const fc = await items('catalogue', '');
  let textOnly = 0;
  for (const f of fc.features) {
    const rec = records.find((r) => r.identifier === f.id)!;
    const docs = [...(rec.license ?? []), ...(rec.distribution ?? []).flatMap((d) => (d.license ? [d.license] : []))];
    const links = f.links.filter((l) => l.rel === 'license');
    if (docs.length === 0) {
      assert.is(f.properties.license, undefined, f.id);
      continue;
    }
    assert.type(f.properties.license, 'string', f.id);
    // Records /req/record-core/license B: "other" says which through its links
    if (f.properties.license === 'other') assert.ok(links.length > 0, `${f.id}: license "other" without a license link`);
    for (const d of docs) {
      if (d['@id'])
        assert.ok(
          links.some((l) => l.href === d['@id']),
          `${f.id}: ${d['@id']}`,
        );
      else {
        textOnly++;
        const at = (rec.license ?? []).includes(d) ? 'rights' : 'access';
        const page = links.find((l) => l.href.endsWith(`/catalogue/records/${encodeURIComponent(f.id)}#${at}`));
        assert.ok(page, `${f.id}: a link to the page of the record for its licence text`);
        assert.is(page.type, 'text/html');
        const html = (await get(`/catalogue/records/${encodeURIComponent(f.id)}`)).body;
        assert.match(html, new RegExp(`id="${at}"`), `${f.id}: the page has the section the link points at`);
      }
    }
  }
  assert.ok(textOnly > 0, 'the fixtures hold licences given only as text');
});

test('queryables: a JSON Schema of the properties to filter on', async () => {
  const r = await get('/ogcapi/collections/catalogue/queryables');
  assert.match(r.type, /application\/schema\+json/);
  const q = r.json();
  assert.is(q.type, 'object');
  for (const p of [
    'type',
    'keywords',
    'themes',
    'formats',
    'license',
    'source',
    'rating',
    'variableCategory',
    'externalIds',
    'geometry',
    'time',
  ])
    assert.ok(q.properties[p], p);
  // several values per record are an array of strings, as the records hold them (a fixture record has several keywords)
  assert.ok(records.some((rec) => Object.values(rec.keyword ?? {}).flat().length > 1));
  assert.equal(q.properties.keywords.type, 'array');
  assert.equal(q.properties.keywords.items, { type: 'string' });
  assert.is(q.properties.source.type, 'string');
  // the page for people says so too
  const html = (await get('/ogcapi/collections/catalogue/queryables?f=html')).body;
  assert.match(html, /<th>Type<\/th>/);
  assert.match(html, /<code>keywords<\/code><\/td><td>[^<]*<\/td><td>array of string<\/td>/);
  assert.match(html, /<code>created<\/code><\/td><td>[^<]*<\/td><td>string, date-time<\/td>/);
});

test('400s name the parameter; 404s name what is missing', async () => {
  const cases: [string, string, RegExp][] = [
    ['/ogcapi/collections/catalogue/items?bbox=1,2,3', 'bbox', /four numbers/],
    ['/ogcapi/collections/catalogue/items?bbox=0,10,5,5', 'bbox', /south/],
    ['/ogcapi/collections/catalogue/items?datetime=2019-13-01', 'datetime', /datetime must be a date/],
    ['/ogcapi/collections/catalogue/items?datetime=2020/2019', 'datetime', /start is after the end/],
    ['/ogcapi/collections/catalogue/items?datetime=a/b/c', 'datetime', /instant or an interval/],
    ['/ogcapi/collections/catalogue/items?limit=0', 'limit', />= 1/],
    ['/ogcapi/collections/catalogue/items?sortby=colour', 'sortby', /sortable are title/],
    ['/ogcapi/collections/catalogue/items?type=map', 'type', /dataset, series or service/],
    ['/ogcapi/collections/catalogue/items?keyword=x', 'keyword', /did you mean keywords/],
    ['/ogcapi/collections/catalogue/items?f=xml', 'f', /json, html/],
    ['/ogcapi/collections/catalogue/items?cursor=zzz', 'cursor', /not a cursor/],
    ['/ogcapi/collections?limit=3', 'limit', /unknown parameter/],
    ['/ogcapi/collections/catalogue/items?startindex=-1', 'startindex', />= 0/],
    ['/ogcapi/collections/catalogue/items?startindex=5&offset=10', 'startindex', /another name of offset/],
    ['/ogcapi/collections/catalogue/items?startindex=5&cursor=zzz', 'startindex', /either startindex or cursor/],
    // a one-value parameter given twice said "limit: must be integer", "q: must be string"
    ['/ogcapi/collections/catalogue/items?limit=1&limit=2', 'limit', /^limit is given 2 times: give it once$/],
    ['/ogcapi/collections/catalogue/items?q=a&q=b&q=c', 'q', /^q is given 3 times: give it once$/],
    ['/ogcapi/collections/catalogue/items?bbox=0,0,1,1&bbox=0,0,2,2', 'bbox', /^bbox is given 2 times/],
  ];
  for (const [path, param, message] of cases) {
    const r = await get(path);
    assert.is(r.status, 400, `${path}: ${r.body}`);
    assert.is(r.json().parameter, param, `${path}: ${r.body}`);
    assert.match(r.json().error, message, path);
  }
  const nf = await get('/ogcapi/collections/nowhere/items');
  assert.is(nf.status, 404);
  assert.match(nf.json().error, /no collection "nowhere": the collections are catalogue, /);
  assert.is((await get('/ogcapi/collections/nowhere')).status, 404);
  assert.is((await get('/ogcapi/collections/catalogue/items/hand:nothing')).status, 404);
  const wrong = await get('/ogcapi/collections/fx-cryo/items/hand:fiji-reefs');
  assert.is(wrong.status, 404, 'a record of another source is not in this collection');
  assert.match(wrong.json().error, /no record "hand:fiji-reefs" in collection fx-cryo/);
});

/** Runs OWSLib's Records client on the listening server with a plan of calls; returns their results. */
async function owslib(plan: unknown[]): Promise<any[]> {
  await ensurePythonVenv();
  const child = spawn(venvBin('python'), [projectPath('test', 'api', 'peers', 'owslib_records.py'), `${url}/ogcapi`], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  child.stdin.end(JSON.stringify(plan));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.is(code, 0, err);
  return JSON.parse(out);
}

test("OWSLib's Records client: records(), collection_items() with bbox, datetime, q and limit, collection_item(), collection_queryables(), api()", async () => {
  const alps = [5.5, 44.5, 7.5, 46.5];
  const [cols, byBox, byTime, byText, limited, one, stac, queryables, conf, api, byFilter] = await owslib([
    { op: 'records' },
    { op: 'items', collection: 'catalogue', kwargs: { bbox: alps, limit: 100 } },
    { op: 'items', collection: 'catalogue', kwargs: { datetime_: '2010-01-01T00:00:00Z/2010-12-31T23:59:59Z', limit: 100 } },
    { op: 'items', collection: 'catalogue', kwargs: { q: 'glacier', limit: 100 } },
    { op: 'items', collection: 'fx-iso19139', kwargs: { limit: 3 } },
    { op: 'item', collection: 'catalogue', id: 'hand:fiji-reefs' },
    {
      op: 'item',
      collection: 'fx-stac',
      id: records.find((x) => x.identifier.startsWith('fx-stac:') && x.identifier.includes('/'))!.identifier,
    },
    { op: 'queryables', collection: 'catalogue' },
    { op: 'conformance' },
    { op: 'api' },
    // its `filter` argument: a CQL2 text filter (docs/ogc-api-records.md)
    {
      op: 'items',
      collection: 'catalogue',
      kwargs: { filter: "type = 'dataset' AND S_INTERSECTS(geometry, BBOX(5.5, 44.5, 7.5, 46.5))", limit: 100 },
    },
  ]);
  for (const r of [cols, byBox, byTime, byText, limited, one, stac, queryables, conf, api, byFilter])
    assert.not.ok(r && r.error, JSON.stringify(r).slice(0, 300));
  const sources = [...new Set(records.map((r) => r.isPrimaryTopicOf.sourceId))].sort();
  assert.equal(cols, ['catalogue', ...sources]);
  const idsOf = (fc: FC) => sorted(fc.features.map((f) => f.id));
  assert.equal(
    idsOf(byBox),
    expectIds((r) => boxes(r).some((b) => inBox(b, alps))),
  );
  assert.ok(byBox.features.length >= 4);
  assert.equal(
    idsOf(byFilter),
    expectIds((r) => r['@type'][0] === 'dcat:Dataset' && boxes(r).some((b) => inBox(b, alps))),
  );
  assert.ok(byFilter.features.length >= 2 && byFilter.features.length < byBox.features.length, 'the type counts');
  assert.equal(
    idsOf(byTime),
    expectIds((r) => overlaps(r, Date.UTC(2010, 0, 1), Date.UTC(2010, 11, 31, 23, 59, 59))),
  );
  assert.equal(
    idsOf(byText),
    expectIds(
      (r) => /glacier/.test(text(r).normalize('NFKD').replace(/\p{M}/gu, '')) || JSON.stringify(r).toLowerCase().includes('glacier'),
    ),
  );
  assert.is(limited.numberReturned, 3);
  assert.is(limited.numberMatched, records.filter((r) => r.isPrimaryTopicOf.sourceId === 'fx-iso19139').length);
  assert.ok(limited.links.some((l: { rel: string }) => l.rel === 'next'));
  assert.is(one.id, 'hand:fiji-reefs');
  assert.equal(one.time.interval, ['2019-01-01', '2020-12-31']);
  assert.ok(stac.id.includes('/'));
  assert.equal(queryables.properties.keywords.type, 'array');
  assert.ok(conf.conformsTo.includes('http://www.opengis.net/spec/cql2/1.0/conf/temporal-functions'));
  // api(): the description the landing page links to, its paths relative to the landing page
  assert.equal(api.servers, [{ url: `${url}/ogcapi` }]);
  assert.ok(api.paths['/collections/{collectionId}/items'].get.parameters.some((p: { name: string }) => p.name === 'bbox'));
});

test("QGIS MetaSearch's calls through OWSLib: the collection, then pages by offset (current QGIS) or startindex (older), with q and a bbox given as strings", async () => {
  const alps = ['5.5', '44.5', '7.5', '46.5'];
  const [collection, page1, page2, older, searched] = await owslib([
    { op: 'collection', collection: 'catalogue' },
    { op: 'items', collection: 'catalogue', kwargs: { limit: 10, offset: 0 } },
    { op: 'items', collection: 'catalogue', kwargs: { limit: 10, offset: 10 } },
    { op: 'items', collection: 'catalogue', kwargs: { limit: 10, startindex: 10 } },
    { op: 'items', collection: 'catalogue', kwargs: { limit: 10, offset: 0, q: 'glacier', bbox: alps } },
  ]);
  for (const r of [collection, page1, page2, older, searched]) assert.not.ok(r && r.error, JSON.stringify(r).slice(0, 300));
  // what MetaSearch shows of the service and of each record
  assert.ok(collection.title && collection.description && collection.links.length > 0);
  assert.is(page1.numberMatched, records.length);
  const idsOf = (fc: FC) => fc.features.map((f) => f.id);
  const mine = (await items('catalogue', 'limit=10&offset=10')).features.map((f) => f.id);
  assert.equal(idsOf(page2), mine);
  assert.equal(idsOf(older), mine);
  assert.is(new Set([...idsOf(page1), ...idsOf(page2)]).size, 20, 'two pages, no record twice');
  for (const f of [...page1.features, ...page2.features] as any[]) {
    assert.type(f.properties.type, 'string', f.id);
    assert.type(f.properties.title, 'string', f.id);
  }
  assert.equal(sorted(idsOf(searched)), sorted((await items('catalogue', `q=glacier&bbox=${alps.join(',')}`)).features.map((f) => f.id)));
  assert.ok(searched.numberMatched > 0);
});

test.run();
