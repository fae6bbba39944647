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
import { LinkChecker } from '../../../pipelines/links.js';
import { createSsrfGuard } from '../../../core/ssrf.js';

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
  // the legend says what stays English: xmllint's forms the hub does not know, the validators' free text
  assert.match(fr, /<p class="muted">[^<]*Restent en anglais[^<]*xmllint[^<]*\.<\/p>/);
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

/** The broken variants of real records (test/fixtures/validate-fr/README.md): one of each kind of message read back. */
const BROKEN = [
  'owslib-csw_iso_identifier-invalid-links.xml', // XML schema errors; links to a name that never resolves, a closed port, a private address
  'owslib-csw_iso_identifier-not-well-formed.xml', // an end tag misspelt
  'stac-core-item-trailing-comma.json', // not JSON
  'ozcar-TOUR_en-dropped-observation.json', // an observation dropped by the reader, the producer's forgiven problems
].map((f) => ({ file: projectPath('test', 'fixtures', 'validate-fr', f) }));

test('French over real broken inputs: blocking errors, notices, network failures of links, xmllint: each in French, its English in a title', async () => {
  const links = new LinkChecker({ guard: createSsrfGuard(['127.0.0.1']), timeoutMs: 5000 });
  const broken = await validateToSpool(BROKEN, { xsd: true, links });
  try {
    const recs = [...broken.records.records()];
    const fr = [...htmlReport(broken.head, broken.records, 'fr')].join('');
    const en = [...htmlReport(broken.head, broken.records, 'en')].join('');
    // 1. blocking errors: a record that is not well-formed XML, a file that is not JSON
    assert.equal(recs.flatMap((r) => r.errors.map((e) => e.code)).sort(), ['error.file.notXmlNorJson', 'error.xml.malformed']);
    assert.ok(
      fr.includes(
        '<li class="error">analyse\u202f: <span title="malformed XML at line 73, column 3: end tag &lt;/gmd:datestamp&gt; does not match start tag &lt;gmd:dateStamp&gt;">XML mal formé ligne 73, colonne 3\u202f: la balise fermante &lt;/gmd:datestamp&gt; ne correspond pas à la balise ouvrante &lt;gmd:dateStamp&gt;</span></li>',
      ),
    );
    assert.match(
      fr,
      /stac-core-item-trailing-comma\.json\u202f: ni du XML ni du JSON valide \(nom de propriété entre guillemets doubles attendu, position \d+\)<\/span><\/li>/,
    );
    // 2. the readers' notices: the OZCAR reader's forgiven problems and its dropped observation
    const warned = broken.head.notices.filter((n) => n.level === 'warn');
    assert.equal(
      warned.map((n) => n.code),
      ['notice.ozcar.forgiven', 'notice.ozcar.dropped'],
    );
    assert.match(
      fr,
      /producteur accepté malgré des problèmes pardonnés\u202f: \/producer\/fundings\/7\/acronym\u202f: ne doit pas être vide \(et 1 autre\(s\) du même genre\)<\/span><\/li>/,
    );
    assert.match(
      fr,
      /observation TOUR_OBS_lgt-ec1-ges-eddycovariance_sh-FC en \/datasets\/0\/observations\/0 retirée\u202f: \/datasets\/0\/observations\/0\/dataType\u202f: doit être de type string \(trouvé 12\)\u202f; /,
    );
    // 3. links failing for a network reason: DNS, a refused connection, the SSRF guard
    const failing = recs.flatMap((r) => r.warnings).filter((w) => /inspire1\.bathy\.invalid|127\.0\.0\.1:9|10\.0\.0\.1/.test(w.message));
    assert.equal(
      failing.map((w) => w.code),
      ['links.network', 'links.network', 'links.refused'],
    );
    assert.match(
      fr,
      /inspire1\.bathy\.invalid[^<]* ne répond pas\u202f: le nom inspire1\.bathy\.invalid ne se résout pas \(DNS\) \(ENOTFOUND\)<\/span>/,
    );
    assert.match(fr, /127\.0\.0\.1:9\/[^<]* ne répond pas\u202f: connexion refusée par 127\.0\.0\.1:9 \(ECONNREFUSED\)<\/span>/);
    assert.match(
      fr,
      /10\.0\.0\.1\/atom\/[^<]* ne répond pas\u202f: [^<]*\u202f: refusé, 10\.0\.0\.1 n’est pas une adresse publique \(private\) \(hors de l’internet public\)<\/span>/,
    );
    // 4. xmllint's messages, each a known form: the place and the message in French, libxml2's words in the title
    const xsd = recs.flatMap((r) => r.warnings).filter((w) => w.message.startsWith('XML schema: '));
    assert.is(xsd.length, 3);
    assert.equal(xsd.map((w) => (w.params!.xsd as { params: { xsd: { code: string } } }).params.xsd.code).sort(), [
      'xsd.atomicType',
      'xsd.characterContent',
      'xsd.notExpectedOneOf',
    ]);
    assert.match(
      fr,
      /<code>ligne \d+, élément Integer<\/code>\u202f: <span title="XML schema: Element '\{http:\/\/www\.isotc211\.org\/2005\/gco\}Integer': '1:50000' is not a valid value of the atomic type 'xs:integer'\.">schéma XML\u202f: élément \{http:\/\/www\.isotc211\.org\/2005\/gco\}Integer\u202f: «\u00a01:50000\u00a0» n’est pas une valeur valide du type atomique xs:integer\.<\/span><\/li>/,
    );
    // nothing of these messages is left in English: no message marked English, in the notices nor the records
    const messages = fr.slice(fr.indexOf('<h3>Avertissements sur les sources</h3>'));
    assert.not.match(messages.replace(/<li class="fix">.*?<\/li>/g, ''), /<span lang="en">|<li lang="en">/);
    // the English page says them as before: no title, nothing marked
    assert.ok(
      en.includes(
        '<li class="error">parse: malformed XML at line 73, column 3: end tag &lt;/gmd:datestamp&gt; does not match start tag &lt;gmd:dateStamp&gt;</li>',
      ),
    );
    assert.not.match(en.slice(en.indexOf('<body>')), / lang=| title=/);
    // the JSON report carries the codes and values
    const json = JSON.parse([...jsonReport(broken.head, broken.records)].join('')) as {
      notices: { code?: string }[];
      records: RecordReport[];
    };
    assert.ok(json.notices.some((n) => n.code === 'notice.ozcar.dropped'));
    const iso = json.records.find((r) => r.xsd?.status === 'invalid')!;
    assert.equal(
      iso.xsd!.status === 'invalid' && iso.xsd!.errors.find((e) => e.code === 'xsd.element' && /Integer/.test(e.message))!.params,
      {
        element: '{http://www.isotc211.org/2005/gco}Integer',
        xsd: { code: 'xsd.atomicType', params: { value: '1:50000', type: 'xs:integer' } },
      },
    );
  } finally {
    broken.close();
  }
});

test.run();
