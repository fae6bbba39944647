/** `GET /health`: whether the index answers, and what it holds. 200 when Elasticsearch answers, else 503. */
import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../http.js';
import { answer, asJson } from '../responses.js';

export interface Health {
  status: 'ok' | 'unavailable';
  elasticsearch: { reachable: boolean; cluster?: string; error?: string };
  index: { alias: string; exists: boolean; records?: number; sources?: number };
  uptimeS: number;
}

const started = Date.now();

const HEALTH = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['ok', 'unavailable'] },
    elasticsearch: {
      type: 'object',
      properties: { reachable: { type: 'boolean' }, cluster: { type: 'string' }, error: { type: 'string' } },
      required: ['reachable'],
    },
    index: {
      type: 'object',
      properties: { alias: { type: 'string' }, exists: { type: 'boolean' }, records: { type: 'integer' }, sources: { type: 'integer' } },
      required: ['alias', 'exists'],
    },
    uptimeS: { type: 'integer' },
  },
  required: ['status', 'elasticsearch', 'index', 'uptimeS'],
} as const;

export function healthRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get(
    '/health',
    {
      schema: {
        summary: 'Whether the index answers, and how many records and sources it holds (200, or 503)',
        tags: ['operations'],
        response: {
          200: answer('Elasticsearch answers.', { 'application/json': HEALTH }),
          503: answer('Elasticsearch does not answer (status unavailable, elasticsearch.error says why).', { 'application/json': HEALTH }),
        },
      },
      serializerCompiler: asJson,
    },
    async (_req, reply) => {
      const body: Health = {
        status: 'ok',
        elasticsearch: { reachable: true },
        index: { alias: ctx.alias, exists: false },
        uptimeS: Math.round((Date.now() - started) / 1000),
      };
      try {
        const h = await ctx.client.cluster.health({ timeout: '5s' }, { requestTimeout: 6000, maxRetries: 0 });
        body.elasticsearch.cluster = h.status;
        const exists = await ctx.client.indices.exists({ index: ctx.alias });
        body.index.exists = exists;
        if (exists) {
          const r = await ctx.client.search({
            index: ctx.alias,
            size: 0,
            track_total_hits: true,
            aggs: { sources: { cardinality: { field: 'source' } } },
          });
          const total = r.hits.total;
          body.index.records = typeof total === 'number' ? total : (total?.value ?? 0);
          body.index.sources = (r.aggregations?.sources as { value?: number } | undefined)?.value ?? 0;
        }
      } catch (err) {
        body.status = 'unavailable';
        body.elasticsearch = { reachable: false, error: `Elasticsearch does not answer at ${ctx.esUrl}: ${(err as Error).message}` };
      }
      return reply.code(body.status === 'ok' ? 200 : 503).send(body);
    },
  );
}
