/**
 * Link checks (`harvester validate --links`): does each URL a record gives answer? HEAD first; when a server refuses
 * HEAD (405, 501, 403...) or fails it, a GET asking for the first byte only (Range: bytes=0-0), whose body is never
 * read: the status and the media type are all that is kept. Bounded concurrency, a timeout per request, redirects
 * followed (at most 5), one check per URL per run (the answer is reused), and every request through the SSRF guard
 * (core/ssrf.ts): a record's URL reaches only the public internet, at every redirect too.
 */
import got, { type Response } from 'got';
import PQueue from 'p-queue';
import type { SsrfGuard } from '../core/ssrf.js';
import { USER_AGENT } from '../harvesters/http.js';
import type { LinkResult } from '../mappings/fair/links.js';

export interface LinkCheckOptions {
  guard: SsrfGuard;
  /** Checks at the same time. Default 8. */
  concurrency?: number;
  /** Whole-request timeout of one HEAD or GET, in ms. Default 10,000. */
  timeoutMs?: number;
  /** Largest body accepted on the GET before it is cut (a server ignoring Range). Default 64 KiB. */
  maxBytes?: number;
}

const DEFAULTS = { concurrency: 8, timeoutMs: 10_000, maxBytes: 64 * 1024 };

const mediaTypeOf = (r: Response): string | undefined => (r.headers['content-type'] ?? '').split(';')[0].trim() || undefined;

export class LinkChecker {
  private readonly o: Required<LinkCheckOptions>;
  private readonly queue: PQueue;
  private readonly done = new Map<string, Promise<LinkResult>>();

  constructor(options: LinkCheckOptions) {
    this.o = { ...DEFAULTS, ...options };
    if (!Number.isInteger(this.o.concurrency) || this.o.concurrency < 1) throw new RangeError('concurrency must be a whole number >= 1');
    this.queue = new PQueue({ concurrency: this.o.concurrency });
  }

  /** URLs checked so far. */
  get size(): number {
    return this.done.size;
  }

  /** Checks a URL once per checker; never throws. */
  check(url: string): Promise<LinkResult> {
    let p = this.done.get(url);
    if (!p) {
      p = this.queue.add(() => this.run(url), { throwOnTimeout: true });
      this.done.set(url, p);
    }
    return p;
  }

  /** Checks many URLs; the results by URL. */
  async checkAll(urls: Iterable<string>): Promise<Map<string, LinkResult>> {
    const unique = [...new Set(urls)];
    const results = await Promise.all(unique.map((u) => this.check(u)));
    return new Map(unique.map((u, i) => [u, results[i]]));
  }

  private request(url: string, method: 'HEAD' | 'GET'): Promise<{ status: number; mediaType?: string; url: string }> {
    const g = this.o.guard;
    g.checkUrl(url);
    const stream = got.stream(url, {
      method,
      agent: g.agent,
      dnsLookup: g.lookup,
      headers: { 'user-agent': USER_AGENT, ...(method === 'GET' ? { range: 'bytes=0-0' } : {}) },
      timeout: { request: this.o.timeoutMs },
      followRedirect: true,
      maxRedirects: 5,
      throwHttpErrors: false,
      retry: { limit: 0 },
      hooks: { beforeRedirect: [(opts) => g.checkUrl(String(opts.url))] },
    });
    return new Promise((resolve, reject) => {
      let received = 0;
      stream.on('response', (r: Response) => {
        resolve({ status: r.statusCode, mediaType: mediaTypeOf(r), url: r.url });
        stream.destroy(); // the body is not needed
      });
      stream.on('data', (d: Buffer) => {
        received += d.length;
        if (received > this.o.maxBytes) stream.destroy();
      });
      stream.on('error', (err) => reject(err));
      stream.resume();
    });
  }

  private async run(url: string): Promise<LinkResult> {
    const answer = (status: number, mediaType?: string): LinkResult => ({
      url,
      ok: status >= 200 && status < 400,
      status,
      ...(mediaType ? { mediaType } : {}),
    });
    let head: { status: number; mediaType?: string } | undefined;
    try {
      head = await this.request(url, 'HEAD');
      if (head.status < 400 || head.status === 404 || head.status === 410) return answer(head.status, head.mediaType);
    } catch (err) {
      if (isRefusal(err)) return { url, ok: false, error: reason(err) };
    }
    try {
      const get = await this.request(url, 'GET');
      return answer(get.status, get.mediaType);
    } catch (err) {
      if (head) return answer(head.status, head.mediaType);
      return { url, ok: false, error: reason(err) };
    }
  }
}

function isRefusal(err: unknown): boolean {
  for (let e: unknown = err; e instanceof Error; e = e.cause) if (e.name === 'SsrfError') return true;
  return false;
}

function reason(err: unknown): string {
  for (let e: unknown = err; e instanceof Error; e = e.cause) if (e.name === 'SsrfError') return e.message;
  const e = err as Error & { code?: string };
  return `${e.code ? e.code + ': ' : ''}${e.message}`;
}
