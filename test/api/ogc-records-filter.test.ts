/**
 * The CQL2 `filter` of OGC API - Records items (OGC API - Features Part 3) over the fixture records of every family:
 * each operator the conformance classes declare, what it finds computed here from the records themselves (not by the
 * query builder), both encodings (cql2-text and cql2-json), CQL2's unknown for a missing property (neither a
 * predicate nor its negation selects it), paging through a filtered list, and a 400 naming the parameter for every
 * filter the hub cannot answer exactly.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../api/server.js';
import { silentLogger } from '../../pipelines/log.js';
import type { HubRecord } from '../../schemas/record.js';
import { deleteIndices, esClient, esUrl, tempIndexName } from '../helpers/services.js';
import { indexFixtureCatalogue } from '../helpers/catalogue.js';
import { VARIABLE_CATEGORY_BASE } from '../../pipelines/search.js';
import { boxes, inBox, instant } from '../helpers/extents.js';

const alias = tempIndexName('ogcfilter');
const client = await esClient();
let app: FastifyInstance;
let records: HubRecord[] = [];

interface FC {
  features: { id: string; properties: Record<string, unknown> }[];
  numberMatched: number;
  numberReturned: number;
  links: { href: string; rel: string }[];
}

async function get(path: string) {
  const r = await app.inject({ url: path });
  return { status: r.statusCode, body: r.body, json: () => r.json() };
}
const sorted = (xs: string[]) => [...xs].sort();
/** The ids a filter finds in a collection (one page holds them all). */
async function found(filter: string, more = '', collection = 'catalogue'): Promise<string[]> {
  const r = await get(`/ogcapi/collections/${collection}/items?limit=1000&filter=${encodeURIComponent(filter)}${more}`);
  assert.is(r.status, 200, `${filter}: ${r.body.slice(0, 300)}`);
  const fc = r.json() as FC;
  assert.is(fc.numberMatched, fc.numberReturned, filter);
  return sorted(fc.features.map((f) => f.id));
}
const expectIds = (pred: (r: HubRecord) => boolean) => sorted(records.filter(pred).map((r) => r.identifier));
/** Asserts a filter finds exactly the records `pred` holds for; returns them. */
async function finds(filter: string, pred: (r: HubRecord) => boolean, more = '') {
  const want = expectIds(pred);
  assert.equal(await found(filter, more), want, filter);
  return want;
}
async function refused(query: string, param: string, message: RegExp) {
  const r = await get(`/ogcapi/collections/catalogue/items?${query}`);
  assert.is(r.status, 400, `${query}: ${r.body.slice(0, 200)}`);
  const body = r.json() as { parameter?: string; detail?: string; message?: string };
  assert.is(body.parameter, param, query);
  assert.match(JSON.stringify(body), message, query);
}

const source = (r: HubRecord) => r.isPrimaryTopicOf.sourceId;
const type = (r: HubRecord) =>
  r['@type'][0] === 'dcat:DataService' ? 'service' : r['@type'][0] === 'dcat:DatasetSeries' ? 'series' : 'dataset';
const keywords = (r: HubRecord) => Object.values(r.keyword ?? {}).flat();
const modified = (r: HubRecord) => (r.modified ? instant(r.modified['@value'], false) : undefined);
/** The record's periods as [start, end] in ms, open ends infinite (periods without any date left out). */
const periods = (r: HubRecord) =>
  (r.temporal ?? [])
    .filter((p) => p.startDate || p.endDate)
    .map((p) => [
      p.startDate ? instant(p.startDate['@value'], false) : -Infinity,
      p.endDate ? instant(p.endDate['@value'], true) : Infinity,
    ]);

test.before(async () => {
  records = (await indexFixtureCatalogue(client, alias)).records;
  app = await buildServer({ client, alias, esUrl: await esUrl(), log: silentLogger });
});
test.after(async () => {
  await app?.close();
  await deleteIndices(client, `${alias}*`);
});

test('conformance declares Features Part 3 filtering and the CQL2 classes answered', async () => {
  const conf = (await get('/ogcapi/conformance')).json().conformsTo as string[];
  for (const c of [
    'ogcapi-features-3/1.0/conf/filter',
    'ogcapi-features-3/1.0/conf/features-filter',
    'ogcapi-features-3/1.0/conf/queryables',
    'cql2/1.0/conf/basic-cql2',
    'cql2/1.0/conf/cql2-text',
    'cql2/1.0/conf/cql2-json',
    'cql2/1.0/conf/advanced-comparison-operators',
    'cql2/1.0/conf/basic-spatial-functions',
    'cql2/1.0/conf/case-insensitive-comparison',
    'cql2/1.0/conf/accent-insensitive-comparison',
    'cql2/1.0/conf/array-functions',
    'cql2/1.0/conf/temporal-functions',
  ])
    assert.ok(
      conf.some((x) => x === `http://www.opengis.net/spec/${c}`),
      c,
    );
  // what is not answered entirely is not declared
  for (const c of ['spatial-functions', 'arithmetic', 'property-property'])
    assert.not.ok(
      conf.some((x) => x.endsWith(`/conf/${c}`)),
      c,
    );
});

test('comparisons, IN, IS NULL, AND / OR / NOT on single-valued queryables', async () => {
  const sources = [...new Set(records.map(source))];
  const s = sources.find((x) => x !== 'hand')!;
  await finds(`source = '${s}'`, (r) => source(r) === s);
  await finds(`'${s}' = source`, (r) => source(r) === s);
  await finds(`source <> '${s}'`, (r) => source(r) !== s);
  await finds(`NOT (source = '${s}')`, (r) => source(r) !== s);
  await finds(`source IN ('${s}', 'hand')`, (r) => source(r) === s || source(r) === 'hand');
  await finds(`source NOT IN ('${s}', 'hand')`, (r) => source(r) !== s && source(r) !== 'hand');
  await finds(`type = 'service' OR source = 'hand'`, (r) => type(r) === 'service' || source(r) === 'hand');
  await finds(
    `type = 'dataset' AND NOT (source = '${s}' OR source = 'hand')`,
    (r) => type(r) === 'dataset' && source(r) !== s && source(r) !== 'hand',
  );
  // ranges on strings are lexical, as in CQL2
  await finds(`source < 'fx-k'`, (r) => source(r) < 'fx-k');
  await finds(`source >= 'fx-c' AND source <= 'fx-m'`, (r) => source(r) >= 'fx-c' && source(r) <= 'fx-m');
  await finds(`id = '${records[3].identifier}'`, (r) => r.identifier === records[3].identifier);
  await finds('TRUE', () => true);
  await finds('FALSE', () => false);
  // the filter and the other parameters all apply
  await finds(`type = 'dataset'`, (r) => type(r) === 'dataset' && source(r) === s, `&source=${s}`);
  assert.equal(
    await found(`type = 'dataset'`, '', s),
    expectIds((r) => type(r) === 'dataset' && source(r) === s),
  );
  // cql2-json says the same
  const json = JSON.stringify({
    op: 'and',
    args: [
      { op: '=', args: [{ property: 'type' }, 'dataset'] },
      { op: 'not', args: [{ op: '=', args: [{ property: 'source' }, s] }] },
    ],
  });
  assert.equal(
    await found(json, '&filter-lang=cql2-json'),
    expectIds((r) => type(r) === 'dataset' && source(r) !== s),
  );
});

test('multi-valued queryables: a value satisfies the predicate; LIKE; CASEI; IS NULL; unknown is never selected', async () => {
  const all = records.flatMap(keywords);
  const kw = all.find((k) => /[A-Z]/.test(k) && all.filter((x) => x === k).length >= 2)!;
  assert.ok(kw, 'a keyword with capitals in two records');
  await finds(`keywords = '${kw.replace(/'/g, "''")}'`, (r) => keywords(r).includes(kw));
  // = is exact, CASEI is not
  await finds(`keywords = '${kw.toLowerCase().replace(/'/g, "''")}'`, (r) => keywords(r).includes(kw.toLowerCase()));
  const ci = await finds(`CASEI(keywords) = CASEI('${kw.toLowerCase().replace(/'/g, "''")}')`, (r) =>
    keywords(r).some((k) => k.toLowerCase() === kw.toLowerCase()),
  );
  assert.ok(ci.length >= 2);
  // LIKE: % any run, _ one character
  const prefix = kw.slice(0, 3);
  await finds(`keywords LIKE '${prefix.replace(/'/g, "''")}%'`, (r) => keywords(r).some((k) => k.startsWith(prefix)));
  await finds(`keywords LIKE '%%%${kw.slice(2).replace(/'/g, "''")}%%'`, (r) => keywords(r).some((k) => k.includes(kw.slice(2))));
  await finds(`keywords LIKE '_${kw.slice(1).replace(/'/g, "''")}'`, (r) =>
    keywords(r).some((k) => k.length === kw.length && k.slice(1) === kw.slice(1)),
  );
  await finds(
    `keywords NOT LIKE '${prefix.replace(/'/g, "''")}%'`,
    (r) => keywords(r).length > 0 && !keywords(r).some((k) => k.startsWith(prefix)),
  );
  await finds('keywords IS NULL', (r) => keywords(r).length === 0);
  await finds('keywords IS NOT NULL', (r) => keywords(r).length > 0);
  await finds('NOT (keywords IS NULL)', (r) => keywords(r).length > 0);
  // <> on a list: none of its values is that one; records without keywords are unknown, neither side selects them
  const ne = await finds(`keywords <> '${kw.replace(/'/g, "''")}'`, (r) => keywords(r).length > 0 && !keywords(r).includes(kw));
  const eq = await found(`keywords = '${kw.replace(/'/g, "''")}'`);
  const none = await found('keywords IS NULL');
  assert.is(ne.length + eq.length + none.length, records.length);
  // ratings as each record's GeoJSON shows them (the index's scores; an unrated record would be unknown to both sides)
  const all2 = (await get('/ogcapi/collections/catalogue/items?limit=1000')).json() as FC;
  const rating = new Map(all2.features.map((f) => [f.id, f.properties.rating as string | undefined]));
  const rated = (pred: (x: string) => boolean) => sorted([...rating].filter(([, x]) => x !== undefined && pred(x)).map(([id]) => id));
  assert.ok(rated((x) => x === 'good').length > 0 && rated((x) => x !== 'good').length > 0);
  assert.equal(
    await found(`rating = 'good'`),
    rated((x) => x === 'good'),
  );
  assert.equal(
    await found(`NOT (rating = 'good')`),
    rated((x) => x !== 'good'),
  );
  assert.equal(await found(`rating IS NULL`), sorted([...rating].filter(([, x]) => x === undefined).map(([id]) => id)));
});

test('ACCENTI, alone and with CASEI, in =, <>, LIKE and IN: letters match their marked forms, as the conformance classes test them', async () => {
  const bare = (k: string) => k.normalize('NFD').replace(/\p{M}/gu, '');
  const all = [...new Set(records.flatMap(keywords))];
  // a keyword with an accented letter whose unaccented form is another keyword's or no keyword's
  const kw = all.find((k) => /[àâçéèêëîïôöùûü]/.test(k) && /[a-z]/.test(k))!;
  assert.ok(kw, 'a keyword with an accent');
  const plain = bare(kw);
  const lit = (v: string) => `'${v.replace(/'/g, "''")}'`;
  const ai = await finds(`ACCENTI(keywords) = ACCENTI(${lit(plain)})`, (r) => keywords(r).some((k) => bare(k) === plain));
  assert.ok(ai.length >= 1);
  // accents are not case: ACCENTI alone keeps it, with CASEI it goes too (either order, either side)
  const upper = plain.toUpperCase();
  await finds(`ACCENTI(keywords) = ACCENTI(${lit(upper)})`, (r) => keywords(r).some((k) => bare(k) === upper));
  const both = (r: HubRecord) => keywords(r).some((k) => bare(k).toLowerCase() === plain.toLowerCase());
  assert.equal(await found(`ACCENTI(CASEI(keywords)) = ACCENTI(CASEI(${lit(upper)}))`), expectIds(both));
  assert.equal(await found(`CASEI(ACCENTI(keywords)) = ${lit(upper)}`), expectIds(both));
  // the ATS pair: ACCENTI(p) = accenti('äöü...') and its <> select no record in common
  const ne = await found(`ACCENTI(keywords) <> ACCENTI(${lit(kw)})`);
  assert.equal(
    ne,
    expectIds((r) => keywords(r).length > 0 && !keywords(r).some((k) => bare(k) === plain)),
  );
  assert.ok(!ne.some((id) => ai.includes(id)));
  // LIKE: a prefix without its accents, and _ standing for an accented letter
  const prefix = bare(kw.slice(0, Math.max(3, [...kw].findIndex((c) => bare(c) !== c) + 1)));
  await finds(`ACCENTI(keywords) LIKE ACCENTI(${lit(`${prefix}%`)})`, (r) => keywords(r).some((k) => bare(k).startsWith(prefix)));
  const at = [...kw].findIndex((c) => bare(c) !== c);
  const underscore = [...plain].map((c, i) => (i === at ? '_' : c === '%' || c === '_' ? `\\${c}` : c)).join('');
  await finds(`ACCENTI(keywords) LIKE ${lit(underscore)}`, (r) =>
    keywords(r).some((k) => [...bare(k)].length === [...plain].length && [...bare(k)].every((c, i) => i === at || c === [...plain][i])),
  );
  // IN
  await finds(`ACCENTI(keywords) IN (${lit(plain)}, 'no such keyword')`, (r) => keywords(r).some((k) => bare(k) === plain));
  // special characters of regular expressions are literal
  await finds(`ACCENTI(source) = 'fx.stac'`, () => false);
  await refused(`filter=${encodeURIComponent(`ACCENTI(source) > 'a'`)}`, 'filter', /ACCENTI\(source\) is compared with =/);
  await refused(`filter=${encodeURIComponent(`ACCENTI(updated) = '2020'`)}`, 'filter', /ACCENTI applies to strings/);
  // a pattern whose automaton is too large for the node: a 400 naming filter, not a 500
  await refused(`filter=${encodeURIComponent(`ACCENTI(keywords) LIKE '%a${'_'.repeat(40)}%'`)}`, 'filter', /too complex/);
  // a long value is answered (its regular expression is longer than the node's default limit of 1,000 characters)
  await finds(`ACCENTI(CASEI(keywords)) LIKE '%${'précipitation '.repeat(30)}%'`, () => false);
});

test('array functions on a multi-valued and a single-valued queryable: sets compared as cql2-rs does, either way round, unknown never selected', async () => {
  const set = (r: HubRecord) => new Set(keywords(r));
  const quoted = (xs: string[]) => `(${xs.map((x) => `'${x.replace(/'/g, "''")}'`).join(', ')})`;
  const base = records.find((r) => set(r).size >= 2 && records.some((o) => o !== r && [...set(r)].every((k) => set(o).has(k))))!;
  assert.ok(base, 'a record whose keywords another record holds too');
  const K = [...set(base)];
  const [k1, k2] = K;
  const some = (r: HubRecord, xs: string[]) => xs.some((x) => set(r).has(x));
  const every = (r: HubRecord, xs: string[]) => xs.every((x) => set(r).has(x));
  const only = (r: HubRecord, xs: string[]) => set(r).size > 0 && [...set(r)].every((k) => xs.includes(k));
  const contains = await finds(`A_CONTAINS(keywords, ${quoted([k1, k2])})`, (r) => every(r, [k1, k2]));
  assert.ok(contains.length >= 2);
  assert.equal(await found(`A_CONTAINEDBY(${quoted([k1, k2])}, keywords)`), contains, 'the converse, a literal first');
  await finds(`A_OVERLAPS(keywords, ${quoted([k1, 'no such keyword'])})`, (r) => some(r, [k1]));
  // the base record's keywords and one more: records holding no other keyword, at least one
  const wider = [...K, 'no such keyword'];
  const within = await finds(`A_CONTAINEDBY(keywords, ${quoted(wider)})`, (r) => only(r, wider));
  assert.ok(within.includes(base.identifier));
  const same = (r: HubRecord) => only(r, K) && every(r, K);
  const equal = await finds(`A_EQUALS(keywords, ${quoted([...K].reverse())})`, same);
  assert.ok(equal.includes(base.identifier));
  assert.equal(await found(`A_EQUALS(keywords, ${quoted(wider)})`), []);
  // negations: false where the record has keywords, unknown (neither side) where it has none
  const notEqual = await finds(`NOT A_EQUALS(keywords, ${quoted(K)})`, (r) => set(r).size > 0 && !same(r));
  assert.is(equal.length + notEqual.length + (await found('keywords IS NULL')).length, records.length);
  await finds(`NOT A_CONTAINEDBY(keywords, ${quoted(wider)})`, (r) => set(r).size > 0 && !only(r, wider));
  // cql2-json names the same functions
  const json = JSON.stringify({ op: 'a_containedBy', args: [{ property: 'keywords' }, wider] });
  assert.equal(await found(json, '&filter-lang=cql2-json'), within);
  // a single-valued queryable: its one value
  await finds(`A_CONTAINEDBY(source, ('hand', 'elsewhere'))`, (r) => source(r) === 'hand');
  await finds(`A_EQUALS(source, ('hand'))`, (r) => source(r) === 'hand');
  assert.equal(await found(`A_EQUALS(source, ('hand', 'elsewhere'))`), []);
  // two literals do not depend on the record
  assert.is((await found(`A_CONTAINS(('a', 'b'), ('b'))`)).length, records.length);
  assert.equal(await found(`A_OVERLAPS(('a'), ('b'))`), []);
  assert.is((await found(`NOT A_OVERLAPS(('a'), ('b'))`)).length, records.length);
});

test('themes by IRI or label; variable categories by IRI or last segment, among the themes only', async () => {
  const themeIris = (r: HubRecord) => (r.theme ?? []).map((t) => t['@id']).filter((x): x is string => !!x);
  const iri = records.flatMap(themeIris).find((t) => t.startsWith('http://inspire.ec.europa.eu/theme/'))!;
  assert.ok(iri, 'an INSPIRE theme in the fixtures');
  await finds(`themes = '${iri}'`, (r) => themeIris(r).includes(iri));
  const cat = records.flatMap(themeIris).find((t) => t.startsWith(VARIABLE_CATEGORY_BASE))!;
  assert.ok(cat, 'an OZCAR variable category in the fixtures');
  const tail = cat.slice(cat.lastIndexOf('/') + 1);
  const withCat = await finds(`variableCategory = '${tail}'`, (r) => themeIris(r).includes(cat));
  assert.equal(await found(`variableCategory = '${cat}'`), withCat);
  // a range or a pattern on the categories reaches no other theme
  await finds(`variableCategory LIKE '%'`, (r) => themeIris(r).some((t) => t.startsWith(VARIABLE_CATEGORY_BASE)));
  await finds(`variableCategory >= ''`, (r) => themeIris(r).some((t) => t.startsWith(VARIABLE_CATEGORY_BASE)));
  await finds('variableCategory IS NULL', (r) => !themeIris(r).some((t) => t.startsWith(VARIABLE_CATEGORY_BASE)));
});

test('dates: created and updated against DATE and TIMESTAMP, a day covering the whole day', async () => {
  const withModified = records.filter((r) => modified(r) !== undefined);
  assert.ok(withModified.length > 5);
  const y2020 = Date.UTC(2020, 0, 1);
  await finds(`updated >= DATE('2020-01-01')`, (r) => modified(r) !== undefined && modified(r)! >= y2020);
  await finds(`updated < TIMESTAMP('2020-01-01T00:00:00Z')`, (r) => modified(r) !== undefined && modified(r)! < y2020);
  await finds(
    `updated >= DATE('2015-01-01') AND updated <= DATE('2019-12-31')`,
    (r) => modified(r) !== undefined && modified(r)! >= Date.UTC(2015, 0, 1) && modified(r)! < y2020,
  );
  const one = withModified[0];
  const day = new Date(modified(one)!).toISOString().slice(0, 10);
  await finds(`updated = DATE('${day}')`, (r) => modified(r) !== undefined && new Date(modified(r)!).toISOString().slice(0, 10) === day);
  await finds('updated IS NULL', (r) => modified(r) === undefined);
});

test('geometry: S_INTERSECTS and S_DISJOINT with a BBOX or a POINT, across the antimeridian too', async () => {
  const hasBox = (r: HubRecord) => boxes(r).length > 0;
  const france = [-5.5, 41, 10, 51.5];
  const inFrance = await finds(`S_INTERSECTS(geometry, BBOX(${france.join(', ')}))`, (r) => boxes(r).some((b) => inBox(b, france)));
  assert.ok(inFrance.length > 3);
  await finds(`S_DISJOINT(geometry, BBOX(${france.join(', ')}))`, (r) => hasBox(r) && !boxes(r).some((b) => inBox(b, france)));
  await finds(`NOT S_INTERSECTS(geometry, BBOX(${france.join(', ')}))`, (r) => hasBox(r) && !boxes(r).some((b) => inBox(b, france)));
  const pacific = [170, -60, -170, 60];
  await finds(`S_INTERSECTS(geometry, BBOX(${pacific.join(', ')}))`, (r) => boxes(r).some((b) => inBox(b, pacific)));
  const point = [2.35, 48.85];
  await finds(`S_INTERSECTS(geometry, POINT(${point.join(' ')}))`, (r) => boxes(r).some((b) => inBox(b, [...point, ...point])));
  await finds('geometry IS NULL', (r) => !hasBox(r));
  // cql2-json: a GeoJSON point, the bbox member
  const json = (g: unknown) => JSON.stringify({ op: 's_intersects', args: [{ property: 'geometry' }, g] });
  assert.equal(
    await found(json({ type: 'Point', coordinates: point }), '&filter-lang=cql2-json'),
    await found(`S_INTERSECTS(geometry, POINT(${point.join(' ')}))`),
  );
  assert.equal(await found(json({ bbox: france }), '&filter-lang=cql2-json'), inFrance);
});

test('time: T_INTERSECTS, T_DISJOINT, T_BEFORE, T_AFTER with open ends on either side', async () => {
  const dated = (r: HubRecord) => periods(r).length > 0;
  const [from, to] = [Date.UTC(2015, 0, 1), Date.UTC(2017, 0, 1) - 1];
  const meets = (r: HubRecord, a: number, b: number) => periods(r).some(([s, e]) => s <= b && e >= a);
  const hits = await finds(`T_INTERSECTS(time, INTERVAL('2015-01-01', '2016-12-31'))`, (r) => meets(r, from, to));
  assert.ok(hits.length > 2);
  await finds(`T_DISJOINT(time, INTERVAL('2015-01-01', '2016-12-31'))`, (r) => dated(r) && !meets(r, from, to));
  await finds(`T_INTERSECTS(time, INTERVAL('2015-01-01', '..'))`, (r) => meets(r, from, Infinity));
  await finds(`T_INTERSECTS(time, DATE('2016-06-01'))`, (r) => meets(r, Date.UTC(2016, 5, 1), Date.UTC(2016, 5, 2) - 1));
  await finds(`T_BEFORE(time, DATE('2010-01-01'))`, (r) => dated(r) && periods(r).every(([, e]) => e < Date.UTC(2010, 0, 1)));
  await finds(`T_AFTER(time, TIMESTAMP('2018-01-01T00:00:00Z'))`, (r) => dated(r) && periods(r).every(([s]) => s > Date.UTC(2018, 0, 1)));
  // the literal first: the converse
  await finds(`T_AFTER(DATE('2010-01-01'), time)`, (r) => dated(r) && periods(r).every(([, e]) => e < Date.UTC(2010, 0, 1)));
  await finds(`T_DISJOINT(INTERVAL('2015-01-01', '2016-12-31'), time)`, (r) => dated(r) && !meets(r, from, to));
  await finds(`NOT T_BEFORE(time, DATE('2010-01-01'))`, (r) => dated(r) && !periods(r).every(([, e]) => e < Date.UTC(2010, 0, 1)));
  await finds('time IS NULL', (r) => !dated(r));
});

test('paging through a filtered list by its next links keeps the filter', async () => {
  const filter = `type = 'dataset' AND S_INTERSECTS(geometry, BBOX(-180, -90, 180, 90))`;
  const all = await found(filter);
  assert.ok(all.length > 12);
  const seen: string[] = [];
  let next: string | undefined = `/ogcapi/collections/catalogue/items?limit=5&filter=${encodeURIComponent(filter)}`;
  while (next) {
    const fc = (await get(next)).json() as FC;
    assert.is(fc.numberMatched, all.length);
    seen.push(...fc.features.map((f) => f.id));
    next = fc.links.find((l) => l.rel === 'next')?.href.replace(/^http:\/\/[^/]+/, '');
  }
  assert.equal(sorted(seen), all);
});

test('GET /search takes the same filter, with its facets counted within it', async () => {
  const filter = `type = 'dataset' AND S_INTERSECTS(geometry, BBOX(-5.5, 41, 10, 51.5))`;
  const r = await get(`/search?size=100&filter=${encodeURIComponent(filter)}`);
  assert.is(r.status, 200, r.body.slice(0, 300));
  const res = r.json() as { total: number; hits: { id: string }[]; facets: Record<string, { key: string; count: number }[]> };
  assert.equal(sorted(res.hits.map((h) => h.id)), await found(filter));
  assert.is(res.total, res.hits.length);
  assert.equal(res.facets.type, [{ key: 'dataset', count: res.total }]);
  const bySource = res.facets.source.reduce((n, v) => n + v.count, 0);
  assert.is(bySource, res.total);
  const bad = await get(`/search?filter=${encodeURIComponent('type =')}`);
  assert.is(bad.status, 400);
  assert.is(bad.json().parameter, 'filter');
  const lang = await get('/search?filter-lang=cql2-json');
  assert.is(lang.status, 400);
  assert.is(lang.json().parameter, 'filter-lang');
});

test('a filter that cannot be answered exactly is a 400 naming the parameter, in one sentence', async () => {
  const q = (f: string) => `filter=${encodeURIComponent(f)}`;
  await refused(q(`source = 'x' AND`), 'filter', /filter/);
  await refused(q(`title = 'Sols'`), 'filter', /title is not a queryable.*keywords/);
  await refused(q(`S_INTERSECTS(geometry, POLYGON((0 0, 1 0, 1 1, 0 0)))`), 'filter', /BBOX.*POINT/);
  await refused(q(`S_INTERSECTS(geometry, BBOX(0, 50, 10, 40))`), 'filter', /south/);
  await refused(q(`time = DATE('2020-01-01')`), 'filter', /temporal functions \(T_INTERSECTS/);
  await refused(q(`updated > 'soon'`), 'filter', /date/);
  await refused(q(`source = 5`), 'filter', /strings/);
  await refused(q(`source = type`), 'filter', /two properties/);
  await refused(q(`T_DURING(time, DATE('2020-01-01'))`), 'filter', /T_DURING applies to intervals/);
  await refused(q(`S_WITHIN(geometry, BBOX(0, 40, 10, 50))`), 'filter', /S_WITHIN is not supported/);
  await refused(q(`CASEI(source) > 'a'`), 'filter', /CASEI/);
  await refused(q(`A_EQUALS(themes, ('x'))`), 'filter', /A_EQUALS of themes is not supported.*A_CONTAINS and A_OVERLAPS/);
  await refused(q(`A_CONTAINEDBY(externalIds, ('x'))`), 'filter', /A_CONTAINEDBY of externalIds is not supported/);
  await refused(q(`A_CONTAINS(keywords, (1, 2))`), 'filter', /strings/);
  await refused(q(`A_OVERLAPS(keywords, formats)`), 'filter', /two properties/);
  await refused(q(`A_OVERLAPS(keywords, 'x')`), 'filter', /A_OVERLAPS takes an array/);
  await refused(q(`A_OVERLAPS(updated, ('x'))`), 'filter', /string queryables/);
  await refused(q(`keywords LIKE '${'_'.repeat(3000)}'`), 'filter', /LIKE pattern is at most 512 characters/);
  // BETWEEN compares numbers (CQL2's grammar), and no queryable is one
  await refused(q(`source BETWEEN 'a' AND 'b'`), 'filter', /BETWEEN/);
  await refused(
    `${q(JSON.stringify({ op: 'between', args: [{ property: 'source' }, 1, 2] }))}&filter-lang=cql2-json`,
    'filter',
    /BETWEEN.*number/,
  );
  await refused(`${q(`{"op": "=", "args": [{"property": "source"}]`)}&filter-lang=cql2-json`, 'filter', /filter/);
  await refused(`${q(`source = 'x'`)}&filter-lang=ecql`, 'filter-lang', /cql2-text, cql2-json/);
  await refused(
    `${q(`source = 'x'`)}&filter-crs=${encodeURIComponent('http://www.opengis.net/def/crs/EPSG/0/2154')}`,
    'filter-crs',
    /CRS84/,
  );
  await refused('filter-lang=cql2-text', 'filter-lang', /without a filter/);
  // the default language and CRS may be named
  assert.equal(
    await found(
      `source = 'hand'`,
      `&filter-lang=cql2-text&filter-crs=${encodeURIComponent('http://www.opengis.net/def/crs/OGC/1.3/CRS84')}`,
    ),
    expectIds((r) => source(r) === 'hand'),
  );
});

test.run();
