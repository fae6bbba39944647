/**
 * The HTML report as a browser shows it (headless Chromium, /usr/bin/chromium or $CHROMIUM, driven by playwright-core):
 * the records table fits the page, whatever the identifiers (file paths, Sentinel product names have no place to break),
 * and the readers' warnings (forgiven problems of an OZCAR producer) are on the page as in the text report.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { validateToSpool } from '../../../pipelines/validate.js';
import { htmlReport } from '../../../pipelines/report/html.js';
import { sharedFixture } from '../../../schemas/paths.js';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

test('the records table fits a 1024 px window with long unbroken identifiers; warning notices are shown', async () => {
  const spooled = await validateToSpool([
    { file: sharedFixture('stac', 'catalog.json') }, // its missing children: errors named by their long paths
    { file: sharedFixture('iso19139', 'pycsw-apiso-iso_19115-2_Sentinel-2-scene.xml') }, // a Sentinel product name
    { file: sharedFixture('ozcar', 'CATC_en.json') }, // a producer accepted with forgiven problems: a warning notice
  ]);
  const dir = mkdtempSync(join(tmpdir(), 'report-html-'));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--headless', '--disable-gpu'] });
  try {
    const warned = spooled.head.notices.filter((n) => n.level === 'warn').map((n) => n.message);
    assert.ok(warned.length > 0, 'the OZCAR file has a warning notice');
    const file = join(dir, 'report.html');
    writeFileSync(file, [...htmlReport(spooled.head, spooled.records)].join(''));
    const page = await browser.newPage({ viewport: { width: 1024, height: 800 } });
    await page.goto(pathToFileURL(file).href);
    const widths = await page.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      window: document.documentElement.clientWidth,
      table: document.querySelector('#records table')!.getBoundingClientRect().right,
    }));
    assert.ok(widths.page <= widths.window, `the page scrolls sideways: ${widths.page} px in ${widths.window}`);
    assert.ok(widths.table <= widths.window, `the records table ends at ${widths.table} px`);
    const shown = await page.locator('.notices li').allTextContents();
    assert.equal(shown, warned);
  } finally {
    await browser.close();
    spooled.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
