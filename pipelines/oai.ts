/**
 * OAI-PMH 2.0 over the index: the six verbs, every error condition, two metadata formats and the hub's sets. The
 * HTTP route (api/routes/oai.ts) hands the request's arguments here and sends back the XML; nothing here knows HTTP.
 *
 * - Items are the indexed records and their tombstones (pipelines/tombstones.ts), read together from the records
 *   alias and `<alias>-tombstones` with one query, in (datestamp, id) order. A record's datestamp is `indexed_at`,
 *   when the indexer last wrote it (an unchanged record is not rewritten, so its datestamp stays; a record written at
 *   the end of a long run is stamped then, not at the run's start, so an OAI harvest made during the run misses
 *   nothing when it next asks `from` its own time); a tombstone's is when the record was removed. Documents written
 *   before that field existed fall back to `harvest.harvested_at`. Identify says deletedRecord "persistent".
 * - Identifiers: `oai:NAMESPACE:source:identifier` (the hub id, characters outside the oai-identifier syntax
 *   percent-encoded); NAMESPACE is the hub identity's `oaiNamespace`.
 * - Formats: `oai_dc` (mappings/oai-dc.ts, written for Dataverse's importer), `dcat_ap` (RDF/XML of the record's
 *   DCAT-AP graph, mappings/rdf/), `oai_datacite` (DataCite 4.6 as the OpenAIRE Guidelines for Data Archives want it:
 *   every record, by its DOI, else its Handle, else its hub IRI) and `datacite` (the DataCite kernel with a DOI as its
 *   identifier: only the items with a DOI have it; mappings/datacite.ts). An item is in a list of the formats it has;
 *   GetRecord of a format the item has not is cannotDisseminateFormat, and ListMetadataFormats of an item lists its own.
 * - Sets: `source` and `source:ID` (one per source), `pid` (records with a DOI or Handle: what a Dataverse can import;
 *   `pid:doi`, `pid:handle`), `type` and `type:dataset`, `type:series`, `type:service`, and `openaire_data` (the datasets
 *   and series: the set OpenAIRE harvests in `oai_datacite`).
 * - Lists: pages of `pageSize` items; resumption tokens carry the search_after position (pipelines/oai-token.ts),
 *   with completeListSize, cursor and expirationDate.
 */
import type { Client } from '@elastic/elasticsearch';
import { escapeXml } from '../core/xml-write.js';
import { DATACITE_NS, DATACITE_SCHEMA, toDataCite, type DataCiteProfile } from '../mappings/datacite.js';
import { toOaiDc } from '../mappings/oai-dc.js';
import { servedGraph, servedHeld } from './export-dcat.js';
import { rdfXmlDescriptions, rdfXmlRoot } from '../mappings/rdf/serialize.js';
import type { HubRecord } from '../schemas/record.js';
import type { HubIdentity } from './hub-identity.js';
import { runsIndex } from './runs.js';
import { decodeToken, encodeToken, TokenError, type TokenState } from './oai-token.js';
import { liveIds, tombstoneIndex } from './tombstones.js';

export interface OaiOptions {
  client: Client;
  /** Alias of the records index (tombstones in `<alias>-tombstones`). */
  alias: string;
  identity: HubIdentity;
  /** The public URL of the endpoint (Identify's baseURL and every response's request element). */
  baseUrl: string;
  /** Items per list page. Default 100 (what a Dataverse and Sickle handle well); 1 to 1000. */
  pageSize?: number;
  /** Lifetime of a resumption token, in seconds. Default 86,400 (a day: a slow harvest of a large set finishes). */
  tokenTtlS?: number;
  /** Whether the repository offers sets. Default true; false answers noSetHierarchy to ListSets and to `set`. */
  sets?: boolean;
  /** The clock (tests). */
  now?: () => Date;
}

export const OAI_DEFAULTS = { pageSize: 100, tokenTtlS: 86_400, sets: true };

export type OaiErrorCode =
  | 'badVerb'
  | 'badArgument'
  | 'badResumptionToken'
  | 'cannotDisseminateFormat'
  | 'idDoesNotExist'
  | 'noRecordsMatch'
  | 'noMetadataFormats'
  | 'noSetHierarchy';

export class OaiError extends Error {
  constructor(
    readonly code: OaiErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface MetadataFormat {
  prefix: string;
  schema: string;
  namespace: string;
}

export const METADATA_FORMATS: MetadataFormat[] = [
  { prefix: 'oai_dc', schema: 'http://www.openarchives.org/OAI/2.0/oai_dc.xsd', namespace: 'http://www.openarchives.org/OAI/2.0/oai_dc/' },
  { prefix: 'dcat_ap', schema: 'http://www.w3.org/2000/07/rdf.xsd', namespace: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#' },
  { prefix: 'oai_datacite', schema: DATACITE_SCHEMA, namespace: DATACITE_NS },
  { prefix: 'datacite', schema: DATACITE_SCHEMA, namespace: DATACITE_NS },
];

/** The DataCite profile of each DataCite prefix (mappings/datacite.ts). */
const DATACITE_PROFILE: Record<string, DataCiteProfile> = { oai_datacite: 'openaire', datacite: 'datacite' };

/**
 * The items a format is limited to, as a query on both indices (the index's `pid` field holds the schemes of a record's
 * DOIs and Handles, mappings/pid.ts, as the crosswalk reads them); undefined when every item has the format.
 */
function formatQuery(prefix: string): Record<string, unknown> | undefined {
  return prefix === 'datacite' ? { term: { pid: 'doi' } } : undefined;
}

/** Whether an item has a format (the same rule as formatQuery, on the item's pid schemes). */
function hasFormat(item: { pid: string[] }, prefix: string): boolean {
  return prefix !== 'datacite' || item.pid.includes('doi');
}

const VERBS = {
  Identify: { required: [], optional: [] },
  ListMetadataFormats: { required: [], optional: ['identifier'] },
  ListSets: { required: [], optional: [], exclusive: 'resumptionToken' },
  GetRecord: { required: ['identifier', 'metadataPrefix'], optional: [] },
  ListIdentifiers: { required: ['metadataPrefix'], optional: ['from', 'until', 'set'], exclusive: 'resumptionToken' },
  ListRecords: { required: ['metadataPrefix'], optional: ['from', 'until', 'set'], exclusive: 'resumptionToken' },
} as const satisfies Record<string, { required: readonly string[]; optional: readonly string[]; exclusive?: string }>;
type Verb = keyof typeof VERBS;

const TYPES = ['dataset', 'series', 'service'] as const;

// ---------------------------------------------------------------------------------------------------------- identifiers

/** Characters an oai-identifier's local part may hold as they are (others are percent-encoded, '%' included). */
const LOCAL_OK = /[A-Za-z0-9\-_.!~*'();/?:@&=+$,]/;

export function oaiIdentifier(namespace: string, id: string): string {
  let local = '';
  for (const ch of id) {
    if (LOCAL_OK.test(ch)) local += ch;
    else for (const b of Buffer.from(ch, 'utf8')) local += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return `oai:${namespace}:${local}`;
}

/** The hub id of an OAI identifier of this repository; undefined when it is not one. */
export function hubIdOf(namespace: string, identifier: string): string | undefined {
  const prefix = `oai:${namespace}:`;
  if (!identifier.startsWith(prefix)) return undefined;
  try {
    const id = decodeURIComponent(identifier.slice(prefix.length));
    return /^[^:]+:.+/.test(id) ? id : undefined;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------------- dates

/** The field of both indices that holds an item's datestamp. */
const DATESTAMP = 'indexed_at';

/** Seconds granularity, UTC: what every datestamp looks like. */
export function datestamp(iso: string | number | Date): string {
  return new Date(iso).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const SECOND = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;

/** A from/until argument as the instant range it covers, its granularity, or a badArgument. */
function parseOaiDate(value: string, name: 'from' | 'until'): { start: string; end: string; granularity: 'day' | 'second' } {
  const day = DAY.exec(value);
  const sec = SECOND.exec(value);
  const m = day ?? sec;
  const t = m ? Date.parse(day ? `${value}T00:00:00Z` : value) : NaN;
  // year 0000 is no xs:date (XML Schema 1.0, which OAI-PMH.xsd types the request's from and until with)
  if (!m || m[1] === '0000' || Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== value.slice(0, 10))
    throw new OaiError('badArgument', `${name} must be a UTC date YYYY-MM-DD or date-time YYYY-MM-DDThh:mm:ssZ (got "${value}")`);
  const start = new Date(t).toISOString();
  const end = new Date(t + (day ? 86_400_000 : 1000) - 1).toISOString();
  return { start, end, granularity: day ? 'day' : 'second' };
}

// ---------------------------------------------------------------------------------------------------------- syntax

/** OAI-PMH.xsd's metadataPrefixType: what a metadataPrefix may be (any other is a badArgument, not an unknown format). */
const METADATA_PREFIX = /^[A-Za-z0-9\-_.!~*'()]+$/;

/** RFC 3986 URI-reference (scheme, authority, path, query, fragment), its characters already escaped. */
const PCHAR = "(?:[A-Za-z0-9\\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})";
const AUTHORITY = `(?:(?:[A-Za-z0-9\\-._~!$&'()*+,;=:]|%[0-9A-Fa-f]{2})*@)?(?:\\[[0-9A-Za-z.:\\-_~!$&'()*+,;=]+\\]|(?:[A-Za-z0-9\\-._~!$&'()*+,;=]|%[0-9A-Fa-f]{2})*)(?::[0-9]*)?`;
const TAIL = `(?:\\?(?:${PCHAR}|[/?])*)?(?:#(?:${PCHAR}|[/?])*)?`;
const URI_REFERENCE = new RegExp(
  `^(?:[A-Za-z][A-Za-z0-9+.\\-]*:(?://${AUTHORITY}(?:/${PCHAR}*)*|/?(?:${PCHAR}+(?:/${PCHAR}*)*)?)` +
    `|//${AUTHORITY}(?:/${PCHAR}*)*|/(?:${PCHAR}+(?:/${PCHAR}*)*)?|(?:(?!:)${PCHAR})+(?:/${PCHAR}*)*|)${TAIL}$`,
);

/**
 * Whether a value is an xs:anyURI, as OAI-PMH.xsd types the request's identifier: a URI reference once the
 * characters XML Schema escapes (spaces, non-ASCII, `<>"{}|\^\``) are escaped.
 */
export function isAnyUri(value: string): boolean {
  const escaped = value.replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@/?#%[\]]/gu, (ch) =>
    [...Buffer.from(ch, 'utf8')].map((b) => '%' + b.toString(16).toUpperCase().padStart(2, '0')).join(''),
  );
  return URI_REFERENCE.test(escaped);
}

// ---------------------------------------------------------------------------------------------------------- sets

const SET_SPEC = /^[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*$/;

/**
 * The set the OpenAIRE Guidelines for Data Archives (3.0, "Use of OAI-PMH") recommend a data archive to expose
 * (setSpec `openaire_data`, setName `OpenAIRE`), harvested by OpenAIRE with metadataPrefix `oai_datacite`. Its content
 * is the archive's to decide; OpenAIRE harvests the datasets in it: here every dataset and dataset series, live or
 * deleted, not the data services (no research data of their own).
 */
export const OPENAIRE_SET = 'openaire_data';
const OPENAIRE_TYPES: readonly string[] = ['dataset', 'series'];

/** The query of a set; undefined when the set does not exist (noRecordsMatch). */
function setQuery(set: string): Record<string, unknown> | undefined {
  if (!SET_SPEC.test(set))
    throw new OaiError('badArgument', `set "${set}" is not a setSpec (letters, digits, -_.!~*'() and ":" between levels)`);
  if (set === OPENAIRE_SET) return { terms: { type: OPENAIRE_TYPES } };
  const [top, sub, ...rest] = set.split(':');
  if (rest.length > 0) return undefined;
  if (top === 'source') return sub === undefined ? { match_all: {} } : { term: { source: sub } };
  if (top === 'pid') return sub === undefined ? { exists: { field: 'pid' } } : { term: { pid: sub } };
  if (top === 'type')
    return sub === undefined ? { match_all: {} } : (TYPES as readonly string[]).includes(sub) ? { term: { type: sub } } : undefined;
  return undefined;
}

/** The setSpecs of an item's header: its source, pid schemes, type and the OpenAIRE set. */
function itemSets(item: { source: string; type?: string; pid?: string[] }): string[] {
  const sets = [`source:${item.source}`];
  if (item.pid?.length) sets.push('pid', ...item.pid.map((p) => `pid:${p}`));
  if (item.type) sets.push(`type:${item.type}`);
  if (item.type && OPENAIRE_TYPES.includes(item.type)) sets.push(OPENAIRE_SET);
  return sets;
}

// ---------------------------------------------------------------------------------------------------------- XML

const ENVELOPE =
  '<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ' +
  'xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/ http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd">';

function envelope(o: Resolved, requestAttrs: [string, string][] | undefined, body: string): string {
  const attrs = (requestAttrs ?? []).map(([k, v]) => ` ${k}="${escapeXml(v)}"`).join('');
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n${ENVELOPE}\n<responseDate>${datestamp(o.now())}</responseDate>\n` +
    `<request${attrs}>${escapeXml(o.baseUrl)}</request>\n${body}\n</OAI-PMH>\n`
  );
}

function errorXml(e: OaiError): string {
  return `<error code="${e.code}">${escapeXml(e.message)}</error>`;
}

// ---------------------------------------------------------------------------------------------------------- items

interface ItemSource {
  id: string;
  source: string;
  type?: string;
  pid?: string[];
  indexed_at?: string;
  harvest?: { harvested_at?: string };
  record?: HubRecord;
  state?: string;
}

interface Item {
  id: string;
  deleted: boolean;
  datestamp: string;
  sets: string[];
  /** The schemes of its DOIs and Handles. */
  pid: string[];
  record?: HubRecord;
}

function toItem(src: ItemSource, deleted: boolean): Item {
  return {
    id: src.id,
    deleted,
    datestamp: datestamp(src.indexed_at ?? src.harvest?.harvested_at ?? 0),
    sets: itemSets(src),
    pid: src.pid ?? [],
    ...(src.record ? { record: src.record } : {}),
  };
}

type Resolved = Required<Omit<OaiOptions, 'client'>> & { client: Client; tombstones: string };

function headerXml(o: Resolved, item: Item): string {
  const sets = item.sets.map((s) => `<setSpec>${escapeXml(s)}</setSpec>`).join('');
  return (
    `<header${item.deleted ? ' status="deleted"' : ''}><identifier>${escapeXml(oaiIdentifier(o.identity.oaiNamespace, item.id))}</identifier>` +
    `<datestamp>${item.datestamp}</datestamp>${sets}</header>`
  );
}

/** The metadata of each record in `prefix`. */
async function metadataXml(o: Resolved, prefix: string, records: HubRecord[]): Promise<string[]> {
  if (prefix === 'oai_dc') return records.map(toOaiDc);
  const profile = DATACITE_PROFILE[prefix];
  if (profile)
    return records.map((r) => {
      const xml = toDataCite(r, profile);
      // the lists and GetRecord ask for the items that have the format only: a record here without it is a bug
      if (xml === undefined) throw new Error(`record ${r.identifier} cannot be written in ${prefix}, yet it was selected for it`);
      return xml;
    });
  // the graph /records/{id} serves: a member's series typed with its title and description, the series of the
  // whole page read with one search
  const held = await servedHeld(o.client, o.alias, records);
  return records.map((r) => `${rdfXmlRoot()}\n${rdfXmlDescriptions(servedGraph(r, held))}</rdf:RDF>`);
}

/** The items as `record` elements: a live one with its metadata in `prefix`, a deleted one its header only. */
async function recordsXml(o: Resolved, items: Item[], prefix: string): Promise<string[]> {
  const live = items.filter((it) => !it.deleted && it.record);
  const metadata = await metadataXml(
    o,
    prefix,
    live.map((it) => it.record!),
  );
  const of = new Map(live.map((it, k) => [it, metadata[k]]));
  return items.map((it) => {
    const m = of.get(it);
    return `<record>${headerXml(o, it)}${m === undefined ? '' : `<metadata>${m}</metadata>`}</record>`;
  });
}

// ---------------------------------------------------------------------------------------------------------- verbs

function checkPrefix(prefix: string): void {
  if (!METADATA_FORMATS.some((f) => f.prefix === prefix))
    throw new OaiError(
      'cannotDisseminateFormat',
      `metadataPrefix "${prefix}" is not offered: ${METADATA_FORMATS.map((f) => f.prefix).join(', ')} (ListMetadataFormats)`,
    );
}

/** The live record or the tombstone of a hub id (one round trip); undefined when neither exists. */
async function findItem(o: Resolved, id: string, withRecord: boolean): Promise<Item | undefined> {
  const fields = ['id', 'source', 'type', 'pid', DATESTAMP, 'harvest.harvested_at', ...(withRecord ? ['record'] : [])];
  const res = await o.client.mget<ItemSource>({
    docs: [
      { _index: o.alias, _id: id, _source: fields },
      { _index: o.tombstones, _id: id, _source: fields },
    ],
  });
  const [live, stone] = res.docs;
  if ('found' in live && live.found && live._source) return toItem(live._source, false);
  if (stone && 'found' in stone && stone.found && stone._source) return toItem(stone._source, true);
  return undefined;
}

async function identify(o: Resolved): Promise<string> {
  const res = await o.client.search({
    index: [o.alias, o.tombstones],
    ignore_unavailable: true,
    allow_no_indices: true,
    size: 0,
    aggs: { earliest: { min: { field: DATESTAMP } } },
  });
  const min = (res.aggregations?.earliest as { value?: number | null } | undefined)?.value;
  const earliest = datestamp(min ?? 0);
  const id = o.identity;
  const sample = oaiIdentifier(id.oaiNamespace, 'source:identifier');
  return (
    `<Identify><repositoryName>${escapeXml(id.repositoryName)}</repositoryName><baseURL>${escapeXml(o.baseUrl)}</baseURL>` +
    `<protocolVersion>2.0</protocolVersion>${id.adminEmail.map((e) => `<adminEmail>${escapeXml(e)}</adminEmail>`).join('')}` +
    `<earliestDatestamp>${earliest}</earliestDatestamp><deletedRecord>persistent</deletedRecord>` +
    `<granularity>YYYY-MM-DDThh:mm:ssZ</granularity>` +
    `<description><oai-identifier xmlns="http://www.openarchives.org/OAI/2.0/oai-identifier" ` +
    `xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/oai-identifier ` +
    `http://www.openarchives.org/OAI/2.0/oai-identifier.xsd"><scheme>oai</scheme>` +
    `<repositoryIdentifier>${escapeXml(id.oaiNamespace)}</repositoryIdentifier><delimiter>:</delimiter>` +
    `<sampleIdentifier>${escapeXml(sample)}</sampleIdentifier></oai-identifier></description></Identify>`
  );
}

async function listMetadataFormats(o: Resolved, identifier: string | undefined): Promise<string> {
  let item: Item | undefined;
  if (identifier !== undefined) {
    const id = hubIdOf(o.identity.oaiNamespace, identifier);
    item = id ? await findItem(o, id, false) : undefined;
    if (!item) throw new OaiError('idDoesNotExist', `no item has the identifier "${identifier}" in this repository`);
  }
  // with an identifier, the formats that item has (oai_dc and dcat_ap always: noMetadataFormats never happens)
  const formats = METADATA_FORMATS.filter((f) => !item || hasFormat(item, f.prefix)).map(
    (f) =>
      `<metadataFormat><metadataPrefix>${f.prefix}</metadataPrefix><schema>${f.schema}</schema>` +
      `<metadataNamespace>${f.namespace}</metadataNamespace></metadataFormat>`,
  );
  return `<ListMetadataFormats>${formats.join('')}</ListMetadataFormats>`;
}

async function listSets(o: Resolved): Promise<string> {
  if (!o.sets) throw new OaiError('noSetHierarchy', 'this repository does not offer sets');
  const res = await o.client.search({
    index: [o.alias, o.tombstones],
    ignore_unavailable: true,
    allow_no_indices: true,
    size: 0,
    aggs: { sources: { terms: { field: 'source', size: 10_000, order: { _key: 'asc' } } } },
  });
  const sources = ((res.aggregations?.sources as { buckets?: { key: string }[] } | undefined)?.buckets ?? []).map((b) => b.key);
  const names = await sourceNames(o, sources);
  const set = (spec: string, name: string, description?: string) =>
    `<set><setSpec>${escapeXml(spec)}</setSpec><setName>${escapeXml(name)}</setName>${
      description
        ? `<setDescription><oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" xmlns:dc="http://purl.org/dc/elements/1.1/" ` +
          `xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/oai_dc/ ` +
          `http://www.openarchives.org/OAI/2.0/oai_dc.xsd"><dc:description>${escapeXml(description)}</dc:description></oai_dc:dc></setDescription>`
        : ''
    }</set>`;
  const out = [
    set('source', 'By source', 'The records of each harvested source (data centre catalogue), one set each.'),
    ...sources.map((s) => set(`source:${s}`, names.get(s) ?? s)),
    set(
      'pid',
      'Records with a DOI or Handle',
      'What a Dataverse can import: its oai_dc record starts with a https://doi.org/ or https://hdl.handle.net/ identifier.',
    ),
    set('pid:doi', 'Records with a DOI'),
    set('pid:handle', 'Records with a Handle'),
    set('type', 'By resource type'),
    set('type:dataset', 'Datasets'),
    set('type:series', 'Dataset series'),
    set('type:service', 'Data services'),
    set(
      OPENAIRE_SET,
      'OpenAIRE',
      'What OpenAIRE harvests (OpenAIRE Guidelines for Data Archives, metadataPrefix oai_datacite): every dataset and dataset series, not the data services.',
    ),
  ];
  return `<ListSets>${out.join('')}</ListSets>`;
}

/** The name of each source, from its latest run (the runs index); the id when it never ran. */
async function sourceNames(o: Resolved, sources: string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  if (sources.length === 0) return names;
  const res = await o.client
    .search({
      index: runsIndex(o.alias),
      ignore_unavailable: true,
      allow_no_indices: true,
      size: 0,
      aggs: {
        s: {
          terms: { field: 'source', size: 10_000 },
          aggs: { last: { top_hits: { size: 1, sort: [{ startedAt: 'desc' }], _source: ['name'] } } },
        },
      },
    })
    .catch(() => undefined);
  type Bucket = { key: string; last: { hits: { hits: { _source?: { name?: string } }[] } } };
  for (const b of (res?.aggregations?.s as { buckets?: Bucket[] } | undefined)?.buckets ?? []) {
    const name = b.last.hits.hits[0]?._source?.name;
    if (name) names.set(b.key, name);
  }
  return names;
}

async function getRecord(o: Resolved, identifier: string, prefix: string): Promise<string> {
  const id = hubIdOf(o.identity.oaiNamespace, identifier);
  const item = id ? await findItem(o, id, true) : undefined;
  if (!item) throw new OaiError('idDoesNotExist', `no item has the identifier "${identifier}" in this repository`);
  checkPrefix(prefix);
  if (!hasFormat(item, prefix))
    throw new OaiError(
      'cannotDisseminateFormat',
      `the item "${identifier}" has no DOI: it is not offered in ${prefix}, which is DataCite's kernel with a DOI as ` +
        `identifier; oai_datacite has it (ListMetadataFormats with its identifier lists its formats)`,
    );
  return `<GetRecord>${(await recordsXml(o, [item], prefix)).join('')}</GetRecord>`;
}

interface ListRequest {
  verb: 'ListRecords' | 'ListIdentifiers';
  metadataPrefix: string;
  set?: string;
  from?: string;
  until?: string;
  after?: [number, string];
  cursor: number;
  completeListSize?: number;
}

async function list(o: Resolved, req: ListRequest): Promise<string> {
  const filter: Record<string, unknown>[] = [];
  if (req.set !== undefined) {
    if (!o.sets) throw new OaiError('noSetHierarchy', 'this repository does not offer sets');
    const q = setQuery(req.set);
    if (!q) throw new OaiError('noRecordsMatch', `no record is in the set "${req.set}" (ListSets names the sets)`);
    filter.push(q);
  }
  const only = formatQuery(req.metadataPrefix);
  if (only) filter.push(only);
  if (req.from !== undefined || req.until !== undefined)
    filter.push({
      range: { [DATESTAMP]: { ...(req.from ? { gte: req.from } : {}), ...(req.until ? { lte: req.until } : {}) } },
    });
  const withRecord = req.verb === 'ListRecords';
  const source = ['id', 'source', 'type', 'pid', DATESTAMP, 'harvest.harvested_at', ...(withRecord ? ['record'] : [])];
  const items: Item[] = [];
  let after = req.after;
  let total = req.completeListSize;
  let more = false;
  // A page whose items are all void tombstones (their record came back) is skipped: read on until one is not.
  while (items.length === 0) {
    const res = await o.client.search<ItemSource>({
      index: [o.alias, o.tombstones],
      ignore_unavailable: true,
      allow_no_indices: true,
      size: o.pageSize + 1,
      sort: [{ [DATESTAMP]: { order: 'asc', unmapped_type: 'date' } }, { id: { order: 'asc', unmapped_type: 'keyword' } }],
      query: { bool: { filter } },
      _source: source,
      track_total_hits: total === undefined,
      ...(after ? { search_after: after } : {}),
    });
    if (total === undefined) total = typeof res.hits.total === 'number' ? res.hits.total : (res.hits.total?.value ?? 0);
    const hits = res.hits.hits.slice(0, o.pageSize);
    more = res.hits.hits.length > o.pageSize;
    const stones = hits.filter((h) => h._index === o.tombstones).map((h) => h._id as string);
    const live = await liveIds(o.client, o.alias, stones);
    for (const h of hits) {
      const deleted = h._index === o.tombstones;
      if (deleted && live.has(h._id as string)) continue;
      items.push(toItem(h._source!, deleted));
    }
    if (hits.length > 0) after = hits[hits.length - 1].sort as [number, string];
    if (!more) break;
  }
  if (items.length === 0) {
    throw new OaiError(
      'noRecordsMatch',
      req.after ? 'no more records: the list ended' : 'no record matches these arguments (set, from, until; datacite: a DOI)',
    );
  }
  const parts = withRecord ? await recordsXml(o, items, req.metadataPrefix) : items.map((it) => headerXml(o, it));
  let token = '';
  if (more) {
    const expires = o.now().getTime() + o.tokenTtlS * 1000;
    const state: TokenState = {
      verb: req.verb,
      metadataPrefix: req.metadataPrefix,
      ...(req.set !== undefined ? { set: req.set } : {}),
      ...(req.from !== undefined ? { from: req.from } : {}),
      ...(req.until !== undefined ? { until: req.until } : {}),
      after: after!,
      cursor: req.cursor + items.length,
      completeListSize: Math.max(total ?? 0, req.cursor + items.length + 1),
      expires,
    };
    token =
      `<resumptionToken completeListSize="${state.completeListSize}" cursor="${req.cursor}" ` +
      `expirationDate="${datestamp(expires)}">${encodeToken(state)}</resumptionToken>`;
  } else if (req.after) {
    // the last page of a list that was split: an empty token says the list is complete
    token = `<resumptionToken completeListSize="${req.cursor + items.length}" cursor="${req.cursor}"/>`;
  }
  return `<${req.verb}>${parts.join('')}${token}</${req.verb}>`;
}

// ---------------------------------------------------------------------------------------------------------- request

/**
 * Arguments checked against the verb: none repeated, none unknown, the required ones present, the exclusive one
 * alone. The pairs come in request order (a query string, or a POST body).
 */
function checkArguments(args: [string, string][]): { verb: Verb; values: Record<string, string> } {
  const values: Record<string, string> = {};
  for (const [k, v] of args) {
    if (k in values) throw new OaiError('badArgument', `the argument ${k} is repeated`);
    values[k] = v;
  }
  const verb = values.verb;
  if (verb === undefined) throw new OaiError('badVerb', 'the verb argument is missing');
  if (!(verb in VERBS)) throw new OaiError('badVerb', `"${verb}" is not an OAI-PMH verb (${Object.keys(VERBS).join(', ')})`);
  const spec = VERBS[verb as Verb] as { required: readonly string[]; optional: readonly string[]; exclusive?: string };
  const given = Object.keys(values).filter((k) => k !== 'verb');
  const allowed = new Set([...spec.required, ...spec.optional, ...(spec.exclusive ? [spec.exclusive] : [])]);
  const unknown = given.filter((k) => !allowed.has(k));
  if (unknown.length > 0) throw new OaiError('badArgument', `${verb} does not take the argument ${unknown.join(', ')}`);
  if (spec.exclusive && values[spec.exclusive] !== undefined) {
    if (given.length > 1) throw new OaiError('badArgument', `${spec.exclusive} is an exclusive argument: give it alone with the verb`);
  } else {
    const missing = spec.required.filter((k) => values[k] === undefined);
    if (missing.length > 0) throw new OaiError('badArgument', `${verb} needs the argument ${missing.join(' and ')}`);
  }
  for (const k of given) if (values[k] === '') throw new OaiError('badArgument', `the argument ${k} is empty`);
  if (values.metadataPrefix !== undefined && !METADATA_PREFIX.test(values.metadataPrefix))
    throw new OaiError('badArgument', `metadataPrefix "${values.metadataPrefix}" is not a metadataPrefix (letters, digits and -_.!~*'())`);
  return { verb: verb as Verb, values };
}

function listRequest(o: Resolved, verb: 'ListRecords' | 'ListIdentifiers', v: Record<string, string>): ListRequest {
  if (v.resumptionToken !== undefined) {
    let t: TokenState;
    try {
      t = decodeToken(v.resumptionToken, verb, o.now().getTime());
    } catch (err) {
      if (err instanceof TokenError) throw new OaiError('badResumptionToken', err.message);
      throw err;
    }
    // tokens are not signed: one naming a format or a set we never list was not issued here
    if (!METADATA_FORMATS.some((f) => f.prefix === t.metadataPrefix) || (t.set !== undefined && !SET_SPEC.test(t.set)))
      throw new OaiError('badResumptionToken', 'the resumptionToken is not one this repository issued');
    return {
      verb,
      metadataPrefix: t.metadataPrefix,
      ...(t.set !== undefined ? { set: t.set } : {}),
      ...(t.from !== undefined ? { from: t.from } : {}),
      ...(t.until !== undefined ? { until: t.until } : {}),
      after: t.after,
      cursor: t.cursor,
      completeListSize: t.completeListSize,
    };
  }
  const from = v.from !== undefined ? parseOaiDate(v.from, 'from') : undefined;
  const until = v.until !== undefined ? parseOaiDate(v.until, 'until') : undefined;
  if (from && until && from.granularity !== until.granularity)
    throw new OaiError('badArgument', 'from and until must have the same granularity (both dates, or both date-times)');
  if (from && until && from.start > until.end) throw new OaiError('badArgument', `from (${v.from}) is after until (${v.until})`);
  if (v.set !== undefined && o.sets) setQuery(v.set); // syntax checked before the format: a badArgument comes first
  checkPrefix(v.metadataPrefix);
  return {
    verb,
    metadataPrefix: v.metadataPrefix,
    ...(v.set !== undefined ? { set: v.set } : {}),
    ...(from ? { from: from.start } : {}),
    ...(until ? { until: until.end } : {}),
    cursor: 0,
  };
}

function resolve(opts: OaiOptions): Resolved {
  const pageSize = opts.pageSize ?? OAI_DEFAULTS.pageSize;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000)
    throw new RangeError(`OAI-PMH pageSize must be a whole number from 1 to 1000 (got ${pageSize})`);
  const tokenTtlS = opts.tokenTtlS ?? OAI_DEFAULTS.tokenTtlS;
  if (!Number.isInteger(tokenTtlS) || tokenTtlS < 60)
    throw new RangeError(`OAI-PMH tokenTtlS must be a whole number of seconds, at least 60 (got ${tokenTtlS})`);
  return {
    client: opts.client,
    alias: opts.alias,
    identity: opts.identity,
    baseUrl: opts.baseUrl,
    pageSize,
    tokenTtlS,
    sets: opts.sets ?? OAI_DEFAULTS.sets,
    now: opts.now ?? (() => new Date()),
    tombstones: tombstoneIndex(opts.alias),
  };
}

/** Options checked up front (the server calls it once at start). */
export function checkOaiOptions(opts: Pick<OaiOptions, 'pageSize' | 'tokenTtlS'>): void {
  resolve({ ...opts, client: undefined as never, alias: 'x', identity: undefined as never, baseUrl: '' });
}

/**
 * The OAI-PMH response to a request's arguments (name-value pairs in request order), as XML text. Protocol errors
 * are OAI-PMH error responses (the HTTP status stays 200); only an Elasticsearch failure throws.
 */
export async function oaiResponse(opts: OaiOptions, args: [string, string][]): Promise<string> {
  const o = resolve(opts);
  let checked: ReturnType<typeof checkArguments>;
  try {
    checked = checkArguments(args);
  } catch (err) {
    // badVerb and badArgument: the request element carries no attributes
    if (err instanceof OaiError) return envelope(o, undefined, errorXml(err));
    throw err;
  }
  const { verb, values } = checked;
  // an identifier that is no URI is idDoesNotExist ("unknown or illegal"), and is not echoed: OAI-PMH.xsd types it anyURI
  const attrs = args.filter(([k, v]) => k in values && (k !== 'identifier' || isAnyUri(v)));
  try {
    let body: string;
    switch (verb) {
      case 'Identify':
        body = await identify(o);
        break;
      case 'ListMetadataFormats':
        body = await listMetadataFormats(o, values.identifier);
        break;
      case 'ListSets':
        if (values.resumptionToken !== undefined)
          throw new OaiError('badResumptionToken', 'ListSets answers in one response: it issues no resumptionToken');
        body = await listSets(o);
        break;
      case 'GetRecord':
        body = await getRecord(o, values.identifier, values.metadataPrefix);
        break;
      case 'ListIdentifiers':
      case 'ListRecords':
        body = await list(o, listRequest(o, verb, values));
        break;
    }
    return envelope(o, attrs, body);
  } catch (err) {
    if (!(err instanceof OaiError)) throw err;
    const bare = err.code === 'badArgument' || err.code === 'badVerb';
    return envelope(o, bare ? undefined : attrs, errorXml(err));
  }
}
