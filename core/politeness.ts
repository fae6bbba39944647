/**
 * Politeness towards the hosts the hub harvests: at most `maxPerHost` requests in flight to one host, and optionally
 * at least `delayMs` between the starts of two requests to one host (a crawl delay). One limiter per process, shared by
 * every run under way (the service harvests several sources at once, and two sources may live on one host): the fetch
 * helper of the harvesters (harvesters/http.ts) goes through it for every request, retries included in one turn.
 *
 * Default: no limit and no delay (a one-off `harvest` behaves as before); `harvester serve` sets it from its options
 * (pipelines/service.ts). A waiting request gives up when its signal is aborted.
 */

export interface PolitenessOptions {
  /** Most requests in flight to one host (host:port) at once. Default: no limit (Infinity). */
  maxPerHost?: number;
  /** Least time between the starts of two requests to one host, in ms (a crawl delay). Default 0. */
  delayMs?: number;
}

interface HostState {
  inFlight: number;
  /** Earliest time the next request to this host may start (delayMs after the last one started). */
  nextAt: number;
  waiting: { resolve: () => void; reject: (err: unknown) => void; signal?: AbortSignal; onAbort?: () => void }[];
  /** The most requests seen in flight at once to this host since the last reset. */
  peak: number;
  timer?: NodeJS.Timeout;
}

export class HostLimiter {
  private maxPerHost = Infinity;
  private delayMs = 0;
  private readonly hosts = new Map<string, HostState>();

  constructor(opts: PolitenessOptions = {}) {
    this.configure(opts);
  }

  /** Sets the limits (checked: a whole number >= 1 or Infinity, a delay >= 0); waiting requests see them at once. */
  configure(opts: PolitenessOptions): void {
    const max = opts.maxPerHost ?? Infinity;
    if (!(max === Infinity || (Number.isInteger(max) && max >= 1)))
      throw new RangeError(`maxPerHost must be a whole number >= 1 (got ${String(opts.maxPerHost)})`);
    const delay = opts.delayMs ?? 0;
    if (!(Number.isFinite(delay) && delay >= 0)) throw new RangeError(`delayMs must be a number of ms >= 0 (got ${String(opts.delayMs)})`);
    this.maxPerHost = max;
    this.delayMs = delay;
    for (const [host] of this.hosts) this.pump(host);
  }

  get limits(): Required<PolitenessOptions> {
    return { maxPerHost: this.maxPerHost, delayMs: this.delayMs };
  }

  /** Requests in flight to `host` now, and the most seen at once since the last reset. */
  stats(host: string): { inFlight: number; peak: number } {
    const h = this.hosts.get(host);
    return { inFlight: h?.inFlight ?? 0, peak: h?.peak ?? 0 };
  }

  /** Forgets the peaks (tests). */
  resetPeaks(): void {
    for (const h of this.hosts.values()) h.peak = h.inFlight;
  }

  /**
   * Waits for a turn to send a request to `host`; returns the function that ends the turn (call it exactly once, when
   * the request has ended, in a finally). Rejects with the signal's reason when it is aborted while waiting.
   */
  async acquire(host: string, signal?: AbortSignal): Promise<() => void> {
    signal?.throwIfAborted();
    const h = this.state(host);
    if (h.waiting.length === 0 && this.mayStart(h)) this.start(h);
    else {
      await new Promise<void>((resolve, reject) => {
        const entry: HostState['waiting'][number] = { resolve, reject, signal };
        if (signal) {
          entry.onAbort = () => {
            const i = h.waiting.indexOf(entry);
            if (i >= 0) h.waiting.splice(i, 1);
            const reason = signal.reason as unknown;
            reject(reason instanceof Error ? reason : new Error(String(reason)));
          };
          signal.addEventListener('abort', entry.onAbort, { once: true });
        }
        h.waiting.push(entry);
        this.pump(host);
      });
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      h.inFlight--;
      this.pump(host);
    };
  }

  private state(host: string): HostState {
    let h = this.hosts.get(host);
    if (!h) {
      h = { inFlight: 0, nextAt: 0, waiting: [], peak: 0 };
      this.hosts.set(host, h);
    }
    return h;
  }

  private mayStart(h: HostState): boolean {
    return h.inFlight < this.maxPerHost && Date.now() >= h.nextAt;
  }

  private start(h: HostState): void {
    h.inFlight++;
    h.nextAt = Date.now() + this.delayMs;
    if (h.inFlight > h.peak) h.peak = h.inFlight;
  }

  /** Lets waiting requests start while the host has room; waits out the delay with one timer. */
  private pump(host: string): void {
    const h = this.hosts.get(host);
    if (!h) return;
    while (h.waiting.length && h.inFlight < this.maxPerHost) {
      const wait = h.nextAt - Date.now();
      if (wait > 0) {
        if (!h.timer) {
          h.timer = setTimeout(() => {
            h.timer = undefined;
            this.pump(host);
          }, wait); // not unref'd: a request waits for it
        }
        return;
      }
      const next = h.waiting.shift()!;
      if (next.signal && next.onAbort) next.signal.removeEventListener('abort', next.onAbort);
      this.start(h);
      next.resolve();
    }
  }
}

/** The process's limiter: every harvester request goes through it (harvesters/http.ts). */
export const politeness = new HostLimiter();

/** The key a URL's host is limited by: host and port (`example.org:443`); '' for a URL that cannot be parsed. */
export function hostKey(url: string): string {
  try {
    const u = new URL(url);
    const port = u.port || (u.protocol === 'https:' ? '443' : u.protocol === 'http:' ? '80' : '');
    return `${u.hostname}:${port}`;
  } catch {
    return '';
  }
}
