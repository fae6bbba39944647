/**
 * GET /openapi.json checked by third-party tools (PyPI, in .cache/pyenv) against a listening server over the fixture
 * catalogue (test/helpers/catalogue.ts):
 * - openapi-spec-validator: the description is a valid OpenAPI 3.0 document;
 * - schemathesis: every GET operation the description holds, with requests generated from its schemas (values that
 *   it allows and values that it does not), mixed with real values of the catalogue (collections, record ids, boxes,
 *   dates, words, keywords, themes) so that the requests reach the searches. Its checks: no answer is a 5xx
 *   (not_a_server_error), every status code and media type is documented (status_code_conformance,
 *   content_type_conformance), every JSON body is valid against its documented schema (response_schema_conformance),
 *   a method a path does not take is a 405 with Allow (unsupported_method).
 *   Generation is deterministic: the same requests on every run. The write endpoints (POST) are left out.
 *   `SCHEMATHESIS_EXAMPLES=N` (default 50 per operation) and `SCHEMATHESIS_TIMEOUT_S` make a longer run on demand.
 * The run history of real harvests is in the index (test/api/pages-fixture.ts sources), and every GET operation must
 * answer a 2xx at least once. Each tool is also shown a description broken on purpose, and must refuse it: the checks
 * can fail.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../api/server.js';
import { harvestAll } from '../../pipelines/harvest-all.js';
import { silentLogger } from '../../pipelines/log.js';
import { recordRun, type RunSummary } from '../../pipelines/runs.js';
import type { HubRecord } from '../../schemas/record.js';
import { ensurePythonVenv, venvBin } from '../../scripts/services/python.js';
import { deleteIndices, esClient, esUrl, tempIndexName } from '../helpers/services.js';
import { HAND, indexFixtureCatalogue } from '../helpers/catalogue.js';
import { OZCAR_SOURCES } from './pages-fixture.js';

const alias = tempIndexName('openapi-tools');
const client = await esClient();
const dir = mkdtempSync(join(tmpdir(), 'hub-openapi-tools-'));
const runsAlias = tempIndexName('openapi-tools-runs');
const reportDir = mkdtempSync(join(tmpdir(), 'hub-openapi-tools-reports-'));
let runs: RunSummary[] = [];
/** `METHOD /route/:pattern` of every route that answered a 2xx since the server started. */
const answered = new Set<string>();
let app: FastifyInstance;
let url = '';
let records: HubRecord[] = [];
let description: OpenApi;

interface OpenApi {
  openapi: string;
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: Record<string, unknown> }> }> }>>;
}

/** Runs a program of the venv; its exit code and its output (stdout and stderr), killed after `timeoutMs`. */
async function peer(program: string, args: string[], timeoutMs: number): Promise<{ code: number | null; out: string; ms: number }> {
  await ensurePythonVenv();
  const started = Date.now();
  const child = spawn(venvBin(program), args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const timer = setTimeout(() => {
    out += `\n[killed after ${timeoutMs / 1000} s]`;
    child.kill('SIGKILL');
  }, timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(timer);
  return { code, out, ms: Date.now() - started };
}

/** schemathesis's report of the failures: each with what it checked, the answer and its `curl` line to reproduce it. */
function failures(out: string): string {
  const start = out.indexOf('= FAILURES =');
  const end = out.indexOf('= SUMMARY =');
  const text = start >= 0 ? out.slice(start, end > start ? end : undefined) : out.slice(-8000);
  return text.length > 30_000 ? `${text.slice(0, 30_000)}\n[...]` : text;
}

/** A TOML string (JSON's escapes are TOML's for these values: no lone surrogates). */
const toml = (s: string) => JSON.stringify(s);

/**
 * schemathesis's configuration: dictionaries of real values of the catalogue, each bound to the parameters that take
 * it, used in part of the generated requests (`probability`), the rest generated from the schemas alone.
 */
function config(): string {
  const sources = [...new Set(records.map((r) => r.isPrimaryTopicOf.sourceId))].sort();
  const stacWithSlash = records.find((r) => r.identifier.startsWith('fx-stac:') && r.identifier.includes('/'))!.identifier;
  const ids = [
    ...HAND.map((r) => r.identifier),
    stacWithSlash,
    ...sources.map((s) => records.find((r) => r.isPrimaryTopicOf.sourceId === s)!.identifier),
  ];
  const keywords = [...new Set(records.flatMap((r) => Object.values(r.keyword ?? {}).flat()))].slice(0, 8);
  const themes = [...new Set(records.flatMap((r) => (r.theme ?? []).map((t) => t['@id'])))].slice(0, 8);
  const dictionaries: Record<string, string[]> = {
    collections: ['catalogue', ...sources],
    records: [...new Set(ids)],
    idLists: [ids.slice(0, 3).join(','), ids[3]],
    sources,
    keywords,
    themes,
    // west,south,east,north; the second crosses the antimeridian
    boxes: ['-5.5,47,-1,49', '170,-30,-170,10', '5.5,44.5,7.5,46.5', '-180,-90,180,90', '0,0,0,0', '6,45,0,7,46,1000'],
    intervals: ['2010-01-01T00:00:00Z/2010-12-31T23:59:59Z', '2019', '../2020-01-01', '2018-06-01/..', '2019-05-05', '2018-06/2019'],
    dates: ['2018', '2019-06', '2020-01-31', '2010-01-01T00:00:00Z', '2021-03-04T05:06:07+02:00'],
    words: ['glacier', 'rivières', '"coral reefs"', 'glac*', 'snow -water', 'RIVIERE bretagne', 'débits'],
    sortby: ['title', '-updated', '+created,-end', 'start', '-title,updated'],
    types: ['dataset', 'series,service', 'service'],
    langs: ['fr', 'en'],
    runIds: runs.map((r) => r.runId),
    runSources: [...new Set(runs.map((r) => r.source))],
    reports: runs.flatMap((r) => (r.reportFile ? [basename(r.reportFile)] : [])),
  };
  const bindings: Record<string, string> = {
    'path.collectionId': 'collections',
    'path.recordId': 'records',
    'path.id': 'records',
    'query.bbox': 'boxes',
    'query.datetime': 'intervals',
    'query.start': 'dates',
    'query.end': 'dates',
    'query.from': 'dates',
    'query.to': 'dates',
    'query.q': 'words',
    'query.sortby': 'sortby',
    'query.ids': 'idLists',
    'query.lang': 'langs',
    'query.keywords': 'keywords',
    'query.keyword': 'keywords',
    'query.themes': 'themes',
    'query.theme': 'themes',
    'query.source': 'sources',
    'path.runId': 'runIds',
    'path.source': 'runSources',
    'path.file': 'reports',
  };
  // the item types of OGC API (a comma-separated list); /search's type is an enum and needs none
  const lines: string[] = [];
  for (const [name, values] of Object.entries(dictionaries))
    lines.push(`[dictionaries.${name}]`, `values = [${values.map(toml).join(', ')}]`);
  lines.push('[parameters]');
  for (const [param, name] of Object.entries(bindings)) lines.push(`${toml(param)} = { dictionary = ${toml(name)}, probability = 0.6 }`);
  lines.push('[[operations]]', `include-path = ${toml('/ogcapi/collections/{collectionId}/items')}`, '[operations.parameters]');
  lines.push(`"query.type" = { dictionary = "types", probability = 0.6 }`);
  return lines.join('\n') + '\n';
}

const CHECKS = [
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_schema_conformance',
  'unsupported_method',
];

test.before(async () => {
  records = (await indexFixtureCatalogue(client, alias)).records;
  // the run history of real harvests (a source that fails whole, one with failed records and its report), so that
  // the requests reach /runs/{runId}, /operators/sources/{source} and /operators/reports/{file} with real values
  runs = await harvestAll(OZCAR_SOURCES, { client, alias: runsAlias }, silentLogger, { reportDir });
  for (const run of runs) await recordRun(client, alias, run);
  app = await buildServer({ client, alias, esUrl: await esUrl(), log: silentLogger, reportDir });
  // the routes that answered 2xx, as the description names their paths (`:name` -> `{name}`, a record id's `*`)
  app.addHook('onResponse', async (req, reply) => {
    if (reply.statusCode < 300 && req.routeOptions.url) answered.add(`${req.method} ${req.routeOptions.url}`);
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const res = await fetch(`${url}/openapi.json`);
  assert.is(res.status, 200);
  description = (await res.json()) as OpenApi;
  writeFileSync(join(dir, 'openapi.json'), JSON.stringify(description));
});
test.after(async () => {
  await app?.close();
  await deleteIndices(client, `${alias}*`);
  await deleteIndices(client, `${runsAlias}*`);
  rmSync(dir, { recursive: true, force: true });
  rmSync(reportDir, { recursive: true, force: true });
});

test('openapi-spec-validator: /openapi.json and /ogcapi/api are valid OpenAPI 3.0 documents; a broken one is refused', async () => {
  assert.match(description.openapi, /^3\.0\./);
  const ok = await peer('openapi-spec-validator', ['--errors', 'all', join(dir, 'openapi.json')], 60_000);
  assert.is(ok.code, 0, ok.out);
  assert.match(ok.out, /openapi\.json: OK/);
  // and the description of the OGC API alone, which its landing page links to
  const ogc = await fetch(`${url}/ogcapi/api`);
  assert.is(ogc.status, 200);
  writeFileSync(join(dir, 'ogcapi.json'), Buffer.from(await ogc.arrayBuffer()));
  const scoped = await peer('openapi-spec-validator', ['--errors', 'all', join(dir, 'ogcapi.json')], 60_000);
  assert.is(scoped.code, 0, scoped.out);
  assert.match(scoped.out, /ogcapi\.json: OK/);

  // the same description with one answer lacking its required description, and a parameter in a place that does not exist
  const broken = structuredClone(description) as any;
  delete broken.paths['/search'].get.responses['200'].description;
  broken.paths['/search'].get.parameters[0].in = 'body';
  writeFileSync(join(dir, 'broken.json'), JSON.stringify(broken));
  const bad = await peer('openapi-spec-validator', ['--errors', 'all', join(dir, 'broken.json')], 60_000);
  assert.is.not(bad.code, 0, bad.out);
  assert.match(bad.out, /description/);
  assert.match(bad.out, /body/);
});

test('schemathesis: every GET operation, no 5xx, documented status codes and media types, bodies valid against their schemas, each answering a 2xx', async () => {
  const getOps = Object.entries(description.paths).filter(([, item]) => item.get).length;
  assert.ok(getOps >= 20, `${getOps} GET operations described`);
  writeFileSync(join(dir, 'schemathesis.toml'), config());
  const args = [
    '--config-file',
    join(dir, 'schemathesis.toml'),
    '--no-color',
    'run',
    `${url}/openapi.json`,
    '--include-method',
    'GET',
    '--checks',
    CHECKS.join(','),
    '--max-examples',
    process.env.SCHEMATHESIS_EXAMPLES ?? '50',
    '--generation-deterministic',
    '--workers',
    '2',
    '--continue-on-failure',
    '--request-timeout',
    '20',
  ];
  const run = await peer('schemathesis', args, Number(process.env.SCHEMATHESIS_TIMEOUT_S ?? 240) * 1000);
  console.log(`schemathesis: ${((run.ms / 1000) | 0).toFixed(0)} s, ${/Test cases:\s*\n\s*(.*)/.exec(run.out)?.[1] ?? '?'}`);
  if (run.code !== 0) console.log(failures(run.out));
  assert.is(
    run.code,
    0,
    `schemathesis failed (exit ${run.code}); reproduce with the curl lines above:\n${failures(run.out).slice(0, 4000)}`,
  );
  // every GET operation of the description was tested, and requests were made
  assert.match(run.out, new RegExp(`Tested: ${getOps}\\b`), run.out.slice(-3000));
  const cases = /(\d+) generated, (\d+) passed/.exec(run.out);
  assert.ok(cases && Number(cases[1]) > getOps * 20 && cases[1] === cases[2], run.out.slice(-3000));
  // and each of them reached a success at least once: real ids, runs and reports, not only 400s and 404s (a record's IRI
  // only ever redirects: its 303 is its success, and schemathesis checked it is documented)
  const routes = [...answered].map((r) => r.replace(/:(\w+)/g, '{$1}').replace(/\/\*$/, '/{*}'));
  const missed = Object.entries(description.paths)
    .filter(([, item]) => item.get && Object.keys(item.get.responses).some((code) => code.startsWith('2')))
    .map(([path]) => path)
    .filter((path) => !routes.some((r) => r === `GET ${path}` || r === `GET ${path.replace(/\{(id|recordId)\}$/, '{*}')}`));
  assert.equal(missed, [], `operations that never answered 2xx: ${missed.join(', ')}; answered: ${routes.join(', ')}`);
});

test('schemathesis refuses answers that a description does not describe', async () => {
  // the real description, with a property no answer of /search has made required, and the 400 of the items removed
  const wrong = structuredClone(description) as any;
  const search = wrong.paths['/search'].get.responses['200'].content['application/json'].schema;
  search.required = [...search.required, 'nonexistent'];
  delete wrong.paths['/ogcapi/collections/{collectionId}/items'].get.responses['400'];
  writeFileSync(join(dir, 'wrong.json'), JSON.stringify(wrong));
  const run = await peer(
    'schemathesis',
    [
      '--no-color',
      'run',
      join(dir, 'wrong.json'),
      '--url',
      url,
      '--include-path-regex',
      '^/(search|ogcapi/collections/\\{collectionId\\}/items)$',
      '--checks',
      CHECKS.join(','),
      '--max-examples',
      '5',
      '--generation-deterministic',
      '--phases',
      'coverage,fuzzing',
    ],
    120_000,
  );
  assert.is(run.code, 1, run.out.slice(-3000));
  assert.match(run.out, /nonexistent/);
  assert.match(run.out, /Undocumented status code[\s\S]*Received: 400/);
});

test.run();
