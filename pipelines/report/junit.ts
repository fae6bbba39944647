/**
 * The report as JUnit XML, the format CI servers show (GitLab's test reports, Jenkins' junit step): one test suite per
 * source format, one test case per record (named by its identifier), a failure for each record with a blocking error
 * (or under --fail-under), its warnings and scores in system-out.
 */
import type { RecordKey, RecordReport, ReportHead, ReportRecords } from './types.js';
import { warningLine } from '../../core/warnings.js';
import { FUJI_MAX, MQA_MAX } from '../../mappings/fair/index.js';
import { trimFair } from './trim.js';

/** XML-escaped text; characters XML 1.0 forbids are dropped. */
function esc(s: string): string {
  return s
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function failed(r: RecordReport, failUnder?: number): string | undefined {
  if (r.errors.length) return r.errors.map((e) => `${e.stage}${e.at ? ` at ${e.at}` : ''}: ${e.message}`).join('\n');
  if (failUnder !== undefined && r.fair && r.fair.mqa.points < failUnder)
    return `MQA ${r.fair.mqa.points} points, under --fail-under ${failUnder}`;
  return undefined;
}

/**
 * The file a record comes from, for the test case's `file` attribute (CI servers link it to the repository): its
 * location without the place inside the file (" record 3", " features[0]", "#/datasets/1"); none for a URL.
 */
export function caseFile(location: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) return undefined;
  return location.replace(/ (?:record \d+|features\[\d+\]|collections\[\d+\])$/, '').replace(/#.*$/, '');
}

/** What the JUnit report reads of a record (the spool keeps only that): its scores, none of the indicators. */
export const junitReads = (r: RecordReport): RecordReport => trimFair(r, { indicator: () => false, metric: () => false });

/** A record whose key says it fails: blocking errors, or MQA points under --fail-under. */
const fails = (k: RecordKey, failUnder?: number) => k.errors || (failUnder !== undefined && k.points !== undefined && k.points < failUnder);

/**
 * The JUnit XML, piece by piece: the suites (one per source format, in the order their first record comes) counted from
 * the records' keys, then each suite's test cases, its records read one at a time.
 */
export function* junitReport(head: ReportHead, records: ReportRecords): Generator<string> {
  const failUnder = head.options.failUnder;
  const suites = new Map<string, { tests: number; failures: number }>();
  let failures = 0;
  for (const k of records.keys()) {
    const name = k.format ?? 'unreadable';
    const suite = suites.get(name) ?? suites.set(name, { tests: 0, failures: 0 }).get(name)!;
    suite.tests++;
    if (fails(k, failUnder)) {
      suite.failures++;
      failures++;
    }
  }
  yield `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="harvester validate" tests="${records.count}" failures="${failures}" errors="0">\n`;
  let first = true;
  for (const [name, suite] of suites) {
    yield `${first ? '' : '\n'}  <testsuite name="${esc(name)}" tests="${suite.tests}" failures="${suite.failures}" errors="0" skipped="0" timestamp="${esc(head.generatedAt.slice(0, 19))}">\n`;
    first = false;
    let i = 0;
    for (const r of records.records((k) => (k.format ?? 'unreadable') === name)) {
      const why = failed(r, failUnder);
      const file = caseFile(r.location);
      const out = [
        r.location,
        ...(r.fair ? [`MQA ${r.fair.mqa.points}/${MQA_MAX} (${r.fair.mqa.rating}), F-UJI ${r.fair.fuji.points}/${FUJI_MAX}`] : []),
        ...r.warnings.map((w) => `warning ${warningLine(w)}`),
        ...r.dcatGaps.map((g) => `DCAT-AP ${g.property} missing: ${g.message}`),
      ].join('\n');
      yield (
        (i++ ? '\n' : '') +
        `    <testcase classname="${esc(`validate.${name}`)}" name="${esc(r.id)}"${file === undefined ? '' : ` file="${esc(file)}"`} time="0">\n` +
        (why
          ? `      <failure message="${esc(why.split('\n')[0])}" type="${r.errors.length ? esc(r.errors[0].stage) : 'fail-under'}">${esc(why)}</failure>\n`
          : '') +
        `      <system-out>${esc(out)}</system-out>\n    </testcase>`
      );
    }
    yield '\n  </testsuite>';
  }
  yield '\n</testsuites>\n';
}
