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
