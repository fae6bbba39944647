import { isoToRecord } from './mappings/iso/index.js';
import { readFileSync } from 'node:fs';
console.log(JSON.stringify(isoToRecord(readFileSync('test/fixtures/iso/standards-coverage.xml', 'utf8'), { source: 's', harvestedAt: '2025-01-01T00:00:00Z' }), null, 1));
