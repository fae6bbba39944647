/**
 * The catalogue pages over a real index of fixture records (test/api/pages-fixture.ts), through the real server
 * (app.inject): what each page lists is checked against what the records hold, computed here independently of the
 * search code; languages, bad parameters (400 page or JSON), every record's page, static assets.
 */
import { HUB_BASE_URI } from '../../../schemas/record.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { parse, type HTMLElement } from 'node-html-parser';
import { buildServer } from '../../../api/server.js';
import { silentLogger } from '../../../pipelines/log.js';
import type { HubRecord } from '../../../schemas/record.js';
import { toIndexDoc } from '../../../mappings/index-doc.js';
import { BulkIndexer } from '../../../pipelines/indexer.js';
import { itemsFromFile } from '../../../pipelines/files.js';
import { mapRecord } from '../../../pipelines/map.js';
import { RELATED } from '../../../api/pages/record-page.js';
import { projectPath } from '../../../schemas/paths.js';
import { foldWords } from '../../../core/fold.js';
import { esClient, esUrl } from '../../helpers/services.js';
import { buildPagesIndex, WMS_LAYER, WMS_PATH, type PagesIndex } from '../pages-fixture.js';
import { boxes, inBox, instant, overlaps } from '../../helpers/extents.js';

const client = await esClient();
let fx: PagesIndex;
let app: FastifyInstance;

test.before(async () => {
  fx = await buildPagesIndex(client, { prefix: 'pages-routes', wmsBase: 'http://wms.test.invalid' });
  app = await buildServer({ client, alias: fx.alias, esUrl: await esUrl(), log: silentLogger, reportDir: fx.reportDir });
});
test.after(async () => {
  await app.close();
  await fx.cleanup();
});

const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });
const dom = (body: string): HTMLElement => parse(body);
/** The ids of the result list of a catalogue page, in order. */
const hitIds = (body: string) =>
  dom(body)
    .querySelectorAll('li.hit')
    .map((li) => li.getAttribute('data-id')!);
const total = (body: string) => Number(dom(body).querySelector('p.total')?.getAttribute('data-total') ?? NaN);
const sorted = (a: string[]) => [...a].sort();
const attr = (el: HTMLElement | null, name: string) => el?.getAttribute(name);

/** All the ids of a search, every page followed (20 a page). */
async function allIds(url: string): Promise<string[]> {
  const out: string[] = [];
  for (let page = 1; page < 10; page++) {
    const r = await get(`${url}${url.includes('?') ? '&' : '?'}page=${page}`);
    assert.is(r.statusCode, 200, url);
    const ids = hitIds(r.body);
    out.push(...ids);
    if (ids.length < 20) break;
  }
  return out;
}

// ----- independent readings of the records
function text(r: HubRecord): string {
  return [
    ...Object.values(r.title),
    ...Object.values(r.description ?? {}),
    ...Object.values(r.keyword ?? {}).flat(),
    ...(r.theme ?? []).flatMap((c) => Object.values(c.prefLabel ?? {})),
  ].join(' ');
}

test('the catalogue lists every record; the language follows Accept-Language, then ?lang=, and links keep a chosen language', async () => {
  const fr = await get('/catalogue', { 'accept-language': 'fr-FR,fr;q=0.9,en;q=0.5' });
  assert.is(fr.statusCode, 200);
  assert.match(String(fr.headers['content-type']), /^text\/html; charset=utf-8/);
  assert.is(fr.headers['content-language'], 'fr');
  assert.match(String(fr.headers.vary), /Accept-Language/);
  assert.match(fr.body, /<html lang="fr">/);
  assert.match(fr.body, /Rechercher des données/);
  assert.is(total(fr.body), fx.records.length);
  assert.equal(sorted(await allIds('/catalogue')), sorted(fx.records.map((r) => r.identifier)));

  const en = await get('/catalogue', { 'accept-language': 'en-GB,en;q=0.9' });
  assert.match(en.body, /<html lang="en">/);
  assert.match(en.body, /Find data/);
  // the switch: a link to the same page in the other language
  const sw = dom(en.body).querySelector('nav.langs a[hreflang="fr"]');
  assert.is(attr(sw, 'href'), '/catalogue?lang=fr');
  assert.is(sw?.text, 'Français');
  const chosen = await get('/catalogue?lang=en&q=glacier', { 'accept-language': 'fr' });
  assert.match(chosen.body, /<html lang="en">/);
  // a chosen language stays in the record links, the facet links and the form
  const c = dom(chosen.body);
  const recordLinks = c.querySelectorAll('li.hit h3 a');
  assert.ok(recordLinks.length > 0);
  for (const a of recordLinks) assert.match(attr(a, 'href')!, /^\/catalogue\/records\/[^?]+\?lang=en$/);
  assert.is(attr(c.querySelector('form.search input[type="hidden"][name="lang"]'), 'value'), 'en');
  const facetLinks = c.querySelectorAll('a[data-facet]');
  assert.ok(facetLinks.length > 0);
  for (const a of facetLinks) assert.match(attr(a, 'href')!, /[?&]lang=en(&|$)/);
  // no language we have: French
  assert.match((await get('/catalogue', { 'accept-language': 'de' })).body, /<html lang="fr">/);
});

test('text: a French word with or without its accent finds the same records, exactly those that hold the word', async () => {
  const expected = sorted(fx.records.filter((r) => /b[aâ]timent/i.test(text(r))).map((r) => r.identifier));
  assert.ok(expected.length >= 1, 'the fixtures hold "bâtiment"');
  const accented = await get(`/catalogue?q=${encodeURIComponent('bâtiments')}`);
  const plain = await get('/catalogue?q=BATIMENTS');
  assert.equal(sorted(hitIds(accented.body)), expected);
  assert.equal(sorted(hitIds(plain.body)), expected);
  assert.is(attr(dom(plain.body).querySelector('input[name="q"]'), 'value'), 'BATIMENTS');
  // the searched words are marked where the snippet has them, in any spelling
  const marks = dom((await get('/catalogue?q=GLACIER')).body).querySelectorAll('p.snippet mark');
  assert.ok(marks.length > 0);
  for (const m of marks) assert.match(m.text, /^glaciers?$/i);
});

test('place: the records of a box are exactly those whose boxes intersect it', async () => {
  for (const box of [
    [-5.5, 47, -1, 49],
    [5, 44, 8, 47],
    [-180, -90, 180, 90],
  ]) {
    const expected = sorted(fx.records.filter((r) => boxes(r).some((b) => inBox(b, box))).map((r) => r.identifier));
    const ids = await allIds(`/catalogue?bbox=${box.join(',')}`);
    assert.equal(sorted(ids), expected, box.join(','));
    const page = await get(`/catalogue?bbox=${box.join(',')}`);
    assert.match(page.body, new RegExp(`id="map" class="map" data-bbox="${box.join(',').replace(/\./g, '\\.')}"`));
  }
});

test('time: a period finds the records whose time extent overlaps it (open ends included)', async () => {
  for (const [from, to] of [
    ['2019', '2020'],
    ['2009-10', '2009-10'],
    ['', '1990'],
    ['2023-01-01', ''],
  ]) {
    const lo = from ? instant(from, false) : -Infinity;
    const hi = to ? instant(to, true) : Infinity;
    const expected = sorted(fx.records.filter((r) => overlaps(r, lo, hi)).map((r) => r.identifier));
    const ids = await allIds(`/catalogue?from=${from}&to=${to}`);
    assert.equal(sorted(ids), expected, `${from}..${to}`);
  }
});

test("facets: the data's languages, named in the page's language, counted as the records hold them; a value filters", async () => {
  const counts = new Map<string, number>();
  for (const r of fx.records)
    for (const code of new Set((r.language ?? []).map((l) => l['@id'].split('/').pop()!))) counts.set(code, (counts.get(code) ?? 0) + 1);
  assert.ok(counts.size > 1, 'the fixtures hold records in several languages');
  const names: Record<string, [string, string]> = { FRA: ['français', 'French'], ENG: ['anglais', 'English'], DEU: ['allemand', 'German'] };
  for (const [i, lang] of (['fr', 'en'] as const).entries()) {
    const links = dom((await get(`/catalogue?lang=${lang}`)).body).querySelectorAll('a[data-facet="language"]');
    assert.equal(sorted(links.map((a) => a.getAttribute('data-value')!)), sorted([...counts.keys()]), lang);
    for (const a of links) {
      const code = a.getAttribute('data-value')!;
      assert.is(Number(a.parentNode!.querySelector('.count')!.text.trim()), counts.get(code), code);
      if (names[code]) assert.match(a.text, names[code][i], `${lang} ${code}`);
    }
  }
  const [code, count] = [...counts].sort((a, b) => a[1] - b[1])[0];
  const filtered = await allIds(`/catalogue?language=${code}`);
  assert.is(filtered.length, count);
  assert.equal(
    sorted(filtered),
    sorted(fx.records.filter((r) => r.language?.some((l) => l['@id'].endsWith(`/${code}`))).map((r) => r.identifier)),
  );
});

test('facets: the theme counts are what the records hold; a facet link adds the filter, the chip removes it', async () => {
  const page = await get('/catalogue');
  const themeCounts = new Map<string, number>();
  for (const r of fx.records)
    for (const iri of new Set((r.theme ?? []).flatMap((c) => (c['@id'] ? [c['@id']] : []))))
      themeCounts.set(iri, (themeCounts.get(iri) ?? 0) + 1);
  const shown = dom(page.body)
    .querySelectorAll('a[data-facet="theme"]')
    .map((a) => [a.getAttribute('data-value')!, Number(a.parentNode!.querySelector('.count')!.text.trim())] as const);
  assert.ok(shown.length > 0);
  for (const [iri, count] of shown) assert.is(count, themeCounts.get(iri), iri);
  // the most frequent themes are shown first
  assert.is(shown[0][1], Math.max(...themeCounts.values()));

  const [iri, count] = shown[0];
  const link = dom(page.body)
    .querySelectorAll('a[data-facet="theme"]')
    .find((a) => a.getAttribute('data-value') === iri)!
    .getAttribute('href')!;
  assert.is(link, `/catalogue?theme=${encodeURIComponent(iri)}`);
  const filtered = await allIds(link);
  assert.equal(sorted(filtered), sorted(fx.records.filter((r) => r.theme?.some((c) => c['@id'] === iri)).map((r) => r.identifier)));
  assert.is(filtered.length, count);
  const on = await get(link);
  const onDom = dom(on.body);
  const selected = onDom.querySelectorAll('a[data-facet="theme"][aria-current="true"]');
  assert.equal(
    selected.map((a) => a.getAttribute('data-value')),
    [iri],
  );
  // the selected value's link removes it again, and so does the chip of the active filters
  assert.is(attr(selected[0], 'href'), '/catalogue');
  assert.equal(
    onDom.querySelectorAll('section.active li a').map((a) => a.getAttribute('href')),
    ['/catalogue'],
  );
  // type facet with its words
  assert.is(dom(page.body).querySelector('a[data-facet="type"][data-value="dataset"] .value')?.text, 'Jeu de données');
  // each count is read in words (an aria-label on a span, which has no role, is ignored by screen readers: none is used)
  for (const li of dom(page.body).querySelectorAll('.facet li')) {
    const n = Number(li.querySelector('.count')!.text.trim().replace(/\s/g, ''));
    assert.is(li.querySelector('.count + .visually-hidden')?.text, `${n} ${n === 1 ? 'fiche' : 'fiches'}`);
  }
  for (const el of dom(page.body).querySelectorAll('[aria-label]'))
    assert.ok(
      ['A', 'NAV', 'SECTION', 'ASIDE', 'FORM', 'BUTTON', 'INPUT'].includes(el.tagName) || el.getAttribute('role'),
      el.outerHTML.slice(0, 80),
    );
});

/**
 * The INSPIRE registry's English and French labels of the INSPIRE themes the fixtures' records name
 * (https://inspire.ec.europa.eu/theme/{code}): a page shows a theme in its language when its records give no label in it.
 */
const INSPIRE_REGISTRY: Record<string, { en: string; fr: string }> = {
  ac: { en: 'Atmospheric conditions', fr: 'Conditions atmosphériques' },
  cp: { en: 'Cadastral parcels', fr: 'Parcelles cadastrales' },
  ef: { en: 'Environmental monitoring facilities', fr: 'Installations de suivi environnemental' },
  el: { en: 'Elevation', fr: 'Altitude' },
  gn: { en: 'Geographical names', fr: 'Dénominations géographiques' },
  hh: { en: 'Human health and safety', fr: 'Santé et sécurité des personnes' },
  oi: { en: 'Orthoimagery', fr: 'Ortho-imagerie' },
};

/** The labels a page may show for a theme: those its records give, with their language, and the registry's. */
function themeLabels(): Map<string, { text: string; lang?: string }[]> {
  const labels = new Map<string, { text: string; lang?: string }[]>();
  const missing = new Set<string>();
  const add = (iri: string, text: string, lang?: string) =>
    labels.set(iri, [...(labels.get(iri) ?? []), { text, ...(lang ? { lang } : {}) }]);
  for (const r of fx.records)
    for (const c of r.theme ?? []) {
      if (!c['@id']) continue;
      for (const [l, text] of Object.entries(c.prefLabel ?? {})) add(c['@id'], text, l === '@none' ? undefined : l);
      const code = c['@id'].match(/^http:\/\/inspire\.ec\.europa\.eu\/theme\/(\w+)$/)?.[1];
      if (code === undefined) continue;
      const known = INSPIRE_REGISTRY[code];
      if (!known) missing.add(code);
      else add(c['@id'], known.en, 'en');
      if (known) add(c['@id'], known.fr, 'fr');
    }
  assert.equal([...missing], [], 'INSPIRE themes to add to INSPIRE_REGISTRY');
  return labels;
}

test('facets: a theme or category is shown with the label a record gives it (or the INSPIRE registry), even when no record of the page holds it', async () => {
  const labels = new Map([...themeLabels()].map(([iri, ls]) => [iri, new Set(ls.map((l) => l.text))]));
  const first = dom((await get('/catalogue')).body)
    .querySelector('a[data-facet="theme"]')!
    .getAttribute('data-value')!;
  // page 2 and a chosen theme: the records listed hold few (or one) of the themes the facet counts
  let checked = 0;
  for (const url of ['/catalogue', '/catalogue?page=2', `/catalogue?theme=${encodeURIComponent(first)}`, '/catalogue?lang=en&page=2']) {
    const d = dom((await get(url)).body);
    for (const a of d.querySelectorAll('a[data-facet="theme"], a[data-facet="category"]')) {
      const known = labels.get(a.getAttribute('data-value')!);
      if (!known) continue;
      assert.ok(
        known.has(a.querySelector('.value')!.text),
        `${url}: ${a.getAttribute('data-value')} shown as "${a.querySelector('.value')!.text}"`,
      );
      checked++;
    }
    // the chip of a chosen theme too
    for (const chip of d.querySelectorAll('section.active li a'))
      if (url.includes('theme='))
        assert.ok(
          [...labels.get(first)!].some((l) => chip.text.includes(l)),
          chip.text,
        );
  }
  assert.ok(checked > 10);
});

test("facets: a theme label in another language than the page's says its language (lang); keywords as harvested, without one", async () => {
  // every label a record (or the INSPIRE registry) gives a concept, with its language (undefined: untagged)
  const labels = themeLabels();
  let marked = 0;
  let unmarked = 0;
  for (const page of ['fr', 'en']) {
    const d = dom((await get(`/catalogue?lang=${page}`)).body);
    for (const a of d.querySelectorAll('a[data-facet="theme"], a[data-facet="category"]')) {
      const known = labels.get(a.getAttribute('data-value')!);
      if (!known) continue;
      const value = a.querySelector('.value')!;
      const lang = value.getAttribute('lang');
      if (lang) {
        marked++;
        assert.is.not(lang, page, `${page}: ${value.outerHTML} marked with the page's own language`);
        assert.ok(
          known.some((k) => k.text === value.text && k.lang === lang),
          `${page}: ${value.outerHTML}, a label no record gives in ${lang}: ${JSON.stringify(known)}`,
        );
      } else {
        unmarked++;
        // the page's language, or a label whose language no record says
        assert.ok(
          known.some((k) => k.text === value.text && (k.lang === page || k.lang === undefined)),
          `${page}: ${value.outerHTML} unmarked: ${JSON.stringify(known)}`,
        );
      }
    }
    // a keyword is kept in the index without its language: shown as harvested, unmarked
    for (const v of d.querySelectorAll('a[data-facet="keyword"] .value')) assert.is(v.getAttribute('lang'), undefined, v.outerHTML);
  }
  assert.ok(marked > 0 && unmarked > 0, `${marked} marked, ${unmarked} not`);
});

test('no record found: no "Refine" heading over no facet', async () => {
  const none = dom((await get('/catalogue?q=zzqxjwv&lang=en')).body);
  assert.is(none.querySelector('p.total')!.getAttribute('data-total'), '0');
  assert.is(none.querySelector('#facets-h'), null);
  assert.is(none.querySelector('aside.facets'), null);
  const some = dom((await get('/catalogue?lang=en')).body);
  assert.is(some.querySelector('#facets-h')!.text, 'Refine');
});

test('text: the snippet is the part of the description where the words are; prefixes and typing mistakes marked; a fuzzy search said', async () => {
  // a word that only the end of a long description holds
  let found: { id: string; word: string } | undefined;
  for (const r of fx.records) {
    const d = Object.values(r.description ?? {})[0] ?? '';
    if (d.length < 800) continue;
    const head = new Set(foldWords(d.slice(0, 400)));
    const word = d
      .slice(600)
      .split(/[^\p{L}]+/u)
      .find((w) => w.length >= 7 && !head.has(foldWords(w)[0] ?? '') && /^\p{Ll}+$/u.test(w));
    if (word) {
      found = { id: r.identifier, word };
      break;
    }
  }
  assert.ok(found, 'a fixture record has a long description');
  const { id, word } = found;
  const page = dom((await get(`/catalogue?q=${encodeURIComponent(word)}`)).body);
  const li = page.querySelectorAll('li.hit').find((l) => l.getAttribute('data-id') === id)!;
  assert.ok(li, `${word} finds ${id}`);
  const marks = li.querySelectorAll('p.snippet mark').map((m) => foldWords(m.text)[0]);
  assert.ok(marks.includes(foldWords(word)[0]), `the snippet of ${id} shows "${word}": ${li.querySelector('p.snippet')?.text}`);
  assert.is(page.querySelector('p.fuzzy'), null);

  // a prefix: every word beginning so is marked, in titles and snippets
  const prefix = foldWords(word)[0].slice(0, 5);
  const pp = dom((await get(`/catalogue?q=${prefix}*`)).body);
  const pm = pp.querySelectorAll('li.hit mark');
  assert.ok(pm.length > 0, `${prefix}* marks words`);
  for (const m of pm) assert.ok(foldWords(m.text)[0].startsWith(prefix), m.text);

  // a typing mistake: the page says that the words were not found as typed, and marks the words near them
  const typo = word.slice(0, -2) + word.slice(-1) + word.slice(-2, -1);
  const fz = dom((await get(`/catalogue?q=${encodeURIComponent(typo)}&lang=en`)).body);
  assert.ok(
    fz.querySelectorAll('li.hit').some((l) => l.getAttribute('data-id') === id),
    `${typo} finds ${id}`,
  );
  assert.match(fz.querySelector('p.fuzzy')?.text ?? '', new RegExp(`No record holds .${typo}. as typed`));
  assert.ok(fz.querySelectorAll('li.hit p.snippet mark').length > 0);
});

test('paging: 20 a page, previous and next links, a page past the end is said', async () => {
  const p1 = await get('/catalogue');
  assert.is(hitIds(p1.body).length, 20);
  assert.is(attr(dom(p1.body).querySelector('a[rel="next"]'), 'href'), '/catalogue?page=2');
  assert.is(dom(p1.body).querySelector('a[rel="prev"]'), null);
  const p3 = await get('/catalogue?page=3');
  assert.is(hitIds(p3.body).length, fx.records.length - 40);
  assert.is(attr(dom(p3.body).querySelector('ol.hits'), 'start'), '41');
  assert.is(attr(dom(p3.body).querySelector('a[rel="prev"]'), 'href'), '/catalogue?page=2');
  assert.is(dom(p3.body).querySelector('a[rel="next"]'), null);
  const far = await get('/catalogue?page=600');
  assert.is(far.statusCode, 400);
  assert.match(far.body, /La page 600 est au-delà des 10\u202f000 premières fiches/);
  assert.match((await get('/catalogue?page=600&lang=en')).body, /page 600 is beyond the 10,000 records/);
  // a page past the last one of the results (a link kept after the catalogue shrank): said, with the last page linked
  const last = Math.ceil(fx.records.length / 20);
  const past = await get(`/catalogue?page=${last + 1}&lang=en`);
  assert.is(past.statusCode, 400);
  assert.match(
    dom(past.body).querySelector('#search-error')?.text ?? '',
    new RegExp(`page ${last + 1} is past the last page \\(${last}\\)`),
  );
  assert.match(
    dom((await get(`/catalogue?page=${last + 1}`)).body).querySelector('#search-error')?.text ?? '',
    new RegExp(`La page ${last + 1} est au-delà de la dernière \\(${last}\\) : ${fx.records.length} fiches correspondent`),
  );
  assert.equal(hitIds(past.body), []);
  assert.is(attr(dom(past.body).querySelector('#search-error a'), 'href'), `/catalogue?page=${last}&lang=en`);
  const pastJson = await get(`/catalogue?page=${last + 1}`, { accept: 'application/json' });
  assert.is(pastJson.statusCode, 400);
  assert.is(pastJson.json().parameter, 'page');
  // no result at all: page 1 is no error, page 2 is
  assert.is((await get('/catalogue?q=zzzzqqqq')).statusCode, 200);
  assert.is((await get('/catalogue?q=zzzzqqqq&page=2')).statusCode, 400);
});

test('sort: date (last updated first), title, relevance with words; the order is kept by the links and the form', async () => {
  const modified = new Map(fx.records.map((r) => [r.identifier, r.modified?.['@value']]));
  const ids = await allIds('/catalogue?sort=date');
  assert.is(ids.length, fx.records.length);
  // the dated records first, newest first (a date as written: compared on its bounds, a year as its first day)
  const dates = ids.map((id) => modified.get(id));
  const dated = dates.filter((d): d is string => d !== undefined).map((d) => instant(d, false));
  assert.ok(dated.length > 5);
  assert.equal(dates.slice(0, dated.length).includes(undefined), false, 'undated records come last');
  for (let i = 1; i < dated.length; i++) assert.ok(dated[i - 1] >= dated[i], `${ids[i - 1]} before ${ids[i]}`);

  const d = dom((await get('/catalogue?sort=date&q=glacier&lang=en')).body);
  const links = d.querySelectorAll('nav.sort a');
  assert.equal(
    links.map((a) => a.text),
    ['relevance', 'date updated', 'title'],
  );
  assert.is(d.querySelector('nav.sort a[aria-current="true"]')?.text, 'date updated');
  assert.is(attr(links[2], 'href'), '/catalogue?q=glacier&sort=title&lang=en');
  // facet links, the pager and the form keep the order
  for (const a of d.querySelectorAll('a[data-facet]')) assert.match(attr(a, 'href')!, /[?&]sort=date(&|$)/);
  assert.is(attr(d.querySelector('form.search input[type="hidden"][name="sort"]'), 'value'), 'date');
  // without words there is no relevance to sort by: title is the order
  const plain = dom((await get('/catalogue')).body);
  assert.equal(
    plain.querySelectorAll('nav.sort a').map((a) => a.getAttribute('href')),
    ['/catalogue?sort=date', '/catalogue?sort=title'],
  );
  assert.is(plain.querySelector('nav.sort a[aria-current="true"]')?.text, 'titre');
  assert.equal(hitIds((await get('/catalogue?sort=title')).body), hitIds(plain.toString()));
  const bad = await get('/catalogue?sort=popularity');
  assert.is(bad.statusCode, 400);
  assert.match(dom(bad.body).querySelector('#search-error')?.text ?? '', /Le tri « popularity » n’existe pas/);
  assert.is((await get('/catalogue?sort=popularity', { accept: 'application/json' })).json().parameter, 'sort');
});

test('a bad parameter: the page again, the error said in its language and the field marked (400), what was typed kept; JSON for a client asking JSON', async () => {
  // the query string, the parameter at fault, the English sentence (JSON and English page), the French one (the page)
  const cases: [string, string, RegExp, RegExp][] = [
    ['bbox=1,2,3', 'bbox', /bbox must be 4 numbers/, /L’emprise doit être quatre nombres : ouest, sud, est, nord \(3 donnés\)/],
    [
      'bbox=-200,0,10,10',
      'bbox',
      /west -200 is not a longitude/,
      /Dans l’emprise, l’ouest \(-200\) n’est pas une longitude : de -180 à 180/,
    ],
    ['bbox=a,b,c,d', 'bbox', /bbox west must be a number/, /Dans l’emprise, l’ouest doit être un nombre\. Écrivez-la ouest,sud,est,nord/],
    ['bbox=0,50,1,40', 'bbox', /south 50 is north of north 40/, /le sud \(50\) est au nord du nord \(40\)/],
    ['from=yesterday', 'from', /from must be a date/, /« Du » doit être une date AAAA, AAAA-MM ou AAAA-MM-JJ.*\(reçu « yesterday »\)/],
    [
      'from=2020&to=2019',
      'from',
      /from \(2020\) is after to \(2019\)/,
      /La période est à l’envers : « Du » \(2020\) est après « Au » \(2019\)/,
    ],
    ['to=2019-13-45', 'to', /to must be a date/, /« Au » doit être une date/],
    ['page=0', 'page', /page must be a whole number/, /Le numéro de page doit être un nombre entier, à partir de 1 \(reçu « 0 »\)/],
    ['type=map', 'type', /type must be one of dataset, series, service/, /Le type de ressource « map » n’existe pas/],
    ['q=a&q=b', 'q', /q may be given once \(got 2 values\)/, /« Mots » est donné 2 fois : donnez-le une seule fois/],
    [`q=${'x'.repeat(501)}`, 'q', /q is too long/, /Les mots cherchés sont trop longs : 501 caractères, 500 au plus/],
  ];
  for (const [qs, param, english, french] of cases) {
    for (const [lang, message] of [
      ['fr', french],
      ['en', english],
    ] as const) {
      const r = await get(`/catalogue?${qs}&lang=${lang}`, { accept: 'text/html' });
      assert.is(r.statusCode, 400, qs);
      const d = dom(r.body);
      assert.match(d.querySelector('#search-error')?.text ?? '', message, `${qs} (${lang})`);
      if (['bbox', 'from', 'to', 'q'].includes(param)) {
        const field = d.querySelector(`form.search [name="${param}"]`);
        assert.is(attr(field, 'aria-invalid'), 'true', qs);
        assert.match(attr(field, 'aria-describedby')!, /search-error/);
      }
    }
    const j = await get(`/catalogue?${qs}`, { accept: 'application/json' });
    assert.is(j.statusCode, 400, qs);
    assert.is(j.json().parameter, param, qs);
    assert.match(j.json().error, english);
  }
  // the form shows back what was typed, so that the user mends it rather than types it all again
  const typed = dom((await get('/catalogue?q=sol+humide&bbox=1,2,3&from=2019&theme=Sols&sort=date')).body);
  const value = (name: string) => attr(typed.querySelector(`form.search [name="${name}"]`), 'value');
  assert.is(value('q'), 'sol humide');
  assert.is(value('bbox'), '1,2,3');
  assert.is(value('from'), '2019');
  assert.is(value('theme'), 'Sols');
  assert.is(value('sort'), 'date');
  const badDate = dom((await get('/catalogue?q=sol&bbox=-5,47,-1,49&from=13/05/2020')).body);
  assert.is(attr(badDate.querySelector('form.search [name="from"]'), 'value'), '13/05/2020');
  assert.is(attr(badDate.querySelector('form.search [name="bbox"]'), 'value'), '-5,47,-1,49');
  assert.is(attr(badDate.querySelector('form.search [name="q"]'), 'value'), 'sol');
  // the bad value is shown back escaped, never as markup
  const xss = await get(`/catalogue?from=${encodeURIComponent('<script>alert(1)</script>')}`);
  assert.is(xss.statusCode, 400);
  assert.not.match(xss.body, /<script>alert/);
  assert.match(xss.body, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
});

test('record pages: every record of the index has one, with its title, its extent and its DCAT-AP forms', async () => {
  let hubLinks = 0;
  let hubAbsent = 0;
  let crsSeen = 0;
  let langSeen = 0;
  let boxesWritten = 0;
  for (const r of fx.records) {
    const url = `/catalogue/records/${encodeURIComponent(r.identifier)}`;
    const page = await get(url);
    assert.is(page.statusCode, 200, r.identifier);
    const title = r.title.fr ?? r.title.en ?? Object.values(r.title)[0];
    const d = dom(page.body);
    assert.is(d.querySelector('article.record h1')?.text, title, `${r.identifier}: title`);
    const forms = d.querySelectorAll('ul.forms a').map((a) => a.getAttribute('href'));
    assert.equal(
      forms,
      ['jsonld', 'ttl', 'rdf', 'nt'].map((f) => `/records/${encodeURIComponent(r.identifier)}.${f}`),
    );
    assert.is(d.querySelector('#map') !== null, boxes(r).length > 0, `${r.identifier}: map`);
    // each box written to six decimals at most (0.1 m), the numbers the record holds rounded, nothing else
    const written = d
      .querySelectorAll('section[aria-labelledby="where"] li code')
      .map((c) => c.text.split(', ').map(Number))
      .filter((xs) => xs.length === 4 && xs.every((x) => !Number.isNaN(x)));
    for (const [i, box] of boxes(r).entries())
      if (written[i]) {
        for (const [j, x] of written[i].entries()) assert.ok(Math.abs(x - box[j]) <= 5e-7, `${r.identifier}: ${x} for ${box[j]}`);
        assert.not.match(d.querySelectorAll('section[aria-labelledby="where"] li code')[i]?.text ?? '', /\.\d{7}/);
        boxesWritten++;
      }
    // the link a search result gives (/records/{id}), followed by a browser, leads here
    const link = await get(`/records/${encodeURIComponent(r.identifier)}?lang=en`, {
      accept: 'text/html,application/xhtml+xml,*/*;q=0.8',
    });
    assert.is(link.statusCode, 303, r.identifier);
    assert.ok((link.headers.location as string).endsWith(`${url}?lang=en`), `${r.identifier}: ${String(link.headers.location)}`);
    const hrefs = new Set(d.querySelectorAll('a').map((a) => a.getAttribute('href')));
    // a record of the hub it names (the data a service serves, its series...) is linked to its page here, by its
    // title; one the index does not hold (a uuidref to a record its source never published) is named, not linked
    const related = [
      ...(r.servesDataset ?? []),
      ...(r.inSeries ?? []),
      ...(r.isPartOf ?? []),
      ...(r.seriesMember ?? []),
      ...(r.relation ?? []),
      ...(r.hasVersion ?? []),
      ...(r.isVersionOf ?? []),
    ];
    for (const iri of related)
      if (iri.startsWith(HUB_BASE_URI)) {
        const [source, ...rest] = decodeURIComponent(iri.slice(HUB_BASE_URI.length)).split(':');
        const id = `${source}:${rest.join(':')}`;
        const page = `/catalogue/records/${encodeURIComponent(id)}`;
        assert.not.ok(hrefs.has(iri), `${r.identifier}: ${iri} linked to its IRI's host`);
        const held = fx.records.find((x) => x.identifier === id);
        if (held) {
          const a = d.querySelectorAll('a').find((x) => x.getAttribute('href') === page);
          assert.is(a?.text, held.title.fr ?? held.title.en ?? Object.values(held.title)[0], `${r.identifier}: ${iri} by its title`);
          hubLinks++;
        } else {
          assert.not.ok(hrefs.has(page), `${r.identifier}: ${iri} not held, not linked`);
          const item = d.querySelectorAll('li').find((li) => li.text.trim().startsWith(iri));
          assert.is(item?.querySelector('small.absent')?.text, '(absente de ce catalogue)', `${r.identifier}: ${iri} said absent`);
          hubAbsent++;
        }
      }
    // its reference systems apart from the specifications it follows, each linked to its IRI
    const row = (label: string) =>
      d.querySelectorAll('section[aria-labelledby="quality"] dt').find((dt) => dt.text.trim() === label)?.nextElementSibling;
    const crs = (r.conformsTo ?? []).filter((c) => c['@id'].startsWith('http://www.opengis.net/def/crs/'));
    const crsLinks = row('Systèmes de coordonnées')?.querySelectorAll('a') ?? [];
    assert.equal(
      crsLinks.map((a) => a.getAttribute('href')),
      crs.map((c) => c['@id']),
      `${r.identifier}: reference systems`,
    );
    for (const a of crsLinks) assert.match(a.text, /^(EPSG:\d+|CRS84)\b/, `${r.identifier}: ${a.text}`);
    crsSeen += crs.length;
    // the data's languages named in French, not as codes
    const names: Record<string, string> = { FRA: 'français', ENG: 'anglais', DEU: 'allemand', SPA: 'espagnol', ITA: 'italien' };
    const langs = (r.language ?? []).map((l) => l['@id'].split('/').pop()!);
    if (langs.length && langs.every((c) => names[c])) {
      const shown = d
        .querySelectorAll('section dt')
        .find((dt) => dt.text.trim() === 'Langue des données')
        ?.nextElementSibling?.text.trim();
      assert.is(shown, langs.map((c) => names[c]).join(', '), `${r.identifier}: languages`);
      langSeen++;
    }
    assert.equal(
      (row('Spécifications suivies')?.querySelectorAll('a') ?? []).map((a) => a.getAttribute('href')),
      (r.conformsTo ?? []).filter((c) => !crs.includes(c)).map((c) => c['@id']),
      `${r.identifier}: specifications`,
    );
    for (const x of r.distribution ?? []) {
      const href = x.downloadURL ?? x.accessURL;
      if (/^https?:/.test(href)) assert.ok(hrefs.has(href), `${r.identifier}: ${href}`);
    }
    const keywordLinks = new Set(
      [...hrefs].filter((h) => h?.startsWith('/catalogue?keyword=')).map((h) => new URLSearchParams(h!.split('?')[1]).get('keyword')),
    );
    for (const k of Object.values(r.keyword ?? {}).flat()) assert.ok(keywordLinks.has(k), k);
  }
  // the shared fixtures' services serve datasets their catalogues do not hold (the held case: the series test below)
  assert.ok(hubLinks + hubAbsent > 0, 'the fixtures hold services naming records of their source');
  assert.ok(hubAbsent > 0, 'the fixtures hold a service naming a record its source does not hold');
  assert.ok(crsSeen > 0, 'the fixtures name reference systems');
  assert.ok(langSeen > 0, 'the fixtures give their data a language');
  assert.ok(boxesWritten > 0, 'the fixtures have boxes');
  // an identifier with spaces and ">" in it (a real ISO record)
  const odd = fx.records.find((r) => r.identifier.includes('>'));
  assert.ok(odd);
  assert.is((await get(`/catalogue/records/${encodeURIComponent(odd.identifier)}`)).statusCode, 200);
});

test('record page: the WMS is typed for QGIS (service URL, type, layer, GetCapabilities request)', async () => {
  const r = fx.records.find((x) => x.distribution?.some((d) => d.accessURL.includes(WMS_PATH)))!;
  const page = await get(`/catalogue/records/${encodeURIComponent(r.identifier)}?lang=en`);
  const wms = dom(page.body).querySelector('div.service[data-service="WMS"]')!;
  assert.ok(wms);
  assert.is(wms.querySelector('code.service-url')?.text, `http://wms.test.invalid${WMS_PATH}`);
  assert.is(wms.querySelector('code.layer')?.text, WMS_LAYER);
  const caps = wms.querySelector('a.capabilities')!;
  assert.is(caps.getAttribute('href'), `http://wms.test.invalid${WMS_PATH}?SERVICE=WMS&REQUEST=GetCapabilities`);
  assert.is(caps.getAttribute('data-layer'), WMS_LAYER);
  assert.match(wms.querySelector('p.qgis')!.text, /In QGIS: Layer › Add Layer › Add WMS Layer/);
  assert.is(dom(page.body).querySelector('div.service[data-service="WFS"] code.layer')?.text, `MarineRegion:${WMS_LAYER}`);
});

test('record page: unknown record is a 404 page (JSON for a JSON client); the FAIR figures of the index document', async () => {
  const nf = await get('/catalogue/records/nowhere:nothing');
  assert.is(nf.statusCode, 404);
  assert.match(nf.body, /Aucune fiche « nowhere:nothing »/);
  const j = await get('/catalogue/records/nowhere:nothing', { accept: 'application/json' });
  assert.is(j.statusCode, 404);
  assert.is(j.json().status, 404);
  // every indexed record is assessed in the map stage (mapping version 2: `quality`, mappings/fair): the page shows it
  const some = await get(`/catalogue/records/${encodeURIComponent(fx.records[0].identifier)}?lang=en`);
  const own = toIndexDoc(fx.records[0]).quality;
  const shown = dom(some.body).querySelector('#fair')!.parentNode!;
  assert.is(shown.querySelector('.rating')?.text, own.rating);
  assert.match(shown.text, new RegExp(`MQA points \\(data\\.europa\\.eu\\)\\s*${own.mqa} / 405`));
  // the figures are the index document's: another assessment shows as stored
  const rated = fx.records[1].identifier;
  await client.update({ index: fx.alias, id: rated, doc: { quality: { mqa: 260, rating: 'good', fuji: 14.5 } }, refresh: true });
  const fair = dom((await get(`/catalogue/records/${encodeURIComponent(rated)}?lang=en`)).body).querySelector('#fair')!.parentNode!;
  assert.is(fair.querySelector('.rating')?.text, 'good');
  assert.match(fair.text, /MQA points \(data\.europa\.eu\)\s*260 \/ 405/);
  assert.match(fair.text, /F-UJI points\s*14\.5/);
  // back to the results the reader came from
  const back = await get(`/catalogue/records/${encodeURIComponent(fx.records[0].identifier)}`, {
    referer: 'http://localhost:80/catalogue?q=glacier&page=2',
    host: 'localhost:80',
  });
  assert.is(attr(dom(back.body).querySelector('p.back a'), 'href'), '/catalogue?q=glacier&page=2');
  const foreign = await get(`/catalogue/records/${encodeURIComponent(fx.records[0].identifier)}`, {
    referer: 'https://elsewhere.example/catalogue?q=x',
  });
  assert.is(attr(dom(foreign.body).querySelector('p.back a'), 'href'), '/catalogue');
});

test('record and catalogue pages: ratings, roles and update frequencies in words of the page language, not codes', async () => {
  const fr = { pointOfContact: 'point de contact', custodian: 'gestionnaire', originator: 'créateur', publisher: 'éditeur' } as Record<
    string,
    string
  >;
  const withRole = fx.records.find((r) => r.qualifiedAttribution?.some((q) => q.hadRole.endsWith('/pointOfContact')))!;
  const roles = dom((await get(`/catalogue/records/${encodeURIComponent(withRole.identifier)}?lang=fr`)).body).querySelector('#parties')!
    .parentNode!.text;
  assert.match(roles, /point de contact\u202f:/);
  assert.not.match(roles, /pointOfContact/);
  for (const q of withRole.qualifiedAttribution ?? []) {
    const code = q.hadRole.split('/').pop()!;
    if (fr[code]) assert.ok(roles.includes(fr[code]), code);
  }
  const withFrequency = fx.records.find(
    (r) => r.accrualPeriodicity?.['@id'].endsWith('/ANNUAL') || r.accrualPeriodicity?.['@id'].endsWith('/DAILY'),
  )!;
  assert.ok(withFrequency, 'a fixture record is updated daily or yearly');
  const freq = dom((await get(`/catalogue/records/${encodeURIComponent(withFrequency.identifier)}?lang=fr`)).body)
    .querySelectorAll('dt')
    .find((dt) => dt.text === 'Fréquence de mise à jour')!.nextElementSibling!.text;
  assert.is(freq, withFrequency.accrualPeriodicity!['@id'].endsWith('/ANNUAL') ? 'annuelle' : 'quotidienne');
  // the FAIR rating, on the record page and in the facet
  const rated = fx.records[0].identifier;
  const own = toIndexDoc(fx.records[0]).quality.rating;
  const words = { excellent: 'excellente', good: 'bonne', sufficient: 'suffisante', bad: 'insuffisante' } as Record<string, string>;
  assert.is(dom((await get(`/catalogue/records/${encodeURIComponent(rated)}?lang=fr`)).body).querySelector('.rating')?.text, words[own]);
  const facet = dom((await get('/catalogue?lang=fr')).body).querySelectorAll('a[data-facet="rating"]');
  assert.ok(facet.length > 0);
  for (const a of facet) assert.is(a.querySelector('.value')?.text, words[a.getAttribute('data-value')!]);
  // what a distribution is for (ISO CI_OnLineFunctionCode), and the ISO topic categories with the registry's French labels
  const withFunction = fx.records.find((r) => r.distribution?.some((d) => d.function === 'download'))!;
  assert.ok(withFunction, 'a fixture record has a download distribution');
  const functions = dom((await get(`/catalogue/records/${encodeURIComponent(withFunction.identifier)}?lang=fr`)).body)
    .querySelectorAll('dt')
    .filter((dt) => dt.text === 'Fonction')
    .map((dt) => dt.nextElementSibling!.text);
  assert.ok(functions.includes('téléchargement'), functions.join(', '));
  assert.not.ok(functions.includes('download'));
  const withTopic = fx.records.find((r) => r.subject?.some((c) => c['@id']?.endsWith('/geoscientificInformation')))!;
  assert.ok(withTopic, 'a fixture record has the topic category geoscientificInformation');
  const topics = (lang: string) =>
    get(`/catalogue/records/${encodeURIComponent(withTopic.identifier)}?lang=${lang}`).then(
      (r) =>
        dom(r.body)
          .querySelectorAll('dt')
          .find((dt) => /^(Catégories ISO|ISO topic categories)$/.test(dt.text))!.nextElementSibling!.text,
    );
  assert.match(await topics('fr'), /Informations géoscientifiques/);
  assert.match(await topics('en'), /Geoscientific information/i);
});

test('record page: a series and its members name each other by title, linking their pages; one request more for the linked records, one for the parts', async () => {
  // Metawal's real 19115-3 series with its two members, each naming the other (seriesMember / inSeries)
  const records: HubRecord[] = [];
  for await (const item of itemsFromFile(projectPath('test', 'fixtures', 'iso', 'metawal-captages-mda-DS_Series.xml'), 'fx-metawal')) {
    if (item.kind !== 'record') continue;
    const res = mapRecord(item.raw, { harvestedAt: '2026-12-07T08:00:00Z' });
    if (res.ok) records.push(res.record);
  }
  assert.is(records.length, 3);
  const indexer = new BulkIndexer({ client, index: fx.alias, runId: 'pages-series', refresh: true });
  for (const r of records) await indexer.add(r, { source: 'fx-metawal' });
  await indexer.close();
  const byIri = new Map(
    records.map((r) => [
      `${HUB_BASE_URI}${encodeURIComponent('fx-metawal')}:${encodeURIComponent(r.identifier.slice('fx-metawal:'.length))}`,
      r,
    ]),
  );
  let named = 0;
  for (const r of records) {
    const d = dom((await get(`/catalogue/records/${encodeURIComponent(r.identifier)}?lang=fr`)).body);
    for (const iri of [...(r.seriesMember ?? []), ...(r.inSeries ?? [])]) {
      const other = byIri.get(iri);
      assert.ok(other, `${r.identifier}: ${iri} is one of the three`);
      const a = d
        .querySelectorAll('a')
        .find((x) => x.getAttribute('href') === `/catalogue/records/${encodeURIComponent(other.identifier)}?lang=fr`);
      assert.is(a?.text, other.title.fr ?? Object.values(other.title)[0], `${r.identifier} names ${other.identifier} by its title`);
      const times = d
        .querySelectorAll('section[aria-labelledby="links"] a')
        .filter((x) => x.getAttribute('href') === a?.getAttribute('href'));
      assert.is(times.length, 1, `${r.identifier} names ${other.identifier} once (its parts found by the index are the same)`);
      named++;
    }
  }
  assert.is(named, 4, 'the series names its two members, each member its series');
  // what it costs: one search for the linked records, none for a record that links no record of the hub
  let requests = 0;
  const counting = (await esClient()).child({});
  counting.diagnostic.on('request', () => requests++);
  const counted = await buildServer({ client: counting, alias: fx.alias, esUrl: await esUrl(), log: silentLogger });
  try {
    const series = records.find((r) => (r.seriesMember ?? []).length > 0)!;
    await counted.inject({ method: 'GET', url: `/catalogue/records/${encodeURIComponent(series.identifier)}` });
    assert.is(requests, 3, 'the record, then its linked records and its parts');
    requests = 0;
    const lone = fx.records.find((r) => RELATED.every((k) => (r[k] ?? []).length === 0))!;
    await counted.inject({ method: 'GET', url: `/catalogue/records/${encodeURIComponent(lone.identifier)}` });
    assert.is(requests, 2, 'the record, then its parts');
  } finally {
    await counted.close();
  }
  for (const r of records) await client.delete({ index: fx.alias, id: r.identifier, refresh: true });
});

test('record page: an id holding a slash, its slash not encoded, leads to the record; an unknown one is the 404 page', async () => {
  // a STAC item of a collection, whose id holds a slash (the sample STAC catalogue's extensions-collection/proj-example)
  const base = fx.records.find((x) => x.identifier.startsWith('fx-stac:'))!;
  const r = { ...base, identifier: `${base.identifier}/proj-example` };
  const indexer = new BulkIndexer({ client, index: fx.alias, runId: 'pages-slash', refresh: true });
  await indexer.add(r, { source: 'fx-stac' });
  await indexer.close();
  const raw = await get(`/catalogue/records/${r.identifier}?lang=en`);
  assert.is(raw.statusCode, 308);
  assert.is(raw.headers.location, `/catalogue/records/${encodeURIComponent(r.identifier)}?lang=en`);
  const page = await get(String(raw.headers.location));
  assert.is(page.statusCode, 200);
  assert.is(attr(dom(page.body).querySelector('article.record'), 'data-id'), r.identifier);
  const none = await get(`/catalogue/records/${r.identifier}-gone/x`, { accept: 'text/html' });
  assert.is(none.statusCode, 404);
  assert.match(String(none.headers['content-type']), /^text\/html/);
  assert.match(none.body, /Aucune fiche/);
  assert.is(attr(dom(none.body).querySelector('main a[href^="/catalogue"]'), 'href'), '/catalogue');
  const json = await get(`/catalogue/records/${r.identifier}-gone/x`, { accept: 'application/json' });
  assert.is(json.statusCode, 404);
  assert.is(json.json().status, 404);
  await client.delete({ index: fx.alias, id: r.identifier, refresh: true });
});

test('static assets: CSS, the map script, the basemap, the icon and Leaflet with its licence; nothing else of the folders; compressed', async () => {
  for (const [url, type] of [
    ['/static/css/pages.css', /text\/css/],
    ['/static/js/catalogue-map.js', /javascript/],
    ['/static/data/land.geojson', /json/],
    ['/static/data/regions-fr.geojson', /json/],
    ['/static/vendor/leaflet/leaflet.js', /javascript/],
    ['/static/vendor/leaflet/leaflet.css', /text\/css/],
    ['/static/vendor/leaflet-LICENSE', /text\/plain/],
    ['/static/img/favicon.svg', /image\/svg\+xml/],
  ] as const) {
    const r = await get(url);
    assert.is(r.statusCode, 200, url);
    assert.match(String(r.headers['content-type']), type, url);
  }
  // the icon: linked by every page, and where browsers look for it by themselves
  assert.match((await get('/catalogue')).body, /<link rel="icon" href="\/static\/img\/favicon.svg" type="image\/svg\+xml"/);
  const ico = await get('/favicon.ico');
  assert.equal([ico.statusCode, ico.headers.location], [301, '/static/img/favicon.svg']);
  const regions = JSON.parse((await get('/static/data/regions-fr.geojson')).body) as { features: { properties: { name: string } }[] };
  assert.is(regions.features.length, 13);
  assert.ok(regions.features.some((f) => f.properties.name === 'Bretagne'));
  assert.match((await get('/static/vendor/leaflet-LICENSE')).body, /BSD 2-Clause/);
  for (const url of [
    '/static/js/catalogue-map.js.map',
    '/static/js/catalogue-map.ts',
    '/static/data/README.md',
    '/static/../package.json',
    '/static/%2e%2e/package.json',
  ])
    assert.is((await get(url)).statusCode, 404, url);
  const gz = await get('/static/data/land.geojson', { 'accept-encoding': 'gzip' });
  assert.is(gz.headers['content-encoding'], 'gzip');
  const raw = gunzipSync(gz.rawPayload);
  assert.is(JSON.parse(raw.toString()).type, 'FeatureCollection');
  assert.ok(gz.rawPayload.length < raw.length / 2, 'the basemap compresses');
  const page = await get('/catalogue', { 'accept-encoding': 'gzip' });
  assert.is(page.headers['content-encoding'], 'gzip');
});

test.run();
