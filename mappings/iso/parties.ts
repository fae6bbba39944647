/**
 * Responsible parties: 19139 `CI_ResponsibleParty` (and profile subtypes such as `che:CHE_CI_ResponsibleParty`) and
 * 19115-3 `CI_Responsibility` with `party` CI_Organisation / CI_Individual, read into one Party model, then written
 * as foaf agents (publisher, creator, rightsHolder, qualifiedAttribution) and vCard contact points.
 */
import type { Agent, Attribution, ContactPoint, HubRecord, LangMap } from '../../schemas/record.js';
import { byJson, unique } from '../../core/json.js';
import { roleCode, roleIri } from '../../core/vocab.js';
import { all, children, codeValue, first, href, namedChildren, text, textAt, type XNode } from '../../core/xml.js';
import { attribution, contactPoint, isEmail, orcidIri, organisationAgent, personAgent, urlIri } from '../common.js';
import { langText, mainValue, warn, type MapCtx } from './context.js';

export interface Party {
  /** Normalised CI_RoleCode ("pointOfContact"); undefined when absent. */
  role?: string;
  org?: LangMap;
  /** IRI identifying the organisation (Anchor href, ROR...). */
  orgId?: string;
  person?: string;
  personId?: string;
  position?: string;
  email?: string;
  phone?: string;
  url?: string;
  address?: string;
}

function cleanEmail(v: string | undefined): string | undefined {
  if (!v) return undefined;
  const e = v
    .trim()
    .replace(/^mailto:/i, '')
    .split(/[\s;,]+/)[0];
  return e && isEmail(e) ? e : undefined;
}

/** An identifier as an IRI when it can be one: ORCID ids become https://orcid.org/..., URLs stay. */
export function partyIdentifierIri(v: string | undefined): string | undefined {
  if (!v) return undefined;
  const t = v.trim();
  return orcidIri(t) ?? (/^https?:\/\//i.test(t) ? urlIri(t) : undefined);
}

interface ContactDetails {
  email?: string;
  phone?: string;
  url?: string;
  address?: string;
}

/**
 * Where a party's contact details are, in each encoding: the path of its responsible-party property (`gmd:contact`,
 * `gmd:identificationInfo/*\/gmd:pointOfContact`...) in 19139 and in 19115-3, down to the party's CI_Contact.
 */
export interface PartyAt {
  /** The responsible-party property: [ISO 19139 path, ISO 19115-3 path]. */
  property: readonly [iso19139: string, iso19115_3: string];
  /** In 19115-3, the individual of an organisation (cit:party/*\/cit:individual) rather than the organisation. */
  individual?: boolean;
}

/** The path of a party's contact online resource linkage, in the record's own encoding. */
function contactUrlAt(at: PartyAt): [string, string] {
  const party = at.individual ? 'cit:party/*/cit:individual/*' : 'cit:party/*';
  return [
    `${at.property[0]}/*/gmd:contactInfo/*/gmd:onlineResource/*/gmd:linkage`,
    `${at.property[1]}/*/${party}/cit:contactInfo/*/cit:onlineResource/*/cit:linkage`,
  ];
}

/**
 * CI_Contact (both encodings): e-mail, telephone, online resource, postal address. An online resource that is not an
 * absolute URL (GeoNetwork records often hold "www.example.org") is dropped with a warning naming where it is, never
 * guessed into one.
 */
function readContact(ctx: MapCtx, contactInfo: XNode[], at: PartyAt): ContactDetails {
  const out: ContactDetails = {};
  for (const c of contactInfo.flatMap((ci) => all(ci, '*'))) {
    for (const addr of all(c, 'address', '*')) {
      out.email ??= cleanEmail(textAt(addr, 'electronicMailAddress'));
      if (!out.address) {
        const parts = [
          ...all(addr, 'deliveryPoint').map(text),
          // geocat.ch street
          [textAt(addr, 'streetName'), textAt(addr, 'streetNumber')].filter(Boolean).join(' ') || undefined,
          [textAt(addr, 'postalCode'), textAt(addr, 'city')].filter(Boolean).join(' ') || undefined,
          textAt(addr, 'administrativeArea'),
          textAt(addr, 'country') ?? codeValue(first(addr, 'country')),
        ].filter((p): p is string => !!p);
        if (parts.length) out.address = parts.join(', ');
      }
    }
    for (const tel of all(c, 'phone', '*')) {
      // 19139: voice; 19115-3: number (numberType voice/facsimile/sms).
      out.phone ??= textAt(tel, 'voice');
      if (!out.phone) {
        const type = codeValue(first(tel, 'numberType'));
        if (!type || type === 'voice') out.phone = textAt(tel, 'number');
      }
    }
    const url = out.url ? undefined : textAt(c, 'onlineResource', '*', 'linkage');
    if (url !== undefined) {
      const iri = urlIri(url);
      if (iri) out.url = iri;
      else warn(ctx, contactUrlAt(at), 'iso.contact.urlNotAbsolute', { url: url.slice(0, 120) });
    }
  }
  return out;
}

/** The role code of a party element (role/CI_RoleCode@codeListValue or its text). */
function readRole(node: XNode): string | undefined {
  return roleCode(codeValue(first(node, 'role')));
}

/**
 * Parties of one responsible-party element (any encoding). A 19115-3 CI_Responsibility may name several parties;
 * an organisation with individuals yields the organisation and each individual (with the organisation).
 */
export function readParties(ctx: MapCtx, node: XNode, at: PartyAt, defaultRole?: string): Party[] {
  const role = readRole(node) ?? defaultRole;
  const partyNodes = children(node, 'party');
  if (partyNodes.length === 0) {
    // 19139 CI_ResponsibleParty
    const orgProp = first(node, 'organisationName');
    const personProp = first(node, 'individualName');
    const p: Party = contactOf(readContact(ctx, all(node, 'contactInfo'), at));
    if (role) p.role = role;
    const org = langText(ctx, orgProp);
    if (org) p.org = org;
    const orgId = partyIdentifierIri(href(orgProp));
    if (orgId) p.orgId = orgId;
    const person = nameText(ctx, personProp);
    if (person) p.person = person;
    const personId = partyIdentifierIri(href(personProp));
    if (personId) p.personId = personId;
    const position = nameText(ctx, first(node, 'positionName'));
    if (position) p.position = position;
    return p.org || p.person || p.position || p.email ? [p] : [];
  }
  const out: Party[] = [];
  for (const wrapper of partyNodes) {
    for (const [kind, party] of namedParty(wrapper)) {
      if (kind === 'organisation') {
        const base: Party = contactOf(readContact(ctx, all(party, 'contactInfo'), at));
        if (role) base.role = role;
        const org = langText(ctx, first(party, 'name'));
        if (org) base.org = org;
        const orgId = partyIdentifierIri(href(first(party, 'name'))) ?? identifierOf(party);
        if (orgId) base.orgId = orgId;
        const individuals = all(party, 'individual', '*');
        if (individuals.length === 0 || base.org) out.push(base);
        for (const ind of individuals) {
          const p = individual(ctx, ind, role, { ...at, individual: true });
          if (!p) continue;
          if (base.org) p.org = base.org;
          if (base.orgId) p.orgId = base.orgId;
          p.email ??= base.email;
          p.phone ??= base.phone;
          p.url ??= base.url;
          p.address ??= base.address;
          // The organisation itself is already listed; the individual is a separate party with the same role.
          out.push(p);
        }
      } else {
        const p = individual(ctx, party, role, at);
        if (p) out.push(p);
      }
    }
  }
  return out.filter((p) => p.org || p.person || p.position || p.email);
}

/** The organisations and individuals of a cit:party, profile subtypes included (geocat.ch `che:CHE_CI_Organisation`). */
function namedParty(wrapper: XNode): Array<['organisation' | 'individual', XNode]> {
  const out: Array<['organisation' | 'individual', XNode]> = [];
  for (const [name, node] of namedChildren(wrapper)) {
    if (/(?:^|_)CI_Organisation$/.test(name)) out.push(['organisation', node]);
    else if (/(?:^|_)CI_Individual$/.test(name)) out.push(['individual', node]);
  }
  return out;
}

function identifierOf(party: XNode): string | undefined {
  for (const id of all(party, 'partyIdentifier', '*')) {
    const code = first(id, 'code');
    const iri = partyIdentifierIri(href(code)) ?? partyIdentifierIri(text(code));
    if (iri) return iri;
  }
  return undefined;
}

function individual(ctx: MapCtx, ind: XNode, role: string | undefined, at: PartyAt): Party | undefined {
  const p: Party = contactOf(readContact(ctx, all(ind, 'contactInfo'), at));
  if (role) p.role = role;
  const nameProp = first(ind, 'name');
  const name = nameText(ctx, nameProp);
  if (name) p.person = name;
  const id = partyIdentifierIri(href(nameProp)) ?? identifierOf(ind);
  if (id) p.personId = id;
  const position = nameText(ctx, first(ind, 'positionName'));
  if (position) p.position = position;
  return p.person || p.position || p.email ? p : undefined;
}

/**
 * The one name of a person or a position: its default (untagged) text; when it has none, only translations
 * (PT_FreeText), the one in the metadata language, else the first in document order (context.ts mainValue).
 */
function nameText(ctx: MapCtx, prop: XNode | undefined): string | undefined {
  return text(prop) ?? mainValue(ctx, langText(ctx, prop));
}

function contactOf(c: ContactDetails): Party {
  const out: Party = {};
  if (c.email) out.email = c.email;
  if (c.phone) out.phone = c.phone;
  if (c.url) out.url = c.url;
  if (c.address) out.address = c.address;
  return out;
}

/** Roles whose party is a person when a person is named (authors), rather than the organisation. */
const PERSON_ROLES = new Set(['author', 'originator', 'coAuthor', 'principalInvestigator', 'creator', 'contributor', 'editor']);

/**
 * foaf agent of a party. The organisation when one is named (with its e-mail and homepage), except for authoring
 * roles where a named person is the agent, member of the organisation. Undefined when the party has no name.
 */
export function agentOf(ctx: MapCtx, p: Party): Agent | undefined {
  const authoring = p.role !== undefined && PERSON_ROLES.has(p.role);
  // the e-mail of a named author is the author's, not the organisation's
  const org = p.org
    ? organisationAgent(p.org, { iri: p.orgId, email: p.person && authoring ? undefined : p.email, homepage: p.url })
    : undefined;
  if (p.person && (!org || authoring)) return personAgent(p.person, { iri: p.personId, email: p.email, memberOf: org });
  if (org) return org;
  if (p.position) return { '@type': ['foaf:Agent'], name: { [ctx.main]: p.position }, ...(p.email ? { mbox: 'mailto:' + p.email } : {}) };
  return undefined;
}

/** vCard contact point of a party. */
export function contactPointOf(ctx: MapCtx, p: Party): ContactPoint | undefined {
  const orgName = mainValue(ctx, p.org);
  const fn = p.person ?? orgName ?? p.position ?? p.email;
  if (!fn) return undefined;
  return contactPoint(p.person ? 'individual' : 'organisation', fn, {
    // an organisation named by its own name needs no organizationName
    organizationName: orgName !== fn || p.person ? orgName : undefined,
    email: p.email,
    url: p.url,
    tel: p.phone?.replace(/[^\d+]/g, ''),
    note: p.address,
    uid: p.personId ?? p.orgId,
  });
}

/** prov:Attribution of a party with its INSPIRE role IRI; undefined without role or name. */
export function attributionOf(ctx: MapCtx, p: Party): Attribution | undefined {
  const role = roleIri(p.role);
  const agent = agentOf(ctx, p);
  return role && agent ? attribution(agent, role) : undefined;
}

const CREATOR_ROLES = new Set(['author', 'originator', 'creator', 'coAuthor', 'principalInvestigator']);
const RIGHTS_HOLDER_ROLES = new Set(['owner', 'rightsHolder']);
const FUNDER_ROLES = new Set(['funder', 'sponsor']);

export type ResourceAgents = Pick<
  HubRecord,
  'publisher' | 'creator' | 'rightsHolder' | 'contactPoint' | 'qualifiedAttribution' | 'funder'
> & {
  /** GeoDCAT-AP: the metadata points of contact (gmd:contact), the contact points of the catalogue record. */
  metadataContact: ContactPoint[];
};

/**
 * The parties of the resource (citation, pointOfContact, maintenance contact, distributors) by role: publisher,
 * creators, rights holders, funders, contact points and every attribution; see index.ts for the choices.
 */
export function readResourceAgents(ctx: MapCtx, md: XNode, ident: XNode, citation: XNode | undefined): ResourceAgents {
  const read = (nodes: XNode[], property: PartyAt['property'], defaultRole?: string): Party[] =>
    nodes.flatMap((n) => readParties(ctx, n, { property }, defaultRole));
  const cited = read(all(citation, 'citedResponsibleParty', '*'), [
    'gmd:identificationInfo/*/gmd:citation/*/gmd:citedResponsibleParty',
    'mdb:identificationInfo/*/mri:citation/*/cit:citedResponsibleParty',
  ]);
  const poc = read(all(ident, 'pointOfContact', '*'), [
    'gmd:identificationInfo/*/gmd:pointOfContact',
    'mdb:identificationInfo/*/mri:pointOfContact',
  ]);
  const maintenance = read(all(ident, 'resourceMaintenance', '*', 'contact', '*'), [
    'gmd:identificationInfo/*/gmd:resourceMaintenance/*/gmd:contact',
    'mdb:identificationInfo/*/mri:resourceMaintenance/*/mmi:contact',
  ]);
  const distributors = read(
    all(md, 'distributionInfo', '*', 'distributor', '*', 'distributorContact', '*'),
    ['gmd:distributionInfo/*/gmd:distributor/*/gmd:distributorContact', 'mdb:distributionInfo/*/mrd:distributor/*/mrd:distributorContact'],
    'distributor',
  );
  const metadata = read(all(md, 'contact', '*'), ['gmd:contact', 'mdb:contact']);
  const resource = [...cited, ...poc, ...maintenance, ...distributors];

  const agentsWith = (roles: Set<string>): Agent[] =>
    unique(
      resource
        .filter((p) => p.role && roles.has(p.role))
        .map((p) => agentOf(ctx, p))
        .filter((a): a is Agent => !!a),
      byJson,
    );
  const publisher = resource.find((p) => p.role === 'publisher') ?? distributors[0] ?? resource.find((p) => p.role === 'distributor');
  let contacts = [...cited, ...poc].filter((p) => p.role === 'pointOfContact');
  if (contacts.length === 0) contacts = poc;
  if (contacts.length === 0) contacts = metadata;
  const contactPoints = (parties: Party[]): ContactPoint[] =>
    unique(
      parties.map((p) => contactPointOf(ctx, p)).filter((x): x is ContactPoint => !!x),
      byJson,
    );
  return {
    ...(publisher ? { publisher: agentOf(ctx, publisher) } : {}),
    creator: agentsWith(CREATOR_ROLES),
    rightsHolder: agentsWith(RIGHTS_HOLDER_ROLES),
    funder: agentsWith(FUNDER_ROLES),
    contactPoint: contactPoints(contacts),
    qualifiedAttribution: unique(
      resource.map((p) => attributionOf(ctx, p)).filter((x): x is Attribution => !!x),
      byJson,
    ),
    metadataContact: contactPoints(metadata),
  };
}
