/**
 * Benchmark: what OAI-PMH harvesting of the hub costs, next to pycsw 2.6.2's OAI-PMH (`?mode=oaipmh`) loaded with the
 * same generated records, in the same run:
 *   1. Sickle walks ListRecords (oai_dc, then oai_datacite, pages of 100) over BIG records (default 100,000):
 *      records/s;
 *   2. GetRecord latency p50/p95 with CLIENTS concurrent clients (default 4), what a Dataverse harvest does (one
 *      GetRecord per identifier);
 *   3. first-page latency of ListRecords on SMALL records (default 10,000), ours and pycsw's, and how far Sickle gets
 *      through each (pycsw refuses its own resumption requests).
 * Run on demand:  npm run build && node dist/scripts/bench/oai.js [SMALL=10000] [BIG=100000] [CLIENTS=4] [GETS=4000]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@elastic/elasticsearch';
import { buildServer } from '../../api/server.js';
import { oaiRoutes } from '../../api/routes/oai.js';
import { DEFAULT_IDENTITY } from '../../pipelines/hub-identity.js';
import { silentLogger } from '../../pipelines/log.js';
import { oaiIdentifier } from '../../pipelines/oai.js';
import { ensureElasticsearch } from '../services/elasticsearch.js';
import { PYCSW_HEADERS, startPycsw } from '../services/pycsw.js';
import { generateIsoRecord, generatedId } from '../samples/iso-generator.js';
import { dropIndices, fmt, runPeer } from './common.js';
import { indexGenerated } from './generated-index.js';

const SMALL = Number(process.argv[2] ?? 10_000);
const BIG = Number(process.argv[3] ?? 100_000);
const CLIENTS = Number(process.argv[4] ?? 4);
const GETS = Number(process.argv[5] ?? 4000);
/** This run's indices: its own, so that two runs (or another checkout's) on one node do not drop each other's. */
const PREFIX = `bench-oai-${process.pid}-${Date.now().toString(36)}`;

async function serve(client: Client, alias: string): Promise<{ url: string; close: () => Promise<void> }> {
  const app = await buildServer({ client, alias, esUrl: '', log: silentLogger, routes: [oaiRoutes()] });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { url: `http://127.0.0.1:${(app.server.address() as { port: number }).port}/oai`, close: () => app.close() };
}

/** Median and 95th percentile of ms timings. */
function percentiles(ms: number[]): { p50: number; p95: number } {
  const s = [...ms].sort((a, b) => a - b);
  return { p50: s[Math.floor(s.length * 0.5)], p95: s[Math.floor(s.length * 0.95)] };
}

async function timed(url: string, headers: Record<string, string> = {}): Promise<{ ms: number; body: string }> {
  const t = performance.now();
  const r = await fetch(url, { headers });
  const body = await r.text();
  return { ms: performance.now() - t, body };
}

async function firstPage(url: string, headers: Record<string, string> = {}): Promise<number> {
  await timed(url, headers); // warm
  const runs: number[] = [];
  for (let i = 0; i < 5; i++) runs.push((await timed(url, headers)).ms);
  return percentiles(runs).p50;
}

const es = await ensureElasticsearch();
const client = new Client({ node: es.url, requestTimeout: 300_000 });
await dropIndices(client, PREFIX);
const dir = mkdtempSync(join(tmpdir(), 'bench-oai-'));
const closers: (() => Promise<void>)[] = [];
try {
  console.log(`OAI-PMH benchmark: generated ISO 19139 records, Elasticsearch at ${es.url}`);
  let t = performance.now();
  for (let i = 0; i < SMALL; i++) writeFileSync(join(dir, `generated-${generatedId(i)}.xml`), generateIsoRecord(i));
  const csw = await startPycsw({ recordsDir: dir, maxRecords: 100, startTimeoutMs: 120_000 });
  closers.push(() => csw.stop());
  console.log(`  pycsw 2.6.2 loaded with ${fmt(SMALL)} records in ${fmt((performance.now() - t) / 1000)} s`);
  t = performance.now();
  await indexGenerated(client, `${PREFIX}-small`, 'bench', 0, SMALL);
  await indexGenerated(client, `${PREFIX}-big`, 'bench', 0, BIG);
  console.log(`  indexed ${fmt(SMALL)} + ${fmt(BIG)} records in ${fmt((performance.now() - t) / 1000)} s`);
  const small = await serve(client, `${PREFIX}-small`);
  const big = await serve(client, `${PREFIX}-big`);
  closers.push(small.close, big.close);

  // 1. Sickle walks the big list
  const walk = await runPeer<{ count: number; seconds: number; error: string | null }>('sickle_walk.py', [big.url, 'oai_dc']);
  console.log(
    `  ours: Sickle ListRecords oai_dc over ${fmt(BIG)} records: ${fmt(walk.count)} records in ${fmt(walk.seconds, 1)} s, ${fmt(walk.count / walk.seconds)} records/s${walk.error ? ` (stopped: ${walk.error})` : ''}`,
  );

  // 1b. the same walk in DataCite (every record: the generated ones have no DOI, so each is identified by its hub IRI)
  const dc = await runPeer<{ count: number; seconds: number; error: string | null }>('sickle_walk.py', [big.url, 'oai_datacite']);
  console.log(
    `  ours: Sickle ListRecords oai_datacite over ${fmt(BIG)} records: ${fmt(dc.count)} records in ${fmt(dc.seconds, 1)} s, ${fmt(dc.count / dc.seconds)} records/s${dc.error ? ` (stopped: ${dc.error})` : ''}`,
  );

  // 2. GetRecord latency, CLIENTS at once
  const ids = Array.from({ length: GETS }, (_, i) =>
    oaiIdentifier(DEFAULT_IDENTITY.oaiNamespace, `bench:${generatedId((i * 7919) % BIG)}`),
  );
  const timings: number[] = [];
  let next = 0;
  const t2 = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < ids.length) {
        const id = ids[next++];
        const r = await timed(`${big.url}?verb=GetRecord&metadataPrefix=oai_dc&identifier=${encodeURIComponent(id)}`);
        if (!r.body.includes('<GetRecord>')) throw new Error(`GetRecord ${id} failed: ${r.body.slice(0, 300)}`);
        timings.push(r.ms);
      }
    }),
  );
  const seconds = (performance.now() - t2) / 1000;
  const p = percentiles(timings);
  console.log(
    `  ours: GetRecord oai_dc, ${CLIENTS} concurrent clients, ${fmt(GETS)} requests over ${fmt(BIG)} records: p50 ${fmt(p.p50, 1)} ms, p95 ${fmt(p.p95, 1)} ms, ${fmt(GETS / seconds)} records/s`,
  );

  // 3. first page on the same SMALL records, and how far Sickle gets
  const ours1 = await firstPage(`${small.url}?verb=ListRecords&metadataPrefix=oai_dc`);
  const pycswOai = `${csw.url}?mode=oaipmh`;
  const theirs1 = await firstPage(`${pycswOai}&verb=ListRecords&metadataPrefix=oai_dc`, PYCSW_HEADERS);
  const oursWalk = await runPeer<{ count: number; seconds: number; error: string | null }>('sickle_walk.py', [small.url, 'oai_dc']);
  const theirsWalk = await runPeer<{ count: number; seconds: number; error: string | null }>('sickle_walk.py', [pycswOai, 'oai_dc']);
  console.log(`  ${fmt(SMALL)} records, ListRecords oai_dc first page (100 records), median of 5:`);
  console.log(`    ours ${fmt(ours1, 1)} ms; pycsw 2.6.2 ${fmt(theirs1, 1)} ms; ratio ${fmt(theirs1 / ours1, 2)}x`);
  console.log(
    `    Sickle walk: ours ${fmt(oursWalk.count)} of ${fmt(SMALL)} records (${fmt(oursWalk.count / oursWalk.seconds)} records/s); pycsw ${fmt(theirsWalk.count)} of ${fmt(SMALL)}${theirsWalk.error ? ` (stopped: ${theirsWalk.error})` : ''}`,
  );
} finally {
  for (const c of closers.reverse()) await c().catch(() => undefined);
  await dropIndices(client, PREFIX);
  rmSync(dir, { recursive: true, force: true });
  await client.close();
}
