/**
 * GET /metrics: the hub's figures in Prometheus's text format (pipelines/metrics.ts), for a scraper: read when asked,
 * from the index and the service, as GET /status reads them. When Elasticsearch does not answer (or not within
 * STATUS_BUDGET_MS), the answer is still a 200 for the scraper, with `hub_index_up 0` and what the service itself knows
 * (schedules, next runs, runs under way and waiting). Read-only, no token, as /status.
 */
import type { FastifyInstance } from 'fastify';
import { HubMetrics, type MetricsSnapshot } from '../../pipelines/metrics.js';
import { lastEndedBySource } from '../../pipelines/runs.js';
import type { ApiContext } from '../http.js';
import { indexDown, STATUS_BUDGET_MS, within } from '../params.js';
import { answer } from '../responses.js';
import { sourcesKnown, sourcesNow } from './service.js';

export async function metricsRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  // made at the first scrape: a server nobody scrapes does not watch its event loop and garbage collection
  let metrics: HubMetrics | undefined;
  app.get(
    '/metrics',
    {
      schema: {
        summary: "The hub's figures for Prometheus: each source's last run, last ok run, next run, records; the runs; the process",
        response: {
          200: answer('Prometheus text exposition format 0.0.4 (hub_index_up 0 when Elasticsearch does not answer).', {
            'text/plain': { type: 'string' },
          }),
        },
      },
    },
    async (_req, reply) => {
      const service = ctx.service;
      let snapshot: MetricsSnapshot;
      try {
        const [sources, lastOk] = await within(
          STATUS_BUDGET_MS,
          Promise.all([sourcesNow(ctx), lastEndedBySource(ctx.client, ctx.alias, ['ok'])]),
        );
        snapshot = { indexUp: true, sources, lastOk, ...(service ? { service: service.info() } : {}) };
      } catch (err) {
        if (!indexDown(err)) throw err;
        snapshot = {
          indexUp: false,
          sources: await sourcesKnown(ctx),
          lastOk: new Map(),
          ...(service ? { service: service.info() } : {}),
        };
      }
      metrics ??= new HubMetrics();
      const text = await metrics.text(snapshot);
      return reply.type(metrics.contentType).send(text);
    },
  );
}
