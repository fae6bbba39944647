/**
 * Removing a source that left the configuration: every record of it leaves the index, each with a tombstone
 * (pipelines/tombstones.ts), so that OAI-PMH reports them deleted and a Dataverse that harvested them deletes its
 * copies. What `harvester remove --source ID` runs.
 */
import type { Client } from '@elastic/elasticsearch';
import { deleteStale } from './index-admin.js';
import { countTombstones } from './tombstones.js';
import type { SourceRanking } from './duplicates.js';

/** Removes every record of `source` (tombstones kept); returns how many records were removed. */
export async function removeSource(
  client: Client,
  alias: string,
  source: string,
  opts: { ranking?: SourceRanking } = {},
): Promise<{ removed: number; tombstones: number }> {
  // copies of its records from other sources stay, and one of them becomes the primary (pipelines/duplicates.ts)
  const removed = await deleteStale(client, alias, source, () => false, { reason: 'source-removed', ranking: opts.ranking });
  return { removed, tombstones: await countTombstones(client, alias, source) };
}
