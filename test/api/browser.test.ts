/**
 * The catalogue and operators' pages in a real browser (Debian's headless Chromium driven by playwright-core),
 * against a real server on a loopback port over a real index of fixture records, with the network cut off: the
 * browser context aborts every request that is not to the test server, and the test asserts none was attempted.
 * What a person does: search a French word with and without its accents, draw a box on the map, set a period, pick a
 * theme, open a record, follow its WMS link (the WMS's GetCapabilities is a recorded answer served on loopback), switch
 * the language, read the operators' page. Screenshots go to test-artifacts/pages/. Every wait is for a condition.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Map as LeafletMap } from 'leaflet';
import { AxeBuilder } from '@axe-core/playwright';
import { parse } from 'node-html-parser';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ROUTES } from '../../api/routes/index.js';
import { buildServer } from '../../api/server.js';
import { silentLogger } from '../../pipelines/log.js';
import type { HubRecord } from '../../schemas/record.js';
import { projectPath } from '../../schemas/paths.js';
import { esClient, esUrl, tempIndexName } from '../helpers/services.js';
import { buildPagesIndex, OZCAR_SOURCES, WMS_LAYER, WMS_PATH, type PagesIndex } from './pages-fixture.js';
import { CHROMIUM, CHROMIUM_ARGS as ARGS, WAIT } from '../helpers/chromium.js';
import { boxes, inBox, instant, overlaps } from '../helpers/extents.js';

const ARTIFACTS = projectPath('test-artifacts', 'pages');
const CAPABILITIES = readFileSync(projectPath('test', 'fixtures', 'wms', 'wms-aasggeothermal-orwellheads-130.xml'), 'utf8');

const client = await esClient();
let fx: PagesIndex;
let app: FastifyInstance;
let base: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
/** Requests the browser tried to send anywhere but the test server. */
const offHost: string[] = [];
/** Errors in the browser's console. */
const consoleErrors: string[] = [];
/** Answers of the test server that were errors (a missing asset, a failed page). */
const failedAnswers: string[] = [];
/** GetCapabilities requests the recorded WMS received. */
const wmsRequests: URLSearchParams[] = [];

test.before(async () => {
  const alias = tempIndexName('pages-browser');
  const reportDir = mkdtempSync(join(tmpdir(), 'hub-reports-'));
  // The WMS a record names, replayed on the same loopback server: its GetCapabilities only.
  const replay = (a: FastifyInstance) => {
    a.get(WMS_PATH, async (req, reply) => {
      const q = new URLSearchParams(req.url.split('?')[1] ?? '');
      const p = new Map([...q].map(([k, v]) => [k.toLowerCase(), v]));
      wmsRequests.push(q);
      if (p.get('service')?.toUpperCase() !== 'WMS' || p.get('request')?.toLowerCase() !== 'getcapabilities')
        return reply.code(400).type('text/plain').send('not a WMS GetCapabilities request');
      return reply.type('text/xml; charset=utf-8').send(CAPABILITIES);
    });
  };
  app = await buildServer({ client, alias, esUrl: await esUrl(), log: silentLogger, reportDir, routes: [...ROUTES, replay] });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  fx = await buildPagesIndex(client, { prefix: 'pages-browser', alias, reportDir, wmsBase: base });

  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1400, height: 1000 }, serviceWorkers: 'block' });
  context.setDefaultTimeout(WAIT);
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (url.startsWith(base + '/') || url.startsWith('data:')) return route.continue();
    offHost.push(url);
    return route.abort('blockedbyclient');
  });
  page = await context.newPage();
  page.on('pageerror', (err) => offHost.push(`page error: ${err.message}`));
  // what the browser reports as an error (a blocked request, a Content-Security-Policy violation...)
  page.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push(`${page.url()}: ${msg.text()}`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400) failedAnswers.push(`${res.status()} ${res.url()}`);
  });
});

test.after(async () => {
  await browser?.close();
  await app?.close();
  await fx?.cleanup();
  if (fx) rmSync(fx.reportDir, { recursive: true, force: true });
});

// ----- what the page shows
const hitIds = () => page.locator('li.hit').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')!));
const sorted = (a: string[]) => [...a].sort();
const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
/** A catalogue page is ready when its map has drawn (the script ran) and its basemap is loaded. */
async function ready(): Promise<void> {
  await page.locator('#map[data-ready="true"][data-basemap="ready"]').waitFor({ state: 'attached' });
}
/** All ids of the current search, every page (the URL with page=N). */
async function allIds(): Promise<string[]> {
  const url = new URL(page.url());
  const out: string[] = [];
  for (let n = 1; ; n++) {
    url.searchParams.set('page', String(n));
    const res = await fetch(url);
    const ids = parse(await res.text())
      .querySelectorAll('li.hit')
      .map((li) => li.getAttribute('data-id')!);
    out.push(...ids);
    if (ids.length < 20) return out;
  }
}

// ----- independent readings of the records
const recordText = (r: HubRecord) =>
  [
    ...Object.values(r.title),
    ...Object.values(r.description ?? {}),
    ...Object.values(r.keyword ?? {}).flat(),
    ...(r.theme ?? []).flatMap((c) => Object.values(c.prefLabel ?? {})),
  ].join(' ');
const ids = (records: HubRecord[]) => sorted(records.map((r) => r.identifier));

test('search a French word with and without its accents: the same records, those that hold it', async () => {
  await page.goto(`${base}/catalogue`);
  await ready();
  assert.is(await page.locator('html').getAttribute('lang'), 'fr');
  assert.is(await page.locator('p.total').getAttribute('data-total'), String(fx.records.length));
  await shot('1-catalogue');

  const expected = ids(fx.records.filter((r) => /b[aâ]timent/i.test(recordText(r))));
  assert.ok(expected.length > 0);
  for (const word of ['bâtiments', 'batiments']) {
    await page.getByRole('searchbox', { name: 'Mots' }).fill(word);
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get('q') === word),
      page.getByRole('searchbox', { name: 'Mots' }).press('Enter'),
    ]);
    await ready();
    assert.equal(sorted(await hitIds()), expected, word);
    assert.is(await page.getByRole('searchbox', { name: 'Mots' }).inputValue(), word);
    // the URL holds the query and nothing else (empty fields are not sent)
    assert.equal([...new URL(page.url()).searchParams.keys()], ['q']);
  }
  await shot('2-search-batiments');
});

test('draw a box on the map: the URL holds it and the results are the records it intersects', async () => {
  await page.goto(`${base}/catalogue`);
  await ready();
  const before = await page.locator('p.total').getAttribute('data-total');
  // Brittany and around, where the map shows it now
  const corners = await page.evaluate(() => {
    const map = (window as unknown as { hubMap: LeafletMap }).hubMap;
    map.fitBounds([
      [46, -7],
      [50, 0],
    ]);
    const a = map.latLngToContainerPoint([49.5, -6]);
    const b = map.latLngToContainerPoint([47, -1]);
    const box = map.getContainer().getBoundingClientRect();
    return { x1: box.left + a.x, y1: box.top + a.y, x2: box.left + b.x, y2: box.top + b.y };
  });
  await page.getByRole('button', { name: 'Tracer une emprise' }).click();
  assert.is(await page.locator('button.draw-box').getAttribute('aria-pressed'), 'true');
  await page.mouse.move(corners.x1, corners.y1);
  await page.mouse.down();
  await page.mouse.move((corners.x1 + corners.x2) / 2, (corners.y1 + corners.y2) / 2, { steps: 5 });
  await page.mouse.move(corners.x2, corners.y2, { steps: 5 });
  await Promise.all([page.waitForURL((u) => u.searchParams.has('bbox')), page.mouse.up()]);
  await ready();
  const bbox = new URL(page.url()).searchParams.get('bbox')!.split(',').map(Number);
  // what was drawn, to within the pixels of the drag
  assert.ok(
    Math.abs(bbox[0] + 6) < 0.2 && Math.abs(bbox[1] - 47) < 0.2 && Math.abs(bbox[2] + 1) < 0.2 && Math.abs(bbox[3] - 49.5) < 0.2,
    bbox.join(','),
  );
  assert.is(await page.getByLabel(/Emprise/).inputValue(), bbox.join(','));
  const expected = ids(fx.records.filter((r) => boxes(r).some((b) => inBox(b, bbox))));
  assert.ok(
    expected.some((id) => id.endsWith('955c3e47-411e-4969-b61b-3556d1b9f879')),
    'the Brittany cadastre is in the box',
  );
  assert.equal(sorted(await allIds()), expected);
  assert.not.equal(await page.locator('p.total').getAttribute('data-total'), before);
  await shot('3-drawn-box');

  // "search this view" takes the whole visible map; "clear the box" drops it
  await Promise.all([page.waitForURL((u) => !u.searchParams.has('bbox')), page.getByRole('button', { name: 'Effacer l’emprise' }).click()]);
  await ready();
  assert.is(await page.locator('p.total').getAttribute('data-total'), before);
});

test('set a period: the records whose time extent overlaps it', async () => {
  await page.goto(`${base}/catalogue`);
  await ready();
  // each label on the line of its field: a narrow column wraps "Au" with its field, never away from it
  for (const id of ['from', 'to']) {
    const label = (await page.locator(`label[for="${id}"]`).boundingBox())!;
    const field = (await page.locator(`#${id}`).boundingBox())!;
    assert.ok(label.y >= field.y - 1 && label.y + label.height <= field.y + field.height + 1, `${id}: label beside its field`);
    assert.ok(label.x + label.width <= field.x, `${id}: label before its field`);
  }
  await page.getByLabel('Du').fill('2019');
  await page.getByLabel('Au').fill('2020-06');
  await Promise.all([page.waitForURL((u) => u.searchParams.get('to') === '2020-06'), page.getByLabel('Au').press('Enter')]);
  await ready();
  const expected = ids(fx.records.filter((r) => overlaps(r, instant('2019', false), Date.UTC(2020, 6, 1) - 1)));
  assert.equal(sorted(await allIds()), expected);
  await shot('4-period');
});

test('pick a theme facet: the records of that theme, the facet marked as chosen', async () => {
  await page.goto(`${base}/catalogue`);
  await ready();
  const link = page.locator('a[data-facet="theme"]').first();
  const iri = (await link.getAttribute('data-value'))!;
  const label = (await link.locator('.value').textContent())!.trim();
  await Promise.all([page.waitForURL((u) => u.searchParams.get('theme') === iri), link.click()]);
  await ready();
  assert.equal(sorted(await allIds()), ids(fx.records.filter((r) => r.theme?.some((c) => c['@id'] === iri))));
  assert.is(await page.locator(`a[data-facet="theme"][aria-current="true"] .value`).textContent(), label);
  await shot('5-theme');
});

test('open a record, then follow its WMS link: a GetCapabilities request the WMS answers', async () => {
  await page.goto(`${base}/catalogue`);
  await ready();
  await page.getByRole('searchbox', { name: 'Mots' }).fill('Eems-Dollardverdrag');
  await Promise.all([page.waitForURL(/q=/), page.getByRole('searchbox', { name: 'Mots' }).press('Enter')]);
  await ready();
  const hit = page.locator('li.hit h3 a').first();
  const title = (await hit.textContent())!.trim();
  await Promise.all([page.waitForURL(/\/catalogue\/records\//), hit.click()]);
  await page.locator('#map[data-ready="true"]').waitFor({ state: 'attached' });
  assert.is((await page.locator('article.record h1').textContent())!.trim(), title);
  // back to the results this page came from
  assert.match((await page.locator('p.back a').getAttribute('href'))!, /q=Eems-Dollardverdrag/);
  const service = page.locator('div.service[data-service="WMS"]');
  assert.is((await service.locator('code.layer').textContent())!.trim(), WMS_LAYER);
  assert.is((await service.locator('code.service-url').textContent())!.trim(), `${base}${WMS_PATH}`);
  await shot('6-record');

  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().startsWith(`${base}${WMS_PATH}`)),
    service.locator('a.capabilities').click(),
  ]);
  assert.is(response.status(), 200);
  assert.match(await response.text(), /<WMS_Capabilities version="1\.3\.0"/);
  const q = wmsRequests.at(-1)!;
  assert.is(q.get('SERVICE'), 'WMS');
  assert.is(q.get('REQUEST'), 'GetCapabilities');
  await page.waitForURL((u) => u.pathname === WMS_PATH);
  await shot('7-wms-capabilities');
});

test('switch the language; every field has a label; the skip link comes first', async () => {
  await page.goto(`${base}/catalogue?q=glacier`);
  await ready();
  await Promise.all([page.waitForURL(/lang=en/), page.getByRole('link', { name: 'English' }).click()]);
  await ready();
  assert.is(await page.locator('html').getAttribute('lang'), 'en');
  assert.is(await page.getByRole('searchbox', { name: 'Words' }).inputValue(), 'glacier');
  assert.ok(await page.getByRole('button', { name: 'Draw a box' }).isVisible());
  const unlabelled = await page
    .locator('input:not([type="hidden"])')
    .evaluateAll((els) =>
      els.filter((e) => !(e as HTMLInputElement).labels?.length && !e.getAttribute('aria-label')).map((e) => e.outerHTML),
    );
  assert.equal(unlabelled, []);
  await page.keyboard.press('Tab');
  assert.is(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'Skip to content');
});

test("the server's root opens the catalogue, with the query typed after it; the footer leads to the APIs", async () => {
  await page.goto(`${base}/?q=glacier&lang=en`);
  await ready();
  assert.is(new URL(page.url()).pathname, '/catalogue');
  assert.is(await page.getByRole('searchbox', { name: 'Words' }).inputValue(), 'glacier');
  await Promise.all([page.waitForURL(/\/ogcapi$/), page.locator('footer').getByRole('link', { name: 'OGC API - Records' }).click()]);
  assert.ok(await page.getByRole('link', { name: 'Collections' }).isVisible(), 'the OGC API landing page, as HTML');
});

test('the OGC API records page in HTML: a CQL2 filter typed in its form, then a mistake shown next to the form', async () => {
  await page.goto(`${base}/ogcapi/collections/catalogue/items?f=html`);
  const filter = page.getByRole('textbox', { name: 'CQL2 filter' });
  await filter.fill('keywords IS NOT NULL AND S_INTERSECTS(geometry, BBOX(-5.5, 41, 10, 51.5))');
  await Promise.all([page.waitForURL(/filter=/), page.getByRole('button', { name: 'Search' }).click()]);
  // the empty fields of the form are no criteria, and the page's URL is without them; what the page lists is what
  // the JSON answer holds
  const url = new URL(page.url());
  assert.equal([...url.searchParams.keys()].sort(), ['f', 'filter']);
  const json = (await (
    await fetch(`${base}/ogcapi/collections/catalogue/items?limit=1000&filter=${encodeURIComponent(url.searchParams.get('filter')!)}`)
  ).json()) as {
    numberMatched: number;
    features: { properties: { title: string } }[];
  };
  assert.ok(json.numberMatched > 0);
  assert.match(await page.locator('main > p').first().innerText(), new RegExp(`^${json.numberMatched} records`));
  assert.is(await filter.inputValue(), 'keywords IS NOT NULL AND S_INTERSECTS(geometry, BBOX(-5.5, 41, 10, 51.5))');
  await shot('9-ogcapi-filter');
  await filter.fill("keywords LIKE 'sol");
  await Promise.all([page.waitForURL(/filter=/), page.getByRole('button', { name: 'Search' }).click()]);
  assert.match(await page.getByRole('alert').innerText(), /invalid cql2-text filter at column \d+.*\(parameter filter\)/);
  assert.is(await filter.inputValue(), "keywords LIKE 'sol");
});

test("the operators' page shows every source's last run", async () => {
  await page.goto(`${base}/operators`);
  const rows = page.locator('tr.run');
  await rows.first().waitFor();
  assert.equal(
    sorted(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-source')!))),
    sorted(OZCAR_SOURCES.map((s) => s.id)),
  );
  for (const run of fx.runs) assert.is(await page.locator(`tr.run[data-source="${run.source}"]`).getAttribute('data-status'), run.status);
  await shot('8-operators');
});

test("accessibility: axe finds no WCAG 2 A or AA violation on the catalogue, a record and the operators' page", async () => {
  const record = fx.records.find((r) => r.distribution?.some((d) => d.accessURL.includes(WMS_PATH)))!;
  for (const url of [
    '/catalogue?q=glacier',
    `/catalogue/records/${encodeURIComponent(record.identifier)}`,
    '/operators',
    '/catalogue?bbox=1,2,3',
  ]) {
    await page.goto(base + url);
    if (url.startsWith('/catalogue')) await page.locator('#map[data-ready="true"]').waitFor({ state: 'attached' });
    const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    const found = result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    assert.equal(found, [], url);
    assert.ok(result.passes.length > 10, `${url}: axe ran its checks`);
  }
});

test('a narrow screen (360 px): the catalogue and the record with the longest id and title fit its width', async () => {
  const longest = [...fx.records].sort((a, b) => b.identifier.length - a.identifier.length)[0];
  const word = (Object.values(longest.title)[0] ?? '').split(/\s+/).sort((a, b) => b.length - a.length)[0];
  assert.ok(word.length > 40, `a fixture record has a title of one long word: ${word}`);
  await page.setViewportSize({ width: 360, height: 740 });
  try {
    for (const url of [
      `/catalogue?q=${encodeURIComponent(word)}`,
      `/catalogue/records/${encodeURIComponent(longest.identifier)}`,
      '/catalogue',
      '/operators',
    ]) {
      await page.goto(base + url);
      const [scroll, inner] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
      assert.ok(scroll <= inner, `${url}: ${scroll} px wide on a ${inner} px screen`);
    }
    await shot('9-narrow-record');
  } finally {
    await page.setViewportSize({ width: 1400, height: 1000 });
  }
});

test('nothing was requested from another host, no script failed, every asset was there', () => {
  assert.equal(offHost, []);
  // the 400s of the pages of a bad box and of a bad filter, visited on purpose, are seen (so the console is listened
  // to), and are the only errors
  const onPurpose = [
    /bbox=1,2,3: Failed to load resource: the server responded with a status of 400/,
    /filter=keywords\+LIKE\+%27sol: Failed to load resource: the server responded with a status of 400/,
  ];
  for (const re of onPurpose)
    assert.ok(
      consoleErrors.some((e) => re.test(e)),
      String(re),
    );
  assert.equal(
    consoleErrors.filter((e) => !onPurpose.some((re) => re.test(e))),
    [],
  );
  assert.equal(
    failedAnswers.filter((a) => !a.endsWith('/catalogue?bbox=1,2,3') && !/filter=keywords(\+|%20)LIKE(\+|%20)%27sol$/.test(a)),
    [],
  );
});

test.run();
