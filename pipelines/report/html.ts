/**
 * The report as one self-contained HTML page a data manager reads: the summary and the rating bands at the top, a table
 * of the records with their scores (the worst first), then each record's problems and what to fix, where. No script,
 * no font, no CDN: it opens without network and prints.
 */
import type { RecordReport, ReportHead, ReportRecords } from './types.js';
import { FUJI_MAX, fujiMetric, mqaIndicator } from '../../mappings/fair/index.js';
import { trimFair } from './trim.js';
import { sourcesLine } from './summary.js';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const CSS = `body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1d2430}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem}h3{font-size:1.05rem;margin:1.5rem 0 .3rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border-bottom:1px solid #dde3ea;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f6f9}.n{text-align:right;font-variant-numeric:tabular-nums}
#records td{overflow-wrap:anywhere}.notices li{color:#8a5a00}
.bands{display:flex;gap:.5rem;flex-wrap:wrap}.band{padding:.6rem 1rem;border-radius:.4rem;min-width:8rem}
.excellent{background:#d7f0dd}.good{background:#e3f1fb}.sufficient{background:#fcf1d6}.bad{background:#fadcdc}
.error{color:#a40e0e}.warnings{color:#8a5a00}.ok{color:#17692c}code{font-size:.85em;background:#f3f6f9;padding:0 .2rem;word-break:break-all}
ul{margin:.2rem 0 .6rem 1.2rem;padding:0}li{margin:.15rem 0}.fix{color:#0b4f71}.muted{color:#5b6675}
.scroll{overflow-x:auto}.scroll:focus-visible,a:focus-visible{outline:3px solid #f0b400;outline-offset:2px}`;

/** What the page reads of a record (the spool keeps only that): the indicators and metrics with a fix, those not assessed. */
export const htmlReads = (r: RecordReport): RecordReport =>
  trimFair(r, { indicator: (i) => !!i.fix, metric: (m) => !!m.fix || m.status === 'not assessed' });

function recordSection(r: RecordReport, i: number): string {
  const parts: string[] = [];
  parts.push(
    `<section id="r${i}"><h3 class="${r.status}">${esc(r.id)}${r.title ? ` — ${esc(r.title)}` : ''}</h3><p class="muted">${esc(r.location)}${r.format ? ` · ${esc(r.format)}` : ''}${r.fair ? ` · MQA ${r.fair.mqa.points} (${r.fair.mqa.rating}) · F-UJI ${r.fair.fuji.points}/${FUJI_MAX}` : ''}</p>`,
  );
  if (r.errors.length)
    parts.push(
      `<h4>Errors</h4><ul>${r.errors.map((e) => `<li class="error">${esc(e.stage)}${e.at ? ` at <code>${esc(e.at)}</code>` : ''}: ${esc(e.message)}</li>`).join('')}</ul>`,
    );
  if (r.warnings.length)
    parts.push(`<h4>Warnings</h4><ul>${r.warnings.map((w) => `<li><code>${esc(w.at)}</code>: ${esc(w.message)}</li>`).join('')}</ul>`);
  if (r.dcatGaps.length)
    parts.push(
      `<h4>DCAT-AP mandatory values missing</h4><ul>${r.dcatGaps.map((g) => `<li><code>${esc(g.property)}</code>: ${esc(g.message)}</li>`).join('')}</ul>`,
    );
  const fixes = [
    ...(r.fair?.mqa.indicators ?? [])
      .filter((x) => x.fix)
      .map((x) => {
        const def = mqaIndicator(x.id);
        return { what: `MQA ${def.label} (${x.points}/${def.weight})`, fix: x.fix! };
      }),
    ...(r.fair?.fuji.metrics ?? [])
      .filter((m) => m.fix)
      .map((m) => {
        const def = fujiMetric(m.id);
        return { what: `${m.id} ${def.name} (${m.points}/${def.max})`, fix: m.fix! };
      }),
  ];
  if (fixes.length)
    parts.push(
      `<h4>What to fix</h4><ul>${fixes.map((f) => `<li class="fix">${esc(f.what)}: add ${esc(f.fix.add)} at <code>${esc(f.fix.where)}</code></li>`).join('')}</ul>`,
    );
  const notAssessed = (r.fair?.fuji.metrics ?? []).filter((m) => m.status === 'not assessed').map((m) => m.id);
  if (notAssessed.length) parts.push(`<p class="muted">F-UJI not assessed from metadata alone: ${esc(notAssessed.join(', '))}</p>`);
  parts.push('</section>');
  return parts.join('');
}

/** The HTML page, piece by piece (the summary, the table, then each record's section; the records read twice, one at a time). */
export function* htmlReport(head: ReportHead, records: ReportRecords): Generator<string> {
  const s = head.summary;
  const bands = (['excellent', 'good', 'sufficient', 'bad'] as const)
    .map((b) => `<div class="band ${b}"><strong>${s.mqa.ratings[b]}</strong> ${b}</div>`)
    .join('');
  // what the readers forgave or stopped at, as the text report says it (the info notices stay in the JSON report)
  const warned = head.notices.filter((n) => n.level === 'warn');
  const notices = warned.length
    ? `<h3>Notices</h3><ul class="notices">${warned.map((n) => `<li>${esc(n.message)}</li>`).join('')}</ul>`
    : '';
  const distribution = Object.entries(s.mqa.distribution)
    .map(([b, n]) => `<tr><td>${b}</td><td class="n">${n}</td></tr>`)
    .join('');
  yield `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Validation report: ${esc(sourcesLine(head.sources).slice(0, 120))}</title><style>${CSS}</style></head>
<body><main><h1>Validation report</h1>
<p class="muted">${esc(sourcesLine(head.sources))} · ${esc(head.generatedAt)} · links ${head.options.links ? 'checked' : 'not checked'} · XML schemas ${head.options.xsd ? 'checked' : 'not checked'}</p>
<section id="summary"><h2>Summary</h2>
<p><strong>${s.records}</strong> records: <span class="ok">${s.ok} ok</span>, <span class="warnings">${s.withWarnings} with warnings</span>, <span class="error">${s.withErrors} with errors</span>${head.options.failUnder !== undefined ? `, ${s.belowFailUnder} under ${head.options.failUnder} MQA points` : ''}.</p>
<p>MQA (data.europa.eu, 405 points): average <strong>${s.mqa.average}</strong>, from ${s.mqa.min} to ${s.mqa.max}${s.mqa.notChecked ? ` (links not checked: up to ${s.mqa.notChecked} more points)` : ''}. F-UJI (metrics v0.5): average <strong>${s.fuji.average}</strong> of ${s.fuji.max}.</p>
<div class="bands">${bands}</div>
<table style="max-width:20rem"><caption class="muted">MQA points, records per band</caption>${distribution}</table>${notices}</section>
<section id="records"><h2 id="records-h">Records</h2><div class="scroll" tabindex="0" role="region" aria-labelledby="records-h"><table><thead><tr><th>identifier</th><th>title</th><th>format</th><th>status</th><th class="n">errors</th><th class="n">warnings</th><th class="n">MQA</th><th>rating</th><th class="n">F-UJI</th></tr></thead>
<tbody>
`;
  let i = 0;
  for (const r of records.records())
    yield `${i ? '\n' : ''}<tr><td><a href="#r${i++}">${esc(r.id)}</a></td><td>${esc(r.title ?? '')}</td><td>${esc(r.format ?? '')}</td><td class="${r.status}">${r.status}</td><td class="n">${r.errors.length}</td><td class="n">${r.warnings.length}</td><td class="n">${r.fair ? r.fair.mqa.points : ''}</td><td class="${r.fair?.mqa.rating ?? ''}">${r.fair?.mqa.rating ?? ''}</td><td class="n">${r.fair ? `${r.fair.fuji.points}/${FUJI_MAX}` : ''}</td></tr>`;
  yield `
</tbody></table></div></section>
<section id="details"><h2>Problems and fixes, record by record</h2>
`;
  i = 0;
  for (const r of records.records()) yield (i ? '\n' : '') + recordSection(r, i++);
  yield `
</section></main></body></html>
`;
}
