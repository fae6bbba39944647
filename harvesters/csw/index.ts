/**
 * The CSW harvester: GetCapabilities, then GetRecords pages (GET/KVP or POST/XML, CSW 2.0.2 or 3.0)
 * until the server says there is no more, yielding every record element of every page as one raw
 * record. It knows nothing of mapping or Elasticsearch.
 *
 * - The output schema is chosen from the capabilities (ISO 19139 first) and said in an info notice.
 * - Paging follows nextRecord (see paging.ts for every stop condition), never start + pageSize.
 * - A truncated or unparsable page is requested again (up to `retries` times), then the harvest ends
 *   with a SourceError: it is never taken as a short page.
 * - An exception report, an HTML page or a non-CSW answer ends the harvest with a SourceError naming
 *   the URL and the request. A harvest that fails after some pages also throws: the pipeline then
 *   knows the source did not complete and removes nothing.
 * - The next page is requested while the records of the current one are consumed (one page ahead).
 */
import { XMLValidator } from 'fast-xml-parser';
import { SourceError } from '../../core/result.js';
import { describeRequest, fetchText, FETCH_DEFAULTS, type FetchOptions } from '../http.js';
import type { Harvester, HarvestItem, Notice } from '../types.js';
import { SeenIds } from '../../core/seen-ids.js';
import { CapabilitiesError, chooseOutputSchema, parseCapabilities, type CswCapabilities } from './capabilities.js';
import { nextPage } from './paging.js';
import { CswPageError, splitCswResponse, type CswPage } from './records.js';
import {
  capabilitiesUrl,
  combineConstraint,
  getRecordByIdUrl,
  getRecordsBody,
  getRecordsUrl,
  modifiedQueryable,
  splitFilter,
  type Constraint,
  type CswVersion,
} from './request.js';

export { nextPage, type PageDecision, type PagingState, type PageCounts } from './paging.js';
export { chooseOutputSchema, parseCapabilities, type CswCapabilities, type SchemaChoice } from './capabilities.js';
export { splitCswResponse, CswPageError, type CswPage, type SplitRecord } from './records.js';

export interface CswHarvestOptions {
  /** Source id (the configured name), carried by every raw record. */
  source: string;
  /** CSW endpoint, http(s). Query parameters that are not CSW ones (e.g. pycsw's `?config=`) are kept. */
  url: string;
  /** Records asked for per GetRecords page. Default 100. Servers may return fewer: paging follows nextRecord. */
  pageSize?: number;
  /** Stop after this many records. Default: every record the server matches. */
  maxRecords?: number;
  /** outputSchema to ask for. Default: chosen from the capabilities (gmd, else mdb 2.0, else gmi, else csw:Record). */
  outputSchema?: string;
  /** Restricts the harvest: CQL text, or one OGC Filter element (ogc:Filter for CSW 2.0.2, fes:Filter for 3.0). Not both. */
  constraint?: { cql?: string; filter?: string };
  /** typeNames of the query. Default: gmd:MD_Metadata (or mdb:MD_Metadata) when advertised for the schema, else csw:Record. */
  typeNames?: string;
  /** Binding. Default: POST when the constraint is a Filter, else GET; the only one the capabilities advertise, if only one. */
  method?: 'GET' | 'POST';
  /** Timeout of one request. Default 60 s. */
  timeoutMs?: number;
  /** Retries of one request (network errors, timeouts, 429, 5xx) and of one page (truncated or unparsable). Default 3. */
  retries?: number;
  /** Size cap of one response in bytes. Default 50 MiB. */
  maxBytes?: number;
  /** Incremental harvest: only records modified at or after this ISO 8601 date or date-time (apiso:Modified / dct:modified). */
  modifiedSince?: string;
  /** CSW version of the requests. Default: 2.0.2 when the server offers it, else 3.0.0. */
  version?: '2.0.2' | '3.0.0';
  /** Base delay of the retry backoff. Default 1 s (tests set it low). */
  retryDelayMs?: number;
  /** Cancels the harvest. */
  signal?: AbortSignal;
}

/** Defaults, as documented on CswHarvestOptions. */
export const CSW_DEFAULTS = { pageSize: 100, timeoutMs: FETCH_DEFAULTS.timeoutMs, retries: FETCH_DEFAULTS.retries, maxBytes: FETCH_DEFAULTS.maxBytes } as const;

/** Upper bound of pageSize: more in one page risks server timeouts and multi-hundred-MB pages. */
const MAX_PAGE_SIZE = 10_000;

interface Resolved {
  source: string;
  url: string;
  pageSize: number;
  maxRecords?: number;
  outputSchema?: string;
  constraint?: Constraint;
  typeNames?: string;
  method?: 'GET' | 'POST';
  modifiedSince?: string;
  version?: CswVersion;
  http: FetchOptions & { retries: number };
}

const KNOWN = new Set([
  'source', 'url', 'pageSize', 'maxRecords', 'outputSchema', 'constraint', 'typeNames', 'method',
  'timeoutMs', 'retries', 'maxBytes', 'modifiedSince', 'version', 'retryDelayMs', 'signal',
]);

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/** Checks every option; throws one Error listing every problem. */
export function validateCswOptions(options: CswHarvestOptions): Resolved {
  const o = (options ?? {}) as unknown as Record<string, unknown>;
  const problems: string[] = [];
  const int = (k: string, min: number, max = Number.MAX_SAFE_INTEGER) => {
    const v = o[k];
    if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max))
      problems.push(`${k} must be an integer between ${min} and ${max}, got ${JSON.stringify(v)}`);
  };
  const str = (k: string) => {
    if (o[k] !== undefined && (typeof o[k] !== 'string' || (o[k] as string).trim() === '')) problems.push(`${k} must be a non-empty string`);
  };
  for (const k of Object.keys(o)) if (!KNOWN.has(k)) problems.push(`unknown option "${k}" (known: ${[...KNOWN].join(', ')})`);
  if (typeof o.source !== 'string' || o.source.trim() === '') problems.push('source must be a non-empty string');
  if (typeof o.url !== 'string') problems.push('url must be an http(s) URL string');
  else {
    let ok = false;
    try {
      ok = ['http:', 'https:'].includes(new URL(o.url).protocol);
    } catch {
      /* reported below */
    }
    if (!ok) problems.push(`url must be an http(s) URL, got ${JSON.stringify(o.url)}`);
  }
  int('pageSize', 1, MAX_PAGE_SIZE);
  int('maxRecords', 1);
  int('timeoutMs', 1);
  int('retries', 0, 20);
  int('maxBytes', 1024);
  int('retryDelayMs', 0);
  str('outputSchema');
  str('typeNames');
  if (o.method !== undefined && o.method !== 'GET' && o.method !== 'POST') problems.push(`method must be "GET" or "POST", got ${JSON.stringify(o.method)}`);
  if (o.modifiedSince !== undefined && (typeof o.modifiedSince !== 'string' || !ISO_DATE.test(o.modifiedSince) || Number.isNaN(Date.parse(o.modifiedSince))))
    problems.push(`modifiedSince must be an ISO 8601 date or date-time (e.g. 2024-05-31 or 2024-05-31T12:00:00Z), got ${JSON.stringify(o.modifiedSince)}`);
  if (o.version !== undefined && o.version !== '2.0.2' && o.version !== '3.0.0') problems.push(`version must be "2.0.2" or "3.0.0", got ${JSON.stringify(o.version)}`);
  if (o.signal !== undefined && !(o.signal instanceof AbortSignal)) problems.push('signal must be an AbortSignal');

  let constraint: Constraint | undefined;
  if (o.constraint !== undefined) {
    const c = o.constraint as Record<string, unknown>;
    if (typeof c !== 'object' || c === null || Array.isArray(c)) problems.push('constraint must be an object { cql } or { filter }');
    else {
      for (const k of Object.keys(c)) if (k !== 'cql' && k !== 'filter') problems.push(`constraint: unknown key "${k}" (use cql or filter)`);
      if (c.cql !== undefined && c.filter !== undefined) problems.push('constraint: give cql or filter, not both');
      else if (c.cql !== undefined) {
        if (typeof c.cql !== 'string' || c.cql.trim() === '') problems.push('constraint.cql must be a non-empty CQL string');
        else constraint = { cql: c.cql.trim() };
      } else if (c.filter !== undefined) {
        const problem = filterProblem(c.filter);
        if (problem) problems.push(`constraint.filter ${problem}`);
        else constraint = { filter: (c.filter as string).trim() };
      } else if (Object.keys(c).length === 0) problems.push('constraint must hold cql or filter');
    }
  }
  if (problems.length > 0) {
    throw new Error(`CSW harvester${typeof o.source === 'string' ? ` for source "${o.source}"` : ''}: ${problems.join('; ')}`);
  }
  return {
    source: o.source as string,
    url: o.url as string,
    pageSize: (o.pageSize as number | undefined) ?? CSW_DEFAULTS.pageSize,
    ...(o.maxRecords !== undefined ? { maxRecords: o.maxRecords as number } : {}),
    ...(o.outputSchema !== undefined ? { outputSchema: (o.outputSchema as string).trim() } : {}),
    ...(constraint ? { constraint } : {}),
    ...(o.typeNames !== undefined ? { typeNames: (o.typeNames as string).trim() } : {}),
    ...(o.method !== undefined ? { method: o.method as 'GET' | 'POST' } : {}),
    ...(o.modifiedSince !== undefined ? { modifiedSince: o.modifiedSince as string } : {}),
    ...(o.version !== undefined ? { version: o.version as CswVersion } : {}),
    http: {
      timeoutMs: (o.timeoutMs as number | undefined) ?? CSW_DEFAULTS.timeoutMs,
      retries: (o.retries as number | undefined) ?? CSW_DEFAULTS.retries,
      maxBytes: (o.maxBytes as number | undefined) ?? CSW_DEFAULTS.maxBytes,
      ...(o.retryDelayMs !== undefined ? { retryDelayMs: o.retryDelayMs as number } : {}),
      ...(o.signal !== undefined ? { signal: o.signal as AbortSignal } : {}),
    },
  };
}

/** Why a configured Filter is unusable, or undefined. */
function filterProblem(filter: unknown): string | undefined {
  if (typeof filter !== 'string' || filter.trim() === '') return 'must be a non-empty XML string';
  if (/<!DOCTYPE|<!ENTITY/i.test(filter)) return 'must not contain a DOCTYPE or entity declarations';
  const valid = XMLValidator.validate(filter.trim());
  if (valid !== true) return `is not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`;
  try {
    splitFilter(filter);
  } catch (err) {
    return `is not usable: ${(err as Error).message}`;
  }
  return undefined;
}

/** Harvests a CSW. Options are checked at once (throws Error); the source's failures are SourceErrors thrown by the generator. */
export function harvestCsw(options: CswHarvestOptions): Harvester {
  return run(validateCswOptions(options));
}

const notice = (level: Notice['level'], message: string, data?: Record<string, unknown>): HarvestItem => ({
  kind: 'notice',
  notice: { level, message, ...(data ? { data } : {}) },
});

/** CSW 2.0.2 when the server offers it (every server speaks it; pycsw's 3.0 has CQL bugs), else 3.0.0. */
export function chooseVersion(caps: CswCapabilities): CswVersion {
  return caps.versions.includes('2.0.2') || !caps.version.startsWith('3') ? '2.0.2' : '3.0.0';
}

/**
 * The GetRecords binding: the configured method; else POST for an OGC Filter (long XML in a URL is
 * fragile) and GET otherwise; the only binding advertised when there is just one.
 */
export function chooseBinding(
  caps: CswCapabilities,
  url: string,
  configured: 'GET' | 'POST' | undefined,
  constraint: Constraint | undefined,
): { method: 'GET' | 'POST'; endpoint: string; ignored?: string; notAdvertised: boolean } {
  const offers = { GET: caps.getRecords.get, POST: caps.getRecords.post };
  let method: 'GET' | 'POST';
  if (configured) method = configured;
  else if (constraint && 'filter' in constraint) method = offers.POST.length > 0 || offers.GET.length === 0 ? 'POST' : 'GET';
  else method = offers.GET.length > 0 || offers.POST.length === 0 ? 'GET' : 'POST';
  const notAdvertised = offers[method].length === 0 && offers[method === 'GET' ? 'POST' : 'GET'].length > 0;
  return { method, ...endpointFor(url, offers[method]), notAdvertised };
}

/** The GetRecords endpoint: the advertised one when on the configured origin (trusted), else the configured URL. */
function endpointFor(configured: string, advertised: string[]): { endpoint: string; ignored?: string } {
  const origin = new URL(configured).origin;
  for (const a of advertised) {
    try {
      if (new URL(a).origin === origin) return { endpoint: a };
    } catch {
      /* not a URL: ignored */
    }
  }
  // Advertised endpoints on another host are often internal names (localhost, a container): not followed.
  return advertised.length > 0 && advertised[0] !== configured ? { endpoint: configured, ignored: advertised[0] } : { endpoint: configured };
}

async function* run(o: Resolved): Harvester {
  const { http } = o;

  // 1. GetCapabilities.
  const capsUrl = capabilitiesUrl(o.url);
  const capsRequest = describeRequest('GET', capsUrl);
  let caps: CswCapabilities | undefined;
  // One budget of `retries` per document: HTTP retries and re-requests of a cut document both count.
  let capsRetries = http.retries;
  while (caps === undefined) {
    let text: string;
    try {
      const res = await fetchText(capsUrl, { ...http, retries: capsRetries });
      capsRetries -= res.attempts - 1;
      text = res.text;
    } catch (err) {
      throw wrap(err, 'CSW GetCapabilities failed', capsUrl, capsRequest);
    }
    try {
      caps = parseCapabilities(text);
    } catch (err) {
      if (!(err instanceof CapabilitiesError)) throw err;
      // Only a document cut short is worth another request; a wrong answer is an answer.
      if (err.retryable && capsRetries > 0) {
        capsRetries--;
        yield notice('warn', `GetCapabilities ${capsUrl}: ${err.message}; requesting it again`);
        continue;
      }
      throw new SourceError('fetch', `CSW GetCapabilities ${capsUrl}: ${err.message}`, { url: capsUrl, request: capsRequest, cause: err });
    }
  }

  // 2. Version, output schema, typeNames, binding, constraint.
  const version = o.version ?? chooseVersion(caps);
  if (o.version && !caps.versions.includes(o.version)) {
    yield notice('warn', `CSW ${o.version} as configured, though the server advertises ${caps.versions.join(', ')}`);
  }
  const choice = chooseOutputSchema(caps, o.outputSchema);
  const typeNames = o.typeNames ?? choice.typeNames;
  yield notice(choice.level, `${choice.reason}; typeNames ${typeNames}; CSW ${version}`, {
    outputSchema: choice.outputSchema,
    typeNames,
    supported: choice.supported,
    version,
    offered: caps.outputSchemas,
  });

  const { method, endpoint, ignored, notAdvertised } = chooseBinding(caps, o.url, o.method, o.constraint);
  yield notice(
    notAdvertised ? 'warn' : 'info',
    `GetRecords by ${method} to ${endpoint}` +
      (notAdvertised ? ` (the capabilities advertise no ${method} binding for GetRecords)` : '') +
      (ignored ? `; the capabilities advertise ${ignored}, on another origin: not used` : '') +
      (caps.maxRecordDefault !== undefined ? `; MaxRecordDefault ${caps.maxRecordDefault}` : ''),
    { method, endpoint, ...(ignored ? { advertised: ignored } : {}) },
  );

  const constraint = combineConstraint(o.constraint, o.modifiedSince, modifiedQueryable(caps.queryables, typeNames), version);
  if (constraint) {
    const lang = 'cql' in constraint ? 'CQL_TEXT' : 'FILTER';
    const offered = caps.constraintLanguages.length === 0 || caps.constraintLanguages.includes(lang);
    yield notice(offered ? 'info' : 'warn', `constraint (${lang}${offered ? '' : ', not among the advertised constraint languages'}): ${'cql' in constraint ? constraint.cql : constraint.filter}`);
  }

  // 3. GetRecords pages, one page requested ahead of the records being consumed.
  const internal = new AbortController();
  const signal = http.signal ? AbortSignal.any([http.signal, internal.signal]) : internal.signal;

  interface Fetched {
    page: CswPage;
    notices: HarvestItem[];
  }
  let pagesDone = 0;
  let harvested = 0;
  const progress = () => `; harvest stopped after ${pagesDone} complete page(s) and ${harvested} record(s)`;

  /**
   * One page, requested again when it comes back truncated or unparsable. One budget of `retries` per
   * page: HTTP retries (network, 429, 5xx) and re-requests of an unusable page both count.
   */
  const fetchPage = async (pageNo: number, start: number, want: number): Promise<Fetched> => {
    const params = { version, outputSchema: choice.outputSchema, typeNames, startPosition: start, maxRecords: want, ...(constraint ? { constraint } : {}) };
    const url = method === 'GET' ? getRecordsUrl(endpoint, params) : endpoint;
    const body = method === 'POST' ? getRecordsBody(params) : undefined;
    const request = describeRequest(method, url, body);
    const what = `CSW GetRecords page ${pageNo} (startPosition ${start})`;
    const notices: HarvestItem[] = [];
    let remaining = http.retries;
    for (let attempt = 1; ; attempt++) {
      let text: string;
      try {
        const res = await fetchText(url, {
          ...http,
          retries: remaining,
          signal,
          method,
          ...(body !== undefined ? { body, headers: { 'content-type': 'application/xml; charset=UTF-8' } } : {}),
        });
        text = res.text;
        remaining -= res.attempts - 1;
        attempt += res.attempts - 1;
      } catch (err) {
        throw wrap(err, what, url, request);
      }
      try {
        const page = splitCswResponse(text);
        if (page.kind !== 'GetRecordsResponse') throw new CswPageError('not-csw', `a ${page.root.name}, not a GetRecordsResponse`);
        return { page, notices };
      } catch (err) {
        if (!(err instanceof CswPageError)) throw err;
        if (err.retryable && remaining > 0) {
          remaining--;
          notices.push(notice('warn', `${what}: ${err.message}; requesting it again (request ${attempt + 1} of at most ${http.retries + 1})`, { page: pageNo, startPosition: start }));
          continue;
        }
        const how = err.retryable ? `unusable after ${attempt} request(s)` : 'failed';
        throw new SourceError(err.retryable ? 'parse' : 'fetch', `${what} ${how}: ${err.message}`, { url, request, cause: err });
      }
    }
  };

  const want = () => (o.maxRecords !== undefined ? Math.min(o.pageSize, o.maxRecords - harvested) : o.pageSize);
  const seen = new SeenIds(); // constant memory: a false "seen" only counts, every record is yielded
  let duplicates = 0;
  let matched: number | undefined;
  let stop: { stop: string; level: 'info' | 'warn' } | undefined;
  let pageNo = 1;
  let start = 1;
  let pending: Promise<Fetched> = fetchPage(pageNo, start, want());
  try {
    for (;;) {
      let fetched: Fetched;
      try {
        fetched = await pending;
      } catch (err) {
        throw err instanceof SourceError ? new SourceError(err.stage, err.message + progress(), { url: err.url, request: err.request, cause: err.cause ?? err }) : err;
      }
      const { page, notices } = fetched;
      yield* notices;
      if (pageNo === 1 && page.matched !== undefined) {
        // said once, up front, so that progress can show how far the harvest is
        const expected = o.maxRecords !== undefined ? Math.min(o.maxRecords, page.matched) : page.matched;
        yield notice('info', `${page.matched} record(s) matched${expected !== page.matched ? `, ${expected} to harvest` : ''}`, { matched: expected });
      }
      matched ??= page.matched;
      const count = page.records.length;
      if (page.returned !== undefined && page.returned !== count) {
        yield notice('warn', `page ${pageNo} (startPosition ${start}): numberOfRecordsReturned is ${page.returned} but the page holds ${count} record element(s)`, {
          page: pageNo,
          startPosition: start,
          returned: page.returned,
          count,
        });
      }
      const take = o.maxRecords !== undefined ? Math.min(count, o.maxRecords - harvested) : count;
      const records = page.records.slice(0, take);
      const pageStart = start;
      const thisPage = pageNo;
      const decision = nextPage(
        { start, harvested: harvested + take, ...(o.maxRecords !== undefined ? { maxRecords: o.maxRecords } : {}) },
        { matched: page.matched, returned: page.returned, nextRecord: page.nextRecord, count },
      );
      if ('next' in decision) {
        pageNo++;
        start = decision.next;
        const ahead = fetchPage(pageNo, start, o.maxRecords !== undefined ? Math.min(o.pageSize, o.maxRecords - harvested - take) : o.pageSize);
        ahead.catch(() => undefined); // awaited below; this only silences an early rejection
        pending = ahead;
      }
      for (let k = 0; k < records.length; k++) {
        const r = records[k];
        if (r.id !== undefined) {
          if (seen.check(r.id)) duplicates++;
        }
        harvested++;
        yield {
          kind: 'record',
          raw: {
            source: o.source,
            ...(r.format ? { format: r.format } : {}),
            ...(r.id !== undefined ? { id: r.id } : {}),
            body: r.xml,
            location: `${o.url} page ${thisPage} (startPosition ${pageStart}) record ${k + 1}`,
            ...(r.id !== undefined ? { url: getRecordByIdUrl(endpoint, { version, outputSchema: choice.outputSchema, id: r.id }) } : {}),
          },
        };
      }
      pagesDone++;
      if ('stop' in decision) {
        stop = decision;
        break;
      }
    }
  } finally {
    internal.abort(); // a page requested ahead is no longer wanted (early return or error)
  }

  // 4. Summary.
  if (!stop) throw new Error('unreachable: paging ended without a stop reason');
  if (stop.level === 'warn') yield notice('warn', `paging stopped: ${stop.stop}`);
  if (matched !== undefined && o.maxRecords === undefined && harvested < matched) {
    yield notice('warn', `${harvested} record(s) harvested but the server matched ${matched}`, { harvested, matched });
  }
  if (duplicates > 0) {
    const falseAlarms = Math.round(seen.expectedFalse());
    yield notice(
      'warn',
      `${duplicates} record(s) came with an identifier already seen in this harvest (unstable server ordering? then some records were skipped)${falseAlarms > 0 ? `; about ${falseAlarms} of them may be false alarms of the constant-memory check` : ''}`,
      { duplicates, ...(falseAlarms > 0 ? { falseAlarms } : {}) },
    );
  }
  // Whether this run saw the whole source: the pipeline removes records a source no longer has only after a complete one.
  const incomplete =
    stop.level === 'warn'
      ? stop.stop
      : o.maxRecords !== undefined && harvested >= o.maxRecords
        ? `maxRecords ${o.maxRecords} reached`
        : o.modifiedSince !== undefined
          ? `incremental harvest (modified since ${o.modifiedSince})`
          : matched !== undefined && harvested < matched
            ? `${harvested} of ${matched} matched records harvested`
            : undefined;
  yield notice('info', `CSW ${o.url}: ${harvested} record(s) in ${pagesDone} page(s)${matched !== undefined ? ` of ${matched} matched` : ''}; stopped: ${stop.stop}`, {
    ...(incomplete ? { truncated: true, incomplete } : {}),
    pages: pagesDone,
    records: harvested,
    ...(matched !== undefined ? { matched } : {}),
    stop: stop.stop,
    outputSchema: choice.outputSchema,
    method,
  });
}

/** A SourceError with the step and the progress in its message (the URL and request kept). */
function wrap(err: unknown, what: string, url: string, request: string, suffix = ''): SourceError {
  if (err instanceof SourceError) {
    return new SourceError(err.stage, `${what}: ${err.message}${suffix}`, { url: err.url ?? url, request: err.request ?? request, cause: err });
  }
  return new SourceError('fetch', `${what}: ${err instanceof Error ? err.message : String(err)}${suffix}`, { url, request, cause: err });
}
