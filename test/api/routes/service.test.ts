/**
 * The service's routes over the real node and a fault CSW of our own: POST /sources/{id}/run (no token configured
 * 403, none sent or a wrong one 401, unknown source 404 naming it, already running 409 naming the run, 202 with the run
 * id), GET /runs/{id}, GET /status (same data as `harvester status`, FAIR figures included), the operators' page with
 * the next run and FAIR figures; then the real clients on a listening server: `harvester run SOURCE --server URL
 * --wait` and `harvester status --json --server URL`.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@elastic/elasticsearch';
import type { FastifyInstance } from 'fastify';
import { parse } from 'node-html-parser';
import { buildServer } from '../../../api/server.js';
import { politeness } from '../../../core/politeness.js';
import type { RunSummary } from '../../../pipelines/harvest.js';
import { silentLogger } from '../../../pipelines/log.js';
import { HarvestService } from '../../../pipelines/service.js';
import type { SourceConfig } from '../../../pipelines/sources.js';
import type { SourceStatus } from '../../../pipelines/status.js';
import { harvesterBin } from '../../helpers/bin.js';
import { esProxy } from '../../helpers/es-proxy.js';
import { faultyCsw, generatedRecords } from '../../helpers/fault-csw.js';
import { deleteIndices, esClient, esUrl, tempIndexName } from '../../helpers/services.js';

const client = await esClient();
const ES = await esUrl();
const alias = tempIndexName('svc-routes');
const reports = mkdtempSync(join(tmpdir(), 'hub-service-routes-'));
const csw = await faultyCsw({ records: generatedRecords(60), pageCap: 20 });
const TOKEN = 'operator-secret-token';
const sources: SourceConfig[] = [
  { id: 'geo', type: 'csw', url: csw.url, schedule: '0 3 * * *', options: { pageSize: 20, http: { retryDelayMs: 10 } } },
  { id: 'other', type: 'csw', url: csw.url, options: { pageSize: 20, http: { retryDelayMs: 10 } } },
];
const service = new HarvestService(sources, { client, alias }, silentLogger, { reportDir: reports, mapWorkers: 0 });
let app: FastifyInstance;
let bare: FastifyInstance;
const bin = harvesterBin();

test.before(async () => {
  await service.start();
  app = await buildServer({ client, alias, esUrl: ES, log: silentLogger, operatorToken: TOKEN, service, reportDir: reports });
  bare = await buildServer({ client, alias, esUrl: ES, log: silentLogger, service });
});
test.after(async () => {
  await service.stop();
  await app.close();
  await bare.close();
  await csw.close();
  bin.cleanup();
  politeness.configure({});
  rmSync(reports, { recursive: true, force: true });
  await deleteIndices(client, 'test-svc-routes-*');
});

const post = (server: FastifyInstance, url: string, token?: string) =>
  server.inject({ method: 'POST', url, headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function untilEnded(runId: string): Promise<RunSummary> {
  for (let i = 0; i < 600; i++) {
    const r = await app.inject({ method: 'GET', url: `/runs/${runId}` });
    const body = r.json<RunSummary & { status: string }>();
    if (r.statusCode === 200 && body.endedAt) return body;
    await sleep(100);
  }
  throw new Error(`run ${runId} did not end`);
}

test('POST /sources/{id}/run: 403 without a configured token, 401 without or with a wrong token; nothing started', async () => {
  const none = await post(bare, '/sources/geo/run', TOKEN);
  assert.is(none.statusCode, 403);
  assert.match(none.json<{ error: string }>().error, 'started without HUB_OPERATOR_TOKEN');
  const missing = await post(app, '/sources/geo/run');
  assert.is(missing.statusCode, 401);
  assert.is(missing.headers['www-authenticate'], 'Bearer realm="operators"');
  const wrong = await post(app, '/sources/geo/run', 'not-the-token');
  assert.is(wrong.statusCode, 401);
  assert.equal(wrong.json(), { status: 401, error: "the token sent is not this server's operator token (its HUB_OPERATOR_TOKEN)" });
  assert.match(missing.json<{ error: string }>().error, 'this endpoint needs the operator token: Authorization: Bearer');
  assert.is(service.live('geo'), undefined);
  assert.is(csw.requests.length, 0, 'the source was not asked anything');
});

test('POST /sources/{id}/run: an unknown source is 404 naming it and the known ones; a bad id 400', async () => {
  const r = await post(app, '/sources/nope/run', TOKEN);
  assert.is(r.statusCode, 404);
  assert.equal(r.json(), { status: 404, error: 'no source "nope" in the sources file (its sources: geo, other)', parameter: 'id' });
  const bad = await post(app, '/sources/Bad%20Id/run', TOKEN);
  assert.is(bad.statusCode, 400);
  assert.is(bad.json<{ parameter: string }>().parameter, 'id');
});

test('POST /sources/{id}/run: 202 with the run id, 409 while it runs, GET /runs/{id} follows it to its end, exact counts', async () => {
  csw.fault = (r) => (r.op === 'GetRecords' ? { delayMs: 300 } : undefined);
  const r = await post(app, '/sources/geo/run', TOKEN);
  assert.is(r.statusCode, 202);
  const body = r.json<{ runId: string; source: string; state: string; run: string }>();
  assert.match(body.runId, /^[0-9a-f-]{36}$/);
  assert.equal([body.source, body.state], ['geo', 'running']);
  assert.is(r.headers.location, `${body.run}`);
  assert.ok(body.run.endsWith(`/runs/${body.runId}`));
  const again = await post(app, '/sources/geo/run', TOKEN);
  assert.is(again.statusCode, 409);
  const conflict = again.json<{ status: number; error: string; parameter: string; runId: string }>();
  assert.equal([conflict.status, conflict.parameter, conflict.runId], [409, 'id', body.runId]);
  assert.match(conflict.error, `source "geo" is being harvested by run ${body.runId}`);
  // while it runs, /status says so
  const live = (await app.inject({ method: 'GET', url: '/status' })).json<{ sources: SourceStatus[] }>();
  assert.equal(live.sources.find((s) => s.source === 'geo')?.live?.runId, body.runId);
  const ended = await untilEnded(body.runId);
  csw.fault = undefined;
  assert.equal([ended.status, ended.seen, ended.new, ended.failed], ['ok', 60, 60, 0]);
  await client.indices.refresh({ index: alias });
  assert.is((await client.count({ index: alias })).count, 60);
  const unknown = await app.inject({ method: 'GET', url: '/runs/00000000-0000-0000-0000-000000000000' });
  assert.is(unknown.statusCode, 404);
});

test('GET /status: every source with its last run, next run, FAIR figures; the service figures; the operators page shows them', async () => {
  const r = await app.inject({ method: 'GET', url: '/status' });
  assert.is(r.statusCode, 200);
  const body = r.json<{ service: { maxRuns: number; scheduling: boolean; politeness: { maxPerHost: number } }; sources: SourceStatus[] }>();
  assert.equal([body.service.maxRuns, body.service.scheduling, body.service.politeness.maxPerHost], [2, true, 4]);
  assert.equal(
    body.sources.map((s) => s.source),
    ['geo', 'other'],
  );
  const geo = body.sources[0];
  assert.equal([geo.lastRun?.status, geo.lastRun?.seen, geo.lastRun?.new], ['ok', 60, 60]);
  assert.match(geo.nextRun ?? '', /T03:00:00\.000Z$|T\d\d:00:00\.000Z$/);
  assert.is(geo.quality?.records, 60);
  const q = geo.quality!;
  assert.is(q.ratings.excellent + q.ratings.good + q.ratings.sufficient + q.ratings.bad, 60);
  assert.ok(q.mqa !== null && q.mqa > 0 && q.mqa <= 405);
  // the figures are those of the index: an average over the source's records computed here too
  const hits = await client.search<{ quality: { mqa: number } }>({ index: alias, size: 100, query: { term: { source: 'geo' } } });
  const avg = hits.hits.hits.reduce((a, h) => a + h._source!.quality.mqa, 0) / hits.hits.hits.length;
  assert.is(q.mqa, Math.round(avg * 10) / 10);
  const other = body.sources[1];
  assert.equal([other.lastRun, other.nextRun, other.configured], [undefined, undefined, true]);
  const page = parse((await app.inject({ method: 'GET', url: '/operators?lang=en' })).body);
  const row = page.querySelector('tr.run[data-source="geo"]')!;
  assert.match(row.querySelector('small.next')?.text ?? '', 'Next run');
  assert.match(row.querySelector('small.fair')?.text ?? '', `MQA avg ${q.mqa}/405`);
});

test('the real clients: harvester run SOURCE --server URL --wait, and harvester status --json --server URL', async () => {
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address() as { port: number };
  const url = `http://127.0.0.1:${address.port}`;
  const noToken = await bin.runAsync({ env: { HUB_OPERATOR_TOKEN: '' } }, 'run', 'other', '--server', url);
  assert.is(noToken.code, 2);
  assert.match(noToken.err, 'needs the operator token in HUB_OPERATOR_TOKEN');
  const wrong = await bin.runAsync({ env: { HUB_OPERATOR_TOKEN: 'wrong' } }, 'run', 'other', '--server', url);
  assert.is(wrong.code, 2);
  assert.match(wrong.err, "the server refused the operator token: the token sent is not this server's operator token");
  const unknown = await bin.runAsync({ env: { HUB_OPERATOR_TOKEN: TOKEN } }, 'run', 'nope', '--server', url);
  assert.is(unknown.code, 2);
  assert.match(unknown.err, 'no source "nope" in the sources file');
  const ran = await bin.runAsync({ env: { HUB_OPERATOR_TOKEN: TOKEN, HUB_URL: url } }, 'run', 'other', '--wait');
  assert.is(ran.code, 0, ran.err);
  // not a terminal: JSON lines on stdout, the run asked for, then its summary once it ended
  const [asked, summary] = ran.lines as [{ runId: string; source: string; state: string }, RunSummary];
  assert.equal([asked.source, asked.state], ['other', 'running']);
  assert.equal([summary.runId, summary.status, summary.seen, summary.new, summary.failed], [asked.runId, 'ok', 60, 60, 0]);
  const status = await bin.runAsync({}, 'status', '--json', '--server', url);
  assert.is(status.code, 0, status.err);
  const rows = status.lines as SourceStatus[];
  assert.equal(
    rows.map((s) => [s.source, s.lastRun?.status, s.lastRun?.new, s.quality?.records]),
    [
      ['geo', 'ok', 60, 60],
      ['other', 'ok', 60, 60],
    ],
  );
  const text = await bin.runAsync({}, 'status', '--server', url);
  assert.match(text.out, /^source\s+last run \(UTC\)\s+took\s+status/);
  assert.match(
    text.out,
    /\ngeo\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+\S+\s+ok\s+60\s+60\s+0\s+0\s+0\s+0\s+0\s+\d{4}-\d\d-\d\d \d\d:00:00\s+[\d.]+\/405 mostly \w+/,
  );
  assert.match(text.out, /\nother\s+.*\s+on demand\s+/);
});

test("Elasticsearch down: /status is 503 saying so with what the service knows (next runs, runs under way), a run of this process is told from memory, every other route 503 with one sentence (a page for a browser), not 500; an operator's trigger is 503 at once", async () => {
  const proxy = await esProxy(ES);
  const pclient = new Client({ node: proxy.url, maxRetries: 0, requestTimeout: 3000 });
  const palias = tempIndexName('svc-routes');
  const svc = new HarvestService(sources, { client: pclient, alias: palias }, silentLogger, { reportDir: reports, mapWorkers: 0 });
  await svc.start();
  const server = await buildServer({
    client: pclient,
    alias: palias,
    esUrl: proxy.url,
    log: silentLogger,
    operatorToken: TOKEN,
    service: svc,
  });
  try {
    const { runId, done } = await svc.trigger('geo');
    assert.is((await done)?.status, 'ok');
    proxy.down();
    const status = await server.inject({ method: 'GET', url: '/status' });
    assert.is(status.statusCode, 503, status.body);
    const body = status.json<{ error: string; service: { maxRuns: number }; sources: SourceStatus[] }>();
    assert.match(body.error, /^the catalogue index does not answer/);
    assert.is(body.service.maxRuns, 2);
    assert.equal(
      body.sources.map((s) => [s.source, Boolean(s.nextRun), s.lastRun]),
      [
        ['geo', true, undefined],
        ['other', false, undefined],
      ],
    );
    const run = await server.inject({ method: 'GET', url: `/runs/${runId}` });
    assert.is(run.statusCode, 200, run.body);
    assert.equal([run.json<RunSummary>().runId, run.json<RunSummary>().status], [runId, 'ok']);
    const unknown = await server.inject({ method: 'GET', url: '/runs/00000000-0000-4000-8000-000000000000' });
    assert.is(unknown.statusCode, 503, unknown.body);
    for (const url of ['/oai?verb=Identify', '/catalog', '/records/geo:x', '/operators/sources/geo']) {
      const r = await server.inject({ method: 'GET', url, headers: { accept: 'application/json' } });
      assert.is(r.statusCode, 503, `${url}: ${r.body}`);
      assert.equal(r.json(), { status: 503, error: 'the catalogue index does not answer: try again in a moment' }, url);
      assert.is(r.headers['retry-after'], '30', url);
    }
    for (const url of ['/operators', '/catalogue']) {
      const r = await server.inject({ method: 'GET', url, headers: { accept: 'text/html', 'accept-language': 'en' } });
      assert.is(r.statusCode, 503, `${url}: ${r.body.slice(0, 200)}`);
      assert.match(r.headers['content-type'] as string, /^text\/html/);
      assert.match(r.body, /The catalogue index does not answer: try again in a moment\./, url);
    }
    // an operator's trigger: the same 503 at once, not after the client's retries, and no run queued
    const t0 = Date.now();
    const trigger = await post(server, '/sources/other/run', TOKEN);
    const took = Date.now() - t0;
    assert.is(trigger.statusCode, 503, trigger.body);
    assert.equal(trigger.json(), { status: 503, error: 'the catalogue index does not answer: try again in a moment' });
    assert.is(trigger.headers['retry-after'], '30');
    assert.ok(took < 2000, `${took} ms`);
    assert.is(svc.live('other'), undefined);
  } finally {
    await svc.stop();
    await server.close();
    await proxy.close();
    await pclient.close();
  }
});

test('Elasticsearch that hangs: GET /status answers 503 within its budget (10 s) with what the service knows, not after the client timeout', async () => {
  const proxy = await esProxy(ES);
  const pclient = new Client({ node: proxy.url, maxRetries: 0, requestTimeout: 60_000 });
  const palias = tempIndexName('svc-routes');
  const svc = new HarvestService(sources, { client: pclient, alias: palias }, silentLogger, { reportDir: reports, mapWorkers: 0 });
  await svc.start();
  const server = await buildServer({ client: pclient, alias: palias, esUrl: proxy.url, log: silentLogger, service: svc });
  try {
    proxy.pause();
    const t0 = Date.now();
    const status = await server.inject({ method: 'GET', url: '/status' });
    const took = Date.now() - t0;
    assert.is(status.statusCode, 503, status.body);
    assert.ok(took >= 9_000 && took < 20_000, `${took} ms`);
    assert.equal(
      status.json<{ sources: SourceStatus[] }>().sources.map((s) => s.source),
      ['geo', 'other'],
    );
  } finally {
    await proxy.up();
    await svc.stop();
    await server.close();
    await proxy.close();
    await pclient.close();
  }
});

test.run();
