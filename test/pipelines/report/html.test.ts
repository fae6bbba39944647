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
import { FUJI_FR, gapFr, MQA_FR, STAGE_FR } from '../../../pipelines/report/html-i18n.js';
import { dcatGaps } from '../../../mappings/fair/dcat-gaps.js';
import type { HubRecord } from '../../../schemas/record.js';
import { smallRecord } from '../../schemas/sample-records.js';
import { FUJI_METRICS, MQA_INDICATORS } from '../../../mappings/fair/index.js';
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

test('French: every MQA indicator and F-UJI metric of the methodologies has its label and its standard fix in French', () => {
  assert.equal(Object.keys(MQA_FR).sort(), MQA_INDICATORS.map((d) => d.id).sort());
  for (const d of MQA_INDICATORS) assert.ok(MQA_FR[d.id].label && MQA_FR[d.id].add, d.id);
  assert.equal(Object.keys(FUJI_FR).sort(), FUJI_METRICS.map((d) => d.id).sort());
  for (const d of FUJI_METRICS) {
    assert.ok(FUJI_FR[d.id].name, d.id);
    // a metric whose fix is a fixed sentence has it in French (the core metadata's names the record: English)
    assert.is(typeof d.fix === 'object', !!FUJI_FR[d.id].add, d.id);
  }
  for (const stage of ['fetch', 'parse', 'map', 'validate', 'score', 'index', 'xsd']) assert.ok(STAGE_FR[stage], stage);
});

test('French: the page in French, the English messages marked; English by default (the CLI), the same words as before', async () => {
  const spooled = await validateToSpool([
    { file: sharedFixture('ozcar', 'CATC_en.json') },
    { file: sharedFixture('stac', 'catalog.json') },
  ]);
  try {
    const fr = [...htmlReport(spooled.head, spooled.records, 'fr')].join('');
    const en = [...htmlReport(spooled.head, spooled.records)].join('');
    assert.match(fr, /^<!DOCTYPE html>\n<html lang="fr">/);
    assert.match(en, /^<!DOCTYPE html>\n<html lang="en">/);
    assert.match(fr, /<h2>Problèmes et corrections, fiche par fiche<\/h2>/);
    assert.match(en, /<h2>Problems and fixes, record by record<\/h2>/);
    // a failure's stage and message in French (a STAC child that is not there), the English kept in a title
    assert.match(fr, /<li class="error">lecture\u202f: <span title="[^"]+: not found">[^<]+\u202f: introuvable<\/span><\/li>/);
    assert.match(en, /<li class="error">fetch: [^<]+: not found<\/li>/);
    // the readers' notices in French too, the English in a title
    assert.match(
      fr,
      /<ul class="notices"><li><span title="[^"]+CATC_en\.json: producer accepted with forgiven problems: [^"]+">[^<]+CATC_en\.json\u202f: producteur accepté malgré des problèmes pardonnés\u202f: /,
    );
    // the F-UJI core metadata fix names what the record lacks, by F-UJI's names of them
    assert.match(
      fr,
      /ajouter les métadonnées essentielles qui lui manquent\u202f: (creator|publication_date|publisher|keywords|title|summary|object_identifier)(, [a-z_]+)* dans /,
    );
    assert.not.match(fr, /the core metadata it lacks/);
    assert.match(en, /add the core metadata it lacks: /);
    assert.not.match(en.slice(en.indexOf('<body>')), / lang=/);
  } finally {
    spooled.close();
  }
});

test('French: every form of DCAT-AP gap the export rule writes has its French sentence', () => {
  const bare = smallRecord({ source: 's', id: 'x', title: {} });
  const lacking: HubRecord = {
    ...bare,
    distribution: [{ '@type': 'dcat:Distribution' } as never],
    publisher: { '@type': 'foaf:Agent', name: {} } as never,
    theme: [
      {
        '@id': 'http://example.org/c/1',
        '@type': 'skos:Concept',
        prefLabel: {},
        inScheme: { '@id': 'http://example.org/s', title: {} },
      } as never,
    ],
    isPrimaryTopicOf: { ...bare.isPrimaryTopicOf, modified: undefined } as never,
  };
  const service: HubRecord = { ...bare, '@type': ['dcat:DataService'] as never };
  const series: HubRecord = { ...bare, '@type': ['dcat:DatasetSeries'] as never };
  const gaps = [lacking, service, series].flatMap(dcatGaps);
  // all eight forms: title, description, endpoint, access URL, record date, agent name, concept label, scheme title
  assert.equal(
    new Set(gaps.map((g) => `${g.class} ${g.property}`)),
    new Set([
      'dcat:Dataset dct:title',
      'dcat:Dataset dct:description',
      'dcat:Distribution dcat:accessURL',
      'dcat:CatalogRecord dct:modified',
      'foaf:Agent foaf:name',
      'skos:Concept skos:prefLabel',
      'skos:ConceptScheme dct:title',
      'dcat:DataService dct:title',
      'dcat:DataService dcat:endpointURL',
      'dcat:DatasetSeries dct:title',
      'dcat:DatasetSeries dct:description',
    ]),
  );
  for (const g of gaps) {
    const fr = gapFr(g.message);
    assert.ok(fr, g.message);
    assert.ok(fr.includes(g.property) && fr.includes('obligatoire') && !/ has no | is mandatory/.test(fr), `${g.message} -> ${fr}`);
  }
  assert.is(gapFr('the series has no title (dct:title is mandatory)'), 'la série n’a pas de titre (dct:title est obligatoire)');
  assert.is(
    gapFr('distribution 3 has no access URL (dcat:accessURL is mandatory)'),
    'la distribution 3 n’a pas d’URL d’accès (dcat:accessURL est obligatoire)',
  );
  assert.is(gapFr('something else'), undefined);
});

test.run();
