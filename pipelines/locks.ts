/**
 * One harvest of a source at a time, across processes and machines: a lock per source, a document in the
 * `<alias>-locks` index whose id is the source id (docs/runs.md).
 *
 * - Taken by creating the document (`op_type: create`): of two runs starting together, one gets it, the other a 409.
 * - The holder says who it is (run id, host, pid) and refreshes `heartbeatAt` and `expiresAt` (now + ttl) at every
 *   heartbeat of its run, with optimistic concurrency (`if_seq_no`/`if_primary_term`): a holder whose lock was taken
 *   over learns it at its next heartbeat (`lost`), and its run stops.
 * - A lock is taken over when its holder is dead: its expiry passed (no heartbeat for `ttlMs`), or it was held by a
 *   process of this machine that no longer runs (pid gone: a kill -9 does not make the next run wait), or by this very
 *   process for a run that is no longer under way. The takeover is itself conditional on the version read, so that of
 *   two runs taking over one dead lock, one wins.
 * - Released by deleting the document, only if it is still the holder's version.
 * Expiry is compared with the clock of the process that reads it: machines that harvest one index keep their clocks
 * in time (NTP), well within the ttl.
 */
import { hostname } from 'node:os';
import type { Client } from '@elastic/elasticsearch';
import { ensureAuxIndex } from '../mappings/es-index.js';

export function locksIndex(alias: string): string {
  return `${alias}-locks`;
}

/** A lock document: who holds the source, since when, until when unless it says it is alive. */
export interface LockInfo {
  source: string;
  runId: string;
  host: string;
  pid: number;
  acquiredAt: string;
  heartbeatAt: string;
  expiresAt: string;
}

/** Default time a lock stays valid after its last heartbeat. */
export const LOCK_TTL_MS = 120_000;

const LOCKS_MAPPING = {
  dynamic: false,
  properties: {
    source: { type: 'keyword' },
    runId: { type: 'keyword' },
    host: { type: 'keyword' },
    pid: { type: 'long' },
    acquiredAt: { type: 'date' },
    heartbeatAt: { type: 'date' },
    expiresAt: { type: 'date' },
  },
} as const;

/** Runs under way in this process (their locks are alive even when a heartbeat could not be written). */
const liveHere = new Set<string>();

/** Whether a run id is a run under way in this process. */
export function isLiveHere(runId: string): boolean {
  return liveHere.has(runId);
}

/** Marks a run as under way in this process (runs.ts and locks.ts read it to tell a dead owner); returns the unmark. */
export function markLive(runId: string): () => void {
  liveHere.add(runId);
  return () => liveHere.delete(runId);
}

/** This machine's name, as locks and runs record it. */
export const HOST = hostname();

/**
 * Whether the process that owned something (a lock, a run) is certainly gone: a process of this machine that no
 * longer exists, or this process for a run no longer under way in it. undefined when it cannot be told from here
 * (another machine: only the expiry tells).
 */
export function ownerGone(owner: { host: string; pid: number; runId: string }): boolean | undefined {
  if (owner.host !== HOST) return undefined;
  if (owner.pid === process.pid) return !liveHere.has(owner.runId);
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (err) {
    // EPERM: the process exists (another user's)
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** A second run of a source that is being harvested: the message says by which run, where, and until when. */
export class LockHeld extends Error {
  readonly holder: LockInfo;
  constructor(holder: LockInfo, waited?: number) {
    super(
      `source "${holder.source}" is being harvested by run ${holder.runId} (pid ${holder.pid} on ${holder.host}) since ${holder.acquiredAt}, ` +
        `its last heartbeat at ${holder.heartbeatAt}: ${waited ? `still held after waiting ${Math.round(waited / 1000)} s` : 'not started'} ` +
        `(harvest --wait waits for it; the lock expires at ${holder.expiresAt} if that run died)`,
    );
    this.name = 'LockHeld';
    this.holder = holder;
  }
}

export interface LockOptions {
  /** How long the lock stays valid after a heartbeat. Default LOCK_TTL_MS (2 minutes). */
  ttlMs?: number;
  /** How long to wait for a lock held by a live run, in ms. Default 0: refuse at once (LockHeld). */
  waitMs?: number;
  /** Stops waiting. */
  signal?: AbortSignal;
  /** Told when a dead holder's lock is taken over, and while waiting. */
  onNote?: (message: string) => void;
}

/** A lock this run holds. */
export interface HeldLock {
  readonly info: LockInfo;
  /** Extends the lock; 'lost' when another run took it over (this run must stop), 'unreachable' when not written. */
  heartbeat(): Promise<'ok' | 'lost' | 'unreachable'>;
  /** Deletes the lock if it is still ours (errors ignored: it then expires). */
  release(): Promise<void>;
}

const statusOf = (err: unknown): number | undefined => (err as { meta?: { statusCode?: number } }).meta?.statusCode;

/** The lock document of a source with its version, or undefined. */
async function readLock(
  client: Client,
  index: string,
  source: string,
): Promise<{ info: LockInfo; seqNo: number; term: number } | undefined> {
  try {
    const res = await client.get<LockInfo>({ index, id: source });
    if (!res.found || !res._source) return undefined;
    return { info: res._source, seqNo: res._seq_no!, term: res._primary_term! };
  } catch (err) {
    if (statusOf(err) === 404) return undefined;
    throw err;
  }
}

/** The lock a source is held by, with whether it expired and whether its holder is known to be gone; undefined when free. */
export async function currentLock(
  client: Client,
  alias: string,
  source: string,
): Promise<(LockInfo & { expired: boolean; holderGone?: boolean }) | undefined> {
  const index = locksIndex(alias);
  if (!(await client.indices.exists({ index }))) return undefined;
  const found = await readLock(client, index, source);
  if (!found) return undefined;
  const gone = ownerGone(found.info);
  return { ...found.info, expired: Date.parse(found.info.expiresAt) < Date.now(), ...(gone !== undefined ? { holderGone: gone } : {}) };
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

/**
 * Takes the lock of `source` for run `runId`: at once when it is free or its holder is dead, else waits up to
 * `waitMs` for it (then, or at once without waitMs, throws LockHeld naming the holder).
 */
export async function acquireLock(client: Client, alias: string, source: string, runId: string, opts: LockOptions = {}): Promise<HeldLock> {
  const index = locksIndex(alias);
  const ttlMs = opts.ttlMs ?? LOCK_TTL_MS;
  await ensureAuxIndex(client, index, LOCKS_MAPPING);
  const started = Date.now();
  const info = (): LockInfo => {
    const now = new Date();
    return {
      source,
      runId,
      host: HOST,
      pid: process.pid,
      acquiredAt: now.toISOString(),
      heartbeatAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + ttlMs).toISOString(),
    };
  };
  let noted = false;
  for (;;) {
    const mine = info();
    try {
      const res = await client.create({ index, id: source, document: mine });
      return held(client, index, mine, res._seq_no!, res._primary_term!, ttlMs);
    } catch (err) {
      if (statusOf(err) !== 409) throw err;
    }
    const found = await readLock(client, index, source);
    // released meanwhile: try again
    if (!found) continue;
    const { info: holder } = found;
    const gone = ownerGone(holder);
    const expired = Date.parse(holder.expiresAt) < Date.now();
    if (gone === true || (gone === undefined && expired)) {
      try {
        const res = await client.index({ index, id: source, document: mine, if_seq_no: found.seqNo, if_primary_term: found.term });
        opts.onNote?.(
          `took over the lock of run ${holder.runId} (pid ${holder.pid} on ${holder.host}, last heartbeat ${holder.heartbeatAt}): ${gone ? 'its process is gone' : `it expired at ${holder.expiresAt}`}`,
        );
        return held(client, index, mine, res._seq_no!, res._primary_term!, ttlMs);
      } catch (err) {
        // another run took it over first
        if (statusOf(err) !== 409) throw err;
        continue;
      }
    }
    const waited = Date.now() - started;
    if (!opts.waitMs || waited >= opts.waitMs || opts.signal?.aborted) throw new LockHeld(holder, opts.waitMs ? waited : undefined);
    if (!noted) {
      opts.onNote?.(`waiting for run ${holder.runId} (pid ${holder.pid} on ${holder.host}) to release the lock of "${source}"`);
      noted = true;
    }
    await sleep(Math.min(2_000, Math.max(100, ttlMs / 10), opts.waitMs - waited), opts.signal);
  }
}

function held(client: Client, index: string, info: LockInfo, seqNo: number, term: number, ttlMs: number): HeldLock {
  let version = { seqNo, term };
  let lost = false;
  return {
    info,
    async heartbeat() {
      if (lost) return 'lost';
      const now = Date.now();
      const next: LockInfo = { ...info, heartbeatAt: new Date(now).toISOString(), expiresAt: new Date(now + ttlMs).toISOString() };
      try {
        const res = await client.index({ index, id: info.source, document: next, if_seq_no: version.seqNo, if_primary_term: version.term });
        version = { seqNo: res._seq_no!, term: res._primary_term! };
        return 'ok';
      } catch (err) {
        if (statusOf(err) === 409 || statusOf(err) === 404) {
          lost = true;
          return 'lost';
        }
        return 'unreachable';
      }
    },
    async release() {
      if (lost) return;
      await client.delete({ index, id: info.source, if_seq_no: version.seqNo, if_primary_term: version.term }).catch(() => undefined);
    },
  };
}
