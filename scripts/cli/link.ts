/** `harvester link`: every group of copies of a dataset decided again with the sources file's ranking (docs/duplicates.md). */
import { existsSync } from 'node:fs';
import { UsageError } from '../../core/result.js';
import { linkAll } from '../../pipelines/duplicates.js';
import type { Logger } from '../../pipelines/log.js';
import { loadSources } from '../../pipelines/sources.js';
import { connect, type Values } from './args.js';

export async function linkCommand(values: Values, log: Logger): Promise<number> {
  const file = (values.sources as string | undefined) ?? process.env.HUB_SOURCES ?? 'sources.json';
  if (!existsSync(file))
    throw new UsageError(`no sources file ${file}: its precedence and priorities decide which copy is shown (--sources FILE)`, '--sources');
  const ranking = loadSources(file)[0]?.ranking;
  const target = await connect(values);
  try {
    const r = await linkAll(target.client, target.alias, ranking);
    log.info(
      `${r.keys} shared identifiers decided, ${r.updated} records changed${r.conflicts ? `, ${r.conflicts} rewritten meanwhile (their harvest links them)` : ''}`,
      {
        keys: r.keys,
        updated: r.updated,
        conflicts: r.conflicts,
      },
    );
    return 0;
  } finally {
    await target.client.close();
  }
}
