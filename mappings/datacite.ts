/**
 * The record as DataCite Metadata Schema 4.6 XML (`<resource>` in the kernel-4 namespace): pure, no I/O. What OAI-PMH
 * serves as `oai_datacite` (OpenAIRE Guidelines for Data Archives, the prefix OpenAIRE harvests and Dataverse serves)
 * and `datacite` (the DataCite kernel as DataCite itself registers it). Facts and choices in docs/oai-pmh.md:
 *
 * - identifier: the record's DOI (`identifierType="DOI"`, `10.x/y`, no resolver). Without one, the OpenAIRE profile
 *   takes its Handle (`Handle`), else the hub IRI of the record (`URL`: it resolves, 303 to the record), the identifier
 *   types OpenAIRE accepts beside DOI; the DataCite profile has no record without a DOI (`dataCiteIdentifier` says
 *   undefined: the item is not disseminated in that format);
 * - the mandatory properties always have a value: creators (dct:creator, else the parties whose role makes them
 *   authors, else the publisher, else DataCite's `:unav`), titles, publisher (else the distributor, custodian or
 *   owner, else `:unav`), publicationYear (issued, else created, else modified, else the catalogue entry's date),
 *   resourceType (Dataset, Collection for a series, Service);
 * - ORCID and ROR identifiers of people and organisations become nameIdentifier, affiliationIdentifier,
 *   publisherIdentifier and funderIdentifier; themes keep their concept IRI (valueURI) and scheme;
 * - dates: Created, Issued, Updated, Available (end of an embargo), Collected for each time extent as an RKMS-ISO 8601
 *   range `start/end` (an open end `..`, as EDTF writes it);
 * - geoLocations: each place's name, box (a point when it has no extent) and polygons (`geoLocationPolygon`: the outer
 *   ring of each polygon of its footprint, closed; DataCite has no holes);
 * - relatedIdentifiers: only the relations the record knows the kind of (parts, series, publications, versions,
 *   documentation pages, a service's data and description); a bare dct:relation has no relationType to be written with;
 * - rightsList: each licence (rightsURI, its SPDX identifier when known), the access right in the info:eu-repo
 *   vocabulary OpenAIRE asks for (`info:eu-repo/semantics/openAccess`...), the other rights statements as text;
 * - values XML Schema would refuse are left out, never written broken (a box outside the globe, a year of more than
 *   four digits, an identifier that is no URI where the schema wants one).
 */
import { escapeXml } from '../core/xml-write.js';
import { doiIri, EU_ACCESS_RIGHT, langKey, licenseSpdx } from '../core/vocab.js';
import type { Agent, Concept, ContactPoint, HubRecord, LangMap, Location } from '../schemas/record.js';
import { isOrganisationContact, isPerson } from '../schemas/record.js';
import { parseBboxWkt, type Box } from './index-doc.js';
import { coord, CREATOR_ROLES, nameOf, roleOf } from './oai-dc.js';
import { globalIdentifiers, handleUrl } from './pid.js';

export const DATACITE_NS = 'http://datacite.org/schema/kernel-4';
export const DATACITE_SCHEMA = 'http://schema.datacite.org/meta/kernel-4.6/metadata.xsd';

/** `openaire`: a DOI, else a Handle, else the hub IRI as URL. `datacite`: records with a DOI only. */
export type DataCiteProfile = 'openaire' | 'datacite';

export interface DataCiteIdentifier {
  type: 'DOI' | 'Handle' | 'URL';
  value: string;
}

/** DataCite's value for an unknown mandatory property ("value unavailable, possibly unknown"). */
const UNAV = ':unav';

const DOI_RESOLVER = 'https://doi.org/';
const HANDLE_RESOLVER = 'https://hdl.handle.net/';

/** The record's identifier in a profile; undefined when the profile cannot express the record. */
export function dataCiteIdentifier(record: HubRecord, profile: DataCiteProfile): DataCiteIdentifier | undefined {
  const pid = globalIdentifiers(record)[0];
  if (pid?.scheme === 'doi') return { type: 'DOI', value: pid.url.slice(DOI_RESOLVER.length) };
  if (profile === 'datacite') return undefined;
  if (pid?.scheme === 'handle') return { type: 'Handle', value: pid.url.slice(HANDLE_RESOLVER.length) };
  return { type: 'URL', value: record['@id'] };
}

// ---------------------------------------------------------------------------------------------------------- writing

type Attrs = Record<string, string | undefined>;

function el(name: string, value: string, attrs: Attrs = {}): string {
  return `<${name}${attrsXml(attrs)}>${escapeXml(value)}</${name}>`;
}
function attrsXml(attrs: Attrs): string {
  return Object.entries(attrs)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => ` ${k}="${escapeXml(v!)}"`)
    .join('');
}
/** A wrapper element around its children, or nothing when there are none (the schema allows the wrappers out). */
function wrap(name: string, children: string[]): string {
  return children.length > 0 ? `<${name}>${children.join('')}</${name}>` : '';
}
function nonEmpty(v: string | undefined): v is string {
  return v !== undefined && v.trim() !== '';
}
/** The xml:lang of a language map key (none for '@none'). */
function lang(key: string): string | undefined {
  return key === '@none' ? undefined : key;
}
/** A label in one language: French, English, unknown, then any. */
function label(map: LangMap | undefined): string | undefined {
  if (!map) return undefined;
  return map.fr ?? map.en ?? map['@none'] ?? Object.values(map)[0];
}

/** Whether a value is an absolute IRI xs:anyURI accepts as written (no spaces, a scheme). */
function isUri(v: string | undefined): v is string {
  return v !== undefined && /^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|\\^`]+$/.test(v);
}

// ---------------------------------------------------------------------------------------------------------- agents

const ORCID = /^https?:\/\/orcid\.org\/(\d{4}-\d{4}-\d{4}-\d{3}[\dX])$/i;
const ROR = /^https?:\/\/ror\.org\/0[a-z0-9]{8}$/i;

/** The ORCID (bare, as DataCite writes it) and ROR (the URL) of an agent, from its IRI and identifiers. */
function agentIds(a: { '@id'?: string; identifier?: string[] } | undefined): { orcid?: string; ror?: string } {
  const out: { orcid?: string; ror?: string } = {};
  for (const v of [a?.['@id'], ...(a?.identifier ?? [])]) {
    if (!v) continue;
    const o = ORCID.exec(v.trim());
    if (o && !out.orcid) out.orcid = o[1].toUpperCase();
    if (ROR.test(v.trim()) && !out.ror) out.ror = v.trim().replace(/^http:/, 'https:');
  }
  return out;
}

function nameIdentifiers(ids: { orcid?: string; ror?: string }): string {
  return (
    (ids.orcid ? el('nameIdentifier', ids.orcid, { nameIdentifierScheme: 'ORCID', schemeURI: 'https://orcid.org' }) : '') +
    (ids.ror ? el('nameIdentifier', ids.ror, { nameIdentifierScheme: 'ROR', schemeURI: 'https://ror.org' }) : '')
  );
}

function affiliation(org: Agent | undefined): string {
  const name = nameOf(org);
  if (!nonEmpty(name)) return '';
  const ror = agentIds(org).ror;
  return el(
    'affiliation',
    name,
    ror ? { affiliationIdentifier: ror, affiliationIdentifierScheme: 'ROR', schemeURI: 'https://ror.org' } : {},
  );
}

function nameType(a: Agent): string | undefined {
  return isPerson(a) ? 'Personal' : a['@type'][0] === 'foaf:Organization' ? 'Organizational' : undefined;
}

/** creatorName or contributorName, then its identifiers and affiliation, in the order the schema's sequence wants. */
function agentParts(kind: 'creator' | 'contributor', a: Agent): string | undefined {
  const name = nameOf(a);
  if (!nonEmpty(name)) return undefined;
  return el(`${kind}Name`, name, { nameType: nameType(a) }) + nameIdentifiers(agentIds(a)) + affiliation(a.memberOf);
}

/** The creators: dct:creator, else the parties in an author's role, else the publisher, else `:unav`. */
function creatorAgents(record: HubRecord): Agent[] {
  const agents: Agent[] = [...(record.creator ?? [])];
  if (agents.length === 0)
    agents.push(...(record.qualifiedAttribution ?? []).filter((q) => CREATOR_ROLES.has(roleOf(q.hadRole))).map((q) => q.agent));
  if (agents.length === 0 && record.publisher) agents.push(record.publisher);
  return agents;
}

function creators(agents: Agent[]): string[] {
  const out: string[] = [];
  for (const a of agents) {
    const parts = agentParts('creator', a);
    if (parts && !out.includes(`<creator>${parts}</creator>`)) out.push(`<creator>${parts}</creator>`);
  }
  return out.length > 0 ? out : [`<creator>${el('creatorName', UNAV)}</creator>`];
}

/** DataCite contributor types of our role codes (DataCite 4.6 contributorType list); any other role is Other. */
const CONTRIBUTOR_TYPE: Record<string, string> = {
  pointOfContact: 'ContactPerson',
  custodian: 'DataCurator',
  distributor: 'Distributor',
  owner: 'RightsHolder',
  rightsHolder: 'RightsHolder',
  principalInvestigator: 'ProjectLeader',
  processor: 'DataManager',
  editor: 'Editor',
  sponsor: 'Sponsor',
  resourceProvider: 'HostingInstitution',
  collaborator: 'ProjectMember',
  contributor: 'Other',
  user: 'Other',
  mediator: 'Other',
  stakeholder: 'Other',
};

function contactContributor(c: ContactPoint): string | undefined {
  if (!nonEmpty(c.fn)) return undefined;
  const person = !isOrganisationContact(c) && c['@type'][0] === 'vcard:Individual';
  const type = isOrganisationContact(c) ? 'Organizational' : person ? 'Personal' : undefined;
  const org = c.organizationName && c.organizationName !== c.fn ? el('affiliation', c.organizationName) : '';
  const orcid = c.hasUID ? agentIds({ identifier: [c.hasUID] }).orcid : undefined;
  return (
    `<contributor contributorType="ContactPerson">${el('contributorName', c.fn, { nameType: type })}` +
    `${nameIdentifiers({ orcid })}${org}</contributor>`
  );
}

function contributors(record: HubRecord, creatorNames: Set<string>): string[] {
  const out: string[] = [];
  const add = (xml: string | undefined): void => {
    if (xml && !out.includes(xml)) out.push(xml);
  };
  for (const c of record.contactPoint ?? []) add(contactContributor(c));
  for (const q of record.qualifiedAttribution ?? []) {
    const role = roleOf(q.hadRole);
    // an author who is a creator already is not a contributor too
    if (CREATOR_ROLES.has(role) && creatorNames.has(nameOf(q.agent) ?? '')) continue;
    const parts = agentParts('contributor', q.agent);
    if (parts) add(`<contributor contributorType="${CONTRIBUTOR_TYPE[role] ?? 'Other'}">${parts}</contributor>`);
  }
  for (const a of record.rightsHolder ?? []) {
    const parts = agentParts('contributor', a);
    if (parts) add(`<contributor contributorType="RightsHolder">${parts}</contributor>`);
  }
  return out;
}

const PUBLISHER_ROLES = ['publisher', 'distributor', 'custodian', 'owner', 'resourceProvider'];

function publisher(record: HubRecord): string {
  let agent = record.publisher;
  for (const role of PUBLISHER_ROLES) {
    if (agent && nonEmpty(nameOf(agent))) break;
    agent = record.qualifiedAttribution?.find((q) => roleOf(q.hadRole) === role)?.agent;
  }
  const name = nameOf(agent);
  if (!agent || !nonEmpty(name)) return el('publisher', UNAV);
  const ror = agentIds(agent).ror;
  return el('publisher', name, ror ? { publisherIdentifier: ror, publisherIdentifierScheme: 'ROR', schemeURI: 'https://ror.org' } : {});
}

// ---------------------------------------------------------------------------------------------------------- the rest

function titles(record: HubRecord): string[] {
  const out = Object.entries(record.title)
    .filter(([, v]) => nonEmpty(v))
    .map(([k, v]) => el('title', v, { 'xml:lang': lang(k) }));
  for (const [k, values] of Object.entries(record.alternative ?? {}))
    for (const v of values) if (nonEmpty(v)) out.push(el('title', v, { 'xml:lang': lang(k), titleType: 'AlternativeTitle' }));
  // the record schema requires a title; an empty one still needs the mandatory element
  return out.length > 0 ? out : [el('title', UNAV)];
}

/** The year of the first date that has one of four digits (the schema's yearType). */
function publicationYear(record: HubRecord): string {
  for (const d of [record.issued, record.created, record.modified, record.isPrimaryTopicOf.modified]) {
    const y = d ? /^(\d{4})(?:-|$)/.exec(d['@value'])?.[1] : undefined;
    if (y) return y;
  }
  return /^(\d{4})/.exec(record.isPrimaryTopicOf.harvestedAt['@value'])?.[1] ?? '0000';
}

const RESOURCE_TYPE_GENERAL: Record<string, string> = {
  'dcat:Dataset': 'Dataset',
  'dcat:DatasetSeries': 'Collection',
  'dcat:DataService': 'Service',
};
const TYPE_TEXT: Record<string, string> = {
  'dcat:Dataset': 'Dataset',
  'dcat:DatasetSeries': 'Dataset series',
  'dcat:DataService': 'Data service',
};

function resourceType(record: HubRecord): string {
  const cls = record['@type'][0];
  const text = label(record.resourceType?.[0]?.prefLabel) ?? TYPE_TEXT[cls] ?? 'Dataset';
  return el('resourceType', text, { resourceTypeGeneral: RESOURCE_TYPE_GENERAL[cls] ?? 'Dataset' });
}

function conceptSubjects(c: Concept): string[] {
  const scheme = c.inScheme;
  const attrs: Attrs = {
    subjectScheme: scheme ? label(scheme.title) : undefined,
    schemeURI: isUri(scheme?.['@id']) ? scheme['@id'] : undefined,
    valueURI: isUri(c['@id']) ? c['@id'] : undefined,
  };
  return Object.entries(c.prefLabel)
    .filter(([, v]) => nonEmpty(v))
    .map(([k, v]) => el('subject', v, { 'xml:lang': lang(k), ...attrs }));
}

function subjects(record: HubRecord): string[] {
  const out: string[] = [];
  for (const [k, values] of Object.entries(record.keyword ?? {}))
    for (const v of values) if (nonEmpty(v)) out.push(el('subject', v, { 'xml:lang': lang(k) }));
  for (const c of [...(record.theme ?? []), ...(record.subject ?? [])]) out.push(...conceptSubjects(c));
  return [...new Set(out)];
}

/** YYYY[-MM[-DD]] or a UTC date-time of a date literal, as DataCite's dates want them (ISO 8601). */
function isoDate(value: string): string | undefined {
  const m = /^(\d{4}(?:-\d{2}(?:-\d{2})?)?)(T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})?)?$/.exec(value);
  return m ? m[1] + (m[2] ?? '') : undefined;
}

function dates(record: HubRecord): string[] {
  const out: string[] = [];
  const add = (type: string, value: string | undefined, info?: string): void => {
    if (value) out.push(el('date', value, { dateType: type, dateInformation: info }));
  };
  add('Created', record.created && isoDate(record.created['@value']));
  add('Issued', record.issued && isoDate(record.issued['@value']));
  add('Updated', record.modified && isoDate(record.modified['@value']));
  add('Available', record.embargoEndDate && isoDate(record.embargoEndDate['@value']), 'end of the embargo');
  for (const p of record.temporal ?? []) {
    const start = p.startDate && isoDate(p.startDate['@value']);
    const end = p.endDate && isoDate(p.endDate['@value']);
    if (start || end) add('Collected', `${start ?? '..'}/${end ?? '..'}`);
  }
  return out;
}

/** DOI, Handle or URL of a related resource, or nothing when it is none of them. */
function relatedId(iri: string): { type: string; value: string } | undefined {
  const doi = doiIri(iri);
  if (doi) return { type: 'DOI', value: doi.slice(DOI_RESOLVER.length) };
  const hdl = /^https?:\/\/hdl\.handle\.net\/(\S+)$/.exec(iri);
  if (hdl) return { type: 'Handle', value: hdl[1] };
  return isUri(iri) && /^https?:/i.test(iri) ? { type: 'URL', value: iri } : undefined;
}

/** A URL whose path names an image file. */
const IMAGE = /^[^?#]*\.(?:png|jpe?g|gif|webp|svg|tiff?)(?:[?#].*)?$/i;

function relatedIdentifiers(record: HubRecord): string[] {
  const out: string[] = [];
  const add = (relationType: string, iris: string[] | undefined, resourceTypeGeneral?: string): void => {
    for (const iri of iris ?? []) {
      const r = relatedId(iri);
      if (r) out.push(el('relatedIdentifier', r.value, { relatedIdentifierType: r.type, relationType, resourceTypeGeneral }));
    }
  };
  add('IsPartOf', record.isPartOf);
  add('IsPartOf', record.inSeries, 'Collection');
  add('HasPart', record.seriesMember, 'Dataset');
  add('IsReferencedBy', record.isReferencedBy);
  add('HasVersion', record.hasVersion);
  add('IsVersionOf', record.isVersionOf);
  add('IsNewVersionOf', record.previousVersion);
  add('Obsoletes', record.replaces);
  add('IsObsoletedBy', record.isReplacedBy);
  // a service needs the datasets it serves to be of use; its endpoint description (capabilities, OpenAPI) describes it
  if (record['@type'][0] === 'dcat:DataService') {
    add('Requires', record.servesDataset);
    add('IsDescribedBy', record.endpointDescription);
  }
  // foaf:page, DCAT-AP's documentation: manuals, product handbooks, data papers' pages; not the images some sources
  // put there too (GeoNetwork's thumbnails): no relation type says "illustrated by"
  add(
    'IsDocumentedBy',
    record.page?.map((p) => p['@id']).filter((iri) => !IMAGE.test(iri)),
  );
  add('IsDescribedBy', record.isPrimaryTopicOf.sourceUrl ? [record.isPrimaryTopicOf.sourceUrl] : []);
  return [...new Set(out)];
}

function alternateIdentifiers(record: HubRecord, main: DataCiteIdentifier): string[] {
  const out: string[] = [];
  const seen = new Set<string>([main.value]);
  const add = (type: string, value: string | undefined): void => {
    if (!nonEmpty(value) || seen.has(value)) return;
    seen.add(value);
    out.push(el('alternateIdentifier', value, { alternateIdentifierType: type }));
  };
  for (const p of globalIdentifiers(record)) {
    if (p.scheme === 'doi') add('DOI', p.url.slice(DOI_RESOLVER.length));
    else add('Handle', p.url.slice(HANDLE_RESOLVER.length));
  }
  add('URL', record['@id']);
  // DOIs and Handles are above, in their own form
  for (const i of record.otherIdentifier ?? [])
    if (!doiIri(i.notation) && !handleUrl(i.notation, i.schemaAgency)) add(i.schemaAgency ?? 'local', i.notation);
  add('local', record.isPrimaryTopicOf.identifier);
  for (const p of record.landingPage ?? []) add('LandingPage', p['@id']);
  for (const d of record.distribution ?? []) add('DistributionLocation', d.downloadURL);
  return out;
}

function formatsAndSizes(record: HubRecord): { formats: string[]; sizes: string[] } {
  const formats = new Set<string>();
  const sizes = new Set<string>();
  for (const d of record.distribution ?? []) {
    if (d.mediaType) formats.add(d.mediaType['@id'].replace(/^https?:\/\/www\.iana\.org\/assignments\/media-types\//, ''));
    else if (d.format) {
      const f = label(d.format.label) ?? d.format['@id']?.replace(/^.*\//, '');
      if (nonEmpty(f)) formats.add(f);
    }
    if (typeof d.byteSize === 'number' && Number.isFinite(d.byteSize)) sizes.add(`${d.byteSize} bytes`);
  }
  return { formats: [...formats].map((f) => el('format', f)), sizes: [...sizes].map((s) => el('size', s)) };
}

/** info:eu-repo access terms (OpenAIRE Guidelines for Data Archives) of the EU access-right authority. */
const EU_REPO_ACCESS: Record<string, [string, string]> = {
  PUBLIC: ['info:eu-repo/semantics/openAccess', 'Open access'],
  RESTRICTED: ['info:eu-repo/semantics/restrictedAccess', 'Restricted access'],
  NON_PUBLIC: ['info:eu-repo/semantics/closedAccess', 'Closed access'],
};

function rightsList(record: HubRecord): string[] {
  const out: string[] = [];
  const licences = [...(record.license ?? []), ...(record.distribution ?? []).flatMap((d) => (d.license ? [d.license] : []))];
  for (const l of licences) {
    const iri = isUri(l['@id']) ? l['@id'] : undefined;
    const text = label(l.label) ?? iri;
    if (!nonEmpty(text)) continue;
    const spdx = licenseSpdx(iri ?? text);
    out.push(
      el('rights', text, {
        rightsURI: iri,
        ...(spdx ? { rightsIdentifier: spdx, rightsIdentifierScheme: 'SPDX', schemeURI: 'https://spdx.org/licenses/' } : {}),
      }),
    );
  }
  const access = record.accessRights?.['@id']?.startsWith(EU_ACCESS_RIGHT)
    ? record.accessRights['@id'].slice(EU_ACCESS_RIGHT.length)
    : undefined;
  const term =
    record.embargoEndDate && access !== 'PUBLIC'
      ? (['info:eu-repo/semantics/embargoedAccess', 'Embargoed access'] as [string, string])
      : access
        ? EU_REPO_ACCESS[access]
        : undefined;
  if (term) out.push(el('rights', term[1], { rightsURI: term[0] }));
  for (const r of [...(record.accessRights && !term ? [record.accessRights] : []), ...(record.rights ?? [])]) {
    const text = label(r.label) ?? r['@id'];
    if (nonEmpty(text)) out.push(el('rights', text, { rightsURI: isUri(r['@id']) ? r['@id'] : undefined }));
  }
  return [...new Set(out)];
}

function descriptions(record: HubRecord): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(record.description ?? {}))
    if (nonEmpty(v)) out.push(el('description', v, { 'xml:lang': lang(k), descriptionType: 'Abstract' }));
  for (const p of record.provenance ?? [])
    for (const [k, v] of Object.entries(p.label))
      if (nonEmpty(v)) out.push(el('description', v, { 'xml:lang': lang(k), descriptionType: 'Methods' }));
  // what is new in this version (adms:versionNotes): DataCite has no type for it, OpenAIRE's list ends with Other
  for (const [k, v] of Object.entries(record.versionNotes ?? {}))
    if (nonEmpty(v)) out.push(el('description', v, { 'xml:lang': lang(k), descriptionType: 'Other' }));
  return out;
}

/** A ring or a line: [longitude, latitude] pairs. */
type Ring = number[][];

/** The WKT CRS IRIs whose axis order is longitude, latitude (GeoSPARQL's default when none is written). */
const CRS84 = /^<https?:\/\/www\.opengis\.net\/def\/crs\/OGC\/1\.3\/CRS84>\s*/i;

/** A WKT point where the reading is (sticky): x, y, and a z or m left unread. */
const WKT_POINT = /(-?[\d.]+(?:[eE][+-]?\d+)?) (-?[\d.]+(?:[eE][+-]?\d+)?)(?: -?[\d.]+(?:[eE][+-]?\d+)?)*/y;

/** The nested lists of a WKT body, `((x y, x y), (x y ...))`: lists of lists down to the points, [x, y]. */
function wktLists(body: string): unknown[] | undefined {
  let at = 0;
  const list = (): unknown[] | undefined => {
    if (body[at] !== '(') return undefined;
    at++;
    const items: unknown[] = [];
    for (;;) {
      while (body[at] === ' ') at++;
      if (body[at] === '(') {
        const inner = list();
        if (!inner) return undefined;
        items.push(inner);
      } else {
        WKT_POINT.lastIndex = at;
        const m = WKT_POINT.exec(body);
        if (!m) return undefined;
        items.push([Number(m[1]), Number(m[2])]);
        at += m[0].length;
      }
      while (body[at] === ' ') at++;
      if (body[at] === ',') at++;
      else if (body[at] === ')') {
        at++;
        return items;
      } else return undefined;
    }
  };
  const out = list();
  return out && at === body.length ? out : undefined;
}

/**
 * The polygons of a geometry literal, each as its rings (the outer ring first): a WKT POLYGON or MULTIPOLYGON (no CRS
 * or CRS84: another CRS IRI may put latitude first), a GeoJSON Polygon, MultiPolygon or a GeometryCollection of them;
 * nothing for any other geometry or a literal that does not parse.
 */
function polygonsOf(lit: { '@value': string; '@type': string }): Ring[][] {
  if (lit['@type'] === 'gsp:wktLiteral') {
    const v = lit['@value'].trim().replace(CRS84, '');
    const m = /^(POLYGON|MULTIPOLYGON)\s*(\(.*\))$/is.exec(v);
    const lists = m ? wktLists(m[2].replace(/\s+/g, ' ').replace(/\s*([(),])\s*/g, '$1')) : undefined;
    if (!m || !lists) return [];
    return (m[1].toUpperCase() === 'POLYGON' ? [lists] : lists) as Ring[][];
  }
  type G = { type?: unknown; coordinates?: unknown; geometries?: G[] };
  const of = (g: G | undefined): Ring[][] =>
    g?.type === 'Polygon'
      ? [g.coordinates as Ring[]]
      : g?.type === 'MultiPolygon'
        ? (g.coordinates as Ring[][])
        : g?.type === 'GeometryCollection'
          ? (g.geometries ?? []).flatMap(of)
          : [];
  try {
    return of(JSON.parse(lit['@value']) as G);
  } catch {
    return [];
  }
}

/** Whether two boxes overlap; `b` may cross the antimeridian (west > east), `a` does not. */
function overlaps(a: Box, b: Box): boolean {
  if (a.south > b.north || a.north < b.south) return false;
  return b.west <= b.east ? a.west <= b.east && a.east >= b.west : a.east >= b.west || a.west <= b.east;
}

/**
 * The outer ring of a polygon as DataCite's polygonPoints (closed, at least four points, six decimals), or undefined:
 * a point off the globe, fewer than three distinct points, a ring that is only one of the record's boxes (a
 * geoLocationBox says it), or one whose enclosing box meets none of them while it would, latitude and longitude
 * swapped (a source that wrote latitude first). Holes have no element.
 */
function polygonXml(rings: Ring[], boxes: Box[]): string | undefined {
  const outer = Array.isArray(rings) ? rings[0] : undefined;
  if (!Array.isArray(outer)) return undefined;
  // each point as written (six decimals), consecutive repeats once, its element made at once; the ring's enclosing
  // box (a loop: a polygon may have more points than Math.min takes arguments)
  const pts: string[] = [];
  const xml: string[] = [];
  const ring = { west: Infinity, south: Infinity, east: -Infinity, north: -Infinity };
  for (const p of outer) {
    if (!Array.isArray(p) || typeof p[0] !== 'number' || typeof p[1] !== 'number') return undefined;
    const xs = coord(p[0]);
    const ys = coord(p[1]);
    const x = Number(xs);
    const y = Number(ys);
    if (!(Math.abs(x) <= 180 && Math.abs(y) <= 90)) return undefined;
    const key = `${xs} ${ys}`;
    if (pts[pts.length - 1] === key) continue;
    pts.push(key);
    xml.push(`<polygonPoint><pointLongitude>${xs}</pointLongitude><pointLatitude>${ys}</pointLatitude></polygonPoint>`);
    if (x < ring.west) ring.west = x;
    if (x > ring.east) ring.east = x;
    if (y < ring.south) ring.south = y;
    if (y > ring.north) ring.north = y;
  }
  // up to five distinct points tell all that is asked below (fewer than three: no area; four: maybe a box)
  const distinct = new Set<string>();
  for (const k of pts) if (distinct.add(k).size > 4) break;
  if (distinct.size < 3) return undefined;
  if (pts[0] !== pts[pts.length - 1]) xml.push(xml[0]);
  const isBox = (b: Box) => {
    const [w, s, e, n] = [b.west, b.south, b.east, b.north].map(coord);
    const corners = new Set([`${w} ${s}`, `${e} ${s}`, `${e} ${n}`, `${w} ${n}`]);
    return distinct.size === 4 && [...distinct].every((c) => corners.has(c));
  };
  if (boxes.some(isBox)) return undefined;
  // written latitude first (a plain EPSG:4326 read in the other axis order): its swap lies on the record's boxes, it not
  const swapped = { west: ring.south, south: ring.west, east: ring.north, north: ring.east };
  if (!boxes.some((b) => overlaps(ring, b)) && boxes.some((b) => overlaps(swapped, b))) return undefined;
  return `<geoLocationPolygon>${xml.join('')}</geoLocationPolygon>`;
}

function pointParts(lon: number, lat: number): string {
  return `<pointLongitude>${coord(lon)}</pointLongitude><pointLatitude>${coord(lat)}</pointLatitude>`;
}

function geoLocations(record: HubRecord): string[] {
  const out: string[] = [];
  const boxOf = (loc: Location) => (loc.bbox ? parseBboxWkt(loc.bbox['@value']) : undefined);
  const boxes = (record.spatial ?? []).map(boxOf).filter((b): b is Box => b !== undefined);
  for (const loc of record.spatial ?? []) {
    const place = label(loc.prefLabel);
    const box = boxOf(loc);
    // a box of no extent is a point, which DataCite has an element for
    const boxXml = !box
      ? ''
      : box.west === box.east && box.south === box.north
        ? `<geoLocationPoint>${pointParts(box.west, box.south)}</geoLocationPoint>`
        : `<geoLocationBox><westBoundLongitude>${coord(box.west)}</westBoundLongitude><eastBoundLongitude>${coord(box.east)}</eastBoundLongitude>` +
          `<southBoundLatitude>${coord(box.south)}</southBoundLatitude><northBoundLatitude>${coord(box.north)}</northBoundLatitude></geoLocationBox>`;
    // each polygon of the footprint (a multipolygon's too) is one geoLocationPolygon of the place
    const polygons = loc.geometry ? polygonsOf(loc.geometry).map((rings) => polygonXml(rings, boxes)) : [];
    const parts = (nonEmpty(place) ? el('geoLocationPlace', place) : '') + boxXml + [...new Set(polygons.filter(nonEmpty))].join('');
    if (parts) out.push(`<geoLocation>${parts}</geoLocation>`);
  }
  return out;
}

function fundingReferences(record: HubRecord): string[] {
  const out: string[] = [];
  for (const f of record.funder ?? []) {
    const name = nameOf(f);
    if (!nonEmpty(name)) continue;
    const ids = [f['@id'], ...(f.identifier ?? [])].filter((v): v is string => !!v);
    const ror = agentIds(f).ror;
    const crossref = ids.map((v) => doiIri(v)).find((d) => d?.startsWith(DOI_RESOLVER + '10.13039/'));
    // else the funder's own identifier as the source gives it (OZCAR: its scanR id), of a scheme the record does not name
    const other = ids.find((v) => nonEmpty(v) && v !== f['@id']);
    const id = ror
      ? el('funderIdentifier', ror, { funderIdentifierType: 'ROR', schemeURI: 'https://ror.org' })
      : crossref
        ? el('funderIdentifier', crossref, { funderIdentifierType: 'Crossref Funder ID', schemeURI: 'https://doi.org/' })
        : other
          ? el('funderIdentifier', other.trim(), { funderIdentifierType: 'Other' })
          : '';
    out.push(`<fundingReference>${el('funderName', name)}${id}</fundingReference>`);
  }
  return [...new Set(out)];
}

function language(record: HubRecord): string {
  const code = record.language?.map((l) => langKey(l['@id'])).find((k) => k !== '@none');
  return code ? el('language', code) : '';
}

/**
 * The `<resource>` element of a record in a profile (namespaces and schema location declared on it), or undefined
 * when the profile cannot express the record (the DataCite profile and a record without a DOI).
 */
export function toDataCite(record: HubRecord, profile: DataCiteProfile): string | undefined {
  const id = dataCiteIdentifier(record, profile);
  if (!id) return undefined;
  const agents = creatorAgents(record);
  const { formats, sizes } = formatsAndSizes(record);
  const parts = [
    el('identifier', id.value, { identifierType: id.type }),
    wrap('creators', creators(agents)),
    wrap('titles', titles(record)),
    publisher(record),
    el('publicationYear', publicationYear(record)),
    resourceType(record),
    wrap('subjects', subjects(record)),
    wrap('contributors', contributors(record, new Set(agents.map((a) => nameOf(a) ?? '')))),
    wrap('dates', dates(record)),
    language(record),
    wrap('alternateIdentifiers', alternateIdentifiers(record, id)),
    wrap('relatedIdentifiers', relatedIdentifiers(record)),
    wrap('sizes', sizes),
    wrap('formats', formats),
    nonEmpty(record.version) ? el('version', record.version) : '',
    wrap('rightsList', rightsList(record)),
    wrap('descriptions', descriptions(record)),
    wrap('geoLocations', geoLocations(record)),
    wrap('fundingReferences', fundingReferences(record)),
  ];
  return (
    `<resource xmlns="${DATACITE_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ` +
    `xsi:schemaLocation="${DATACITE_NS} ${DATACITE_SCHEMA}">${parts.join('')}</resource>`
  );
}
