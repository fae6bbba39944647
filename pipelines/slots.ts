/**
 * Scheduled slots that do not start a run, the same for the terminal scheduler (`harvester schedule`,
 * pipelines/schedule.ts) and the service (`harvester serve`, pipelines/service.ts): a slot that comes while the
 * source's previous run is queued or under way (in this process, or in another one that holds the source's lock) is
 * skipped, said in the log and recorded in the history as a run document of status `skipped` whose `error` names the
 * run still going (docs/runs.md), so that the history shows the gap.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@elastic/elasticsearch';
import { currentLock } from './locks.js';
import type { Logger } from './log.js';
import { emptyRunSummary, writeRun, type RunSummary } from './runs.js';

/** Why a source's lock keeps a new run from starting: a live run elsewhere holds it (undefined: free, or unreadable). */
export async function heldElsewhere(
  client: Client,
  alias: string,
  source: string,
): Promise<{ runId: string; message: string } | undefined> {
  let lock;
  try {
    lock = await currentLock(client, alias, source);
  } catch {
    return undefined; // the index does not answer: the run will say so
  }
  if (!lock || lock.expired || lock.holderGone) return undefined;
  return {
    runId: lock.runId,
    message: `source "${source}" is being harvested by run ${lock.runId} (pid ${lock.pid} on ${lock.host}) since ${lock.acquiredAt}`,
  };
}

/** A slot skipped: said in the log, recorded in the history (a failure to record it is said, never thrown). */
export async function skipSlot(
  target: { client: Client; alias: string },
  log: Logger,
  source: { id: string; name?: string; type: string; url: string },
  at: Date,
  busy: { runId?: string; message: string },
): Promise<RunSummary> {
  const iso = at.toISOString();
  const why = `scheduled slot of ${iso} skipped: ${busy.message}`;
  log.warn(`${source.id}: ${why}`, { source: source.id, ...(busy.runId ? { runId: busy.runId } : {}) });
  const doc: RunSummary = { ...emptyRunSummary(source, randomUUID(), 'skipped', iso), slot: iso, endedAt: iso, error: why };
  try {
    await writeRun(target.client, target.alias, doc, { refresh: true, timeoutMs: 10_000 });
  } catch (e) {
    log.warn(`${source.id}: the skipped slot could not be recorded: ${(e as Error).message}`, { source: source.id });
  }
  return doc;
}
