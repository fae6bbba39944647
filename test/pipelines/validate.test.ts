/**
 * pipelines/validate.ts on every fixture family (ISO 19139, ISO 19115-3, STAC, OZCAR, valid and broken): the expected
 * errors and warnings, each with where it belongs in the source format; XML schemas (--xsd, --strict); Theia categories
 * (built-in list and a SKOS thesaurus); the summary; nothing needs Elasticsearch.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readThesaurus } from '../../pipelines/theia.js';
import { validateXsd } from '../../pipelines/xsd.js';
import { validateToReport, validateToSpool, type ValidateInput } from '../../pipelines/validate.js';
import { textReport } from '../../pipelines/report/text.js';
import type { RecordReport, ValidationReport } from '../../pipelines/report/types.js';
import { projectPath, sharedFixture } from '../../schemas/paths.js';
import { readdirSync } from 'node:fs';
import { warningLine } from '../../core/warnings.js';
import { embeddedSeries, MEMBER_ID, SERIES_ID } from '../helpers/series.js';
import { writeFeeds } from '../fixtures/ozcar/feeds.js';
import { restoReplay } from '../fixtures/resto/replay.js';
import { replayServer } from '../helpers/replay.js';

const files = (...dir: string[]): ValidateInput[] =>
  readdirSync(sharedFixture(...dir))
    .filter((f) => /\.(xml|json)$/.test(f))
    .sort()
    .map((f) => ({ file: sharedFixture(...dir, f) }));

const find = (r: ValidationReport, id: string): RecordReport => {
  const rec = r.records.find((x) => x.id === id);
  if (!rec) throw new Error(`no record ${id} in ${r.records.map((x) => x.id).join(', ')}`);
  return rec;
};
const lines = (rec: RecordReport) => rec.warnings.map(warningLine);

test('every ISO 19139 and 19115-3 fixture: no blocking error, a FAIR assessment each, warnings at ISO element paths', async () => {
  const r = await validateToReport([...files('iso19139'), ...files('iso19115-3')]);
  assert.is(r.summary.records, 31);
  assert.is(r.summary.withErrors, 0);
  assert.is(r.exitCode, 0);
  assert.ok(r.records.every((x) => x.fair && x.fair.mqa.indicators.length === 23 && x.fair.fuji.metrics.length === 17));
  assert.ok(
    lines(find(r, 'ie.marine.data:dataset.1135')).includes(
      'gmd:identificationInfo/*/gmd:extent/*/gmd:geographicElement/gmd:EX_BoundingPolygon/gmd:polygon: unsupported or non-geographic GML LineString: bounding polygon ignored',
    ),
  );
  // the ArcGIS 19115-3 export: its file identifier is a label, its dates have no type
  const arcgis = r.records.find((x) => x.format === 'iso19115-3' && x.location.endsWith('owslib-arcgis-sample.xml'))!;
  assert.ok(
    arcgis.warnings.every((w) => !w.at.startsWith('gmd:')),
    'a 19115-3 record is told in its own encoding',
  );
  // summary: counts add up, rating counts and the distribution too
  const s = r.summary;
  assert.is(s.ok + s.withWarnings + s.withErrors, s.records);
  assert.is(
    Object.values(s.mqa.ratings).reduce((a, b) => a + b, 0),
    31,
  );
  assert.is(
    Object.values(s.mqa.distribution).reduce((a, b) => a + b, 0),
    31,
  );
  assert.is(s.mqa.notChecked, 80);
  // the worst first: warnings before ok, lower MQA points first among equals
  const rank = { error: 0, warnings: 1, ok: 2 };
  for (let i = 1; i < r.records.length; i++) assert.ok(rank[r.records[i - 1].status] <= rank[r.records[i].status]);
});

test('STAC: warnings at STAC fields; a catalog is walked once, each document reported once', async () => {
  const r = await validateToReport(files('stac'));
  // catalog.json links to its children in sub-folders; the shared copies are flattened: each missing child is said
  const missing = r.records.filter((x) => x.status === 'error');
  assert.equal(
    missing.map((x) => x.errors[0].message.replace(sharedFixture('stac'), '')),
    [
      '/collection-only/collection-with-schemas.json: not found',
      '/collection-only/collection.json: not found',
      '/extensions-collection/collection.json: not found',
    ],
  );
  const item = r.records.find((x) => x.location.endsWith('core-item.json'))!;
  assert.equal(item.warnings, [{ at: 'license', message: 'missing: the terms of use are unknown', code: 'stac.license.missing' }]);
  const lonely = r.records.find((x) => x.location.endsWith('collectionless-item.json'))!;
  assert.ok(lonely.warnings.some((w) => w.at === 'collection'));
  const locations = r.records.map((x) => x.location);
  assert.is(new Set(locations).size, locations.length, 'no document twice');
});

test('OZCAR: broken files and datasets are errors naming the JSON path; dropped observations and categories are warnings', async () => {
  const feeds = writeFeeds();
  try {
    const r = await validateToReport([
      ...files('ozcar'),
      ...files('ozcar', 'invalid'),
      { file: feeds.paths.untitled },
      { file: feeds.paths.badObservation },
    ]);
    const invalidJson = find(r, sharedFixture('ozcar', 'invalid', 'CATC_en_invalidJsonFile.json'));
    assert.match(invalidJson.errors[0].message, /neither XML nor valid JSON/);
    const misspelt = find(r, sharedFixture('ozcar', 'invalid', 'CATC_en_invalidFormat.json'));
    assert.match(misspelt.errors[0].message, /\/version is required at the root \(found "versions" instead/);
    const untitled = r.records.find((x) => x.location === `${feeds.paths.untitled}#/datasets/1`)!;
    assert.is(untitled.status, 'error');
    assert.match(untitled.errors[0].message, /\/datasets\/1\/metadata\/title|\/metadata\/title/);
    // the category of CATC_en_wrong_category.json: broad, its narrower categories named
    const wrong = find(r, 'CATC_DAT_AE.H2OFlux_Odc');
    const cat = wrong.warnings.find((w) => w.at === '/observations/0/observedProperty/theiaCategories/0');
    assert.ok(cat, lines(wrong).join('\n'));
    assert.match(
      cat.message,
      /https:\/\/w3id\.org\/ozcar-theia\/atmosphere is a broad category.*narrower categories \(solidPrecipitation, .*wind, surfaceFluxes\)/,
    );
    // a dropped observation: a warning at its path in the file
    const dropped = r.records.filter((x) => x.location.startsWith(feeds.paths.badObservation));
    assert.ok(dropped.some((x) => x.warnings.some((w) => /^\/datasets\/0\/observations\/\d+$/.test(w.at) && /dropped/.test(w.message))));
    // the valid files: no error; the real categories of CRYO/TOUR/KARS/CATC are known leaves
    for (const x of r.records.filter((y) => /\/(CATC|CRYO|KARS|TOUR)_en\.json#/.test(y.location)))
      assert.not.ok(
        x.warnings.some((w) => /theiaCategories/.test(w.at)),
        `${x.id}: ${lines(x).join('; ')}`,
      );
    assert.is(r.exitCode, 1, 'a record cannot be harvested');
  } finally {
    rmSync(feeds.dir, { recursive: true, force: true });
  }
});

test('Theia categories against a SKOS thesaurus (--thesaurus): broad names its narrower, unknown is said', async () => {
  const thesaurus = await readThesaurus(projectPath('test', 'fixtures', 'theia', 'thesaurus.ttl'));
  assert.is(thesaurus.known.size, 5);
  const r = await validateToReport(
    [{ file: sharedFixture('ozcar', 'invalid', 'CATC_en_wrong_category.json') }, { file: sharedFixture('ozcar', 'KARS_en.json') }],
    { thesaurus },
  );
  const wrong = find(r, 'CATC_DAT_AE.H2OFlux_Odc');
  assert.ok(
    lines(wrong).some((l) =>
      /theiaCategories\/0: https:\/\/w3id\.org\/ozcar-theia\/atmosphere is a broad category .*\(wind, atmosphericChemistry\)/.test(l),
    ),
  );
  const kars = r.records.find((x) => x.location.includes('KARS_en.json'))!;
  assert.ok(
    kars.warnings.some((w) =>
      /karsticWaterGlobalIndices is not a category of the Theia\/OZCAR thesaurus \(checked against the SKOS thesaurus/.test(w.message),
    ),
  );
  await readThesaurus(projectPath('package.json')).then(
    () => assert.unreachable('package.json is no thesaurus'),
    (err: Error) => assert.match(err.message, /--thesaurus .*package\.json/),
  );
});

test('--xsd: schema errors are warnings with their line and element; --strict makes them blocking; gmi is not validated', async () => {
  const inputs = [
    { file: sharedFixture('iso19139', 'owslib-csw_geobretagne_mdmetadata.xml') },
    { file: sharedFixture('iso19139', 'owslib-csw_iso_identifier.xml') },
    { file: sharedFixture('iso19139', 'owslib-iso_mi.xml') },
  ];
  const r = await validateToReport(inputs, { xsd: true });
  const valid = r.records.find((x) => x.location.endsWith('geobretagne_mdmetadata.xml'))!;
  assert.equal(valid.xsd, { status: 'valid' });
  const bad = r.records.find((x) => x.location.endsWith('owslib-csw_iso_identifier.xml'))!;
  assert.is(bad.xsd!.status, 'invalid');
  assert.ok(
    bad.warnings.some(
      (w) => w.at === 'line 548, element BaseUnit' && /^XML schema: Element '\{http:\/\/www\.opengis\.net\/gml\}BaseUnit'/.test(w.message),
    ),
    lines(bad).join('\n'),
  );
  const mi = r.records.find((x) => x.location.endsWith('owslib-iso_mi.xml'))!;
  assert.equal(mi.xsd, { status: 'not validated', reason: 'no XML schema of ISO 19115-2 (gmi) is shipped: not validated' });
  assert.is(r.exitCode, 0);
  const strict = await validateToReport(inputs, { xsd: true, strict: true });
  const blocked = strict.records.find((x) => x.location.endsWith('owslib-csw_iso_identifier.xml'))!;
  assert.is(blocked.status, 'error');
  assert.equal(blocked.errors[0].stage, 'xsd');
  assert.is(blocked.errors[0].at, 'line 548, element BaseUnit');
  // (blocking, it keeps the code of xmllint's form: the French report says it in French)
  assert.is(blocked.errors[0].code, 'xsd.element');
  assert.is(strict.exitCode, 1);
});

test("--xsd: every message xmllint writes over the fixtures' XML files is of a known form (core/texts/messages-en.ts xsd.*)", async () => {
  const files = [sharedFixture(), projectPath('test', 'fixtures'), projectPath('samples')].flatMap((root) =>
    (readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith('.xml')).map((f) => join(root, f)),
  );
  assert.ok(files.length >= 100, `${files.length} files`);
  const verdicts = await validateXsd(files.map((f) => readFileSync(f, 'utf8')));
  const errors = verdicts.flatMap((v) => (v.status === 'invalid' ? v.errors : []));
  assert.ok(errors.length >= 80, `${errors.length} messages`);
  assert.equal(
    errors.filter((e) => !e.code).map((e) => e.message),
    [],
  );
  // the form inside the element's (or attribute's) wrapper
  const form = (p: { code?: string; params?: Record<string, unknown> }): string => (p.params?.xsd ? form(p.params.xsd) : p.code!);
  const forms = new Set(errors.map(form));
  assert.ok(forms.size >= 15, [...forms].join(', '));
  for (const f of [
    'xsd.notExpectedOneOf',
    'xsd.attributeRequired',
    'xsd.missingChild',
    'xsd.characterContent',
    'xsd.atomicType',
    'xsd.tagMismatch',
  ])
    assert.ok(forms.has(f), f);
});

test('--fail-under: records under the MQA points make the exit status 1', async () => {
  const r = await validateToReport([{ file: sharedFixture('stac', 'collection.json') }, { file: sharedFixture('ozcar', 'TOUR_en.json') }], {
    failUnder: 150,
  });
  assert.is(r.summary.withErrors, 0);
  assert.is(r.summary.belowFailUnder, 1); // the STAC collection (100 points), not TOUR (205)
  assert.is(r.exitCode, 1);
});

test('on the worker pool: the same reports, in the same order, as in the calling thread', async () => {
  const inputs = [...files('iso19139'), ...files('stac'), { file: sharedFixture('ozcar', 'TOUR_en.json') }];
  const here = await validateToReport(inputs, { workers: 0 });
  const pooled = await validateToReport(inputs, { workers: 2 });
  assert.equal(pooled.records, here.records);
  assert.equal(pooled.summary, here.summary);
});

test('a record the harvest would skip (ISO XML in another namespace) is an error of the report, as `map` fails it, not a silent notice', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'validate-ns-'));
  try {
    const file = join(dir, 'wrong-namespace.xml');
    const iso = readFileSync(sharedFixture('iso19139', 'pycsw-apiso-test.xml'), 'utf8');
    writeFileSync(file, iso.replaceAll('http://www.isotc211.org/2005/gmd', 'http://example.org/not-gmd'));
    const r = await validateToReport([{ file }, { file: sharedFixture('iso19139', 'pycsw-apiso-test.xml') }]);
    assert.is(r.summary.records, 2);
    assert.is(r.summary.withErrors, 1);
    assert.is(r.exitCode, 1);
    const rec = r.records.find((x) => x.location === file)!;
    assert.is(rec.status, 'error');
    assert.is(rec.errors[0].stage, 'map');
    assert.match(rec.errors[0].message, /http:\/\/example\.org\/not-gmd.*: the harvest would skip it$/);
    assert.equal(r.notices, []);
    // a STAC catalog given as a record is still no record of its own, said once
    const catalog = await validateToReport([{ file: sharedFixture('stac', 'catalog.json') }]);
    assert.not.ok(catalog.records.some((x) => x.errors.some((e) => /skip it/.test(e.message))));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('sources that hold no record (a CSW answer of 0 records): nothing validated is not a pass, and the text report says so', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'validate-none-'));
  try {
    // pycsw's answer to a GetRecords that matched nothing
    const file = join(dir, 'GetRecords-none.xml');
    const all = readFileSync(sharedFixture('csw', 'pycsw-apiso-GetRecords-all.xml'), 'utf8');
    const open = all.indexOf('<csw:SearchResults');
    const none =
      all.slice(0, open) +
      '<csw:SearchResults numberOfRecordsMatched="0" numberOfRecordsReturned="0" nextRecord="0" recordSchema="http://www.isotc211.org/2005/gmd" elementSet="full"/>\n</csw:GetRecordsResponse>\n';
    writeFileSync(file, none);
    const spooled = await validateToSpool([{ file }]);
    try {
      assert.is(spooled.head.summary.records, 0);
      assert.is(spooled.head.exitCode, 1);
      const text = [...textReport(spooled.head, spooled.records)].join('');
      assert.match(text, /No record was found in the sources: nothing would be harvested\.\n$/);
      assert.not.match(text, /Every record can be harvested/);
    } finally {
      spooled.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an ISO dataset series embedding 2 members: 3 records reported, the members located in the file, a DC csw:Record read', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'validate-series-'));
  try {
    const file = join(dir, 'series.xml');
    writeFileSync(file, embeddedSeries().xml);
    const r = await validateToReport([{ file }, { file: projectPath('test', 'fixtures', 'csw', 'pycsw-cite-Record_94bc9c83.xml') }]);
    assert.is(r.records.length, 4);
    assert.is(r.summary.records, 4);
    assert.equal(
      [SERIES_ID, MEMBER_ID, `${SERIES_ID}/member-2`].map((id) => find(r, id).location.replace(dir + '/', '')),
      ['series.xml', 'series.xml member 1 of 2', 'series.xml member 2 of 2'],
    );
    assert.is(find(r, 'urn:uuid:94bc9c83-97f6-4b40-9eb8-a8e8787a5c63').format, 'csw-record');
    assert.is(r.exitCode, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a resto catalogue (--type resto): the fixes and warnings name resto properties, never OZCAR JSON Pointers', async () => {
  // the replay's collections are resto 2.5.2's own examples (S2_PEPS, Landsat_CNES, S1): osDescription, license, status
  const srv = await replayServer(restoReplay({ products: { S2: 2, Landsat: 0, S1: 1, LOOP: 0, BROKEN: 0 }, items: 0 }));
  try {
    const r = await validateToReport([{ url: `${srv.url}/resto`, type: 'resto' }], { http: { retries: 0 } });
    assert.is(r.summary.records, 5);
    assert.ok(r.records.every((x) => x.format === 'resto-collection' && x.fair));
    const wheres = r.records.flatMap((x) => [
      ...x.warnings.map((w) => w.at),
      ...[...x.fair!.mqa.indicators, ...x.fair!.fuji.metrics].flatMap((i) => (i.fix ? i.fix.where.split('; ') : [])),
    ]);
    assert.ok(wheres.length > 50, `${wheres.length} places named`);
    for (const w of wheres) {
      assert.not.match(w, /\/(metadata|producer|observations)\b/, w);
      assert.match(w, /^(properties\.|geometry|osDescription\.|status |\(|the whole record)/, w);
    }
    const fixes = find(r, 'S2').fair!.mqa.indicators;
    const fixOf = (id: string) => fixes.find((i) => i.id === id)?.fix?.where;
    // a resto 2 collection has no extent: its products do (GeoJSON geometry, properties.startDate)
    assert.is(fixOf('spatial'), 'geometry (a collection has no extent field: its products have one)');
    assert.match(fixOf('downloadUrl') ?? '', /^properties\.services\.download\.url\b/);
    assert.match(fixOf('publisher') ?? '', /^properties\.organisationName\b/);
  } finally {
    await srv.close();
  }
});

test.run();
