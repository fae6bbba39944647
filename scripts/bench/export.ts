/**
 * Benchmark: `harvester export dcat` (the real command, in a child process, its peak RSS read from /proc) of 10,000
 * and of 100,000 generated records in N-Triples and Turtle: records/s and peak RSS, which should not grow with the
 * catalogue (flat from 10k to 100k), and the RSS every 10 s of the big run. Next to it, in the same run, the peer:
 * the same records' graphs written with jsonld.js (expansion with the local context + toRDF to N-Quads, what a
 * JSON-LD-first exporter does), one core, on a sample.
 * Run on demand:  npm run build && node dist/scripts/bench/export.js [SMALL=10000] [BIG=100000]
 */
import { spawn } from 'node:child_process';
import { statSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@elastic/elasticsearch';
import jsonld from 'jsonld';
import { mapRecord } from '../../pipelines/map.js';
import { localDocumentLoader, withContext } from '../../schemas/jsonld.js';
import { projectPath } from '../../schemas/paths.js';
import { ensureElasticsearch } from '../services/elasticsearch.js';
import { generateIsoRecord, generatedId } from '../samples/iso-generator.js';
import { dropIndices, fmt, treeRssKb } from './common.js';
import { indexGenerated } from './generated-index.js';

const SMALL = Number(process.argv[2] ?? 10_000);
const BIG = Number(process.argv[3] ?? 100_000);
const PREFIX = 'bench-export';

interface ExportRun {
  records: number;
  seconds: number;
  rate: number;
  peakRssMb: number;
  rssEvery10sMb: number[];
  bytes: number;
}

async function exportChild(esUrl: string, alias: string, format: string, out: string): Promise<ExportRun> {
  const child = spawn(
    'sh',
    [projectPath('scripts', 'bin', 'harvester'), 'export', 'dcat', '--format', format, '--out', out, '--es', esUrl, '--alias', alias],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, LOG_LEVEL: 'info' },
    },
  );
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const started = performance.now();
  let peakKb = 0;
  let ticks = 0;
  const timeline: number[] = [];
  const timer = setInterval(() => {
    const kb = treeRssKb(child.pid!);
    peakKb = Math.max(peakKb, kb);
    if (++ticks % 100 === 0 && kb > 0) timeline.push(Math.round(kb / 1024));
  }, 100);
  const code: number = await new Promise((resolve) => child.on('close', resolve));
  clearInterval(timer);
  const seconds = (performance.now() - started) / 1000;
  const summary = err
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { exported?: number })
    .find((l) => l.exported !== undefined);
  if (code !== 0 || !summary) throw new Error(`export exited with ${code}: ${err.slice(-2000)}`);
  const records = summary.exported!;
  return {
    records,
    seconds,
    rate: records / seconds,
    peakRssMb: Math.round(peakKb / 1024),
    rssEvery10sMb: timeline,
    bytes: statSync(out).size,
  };
}

/** The peer: jsonld.js expansion + toRDF of the same records, one core, for `seconds`. */
async function jsonldPeer(seconds: number): Promise<number> {
  const harvestedAt = new Date().toISOString();
  const records = Array.from({ length: 500 }, (_, i) => {
    const r = mapRecord({ source: 'bench', body: generateIsoRecord(i), location: 'x', id: generatedId(i) }, { harvestedAt });
    if (!r.ok) throw new Error(r.error);
    return withContext(r.record);
  });
  let n = 0;
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    const doc = records[n % records.length] as unknown as jsonld.JsonLdDocument;
    const options = { documentLoader: localDocumentLoader, format: 'application/n-quads' } as unknown as jsonld.Options.ToRdf;
    await (jsonld.toRDF(doc, options) as Promise<unknown>);
    n++;
  }
  return n / seconds;
}

const es = await ensureElasticsearch();
const client = new Client({ node: es.url, requestTimeout: 300_000 });
await dropIndices(client, PREFIX);
const dir = mkdtempSync(join(tmpdir(), 'bench-export-'));
try {
  console.log(`DCAT-AP export benchmark: generated ISO 19139 records, Elasticsearch at ${es.url}`);
  const small = `${PREFIX}-small`;
  const big = `${PREFIX}-big`;
  let t = performance.now();
  await indexGenerated(client, small, 'bench', 0, SMALL);
  await indexGenerated(client, big, 'bench', 0, BIG);
  console.log(`  indexed ${fmt(SMALL)} + ${fmt(BIG)} records in ${fmt((performance.now() - t) / 1000)} s`);
  const rows: string[] = [];
  for (const format of ['ntriples', 'turtle']) {
    for (const [alias, n] of [
      [small, SMALL],
      [big, BIG],
    ] as const) {
      const r = await exportChild(es.url, alias, format, join(dir, `${alias}.${format}`));
      rows.push(
        `  ${format.padEnd(8)} ${fmt(n).padStart(7)} records: ${fmt(r.rate)} records/s (${fmt(r.seconds, 1)} s, ${fmt(r.bytes / 1048576)} MB), peak RSS ${r.peakRssMb} MB` +
          (r.rssEvery10sMb.length ? `; RSS every 10 s: ${r.rssEvery10sMb.join(' ')} MB` : ''),
      );
      console.log(rows[rows.length - 1]);
      rmSync(join(dir, `${alias}.${format}`), { force: true });
    }
  }
  t = performance.now();
  const peer = await jsonldPeer(20);
  console.log(`  peer, same run: jsonld.js expansion + toRDF of the same records, one core: ${fmt(peer)} records/s`);
} finally {
  await dropIndices(client, PREFIX);
  rmSync(dir, { recursive: true, force: true });
  await client.close();
}
