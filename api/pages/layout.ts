/**
 * The frame every HTML page of the server shares: head, header (site name, navigation, language switch), main,
 * footer with the links to the APIs and the basemap's attributions. Other route modules (OGC API Records HTML, the
 * validation form) may use it: `layout({ lang, title, url, body })` returns the whole document.
 */
import { API_FACES } from '../http.js';
import { html, type Html, type Part } from './html.js';
import { LANGS, t, type Lang } from './i18n.js';

/** Where the pages and their assets are served (one place: routes and templates both read it). */
export const PATHS = {
  catalogue: '/catalogue',
  record: (id: string) => `/catalogue/records/${encodeURIComponent(id)}`,
  operators: '/operators',
  validate: '/validate',
  sourceRuns: (source: string) => `/operators/sources/${encodeURIComponent(source)}`,
  report: (file: string) => `/operators/reports/${encodeURIComponent(file)}`,
  static: '/static',
  favicon: '/static/img/favicon.svg',
  leaflet: '/static/vendor/leaflet',
  /** The DCAT-AP forms of a record (served by the /records routes, which take the format as a suffix). */
  dcat: (id: string, format: 'jsonld' | 'ttl' | 'rdf' | 'nt') => `/records/${encodeURIComponent(id)}.${format}`,
} as const;

export interface PageOptions {
  lang: Lang;
  /** The page's own title (the site name is added). */
  title: string;
  /** The request URL (path and query), to build the language switch. */
  url: string;
  body: Part;
  /** Which navigation entry is the current page. */
  section?: 'catalogue' | 'validate' | 'operators';
  /** Extra elements for <head> (styles of a map...). */
  head?: Part;
  /** Scripts at the end of <body>. */
  scripts?: Part;
  /** The language was chosen with ?lang= (then the navigation links keep it). */
  explicitLang?: boolean;
  /** More skip links after "skip to content" (the catalogue's "skip to the results"), each to an id of the page. */
  skips?: { href: `#${string}`; text: string }[];
}

/** The request URL with `lang` set (or the same URL when it is already that language). */
export function withLang(url: string, lang: Lang): string {
  const u = new URL(url, 'http://x');
  u.searchParams.set('lang', lang);
  return u.pathname + u.search;
}

export function layout(o: PageOptions): Html {
  const { lang } = o;
  const nav = (key: 'catalogue' | 'validate' | 'operators', href: string) =>
    html`<li><a href="${href}" ${o.section === key ? html` aria-current="page"` : ''}>${t(lang, `nav.${key}`)}</a></li>`;
  const linkLang = (url: string) => (o.explicitLang ? withLang(url, lang) : url);
  return html`<!doctype html>
    <html lang="${lang}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${o.title} — ${t(lang, 'site.short')}</title>
        <link rel="icon" href="${PATHS.favicon}" type="image/svg+xml" />
        <link rel="stylesheet" href="${PATHS.static}/css/pages.css" />
        ${LANGS.filter((l) => l !== lang).map((l) => html`<link rel="alternate" hreflang="${l}" href="${withLang(o.url, l)}" />`)} ${o.head}
      </head>
      <body>
        <a class="skip" href="#main">${t(lang, 'nav.skip')}</a>
        ${(o.skips ?? []).map((s) => html`<a class="skip" href="${s.href}">${s.text}</a>`)}
        <header class="site">
          <a class="brand" href="${linkLang(PATHS.catalogue)}">${t(lang, 'site.name')}</a>
          <nav aria-label="${t(lang, 'site.short')}">
            <ul>
              ${nav('catalogue', linkLang(PATHS.catalogue))} ${nav('validate', linkLang(PATHS.validate))}
              ${nav('operators', linkLang(PATHS.operators))}
            </ul>
          </nav>
          <nav class="langs" aria-label="${t(lang, 'lang.switch')}">
            <ul>
              ${LANGS.map((l) =>
                l === lang
                  ? html`<li><span aria-current="true" lang="${l}">${t(l, 'lang.name')}</span></li>`
                  : html`<li><a href="${withLang(o.url, l)}" hreflang="${l}" lang="${l}">${t(l, 'lang.name')}</a></li>`,
              )}
            </ul>
          </nav>
        </header>
        <main id="main">${o.body}</main>
        <footer class="site">
          <p>
            ${t(lang, 'footer.api')}
            ${API_FACES.filter((f) => f.rel !== 'search').map((f, i) => html`${i ? ' · ' : ''}<a href="${f.path}">${f.short}</a>`)}
          </p>
          <p>${t(lang, 'footer.basemap')}</p>
        </footer>
        ${o.scripts}
      </body>
    </html> `;
}

/** A page saying what went wrong (404 of a record, 400 of a parameter), in the reader's language. */
export function errorPage(o: { lang: Lang; explicitLang?: boolean; url: string; message: string; parameter?: string; back?: Html }): Html {
  return layout({
    lang: o.lang,
    explicitLang: o.explicitLang,
    url: o.url,
    title: t(o.lang, 'error.title'),
    body: html`<h1>${t(o.lang, 'error.title')}</h1>
      <div class="error" role="alert">
        <p>${o.message}</p>
        ${o.parameter ? html`<p>${t(o.lang, 'error.parameter', o.parameter)}</p>` : ''}
      </div>
      ${o.back ?? ''}`,
  });
}
