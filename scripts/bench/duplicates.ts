/**
 * What linking the copies of a dataset harvested from two sources costs (docs/duplicates.md): a CSW source `b` of N
 * generated ISO records is harvested (1) into an index where it is alone (its link step has nothing to compare with:
 * the peer) and (2) into an index that already holds source `a`, whose catalogue shares half of b's records (same file
 * identifiers and DOIs). Both runs are the same harvest of the same records; the second one's link step compares b's N
 * records with a's and links N/2 groups. Prints both times, the ratio, the link step's share, and checks the counts
 * exactly (b: N/2 linked, N/2 hidden behind a's copies by declaration order; search lists 1.5 N of 2 N documents).
 * Then b harvested again unchanged, alone and beside a: the link step of an unchanged run with the same ranking only
 * counts (its old groups are not decided again), so both reruns should take about as long.
 *
 *   node dist/scripts/bench/duplicates.js [N=20000]
 */
import type { Server } from 'node:http';
import { Client } from '@elastic/elasticsearch';
import { ensureElasticsearch } from '../services/elasticsearch.js';
import { generateIsoRecord, recordsPage } from '../samples/iso-generator.js';
import { projectPath } from '../../schemas/paths.js';
import { startCswServer } from './csw-server.js';
import { harvestSource } from '../../pipelines/harvest.js';
import { silentLogger } from '../../pipelines/log.js';
import { linkRun } from '../../pipelines/duplicates.js';
import { searchRecords } from '../../pipelines/search.js';
import { sourceRanking, type SourceConfig } from '../../pipelines/sources.js';
import { dropIndices, fmt } from './common.js';

const N = Number(process.argv[2] ?? 20_000);
if (!Number.isInteger(N) || N < 2 || N % 2 !== 0) {
  console.error('usage: duplicates [N]: an even number of records, at least 2');
  process.exit(2);
}

/** A CSW serving generated records first+1 .. first+total (position p holds record first+p). */
function replay(first: number, total: number): Promise<{ url: string; server: Server }> {
  return startCswServer(({ start, max }) => {
    const records: string[] = [];
    for (let p = start; p < Math.min(start + max, total + 1); p++) records.push(generateIsoRecord(first + p));
    return recordsPage(records, start, total);
  });
}

const es = await ensureElasticsearch();
const client = new Client({ node: es.url });
const prefix = `bench-dups-${Date.now()}`;
const a = await replay(N / 2, N); // records N/2+1 .. 3N/2
const b = await replay(0, N); // records 1 .. N: its second half is a's first half
const sources: SourceConfig[] = [
  { id: 'a', type: 'csw', url: a.url, options: { pageSize: 500 } },
  { id: 'b', type: 'csw', url: b.url, options: { pageSize: 500 } },
];
const ranking = sourceRanking(sources);
const harvest = (alias: string, s: SourceConfig) =>
  harvestSource({ ...s, ranking }, { client, alias, log: silentLogger, reportDir: projectPath('.cache', 'reports') });

try {
  console.log(`${fmt(N)} records from source b; source a shares ${fmt(N / 2)} of them (same file identifiers and DOIs)`);
  // (1) the peer: b alone, its link step compares with nothing
  const alone = await harvest(`${prefix}-alone`, sources[1]);
  // (2) a first, then b: b's link step compares its N records with a's and links N/2 groups
  const first = await harvest(`${prefix}-two`, sources[0]);
  const two = await harvest(`${prefix}-two`, sources[1]);
  // the link step alone, run again on the same index in full (every group of b decided again: reads only)
  const t0 = Date.now();
  const again = await linkRun(client, `${prefix}-two`, 'b', two.runId, ranking);
  const relinkMs = Date.now() - t0;
  // b harvested again, unchanged, alone and beside a (same ranking: its old groups are not decided again)
  const aloneAgain = await harvest(`${prefix}-alone`, sources[1]);
  const twoAgain = await harvest(`${prefix}-two`, sources[1]);

  const listed = (await searchRecords(client, `${prefix}-two`, { size: 0 })).total;
  const docs = (await client.count({ index: `${prefix}-two` })).count;
  const ok =
    alone.status === 'ok' &&
    first.status === 'ok' &&
    two.status === 'ok' &&
    two.new === N &&
    two.linked === N / 2 &&
    two.hidden === N / 2 &&
    first.linked === 0 &&
    docs === 2 * N &&
    listed === (3 * N) / 2 &&
    again.updated === 0 &&
    aloneAgain.unchanged === N &&
    twoAgain.unchanged === N &&
    twoAgain.linked === N / 2 &&
    twoAgain.hidden === N / 2;
  const rate = (s: { seen: number; ms: number }) => `${fmt(s.seen / (s.ms / 1000))} records/s`;
  console.log(`b alone (peer)           ${fmt(alone.ms / 1000, 1)} s  ${rate(alone)}  linked ${alone.linked}`);
  console.log(`b after a (linking)      ${fmt(two.ms / 1000, 1)} s  ${rate(two)}  linked ${two.linked}, hidden ${two.hidden}`);
  console.log(`ratio (linking / peer)   ${fmt(two.ms / alone.ms, 2)}`);
  console.log(`link step again in full, read-only: ${fmt(relinkMs / 1000, 1)} s (${fmt((relinkMs / two.ms) * 100, 1)}% of b's run)`);
  console.log(`b unchanged, alone (peer) ${fmt(aloneAgain.ms / 1000, 1)} s`);
  console.log(`b unchanged, after a      ${fmt(twoAgain.ms / 1000, 1)} s  linked ${twoAgain.linked}, hidden ${twoAgain.hidden}`);
  console.log(`ratio (unchanged runs)    ${fmt(twoAgain.ms / aloneAgain.ms, 2)}`);
  console.log(`index: ${fmt(docs)} documents, ${fmt(listed)} listed by search`);
  console.log(
    ok ? 'counts exact' : `COUNTS WRONG: ${JSON.stringify({ two, first: first.linked, docs, listed, again, aloneAgain, twoAgain })}`,
  );
  if (!ok) process.exitCode = 1;
} finally {
  a.server.close();
  b.server.close();
  await dropIndices(client, prefix);
  await client.close();
}
