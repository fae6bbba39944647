/**
 * The DCAT-AP catalogue of the index, streamed: `harvester export dcat` and `GET /catalog` (a page) read the records
 * here and write them in one RDF serialisation.
 *
 * - Read from a point in time (a consistent view of the index however long the export takes), in pages of 500 by
 *   search_after, only the stored `record` of each document: memory holds one page and one record's graph at a time,
 *   whatever the catalogue's size; the output is written with the stream's back-pressure.
 * - Filters are search's own (pipelines/search.ts searchBody): text, box, period, theme, source.
 * - A record lacking a DCAT-AP mandatory value (schemas/dcat-gaps.ts, the record model's one rule) is left out unless
 *   `includeNonconforming`; the summary counts those left out per source and reason.
 * - Around the records: the `dcat:Catalog` of the hub identity, `dcat:dataset`/`dcat:service` and `dcat:record`
 *   links to each (mappings/dcat-catalog.ts).
 * - What the records of a page link (the datasets a service serves, the series a dataset is in: whether the catalogue
 *   holds them) is read with one search for the page (catalogHeld, servedHeld), not one per record: a page of the
 *   export, of /catalog or of OAI-PMH ListRecords dcat_ap costs the same requests whatever its size.
 */
import type { Writable } from 'node:stream';
import type { Client } from '@elastic/elasticsearch';
import { DataFactory } from 'n3';
import { unique } from '../core/json.js';
import { catalogLinks, catalogQuads, hydraQuads, type HydraPage } from '../mappings/dcat-catalog.js';
import { recordQuads, type Quad } from '../mappings/rdf/quads.js';
import { rdfWriter, type RdfFormat } from '../mappings/rdf/serialize.js';
import { dcatGaps } from '../schemas/dcat-gaps.js';
import { HUB_BASE_URI, recordOfIri, type HubRecord } from '../schemas/record.js';
import type { HubIdentity } from './hub-identity.js';
import { searchBody, type SearchParams } from './search.js';
import { tombstoneIndex } from './tombstones.js';

/** The filters an export takes: those of search. */
export type ExportFilters = Pick<SearchParams, 'q' | 'bbox' | 'from' | 'to' | 'theme' | 'source'>;

export interface LeftOut {
  /** Records left out, per source, per reason (a record lacking two values counts under each). */
  bySource: Record<string, Record<string, number>>;
  /** Records left out in all. */
  total: number;
}

export interface ExportSummary {
  format: RdfFormat;
  /** Records the filters matched in the index. */
  matched: number;
  exported: number;
  leftOut: LeftOut;
  ms: number;
}

export interface ExportOptions {
  client: Client;
  alias: string;
  identity: HubIdentity;
  format: RdfFormat;
  out: Writable;
  filters?: ExportFilters;
  includeNonconforming?: boolean;
  /** Called after each page with the records read so far and the total matched. */
  onProgress?: (done: number, total: number) => void;
}

/** Documents per page of the point-in-time scan. */
const PAGE = 500;
const KEEP_ALIVE = '2m';
/** Most triples about shared resources a streamed export remembers (sharedOnce; about 2 MB of keys). */
const MAX_SHARED = 10_000;

/**
 * Why a record is left out of the catalogue: each DCAT-AP mandatory value it lacks, as "class without property"
 * (e.g. "dcat:Dataset without dct:description"), each reason once; [] when it has them all.
 */
export function missingMandatory(record: HubRecord): string[] {
  return [...new Set(dcatGaps(record).map((g) => `${g.class} without ${g.property}`))];
}

/** The Elasticsearch query of the filters (search's query building). */
export function filterQuery(filters: ExportFilters = {}): Record<string, unknown> {
  return searchBody({ ...filters, size: 0 }).query as Record<string, unknown>;
}

/** Writes text to a stream, waiting when it asks to (back-pressure). */
async function write(out: Writable, text: string): Promise<void> {
  if (text === '' || out.write(text)) return;
  await new Promise<void>((resolve, reject) => {
    const done = (err?: Error) => {
      out.off('drain', ok);
      out.off('error', done);
      if (err) reject(err);
      else resolve();
    };
    const ok = () => done();
    out.once('drain', ok);
    out.once('error', done);
  });
}

/** What a catalogue entry needs to know of the rest of the catalogue. */
export interface CatalogScope {
  client: Client;
  alias: string;
  /** The query of the records the catalogue holds (the export's filters). */
  query: Record<string, unknown>;
  includeNonconforming: boolean;
}

const SERVES = 'http://www.w3.org/ns/dcat#servesDataset';
const IN_SERIES = 'http://www.w3.org/ns/dcat#inSeries';
const RELATION = 'http://purl.org/dc/terms/relation';

/** Most records one search reads (Elasticsearch's index.max_result_window). */
const IDS_PER_SEARCH = 10_000;

/**
 * Of the records `iris` names (the datasets services serve, the series datasets are in), those the catalogue itself
 * holds (in the index, matching its filters, and exported). A served dataset or a series outside the catalogue cannot
 * be typed dcat:Dataset or dcat:DatasetSeries there without inventing what DCAT-AP requires of it (title,
 * description): its link stays as dct:relation instead (the information kept, no false claim). The IRIs of a whole page
 * of records at once: one search (one per 10,000 distinct records named), none when they name none.
 */
async function heldInCatalogue(scope: CatalogScope, iris: string[]): Promise<Map<string, HubRecord>> {
  const inside = new Map<string, HubRecord>();
  const ids = [...new Set(iris.flatMap((iri) => recordOfIri(iri)?.id ?? []))];
  for (let at = 0; at < ids.length; at += IDS_PER_SEARCH) {
    const some = ids.slice(at, at + IDS_PER_SEARCH);
    const res = await scope.client.search<{ record: HubRecord }>({
      index: scope.alias,
      size: some.length,
      query: { bool: { filter: [scope.query, { ids: { values: some } }] } },
      _source: ['record'],
    });
    for (const h of res.hits.hits) {
      const r = h._source!.record;
      if (scope.includeNonconforming || missingMandatory(r).length === 0) inside.set(r['@id'], r);
    }
  }
  return inside;
}

/**
 * What the catalogue entries of `records` (a page) need of the rest of the catalogue (catalogEntry's `held`): the
 * datasets their services serve and the series their datasets are in that the catalogue holds; one search for the page.
 * A member's series too: a filter (q, bbox, a time window) or a series left out for a missing value may keep the
 * member without its series, whose dcat:inSeries would then name no dcat:DatasetSeries (a violation of the ranges).
 */
export function catalogHeld(scope: CatalogScope, records: HubRecord[]): Promise<Map<string, HubRecord>> {
  return heldInCatalogue(
    scope,
    records.flatMap((r) => [...(r.servesDataset ?? []), ...(r.inSeries ?? []), ...(r.isPartOf ?? [])]),
  );
}

/**
 * The series a record's parent is: its dct:isPartOf to a record `held` that is a dcat:DatasetSeries, which its
 * dcat:inSeries does not name. A member read on its own (an ISO record naming its parentIdentifier, harvested apart from
 * its series) cannot tell its parent is a series; the hub, holding the series, can: its graph then states dcat:inSeries
 * too (DCAT 3's property between a member and its series), dct:isPartOf kept. Done here, not in the record, so that the
 * record does not depend on which of the two a run read first.
 */
export function parentSeries(record: HubRecord, held: Map<string, HubRecord>): string[] {
  return unique(record.isPartOf ?? []).filter(
    (iri) => !record.inSeries?.includes(iri) && held.get(iri)?.['@type'][0] === 'dcat:DatasetSeries',
  );
}

/** The dcat:inSeries quads of a record to its parent series (parentSeries). */
function inParentSeries(record: HubRecord, parents: string[]): Quad[] {
  const self = DataFactory.namedNode(record['@id']);
  return parents.map((iri) => DataFactory.quad(self, DataFactory.namedNode(IN_SERIES), DataFactory.namedNode(iri)));
}

/**
 * A record's graph and its links from the catalogue, or the reasons it is left out; `held`: catalogHeld of its page.
 * A member whose series is on another page of /catalog names it undescribed there: describing it (class, title) would
 * make data.gouv.fr's harvester take it for an item of that page too (udata harvests any titled dcat:Dataset or
 * dcat:DatasetSeries node of a page: udata harvest/backends/dcat.py is_dataset_external_to_this_graph), twice in one
 * job. The pages together describe it.
 */
export function catalogEntry(
  record: HubRecord,
  catalogIri: string,
  scope: CatalogScope,
  held: Map<string, HubRecord>,
): { quads: Quad[] } | { missing: string[] } {
  const missing = missingMandatory(record);
  if (missing.length > 0 && !scope.includeNonconforming) return { missing };
  const quads = [
    ...relatedUnlessHeld(recordQuads(record), record, [SERVES, IN_SERIES], held),
    ...inParentSeries(record, parentSeries(record, held)),
  ];
  return { quads: [...catalogLinks(catalogIri, record['@id'], quads), ...quads] };
}

/**
 * The record's links by `predicates` to records not `held` (heldInCatalogue) as dct:relation: the link is kept, without
 * claiming the class the predicate's range gives its target.
 */
function relatedUnlessHeld(quads: Quad[], record: HubRecord, predicates: string[], held: Map<string, HubRecord>): Quad[] {
  const self = DataFactory.namedNode(record['@id']);
  return quads.map((q) =>
    predicates.includes(q.predicate.value) && q.subject.equals(self) && !held.has(q.object.value)
      ? DataFactory.quad(q.subject, DataFactory.namedNode(RELATION), q.object)
      : q,
  );
}

export function countLeftOut(leftOut: LeftOut, source: string, missing: string[]): void {
  leftOut.total++;
  const per = (leftOut.bySource[source] ??= {});
  for (const why of missing) per[why] = (per[why] ?? 0) + 1;
}

/** Streams the whole catalogue (or the filtered part of it) to `out`; resolves with what was written and left out. */
export async function exportDcat(opts: ExportOptions): Promise<ExportSummary> {
  const started = Date.now();
  const { client, alias, identity, out } = opts;
  const query = filterQuery(opts.filters);
  const writer = rdfWriter(opts.format);
  const leftOut: LeftOut = { bySource: {}, total: 0 };
  const scope: CatalogScope = { client, alias, query, includeNonconforming: opts.includeNonconforming === true };
  const once = sharedOnce();
  let exported = 0;
  let done = 0;
  let pit = (await client.openPointInTime({ index: alias, keep_alive: KEEP_ALIVE })).id;
  try {
    const count = await client.search({ pit: { id: pit, keep_alive: KEEP_ALIVE }, size: 0, query, track_total_hits: true });
    const matched = typeof count.hits.total === 'number' ? count.hits.total : (count.hits.total?.value ?? 0);
    await write(out, writer.head());
    await write(out, writer.quads(once(catalogQuads(identity, { modified: new Date(started).toISOString() }))));
    let after: unknown[] | undefined;
    for (;;) {
      const res = await client.search<{ record: HubRecord }>({
        pit: { id: pit, keep_alive: KEEP_ALIVE },
        size: PAGE,
        sort: [{ _shard_doc: 'asc' }],
        query,
        _source: ['record'],
        track_total_hits: false,
        ...(after ? { search_after: after as never } : {}),
      });
      pit = res.pit_id ?? pit;
      const hits = res.hits.hits;
      const records = hits.map((h) => h._source!.record);
      const held = await catalogHeld(scope, records);
      for (const record of records) {
        const entry = catalogEntry(record, identity.catalogIri, scope, held);
        if ('missing' in entry) countLeftOut(leftOut, record.isPrimaryTopicOf.sourceId, entry.missing);
        else {
          await write(out, writer.quads(once(entry.quads)));
          exported++;
        }
      }
      done += hits.length;
      opts.onProgress?.(done, matched);
      if (hits.length < PAGE) break;
      after = hits[hits.length - 1].sort;
    }
    await write(out, writer.end());
    return { format: opts.format, matched, exported, leftOut, ms: Date.now() - started };
  } finally {
    await client.closePointInTime({ id: pit }).catch(() => undefined);
  }
}

// ---------------------------------------------------------------------------------------------------------- pages

export interface CatalogPageRequest {
  filters?: ExportFilters;
  pageSize: number;
  /** Position: after this id (next pages), before this id (previous pages), the last page, or the first. */
  after?: string;
  before?: string;
  last?: boolean;
  includeNonconforming?: boolean;
}

export interface CatalogPage {
  quads: Quad[];
  totalItems: number;
  /** Records on the page (conforming, or all with includeNonconforming). */
  items: number;
  leftOut: LeftOut;
  firstId?: string;
  lastId?: string;
  hasNext: boolean;
  hasPrevious: boolean;
}

/**
 * One page of `/catalog`: records in id order, positioned by a cursor (the id after or before which it starts) so
 * that every page of a catalogue of any size is one search (no deep offsets), plus the catalogue node. The links
 * (hydra:first, next, previous, last) are the caller's: it knows the URL.
 */
export async function catalogPage(client: Client, alias: string, identity: HubIdentity, req: CatalogPageRequest): Promise<CatalogPage> {
  const query = filterQuery(req.filters);
  const backwards = req.before !== undefined || req.last === true;
  let size = req.pageSize;
  const [total, modified] = await Promise.all([client.count({ index: alias, query }).then((r) => r.count), lastChange(client, alias)]);
  // the last page holds what is left after whole pages from the start, so that its previous pages align with them
  if (req.last) size = total % req.pageSize || req.pageSize;
  const res = await client.search<{ record: HubRecord; id: string }>({
    index: alias,
    size: size + 1,
    sort: [{ id: backwards ? 'desc' : 'asc' }],
    query,
    _source: ['record', 'id'],
    track_total_hits: false,
    ...(req.after !== undefined ? { search_after: [req.after] } : req.before !== undefined ? { search_after: [req.before] } : {}),
  });
  let hits = res.hits.hits;
  const beyond = hits.length > size;
  hits = hits.slice(0, size);
  if (backwards) hits.reverse();
  const leftOut: LeftOut = { bySource: {}, total: 0 };
  const scope: CatalogScope = { client, alias, query, includeNonconforming: req.includeNonconforming === true };
  const quads: Quad[] = [...catalogQuads(identity, modified ? { modified } : {})];
  let items = 0;
  const records = hits.map((h) => h._source!.record);
  const held = await catalogHeld(scope, records);
  for (const record of records) {
    const entry = catalogEntry(record, identity.catalogIri, scope, held);
    if ('missing' in entry) countLeftOut(leftOut, record.isPrimaryTopicOf.sourceId, entry.missing);
    else {
      quads.push(...entry.quads);
      items++;
    }
  }
  const firstId = hits[0]?._source?.id;
  const lastId = hits[hits.length - 1]?._source?.id;
  return {
    quads: distinct(quads),
    totalItems: total,
    items,
    leftOut,
    ...(firstId !== undefined ? { firstId } : {}),
    ...(lastId !== undefined ? { lastId } : {}),
    hasNext: backwards ? req.last !== true && hits.length > 0 : beyond,
    hasPrevious: backwards ? beyond : req.after !== undefined && hits.length > 0,
  };
}

/**
 * When the catalogue last changed: the newest `indexed_at` of its records and tombstones (a record written, or one
 * removed), the catalogue's `dct:modified` on every page; undefined for an empty index.
 */
async function lastChange(client: Client, alias: string): Promise<string | undefined> {
  const res = await client.search({
    index: [alias, tombstoneIndex(alias)],
    ignore_unavailable: true,
    allow_no_indices: true,
    size: 0,
    track_total_hits: false,
    aggs: { last: { max: { field: 'indexed_at' } } },
  });
  const last = (res.aggregations?.last as { value?: number | null } | undefined)?.value;
  return typeof last === 'number' ? new Date(last).toISOString() : undefined;
}

/** A term as a key: its kind, value, and a literal's language or datatype. */
function termKey(t: Quad['object']): string {
  return t.termType === 'Literal' ? `L${t.value}\u0000${t.language}\u0000${t.datatype.value}` : `${t.termType[0]}${t.value}`;
}

const tripleKey = (q: Quad) => `${termKey(q.subject)}\u0001${q.predicate.value}\u0001${termKey(q.object)}`;

/**
 * The quads once each: the records of a page share their licences, languages, formats and agents, whose description
 * each record's graph repeats (a fifth of a page's triples on the sample catalogue). A page is a graph: a set.
 */
function distinct(quads: Quad[]): Quad[] {
  return unique(quads, tripleKey);
}

/**
 * For a streamed export, which holds one record's graph at a time: each record's quads without the triples already
 * written about a resource outside the hub's records (a licence, a language, a format, a theme, an agent or a CRS with
 * an IRI of its own), which records share and each record's graph repeats. What is said of the records themselves and
 * of blank nodes is always written. At most `max` triples are remembered; past that the memory is emptied and fills
 * again, so that a catalogue sharing more than that costs repeats in the file, never memory. On the sample catalogue,
 * 83 triples made 6,350 of the 30,151 lines of the N-Triples export.
 */
export function sharedOnce(max = MAX_SHARED): (quads: Quad[]) => Quad[] {
  const seen = new Set<string>();
  return (quads) =>
    quads.filter((q) => {
      if (q.subject.termType !== 'NamedNode' || q.subject.value.startsWith(HUB_BASE_URI)) return true;
      const key = tripleKey(q);
      if (seen.has(key)) return false;
      if (seen.size >= max) seen.clear();
      seen.add(key);
      return true;
    });
}

/** The page's quads with its Hydra paging node. */
export function pageWithLinks(page: CatalogPage, identity: HubIdentity, links: HydraPage): Quad[] {
  return [...page.quads, ...hydraQuads(identity.catalogIri, links)];
}

const DCT_TITLE = 'http://purl.org/dc/terms/title';
const DCT_DESCRIPTION = 'http://purl.org/dc/terms/description';
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const DATASET_SERIES = 'http://www.w3.org/ns/dcat#DatasetSeries';

/** What DCAT-AP requires of a dataset series, from its record: its class, title and description. */
function seriesDescription(r: HubRecord): Quad[] {
  const s = DataFactory.namedNode(r['@id']);
  const out = [DataFactory.quad(s, DataFactory.namedNode(RDF_TYPE), DataFactory.namedNode(DATASET_SERIES))];
  for (const [p, texts] of [
    [DCT_TITLE, r.title],
    [DCT_DESCRIPTION, r.description ?? {}],
  ] as const)
    for (const [lang, text] of Object.entries(texts))
      out.push(DataFactory.quad(s, DataFactory.namedNode(p), DataFactory.literal(text, lang === '@none' ? undefined : lang)));
  return out;
}

/**
 * What the graphs of `records` served on their own (servedGraph's `held`) need of the rest of the hub: the series their
 * members are in and the parents they are part of (a parent may be a series: parentSeries) that the hub holds,
 * conforming; one search for all of them (a page of OAI-PMH ListRecords), none when no record is a member or a part.
 */
export function servedHeld(client: Client, alias: string, records: HubRecord[]): Promise<Map<string, HubRecord>> {
  const scope: CatalogScope = { client, alias, query: { match_all: {} }, includeNonconforming: false };
  return heldInCatalogue(
    scope,
    records.flatMap((r) => [...(r.inSeries ?? []), ...(r.isPartOf ?? [])]),
  );
}

/**
 * The RDF of one record as served on its own (GET /records/{id}, OAI-PMH dcat_ap): its graph, and for each series it is
 * in that the hub holds (`held`: servedHeld), the series typed dcat:DatasetSeries with its title and description (what
 * DCAT-AP 3.0.1 requires of one), read from the series' own record, in the order of its dcat:inSeries. Alone, a
 * member's dcat:inSeries named a node of no class, a violation of the ranges; a series the hub does not hold, or that
 * lacks a mandatory value, is a dct:relation instead, as in the catalogue. A parent that is a series the hub holds
 * (parentSeries) is named by dcat:inSeries too, and described the same way.
 */
export function servedGraph(record: HubRecord, held: Map<string, HubRecord>): Quad[] {
  const quads = recordQuads(record);
  const parents = parentSeries(record, held);
  if (!record.inSeries?.length && parents.length === 0) return quads;
  const series = unique([...(record.inSeries ?? []), ...parents]).flatMap((iri) => held.get(iri) ?? []);
  return [...relatedUnlessHeld(quads, record, [IN_SERIES], held), ...inParentSeries(record, parents), ...series.flatMap(seriesDescription)];
}

/** servedGraph of one record: one search for a member, none for any other record. */
export async function servedRecordGraph(client: Client, alias: string, record: HubRecord): Promise<Quad[]> {
  return servedGraph(record, await servedHeld(client, alias, [record]));
}
