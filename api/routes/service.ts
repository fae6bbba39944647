/**
 * The service's routes (pipelines/service.ts):
 * - POST /sources/{id}/run: starts a run of a source now (operator token required): 202 with the run id, 404 for a
 *   source the sources file does not have, 409 when its run is queued or under way (here or in another process),
 *   503 when the server runs no harvests, is stopping, or Elasticsearch does not answer (with Retry-After, at once);
 * - GET /runs/{runId}: a run: its document in the history, or `queued` while it waits for a slot;
 * - GET /status: every source at a glance (last run, counts, first error, next scheduled run, FAIR figures), and the
 *   service's own figures (limits, runs under way and waiting).
 */
import type { FastifyInstance } from 'fastify';
import { getRun } from '../../pipelines/runs.js';
import { AlreadyRunning, UnknownSource } from '../../pipelines/service.js';
import { sourcesStatus, type SourceStatus } from '../../pipelines/status.js';
import { baseUrl, requireOperator, sendError, type ApiContext } from '../http.js';
import { INDEX_DOWN, indexDown, STATUS_BUDGET_MS, within } from '../params.js';
import { answer, asJson, ERROR_BODY, errors } from '../responses.js';

const SOURCE_ID = '^[a-z0-9][a-z0-9_-]*$';

/** Every source's status as GET /status gives it: the service's (live runs, its timers), else from the index alone. */
export function sourcesNow(ctx: ApiContext): Promise<SourceStatus[]> {
  return ctx.service ? ctx.service.status() : sourcesStatus(ctx.client, ctx.alias, []);
}

/** What the service knows of its sources without the index (schedules, next runs, runs under way); none without it. */
export async function sourcesKnown(ctx: ApiContext): Promise<SourceStatus[]> {
  return ctx.service ? ctx.service.liveStatus() : [];
}

export async function serviceRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  app.post<{ Params: { id: string } }>(
    '/sources/:id/run',
    {
      preHandler: requireOperator(ctx),
      schema: {
        summary: 'Start a harvest of one source now (operator token required)',
        params: { type: 'object', properties: { id: { type: 'string', pattern: SOURCE_ID, maxLength: 64 } }, required: ['id'] },
        security: [{ operatorToken: [] }],
        response: {
          202: answer('The run is queued or started; Location is its GET /runs/{runId}.', {
            'application/json': {
              type: 'object',
              properties: {
                runId: { type: 'string' },
                source: { type: 'string' },
                state: { type: 'string' },
                run: { type: 'string' },
                status: { type: 'string' },
              },
              required: ['runId', 'source', 'state', 'run', 'status'],
            },
          }),
          ...errors(400, 401, 403, 404, 409),
          503: answer('The server runs no harvests (no sources file), is stopping, or Elasticsearch does not answer (Retry-After).', {
            'application/json': ERROR_BODY,
          }),
        },
      },
      serializerCompiler: asJson,
    },
    async (req, reply) => {
      const service = ctx.service;
      if (!service) return sendError(reply, 503, 'this server runs no harvests: it was started without a sources file');
      try {
        const { runId, state } = await service.trigger(req.params.id, 'manual');
        const base = baseUrl(ctx, req);
        return await reply
          .code(202)
          .header('Location', `${base}/runs/${runId}`)
          .send({ runId, source: req.params.id, state, run: `${base}/runs/${runId}`, status: `${base}/status` });
      } catch (err) {
        if (err instanceof UnknownSource) return sendError(reply, 404, err.message, 'id');
        if (err instanceof AlreadyRunning)
          return reply.code(409).send({ status: 409, error: err.message, parameter: 'id', ...(err.runId ? { runId: err.runId } : {}) });
        // Elasticsearch does not answer: the server's 503 with Retry-After, as every route that needs the index
        if (indexDown(err)) throw err;
        return sendError(reply, 503, (err as Error).message);
      }
    },
  );

  app.get<{ Params: { runId: string } }>(
    '/runs/:runId',
    {
      schema: {
        summary: 'One harvest run: its record, or "queued" while it waits for a slot',
        params: { type: 'object', properties: { runId: { type: 'string', pattern: '^[0-9a-f-]{36}$' } }, required: ['runId'] },
        response: {
          200: answer('The run as the history keeps it (docs/runs.md), or its state while it is queued or running.', {
            'application/json': {
              type: 'object',
              properties: { runId: { type: 'string' }, status: { type: 'string' } },
              required: ['runId', 'status'],
            },
          }),
          ...errors(400, 404),
        },
      },
      serializerCompiler: asJson,
    },
    async (req, reply) => {
      const here = ctx.service?.runState(req.params.runId);
      if (here && 'state' in here && here.state === 'queued') return { runId: here.runId, status: 'queued', queuedAt: here.queuedAt };
      let doc;
      try {
        doc = await getRun(ctx.client, ctx.alias, req.params.runId);
      } catch (err) {
        // the history does not answer: a run of this process is still told from memory
        if (!(here && indexDown(err))) throw err;
      }
      if (doc) return doc;
      if (here && 'state' in here) return { runId: here.runId, status: 'running', startedAt: here.startedAt };
      if (here && 'status' in here) return here;
      return sendError(reply, 404, `no run ${req.params.runId} in the history`, 'runId');
    },
  );

  app.get(
    '/status',
    {
      schema: {
        summary: 'Every source at a glance: last run, counts, first error, next run, FAIR figures',
        response: {
          200: answer('The sources, and the service itself (null when the server runs no harvests).', {
            'application/json': {
              type: 'object',
              properties: {
                generatedAt: { type: 'string' },
                service: { type: 'object', nullable: true },
                sources: { type: 'array', items: { type: 'object', properties: { source: { type: 'string' } }, required: ['source'] } },
              },
              required: ['generatedAt', 'service', 'sources'],
            },
          }),
          503: answer(
            'Elasticsearch does not answer: error says so; service and sources (schedule, next run, live) are what the service itself knows.',
            {
              'application/json': {
                type: 'object',
                properties: {
                  status: { type: 'integer' },
                  error: { type: 'string' },
                  generatedAt: { type: 'string' },
                  service: { type: 'object', nullable: true },
                  sources: { type: 'array', items: { type: 'object', properties: { source: { type: 'string' } }, required: ['source'] } },
                },
                required: ['status', 'error', 'service', 'sources'],
              },
            },
          ),
        },
      },
      serializerCompiler: asJson,
    },
    async (_req, reply) => {
      const service = ctx.service;
      try {
        const sources = await within(STATUS_BUDGET_MS, sourcesNow(ctx));
        return {
          generatedAt: new Date().toISOString(),
          ...(service ? { service: service.info() } : { service: null }),
          sources,
        };
      } catch (err) {
        if (!indexDown(err)) throw err;
        // 503, and still what the service is doing: the runs under way and waiting, the next scheduled runs
        return reply
          .code(503)
          .header('Retry-After', '30')
          .send({
            status: 503,
            error: `${INDEX_DOWN} (the last runs and the FAIR figures are read from it)`,
            generatedAt: new Date().toISOString(),
            service: service ? service.info() : null,
            sources: await sourcesKnown(ctx),
          });
      }
    },
  );
}
