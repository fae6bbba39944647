/**
 * The streamed report (pipelines/report/spool.ts and the formatters reading from it) on real fixtures, against
 * expectations computed here independently of it: the records collected in memory from validateSources, put in the
 * report's order by this test's own comparator, the summary figures summed here; the JSON report equal to
 * JSON.stringify of that report (indented and compact); text, HTML and JUnit equal to the same formatters reading a
 * plain array (also when the spool keeps only what each of them reads), and their structure (order, counts, suites)
 * checked against the records. The spool file is removed
 * afterwards: after a report, when a source fails, when the events fail half-way.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { spoolReport, validateSources, type ValidateEvent, type ValidateInput } from '../../../pipelines/validate.js';
import { reportJson } from '../../../pipelines/report/spool.js';
import { htmlReads, htmlReport } from '../../../pipelines/report/html.js';
import { jsonReport } from '../../../pipelines/report/json.js';
import { junitReads, junitReport } from '../../../pipelines/report/junit.js';
import { textReads, textReport } from '../../../pipelines/report/text.js';
import type { RecordKey, RecordReport, ReportHead, ReportRecords, ReportSummary } from '../../../pipelines/report/types.js';
import { sharedFixture } from '../../../schemas/paths.js';

const files = (dir: string): ValidateInput[] =>
  readdirSync(sharedFixture(dir))
    .filter((f) => /\.(xml|json)$/.test(f))
    .sort()
    .map((f) => ({ file: sharedFixture(dir, f) }));

// ISO 19139 ten times over (more records than a read batch of the spool), OZCAR with its broken files, STAC, and a
// file that is not there: errors, warnings and ok records, several formats, records without a FAIR assessment
const INPUTS: ValidateInput[] = [
  ...files('iso19139'),
  ...files('ozcar'),
  ...files('iso19139'),
  { missing: '/no/such/feed.xml', why: 'no such file or folder: /no/such/feed.xml' },
  ...files('stac'),
  ...files('iso19139'),
  ...readdirSync(sharedFixture('ozcar', 'invalid')).map((f) => ({ file: sharedFixture('ozcar', 'invalid', f) })),
  ...files('iso19115-3'),
  ...Array.from({ length: 7 }, () => files('iso19139')).flat(),
];

/** The events of a validation, kept in memory (so that the spool and this test see the same records). */
async function collect(inputs: ValidateInput[]): Promise<ValidateEvent[]> {
  const events: ValidateEvent[] = [];
  for await (const e of validateSources(inputs, { workers: 0 })) events.push(e);
  return events;
}
async function* replay(events: ValidateEvent[]): AsyncGenerator<ValidateEvent> {
  for (const e of events) yield structuredClone(e);
}

/** The report's order, written here from its definition: errors, warnings, ok; fewer MQA points first; by identifier. */
function inOrder(records: RecordReport[]): RecordReport[] {
  const rank = { error: 0, warnings: 1, ok: 2 };
  const points = (r: RecordReport) => (r.fair ? r.fair.mqa.points : -1);
  return records
    .map((r, i) => ({ r, i }))
    .sort(
      (a, b) =>
        rank[a.r.status] - rank[b.r.status] || points(a.r) - points(b.r) || (a.r.id < b.r.id ? -1 : a.r.id > b.r.id ? 1 : a.i - b.i),
    )
    .map((x) => x.r);
}

/** The summary, from the records in the report's order. */
function expectedSummary(sorted: RecordReport[], failUnder?: number): ReportSummary {
  const assessed = sorted.filter((r) => r.fair);
  const mqa = assessed.map((r) => r.fair!.mqa.points);
  const fuji = assessed.map((r) => r.fair!.fuji.points);
  const ratings = { excellent: 0, good: 0, sufficient: 0, bad: 0 };
  const distribution: Record<string, number> = {};
  for (const lo of [0, 50, 100, 150, 200, 250, 300, 350]) distribution[`${lo}-${lo + 49}`] = 0;
  distribution['400-405'] = 0;
  for (const r of assessed) {
    ratings[r.fair!.mqa.rating]++;
    const p = r.fair!.mqa.points;
    const key = Object.keys(distribution).find((k) => {
      const [lo, hi] = k.split('-').map(Number);
      return p >= lo && p < hi + 1;
    })!;
    distribution[key]++;
  }
  const avg = (xs: number[]) => (xs.length ? Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 10) / 10 : 0);
  return {
    records: sorted.length,
    ok: sorted.filter((r) => r.status === 'ok').length,
    withErrors: sorted.filter((r) => r.status === 'error').length,
    withWarnings: sorted.filter((r) => r.status === 'warnings').length,
    belowFailUnder: failUnder === undefined ? 0 : mqa.filter((p) => p < failUnder).length,
    mqa: {
      average: avg(mqa),
      min: mqa.reduce((a, b) => (b < a ? b : a), mqa[0] ?? 0),
      max: mqa.reduce((a, b) => (b > a ? b : a), mqa[0] ?? 0),
      ratings,
      distribution,
      notChecked: assessed[0]?.fair!.mqa.notChecked ?? 0,
    },
    fuji: { average: avg(fuji), max: 25 },
  };
}

/** The same records as a plain array, for the formatters: what the spool must be indistinguishable from. */
function arrayRecords(sorted: RecordReport[]): ReportRecords {
  const key = (r: RecordReport): RecordKey => ({
    status: r.status,
    ...(r.fair ? { points: r.fair.mqa.points } : {}),
    ...(r.format !== undefined ? { format: r.format } : {}),
    errors: r.errors.length > 0,
  });
  return {
    count: sorted.length,
    keys: () => sorted.map(key),
    records: (only) => (only ? sorted.filter((r) => only(key(r))) : sorted),
    json: () => sorted.map((r) => JSON.stringify(r)),
  };
}

const join_ = (parts: Iterable<string>) => [...parts].join('');

/** A temporary folder as os.tmpdir() while `fn` runs (the spool's folder is made there). */
async function inTmp<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'test-spool-'));
  const before = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  try {
    return await fn(dir);
  } finally {
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
    rmSync(dir, { recursive: true, force: true });
  }
}

test('every format from the spool is what the records say, worst first, with the summary computed independently', async () => {
  const events = await collect(INPUTS);
  const records = events.filter((e) => e.kind === 'record').map((e) => e.report);
  assert.ok(records.length > 300, `${records.length} records: more than one read batch`);
  // each record's line: JSON.stringify's, also as a formatter trims it (its FAIR assessment's parts copied, not shared)
  for (const r of records)
    for (const reads of [
      (x: RecordReport) => x,
      textReads,
      htmlReads,
      junitReads,
      // (an XML schema verdict comes after the assessment: --xsd checks a chunk once it is assessed)
      (x: RecordReport): RecordReport => ({
        ...x,
        xsd: { status: 'invalid', errors: [{ line: 3, message: 'a "quoted" \u0000 message' }] },
      }),
    ])
      assert.is(reportJson(reads(r)), JSON.stringify(reads(r)));
  const sorted = inOrder(records);
  for (const failUnder of [undefined, 150]) {
    await inTmp(async (tmp) => {
      const spooled = await spoolReport(replay(events), failUnder === undefined ? {} : { failUnder });
      try {
        const spoolDir = readdirSync(tmp);
        assert.is(spoolDir.length, 1, 'one spool folder while the report is open');
        const head: ReportHead = spooled.head;
        // the summary
        const summary = expectedSummary(sorted, failUnder);
        assert.equal(head.summary, summary);
        assert.ok(summary.withErrors > 0 && summary.withWarnings > 0 && summary.ok > 0, 'every status is there');
        assert.is(head.exitCode, 1);
        assert.equal(
          head.sources,
          events.filter((e) => e.kind === 'source').map((e) => e.label),
        );
        // the order and the keys
        assert.equal(
          [...spooled.records.records()].map((r) => r.location),
          sorted.map((r) => r.location),
        );
        assert.equal([...spooled.records.keys()], [...arrayRecords(sorted).keys()]);
        // JSON: the report as JSON.stringify makes it, compact (a catalogue) and indented (a few records)
        const { exitCode, ...before } = head;
        const whole = { ...before, records: sorted, exitCode };
        assert.is(join_(jsonReport(head, spooled.records)), JSON.stringify(whole));
        assert.is(join_(jsonReport(head, spooled.records, 2)), JSON.stringify(whole, null, 2));
        // text, HTML, JUnit: the same bytes as from a plain array
        const plain = arrayRecords(sorted);
        for (const opts of [{}, { all: true }, { colour: true }])
          assert.is(join_(textReport(head, spooled.records, opts)), join_(textReport(head, plain, opts)));
        const html = join_(htmlReport(head, spooled.records));
        assert.is(html, join_(htmlReport(head, plain)));
        const junit = join_(junitReport(head, spooled.records));
        assert.is(junit, join_(junitReport(head, plain)));

        // what the spool keeps for text, HTML and JUnit (only what each reads): the same bytes as the whole records give
        const trimmed: [(r: RecordReport) => RecordReport, (h: ReportHead, r: ReportRecords) => string][] = [
          [textReads, (h, r) => join_(textReport(h, r, { all: true, colour: true }))],
          [textReads, (h, r) => join_(textReport(h, r))],
          [htmlReads, (h, r) => join_(htmlReport(h, r))],
          [junitReads, (h, r) => join_(junitReport(h, r))],
        ];
        for (const [reads, render] of trimmed) {
          const slim = await spoolReport(replay(events), failUnder === undefined ? {} : { failUnder }, reads);
          try {
            assert.equal(slim.head.summary, summary);
            assert.is(render(slim.head, slim.records), render(slim.head, plain));
            assert.ok(
              statSync(
                join(
                  tmp,
                  readdirSync(tmp).find((d) => d !== spoolDir[0])!,
                  'records.ndjson',
                ),
              ).size > 0,
            );
          } finally {
            slim.close();
          }
        }

        // text: the summary lines, then the records with something to say, the worst first, then the verdict
        const text = join_(textReport(head, spooled.records));
        const lines = text.split('\n');
        assert.is(
          lines[1],
          `${summary.records} records: ${summary.ok} ok, ${summary.withWarnings} with warnings, ${summary.withErrors} with errors` +
            (failUnder === undefined ? '' : `, ${summary.belowFailUnder} under --fail-under ${failUnder}`),
        );
        assert.match(lines[2], `MQA points: average ${summary.mqa.average} of 405 (min ${summary.mqa.min}, max ${summary.mqa.max})`);
        const tagged = lines.filter((l) => /^(ERROR|WARN |OK {3}) /.test(l));
        const notOk = sorted.filter((r) => r.status !== 'ok');
        assert.is(tagged.length, notOk.length);
        tagged.forEach((l, i) => assert.ok(l.startsWith(`${notOk[i].status === 'error' ? 'ERROR' : 'WARN '} ${notOk[i].id}`), l));
        assert.is(lines.at(-2), 'Some records cannot be harvested as they are (or are under --fail-under).');
        assert.is(lines.at(-1), '');

        // HTML: one table row and one section per record, in order
        const rows = [...html.matchAll(/<tr><td><a href="#r(\d+)">([^<]*)<\/a>/g)];
        assert.equal(
          rows.map((m) => Number(m[1])),
          sorted.map((_, i) => i),
        );
        const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
        assert.equal(
          rows.map((m) => m[2]),
          sorted.map((r) => esc(r.id)),
        );
        assert.is([...html.matchAll(/<section id="r\d+">/g)].length, sorted.length);
        assert.ok(html.endsWith('</section></main></body></html>\n'));

        // JUnit: well-formed; suites by format in the order their first record comes, their counts, the cases in order
        assert.is(XMLValidator.validate(junit), true);
        const doc = new XMLParser({
          ignoreAttributes: false,
          attributeNamePrefix: '',
          isArray: (n) => n === 'testsuite' || n === 'testcase',
        }).parse(junit) as {
          testsuites: {
            tests: string;
            failures: string;
            testsuite: { name: string; tests: string; failures: string; testcase: { name: string; failure?: unknown }[] }[];
          };
        };
        const fails = (r: RecordReport) => r.errors.length > 0 || (failUnder !== undefined && !!r.fair && r.fair.mqa.points < failUnder);
        const suiteNames = [...new Set(sorted.map((r) => r.format ?? 'unreadable'))];
        assert.equal(
          doc.testsuites.testsuite.map((s) => s.name),
          suiteNames,
        );
        assert.is(Number(doc.testsuites.tests), sorted.length);
        assert.is(Number(doc.testsuites.failures), sorted.filter(fails).length);
        for (const s of doc.testsuites.testsuite) {
          const mine = sorted.filter((r) => (r.format ?? 'unreadable') === s.name);
          assert.is(Number(s.tests), mine.length);
          assert.is(Number(s.failures), mine.filter(fails).length);
          assert.equal(
            s.testcase.map((c) => [String(c.name), c.failure !== undefined]),
            mine.map((r) => [r.id, fails(r)]),
          );
        }
      } finally {
        spooled.close();
      }
      assert.equal(readdirSync(tmp), [], 'the spool is removed once the report is closed');
    });
  }
});

test('the spool is removed when a source fails, and when the validation itself fails half-way', async () => {
  await inTmp(async (tmp) => {
    // a source that fails is one record with its error: the report is made, then closed
    const spooled = await spoolReport(
      validateSources([{ file: sharedFixture('ozcar', 'TOUR_en.json') }, { missing: '/no/such', why: 'no such file or folder: /no/such' }]),
    );
    assert.is(spooled.head.summary.withErrors, 1);
    assert.equal(
      [...spooled.records.records()].map((r) => r.status),
      ['error', 'warnings'],
    );
    spooled.close();
    spooled.close();
    assert.equal(readdirSync(tmp), []);
    // the events fail after a few records: nothing is left behind
    const events = await collect(files('ozcar'));
    async function* broken(): AsyncGenerator<ValidateEvent> {
      yield* replay(events.slice(0, 3));
      throw new Error('the feed went away');
    }
    await spoolReport(broken()).then(
      () => assert.unreachable('the failure is passed on'),
      (err: Error) => assert.is(err.message, 'the feed went away'),
    );
    assert.equal(readdirSync(tmp), []);
  });
});

test('a report with no record: every format still a whole document', async () => {
  await inTmp(async () => {
    const spooled = await spoolReport(replay([{ kind: 'source', label: 'empty' }]));
    try {
      const head = spooled.head;
      assert.is(head.summary.records, 0);
      assert.equal(head.summary.mqa.notChecked, 0);
      const { exitCode, ...before } = head;
      assert.is(join_(jsonReport(head, spooled.records, 2)), JSON.stringify({ ...before, records: [], exitCode }, null, 2));
      assert.is(join_(jsonReport(head, spooled.records)), JSON.stringify({ ...before, records: [], exitCode }));
      assert.is(XMLValidator.validate(join_(junitReport(head, spooled.records))), true);
      assert.match(join_(textReport(head, spooled.records)), /^Validation of 1 source: empty\n0 records: 0 ok/);
    } finally {
      spooled.close();
    }
  });
});

test.run();
