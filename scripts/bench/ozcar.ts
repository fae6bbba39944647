/**
 * Throughput of the OZCAR harvester on the largest real file (CRYO_en.json: 1.6 MB, 8 datasets, 642 observations),
 * read from disk: harvest alone (read, parse, validate, split), then harvest + crosswalk + record validation.
 * Prints datasets/s, observations/s and the process's peak RSS. Run on demand:
 *   npm run build && OZCAR_BENCH_PASSES=50 node dist/scripts/bench/ozcar.js
 */
import { statSync } from 'node:fs';
import { harvestOzcar } from '../../harvesters/ozcar/index.js';
import { ozcarToRecord, type OzcarMapContext } from '../../mappings/ozcar/index.js';
import { validateRecord } from '../../schemas/validate.js';
import { strict as assert } from 'node:assert';
import { sharedFixture } from '../../schemas/paths.js';

const FILE = sharedFixture('ozcar', 'CRYO_en.json');
/** RSS once the modules are loaded, before any harvest: the peak is compared with it. */
const BASE_RSS_MB = process.memoryUsage().rss / 1024 / 1024;
const PASSES = Number(process.env.OZCAR_BENCH_PASSES ?? 10);

async function pass(map: boolean): Promise<{ datasets: number; observations: number; invalid: number }> {
  let datasets = 0;
  let observations = 0;
  let invalid = 0;
  for await (const item of harvestOzcar({ source: 'bench', url: FILE })) {
    if (item.kind !== 'record') continue;
    datasets++;
    const body = item.raw.body as { observations: unknown[] };
    observations += body.observations.length;
    if (map) {
      const { record } = ozcarToRecord(body, {
        source: 'bench',
        harvestedAt: '2026-11-25T10:00:00Z',
        sourceUrl: item.raw.url,
        ...(item.raw.context as unknown as Partial<OzcarMapContext>),
      });
      if (validateRecord(record).length) invalid++;
    }
  }
  return { datasets, observations, invalid };
}

async function measure(label: string, map: boolean) {
  await pass(map); // warm-up: compiles the validators
  const t0 = performance.now();
  let datasets = 0;
  let observations = 0;
  let invalid = 0;
  for (let i = 0; i < PASSES; i++) {
    const r = await pass(map);
    datasets += r.datasets;
    observations += r.observations;
    invalid += r.invalid;
  }
  const s = (performance.now() - t0) / 1000;
  const rssMb = process.resourceUsage().maxRSS / 1024;
  const mbPerS = (statSync(FILE).size * PASSES) / 1e6 / s;
  console.log(
    `  ${label}: ${PASSES} x CRYO_en.json in ${s.toFixed(2)} s: ${(datasets / s).toFixed(0)} datasets/s, ` +
      `${(observations / s).toFixed(0)} observations/s, ${mbPerS.toFixed(1)} MB/s; peak RSS ${rssMb.toFixed(0)} MB (${BASE_RSS_MB.toFixed(0)} MB before)`,
  );
  return { datasets, observations, invalid, rssMb };
}

const h = await measure('harvest', false);
assert.equal(h.datasets, 8 * PASSES);
assert.equal(h.observations, 642 * PASSES);
const m = await measure('harvest+map+validate', true);
assert.equal(m.datasets, 8 * PASSES);
assert.equal(m.invalid, 0, 'every mapped record validates');
