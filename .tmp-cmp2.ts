import { parseXml } from './mappings/xml.js';
import { readFileSync } from 'node:fs';
const x = readFileSync('/work/shared/fixtures/iso19115-3/owslib-metawal.wallonie.be-catchments.xml', 'utf8');
const a = (parseXml(x).root as any).identificationInfo.MD_DataIdentification.abstract.CharacterString as string;
const b = (parseXml(x, { engine: 'fxp' }).root as any).identificationInfo.MD_DataIdentification.abstract.CharacterString as string;
let i = 0; while (a[i] === b[i]) i++;
console.log(i, JSON.stringify(a.slice(i - 20, i + 40)), JSON.stringify(b.slice(i - 20, i + 40)));
