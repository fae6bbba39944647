/** `harvester remove --source ID`: the records of a source removed from the configuration leave the index, tombstoned. */
import { existsSync } from 'node:fs';
import { UsageError } from '../../core/result.js';
import type { Logger } from '../../pipelines/log.js';
import { removeSource } from '../../pipelines/remove-source.js';
import { loadSources, type SourceConfig } from '../../pipelines/sources.js';
import { checkSourceId, connect, type Values } from './args.js';

function loadOrNothing(file: string): SourceConfig[] | undefined {
  try {
    return loadSources(file);
  } catch {
    return undefined;
  }
}

export async function removeCommand(values: Values, log: Logger): Promise<number> {
  if (values.source === undefined) throw new UsageError('remove needs --source ID: the source whose records leave the index', '--source');
  const source = checkSourceId(values.source as string, '--source');
  const file = (values.sources as string | undefined) ?? process.env.HUB_SOURCES ?? 'sources.json';
  // the file's ranking decides which copy of a dataset is shown once this source's copies are gone (docs/duplicates.md)
  // (--force removes even when the file cannot be read: the ranking then falls back to the source ids)
  const configured = existsSync(file) ? (values.force === true ? loadOrNothing(file) : loadSources(file)) : undefined;
  if (configured && values.force !== true) {
    const still = configured.some((s) => s.id === source);
    if (still)
      throw new UsageError(
        `source "${source}" is still in ${file}: remove it there first, or its next harvest brings its records back (--force removes them anyway)`,
        '--source',
      );
  }
  const target = await connect(values);
  try {
    const { count } = await target.client.count({ index: target.alias, query: { term: { source } } });
    if (count === 0) {
      log.info(`the index "${target.alias}" holds no record of source "${source}": nothing to remove`);
      return 0;
    }
    const r = await removeSource(target.client, target.alias, source, { ranking: configured?.[0]?.ranking });
    log.info(`removed the ${r.removed} records of source "${source}"; OAI-PMH reports them deleted (${r.tombstones} tombstones)`, {
      source,
      removed: r.removed,
    });
    return 0;
  } finally {
    await target.client.close();
  }
}
