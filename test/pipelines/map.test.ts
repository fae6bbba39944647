/**
 * pipelines/map.ts on the real fixtures of every family (ISO 19139, ISO 19115-3, CSW pages, STAC, OZCAR) and on the
 * generated ISO samples: nothing is dropped from the normalised record behind the crosswalks' back, and each warning
 * says where in the SOURCE format (an ISO element path, a STAC field, an OZCAR JSON Pointer). Then every value of every
 * fixture broken the ways real feeds break it (test/helpers/mutants.ts), one at a time: no record is lost over an
 * optional value, and what is left out is said at its place in the source, with its value.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { itemsFromText } from '../../pipelines/files.js';
import { mapRecord, mapRecords } from '../../pipelines/map.js';
import type { RawRecord } from '../../harvesters/types.js';
import type { SourceWarning } from '../../core/warnings.js';
import { recordWhere } from '../../mappings/fair/where.js';
import { generateIsoRecord } from '../../scripts/samples/iso-generator.js';
import { projectPath, sharedFixture } from '../../schemas/paths.js';
import type { HubRecord } from '../../schemas/record.js';
import { jsonMutants, xmlMutants, type Mutant } from '../helpers/mutants.js';

const HARVESTED = '2026-11-25T12:00:00Z';
/** What a warning about a value dropped from the normalised record says (pipelines/map.ts). */
const DROPPED = "(the hub record's ";

interface Mapped {
  ok: { id: string; record: HubRecord; warnings: SourceWarning[] }[];
  failed: { stage: string; error: string }[];
}

/** Where an OZCAR pivot file is written to be read (its harvester reads the file itself), under its own name. */
const TMP = mkdtempSync(join(tmpdir(), 'hub-map-test-'));
test.after(() => rmSync(TMP, { recursive: true, force: true }));

async function mapText(file: string, text: string): Promise<Mapped> {
  const out: Mapped = { ok: [], failed: [] };
  let path = file;
  if (file.endsWith('.json') && /"producer"/.test(text) && /"datasets"/.test(text)) {
    path = join(TMP, basename(file));
    writeFileSync(path, text);
  }
  for await (const item of itemsFromText(path, text, 'fx')) {
    if (item.kind === 'failure') out.failed.push({ stage: item.failure.stage, error: item.failure.error });
    if (item.kind !== 'record') continue;
    const r = mapRecord(item.raw, { harvestedAt: HARVESTED });
    if (r.ok) out.ok.push({ id: r.record.identifier, record: r.record, warnings: r.warnings ?? [] });
    else out.failed.push({ stage: r.stage, error: r.error });
  }
  return out;
}

const files = (dir: string, only?: string[]): string[] =>
  readdirSync(sharedFixture(dir))
    .filter((f) => /\.(xml|json)$/.test(f) && (!only || only.includes(f)))
    .sort()
    .map((f) => sharedFixture(dir, f));

const FAMILIES: Record<string, string[]> = {
  iso19139: files('iso19139'),
  'iso19115-3': files('iso19115-3'),
  csw: files('csw', ['owslib-csw_dov_getrecordbyid.xml', 'owslib-inspire-getrecords-response.xml', 'pycsw-apiso-GetRecords-all.xml']),
  // a catalog is walked from its file on disk (its children are the records, each a fixture of its own)
  stac: files('stac').filter((f) => !f.endsWith('/catalog.json')),
  ozcar: files('ozcar', ['CATC_en.json', 'KARS_en.json', 'TOUR_en.json', 'CRYO_en.json']),
};

/** A path of the source format: ISO element paths, STAC fields, OZCAR JSON Pointers. */
const SOURCE_PATH: Record<string, RegExp> = {
  iso19139: /^(gmd|gmi|srv|che):/,
  'iso19115-3': /^(mdb|mri|cit|srv):/,
  csw: /^(gmd|gmi|srv|mdb):/,
  stac: /^(?!\/)[a-z][\w:.[\]*]*$/,
  ozcar: /^\//,
};

// ------------------------------------------------------------------------------------------------ the fixtures as they are

test('mapRecords, stage by stage over a batch, gives what mapRecord gives one by one, failures in their places', async () => {
  const raws: RawRecord[] = [];
  for (const list of Object.values(FAMILIES).slice(0, 3))
    for (const file of list)
      for await (const item of itemsFromText(file, readFileSync(file, 'utf8'), 'fx')) if (item.kind === 'record') raws.push(item.raw);
  const broken: RawRecord[] = [
    { source: 'fx', body: '<gmd:MD_Metadata><broken>', location: 'broken xml', format: 'iso19139' }, // parse
    { source: 'fx', body: '<html><body>no</body></html>', location: 'html' }, // no format: skipped
    { source: 'fx', body: { type: 'Feature' }, location: 'bad stac', format: 'stac-item' }, // crosswalk
    { source: 'fx', body: '<?xml version="1.0"?><x/>', location: 'not iso', format: 'iso19139', id: 'known-id' }, // not ISO: skipped
  ];
  // the broken ones between the others, and one batch holding them all
  const batch = raws.flatMap((r, i) => (i % 9 === 4 && broken[(i / 9) | 0] ? [broken[(i / 9) | 0], r] : [r]));
  assert.ok(batch.length > raws.length + 3, 'broken records are among the good ones');
  const one = batch.map((r) => mapRecord(r, { harvestedAt: HARVESTED }));
  const all = mapRecords(batch, { harvestedAt: HARVESTED });
  assert.equal(all, one);
  assert.ok(all.filter((r) => !r.ok).length >= 4);
  assert.ok(all.filter((r) => r.ok).length >= raws.length - 5);
  // in batches of 7 as well
  const sevens: unknown[] = [];
  for (let i = 0; i < batch.length; i += 7) sevens.push(...mapRecords(batch.slice(i, i + 7), { harvestedAt: HARVESTED }));
  assert.equal(sevens, one);
});

test('every record of every fixture family and 140 generated samples: nothing dropped behind the crosswalk, every warning at a source path', async () => {
  let records = 0;
  for (const [family, list] of Object.entries(FAMILIES)) {
    for (const file of list) {
      const m = await mapText(file, readFileSync(file, 'utf8'));
      records += m.ok.length;
      for (const r of m.ok) {
        for (const w of r.warnings) {
          assert.not.ok(w.message.includes(DROPPED), `${file} ${r.id}: ${w.at}: ${w.message}`);
          assert.match(w.at, SOURCE_PATH[family], `${file} ${r.id}: "${w.at}" is not a path of ${family}`);
        }
      }
    }
  }
  assert.is(records, 59, 'records mapped');
  // one period in seven of the generated samples is open ("now"): i = 0, 7, 14...
  for (let i = 0; i < 140; i++) {
    const m = await mapText(`generated-${i}.xml`, generateIsoRecord(i));
    assert.is(m.ok.length, 1);
    assert.equal(m.ok[0].warnings, [], `generated record ${i}`);
  }
});

test('the real records whose contact web address has no scheme: the warning names the party element it is in', async () => {
  const at = async (file: string) => {
    const m = await mapText(file, readFileSync(file, 'utf8'));
    return m.ok[0].warnings
      .filter((w) => w.message.includes('is not an absolute URL'))
      .map(({ at, message, code }) => ({ at, message, code }));
  };
  assert.equal(await at(sharedFixture('iso19139', 'owslib-9250AA67-F3AC-6C12-0CB9-0662231AA181_iso.xml')), [
    {
      at: 'gmd:identificationInfo/*/gmd:citation/*/gmd:citedResponsibleParty/*/gmd:contactInfo/*/gmd:onlineResource/*/gmd:linkage',
      message:
        '"DisplayFullMetadata.jsp?id=FBAED13B-DF3C-9CCC-95A6-27BEB390001C" is not an absolute URL (it has no scheme such as https:, and none is guessed): the contact\'s web address is left out',
      code: 'iso.contact.urlNotAbsolute',
    },
  ]);
  assert.equal(await at(sharedFixture('iso19139', 'owslib-csw_iso_identifier.xml')), [
    {
      at: 'gmd:distributionInfo/*/gmd:distributor/*/gmd:distributorContact/*/gmd:contactInfo/*/gmd:onlineResource/*/gmd:linkage',
      message:
        '"www.defensie.nl/hydro" is not an absolute URL (it has no scheme such as https:, and none is guessed): the contact\'s web address is left out',
      code: 'iso.contact.urlNotAbsolute',
    },
  ]);
});

// ------------------------------------------------------------------------------------------------ altered copies

/** The fixture's text with `from` replaced by `to` (the test fails if the fixture no longer holds `from`). */
function altered(file: string, from: string, to: string): string {
  const text = readFileSync(file, 'utf8');
  assert.ok(text.includes(from), `${file} holds ${from}`);
  return text.replace(from, to);
}

test('a URL with characters an IRI may not hold (a space, |, {}, "): kept, percent-encoded as a browser sends it', async () => {
  const file = sharedFixture('iso19139', 'owslib-csw_geobretagne_mdmetadata.xml');
  const m = await mapText(
    file,
    altered(file, '<gmd:URL>http://www.cadastre.gouv.fr</gmd:URL>', '<gmd:URL> http://www.cadastre.gouv.fr/a b|{c}"d </gmd:URL>'),
  );
  const pages = m.ok[0].record.landingPage!.map((p) => p['@id']);
  assert.ok(pages.includes('http://www.cadastre.gouv.fr/a%20b%7C%7Bc%7D%22d'), pages.join(' '));
  assert.equal(m.ok[0].warnings, []);
  // STAC: an asset href and a provider URL
  const stac = sharedFixture('stac', 'collectionless-item.json');
  const json = JSON.parse(readFileSync(stac, 'utf8'));
  json.assets.analytic.href += '?bands={1,2}|x y';
  json.properties.providers[0].url += '/a b';
  const s = await mapText(stac, JSON.stringify(json));
  const urls = s.ok[0].record.distribution!.map((d) => d.accessURL);
  assert.ok(urls.includes('http://cool-sat.com/catalog/CS3-20160503_132130_04/analytic.tif?bands=%7B1,2%7D%7Cx%20y'), urls.join(' '));
  assert.ok(JSON.stringify(s.ok[0].record).includes('"homepage":"http://remotedata.it/a%20b"'));
  assert.not.ok(s.ok[0].warnings.some((w) => w.message.includes(DROPPED)));
});

test('a licence Anchor whose href is not an IRI: the licence is read from its text, the warning names the Anchor and the value', async () => {
  const file = sharedFixture('iso19115-3', 'owslib-metawal.wallonie.be-catchments.xml');
  const href = 'https://geoportail.wallonie.be/files/documents/ConditionsSPW/DataSPW-CGU.pdf';
  const m = await mapText(
    file,
    altered(file, `xlink:href="${href}"`, 'xlink:href="geoportail.wallonie.be/files/documents/ConditionsSPW/DataSPW-CGU.pdf"'),
  );
  const before = await mapText(file, readFileSync(file, 'utf8'));
  const { record, warnings } = m.ok[0];
  assert.equal(warnings, [
    {
      at: 'mdb:identificationInfo/*/mri:resourceConstraints/*/mco:otherConstraints/gcx:Anchor/@xlink:href',
      message:
        '"geoportail.wallonie.be/files/documents/ConditionsSPW/DataSPW-CGU.pdf" is not an absolute IRI (it has no scheme such as https:, and none is guessed): the constraint is read from its text alone',
      code: 'iso.constraint.notIriText',
      params: { link: 'geoportail.wallonie.be/files/documents/ConditionsSPW/DataSPW-CGU.pdf' },
    },
  ]);
  // the same licences, but the one whose link was broken has no IRI, only its text
  const labels = (r: HubRecord) => (r.license ?? []).map((l) => JSON.stringify(l.label));
  assert.equal(labels(record), labels(before.ok[0].record));
  assert.ok(before.ok[0].record.license!.some((l) => l['@id'] === href));
  assert.not.ok(record.license!.some((l) => l['@id'] === href));
});

test('an ISO period that begins after it ends: left out, the warning names the TimePeriod and both dates', async () => {
  const file = sharedFixture('iso19139', 'owslib-iso_keywords_anchor.xml');
  const text = readFileSync(file, 'utf8');
  const begin = /<gml:beginPosition>([^<]+)<\/gml:beginPosition>/.exec(text)![1];
  const end = /<gml:endPosition>([^<]+)<\/gml:endPosition>/.exec(text)![1];
  const m = await mapText(file, altered(file, `<gml:beginPosition>${begin}`, `<gml:beginPosition>2999${begin.slice(4)}`));
  assert.is(m.ok[0].record.temporal, undefined);
  assert.ok(
    m.ok[0].warnings.some(
      (w) =>
        w.at === 'gmd:identificationInfo/*/gmd:extent/*/gmd:temporalElement/*/gmd:extent/gml:TimePeriod' &&
        w.message === `begins 2999${begin.slice(4)} after it ends ${end}: period left out`,
    ),
    JSON.stringify(m.ok[0].warnings),
  );
});

test('a value the schema refuses that a crosswalk let through: the warning names where it comes from in the source format', () => {
  assert.is(
    recordWhere('iso19139', '/creator/0/memberOf/homepage'),
    'gmd:identificationInfo/*/gmd:citation/*/gmd:citedResponsibleParty with gmd:role "author" or "originator"',
  );
  assert.is(recordWhere('stac', '/distribution/2/accessURL'), 'assets.*.href, links');
  assert.is(recordWhere('ozcar', '/distribution/0/license/@id'), '/metadata/dataConstraint/licence (title and url)');
  assert.is(recordWhere('iso19115-3', '/depiction/0'), 'mdb:identificationInfo/*/mri:graphicOverview/*/mcc:fileName');
  assert.is(recordWhere('stac', '/samplingFeature/0'), "(the hub record's /samplingFeature/0)");
});

// ------------------------------------------------------------------------------------------------ every value broken

/** A record may fail only over its identifier or its title (the mandatory values), or a file that is no longer one. */
const MANDATORY = /title|identifier|\bid\b|datasetId|not a record format|no identificationInfo|not an ISO/i;

/** The values whose break makes the whole file unreadable as what it was: a STAC document's `type`. */
const FILE_LEVEL = new Set(['type']);

/** The JSON Pointer of a mutant's value in its file (`datasets.*.metadata.title` of dataset 0: /datasets/0/metadata/title). */
const pointerOf = (where: string): RegExp =>
  new RegExp(
    '^/' +
      where
        .split('.')
        .map((k) => (k === '*' ? '\\d+' : k.replace(/[$()*+.?[\\\]^{|}]/g, '\\$&')))
        .join('/') +
      '$',
  );

/**
 * Every value of the family's fixtures broken in turn. `refusedAt`: for OZCAR, the harvester's check of the pivot
 * schema refuses a dataset (or the file, for its envelope) whose values the schema does not allow: then its message
 * must name the value's JSON Pointer and the value.
 */
async function breakEveryValue(
  family: string,
  mutants: (text: string, seen: Set<string>) => Iterable<Mutant>,
  pivotChecked = false,
): Promise<{ variants: number; warned: number; refused: number }> {
  let variants = 0;
  let warned = 0;
  let refusedByPivot = 0;
  const refused = new Set<string>();
  // one variant per kind of break and place in the family's format (an element path, a JSON path)
  const seen = new Set<string>();
  /** Whether a refusal names the broken value where it is, with the value. */
  const namesIt = (mutant: Mutant, message: string): boolean =>
    [...message.matchAll(/(\/[^\s:]*): (?:"(.*?)"|(\S+))/g)].some((m) => pointerOf(mutant.where).test(m[1])) &&
    // the value, perhaps cut (long values are shown in part)
    (message.includes(JSON.stringify(mutant.to).slice(0, 60)) || message.includes(String(mutant.to).slice(0, 60)));
  for (const file of FAMILIES[family]) {
    const text = readFileSync(file, 'utf8');
    const before = await mapText(file, text);
    for (const mutant of mutants(text, seen)) {
      variants++;
      let after: Mapped;
      try {
        after = await mapText(file, mutant.text);
      } catch (e) {
        // the file itself is no longer readable as what it was (its STAC type, its pivot version blanked)
        const message = (e as Error).message;
        refused.add(mutant.where);
        if (pivotChecked && (mutant.where === 'version' || namesIt(mutant, message))) {
          refusedByPivot++;
          continue;
        }
        assert.ok(FILE_LEVEL.has(mutant.where), `${mutant.kind} at ${mutant.where}: the file is refused: ${message}`);
        continue;
      }
      const what = `${file.split('/').pop()}: ${mutant.kind} at ${mutant.where} (${JSON.stringify(mutant.from)} -> ${JSON.stringify(mutant.to)})`;
      const byPivot = pivotChecked && after.failed.length > 0 && after.failed.every((f) => f.stage === 'parse' && namesIt(mutant, f.error));
      if (byPivot) refusedByPivot++;
      else for (const f of after.failed) assert.match(f.error, MANDATORY, `${what}: a record is lost: ${f.stage}: ${f.error}`);
      if (after.failed.length === 0) assert.is(after.ok.length, before.ok.length, `${what}: records`);
      for (const r of after.ok) {
        for (const w of r.warnings) assert.not.ok(w.message.includes(DROPPED), `${what}: ${w.at}: ${w.message}`);
      }
      const more = after.ok.reduce((n, r) => n + r.warnings.length, 0) - before.ok.reduce((n, r) => n + r.warnings.length, 0);
      if (more > 0) warned++;
    }
  }
  console.log(`    ${family}: ${variants} broken variants, ${warned} with a warning more, none with a value dropped behind the crosswalk`);
  if (refused.size) console.log(`    ${family}: files refused as a whole when broken at ${[...refused].join(', ')}`);
  if (pivotChecked)
    console.log(`    ${family}: ${refusedByPivot} refused by the pivot schema check, each naming the value and its JSON Pointer`);
  return { variants, warned, refused: refusedByPivot };
}

test('every value of every ISO 19139 fixture broken in turn: no record lost over an optional value, nothing dropped without its source path', async () => {
  const { variants } = await breakEveryValue('iso19139', xmlMutants);
  assert.ok(variants > 800, `${variants}`);
});

test('the same on every ISO 19115-3 fixture', async () => {
  const { variants } = await breakEveryValue('iso19115-3', xmlMutants);
  assert.ok(variants > 500, `${variants}`);
});

test('the same on every STAC fixture', async () => {
  const { variants } = await breakEveryValue('stac', jsonMutants);
  assert.ok(variants > 400, `${variants}`);
});

test('the same on the OZCAR pivot files (TOUR, KARS, CATC); what the pivot schema check refuses, it names with its JSON Pointer and value', async () => {
  FAMILIES.ozcar = FAMILIES.ozcar.filter((f) => !f.endsWith('CRYO_en.json'));
  const { variants } = await breakEveryValue('ozcar', jsonMutants, true);
  assert.ok(variants > 200, `${variants}`);
});

test('a parse error names the line of the file, for a bare record after its XML declaration and for the records of a CSW page', async () => {
  const errorOf = async (path: string, text: string) => {
    const out: string[] = [];
    for await (const item of itemsFromText(path, text, 'fx')) {
      assert.is(item.kind, 'record');
      if (item.kind !== 'record') continue;
      const r = mapRecord(item.raw, { harvestedAt: HARVESTED });
      out.push(r.ok ? 'ok' : `${r.stage}: ${r.error}`);
    }
    return out;
  };
  // the broken fixture: its end tag </gmd:fileIdent> is on line 5 of the file (line 4 of the record, which starts on line 2)
  const broken = readFileSync(projectPath('test', 'fixtures', 'iso', 'mismatched-tags.xml'), 'utf8');
  assert.is(broken.split('\n').findIndex((l) => l.includes('</gmd:fileIdent>')) + 1, 5);
  assert.equal(await errorOf('/x/mismatched-tags.xml', broken), [
    'parse: malformed XML at line 5, column 3: end tag </gmd:fileIdent> does not match start tag <gmd:fileIdentifier>',
  ]);
  // a CSW page of two records, the second with a repeated attribute on the page's line 9
  const md = (id: string, inner = '') =>
    `<gmd:MD_Metadata xmlns:gmd="http://www.isotc211.org/2005/gmd" xmlns:gco="http://www.isotc211.org/2005/gco">\n<gmd:fileIdentifier><gco:CharacterString>${id}</gco:CharacterString></gmd:fileIdentifier>${inner}\n</gmd:MD_Metadata>`;
  const page = [
    '<?xml version="1.0"?>',
    '<csw:GetRecordsResponse xmlns:csw="http://www.opengis.net/cat/csw/2.0.2">',
    '<csw:SearchResults numberOfRecordsMatched="2" numberOfRecordsReturned="2" nextRecord="0">',
    md('a'),
    md('b', '\n<gmd:x a="1" a="2"/>'),
    '</csw:SearchResults></csw:GetRecordsResponse>',
  ].join('\n');
  const errors = await errorOf('/x/page.xml', page);
  assert.is(errors.length, 2);
  assert.match(errors[0], /^map: /); // (no title: mapped, refused by the crosswalk, not a parse error)
  assert.is(page.split('\n').findIndex((l) => l.includes('a="2"')) + 1, 9);
  assert.match(errors[1], /^parse: malformed XML at line 9, column \d+: attribute a repeated in <gmd:x>/);
});

test.run();
