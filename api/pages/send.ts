/** How a page handler answers: HTML with its language and caching headers, or JSON errors for a client that wants JSON. */
import accepts from 'accepts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { html, type Html } from './html.js';
import { requestLang, t, type Lang } from './i18n.js';
import { errorPage, PATHS } from './layout.js';

/** Whether the client prefers JSON to HTML (an API client that reached a page): its errors are then the API's JSON. */
export function wantsJson(req: FastifyRequest): boolean {
  return accepts(req.raw).type(['html', 'json']) === 'json';
}

/**
 * Sends a page. Pages vary with Accept-Language (when ?lang= is absent) and are never stored by caches for long: they
 * read a live index (`maxAge` seconds, default 60; the operators' pages say 0, a run may end at any moment).
 */
export function sendPage(reply: FastifyReply, page: Html, lang: Lang, status = 200, maxAge = 60): FastifyReply {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header('Content-Language', lang)
    .header('Vary', 'Accept-Language, Accept-Encoding')
    .header('Cache-Control', maxAge > 0 ? `public, max-age=${maxAge}` : 'no-cache')
    .header('X-Content-Type-Options', 'nosniff')
    .header(
      'Content-Security-Policy',
      "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    )
    .send(page.text);
}

/** A 404 page: `message` in the reader's language, and the way back to the catalogue (in that language when chosen). */
export function sendNotFoundPage(req: FastifyRequest, reply: FastifyReply, message: (lang: Lang) => string): FastifyReply {
  const { lang, explicit } = requestLang(req);
  const back = html`<p>
    <a href="${explicit ? `${PATHS.catalogue}?lang=${lang}` : PATHS.catalogue}">${t(lang, 'nav.catalogue')}</a>
  </p>`;
  return sendPage(reply, errorPage({ lang, explicitLang: explicit, url: req.url, message: message(lang), back }), lang, 404);
}
