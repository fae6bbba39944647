import { parseXml } from './mappings/xml.js';
import { readFileSync, readdirSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
const files: [string, string][] = [];
for (const dir of ['iso19139', 'iso19115-3', 'csw']) for (const f of readdirSync('/work/shared/fixtures/' + dir)) files.push([f, readFileSync(`/work/shared/fixtures/${dir}/${f}`, 'utf8')]);
function diff(a: any, b: any, p: string): string | undefined {
  if (typeof a !== typeof b || Array.isArray(a) !== Array.isArray(b)) return `${p}: ${JSON.stringify(a)?.slice(0, 100)} vs ${JSON.stringify(b)?.slice(0, 100)}`;
  if (typeof a !== 'object') return a === b ? undefined : `${p}: ${JSON.stringify(a).slice(0, 100)} vs ${JSON.stringify(b).slice(0, 100)}`;
  const ka = Object.keys(a), kb = Object.keys(b);
  for (const k of new Set([...ka, ...kb])) { const d = diff(a[k], b[k], p + '/' + k); if (d) return d; }
  return undefined;
}
for (const [f, x] of files) {
  const a = JSON.parse(JSON.stringify(parseXml(x).root)), b = JSON.parse(JSON.stringify(parseXml(x, { engine: 'fxp' }).root));
  console.log(f, isDeepStrictEqual(a, b) ? 'same' : 'DIFF ' + diff(a, b, ''));
}
const all = files.map(f => f[1]);
for (const engine of ['fast', 'fxp'] as const) {
  const t = performance.now(); let n = 0;
  while (performance.now() - t < 2000) for (const f of all.slice(0, 30)) { parseXml(f, { engine }); n++; }
  console.log(engine, Math.round(n / (performance.now() - t) * 1000), '/s');
}
