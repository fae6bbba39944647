/**
 * ISO 19115-2 / 19115-3 acquisition information (platforms and their instruments) and processing levels (the
 * identification's processingLevel, 19115-2 content information's processingLevelCode).
 */
import type { HubRecord } from '../../schemas/record.js';
import { unique } from '../../core/json.js';
import { all, first, ownText, text, textAt, type XNode } from '../../core/xml.js';

/** What names a platform or an instrument: its identifier code, else its type, else its description. */
function nameOf(n: XNode): string | undefined {
  const id = first(n, 'identifier');
  return (
    (id !== undefined ? (ownText(id) ?? textAt(id, '*', 'code') ?? text(id)) : undefined) ?? textAt(n, 'type') ?? textAt(n, 'description')
  );
}

/** Platforms, instruments (on a platform or on their own) and processing levels, each once. */
export function readAcquisition(md: XNode, ident: XNode): Pick<HubRecord, 'platform' | 'instrument' | 'processingLevel'> {
  const platform: string[] = [];
  const instrument: string[] = [];
  const push = (list: string[], v: string | undefined): void => {
    if (v) list.push(v);
  };
  for (const acq of all(md, 'acquisitionInformation', '*')) {
    for (const p of all(acq, 'platform', '*')) {
      push(platform, nameOf(p));
      for (const i of all(p, 'instrument', '*')) push(instrument, nameOf(i));
    }
    for (const i of all(acq, 'instrument', '*')) push(instrument, nameOf(i));
  }
  const levels = [...all(ident, 'processingLevel', '*', 'code'), ...all(md, 'contentInfo', '*', 'processingLevelCode', '*', 'code')];
  const processingLevel: string[] = [];
  for (const n of levels) push(processingLevel, text(n));
  return { platform: unique(platform), instrument: unique(instrument), processingLevel: unique(processingLevel) };
}
