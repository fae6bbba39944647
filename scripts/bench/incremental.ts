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
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { Client } from '@elastic/elasticsearch';
import { ensureElasticsearch } from '../services/elasticsearch.js';
import { generatedId, generateIsoRecord } from '../samples/iso-generator.js';
import { projectPath } from '../../schemas/paths.js';
import { dropIndices, fmt, harvestInChild, type CliSummary } from './common.js';

const N = Number(process.argv[2] ?? 100_000);
if (!Number.isInteger(N) || N < 100) {
  console.error('usage: incremental [N >= 100]');
  process.exit(2);
}
const ALIAS = 'bench-incremental';
const SOURCE = 'bench-incr';

/** Records modified at the source: number -> the date stamp they now carry. */
const modified = new Map<number, string>();

/** Record i as the source serves it now. */
function record(i: number): string {
  const xml = generateIsoRecord(i);
  const at = modified.get(i);
  if (at === undefined) return xml;
  return xml
    .replace(/<gmd:dateStamp><gco:DateTime>[^<]*<\/gco:DateTime>/, `<gmd:dateStamp><gco:DateTime>${at}</gco:DateTime>`)
    .replace(/(<gmd:title\b[^>]*>\s*<gco:CharacterString>)([^<]*)/, `$1$2 (revised ${at})`);
}

/** The date stamp of record i as an instant (generated ones: 2024-MM-15T10:00:00, UTC). */
function stamp(i: number): number {
  const at = modified.get(i);
  if (at !== undefined) return Date.parse(`${at}Z`);
  return Date.parse(/<gmd:dateStamp><gco:DateTime>([^<]*)</.exec(generateIsoRecord(i))![1] + 'Z');
}

function page(numbers: number[], start: number, max: number): string {
  const returned = Math.max(0, Math.min(max, numbers.length - start + 1));
  const next = start + returned > numbers.length ? 0 : start + returned;
  const records = numbers.slice(start - 1, start - 1 + returned).map(record);
  return `<?xml version="1.0" encoding="UTF-8"?>
<csw:GetRecordsResponse xmlns:csw="http://www.opengis.net/cat/csw/2.0.2" xmlns:gmd="http://www.isotc211.org/2005/gmd" version="2.0.2">
  <csw:SearchStatus timestamp="2026-12-05T12:00:00Z"/>
  <csw:SearchResults numberOfRecordsMatched="${numbers.length}" numberOfRecordsReturned="${returned}" nextRecord="${next}" recordSchema="http://www.isotc211.org/2005/gmd" elementSet="full">
${records.join('\n')}
  </csw:SearchResults>
</csw:GetRecordsResponse>`;
}

const all = Array.from({ length: N }, (_, k) => k + 1);
/** The record numbers a "modified since" asks for (cached per bound: one scan per run, not per page). */
let sinceCache: { since: string; numbers: number[] } | undefined;
function matching(since: string | undefined): number[] {
  if (since === undefined) return all;
  if (sinceCache?.since !== since) {
    const t = Date.parse(since);
    // the generated records are all stamped in 2024: only modified ones can be newer (a scan of N would also do)
    const numbers =
      t > Date.parse('2025-01-01T00:00:00Z') ? [...modified.keys()].filter((i) => stamp(i) >= t) : all.filter((i) => stamp(i) >= t);
    sinceCache = { since, numbers: numbers.sort((a, b) => a - b) };
  }
  return sinceCache.numbers;
}

const recorded = readFileSync(projectPath('test', 'fixtures', 'csw', 'recorded', 'pycsw-GetCapabilities.xml'), 'utf8');
let capabilities = recorded;
const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const q = Object.fromEntries([...url.searchParams].map(([k, v]) => [k.toLowerCase(), v]));
  res.setHeader('content-type', 'application/xml; charset=UTF-8');
  const request = (q.request ?? '').toLowerCase();
  if (request === 'getcapabilities') return res.end(capabilities);
  if (request === 'getrecords') {
    const since = /apiso:Modified\s*>=\s*'([^']+)'/i.exec(q.constraint ?? '')?.[1];
    const start = Math.max(1, Number(q.startposition ?? 1));
    const max = Math.min(1000, Math.max(1, Number(q.maxrecords ?? 10)));
    return res.end(page(matching(since), start, max));
  }
  res.statusCode = 400;
  res.end(
    '<ows:ExceptionReport xmlns:ows="http://www.opengis.net/ows"><ows:Exception exceptionCode="OperationNotSupported"/></ows:ExceptionReport>',
  );
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const port = (server.address() as AddressInfo).port;
const cswUrl = `http://127.0.0.1:${port}/csw`;
capabilities = recorded.replaceAll('http://127.0.0.1:8765/', cswUrl);

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
  for (const i of changed) modified.set(i, at);
  sinceCache = undefined;
  const delta = await harvest('5. 1% modified, nightly   ');

  // applied exactly: every modified record has its new title in the index, no other record was written by run 5
  await client.indices.refresh({ index: ALIAS });
  let applied = 0;
  for (let k = 0; k < changed.length; k += 1000) {
    const ids = changed.slice(k, k + 1000).map((i) => `${SOURCE}:${generatedId(i)}`);
    // (the record as stored: the `title` field is folded for search)
    const res = await client.mget<{ record: { title: unknown } }>({ index: ALIAS, ids, _source_includes: ['record.title'] });
    applied += res.docs.filter(
      (d) => 'found' in d && d.found && JSON.stringify(d._source?.record.title).includes(`(revised ${at})`),
    ).length;
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
  server.close();
}
