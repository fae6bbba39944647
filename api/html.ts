/**
 * The simple server-rendered HTML of the API's own pages (OGC API - Records in a browser): one layout, no script, no
 * external resource, every text escaped. The catalogue pages (api/pages/) have their own, richer layout.
 */
import type { FastifyRequest } from 'fastify';
import { UsageError } from '../core/result.js';
import { escapeHtml } from '../pipelines/search-text.js';

export { escapeHtml };

/** Alternate representations of a page, for its <head> and its footer. */
export interface Alternate {
  href: string;
  type: string;
  title: string;
}

const CSS = `body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1d2327;background:#fafafa}
header{background:#17324d;color:#fff;padding:.7rem 1.2rem}header a{color:#fff;text-decoration:none}
main{max-width:70rem;margin:0 auto;padding:1rem 1.2rem}h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:1.6rem}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #ddd;vertical-align:top}
dt{font-weight:600;margin-top:.5rem}dd{margin-left:1.2rem}code{background:#eef;padding:0 .2rem}nav.pages a{margin-right:1rem}
footer{color:#555;font-size:.85rem;border-top:1px solid #ddd;margin-top:2rem;padding-top:.5rem}mark{background:#fde68a}`;

/** A whole page: the layout around `body` (already safe HTML). */
export function htmlPage(o: {
  title: string;
  body: string;
  alternates?: Alternate[];
  breadcrumbs?: [string, string][];
  lang?: string;
}): string {
  const alternates = o.alternates ?? [];
  const crumbs = (o.breadcrumbs ?? []).map(([href, label]) => `<a href="${escapeHtml(href)}">${escapeHtml(label)}</a>`).join(' › ');
  return `<!doctype html>
<html lang="${escapeHtml(o.lang ?? 'en')}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(o.title)}</title>
<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">
${alternates.map((a) => `<link rel="alternate" type="${escapeHtml(a.type)}" href="${escapeHtml(a.href)}" title="${escapeHtml(a.title)}">`).join('\n')}
<style>${CSS}</style>
</head>
<body>
<header>${crumbs || escapeHtml(o.title)}</header>
<main>
<h1>${escapeHtml(o.title)}</h1>
${o.body}
<footer>${alternates.length ? `Also as: ${alternates.map((a) => `<a href="${escapeHtml(a.href)}">${escapeHtml(a.title)}</a>`).join(', ')}` : ''}</footer>
</main>
</body>
</html>
`;
}

/** A link as HTML. */
export function a(href: string, text: string): string {
  return `<a href="${escapeHtml(href)}">${escapeHtml(text)}</a>`;
}

/** The q value of a media range in an Accept header (0 when it does not accept the type). */
function quality(accept: string, type: string): number {
  let best = 0;
  let bestSpecificity = -1;
  for (const part of accept.split(',')) {
    const [range, ...params] = part.trim().toLowerCase().split(';');
    const q = Number(
      params
        .map((p) => p.trim())
        .find((p) => p.startsWith('q='))
        ?.slice(2) ?? '1',
    );
    const [t, s] = range.trim().split('/');
    const [wt, ws] = type.split('/');
    const specificity = t === wt && s === ws ? 2 : t === wt && s === '*' ? 1 : t === '*' && s === '*' ? 0 : -1;
    if (specificity > bestSpecificity) {
      bestSpecificity = specificity;
      best = Number.isFinite(q) ? q : 0;
    }
  }
  return best;
}

/**
 * Whether to answer HTML: `f=html` says so, `f=json` (or geojson) says not; otherwise the Accept header when it
 * prefers text/html to the other media types the route serves (`others`, JSON by default): a browser, never `*\/*`
 * alone (a client library). Another `f` is a 400.
 */
export function wantsHtml(
  req: FastifyRequest,
  f: string | undefined,
  others: readonly string[] = ['application/json', 'application/geo+json'],
): boolean {
  if (f !== undefined) {
    if (f === 'html') return true;
    if (f === 'json' || f === 'geojson') return false;
    throw new UsageError(`f must be json or html (got "${f}")`, 'f');
  }
  const accept = req.headers.accept;
  if (!accept) return false;
  const html = quality(accept, 'text/html');
  return html > 0 && others.every((t) => html > quality(accept, t)) && /text\/html/i.test(accept);
}
