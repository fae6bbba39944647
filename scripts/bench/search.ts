/**
 * Benchmark: a catalogue of N generated records (default 1,000,000; distinct ISO 19139 records of the real fixtures'
 * shape, scripts/samples/iso-generator.ts) harvested by the real `harvester harvest` from a local CSW
 * (scripts/bench/iso-replay.ts) into the local node (records/s, peak RSS and its value every 10 s), then search
 * latency p50/p95/p99 and throughput under 1, 8 and 32 concurrent clients (autocannon) for text, bbox, time and facet
 * queries through the hub's HTTP API (`harvester serve`, GET /search), next to the very same Elasticsearch queries
 * (pipelines/search.ts searchBody of the same parameters) sent straight to the node, in the same run: the ratio of
 * the API's p95 to the node's is what the API layer costs (target: at most 1.2).
 *
 *   npm run build && node dist/scripts/bench/search.js [N=1000000] [SECONDS=20]
 *   BENCH_REUSE=1 ...   keeps an index bench-search already holding N records (search part only)
 *   BENCH_KEEP=1 ...    leaves the index in place at the end (default: deleted)
 *   BENCH_ALIAS=name    the index alias to harvest into and search (default bench-search; must start with bench-)
 *   BENCH_HARVEST_ONLY=1  harvests (or finds) the index and stops there (with BENCH_KEEP=1: prepares a later run)
 *   BENCH_KINDS=text,time  BENCH_CLIENTS=1,8   a subset of the query kinds and client counts (default: all)
 *   BENCH_SERVE_CPUS=1  runs the server pinned to these CPUs (taskset -c), to see what sharing them costs
 *   BENCH_NODE_CPUS=0   pins every thread of the local node to these CPUs for the search part (restored after)
 *   BENCH_LOAD_CPUS=1   pins the benchmark process, the load generator, to these CPUs
 *   BENCH_LAYOUT=split  the three above as 0, 1 and 1: the node on a core of its own, the server and the clients on the
 *                       other, as in production the API and the cluster run on machines of their own (on two cores)
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@elastic/elasticsearch';
import { ensureElasticsearch } from '../services/elasticsearch.js';
import { projectPath } from '../../schemas/paths.js';
import { searchRequest, type SearchParams } from '../../pipelines/search.js';
import {
  cpuMs,
  dropIndices,
  fmt,
  harvestInChild,
  loadTest as load,
  machineCpuMs,
  percentile,
  searchHeaders,
  type Measure,
} from './common.js';
import { prng } from './prng.js';

const N = Number(process.argv[2] ?? 1_000_000);
const SECONDS = Number(process.argv[3] ?? 20);
const ALIAS = process.env.BENCH_ALIAS || 'bench-search';
if (!ALIAS.startsWith('bench-')) throw new Error(`BENCH_ALIAS must start with bench- (got ${ALIAS})`);
const CONCURRENCY = (process.env.BENCH_CLIENTS || '1,8,32').split(',').map(Number);
if (CONCURRENCY.some((c) => !Number.isInteger(c) || c < 1)) throw new Error(`BENCH_CLIENTS: positive integers, comma-separated`);
/**
 * Queries drawn for each round (more than a side sends in a round, so that the list never starts over). Draws repeat
 * as people repeat searches: time windows are a few hundred, text queries a few thousand (the node's request cache
 * answers a repeated first page); both sides of a round send the same list, in the same order, the same number of
 * times (measureSearch).
 */
const PER_RUN = 50_000;
const REUSE = process.env.BENCH_REUSE === '1';
/**
 * Where each process runs (taskset CPU lists; unset: wherever the kernel puts it). BENCH_LAYOUT=split separates the
 * node from the API and the clients, so that the CPU the API spends is no longer taken from the node: what remains is
 * the API layer's own cost (its round trip and its CPU on the clients' side), as on a production layout.
 */
const LAYOUT = process.env.BENCH_LAYOUT;
if (LAYOUT !== undefined && LAYOUT !== 'split') throw new Error(`BENCH_LAYOUT: only split is known (got ${LAYOUT})`);
const CPUS = {
  node: process.env.BENCH_NODE_CPUS || (LAYOUT ? '0' : undefined),
  serve: process.env.BENCH_SERVE_CPUS || (LAYOUT ? '1' : undefined),
  load: process.env.BENCH_LOAD_CPUS || (LAYOUT ? '1' : undefined),
};
for (const [name, list] of Object.entries(CPUS)) {
  if (list !== undefined && !/^\d+([-,]\d+)*$/.test(list))
    throw new Error(`BENCH_${name.toUpperCase()}_CPUS: a CPU list such as 0 or 0-1 or 0,2 (got ${list})`);
}

// ------------------------------------------------------------------------------------------------ the queries

/** Words and phrases of the generated records (themes, places, both languages), as people type them. */
const TEXTS = [
  'couverture du sol',
  'humidité des sols',
  'débit des rivières',
  'orthophotographie',
  'précipitations',
  'zones humides',
  'usage agricole',
  'modèle numérique de terrain',
  'land cover',
  'soil moisture',
  'elevation',
  'hydrography',
  'bretagne',
  'alpes du nord',
  'pyrénées',
  'camargue',
  'corse',
  'guyane',
  'la réunion',
  'massif central',
  'sols bretagne',
  'précipitations corse',
  'débit seine',
  'télédétection',
  'sentinel-2 landsat',
  '"zones humides" camargue',
  'ortho*',
  'habitats biotopes',
];
const THEMES = ['lc', 'el', 'so', 'hy', 'lu', 'oi', 'mf', 'hb'].map((t) => `http://inspire.ec.europa.eu/theme/${t}`);
const WORDS = [
  'sol',
  'sols',
  'débit',
  'rivières',
  'altitude',
  'terrain',
  'orthophotographie',
  'précipitations',
  'humides',
  'agricole',
  'couverture',
  'habitats',
];
const PLACES = ['bretagne', 'alpes', 'pyrénées', 'seine', 'camargue', 'guyane', 'réunion', 'wallis', 'massif central', 'corse'];

type Kind = 'text' | 'bbox' | 'time' | 'facet';
const ALL_KINDS: Kind[] = ['text', 'bbox', 'time', 'facet'];
const KINDS = (process.env.BENCH_KINDS || ALL_KINDS.join(',')).split(',') as Kind[];
if (KINDS.some((k) => !ALL_KINDS.includes(k))) throw new Error(`BENCH_KINDS: a comma-separated subset of ${ALL_KINDS.join(',')}`);

function queries(kind: Kind, count: number, seed: number): SearchParams[] {
  const rnd = prng(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  const out: SearchParams[] = [];
  for (let i = 0; i < count; i++) {
    switch (kind) {
      case 'text':
        // as people type: a phrase of the catalogue, or a word, a place and often a year (most queries distinct)
        out.push({
          q: rnd() < 0.3 ? pick(TEXTS) : `${pick(WORDS)} ${pick(PLACES)}${rnd() < 0.7 ? ` ${1990 + Math.floor(rnd() * 30)}` : ''}`,
        });
        break;
      case 'bbox': {
        // metropolitan France mostly, sometimes the antimeridian (Wallis-et-Futuna)
        if (rnd() < 0.1) out.push({ bbox: [175 + rnd() * 3, -15, -179 + rnd() * 4, -12] });
        else {
          const w = -5 + rnd() * 13;
          const s = 42 + rnd() * 8;
          const size = 0.3 + rnd() * 3;
          out.push({ bbox: [+w.toFixed(3), +s.toFixed(3), +(w + size).toFixed(3), +(s + size * 0.7).toFixed(3)] });
        }
        break;
      }
      case 'time': {
        const from = 1990 + Math.floor(rnd() * 33);
        const r = rnd();
        out.push(
          r < 0.15
            ? { from: String(from) }
            : r < 0.3
              ? { to: String(from) }
              : { from: String(from), to: String(from + Math.floor(rnd() * 5)) },
        );
        break;
      }
      case 'facet': {
        // the catalogue's first page (its facets for everything), else words and a theme or a place with their facets
        const r = rnd();
        if (r < 0.1) out.push({});
        else if (r < 0.55) out.push({ q: `${pick(WORDS)} ${1990 + Math.floor(rnd() * 30)}`, theme: pick(THEMES) });
        else {
          const w = -5 + rnd() * 13;
          const s = 42 + rnd() * 8;
          out.push({ q: pick(WORDS), bbox: [+w.toFixed(2), +s.toFixed(2), +(w + 2).toFixed(2), +(s + 1.5).toFixed(2)] });
        }
        break;
      }
    }
  }
  return out.map((p) => ({ ...p, size: 10, aggs: kind === 'facet', record: false }));
}

/** The GET /search query string of the same parameters. */
function apiPath(p: SearchParams): string {
  const qs = new URLSearchParams({ size: '10', facets: p.aggs ? 'true' : 'false' });
  if (p.q) qs.set('q', p.q);
  if (p.bbox) qs.set('bbox', p.bbox.join(','));
  if (p.from) qs.set('start', p.from);
  if (p.to) qs.set('end', p.to);
  if (typeof p.theme === 'string') qs.set('theme', p.theme);
  // no typo tolerance: the hub would send a second query when nothing matches, the node only one
  qs.set('fuzzy', 'off');
  return `/search?${qs}`;
}

// ------------------------------------------------------------------------------------------------ measuring

/**
 * A run's measure with the CPU time spent meanwhile (ms): by the whole machine (both cores: the node, the server, the
 * load generator, anything else), by the server alone, and left idle.
 */
interface Run extends Measure {
  cpu: { busy: number; server: number; node: number; idle: number };
}

/** Several runs as one: their latencies together, their throughput over their summed time, their CPU summed. */
function merge(ms: Run[]): Run {
  const times = ms.flatMap((m) => m.times).sort((a, b) => a - b);
  const seconds = ms.reduce((n, m) => n + m.seconds, 0);
  const sum = (k: keyof Run['cpu']) => ms.reduce((n, m) => n + m.cpu[k], 0);
  return {
    cpu: { busy: sum('busy'), server: sum('server'), node: sum('node'), idle: sum('idle') },
    times,
    seconds,
    requests: times.length,
    errors: ms.reduce((n, m) => n + m.errors, 0),
    rps: times.length / seconds,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
  };
}

/**
 * Waits until the node runs no search of the benchmark's index: a client that stops waiting (the end of a run) does
 * not stop the node's work, which would otherwise slow the next run down.
 */
async function drained(esUrl: string): Promise<void> {
  const deadline = Date.now() + 300_000;
  for (;;) {
    const r = await fetch(`${esUrl}/_tasks?actions=indices:data/read/search&detailed=true`);
    const body = (await r.json()) as { nodes?: Record<string, { tasks: Record<string, { description?: string }> }> };
    const ours = Object.values(body.nodes ?? {})
      .flatMap((n) => Object.values(n.tasks))
      .filter((t) => t.description?.includes(ALIAS));
    if (ours.length === 0 || Date.now() > deadline) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Empties the node's request and query caches of the index, so that a run starts as cold as the one it is compared with. */
async function clearCaches(esUrl: string): Promise<void> {
  const r = await fetch(`${esUrl}/${ALIAS}/_cache/clear?request=true&query=true`, { method: 'POST' });
  if (!r.ok) throw new Error(`clearing the caches of ${ALIAS}: HTTP ${r.status} ${await r.text()}`);
}

// ------------------------------------------------------------------------------------------------ the run

/**
 * `harvester serve` on the index, as an operator runs it: one log line per request at info level (a cost of the API
 * layer, measured with it), written to a file, as a service manager would take it. The benchmark process itself does
 * not read that log (it would compete with its own load generator for the CPU); it only waits for the line saying
 * where the server listens. BENCH_SERVE_CPUS (a taskset CPU list, e.g. 1) pins the server to those CPUs.
 */
async function startServe(esUrl: string): Promise<{ url: string; child: ChildProcess; logFile: string }> {
  const logFile = join(tmpdir(), `bench-search-serve-${process.pid}.log`);
  const fd = openSync(logFile, 'w');
  const cmd = ['sh', projectPath('scripts', 'bin', 'harvester'), 'serve', '--port', '0', '--alias', ALIAS, '--es', esUrl];
  const cpus = CPUS.serve;
  const child = cpus
    ? spawn('taskset', ['-c', cpus, ...cmd], { stdio: ['ignore', 'ignore', fd], env: { ...process.env, LOG_LEVEL: 'info' } })
    : spawn(cmd[0], cmd.slice(1), { stdio: ['ignore', 'ignore', fd], env: { ...process.env, LOG_LEVEL: 'info' } });
  closeSync(fd);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const text = readFileSync(logFile, 'utf8');
    const m = /serving on (http:\/\/[^\s"]+)/.exec(text);
    if (m) return { url: m[1], child, logFile };
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`harvester serve did not start: ${text.slice(-2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function startReplay(total: number): Promise<{ url: string; stop(): void }> {
  const child = spawn(process.execPath, [projectPath('dist', 'scripts', 'bench', 'iso-replay.js'), String(total)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line: string = await new Promise((resolve) => child.stdout.once('data', (d) => resolve(String(d))));
  const { port } = JSON.parse(line) as { port: number };
  return { url: `http://127.0.0.1:${port}/csw`, stop: () => child.kill() };
}

const es = await ensureElasticsearch();
const client = new Client({ node: es.url });
let serve: { url: string; child: ChildProcess; logFile: string } | undefined;
/** What gives the node back its CPUs (BENCH_NODE_CPUS): it is shared, and outlives the benchmark. */
const unpin: (() => unknown)[] = [];
try {
  await main();
} finally {
  for (const undo of unpin) undo();
  serve?.child.kill('SIGTERM');
  if (serve) rmSync(serve.logFile, { force: true });
  if (process.env.BENCH_KEEP !== '1') await dropIndices(client, ALIAS);
  await client.close();
}

async function main(): Promise<void> {
  const have = REUSE
    ? await client.count({ index: ALIAS }).then(
        (r) => r.count,
        () => 0,
      )
    : 0;
  if (have === N) console.log(`reusing ${ALIAS}: ${fmt(have)} records`);
  else {
    await dropIndices(client, ALIAS);
    const replay = await startReplay(N);
    try {
      console.log(`1. harvest of ${fmt(N)} generated ISO 19139 records from a local CSW (pages of 100), into ${ALIAS}`);
      const { summaries, peakRssMb, rssEvery10sMb } = await harvestInChild([
        '--url',
        replay.url,
        '--type',
        'csw',
        '--id',
        'bench-gen',
        '--alias',
        ALIAS,
        '--es',
        es.url,
      ]);
      const s = summaries[summaries.length - 1];
      console.log(
        `   ${fmt(s.seen)} seen, ${fmt(s.indexed)} indexed, ${s.failed} failed in ${fmt(s.ms / 1000, 1)}s = ${fmt((s.seen / s.ms) * 1000)} records/s, peak RSS ${peakRssMb} MB`,
      );
      console.log(`   RSS every 10 s (MB): ${rssEvery10sMb.join(' ')}`);
    } finally {
      replay.stop();
    }
  }
  await client.indices.refresh({ index: ALIAS });
  const stats = await client.indices.stats({ index: ALIAS, metric: ['docs', 'store'] });
  const total = Object.values(stats.indices ?? {})[0]?.primaries;
  console.log(`   index: ${fmt(total?.docs?.count ?? 0)} documents, ${fmt((total?.store?.size_in_bytes ?? 0) / 2 ** 30, 2)} GB`);
  if (process.env.BENCH_HARVEST_ONLY === '1') console.log('   BENCH_HARVEST_ONLY=1: no search measured');
  else await measureSearch();
}

/**
 * The node's process id when it runs on this machine (its CPU is then counted per side: it spends more per request
 * when it answers fewer a second), else undefined: a node behind another host name, or whose pid is not here.
 */
async function localNodePid(esUrl: string): Promise<number | undefined> {
  if (!/^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(esUrl)) return undefined;
  const res = await fetch(`${esUrl}/_nodes/_local/process?filter_path=nodes.*.process.id`);
  const body = (await res.json()) as { nodes?: Record<string, { process?: { id?: number } }> };
  const pid = Object.values(body.nodes ?? {})[0]?.process?.id;
  return pid && existsSync(`/proc/${pid}/stat`) ? pid : undefined;
}

/** Pins every thread of a process (taskset -a), returning its CPU list before, to restore. */
function pin(pid: number, cpus: string): string {
  const before = /: *(\S+)\s*$/.exec(execFileSync('taskset', ['-c', '-p', String(pid)], { encoding: 'utf8' }))?.[1];
  if (!before) throw new Error(`taskset could not read the CPUs of process ${pid}`);
  execFileSync('taskset', ['-a', '-c', '-p', cpus, String(pid)], { stdio: 'ignore' });
  return before;
}

async function measureSearch(): Promise<void> {
  serve = await startServe(es.url);
  const nodePid = await localNodePid(es.url);
  if (CPUS.node) {
    if (!nodePid) throw new Error(`BENCH_NODE_CPUS: the node at ${es.url} is not a process of this machine`);
    const before = pin(nodePid, CPUS.node);
    unpin.push(() => pin(nodePid, before));
  }
  if (CPUS.load) pin(process.pid, CPUS.load);
  const where = Object.entries(CPUS)
    .filter(([, list]) => list !== undefined)
    .map(([name, list]) => `${name === 'load' ? 'the clients' : name === 'serve' ? 'the server' : 'the node'} on CPU ${list}`);
  if (where.length > 0) console.log(`   pinned: ${where.join(', ')}`);
  const esIndexPath = `/${ALIAS}/_search`;
  console.log(
    `\n2. search latency, in two alternating rounds of ${SECONDS / 2} s (${(SECONDS * 3) / 2} s for facets) for the side that goes first, the other side answering the same requests: the hub's GET /search (${serve.url}) and the same request straight to ${es.url}`,
  );
  console.log(
    '   kind   clients |  API p50    p95    p99  req/s |   ES p50    p95    p99  req/s | p95 ratio | CPU ms per request, API side: busy (server, node) idle | ES side: busy (node) idle',
  );
  const worst: number[] = [];
  // Both sides of a round ask the very same queries (a paired comparison: two independent draws of bbox or facet
  // queries differ in their slow tail by more than the API costs), each side starting from the same cold caches of
  // the node: the request cache (which the hub asks for first pages, and which would otherwise answer the second
  // side from the first side's run) and the query cache are cleared before every run. What is compared is then the
  // cost of answering the same new queries, with and without the API in between. The first side of a round runs
  // for its time and the second answers exactly as many requests, the first ones of the same list: timed alike,
  // the faster side would send more requests, and the ones past what the slower side reached are repeats of the
  // round's earlier queries that the request cache answers (until 2026-12-06: a list of 4,000 queries cycling, so
  // that the node directly, sending 10,000 to 20,000 requests in a round against the API's 6,000 to 12,000, had
  // its latencies taken over a larger share of cached answers).
  let seed = 1;
  const clientHeaders = await searchHeaders();
  const requestsOf = (side: 'api' | 'es', params: SearchParams[]) => {
    if (side === 'api') return params.map((p) => ({ method: 'GET' as const, path: apiPath(p) }));
    // the very request the hub sends: its body, the request cache asked for first pages, and the media type of the
    // hub's client (@elastic/elasticsearch 8 asks for REST compatibility with 8 in both headers; until 2026-12-08
    // this side sent application/json, which the node answers with 2 to 7% less CPU under 8 clients)
    return params.map((p) => {
      const r = searchRequest(p);
      return {
        method: 'POST' as const,
        path: `${esIndexPath}${r.querystring.request_cache ? '?request_cache=true' : ''}`,
        body: JSON.stringify(r.body),
        headers: clientHeaders,
      };
    });
  };
  const run = async (side: 'api' | 'es', params: SearchParams[], c: number, seconds: number | { amount: number }): Promise<Run> => {
    await clearCaches(es.url);
    // the requests made before the CPU is counted (the bodies of 50,000 queries take the benchmark a second)
    const requests = requestsOf(side, params);
    const pid = serve!.child.pid!;
    const nodeCpu = () => (nodePid ? cpuMs(nodePid) : NaN);
    const [machine, server, node] = [machineCpuMs(), cpuMs(pid), nodeCpu()];
    const m = await load(side === 'api' ? serve!.url : es.url, requests, c, seconds);
    const after = machineCpuMs();
    const cpu = { busy: after.busy - machine.busy, server: cpuMs(pid) - server, node: nodeCpu() - node, idle: after.idle - machine.idle };
    return { ...m, cpu };
  };
  for (const kind of KINDS) {
    // warm-up (JIT, the node's caches of the fields these queries read), not measured
    for (const side of ['api', 'es'] as const) {
      await run(side, queries(kind, PER_RUN, seed++), 4, Math.max(3, SECONDS / 4));
      await drained(es.url);
    }
    for (const c of CONCURRENCY) {
      // two rounds, API then node, then node then API, so that both meet the machine's load alike and neither
      // always sets the number of requests; facet queries are slow, so they get three times longer (a request still
      // running when the timed run ends is not counted, nor sent to the other side)
      const half = ((kind === 'facet' ? 3 : 1) * SECONDS) / 2;
      const parts: Record<string, Run[]> = { api: [], es: [] };
      for (const order of [
        ['api', 'es'],
        ['es', 'api'],
      ] as const) {
        const params = queries(kind, PER_RUN, seed++);
        const first = await run(order[0], params, c, half);
        parts[order[0]].push(first);
        await drained(es.url);
        parts[order[1]].push(await run(order[1], params, c, { amount: Math.max(c, first.requests + first.errors) }));
        await drained(es.url);
      }
      const m = { api: merge(parts.api), es: merge(parts.es) };
      const ratio = m.api.p95 / m.es.p95;
      worst.push(ratio);
      const f = (x: number) => fmt(x, 1).padStart(6);
      // the machine's CPU per request answered (both cores), busy and idle: under several clients the two sides
      // share two cores with the load generator, and the API's throughput follows its CPU per request
      const per = (r: Run, ms: number) => (Number.isNaN(ms) ? '-' : fmt(ms / r.requests, 2));
      const perRequest = (r: Run, server = true) =>
        `${per(r, r.cpu.busy).padStart(6)} ${`(${server ? `${per(r, r.cpu.server)}, ` : ''}${per(r, r.cpu.node)})`.padStart(server ? 12 : 6)} ${per(r, r.cpu.idle).padStart(6)}`;
      console.log(
        `   ${kind.padEnd(6)} ${String(c).padStart(7)} | ${f(m.api.p50)} ${f(m.api.p95)} ${f(m.api.p99)} ${fmt(m.api.rps, 1).padStart(6)} | ${f(m.es.p50)} ${f(m.es.p95)} ${f(m.es.p99)} ${fmt(m.es.rps, 1).padStart(6)} | ${`${fmt(ratio, 2)}x`.padStart(9)} | ${perRequest(m.api)} | ${perRequest(m.es, false)}${m.api.errors + m.es.errors ? `  (errors: API ${m.api.errors}, ES ${m.es.errors})` : ''}`,
      );
    }
  }
  const max = Math.max(...worst);
  const median = [...worst].sort((a, b) => a - b)[Math.floor(worst.length / 2)];
  console.log(
    `\n   p95 ratio API/ES: largest ${fmt(max, 2)}x, median ${fmt(median, 2)}x (target at most 1.20x: ${max <= 1.2 ? 'met' : 'NOT met'} everywhere); latencies in ms`,
  );
}
