/**
 * What every crosswalk (ISO, STAC, OZCAR) writes the same way: the head of a record, its catalogue record, agents,
 * contact points and attributions, and the rule that a record holds no empty value. Pure.
 *
 * Each builder writes its keys in one fixed order (the order of schemas/record.ts). The order is part of the output:
 * recordHash (mappings/index-doc.ts) hashes the record's JSON text, so a crosswalk that wrote the same values in
 * another order would rewrite every record of its sources at the next harvest.
 */
import type {
  Agent,
  Attribution,
  CatalogRecord,
  Checksum,
  Concept,
  ContactPoint,
  Frequency,
  HubRecord,
  Identifier,
  LangMap,
  LegalResource,
  LinguisticSystem,
  MediaType,
  PeriodOfTime,
  RecordType,
  Standard,
  WebPage,
} from '../schemas/record.js';
import { hubId, recordIri } from '../schemas/record.js';
import { unique } from '../core/json.js';
import { dateLiteral } from '../core/vocab.js';
import { iriTail } from './codelists.js';

// ------------------------------------------------------------------------------------------------------------ record

/** The types of a dataset record (the STAC and OZCAR records, most ISO records). */
export const DATASET: RecordType = ['dcat:Dataset', 'schema:Dataset'];

export type RecordHead = Pick<HubRecord, '@id' | '@type' | 'identifier' | 'otherIdentifier' | 'title'>;

/**
 * The head every record starts with: its IRI and hub identifier (both from the source id and the record's own id), its
 * types and its title. `otherIdentifier`, when given and not empty, stands between identifier and title (the OZCAR
 * record's order; ISO and STAC records write theirs further down).
 */
export function recordHead(source: string, id: string, type: RecordType, title: LangMap, otherIdentifier?: Identifier[]): RecordHead {
  return {
    '@id': recordIri(source, id),
    '@type': type,
    identifier: hubId(source, id),
    ...(otherIdentifier?.length ? { otherIdentifier } : {}),
    title,
  };
}

/**
 * The fields of a catalogue record: its one metadata language and its standard as IRIs; `modified` the source's
 * metadata date stamp when it has one.
 */
export type CatalogRecordParts = Omit<CatalogRecord, '@id' | '@type' | 'language' | 'conformsTo' | 'modified'> & {
  modified?: CatalogRecord['modified'];
  language?: string;
  conformsTo?: string;
};

/**
 * The dcat:CatalogRecord of a record (its isPrimaryTopicOf): where, when and from what it was harvested, and who to
 * ask about the metadata (GeoDCAT-AP: the metadata point of contact). Without a source date stamp, `modified` (which
 * DCAT-AP requires) is the harvest time: the hub's own catalogue entry was written then.
 */
export function catalogRecord(p: CatalogRecordParts): CatalogRecord {
  return {
    '@type': 'dcat:CatalogRecord',
    identifier: p.identifier,
    modified: p.modified ?? p.harvestedAt,
    ...(p.language ? { language: [linguisticSystem(p.language)] } : {}),
    ...(p.conformsTo ? { conformsTo: standard(p.conformsTo) } : {}),
    ...(p.contactPoint?.length ? { contactPoint: p.contactPoint } : {}),
    sourceId: p.sourceId,
    sourceFormat: p.sourceFormat,
    ...(p.sourceUrl ? { sourceUrl: p.sourceUrl } : {}),
    harvestedAt: p.harvestedAt,
    contentHash: p.contentHash,
  };
}

/**
 * A DOI (its https://doi.org/ IRI) as an other identifier, agency "DOI" (STAC and OZCAR; the ISO crosswalk writes the
 * agency "doi", as it always has).
 */
export function doiIdentifier(iri: string): Identifier {
  return { '@type': 'adms:Identifier', notation: iri, schemaAgency: 'DOI' };
}

/** Whether a value is empty in a record: undefined, an empty array or an object without keys. */
function isEmpty(v: unknown): boolean {
  if (v === undefined) return true;
  if (Array.isArray(v)) return v.length === 0;
  return typeof v === 'object' && v !== null && Object.keys(v).length === 0;
}

/**
 * Adds to `target` the members of `o` that are not empty (undefined, [], {}), in o's order, and returns it: a record
 * never holds an empty array, map or object. (An empty string or a 0 is a value, and stays.) Used as
 * `assignValues(recordHead(...), { ...the record's fields in order })`: `o` is then a literal without spread, which
 * V8 builds fast (a 40-key literal that starts with a spread costs the ISO crosswalk 15% of its time).
 */
export function assignValues<T extends object, U extends object>(target: T, o: U): T & U {
  const out = target as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    const v = (o as Record<string, unknown>)[k];
    if (!isEmpty(v)) out[k] = v;
  }
  return out as T & U;
}

/** The object without its empty members (undefined, [], {}), the others in the same order. */
export function compact<T extends object>(o: T): T {
  return assignValues<object, T>({}, o);
}

// ------------------------------------------------------------------------------------------ typed references (DCAT-AP)
// A resource the record refers to is written with the class DCAT-AP gives the property's range, as ckanext-dcat and
// SEMIC's ISO-to-DCAT-AP stylesheet write them: the shapes check classes without inference.

/** A dct:Standard (conformsTo). */
export function standard(iri: string): Standard {
  return { '@id': iri, '@type': 'dct:Standard' };
}
/** Distinct dct:Standard nodes of IRIs, in order. */
export function standards(iris: string[]): Standard[] {
  return unique(iris).map(standard);
}
/** A dct:LinguisticSystem (an EU language authority IRI). */
export function linguisticSystem(iri: string): LinguisticSystem {
  return { '@id': iri, '@type': 'dct:LinguisticSystem' };
}
/** Distinct languages of IRIs, in order. */
export function languages(iris: string[]): LinguisticSystem[] {
  return unique(iris).map(linguisticSystem);
}
/** A dct:MediaType (an IANA media type IRI). */
export function mediaType(iri: string): MediaType {
  return { '@id': iri, '@type': 'dct:MediaType' };
}
const SPDX = 'http://spdx.org/rdf/terms#';
/** SPDX 2.3's checksum algorithms (spdx:ChecksumAlgorithm individuals), by the suffix of their IRI. */
const SPDX_ALGORITHMS = new Set(
  'sha1 sha224 sha256 sha384 sha512 md2 md4 md5 md6 sha3_256 sha3_384 sha3_512 blake2b256 blake2b384 blake2b512 blake3 adler32'.split(' '),
);
/** Multihash codes (the multicodec table) of the algorithms SPDX names; blake2b-128, sha2-256-trunc254... have none. */
const MULTIHASH: Record<number, string> = {
  0x11: 'sha1',
  0x12: 'sha256',
  0x13: 'sha512',
  0x14: 'sha3_512',
  0x15: 'sha3_384',
  0x16: 'sha3_256',
  0x20: 'sha384',
  0x1e: 'blake3',
  0xd4: 'md4',
  0xd5: 'md5',
  0x1013: 'sha224',
  0xb220: 'blake2b256',
  0xb230: 'blake2b384',
  0xb240: 'blake2b512',
};

/**
 * An spdx:Checksum of an SPDX algorithm IRI (or its name: sha256, SHA-256, sha3-256...) and a hexadecimal digest;
 * undefined when the algorithm is not SPDX's or the value not hexadecimal.
 */
export function checksum(algorithm: string, value: string): Checksum | undefined {
  const name = algorithm.startsWith(SPDX + 'checksumAlgorithm_')
    ? algorithm.slice(SPDX.length + 'checksumAlgorithm_'.length)
    : algorithm
        .toLowerCase()
        .replace(/^(sha)-?(1|224|256|384|512)$/, '$1$2')
        .replace(/^sha3-/, 'sha3_')
        .replace(/^blake2b-/, 'blake2b');
  const hex = value.trim().toLowerCase();
  if (!SPDX_ALGORITHMS.has(name) || !/^([0-9a-f]{2})+$/.test(hex)) return undefined;
  return {
    '@type': 'spdx:Checksum',
    algorithm: { '@id': SPDX + 'checksumAlgorithm_' + name, '@type': 'spdx:ChecksumAlgorithm' },
    checksumValue: hex,
  };
}

/** An unsigned varint of a multihash (LEB128) at `at` in the bytes: its value and where it ends. */
function varint(bytes: number[], at: number): [number, number] | undefined {
  let value = 0;
  for (let i = at, shift = 0; i < bytes.length && shift < 28; i++, shift += 7) {
    value += (bytes[i] & 0x7f) * 2 ** shift;
    if ((bytes[i] & 0x80) === 0) return [value, i + 1];
  }
  return undefined;
}

/**
 * The spdx:Checksum of a multihash in hexadecimal (STAC's file:checksum: "1220" and 32 bytes is a SHA-256 digest):
 * its code, its length and that many bytes; undefined for another hash, a length that does not match, or no hex.
 */
export function multihashChecksum(multihash: string): Checksum | undefined {
  const hex = multihash.trim().toLowerCase();
  if (!/^([0-9a-f]{2})+$/.test(hex)) return undefined;
  const bytes = hex.match(/../g)!.map((b) => parseInt(b, 16));
  const code = varint(bytes, 0);
  const length = code && varint(bytes, code[1]);
  if (!code || !length || MULTIHASH[code[0]] === undefined || length[0] === 0 || bytes.length - length[1] !== length[0]) return undefined;
  return checksum(MULTIHASH[code[0]], hex.slice(length[1] * 2));
}

/** A dct:Frequency (an EU frequency authority IRI). */
export function frequency(iri: string): Frequency {
  return { '@id': iri, '@type': 'dct:Frequency' };
}
/** Distinct eli:LegalResource nodes of legislation IRIs (dcatap:applicableLegislation), in order. */
export function legalResources(iris: string[]): LegalResource[] {
  return unique(iris).map((iri) => ({ '@id': iri, '@type': 'eli:LegalResource' as const }));
}
/** Distinct foaf:Document nodes of page IRIs, in order. */
export function webPages(iris: string[]): WebPage[] {
  return unique(iris).map((iri) => ({ '@id': iri, '@type': 'foaf:Document' as const }));
}

const XSD_DURATION = /^-?P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;

/**
 * An ISO 8601 duration as an xsd:duration lexical form (dcat:temporalResolution): "P1D", "PT15M" as they are, weeks
 * ("P2W", which xsd:duration lacks) as days; undefined for anything else (a text such as "daily" is not guessed).
 */
export function xsdDuration(text: string | undefined): string | undefined {
  const t = text?.trim().toUpperCase();
  if (!t) return undefined;
  const weeks = /^P(\d+)W$/.exec(t);
  const d = weeks ? `P${Number(weeks[1]) * 7}D` : t;
  return XSD_DURATION.test(d) ? d : undefined;
}

/**
 * A concept named by its IRI only: its label is the IRI's last segment (the code of a code list, the local name of a
 * vocabulary term), which DCAT-AP's concept shape needs; `@none` since it is no language's word.
 */
export function iriConcept(iri: string, extra: Pick<Concept, 'notation' | 'inScheme'> = {}): Concept {
  return { '@id': iri, '@type': 'skos:Concept', prefLabel: { '@none': iriTail(iri) }, ...extra };
}

/** A concept as a source may give it: an IRI, a label, or both. */
export type LooseConcept = Omit<Concept, '@id' | 'prefLabel'> & { '@id'?: string; prefLabel?: LangMap };

/**
 * DCAT-AP themes are concept IRIs: a concept with an IRI is kept (labelled by its IRI's last segment when the source
 * gives no label); a term known by its label only (a GCMD keyword without uuid, a topic label that is no ISO code)
 * becomes a keyword, in its language(s).
 */
export function conceptsOrKeywords(loose: LooseConcept[]): { concepts: Concept[]; keywords: LangMap[] } {
  const concepts: Concept[] = [];
  const keywords: LangMap[] = [];
  for (const c of loose) {
    const extra = { ...(c.notation !== undefined ? { notation: c.notation } : {}), ...(c.inScheme ? { inScheme: c.inScheme } : {}) };
    if (c['@id'] === undefined) {
      if (c.prefLabel) keywords.push(c.prefLabel);
    } else if (c.prefLabel) concepts.push({ '@id': c['@id'], '@type': 'skos:Concept', prefLabel: c.prefLabel, ...extra });
    else concepts.push(iriConcept(c['@id'], extra));
  }
  return { concepts, keywords };
}

/** A number in xsd:decimal lexical form (no exponent): 0.5 → "0.5", 1e-7 → "0.0000001". */
export function decimalLexical(n: number): string {
  const s = String(n);
  if (!/e/i.test(s)) return s;
  return n.toFixed(20).replace(/\.?0+$/, '');
}

/**
 * Spatial resolutions in metres as DCAT-AP allows them: the finest one as dcat:spatialResolutionInMeters (one value
 * at most), every other one as text ("10 m", for geodcatap:spatialResolutionAsText). Nothing is lost.
 */
export function resolutionInMeters(metres: number[]): { spatialResolutionInMeters?: string; asText: string[] } {
  const valid = unique(metres.filter((m) => Number.isFinite(m) && m > 0));
  if (valid.length === 0) return { asText: [] };
  const finest = Math.min(...valid);
  return {
    spatialResolutionInMeters: decimalLexical(finest),
    asText: valid.filter((m) => m !== finest).map((m) => `${decimalLexical(m)} m`),
  };
}

// ------------------------------------------------------------------------------------------------------------ agents

const RE_ORCID = /^(?:https?:\/\/orcid\.org\/)?(\d{4}-\d{4}-\d{4}-\d{3}[\dX])$/i;
const RE_EMAIL = /^[^\s@<>()]+@[^\s@<>()]+\.[^\s@<>()]+$/;

/** The https://orcid.org/ IRI of an ORCID iD (bare "0000-0002-1825-0097" or as an IRI), else undefined. */
export function orcidIri(v: string): string | undefined {
  const m = RE_ORCID.exec(v);
  return m ? 'https://orcid.org/' + m[1].toUpperCase() : undefined;
}

/** An absolute IRI as the record schema wants one: a scheme, a colon, no space nor character N-Quads forbid. */
const RE_IRI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|\\^`]+$/;

/** Whether a text is an absolute IRI (www.example.org is not: it has no scheme, and none is guessed). */
export function isAbsoluteIri(v: string): boolean {
  return RE_IRI.test(v);
}

/** The characters an IRI may not hold as they are (RDF's IRIREF, the record schema): any space, and <>"{}|\^`. */
const RE_NOT_IN_IRI = /[\s<>"{}|\\^`]/gu;

/**
 * A URL a source gives, as the IRI the record holds: trimmed, and the characters an IRI may not hold as they are (a
 * space, <>"{}|\^`) percent-encoded, as a browser sends them (`a b|c` is `a%20b%7Cc`): the same resource, written so
 * that RDF can hold it. Undefined when the text is not absolute: `www.example.org` has no scheme, and none is guessed.
 */
export function urlIri(v: string | undefined): string | undefined {
  if (!v) return undefined;
  const iri = v.trim().replace(RE_NOT_IN_IRI, (c) => encodeURIComponent(c));
  return RE_IRI.test(iri) ? iri : undefined;
}

/** Whether a text is one e-mail address. */
export function isEmail(v: string): boolean {
  return RE_EMAIL.test(v);
}

/**
 * A foaf:Person. `iri` (an ORCID...) is both its @id and its identifier; `email` becomes its mailto: mbox; `memberOf`
 * its organisation.
 */
export function personAgent(name: string, p: { iri?: string; email?: string; memberOf?: Agent }): Agent {
  return {
    ...(p.iri ? { '@id': p.iri } : {}),
    '@type': ['foaf:Person', 'foaf:Agent'],
    name: { '@none': name },
    ...(p.email ? { mbox: 'mailto:' + p.email } : {}),
    ...(p.iri ? { identifier: [p.iri] } : {}),
    ...(p.memberOf ? { memberOf: p.memberOf } : {}),
  };
}

/**
 * A foaf:Organization. `iri` (a ROR...) is its @id, and its identifier unless `identifier` (a code that is not an IRI:
 * a scanR id, a producer id) is given; `email` becomes its mailto: mbox.
 */
export function organisationAgent(name: LangMap, o: { iri?: string; identifier?: string; email?: string; homepage?: string }): Agent {
  const identifier = o.identifier ?? o.iri;
  return {
    ...(o.iri ? { '@id': o.iri } : {}),
    '@type': ['foaf:Organization', 'foaf:Agent'],
    name,
    ...(o.email ? { mbox: 'mailto:' + o.email } : {}),
    ...(o.homepage ? { homepage: o.homepage } : {}),
    ...(identifier ? { identifier: [identifier] } : {}),
  };
}

/** An agent's part in the resource: prov:qualifiedAttribution with the role IRI. */
export function attribution(agent: Agent, hadRole: string): Attribution {
  return { '@type': 'prov:Attribution', agent, hadRole };
}

/**
 * A vCard contact point: an individual or an organisation named `fn`. `email` and `tel` (digits, + allowed) become
 * mailto: and tel: IRIs; `uid` an ORCID or other identifier IRI; `note` a postal address.
 */
export function contactPoint(
  kind: 'individual' | 'organisation',
  fn: string,
  c: { organizationName?: string; email?: string; url?: string; tel?: string; note?: string; uid?: string } = {},
): ContactPoint {
  return {
    '@type': kind === 'individual' ? ['vcard:Individual', 'vcard:Kind'] : ['vcard:Organization', 'vcard:Kind'],
    fn,
    ...(c.organizationName ? { organizationName: c.organizationName } : {}),
    ...(c.email ? { hasEmail: 'mailto:' + c.email } : {}),
    ...(c.url ? { hasURL: c.url } : {}),
    ...(c.tel ? { hasTelephone: 'tel:' + c.tel } : {}),
    ...(c.note ? { note: c.note } : {}),
    ...(c.uid ? { hasUID: c.uid } : {}),
  };
}

// ------------------------------------------------------------------------------------------------------------ time

/**
 * A period written as text: an ISO 8601 interval "start/end" (either side may be empty or ".."), a DCMI Period
 * "start=...; end=...", or one date (the period of that date). Undefined when neither side is a date.
 */
export function periodFromText(text: string): PeriodOfTime | undefined {
  let start: string | undefined;
  let end: string | undefined;
  if (/(?:^|;)\s*(?:start|end)\s*=/.test(text)) {
    start = /start\s*=\s*([^;]+)/.exec(text)?.[1]?.trim();
    end = /end\s*=\s*([^;]+)/.exec(text)?.[1]?.trim();
  } else if (text.includes('/')) [start, end] = text.split('/').map((s) => s.trim());
  else start = end = text.trim();
  const s = start && start !== '..' ? dateLiteral(start) : undefined;
  const e = end && end !== '..' ? dateLiteral(end) : undefined;
  if (!s && !e) return undefined;
  return { '@type': 'dct:PeriodOfTime', ...(s ? { startDate: s } : {}), ...(e ? { endDate: e } : {}) };
}
