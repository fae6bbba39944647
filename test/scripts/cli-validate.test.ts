/**
 * `harvester validate` as a data centre runs it (the installed bin): the JUnit report read by junitparser (PyPI, one
 * test case per record), the JSON report validated against schemas/validation-report.schema.json, the HTML report
 * opened in headless Chromium (its summary and a record's fixes on the page, a screenshot kept under test-artifacts/),
 * the text report, exit statuses 0, 1 and 2; the report's spool file removed after a report, on a failure and on Ctrl-C.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from '../helpers/chromium.js';
import { harvesterBin } from '../helpers/bin.js';
import { ensurePythonVenv, venvBin } from '../../scripts/services/python.js';
import { projectPath, sharedFixture } from '../../schemas/paths.js';
import { restoReplay } from '../fixtures/resto/replay.js';
import { replayServer } from '../helpers/replay.js';

const bin = harvesterBin();
const ISO = sharedFixture('iso19139');
const WRONG = sharedFixture('ozcar', 'invalid', 'CATC_en_wrong_category.json');
const TOUR = sharedFixture('ozcar', 'TOUR_en.json');

test.after(() => bin.cleanup());

test('JUnit XML: junitparser reads one test case per record; a record with a blocking error is a failure', async () => {
  await ensurePythonVenv();
  const out = join(bin.dir, 'report.xml');
  const r = bin.run(
    'validate',
    ISO,
    WRONG,
    sharedFixture('ozcar', 'invalid', 'CATC_en_invalidJsonFile.json'),
    '--format',
    'junit',
    '--out',
    out,
  );
  assert.is(r.code, 1, r.err);
  assert.match(r.err, /^29 records, 1 with errors, \d+ with warnings, MQA average [\d.]+: report in /);
  const py = `
import json, sys
from junitparser import JUnitXml, Failure
xml = JUnitXml.fromfile(sys.argv[1])
cases = []
for suite in xml:
    for case in suite:
        cases.append({"suite": suite.name, "name": case.name, "failed": any(isinstance(r, Failure) for r in case.result),
                      "message": next((r.message for r in case.result if isinstance(r, Failure)), None), "out": case.system_out,
                      "file": case._elem.get("file")})
print(json.dumps({"tests": xml.tests, "failures": xml.failures, "cases": cases}))
`;
  const p = spawnSync(venvBin('python'), ['-c', py, out], { encoding: 'utf8' });
  assert.is(p.status, 0, p.stderr);
  const parsed = JSON.parse(p.stdout) as {
    tests: number;
    failures: number;
    cases: { suite: string; name: string; failed: boolean; message: string | null; out: string; file: string | null }[];
  };
  assert.is(parsed.tests, 29, 'one test case per record: 27 ISO files, the OZCAR dataset, the unreadable file');
  assert.is(parsed.cases.length, 29);
  assert.is(parsed.failures, 1);
  const failed = parsed.cases.filter((c) => c.failed);
  assert.is(failed.length, 1);
  assert.match(failed[0].message!, /neither XML nor valid JSON/);
  const ozcar = parsed.cases.find((c) => c.name === 'CATC_DAT_AE.H2OFlux_Odc')!;
  assert.is(ozcar.suite, 'ozcar-dataset');
  // the file a CI server links to: the file itself, not "file.json#/datasets/0"
  assert.is(ozcar.file, resolve(WRONG));
  assert.match(
    ozcar.out,
    /warning \/observations\/0\/observedProperty\/theiaCategories\/0: https:\/\/w3id\.org\/ozcar-theia\/atmosphere is a broad category/,
  );
  assert.ok(parsed.cases.some((c) => c.suite === 'iso19139' && c.name === '955c3e47-411e-4969-b61b-3556d1b9f879'));
});

test('JSON report: valid against its schema; exit 0 when every record can be harvested', () => {
  const r = bin.run('validate', ISO, TOUR, sharedFixture('stac', 'core-item.json'), '--format', 'json');
  assert.is(r.code, 0, r.err);
  const report = JSON.parse(r.out) as { summary: { records: number }; records: { id: string }[] };
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats.default(ajv);
  const schema = JSON.parse(readFileSync(projectPath('schemas', 'validation-report.schema.json'), 'utf8')) as object;
  const validate = ajv.compile(schema);
  assert.ok(validate(report), JSON.stringify(validate.errors?.slice(0, 3)));
  assert.is(report.summary.records, 29);
  // the schema is not a formality: a report with a record lacking its status is refused
  const broken = structuredClone(report) as { records: Record<string, unknown>[] };
  delete broken.records[0].status;
  assert.not.ok(validate(broken));
});

test('a resto catalogue (--type resto): its collections are validated, their fixes name resto properties', async () => {
  // a replay of resto 2 (test/fixtures/resto/replay.ts): the collection descriptions of resto 2.5.2's examples
  const srv = await replayServer(restoReplay({ products: { S2: 1, Landsat: 0, S1: 0, LOOP: 0, BROKEN: 0 }, items: 0 }));
  try {
    const r = await bin.runAsync({}, 'validate', `${srv.url}/resto`, '--type', 'resto', '--format', 'json');
    assert.is(r.code, 0, r.err);
    type Fixes = { fix?: { where: string } }[];
    const report = JSON.parse(r.out) as { records: { id: string; format: string; fair: { mqa: { indicators: Fixes } } }[] };
    assert.equal(report.records.map((x) => x.id).sort(), ['BROKEN', 'LOOP', 'Landsat_CNES', 'S1', 'S2']);
    assert.ok(report.records.every((x) => x.format === 'resto-collection'));
    const wheres = report.records.flatMap((x) => x.fair.mqa.indicators.flatMap((i) => (i.fix ? [i.fix.where] : [])));
    assert.ok(wheres.includes('properties.services.download.url, properties.services.browse.layer.url'), wheres.join('\n'));
    for (const w of wheres) assert.not.match(w, /\/(metadata|producer|observations)\b/, w);
  } finally {
    await srv.close();
  }
});

test("HTML report: one self-contained page; Chromium shows the summary, the rating bands and a record's fixes", async () => {
  const out = join(bin.dir, 'report.html');
  const r = bin.run('validate', TOUR, WRONG, sharedFixture('iso19139', 'owslib-csw_iso_identifier.xml'), '--format', 'html', '--out', out);
  assert.is(r.code, 0, r.err);
  const html = readFileSync(out, 'utf8');
  assert.not.match(html, /<script|<link |https?:\/\/[^"'<> ]*\.(js|css)\b/, 'no script, no stylesheet from elsewhere');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
  });
  try {
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on('request', (req) => requests.push(req.url()));
    await page.goto('file://' + out);
    const summary = await page.locator('#summary').innerText();
    assert.match(summary, /3 records: 0 ok, 3 with warnings, 0 with errors/);
    assert.match(summary, /MQA \(data\.europa\.eu, 405 points\): average 227\.2/);
    assert.match(await page.locator('.band.good').innerText(), /1\s+good/);
    assert.match(await page.locator('.band.sufficient').innerText(), /2\s+sufficient/);
    assert.is(await page.locator('#records tbody tr').count(), 3);
    const details = await page.locator('#details').innerText();
    assert.match(details, /MQA Modification date \(0\/5\): add a revision date at \(no modification date field in this format\)/);
    assert.match(
      details,
      /MQA Time based search \(temporal\) \(0\/20\): add a temporal extent at gmd:identificationInfo\/\*\/gmd:extent\/\*\/gmd:temporalElement/,
    );
    assert.match(details, /atmosphere is a broad category/);
    assert.equal(
      requests.filter((u) => !u.startsWith('file:')),
      [],
      'nothing fetched from the network',
    );
    assert.is(await page.locator('html').getAttribute('lang'), 'en', 'English unless asked');
    // --lang fr: the same report in French
    const fr = bin.run('validate', TOUR, '--format', 'html', '--lang', 'fr', '--out', out);
    assert.is(fr.code, 0, fr.err);
    await page.goto('file://' + out);
    assert.is(await page.locator('html').getAttribute('lang'), 'fr');
    assert.match(await page.locator('#summary').innerText(), /1 fiche\s?: 0 sans problème, 1 avec des avertissements, 0 avec des erreurs/);
    mkdirSync(projectPath('test-artifacts'), { recursive: true });
    await page.setViewportSize({ width: 1200, height: 900 });
    writeFileSync(projectPath('test-artifacts', 'validate-report.png'), await page.screenshot({ fullPage: false }));
  } finally {
    await browser.close();
  }
});

test('text report: summary first, records grouped and the worst first; usage mistakes exit 2 in one sentence', () => {
  const r = bin.run('validate', TOUR, WRONG);
  assert.is(r.code, 0, r.err);
  const lines = r.out.split('\n');
  assert.match(lines[1], /^2 records: 0 ok, 2 with warnings, 0 with errors$/);
  assert.match(
    lines[2],
    /^MQA points: average 205 of 405 \(min 205, max 205\); ratings: excellent 0, good 0, sufficient 2, bad 0 \(links not checked: up to 80 more points with --links\)$/,
  );
  assert.ok(r.out.indexOf('CATC_DAT_AE.H2OFlux_Odc') > 0);
  assert.match(
    r.out,
    / {2}warning \/observations\/0\/observedProperty\/theiaCategories\/0: https:\/\/w3id\.org\/ozcar-theia\/atmosphere is a broad category/,
  );
  assert.not.match(r.out, /\u001b\[/, 'no colour when stdout is not a terminal');
  for (const [args, message] of [
    [['validate'], /validate needs at least one FILE, FOLDER, URL or -/],
    [['validate', TOUR, '--format', 'pdf'], /--format must be text, json, html or junit \(got "pdf"\)/],
    [['validate', TOUR, '--fail-under', '500'], /--fail-under must be a number of MQA points from 0 to 405/],
    [['validate', TOUR, '--strict'], /--strict makes XML schema errors blocking: it goes with --xsd/],
    [['validate', '/no/such/feed.xml'], /no such file or folder: \/no\/such\/feed\.xml/],
    [['validate', TOUR, '--thesaurus', projectPath('package.json')], /--thesaurus .*package\.json: not a SKOS file/],
    [['validate', TOUR, '--allow', '10.0.0.0/99'], /--allow: allowed range "10\.0\.0\.0\/99" is not an address range/],
    [['validate', TOUR, '--lnks'], /unknown option --lnks \(did you mean --links\?\)/],
    [['validate', TOUR, '--format', 'html', '--lang', 'de'], /--lang must be fr or en \(got "de"\)/],
    [['validate', TOUR, '--lang', 'fr'], /--lang is the language of the HTML report: it goes with --format html/],
  ] as const) {
    const u = bin.run(...args);
    assert.is(u.code, 2, `${args.join(' ')}: ${u.err}`);
    assert.match(u.err, message);
    assert.is(u.errLines.length, 1, u.err);
  }
  // the operator's allow-list is read as serve and the harvests read it: a mistake in it is named, before any work
  const env = bin.runWith({ env: { HUB_SSRF_ALLOW: 'intranet.example, 10.0.0.0/99' } }, 'validate', TOUR);
  assert.is(env.code, 2, env.err);
  assert.match(env.err, /HUB_SSRF_ALLOW: allowed range "10\.0\.0\.0\/99" is not an address range/);
  assert.is(env.errLines.length, 1, env.err);
  const allowed = bin.runWith({ env: { HUB_SSRF_ALLOW: '10.0.0.0/8' } }, 'validate', TOUR, '--allow', '192.168.0.0/16');
  assert.is(allowed.code, 0, allowed.err);
  const under = bin.run('validate', TOUR, '--fail-under', '300');
  assert.is(under.code, 1);
  assert.match(under.out, /1 under --fail-under 300/);
});

/** A folder of its own as TMPDIR for one run: the spool of the report is made there. */
function tmp(): string {
  return mkdtempSync(join(bin.dir, 'tmp-'));
}

test('the report is written from a spool file that is removed afterwards: after a report, when --out cannot be written', () => {
  const t = tmp();
  const ok = bin.runWith({ env: { TMPDIR: t } }, 'validate', TOUR, WRONG, '--format', 'junit');
  assert.is(ok.code, 0, ok.err);
  assert.match(ok.out, /<testsuites name="harvester validate" tests="2" failures="0" errors="0">/);
  assert.equal(readdirSync(t), []);
  const bad = bin.runWith(
    { env: { TMPDIR: t } },
    'validate',
    TOUR,
    '--format',
    'json',
    '--out',
    join(bin.dir, 'no', 'such', 'report.json'),
  );
  // checked before any source is read: a usage error, and no spool made
  assert.is(bad.code, 2, bad.err);
  assert.match(bad.err, /--out: no such folder: .*\/no\/such/);
  assert.equal(readdirSync(t), [], 'nothing left behind when the report cannot be written');
  const folder = bin.runWith({ env: { TMPDIR: t } }, 'validate', TOUR, '--out', t);
  assert.is(folder.code, 2, folder.err);
  assert.match(folder.err, /--out: .* is a folder: give a file name/);
});

test('--out replaces a previous report with the complete new one, and leaves no temporary file', () => {
  const t = tmp();
  const out = join(t, 'report.json');
  writeFileSync(out, 'the previous report');
  const done = bin.run('validate', TOUR, '--format', 'json', '--out', out);
  assert.is(done.code, 0, done.err);
  assert.is((JSON.parse(readFileSync(out, 'utf8')) as { summary: { records: number } }).summary.records, 1);
  assert.equal(readdirSync(t), ['report.json']);
});

test('Ctrl-C while the sources are read: exit 130, the spool file removed', async () => {
  const t = tmp();
  // names on standard input, which stays open: the validation waits for more, the spool is there
  const child = spawn(bin.path, ['validate', '-', '--format', 'json'], {
    env: { ...process.env, TMPDIR: t },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  child.stdin.write(`${TOUR}\n${WRONG}\n`);
  const deadline = Date.now() + 60_000;
  while (readdirSync(t).length === 0) {
    assert.ok(Date.now() < deadline, `no spool folder in ${t} after 60 s: ${err}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const spool = readdirSync(t);
  assert.is(spool.length, 1);
  assert.match(spool[0], /^hub-report-/);
  child.kill('SIGINT');
  assert.is(await exited, 130, err);
  assert.equal(readdirSync(t), [], 'the spool folder is removed');
});

test.run();
