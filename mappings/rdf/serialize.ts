/**
 * RDF serialisations written piece by piece, so that a catalogue of any size streams with flat memory: a writer gives
 * the text that starts the document, the text of each group of quads (a record's graph, the catalogue node, a page's
 * paging node) as they come, and the text that ends it. Pure: quads in, text out.
 *
 * - Turtle and N-Triples: n3's Writer (prefixes declared once at the top in Turtle).
 * - RDF/XML: written here (npm has no maintained RDF/XML serialiser: graphy's stopped in 2021, rdflib.js needs a
 *   whole store in memory): one `rdf:Description` per subject and group, properties as qualified names (a namespace
 *   declared on the element when it has no prefix), blank nodes as `rdf:nodeID`, literals with `xml:lang` or
 *   `rdf:datatype`. A subject may appear in several groups (RDF/XML allows several descriptions of one node).
 * - JSON-LD: expanded node objects (full datatype and class IRIs; property keys as compact IRIs of the prefixes in the
 *   inline `@context`) in one `@graph`; several node objects with one `@id` are merged by JSON-LD processors.
 */
import { Writer } from 'n3';
import type { Quad, Term } from '@rdfjs/types';
import { escapeXml } from '../../core/xml-write.js';

export type RdfFormat = 'turtle' | 'ntriples' | 'rdfxml' | 'jsonld';

export const RDF_FORMATS: readonly RdfFormat[] = ['turtle', 'rdfxml', 'jsonld', 'ntriples'];

/** Media type of each serialisation (what Content-Type says and what Accept asks for). */
export const RDF_MEDIA_TYPE: Record<RdfFormat, string> = {
  turtle: 'text/turtle',
  ntriples: 'application/n-triples',
  rdfxml: 'application/rdf+xml',
  jsonld: 'application/ld+json',
};

/** File suffix of each serialisation. */
export const RDF_SUFFIX: Record<RdfFormat, string> = { turtle: 'ttl', ntriples: 'nt', rdfxml: 'rdf', jsonld: 'jsonld' };

/** Prefixes written in Turtle, RDF/XML and JSON-LD. */
export const PREFIXES: Record<string, string> = {
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  dcat: 'http://www.w3.org/ns/dcat#',
  dct: 'http://purl.org/dc/terms/',
  adms: 'http://www.w3.org/ns/adms#',
  foaf: 'http://xmlns.com/foaf/0.1/',
  vcard: 'http://www.w3.org/2006/vcard/ns#',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  locn: 'http://www.w3.org/ns/locn#',
  gsp: 'http://www.opengis.net/ont/geosparql#',
  prov: 'http://www.w3.org/ns/prov#',
  schema: 'https://schema.org/',
  geodcatap: 'http://data.europa.eu/930/',
  dcatap: 'http://data.europa.eu/r5r/',
  eli: 'http://data.europa.eu/eli/ontology#',
  spdx: 'http://spdx.org/rdf/terms#',
  hydra: 'http://www.w3.org/ns/hydra/core#',
  hub: 'https://w3id.org/fair-harvester/ns#',
};

const RDF_TYPE = PREFIXES.rdf + 'type';
const XSD_STRING = PREFIXES.xsd + 'string';
const RDF_LANG_STRING = PREFIXES.rdf + 'langString';

export interface RdfStreamWriter {
  readonly format: RdfFormat;
  /** The text that starts the document. */
  head(): string;
  /** The text of a group of quads (default graph only). */
  quads(quads: Quad[]): string;
  /** The text that ends the document. */
  end(): string;
}

/** n3's Writer over a string sink: each call returns what the writer produced since the last one. */
function n3Writer(format: 'turtle' | 'ntriples'): RdfStreamWriter {
  let out = '';
  const sink = { write: (chunk: string) => void (out += chunk), end: () => undefined };
  const drain = (): string => {
    const s = out;
    out = '';
    return s;
  };
  const writer = new Writer(sink, {
    format: format === 'turtle' ? 'Turtle' : 'N-Triples',
    end: false,
    ...(format === 'turtle' ? { prefixes: PREFIXES } : {}),
  });
  return {
    format,
    head: drain,
    quads(quads) {
      for (const q of quads) writer.addQuad(q.subject, q.predicate, q.object);
      return drain();
    },
    end() {
      writer.end();
      return drain();
    },
  };
}

// ---------------------------------------------------------------------------------------------------------- RDF/XML

const NCNAME_TAIL =
  /[A-Za-z_\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF][\w.\-\u00B7\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u037D\u037F-\u1FFF\u203F\u2040]*$/;
const NAMESPACE_PREFIX = new Map(Object.entries(PREFIXES).map(([p, ns]) => [ns, p]));

/** A predicate IRI as `prefix:local` plus the namespace declaration it needs when its namespace has no prefix. */
function qname(iri: string): { name: string; decl: string } {
  const m = NCNAME_TAIL.exec(iri);
  if (!m || m.index === 0) throw new Error(`RDF/XML cannot write the property <${iri}>: it does not end with an XML name`);
  const ns = iri.slice(0, m.index);
  const prefix = NAMESPACE_PREFIX.get(ns);
  if (prefix) return { name: `${prefix}:${m[0]}`, decl: '' };
  return { name: `ns0:${m[0]}`, decl: ` xmlns:ns0="${escapeXml(ns)}"` };
}

/** A blank node label as an XML name (rdf:nodeID must be an NCName). */
function nodeId(label: string): string {
  return 'n' + label.replace(/[^\w.-]/g, (c) => `_${c.charCodeAt(0).toString(16)}_`);
}

function subjectAttr(t: Term): string {
  return t.termType === 'BlankNode' ? `rdf:nodeID="${nodeId(t.value)}"` : `rdf:about="${escapeXml(t.value)}"`;
}

function rdfXmlProperty(q: Quad): string {
  const { name, decl } = qname(q.predicate.value);
  const o = q.object;
  if (o.termType === 'NamedNode') return `<${name}${decl} rdf:resource="${escapeXml(o.value)}"/>`;
  if (o.termType === 'BlankNode') return `<${name}${decl} rdf:nodeID="${nodeId(o.value)}"/>`;
  const lit = o as Term & { language: string; datatype: { value: string } };
  const attr = lit.language
    ? ` xml:lang="${escapeXml(lit.language)}"`
    : lit.datatype && lit.datatype.value !== XSD_STRING
      ? ` rdf:datatype="${escapeXml(lit.datatype.value)}"`
      : '';
  return `<${name}${decl}${attr}>${escapeXml(o.value)}</${name}>`;
}

/** Quads grouped by subject, subjects in order of first appearance. */
function bySubject(quads: Quad[]): Quad[][] {
  const groups = new Map<string, Quad[]>();
  for (const q of quads) {
    const key = `${q.subject.termType === 'BlankNode' ? '_:' : ''}${q.subject.value}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(q);
  }
  return [...groups.values()];
}

/** RDF/XML text of some quads (rdf:Description elements, without the rdf:RDF root). */
export function rdfXmlDescriptions(quads: Quad[]): string {
  return bySubject(quads)
    .map((g) => `<rdf:Description ${subjectAttr(g[0].subject)}>${g.map(rdfXmlProperty).join('')}</rdf:Description>\n`)
    .join('');
}

/** The rdf:RDF start tag with every prefix declared. */
export function rdfXmlRoot(): string {
  const decls = Object.entries(PREFIXES)
    .map(([p, ns]) => ` xmlns:${p}="${ns}"`)
    .join('');
  return `<rdf:RDF${decls}>`;
}

function rdfXmlWriter(): RdfStreamWriter {
  return {
    format: 'rdfxml',
    head: () => `<?xml version="1.0" encoding="UTF-8"?>\n${rdfXmlRoot()}\n`,
    quads: rdfXmlDescriptions,
    end: () => '</rdf:RDF>\n',
  };
}

// ---------------------------------------------------------------------------------------------------------- JSON-LD

function compactKey(iri: string): string {
  const m = NCNAME_TAIL.exec(iri);
  const prefix = m && m.index > 0 ? NAMESPACE_PREFIX.get(iri.slice(0, m.index)) : undefined;
  return prefix ? `${prefix}:${m![0]}` : iri;
}

function jsonLdId(t: Term): string {
  return t.termType === 'BlankNode' ? `_:${t.value}` : t.value;
}

function jsonLdValue(o: Term): Record<string, string> {
  if (o.termType === 'NamedNode' || o.termType === 'BlankNode') return { '@id': jsonLdId(o) };
  const lit = o as Term & { language: string; datatype: { value: string } };
  if (lit.language) return { '@value': o.value, '@language': lit.language };
  if (lit.datatype && lit.datatype.value !== XSD_STRING && lit.datatype.value !== RDF_LANG_STRING)
    return { '@value': o.value, '@type': lit.datatype.value };
  return { '@value': o.value };
}

/** JSON-LD node objects of some quads (one per subject). */
export function jsonLdNodes(quads: Quad[]): Record<string, unknown>[] {
  return bySubject(quads).map((g) => {
    const node: Record<string, unknown> = { '@id': jsonLdId(g[0].subject) };
    const types: string[] = [];
    for (const q of g) {
      if (q.predicate.value === RDF_TYPE && q.object.termType === 'NamedNode') {
        types.push(q.object.value);
        continue;
      }
      const key = compactKey(q.predicate.value);
      const values = (node[key] as unknown[] | undefined) ?? [];
      values.push(jsonLdValue(q.object));
      node[key] = values;
    }
    if (types.length > 0) node['@type'] = types;
    return node;
  });
}

/** The JSON-LD `@context` of the documents: the prefixes only (property keys are compact IRIs). */
export function jsonLdContext(): Record<string, string> {
  return { ...PREFIXES };
}

function jsonLdWriter(): RdfStreamWriter {
  let first = true;
  return {
    format: 'jsonld',
    head: () => `{"@context":${JSON.stringify(jsonLdContext())},\n"@graph":[\n`,
    quads(quads) {
      const nodes = jsonLdNodes(quads);
      if (nodes.length === 0) return '';
      const text = nodes.map((n) => JSON.stringify(n)).join(',\n');
      const sep = first ? '' : ',\n';
      first = false;
      return sep + text;
    },
    end: () => '\n]}\n',
  };
}

/** A streaming writer of one serialisation. */
export function rdfWriter(format: RdfFormat): RdfStreamWriter {
  switch (format) {
    case 'turtle':
    case 'ntriples':
      return n3Writer(format);
    case 'rdfxml':
      return rdfXmlWriter();
    case 'jsonld':
      return jsonLdWriter();
  }
}

/** A whole document of one serialisation (a record, a page). */
export function serializeQuads(format: RdfFormat, quads: Quad[]): string {
  const w = rdfWriter(format);
  return w.head() + w.quads(quads) + w.end();
}
