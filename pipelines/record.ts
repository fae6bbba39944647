/**
 * One record of the index by its hub id (`source:identifier`): what a record page, an export or an API item reads.
 */
import type { Client } from '@elastic/elasticsearch';
import type { HubRecord } from '../schemas/record.js';
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
