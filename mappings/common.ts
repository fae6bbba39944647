/**
 * What every crosswalk (ISO, STAC, OZCAR) writes the same way: the head of a record, its catalogue record, agents,
 * contact points and attributions, and the rule that a record holds no empty value. Pure.
 *
 * Each builder writes its keys in one fixed order (the order of schemas/record.ts). The order is part of the output:
 * recordHash (mappings/index-doc.ts) hashes the record's JSON text, so a crosswalk that wrote the same values in
 * another order would rewrite every record of its sources at the next harvest.
 */
import type { Agent, Attribution, CatalogRecord, ContactPoint, HubRecord, Identifier, LangMap, RecordType } from '../schemas/record.js';
import { hubId, recordIri } from '../schemas/record.js';

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

/** The fields of a catalogue record, with its one metadata language as an IRI (written as a list). */
export type CatalogRecordParts = Omit<CatalogRecord, '@id' | '@type' | 'language'> & { language?: string };

/** The dcat:CatalogRecord of a record (its isPrimaryTopicOf): where, when and from what it was harvested. */
export function catalogRecord(p: CatalogRecordParts): CatalogRecord {
  return {
    '@type': 'dcat:CatalogRecord',
    identifier: p.identifier,
    ...(p.modified ? { modified: p.modified } : {}),
    ...(p.language ? { language: [p.language] } : {}),
    ...(p.conformsTo ? { conformsTo: p.conformsTo } : {}),
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

// ------------------------------------------------------------------------------------------------------------ agents

const RE_ORCID = /^(?:https?:\/\/orcid\.org\/)?(\d{4}-\d{4}-\d{4}-\d{3}[\dX])$/i;
const RE_EMAIL = /^[^\s@<>()]+@[^\s@<>()]+\.[^\s@<>()]+$/;

/** The https://orcid.org/ IRI of an ORCID iD (bare "0000-0002-1825-0097" or as an IRI), else undefined. */
export function orcidIri(v: string): string | undefined {
  const m = RE_ORCID.exec(v);
  return m ? 'https://orcid.org/' + m[1].toUpperCase() : undefined;
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
    '@type': 'foaf:Person',
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
    '@type': 'foaf:Organization',
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
    '@type': kind === 'individual' ? 'vcard:Individual' : 'vcard:Organization',
    fn,
    ...(c.organizationName ? { organizationName: c.organizationName } : {}),
    ...(c.email ? { hasEmail: 'mailto:' + c.email } : {}),
    ...(c.url ? { hasURL: c.url } : {}),
    ...(c.tel ? { hasTelephone: 'tel:' + c.tel } : {}),
    ...(c.note ? { note: c.note } : {}),
    ...(c.uid ? { hasUID: c.uid } : {}),
  };
}
