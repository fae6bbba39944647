/**
 * RDF reading, shared by the DCAT harvester (pages of a catalogue) and the DCAT crosswalk (a record of a CSW answer in
 * RDF/XML): a serialisation chosen from the Content-Type (else the file extension, else the first characters), parsed
 * into triples by a real parser, then indexed by subject so that one resource can be described on its own.
 *
 * - Turtle, N-Triples, N-Quads, TriG: n3 (synchronous);
 * - RDF/XML: rdfxml-streaming-parser, fed the whole text at once and read synchronously. A DOCTYPE that declares
 *   entities is refused before parsing (the parser would expand `<!ENTITY ...>` declarations: entities are never
 *   expanded in this project, see core/xml.ts);
 * - JSON-LD: jsonld.js with a LOCAL document loader only: a remote `@context` is read from the files the caller maps
 *   its URL to (`contexts`), never from the network; an unmapped one is an error naming it.
 *
 * A description (`describe`) is the resource as an expanded JSON-LD node object: `@id` (absent for a blank node),
 * `@type` (class IRIs), one key per predicate IRI with its values, each a literal `{ @value, @language?, @type? }`
 * or a node. Blank nodes are embedded; named nodes described in the same graph are embedded too (publisher,
 * distributions, concepts...), except resources that are records of their own (`stopAt`), to a bounded depth and never
 * in a cycle; `@reverse` holds the nodes pointing at the root by the `reverse` predicates (a catalog record's
 * foaf:primaryTopic). Values are sorted and blank node labels are dropped, so that the same graph, however
 * serialised, gives the same description (and so the same content hash).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as JsonLd from 'jsonld';
import type * as N3 from 'n3';
import type * as RdfXml from 'rdfxml-streaming-parser';
import { RecordError } from './result.js';
import { refuseEntityDeclarations } from './xml.js';

// The parsers are loaded on first use (they are CommonJS packages, so `require` loads them synchronously): a run that
// reads no RDF, such as `harvester map` of ISO files, does not pay their start-up (jsonld.js alone brings undici).
const require = createRequire(import.meta.url);

export const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const XSD_STRING = 'http://www.w3.org/2001/XMLSchema#string';
const RDF_LANG_STRING = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#langString';

/** The serialisations read. */
export type RdfSyntax = 'turtle' | 'ntriples' | 'nquads' | 'trig' | 'rdfxml' | 'jsonld';

/** Media types of each serialisation (the first is the one asked for). */
export const RDF_MEDIA_TYPES: Record<RdfSyntax, readonly string[]> = {
  turtle: ['text/turtle', 'application/x-turtle'],
  ntriples: ['application/n-triples', 'text/plain'],
  nquads: ['application/n-quads'],
  trig: ['application/trig'],
  rdfxml: ['application/rdf+xml', 'application/xml', 'text/xml'],
  jsonld: ['application/ld+json', 'application/json'],
};

/** The Accept header of a harvester of RDF: every serialisation read, RDF/XML and Turtle first. */
export const RDF_ACCEPT =
  'application/rdf+xml, text/turtle;q=0.95, application/ld+json;q=0.9, application/n-triples;q=0.9, application/n-quads;q=0.8, application/trig;q=0.8, application/xml;q=0.5, application/json;q=0.4, */*;q=0.1';

const EXTENSIONS: Record<string, RdfSyntax> = {
  ttl: 'turtle',
  turtle: 'turtle',
  nt: 'ntriples',
  nq: 'nquads',
  trig: 'trig',
  rdf: 'rdfxml',
  owl: 'rdfxml',
  xml: 'rdfxml',
  jsonld: 'jsonld',
  json: 'jsonld',
};

/**
 * The serialisation of a document: its Content-Type when that names one, else the extension of its URL or file, else
 * what its first characters say (`<` XML, `{` or `[` JSON-LD, `@prefix`/`PREFIX` Turtle, `<iri> <iri>` N-Triples).
 * Undefined when none of them says (HTML, plain text...).
 */
export function rdfSyntax(contentType: string | undefined, location?: string, text?: string): RdfSyntax | undefined {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type && type !== 'application/octet-stream' && type !== 'text/plain') {
    for (const [syntax, types] of Object.entries(RDF_MEDIA_TYPES) as [RdfSyntax, readonly string[]][]) {
      if (types.includes(type) && type !== 'text/plain') return syntax;
    }
    if (type.endsWith('+xml')) return 'rdfxml';
    if (type.endsWith('+json')) return 'jsonld';
  }
  const ext = /\.([a-z]+)(?:[?#].*)?$/i.exec(location ?? '')?.[1]?.toLowerCase();
  if (ext && EXTENSIONS[ext]) return EXTENSIONS[ext];
  const head = (text ?? '')
    .replace(/^\uFEFF/, '')
    .trimStart()
    .slice(0, 400);
  if (/^(<[^>\s]+>|_:\S+)\s+<[^>\s]+>\s+/.test(head)) return 'ntriples';
  if (head.startsWith('<?xml') || /^<[A-Za-z!]/.test(head)) return /^<!DOCTYPE\s+html|^<html/i.test(head) ? undefined : 'rdfxml';
  if (head.startsWith('{') || head.startsWith('[')) return 'jsonld';
  if (/^(@prefix|@base|PREFIX|BASE)\b/i.test(head)) return 'turtle';
  if (/^#/.test(head)) return 'turtle';
  return undefined;
}

/** An RDF term: an IRI, a blank node (`_:label`) or a literal. */
export type Term =
  | { kind: 'iri'; value: string }
  | { kind: 'blank'; value: string }
  | { kind: 'literal'; value: string; language?: string; datatype?: string };

export interface Triple {
  s: Term & { kind: 'iri' | 'blank' };
  p: string;
  o: Term;
}

/** The shape the three parsers give (RDF/JS terms). */
interface JsTerm {
  termType: string;
  value: string;
  language?: string;
  datatype?: { value: string };
}
interface JsQuad {
  subject: JsTerm;
  predicate: JsTerm;
  object: JsTerm;
}

function term(t: JsTerm): Term | undefined {
  switch (t.termType) {
    case 'NamedNode':
      return { kind: 'iri', value: t.value };
    case 'BlankNode':
      return { kind: 'blank', value: t.value };
    case 'Literal': {
      const datatype = t.datatype?.value;
      return {
        kind: 'literal',
        value: t.value,
        ...(t.language ? { language: t.language.toLowerCase() } : {}),
        ...(datatype && datatype !== XSD_STRING && datatype !== RDF_LANG_STRING ? { datatype } : {}),
      };
    }
    default:
      return undefined; // variables, quoted triples: not data
  }
}

function toTriples(quads: Iterable<JsQuad>): Triple[] {
  const out: Triple[] = [];
  for (const q of quads) {
    const s = term(q.subject);
    const o = term(q.object);
    if (!s || s.kind === 'literal' || !o || q.predicate.termType !== 'NamedNode') continue;
    out.push({ s, p: q.predicate.value, o });
  }
  return out;
}

interface CollectingParser {
  readonly quads: JsQuad[];
  failure?: Error;
  saxParser: { write(s: string): unknown; close(): unknown };
}
let collectingRdfXmlParser: (new (o: ConstructorParameters<typeof RdfXml.RdfXmlParser>[0]) => CollectingParser) | undefined;

/** An RDF/XML parser whose triples are collected as they come, so that a whole text is parsed synchronously. */
function rdfXmlParser(o: ConstructorParameters<typeof RdfXml.RdfXmlParser>[0]): CollectingParser {
  if (!collectingRdfXmlParser) {
    const { RdfXmlParser } = require('rdfxml-streaming-parser') as typeof RdfXml;
    collectingRdfXmlParser = class extends RdfXmlParser {
      readonly quads: JsQuad[] = [];
      failure?: Error;
      override push(chunk: unknown): boolean {
        if (chunk) this.quads.push(chunk as JsQuad);
        return true;
      }
      override emit(event: string | symbol, ...args: unknown[]): boolean {
        if (event === 'error') {
          this.failure ??= args[0] instanceof Error ? args[0] : new Error(String(args[0]));
          return true;
        }
        return super.emit(event, ...args);
      }
    } as unknown as new (o: ConstructorParameters<typeof RdfXml.RdfXmlParser>[0]) => CollectingParser;
  }
  return new collectingRdfXmlParser(o);
}

/** Parses a serialisation that can be read synchronously (all but JSON-LD). Throws RecordError('parse'). */
export function parseRdfSync(text: string, syntax: Exclude<RdfSyntax, 'jsonld'>, baseIri?: string): Triple[] {
  const what = { turtle: 'Turtle', ntriples: 'N-Triples', nquads: 'N-Quads', trig: 'TriG', rdfxml: 'RDF/XML' }[syntax];
  try {
    if (syntax === 'rdfxml') {
      refuseEntityDeclarations(text);
      // IRIs are not validated here: one malformed IRI (GeoNetwork writes some with spaces) would lose the whole page;
      // the record that holds it fails its own validation instead
      const parser = rdfXmlParser({ validateUri: false, ...(baseIri ? { baseIRI: baseIri } : {}) });
      // the SAX parser is fed directly: through the stream interface, errors and triples would come asynchronously
      const sax = parser.saxParser;
      sax.write(text.replace(/^\uFEFF/, ''));
      sax.close();
      if (parser.failure) throw parser.failure;
      return toTriples(parser.quads);
    }
    const format = { turtle: 'Turtle', ntriples: 'N-Triples', nquads: 'N-Quads', trig: 'TriG' }[syntax];
    const { Parser } = require('n3') as typeof N3;
    const parser = new Parser({ format, ...(baseIri ? { baseIRI: baseIri } : {}) });
    return toTriples(parser.parse(text));
  } catch (err) {
    if (err instanceof RecordError) throw err;
    throw new RecordError('parse', `not valid ${what}: ${(err as Error).message.split('\n')[0]}`, { cause: err });
  }
}

export interface ParseRdfOptions {
  /** Base IRI of relative IRIs (the document's URL). */
  baseIri?: string;
  /** JSON-LD: remote context URL -> local file holding it (the only contexts ever loaded). */
  contexts?: Readonly<Record<string, string>>;
}

/** A jsonld.js document loader that serves the mapped local files and refuses every other URL. */
export function localContextLoader(contexts: Readonly<Record<string, string>> = {}) {
  const cache = new Map<string, unknown>();
  return async (url: string): Promise<{ contextUrl: null; documentUrl: string; document: unknown }> => {
    const file = contexts[url];
    if (file === undefined)
      throw new Error(
        `the JSON-LD context ${url} is not loaded: contexts are never fetched; map its URL to a local copy (option "contexts")`,
      );
    let document = cache.get(url);
    if (document === undefined) {
      document = JSON.parse(readFileSync(file, 'utf8')) as unknown;
      cache.set(url, document);
    }
    return { contextUrl: null, documentUrl: url, document };
  };
}

/** Parses any serialisation into triples. Throws RecordError('parse') naming the serialisation and the fault. */
export async function parseRdf(text: string, syntax: RdfSyntax, o: ParseRdfOptions = {}): Promise<Triple[]> {
  if (syntax !== 'jsonld') return parseRdfSync(text, syntax, o.baseIri);
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new RecordError('parse', `not valid JSON-LD: not JSON (${(err as Error).message})`, { cause: err });
  }
  try {
    const jsonld = (await import('jsonld')).default;
    const quads = (await jsonld.toRDF(
      doc as JsonLd.JsonLdDocument,
      {
        documentLoader: localContextLoader(o.contexts),
        ...(o.baseIri ? { base: o.baseIri } : {}),
      } as unknown as JsonLd.Options.ToRdf,
    )) as unknown as JsQuad[];
    return toTriples(quads);
  } catch (err) {
    const e = err as Error & { details?: { cause?: Error } };
    const why = e.details?.cause?.message ?? e.message;
    throw new RecordError('parse', `not valid JSON-LD: ${why.split('\n')[0]}`, { cause: err });
  }
}

/** A literal value of a description. */
export interface RdfLiteral {
  '@value': string;
  '@language'?: string;
  /** Datatype IRI (absent for xsd:string and language-tagged strings). */
  '@type'?: string;
}

/** A resource as an expanded JSON-LD node object (see the file comment). */
export interface RdfNode {
  '@id'?: string;
  '@type'?: string[];
  '@reverse'?: Record<string, RdfNode[]>;
  [predicate: string]: RdfValue[] | string | string[] | Record<string, RdfNode[]> | undefined;
}
export type RdfValue = RdfNode | RdfLiteral;

export const isLiteral = (v: RdfValue): v is RdfLiteral => '@value' in v;

const keyOf = (t: Term): string => (t.kind === 'blank' ? `_:${t.value}` : t.value);

export interface DescribeOptions {
  /** Named resources embedded no deeper than this (blank nodes always are, within the same bound). Default 6. */
  maxDepth?: number;
  /** Classes of resources that are records of their own: referenced by IRI, never embedded below the root. */
  stopAt?: readonly string[];
  /** Predicates pointing at the root whose subjects are embedded under `@reverse` (e.g. foaf:primaryTopic). */
  reverse?: readonly string[];
}

/** Triples indexed by subject, for descriptions of one resource at a time. */
export class RdfGraph {
  private readonly bySubject = new Map<string, Triple[]>();
  private readonly byObject = new Map<string, Triple[]>();
  /** Subjects in the order they first appear. */
  readonly subjects: string[] = [];
  private readonly typeCache = new Map<string, string[]>();

  constructor(triples: readonly Triple[]) {
    // a graph is a set: the same triple stated again (a language, a licence, a publisher every record of a page
    // refers to and describes) is kept once, or describing each record would cost the size of the page
    const stated = new Set<string>();
    for (const t of triples) {
      const s = keyOf(t.s);
      const o = t.o;
      const id = `${s}\u0000${t.p}\u0000${o.kind === 'literal' ? `"${o.value}"@${o.language ?? ''}^${o.datatype ?? ''}` : keyOf(o)}`;
      if (stated.has(id)) continue;
      stated.add(id);
      let list = this.bySubject.get(s);
      if (!list) {
        list = [];
        this.bySubject.set(s, list);
        this.subjects.push(s);
      }
      list.push(t);
      if (t.o.kind !== 'literal') {
        const o = keyOf(t.o);
        const back = this.byObject.get(o);
        if (back) back.push(t);
        else this.byObject.set(o, [t]);
      }
    }
  }

  get size(): number {
    return this.subjects.length;
  }

  /** The triples about a subject (IRI, or `_:label`). */
  about(subject: string): readonly Triple[] {
    return this.bySubject.get(subject) ?? [];
  }

  /** The triples whose object is this resource. */
  pointingAt(resource: string): readonly Triple[] {
    return this.byObject.get(resource) ?? [];
  }

  /** The classes of a subject (computed once per subject, sorted, distinct). */
  types(subject: string): string[] {
    let types = this.typeCache.get(subject);
    if (types === undefined) {
      types = [
        ...new Set(
          this.about(subject)
            .filter((t) => t.p === RDF_TYPE && t.o.kind === 'iri')
            .map((t) => t.o.value),
        ),
      ].sort();
      this.typeCache.set(subject, types);
    }
    return types;
  }

  /** The subjects of a class, in document order. */
  ofType(cls: string): string[] {
    return this.subjects.filter((s) => this.types(s).includes(cls));
  }

  /** The values of one predicate of a subject. */
  objects(subject: string, predicate: string): Term[] {
    return this.about(subject)
      .filter((t) => t.p === predicate)
      .map((t) => t.o);
  }

  /** One resource as a nested, canonically ordered node (see the file comment). */
  describe(subject: string, o: DescribeOptions = {}): RdfNode {
    const maxDepth = o.maxDepth ?? 6;
    const stopAt = new Set(o.stopAt ?? []);
    const node = this.node(subject, 0, maxDepth, stopAt, new Set([subject]));
    const reverse: Record<string, RdfNode[]> = {};
    for (const p of o.reverse ?? []) {
      const from = this.pointingAt(subject).filter((t) => t.p === p);
      if (from.length === 0) continue;
      reverse[p] = sortValues(from.map((t) => this.node(keyOf(t.s), 1, maxDepth, stopAt, new Set([subject, keyOf(t.s)])))) as RdfNode[];
    }
    if (Object.keys(reverse).length) node['@reverse'] = reverse;
    return node;
  }

  private node(subject: string, depth: number, maxDepth: number, stopAt: ReadonlySet<string>, path: ReadonlySet<string>): RdfNode {
    const out: RdfNode = subject.startsWith('_:') ? {} : { '@id': subject };
    const types = this.types(subject);
    if (types.length) out['@type'] = [...types];
    const byPredicate = new Map<string, RdfValue[]>();
    for (const t of this.about(subject)) {
      if (t.p === RDF_TYPE && t.o.kind === 'iri') continue;
      const values = byPredicate.get(t.p) ?? [];
      byPredicate.set(t.p, values);
      values.push(this.value(t.o, depth + 1, maxDepth, stopAt, path));
    }
    for (const p of [...byPredicate.keys()].sort()) out[p] = sortValues(dedupe(byPredicate.get(p)!));
    return out;
  }

  private value(t: Term, depth: number, maxDepth: number, stopAt: ReadonlySet<string>, path: ReadonlySet<string>): RdfValue {
    if (t.kind === 'literal') {
      return { '@value': t.value, ...(t.language ? { '@language': t.language } : {}), ...(t.datatype ? { '@type': t.datatype } : {}) };
    }
    const key = keyOf(t);
    const described = this.bySubject.has(key);
    const ownRecord = t.kind === 'iri' && this.types(key).some((c) => stopAt.has(c));
    // a cycle, the depth bound, a record of its own or a resource the graph says nothing about: a reference
    if (!described || path.has(key) || depth > maxDepth || ownRecord) return t.kind === 'iri' ? { '@id': t.value } : {};
    return this.node(key, depth, maxDepth, stopAt, new Set([...path, key]));
  }
}

/**
 * A deterministic key of a value, for sorting and deduplicating: computed once per value from its children's keys
 * (cached), so that ordering a description costs its size, not its size times its depth.
 */
const KEYS = new WeakMap<RdfNode, string>();
function valueKey(v: RdfValue): string {
  // a literal: its lexical form, language and datatype (separated by characters no IRI nor tag holds)
  if (isLiteral(v)) return `"${v['@value']}\u0001${v['@language'] ?? ''}\u0001${v['@type'] ?? ''}`;
  // a named node: its IRI (the same IRI in one list is the same resource, described the same way)
  if (v['@id'] !== undefined) return `<${v['@id']}`;
  let k = KEYS.get(v);
  if (k !== undefined) return k;
  const parts: string[] = ['_', ...(v['@type'] ?? [])];
  for (const key of Object.keys(v).sort()) {
    if (key.startsWith('@')) continue;
    parts.push(`\u0002${key}`, ...(v[key] as RdfValue[]).map(valueKey));
  }
  k = parts.join('\u0003');
  KEYS.set(v, k);
  return k;
}

function dedupe(values: RdfValue[]): RdfValue[] {
  const seen = new Set<string>();
  return values.filter((v) => {
    const k = valueKey(v);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Values in a canonical order (by their keys), so that serialisation order never matters. */
function sortValues(values: RdfValue[]): RdfValue[] {
  return values
    .map((v) => [valueKey(v), v] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([, v]) => v);
}
