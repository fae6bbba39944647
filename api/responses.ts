/**
 * What /openapi.json says of the answers: the `response` part of the route schemas, which @fastify/swagger turns into
 * the description. One error body for every error (api/http.ts sendError), the media types of each answer (JSON,
 * GeoJSON, HTML for browsers, RDF, XML, text), and the link objects the JSON answers carry.
 *
 * These schemas describe the answers; they do not shape them: a route that declares them serialises its answers with
 * JSON.stringify (`asJson`), as fastify does for a route without a response schema, because fastify's compiled
 * serialiser would silently drop any property a schema does not list. test/api/openapi-tools.test.ts checks with
 * schemathesis that the real answers match (status codes, media types, bodies).
 */

/** The JSON body of every error answer (api/http.ts ErrorBody). */
export const ERROR_BODY = {
  type: 'object',
  properties: {
    status: { type: 'integer', description: 'The HTTP status again.' },
    error: { type: 'string', description: 'What went wrong, in one sentence.' },
    parameter: { type: 'string', description: 'The parameter to fix, when there is one.' },
  },
  required: ['status', 'error'],
} as const;

/** What each error status means on the reading routes (the description of the answer). */
const ERROR_MEANING = {
  400: 'A parameter is wrong or unknown: `parameter` names it.',
  401: 'The operator token is missing or wrong (Authorization: Bearer <HUB_OPERATOR_TOKEN>).',
  403: 'Write endpoints are disabled: the server was started without an operator token.',
  404: 'Not found: `error` says what is missing.',
  406: 'The Accept header names none of the media types served here.',
  409: 'Already queued or under way (here or in another process): `runId` names that run when known.',
  410: 'Gone: the record left the hub (its source no longer has it).',
  413: 'The upload is larger than the server takes.',
  415: 'The body is of a Content-Type the route does not take: `error` says which it takes.',
  503: 'The catalogue index does not exist yet (nothing harvested) or Elasticsearch does not answer.',
} as const;
export type ErrorStatus = keyof typeof ERROR_MEANING;

/** The error answers of a route, each the JSON error body. */
export function errors(...statuses: ErrorStatus[]): Record<number, unknown> {
  return Object.fromEntries(
    statuses.map((s) => [s, { description: ERROR_MEANING[s], content: { 'application/json': { schema: ERROR_BODY } } }]),
  );
}

/** Error answers a browser gets as an HTML page (the page's form back with what to fix), a client as JSON. */
export function errorsOrPage(...statuses: ErrorStatus[]): Record<number, unknown> {
  return Object.fromEntries(
    statuses.map((s) => [
      s,
      {
        description: `${ERROR_MEANING[s]} A browser (f=html) gets an HTML page saying it.`,
        content: { 'application/json': { schema: ERROR_BODY }, 'text/html': { schema: { type: 'string' } } },
      },
    ]),
  );
}

/** A text body (HTML, XML, Turtle...) in the description. */
const TEXT = { type: 'string' } as const;

/**
 * An answer in one or more media types: a JSON schema for JSON media types, a string for the others. `media` maps
 * each media type to its schema (`undefined`: a text body).
 */
export function answer(description: string, media: Record<string, object | undefined>): unknown {
  return { description, content: Object.fromEntries(Object.entries(media).map(([type, schema]) => [type, { schema: schema ?? TEXT }])) };
}

/** A web link of the JSON answers (OGC API links, RFC 8288 terms). */
export const LINK = {
  type: 'object',
  properties: {
    href: { type: 'string' },
    rel: { type: 'string' },
    type: { type: 'string' },
    title: { type: 'string' },
    hreflang: { type: 'string' },
  },
  required: ['href', 'rel'],
} as const;
export const LINKS = { type: 'array', items: LINK } as const;

/**
 * The serializer compiler of the routes whose answers have a schema: JSON.stringify, whatever the schema (see above).
 * Strings (HTML pages, RDF) are sent as they are by fastify, without a serializer.
 */
export const asJson = () => (data: unknown) => JSON.stringify(data);

/**
 * The validator compiler of the routes whose handlers check their own parameters (with messages that name the
 * parameter and what it takes, or as a protocol asks): their schemas describe the parameters and let every request
 * through.
 */
export const describedOnly = () => () => true;
