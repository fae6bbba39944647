/**
 * Benchmark: map + validate throughput of the ISO crosswalk on the ISO 19139 fixtures, one core, next to OWSLib's
 * MD_Metadata parse of the same files in the same run (one core). Ours maps the 27 files as one batch (stage by stage,
 * pipelines/map.ts mapRecords), as the pipeline maps its chunks. Run on demand:
 *   npm run build && node dist/scripts/bench/map.js [SECONDS]
 * Prints both rates and the ratio.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mapRecords } from '../../pipelines/map.js';
import type { RawRecord } from '../../harvesters/types.js';
import { sharedFixture } from '../../schemas/paths.js';
import { fmt, runPeer } from './common.js';

const seconds = Number(process.argv[2] ?? 10);
const dir = sharedFixture('iso19139');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.xml'))
  .map((f) => join(dir, f));
const raws: RawRecord[] = files.map((f) => ({ source: 'bench', body: readFileSync(f, 'utf8'), location: f }));
const bytes = raws.reduce((n, r) => n + (r.body as string).length, 0);

function ours(): { rate: number; records: number; failed: number } {
  const harvestedAt = new Date().toISOString();
  // warm-up: JIT and the ajv validator
  for (let i = 0; i < 3; i++) mapRecords(raws, { harvestedAt });
  let records = 0;
  let failed = 0;
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) {
    for (const r of mapRecords(raws, { harvestedAt })) {
      if (!r.ok) failed++;
      records++;
    }
  }
  return { rate: (records / (performance.now() - start)) * 1000, records, failed };
}

console.log(
  `map + validate: ${files.length} ISO 19139 fixture files (${fmt(bytes / files.length / 1024, 1)} KiB on average), ${seconds}s each side, one core each`,
);
const us = ours();
console.log(
  `  ours (isoToRecord + ajv):        ${fmt(us.rate)} records/s  (${us.records} mapped, ${us.failed / Math.max(1, us.records / files.length)} files failing per round)`,
);
const peer = await runPeer<{ rate: number; records: number; failed: number }>('owslib_parse.py', [String(seconds), ...files]);
console.log(`  OWSLib MD_Metadata (lxml) parse: ${fmt(peer.rate)} records/s  (${peer.records} parsed, ${peer.failed} failed)`);
console.log(`  ratio: ${fmt(us.rate / peer.rate, 2)}x OWSLib`);
