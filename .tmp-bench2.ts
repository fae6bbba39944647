import { isoToRecord } from './mappings/iso/index.js';
import { parseXml } from './mappings/xml.js';
import { readFileSync, readdirSync } from 'node:fs';
const ctx = { source: 'bench', harvestedAt: '2025-01-01T00:00:00Z' };
for (const dir of ['iso19139', 'iso19115-3']) {
  const files = readdirSync('/work/shared/fixtures/' + dir).map((f) => readFileSync(`/work/shared/fixtures/${dir}/${f}`, 'utf8'));
  for (const [name, fn] of [['parse', (x: string) => parseXml(x)], ['isoToRecord', (x: string) => isoToRecord(x, ctx)]] as const) {
    for (const f of files) fn(f);
    const c0 = process.cpuUsage(); const t = performance.now(); let n = 0;
    while (performance.now() - t < 2500) { for (const f of files) { fn(f); n++; } }
    const c = process.cpuUsage(c0);
    console.log(dir, name, 'records/s cpu', Math.round(n / ((c.user + c.system) / 1e6)), 'wall', Math.round(n / (performance.now() - t) * 1000));
  }
}
