/**
 * Which schedulers are alive: a process that follows the sources' schedules (`harvester serve` with schedules,
 * `harvester schedule`) says so in the `<alias>-schedulers` index, one document per process (its id host:pid), written
 * when it starts, refreshed every SCHEDULER_BEAT_MS and deleted when it stops. A document whose expiry has passed (no
 * heartbeat for SCHEDULER_TTL_MS: the process was killed) or whose process of this machine is gone is not alive.
 *
 * `harvester status` (pipelines/status.ts) reads it: a scheduled source that no live scheduler follows has no next run
 * (none will happen), and the status says why, instead of the time its cron expression gives.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@elastic/elasticsearch';
import { ensureAuxIndex } from '../mappings/es-index.js';
import { HOST, markLive, ownerGone } from './locks.js';
import { searchRuns } from './runs.js';

export function schedulersIndex(alias: string): string {
  return `${alias}-schedulers`;
}

/** How often a scheduler says it is alive. */
export const SCHEDULER_BEAT_MS = 30_000;
/** How long a scheduler counts as alive after its last heartbeat. */
export const SCHEDULER_TTL_MS = 120_000;

/** A scheduler's document. */
export interface SchedulerInfo {
  /** Its id: host:pid:a random suffix (one process may start a scheduler more than once). */
  id: string;
  /** `serve`: the service (`harvester serve`); `schedule`: `harvester schedule`. */
  kind: 'serve' | 'schedule';
  host: string;
  pid: number;
  startedAt: string;
  heartbeatAt: string;
  expiresAt: string;
  /** The ids of the sources whose schedules it follows. */
  sources: string[];
  /** The time zone of its cron expressions, when not the machine's. */
  timezone?: string;
}

const MAPPING = {
  dynamic: false,
  properties: {
    id: { type: 'keyword' },
    kind: { type: 'keyword' },
    host: { type: 'keyword' },
    pid: { type: 'long' },
    startedAt: { type: 'date' },
    heartbeatAt: { type: 'date' },
    expiresAt: { type: 'date' },
    sources: { type: 'keyword' },
  },
} as const;

async function ensureIndex(client: Client, alias: string): Promise<string> {
  const index = schedulersIndex(alias);
  await ensureAuxIndex(client, index, MAPPING);
  return index;
}

/** A scheduler saying it is alive; stop() deletes its document. */
export interface SchedulerBeacon {
  readonly id: string;
  /** Resolves once the first document was written (or could not be: the index does not answer; said to `onError`). */
  readonly ready: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Says that this process follows the schedules of `sources`: at once, then every `beatMs`. A write that fails (the
 * index does not answer) goes to `onError` and is tried again at the next beat.
 */
export function startSchedulerBeacon(
  client: Client,
  alias: string,
  what: { kind: SchedulerInfo['kind']; sources: string[]; timezone?: string },
  opts: { beatMs?: number; ttlMs?: number; onError?: (err: unknown) => void } = {},
): SchedulerBeacon {
  const beatMs = opts.beatMs ?? SCHEDULER_BEAT_MS;
  const ttlMs = opts.ttlMs ?? SCHEDULER_TTL_MS;
  const id = `${HOST}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const unmark = markLive(id);
  const startedAt = new Date().toISOString();
  let stopped = false;
  const write = async () => {
    const now = Date.now();
    const doc: SchedulerInfo = {
      id,
      kind: what.kind,
      host: HOST,
      pid: process.pid,
      startedAt,
      heartbeatAt: new Date(now).toISOString(),
      expiresAt: new Date(now + ttlMs).toISOString(),
      sources: what.sources,
      ...(what.timezone ? { timezone: what.timezone } : {}),
    };
    try {
      const index = await ensureIndex(client, alias);
      if (!stopped) await client.index({ index, id, document: doc, refresh: true });
    } catch (err) {
      opts.onError?.(err);
    }
  };
  let current: Promise<void> = write();
  const ready = current;
  const timer = setInterval(() => {
    current = current.then(write);
  }, beatMs);
  timer.unref();
  return {
    id,
    ready,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await current;
      await client.delete({ index: schedulersIndex(alias), id, refresh: true }, { ignore: [404] }).catch(() => undefined);
      unmark();
    },
  };
}

/** The schedulers alive now: heartbeat not expired, and (on this machine) their process still there. */
export async function liveSchedulers(client: Client, alias: string, now = Date.now()): Promise<SchedulerInfo[]> {
  const index = schedulersIndex(alias);
  if (!(await client.indices.exists({ index }))) return [];
  // (just created by a scheduler starting: its shard may not answer yet)
  await client.cluster.health({ index, wait_for_status: 'yellow', timeout: '10s' });
  const res = await searchRuns<SchedulerInfo>(client, {
    index,
    size: 1000,
    query: { range: { expiresAt: { gt: new Date(now).toISOString() } } },
  });
  return res.hits.hits.map((h) => h._source!).filter((s) => s && ownerGone({ host: s.host, pid: s.pid, runId: s.id }) !== true);
}
