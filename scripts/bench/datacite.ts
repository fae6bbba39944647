/**
 * Benchmark: the DataCite crosswalk alone (mappings/datacite.ts toDataCite, the oai_datacite profile), in this process,
 * no index nor HTTP: documents/s and output bytes, over
 *   1. GENERATED generated ISO 19139 records (what scripts/bench/oai.ts serves: boxes, no polygons);
 *   2. the fixture records: the shared ISO 19139, ISO 19115-3, STAC and OZCAR ones and the project's ISO records
 *      (test/fixtures/iso: real polygons of up to 2,000 points; the files broken on purpose give no record).
 * Each set is written REPS times per pass (the fixtures ten times as often: they are few), five passes after a
 * warm-up; the median pass is printed. Pin it to a core
 * to compare two builds: `taskset -c 1 node dist/scripts/bench/datacite.js`.
 * Run on demand:  npm run build && node dist/scripts/bench/datacite.js [GENERATED=2000] [REPS=10]
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { toDataCite } from '../../mappings/datacite.js';
import { itemsFromFile } from '../../pipelines/files.js';
import { mapRecord } from '../../pipelines/map.js';
import { projectPath, sharedFixture } from '../../schemas/paths.js';
import type { HubRecord } from '../../schemas/record.js';
import { generateIsoRecord, generatedId } from '../samples/iso-generator.js';
import { fmt } from './common.js';

const GENERATED = Number(process.argv[2] ?? 2000);
const REPS = Number(process.argv[3] ?? 10);
const harvestedAt = '2026-12-01T00:00:00Z';

function generated(): HubRecord[] {
  const out: HubRecord[] = [];
  for (let i = 0; i < GENERATED; i++) {
    const r = mapRecord({ source: 'bench', body: generateIsoRecord(i), location: `generated:${i}`, id: generatedId(i) }, { harvestedAt });
    if (r.ok) out.push(r.record);
  }
  return out;
}

async function fixtures(): Promise<HubRecord[]> {
  const out: HubRecord[] = [];
  const folders = [...['iso19139', 'iso19115-3', 'stac', 'ozcar'].map((f) => sharedFixture(f)), projectPath('test', 'fixtures', 'iso')];
  for (const folder of folders) {
    for (const f of readdirSync(folder).filter((n) => /\.(xml|json)$/.test(n))) {
      try {
        for await (const item of itemsFromFile(join(folder, f), 'bench')) {
          if (item.kind !== 'record') continue;
          const r = mapRecord(item.raw, { harvestedAt });
          if (r.ok) out.push(r.record);
        }
      } catch {
        // a file broken on purpose (not XML, truncated, XXE): no record
      }
    }
  }
  return out;
}

function measure(name: string, records: HubRecord[], reps: number): void {
  let bytes = 0;
  for (const r of records) bytes += Buffer.byteLength(toDataCite(r, 'openaire')!);
  for (let i = 0; i < 3; i++) for (const r of records) toDataCite(r, 'openaire');
  const passes: number[] = [];
  for (let k = 0; k < 5; k++) {
    const t = process.hrtime.bigint();
    for (let i = 0; i < reps; i++) for (const r of records) toDataCite(r, 'openaire');
    passes.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  const median = passes.sort((a, b) => a - b)[2];
  const docs = records.length * reps;
  console.log(
    `  ${name}: ${fmt(records.length)} records, ${fmt(Math.round(bytes / records.length))} bytes a document; ` +
      `${fmt(docs)} documents in ${median.toFixed(0)} ms (median of 5): ${fmt(Math.round((docs / median) * 1000))} documents/s`,
  );
}

console.log('DataCite crosswalk benchmark (oai_datacite profile, in process)');
measure('generated ISO 19139', generated(), REPS);
measure('fixtures', await fixtures(), REPS * 10);
