/**
 * The record's own JSON-LD context read backwards: a resource description (an expanded node, core/rdf.ts) with its
 * predicate IRIs renamed to the record's terms (`http://purl.org/dc/terms/title` -> `title`), its class and datatype
 * IRIs to the context's prefixed names (`http://www.w3.org/ns/dcat#Dataset` -> `dcat:Dataset`). What the hub writes as
 * DCAT-AP (schemas/jsonld.ts, through schemas/context.jsonld) thus reads back through the same context: a term added
 * there is read here without a line of code. Values stay lists (the field helpers decide what is single); a
 * predicate the context does not know keeps its IRI (and is ignored). Pure.
 */
import type { RdfLiteral, RdfNode, RdfValue } from '../../core/rdf.js';
import { recordContext } from '../../schemas/paths.js';

/** A description with the record's term names: values are literals or nested descriptions. */
export interface TermNode {
  '@id'?: string;
  /** Classes, in the context's prefixed form where it has a prefix (`foaf:Organization`). */
  '@type'?: string[];
  '@reverse'?: Record<string, TermNode[]>;
  [term: string]: TermValue[] | string | string[] | Record<string, TermNode[]> | undefined;
}
export type TermValue = TermNode | RdfLiteral;

interface Tables {
  /** Expanded predicate IRI -> term. */
  terms: Map<string, string>;
  /** Expanded IRI of a reverse term's predicate -> term. */
  reverse: Map<string, string>;
  /** [namespace, prefix], longest namespace first. */
  prefixes: [string, string][];
}

let tables: Tables | undefined;

function build(): Tables {
  const ctx = recordContext();
  const prefixes: [string, string][] = [];
  for (const [k, v] of Object.entries(ctx)) {
    if (!k.startsWith('@') && typeof v === 'string' && /[#/]$/.test(v)) prefixes.push([v, k]);
  }
  prefixes.sort((a, b) => b[0].length - a[0].length);
  const expand = (curie: string): string => {
    const i = curie.indexOf(':');
    const ns = i > 0 ? (ctx[curie.slice(0, i)] as string | undefined) : undefined;
    return typeof ns === 'string' && /[#/]$/.test(ns) ? ns + curie.slice(i + 1) : curie;
  };
  const terms = new Map<string, string>();
  const reverse = new Map<string, string>();
  for (const [term, def] of Object.entries(ctx)) {
    if (term.startsWith('@') || prefixes.some(([, p]) => p === term)) continue;
    if (typeof def === 'string') {
      if (!terms.has(expand(def))) terms.set(expand(def), term);
    } else if (def && typeof def === 'object') {
      const d = def as { '@id'?: string; '@reverse'?: string };
      if (d['@reverse']) reverse.set(expand(d['@reverse']), term);
      else if (d['@id'] && !terms.has(expand(d['@id']))) terms.set(expand(d['@id']), term);
    }
  }
  return { terms, reverse, prefixes };
}

/** An IRI in the context's prefixed form (`http://www.w3.org/2001/XMLSchema#date` -> `xsd:date`), else as it is. */
export function compactIri(iri: string): string {
  tables ??= build();
  for (const [ns, prefix] of tables.prefixes) if (iri.startsWith(ns) && iri.length > ns.length) return `${prefix}:${iri.slice(ns.length)}`;
  return iri;
}

/** The term the record's context gives a predicate IRI, if any. */
export function termOf(predicate: string): string | undefined {
  tables ??= build();
  return tables.terms.get(predicate);
}

function value(v: RdfValue): TermValue {
  if (!('@value' in v)) return withTerms(v);
  const lit = v as RdfLiteral;
  return lit['@type'] ? { ...lit, '@type': compactIri(lit['@type']) } : lit;
}

/** The description with the record's term names (see the file comment). */
export function withTerms(node: RdfNode): TermNode {
  tables ??= build();
  const out: TermNode = {};
  if (node['@id'] !== undefined) out['@id'] = node['@id'];
  if (node['@type']) out['@type'] = node['@type'].map(compactIri);
  for (const [k, v] of Object.entries(node)) {
    if (k.startsWith('@') || !Array.isArray(v)) continue;
    const term = tables.terms.get(k) ?? k;
    const values = (v as RdfValue[]).map(value);
    out[term] = term in out ? [...(out[term] as TermValue[]), ...values] : values;
  }
  const rev = node['@reverse'];
  if (rev) {
    const r: Record<string, TermNode[]> = {};
    for (const [p, nodes] of Object.entries(rev)) r[tables.reverse.get(p) ?? p] = nodes.map(withTerms);
    out['@reverse'] = r;
  }
  return out;
}
