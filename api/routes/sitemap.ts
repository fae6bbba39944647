/**
 * What search engines are told (pipelines/sitemap.ts does the walking):
 * - `GET /robots.txt`: crawl the catalogue and the records' pages and forms, not the APIs that answer searches nor the
 *   operators' pages; where the sitemap is;
 * - `GET /sitemap.xml`: the sitemap index, one sitemap per 50,000 records;
 * - `GET /sitemaps/records.xml?after=ID`: one of them, the page of each record with when it last changed.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { escapeXml } from '../../core/xml-write.js';
import { sitemapEntries, sitemapPages } from '../../pipelines/sitemap.js';
import { baseUrl, noIndex, type ApiContext } from '../http.js';
import { PATHS } from '../pages/layout.js';
import { checkKnown } from '../params.js';
import { answer, errors } from '../responses.js';

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n';
const NS = 'http://www.sitemaps.org/schemas/sitemap/0.9';
/**
 * Paths crawlers are asked to leave alone: searches and protocols for programs, the operators' side. Rules are
 * prefixes: `/catalog` (DCAT-AP for harvesters, which do not read robots.txt) is not among them, it would take
 * `/catalogue` with it.
 */
const DISALLOWED = ['/search', '/oai', '/operators', '/validate', '/metrics', '/sources', '/runs', '/status'];

export function sitemapRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get(
    '/robots.txt',
    {
      schema: {
        summary: 'What crawlers may read, and where the sitemap is',
        tags: ['pages'],
        response: { 200: answer('robots.txt (RFC 9309).', { 'text/plain': undefined }) },
      },
    },
    async (req: FastifyRequest, reply: FastifyReply) => {
      const lines = [
        'User-agent: *',
        ...DISALLOWED.map((p) => `Disallow: ${p}`),
        'Allow: /',
        '',
        `Sitemap: ${baseUrl(ctx, req)}/sitemap.xml`,
      ];
      return reply.type('text/plain; charset=utf-8').send(lines.join('\n') + '\n');
    },
  );

  app.get<{ Querystring: Record<string, string | string[]> }>(
    '/sitemap.xml',
    {
      schema: {
        summary: 'The sitemap index: one sitemap per 50,000 records (sitemaps.org)',
        tags: ['pages'],
        response: { 200: answer('A sitemapindex document.', { 'application/xml': undefined }), ...errors(400) },
      },
    },
    async (req, reply) => {
      checkKnown(req.query, []);
      const base = baseUrl(ctx, req);
      const starts = await sitemapPages(ctx.client, ctx.alias).catch((err: unknown) => {
        if (noIndex(err)) return [undefined];
        throw err;
      });
      const loc = (after: string | undefined) =>
        `${base}/sitemaps/records.xml${after === undefined ? '' : `?after=${encodeURIComponent(after)}`}`;
      const body = `${XML_HEAD}<sitemapindex xmlns="${NS}">\n${starts.map((a) => `<sitemap><loc>${escapeXml(loc(a))}</loc></sitemap>\n`).join('')}</sitemapindex>\n`;
      return reply.type('application/xml; charset=utf-8').send(body);
    },
  );

  app.get<{ Querystring: { after?: string } }>(
    '/sitemaps/records.xml',
    {
      schema: {
        summary: "A sitemap: the pages of 50,000 records at most, in id order, after the record `after` (the index's links)",
        tags: ['pages'],
        querystring: {
          type: 'object',
          properties: { after: { type: 'string', minLength: 1, maxLength: 1000, description: 'The hub id the sitemap starts after.' } },
          additionalProperties: false,
        },
        response: { 200: answer('A urlset document.', { 'application/xml': undefined }), ...errors(400) },
      },
    },
    async (req, reply) => {
      const base = baseUrl(ctx, req);
      const urls: string[] = [];
      try {
        for await (const e of sitemapEntries(ctx.client, ctx.alias, req.query.after)) {
          urls.push(
            `<url><loc>${escapeXml(base + PATHS.record(e.id))}</loc>${e.lastmod ? `<lastmod>${escapeXml(e.lastmod)}</lastmod>` : ''}</url>\n`,
          );
        }
      } catch (err) {
        if (!noIndex(err)) throw err;
      }
      return reply.type('application/xml; charset=utf-8').send(`${XML_HEAD}<urlset xmlns="${NS}">\n${urls.join('')}</urlset>\n`);
    },
  );
}
