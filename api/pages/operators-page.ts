/**
 * The operators' page (read-only): every source that has run, with its last run (status, counts, errors, link to the
 * failure report), and the run history of one source. Statuses are shown as words, never by colour alone; a status
 * this page does not know yet is shown as it is stored.
 */
import type { RunSummary } from '../../pipelines/harvest.js';
import { failureName, formatDuration } from '../../pipelines/runs.js';
import { formatQuality, type SourceStatus } from '../../pipelines/status.js';
import { html, type Html } from './html.js';
import { t, translator, type Lang, type MessageKey, type Translate } from './i18n.js';
import { layout, PATHS, withLang } from './layout.js';

/** Where a run's failure report can be read: a link, or 'missing' when the run names a file the folder lacks. */
export type ReportLink = { href: string } | 'missing' | undefined;

export interface SourceRow {
  source: string;
  runs: number;
  last: RunSummary;
  /** What the service does with it, its next scheduled run and its FAIR figures (pipelines/status.ts). */
  status?: SourceStatus;
}

export interface OperatorsInput {
  lang: Lang;
  explicitLang: boolean;
  url: string;
  report: (run: RunSummary) => ReportLink;
}

const COUNTS = ['seen', 'indexed', 'new', 'restored', 'updated', 'unchanged', 'deleted', 'failed', 'skipped'] as const;

/** The label of a run status in `lang`: the known ones translated, another one as stored. */
export function statusLabel(lang: Lang, status: string): string {
  const key = `status.${status}` as MessageKey;
  return key in STATUS_KEYS ? t(lang, key) : status;
}
const STATUS_KEYS = {
  'status.ok': 1,
  'status.partial': 1,
  'status.failed': 1,
  'status.running': 1,
  'status.aborted': 1,
  'status.suspect': 1,
  'status.interrupted': 1,
  'status.skipped': 1,
};

function utc(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * When a run started, and what it asked its source for: an incremental run that saw nothing reads "no change since",
 * not "the source had nothing". Runs recorded before modes were, without a mode, show the time alone.
 */
function started(run: RunSummary, tr: Translate): Html {
  const time = html`<time datetime="${run.startedAt}">${utc(run.startedAt)}</time>`;
  if (run.mode === 'incremental' && run.since)
    return html`${time}<br /><small class="mode">${tr('ops.incremental')} <time datetime="${run.since}">${utc(run.since)}</time></small>`;
  return run.mode === 'full' ? html`${time}<br /><small class="mode">${tr('ops.full')}</small>` : time;
}

function status(lang: Lang, s: string): Html {
  return html`<span class="status status-${s.replace(/[^a-z-]/gi, '')}">${statusLabel(lang, s)}</span>`;
}

function href(url: string, lang: string | undefined): string {
  return lang ? withLang(url, lang as Lang) : url;
}

function head(tr: Translate, first: 'source' | 'started'): Html {
  return html`<thead>
    <tr>
      <th scope="col">${tr(first === 'source' ? 'ops.source' : 'ops.started')}</th>
      ${first === 'source' ? html`<th scope="col">${tr('ops.lastRun')}</th>` : ''}
      <th scope="col">${tr('ops.status')}</th>
      ${COUNTS.map((c) => html`<th scope="col" class="num">${tr(`ops.${c}`)}</th>`)}
      <th scope="col" class="num">${tr('ops.took')}</th>
    </tr>
  </thead>`;
}

function counts(run: RunSummary, lang: Lang, tr: Translate): Html {
  const fmt = (n: number | undefined) => (n === undefined ? '' : n.toLocaleString(lang === 'en' ? 'en-GB' : 'fr-FR'));
  // a run that died before recording any count: unknown, never a 0 that reads "the source had nothing"
  if (run.countsUnknown)
    return html`${COUNTS.map(() => html`<td class="num unknown"><abbr title="${tr('ops.countUnknown')}">?</abbr></td>`)}
      <td class="num">${formatDuration(run.ms)}</td>`;
  return html`${COUNTS.map((c) => html`<td class="num${c === 'failed' && run.failed > 0 ? ' bad' : ''}">${fmt(run[c])}</td>`)}
    <td class="num">${formatDuration(run.ms)}</td>`;
}

/**
 * What went wrong in a run, in a few lines: source error, removal note, failures by stage, first failures, report.
 * The run's own texts (its error, removal note, failures, warnings) are written in English by the harvest: on a page
 * in another language they are marked `lang="en"`, so that a screen reader reads them as English.
 */
function problems(run: RunSummary, lang: Lang, tr: Translate, report: ReportLink): Html | undefined {
  const en = (text: string): Html => (lang === 'en' ? html`${text}` : html`<span lang="en">${text}</span>`);
  const byStage = Object.entries(run.failuresByStage ?? {});
  const failures = (run.failures ?? []).filter((f) => !f.skipped).slice(0, 5);
  const warnings = (run.notices ?? []).filter((n) => n.level === 'warn').slice(0, 5);
  // whose the error is: the source's only when harvesting it failed; a stop is no error of the source, and a failed
  // step of the hub's own (the index not answering, the run not recorded) sends nobody to the data centre
  const errorLabel =
    run.status === 'interrupted' || run.status === 'aborted'
      ? 'ops.stopped'
      : run.step !== undefined && run.step !== 'harvest'
        ? 'ops.hubError'
        : 'ops.error';
  const rows = [
    run.countsUnknown ? html`<p class="counts-unknown">${tr('ops.countsUnknown')}</p>` : '',
    run.error ? html`<p class="source-error"><strong>${tr(errorLabel)}${tr('colon')}</strong> ${en(run.error)}</p>` : '',
    // an incremental run that went well removes nothing by design (the nightly run of most sources): not a problem to
    // list under every healthy source; any other reason (an incomplete, failed or suspect run) is
    run.deletion && !(run.status === 'ok' && run.end?.complete === false && run.end.reason === 'incremental')
      ? html`<p><strong>${tr('ops.deletion')}${tr('colon')}</strong> ${en(run.deletion)}</p>`
      : '',
    // why fewer were indexed than seen when nothing failed: copies within the source, the last of each kept
    run.duplicates > 0 ? html`<p class="duplicates">${tr('ops.duplicates', run.duplicates)}</p>` : '',
    byStage.length
      ? html`<p><strong>${tr('ops.byStage')}${tr('colon')}</strong> ${byStage.map(([k, v]) => `${k} ${v}`).join(', ')}</p>`
      : '',
    failures.length
      ? html`<details>
          <summary>${tr('ops.failures')}</summary>
          <ul class="failures">
            ${failures.map((f) => html`<li><code>${failureName(f)}</code> [${f.stage}] ${en(f.error.slice(0, 300))}</li>`)}
          </ul>
          ${run.failed > failures.length ? html`<p>${tr('ops.more', run.failed - failures.length)}</p>` : ''}
        </details>`
      : '',
    warnings.length
      ? html`<details>
          <summary>${tr('ops.warnings')}</summary>
          <ul>
            ${warnings.map((n) => html`<li>${en(n.message)}</li>`)}
          </ul>
        </details>`
      : '',
    report === 'missing'
      ? html`<p class="report">${tr('ops.report')}: ${tr('ops.report.gone')}</p>`
      : report
        ? html`<p class="report"><a href="${report.href}" type="application/x-ndjson">${tr('ops.report')}</a></p>`
        : '',
  ].filter((x) => x !== '');
  return rows.length ? html`${rows}` : undefined;
}

/** The row under a run that says what went wrong, across the table's `columns`; none when nothing did. */
function notesRow(notes: Html | undefined, columns: number): Html | '' {
  return notes
    ? html`<tr class="notes">
        <td colspan="${columns}">${notes}</td>
      </tr>`
    : '';
}

/** A source's run under way or waiting, next scheduled run, last skipped slot and FAIR figures, in small lines. */
function glanceOf(st: SourceStatus, tr: Translate): Html {
  return html`${
    st.live
      ? html`<br /><small class="live" data-state="${st.live.state}"
            >${tr(st.live.state === 'queued' ? 'ops.queued' : 'ops.runningNow')}</small
          >`
      : ''
  }${st.nextRun ? html`<br /><small class="next">${tr('ops.nextRun')}${tr('colon')} <time datetime="${st.nextRun}">${utc(st.nextRun)}</time></small>` : ''}${
    st.unscheduled ? html`<br /><small class="next unscheduled">${tr('ops.nextRun')}${tr('colon')} ${tr('ops.noScheduler')}</small>` : ''
  }${
    st.lastSkipped
      ? html`<br /><small class="skipped"
            >${tr('ops.lastSkipped')}${tr('colon')} <time datetime="${st.lastSkipped.at}">${utc(st.lastSkipped.at)}</time></small
          >`
      : ''
  }${st.quality && st.quality.records > 0 ? html`<br /><small class="fair">FAIR${tr('colon')} ${formatQuality(st.quality)}</small>` : ''}`;
}

/**
 * The statuses from the worst to the best: what needs an operator first (a status this page does not know, between
 * the failures and the rest).
 */
const SEVERITY = ['failed', 'aborted', 'interrupted', 'suspect', 'partial', 'running', 'skipped', 'ok'];
const severity = (status: string) => {
  const i = SEVERITY.indexOf(status);
  return i < 0 ? SEVERITY.indexOf('interrupted') + 0.5 : i;
};

/** How many sources' last runs ended in each status, the worst first: the page's first line. */
function tally(sources: SourceRow[], lang: Lang, tr: Translate): Html {
  const byStatus = new Map<string, number>();
  for (const { last } of sources) byStatus.set(last.status, (byStatus.get(last.status) ?? 0) + 1);
  const parts = [...byStatus].sort(([a], [b]) => severity(a) - severity(b));
  return html`<p class="tally">
    ${tr('ops.tally', sources.length)}${tr('colon')}
    ${parts.map(([s, n], i) => html`${i > 0 ? ' · ' : ''}<span class="tally-part" data-status="${s}">${status(lang, s)} ${n}</span>`)}
  </p>`;
}

/**
 * The attributes of the box a wide table scrolls in on a narrow screen: a tab stop (so that the keyboard scrolls it
 * too, whether or not the table holds links) named by the page's heading.
 */
const scrollable = html`tabindex="0" role="region" aria-labelledby="page-h"`;

/** Every source with its last run, the worst first (then by id). */
export function operatorsPage(input: OperatorsInput, rows: SourceRow[]): Html {
  const { lang } = input;
  const tr = translator(lang);
  const keep = input.explicitLang ? lang : undefined;
  const sources = [...rows].sort((a, b) => severity(a.last.status) - severity(b.last.status) || a.source.localeCompare(b.source));
  const body = html`<h1 id="page-h">${tr('ops.title')}</h1>
    <p>${tr('ops.intro')}</p>
    ${
      sources.length === 0
        ? html`<p class="empty">${tr('ops.none')}</p>`
        : html`${tally(sources, lang, tr)}
            <div class="table-scroll" ${scrollable}>
              <table class="runs sources">
                ${head(tr, 'source')}
                <tbody>
                  ${sources.map(({ source, runs, last, status: st }) => {
                    const notes = problems(last, lang, tr, input.report(last));
                    const glance = st ? glanceOf(st, tr) : undefined;
                    return html`<tr class="run" data-source="${source}" data-status="${last.status}">
                        <th scope="row">
                          <a href="${href(PATHS.sourceRuns(source), keep)}">${source}</a
                          >${last.name && last.name !== source ? html`<br /><small>${last.name}</small>` : ''}<br /><small
                            >${last.type} · ${tr('ops.runCount', runs)}</small
                          >${glance ?? ''}
                        </th>
                        <td>${started(last, tr)}</td>
                        <td>${status(lang, last.status)}</td>
                        ${counts(last, lang, tr)}
                      </tr>
                      ${notesRow(notes, COUNTS.length + 4)}`;
                  })}
                </tbody>
              </table>
            </div>`
    }`;
  return layout({ lang, explicitLang: input.explicitLang, title: tr('ops.title'), url: input.url, section: 'operators', body });
}

/** The run history of one source, newest first. */
export function sourceRunsPage(input: OperatorsInput, source: string, runs: RunSummary[]): Html {
  const { lang } = input;
  const tr = translator(lang);
  const keep = input.explicitLang ? lang : undefined;
  const last = runs[0];
  const body = html`<p class="back"><a href="${href(PATHS.operators, keep)}">${tr('ops.title')}</a></p>
    <h1 id="page-h">${tr('ops.history', source)}</h1>
    ${last ? html`<p>${last.name && last.name !== source ? html`${last.name} · ` : ''}${last.type} · <code>${last.url}</code></p>` : ''}
    <div class="table-scroll" ${scrollable}>
      <table class="runs history">
        ${head(tr, 'started')}
        <tbody>
          ${runs.map((run) => {
            const notes = problems(run, lang, tr, input.report(run));
            return html`<tr class="run" data-run="${run.runId}" data-status="${run.status}">
                <th scope="row">${started(run, tr)}</th>
                <td>${status(lang, run.status)}</td>
                ${counts(run, lang, tr)}
              </tr>
              ${notesRow(notes, COUNTS.length + 3)}`;
          })}
        </tbody>
      </table>
    </div>`;
  return layout({ lang, explicitLang: input.explicitLang, title: tr('ops.history', source), url: input.url, section: 'operators', body });
}
