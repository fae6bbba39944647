/**
 * Benchmark: incremental runs (docs/incremental.md). A CSW of generated ISO 19139 records (scripts/samples/
 * iso-generator.ts, each record distinct) that honours a "modified since" constraint as pycsw does, harvested by the
 * real `harvester harvest` in a child process:
 *   1. the first harvest (full, empty index);
 *   2. harvested again, unchanged, as the nightly run goes (incremental: only what changed since the last run);
 *   3. harvested again, unchanged, `--full` (every record fetched and parsed; none mapped or written: raw hashes);
 *   4. the peer, in the same run: the same full unchanged re-harvest `--full --remap`, every record mapped again, as
 *      every re-harvest went before incremental runs (and as GeoNetwork and CKAN harvesters still do);
 *   5. 1% of the records modified at the source (new date stamp, new title), then the nightly (incremental) run: the
 *      modified records found and applied exactly (counted updated, their new titles in the index), nothing else.
 * Each time as a fraction of the first (goal: the nightly unchanged run under 5%).
 *
 *   npm run build && node dist/scripts/bench/incremental.js [N=100000]
 */
import { Client } from '@elastic/elasticsearch';
import { ensureElasticsearch } from '../services/elasticsearch.js';
import { generatedId } from '../samples/iso-generator.js';
import { startChangingCsw } from './changing-csw.js';
import { dropIndices, fmt, harvestInChild, type CliSummary } from './common.js';

const N = Number(process.argv[2] ?? 100_000);
if (!Number.isInteger(N) || N < 100) {
  console.error('usage: incremental [N >= 100]');
  process.exit(2);
}
const ALIAS = 'bench-incremental';
const SOURCE = 'bench-incr';

const csw = await startChangingCsw(N);
const cswUrl = csw.url;
const all = csw.numbers;

const es = await ensureElasticsearch();
const client = new Client({ node: es.url });

/** A run summary as the command prints it (the fields read here). */
type Run = CliSummary & { mode: string; status: string; runId: string; mapped: number; new: number; updated: number };

async function harvest(what: string, extra: string[] = []): Promise<Run> {
  const { summaries, peakRssMb } = await harvestInChild([
    '--url',
    cswUrl,
    '--type',
    'csw',
    '--id',
    SOURCE,
    '--alias',
    ALIAS,
    '--es',
    es.url,
    ...extra,
  ]);
  const s = summaries[summaries.length - 1] as Run;
  console.log(
    `${what}: ${s.mode} run, ${fmt(s.seen)} seen, ${fmt(s.mapped)} mapped, ${fmt(s.new)} new, ${fmt(s.updated)} updated, ${fmt(s.unchanged)} unchanged, ${s.failed} failed, ${s.status}, ${fmt(s.ms / 1000, 1)}s, peak RSS ${peakRssMb} MB`,
  );
  return s;
}

try {
  await dropIndices(client, ALIAS);
  console.log(`CSW of ${fmt(N)} generated ISO 19139 records at ${cswUrl}\n`);
  const first = await harvest('1. first harvest          ');
  const nightly = await harvest('2. unchanged, nightly     ');
  const full = await harvest('3. unchanged, --full      ', ['--full']);
  const peer = await harvest('4. peer: --full --remap   ', ['--full', '--remap']);
  // 1% of the records modified at the source, now
  const at = new Date().toISOString().slice(0, 19);
  const changed = all.filter((i) => i % 100 === 37);
  csw.modify(changed, at);
  const delta = await harvest('5. 1% modified, nightly   ');

  // applied exactly: every modified record has its new title in the index, no other record was written by run 5
  await client.indices.refresh({ index: ALIAS });
  let applied = 0;
  for (let k = 0; k < changed.length; k += 1000) {
    const ids = changed.slice(k, k + 1000).map((i) => `${SOURCE}:${generatedId(i)}`);
    // (the record as stored: the `title` field is folded for search)
    const res = await client.mget<{ record: { title: unknown } }>({ index: ALIAS, ids, _source_includes: ['record.title'] });
    applied += res.docs.filter((d) => 'found' in d && d.found && JSON.stringify(d._source?.record.title).includes(csw.revised(at))).length;
  }
  const written = (await client.count({ index: ALIAS, query: { term: { 'harvest.run_id': delta.runId } } })).count;
  const total = (await client.count({ index: ALIAS })).count;
  console.log(
    `\n   modified at the source: ${fmt(changed.length)}; the run saw ${fmt(delta.seen)}, updated ${fmt(delta.updated)}; ` +
      `${fmt(applied)} carry their new title in the index; documents the run wrote: ${fmt(written)}; index: ${fmt(total)} records`,
  );
  const exact = delta.updated === changed.length && applied === changed.length && written === changed.length && total === N;
  console.log(`   found and applied exactly: ${exact ? 'yes' : 'NO'}`);

  const ratio = (s: CliSummary) => `${fmt((s.ms / first.ms) * 100, 2)}% of the first`;
  console.log(`\nfirst harvest:                     ${fmt(first.ms / 1000, 1)}s (${fmt((N / first.ms) * 1000)} records/s)`);
  console.log(`unchanged, nightly (incremental):  ${fmt(nightly.ms / 1000, 1)}s = ${ratio(nightly)} (goal < 5%)`);
  console.log(`unchanged, --full (raw hashes):    ${fmt(full.ms / 1000, 1)}s = ${ratio(full)}`);
  console.log(
    `peer, --full --remap (as before):  ${fmt(peer.ms / 1000, 1)}s = ${ratio(peer)}; --full is ${fmt(peer.ms / full.ms, 1)}x faster`,
  );
  console.log(`1% modified, nightly:              ${fmt(delta.ms / 1000, 1)}s = ${ratio(delta)}`);
} finally {
  await dropIndices(client, ALIAS);
  await client.close();
  await csw.close();
}
