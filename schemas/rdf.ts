/**
 * The RDF graph of one record (the resource and its dcat:CatalogRecord), as n3 quads, made directly from the compact
 * record by reading schemas/context.jsonld: the same graph jsonld.js gives for `withContext(record)` (expansion then
 * toRDF), without jsonld.js's generic machinery. test/schemas/rdf.test.ts proves the two isomorphic on every record
 * of every fixture family, and measures both (scripts/bench/rdf.ts measures them at export scale).
 *
 * The context is compiled once into a table of terms: each term's property IRI, whether it is a reverse property,
 * its type coercion (@id or a datatype) and its container (@language, @set). The conversion then follows the
 * JSON-LD 1.1 expansion and RDF-conversion rules for the constructs the record uses, exactly as jsonld.js applies
 * them:
 * - a node object is its `@id` (expanded as an IRI: a compact IRI `prefix:suffix` whose prefix is a context prefix is
 *   expanded, anything else is taken as an absolute IRI) or a fresh blank node; `@type` values are expanded against
 *   the terms and prefixes;
 * - a language map gives one literal per value, its tag lowercased (`@none`: no tag);
 * - a value object `{ "@value", "@type" }` gives a typed literal (`@language`: a tagged one);
 * - a string of an `@id`-coerced term is an IRI; of a datatype-coerced term a literal of that type; else xsd:string;
 * - a number is written as jsonld.js writes it: a number whose JS text has a '.' (or from 1e21, or coerced to
 *   xsd:double) in the canonical xsd:double form `5.0E-1` (xsd:double unless coerced), any other as integer digits
 *   (xsd:integer unless coerced: 1e-7 becomes "0", which is why decimals are strings in the record); true/false.
 *
 * Anything a JSON-LD processor in safe mode would refuse (a key the context does not define, a relative IRI) throws:
 * a validated record never has one.
 *
 * Blank nodes are n3's fresh ones (`n3-<counter>`), unique in the process, so that the quads of many records can be
 * written into one document without merging their blank nodes.
 */
import { DataFactory, Writer } from 'n3';
import type { BlankNode, Literal, NamedNode, Quad } from '@rdfjs/types';
import { recordContext } from './paths.js';
import type { HubRecord } from './record.js';

const namedNode = (iri: string): NamedNode => DataFactory.namedNode(iri);
const blankNode = (): BlankNode => DataFactory.blankNode();
const literal = (value: string, langOrType: string | NamedNode): Literal => DataFactory.literal(value, langOrType);
const quad = (s: NamedNode | BlankNode, p: NamedNode, o: NamedNode | BlankNode | Literal): Quad => DataFactory.quad(s, p, o);

export const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const XSD = 'http://www.w3.org/2001/XMLSchema#';
const XSD_STRING = XSD + 'string';
const XSD_INTEGER = XSD + 'integer';
const XSD_DOUBLE = XSD + 'double';
const XSD_BOOLEAN = XSD + 'boolean';

interface TermDef {
  /** The property as an RDF term (shared: n3 terms are immutable). */
  predicate: NamedNode;
  reverse: boolean;
  /** '@id': strings are IRIs; another IRI: strings and numbers are literals of that datatype. */
  coerce?: string;
  /** Datatype term of a datatype coercion. */
  datatype?: NamedNode;
  language: boolean;
}

interface Compiled {
  terms: Map<string, TermDef>;
  /** Terms that are prefixes (their IRI ends with a gen-delim character), to expand compact IRIs. */
  prefixes: Map<string, string>;
  /** IRIs of the terms, for @type values and datatypes (vocabulary-relative expansion). */
  vocab: Map<string, string>;
}

const GEN_DELIM = /[:/?#[\]@]$/;

/** Expands a compact IRI `prefix:suffix` with the context's prefixes; anything else is returned as it is. */
function expandCompact(value: string, prefixes: Map<string, string>): string {
  const colon = value.indexOf(':');
  if (colon <= 0) return value;
  const suffix = value.slice(colon + 1);
  if (suffix.startsWith('//')) return value;
  const ns = prefixes.get(value.slice(0, colon));
  return ns === undefined ? value : ns + suffix;
}

function compile(ctx: Record<string, unknown>): Compiled {
  const prefixes = new Map<string, string>();
  const vocab = new Map<string, string>();
  // prefixes first: term definitions use them
  for (const [term, def] of Object.entries(ctx)) {
    if (typeof def === 'string' && GEN_DELIM.test(def) && !term.startsWith('@')) {
      prefixes.set(term, def);
    }
  }
  const terms = new Map<string, TermDef>();
  for (const [term, def] of Object.entries(ctx)) {
    if (term.startsWith('@')) continue;
    if (typeof def === 'string') {
      const iri = expandCompact(def, prefixes);
      vocab.set(term, iri);
      terms.set(term, { predicate: namedNode(iri), reverse: false, language: false });
      continue;
    }
    const d = def as { '@id'?: string; '@reverse'?: string; '@type'?: string; '@container'?: string };
    const reverse = d['@reverse'] !== undefined;
    const iri = expandCompact((reverse ? d['@reverse'] : d['@id']) ?? '', prefixes);
    if (!iri) throw new Error(`context term ${term} has no IRI`);
    vocab.set(term, iri);
    const coerce = d['@type'] === undefined ? undefined : d['@type'] === '@id' ? '@id' : expandCompact(d['@type'], prefixes);
    terms.set(term, {
      predicate: namedNode(iri),
      reverse,
      ...(coerce !== undefined ? { coerce } : {}),
      ...(coerce !== undefined && coerce !== '@id' ? { datatype: namedNode(coerce) } : {}),
      language: d['@container'] === '@language',
    });
  }
  return { terms, prefixes, vocab };
}

let compiled: Compiled | undefined;
function context(): Compiled {
  compiled ??= compile(recordContext());
  return compiled;
}

/** Named nodes of the IRIs seen most often (types, datatypes, vocabulary IRIs), shared between records. */
const NODE_CACHE = new Map<string, NamedNode>();
const CACHE_LIMIT = 50_000;
function cachedNode(iri: string): NamedNode {
  let n = NODE_CACHE.get(iri);
  if (n === undefined) {
    n = namedNode(iri);
    if (NODE_CACHE.size < CACHE_LIMIT) NODE_CACHE.set(iri, n);
  }
  return n;
}

const ABSOLUTE = /^[A-Za-z][A-Za-z0-9+.-]*:/;

/** An IRI value (@id, an @id-coerced string): a compact IRI of a context prefix expanded, else absolute as it is. */
function iriNode(value: string, c: Compiled): NamedNode {
  const iri = expandCompact(value, c.prefixes);
  if (!ABSOLUTE.test(iri)) throw new Error(`relative IRI "${value}": a record's IRIs are absolute`);
  return namedNode(iri);
}

/** A type or datatype (vocabulary-relative: a term, a compact IRI or an absolute IRI). */
function vocabNode(value: string, c: Compiled): NamedNode {
  const iri = c.vocab.get(value) ?? expandCompact(value, c.prefixes);
  if (!ABSOLUTE.test(iri)) throw new Error(`relative type IRI "${value}"`);
  return cachedNode(iri);
}

/** jsonld.js's lexical form of a number: digits for an integer, the canonical xsd:double form otherwise. */
function numberLiteral(n: number, datatype: NamedNode | undefined): Literal {
  // jsonld.js: a number with a '.' in its JS text, or from 1e21, or typed xsd:double, in the canonical double form
  const isDouble = String(n).includes('.') || Math.abs(n) >= 1e21 || datatype?.value === XSD_DOUBLE;
  if (isDouble) return literal(n.toExponential(15).replace(/(\d)0*e\+?/, '$1E'), datatype ?? cachedNode(XSD_DOUBLE));
  return literal(n.toFixed(0), datatype ?? cachedNode(XSD_INTEGER));
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Subject = NamedNode | BlankNode;
type Emit = (q: Quad) => void;

/** The subject of a node object, after emitting its triples. */
function nodeObject(node: { [k: string]: Json }, c: Compiled, emit: Emit): Subject {
  const id = node['@id'];
  const subject: Subject = typeof id === 'string' ? iriNode(id, c) : blankNode();
  for (const key in node) {
    const value = node[key];
    if (value === null || value === undefined) continue;
    if (key === '@id' || key === '@context') continue;
    if (key === '@type') {
      const rdfType = cachedNode(RDF_TYPE);
      for (const t of Array.isArray(value) ? value : [value]) {
        if (typeof t !== 'string') throw new Error('@type values are IRIs');
        emit(quad(subject, rdfType, vocabNode(t, c)));
      }
      continue;
    }
    const def = c.terms.get(key);
    if (def === undefined) throw new Error(`"${key}" is not a term of the record context`);
    if (def.reverse) {
      for (const v of Array.isArray(value) ? value : [value]) {
        if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error(`@reverse "${key}" needs node objects`);
        emit(quad(nodeObject(v, c, emit), def.predicate, subject));
      }
      continue;
    }
    if (def.language && typeof value === 'object' && !Array.isArray(value)) {
      for (const lang in value) {
        const texts = value[lang];
        const tag = lang === '@none' ? undefined : lang.toLowerCase();
        for (const t of Array.isArray(texts) ? texts : [texts]) {
          if (t === null) continue;
          if (typeof t !== 'string') throw new Error(`language map "${key}" holds a non-string`);
          emit(quad(subject, def.predicate, tag === undefined ? literal(t, cachedNode(XSD_STRING)) : literal(t, tag)));
        }
      }
      continue;
    }
    objects(subject, def, value, c, emit);
  }
  return subject;
}

/** Emits `subject predicate object` for each value of a (non-reverse, non-language) term. */
function objects(subject: Subject, def: TermDef, value: Json, c: Compiled, emit: Emit): void {
  if (Array.isArray(value)) {
    for (const v of value) if (v !== null) objects(subject, def, v, c, emit);
    return;
  }
  switch (typeof value) {
    case 'string':
      if (def.coerce === '@id') emit(quad(subject, def.predicate, iriNode(value, c)));
      else emit(quad(subject, def.predicate, literal(value, def.datatype ?? cachedNode(XSD_STRING))));
      return;
    case 'number':
      emit(quad(subject, def.predicate, numberLiteral(value, def.datatype)));
      return;
    case 'boolean':
      emit(quad(subject, def.predicate, literal(String(value), def.datatype ?? cachedNode(XSD_BOOLEAN))));
      return;
    case 'object': {
      if (value === null) return;
      if ('@value' in value) {
        emit(quad(subject, def.predicate, valueObject(value, c)));
        return;
      }
      emit(quad(subject, def.predicate, nodeObject(value, c, emit)));
      return;
    }
    default:
      throw new Error(`unexpected ${typeof value} value`);
  }
}

function valueObject(value: { [k: string]: Json }, c: Compiled): Literal {
  const v = value['@value'];
  const type = value['@type'];
  const lang = value['@language'];
  const datatype = typeof type === 'string' ? vocabNode(type, c) : undefined;
  if (typeof v === 'number') return numberLiteral(v, datatype);
  if (typeof v === 'boolean') return literal(String(v), datatype ?? cachedNode(XSD_BOOLEAN));
  if (typeof v !== 'string') throw new Error('@value must be a string, a number or a boolean');
  if (typeof lang === 'string' && datatype === undefined) return literal(v, lang.toLowerCase());
  return literal(v, datatype ?? cachedNode(XSD_STRING));
}

/**
 * Emits the quads of a record's graph one by one (for a writer that streams them): the resource, every node it
 * holds, and its dcat:CatalogRecord (`isPrimaryTopicOf`, the reverse of foaf:primaryTopic). Throws on a key the
 * context does not define or a relative IRI (what jsonld.js in safe mode refuses).
 */
export function emitRecordQuads(record: HubRecord, emit: Emit): NamedNode {
  return nodeObject(record as unknown as { [k: string]: Json }, context(), emit) as NamedNode;
}

const PRIMARY_TOPIC = 'http://xmlns.com/foaf/0.1/primaryTopic';

/** A record's graph with its two main nodes: the resource (dataset, series, service) and its dcat:CatalogRecord. */
export interface RecordGraph {
  quads: Quad[];
  resource: NamedNode;
  /** A blank node unless the record gives `isPrimaryTopicOf` an `@id`. */
  catalogRecord: NamedNode | BlankNode | undefined;
}

/** The quads of a record's graph, with the resource and its catalogue record (for dcat:dataset and dcat:record links). */
export function recordGraph(record: HubRecord): RecordGraph {
  const quads: Quad[] = [];
  const resource = emitRecordQuads(record, (q) => quads.push(q));
  const link = quads.find((q) => q.predicate.value === PRIMARY_TOPIC && q.object.equals(resource));
  return { quads, resource, catalogRecord: link?.subject as NamedNode | BlankNode | undefined };
}

/** The quads of a record's graph (see emitRecordQuads). */
export function recordQuads(record: HubRecord): Quad[] {
  const out: Quad[] = [];
  emitRecordQuads(record, (q) => out.push(q));
  return out;
}

/** The record's graph as N-Triples text (one triple per line; blank nodes unique in the process). */
export function recordNTriples(record: HubRecord): string {
  return new Writer({ format: 'N-Triples' }).quadsToString(recordQuads(record));
}
