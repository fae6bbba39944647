/**
 * HTTP for every harvester (CSW, STAC, OZCAR): one request with retries, a size cap and clear errors.
 *
 * Built on got 14:
 * - retries with exponential backoff and jitter on network errors, timeouts, a body cut short
 *   (Content-Length mismatch), 429 and 5xx, honouring Retry-After; never on other 4xx; POST is
 *   retried too (catalogue queries are read-only);
 * - a response size cap: a Content-Length above the cap or a download passing it aborts at once;
 * - `Accept-Encoding: identity` by default: pycsw 2.6.2 gzips large pages with a wrong
 *   Content-Length, which truncates them (see /work/shared/RUNBOOK.md);
 * - the body is decoded with the charset of the Content-Type, else of the XML declaration or BOM,
 *   else UTF-8 (older catalogues still serve ISO-8859-1);
 * - every failure is a `SourceError('fetch', ...)` naming the method, URL and status.
 */
import got, { type Method, type RetryObject, RequestError, HTTPError } from 'got';
import { SourceError } from '../core/result.js';
import { backoffDelay } from '../core/retry.js';
import { hostKey, politeness } from '../core/politeness.js';
import { custom, formatProblem, integer, object, stringMap, type OptionProblem } from '../core/options.js';
import { SsrfError, type SsrfGuard } from '../core/ssrf.js';
import type { HarvestItem } from './types.js';

export interface FetchOptions {
  /** HTTP method. Default 'GET', or 'POST' when a body is given. */
  method?: 'GET' | 'POST' | 'HEAD';
  /** Request body (e.g. a CSW GetRecords XML document). */
  body?: string;
  /** Extra headers; they override the defaults (Accept-Encoding: identity, User-Agent). */
  headers?: Record<string, string>;
  /** Whole-request timeout (connect, send, wait, download) per attempt. Default 60 s. */
  timeoutMs?: number;
  /**
   * Longest time for the request with all its attempts and the waits between them: past it the request gives up (a
   * page that hangs fails after this, not after (retries + 1) x timeoutMs). Default 120 s.
   */
  budgetMs?: number;
  /** Retries after the first attempt, on network errors, timeouts, 429 and 5xx. Default 3. */
  retries?: number;
  /** Response size cap in bytes (Content-Length and streamed bytes). Default 50 MiB. */
  maxBytes?: number;
  /** Base delay of the exponential backoff (attempt n waits about base * 2^(n-1)). Default 1 s. */
  retryDelayMs?: number;
  /** Longest Retry-After honoured; a longer one ends the retries. Default 120 s. */
  maxRetryAfterMs?: number;
  /** Cancels the request (and any pending retry). */
  signal?: AbortSignal;
  /**
   * The SSRF guard (core/ssrf.ts) for a URL a user or a record gave: only public http(s) addresses are reached, at
   * every redirect too. Default: none (the operator's own sources file).
   */
  guard?: SsrfGuard;
  /**
   * A conditional GET (harvesters/conditional.ts): the validators the server gave last time, sent as If-None-Match and
   * If-Modified-Since. The server answers 304 (`notModified`, an empty text) when the document has not changed.
   */
  conditional?: { etag?: string; lastModified?: string };
}

export interface FetchResult {
  status: number;
  /** Final URL, after redirects. */
  url: string;
  /** Content-Type header ('' when absent). */
  contentType: string;
  text: string;
  /** Requests made, retries included (1 when the first one succeeded). */
  attempts: number;
  /** The response's ETag and Last-Modified headers, when it has them (the validators of a conditional GET). */
  etag?: string;
  lastModified?: string;
  /** A conditional GET answered 304 Not Modified: `text` is empty. */
  notModified?: boolean;
}

export const FETCH_DEFAULTS = {
  timeoutMs: 60_000,
  budgetMs: 120_000,
  retries: 3,
  maxBytes: 50 * 1024 * 1024,
  retryDelayMs: 1_000,
  maxRetryAfterMs: 120_000,
} as const;

/**
 * The HTTP options a sources file may set, one spelling for every harvester: `"http": { "timeoutMs": 30000,
 * "retries": 5, "maxBytes": 100000000, "headers": { "authorization": "..." } }`. Defaults: FETCH_DEFAULTS.
 */
export const HTTP_OPTIONS = object(
  {
    /** Whole-request timeout per attempt. Default 60 s. */
    timeoutMs: integer({ min: 1, default: FETCH_DEFAULTS.timeoutMs }),
    /** Longest time for one request with all its retries and waits. Default 120 s. */
    budgetMs: integer({ min: 1, default: FETCH_DEFAULTS.budgetMs }),
    /** Retries after the first attempt (network errors, timeouts, 429, 5xx; CSW: also a cut page). Default 3. */
    retries: integer({ min: 0, max: 20, default: FETCH_DEFAULTS.retries }),
    /** Response size cap in bytes (OZCAR: also of a local file). Default 50 MiB. */
    maxBytes: integer({ min: 1, default: FETCH_DEFAULTS.maxBytes }),
    /** Base delay of the retry backoff. Default 1 s. */
    retryDelayMs: integer({ min: 0, default: FETCH_DEFAULTS.retryDelayMs }),
    /** Longest Retry-After honoured. Default 120 s. */
    maxRetryAfterMs: integer({ min: 0, default: FETCH_DEFAULTS.maxRetryAfterMs }),
    /** Extra request headers (e.g. authorization). */
    headers: stringMap(),
    /** The SSRF guard, set by the program for URLs a user gave (POST /validate): never in a sources file. */
    guard: custom('an SSRF guard', (v) => v as SsrfGuard, { internal: true }),
  },
  { what: 'an object of HTTP options (timeoutMs, budgetMs, retries, maxBytes, retryDelayMs, maxRetryAfterMs, headers)' },
);

/** The HTTP options of a sources file, checked, defaults applied. */
export type HttpOptions = Pick<
  FetchOptions,
  'timeoutMs' | 'budgetMs' | 'retries' | 'maxBytes' | 'retryDelayMs' | 'maxRetryAfterMs' | 'headers' | 'guard'
>;

/** Warn notices for the deprecated option spellings a harvester accepted (each names the new one). */
export function deprecationNotices(where: string, warnings: readonly OptionProblem[]): HarvestItem[] {
  return warnings.map((w) => ({
    kind: 'notice',
    notice: { level: 'warn', message: `${where}: option ${formatProblem(w)}`, data: { option: w.path, instead: w.instead } },
  }));
}

/** The items of `gen`, after `first` (e.g. deprecation notices), and its return value; returning early returns `gen` too. */
export async function* withNotices<R>(
  first: readonly HarvestItem[],
  gen: AsyncGenerator<HarvestItem, R, undefined>,
): AsyncGenerator<HarvestItem, R, undefined> {
  if (first.length === 0) return yield* gen;
  yield* first;
  return yield* gen;
}

export const USER_AGENT = 'fair-harvester/0.1 (+https://w3id.org/fair-harvester)';

/** Status codes worth another attempt: too many requests and every server error. */
const RETRY_STATUS = [429, ...Array.from({ length: 100 }, (_, i) => 500 + i)];

/** Network error codes worth another attempt (got's defaults plus a body shorter than its Content-Length). */
const RETRY_ERROR_CODES = [
  'ETIMEDOUT',
  'ECONNRESET',
  'EADDRINUSE',
  'ECONNREFUSED',
  'EPIPE',
  'ENOTFOUND',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ERR_HTTP_CONTENT_LENGTH_MISMATCH',
  'ERR_STREAM_PREMATURE_CLOSE',
];

function checkOptions(o: FetchOptions): Required<Pick<FetchOptions, keyof typeof FETCH_DEFAULTS>> {
  const r = { ...FETCH_DEFAULTS, ...definedOnly(o) };
  const positive = (name: string, v: number, min: number) => {
    if (!Number.isFinite(v) || v < min) throw new RangeError(`fetch option ${name} must be a number >= ${min}, got ${v}`);
  };
  positive('timeoutMs', r.timeoutMs, 1);
  positive('budgetMs', r.budgetMs, 1);
  positive('maxBytes', r.maxBytes, 1);
  positive('retryDelayMs', r.retryDelayMs, 0);
  positive('maxRetryAfterMs', r.maxRetryAfterMs, 0);
  if (!Number.isInteger(r.retries) || r.retries < 0) throw new RangeError(`fetch option retries must be an integer >= 0, got ${r.retries}`);
  return r;
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Short description of a request for error messages and `SourceError.request`. */
export function describeRequest(method: string, url: string, body?: string): string {
  return body === undefined ? `${method} ${url}` : `${method} ${url}\n${body}`;
}

/**
 * Fetches a URL as text. Throws `SourceError('fetch')` when every attempt failed, on a 4xx, on an
 * oversized response, or when aborted. The request (with its retries) waits for its turn at the host first: the
 * process's politeness limits (core/politeness.ts: requests in flight per host, delay between them), shared by every
 * run under way; the time budget starts once it has its turn.
 */
export async function fetchText(url: string, options: FetchOptions = {}): Promise<FetchResult> {
  checkOptions(options);
  let release: () => void;
  try {
    release = await politeness.acquire(hostKey(url), options.signal);
  } catch (err) {
    const method = options.method ?? (options.body !== undefined ? 'POST' : 'GET');
    throw new SourceError('fetch', `${method} ${url}: aborted while waiting for a turn at the host`, {
      url,
      request: describeRequest(method, url, options.body),
      cause: err,
    });
  }
  try {
    return await fetchOnce(url, options);
  } finally {
    release();
  }
}

async function fetchOnce(url: string, options: FetchOptions): Promise<FetchResult> {
  const o = checkOptions(options);
  const method = options.method ?? (options.body !== undefined ? 'POST' : 'GET');
  const request = describeRequest(method, url, options.body);
  const fail = (message: string, cause?: unknown) => new SourceError('fetch', `${method} ${url}: ${message}`, { url, request, cause });

  let attempts = 1;
  /** What the attempt before the current one failed with (for a request that runs out of its budget). */
  let lastError: string | undefined;
  let oversized: string | undefined;
  // One budget for the request with its retries: a hang fails after budgetMs, whatever timeoutMs x (retries + 1) is.
  const budget = AbortSignal.timeout(o.budgetMs);
  const signal = options.signal ? AbortSignal.any([options.signal, budget]) : budget;
  const headers: Record<string, string> = {
    'accept-encoding': 'identity',
    'user-agent': USER_AGENT,
    ...lowerKeys(options.headers ?? {}),
    ...(options.conditional?.etag ? { 'if-none-match': options.conditional.etag } : {}),
    ...(options.conditional?.lastModified ? { 'if-modified-since': options.conditional.lastModified } : {}),
  };
  const guard = options.guard;
  if (guard) {
    try {
      guard.checkUrl(url);
    } catch (err) {
      throw fail((err as Error).message, err);
    }
  }
  const promise = got(url, {
    ...(guard ? { agent: guard.agent, dnsLookup: guard.lookup } : {}),
    method: method as Method,
    body: options.body,
    headers,
    responseType: 'buffer',
    timeout: { request: o.timeoutMs },
    strictContentLength: true,
    throwHttpErrors: true,
    signal,
    retry: {
      limit: o.retries,
      methods: ['GET', 'POST', 'HEAD'],
      statusCodes: RETRY_STATUS,
      errorCodes: RETRY_ERROR_CODES,
      maxRetryAfter: o.maxRetryAfterMs,
      // got checks limit, method, status and error code first; then: Retry-After when the server
      // sent one (got already refused it when above maxRetryAfter), else exponential backoff + jitter.
      enforceRetryRules: true,
      calculateDelay: ({ retryAfter, attemptCount }: RetryObject) =>
        retryAfter !== undefined ? Math.max(retryAfter, 1) : Math.max(backoffDelay(attemptCount, o.retryDelayMs), 1),
    },
    hooks: {
      beforeRetry: [
        (error, retryCount) => {
          attempts = retryCount + 1;
          lastError = `${error.code ? error.code + ' ' : ''}${error.message}`;
        },
      ],
      // every redirect's target goes through the guard too
      beforeRedirect: guard ? [(o) => guard.checkUrl(String(o.url))] : [],
    },
  });
  // The size cap: the first progress event carries Content-Length as `total`; later ones count streamed bytes.
  void promise.on('downloadProgress', (p: { transferred: number; total?: number }) => {
    if (oversized !== undefined) return;
    if (p.total !== undefined && p.total > o.maxBytes) oversized = `Content-Length ${p.total} bytes`;
    else if (p.transferred > o.maxBytes) oversized = `more than ${p.transferred} bytes received`;
    if (oversized !== undefined) promise.cancel();
  });

  let response;
  try {
    response = await promise;
  } catch (err) {
    const after = attempts > 1 ? ` (after ${attempts} attempts)` : '';
    if (oversized !== undefined) {
      throw fail(`response too large: ${oversized}, above the cap of ${o.maxBytes} bytes (maxBytes)`, err);
    }
    if (options.signal?.aborted) throw fail('aborted', err);
    if (budget.aborted) {
      throw fail(
        `no answer within ${o.budgetMs} ms (http.budgetMs) over ${attempts} attempt(s)${lastError ? `; last error: ${lastError}` : ''}`,
        err,
      );
    }
    const refused = ssrfCause(err);
    if (refused) throw fail(refused.message, err);
    if (err instanceof HTTPError) {
      const r = err.response;
      const snippet = bodySnippet(r.rawBody);
      throw fail(`HTTP ${r.statusCode}${r.statusMessage ? ' ' + r.statusMessage : ''}${after}${snippet ? ': ' + snippet : ''}`, err);
    }
    if (err instanceof RequestError) {
      const status = err.response?.statusCode;
      throw fail(`${err.code ? err.code + ' ' : ''}${err.message}${status ? ` (HTTP ${status})` : ''}${after}`, err);
    }
    throw fail(err instanceof Error ? err.message : String(err), err);
  }
  const raw = response.rawBody ?? Buffer.alloc(0);
  // A server that compresses despite Accept-Encoding: identity: the decoded body counts too.
  if (raw.length > o.maxBytes) {
    throw fail(`response too large: ${raw.length} bytes after decoding, above the cap of ${o.maxBytes} bytes (maxBytes)`);
  }
  const contentType = String(response.headers['content-type'] ?? '');
  const etag = response.headers.etag;
  const lastModified = response.headers['last-modified'];
  const notModified = response.statusCode === 304;
  return {
    status: response.statusCode,
    url: response.url,
    contentType,
    text: notModified ? '' : decodeBody(raw, contentType),
    attempts,
    ...(etag ? { etag } : {}),
    ...(lastModified ? { lastModified } : {}),
    ...(notModified ? { notModified } : {}),
  };
}

/** Fetches and parses JSON (Accept: application/json unless given). Throws SourceError('fetch') or ('parse'). */
export async function fetchJson<T = unknown>(url: string, options: FetchOptions = {}): Promise<T> {
  const headers = { accept: 'application/json, application/geo+json;q=0.9, */*;q=0.1', ...lowerKeys(options.headers ?? {}) };
  const res = await fetchText(url, { ...options, headers });
  try {
    return JSON.parse(res.text) as T;
  } catch (err) {
    const method = options.method ?? (options.body !== undefined ? 'POST' : 'GET');
    throw new SourceError(
      'parse',
      `${method} ${url}: not JSON (${(err as Error).message}; Content-Type ${res.contentType || 'none'}): ${bodySnippet(Buffer.from(res.text.slice(0, 400)))}`,
      { url, request: describeRequest(method, url, options.body), cause: err },
    );
  }
}

/** The SSRF refusal behind a request error, when that is why it failed. */
function ssrfCause(err: unknown): SsrfError | undefined {
  for (let e: unknown = err; e instanceof Error; e = e.cause) if (e instanceof SsrfError) return e;
  return undefined;
}

function lowerKeys(h: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
}

/**
 * First characters of an error body, on one line, for messages. Markup (an XML exception report, an
 * HTML error page) is reduced to its text, which is where the explanation is.
 */
export function bodySnippet(buf: Buffer | undefined, max = 300): string {
  if (!buf || buf.length === 0) return '';
  let text = buf.subarray(0, 64 * 1024).toString('utf8');
  if (/^\s*</.test(text)) {
    text = text
      .replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>]*>|<(script|style)\b[\s\S]*?<\/\1>/gi, ' ')
      .replace(/<[^>]*>/g, ' ')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, '&');
  }
  text = text.replace(/\s+/g, ' ').trim();
  return text.length > max ? text.slice(0, max) + '…' : text;
}

/** Charset of a body: Content-Type charset, else BOM, else XML declaration encoding, else UTF-8. */
export function detectCharset(buf: Buffer, contentType: string): string {
  const m = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType);
  if (m) return m[1].toLowerCase();
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return 'utf-8';
  if (buf[0] === 0xff && buf[1] === 0xfe) return 'utf-16le';
  if (buf[0] === 0xfe && buf[1] === 0xff) return 'utf-16be';
  const head = buf.subarray(0, 200).toString('latin1');
  const x = /^\s*<\?xml[^>]*\sencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head);
  return x ? x[1].toLowerCase() : 'utf-8';
}

function decodeBody(buf: Buffer, contentType: string): string {
  const charset = detectCharset(buf, contentType);
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset); // strips a BOM
  } catch {
    decoder = new TextDecoder('utf-8'); // unknown label: UTF-8 is the most likely truth
  }
  return decoder.decode(buf);
}
