/**
 * GET /metrics read as Prometheus reads it: the exposition text parsed by prometheus_client's own parser (Prometheus's
 * Python client library, PyPI), on a service over the real node and a fault CSW of our own. After a run: its status
 * as a state set, its counts as the run document has them, the end of the last ok run, the next scheduled run, the
 * records in the index, the service's figures and the process's; with Elasticsearch down: still a 200 for the
 * scraper, `hub_index_up 0` and what the service knows.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@elastic/elasticsearch';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../../api/server.js';
import type { RunSummary } from '../../../pipelines/harvest.js';
import { silentLogger } from '../../../pipelines/log.js';
import { HarvestService } from '../../../pipelines/service.js';
import type { SourceConfig } from '../../../pipelines/sources.js';
import { ensurePythonVenv, venvBin } from '../../../scripts/services/python.js';
import { esProxy } from '../../helpers/es-proxy.js';
import { faultyCsw, generatedRecords } from '../../helpers/fault-csw.js';
import { deleteIndices, esClient, esUrl, tempIndexName } from '../../helpers/services.js';

const run = promisify(execFile);
const client = await esClient();
const ES = await esUrl();
const reports = mkdtempSync(join(tmpdir(), 'hub-metrics-'));
const csw = await faultyCsw({ records: generatedRecords(60), pageCap: 20 });
const sources: SourceConfig[] = [
  { id: 'geo', type: 'csw', url: csw.url, schedule: '0 3 * * *', options: { pageSize: 20, http: { retryDelayMs: 10 } } },
  { id: 'other', type: 'csw', url: csw.url, options: { pageSize: 20, http: { retryDelayMs: 10 } } },
];
const opened: { close(): Promise<unknown> }[] = [];

test.before(async () => {
  await ensurePythonVenv();
});
test.after(async () => {
  for (const o of opened.reverse()) await o.close();
  await csw.close();
  rmSync(reports, { recursive: true, force: true });
  await deleteIndices(client, 'test-metrics-*');
});

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of an exposition text, as prometheus_client.parser reads it (it throws on anything malformed). */
async function scrape(server: FastifyInstance): Promise<Sample[]> {
  const r = await server.inject({ method: 'GET', url: '/metrics' });
  assert.is(r.statusCode, 200, r.body.slice(0, 300));
  assert.match(r.headers['content-type'] as string, /^text\/plain; version=0\.0\.4/);
  const script =
    'import sys, json\nfrom prometheus_client.parser import text_string_to_metric_families as parse\n' +
    'print(json.dumps([{"name": s.name, "labels": s.labels, "value": s.value if s.value == s.value else "NaN"} for f in parse(sys.stdin.read()) for s in f.samples]))';
  const child = run(venvBin('python'), ['-c', script], { maxBuffer: 64 << 20 });
  child.child.stdin!.end(r.body);
  const samples = (JSON.parse((await child).stdout) as (Omit<Sample, 'value'> & { value: number | 'NaN' })[]).map((x) => ({
    ...x,
    value: x.value === 'NaN' ? NaN : x.value,
  }));
  // NaN is Prometheus's "no value": only the process's own figures may be without one (no sample yet)
  const nan = samples.filter((x) => Number.isNaN(x.value)).map((x) => x.name);
  assert.equal(
    nan.filter((n) => !n.startsWith('hub_nodejs_')),
    [],
    'NaN values',
  );
  return samples;
}

const value = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;

async function service(esNode: string, c: Client) {
  const alias = tempIndexName('metrics');
  const svc = new HarvestService(sources, { client: c, alias }, silentLogger, { reportDir: reports, mapWorkers: 0 });
  await svc.start();
  const server = await buildServer({ client: c, alias, esUrl: esNode, log: silentLogger, service: svc });
  opened.push({ close: () => svc.stop() }, server);
  return { svc, server, alias };
}

test('after a run: its status as a state set, its counts, the last ok run, the next run, the records, the service and the process', async () => {
  const { svc, server } = await service(ES, client);
  const { runId, done } = await svc.trigger('geo');
  assert.is((await done)?.status, 'ok');
  const doc = (await server.inject({ method: 'GET', url: `/runs/${runId}` })).json<RunSummary>();
  const m = await scrape(server);
  assert.is(value(m, 'hub_index_up'), 1);
  for (const status of ['running', 'ok', 'partial', 'suspect', 'failed', 'interrupted', 'aborted'])
    assert.is(value(m, 'hub_source_last_run_status', { source: 'geo', status }), status === 'ok' ? 1 : 0, status);
  for (const outcome of ['seen', 'new', 'updated', 'unchanged', 'deleted', 'failed'] as const)
    assert.is(value(m, 'hub_source_last_run_records', { source: 'geo', outcome }), doc[outcome] ?? 0, outcome);
  assert.is(value(m, 'hub_source_last_run_records', { source: 'geo', outcome: 'new' }), 60);
  assert.is(value(m, 'hub_source_last_run_start_timestamp_seconds', { source: 'geo' }), Date.parse(doc.startedAt) / 1000);
  assert.is(value(m, 'hub_source_last_run_end_timestamp_seconds', { source: 'geo' }), Date.parse(doc.endedAt!) / 1000);
  assert.is(value(m, 'hub_source_last_ok_timestamp_seconds', { source: 'geo' }), Date.parse(doc.endedAt!) / 1000);
  assert.is(value(m, 'hub_source_last_run_duration_seconds', { source: 'geo' }), doc.ms / 1000);
  assert.is(value(m, 'hub_source_records', { source: 'geo' }), 60);
  assert.ok((value(m, 'hub_source_fair_mqa_points', { source: 'geo' }) ?? -1) > 0);
  // the next run: 03:00 UTC after now; none for the source without a schedule, which has never run either
  const next = value(m, 'hub_source_next_run_timestamp_seconds', { source: 'geo' })!;
  assert.is(new Date(next * 1000).toISOString().slice(11), '03:00:00.000Z');
  assert.ok(next * 1000 > Date.now() && next * 1000 <= Date.now() + 86_400_000);
  assert.is(value(m, 'hub_source_next_run_timestamp_seconds', { source: 'other' }), undefined);
  assert.is(value(m, 'hub_source_last_run_status', { source: 'other' }), undefined);
  assert.is(value(m, 'hub_source_info', { source: 'other', type: 'csw', schedule: '' }), 1);
  assert.is(value(m, 'hub_source_enabled', { source: 'geo' }), 1);
  assert.is(value(m, 'hub_runs_max'), 2);
  assert.is(value(m, 'hub_runs_running'), 0);
  assert.is(value(m, 'hub_service_scheduling'), 1);
  // the process (prom-client's default metrics)
  assert.ok((value(m, 'hub_process_resident_memory_bytes') ?? 0) > 10e6);
  assert.ok(m.some((s) => s.name.startsWith('hub_nodejs_eventloop_lag')));
});

test('Elasticsearch down: still a 200 for the scraper, hub_index_up 0, the schedules and the service as it knows them', async () => {
  const proxy = await esProxy(ES);
  const pclient = new Client({ node: proxy.url, maxRetries: 0, requestTimeout: 3000 });
  opened.push(proxy, pclient);
  const { server } = await service(proxy.url, pclient);
  assert.is(value(await scrape(server), 'hub_index_up'), 1);
  proxy.down();
  const m = await scrape(server);
  assert.is(value(m, 'hub_index_up'), 0);
  assert.ok(value(m, 'hub_source_next_run_timestamp_seconds', { source: 'geo' })! * 1000 > Date.now());
  assert.is(value(m, 'hub_source_records', { source: 'geo' }), undefined);
  assert.is(value(m, 'hub_runs_max'), 2);
});

test.run();
