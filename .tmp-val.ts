import { isoToRecord } from './mappings/iso/index.js';
import { validateRecord } from './schemas/validate.js';
import { readFileSync, readdirSync } from 'node:fs';
const ctx = { source: 'bench', harvestedAt: '2025-01-01T00:00:00Z' };
const sets: Record<string, string[]> = {};
for (const dir of ['iso19139', 'iso19115-3']) sets[dir] = readdirSync('/work/shared/fixtures/' + dir).map((f) => readFileSync(`/work/shared/fixtures/${dir}/${f}`, 'utf8'));
sets['own'] = readdirSync('test/fixtures/iso').filter(f => /no-identifier|standards|undeclared/.test(f)).map(f => readFileSync('test/fixtures/iso/' + f, 'utf8'));
for (const [k, files] of Object.entries(sets)) for (const x of files) { const r = isoToRecord(x, ctx); const errs = validateRecord(r.record); if (errs.length) console.log(k, r.record.identifier, errs.slice(0, 5)); }
for (const dir of ['iso19139', 'iso19115-3']) {
  const files = sets[dir]!;
  for (let i = 0; i < 3; i++) for (const f of files) validateRecord(isoToRecord(f, ctx).record);
  const c0 = process.cpuUsage(); const t = performance.now(); let n = 0;
  while (performance.now() - t < 3000) { for (const f of files) { validateRecord(isoToRecord(f, ctx).record); n++; } }
  const c = process.cpuUsage(c0);
  console.log(dir, 'map+validate records/s: cpu', Math.round(n / ((c.user + c.system) / 1e6)), 'wall', Math.round(n / (performance.now() - t) * 1000));
}
