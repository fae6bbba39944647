/**
 * Where the flavours differ: 19139 (gmd, and 19115-2 in its encoding) and 19115-3 (mdb) keep the record identifier,
 * the languages, the scope, the date stamp, the parent and the lineage in different places. Everything else is read
 * by local names shared by both encodings.
 */
import { all, attr, codeValue, first, textAt, type XNode } from '../../core/xml.js';
import type { IsoFlavour } from './flavour.js';

export interface Dialect {
  fileIdentifier(md: XNode): string | undefined;
  metadataLanguage(md: XNode): string | undefined;
  locales(md: XNode): XNode[];
  scopes(md: XNode): string[];
  dateStamp(md: XNode): string | undefined;
  parent(md: XNode): string | undefined;
  lineage(md: XNode): XNode[];
  resourceLanguages(ident: XNode): string[];
}

const codes = (nodes: XNode[]): string[] => nodes.map(codeValue).filter((c): c is string => !!c);

const DIALECT_19139: Dialect = {
  fileIdentifier: (md) => textAt(md, 'fileIdentifier'),
  metadataLanguage: (md) => codeValue(first(md, 'language')),
  locales: (md) => all(md, 'locale', '*'),
  scopes: (md) => codes(all(md, 'hierarchyLevel')),
  dateStamp: (md) => textAt(md, 'dateStamp'),
  parent: (md) => textAt(md, 'parentIdentifier') ?? attr(first(md, 'parentIdentifier'), 'uuidref'),
  lineage: (md) => all(md, 'dataQualityInfo', '*', 'lineage', '*', 'statement'),
  resourceLanguages: (ident) => codes(all(ident, 'language')),
};

const DIALECT_19115_3: Dialect = {
  fileIdentifier: (md) => textAt(md, 'metadataIdentifier', '*', 'code'),
  metadataLanguage: (md) => codeValue(first(md, 'defaultLocale', '*', 'language')),
  locales: (md) => [...all(md, 'defaultLocale', '*'), ...all(md, 'otherLocale', '*')],
  scopes: (md) => codes(all(md, 'metadataScope', '*', 'resourceScope')),
  dateStamp: (md) => {
    // The latest revision date of the record, else its creation date.
    let best: string | undefined;
    let creation: string | undefined;
    for (const d of all(md, 'dateInfo', '*')) {
      const type = codeValue(first(d, 'dateType'));
      const value = textAt(d, 'date');
      if (!value) continue;
      if (type === 'revision' || type === 'lastUpdate' || type === 'lastRevision') {
        if (!best || value > best) best = value;
      } else if (type === 'creation') creation ??= value;
    }
    return best ?? creation;
  },
  parent: (md) => {
    const pm = first(md, 'parentMetadata');
    return attr(pm, 'uuidref') ?? textAt(pm, '*', 'identifier', '*', 'code');
  },
  lineage: (md) => [...all(md, 'resourceLineage', '*', 'statement'), ...all(md, 'dataQualityInfo', '*', 'lineage', '*', 'statement')],
  resourceLanguages: (ident) => [
    ...codes(all(ident, 'defaultLocale', '*', 'language')),
    ...codes(all(ident, 'otherLocale', '*', 'language')),
  ],
};

export const DIALECTS: Record<IsoFlavour, Dialect> = {
  iso19139: DIALECT_19139,
  'iso19115-2': DIALECT_19139,
  'iso19115-3': DIALECT_19115_3,
};
