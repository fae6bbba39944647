/** The dcat:CatalogRecord (isPrimaryTopicOf) of a STAC document: where it came from, its version, its hash. Pure. */
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CatalogRecord, DateLiteral } from '../../schemas/record.js';
import { RecordError } from '../../core/result.js';
import { dateLiteral } from '../../core/vocab.js';
import { contentHash, str, type JsonObject } from '../../core/json.js';
import { catalogRecord } from '../common.js';
import type { StacContext, StacKind } from './types.js';
import { coded, type SourceWarning } from '../../core/warnings.js';

const SPEC_PATH: Record<StacKind, string> = {
  'stac-collection': 'collection-spec/json-schema/collection.json',
  'stac-item': 'item-spec/json-schema/item.json',
};

/**
 * The JSON Schema IRI of the STAC version a document declares, e.g. "1.1.0" →
 * https://schemas.stacspec.org/v1.1.0/collection-spec/json-schema/collection.json. undefined for a value that is not a
 * version ("1.0.0-rc.2" and "1.1.0-beta.1" are versions).
 */
export function stacSpecIri(version: string | undefined, kind: StacKind): string | undefined {
  const v = version?.trim().replace(/^v/i, '');
  if (!v || !/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.]+)?$/.test(v)) return undefined;
  return `https://schemas.stacspec.org/v${v}/${SPEC_PATH[kind]}`;
}

/** The source location as an IRI: an http(s) or file: URL as given, an absolute path as a file: URL, else undefined. */
export function sourceIri(location: string | undefined): string | undefined {
  if (!location) return undefined;
  if (/^(https?|file):/i.test(location)) return location;
  return isAbsolute(location) ? pathToFileURL(location).href : undefined;
}

/** The catalogue record of a STAC document: its stac_version names the schema it conforms to. */
export function stacCatalogRecord(
  json: JsonObject,
  kind: StacKind,
  identifier: string,
  ctx: StacContext,
  meta: { modified?: DateLiteral; language?: string },
  warnings: SourceWarning[],
): CatalogRecord {
  const harvestedAt = dateLiteral(ctx.harvestedAt);
  if (!harvestedAt || harvestedAt['@type'] !== 'xsd:dateTime') {
    throw new RecordError('map', `harvestedAt must be an ISO date-time, got ${JSON.stringify(ctx.harvestedAt)}`);
  }
  const version = str(json.stac_version);
  const conformsTo = stacSpecIri(version, kind);
  if (!conformsTo)
    warnings.push(version ? coded('stac_version', 'stac.version.invalid', { version }) : coded('stac_version', 'stac.version.missing'));
  const sourceUrl = sourceIri(ctx.sourceUrl);
  return catalogRecord({
    identifier,
    modified: meta.modified,
    language: meta.language,
    conformsTo,
    sourceId: ctx.source,
    sourceFormat: kind,
    sourceUrl,
    harvestedAt,
    contentHash: contentHash(json),
  });
}
