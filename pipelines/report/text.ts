/**
 * The report for a terminal: the summary first, then each record that has something to say, the worst first, grouped
 * by record: its errors, its warnings (where in its format, then what), the DCAT-AP values it lacks, its scores and
 * what to fix. Colour only when asked (a TTY); `--verbose` adds the records without problems.
 */
import type { RecordReport, ReportHead, ReportRecords } from './types.js';
import { warningLine } from '../../core/warnings.js';
import { FUJI_MAX, fujiMetric, mqaIndicator } from '../../mappings/fair/index.js';
import { trimFair } from './trim.js';
import { sourcesLine } from './summary.js';

const CODES = { red: 31, yellow: 33, green: 32, dim: 2, bold: 1, cyan: 36 } as const;
type Colour = keyof typeof CODES;

/**
 * The text report, piece by piece (the summary first, then the records read one at a time): joined, the whole report.
 */
export function* textReport(head: ReportHead, records: ReportRecords, opts: { colour?: boolean; all?: boolean } = {}): Generator<string> {
  const c = (colour: Colour, s: string) => (opts.colour ? `\u001b[${CODES[colour]}m${s}\u001b[0m` : s);
  const s = head.summary;
  const out: string[] = [];
  out.push(c('bold', `Validation of ${sourcesLine(head.sources)}`));
  out.push(
    `${s.records} record${s.records === 1 ? '' : 's'}: ${c('green', `${s.ok} ok`)}, ${c('yellow', `${s.withWarnings} with warnings`)}, ${c(s.withErrors ? 'red' : 'green', `${s.withErrors} with errors`)}` +
      (head.options.failUnder !== undefined ? `, ${s.belowFailUnder} under --fail-under ${head.options.failUnder}` : ''),
  );
  const r = s.mqa.ratings;
  out.push(
    `MQA points: average ${s.mqa.average} of 405 (min ${s.mqa.min}, max ${s.mqa.max}); ratings: excellent ${r.excellent}, good ${r.good}, sufficient ${r.sufficient}, bad ${r.bad}` +
      (s.mqa.notChecked ? ` (links not checked: up to ${s.mqa.notChecked} more points with --links)` : ''),
  );
  out.push(
    `MQA distribution: ${
      Object.entries(s.mqa.distribution)
        .filter(([, n]) => n > 0)
        .map(([b, n]) => `${b}: ${n}`)
        .join(', ') || 'none'
    }`,
  );
  out.push(`F-UJI points: average ${s.fuji.average} of ${s.fuji.max}`);
  for (const n of head.notices.filter((x) => x.level === 'warn')) out.push(c('yellow', `notice: ${n.message}`));
  yield out.join('\n');
  // the records with something to say (all with --verbose); those left out are not even read
  for (const rec of records.records(opts.all ? undefined : (k) => k.status !== 'ok')) yield '\n\n' + recordLines(rec, c).join('\n');
  yield (
    '\n\n' +
    (s.records === 0
      ? c('red', 'No record was found in the sources: nothing would be harvested.')
      : head.exitCode === 0
        ? c('green', 'Every record can be harvested.')
        : c('red', 'Some records cannot be harvested as they are (or are under --fail-under).')) +
    '\n'
  );
}

/** What the text report reads of a record (the spool keeps only that): the indicators and metrics with a fix. */
export const textReads = (r: RecordReport): RecordReport => trimFair(r, { indicator: (i) => !!i.fix, metric: (m) => !!m.fix });

function recordLines(rec: RecordReport, c: (colour: Colour, s: string) => string): string[] {
  const tag = rec.status === 'error' ? c('red', 'ERROR') : rec.status === 'warnings' ? c('yellow', 'WARN ') : c('green', 'OK   ');
  const score = rec.fair ? ` MQA ${rec.fair.mqa.points} (${rec.fair.mqa.rating}), F-UJI ${rec.fair.fuji.points}/${FUJI_MAX}` : '';
  const lines = [
    `${tag} ${c('bold', rec.id)}${rec.title ? ` "${rec.title}"` : ''}${rec.format ? ` [${rec.format}]` : ''}${score}`,
    c('dim', `      ${rec.location}`),
  ];
  for (const e of rec.errors) lines.push(`  ${c('red', 'error')} ${e.stage}${e.at ? ` at ${e.at}` : ''}: ${e.message}`);
  for (const w of rec.warnings) lines.push(`  ${c('yellow', 'warning')} ${warningLine(w)}`);
  for (const g of rec.dcatGaps) lines.push(`  ${c('yellow', 'DCAT-AP')} ${g.property} missing: ${g.message}`);
  if (rec.xsd?.status === 'not validated') lines.push(c('dim', `  xsd: ${rec.xsd.reason}`));
  const fixes = [
    ...(rec.fair?.mqa.indicators ?? [])
      .filter((i) => i.fix)
      .map((i) => {
        const def = mqaIndicator(i.id);
        return `MQA ${def.label} (${i.points}/${def.weight}): add ${i.fix!.add} at ${i.fix!.where}`;
      }),
    ...(rec.fair?.fuji.metrics ?? [])
      .filter((m) => m.fix)
      .map((m) => `${m.id} (${m.points}/${fujiMetric(m.id).max}): add ${m.fix!.add} at ${m.fix!.where}`),
  ];
  for (const f of fixes) lines.push(`  ${c('cyan', 'fix')} ${f}`);
  return lines;
}
