/**
 * The official DCAT-AP 3.0.1 SHACL shapes, base and range (../shared/fixtures/dcat-ap-shacl: html_shacl_shapes.ttl and
 * html_shacl_range.ttl, what the SEMIC validator runs as "base" and "range"), checked with pyshacl on each record's own
 * graph (schemas/rdf.ts recordQuads: the record as it is, no view):
 * - a hand-built record with every field conforms;
 * - the records `harvester map` prints for every fixture family (ISO 19139 / 19115-2, ISO 19115-3, CSW pages, STAC and
 *   the STAC extensions' examples, OZCAR) conform, but for what one record cannot state alone (ACCEPTED, each with why) and the mandatory values their
 *   source lacks: each of those is a DCAT-AP gap that dcatGaps reports and `map` warns about, and each gap dcatGaps
 *   reports is a violation of the shapes (the one rule agrees with the shapes).
 * The figure by shape path is printed.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { dcatGaps } from '../../schemas/dcat-gaps.js';
import { projectPath, sharedFixture } from '../../schemas/paths.js';
import { recordNTriples } from '../../schemas/rdf.js';
import type { HubRecord } from '../../schemas/record.js';
import { ensurePythonVenv, venvBin } from '../../scripts/services/python.js';
import { harvesterBin } from '../helpers/bin.js';
import { FAMILIES } from './fixture-records.js';
import { fullRecord } from './sample-records.js';
import { dcat3Records, DCAT3_PROPERTIES } from './dcat3-records.js';

const SHAPES = ['html_shacl_shapes.ttl', 'html_shacl_range.ttl'].map((f) => sharedFixture('dcat-ap-shacl', f));

interface Result {
  severity: string;
  focus: string;
  path: string | null;
  component: string;
  value: string | null;
  message: string;
}
interface Report {
  id: string;
  conforms: boolean;
  results: Result[];
}

/** pyshacl on each record's graph alone (one Python process, the shapes loaded once). */
function shaclEach(records: HubRecord[]): Report[] {
  const input = JSON.stringify(records.map((r) => ({ id: r['@id'], nt: recordNTriples(r) })));
  const r = spawnSync(venvBin('python'), [projectPath('test', 'schemas', 'shacl_records.py'), ...SHAPES], {
    input,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  assert.is(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as Report[];
}

test.before(async () => {
  await ensurePythonVenv();
});

test('a record with every field conforms to the DCAT-AP 3.0.1 shapes and ranges', () => {
  const record = fullRecord();
  const [report] = shaclEach([record]);
  // but what one record cannot state alone (ACCEPTED, below): its series is typed dcat:DatasetSeries in its own record
  assert.equal(
    report.results.filter((v) => !ACCEPTED.some((a) => a.test(v, record))),
    [],
  );
});

/** What one record cannot state alone, and why. */
const ACCEPTED: { why: string; test: (v: Result, r: HubRecord) => boolean }[] = [
  {
    why: 'a service serves datasets that are other records: each is typed dcat:Dataset in its own record, not in the service`s',
    test: (v, r) => v.path === 'dcat:servesDataset' && v.component === 'ClassConstraintComponent' && r['@type'][0] === 'dcat:DataService',
  },
  {
    why: 'a member names its series (dcat:inSeries), which is typed dcat:DatasetSeries in the series` own record',
    test: (v) => v.path === 'dcat:inSeries' && v.component === 'ClassConstraintComponent',
  },
  {
    why: 'the members of a series point at it (dcat:inSeries) from their own records (a warning of the shapes)',
    test: (v, r) => v.path === '^dcat:inSeries' && v.severity === 'Warning' && r['@type'][0] === 'dcat:DatasetSeries',
  },
];

/** A mandatory value the source lacks: a MinCount violation on a property dcatGaps reports for that node's class. */
function isGap(v: Result, r: HubRecord): boolean {
  return v.component === 'MinCountConstraintComponent' && dcatGaps(r).some((g) => g.property === v.path);
}

test('the records `harvester map` prints for every fixture family conform, but for what one record cannot state alone', () => {
  const bin = harvesterBin();
  const folders = [
    sharedFixture('iso19139'),
    sharedFixture('iso19115-3'),
    sharedFixture('stac'),
    // the STAC extensions' own examples (versions, projection, raster, processing, scientific...)
    projectPath('test', 'fixtures', 'stac', 'extensions'),
    sharedFixture('ozcar'),
    ...FAMILIES.csw,
  ];
  const out = bin.run('map', '--source', 'fx', ...folders);
  bin.cleanup();
  const records = out.lines as HubRecord[];
  // every family is there
  for (const [family, re] of [
    ['iso19139', /^iso19139|^iso19115-2/],
    ['iso19115-3', /^iso19115-3/],
    ['stac', /^stac/],
    ['ozcar', /^ozcar/],
  ] as const) {
    assert.ok(
      records.some((r) => re.test(r.isPrimaryTopicOf.sourceFormat)),
      `${family}: ${records.map((r) => r.isPrimaryTopicOf.sourceFormat).join(',')}`,
    );
  }
  assert.ok(records.length >= 60, `${records.length} records`);

  const reports = shaclEach(records);
  const byPath = new Map<string, number>();
  const accepted = new Map<string, number>();
  const unexpected: string[] = [];
  let gaps = 0;
  reports.forEach((report, i) => {
    const r = records[i];
    for (const v of report.results) {
      const key = `${v.path} ${v.component} (${v.severity})`;
      byPath.set(key, (byPath.get(key) ?? 0) + 1);
      const ok = ACCEPTED.find((a) => a.test(v, r));
      if (ok) accepted.set(ok.why, (accepted.get(ok.why) ?? 0) + 1);
      else if (isGap(v, r)) gaps++;
      else unexpected.push(`${r.identifier}: ${v.focus} ${v.path} ${v.component}: ${v.message} (${v.value ?? ''})`);
    }
    // the converse: each gap the rule reports is a violation of the shapes, and `map` warned about it
    for (const g of dcatGaps(r)) {
      assert.ok(
        report.results.some((v) => v.component === 'MinCountConstraintComponent' && v.path === g.property),
        `${r.identifier}: dcatGaps reports ${g.property}, the shapes do not`,
      );
      assert.ok(out.err.includes(`DCAT-AP: ${g.message}`), `${r.identifier}: map warns "${g.message}"`);
    }
  });
  const total = [...byPath.values()].reduce((a, b) => a + b, 0);
  console.log(`    ${records.length} records, ${total} results of the shapes: ${gaps} mandatory values their source lacks (warned),`);
  for (const [why, n] of accepted) console.log(`      ${n} accepted: ${why}`);
  for (const [key, n] of [...byPath].sort((a, b) => b[1] - a[1])) console.log(`      ${n}\t${key}`);
  assert.equal(unexpected, []);
});

test('the DCAT-AP 3 properties read from real sources (DCAT, ISO, STAC) are in each record`s graph, typed, and conform', async () => {
  const records = await dcat3Records();
  const reports = shaclEach(records.map((x) => x.record));
  const seen = new Set<string>();
  reports.forEach((report, i) => {
    const { name, record } = records[i];
    const nt = recordNTriples(record);
    for (const [p, object] of Object.entries(DCAT3_PROPERTIES)) {
      const lines = nt.split('\n').filter((l) => l.startsWith(`<${record['@id']}> <${p}> `));
      for (const l of lines) {
        assert.ok(object.test(l.slice(`<${record['@id']}> <${p}> `.length)), `${name}: ${l}`);
        seen.add(p);
      }
    }
    const unexpected = report.results.filter((v) => !ACCEPTED.some((a) => a.test(v, record)) && !isGap(v, record));
    assert.equal(
      unexpected.map((v) => `${v.path} ${v.component}: ${v.message} (${v.value ?? ''})`),
      [],
      name,
    );
  });
  // every property arrived from some real source
  assert.equal([...seen].sort(), Object.keys(DCAT3_PROPERTIES).sort());
});

test.run();
