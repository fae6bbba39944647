/**
 * `GET /`: where the server's root leads. A browser (Accept prefers text/html, or `f=html`) is sent on to the catalogue
 * pages with its query kept (`/?q=sol&lang=en` -> `/catalogue?q=sol&lang=en`); an API client gets the hub's links
 * document: each face of the server with its media type (the search API and its OpenAPI description, OGC API -
 * Records, OAI-PMH, DCAT-AP, the pages, health).
 */
import type { FastifyInstance } from 'fastify';
import { escapeHtml, wantsHtml } from '../html.js';
import { API_FACES, baseUrl, type ApiContext } from '../http.js';
import { PATHS } from '../pages/layout.js';
import { checkKnown } from '../params.js';
import { answer, asJson, errors, LINKS } from '../responses.js';
import { CATALOGUE_TITLE } from './ogc-records.js';

const HOME_DOC = {
  type: 'object',
  properties: { title: { type: 'string' }, description: { type: 'string' }, links: LINKS },
  required: ['title', 'links'],
} as const;

export function homeRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get<{ Querystring: Record<string, string | string[]> }>(
    '/',
    {
      schema: {
        summary: "The server's root: the catalogue pages for a browser, the links to every API for a client",
        tags: ['operations'],
        querystring: {
          type: 'object',
          properties: { f: { type: 'string', enum: ['json', 'html'], description: 'json (default) or html (the catalogue pages).' } },
        },
        response: {
          200: answer('The links to each face of the server (APIs, pages, health).', { 'application/json': HOME_DOC }),
          302: answer('A browser (f=html, or Accept preferring text/html): on to /catalogue (Location), with the query kept.', {
            'text/html': undefined,
          }),
          ...errors(400),
        },
      },
      serializerCompiler: asJson,
    },
    async (req, reply) => {
      const f = typeof req.query.f === 'string' ? req.query.f : undefined;
      if (wantsHtml(req, f)) {
        const query = new URLSearchParams(req.url.split('?')[1] ?? '');
        query.delete('f');
        const search = query.toString();
        const target = `${PATHS.catalogue}${search ? `?${search}` : ''}`;
        // with a line of HTML for a client that does not follow redirects
        return reply
          .code(302)
          .header('location', target)
          .type('text/html; charset=utf-8')
          .send(`<!doctype html><title>Catalogue</title><p><a href="${escapeHtml(target)}">${escapeHtml(target)}</a></p>\n`);
      }
      checkKnown(req.query, ['f']);
      const base = baseUrl(ctx, req);
      return {
        title: CATALOGUE_TITLE,
        description:
          'The national land-surface data hub: metadata harvested from the research data centres (ISO 19115 catalogues, STAC, OZCAR in-situ feeds), searchable by place, theme and time.',
        links: [
          { href: `${base}/`, rel: 'self', type: 'application/json', title: 'This document' },
          ...API_FACES.map(({ path, rel, type, title }) => ({ href: `${base}${path}`, rel, type, title })),
          { href: `${base}${PATHS.catalogue}`, rel: 'alternate', type: 'text/html', title: 'Catalogue pages' },
          { href: `${base}${PATHS.operators}`, rel: 'related', type: 'text/html', title: "Operators' page (harvests)" },
          { href: `${base}/health`, rel: 'related', type: 'application/json', title: 'Health of the index' },
        ],
      };
    },
  );
}
