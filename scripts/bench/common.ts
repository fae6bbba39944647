/** Shared bits of the benchmarks: the python peers, memory sampling, printing. */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client } from '@elastic/elasticsearch';
import autocannon from 'autocannon';
import { ensurePythonVenv, venvBin } from '../services/python.js';
import { projectPath } from '../../schemas/paths.js';
import { createClient } from '../../pipelines/es-connection.js';

/** Runs a python peer script from scripts/bench/peers; returns its last JSON line. */
export async function runPeer<T>(script: string, args: string[]): Promise<T> {
  await ensurePythonVenv();
  const child = spawn(venvBin('python'), [projectPath('scripts', 'bench', 'peers', script), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const code: number = await new Promise((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`${script} exited with ${code}`);
  const last = out.trim().split('\n').pop() ?? '';
  return JSON.parse(last) as T;
}

/** Samples this process's RSS every `everyMs`; `stop()` returns the peak in MB. */
export function sampleRss(everyMs = 100): { stop(): number; peak(): number } {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, everyMs);
  timer.unref();
  return {
    peak: () => Math.round(Math.max(peak, process.memoryUsage.rss()) / 1048576),
    stop() {
      clearInterval(timer);
      return Math.round(Math.max(peak, process.memoryUsage.rss()) / 1048576);
    },
  };
}

export function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** A run summary as `harvester harvest` prints it when stdout is not a terminal (one JSON line per source). */
export type CliSummary = { source: string; seen: number; indexed: number; unchanged: number; failed: number; ms: number; error?: string };

/**
 * Runs the real `harvester harvest ARGS` in a child process, polling the RSS of its process tree every 100 ms: the
 * harvest measured as an operator runs it. Returns the summaries it printed and the peak RSS in MB.
 */
export async function harvestInChild(args: string[]): Promise<{ summaries: CliSummary[]; peakRssMb: number; rssEvery10sMb: number[] }> {
  // the installed `harvester` (scripts/bin/harvester: one node process with a bounded heap)
  const child = spawn('sh', [projectPath('scripts', 'bin', 'harvester'), 'harvest', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LOG_LEVEL: 'warn' },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  // the peak of the RSS of the whole process tree (sh execs node; a relaunch would be counted too)
  let peakKb = 0;
  let ticks = 0;
  const timeline: number[] = [];
  const timer = setInterval(() => {
    const kb = treeRssKb(child.pid!);
    peakKb = Math.max(peakKb, kb);
    // one sample every 10 s, to show whether memory grows along the run
    if (++ticks % 100 === 0 && kb > 0) timeline.push(Math.round(kb / 1024));
  }, 100);
  const code: number = await new Promise((resolve) => child.on('close', resolve));
  clearInterval(timer);
  // stdout is not a terminal: the summaries are JSON lines
  const summaries = out
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as CliSummary);
  if (summaries.length === 0) throw new Error(`harvest exited with ${code} and no summary:\n${err.slice(-2000)}`);
  return { summaries, peakRssMb: Math.round(peakKb / 1024), rssEvery10sMb: timeline };
}

/** Resident memory of a process and its descendants, in KB (0 once it has ended). */
export function treeRssKb(pid: number): number {
  try {
    const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    return rss + children.reduce((sum, c) => sum + treeRssKb(c), 0);
  } catch {
    return 0; // the process has ended
  }
}

/** Deletes the indices named `prefix*` by name (Elasticsearch 8 refuses wildcard deletes). */
export async function dropIndices(client: Client, prefix: string): Promise<void> {
  const found = await client.indices.get({
    index: `${prefix}*`,
    expand_wildcards: 'all',
    ignore_unavailable: true,
    allow_no_indices: true,
  });
  const names = Object.keys(found);
  if (names.length) await client.indices.delete({ index: names });
}

// ------------------------------------------------------------------------------------------------ HTTP load

export interface Measure {
  /** Latencies of the successful requests, sorted (ms). */
  times: number[];
  seconds: number;
  requests: number;
  errors: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
}

/** CPU time (user + system) of a process so far, in ms (Linux /proc; clock ticks of 10 ms). */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** CPU time of the whole machine so far, in ms summed over its cores: busy (any process, the kernel) and idle. */
export function machineCpuMs(): { busy: number; idle: number } {
  const t = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal ...: idle and iowait are idle, the rest busy
  return { busy: (t[0] + t[1] + t[2] + t[5] + t[6] + (t[7] ?? 0)) * 10, idle: (t[3] + t[4]) * 10 };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * The content type and accept headers of a search by the hub's own Elasticsearch client (pipelines/es-connection.ts),
 * read off one request to a loopback listener: what a benchmark sends when it asks the node "the very same request".
 */
export async function searchHeaders(): Promise<Record<string, string>> {
  const seen = new Promise<Record<string, string>>((resolve) => {
    const server = createServer((req, res) => {
      resolve({ 'content-type': String(req.headers['content-type']), accept: String(req.headers.accept) });
      res.writeHead(200, { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch' });
      res.end('{"hits":{"total":{"value":0,"relation":"eq"},"hits":[]}}');
      server.close();
    });
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      const client = createClient({ nodes: [`http://127.0.0.1:${port}`], requestTimeoutMs: 10_000, index: {} });
      void client
        .search({ index: 'x', query: { match_all: {} } })
        .catch(() => undefined)
        .finally(() => client.close());
    });
  });
  return seen;
}

/**
 * autocannon with `connections` clients, each request the next of `requests` (cycling): for `seconds`, or until
 * `{ amount }` requests have been sent (the first `amount` of the cycle: what a paired comparison gives the second
 * side, so that both sides answer the very same requests however fast each one is).
 */
export async function loadTest(
  base: string,
  requests: { method: 'GET' | 'POST'; path: string; body?: string; headers?: Record<string, string> }[],
  connections: number,
  seconds: number | { amount: number },
): Promise<Measure> {
  let next = 0;
  const times: number[] = [];
  let errors = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: base,
        connections,
        ...(typeof seconds === 'number' ? { duration: seconds } : { amount: seconds.amount }),
        timeout: 60,
        requests: [
          {
            setupRequest: (req) => {
              const r = requests[next++ % requests.length];
              return {
                ...req,
                method: r.method,
                path: r.path,
                ...(r.body ? { body: r.body, headers: r.headers ?? { 'content-type': 'application/json' } } : {}),
              };
            },
          },
        ],
      },
      (err, res) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(res)),
    );
    instance.on('response', (_client, status, _bytes, ms) => {
      if (status >= 200 && status < 300) times.push(ms);
      else errors++;
    });
  });
  errors += result.errors + result.timeouts;
  times.sort((a, b) => a - b);
  return {
    times,
    seconds: result.duration,
    requests: times.length,
    errors,
    rps: times.length / result.duration,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
  };
}
