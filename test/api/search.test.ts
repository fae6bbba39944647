/**
 * GET /search against the real node over the fixture records of every family (test/helpers/catalogue.ts): each
 * filter and each facet count checked against what the stored records hold, computed here from the records
 * themselves (own box, date and value readers: not the code under test); text in French and English with and without
 * accents, phrases, prefixes, exclusions and typing mistakes; sorts; the result fields; the OpenAPI description; and
 * every 400.
 */
import { assessRecord, fairSummary } from '../../mappings/fair/index.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../api/server.js';
import { silentLogger } from '../../pipelines/log.js';
import { versionedIndexName } from '../../mappings/es-index.js';
import type { HubRecord, LangMap } from '../../schemas/record.js';
import { deleteIndices, esClient, esUrl, tempIndexName } from '../helpers/services.js';
import { indexFixtureCatalogue } from '../helpers/catalogue.js';
import { inBox, instant, overlaps } from '../helpers/extents.js';

const alias = tempIndexName('api-search');
const client = await esClient();
let app: FastifyInstance;
let records: HubRecord[] = [];
/** Ratings given to some records in this test (the index of main does not score yet: its field is added here). */
const RATING = new Map<string, string>();

interface Hit {
  id: string;
  title: string;
  titleHtml: string;
  snippet?: string;
  bbox?: number[];
  time?: { start: string | null; end: string | null };
  source: string;
  type: string;
  thumbnail?: string;
  rating?: string;
  link: string;
  score: number | null;
}
interface Answer {
  total: number;
  offset: number;
  size: number;
  fuzzy?: boolean;
  hits: Hit[];
  facets?: Record<string, { key: string; count: number; label?: string }[]>;
  startYears?: { year: string; count: number }[];
  next?: string;
  prev?: string;
  links: { self: string; next?: string; prev?: string };
}

async function get(url: string): Promise<{ status: number; body: Answer & { error?: string; parameter?: string } }> {
  const r = await app.inject({ method: 'GET', url });
  return { status: r.statusCode, body: r.json() };
}
async function search(query: string): Promise<Answer> {
  const r = await get(`/search?size=100&facetSize=${FACET_SIZE}&${query}`);
  assert.is(r.status, 200, `${query}: ${JSON.stringify(r.body).slice(0, 300)}`);
  return r.body;
}
const sorted = (xs: string[]) => [...xs].sort();
async function ids(query: string): Promise<string[]> {
  const a = await search(query);
  assert.is(a.total, a.hits.length, `${query}: every hit on one page`);
  return sorted(a.hits.map((h) => h.id));
}
const expectIds = (pred: (r: HubRecord) => boolean) => sorted(records.filter(pred).map((r) => r.identifier));

// ----------------------------------------------------------------- what the records hold, read independently

const BASE_CATEGORY = 'https://w3id.org/ozcar-theia/';
function pref(map: LangMap | undefined): string | undefined {
  if (!map) return undefined;
  return map.fr ?? map.en ?? map['@none'] ?? Object.values(map)[0];
}
const tail = (iri: string) => decodeURIComponent(iri.replace(/\/$/, '').split(/[/#]/).pop()!);
const uniq = (xs: (string | undefined)[]) => [...new Set(xs.filter((x): x is string => !!x))];

const VALUES: Record<string, (r: HubRecord) => string[]> = {
  theme: (r) => uniq((r.theme ?? []).map((t) => t['@id']).filter((i) => i && !i.startsWith(BASE_CATEGORY))),
  variableCategory: (r) => uniq((r.theme ?? []).map((t) => t['@id']).filter((i) => i?.startsWith(BASE_CATEGORY))),
  keyword: (r) => uniq(Object.values(r.keyword ?? {}).flat()),
  source: (r) => [r.isPrimaryTopicOf.sourceId],
  type: (r) => [r['@type'][0] === 'dcat:DataService' ? 'service' : r['@type'][0] === 'dcat:DatasetSeries' ? 'series' : 'dataset'],
  format: (r) =>
    uniq(
      (r.distribution ?? []).flatMap((d) => [
        d.format?.label ? pref(d.format.label) : d.format?.['@id'] ? tail(d.format['@id']) : undefined,
        d.mediaType?.['@id']
          .replace('https://www.iana.org/assignments/media-types/', '')
          .replace('http://www.iana.org/assignments/media-types/', ''),
      ]),
    ),
  licence: (r) =>
    uniq([...(r.license ?? []), ...(r.distribution ?? []).map((d) => d.license)].map((l) => (l ? (pref(l.label) ?? l['@id']) : undefined))),
  publisher: (r) => uniq([pref(r.publisher?.name)]),
  language: (r) => uniq((r.language ?? []).map((l) => tail(l['@id']))),
  rating: (r) => uniq([RATING.get(r.identifier)]),
};
const FACETS = Object.keys(VALUES);

/** Every [w, s, e, n] box of a record: its WKT boxes and the envelope of its GeoJSON geometries. */
function boxes(r: HubRecord): number[][] {
  const out: number[][] = [];
  for (const l of r.spatial ?? []) {
    if (l.bbox) {
      const nums = l.bbox['@value'].match(/-?\d+(\.\d+)?([eE][-+]?\d+)?/g)!.map(Number);
      // POLYGON((w s,e s,e n,w n,w s))
      out.push([nums[0], nums[1], nums[2], nums[5]]);
    } else if (l.geometry && l.geometry['@type'] === 'gsp:geoJSONLiteral') {
      const flat = (JSON.stringify(JSON.parse(l.geometry['@value']).coordinates).match(/-?\d+(\.\d+)?([eE][-+]?\d+)?/g) ?? []).map(Number);
      const xs = flat.filter((_, i) => i % 2 === 0);
      const ys = flat.filter((_, i) => i % 2 === 1);
      if (xs.length) out.push([Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)]);
    }
  }
  return out;
}
/** Facet counts over `set`: value -> records holding it. */
function counts(facet: string, set: HubRecord[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of set) for (const v of VALUES[facet](r)) out[v] = (out[v] ?? 0) + 1;
  return out;
}
const asCounts = (list: { key: string; count: number }[]) => Object.fromEntries(list.map((b) => [b.key, b.count]));
/** The FACET_SIZE values a facet shows: the most frequent, ties in key order (Elasticsearch's terms order). */
const FACET_SIZE = 200;
function top(c: Record<string, number>): Record<string, number> {
  const entries = Object.entries(c).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return Object.fromEntries(entries.slice(0, FACET_SIZE));
}

test.before(async () => {
  const built = await indexFixtureCatalogue(client, alias);
  records = built.records;
  // the FAIR rating: every record carries the one its assessment gave when it was indexed (quality.rating); every
  // third record is then given another band by hand, so that each band is present whatever the fixtures score
  for (const r of records) {
    const own = fairSummary(assessRecord(r)).rating;
    if (own) RATING.set(r.identifier, own);
  }
  const index = versionedIndexName(alias);
  const bands = ['excellent', 'good', 'sufficient', 'bad'];
  const rated = sorted(records.map((r) => r.identifier)).filter((_, i) => i % 3 === 0);
  rated.forEach((id, i) => RATING.set(id, bands[i % bands.length]));
  const ops = rated.flatMap((id) => [{ update: { _index: index, _id: id } }, { doc: { quality: { rating: RATING.get(id) } } }]);
  const res = await client.bulk({ operations: ops, refresh: true });
  assert.not.ok(res.errors, 'ratings set');
  app = await buildServer({ client, alias, esUrl: await esUrl(), log: silentLogger });
});
test.after(async () => {
  await app?.close();
  await deleteIndices(client, `${alias}*`);
});

test('the catalogue holds every family', () => {
  const sources = new Set(records.map((r) => r.isPrimaryTopicOf.sourceId));
  for (const s of ['fx-iso19139', 'fx-iso19115-3', 'fx-stac', 'fx-cryo', 'fx-kars', 'fx-tour', 'fx-catc', 'hand'])
    assert.ok(sources.has(s), s);
  assert.ok(records.length >= 40, `${records.length} records`);
});

test('no filter: every record, and every facet count equal to what the records hold', async () => {
  const a = await search('');
  assert.is(a.total, records.length);
  for (const f of FACETS) assert.equal(asCounts(a.facets![f]), top(counts(f, records)), `facet ${f}`);
  // buckets come most frequent first
  for (const f of FACETS) {
    const c = a.facets![f].map((b) => b.count);
    assert.equal(
      c,
      [...c].sort((x, y) => y - x),
      `facet ${f} order`,
    );
  }
  // the start-year histogram: records per year of their earliest start
  const years: Record<string, number> = {};
  for (const r of records) {
    const starts = (r.temporal ?? []).flatMap((p) => (p.startDate ? [instant(p.startDate['@value'], false)] : []));
    if (starts.length) {
      const y = String(new Date(Math.min(...starts)).getUTCFullYear());
      years[y] = (years[y] ?? 0) + 1;
    }
  }
  assert.equal(Object.fromEntries(a.startYears!.map((b) => [b.year, b.count])), years);
});

test('each facet filter alone finds exactly the records holding the value (most and least frequent values)', async () => {
  let checked = 0;
  for (const f of FACETS) {
    const c = Object.entries(counts(f, records)).sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]));
    assert.ok(c.length > 0, `facet ${f} has values`);
    for (const [value] of [c[0], c[c.length - 1]]) {
      const got = await ids(`${f}=${encodeURIComponent(value)}`);
      assert.equal(
        got,
        expectIds((r) => VALUES[f](r).includes(value)),
        `${f}=${value}`,
      );
      checked++;
    }
  }
  assert.ok(checked >= 20);
  // several values of one facet are alternatives
  const two = Object.keys(counts('source', records)).slice(0, 2);
  assert.equal(
    await ids(two.map((s) => `source=${s}`).join('&')),
    expectIds((r) => two.includes(r.isPrimaryTopicOf.sourceId)),
  );
  // a keyword in another case; a theme by its label
  assert.equal(await ids('keyword=hydrologie'), ['hand:brittany-rivers']);
  const ef = records.flatMap((r) => r.theme ?? []).find((t) => t['@id'] === 'http://inspire.ec.europa.eu/theme/ef')!;
  assert.equal(await ids(`theme=${encodeURIComponent(pref(ef.prefLabel)!)}`), await ids(`theme=${encodeURIComponent(ef['@id'])}`));
  // a variable category by its last segment
  assert.equal(
    await ids('variableCategory=glaciersIceSheets'),
    await ids(`variableCategory=${encodeURIComponent(BASE_CATEGORY + 'glaciersIceSheets')}`),
  );
});

test('facets are disjunctive: each counts the records matching every OTHER filter', async () => {
  const sources = ['fx-cryo', 'fx-iso19139', 'hand'];
  const filters = { source: sources, type: ['dataset'], language: ['ENG'] };
  const qs = Object.entries(filters)
    .flatMap(([k, vs]) => vs.map((v) => `${k}=${encodeURIComponent(v)}`))
    .join('&');
  const matches = (r: HubRecord, except?: string) =>
    Object.entries(filters).every(([k, vs]) => k === except || VALUES[k](r).some((v) => vs.includes(v)));
  const a = await search(qs);
  assert.equal(
    sorted(a.hits.map((h) => h.id)),
    expectIds((r) => matches(r)),
  );
  assert.ok(a.total > 0);
  for (const f of FACETS)
    assert.equal(
      asCounts(a.facets![f]),
      top(
        counts(
          f,
          records.filter((r) => matches(r, f)),
        ),
      ),
      `facet ${f}`,
    );
});

test('place: records whose extent intersects the box, across the antimeridian on either side', async () => {
  const cases: number[][] = [
    [-10, 35, 30, 60], // Europe
    [5.5, 44.5, 7.5, 46.5], // the western Alps
    [120, -80, 150, -60], // Adélie Land, Dome C
    [178, -20, 179, -15], // Fiji, west of 180°
    [-179, -20, -177, -15], // Fiji, east of 180°
    [170, -30, -170, 10], // a box across the antimeridian
    [-177.5, -20, 176.5, -15], // the long way round: leaves Fiji out
    [20.5, 38.5, 21, 39], // inside the Greek boxes
  ];
  for (const q of cases) {
    const got = await ids(`bbox=${q.join(',')}`);
    assert.equal(
      got,
      expectIds((r) => boxes(r).some((b) => inBox(b, q))),
      `bbox ${q.join(',')}`,
    );
  }
  assert.ok((await ids('bbox=170,-30,-170,10')).includes('hand:fiji-reefs'));
  assert.not.ok((await ids('bbox=-177.5,-20,176.5,-15')).includes('hand:fiji-reefs'));
});

test('time: overlap with the window, open ends on either side, years and months as whole periods', async () => {
  const cases: [string, number, number][] = [
    ['start=2010&end=2010', Date.UTC(2010, 0, 1), Date.UTC(2011, 0, 1) - 1],
    ['start=2021', Date.UTC(2021, 0, 1), Infinity],
    ['end=1995-10-16', -Infinity, Date.parse('1995-10-17T00:00:00Z') - 1],
    ['start=2019-12&end=2019-12', Date.UTC(2019, 11, 1), Date.UTC(2020, 0, 1) - 1],
    ['start=2000-01-01T00:00:00Z&end=2000-06-30T12:00:00Z', Date.UTC(2000, 0, 1), Date.UTC(2000, 5, 30, 12)],
  ];
  for (const [qs, from, to] of cases)
    assert.equal(
      await ids(qs),
      expectIds((r) => overlaps(r, from, to)),
      qs,
    );
  // the open-ended record reaches any future window
  assert.ok((await ids('start=2090')).includes('hand:brittany-rivers'));
});

test('filters combine: text, place, time, facets', async () => {
  const got = await ids('q=glacier&bbox=6.5,45.2,6.7,45.4&start=2000&end=2001&source=fx-cryo');
  assert.equal(got, ['fx-cryo:CRYO_DAT_gl_mb_alp_gb']);
  const box = [-10, 35, 30, 60];
  assert.equal(
    await ids(`bbox=${box.join(',')}&type=dataset&start=2015`),
    expectIds((r) => boxes(r).some((b) => inBox(b, box)) && VALUES.type(r)[0] === 'dataset' && overlaps(r, Date.UTC(2015, 0, 1), Infinity)),
  );
});

test('text: French and English, accents and case folded, phrases, prefixes, exclusions', async () => {
  for (const q of ['débits rivières', 'debits rivieres', 'DÉBIT RIVIÈRE', 'Debit des rivieres'])
    assert.equal(await ids(`q=${encodeURIComponent(q)}`), ['hand:brittany-rivers'], q);
  assert.equal(await ids(`q=${encodeURIComponent('récifs')}`), ['hand:fiji-reefs']);
  assert.equal(await ids('q=reefs'), ['hand:fiji-reefs']);
  // the phrase is in the three mass-balance datasets (titles) and in the objective of the four meteorological ones
  const massBalance = await ids(`q=${encodeURIComponent('"mass balance" glacier')}`);
  assert.equal(
    massBalance,
    expectIds((r) => /mass balance/i.test(JSON.stringify(r)) && /glacier/i.test(JSON.stringify(r))),
  );
  assert.is(massBalance.length, 7);
  // a phrase keeps its order
  assert.equal(await ids(`q=${encodeURIComponent('"balance mass" glacier')}`), []);
  const glac = await ids('q=glac*');
  assert.ok(glac.length >= 4 && glac.includes('fx-cryo:CRYO_DAT_gl_met_alp'));
  assert.equal(await ids(`q=${encodeURIComponent('glac* -argentiere -gebroulaz')}`), sorted(glac.filter((i) => !/alp_arg|alp_gb/.test(i))));
  // several words: all required
  assert.equal(await ids(`q=${encodeURIComponent('Antarctica meteo')}`), [
    'fx-cryo:CRYO_DAT_gl_met_ant_cp',
    'fx-cryo:CRYO_DAT_gl_met_ant_d17',
    'fx-cryo:CRYO_DAT_gl_met_ant_dc',
  ]);
});

test('text: typing mistakes are forgiven only when nothing matches as typed, and the answer says so', async () => {
  const exact = await search(`q=${encodeURIComponent('rivières')}`);
  assert.is(exact.fuzzy, undefined);
  const typo = await search(`q=${encodeURIComponent('rivyères bretagen')}`);
  assert.is(typo.fuzzy, true);
  assert.equal(
    typo.hits.map((h) => h.id),
    ['hand:brittany-rivers'],
  );
  assert.match(typo.hits[0].snippet!, /<mark>rivières<\/mark>/);
  const off = await search(`q=${encodeURIComponent('rivyères bretagen')}&fuzzy=off`);
  assert.is(off.total, 0);
});

test('text: the fuzzy retry pages like any search: its next and prev cursors read the same forgiven words', async () => {
  const q = `q=${encodeURIComponent('glaicer')}`;
  const all = await search(q);
  assert.is(all.fuzzy, true);
  assert.ok(all.total >= 3 && all.total === all.hits.length, `${all.total} hits`);
  const order = all.hits.map((h) => h.id);
  // one hit a page, forward to the end, then back to the start
  const page = async (extra: string) => {
    const r = await get(`/search?size=1&${q}${extra}`);
    assert.is(r.status, 200, JSON.stringify(r.body));
    assert.is(r.body.fuzzy, true, extra);
    assert.is(r.body.total, all.total, extra);
    return r.body;
  };
  let p = await page('');
  const forward = [p.hits[0].id];
  while (p.next) {
    p = await page(`&cursor=${p.next}`);
    forward.push(...p.hits.map((h) => h.id));
  }
  assert.equal(forward, order);
  const back = [p.hits[0].id];
  while (p.prev) {
    p = await page(`&cursor=${p.prev}`);
    back.unshift(...p.hits.map((h) => h.id));
  }
  assert.equal(back, order);
  assert.is(p.offset, 0);
  // a page by its number is the same list's
  assert.equal(
    (await page('&page=3')).hits.map((h) => h.id),
    [order[2]],
  );
});

test('hits carry title, highlighted title and snippet, box, time as written, source, type, thumbnail, rating, link', async () => {
  const a = await search(`q=${encodeURIComponent('récifs coralliens')}&lang=fr`);
  const fiji = a.hits[0];
  assert.is(fiji.id, 'hand:fiji-reefs');
  assert.is(fiji.title, 'Récifs coralliens des Fidji');
  assert.is(fiji.titleHtml, '<mark>Récifs</mark> <mark>coralliens</mark> des Fidji');
  assert.match(fiji.snippet!, /^Cartographie des <mark>récifs<\/mark> <mark>coralliens<\/mark> autour des îles Fidji/);
  assert.equal(fiji.bbox, [177, -19, -178, -16]);
  assert.equal(fiji.time, { start: '2019', end: '2020' });
  assert.is(fiji.source, 'hand');
  assert.is(fiji.type, 'dataset');
  assert.match(fiji.link, /\/records\/hand%3Afiji-reefs$/);
  const en = await search(`q=reefs&lang=en`);
  assert.is(en.hits[0].title, 'Coral reefs of Fiji');
  const rivers = (await search('q=bretagne&source=hand')).hits[0];
  assert.equal(rivers.time, { start: '2018-06', end: null }, 'an open end is null');
  // thumbnails: the first depiction of each record that has one
  const withThumb = records.filter((r) => r.depiction?.length);
  assert.ok(withThumb.length > 0);
  const all = await search('');
  for (const r of withThumb) assert.is(all.hits.find((h) => h.id === r.identifier)!.thumbnail, r.depiction![0]);
  for (const [id, rating] of RATING) assert.is(all.hits.find((h) => h.id === id)!.rating, rating);
  for (const h of all.hits.filter((x) => !RATING.has(x.id))) assert.is(h.rating, undefined);
  // no stored record in a hit: a result list needs no more
  assert.not.ok('record' in all.hits[0]);
});

test('ids and external identifiers: a DOI in any spelling', async () => {
  const withDoi = records.filter((r) => (r.otherIdentifier ?? []).some((i) => /10\.17178\/CRYOBSCLIM/i.test(i.notation)));
  assert.ok(withDoi.length >= 8);
  const expected = sorted(withDoi.map((r) => r.identifier));
  for (const form of ['10.17178/CRYOBSCLIM.CLB.all', 'doi:10.17178/cryobsclim.clb.all', 'https://doi.org/10.17178/CRYOBSCLIM.CLB.all'])
    assert.equal(await ids(`externalIds=${encodeURIComponent(form)}`), expected, form);
  assert.equal(await ids('ids=hand:fiji-reefs,hand:soil-wms'), ['hand:fiji-reefs', 'hand:soil-wms']);
});

test('sort: title (default without text), date (newest modification first), relevance (default with text)', async () => {
  const byTitle = (await search('facets=false')).hits.map((h) => h.title);
  const fold = (s: string) =>
    s
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim();
  assert.equal(
    byTitle.map(fold),
    [...byTitle.map(fold)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
  );
  const byDate = (await search('sort=date&facets=false')).hits.map((h) => h.id);
  const modified = (id: string) => {
    const m = records.find((r) => r.identifier === id)!.modified?.['@value'];
    return m ? instant(m, false) : undefined;
  };
  const dated = byDate.map(modified).filter((x): x is number => x !== undefined);
  assert.equal(
    dated,
    [...dated].sort((a, b) => b - a),
  );
  assert.is(
    byDate.findIndex((id) => modified(id) === undefined),
    dated.length,
    'records without a date come last',
  );
  const rel = await search('q=glacier');
  const scores = rel.hits.map((h) => h.score!);
  assert.equal(
    scores,
    [...scores].sort((a, b) => b - a),
  );
});

test('paging: page and cursors give every record once, forwards and backwards', async () => {
  const all = (await search('facets=false&sort=title')).hits.map((h) => h.id);
  const seen: string[] = [];
  let r = (await get('/search?size=7&facets=false&sort=title')).body;
  const pages: string[][] = [];
  for (;;) {
    pages.push(r.hits.map((h) => h.id));
    seen.push(...r.hits.map((h) => h.id));
    if (!r.next) break;
    assert.match(r.links.next!, /cursor=/);
    r = (await get(`/search?size=7&facets=false&sort=title&cursor=${r.next}`)).body;
  }
  assert.equal(seen, all);
  // back from the last page
  let back = r;
  for (let i = pages.length - 1; i > 0; i--) {
    back = (await get(`/search?size=7&facets=false&sort=title&cursor=${back.prev}`)).body;
    assert.equal(
      back.hits.map((h) => h.id),
      pages[i - 1],
      `page ${i}`,
    );
    assert.is(back.offset, (i - 1) * 7);
  }
  assert.is(back.prev, undefined);
  const page3 = (await get('/search?size=7&page=3&facets=false&sort=title')).body;
  assert.equal(
    page3.hits.map((h) => h.id),
    pages[2],
  );
});

test('every bad parameter is a 400 naming it', async () => {
  const other = (await get('/search?q=glacier&size=2')).body.next!;
  const cases: [string, string, RegExp][] = [
    ['bbox=1,2,3', 'bbox', /four numbers/],
    ['bbox=a,b,c,d', 'bbox', /four numbers/],
    ['bbox=0,10,5,5', 'bbox', /south 10 is north of north 5/],
    ['bbox=200,0,210,10', 'bbox', /west 200 is not a longitude/],
    ['bbox=0,0,10,95', 'bbox', /north 95 is not a latitude/],
    ['start=2019-13', 'start', /^start must be a date/],
    ['end=soon', 'end', /^end must be a date/],
    ['start=2019-02-30', 'start', /must be a date/],
    ['start=2020&end=2019', 'start', /^start \(2020\) is after end \(2019\): the time window is reversed$/],
    ['sort=newest', 'sort', /must be one of relevance, date, title/],
    ['size=101', 'size', /<= 100/],
    ['size=-1', 'size', />= 0/],
    ['size=ten', 'size', /integer/],
    ['page=0', 'page', />= 1/],
    ['page=101&size=100', 'page', /page too deep.*next/],
    ['cursor=not-a-cursor', 'cursor', /not a cursor/],
    [`cursor=${other}`, 'cursor', /belongs to another search/],
    [`page=2&cursor=${other}`, 'page', /either page or cursor/],
    ['bboxx=1,2,3,4', 'bboxx', /unknown parameter bboxx \(did you mean bbox\?\)/],
    ['type=map', 'type', /must be one of dataset, series, service/],
    ['facetSize=0', 'facetSize', />= 1/],
    ['facets=maybe', 'facets', /boolean/],
    ['fuzzy=yes', 'fuzzy', /auto, off/],
    ['lang=French!', 'lang', /language code/],
    [`q=${'a'.repeat(501)}`, 'q', /500/],
    ['theme=', 'theme', /fewer than 1 characters|must not be empty|NOT have fewer/],
    [Array.from({ length: 101 }, (_, i) => `keyword=k${i}`).join('&'), 'keyword', /100/],
  ];
  for (const [qs, param, message] of cases) {
    const r = await get(`/search?${qs}`);
    assert.is(r.status, 400, `${qs.slice(0, 60)}: ${JSON.stringify(r.body)}`);
    assert.is(r.body.parameter, param, `${qs.slice(0, 60)}: ${JSON.stringify(r.body)}`);
    assert.match(r.body.error!, message, qs.slice(0, 60));
  }
});

test('without an index: 503 saying so, not a crash', async () => {
  const none = await buildServer({ client, alias: tempIndexName('absent'), esUrl: await esUrl(), log: silentLogger });
  const r = await none.inject({ url: '/search?q=x' });
  assert.is(r.statusCode, 503);
  assert.match(r.json().error, /does not exist yet/);
  await none.close();
});

test('OpenAPI 3 at /openapi.json describes /search (every parameter) and the other routes', async () => {
  const r = await app.inject({ url: '/openapi.json' });
  assert.is(r.statusCode, 200);
  const doc = r.json();
  assert.is(doc.openapi, '3.0.3');
  assert.ok(doc.servers[0].url.startsWith('http'));
  const params = (doc.paths['/search'].get.parameters as { name: string; in: string }[]).map((p) => p.name);
  for (const p of [
    'q',
    'bbox',
    'start',
    'end',
    'theme',
    'keyword',
    'source',
    'type',
    'format',
    'licence',
    'rating',
    'variableCategory',
    'sort',
    'size',
    'page',
    'cursor',
  ])
    assert.ok(params.includes(p), p);
  assert.ok(doc.paths['/search'].get.responses['200'].content['application/json'].schema.properties.hits);
  for (const p of [
    '/health',
    '/ogcapi',
    '/ogcapi/collections',
    '/ogcapi/collections/{collectionId}/items',
    '/ogcapi/collections/{collectionId}/queryables',
  ])
    assert.ok(doc.paths[p], p);
  assert.not.ok(doc.paths['/openapi.json'], 'the description does not describe itself');
});

test.run();
