/**
 * The official DCAT-AP 3.0.1 SHACL shapes (shapes + ranges, ../shared/fixtures/dcat-ap-shacl) checked with pyshacl on
 * the RDF of our records: a record with every field conforms; the records the crosswalks make of every real fixture
 * conform except for what a single record cannot say on its own (listed, each with its reason).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { itemsFromFile } from '../../pipelines/files.js';
import { mapRecord } from '../../pipelines/map.js';
import { toNQuads } from '../../schemas/jsonld.js';
import { sharedFixture } from '../../schemas/paths.js';
import { ensurePythonVenv, venvBin } from '../../scripts/services/python.js';
import { fullRecord } from './sample-records.js';

const dir = mkdtempSync(join(tmpdir(), 'shacl-'));
const shapes = join(dir, 'shapes.ttl');
writeFileSync(
  shapes,
  ['html_shacl_shapes.ttl', 'html_shacl_range.ttl'].map((f) => readFileSync(sharedFixture('dcat-ap-shacl', f), 'utf8')).join('\n'),
);

interface Violation {
  focus: string;
  path: string;
  message: string;
}

/** pyshacl on N-Triples; the violations it reports. */
function shacl(nt: string): { conforms: boolean; violations: Violation[] } {
  const data = join(dir, `data-${Math.random().toString(36).slice(2)}.nt`);
  writeFileSync(data, nt);
  const r = spawnSync(venvBin('pyshacl'), ['-s', shapes, '-df', 'nt', data], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.ok(r.status === 0 || r.status === 1, r.stderr);
  const violations = r.stdout
    .split(/Constraint Violation in /)
    .slice(1)
    .map((block) => ({
      focus: /Focus Node: (.*)/.exec(block)?.[1] ?? '',
      path: /Result Path: (.*)/.exec(block)?.[1] ?? '',
      message: /Message: (.*)/.exec(block)?.[1] ?? '',
    }));
  return { conforms: /Conforms: True/.test(r.stdout), violations };
}

test.before(async () => {
  await ensurePythonVenv();
});

test('a record with every field conforms to the DCAT-AP 3.0.1 shapes and ranges', async () => {
  const report = shacl(await toNQuads(fullRecord()));
  assert.equal(report.violations, []);
  assert.ok(report.conforms);
});

/** What one record cannot say alone, and why. */
const ACCEPTED: { why: string; test: (v: Violation) => boolean }[] = [
  // the served dataset is another record: it has its class in its own graph, not in the service's
  { why: 'served dataset typed in its own record', test: (v) => v.path === 'dcat:servesDataset' && /class dcat:Dataset/.test(v.message) },
  // a series' members point at it (dcat:inSeries) from their own records
  { why: 'series members are other records', test: (v) => /inversePath dcat:inSeries/.test(v.message) },
  // the ArcGIS 19115-3 service sample has no connect point and no online resource at all
  { why: 'the source names no endpoint', test: (v) => /endpointURL/.test(v.message) && /File%20Identifier/.test(v.message) },
];

test('the records of every real fixture conform, but for what a single record cannot say', async () => {
  const files = [
    ...readdirSync(sharedFixture('iso19139')).map((f) => sharedFixture('iso19139', f)),
    ...readdirSync(sharedFixture('iso19115-3')).map((f) => sharedFixture('iso19115-3', f)),
    ...['CRYO_en.json', 'KARS_en.json', 'TOUR_en.json', 'CATC_en.json'].map((f) => sharedFixture('ozcar', f)),
    ...['collection.json', 'core-item.json', 'collection-only_collection.json', 'extensions-collection_collection.json'].map((f) =>
      sharedFixture('stac', f),
    ),
  ];
  const seen = new Set<string>();
  let nt = '';
  for (const file of files) {
    for await (const item of itemsFromFile(file, 'fx')) {
      if (item.kind !== 'record') continue;
      const result = mapRecord(item.raw, { harvestedAt: '2026-11-25T12:00:00Z' });
      assert.ok(result.ok, file);
      // two fixtures share an identifier: one graph per identifier
      if (!result.ok || seen.has(result.record['@id'])) continue;
      seen.add(result.record['@id']);
      nt += await toNQuads(result.record);
    }
  }
  assert.ok(seen.size >= 40);
  const report = shacl(nt);
  const unexpected = report.violations.filter((v) => !ACCEPTED.some((a) => a.test(v)));
  assert.equal(unexpected, []);
});

test.run();
