/**
 * `harvester purge [--source ID]`: the withdrawn records whose grace period has ended are purged now (their tombstones
 * say deleted for good, the kept records dropped), without waiting for their source's next complete full run.
 */
import type { Logger } from '../../pipelines/log.js';
import { countWithdrawn, purgeWithdrawn } from '../../pipelines/tombstones.js';
import { checkSourceId, connect, type Values } from './args.js';

export async function purgeCommand(values: Values, log: Logger): Promise<number> {
  const source = values.source === undefined ? undefined : checkSourceId(values.source as string, '--source');
  const target = await connect(values);
  try {
    const r = await purgeWithdrawn(target.client, target.alias, source ? { source } : {});
    const waiting = await countWithdrawn(target.client, target.alias, source);
    const which = source ? ` of source "${source}"` : '';
    const said = `purged ${r.purged} withdrawn record(s)${which} whose grace period had ended${r.restored ? `, restored ${r.restored} that came back` : ''}; ${waiting} still withdrawn, within their grace period`;
    if (log.json) log.info(said, { ...(source ? { source } : {}), purged: r.purged, restored: r.restored, withdrawn: waiting });
    else process.stdout.write(said + '\n');
    return 0;
  } finally {
    await target.client.close();
  }
}
