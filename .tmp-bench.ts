import { isoToRecord } from './mappings/iso/index.js';
import { parseXml } from './mappings/xml.js';
import { readFileSync, readdirSync } from 'node:fs';
const files: string[] = [];
for (const dir of ['iso19139', 'iso19115-3']) for (const f of readdirSync('/work/shared/fixtures/' + dir)) files.push(readFileSync(`/work/shared/fixtures/${dir}/${f}`, 'utf8'));
const ctx = { source: 'bench', harvestedAt: '2025-01-01T00:00:00Z' };
function bench(name: string, fn: (x: string) => unknown) {
  for (const f of files) fn(f);
  const c0 = process.cpuUsage(); const t = performance.now(); let n = 0;
  while (performance.now() - t < 3000) { for (const f of files) { fn(f); n++; } }
  const c = process.cpuUsage(c0); const cpu = (c.user + c.system) / 1e6;
  console.log(name, 'records/s (cpu time)', Math.round(n / cpu), 'wall', Math.round(n / (performance.now() - t) * 1000), 'n', n);
}
bench('parse fast', (x) => parseXml(x));
bench('parse fxp', (x) => parseXml(x, { engine: 'fxp' }));
bench('isoToRecord', (x) => isoToRecord(x, ctx));
