/**
 * Benchmark: the stages of mapping one by one against stage by stage over a batch (pipelines/map.ts mapRecords). The
 * 27 ISO 19139 fixtures, 100 copies each (2,700 records, as scripts/bench/validate.ts), go through the stages a
 * `harvester validate` runs: parse (XML to tree), crosswalk (tree to record), check (the record validator), assess
 * (DCAT-AP gaps and FAIR), in batches of B records: every record of a batch through one stage before the next stage.
 * Each batch size runs in a fresh process pinned to one core (taskset), the sizes taking turns round after round;
 * prints each stage's least time over the rounds and the ratio to the first batch size. Run on demand:
 *   npm run build && node dist/scripts/bench/stages.js [ROUNDS] [B...]      (default: 4 rounds, B = 1 4 16 25 64)
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseIso, parsedIsoToRecord, type ParsedIso } from '../../mappings/iso/index.js';
import { checkRecord } from '../../schemas/validate.js';
import { assessRecord, dcatGaps } from '../../mappings/fair/index.js';
import type { HubRecord } from '../../schemas/record.js';
import { sharedFixture } from '../../schemas/paths.js';
import { fmt } from './common.js';

const STAGES = ['parse', 'crosswalk', 'check', 'assess'] as const;
type Times = Record<(typeof STAGES)[number], number>;

/** In the child: the 2,700 records through the stages in batches of `size`; milliseconds per stage. */
function runStages(size: number): Times {
  const dir = sharedFixture('iso19139');
  const texts = readdirSync(dir)
    .filter((f) => f.endsWith('.xml'))
    .map((f) => readFileSync(`${dir}/${f}`, 'utf8'));
  const all = Array.from({ length: 100 }, () => texts).flat();
  const ctx = { source: 'bench', harvestedAt: '2026-01-01T00:00:00Z' };
  const t: Times = { parse: 0, crosswalk: 0, check: 0, assess: 0 };
  for (let i = 0; i < all.length; i += size) {
    const batch = all.slice(i, i + size);
    let t0 = performance.now();
    const parsed: (ParsedIso | undefined)[] = batch.map((xml) => parseIso(xml, ctx));
    let t1 = performance.now();
    t.parse += t1 - t0;
    const records: HubRecord[] = parsed.map((p, k) => {
      parsed[k] = undefined;
      return parsedIsoToRecord(p!).record;
    });
    t0 = performance.now();
    t.crosswalk += t0 - t1;
    for (const r of records) checkRecord(r);
    t1 = performance.now();
    t.check += t1 - t0;
    for (const r of records) assessRecord(r, undefined, dcatGaps(r));
    t.assess += performance.now() - t1;
  }
  return t;
}

/** In the parent: one child for one batch size, pinned to core 0, with the interrupt budget `harvester` sets itself. */
function child(size: number): Promise<Times> {
  return new Promise((resolve, reject) => {
    const args = ['-c', '0', process.execPath, '--interrupt-budget=400000', fileURLToPath(import.meta.url), '--child', String(size)];
    const p = spawn('taskset', args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as Times) : reject(new Error(`batch ${size}: exit ${code}`))));
  });
}

if (process.argv[2] === '--child') {
  process.stdout.write(JSON.stringify(runStages(Number(process.argv[3]))));
} else {
  const rounds = Number(process.argv[2] ?? 4);
  const sizes = process.argv.length > 3 ? process.argv.slice(3).map(Number) : [1, 4, 16, 25, 64];
  if (!Number.isInteger(rounds) || rounds < 1 || sizes.some((s) => !Number.isInteger(s) || s < 1)) {
    console.error('usage: node dist/scripts/bench/stages.js [ROUNDS] [BATCH...]  (whole numbers from 1)');
    process.exit(2);
  }
  const best = new Map<number, Times>();
  for (let r = 0; r < rounds; r++)
    for (const size of sizes) {
      const t = await child(size);
      const b = best.get(size);
      best.set(
        size,
        b
          ? {
              parse: Math.min(b.parse, t.parse),
              crosswalk: Math.min(b.crosswalk, t.crosswalk),
              check: Math.min(b.check, t.check),
              assess: Math.min(b.assess, t.assess),
            }
          : t,
      );
    }
  console.log(
    `2,700 ISO 19139 records (27 fixtures x 100), one core, least of ${rounds} rounds, ms per stage (ratio to batches of ${sizes[0]})`,
  );
  const one = best.get(sizes[0])!;
  const total = (t: Times) => STAGES.reduce((n, s) => n + t[s], 0);
  for (const size of sizes) {
    const t = best.get(size)!;
    const cells = STAGES.map((s) => `${s} ${fmt(t[s])} (${fmt(t[s] / one[s], 2)})`);
    console.log(`  batch ${String(size).padStart(3)}: ${cells.join(', ')}; all ${fmt(total(t))} (${fmt(total(t) / total(one), 2)})`);
  }
}
