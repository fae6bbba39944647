import { isoToRecord } from './mappings/iso/index.js';
import { readFileSync, readdirSync } from 'node:fs';
for (const f of readdirSync('test/fixtures/iso')) {
  try { const r = isoToRecord(readFileSync('test/fixtures/iso/' + f, 'utf8'), { source: 's', harvestedAt: '2025-01-01T00:00:00Z' }); console.log(f, JSON.stringify(r, null, 0).slice(0, 2500)); }
  catch (e: any) { console.log(f, e.constructor.name, e.stage, e.skip, e.message); }
}
