/**
 * JSON-LD views of a normalised record, with jsonld.js and a LOCAL document loader: the record context
 * (CONTEXT_URL) is read from schemas/context.jsonld and every other URL is refused, so nothing ever goes to the network.
 *
 * Expansion and RDF conversion run in jsonld.js "safe mode": a key the context does not define, a relative IRI or
 * any other lossy construct throws instead of being silently dropped.
 */
import jsonld from 'jsonld';
import type { JsonLdDocument } from 'jsonld';
import { CONTEXT_URL, recordContext } from './paths.js';
import type { HubRecord } from './record.js';

type RemoteDocument = { contextUrl: null; documentUrl: string; document: unknown };

/** The only loader jsonld.js gets: the local context for CONTEXT_URL, an error for anything else. */
export async function localDocumentLoader(url: string): Promise<RemoteDocument> {
  if (url === CONTEXT_URL) return { contextUrl: null, documentUrl: url, document: { '@context': recordContext() } };
  throw new Error(`refusing to load ${url}: only ${CONTEXT_URL} is served, from schemas/context.jsonld (no network)`);
}

const OPTIONS = { documentLoader: localDocumentLoader, safe: true } as const;

/** The record with the inline `@context` object first (for NDJSON and files read by generic JSON-LD tools). */
export function withContext(record: HubRecord): HubRecord {
  const { '@context': _old, ...rest } = record;
  return { '@context': recordContext(), ...rest } as HubRecord;
}

/** The record with `@context` the context URL (resolved by the local loader). */
function withContextUrl(record: HubRecord): JsonLdDocument {
  const { '@context': _old, ...rest } = record;
  return { '@context': CONTEXT_URL, ...rest } as JsonLdDocument;
}

/** Expanded JSON-LD (full IRIs). Throws on a key or value the context cannot map (safe mode). */
export async function expandRecord(record: HubRecord): Promise<jsonld.JsonLdArray> {
  return jsonld.expand(withContextUrl(record), OPTIONS as jsonld.Options.Expand);
}

/** The record as N-Quads (one triple per line, blank nodes for the nested nodes without @id). */
export async function toNQuads(record: HubRecord): Promise<string> {
  const out = await jsonld.toRDF(withContextUrl(record), {
    ...OPTIONS,
    format: 'application/n-quads',
  } as jsonld.Options.ToRdf);
  return out as string;
}
