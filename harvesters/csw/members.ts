/**
 * Members of an ISO dataset series given by reference only (`composedOf/DS_DataSet/has xlink:href="..."`, as Northwest
 * Knowledge Network's Challis LiDAR series gives its 142 tiles), fetched when a CSW source asks for it
 * (`members: { resolve: true }`) and embedded where their links are, so that each becomes a member record like one the
 * source embedded (records.ts embedMembers, then aggregateParts).
 *
 * As GeoNetwork's XLink resolver (off by default: `system/xlinkResolver/enable` false) and Apache SIS (a remote
 * xlink:href is resolved only when the user allows it), nothing is fetched unless the operator says so. Then:
 * - a link is read as an XLink processor reads it: a relative one (`GetRecordById?...`, `../records/x.xml`) against
 *   the base of the series' document, the URL it was read from (the GetRecords or GetRecordById request) with the
 *   `xml:base` in scope (memberUrl); a `#...` link points inside the series' own document: nothing to fetch;
 * - every link goes through the SSRF guard (core/ssrf.ts): http(s) only, public addresses only, at every redirect; the
 *   CSW's own host is the operator's and stays reachable (as `harvester validate` allows the hosts it is given), and so
 *   is what the operator allows with $HUB_SSRF_ALLOW (a private CSW whose series point to its own network);
 * - bounded: at most `max` links per series (the rest stay links, said), `concurrency` at once, `maxBytes` and
 *   `timeoutMs` per member (one retry); the harvest's headers (an authorization...) go only to the CSW's own origin;
 * - a link that cannot be used (refused, failed, too large, not XML, not an ISO record of the series' encoding, an
 *   aggregate itself) stays a link: a warning names the series and the link, and the series is yielded all the same;
 *   one that may well be read another time (no answer in time, a network error, 429 or 5xx) is counted `unread`: the
 *   run is then incomplete (index.ts summary), so that a member read last time is not removed for a passing fault;
 * - a link that asks the harvested CSW itself for a record by GetRecordById is left to the harvester (`leave`): that
 *   record comes in the GetRecords answers too, and is read once (index.ts PagingRun.leave, docs/sources.md).
 */
import PQueue from 'p-queue';
import { fetchText, type FetchOptions } from '../http.js';
import { createSsrfGuard, SsrfError, type SsrfGuard } from '../../core/ssrf.js';
import type { HarvestItem } from '../types.js';
import { CswPageError, embedMembers, memberLinks, seriesId, splitRecords, type MemberLink, type SplitRecord } from './records.js';

export interface MemberOptions {
  /** Fetch the members given by xlink:href. Default false. */
  resolve: boolean;
  /** Most links followed per series. */
  max: number;
  /** Member records fetched at once. */
  concurrency: number;
  /** Largest member record, in bytes. */
  maxBytes: number;
  /** Per request (one retry). */
  timeoutMs: number;
}

export const MEMBER_DEFAULTS = { resolve: false, max: 1000, concurrency: 4, maxBytes: 10 * 1024 * 1024, timeoutMs: 30_000 } as const;

/**
 * The guard of member links: public addresses, the CSW's own host (the operator's) and what the operator allows
 * everywhere ($HUB_SSRF_ALLOW, core/ssrf.ts ssrfAllowFromEnv), as for `POST /validate`.
 */
export function memberGuard(cswUrl: string, allow: readonly string[] = []): SsrfGuard {
  return createSsrfGuard([...allow, new URL(cswUrl).hostname.replace(/^\[|\]$/g, '')]);
}

const METADATA_ROOT = /(?:^|_)M[DI]_Metadata$/;

/**
 * The URL a member link points to, as an XLink processor reads it (XLink 1.1 section 5.4: a URI reference, relative
 * ones against the base URI of the element, XML Base): `documentUrl` (where the series' record was read from: the
 * GetRecords or GetRecordById request) with the `xml:base` values in scope applied in order (the answer's, then the
 * record's down to the `has`), then the link. Or why it is none: a reference inside the series' own document
 * (`#...`), or text no URL parser reads.
 */
export function memberUrl(
  link: Pick<MemberLink, 'href' | 'bases'>,
  record: Pick<SplitRecord, 'xmlBase'>,
  documentUrl: string,
): { url: string } | { problem: string } {
  if (link.href.startsWith('#')) return { problem: "a reference inside the series' own document, not a record to fetch" };
  try {
    let base = documentUrl;
    for (const b of [...(record.xmlBase ?? []), ...(link.bases ?? [])]) base = new URL(b, base).href;
    return { url: new URL(link.href, base).href };
  } catch {
    return { problem: `not a URL, even relative to ${documentUrl}` };
  }
}

/**
 * Whether a failed request may well succeed another time (no answer in time, a network error, 429 or 5xx after the
 * retries), rather than being the link's answer (a 4xx, refused by the guard, too large).
 */
function transient(err: unknown): boolean {
  if ((err as Error).message?.includes('response too large')) return false;
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    if (e instanceof SsrfError) return false;
    const status = (e as { response?: { statusCode?: number } }).response?.statusCode;
    if (typeof status === 'number') return status === 429 || status >= 500;
  }
  return true;
}

type Answer = { xml: string } | { problem: string; transient?: true };

/** One link's record text, or why it cannot be embedded (`transient` when another run may well read it). */
async function fetchMember(href: string, format: SplitRecord['format'], fetchOptions: FetchOptions): Promise<Answer> {
  let text: string;
  try {
    text = (await fetchText(href, fetchOptions)).text;
  } catch (err) {
    return { problem: (err as Error).message, ...(transient(err) ? { transient: true as const } : {}) };
  }
  let rec: SplitRecord | undefined;
  try {
    const page = splitRecords(text);
    if (page.records.length !== 1) return { problem: `answered ${page.records.length} record(s), not one` };
    rec = page.records[0];
  } catch (err) {
    return { problem: err instanceof CswPageError ? err.message : `not XML: ${(err as Error).message}` };
  }
  if (!METADATA_ROOT.test(rec.localName)) return { problem: `answered a <${rec.name}>, not an ISO metadata record` };
  if (rec.format !== format) return { problem: `answered an ${rec.format ?? 'unknown'} record, the series is ${format}` };
  return { xml: rec.xml };
}

/**
 * The aggregate record with its members given by reference fetched and embedded (records.ts embedMembers), the notices
 * about the links that could not be, where each embedded member starts (offset in the new text -> its link), how
 * many links failed in a way another run may not (`unread`) and the links the harvester left unfetched (`left`: as
 * given, and resolved), in document order.
 * A record that is no aggregate or gives no link comes back as it is, with nothing fetched.
 */
export async function* resolveMembers(
  rec: SplitRecord,
  o: {
    cswUrl: string;
    /** Where the record was read from (the request's URL), the base of its relative links. */
    documentUrl: string;
    members: MemberOptions;
    http: FetchOptions;
    guard: SsrfGuard;
    signal?: AbortSignal;
    /**
     * Why a link (resolved) is left unfetched although it could be read, or undefined to fetch it: the harvester
     * leaves the links that ask the harvested CSW itself for a record it reads anyway (index.ts PagingRun.leave).
     */
    leave?: (url: string) => string | undefined;
  },
): AsyncGenerator<
  HarvestItem,
  { record: SplitRecord; embedded: Map<number, string>; unread: number; left: { given: string; href: string }[] },
  undefined
> {
  const given = memberLinks(rec);
  if (given.length === 0) return { record: rec, embedded: new Map(), unread: 0, left: [] };
  // each link as the URL it points to (relative ones resolved); one that points nowhere stays a link, said below
  const links = given.map((l) => {
    const u = memberUrl(l, rec, o.documentUrl);
    return { ...l, ...('url' in u ? { href: u.url } : {}), given: l.href, ...('problem' in u ? { problem: u.problem } : {}) };
  });
  const id = seriesId(rec);
  const series = `${rec.name}${id !== undefined ? ` "${id}"` : ''}`;
  const warn = (message: string, data: Record<string, unknown>): HarvestItem => ({
    kind: 'notice',
    notice: { level: 'warn', message, data: { ...(id !== undefined ? { series: id } : {}), ...data } },
  });
  // the links left by the harvester: one notice per reason, naming the first; they do not count against `max`
  const left = new Map<string, string[]>();
  const leftLinks: { given: string; href: string }[] = [];
  const candidates = links.filter((l) => {
    const why = l.problem === undefined ? o.leave?.(l.href) : undefined;
    if (why !== undefined) {
      left.set(why, [...(left.get(why) ?? []), l.href]);
      leftLinks.push({ given: l.given, href: l.href });
    }
    return why === undefined;
  });
  for (const [why, hrefs] of left)
    yield {
      kind: 'notice',
      notice: {
        level: 'info',
        message: `${series}: ${hrefs.length} member link(s) not fetched, the first ${hrefs[0]}: ${why}; they stay links`,
        data: { ...(id !== undefined ? { series: id } : {}), left: hrefs.length },
      },
    };
  const followed = candidates.slice(0, o.members.max);
  if (candidates.length > followed.length)
    yield warn(
      `${series}: ${candidates.length} members given by xlink:href, the first ${followed.length} followed (members.max); the other ${candidates.length - followed.length} stay links, the first ${candidates[followed.length].href}`,
      { links: candidates.length, followed: followed.length },
    );
  const origin = new URL(o.cswUrl).origin;
  const optionsFor = (href: string): FetchOptions => {
    let sameOrigin = false;
    try {
      sameOrigin = new URL(href).origin === origin;
    } catch {
      /* not a URL: the guard says so */
    }
    const { headers, ...http } = o.http;
    return {
      ...http,
      ...(sameOrigin && headers ? { headers } : {}),
      guard: o.guard,
      timeoutMs: o.members.timeoutMs,
      budgetMs: 2 * o.members.timeoutMs + (http.retryDelayMs ?? 1000) * 2,
      maxBytes: o.members.maxBytes,
      retries: 1,
      ...(o.signal ? { signal: o.signal } : {}),
    };
  };
  // one request per distinct link, `concurrency` at once
  const distinct = [...new Set(followed.flatMap((l) => (l.problem === undefined ? [l.href] : [])))];
  const answers = new Map<string, Answer>();
  const queue = new PQueue({ concurrency: o.members.concurrency });
  await queue.addAll(distinct.map((href) => async () => answers.set(href, await fetchMember(href, rec.format, optionsFor(href)))));
  const embed = new Map<number, string>();
  const failed: { href: string; given: string; problem: string }[] = [];
  let unread = 0;
  followed.forEach((l, k) => {
    const a: Answer = l.problem !== undefined ? { problem: l.problem } : answers.get(l.href)!;
    if ('xml' in a) embed.set(k, a.xml);
    else {
      failed.push({ href: l.href, given: l.given, problem: a.problem });
      if (a.transient) unread++;
    }
  });
  // stop condition of the warnings: one per failed link up to 10, then their count
  for (const [k, f] of failed.entries()) {
    if (k === 10) {
      yield warn(`${series}: ${failed.length - 10} more member link(s) could not be used; they stay links`, { failed: failed.length });
      break;
    }
    // a relative link is named as resolved, with what the record gave
    const named = f.given === f.href ? f.href : `${f.href} (xlink:href "${f.given}")`;
    yield warn(`${series}: member link ${named} could not be used (${f.problem}); it stays a link, not a record`, {
      link: f.href,
      ...(f.given !== f.href ? { given: f.given } : {}),
    });
  }
  return { ...embedMembers(rec, followed, embed), unread, left: leftLinks };
}
