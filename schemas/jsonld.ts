/**
 * JSON-LD views of a normalised record, with jsonld.js and a LOCAL document loader: the record context
 * (CONTEXT_URL) is read from schemas/context.jsonld and every other URL is refused, so nothing ever goes to the network.
 *
 * Expansion and RDF conversion run in jsonld.js "safe mode": a key the context does not define, a relative IRI or
 * any other lossy construct throws instead of being silently dropped.
 *
 * The RDF views (`dcatApView`, `expandRecord`, `toNQuads`) state a little more than the compact record, so that they
 * pass the DCAT-AP 3.0.1 SHACL range shapes, which check classes without any inference:
 * - a referenced IRI gets the class DCAT-AP gives the property's range (`accrualPeriodicity` → dct:Frequency,
 *   `language` → dct:LinguisticSystem, `conformsTo` → dct:Standard, ...); a resource type also gets its code as
 *   skos:prefLabel (a skos:Concept must have one). `servesDataset` is left untyped: typing it dcat:Dataset would make
 *   the referenced dataset a focus node of the Dataset shape, which fails unless that record is in the same graph;
 * - a skos:Concept with an IRI but no label (e.g. an ISO topic category) gets its notation, else the IRI's last
 *   segment, as skos:prefLabel (the Concept shape requires one);
 * - several spatialResolutionInMeters become the finest one (DCAT-AP allows at most one);
 * - a theme known only by its label (no concept IRI) is written as a dcat:keyword (DCAT-AP wants theme IRIs);
 * - foaf:Person / foaf:Organization are also foaf:Agent; vcard:Individual / vcard:Organization also vcard:Kind;
 * - a catalog record without `modified` (no date stamp in the source) gets its `harvestedAt` as dct:modified, which
 *   DCAT-AP requires (1..1) of a dcat:CatalogRecord;
 * - decimals (gsd, spatialResolutionInMeters) are written as decimal strings: jsonld.js would write a JSON number like
 *   0.5 as "5.0E-1"^^xsd:decimal, which is not a valid xsd:decimal.
 */
import { createHash } from 'node:crypto';
import jsonld from 'jsonld';
import type { JsonLdDocument } from 'jsonld';
import type { JsonLdArray } from 'jsonld/jsonld-spec.js';
import { CONTEXT_URL, recordContext } from './paths.js';
import type { HubRecord } from './record.js';

type RemoteDocument = { contextUrl: null; documentUrl: string; document: unknown };
type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

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

/** Class of the range DCAT-AP 3 gives each IRI-valued term (html_shacl_range.ttl). */
const RANGE_CLASS: Record<string, string> = {
  accrualPeriodicity: 'dct:Frequency',
  language: 'dct:LinguisticSystem',
  mediaType: 'dct:MediaType',
  conformsTo: 'dct:Standard',
  landingPage: 'foaf:Document',
  page: 'foaf:Document',
  resourceType: 'skos:Concept',
};
/** Super-classes the shapes expect (sh:class foaf:Agent, vcard:Kind). */
const SUPER_CLASS: Record<string, string> = {
  'foaf:Person': 'foaf:Agent',
  'foaf:Organization': 'foaf:Agent',
  'vcard:Individual': 'vcard:Kind',
  'vcard:Organization': 'vcard:Kind',
};
/** Terms typed xsd:decimal in the context whose values are JSON numbers. */
const DECIMAL_TERMS = new Set(['gsd', 'spatialResolutionInMeters']);

/** Last segment of an IRI path or fragment. */
function iriTail(iri: string): string {
  const m = /[/#]([^/#]+)\/?$/.exec(iri);
  return m ? decodeURIComponent(m[1]) : iri;
}

/** A number in xsd:decimal lexical form (no exponent). */
export function decimalLexical(n: number): string {
  const s = String(n);
  if (!/e/i.test(s)) return s;
  return n.toFixed(20).replace(/\.?0+$/, '');
}

function view(key: string | undefined, value: Json): Json {
  if (key === 'spatialResolutionInMeters' && Array.isArray(value) && value.length > 1) {
    // DCAT-AP allows one value: the finest resolution (the "minimum spatial separation") of those given.
    return decimalLexical(Math.min(...(value as number[])));
  }
  if (Array.isArray(value)) return value.map((v) => view(key, v));
  if (key === 'resourceType' && typeof value === 'string') {
    // A skos:Concept needs a skos:prefLabel (Concept shape): the code list value itself, e.g. "dataset".
    return { '@id': value, '@type': 'skos:Concept', prefLabel: { '@none': iriTail(value) } };
  }
  if (key !== undefined && typeof value === 'string' && RANGE_CLASS[key]) return { '@id': value, '@type': RANGE_CLASS[key] };
  if (key !== undefined && typeof value === 'number' && DECIMAL_TERMS.has(key)) return decimalLexical(value);
  if (value === null || typeof value !== 'object') return value;
  if ('@value' in value) return value; // a literal: left as is
  const out: { [k: string]: Json } = {};
  // A skos:Concept needs a skos:prefLabel: a code-list concept given by IRI (and notation) gets its code.
  if (value['@type'] === 'skos:Concept' && value.prefLabel === undefined && typeof value['@id'] === 'string') {
    out.prefLabel = { '@none': typeof value.notation === 'string' ? value.notation : iriTail(value['@id']) };
  }
  // DCAT-AP requires dct:modified on a catalog record: without a source date stamp, the harvest made this entry.
  if (key === 'isPrimaryTopicOf' && value.modified === undefined && value.harvestedAt !== undefined) {
    out.modified = value.harvestedAt;
  }
  for (const [k, v] of Object.entries(value)) {
    if (k === '@type' && typeof v === 'string' && SUPER_CLASS[v]) out[k] = [v, SUPER_CLASS[v]];
    else if (k === '@context' || k === '@type' || k === '@id') out[k] = v;
    else out[k] = view(k, v);
  }
  return out;
}

/**
 * DCAT-AP wants a theme to be a concept IRI: a term of a known vocabulary that the source names only by its label
 * (a GEMET keyword without Anchor) stays a theme in the record, for search and facets, and is a dcat:keyword here.
 */
function themesAsIris(record: HubRecord): HubRecord {
  const loose = record.theme?.filter((t) => t['@id'] === undefined) ?? [];
  if (loose.length === 0) return record;
  const keyword: Record<string, string[]> = { ...(record.keyword ?? {}) };
  for (const concept of loose) {
    for (const [lang, label] of Object.entries(concept.prefLabel ?? {})) {
      const words = keyword[lang] ?? [];
      if (!words.includes(label)) keyword[lang] = [...words, label];
    }
  }
  const theme = record.theme!.filter((t) => t['@id'] !== undefined);
  const { theme: _t, keyword: _k, ...rest } = record;
  return { ...rest, ...(theme.length ? { theme } : {}), ...(Object.keys(keyword).length ? { keyword } : {}) };
}

/** The record as DCAT-AP JSON-LD (without @context): the additions listed at the top of this file. */
export function dcatApView(record: HubRecord): Record<string, unknown> {
  const { '@context': _old, ...rest } = themesAsIris(record);
  return view(undefined, rest as unknown as Json) as Record<string, unknown>;
}

/** The DCAT-AP view with `@context` the context URL (resolved by the local loader). */
function rdfInput(record: HubRecord): JsonLdDocument {
  return { '@context': CONTEXT_URL, ...dcatApView(record) };
}

/** Expanded JSON-LD (full IRIs) of the DCAT-AP view. Throws on a key or value the context cannot map (safe mode). */
export async function expandRecord(record: HubRecord): Promise<JsonLdArray> {
  return jsonld.expand(rdfInput(record), OPTIONS as unknown as jsonld.Options.Expand);
}

/**
 * The DCAT-AP view as N-Quads (one triple per line, blank nodes for the nested nodes without @id). Blank nodes are
 * labelled `_:<8 hex of the sha1 of the record's N-Quads>b<n>` instead of jsonld.js's `_:b<n>`, so that the N-Quads of
 * many records can be concatenated into one file without merging their blank nodes.
 */
export async function toNQuads(record: HubRecord): Promise<string> {
  const out = (await jsonld.toRDF(rdfInput(record), {
    ...OPTIONS,
    format: 'application/n-quads',
  } as unknown as jsonld.Options.ToRdf)) as string;
  const prefix = '_:' + createHash('sha1').update(out).digest('hex').slice(0, 8) + 'b';
  // No named graphs: a blank node is either the subject (line start) or the object (just before the final " .");
  // a literal object always ends with a quote, a language tag or a datatype IRI, so it cannot match.
  return out.replace(/^_:b(\d+) /gm, `${prefix}$1 `).replace(/ _:b(\d+) \.$/gm, ` ${prefix}$1 .`);
}
