/**
 * The catalogue page: the search form (words, box, period), the active filters, the facets, the results and the
 * map of their footprints. Rendered whole on the server: every control is a form field or a link, so the page works
 * without JavaScript; the map script (api/static/js/catalogue-map.ts) adds drawing a box and searching the map's view.
 */
import { conceptLabels } from '../../core/vocab.js';
import type { SearchResult } from '../../pipelines/search.js';
import type { LangMap } from '../../schemas/record.js';
import { iriLabel, languageName, markedTexts, recordBoxes, periods, recordType } from './facts.js';
import { html, jsonScript, type Html } from './html.js';
import { codeLabel, pick, type Lang, type Translate, translator } from './i18n.js';
import { layout, PATHS } from './layout.js';
import {
  catalogueUrl,
  FACETS,
  facetsOf,
  isEmpty,
  lastPage,
  MAX_WINDOW,
  PAGE_SIZE,
  SORTS,
  toggleFilter,
  without,
  type CatalogueQuery,
} from './query.js';

export interface SearchPageInput {
  lang: Lang;
  explicitLang: boolean;
  /** The request URL (path and query). */
  url: string;
  query: CatalogueQuery;
  result?: SearchResult;
  /** Why the search could not run (a bad parameter), shown above the form; a page past the end links the last one. */
  error?: { message: string; parameter?: string; lastPage?: number };
  /** The titles of the records a `partOf` filter names, by hub id (null: not in the index), for its chip. */
  parents?: ReadonlyMap<string, LangMap | null>;
}

/** A label with its language when known (a concept's label map says it; a keyword's or publisher's is not known). */
interface Label {
  text: string;
  lang?: string;
}

/**
 * Labels of theme and variable category IRIs, with their language: those the search gives the facet values (a record's
 * label of the concept, in the page's language when one has it), else those of the concepts of the records at hand.
 */
function themeLabels(result: SearchResult | undefined, lang: Lang): Map<string, Label> {
  const out = new Map<string, Label>();
  for (const name of ['theme', 'variableCategory'] as const)
    for (const b of result?.facets?.[name] ?? [])
      if (b.label && !out.has(b.key)) out.set(b.key, { text: b.label, ...(b.labelLang ? { lang: b.labelLang } : {}) });
  for (const r of result?.hits.map((h) => h.record) ?? [])
    for (const c of r.theme ?? []) {
      const label = pick(conceptLabels(c, lang), lang);
      if (c['@id'] && label && !out.has(c['@id'])) out.set(c['@id'], label);
    }
  return out;
}

/** The words a facet value is shown with, and their language when it is known. */
function valueLabel(param: string, key: string, tr: Translate, labels: Map<string, Label>, lang: Lang): Label {
  if (param === 'type' && (key === 'dataset' || key === 'series' || key === 'service')) return { text: tr(`type.${key}`) };
  if (param === 'rating') return { text: codeLabel(lang, 'rating', key) };
  if (param === 'language') return { text: languageName(key, lang) };
  if (param === 'partOf') return labels.get(key) ?? { text: key }; // the record's title, else its id
  if (param === 'theme' || param === 'category') {
    // the label a record at hand gives the concept, else the IRI's last segment (INSPIRE theme "cp", a GCMD uuid...)
    return labels.get(key) ?? { text: iriLabel(key) };
  }
  // a keyword, a publisher, a format...: as harvested; the index keeps the value without its language
  return { text: key };
}

/** A facet value's words, marked with their language when it is another than the page's. */
function labelHtml(label: Label, page: Lang, cls?: string): Html {
  const other = label.lang && label.lang !== page ? html` lang="${label.lang}"` : '';
  return cls
    ? html`<span class="${cls}" ${other}>${label.text}</span>`
    : other
      ? html`<span${other}>${label.text}</span>`
      : html`${label.text}`;
}

function form(q: CatalogueQuery, lang: Lang, explicitLang: boolean, tr: Translate, error?: SearchPageInput['error']): Html {
  // a field the error is about: marked invalid, and described by the error as well as by its hint
  const described = (p: string, hint: string) =>
    error?.parameter === p ? html`aria-describedby="${hint} search-error" aria-invalid="true"` : html`aria-describedby="${hint}"`;
  return html`<form class="search" method="get" action="${PATHS.catalogue}" role="search">
    <div class="field q">
      <label for="q">${tr('search.q')}</label>
      <input id="q" name="q" type="search" value="${q.q ?? ''}" ${described('q', 'q-hint')} />
      <button type="submit">${tr('search.submit')}</button>
      <p class="hint" id="q-hint">${tr('search.q.hint')}</p>
    </div>
    <fieldset class="where">
      <legend>${tr('search.where')}</legend>
      <label for="bbox">${tr('search.bbox')}</label>
      <input
        id="bbox"
        name="bbox"
        type="text"
        inputmode="decimal"
        value="${q.bbox?.join(',') ?? q.bboxText ?? ''}"
        ${described('bbox', 'bbox-hint')}
      />
      <p class="hint" id="bbox-hint">${tr('search.bbox.hint')}</p>
    </fieldset>
    <fieldset class="when">
      <legend>${tr('search.when')}</legend>
      <span class="date"
        ><label for="from">${tr('search.from')}</label>
        <input id="from" name="from" type="text" inputmode="numeric" size="10" value="${q.from ?? ''}" ${described('from', 'date-hint')}
      /></span>
      <span class="date"
        ><label for="to">${tr('search.to')}</label>
        <input id="to" name="to" type="text" inputmode="numeric" size="10" value="${q.to ?? ''}" ${described('to', 'date-hint')}
      /></span>
      <p class="hint" id="date-hint">${tr('search.date.hint')}</p>
    </fieldset>
    ${Object.entries(q.filters).flatMap(([param, list]) => list.map((v) => html`<input type="hidden" name="${param}" value="${v}" />`))}
    ${q.sort ? html`<input type="hidden" name="sort" value="${q.sort}" />` : ''}
    ${explicitLang ? html`<input type="hidden" name="lang" value="${lang}" />` : ''}
  </form>`;
}

function activeFilters(
  q: CatalogueQuery,
  page: Lang,
  lang: string | undefined,
  tr: Translate,
  labels: Map<string, Label>,
): Html | undefined {
  if (isEmpty(q)) return undefined;
  const chips: Html[] = [];
  // (the link's name is its aria-label, one string of the page's language: the value's own lang marks what is seen)
  const chip = (label: string, value: Label, next: CatalogueQuery) =>
    html`<li>
      <a href="${catalogueUrl(next, lang)}" aria-label="${tr('search.remove', `${label}${tr('colon')} ${value.text}`)}"
        ><span>${label}${tr('colon')}</span> ${labelHtml(value, page)} <span aria-hidden="true">×</span></a
      >
    </li>`;
  if (q.q) chips.push(chip(tr('search.q'), { text: q.q }, without(q, 'q')));
  if (q.bbox) chips.push(chip(tr('search.where'), { text: q.bbox.join(', ') }, without(q, 'bbox')));
  if (q.from) chips.push(chip(tr('search.from'), { text: q.from }, without(q, 'from')));
  if (q.to) chips.push(chip(tr('search.to'), { text: q.to }, without(q, 'to')));
  for (const [param, list] of Object.entries(q.filters))
    for (const v of list) {
      const label = tr(FACETS.find((f) => f.param === param)?.label ?? 'facet.themes');
      chips.push(chip(label, valueLabel(param, v, tr, labels, page), toggleFilter(q, param, v)));
    }
  return html`<section class="active" aria-labelledby="active-h">
    <h2 id="active-h">${tr('search.filters')}</h2>
    <ul>
      ${chips}
    </ul>
    <p><a href="${catalogueUrl({ filters: {}, page: 1 }, lang)}">${tr('search.reset')}</a></p>
  </section>`;
}

function facets(
  result: SearchResult,
  q: CatalogueQuery,
  page: Lang,
  lang: string | undefined,
  tr: Translate,
  labels: Map<string, Label>,
): Html {
  const groups = facetsOf(result).filter((g) => g.buckets.length > 0);
  // nothing to refine (no record found): no heading over nothing, the column kept for the layout
  if (groups.length === 0) return html`<div class="facets"></div>`;
  return html`<aside class="facets" aria-labelledby="facets-h">
    <h2 id="facets-h">${tr('facets.title')}</h2>
    ${groups.map(({ spec, buckets }) => {
      const id = `facet-${spec.param}`;
      const selected = q.filters[spec.param] ?? [];
      return html`<section class="facet" aria-labelledby="${id}">
        <h3 id="${id}">${tr(spec.label)}</h3>
        <ul>
          ${buckets.map((b) => {
            const label = valueLabel(spec.param, b.key, tr, labels, page);
            // the number is shown, its words are read (aria-label on a span is ignored: a span has no role to name)
            const count = html`<span class="count" aria-hidden="true">${b.count.toLocaleString(page === 'en' ? 'en-GB' : 'fr-FR')}</span
              ><span class="visually-hidden">${tr('facet.count', b.count)}</span>`;
            if (!spec.filter) return html`<li>${labelHtml(label, page, 'value')} ${count}</li>`;
            const on = selected.includes(b.key);
            return html`<li>
              <a
                href="${catalogueUrl(toggleFilter(q, spec.param, b.key), lang)}"
                data-facet="${spec.param}"
                data-value="${b.key}"
                ${on ? html` aria-current="true" class="on"` : ''}
                >${on ? html`<span class="visually-hidden">${tr('facet.selected')}: </span>` : ''}${labelHtml(label, page, 'value')}</a
              >
              ${count}
            </li>`;
          })}
        </ul>
      </section>`;
    })}
  </aside>`;
}

function hitItem(
  hit: SearchResult['hits'][number],
  q: CatalogueQuery,
  fuzzy: boolean,
  lang: Lang,
  tr: Translate,
  recordHref: (id: string) => string,
): Html {
  const r = hit.record;
  const { title, snippet: desc } = markedTexts(r, q.q, fuzzy, lang);
  const when = periods(r)
    .map((p) => `${p.start ?? '…'} – ${p.end ?? tr('record.open')}`)
    .join(', ');
  const boxes = recordBoxes(r);
  return html`<li class="hit" data-id="${hit.id}">
    <h3>
      <a href="${recordHref(hit.id)}" ${title?.lang && title.lang !== lang ? html` lang="${title.lang}"` : ''}>${title?.html ?? hit.id}</a>
    </h3>
    <p class="meta">
      <span class="type">${tr(`type.${recordType(r)}`)}</span> ·
      <span class="source">${hit.source}</span
      >${when ? html` · <span class="when">${when}</span>` : ''}${boxes.length === 0 ? html` · <span class="nobox">${tr('results.nobox')}</span>` : ''}
    </p>
    ${desc ? html`<p class="snippet" ${desc.lang && desc.lang !== lang ? html` lang="${desc.lang}"` : ''}>${desc.html}</p>` : ''}
  </li>`;
}

/** The orders the results can be listed in, as links (relevance only when there are words to rank by). */
function sorter(q: CatalogueQuery, lang: string | undefined, tr: Translate): Html {
  const current = q.sort === 'relevance' && !q.q ? 'title' : (q.sort ?? (q.q ? 'relevance' : 'title'));
  const offered = SORTS.filter((s) => s !== 'relevance' || q.q);
  return html`<nav class="sort" aria-label="${tr('sort.label')}">
    <span aria-hidden="true">${tr('sort.label')}${tr('colon')}</span>
    <ul>
      ${offered.map((s) =>
        s === current
          ? html`<li><a href="${catalogueUrl({ ...q, sort: s, page: 1 }, lang)}" aria-current="true" class="on">${tr(`sort.${s}`)}</a></li>`
          : html`<li><a href="${catalogueUrl({ ...q, sort: s, page: 1 }, lang)}">${tr(`sort.${s}`)}</a></li>`,
      )}
    </ul>
  </nav>`;
}

function pager(result: SearchResult, q: CatalogueQuery, lang: string | undefined, tr: Translate): Html | undefined {
  const pages = lastPage(result.total);
  if (pages <= 1) return undefined;
  return html`<nav class="pager" aria-label="${tr('results.page', q.page, pages)}">
    <ul>
      ${q.page > 1 ? html`<li><a rel="prev" href="${catalogueUrl({ ...q, page: q.page - 1 }, lang)}">${tr('results.prev')}</a></li>` : ''}
      <li aria-current="page">${tr('results.page', q.page, pages)}</li>
      ${q.page < pages ? html`<li><a rel="next" href="${catalogueUrl({ ...q, page: q.page + 1 }, lang)}">${tr('results.next')}</a></li>` : ''}
    </ul>
    ${result.total > MAX_WINDOW && q.page === pages ? html`<p>${tr('results.deep', MAX_WINDOW)}</p>` : ''}
  </nav>`;
}

/** The whole catalogue page. */
export function searchPage(input: SearchPageInput): Html {
  const { lang, query: q, result, error } = input;
  const tr = translator(lang);
  const keep = input.explicitLang ? lang : undefined;
  const recordHref = (id: string) => (keep ? `${PATHS.record(id)}?lang=${keep}` : PATHS.record(id));
  const labels = themeLabels(result, lang);
  for (const [id, title] of input.parents ?? []) {
    const p = title ? pick(title, lang) : undefined;
    if (p) labels.set(id, { text: p.text, ...(p.lang ? { lang: p.lang } : {}) });
  }
  const first = (q.page - 1) * PAGE_SIZE + 1;
  const footprints =
    result?.hits.map((h) => ({
      id: h.id,
      title: pick(h.record.title, lang)?.text ?? h.id,
      href: recordHref(h.id),
      boxes: recordBoxes(h.record),
    })) ?? [];

  const body = html`<h1>${tr('search.title')}</h1>
    ${
      error
        ? html`<div class="error" role="alert" id="search-error">
            <p>${tr('search.error')} ${error.message}</p>
            ${error.lastPage ? html`<p><a href="${catalogueUrl({ ...q, page: error.lastPage }, keep)}">${tr('search.lastPage', error.lastPage)}</a></p>` : ''}
          </div>`
        : ''
    }
    ${form(q, lang, input.explicitLang, tr, error)} ${activeFilters(q, lang, keep, tr, labels)}
    <div class="catalogue">
      ${result && result.total > 0 ? html`<p class="to-results"><a href="#results">${tr('nav.skipResults')}</a></p>` : ''}
      ${result ? facets(result, q, lang, keep, tr, labels) : ''}
      <section class="results" id="results" aria-labelledby="results-h">
        <h2 id="results-h">${tr('results.title')}</h2>
        ${
          result
            ? html`<p class="total" role="status" data-total="${result.total}">
                  ${
                    result.total === 0
                      ? tr('results.none')
                      : html`<strong>${tr('results.count', result.total)}</strong
                          >${result.total > PAGE_SIZE ? html` — ${tr('results.range', first, first + result.hits.length - 1, result.total)}` : ''}`
                  }
                </p>
                ${result.total > 1 ? sorter(q, keep, tr) : ''}
                ${result.fuzzy && q.q ? html`<p class="fuzzy">${tr('results.fuzzy', q.q)}</p>` : ''}
                <ol class="hits" start="${first}">
                  ${result.hits.map((h) => hitItem(h, q, result.fuzzy === true, lang, tr, recordHref))}
                </ol>
                ${pager(result, q, keep, tr)}`
            : ''
        }
      </section>
      <section class="mapbox" aria-label="${tr('map.label')}">
        <div id="map" class="map" data-bbox="${q.bbox?.join(',') ?? ''}" data-static="${PATHS.static}"></div>
        <noscript><p>${tr('map.noscript')}</p></noscript>
      </section>
    </div>
    ${jsonScript('footprints', footprints)}
    ${jsonScript('map-messages', {
      draw: tr('map.draw'),
      drawing: tr('map.drawing'),
      view: tr('map.view'),
      clear: tr('map.clear'),
      label: tr('map.label'),
      show: tr('map.show'),
      hide: tr('map.hide'),
      keys: tr('map.keys'),
      zoomIn: tr('map.zoomIn'),
      zoomOut: tr('map.zoomOut'),
    })}`;

  const title = q.q ? `${q.q} — ${tr('search.title')}` : tr('search.title');
  return layout({
    lang,
    explicitLang: input.explicitLang,
    // the title is what a screen reader says first: a page that did not search says so there too
    title: error ? `${tr('error.title')}${tr('colon')} ${title}` : title,
    url: input.url,
    section: 'catalogue',
    skips: [{ href: '#results', text: tr('nav.skipResults') }],
    body,
    head: html`<link rel="stylesheet" href="${PATHS.leaflet}/leaflet.css" />`,
    scripts: html`<script src="${PATHS.leaflet}/leaflet.js" defer></script>
      <script type="module" src="${PATHS.static}/js/catalogue-map.js"></script>`,
  });
}
