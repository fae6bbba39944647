/**
 * Reading the values of a description (mappings/dcat/compact.ts): IRIs, texts, language maps, dates, numbers, e-mail
 * addresses, each tolerant of the ways real catalogues write them (an IRI as a plain literal, an e-mail without
 * mailto:, a date-time without a zone, a language as a code). Pure.
 */
import type { RdfLiteral } from '../../core/rdf.js';
import { dateLiteral, langKey } from '../../core/vocab.js';
import type { DateLiteral, LangMap, LangMapMulti } from '../../schemas/record.js';
import type { TermNode, TermValue } from './compact.js';

export const isLiteral = (v: TermValue): v is RdfLiteral => '@value' in v;

/**
 * The language map key of a literal's language tag: the tag as given, but an ISO 639-2 code that has a two-letter one
 * ("ger", "fre", "eng": geocat.ch's GeoNetwork DCAT output) is that ("de", "fr", "en"), as the ISO crosswalk keys them.
 */
export function langTag(tag: string | undefined): string {
  if (!tag) return '@none';
  if (!/^[a-z]{3}$/i.test(tag)) return tag;
  const key = langKey(tag.toLowerCase());
  return key === '@none' ? tag : key;
}
export const isNode = (v: TermValue): v is TermNode => !('@value' in v);

/** The values of a term (none: an empty list). */
export function list(n: TermNode | undefined, term: string): TermValue[] {
  const v = n?.[term];
  return Array.isArray(v) ? (v as TermValue[]) : [];
}

/** The nested descriptions of a term. */
export function nodes(n: TermNode | undefined, term: string): TermNode[] {
  return list(n, term).filter(isNode);
}

const RE_IRI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|\\^`]+$/;

/** Whether a text is an absolute IRI the record accepts (a scheme, no space nor forbidden character). */
export const isIri = (s: string): boolean => RE_IRI.test(s);

/** The IRIs of a term: the nodes' IRIs, and literals holding an absolute IRI (catalogues often write them so). */
export function iris(n: TermNode | undefined, term: string): string[] {
  const out: string[] = [];
  for (const v of list(n, term)) {
    const s = isLiteral(v) ? v['@value'].trim() : v['@id'];
    if (s !== undefined && isIri(s) && !out.includes(s)) out.push(s);
  }
  return out;
}

/** The texts of a term (literals' lexical values, trimmed, without empty ones), unique. */
export function texts(n: TermNode | undefined, term: string): string[] {
  const out: string[] = [];
  for (const v of list(n, term)) {
    if (!isLiteral(v)) continue;
    const s = v['@value'].trim();
    if (s && !out.includes(s)) out.push(s);
  }
  return out;
}

/**
 * The one text of a term where a single one is wanted (a contact's name): the literal in `lang` (the record's metadata
 * language, a language-map key), else the untagged one, else the first (RDF has no document order: the first in
 * canonical order). geocat.ch names a contact's organisation in German, French, Italian, English and Romansh.
 */
export function textIn(n: TermNode | undefined, term: string, lang: string | undefined): string | undefined {
  let untagged: string | undefined;
  let first: string | undefined;
  for (const v of list(n, term)) {
    if (!isLiteral(v)) continue;
    const s = v['@value'].trim();
    if (!s) continue;
    const tag = langTag(v['@language']);
    if (lang !== undefined && lang !== '@none' && tag === lang) return s;
    if (tag === '@none') untagged ??= s;
    first ??= s;
  }
  return untagged ?? first;
}

/** A language map of a term's literals: one text per language (the first in canonical order), `@none` untagged. */
export function langMap(n: TermNode | undefined, term: string): LangMap | undefined {
  const out: LangMap = {};
  for (const v of list(n, term)) {
    if (!isLiteral(v)) continue;
    const s = v['@value'].trim();
    const lang = langTag(v['@language']);
    if (s && out[lang] === undefined) out[lang] = s;
  }
  return Object.keys(out).length ? out : undefined;
}

/** A language map of several texts per language (keywords). */
export function langMapMulti(n: TermNode | undefined, term: string): LangMapMulti | undefined {
  const out: LangMapMulti = {};
  for (const v of list(n, term)) {
    if (!isLiteral(v)) continue;
    const s = v['@value'].trim();
    const lang = langTag(v['@language']);
    if (!s) continue;
    const words = (out[lang] ??= []);
    if (!words.includes(s)) words.push(s);
  }
  return Object.keys(out).length ? out : undefined;
}

/** The date of a term (xsd:date, dateTime, gYear, gYearMonth, or a plain literal that reads as one). */
export function date(n: TermNode | undefined, term: string): DateLiteral | undefined {
  for (const v of list(n, term)) {
    if (!isLiteral(v)) continue;
    const d = dateLiteral(v['@value']);
    if (d) return d;
  }
  return undefined;
}

/** The numbers of a term (typed or plain literals that read as finite numbers). */
export function numbers(n: TermNode | undefined, term: string): number[] {
  const out: number[] = [];
  for (const t of texts(n, term)) {
    const x = Number(t);
    if (t !== '' && Number.isFinite(x) && !out.includes(x)) out.push(x);
  }
  return out;
}

const RE_EMAIL = /^[^\s<>"@:]+@[^\s<>"@]+\.[^\s<>"@]+$/;

/** A mailto: IRI from `mailto:x@y.z` or a bare address; undefined otherwise. */
export function mailto(s: string | undefined): string | undefined {
  if (!s) return undefined;
  const address = s.trim().replace(/^mailto:/i, '');
  return RE_EMAIL.test(address) ? `mailto:${address}` : undefined;
}

/** The first e-mail of a term as a mailto: IRI (node IRI or literal). */
export function email(n: TermNode | undefined, term: string): string | undefined {
  for (const v of list(n, term)) {
    const m = mailto(isLiteral(v) ? v['@value'] : v['@id']);
    if (m) return m;
  }
  return undefined;
}

/** The most specific of the classes a node has, among `known` (most specific first); undefined when none. */
export function classOf<T extends string>(n: TermNode, known: readonly T[]): T | undefined {
  const types = n['@type'] ?? [];
  return known.find((k) => types.includes(k));
}

/** Last segment of an IRI (path or fragment): the same rule as the DCAT-AP view's (schemas/jsonld.ts). */
export function iriTail(iri: string): string {
  const m = /[/#]([^/#]+)\/?$/.exec(iri);
  try {
    return m ? decodeURIComponent(m[1]) : iri;
  } catch {
    return m ? m[1] : iri;
  }
}
