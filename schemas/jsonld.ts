/**
 * JSON-LD views of a normalised record, with jsonld.js and a LOCAL document loader: the record context
 * (CONTEXT_URL) is read from schemas/context.jsonld and every other URL is refused, so nothing ever goes to the network.
 *
 * Expansion runs in jsonld.js "safe mode": a key the context does not define, a relative IRI or any other lossy
 * construct throws instead of being silently dropped.
 *
 * The record is itself DCAT-AP 3.0.1 JSON-LD (schemas/record.ts says how): its RDF needs no view. The fast RDF of a
 * record is schemas/rdf.ts (recordQuads), proved equal to jsonld.js's.
 */
import type { JsonLdDocument, Options } from 'jsonld';
import type { JsonLdArray } from 'jsonld/jsonld-spec.js';
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
  return { '@context': recordContext(), ...rest };
}

let contextJson: string | undefined;

/**
 * `JSON.stringify(withContext(record))`, byte for byte, for a line of NDJSON: the context's JSON text is written once
 * and reused, and the record is not copied (a line of `harvester map` is two thirds record, one third context).
 */
export function recordJson(record: HubRecord): string {
  if (record['@context'] !== undefined) return JSON.stringify(withContext(record));
  contextJson ??= JSON.stringify(recordContext());
  const body = JSON.stringify(record);
  return body === '{}' ? `{"@context":${contextJson}}` : `{"@context":${contextJson},${body.slice(1)}`;
}

/** The record with `@context` the context URL (resolved by the local loader). */
function rdfInput(record: HubRecord): JsonLdDocument {
  const { '@context': _old, ...rest } = record;
  return { '@context': CONTEXT_URL, ...rest };
}

/** Expanded JSON-LD (full IRIs) of the record. Throws on a key or value the context cannot map (safe mode). */
export async function expandRecord(record: HubRecord): Promise<JsonLdArray> {
  // jsonld.js loads when a record is first expanded: `harvester map` and `validate` write records without it
  const jsonld = (await import('jsonld')).default;
  return jsonld.expand(rdfInput(record), OPTIONS as unknown as Options.Expand);
}
