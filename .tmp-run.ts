import { isoToRecord } from './mappings/iso/index.js';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
for (const dir of ['iso19139', 'iso19115-3']) for (const f of readdirSync('/work/shared/fixtures/' + dir)) {
  try {
    const r = isoToRecord(readFileSync(`/work/shared/fixtures/${dir}/${f}`, 'utf8'), { source: 'test', harvestedAt: '2025-01-01T00:00:00Z' });
    writeFileSync('/tmp/out/' + f + '.json', JSON.stringify(r, null, 1));
    console.log(f, 'OK', r.warnings.length, r.warnings.slice(0, 3).join(' | '));
  } catch (e) { console.log(f, 'ERR', (e as Error).message); }
}
