/**
 * Benchmark: what GET /search costs the hub's server itself, apart from Elasticsearch. The answers of the real node to
 * the benchmark's kinds of query (time window, text, text with facets) are recorded once from an index, then a
 * canned node replays them instantly (a plain HTTP server on loopback, in a child process), and `harvester serve` is
 * put in front of it. Printed for each kind:
 * - the server's CPU time per request (user + system of its process, from /proc) under 8 clients;
 * - latency p50/p95/p99 under 1 client through the server, next to the canned node asked directly: the server's own
 *   round trip, the floor under which no ratio API/ES can go on this machine, whatever Elasticsearch does.
 * The recorded answers are real; only their timing is not (the point: to see ours alone).
 *
 *   npm run build && node dist/scripts/bench/api-overhead.js [SECONDS=10]
 *   BENCH_ALIAS=bench-search  the index to record answers from (default bench-search, left by search.js BENCH_KEEP=1;
 *                             any index of hub records will do)
 *   BENCH_ROUNDS=3            rounds of the 8-client measure per kind; the CPU per request printed is the least of
 *                             them (the machine is shared: other work only ever adds to it), with their median
 *   BENCH_BASELINE=DIR        another checkout of the project, built (its dist/, node_modules reachable from it), whose
 *                             server is measured in the same run, its rounds alternating with this one's: a before/after
 *                             comparison under the same load (e.g. a `git worktree` of an older commit)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureElasticsearch } from '../services/elasticsearch.js';
import { projectPath } from '../../schemas/paths.js';
import { searchRequest, type SearchParams } from '../../pipelines/search.js';
import { cpuMs, fmt, loadTest, percentile, type Measure } from './common.js';

const SECONDS = Number(process.argv[2] ?? 10);
const ALIAS = process.env.BENCH_ALIAS || 'bench-search';
const ROUNDS = Number(process.env.BENCH_ROUNDS || 3);
const BASELINE = process.env.BENCH_BASELINE;
if (!Number.isInteger(ROUNDS) || ROUNDS < 1)
  throw new Error(`BENCH_ROUNDS must be a whole number, at least 1 (got "${process.env.BENCH_ROUNDS}")`);
if (BASELINE !== undefined && !existsSync(join(BASELINE, 'dist', 'scripts', 'harvester.js')))
  throw new Error(`BENCH_BASELINE ${BASELINE} holds no built project (dist/scripts/harvester.js)`);

// ------------------------------------------------------------------------------------------------ measuring

const KINDS = {
  time: (i: number): SearchParams => ({ from: String(1990 + (i % 30)), to: String(1992 + (i % 30)) }),
  text: (i: number): SearchParams => ({ q: `${['sol', 'débit', 'altitude', 'précipitations'][i % 4]} bretagne ${1990 + (i % 30)}` }),
  facet: (i: number): SearchParams => ({ q: `${['sol', 'terrain', 'couverture'][i % 3]} ${1990 + (i % 30)}`, aggs: true }),
};
type Kind = keyof typeof KINDS;
const RECORDED: Record<Kind, SearchParams> = { time: { from: '2000', to: '2003' }, text: { q: 'sol bretagne' }, facet: { q: 'sol' } };

function apiPath(p: SearchParams): string {
  const qs = new URLSearchParams({ size: '10', facets: p.aggs ? 'true' : 'false', fuzzy: 'off' });
  if (p.q) qs.set('q', p.q);
  if (p.from) qs.set('start', p.from);
  if (p.to) qs.set('end', p.to);
  return `/search?${qs}`;
}

/** GETs of `paths` (cycling) for `seconds` (common.ts loadTest); anything but a 2xx answer stops the benchmark. */
async function load(base: string, paths: string[], connections: number, seconds: number): Promise<Measure> {
  const m = await loadTest(
    base,
    paths.map((path) => ({ method: 'GET' as const, path })),
    connections,
    seconds,
  );
  if (m.errors > 0) throw new Error(`${base}: ${m.errors} failed requests (answers other than 2xx, errors, timeouts)`);
  return m;
}

interface Served {
  name: string;
  url: string;
  child: ChildProcess;
  logFile: string;
}

/** `harvester serve` of the project at `root` in front of `esUrl`. */
async function startServe(esUrl: string, root: string, name: string): Promise<Served> {
  const logFile = join(tmpdir(), `bench-api-overhead-${process.pid}-${name}.log`);
  const fd = openSync(logFile, 'w');
  // as search.ts runs it: the installed harvester, one log line per request, to a file
  const child = spawn('sh', [join(root, 'scripts', 'bin', 'harvester'), 'serve', '--port', '0', '--alias', ALIAS, '--es', esUrl], {
    stdio: ['ignore', 'ignore', fd],
    env: { ...process.env, LOG_LEVEL: 'info' },
  });
  closeSync(fd);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const text = readFileSync(logFile, 'utf8');
    const m = /serving on (http:\/\/[^\s"]+)/.exec(text);
    if (m) return { name, url: m[1], child, logFile };
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`harvester serve did not start: ${text.slice(-2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function main(): Promise<void> {
  const es = await ensureElasticsearch();
  // 1. the real node's answers, one per kind
  const answers: Record<string, string> = {};
  for (const kind of Object.keys(KINDS) as Kind[]) {
    // a query of each kind that finds ten hits (the canned node gives that answer to every query of its kind)
    const p = { ...RECORDED[kind], size: 10, record: false, aggs: kind === 'facet' };
    const r = await fetch(`${es.url}/${ALIAS}/_search`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(searchRequest(p).body),
    });
    if (!r.ok) throw new Error(`${ALIAS}: the node answered ${r.status} (run search.js with BENCH_KEEP=1 first, or set BENCH_ALIAS)`);
    answers[kind] = await r.text();
    const hits = (JSON.parse(answers[kind]) as { hits: { hits: unknown[] } }).hits.hits.length;
    if (hits < 10) throw new Error(`${ALIAS}: the ${kind} query recorded found ${hits} hits, not 10 (an index of hub records is needed)`);
  }
  const file = join(tmpdir(), `bench-api-overhead-${process.pid}.json`);
  await import('node:fs/promises').then((fs) => fs.writeFile(file, JSON.stringify(answers)));
  const canned = spawn(process.execPath, [process.argv[1], '--canned', file], { stdio: ['ignore', 'pipe', 'inherit'] });
  const servers: Served[] = [];
  try {
    const line: string = await new Promise((resolve) => canned.stdout.once('data', (d) => resolve(String(d))));
    const node = `http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}`;
    servers.push(await startServe(node, projectPath(), 'this'));
    if (BASELINE) servers.push(await startServe(node, BASELINE, 'baseline'));
    console.log(
      `answers of ${ALIAS} recorded (${Object.entries(answers)
        .map(([k, v]) => `${k} ${fmt(v.length / 1024, 1)} KB`)
        .join(', ')}), replayed instantly by a canned node; ${SECONDS} s per measure, ${ROUNDS} round(s) under 8 clients` +
        (BASELINE ? `; baseline: ${BASELINE}, its rounds alternating with this checkout's` : ''),
    );
    console.log(
      `   kind   ${BASELINE ? 'server   ' : ''}| server CPU ms/request (8 clients): least, median; req/s | 1 client via the server: p50   p95   p99 | canned node direct: p50   p95   p99`,
    );
    const pathsOf = (kind: Kind) => Array.from({ length: 3000 }, (_, i) => apiPath({ ...KINDS[kind](i), aggs: kind === 'facet' }));
    // warm-up of every kind first (the JIT compiles what they share), not measured
    for (const s of servers) for (const kind of Object.keys(KINDS) as Kind[]) await load(s.url, pathsOf(kind), 4, Math.max(3, SECONDS / 2));
    const f = (x: number) => fmt(x, 2).padStart(5);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    for (const kind of Object.keys(KINDS) as Kind[]) {
      const paths = pathsOf(kind);
      const cpu = new Map<Served, number[]>(servers.map((s) => [s, []]));
      const rps = new Map<Served, number[]>(servers.map((s) => [s, []]));
      for (let round = 0; round < ROUNDS; round++) {
        // alternating order, so that neither server always runs first
        for (const s of round % 2 ? [...servers].reverse() : servers) {
          const before = cpuMs(s.child.pid!);
          const busy = await load(s.url, paths, 8, SECONDS);
          cpu.get(s)!.push((cpuMs(s.child.pid!) - before) / busy.times.length);
          rps.get(s)!.push(busy.rps);
        }
      }
      const direct = await load(node, paths, 1, SECONDS);
      for (const s of servers) {
        const via = await load(s.url, paths, 1, SECONDS);
        const c = cpu.get(s)!;
        console.log(
          `   ${kind.padEnd(6)} ${BASELINE ? s.name.padEnd(9) : ''}| ${fmt(Math.min(...c), 3).padStart(6)}, ${fmt(median(c), 3).padStart(6)} ms; ${fmt(median(rps.get(s)!)).padStart(5)} req/s           | ${f(percentile(via.times, 50))} ${f(percentile(via.times, 95))} ${f(percentile(via.times, 99))} | ${f(percentile(direct.times, 50))} ${f(percentile(direct.times, 95))} ${f(percentile(direct.times, 99))}`,
        );
      }
    }
    console.log('   (latencies in ms; the server and the load generator share the machine with everything else running on it)');
  } finally {
    for (const s of servers) {
      s.child.kill('SIGTERM');
      rmSync(s.logFile, { force: true });
    }
    canned.kill();
    rmSync(file, { force: true });
  }
}

/** The canned node (the child process): serve the recorded answers (JSON file of kind -> body) on a free port; print it. */
function serveCanned(): void {
  const answers = JSON.parse(readFileSync(process.argv[3], 'utf8')) as Record<string, string>;
  const bodies = Object.fromEntries(Object.entries(answers).map(([k, v]) => [k, Buffer.from(v)]));
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (d: Buffer) => chunks.push(d));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString();
      // which kind of query this is, from its body (facets ask for aggregations; text has a match clause)
      const body = text.includes('"aggs"') ? bodies.facet : text.includes('"all_text"') ? bodies.text : bodies.time;
      res.writeHead(200, { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch', 'content-length': body.length });
      res.end(body);
    });
  });
  server.keepAliveTimeout = 120_000;
  server.listen(0, '127.0.0.1', () => {
    const a = server.address();
    console.log(JSON.stringify({ port: typeof a === 'object' && a ? a.port : 0 }));
  });
}

if (process.argv[2] === '--canned') serveCanned();
else await main();
