import { parseXml } from './mappings/xml.js';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
for (const dir of ['iso19139', 'iso19115-3']) {
const paths = new Map<string, Set<string>>();
function walk(node: any, p: string, file: string) {
  if (typeof node !== 'object' || node === null) return;
  for (const k of Object.keys(node)) { const v = node[k]; const arr = Array.isArray(v) ? v : [v]; const np = p + '/' + k; if (!paths.has(np)) paths.set(np, new Set()); paths.get(np)!.add(file); if (!k.startsWith('@') && !k.startsWith('#')) for (const x of arr) walk(x, np, file); }
}
for (const f of readdirSync('/work/shared/fixtures/' + dir)) { const doc = parseXml(readFileSync('/work/shared/fixtures/' + dir + '/' + f, 'utf8')); walk(doc.root, 'ROOT', f.replace(/^(owslib|pycsw-apiso)-/, '').slice(0, 12)); }
writeFileSync('/tmp/paths-' + dir + '.txt', [...paths.entries()].sort().map(([k, v]) => k.replace(/\/(gmd|gco):?/g, '/') + '  [' + (v.size > 3 ? v.size : [...v].join(',')) + ']').join('\n'));
}
