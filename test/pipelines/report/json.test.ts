/**
 * The JSON report states each methodology once (`methodologies`) and each record's assessment refers to it by id: on
 * every fixture family (ISO 19139 and 19115-3, CSW answers, STAC, OZCAR), the report as a consumer reads it (parsed
 * from jsonReport's text), valid against schemas/validation-report.schema.json; every indicator, metric and test a
 * record names is in the methodology block, in its order; and every record's points are what the definitions give
 * for its statuses: recomputed here from the block alone (weights, test points, scoring, maxima, rating bands). The
 * same check on assessments with link results (the URL indicators decided).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { validateToSpool, type ValidateInput } from '../../../pipelines/validate.js';
import { jsonReport } from '../../../pipelines/report/json.js';
import { itemsFromFile } from '../../../pipelines/files.js';
import { mapRecord } from '../../../pipelines/map.js';
import { assessRecord, METHODOLOGIES, type FairAssessment, type LinkResult, type Methodologies } from '../../../mappings/fair/index.js';
import type { ValidationReport } from '../../../pipelines/report/types.js';
import { projectPath, sharedFixture } from '../../../schemas/paths.js';

const files = (dir: string): string[] =>
  readdirSync(dir)
    .sort()
    .flatMap((f) => {
      const p = join(dir, f);
      return statSync(p).isDirectory() ? files(p) : /\.(xml|json)$/.test(f) ? [p] : [];
    });
const FAMILIES = ['iso19139', 'iso19115-3', 'csw', 'stac', 'ozcar'];

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * What is wrong with a record's assessment against the methodologies it refers to: ids not in the block or out of its
 * order, points not what the definitions give. [] when all is right.
 */
function disagreements(m: Methodologies, fair: FairAssessment): string[] {
  const out: string[] = [];
  const say = (what: string, got: unknown, want: unknown) => {
    if (JSON.stringify(got) !== JSON.stringify(want))
      out.push(`${what}: ${JSON.stringify(got)}, the definitions give ${JSON.stringify(want)}`);
  };
  // MQA: every indicator of the block, in its order; points from the weights; dimensions, total, rating, not checked
  const { mqa } = fair;
  say(
    'MQA indicators',
    mqa.indicators.map((i) => i.id),
    m.mqa.indicators.map((i) => i.id),
  );
  const dimensions = Object.fromEntries(m.mqa.dimensions.map((d) => [d.id, 0]));
  let total = 0;
  let notChecked = 0;
  mqa.indicators.forEach((i, k) => {
    const def = m.mqa.indicators[k];
    if (!def) return;
    if (i.points < 0 || i.points > def.weight) out.push(`${i.id}: ${i.points} points of ${def.weight}`);
    const status = i.status === 'not checked' ? 'not checked' : i.points === def.weight ? 'met' : i.points > 0 ? 'partly' : 'not met';
    say(`${i.id} status`, i.status, status);
    say(`${i.id} has a fix`, !!i.fix, i.status === 'partly' || i.status === 'not met');
    if (i.status === 'not checked') notChecked += def.weight;
    dimensions[def.dimension] += i.points;
    total += i.points;
  });
  say('MQA points', mqa.points, round2(total));
  say('MQA not checked', mqa.notChecked, notChecked);
  for (const d of m.mqa.dimensions) {
    say(`MQA ${d.id}`, mqa.dimensions[d.id], round2(dimensions[d.id]));
    if (mqa.dimensions[d.id] > d.max) out.push(`${d.id}: ${mqa.dimensions[d.id]} of ${d.max}`);
  }
  // the bands, best first: the first whose least points it reaches (350.5 is good)
  say('MQA rating', mqa.rating, m.mqa.ratings.find((b) => mqa.points >= b.min)?.rating);
  // F-UJI: every metric in its order, every test of each in its order; points by the metric's scoring, capped
  const { fuji } = fair;
  say(
    'F-UJI metrics',
    fuji.metrics.map((x) => x.id),
    m.fuji.metrics.map((x) => x.id),
  );
  let points = 0;
  let assessable = 0;
  fuji.metrics.forEach((x, k) => {
    const def = m.fuji.metrics[k];
    if (!def) return;
    say(
      `${x.id} tests`,
      x.tests.map((t) => t.id),
      def.tests.map((t) => t.id),
    );
    const score = (which: (s: string) => boolean) => {
      const p = x.tests.filter((t) => which(t.status)).map((t) => def.tests.find((d) => d.id === t.id)?.points ?? NaN);
      return Math.min(def.max, def.scoring === 'cumulative' ? p.reduce((a, b) => a + b, 0) : Math.max(0, ...p));
    };
    const own = score((s) => s === 'pass');
    say(`${x.id} points`, x.points, own);
    const failedWorth = x.tests.some((t) => t.status === 'fail' && (def.tests.find((d) => d.id === t.id)?.points ?? 0) > 0);
    say(`${x.id} status`, x.status, own > 0 ? 'pass' : failedWorth ? 'fail' : 'not assessed');
    points += own;
    assessable += score((s) => s !== 'not assessed');
  });
  say('F-UJI points', fuji.points, points);
  say('F-UJI assessable', fuji.assessable, assessable);
  say('F-UJI percent', fuji.percent, Math.round((points / m.fuji.max) * 1000) / 10);
  say(
    'F-UJI max',
    m.fuji.max,
    m.fuji.metrics.reduce((s, x) => s + x.max, 0),
  );
  return out;
}

test('the JSON report of every fixture: valid against its schema, each methodology once, each record agreeing with it', async () => {
  const inputs: ValidateInput[] = FAMILIES.flatMap((d) => files(sharedFixture(d))).map((file) => ({ file }));
  const spooled = await validateToSpool(inputs, { workers: 0 });
  let report: ValidationReport;
  try {
    report = JSON.parse([...jsonReport(spooled.head, spooled.records)].join('')) as ValidationReport;
  } finally {
    spooled.close();
  }
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats.default(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(projectPath('schemas', 'validation-report.schema.json'), 'utf8')) as object);
  assert.ok(validate(report), JSON.stringify(validate.errors?.slice(0, 3)));
  assert.is(report.reportVersion, 2);
  assert.equal(report.methodologies, METHODOLOGIES);
  // the block: MQA's 23 indicators of 405 points in five dimensions, F-UJI's 17 metrics of 25
  const m = report.methodologies;
  assert.is(
    m.mqa.indicators.reduce((s, i) => s + i.weight, 0),
    m.mqa.max,
  );
  for (const d of m.mqa.dimensions)
    assert.is(
      m.mqa.indicators.filter((i) => i.dimension === d.id).reduce((s, i) => s + i.weight, 0),
      d.max,
      d.id,
    );
  assert.is(m.fuji.max, 25);
  const tests = m.fuji.metrics.flatMap((x) => x.tests.map((t) => t.id));
  assert.is(tests.length, 34);
  assert.is(new Set(tests).size, tests.length, 'every test once');
  // the records: each names only what the block defines, and its points are the block's sums
  const assessed = report.records.filter((r) => r.fair);
  assert.ok(assessed.length > 50, `${assessed.length} records assessed`);
  assert.ok(new Set(assessed.map((r) => r.format)).size >= 5, 'ISO 19139, 19115-3, STAC collection and item, OZCAR');
  for (const r of assessed) assert.equal(disagreements(m, r.fair!), [], `${r.id} (${r.location})`);
  // and the records carry no definition: no label, weight, name nor maximum of their own
  const text = JSON.stringify(report.records);
  for (const key of ['"label"', '"weight"', '"name"', '"principle"', '"max"', '"methodology"'])
    assert.not.ok(text.includes(key), `${key} in a record`);
  // an indicator met says nothing more; one not met says why and what to fix, where
  const iso = assessed.find((r) => r.location.endsWith('owslib-csw_iso_identifier.xml'))!;
  const downloadUrl = iso.fair!.mqa.indicators.find((i) => i.id === 'downloadUrl')!;
  assert.equal(downloadUrl, {
    id: 'downloadUrl',
    points: 6.67,
    status: 'partly',
    detail: '1 of 3 distributions with one',
    fix: {
      add: 'a download URL on each distribution',
      where:
        'gmd:distributionInfo/*/gmd:transferOptions/*/gmd:onLine/*/gmd:linkage with gmd:function "download" or gmd:protocol WWW:DOWNLOAD-1.0-http--download',
    },
  });
  assert.equal(
    iso.fair!.mqa.indicators.find((i) => i.id === 'license'),
    { id: 'license', points: 20, status: 'met' },
  );
});

test('with link results: every record agrees with the definitions (URL indicators and F-UJI URL tests decided)', async () => {
  let seed = 7;
  const coin = () => (seed = (seed * 48271) % 2147483647) % 2 === 0;
  let checked = 0;
  for (const file of FAMILIES.flatMap((d) => files(sharedFixture(d)))) {
    let items;
    try {
      items = [];
      for await (const item of itemsFromFile(file, 'test')) items.push(item);
    } catch {
      continue;
    }
    for (const item of items) {
      if (item.kind !== 'record') continue;
      const mapped = mapRecord(item.raw, { harvestedAt: '2026-01-01T00:00:00Z' });
      if (!mapped.ok) continue;
      const r = mapped.record;
      const urls = [
        ...(r.distribution ?? []).flatMap((d) => [d.accessURL, d.downloadURL]),
        ...(r.otherIdentifier ?? []).map((i) => i.notation),
        r.isPrimaryTopicOf.identifier,
      ].filter((u): u is string => !!u);
      const links = new Map<string, LinkResult>(urls.map((url) => [url, { url, ok: coin() }]));
      const a = assessRecord(r, links);
      assert.is(a.mqa.notChecked, 0);
      assert.equal(disagreements(METHODOLOGIES, a), [], r['@id']);
      checked++;
    }
  }
  assert.ok(checked > 50, `${checked} records`);
});

test.run();
