/**
 * A benchmark index of generated ISO 19139 records (scripts/samples/iso-generator.ts), mapped by the real crosswalk and
 * indexed by the real bulk indexer: what the OAI-PMH and DCAT export benchmarks read. Record i is always the same
 * record, so pycsw can be loaded with the same records (the generated XML files) in the same run.
 */
import type { Client } from '@elastic/elasticsearch';
import { ensureIndex } from '../../pipelines/index-admin.js';
import { BulkIndexer } from '../../pipelines/indexer.js';
import { mapRecord } from '../../pipelines/map.js';
import { generateIsoRecord, generatedId } from '../samples/iso-generator.js';

/** Indexes generated records [from, to) into `alias` (created when missing) as source `source`; returns how many. */
export async function indexGenerated(client: Client, alias: string, source: string, from: number, to: number): Promise<number> {
  await ensureIndex(client, alias, { refreshInterval: '30s' });
  const indexer = new BulkIndexer({ client, index: alias, runId: 'bench', refresh: true, batchSize: 1000 });
  const harvestedAt = new Date().toISOString();
  for (let i = from; i < to; i++) {
    const r = mapRecord({ source, body: generateIsoRecord(i), location: `generated:${i}`, id: generatedId(i) }, { harvestedAt });
    if (r.ok) await indexer.add(r.record, { source });
  }
  const stats = await indexer.close();
  if (stats.failed > 0) throw new Error(`${stats.failed} generated records not indexed: ${stats.failures[0]?.error}`);
  await client.indices.putSettings({ index: alias, settings: { refresh_interval: '1s' } });
  await client.indices.refresh({ index: alias });
  return stats.indexed;
}
