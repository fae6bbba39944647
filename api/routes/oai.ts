/**
 * `GET|POST /oai`: the OAI-PMH 2.0 endpoint (pipelines/oai.ts does the protocol). Arguments come from the query string
 * or, for POST, an application/x-www-form-urlencoded body, in request order (a repeated argument is a badArgument).
 * Every answer, protocol errors included, is 200 text/xml as OAI-PMH requires.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { baseUrl, type ApiContext } from '../http.js';
import { loadHubIdentity, type HubIdentity } from '../../pipelines/hub-identity.js';
import { checkOaiOptions, oaiResponse, OAI_DEFAULTS, type OaiOptions } from '../../pipelines/oai.js';
import { answer, describedOnly } from '../responses.js';
import type { RouteModule } from './index.js';

/**
 * The OAI-PMH arguments as /openapi.json describes them. pipelines/oai.ts checks them (a bad one is an OAI-PMH error
 * in a 200 answer, as the protocol asks), so the route's validator lets every query through.
 */
const OAI_QUERY = {
  type: 'object',
  properties: {
    verb: {
      type: 'string',
      enum: ['Identify', 'ListMetadataFormats', 'ListSets', 'ListIdentifiers', 'ListRecords', 'GetRecord'],
      description: 'The OAI-PMH request.',
    },
    identifier: { type: 'string', description: 'oai: identifier of a record (GetRecord, ListMetadataFormats).' },
    metadataPrefix: { type: 'string', description: 'oai_dc, dcat_ap, oai_datacite or datacite (ListMetadataFormats lists them).' },
    from: { type: 'string', description: 'Records changed since (YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ).' },
    until: { type: 'string', description: 'Records changed until (same forms).' },
    set: { type: 'string', description: 'A set (ListSets lists them).' },
    resumptionToken: { type: 'string', description: 'The token of the previous list page.' },
  },
} as const;
const OAI_SCHEMA = {
  summary: 'OAI-PMH 2.0 (docs/oai-pmh.md)',
  tags: ['OAI-PMH'],
  querystring: OAI_QUERY,
  response: { 200: answer('Every answer, protocol errors included, as OAI-PMH requires.', { 'text/xml': undefined }) },
};

export type OaiRouteOptions = Pick<OaiOptions, 'pageSize' | 'tokenTtlS' | 'sets'> & { identity?: HubIdentity };

/** HUB_OAI_PAGE_SIZE (items per list page, default 100, at most 1000). */
function envPageSize(): number | undefined {
  const v = process.env.HUB_OAI_PAGE_SIZE;
  return v === undefined || v === '' ? undefined : Number(v);
}

function argsOf(req: FastifyRequest): [string, string][] {
  const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '';
  const pairs = [...new URLSearchParams(query)];
  if (req.method === 'POST' && typeof req.body === 'string') pairs.push(...new URLSearchParams(req.body));
  return pairs;
}

export function oaiRoutes(options: OaiRouteOptions = {}): RouteModule {
  return async (app: FastifyInstance, ctx: ApiContext) => {
    const identity = options.identity ?? loadHubIdentity();
    const pageSize = options.pageSize ?? envPageSize() ?? OAI_DEFAULTS.pageSize;
    checkOaiOptions({ pageSize, tokenTtlS: options.tokenTtlS });
    await app.register(async (scope) => {
      // OAI-PMH POST requests are form-encoded: read the body as text, parsed with the query string's rules
      scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => done(null, body));
      const handler = async (req: FastifyRequest) => {
        const xml = await oaiResponse(
          {
            client: ctx.client,
            alias: ctx.alias,
            identity,
            baseUrl: `${baseUrl(ctx, req)}/oai`,
            pageSize,
            tokenTtlS: options.tokenTtlS,
            sets: options.sets,
          },
          argsOf(req),
        );
        return xml;
      };
      const route = { schema: OAI_SCHEMA, validatorCompiler: describedOnly };
      scope.get('/oai', route, async (req, reply) => reply.type('text/xml; charset=utf-8').send(await handler(req)));
      scope.post('/oai', route, async (req, reply) => reply.type('text/xml; charset=utf-8').send(await handler(req)));
    });
  };
}
