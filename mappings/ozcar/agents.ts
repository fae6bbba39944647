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
import { arr, byJson, obj, unique, type JsonObject } from '../../core/json.js';
import { attribution, contactPoint, isEmail, orcidIri, organisationAgent, personAgent, urlIri } from '../common.js';
import { ozcarRoleIri } from './codes.js';
import type { TextReader } from './text.js';
import { coded, type SourceWarning } from '../../core/warnings.js';

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

function organisationOf(t: TextReader, o: JsonObject): Agent | undefined {
  const name = orgName(t, o);
  if (!name) return undefined;
  return organisationAgent({ '@none': name }, { identifier: t.text(o.idScanR) });
}

/** Reads a Person or Organisation contact; warnings for an ORCID or e-mail that cannot be used. */
export function readContact(t: TextReader, value: unknown, where: string, warnings: SourceWarning[]): Contact | undefined {
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
  const orcid = orcidText ? orcidIri(orcidText) : undefined;
  if (orcidText && !orcid) warnings.push(coded(`${where}/orcId`, 'ozcar.orcid.invalid', { value: orcidText }));
  if (email && !isEmail(email)) warnings.push(coded(`${where}/email`, 'ozcar.email.invalid', { value: email }));
  const org = obj(c.organisation);
  const organisation = org ? organisationOf(t, org) : undefined;
  return {
    kind: 'person',
    name: [first, last].filter(Boolean).join(' '),
    ...(role ? { role } : {}),
    ...(email && isEmail(email) ? { email } : {}),
    ...(orcid ? { orcid } : {}),
    ...(organisation ? { organisation } : {}),
  };
}

export function contactAgent(c: Contact): Agent {
  if (c.kind === 'organisation') return organisationAgent({ '@none': c.name }, { identifier: c.scanR });
  return personAgent(c.name, { iri: c.orcid, email: c.email, memberOf: c.organisation });
}

function contactPointOf(c: Contact): ContactPoint {
  if (c.kind === 'organisation') return contactPoint('organisation', c.name);
  return contactPoint('individual', c.name, { organizationName: c.organisation?.name['@none'], email: c.email, uid: c.orcid });
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
export function readAgents(t: TextReader, metadata: JsonObject, producer: JsonObject | undefined, warnings: SourceWarning[]): AgentFacts {
  // each contact read with its JSON Pointer (the dataset's contacts, then the producer's)
  const read = (list: unknown, base: string): [Contact, string][] =>
    arr(list).flatMap((c, i) => {
      const contact = readContact(t, c, `${base}/${i}`, warnings);
      return contact ? [[contact, `${base}/${i}`] as [Contact, string]] : [];
    });
  const ownRead = read(metadata.contacts, '/metadata/contacts');
  const producerRead = read(producer?.contacts, '/producer/contacts');
  const where = [...ownRead, ...producerRead].map(([, at]) => at);
  const all = completeContacts([...ownRead, ...producerRead].map(([c]) => c));
  const own = all.slice(0, ownRead.length);
  const producers = all.slice(ownRead.length);

  // The same person with the same role in the dataset and in the producer is attributed once (the dataset's entry).
  const attributed: Array<{ c: Contact; hadRole: string }> = [];
  for (const [i, c] of [...own, ...producers].entries()) {
    const hadRole = ozcarRoleIri(c.role);
    if (!hadRole) {
      warnings.push(coded(`${where[i]}/role`, 'ozcar.role.unknown', { name: c.name, role: JSON.stringify(c.role ?? null) }));
      continue;
    }
    attributed.push({ c, hadRole });
  }
  const qualifiedAttribution: Attribution[] = unique(attributed, (a) => `${a.hadRole}|${identity(a.c)}`).map((a) =>
    attribution(contactAgent(a.c), a.hadRole),
  );

  const contactPoints = unique(
    own.filter((c) => roleIs(c, CONTACT_ROLES)),
    identity,
  ).map(contactPointOf);
  const p = producer ?? {};
  const producerName = t.text(p.name) ?? t.text(p.title);
  const producerEmail = t.text(p.email);
  const online = obj(p.onlineResource) ?? {};
  const info = t.text(online.urlInfo);
  const homepage = urlIri(info);
  if (info && !homepage)
    warnings.push(coded('/producer/onlineResource/urlInfo', 'ozcar.producer.urlNotAbsolute', { url: info.slice(0, 120) }));
  const email = producerEmail && isEmail(producerEmail) ? producerEmail : undefined;
  if (producerName && email) contactPoints.push(contactPoint('organisation', producerName, { email, url: homepage }));

  const publisher = producerName
    ? organisationAgent({ '@none': producerName }, { email, homepage, identifier: t.text(p.producerId) })
    : undefined;

  const funder = arr(p.fundings)
    .map((f) => obj(f))
    .filter((f): f is JsonObject => f !== undefined)
    .map((f) => organisationOf(t, f))
    .filter((a): a is Agent => a !== undefined);

  return {
    contactPoint: unique(contactPoints, (c) => `${c['@type']}|${c.fn}|${c.hasEmail ?? ''}`),
    creator: unique(
      own.filter((c) => roleIs(c, CREATOR_ROLES)),
      identity,
    ).map(contactAgent),
    qualifiedAttribution,
    ...(publisher ? { publisher } : {}),
    funder: unique(funder, byJson),
  };
}
