/**
 * People and organisations of an OZCAR dataset: the dataset's contacts and the producer's (persons with a role, an
 * e-mail, an ORCID and an organisation; organisations with the role "Research group"), the producer itself
 * (publisher) and its fundings (funders). Pure.
 *
 * - contactPoint: the dataset's data managers and principal investigators (vCard individuals, ORCID as hasUID), then
 *   the producer's own e-mail as an organisation;
 * - creator: the dataset's principal investigators (foaf:Person, member of their organisation);
 * - qualifiedAttribution: every contact of the dataset and of the producer, with its role IRI (codes.ts ozcarRoleIri);
 * - publisher: the producer (foaf:Organization, homepage, e-mail, producerId);
 * - funder: each funding (name, with the acronym when the name lacks it; scanR id as identifier).
 */
import type { Agent, Attribution, ContactPoint } from '../../schemas/record.js';
import { arr, obj, unique, type JsonObject } from '../../core/json.js';
import { ozcarRoleIri } from './codes.js';
import type { TextReader } from './text.js';

const RE_ORCID = /^(?:https?:\/\/orcid\.org\/)?(\d{4}-\d{4}-\d{4}-\d{3}[\dX])$/i;
const RE_EMAIL = /^[^\s@<>()]+@[^\s@<>()]+\.[^\s@<>()]+$/;

/** One contact of the pivot file, read. */
export interface Contact {
  kind: 'person' | 'organisation';
  name: string;
  role?: string;
  email?: string;
  /** https://orcid.org/... */
  orcid?: string;
  /** Person's organisation. */
  organisation?: Agent;
  /** Organisation's scanR id. */
  scanR?: string;
}

export interface AgentFacts {
  contactPoint: ContactPoint[];
  creator: Agent[];
  qualifiedAttribution: Attribution[];
  publisher?: Agent;
  funder: Agent[];
}

/** Name of an organisation or funding: its name, with the acronym appended when the name does not contain it. */
function orgName(t: TextReader, o: JsonObject): string | undefined {
  const name = t.text(o.name);
  const acronym = t.text(o.acronym);
  if (name && acronym && !name.toLowerCase().includes(acronym.toLowerCase())) return `${name} (${acronym})`;
  return name ?? acronym;
}

function organisationAgent(t: TextReader, o: JsonObject): Agent | undefined {
  const name = orgName(t, o);
  if (!name) return undefined;
  const scanR = t.text(o.idScanR);
  return { '@type': 'foaf:Organization', name: { '@none': name }, ...(scanR ? { identifier: [scanR] } : {}) };
}

/** Reads a Person or Organisation contact; warnings for an ORCID or e-mail that cannot be used. */
export function readContact(t: TextReader, value: unknown, where: string, warnings: string[]): Contact | undefined {
  const c = obj(value);
  if (!c) return undefined;
  const role = t.text(c.role);
  const first = t.text(c.firstName);
  const last = t.text(c.lastName);
  if (!first && !last) {
    const name = orgName(t, c);
    const scanR = t.text(c.idScanR);
    return name ? { kind: 'organisation', name, ...(role ? { role } : {}), ...(scanR ? { scanR } : {}) } : undefined;
  }
  const email = t.text(c.email);
  const orcidText = t.text(c.orcId);
  const m = orcidText ? RE_ORCID.exec(orcidText) : null;
  if (orcidText && !m) warnings.push(`${where}/orcId: "${orcidText}" is not an ORCID, ignored`);
  if (email && !RE_EMAIL.test(email)) warnings.push(`${where}/email: "${email}" is not an e-mail address, ignored`);
  const org = obj(c.organisation);
  const organisation = org ? organisationAgent(t, org) : undefined;
  return {
    kind: 'person',
    name: [first, last].filter(Boolean).join(' '),
    ...(role ? { role } : {}),
    ...(email && RE_EMAIL.test(email) ? { email } : {}),
    ...(m ? { orcid: 'https://orcid.org/' + m[1]!.toUpperCase() } : {}),
    ...(organisation ? { organisation } : {}),
  };
}

export function contactAgent(c: Contact): Agent {
  if (c.kind === 'organisation') return { '@type': 'foaf:Organization', name: { '@none': c.name }, ...(c.scanR ? { identifier: [c.scanR] } : {}) };
  return {
    ...(c.orcid ? { '@id': c.orcid } : {}),
    '@type': 'foaf:Person',
    name: { '@none': c.name },
    ...(c.email ? { mbox: 'mailto:' + c.email } : {}),
    ...(c.orcid ? { identifier: [c.orcid] } : {}),
    ...(c.organisation ? { memberOf: c.organisation } : {}),
  };
}

function contactPointOf(c: Contact): ContactPoint {
  if (c.kind === 'organisation') return { '@type': 'vcard:Organization', fn: c.name };
  const orgName = c.organisation?.name['@none'];
  return {
    '@type': 'vcard:Individual',
    fn: c.name,
    ...(orgName ? { organizationName: orgName } : {}),
    ...(c.email ? { hasEmail: 'mailto:' + c.email } : {}),
    ...(c.orcid ? { hasUID: c.orcid } : {}),
  };
}

const CONTACT_ROLES = new Set(['data manager', 'principal investigator']);
const CREATOR_ROLES = new Set(['principal investigator']);

function roleIs(c: Contact, roles: Set<string>): boolean {
  return c.role !== undefined && roles.has(c.role.toLowerCase());
}

/** Identity of a contact across its roles and lists: e-mail, else ORCID, else kind and name. */
function identity(c: Contact): string {
  return c.email?.toLowerCase() ?? c.orcid ?? `${c.kind}:${c.name.toLowerCase()}`;
}

/**
 * The same person in several entries (one per role, in the dataset and in the producer): every entry keeps its role,
 * and takes the ORCID, e-mail and organisation the other entries give (the producer often has the ORCID the dataset
 * lacks). The name of the first entry wins (producer entries sometimes swap first and last names).
 */
function completeContacts(contacts: Contact[]): Contact[] {
  const best = new Map<string, Contact>();
  for (const c of contacts) {
    const b = best.get(identity(c));
    if (!b) best.set(identity(c), { ...c });
    else {
      b.orcid ??= c.orcid;
      b.organisation ??= c.organisation;
      b.scanR ??= c.scanR;
    }
  }
  return contacts.map((c) => {
    const b = best.get(identity(c))!;
    return { ...b, ...(c.role ? { role: c.role } : {}) };
  });
}

/** The agents of a dataset from its metadata contacts and its producer. */
export function readAgents(t: TextReader, metadata: JsonObject, producer: JsonObject | undefined, warnings: string[]): AgentFacts {
  const ownRead = arr(metadata.contacts)
    .map((c, i) => readContact(t, c, `/metadata/contacts/${i}`, warnings))
    .filter((c): c is Contact => c !== undefined);
  const producerRead = arr(producer?.contacts)
    .map((c, i) => readContact(t, c, `producer/contacts/${i}`, warnings))
    .filter((c): c is Contact => c !== undefined);
  const all = completeContacts([...ownRead, ...producerRead]);
  const own = all.slice(0, ownRead.length);
  const producers = all.slice(ownRead.length);

  // The same person with the same role in the dataset and in the producer is attributed once (the dataset's entry).
  const attributed: Array<{ c: Contact; hadRole: string }> = [];
  for (const c of [...own, ...producers]) {
    const hadRole = ozcarRoleIri(c.role);
    if (!hadRole) {
      warnings.push(`contact ${c.name}: role ${JSON.stringify(c.role ?? null)} is not an OZCAR role, no attribution`);
      continue;
    }
    attributed.push({ c, hadRole });
  }
  const qualifiedAttribution: Attribution[] = unique(attributed, (a) => `${a.hadRole}|${identity(a.c)}`).map((a) => ({
    '@type': 'prov:Attribution',
    agent: contactAgent(a.c),
    hadRole: a.hadRole,
  }));

  const contactPoint = unique(own.filter((c) => roleIs(c, CONTACT_ROLES)), identity).map(contactPointOf);
  const p = producer ?? {};
  const producerName = t.text(p.name) ?? t.text(p.title);
  const producerEmail = t.text(p.email);
  const online = obj(p.onlineResource) ?? {};
  const homepage = t.text(online.urlInfo);
  if (producerName && producerEmail && RE_EMAIL.test(producerEmail)) {
    contactPoint.push({ '@type': 'vcard:Organization', fn: producerName, hasEmail: 'mailto:' + producerEmail, ...(homepage ? { hasURL: homepage } : {}) });
  }

  const producerId = t.text(p.producerId);
  const publisher: Agent | undefined = producerName
    ? {
        '@type': 'foaf:Organization',
        name: { '@none': producerName },
        ...(producerEmail && RE_EMAIL.test(producerEmail) ? { mbox: 'mailto:' + producerEmail } : {}),
        ...(homepage ? { homepage } : {}),
        ...(producerId ? { identifier: [producerId] } : {}),
      }
    : undefined;

  const funder = arr(p.fundings)
    .map((f) => obj(f))
    .filter((f): f is JsonObject => f !== undefined)
    .map((f) => organisationAgent(t, f))
    .filter((a): a is Agent => a !== undefined);

  return {
    contactPoint: unique(contactPoint, (c) => `${c['@type']}|${c.fn}|${c.hasEmail ?? ''}`),
    creator: unique(own.filter((c) => roleIs(c, CREATOR_ROLES)), identity).map(contactAgent),
    qualifiedAttribution,
    ...(publisher ? { publisher } : {}),
    funder: unique(funder, (a) => JSON.stringify(a)),
  };
}
