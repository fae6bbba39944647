import { XMLParser } from 'fast-xml-parser';
import { readFileSync, readdirSync } from 'node:fs';
const dir = '/work/shared/fixtures/iso19139/'; const files = readdirSync(dir).map(f => readFileSync(dir + f, 'utf8'));
const base = { ignoreAttributes: false, attributeNamePrefix: '@', removeNSPrefix: true, processEntities: false, htmlEntities: false, parseTagValue: false, parseAttributeValue: false, trimValues: true, ignoreDeclaration: true, ignorePiTags: true };
for (const [name, o] of Object.entries({ base, jpathfalse: { ...base, jPath: false }, noattrs: { ...base, ignoreAttributes: true }, nons: { ...base, removeNSPrefix: false }, min: { processEntities: false }, minJ: { processEntities: false, jPath: false, parseTagValue: false } } as Record<string, object>)) {
  const p = new XMLParser(o as any);
  for (const f of files) p.parse(f);
  const t = performance.now(); let n = 0;
  for (let i = 0; i < 20; i++) for (const f of files) { p.parse(f); n++; }
  console.log(name, 'parse/s', Math.round(n / (performance.now() - t) * 1000));
}
