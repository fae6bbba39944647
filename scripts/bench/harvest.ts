/**
 * Benchmark: end-to-end CSW harvest (fetch, split, map, validate, index into the local Elasticsearch node) with the
 * real `harvester harvest` command in a child process (its peak RSS read from /proc), next to OWSLib harvesting the
 * same pycsw in the same run (OWSLib only parses, it indexes nothing):
 *   1. a real pycsw 2.6.2 loaded with N generated ISO 19139 records (default 10,000), pages of 100;
 *   2. a local replay of real GetRecords pages recorded from that pycsw, with 10,000 then 100,000 records
 *      (the replay costs the server side almost nothing): throughput and memory (its RSS every 10 s), then the
 *      100,000 harvested again unchanged (the nightly case).
 * Run on demand:  npm run build && node dist/scripts/bench/harvest.js [N=10000] [BIG=100000]
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@elastic/elasticsearch';
import { ensureElasticsearch } from '../services/elasticsearch.js';
import { startPycsw } from '../services/pycsw.js';
import { generateIsoRecord, generatedId } from '../samples/iso-generator.js';
import { fetchText } from '../../harvesters/http.js';
import { projectPath } from '../../schemas/paths.js';
import { dropIndices, fmt, harvestInChild, runPeer } from './common.js';

const N = Number(process.argv[2] ?? 10_000);
const BIG = Number(process.argv[3] ?? 100_000);
const PAGE = 100;
const ALIAS = 'bench-records';

interface HarvestRun {
  seen: number;
  indexed: number;
  unchanged: number;
  failed: number;
  ms: number;
  rate: number;
  peakRssMb: number;
  rssEvery10sMb: number[];
}

/** The real `harvester harvest --url` in a child process. */
async function harvestChild(esUrl: string, url: string, id: string): Promise<HarvestRun> {
  const { summaries, peakRssMb, rssEvery10sMb } = await harvestInChild([
    '--url',
    url,
    '--type',
    'csw',
    '--id',
    id,
    '--alias',
    ALIAS,
    '--es',
    esUrl,
  ]);
  const summary = summaries[summaries.length - 1];
  return {
    seen: summary.seen,
    indexed: summary.indexed,
    unchanged: summary.unchanged,
    failed: summary.failed,
    ms: summary.ms,
    rate: (summary.seen / summary.ms) * 1000,
    peakRssMb,
    rssEvery10sMb,
  };
}

async function startReplay(dir: string, total: number): Promise<{ url: string; stop(): void }> {
  const child = spawn(process.execPath, [projectPath('dist', 'scripts', 'bench', 'csw-replay.js'), dir, String(total), '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line: string = await new Promise((resolve) => child.stdout.once('data', (d) => resolve(String(d))));
  const { port } = JSON.parse(line) as { port: number };
  return { url: `http://127.0.0.1:${port}/csw`, stop: () => child.kill() };
}

const dropIndex = (client: Client) => dropIndices(client, ALIAS);

const es = await ensureElasticsearch();
const client = new Client({ node: es.url });
const tmp = mkdtempSync(join(tmpdir(), 'hub-bench-'));
try {
  console.log(`generating ${fmt(N)} ISO 19139 records and loading them into pycsw (pages of ${PAGE})...`);
  const recordsDir = join(tmp, 'records');
  mkdirSync(recordsDir);
  for (let i = 0; i < N; i++) writeFileSync(join(recordsDir, `${generatedId(i)}.xml`), generateIsoRecord(i));
  let t = performance.now();
  const pycsw = await startPycsw({ recordsDir, maxRecords: PAGE });
  console.log(`  pycsw loaded in ${fmt((performance.now() - t) / 1000, 1)}s at ${pycsw.url}`);
  try {
    await dropIndex(client);
    console.log('\n1. harvest of the real pycsw');
    const ours = await harvestChild(es.url, pycsw.url, 'bench-pycsw');
    console.log(
      `  ours:   ${fmt(ours.seen)} records, ${fmt(ours.indexed)} indexed, ${ours.failed} failed, ${fmt(ours.ms / 1000, 1)}s = ${fmt(ours.rate)} records/s, peak RSS ${ours.peakRssMb} MB`,
    );
    const peer = await runPeer<{ returned: number; kept: number; seconds: number; rate: number }>('owslib_harvest.py', [
      pycsw.url,
      String(PAGE),
    ]);
    console.log(
      `  OWSLib: ${fmt(peer.returned)} records returned, ${fmt(peer.kept)} kept (parsed only, nothing indexed), ${fmt(peer.seconds, 1)}s = ${fmt(peer.rate)} records/s`,
    );
    console.log(`  ratio:  ${fmt(ours.rate / peer.rate, 2)}x OWSLib`);

    console.log('\n2. recording real pycsw pages for the replay');
    const pagesDir = join(tmp, 'pages');
    mkdirSync(pagesDir);
    const caps = await fetchText(`${pycsw.url}?service=CSW&version=2.0.2&request=GetCapabilities`);
    writeFileSync(join(pagesDir, 'capabilities.xml'), caps.text.replaceAll(pycsw.url, '{{URL}}'));
    for (let k = 0; k * PAGE < N; k++) {
      const page = await fetchText(
        `${pycsw.url}?service=CSW&version=2.0.2&request=GetRecords&typeNames=gmd:MD_Metadata&resultType=results&elementSetName=full&outputSchema=http://www.isotc211.org/2005/gmd&startPosition=${k * PAGE + 1}&maxRecords=${PAGE}`,
      );
      writeFileSync(join(pagesDir, `page-${String(k).padStart(4, '0')}.xml`), page.text);
    }
  } finally {
    await pycsw.stop();
  }

  for (const total of [N, BIG]) {
    await dropIndex(client);
    const replay = await startReplay(join(tmp, 'pages'), total);
    try {
      t = performance.now();
      const run = await harvestChild(es.url, replay.url, 'bench-replay');
      console.log(
        `\n3. replay with ${fmt(total)} records: ${fmt(run.seen)} seen, ${fmt(run.indexed)} indexed, ${run.failed} failed, ${fmt(run.ms / 1000, 1)}s = ${fmt(run.rate)} records/s, peak RSS ${run.peakRssMb} MB`,
      );
      console.log(`   RSS every 10 s (MB): ${run.rssEvery10sMb.join(' ')}`);
      if (total === BIG) {
        // the nightly case: the same catalogue again, nothing changed (nothing is written, nothing removed)
        const again = await harvestChild(es.url, replay.url, 'bench-replay');
        console.log(
          `   harvested again, unchanged: ${fmt(again.seen)} seen, ${fmt(again.unchanged)} unchanged, ${fmt(again.ms / 1000, 1)}s = ${fmt(again.rate)} records/s, peak RSS ${again.peakRssMb} MB`,
        );
      }
    } finally {
      replay.stop();
    }
  }
} finally {
  await dropIndex(client);
  await client.close();
  rmSync(tmp, { recursive: true, force: true });
}
