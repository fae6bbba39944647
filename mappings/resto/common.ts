/** What the resto crosswalks share: texts, the catalog record, an organisation as an agent. Pure. */
import { contentHash } from '../../core/json.js';
import type { Agent, CatalogRecord, DateLiteral, LangMap } from '../../schemas/record.js';
import { catalogRecord, organisationAgent } from '../common.js';

export interface RestoContext {
  /** Source id (configured name). */
  source: string;
  /** ISO dateTime of the harvest run. */
  harvestedAt: string;
  /** Where the record came from. */
  sourceUrl?: string;
  /** For a product: its collection's name. */
  collection?: string;
}

/** A trimmed non-empty text, else undefined (resto writes null and "" for absent values). */
export function textOf(v: unknown): string | undefined {
  if (typeof v === 'number') return String(v);
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/** A language map of one text (the catalogue's language is not said: `@none`). */
export function noneMap(v: unknown): LangMap | undefined {
  const t = textOf(v);
  return t ? { '@none': t } : undefined;
}

/** A text without its HTML markup (resto descriptions embed links). */
export function plain(v: unknown): string | undefined {
  const t = textOf(v);
  return t
    ?.replace(/<[^>]*>/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** An organisation named by a text. */
export function organisation(name: unknown): Agent | undefined {
  const n = textOf(name);
  return n ? organisationAgent({ '@none': n }, {}) : undefined;
}

/** The catalog record of a resto record. */
export function restoCatalogRecord(
  identifier: string,
  format: 'resto-collection' | 'resto-product' | 'opensearch-entry',
  body: unknown,
  ctx: RestoContext,
  modified?: DateLiteral,
): CatalogRecord {
  return catalogRecord({
    identifier,
    ...(modified ? { modified } : {}),
    sourceId: ctx.source,
    sourceFormat: format,
    ...(ctx.sourceUrl ? { sourceUrl: ctx.sourceUrl } : {}),
    harvestedAt: { '@value': ctx.harvestedAt, '@type': 'xsd:dateTime' },
    contentHash: contentHash(body),
  });
}
