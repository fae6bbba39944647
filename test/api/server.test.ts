/**
 * The HTTP server's shared behaviour against the real node: /health, the error shape (requests refused before any route
 * included), CORS, the operator token, limits, the finishing touches of /openapi.json.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Client } from '@elastic/elasticsearch';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../api/server.js';
import { requireOperator, type ApiContext } from '../../api/http.js';
import { healthRoutes } from '../../api/routes/health.js';
import { ensureIndex } from '../../pipelines/index-admin.js';
import { BulkIndexer } from '../../pipelines/indexer.js';
import { createLogger } from '../../pipelines/log.js';
import { UsageError } from '../../core/result.js';
import { deleteIndices, esClient, esUrl, tempIndexName } from '../helpers/services.js';
import { smallRecord } from '../schemas/sample-records.js';

const alias = tempIndexName('server');
const client = await esClient();
const url = await esUrl();
const lines: string[] = [];
const log = createLogger({ json: true, stream: { write: (l: string) => lines.push(l) } as never });

test.before(async () => {
  await ensureIndex(client, alias);
  const indexer = new BulkIndexer({ client, index: alias, runId: 'r1', refresh: true });
  for (const [source, id] of [
    ['a', '1'],
    ['a', '2'],
    ['b', '3'],
  ])
    await indexer.add(smallRecord({ source, id, title: { en: `record ${id}` } }), { source });
  await indexer.close();
});
test.after(() => deleteIndices(client, `${alias}*`).then(() => undefined));

test('GET /health: 200 with the records and sources of the index; 503 naming the node when Elasticsearch does not answer', async () => {
  const app = await buildServer({ client, alias, esUrl: url, log });
  const r = await app.inject({ method: 'GET', url: '/health' });
  assert.is(r.statusCode, 200);
  const body = r.json();
  assert.is(body.status, 'ok');
  assert.equal(body.index, { alias, exists: true, records: 3, sources: 2 });
  await app.close();

  const down = new Client({ node: 'http://127.0.0.1:9', maxRetries: 0, requestTimeout: 2000 });
  const app2 = await buildServer({ client: down, alias, esUrl: 'http://127.0.0.1:9', log });
  const d = await app2.inject({ method: 'GET', url: '/health' });
  assert.is(d.statusCode, 503);
  assert.is(d.json().status, 'unavailable');
  assert.match(d.json().elasticsearch.error, /does not answer at http:\/\/127\.0\.0\.1:9/);
  await app2.close();
  await down.close();
});

test('GET /: a browser goes on to the catalogue pages with its query; a client gets the links to every face, each answering in the type it says', async () => {
  const app = await buildServer({ client, alias, esUrl: url, log });
  try {
    const browser = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'; // Chromium's and Firefox's Accept
    const r = await app.inject({ url: '/?q=sol&lang=en', headers: { accept: browser } });
    assert.is(r.statusCode, 302);
    assert.is(r.headers.location, '/catalogue?q=sol&lang=en');
    assert.is((await app.inject({ url: '/', headers: { accept: browser } })).headers.location, '/catalogue');
    assert.is((await app.inject({ url: '/?f=html&lang=fr' })).headers.location, '/catalogue?lang=fr', 'f=html, itself dropped');

    const doc = await app.inject({ url: '/', headers: { host: 'hub.example.org' } });
    assert.is(doc.statusCode, 200);
    const { title, links } = doc.json<{ title: string; links: { href: string; rel: string; type: string }[] }>();
    assert.ok(title);
    assert.equal(
      links.map((l) => l.rel),
      ['self', 'service-desc', 'search', 'related', 'related', 'related', 'alternate', 'related', 'related'],
    );
    for (const l of links) {
      assert.ok(l.href.startsWith('http://hub.example.org/'), l.href);
      const path = l.href.slice('http://hub.example.org'.length);
      const a = await app.inject({ url: path, headers: { accept: l.type } });
      assert.is(a.statusCode, 200, `${path}: ${a.body.slice(0, 200)}`);
      assert.is(String(a.headers['content-type']).split(';')[0], l.type.split(';')[0], path);
    }
    // a client's mistake is named, as on every route
    const bad = await app.inject({ url: '/?limit=3' });
    assert.is(bad.statusCode, 400);
    assert.is(bad.json().parameter, 'limit');
    assert.is((await app.inject({ url: '/?f=xml' })).json().parameter, 'f');

    // the pages link the APIs in their footer, each of which answers
    const page = (await app.inject({ url: '/catalogue' })).body;
    const footer = /<footer[\s\S]*?<\/footer>/.exec(page)?.[0] ?? '';
    const hrefs = [...footer.matchAll(/href="([^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));
    assert.equal(hrefs, ['/openapi.json', '/ogcapi', '/oai?verb=Identify', '/catalog']);
    for (const h of hrefs) assert.is((await app.inject({ url: h })).statusCode, 200, h);
  } finally {
    await app.close();
  }
});

test("errors: 404 and 400 are JSON naming the page or the parameter (a browser's 404 a page); a crash is a 500 without its stack; one log line per request", async () => {
  const probe = (app: FastifyInstance) => {
    app.get('/bad', async () => {
      throw new UsageError('bbox: west must be from -180 to 180 (got 200)', 'bbox');
    });
    app.get<{ Querystring: { limit: number } }>(
      '/typed',
      { schema: { querystring: { type: 'object', properties: { limit: { type: 'integer', maximum: 100 } } } } },
      async (req) => ({ limit: req.query.limit }),
    );
    app.get('/crash', async () => {
      throw new Error('secret internals');
    });
  };
  const app = await buildServer({ client, alias, esUrl: url, log, routes: [healthRoutes, probe] });
  const nf = await app.inject({ method: 'GET', url: '/nowhere?x=1' });
  assert.is(nf.statusCode, 404);
  assert.equal(nf.json(), { status: 404, error: 'no such page: GET /nowhere' });
  // a browser gets a page, in its language, leading to the catalogue (the same 404)
  const browser = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
  for (const [language, said] of [
    ['fr-FR,fr;q=0.9', 'Aucune page à l’adresse /catalogue/nope.'],
    ['en', 'No page at /catalogue/nope.'],
  ]) {
    const page = await app.inject({ url: '/catalogue/nope?q=x', headers: { accept: browser, 'accept-language': language } });
    assert.is(page.statusCode, 404);
    assert.match(page.headers['content-type'] as string, /^text\/html/);
    assert.ok(page.body.includes(said), page.body);
    assert.match(page.body, /<a href="\/catalogue">/);
  }
  const head = await app.inject({ method: 'HEAD', url: '/nowhere', headers: { accept: browser } });
  assert.equal([head.statusCode, head.headers['content-type']], [404, 'text/html; charset=utf-8']);
  for (const accept of ['application/json', '*/*', 'text/html;q=0.5, application/json'])
    assert.equal(
      (await app.inject({ url: '/nowhere', headers: { accept } })).json(),
      { status: 404, error: 'no such page: GET /nowhere' },
      accept,
    );
  assert.is(
    (await app.inject({ method: 'POST', url: '/nowhere', headers: { accept: browser } })).headers['content-type'],
    'application/json; charset=utf-8',
  );
  const bad = await app.inject({ method: 'GET', url: '/bad' });
  assert.is(bad.statusCode, 400);
  assert.equal(bad.json(), { status: 400, error: 'bbox: west must be from -180 to 180 (got 200)', parameter: 'bbox' });
  const typed = await app.inject({ method: 'GET', url: '/typed?limit=1000' });
  assert.is(typed.statusCode, 400);
  assert.is(typed.json().parameter, 'limit');
  assert.match(typed.json().error, /^limit: must be <= 100/);
  const twice = await app.inject({ method: 'GET', url: '/typed?limit=1&limit=2' });
  assert.equal(twice.json(), { status: 400, error: 'limit is given 2 times: give it once', parameter: 'limit' });
  const crash = await app.inject({ method: 'GET', url: '/crash' });
  assert.is(crash.statusCode, 500);
  assert.not.match(crash.body, /secret internals/);
  assert.ok(
    lines.some((l) => /secret internals/.test(l)),
    'the log has what the answer hides',
  );
  const logged = lines.map((l) => JSON.parse(l) as { url?: string; status?: number }).filter((l) => l.url === '/bad');
  assert.equal(
    logged.map((l) => l.status),
    [400],
  );
  await app.close();
});

test('a known path with a method it does not take: 405 with the methods it takes in Allow; an unknown path stays a 404', async () => {
  const app = await buildServer({ client, alias, esUrl: url, log });
  const cases: [string, string, string][] = [
    ['DELETE', '/search?q=x', 'GET, HEAD, OPTIONS'],
    ['POST', '/ogcapi/collections/catalogue/items', 'GET, HEAD, OPTIONS'],
    ['PUT', '/ogcapi/collections/catalogue/items/fx-stac:a/b', 'GET, HEAD, OPTIONS'],
    ['PATCH', '/records/hand:fiji-reefs', 'GET, HEAD, OPTIONS'],
    ['GET', '/sources/fx-stac/run', 'POST, OPTIONS'],
  ];
  for (const [method, path, allow] of cases) {
    const r = await app.inject({ method: method as 'GET', url: path });
    assert.is(r.statusCode, 405, `${method} ${path}`);
    assert.is(r.headers.allow, allow, `${method} ${path}`);
    assert.is(r.json().error, `${method} is not allowed on ${path.split('?')[0]}: it takes ${allow}`);
  }
  for (const [method, path] of [
    ['DELETE', '/nowhere'],
    ['GET', '/ogcapi/collections/catalogue/items/x/y/z/extra/../nothing-here/queryables/more'],
    ['POST', '/searches'],
  ]) {
    const r = await app.inject({ method: method as 'GET', url: path });
    if (r.statusCode === 405) assert.unreachable(`${method} ${path}: 405 for a path no route has`);
  }
  assert.is((await app.inject({ method: 'DELETE', url: '/nowhere' })).statusCode, 404);
  assert.is((await app.inject({ method: 'POST', url: '/searches' })).statusCode, 404);
  await app.close();
});

test('CORS: any origin may read (GET), nobody may write from a browser', async () => {
  const app = await buildServer({ client, alias, esUrl: url, log });
  const r = await app.inject({ method: 'GET', url: '/health', headers: { origin: 'https://portal.example.org' } });
  assert.is(r.headers['access-control-allow-origin'], '*');
  const pre = await app.inject({
    method: 'OPTIONS',
    url: '/health',
    headers: { origin: 'https://portal.example.org', 'access-control-request-method': 'POST' },
  });
  assert.not.match(String(pre.headers['access-control-allow-methods'] ?? ''), /POST/);
  await app.close();
});

test('write endpoints: disabled without a configured token (403), 401 without or with a wrong token, done with the right one', async () => {
  let writes = 0;
  const writer = (app: FastifyInstance, ctx: ApiContext) => {
    app.post('/write', { preHandler: requireOperator(ctx) }, async () => ({ done: ++writes }));
  };
  const off = await buildServer({ client, alias, esUrl: url, log, routes: [writer] });
  const r0 = await off.inject({ method: 'POST', url: '/write', headers: { authorization: 'Bearer anything' } });
  assert.is(r0.statusCode, 403);
  assert.match(r0.json().error, /HUB_OPERATOR_TOKEN/);
  await off.close();

  const on = await buildServer({ client, alias, esUrl: url, log, routes: [writer], operatorToken: 's3cret-token' });
  assert.is((await on.inject({ method: 'POST', url: '/write' })).statusCode, 401);
  assert.is((await on.inject({ method: 'POST', url: '/write', headers: { authorization: 'Bearer s3cret-toke' } })).statusCode, 401);
  assert.is((await on.inject({ method: 'POST', url: '/write', headers: { authorization: 'Basic s3cret-token' } })).statusCode, 401);
  assert.is(writes, 0);
  const ok = await on.inject({ method: 'POST', url: '/write', headers: { authorization: 'Bearer s3cret-token' } });
  assert.is(ok.statusCode, 200);
  assert.is(writes, 1);
  await on.close();
});

test('limits: a body over the limit is 413; bad options are refused up front', async () => {
  const echo = (app: FastifyInstance) => {
    app.post('/echo', async (req) => ({ n: JSON.stringify(req.body).length }));
  };
  const app = await buildServer({ client, alias, esUrl: url, log, routes: [echo], bodyLimit: 2048 });
  const big = await app.inject({ method: 'POST', url: '/echo', payload: { x: 'a'.repeat(4096) } });
  assert.is(big.statusCode, 413);
  await app.close();
  try {
    await buildServer({ client, alias, esUrl: url, log, requestTimeoutMs: 5 });
    assert.unreachable();
  } catch (err) {
    assert.instance(err, UsageError);
    assert.match((err as Error).message, /requestTimeoutMs/);
  }
});

test('refused before any route, still in the one error shape: a URL past 16 KB (431), bad percent-encoding and an over-long path parameter (400)', async () => {
  const app = await buildServer({ client, alias, esUrl: url, log });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  try {
    const long = await fetch(`${base}/search?q=${'a'.repeat(17_000)}`);
    assert.is(long.status, 431);
    assert.match(String(long.headers.get('content-type')), /^application\/json/);
    const lb = (await long.json()) as { status: number; error: string };
    assert.is(lb.status, 431);
    assert.match(lb.error, /longer than the 16 KB the server reads/);

    for (const [path, message] of [
      ['/records/%', /not valid percent-encoding/],
      ['/ogcapi/collections/%ZZ', /not valid percent-encoding/],
      [`/ogcapi/collections/${'a'.repeat(501)}`, /path parameter is longer than 500 characters/],
    ] as const) {
      const r = await fetch(base + path);
      assert.is(r.status, 400, path);
      const body = (await r.json()) as { status: number; error: string };
      assert.is(body.status, 400, path);
      assert.match(body.error, message, path);
    }
    // 500 characters are still a collection id to look up (a 404 naming the known ones)
    assert.is((await fetch(`${base}/ogcapi/collections/${'a'.repeat(500)}`)).status, 404);
  } finally {
    await app.close();
  }
});

test('/openapi.json: record ids (a wildcard path parameter) are named as the errors name them; every operation lists the 431', async () => {
  const app = await buildServer({ client, alias, esUrl: url, log });
  const doc = (await app.inject({ url: '/openapi.json' })).json<{
    paths: Record<string, Record<string, { parameters?: { in: string; name: string }[]; responses: Record<string, unknown> }>>;
  }>();
  await app.close();
  const item = doc.paths['/ogcapi/collections/{collectionId}/items/{recordId}'].get;
  assert.equal(
    item
      .parameters!.filter((p) => p.in === 'path')
      .map((p) => p.name)
      .sort(),
    ['collectionId', 'recordId'],
  );
  assert.ok(doc.paths['/records/{id}'].get.parameters!.some((p) => p.in === 'path' && p.name === 'id'));
  assert.not.ok(Object.keys(doc.paths).some((p) => p.includes('{*}')));
  for (const [path, ops] of Object.entries(doc.paths))
    for (const [m, op] of Object.entries(ops)) assert.ok(op.responses['431'], `${m} ${path}`);
});

test.run();
