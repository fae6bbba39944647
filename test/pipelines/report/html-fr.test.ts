/**
 * The French report of real records with known warnings, without a browser: each crosswalk warning in French with its
 * values filled in and nothing marked English; a warning without a code (a report written before codes) in English,
 * marked; the English page and the JSON report keep the English texts, the JSON report carries the codes.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { validateToSpool, type SpooledReport } from '../../../pipelines/validate.js';
import { htmlReport } from '../../../pipelines/report/html.js';
import { jsonReport } from '../../../pipelines/report/json.js';
import type { RecordReport, ReportRecords } from '../../../pipelines/report/types.js';
import { renderText } from '../../../core/texts/render.js';
import { projectPath, sharedFixture } from '../../../schemas/paths.js';

const FILES = [
  sharedFixture('iso19139', 'owslib-csw_iso_identifier.xml'), // a scheme-less contact URL, "5annually"
  sharedFixture('stac', 'core-item.json'), // no licence
  sharedFixture('ozcar', 'TOUR_en.json'), // named _en, written in French: a message of nested phrases
  projectPath('test', 'fixtures', 'stac', 'versions', 'pystac-0.9.0-sar-envisat.json'), // latitude and longitude swapped
  projectPath('test', 'fixtures', 'iso', 'nkn-challis-lidar-DS_Series.xml'), // members given by reference only
  projectPath('test', 'fixtures', 'iso', 'no-identifier.xml'), // a derived identifier, an impossible date
];

let spooled: SpooledReport;
let records: RecordReport[];

test.before(async () => {
  spooled = await validateToSpool(FILES.map((file) => ({ file })));
  records = [...spooled.records.records()];
});
test.after(() => spooled.close());

const page = (lang: 'fr' | 'en', recs: ReportRecords = spooled.records) => [...htmlReport(spooled.head, recs, lang)].join('');
/** The warnings' list items of a page, each `<li><code>at</code>: text</li>`. */
const warningItems = (html: string) =>
  [...html.matchAll(/<h4>(?:Avertissements|Warnings)<\/h4><ul>(.*?)<\/ul>/g)].flatMap((m) => m[1].match(/<li>.*?<\/li>/g) ?? []);

test('the fixtures have the warnings this test is about, each with a code', () => {
  const codes = records.flatMap((r) => r.warnings.map((w) => w.code));
  for (const code of [
    'iso.contact.urlNotAbsolute',
    'iso.frequency.unknown',
    'stac.license.missing',
    'ozcar.language.contradictionRename',
    'stac.extent.invalid',
    'iso.series.byReference',
    'iso.fileIdentifier.derived',
    'iso.citationDate.invalid',
  ])
    assert.ok(codes.includes(code as never), code);
});

test('French: the crosswalk warnings in French, their values filled in, not marked English', () => {
  const fr = page('fr');
  const items = warningItems(fr);
  const warnings = records.flatMap((r) => r.warnings);
  const coded = warnings.filter((w) => w.code);
  assert.ok(coded.length >= 10, `${coded.length} warnings with a code`);
  assert.equal(
    warnings.filter((w) => !w.code).map((w) => w.message),
    [],
    "every warning of these records has a code (the OZCAR reader's too)",
  );
  // the page lists the warnings in the report's order: each coded one in French, not marked; any other in English, marked
  assert.is(items.length, warnings.length);
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  warnings.forEach((w, i) => {
    const text = w.code ? esc(renderText('fr', w.code, w.params)!) : `<span lang="en">${esc(w.message)}</span>`;
    assert.is(items[i], `<li><code>${esc(w.at)}</code>\u202f: ${text}</li>`);
  });
  // the values in place, the French typography kept
  assert.ok(fr.includes('\u202f: fréquence «\u00a05annually\u00a0» non reconnue</li>'));
  assert.ok(fr.includes('«\u00a0www.defensie.nl/hydro\u00a0» n’est pas une URL absolue (elle n’a pas de schéma tel que https:'));
  assert.ok(fr.includes('<code>license</code>\u202f: absente\u202f: les conditions d’utilisation sont inconnues</li>'));
  assert.ok(
    fr.includes(
      'TOUR_en.json\u202f: nommé en anglais (_en) mais son titre et sa description se lisent en français (39 mots-outils français et 0 anglais)\u202f: les textes sont étiquetés en comme le dit le nom\u202f; s’ils sont en français, nommez le fichier TOUR_fr.json',
    ),
  );
  // a phrase inside a phrase: why the box is wrong, then what stands for it
  assert.ok(
    fr.includes(
      '<code>bbox</code>\u202f: latitude hors de [-90, 90]\u202f: [64.302468,114.587673,71.179088,128.611298]\u202f: le rectangle de la géométrie le remplace</li>',
    ),
  );
  assert.match(
    fr,
    /gmd:DS_Series &quot;nkn:00c2d3eb-60c7-42a6-a97f-90c570dbefea&quot;\u202f: 142 jeu\(x\) de données membre\(s\) donné\(s\) seulement par référence \(xlink:href, le premier [^)]+\)/,
  );
  assert.ok(fr.includes('identifiant stable «\u00a0sha256-5a64285e90d507cbb25c8f8f304aa93e\u00a0» tiré du sha256 du contenu'));
  assert.ok(fr.includes('«\u00a02020-02-30T10:00:00\u00a0» (creation) n’est pas une date\u202f: ignorée'));
  // the OZCAR reader's forgiven problems, grouped
  assert.ok(fr.includes('/sensors/0/calibration</code>\u202f: ne doit pas être vide (et 9 autre(s) du même genre)</li>'));
  assert.match(fr, /\/geologies\/0<\/code>\u202f: &quot;Quartenary soils&quot; n’est pas l’une des valeurs &quot;Volcanic rocks&quot;, /);
  // no English sentence of a warning left on the French page
  for (const w of coded) assert.not.ok(fr.includes(esc(w.message)), w.message);
  // the DCAT-AP mandatory values missing (the sh:minCount shapes), by their codes
  const gaps = records.flatMap((r) => r.dcatGaps);
  assert.ok(gaps.length >= 1);
  for (const g of gaps) {
    assert.ok(g.code?.startsWith('dcatap.'), g.message);
    assert.ok(fr.includes(`${esc(g.property)}</code>\u202f: ${esc(renderText('fr', g.code!, g.params)!)}</li>`), g.message);
  }
  // the legend says what stays English: the validators' own words
  assert.match(fr, /<p class="muted">[^<]*schémas XML vérifiés par xmllint[^<]*restent en anglais\.<\/p>/);
});

test('English: the page says the English messages as before; the JSON report carries each code and its values', () => {
  const en = page('en');
  const items = warningItems(en);
  for (const w of records.flatMap((r) => r.warnings))
    assert.ok(
      items.some((i) => i.endsWith(`: ${w.message.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}</li>`)),
      w.message,
    );
  assert.ok(en.includes('<code>license</code>: missing: the terms of use are unknown</li>'));
  assert.not.match(en, /<p class="muted">Les avertissements/);
  const json = JSON.parse([...jsonReport(spooled.head, spooled.records)].join('')) as { records: RecordReport[] };
  const tour = json.records.flatMap((r) => r.warnings).find((w) => w.code === 'ozcar.language.contradictionRename')!;
  assert.equal(tour.params, {
    file: 'TOUR_en.json',
    named: { code: 'ozcar.language.en' },
    key: 'en',
    seen: { code: 'ozcar.language.fr' },
    fr: 39,
    en: 0,
    renamed: 'TOUR_fr.json',
  });
  assert.is(
    tour.message,
    'TOUR_en.json: named English (_en) but its title and description read as French (39 French and 0 English function words): the texts are tagged en as the name says; if they are French, name the file TOUR_fr.json',
  );
});

test('a warning without a code (a report stored before codes, a code this version does not know) stays English, marked', () => {
  const old = (r: RecordReport): RecordReport => ({
    ...r,
    // a gap without its code is read from its English sentence: still French
    dcatGaps: r.dcatGaps.map(({ code: _, params: __, ...g }) => g),
    warnings: r.warnings.map((w, i) => (i % 2 ? { at: w.at, message: w.message } : { ...w, code: 'gone.since' as never })),
  });
  const recs: ReportRecords = {
    count: spooled.records.count,
    keys: () => spooled.records.keys(),
    records: (only) => [...spooled.records.records(only)].map(old),
    json: () => [...spooled.records.records()].map((r) => JSON.stringify(old(r))),
  };
  const items = warningItems(page('fr', recs));
  assert.is(items.length, records.flatMap((r) => r.warnings).length);
  for (const item of items) assert.match(item, /^<li><code>[^<]*<\/code>\u202f: <span lang="en">[^<]+<\/span><\/li>$/, item);
  assert.ok(items.some((i) => i.includes('<span lang="en">missing: the terms of use are unknown</span>')));
  const fr = page('fr', recs);
  for (const g of records.flatMap((r) => r.dcatGaps))
    assert.ok(fr.includes(`\u202f: ${renderText('fr', g.code!, g.params)}</li>`), g.message);
});

test.run();
