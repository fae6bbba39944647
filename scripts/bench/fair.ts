/**
 * Benchmark: the FAIR assessment per record, warm, on every real fixture record (ISO 19139 and 19115-3, CSW answers,
 * STAC, OZCAR): the whole assessment `harvester validate` reports (assessRecord) next to the scores alone that a
 * harvest indexes (fairScores), and its JSON text in the report (fairJson, as the report's spool writes it; and
 * JSON.stringify). Run on demand:
 *   npm run build && taskset -c 0 node dist/scripts/bench/fair.js [ROUNDS]
 * Prints microseconds of CPU per record (the best of ROUNDS rounds, each over every record many times) and the ratio.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { itemsFromFile } from '../../pipelines/files.js';
import { mapRecord } from '../../pipelines/map.js';
import { assessRecord, fairJson, fairScores } from '../../mappings/fair/index.js';
import type { HubRecord } from '../../schemas/record.js';
import { sharedFixture } from '../../schemas/paths.js';
import { fmt } from './common.js';

const rounds = Number(process.argv[2] ?? 7);
/** Passes over every record in one round. */
const PASSES = 40;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : /\.(xml|json)$/.test(f) ? [p] : [];
  });
}

const records: HubRecord[] = [];
for (const dir of ['iso19139', 'iso19115-3', 'csw', 'stac', 'ozcar'])
  for (const f of files(sharedFixture(dir))) {
    try {
      for await (const item of itemsFromFile(f, 'bench')) {
        if (item.kind !== 'record') continue;
        const r = mapRecord(item.raw, { harvestedAt: '2026-01-01T00:00:00Z' });
        if (r.ok) records.push(r.record);
      }
    } catch {
      // a broken fixture: not a record to assess
    }
  }

/** CPU microseconds per record of `fn` over every record, the best of `rounds` rounds (after one to warm up). */
function perRecord(fn: (r: HubRecord) => unknown): number {
  let best = Infinity;
  let sink = 0;
  for (let round = 0; round <= rounds; round++) {
    const start = process.cpuUsage();
    for (let p = 0; p < PASSES; p++) for (const r of records) if (fn(r)) sink++;
    const used = process.cpuUsage(start);
    if (round > 0) best = Math.min(best, (used.user + used.system) / (PASSES * records.length));
  }
  if (sink < 0) console.log(sink);
  return best;
}

const full = perRecord((r) => assessRecord(r));
const scores = perRecord((r) => fairScores(r));
const json = perRecord((r) => JSON.stringify(assessRecord(r)).length);
const text = perRecord((r) => fairJson(assessRecord(r)).length);
const bytes = records.reduce((n, r) => n + JSON.stringify(assessRecord(r)).length, 0) / records.length;
console.log(`FAIR assessment of ${records.length} fixture records, warm, CPU per record (best of ${rounds} rounds of ${PASSES} passes):`);
console.log(`  assessRecord (what validate reports):        ${fmt(full, 1)} µs`);
console.log(`  assessRecord + JSON.stringify (its ${fmt(bytes)} B):  ${fmt(json, 1)} µs`);
console.log(`  assessRecord + fairJson (the report's text):  ${fmt(text, 1)} µs`);
console.log(`  fairScores (what a harvest indexes):         ${fmt(scores, 1)} µs: ${fmt(full / scores, 1)}x less than assessRecord`);
