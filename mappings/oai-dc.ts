/**
 * The record as OAI-PMH `oai_dc` (unqualified Dublin Core): pure, no I/O. Written for what a Dataverse imports from a
 * harvested `oai_dc` record (its generic importer, facts in docs/oai-pmh.md):
 *
 * - root element `oai_dc:dc` (a Dataverse requires the local name `dc`);
 * - `dc:identifier`: the record's DOIs first, then its Handles, in resolver form (`https://doi.org/...`,
 *   `https://hdl.handle.net/...`): a Dataverse takes the FIRST identifier that contains "doi" or "hdl" as the global
 *   identifier and refuses the record when it is not one of the resolver forms; then the hub IRI of the record, the
 *   source's record identifier and the other identifiers (a Dataverse keeps those as "other id");
 * - `dc:creator` with an `affiliation` attribute (the creator's organisation), which a Dataverse keeps as the author's
 *   affiliation (not in the oai_dc XSD: an attribute its schema does not declare; validators that are lax on
 *   attributes and every OAI-PMH client we know accept it);
 * - `dc:contributor` with a `type` attribute only when the role has a Dataverse contributor type (a value outside its
 *   controlled list would be refused);
 * - one `dc:date` (the publication date, else the creation date, else the last revision, as YYYY[-MM[-DD]]): a
 *   Dataverse reads it as the single-valued production date;
 * - every language of a text, with `xml:lang` (absent for text of unknown language);
 * - `dc:type`: the DCMI type (Dataset, Collection for a series, Service), then the resource type codes;
 * - `dc:coverage`: place names, boxes as "W, S, E, N" (degrees, CRS84) and periods as "start/end" (ISO 8601);
 * - `dc:language`: ISO 639-1 codes where one exists (fr, en), else ISO 639-3.
 */
import { escapeXml } from '../core/xml-write.js';
import { langKey } from '../core/vocab.js';
import type { Agent, HubRecord, LangMap, LangMapMulti } from '../schemas/record.js';
import { parseBboxWkt } from './index-doc.js';
import { globalIdentifiers } from './pid.js';

export const OAI_DC_NS = 'http://www.openarchives.org/OAI/2.0/oai_dc/';
export const DC_NS = 'http://purl.org/dc/elements/1.1/';
export const OAI_DC_SCHEMA = 'http://www.openarchives.org/OAI/2.0/oai_dc.xsd';

/** Dataverse contributor types (its citation block's controlled list) of our role codes. */
const CONTRIBUTOR_TYPE: Record<string, string> = {
  custodian: 'Data Curator',
  owner: 'Rights Holder',
  rightsHolder: 'Rights Holder',
  principalInvestigator: 'Project Leader',
  processor: 'Data Manager',
  editor: 'Editor',
  sponsor: 'Sponsor',
  funder: 'Funder',
  distributor: 'Hosting Institution',
  resourceProvider: 'Hosting Institution',
  collaborator: 'Project Member',
  pointOfContact: 'Other',
};
/** The roles that make an attributed party a creator when the record names no dct:creator. */
export const CREATOR_ROLES = new Set(['author', 'originator', 'creator', 'coAuthor', 'principalInvestigator']);

const DCMI_TYPE: Record<string, string> = {
  'dcat:Dataset': 'Dataset',
  'dcat:DatasetSeries': 'Collection',
  'dcat:DataService': 'Service',
};

interface Element {
  name: string;
  value: string;
  lang?: string;
  attrs?: Record<string, string>;
}

/** The code of a role IRI (its last path segment). */
export function roleOf(iri: string): string {
  return iri.replace(/^.*[/#]/, '');
}

/** A language map's values, each with its xml:lang (none for '@none'). */
function texts(name: string, map: LangMap | undefined): Element[] {
  if (!map) return [];
  return Object.entries(map).map(([lang, value]) => ({ name, value, ...(lang !== '@none' ? { lang } : {}) }));
}
function multiTexts(name: string, map: LangMapMulti | undefined): Element[] {
  if (!map) return [];
  return Object.entries(map).flatMap(([lang, values]) => values.map((value) => ({ name, value, ...(lang !== '@none' ? { lang } : {}) })));
}

/** The agent's name in one language: French, English, unknown, then any. */
export function nameOf(agent: Agent | undefined): string | undefined {
  if (!agent) return undefined;
  const n = agent.name;
  return n.fr ?? n.en ?? n['@none'] ?? Object.values(n)[0];
}

/** YYYY, YYYY-MM or YYYY-MM-DD of a date literal (a date-time keeps its date). */
function plainDate(value: string): string {
  const m = /^(-?\d{4}(?:-\d{2}(?:-\d{2})?)?)/.exec(value);
  return m ? m[1] : value;
}

/** Coordinates written the short way (no trailing zeros, no exponent). */
export function coord(n: number): string {
  return String(Math.round(n * 1e6) / 1e6);
}

/** The record's authors: its dct:creator, else the parties its qualified attributions give an author's role. */
export function authorAgents(record: HubRecord): Agent[] {
  if (record.creator?.length) return [...record.creator];
  return (record.qualifiedAttribution ?? []).filter((q) => CREATOR_ROLES.has(roleOf(q.hadRole))).map((q) => q.agent);
}

function creators(record: HubRecord): Element[] {
  const agents = authorAgents(record);
  const out: Element[] = [];
  const seen = new Set<string>();
  for (const a of agents) {
    const name = nameOf(a);
    if (!name || seen.has(name)) continue;
    seen.add(name);
    const affiliation = nameOf(a.memberOf);
    out.push({ name: 'creator', value: name, ...(affiliation ? { attrs: { affiliation } } : {}) });
  }
  return out;
}

function contributors(record: HubRecord, creatorNames: Set<string>): Element[] {
  const out: Element[] = [];
  const seen = new Set<string>(creatorNames);
  const publisher = nameOf(record.publisher);
  if (publisher) seen.add(publisher);
  const add = (agent: Agent, role: string | undefined): void => {
    const name = nameOf(agent);
    if (!name || seen.has(name)) return;
    seen.add(name);
    const type = role ? CONTRIBUTOR_TYPE[role] : undefined;
    out.push({ name: 'contributor', value: name, ...(type ? { attrs: { type } } : {}) });
  };
  for (const q of record.qualifiedAttribution ?? []) add(q.agent, roleOf(q.hadRole));
  for (const a of record.rightsHolder ?? []) add(a, 'rightsHolder');
  for (const a of record.funder ?? []) add(a, 'funder');
  return out;
}

function identifiers(record: HubRecord): Element[] {
  const values: string[] = globalIdentifiers(record).map((p) => p.url);
  const push = (v: string | undefined): void => {
    if (v && !values.includes(v)) values.push(v);
  };
  push(record['@id']);
  push(record.isPrimaryTopicOf.identifier);
  for (const i of record.otherIdentifier ?? []) push(i.notation);
  return values.map((value) => ({ name: 'identifier', value }));
}

function coverage(record: HubRecord): Element[] {
  const out: Element[] = [];
  for (const loc of record.spatial ?? []) {
    out.push(...texts('coverage', loc.prefLabel));
    const box = loc.bbox ? parseBboxWkt(loc.bbox['@value']) : undefined;
    if (box) out.push({ name: 'coverage', value: [box.west, box.south, box.east, box.north].map(coord).join(', ') });
  }
  for (const p of record.temporal ?? []) {
    const start = p.startDate?.['@value'] ?? '..';
    const end = p.endDate?.['@value'] ?? '..';
    if (p.startDate || p.endDate) out.push({ name: 'coverage', value: `${start}/${end}` });
  }
  return out;
}

function labels(map: LangMap | undefined): string[] {
  return map ? Object.values(map) : [];
}

function rights(record: HubRecord): Element[] {
  const out: Element[] = [];
  const nodes = [
    ...(record.license ?? []),
    ...(record.accessRights ? [record.accessRights] : []),
    ...(record.rights ?? []),
    ...(record.distribution ?? []).flatMap((d) => [d.license, d.rights].filter((x) => x !== undefined)),
  ];
  for (const n of nodes) {
    const label = labels(n.label)[0];
    if (label) out.push({ name: 'rights', value: label });
    if (n['@id']) out.push({ name: 'rights', value: n['@id'] });
  }
  return out;
}

/** The oai_dc elements of a record, in the order they are written (identifiers first). */
export function dcElements(record: HubRecord): Element[] {
  const els: Element[] = [];
  els.push(...texts('title', record.title));
  const creatorEls = creators(record);
  els.push(...creatorEls);
  els.push(...multiTexts('subject', record.keyword));
  for (const c of [...(record.theme ?? []), ...(record.subject ?? [])]) {
    const t = texts('subject', c.prefLabel);
    els.push(...(t.length > 0 ? t : c['@id'] ? [{ name: 'subject', value: c['@id'] }] : []));
  }
  els.push(...texts('description', record.description));
  const publisher = nameOf(record.publisher);
  if (publisher) els.push({ name: 'publisher', value: publisher });
  els.push(...contributors(record, new Set(creatorEls.map((e) => e.value))));
  const date = record.issued ?? record.created ?? record.modified;
  if (date) els.push({ name: 'date', value: plainDate(date['@value']) });
  els.push({ name: 'type', value: DCMI_TYPE[record['@type'][0]] ?? 'Dataset' });
  for (const t of record.resourceType ?? []) els.push({ name: 'type', value: t.notation ?? roleOf(t['@id'] ?? '') });
  for (const d of record.distribution ?? []) {
    const f = d.format ? (labels(d.format.label)[0] ?? d.format['@id']) : undefined;
    if (f) els.push({ name: 'format', value: f });
    if (d.mediaType)
      els.push({ name: 'format', value: d.mediaType['@id'].replace(/^https?:\/\/www\.iana\.org\/assignments\/media-types\//, '') });
  }
  els.push(...identifiers(record));
  if (record.isPrimaryTopicOf.sourceUrl) els.push({ name: 'source', value: record.isPrimaryTopicOf.sourceUrl });
  for (const l of record.language ?? []) {
    const code = langKey(l['@id']);
    els.push({ name: 'language', value: code === '@none' ? roleOf(l['@id']) : code });
  }
  // a series member's series and a series' members are related material too: DCMI's dumb-down of dcterms:isPartOf
  // and dcterms:hasPart is dc:relation, and it is the only link a Dataverse keeps between the two harvested records;
  // so are the publications about the resource and its versions (dcterms:isReferencedBy, hasVersion, isVersionOf; the
  // previous version and what it replaces or is replaced by: dcterms:relation is the super-property of them all)
  for (const r of [
    ...(record.isPartOf ?? []),
    ...(record.inSeries ?? []),
    ...(record.seriesMember ?? []),
    ...(record.relation ?? []),
    ...(record.isReferencedBy ?? []),
    ...(record.hasVersion ?? []),
    ...(record.isVersionOf ?? []),
    ...(record.previousVersion ?? []),
    ...(record.replaces ?? []),
    ...(record.isReplacedBy ?? []),
    ...[...(record.landingPage ?? []), ...(record.page ?? [])].map((p) => p['@id']),
  ])
    els.push({ name: 'relation', value: r });
  els.push(...coverage(record));
  els.push(...rights(record));
  // the same element with the same value (and language) once
  const seen = new Set<string>();
  return els.filter((e) => {
    const key = `${e.name}\u0000${e.lang ?? ''}\u0000${e.value}`;
    if (seen.has(key) || e.value.trim() === '') return false;
    seen.add(key);
    return true;
  });
}

/** The `<oai_dc:dc>` element of a record (namespaces and schema location declared on it). */
export function toOaiDc(record: HubRecord): string {
  const lines = dcElements(record).map((e) => {
    const attrs = Object.entries(e.attrs ?? {})
      .map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
      .join('');
    const lang = e.lang ? ` xml:lang="${escapeXml(e.lang)}"` : '';
    return `<dc:${e.name}${lang}${attrs}>${escapeXml(e.value)}</dc:${e.name}>`;
  });
  return (
    `<oai_dc:dc xmlns:oai_dc="${OAI_DC_NS}" xmlns:dc="${DC_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ` +
    `xsi:schemaLocation="${OAI_DC_NS} ${OAI_DC_SCHEMA}">${lines.join('')}</oai_dc:dc>`
  );
}
