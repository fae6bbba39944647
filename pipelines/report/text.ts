/**
 * The report for a terminal: the summary first, then each record that has something to say, the worst first, grouped
 * by record: its errors, its warnings (where in its format, then what), the DCAT-AP values it lacks, its scores and
 * what to fix. Colour only when asked (a TTY); `--verbose` adds the records without problems.
 */
import type { RecordReport, ValidationReport } from './types.js';
import { warningLine } from '../../core/warnings.js';

const CODES = { red: 31, yellow: 33, green: 32, dim: 2, bold: 1, cyan: 36 } as const;
type Colour = keyof typeof CODES;

export function textReport(report: ValidationReport, opts: { colour?: boolean; all?: boolean } = {}): string {
  const c = (colour: Colour, s: string) => (opts.colour ? `\u001b[${CODES[colour]}m${s}\u001b[0m` : s);
  const s = report.summary;
  const out: string[] = [];
  out.push(
    c('bold', `Validation of ${report.sources.length} source${report.sources.length === 1 ? '' : 's'}: ${report.sources.join(', ')}`),
  );
  out.push(
    `${s.records} record${s.records === 1 ? '' : 's'}: ${c('green', `${s.ok} ok`)}, ${c('yellow', `${s.withWarnings} with warnings`)}, ${c(s.withErrors ? 'red' : 'green', `${s.withErrors} with errors`)}` +
      (report.options.failUnder !== undefined ? `, ${s.belowFailUnder} under --fail-under ${report.options.failUnder}` : ''),
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
  for (const n of report.notices.filter((x) => x.level === 'warn')) out.push(c('yellow', `notice: ${n.message}`));
  for (const rec of report.records) {
    if (rec.status === 'ok' && !opts.all) continue;
    out.push('', ...recordLines(rec, c));
  }
  out.push(
    '',
    report.exitCode === 0
      ? c('green', 'Every record can be harvested.')
      : c('red', 'Some records cannot be harvested as they are (or are under --fail-under).'),
  );
  return out.join('\n') + '\n';
}

function recordLines(rec: RecordReport, c: (colour: Colour, s: string) => string): string[] {
  const tag = rec.status === 'error' ? c('red', 'ERROR') : rec.status === 'warnings' ? c('yellow', 'WARN ') : c('green', 'OK   ');
  const score = rec.fair ? ` MQA ${rec.fair.mqa.points} (${rec.fair.mqa.rating}), F-UJI ${rec.fair.fuji.points}/${rec.fair.fuji.max}` : '';
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
      .map((i) => `MQA ${i.label} (${i.points}/${i.weight}): add ${i.fix!.add} at ${i.fix!.where}`),
    ...(rec.fair?.fuji.metrics ?? [])
      .filter((m) => m.fix)
      .map((m) => `${m.id} (${m.points}/${m.max}): add ${m.fix!.add} at ${m.fix!.where}`),
  ];
  for (const f of fixes) lines.push(`  ${c('cyan', 'fix')} ${f}`);
  return lines;
}
