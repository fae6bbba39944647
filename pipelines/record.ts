/**
 * One record of the index by its hub id (`source:identifier`): what a record page, an export or an API item reads.
 */
import type { Client } from '@elastic/elasticsearch';
import { recordOfIri, type HubRecord, type LangMap } from '../schemas/record.js';
import type { DupState, IndexType } from '../mappings/index-doc.js';

export interface StoredRecord {
  id: string;
  source: string;
  type: IndexType;
  record: HubRecord;
  /**
   * The FAIR figures the index document keeps, when it has them (`quality`: MQA points and rating, F-UJI points, as
   * `harvester validate`'s assessment writes them).
   */
  quality?: { mqa?: number; rating?: string; fuji?: number };
  /** The record among copies of its dataset from other sources (pipelines/duplicates.ts), when it has any. */
  dup?: DupState;
}

/** The record `id` of the index behind `alias`; undefined when there is none. */
export async function getRecord(client: Client, alias: string, id: string): Promise<StoredRecord | undefined> {
  // A search by id rather than GET _doc: the alias may span several indices while a mapping change is under way.
  const res = await client.search<{
    record: HubRecord;
    source: string;
    type: IndexType;
    quality?: StoredRecord['quality'];
    dup?: DupState | null;
  }>({
    index: alias,
    size: 1,
    query: { ids: { values: [id] } },
    _source: ['record', 'source', 'type', 'quality', 'dup'],
  });
  const hit = res.hits.hits[0];
  if (!hit?._source) return undefined;
  const { record, source, type, quality, dup } = hit._source;
  return { id: hit._id as string, source, type, record, ...(quality ? { quality } : {}), ...(dup ? { dup } : {}) };
}

/** At most this many linked records are looked up for one page; the others are linked as before, unchecked. */
export const LINKED_LOOKUP_MAX = 200;

/**
 * The hub records that `iris` name (recordOfIri: the hub's own IRIs), by id: each one's title when the index holds
 * it, null when it does not (a service's dataset named by a uuidref the source never published, a series not
 * harvested). One search, none when no IRI is the hub's; at most LINKED_LOOKUP_MAX ids.
 */
export async function linkedRecords(client: Client, alias: string, iris: Iterable<string>): Promise<Map<string, LangMap | null>> {
  const ids = [...new Set([...iris].flatMap((iri) => recordOfIri(iri)?.id ?? []))].slice(0, LINKED_LOOKUP_MAX);
  const out = new Map<string, LangMap | null>(ids.map((id) => [id, null]));
  if (ids.length === 0) return out;
  const res = await client.search<{ record?: { title?: LangMap } }>({
    index: alias,
    size: ids.length,
    query: { ids: { values: ids } },
    _source: ['record.title'],
  });
  for (const hit of res.hits.hits) out.set(hit._id as string, hit._source?.record?.title ?? {});
  return out;
}

/** At most this many parts of one record are named (by title); the others are counted. */
export const PARTS_MAX = 100;

/** The records that are part of a record: the first ones by title, and how many there are. */
export interface Parts {
  total: number;
  records: { id: string; title: LangMap }[];
}

/**
 * The records of the index that name each of `iris` as their parent or series (their dct:isPartOf or dcat:inSeries:
 * the index's `part_of`): a series' or parent's parts, which a member harvested on its own (an ISO record's
 * gmd:parentIdentifier) names while the series does not name it. The first `max` of each by title, and their number;
 * a copy listed under another source's record (pipelines/duplicates.ts) is left out, as in every list. One search
 * (size 0, one bucket per IRI), none for no IRI. `exclude`: hub ids left out of every list and count (the members a
 * series names itself, which its page lists already).
 */
export async function recordParts(
  client: Client,
  alias: string,
  iris: string[],
  { max = PARTS_MAX, exclude = [] }: { max?: number; exclude?: string[] } = {},
): Promise<Map<string, Parts>> {
  const wanted = [...new Set(iris)];
  const out = new Map<string, Parts>();
  if (wanted.length === 0) return out;
  const res = await client.search({
    index: alias,
    size: 0,
    query: {
      bool: {
        filter: [{ terms: { part_of: wanted } }],
        must_not: [{ term: { 'dup.primary': false } }, ...(exclude.length ? [{ ids: { values: exclude } }] : [])],
      },
    },
    aggs: {
      parent: {
        terms: { field: 'part_of', include: wanted, size: wanted.length },
        aggs: { first: { top_hits: { size: max, sort: [{ title_sort: 'asc' }, { id: 'asc' }], _source: ['record.title'] } } },
      },
    },
  });
  type Bucket = {
    key: string;
    doc_count: number;
    first: { hits: { hits: { _id: string; _source?: { record?: { title?: LangMap } } }[] } };
  };
  const buckets = (res.aggregations?.parent as { buckets?: Bucket[] } | undefined)?.buckets ?? [];
  for (const b of buckets) {
    out.set(b.key, { total: b.doc_count, records: b.first.hits.hits.map((h) => ({ id: h._id, title: h._source?.record?.title ?? {} })) });
  }
  return out;
}

/** How many parts a record's page lists by title; the catalogue page, filtered by partOf, lists them all. */
export const PAGE_PARTS = 20;

/** The parts of one record that it does not name itself as a series' members (recordParts); undefined: none. */
export async function partsOf(client: Client, alias: string, record: HubRecord, max = PAGE_PARTS): Promise<Parts | undefined> {
  const named = (record.seriesMember ?? []).flatMap((iri) => recordOfIri(iri)?.id ?? []);
  return (await recordParts(client, alias, [record['@id']], { exclude: named, max })).get(record['@id']);
}
