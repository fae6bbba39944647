/**
 * The report as one self-contained HTML page a data manager reads: the summary and the rating bands at the top, a table
 * of the records with their scores (the worst first), then each record's problems and what to fix, where. No script,
 * no font, no CDN: it opens without network and prints.
 *
 * In English (the CLI's default) or French (`lang`: POST /validate answers in the reader's language): the page's own
 * words and the FAIR methodologies' fixed tables are translated (html-i18n.ts), and so is each message that has a code
 * (core/texts: the crosswalks' warnings, with their parameters; the blocking errors, notices, links' network failures
 * and xmllint's messages of a known form, with the English they were read from in a title). A message without a code
 * (of no known form, or from a report written before codes) is English, and a French page says so with `lang="en"`
 * on it, so that a screen reader reads it right.
 */
import type { DcatGap, Fix } from '../../mappings/fair/index.js';
import type { RecordReport, ReportHead, ReportRecords } from './types.js';
import { FUJI_MAX, fujiMetric, mqaIndicator } from '../../mappings/fair/index.js';
import { CORE_LACKING } from '../../mappings/fair/fuji.js';
import { FUJI_FR, gapFr, MQA_FR, RATING, REPORT_WORDS, STAGE_FR, STATUS, type ReportLang } from './html-i18n.js';
import { trimFair } from './trim.js';
import { sourcesLine } from './summary.js';
import { renderText } from '../../core/texts/render.js';
import { MESSAGES_EN } from '../../core/texts/messages-en.js';

export type { ReportLang } from './html-i18n.js';

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

/** A number as the page's language writes it (English: as the JSON says it). */
const num = (lang: ReportLang, n: number) => (lang === 'fr' ? n.toLocaleString('fr-FR') : String(n));

/** English text on a page in another language, marked so (a validator's message, a crosswalk's warning). */
const english = (lang: ReportLang, text: string) => (lang === 'en' ? esc(text) : `<span lang="en">${esc(text)}</span>`);
/**
 * A DCAT-AP gap's sentence in the report's language: by its code (core/texts), else (a report written before codes)
 * read from its English (html-i18n.ts gapFr), else in English, marked.
 */
function gapText(lang: ReportLang, g: DcatGap): string {
  const fr = lang === 'fr' ? ((g.code && renderText(lang, g.code, g.params)) ?? gapFr(g.message)) : undefined;
  return fr !== undefined ? esc(fr) : english(lang, g.message);
}

/**
 * A message in the report's language when it has a code in the catalogue (core/texts: a warning, a blocking error, a
 * notice), else its English, marked. A message read back from words that are not the hub's own (xmllint's, the
 * system's, a reader's: core/texts/messages-en.ts) keeps them in a title, for the reader who searches for them.
 */
function messageText(lang: ReportLang, m: { message: string; code?: string; params?: Record<string, unknown> }): string {
  const text = lang !== 'en' && m.code ? renderText(lang, m.code, m.params) : undefined;
  if (text === undefined) return english(lang, m.message);
  return Object.hasOwn(MESSAGES_EN, m.code!) ? `<span title="${esc(m.message)}">${esc(text)}</span>` : esc(text);
}

/** Where a problem is: a path as it is, or an XML schema's place (`line 12, element date`) in the page's language. */
function atText(lang: ReportLang, at: string): string {
  const m = lang === 'fr' ? /^line (\d+|\?)(?:, element (\S+))?$/.exec(at) : null;
  return esc(m ? `ligne ${m[1]}${m[2] ? `, élément ${m[2]}` : ''}` : at);
}

/** Where a fix goes: an element path, a field or a pointer, with English words around it sometimes ("with cit:role"). */
const whereCode = (lang: ReportLang, where: string) => `<code${lang !== 'en' && /\s/.test(where) ? ' lang="en"' : ''}>${esc(where)}</code>`;

/**
 * What to add, in the page's language when it is the methodology's standard sentence for the indicator (MQA) or
 * metric (F-UJI), or that sentence after "a distribution first", or the F-UJI core metadata it lacks; otherwise in
 * English, marked.
 */
function addText(lang: ReportLang, fix: Fix, standard: string | undefined, translated: string | undefined): string {
  // the core metadata a record lacks, named by F-UJI's names of them (creator, publication_date...)
  if (lang !== 'en' && fix.add.startsWith(CORE_LACKING)) return esc(REPORT_WORDS[lang].coreLacking(fix.add.slice(CORE_LACKING.length)));
  if (lang === 'en' || !standard || !translated) return english(lang, fix.add);
  if (fix.add === standard) return esc(translated);
  if (fix.add === REPORT_WORDS.en.noDistribution(standard)) return esc(REPORT_WORDS[lang].noDistribution(translated));
  return english(lang, fix.add);
}

function recordSection(r: RecordReport, i: number, lang: ReportLang): string {
  const w = REPORT_WORDS[lang];
  const c = w.colon;
  const parts: string[] = [];
  parts.push(
    `<section id="r${i}"><h3 class="${r.status}">${esc(r.id)}${r.title ? ` — ${esc(r.title)}` : ''}</h3><p class="muted">${esc(r.location)}${r.format ? ` · ${esc(r.format)}` : ''}${r.fair ? ` · MQA ${num(lang, r.fair.mqa.points)} (${RATING[lang][r.fair.mqa.rating]}) · F-UJI ${num(lang, r.fair.fuji.points)}/${FUJI_MAX}` : ''}</p>`,
  );
  if (r.errors.length)
    parts.push(
      `<h4>${w.errors}</h4><ul>${r.errors.map((e) => `<li class="error">${esc(lang === 'fr' ? (STAGE_FR[e.stage] ?? e.stage) : e.stage)}${e.at ? ` ${w.at} <code>${atText(lang, e.at)}</code>` : ''}${c} ${messageText(lang, e)}</li>`).join('')}</ul>`,
    );
  if (r.warnings.length)
    parts.push(
      `<h4>${w.warnings}</h4><ul>${r.warnings.map((x) => `<li><code>${atText(lang, x.at)}</code>${c} ${messageText(lang, x)}</li>`).join('')}</ul>`,
    );
  if (r.dcatGaps.length)
    parts.push(
      `<h4>${w.gaps}</h4><ul>${r.dcatGaps.map((g) => `<li><code>${esc(g.property)}</code>${c} ${gapText(lang, g)}</li>`).join('')}</ul>`,
    );
  const fr = lang === 'fr';
  const fixes = [
    ...(r.fair?.mqa.indicators ?? [])
      .filter((x) => x.fix)
      .map((x) => {
        const def = mqaIndicator(x.id);
        const t = fr ? MQA_FR[x.id] : undefined;
        return {
          what: `MQA ${esc(t?.label ?? def.label)} (${num(lang, x.points)}/${def.weight})`,
          add: addText(lang, x.fix!, def.add, t?.add),
          where: x.fix!.where,
        };
      }),
    ...(r.fair?.fuji.metrics ?? [])
      .filter((m) => m.fix)
      .map((m) => {
        const def = fujiMetric(m.id);
        const t = fr ? FUJI_FR[m.id] : undefined;
        const standard = typeof def.fix === 'object' ? def.fix.add : undefined;
        return {
          what: `${esc(m.id)} ${esc(t?.name ?? def.name)} (${num(lang, m.points)}/${def.max})`,
          add: addText(lang, m.fix!, standard, t?.add),
          where: m.fix!.where,
        };
      }),
  ];
  if (fixes.length)
    parts.push(
      `<h4>${w.fixes}</h4><ul>${fixes.map((f) => `<li class="fix">${w.fix(f.what, f.add, whereCode(lang, f.where))}</li>`).join('')}</ul>`,
    );
  const notAssessed = (r.fair?.fuji.metrics ?? []).filter((m) => m.status === 'not assessed').map((m) => m.id);
  if (notAssessed.length) parts.push(`<p class="muted">${w.notAssessed} ${esc(notAssessed.join(', '))}</p>`);
  parts.push('</section>');
  return parts.join('');
}

/**
 * The HTML page, piece by piece (the summary, the table, then each record's section; the records read twice, one at a
 * time), in `lang` (English by default).
 */
export function* htmlReport(head: ReportHead, records: ReportRecords, lang: ReportLang = 'en'): Generator<string> {
  const w = REPORT_WORDS[lang];
  const s = head.summary;
  const n = (x: number) => num(lang, x);
  const bands = (['excellent', 'good', 'sufficient', 'bad'] as const)
    .map((b) => `<div class="band ${b}"><strong>${n(s.mqa.ratings[b])}</strong> ${RATING[lang][b]}</div>`)
    .join('');
  // what the readers forgave or stopped at, as the text report says it (the info notices stay in the JSON report)
  const warned = head.notices.filter((x) => x.level === 'warn');
  const notices = warned.length
    ? `<h3>${w.notices}</h3><ul class="notices">${warned.map((x) => `<li>${messageText(lang, x)}</li>`).join('')}</ul>`
    : '';
  const distribution = Object.entries(s.mqa.distribution)
    .map(([b, k]) => `<tr><td>${b}</td><td class="n">${n(k)}</td></tr>`)
    .join('');
  const sources = sourcesLine(head.sources, lang);
  const fu = head.options.failUnder;
  yield `<!DOCTYPE html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${w.title}${w.colon} ${esc(sources.slice(0, 120))}</title><style>${CSS}</style></head>
<body><main><h1>${w.title}</h1>
<p class="muted">${esc(sources)} · ${esc(head.generatedAt)} · ${w.checked('links', head.options.links)} · ${w.checked('xsd', head.options.xsd)}</p>
<section id="summary"><h2>${w.summary}</h2>
<p><strong>${n(s.records)}</strong> ${w['records.noun'](s.records)}${w.colon} <span class="ok">${w['records.ok'](s.ok)}</span>, <span class="warnings">${w['records.warnings'](s.withWarnings)}</span>, <span class="error">${w['records.errors'](s.withErrors)}</span>${fu !== undefined ? `, ${w['records.under'](s.belowFailUnder, fu)}` : ''}.</p>
<p>${w['mqa.line'](s.mqa.average, s.mqa.min, s.mqa.max)}${s.mqa.notChecked ? w['mqa.notChecked'](s.mqa.notChecked) : ''}. ${w['fuji.line'](s.fuji.average, s.fuji.max)}.</p>
<div class="bands">${bands}</div>
<table style="max-width:20rem"><caption class="muted">${w['bands.caption']}</caption>${distribution}</table>${notices}</section>
<section id="records"><h2 id="records-h">${w.records}</h2><div class="scroll" tabindex="0" role="region" aria-labelledby="records-h"><table><thead><tr><th>${w['col.id']}</th><th>${w['col.title']}</th><th>${w['col.format']}</th><th>${w['col.status']}</th><th class="n">${w['col.errors']}</th><th class="n">${w['col.warnings']}</th><th class="n">${w['col.mqa']}</th><th>${w['col.rating']}</th><th class="n">${w['col.fuji']}</th></tr></thead>
<tbody>
`;
  let i = 0;
  for (const r of records.records())
    yield `${i ? '\n' : ''}<tr><td><a href="#r${i++}">${esc(r.id)}</a></td><td>${esc(r.title ?? '')}</td><td>${esc(r.format ?? '')}</td><td class="${r.status}">${STATUS[lang][r.status]}</td><td class="n">${n(r.errors.length)}</td><td class="n">${n(r.warnings.length)}</td><td class="n">${r.fair ? n(r.fair.mqa.points) : ''}</td><td class="${r.fair?.mqa.rating ?? ''}">${r.fair ? RATING[lang][r.fair.mqa.rating] : ''}</td><td class="n">${r.fair ? `${n(r.fair.fuji.points)}/${FUJI_MAX}` : ''}</td></tr>`;
  yield `
</tbody></table></div></section>
<section id="details"><h2>${w.details}</h2>${w.legend ? `<p class="muted">${w.legend}</p>` : ''}
`;
  i = 0;
  for (const r of records.records()) yield (i ? '\n' : '') + recordSection(r, i++, lang);
  yield `
</section></main></body></html>
`;
}
