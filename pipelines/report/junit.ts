/**
 * The report as JUnit XML, the format CI servers show (GitLab's test reports, Jenkins' junit step): one test suite per
 * source format, one test case per record (named by its identifier), a failure for each record with a blocking error
 * (or under --fail-under), its warnings and scores in system-out.
 */
import type { RecordReport, ValidationReport } from './types.js';
import { warningLine } from '../../core/warnings.js';

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

export function junitReport(report: ValidationReport): string {
  const bySuite = new Map<string, RecordReport[]>();
  for (const r of report.records) {
    const k = r.format ?? 'unreadable';
    bySuite.set(k, [...(bySuite.get(k) ?? []), r]);
  }
  const failUnder = report.options.failUnder;
  const suites = [...bySuite.entries()].map(([name, records]) => {
    const failures = records.filter((r) => failed(r, failUnder)).length;
    const cases = records.map((r) => {
      const why = failed(r, failUnder);
      const out = [
        r.location,
        ...(r.fair ? [`MQA ${r.fair.mqa.points}/405 (${r.fair.mqa.rating}), F-UJI ${r.fair.fuji.points}/${r.fair.fuji.max}`] : []),
        ...r.warnings.map((w) => `warning ${warningLine(w)}`),
        ...r.dcatGaps.map((g) => `DCAT-AP ${g.property} missing: ${g.message}`),
      ].join('\n');
      return (
        `    <testcase classname="${esc(`validate.${name}`)}" name="${esc(r.id)}" file="${esc(r.location)}" time="0">\n` +
        (why
          ? `      <failure message="${esc(why.split('\n')[0])}" type="${r.errors.length ? esc(r.errors[0].stage) : 'fail-under'}">${esc(why)}</failure>\n`
          : '') +
        `      <system-out>${esc(out)}</system-out>\n    </testcase>`
      );
    });
    return `  <testsuite name="${esc(name)}" tests="${records.length}" failures="${failures}" errors="0" skipped="0" timestamp="${esc(report.generatedAt.slice(0, 19))}">\n${cases.join('\n')}\n  </testsuite>`;
  });
  const failures = report.records.filter((r) => failed(r, failUnder)).length;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="harvester validate" tests="${report.records.length}" failures="${failures}" errors="0">\n${suites.join('\n')}\n</testsuites>\n`;
}
