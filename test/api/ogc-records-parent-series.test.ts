/**
 * A member read on its own in OGC API - Records: NKN's Rathdrum Prairie aquifer record (test/fixtures/iso) given the
 * gmd:parentIdentifier that names NKN's Challis LiDAR series, harvested apart from it, so that its record says
 * dct:isPartOf only. Its DCAT-AP graph says dcat:inSeries when the hub holds the series
 * (test/pipelines/export-dcat-parent-series.test.ts); its OGC record says the same with the link a member's series has
 * (`up`, to the series' item), on a page of items (one search for the page) and on its own; a copy whose parent the
 * hub does not hold has none. The other way round, the series' item links the member, its page lists it, and the
 * catalogue page and GET /search filter by partOf.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { parse } from 'node-html-parser';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../api/server.js';
import { isoToRecord } from '../../mappings/iso/index.js';
import { silentLogger } from '../../pipelines/log.js';
import { projectPath } from '../../schemas/paths.js';
import { recordIri } from '../../schemas/record.js';
import { recordPage } from '../../api/pages/record-page.js';
import { recordParts } from '../../pipelines/record.js';
import { indexRecords } from '../helpers/fixture-index.js';
import { MEMBER_ID, SERIES_ID } from '../helpers/series.js';
import { deleteIndices, esClient, esUrl, tempIndexName } from '../helpers/services.js';

const client = await esClient();
const alias = tempIndexName('ogc-parent');
const SOURCE = 'nkn';
const HARVESTED = '2026-12-07T12:00:00Z';
let app: FastifyInstance;

const own = (f: string): string => readFileSync(projectPath('test', 'fixtures', 'iso', f), 'utf8');
const withParent = (parent: string, id?: string) => {
  const xml = own('nkn-rathdrum-prairie-aquifer-iso19139.xml').replace(
    '<gmd:hierarchyLevel>',
    `<gmd:parentIdentifier><gco:CharacterString>${parent}</gco:CharacterString></gmd:parentIdentifier>\n  <gmd:hierarchyLevel>`,
  );
  return isoToRecord(id ? xml.replace(MEMBER_ID, id) : xml, { source: SOURCE, harvestedAt: HARVESTED }).record;
};
const member = withParent(SERIES_ID);
// the same record naming a parent the hub does not hold
const orphan = withParent('nkn:no-such-series', 'nkn:orphan-member');
const series = isoToRecord(own('nkn-challis-lidar-DS_Series.xml'), { source: SOURCE, harvestedAt: HARVESTED }).record;

type Feature = { id: string; links: { href: string; rel: string; type?: string }[] };
const ups = (f: Feature) => f.links.filter((l) => l.rel === 'up').map((l) => [l.href, l.type]);
const item = (cid: string, id: string) => `http://localhost:80/ogcapi/collections/${cid}/items/${encodeURIComponent(id)}`;

test.before(async () => {
  await indexRecords(client, alias, [member, orphan, series]);
  app = await buildServer({ client, alias, esUrl: await esUrl(), log: silentLogger });
});
test.after(async () => {
  await app?.close();
  await deleteIndices(client, `${alias}*`);
});

test('the records: the member names its series by dct:isPartOf only', () => {
  assert.equal(member.isPartOf, [recordIri(SOURCE, SERIES_ID)]);
  assert.is(member.inSeries, undefined);
  assert.is(orphan.identifier, `${SOURCE}:nkn:orphan-member`);
  assert.equal(orphan.isPartOf, [recordIri(SOURCE, 'nkn:no-such-series')]);
  assert.is(series['@type'][0], 'dcat:DatasetSeries');
});

test('a page of items and the item alone: the member links up to its series item, the orphan to nothing', async () => {
  for (const cid of ['catalogue', SOURCE]) {
    const page = await app.inject({ url: `/ogcapi/collections/${cid}/items?limit=10` });
    assert.is(page.statusCode, 200, page.body.slice(0, 300));
    const features = page.json<{ features: Feature[] }>().features;
    const byId = new Map(features.map((f) => [f.id, f]));
    assert.equal([...byId.keys()].sort(), [member.identifier, orphan.identifier, series.identifier].sort());
    const want = [[item(cid, series.identifier), 'application/geo+json']];
    assert.equal(ups(byId.get(member.identifier)!), want, `${cid}: the member's up link`);
    assert.equal(ups(byId.get(orphan.identifier)!), [], `${cid}: the orphan's`);
    assert.equal(ups(byId.get(series.identifier)!), [], `${cid}: the series'`);
    const alone = await app.inject({ url: `/ogcapi/collections/${cid}/items/${encodeURIComponent(member.identifier)}` });
    assert.is(alone.statusCode, 200);
    assert.equal(ups(alone.json<Feature>()), want, `${cid}: the member alone`);
    const orphanAlone = await app.inject({ url: `/ogcapi/collections/${cid}/items/${encodeURIComponent(orphan.identifier)}` });
    assert.equal(ups(orphanAlone.json<Feature>()), [], `${cid}: the orphan alone`);
  }
});

test('the series links down to the member naming it (its own record does not name it): an item link, on a page and alone', async () => {
  assert.is(series.seriesMember, undefined, 'the series record names no member');
  assert.is(series['@id'], recordIri(SOURCE, SERIES_ID));
  const downs = (f: Feature) => f.links.filter((l) => l.rel === 'item').map((l) => [l.href, l.type]);
  for (const cid of ['catalogue', SOURCE]) {
    const want = [[item(cid, member.identifier), 'application/geo+json']];
    const page = await app.inject({ url: `/ogcapi/collections/${cid}/items?limit=10` });
    const byId = new Map(page.json<{ features: Feature[] }>().features.map((f) => [f.id, f]));
    assert.equal(downs(byId.get(series.identifier)!), want, `${cid}: the series' item links`);
    assert.equal(downs(byId.get(member.identifier)!), [], `${cid}: the member has no part`);
    assert.equal(downs(byId.get(orphan.identifier)!), [], `${cid}: nor the orphan`);
    const alone = await app.inject({ url: `/ogcapi/collections/${cid}/items/${encodeURIComponent(series.identifier)}` });
    assert.equal(downs(alone.json<Feature>()), want, `${cid}: the series alone`);
  }
});

test("the series' page lists the member naming it, by title; a second member is counted past the first ones", async () => {
  const second = withParent(SERIES_ID, 'nkn:second-member');
  await indexRecords(client, alias, [second]);
  try {
    const page = await app.inject({ url: `/catalogue/records/${encodeURIComponent(series.identifier)}?lang=fr` });
    assert.is(page.statusCode, 200);
    const d = parse(page.body);
    const row = d.querySelectorAll('dt').find((dt) => dt.text === 'Jeux de données de la série');
    assert.ok(row, 'the series lists its datasets');
    const hrefs = row.nextElementSibling!.querySelectorAll('a').map((a) => [a.getAttribute('href'), a.text]);
    assert.equal(
      hrefs.sort(),
      [member, second]
        .map((m) => [`/catalogue/records/${encodeURIComponent(m.identifier)}?lang=fr`, m.title.en ?? Object.values(m.title)[0]])
        .sort(),
    );
    const memberPage = parse((await app.inject({ url: `/catalogue/records/${encodeURIComponent(member.identifier)}?lang=fr` })).body);
    assert.ok(!memberPage.querySelectorAll('dt').some((dt) => dt.text === 'Fiches qui en font partie'), 'a member has no part');
    // the first part by title (the same title: by id), the other counted
    const parts = (await recordParts(client, alias, [series['@id']], { max: 1 })).get(series['@id']);
    assert.equal(parts && { total: parts.total, ids: parts.records.map((p) => p.id) }, {
      total: 2,
      ids: [[member.identifier, second.identifier].sort()[0]],
    });
    const one = recordPage({
      lang: 'fr',
      explicitLang: false,
      url: '/',
      stored: { id: series.identifier, source: SOURCE, type: 'series', record: series },
      parts,
    });
    assert.match(String(one), 'et une autre fiche qui en fait partie');
    // which links the catalogue page filtered by partOf: both members, the series' title in the filter's chip
    const more = parse(String(one)).querySelector('a.more')!;
    assert.is(more.getAttribute('href'), `/catalogue?partOf=${encodeURIComponent(series.identifier)}`);
    const listed = parse((await app.inject({ url: `${more.getAttribute('href')}&lang=fr` })).body);
    assert.equal(
      listed
        .querySelectorAll('[data-id]')
        .map((e) => e.getAttribute('data-id'))
        .sort(),
      [member.identifier, second.identifier].sort(),
    );
    assert.match(listed.querySelector('section.active')!.text, series.title.en ?? Object.values(series.title)[0]);
    // and the search API
    const api = await app.inject({ url: `/search?partOf=${encodeURIComponent(series.identifier)}&facets=false` });
    assert.equal(
      api
        .json<{ hits: { id: string }[] }>()
        .hits.map((h) => h.id)
        .sort(),
      [member.identifier, second.identifier].sort(),
    );
  } finally {
    await client.delete({ index: alias, id: second.identifier, refresh: true });
  }
});

test('partOf that is no hub record id: a 400 naming it, from the API and the page', async () => {
  const api = await app.inject({ url: '/search?partOf=no-colon' });
  assert.is(api.statusCode, 400);
  assert.is(api.json<{ parameter?: string }>().parameter, 'partOf', api.body);
  const page = await app.inject({ url: '/catalogue?partOf=no-colon&lang=fr' });
  assert.is(page.statusCode, 400);
  assert.match(page.body, '« no-colon » n’est pas l’identifiant d’une fiche de ce catalogue');
  // an id the index does not hold finds nothing, and is shown as it is
  const none = await app.inject({ url: `/search?partOf=${encodeURIComponent(`${SOURCE}:no-such-series`)}` });
  assert.is(none.json<{ total: number }>().total, 0);
});

test('one search more for a page whose records name parents, however many they are', async () => {
  let requests = 0;
  const count = () => (requests += 1);
  client.diagnostic.on('request', count);
  const requestsOf = async (url: string, features: number) => {
    requests = 0;
    const r = await app.inject({ url });
    assert.is(r.statusCode, 200, url);
    assert.is(r.json<{ features: unknown[] }>().features.length, features, url);
    return requests;
  };
  try {
    const none = await requestsOf(`/ogcapi/collections/catalogue/items?ids=${encodeURIComponent(series.identifier)}`, 1);
    const two = await requestsOf(
      `/ogcapi/collections/catalogue/items?ids=${encodeURIComponent(`${member.identifier},${orphan.identifier}`)}`,
      2,
    );
    assert.is(two, none + 1);
  } finally {
    client.diagnostic.off('request', count);
  }
});

test.run();
