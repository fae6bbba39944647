/**
 * Benchmark: the hub as a service (issue 13, docs/service.md "Measured"). Every bundled sample source (what
 * `harvester demo` starts: a real pycsw with the sample ISO records and 200 generated ones, the static STAC catalogue,
 * the OZCAR file) plus a CSW of N generated records that honours the Modified constraint (bench/changing-csw.ts),
 * named in a YAML sources file and harvested by the real `harvester serve` in a child process (service mode, an
 * operator token, schedules off): every source triggered at once over HTTP (`POST /sources/{id}/run`), the runs
 * followed through `GET /runs/{id}`, the server's memory sampled every second from /proc.
 *   1. the first runs (empty index): per source records and time, total records/s over the wall time, peak RSS;
 *   2. every source triggered again, unchanged (the nightly runs): the wall time as a fraction of the first (goal
 *      < 5%), what each run did (mode, mapped, written);
 *   3. 1% of the replay's records modified at the source (new date stamp and title), every source triggered again:
 *      the modified records found and applied exactly (updated = 1%, their new titles in the index, nothing else
 *      written by any source).
 * Exits 1 when an exactness check fails. Its indices (bench-service*) are deleted at the end unless BENCH_KEEP=1.
 * The service's run limit is raised to the number of sources (`--max-runs`; the default of 2 would queue the third
 * and fourth): BENCH_MAX_RUNS=2 measures the default instead (the queue wait of each source is printed).
 *
 *   npm run build && node dist/scripts/bench/service.js [N=100000]
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@elastic/elasticsearch';
import { stringify } from 'yaml';
import type { RunSummary } from '../../pipelines/runs.js';
import type { SourceConfig } from '../../pipelines/sources.js';
import { projectPath } from '../../schemas/paths.js';
import { startSampleSources } from '../demo.js';
import { generatedId } from '../samples/iso-generator.js';
import { ensureElasticsearch } from '../services/elasticsearch.js';
import { startChangingCsw } from './changing-csw.js';
import { dropIndices, fmt, treeRssKb } from './common.js';

const N = Number(process.argv[2] ?? 100_000);
if (!Number.isInteger(N) || N < 100) {
  console.error('usage: service [N >= 100]');
  process.exit(2);
}
const ALIAS = 'bench-service';
const REPLAY = 'bench-replay';
/** The replay's first record number: past the sample CSW's generated records (0-199), so no identifier is shared. */
const FIRST = 1_000_000;
const TOKEN = randomUUID();
const keep = process.env.BENCH_KEEP === '1';

const failures: string[] = [];
function check(ok: boolean, what: string): void {
  console.log(`   ${ok ? 'ok ' : 'NO '} ${what}`);
  if (!ok) failures.push(what);
}

const es = await ensureElasticsearch();
const client = new Client({ node: es.url, requestTimeout: 120_000 });
const dir = mkdtempSync(join(tmpdir(), 'bench-service-'));
await dropIndices(client, ALIAS);

const samples = await startSampleSources();
const replay = await startChangingCsw(N, { first: FIRST });
const sources: SourceConfig[] = [
  ...samples.sources,
  { id: REPLAY, name: `Replay CSW of ${N} generated records`, type: 'csw', url: replay.url },
];
const maxRuns = Number(process.env.BENCH_MAX_RUNS ?? sources.length);
const sourcesFile = join(dir, 'sources.yaml');
writeFileSync(sourcesFile, `# the service benchmark's sources (scripts/bench/service.ts)\n${stringify({ sources })}`);

// the real `harvester serve` as installed (scripts/bin/harvester: sh execs one node process)
const serve = spawn(
  'sh',
  [
    projectPath('scripts', 'bin', 'harvester'),
    'serve',
    '--port',
    '0',
    '--es',
    es.url,
    '--alias',
    ALIAS,
    '--sources',
    sourcesFile,
    '--no-schedule',
    '--max-runs',
    String(maxRuns),
    '--report-dir',
    dir,
  ],
  { env: { ...process.env, HUB_OPERATOR_TOKEN: TOKEN }, stdio: ['ignore', 'ignore', 'pipe'] },
);
// its log (JSON lines on stderr) to a file, the last lines kept for a message
const logFile = join(dir, 'serve.log');
let tail = '';
serve.stderr.on('data', (c: Buffer) => {
  writeFileSync(logFile, c, { flag: 'a' });
  tail = (tail + c.toString()).slice(-4000);
});
const exited = new Promise<number | null>((resolve) => serve.on('exit', (code) => resolve(code)));
const base = await new Promise<string>((resolve, reject) => {
  const t = setTimeout(() => reject(new Error(`serve said nowhere where it listens:\n${tail}`)), 120_000);
  const look = () => {
    const url = /serving on (http:\/\/127\.0\.0\.1:\d+)/.exec(readFileSync(logFile, 'utf8'))?.[1];
    if (url && /harvest service: /.test(tail)) {
      clearTimeout(t);
      serve.stderr.off('data', look);
      resolve(url);
    }
  };
  serve.stderr.on('data', look);
  void exited.then((code) => reject(new Error(`serve exited with ${code}:\n${tail}`)));
});

/** Memory of the serve process (its tree: sh execs node, map workers are threads), sampled every second. */
const memory: { at: number; rssMb: number }[] = [];
let hwmKb = 0;
const sampler = setInterval(() => {
  const kb = treeRssKb(serve.pid!);
  if (kb > 0) memory.push({ at: Date.now(), rssMb: Math.round(kb / 1024) });
  try {
    hwmKb = Math.max(hwmKb, Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${serve.pid}/status`, 'utf8'))?.[1] ?? 0));
  } catch {
    // it has ended
  }
}, 1000);

async function api<T>(method: 'GET' | 'POST', path: string): Promise<{ status: number; body: T }> {
  const res = await fetch(`${base}${path}`, { method, headers: method === 'POST' ? { authorization: `Bearer ${TOKEN}` } : {} });
  return { status: res.status, body: (await res.json()) as T };
}

interface Round {
  t0: number;
  wallMs: number;
  runs: Map<string, RunSummary & { waitMs: number }>;
  rss: { min: number; max: number };
}

/** Triggers every source at once and follows the runs to their end; the wall time runs from the triggers to the last end. */
async function round(label: string): Promise<Round> {
  const t0 = Date.now();
  const triggered = await Promise.all(
    sources.map(async (s) => {
      const { status, body } = await api<{ runId: string; error?: string }>('POST', `/sources/${s.id}/run`);
      if (status !== 202) throw new Error(`POST /sources/${s.id}/run answered ${status}: ${body.error}`);
      return [s.id, body.runId] as const;
    }),
  );
  const runs = new Map<string, RunSummary & { waitMs: number }>();
  while (runs.size < triggered.length) {
    await new Promise((r) => setTimeout(r, 500));
    if (serve.exitCode !== null) throw new Error(`serve exited with ${serve.exitCode}:\n${tail}`);
    for (const [source, runId] of triggered) {
      if (runs.has(source)) continue;
      const { status, body } = await api<RunSummary>('GET', `/runs/${runId}`);
      if (status === 200 && body.status !== 'running' && (body.status as string) !== 'queued')
        runs.set(source, { ...body, waitMs: Date.parse(body.startedAt) - t0 });
    }
  }
  const end = Math.max(...[...runs.values()].map((r) => Date.parse(r.endedAt ?? r.startedAt)));
  const during = memory.filter((m) => m.at >= t0).map((m) => m.rssMb);
  const rss = { min: Math.min(...during), max: Math.max(...during) };
  console.log(`\n${label}`);
  for (const s of sources) {
    const r = runs.get(s.id)!;
    console.log(
      `   ${s.id.padEnd(13)} ${r.status.padEnd(6)} ${(r.mode ?? '?').padEnd(11)} ${fmt(r.seen).padStart(7)} seen ` +
        `${fmt(r.mapped).padStart(7)} mapped ${fmt(r.new + r.updated).padStart(7)} written (${fmt(r.new)} new, ${fmt(r.updated)} updated) ` +
        `${fmt(r.unchanged).padStart(7)} unchanged ${r.failed} failed  ${fmt(r.ms / 1000, 1)}s` +
        `${r.waitMs > 1000 ? ` (after ${fmt(r.waitMs / 1000, 1)}s waiting for a slot)` : ''}`,
    );
  }
  const seen = [...runs.values()].reduce((n, r) => n + r.seen, 0);
  const wallMs = end - t0;
  console.log(
    `   all ${sources.length} at once: ${fmt(seen)} records in ${fmt(wallMs / 1000, 1)}s = ${fmt((seen / wallMs) * 1000)} records/s; ` +
      `server RSS ${rss.min}-${rss.max} MB over the round (${during.length} samples), load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
  );
  return { t0, wallMs, runs, rss };
}

/** Documents of a source in the index, and those a run wrote. */
async function count(query: Record<string, unknown>): Promise<number> {
  return (await client.count({ index: ALIAS, query })).count;
}

let code = 0;
try {
  console.log(
    `harvester serve at ${base} (pid ${serve.pid}, --max-runs ${maxRuns}${maxRuns === sources.length ? ': one slot per source, raised from the default 2' : ''}); ` +
      `sources: ${sources.map((s) => s.id).join(', ')}; the replay serves ${fmt(N)} generated ISO 19139 records at ${replay.url}`,
  );

  const first = await round('1. first runs, every source at once (empty index)');
  await client.indices.refresh({ index: ALIAS });
  for (const [id, r] of first.runs) check(r.status === 'ok', `${id}: the first run is ok (${r.status}${r.error ? `: ${r.error}` : ''})`);
  const r1 = first.runs.get(REPLAY)!;
  check(r1.seen === N && r1.new === N && r1.failed === 0, `${REPLAY}: ${fmt(N)} seen and new, none failed`);
  check((await count({ term: { 'harvest.source': REPLAY } })) === N, `${REPLAY}: ${fmt(N)} records in the index`);
  for (const s of samples.sources) {
    const r = first.runs.get(s.id)!;
    const indexed = await count({ term: { 'harvest.source': s.id } });
    check(indexed === r.new, `${s.id}: the index holds the ${r.new} records the run counted new (${indexed})`);
  }

  const nightly = await round('2. every source again, unchanged (the nightly runs)');
  for (const [id, r] of nightly.runs) {
    check(r.status === 'ok' && r.new + r.updated === 0, `${id}: ok, nothing written (${r.status}, ${r.new} new, ${r.updated} updated)`);
  }
  const n2 = nightly.runs.get(REPLAY)!;
  check(n2.mode === 'incremental' && n2.seen === 0 && n2.mapped === 0, `${REPLAY}: an incremental run, nothing asked back, nothing mapped`);

  // 1% of the replay's records modified at the source, now
  const at = new Date().toISOString().slice(0, 19);
  const changed = replay.numbers.filter((i) => i % 100 === 37);
  replay.modify(changed, at);
  const delta = await round(`3. ${fmt(changed.length)} records of ${REPLAY} (1%) modified at the source, every source again`);
  await client.indices.refresh({ index: ALIAS });
  const d = delta.runs.get(REPLAY)!;
  check(d.status === 'ok' && d.mode === 'incremental', `${REPLAY}: an ok incremental run (${d.status}, ${d.mode})`);
  check(
    d.updated === changed.length && d.new === 0 && d.failed === 0,
    `${REPLAY}: updated ${fmt(d.updated)} = 1% exactly, 0 new, 0 failed`,
  );
  let applied = 0;
  for (let k = 0; k < changed.length; k += 1000) {
    const ids = changed.slice(k, k + 1000).map((i) => `${REPLAY}:${generatedId(i)}`);
    // (the record as stored: the `title` field is folded for search)
    const res = await client.mget<{ record: { title: unknown } }>({ index: ALIAS, ids, _source_includes: ['record.title'] });
    applied += res.docs.filter(
      (doc) => 'found' in doc && doc.found && JSON.stringify(doc._source?.record.title).includes(replay.revised(at)),
    ).length;
  }
  check(applied === changed.length, `${fmt(applied)} of the ${fmt(changed.length)} modified records carry their new title in the index`);
  const written = await count({ terms: { 'harvest.run_id': [...delta.runs.values()].map((r) => r.runId) } });
  check(written === changed.length, `documents the third runs wrote, all sources: ${fmt(written)} (the modified ones only)`);
  for (const s of samples.sources) {
    const r = delta.runs.get(s.id)!;
    check(r.status === 'ok' && r.new + r.updated === 0, `${s.id}: ok, nothing written`);
  }
  check((await count({ term: { 'harvest.source': REPLAY } })) === N, `${REPLAY}: still ${fmt(N)} records in the index`);

  const ratio = (r: Round) => `${fmt((r.wallMs / first.wallMs) * 100, 2)}% of the first`;
  const seen1 = [...first.runs.values()].reduce((n, r) => n + r.seen, 0);
  console.log(
    `\nfirst runs, ${sources.length} sources at once:   ${fmt(first.wallMs / 1000, 1)}s (${fmt((seen1 / first.wallMs) * 1000)} records/s)`,
  );
  console.log(
    `unchanged, nightly:              ${fmt(nightly.wallMs / 1000, 1)}s = ${ratio(nightly)} (goal < 5%: ${nightly.wallMs < first.wallMs * 0.05 ? 'met' : 'NOT met'})`,
  );
  console.log(`1% modified, nightly:            ${fmt(delta.wallMs / 1000, 1)}s = ${ratio(delta)}`);
  const all = memory.map((m) => m.rssMb);
  console.log(
    `server memory: peak RSS ${Math.round(hwmKb / 1024)} MB (VmHWM); 1 s samples ${Math.min(...all)}-${Math.max(...all)} MB; ` +
      `first round ${first.rss.min}-${first.rss.max} MB; by tenths of it: ${tenths(first).join(' ')} MB`,
  );
  if (failures.length) {
    console.log(`\n${failures.length} exactness check(s) failed:\n  ${failures.join('\n  ')}`);
    code = 1;
  } else console.log('\nevery exactness check passed');
} catch (err) {
  console.error(`the benchmark failed: ${(err as Error).stack ?? String(err)}`);
  code = 1;
} finally {
  clearInterval(sampler);
  serve.kill('SIGTERM');
  await exited;
  await Promise.all([replay.close(), samples.stop()]);
  if (!keep) await dropIndices(client, ALIAS);
  else console.log(`kept the indices ${ALIAS}* (BENCH_KEEP=1)`);
  await client.close();
  if (code !== 0) console.log(`serve's log: ${logFile}`);
  else rmSync(dir, { recursive: true, force: true });
}
process.exit(code);

/** The RSS samples of the first round at each tenth of its wall time: flat or growing. */
function tenths({ t0, wallMs }: Round): number[] {
  const out: number[] = [];
  for (let k = 1; k <= 10; k++) {
    const at = t0 + (wallMs * k) / 10;
    const sample = memory.find((m) => m.at >= at) ?? memory[memory.length - 1];
    if (sample) out.push(sample.rssMb);
  }
  return out;
}
