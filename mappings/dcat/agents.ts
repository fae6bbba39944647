/**
 * Agents (publisher, creators, rights holders, funders), contact points and qualified attributions of a DCAT
 * description. An agent needs a name: foaf:name, else vcard:fn, else skos:prefLabel; an agent the catalogue names only
 * by its IRI (an EU corporate body...) is named after the IRI's last segment, with a warning. Pure.
 */
import { coded, type SourceWarning } from '../../core/warnings.js';
import type { Agent, AgentType, Attribution, ContactPoint, ContactType } from '../../schemas/record.js';
import type { TermNode } from './compact.js';
import { classOf, email, iris, iriTail, isIri, langMap, nodes, textIn, texts } from './values.js';
import { roleIri } from '../../core/vocab.js';

/** Where an agent of a record term is, in DCAT-AP. */
const TERM_AT: Record<string, string> = {
  publisher: 'dct:publisher',
  creator: 'dct:creator',
  rightsHolder: 'dct:rightsHolder',
  funder: 'schema:funder',
  agent: 'prov:qualifiedAttribution/prov:agent',
};

const AGENT_CLASSES = ['foaf:Person', 'foaf:Organization', 'foaf:Agent'] as const;
const KIND_CLASSES = ['vcard:Individual', 'vcard:Organization', 'vcard:Kind'] as const;

/** The classes of an agent (a person or an organisation is also a foaf:Agent); a vCard kind says which when FOAF does not. */
function agentType(n: TermNode): AgentType {
  const foaf = classOf(n, AGENT_CLASSES);
  const kind = foaf === 'foaf:Agent' || foaf === undefined ? classOf(n, KIND_CLASSES) : undefined;
  if (foaf === 'foaf:Person' || kind === 'vcard:Individual') return ['foaf:Person', 'foaf:Agent'];
  if (foaf === 'foaf:Organization' || kind === 'vcard:Organization') return ['foaf:Organization', 'foaf:Agent'];
  return ['foaf:Agent'];
}

/** The classes of a contact point (an individual or an organisation is also a vcard:Kind). */
function contactType(n: TermNode): ContactType {
  const kind = classOf(n, KIND_CLASSES);
  if (kind === 'vcard:Individual' || (kind === undefined && n['@type']?.includes('foaf:Person'))) return ['vcard:Individual', 'vcard:Kind'];
  if (kind === 'vcard:Organization' || (kind === undefined && n['@type']?.includes('foaf:Organization')))
    return ['vcard:Organization', 'vcard:Kind'];
  return ['vcard:Kind'];
}

/** One agent, or undefined (with a warning) when it has neither a name nor an IRI. */
export function agent(n: TermNode, warnings: SourceWarning[], depth = 0, at = 'dct:publisher'): Agent | undefined {
  const id = n['@id'] !== undefined && isIri(n['@id']) ? n['@id'] : undefined;
  let name = langMap(n, 'name') ?? langMap(n, 'fn') ?? langMap(n, 'prefLabel') ?? langMap(n, 'organizationName');
  if (!name) {
    if (!id) {
      warnings.push(coded(at, 'dcat.agent.anonymous'));
      return undefined;
    }
    name = { '@none': iriTail(id) };
    warnings.push(coded(at, 'dcat.agent.noName', { id }));
  }
  const member = depth < 3 ? nodes(n, 'memberOf')[0] : undefined;
  const memberOf = member ? agent(member, warnings, depth + 1, `${at}/schema:memberOf`) : undefined;
  const identifier = texts(n, 'identifier');
  return {
    ...(id ? { '@id': id } : {}),
    '@type': agentType(n),
    name,
    ...((email(n, 'mbox') ?? email(n, 'hasEmail')) ? { mbox: (email(n, 'mbox') ?? email(n, 'hasEmail'))! } : {}),
    ...(iris(n, 'homepage')[0] ? { homepage: iris(n, 'homepage')[0] } : {}),
    ...(identifier.length ? { identifier } : {}),
    ...(memberOf ? { memberOf } : {}),
  };
}

/** The agents of a term, in canonical order. */
export function agents(n: TermNode, term: string, warnings: SourceWarning[]): Agent[] {
  return nodes(n, term)
    .map((a) => agent(a, warnings, 0, TERM_AT[term] ?? term))
    .filter((a): a is Agent => a !== undefined);
}

/**
 * One contact point: vcard:fn, else the organisation's name, else the e-mail address; none of them: left out. A name
 * given in several languages is the one in `lang` (the record's metadata language), else the untagged one (values.ts
 * textIn).
 */
export function contact(n: TermNode, warnings: SourceWarning[], lang?: string): ContactPoint | undefined {
  const hasEmail = email(n, 'hasEmail') ?? email(n, 'mbox');
  const organizationName = textIn(n, 'organizationName', lang);
  const fn = textIn(n, 'fn', lang) ?? textIn(n, 'name', lang) ?? organizationName ?? hasEmail?.slice('mailto:'.length);
  if (!fn) {
    warnings.push(coded('dcat:contactPoint', 'dcat.contactPoint.anonymous'));
    return undefined;
  }
  const id = n['@id'] !== undefined && isIri(n['@id']) ? n['@id'] : undefined;
  const tel = iris(n, 'hasTelephone')[0] ?? telIri(texts(n, 'hasTelephone')[0]);
  return {
    ...(id ? { '@id': id } : {}),
    '@type': contactType(n),
    fn,
    ...(organizationName ? { organizationName } : {}),
    ...(hasEmail ? { hasEmail } : {}),
    ...(iris(n, 'hasURL')[0] ? { hasURL: iris(n, 'hasURL')[0] } : {}),
    ...(tel ? { hasTelephone: tel } : {}),
    ...(texts(n, 'note')[0] ? { note: texts(n, 'note')[0] } : {}),
    ...(iris(n, 'hasUID')[0] ? { hasUID: iris(n, 'hasUID')[0] } : {}),
  };
}

/** A tel: IRI of a telephone number written as text. */
function telIri(t: string | undefined): string | undefined {
  const digits = t?.replace(/[\s().-]/g, '');
  return digits && /^\+?\d{3,}$/.test(digits) ? `tel:${digits}` : undefined;
}

/** The contact points of a description; `lang`: the record's metadata language (a language-map key). */
export function contacts(n: TermNode, warnings: SourceWarning[], lang?: string): ContactPoint[] {
  return nodes(n, 'contactPoint')
    .map((c) => contact(c, warnings, lang))
    .filter((c): c is ContactPoint => c !== undefined);
}

const GEODCATAP = 'http://data.europa.eu/930/';

/**
 * GeoDCAT-AP's properties for the ISO responsible-party roles that DCAT has no property of its own for (GeoDCAT-AP 3,
 * http://data.europa.eu/930/: each `rdfs:seeAlso` its INSPIRE ResponsiblePartyRole): `geodcatap:custodian` is the
 * attribution of its agent with the role .../ResponsiblePartyRole/custodian, as the ISO crosswalk writes a
 * CI_RoleCode custodian. (Owner, publisher, author and point of contact are dct:rightsHolder, dct:publisher,
 * dct:creator and dcat:contactPoint.)
 */
export const GEODCATAP_ROLES = [
  'custodian',
  'distributor',
  'originator',
  'principalInvestigator',
  'processor',
  'resourceProvider',
  'user',
] as const;

/** The roles whose agents are also creators, as in the ISO crosswalk (mappings/iso/parties.ts CREATOR_ROLES). */
const CREATOR_ROLES = new Set<string>(['originator', 'principalInvestigator']);

/** The agents a GeoDCAT-AP role property names (`principalInvestigator`: geodcatap:principalInvestigator). */
function roleAgents(n: TermNode, role: string, warnings: SourceWarning[]): Agent[] {
  return nodes(n, GEODCATAP + role)
    .map((a) => agent(a, warnings, 0, `geodcatap:${role}`))
    .filter((a): a is Agent => a !== undefined);
}

/** dct:creator, with the agents of geodcatap:originator and geodcatap:principalInvestigator (each once). */
export function creators(n: TermNode, warnings: SourceWarning[]): Agent[] {
  const out = agents(n, 'creator', warnings);
  for (const role of GEODCATAP_ROLES) {
    if (!CREATOR_ROLES.has(role)) continue;
    for (const a of roleAgents(n, role, [])) if (!out.some((x) => sameAgent(x, a))) out.push(a);
  }
  return out;
}

/** Whether two agents are the same: the same IRI, else the same description. */
function sameAgent(a: Agent, b: Agent): boolean {
  return a['@id'] !== undefined || b['@id'] !== undefined ? a['@id'] === b['@id'] : JSON.stringify(a) === JSON.stringify(b);
}

/**
 * prov:qualifiedAttribution: an agent and its role IRI (one without either is left out); then the agent of each
 * GeoDCAT-AP role property with the property's INSPIRE role (once: a catalogue may say both).
 */
export function attributions(n: TermNode, warnings: SourceWarning[]): Attribution[] {
  const out: Attribution[] = [];
  for (const q of nodes(n, 'qualifiedAttribution')) {
    const who = nodes(q, 'agent')[0];
    const role = iris(q, 'hadRole')[0];
    const a = who ? agent(who, warnings, 0, TERM_AT.agent) : undefined;
    if (a && role) out.push({ '@type': 'prov:Attribution', agent: a, hadRole: role });
  }
  for (const role of GEODCATAP_ROLES) {
    const hadRole = roleIri(role)!; // the INSPIRE role IRI the ISO crosswalk writes for the CI_RoleCode
    for (const a of roleAgents(n, role, warnings)) {
      if (!out.some((q) => q.hadRole === hadRole && sameAgent(q.agent, a))) out.push({ '@type': 'prov:Attribution', agent: a, hadRole });
    }
  }
  return out;
}
