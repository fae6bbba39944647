/**
 * Accessibility of the pages as their users meet them, in a real browser (Debian's headless Chromium driven by
 * playwright-core, as test/api/browser.test.ts), against a real server over a real index of fixture records of every
 * family (ISO 19139 and 19115-3, STAC, OZCAR, and DCAT harvested from RDF/XML and Turtle files), with the network cut
 * off:
 * - axe-core on every kind of page (the catalogue empty, with results, with none, with a parameter error, with a box
 *   and a period, a facet, page 2; a record of each family; the 404 and 503 pages; the operators' pages; the
 *   validation form and its report), in French and English, on a desktop screen and on a 360 px phone: no violation
 *   of WCAG 2.1 A/AA, of WCAG 2.2 AA's target size nor of axe's best practices, and nothing wider than the screen;
 * - the keyboard alone: search, set the box and the dates, mend a field the page says is wrong, pick a facet, page,
 *   skip to the results, open a record and follow its links, move the map and search its view; the focus always seen,
 *   the map no trap and its footprints no tab stops;
 * - a phone: the map folded behind a button until asked for.
 * Screenshots go to test-artifacts/a11y/.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@elastic/elasticsearch';
import type { FastifyInstance } from 'fastify';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ROUTES } from '../../api/routes/index.js';
import { buildServer } from '../../api/server.js';
import { harvestAll } from '../../pipelines/harvest-all.js';
import { silentLogger } from '../../pipelines/log.js';
import type { HubRecord } from '../../schemas/record.js';
import { projectPath, sharedFixture } from '../../schemas/paths.js';
import { esClient, esUrl, tempIndexName } from '../helpers/services.js';
import { buildPagesIndex, WMS_PATH, type PagesIndex } from './pages-fixture.js';
import { CHROMIUM, CHROMIUM_ARGS as ARGS, WAIT } from '../helpers/chromium.js';

const ARTIFACTS = projectPath('test-artifacts', 'a11y');
/**
 * What axe checks: WCAG 2.0 and 2.1, levels A and AA (what RGAA 4.1 asks), WCAG 2.2 AA (its rule target-size: every
 * target 24 by 24 px or spaced so), and its best practices.
 */
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
const DCAT_SOURCES = [
  { id: 'fx-dcat', type: 'dcat' as const, url: projectPath('test', 'fixtures', 'dcat', 'geocat-amphibians-eu-geodcat-ap.rdf') },
  { id: 'fx-dcat-ttl', type: 'dcat' as const, url: projectPath('test', 'fixtures', 'dcat', 'ckanext-dcat-dataset_multilingual.ttl') },
];

const client = await esClient();
const down = new Client({ node: 'http://127.0.0.1:9', maxRetries: 0, requestTimeout: 2000 });
let fx: PagesIndex;
let records: HubRecord[];
let app: FastifyInstance;
let downApp: FastifyInstance;
let base: string;
let downBase: string;
let browser: Browser;
let desktop: BrowserContext;
let phone: BrowserContext;
let page: Page;
/** Requests the browser tried to send anywhere but the test servers. */
const offHost: string[] = [];

const origin = (a: FastifyInstance) => {
  const address = a.server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
};

async function newContext(options: Parameters<Browser['newContext']>[0]): Promise<BrowserContext> {
  const context = await browser.newContext({ locale: 'fr-FR', serviceWorkers: 'block', ...options });
  context.setDefaultTimeout(WAIT);
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (url.startsWith(base + '/') || url.startsWith(downBase + '/') || url.startsWith('data:')) return route.continue();
    offHost.push(url);
    return route.abort('blockedbyclient');
  });
  return context;
}

test.before(async () => {
  const alias = tempIndexName('pages-a11y');
  const reportDir = mkdtempSync(join(tmpdir(), 'hub-reports-'));
  app = await buildServer({ client, alias, esUrl: await esUrl(), log: silentLogger, reportDir, routes: ROUTES });
  await app.listen({ host: '127.0.0.1', port: 0 });
  base = origin(app);
  // the same server over an Elasticsearch that does not answer: its pages are the 503 page
  downApp = await buildServer({ client: down, alias, esUrl: 'http://127.0.0.1:9', log: silentLogger, reportDir, routes: ROUTES });
  await downApp.listen({ host: '127.0.0.1', port: 0 });
  downBase = origin(downApp);
  fx = await buildPagesIndex(client, { prefix: 'pages-a11y', alias, reportDir, wmsBase: base });
  await harvestAll(DCAT_SOURCES, { client, alias }, silentLogger, { reportDir });
  await client.indices.refresh({ index: alias });
  const res = await client.search<{ record: HubRecord }>({ index: alias, size: 1000, _source: ['record'], query: { match_all: {} } });
  records = res.hits.hits.map((h) => h._source!.record);

  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  desktop = await newContext({ viewport: { width: 1400, height: 1000 } });
  phone = await newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  page = await desktop.newPage();
  page.on('pageerror', (err) => offHost.push(`page error: ${err.message}`));
});

test.after(async () => {
  await browser?.close();
  await app?.close();
  await downApp?.close();
  await down.close();
  await fx?.cleanup();
  if (fx) rmSync(fx.reportDir, { recursive: true, force: true });
});

// ----- helpers
const shot = (p: Page, name: string) => p.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
const recordUrl = (id: string) => `/catalogue/records/${encodeURIComponent(id)}`;
const idOf = (source: string, pred: (r: HubRecord) => boolean = () => true) => {
  const r = records.find((x) => x.isPrimaryTopicOf.sourceId === source && pred(x));
  assert.ok(r, `a record of ${source}`);
  return r.identifier;
};
/** The map of a catalogue or record page has drawn (its script ran) and loaded its basemap. */
const mapReady = (p: Page) => p.locator('#map[data-ready="true"][data-basemap="ready"]').waitFor({ state: 'attached' });

/** What has the focus, and whether it is seen: an outline of 2 px or more. */
const focused = () =>
  page.evaluate(() => {
    const e = document.activeElement as HTMLElement | null;
    if (!e || e === document.body) return { tag: 'body', text: '', id: '', ring: false };
    const s = getComputedStyle(e);
    return {
      tag: e.tagName.toLowerCase(),
      text: (e.textContent ?? '').trim().slice(0, 60),
      id: e.id,
      ring: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
    };
  });

/**
 * Presses Tab until the element with the focus matches `selector` (at most `max` presses), asserting on the way that
 * every element that took the focus showed it. Returns how many presses it took.
 */
async function tabTo(selector: string, max = 150, key = 'Tab'): Promise<number> {
  for (let n = 1; n <= max; n++) {
    await page.keyboard.press(key);
    const f = await focused();
    assert.ok(f.ring, `the focus is seen on <${f.tag}> "${f.text}"`);
    if (await page.evaluate((sel) => document.activeElement?.matches(sel) ?? false, selector)) return n;
  }
  assert.unreachable(`${selector} not reached in ${max} presses of ${key}`);
  return max;
}

test('axe: no WCAG 2.1 A/AA or 2.2 AA violation nor best-practice one on any page, French and English, desktop and phone; nothing wider than a phone', async () => {
  const wms = records.find((r) => r.distribution?.some((d) => d.accessURL.includes(WMS_PATH)))!;
  const theme = records.flatMap((r) => r.theme ?? []).find((c) => c['@id'])!['@id'];
  const pages: [string, string][] = [
    ['catalogue', '/catalogue'],
    ['results', '/catalogue?q=glacier'],
    ['no-results', '/catalogue?q=zzyzxqwv'],
    ['bad-box', '/catalogue?bbox=1,2,3'],
    ['bad-date', '/catalogue?from=2019-13'],
    ['past-last-page', '/catalogue?page=50'],
    ['box-period', '/catalogue?bbox=-6,47,-1,49.5&from=2019&to=2020-06'],
    ['facet', `/catalogue?theme=${encodeURIComponent(theme)}`],
    ['page-2', '/catalogue?page=2'],
    ['record-iso-wms', recordUrl(wms.identifier)],
    ['record-iso-19115-3', recordUrl(idOf('fx-iso', (r) => r.isPrimaryTopicOf.sourceFormat?.includes('19115-3') ?? false))],
    ['record-stac', recordUrl(idOf('fx-stac'))],
    ['record-ozcar', recordUrl(idOf('fx-cryo'))],
    ['record-dcat-rdfxml', recordUrl(idOf('fx-dcat'))],
    ['record-dcat-turtle', recordUrl(idOf('fx-dcat-ttl'))],
    ['record-404', recordUrl('fx-iso:no-such-record')],
    ['page-404', '/no-such-page'],
    ['operators', '/operators'],
    ['source-history', '/operators/sources/fx-partial'],
    ['source-history-failed', '/operators/sources/fx-broken'],
  ];
  const found: string[] = [];
  // axe everywhere on a desktop; on a phone in French (the English pages have the same markup; their widths are
  // measured all the same)
  const check = async (p: Page, label: string, axe = true) => {
    if (axe) {
      // the map's drawing (thousands of SVG paths of the basemap, no text) is left out: its controls are checked
      const result = await new AxeBuilder({ page: p }).withTags(TAGS).exclude('.leaflet-map-pane').analyze();
      for (const v of result.violations)
        found.push(`${label}: ${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      assert.ok(result.passes.length > 10, `${label}: axe ran its checks`);
    }
    // (the screen's width, not innerWidth: a phone widens its layout viewport to a page wider than itself, and then
    // innerWidth is the page's width)
    const [scroll, screen] = await p.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
    if (scroll > screen) found.push(`${label}: ${scroll} px wide on a ${screen} px screen`);
  };
  for (const [device, context] of [
    ['desktop', desktop],
    ['phone', phone],
  ] as const) {
    const p = await context.newPage();
    for (const lang of ['fr', 'en']) {
      for (const [name, url] of pages) {
        const full = `${base}${url}${url.includes('?') ? '&' : '?'}lang=${lang}`;
        await p.goto(full);
        // the map's script has run (its basemap, drawn under it, is no matter for axe)
        if (await p.locator('#map').count()) await p.locator('#map[data-ready="true"]').waitFor({ state: 'attached' });
        assert.is(await p.locator('html').getAttribute('lang'), lang, full);
        await check(p, `${device} ${full}`, device === 'desktop' || lang === 'fr');
        if (lang === 'fr' && (device === 'phone' || name.startsWith('record-') || name === 'results')) await shot(p, `${device}-${name}`);
      }
      // Elasticsearch down: the 503 page, in the reader's language
      const res = await p.goto(`${downBase}/catalogue?q=sol&lang=${lang}`);
      assert.is(res?.status(), 503);
      assert.is(await p.locator('html').getAttribute('lang'), lang);
      await check(p, `${device} 503 ${lang}`);
    }
    // the validation form and its report: French from the browser's Accept-Language (the context's locale), English
    // by ?lang=en, which the form passes on to its report
    const iso = readdirSync(sharedFixture('iso19139')).filter((f) => f.endsWith('.xml'))[0];
    for (const [lang, query, submit, heading] of [
      ['fr', '', 'Valider', 'Rapport de validation'],
      ['en', '?lang=en', 'Validate', 'Validation report'],
    ] as const) {
      await p.goto(`${base}/validate${query}`);
      assert.is(await p.locator('html').getAttribute('lang'), lang);
      await check(p, `${device} GET /validate${query}`);
      await p.setInputFiles('input[type="file"]', sharedFixture('iso19139', iso));
      await Promise.all([p.waitForURL(/\/validate$/), p.getByRole('button', { name: submit }).click()]);
      await p.getByRole('heading', { name: heading }).waitFor();
      assert.is(await p.locator('html').getAttribute('lang'), lang);
      await check(p, `${device} POST /validate report ${lang}`);
      await shot(p, `${device}-validate-report-${lang}`);
    }
    await p.close();
  }
  assert.equal(found, []);
});

test('keyboard: the skip links come first; "skip to the results" leads to the first result, which opens its record', async () => {
  await page.goto(`${base}/catalogue?q=glacier`);
  await mapReady(page);
  await page.keyboard.press('Tab');
  assert.is((await focused()).text, 'Aller au contenu');
  await page.keyboard.press('Tab');
  assert.is((await focused()).text, 'Aller aux résultats');
  assert.ok((await focused()).ring, 'the skip link is seen when it has the focus');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  // the next stop is in the results (their order, then the results themselves), past the form and the facets
  assert.ok(await page.evaluate(() => !!document.activeElement?.closest('#results')), JSON.stringify(await focused()));
  await tabTo('li.hit h3 a', 5);
  const first = page.locator('li.hit h3 a').first();
  assert.ok(await first.evaluate((a) => a === document.activeElement), 'the first result has the focus');
  const title = (await first.textContent())!.trim();
  await Promise.all([page.waitForURL(/\/catalogue\/records\//), page.keyboard.press('Enter')]);
  assert.is((await page.locator('article.record h1').textContent())!.trim(), title);
});

test('keyboard: words, box and dates typed in the form; a wrong field said, tied to its field, and mended', async () => {
  await page.goto(`${base}/catalogue`);
  await mapReady(page);
  await tabTo('#q');
  await page.keyboard.type('glacier');
  await page.keyboard.press('Enter');
  await page.waitForURL((u) => u.searchParams.get('q') === 'glacier');
  await mapReady(page);

  await tabTo('#bbox');
  await page.keyboard.type('5,44,8');
  await tabTo('#from');
  await page.keyboard.type('2000');
  await tabTo('#to');
  await page.keyboard.type('2015-12');
  await Promise.all([page.waitForURL((u) => u.searchParams.get('bbox') === '5,44,8'), page.keyboard.press('Enter')]);
  // the page says what is wrong, in its title, in an alert, and on the field, which keeps what was typed
  assert.match(await page.title(), /^Erreur/);
  const bbox = page.locator('#bbox');
  assert.is(await bbox.getAttribute('aria-invalid'), 'true');
  assert.ok((await bbox.getAttribute('aria-describedby'))!.split(' ').includes('search-error'));
  assert.match(await page.getByRole('alert').innerText(), /emprise doit être quatre nombres/);
  assert.is(await bbox.inputValue(), '5,44,8');
  assert.is(await page.locator('#from').inputValue(), '2000');
  await shot(page, 'keyboard-bad-box');

  // mended with the keyboard: the one field corrected
  await tabTo('#bbox');
  await page.keyboard.press('End');
  await page.keyboard.type(',46');
  await Promise.all([page.waitForURL((u) => u.searchParams.get('bbox') === '5,44,8,46'), page.keyboard.press('Enter')]);
  await mapReady(page);
  const u = new URL(page.url());
  assert.equal([u.searchParams.get('q'), u.searchParams.get('from'), u.searchParams.get('to')], ['glacier', '2000', '2015-12']);
  assert.is(await page.locator('#bbox').getAttribute('aria-invalid'), null);
  assert.ok(Number(await page.locator('p.total').getAttribute('data-total')) > 0);
});

test('keyboard: the next page, then a facet, then a record and one of its links', async () => {
  await page.goto(`${base}/catalogue`);
  await mapReady(page);
  await tabTo('a[rel="next"]', 200);
  await Promise.all([page.waitForURL((u) => u.searchParams.get('page') === '2'), page.keyboard.press('Enter')]);
  await mapReady(page);
  assert.ok(await page.locator('a[rel="prev"]').isVisible());

  await page.goto(`${base}/catalogue`);
  await mapReady(page);
  await tabTo('a[data-facet="theme"]');
  const iri = await page.evaluate(() => document.activeElement!.getAttribute('data-value')!);
  await Promise.all([page.waitForURL((u) => u.searchParams.get('theme') === iri), page.keyboard.press('Enter')]);
  await mapReady(page);
  assert.is(await page.locator('a[data-facet="theme"][aria-current="true"]').getAttribute('data-value'), iri);

  await tabTo('li.hit h3 a', 200);
  await Promise.all([page.waitForURL(/\/catalogue\/records\//), page.keyboard.press('Enter')]);
  // a theme of the record leads back to the catalogue filtered by it
  await tabTo('section[aria-labelledby="themes"] a[href*="theme="]', 200);
  await Promise.all([page.waitForURL((u) => u.pathname === '/catalogue' && u.searchParams.has('theme')), page.keyboard.press('Enter')]);
  await mapReady(page);
});

test('keyboard: the map is one tab stop with a name and a hint, moved with the arrows; "search this view" sets the box; no trap', async () => {
  await page.goto(`${base}/catalogue?q=glacier`);
  await mapReady(page);
  const map = page.locator('#map');
  assert.is(await map.getAttribute('aria-label'), 'Carte des emprises');
  assert.match(await page.locator(`#${await map.getAttribute('aria-describedby')}`).innerText(), /flèches/);
  // the zoom buttons are named in the page's language
  assert.ok(await page.getByRole('button', { name: 'Zoomer', exact: true }).isVisible());
  await tabTo('#map', 200);
  await shot(page, 'keyboard-map-focus');
  const before = await page.evaluate(() => (window as unknown as { hubMap: { getCenter(): { lng: number } } }).hubMap.getCenter().lng);
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
  await page.waitForFunction(
    (lng) => (window as unknown as { hubMap: { getCenter(): { lng: number } } }).hubMap.getCenter().lng > lng + 1,
    before,
  );
  // after the map: its buttons, then out of it to the footer; none of its footprints is a tab stop
  const stops: string[] = [];
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press('Tab');
    const f = await focused();
    assert.ok(f.ring, `the focus is seen on <${f.tag}> "${f.text}"`);
    stops.push(f.tag === 'path' ? 'path' : f.text);
    if (await page.evaluate(() => !!document.activeElement?.closest('footer'))) break;
  }
  assert.not.ok(stops.includes('path'), stops.join(' | '));
  assert.ok(
    await page.evaluate(() => !!document.activeElement?.closest('footer')),
    `the focus leaves the map for the footer: ${stops.join(' | ')}`,
  );
  // back to the map's tools, and the visible view as the box
  await tabTo('button.search-view', 12, 'Shift+Tab');
  await Promise.all([page.waitForURL((u) => u.searchParams.has('bbox')), page.keyboard.press('Enter')]);
  await mapReady(page);
  const box = new URL(page.url()).searchParams.get('bbox')!;
  assert.is(await page.locator('#bbox').inputValue(), box);
  assert.is(box.split(',').length, 4);
});

test('a phone: the map folded behind a button, the results reached without scrolling past it; a box in the query shows it', async () => {
  const p = await phone.newPage();
  try {
    await p.goto(`${base}/catalogue?q=glacier`);
    await mapReady(p);
    const toggle = p.getByRole('button', { name: 'Afficher la carte' });
    assert.is(await toggle.getAttribute('aria-expanded'), 'false');
    assert.not.ok(await p.locator('#map').isVisible());
    assert.ok(await p.locator('p.to-results a').isVisible());
    // the results start within the first two screens (the facets come after the link to them)
    await p.locator('p.to-results a').click();
    assert.ok(await p.locator('#results-h').isVisible());
    await toggle.click();
    assert.is(await p.getByRole('button', { name: 'Masquer la carte' }).getAttribute('aria-expanded'), 'true');
    assert.ok(await p.locator('#map').isVisible());
    // the map measured itself when shown: its footprints are drawn inside it
    const size = await p.evaluate(() => (window as unknown as { hubMap: { getSize(): { x: number; y: number } } }).hubMap.getSize());
    assert.ok(size.x > 200 && size.y > 100, JSON.stringify(size));
    await shot(p, 'phone-map-shown');

    await p.goto(`${base}/catalogue?bbox=-6,47,-1,49.5`);
    await mapReady(p);
    assert.ok(await p.locator('#map').isVisible(), 'a query with a box shows its map');
    assert.is(await p.getByRole('button', { name: 'Masquer la carte' }).getAttribute('aria-expanded'), 'true');
  } finally {
    await p.close();
  }
});

test('nothing was requested from another host, no script failed', () => {
  assert.equal(offHost, []);
});

if (process.env.A11Y_TIMING) {
  let t0 = 0;
  test.before.each(() => void (t0 = Date.now()));
  test.after.each((ctx) => console.log(`${ctx.__test__}: ${Date.now() - t0} ms`));
}

test.run();
