/**
 * The CSW harvester: GetCapabilities, then GetRecords pages (GET/KVP or POST/XML, CSW 2.0.2 or 3.0)
 * until the server says there is no more, yielding every record element of every page as one raw
 * record. It knows nothing of mapping or Elasticsearch.
 *
 * - The output schema is chosen from the capabilities (ISO 19139 first) and said in an info notice.
 * - Paging follows nextRecord (see paging.ts for every stop condition), never start + pageSize.
 * - A truncated or unparsable page is requested again (up to `retries` times); it is never taken as a short page.
 * - One bad spot does not end the harvest: a page that still cannot be read (cut short, not well-formed, declaring
 *   entities; an exception report once a page was read) is read again in smaller requests, halved around the fault
 *   down to single records; a record that cannot be read alone is asked for by GetRecordById, else reported as a
 *   failure with its position, the request URL and the raw answer; the paging goes on after it, and the run ends
 *   incomplete (the pipeline removes nothing).
 * - An HTTP failure (after its retries), an HTML page or a non-CSW answer ends the harvest with a SourceError naming
 *   the URL and the request. A harvest that fails after some pages also throws: the pipeline then knows the source
 *   did not complete and removes nothing.
 * - The generator returns how the run ended (RunEnd): complete, or incomplete and why (maxRecords, modifiedSince,
 *   paging that stopped early, records that could not be read).
 * - The next page is requested while the records of the current one are consumed (one page ahead).
 */
import { XMLValidator } from 'fast-xml-parser';
import { SourceError, type Failure } from '../../core/result.js';
import { elementText } from '../../core/xml.js';
import {
  deprecationNotices,
  describeRequest,
  fetchText,
  FETCH_DEFAULTS,
  HTTP_OPTIONS,
  type FetchOptions,
  type HttpOptions,
} from '../http.js';
import {
  boolean,
  custom,
  defineOptions,
  instance,
  integer,
  object,
  nearest,
  oneOf,
  text,
  type Checked,
  type OptionProblem,
  type OptionValues,
} from '../../core/options.js';
import { COMPLETE, incomplete, type Harvester, type HarvestItem, type Notice, type RawRecord, type RunEnd } from '../types.js';
import { SeenIds } from '../../core/seen-ids.js';
import type { MemberRecord } from '../../core/formats.js';
import { CapabilitiesError, chooseOutputSchema, parseCapabilities, type CswCapabilities, type SchemaChoice } from './capabilities.js';
import { nextPage, type PageDecision } from './paging.js';
import { MEMBER_DEFAULTS, memberGuard, resolveMembers, type MemberOptions } from './members.js';
import { ssrfAllowFromEnv, type SsrfGuard } from '../../core/ssrf.js';
import {
  aggregateParts,
  CswPageError,
  identifierHint,
  isSeriesMember,
  NS,
  seriesPartWhere,
  splitCswResponse,
  type CswPage,
  type SplitRecord,
} from './records.js';
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
  /**
   * outputSchema to ask for: a namespace, or `dcat` (http://www.w3.org/ns/dcat#: GeoNetwork's DCAT output, read by the
   * DCAT crosswalk) or `geodcat-ap` (http://data.europa.eu/930/). Default: chosen from the capabilities (gmd, else mdb
   * 2.0, else gmi, else DCAT, else csw:Record).
   */
  outputSchema?: string;
  /** Restricts the harvest: CQL text, or one OGC Filter element (ogc:Filter for CSW 2.0.2, fes:Filter for 3.0). Not both. */
  constraint?: { cql?: string; filter?: string };
  /** typeNames of the query. Default: gmd:MD_Metadata (or mdb:MD_Metadata) when advertised for the schema, else csw:Record. */
  typeNames?: string;
  /** Binding. Default: POST when the constraint is a Filter, else GET; the only one the capabilities advertise, if only one. */
  method?: 'GET' | 'POST';
  /** HTTP options (timeoutMs, retries, maxBytes, retryDelayMs, headers...): see HTTP_OPTIONS in harvesters/http.ts. `retries` is
   * also the budget of re-requests of a page that comes back truncated or unparsable. */
  http?: HttpOptions;
  /** @deprecated spelling of http.timeoutMs (still accepted, with a warning). */
  timeoutMs?: number;
  /** @deprecated spelling of http.retries. */
  retries?: number;
  /** @deprecated spelling of http.maxBytes. */
  maxBytes?: number;
  /** @deprecated spelling of http.retryDelayMs. */
  retryDelayMs?: number;
  /** Incremental harvest: only records modified at or after this ISO 8601 date or date-time (apiso:Modified / dct:modified). */
  modifiedSince?: string;
  /** CSW version of the requests. Default: 2.0.2 when the server offers it, else 3.0.0. */
  version?: '2.0.2' | '3.0.0';
  /**
   * Members of ISO dataset series given by xlink:href only: `resolve: true` fetches them (through the SSRF guard,
   * bounded by `max` per series, `concurrency`, `maxBytes` and `timeoutMs` per member) and makes each a member record
   * like an embedded one (members.ts). Default: not fetched (a warning names them).
   */
  members?: Partial<MemberOptions>;
  /** Cancels the harvest. */
  signal?: AbortSignal;
}

/** Defaults, as documented on CswHarvestOptions. */
export const CSW_DEFAULTS = {
  pageSize: 100,
  timeoutMs: FETCH_DEFAULTS.timeoutMs,
  retries: FETCH_DEFAULTS.retries,
  maxBytes: FETCH_DEFAULTS.maxBytes,
} as const;

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
  members: MemberOptions;
  /** The operator's allow-list of the SSRF guard ($HUB_SSRF_ALLOW), read when members are resolved. */
  ssrfAllow: string[];
  http: FetchOptions & { retries: number };
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/;

const isHttpUrl = (v: string): boolean => {
  try {
    return ['http:', 'https:'].includes(new URL(v).protocol);
  } catch {
    return false;
  }
};

/** The constraint: `{ cql }` or `{ filter }` (a usable OGC Filter element), not both. */
function checkConstraint(v: unknown, path: string, problems: OptionProblem[]): Constraint | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    problems.push({ path, message: 'must be an object { cql } or { filter }' });
    return undefined;
  }
  const c = v as Record<string, unknown>;
  const before = problems.length;
  for (const k of Object.keys(c))
    if (k !== 'cql' && k !== 'filter')
      problems.push({
        path: `${path}.${k}`,
        message: `unknown key${nearest(k, ['cql', 'filter']) ? `, did you mean ${nearest(k, ['cql', 'filter'])}?` : ' (use cql or filter)'}`,
      });
  if (c.cql !== undefined && c.filter !== undefined) problems.push({ path, message: 'give cql or filter, not both' });
  else if (c.cql !== undefined) {
    if (typeof c.cql !== 'string' || c.cql.trim() === '') problems.push({ path: `${path}.cql`, message: 'must be a non-empty CQL string' });
    else if (problems.length === before) return { cql: c.cql.trim() };
  } else if (c.filter !== undefined) {
    const problem = filterProblem(c.filter);
    if (problem) problems.push({ path: `${path}.filter`, message: problem });
    else if (problems.length === before) return { filter: (c.filter as string).trim() };
  } else if (problems.length === before) problems.push({ path, message: 'must hold cql or filter' });
  return undefined;
}

/** Short names of output schemas a sources file may give. */
const OUTPUT_SCHEMA_NAMES: Record<string, string> = {
  dcat: 'http://www.w3.org/ns/dcat#',
  'geodcat-ap': 'http://data.europa.eu/930/',
  iso19139: 'http://www.isotc211.org/2005/gmd',
  'iso19115-3': 'http://standards.iso.org/iso/19115/-3/mdb/2.0',
};

/** The CSW harvester's options, each with its check and default (documented on CswHarvestOptions). */
export const CSW_OPTIONS = defineOptions(
  'CSW harvester',
  {
    source: text({ internal: true }),
    url: custom(
      'an http(s) URL',
      (v, path, problems) => {
        if (typeof v === 'string' && isHttpUrl(v)) return v;
        problems.push({ path, message: `must be an http(s) URL (got ${JSON.stringify(v)})` });
        return undefined;
      },
      { internal: true },
    ),
    pageSize: integer({ min: 1, max: MAX_PAGE_SIZE, default: CSW_DEFAULTS.pageSize }),
    maxRecords: integer({ min: 1 }),
    outputSchema: custom('a namespace URI, "dcat" or "geodcat-ap"', (v, path, problems) => {
      if (typeof v === 'string' && v.trim() !== '') return OUTPUT_SCHEMA_NAMES[v.trim().toLowerCase()] ?? v.trim();
      problems.push({ path, message: `must be an output schema namespace, "dcat" or "geodcat-ap" (got ${JSON.stringify(v)})` });
      return undefined;
    }),
    constraint: custom('an object { cql } or { filter }', checkConstraint),
    typeNames: text(),
    method: oneOf(['GET', 'POST']),
    modifiedSince: custom('an ISO 8601 date or date-time', (v, path, problems) => {
      if (typeof v === 'string' && ISO_DATE.test(v) && !Number.isNaN(Date.parse(v))) return v;
      problems.push({
        path,
        message: `must be an ISO 8601 date or date-time (e.g. 2024-05-31 or 2024-05-31T12:00:00Z), got ${JSON.stringify(v)}`,
      });
      return undefined;
    }),
    version: oneOf(['2.0.2', '3.0.0']),
    members: object(
      {
        /** Fetch the members of ISO dataset series given by xlink:href (off by default, as GeoNetwork's XLink resolver). */
        resolve: boolean({ default: MEMBER_DEFAULTS.resolve }),
        /** Most member links followed per series. */
        max: integer({ min: 1, max: 100_000, default: MEMBER_DEFAULTS.max }),
        /** Member records fetched at once. */
        concurrency: integer({ min: 1, max: 32, default: MEMBER_DEFAULTS.concurrency }),
        /** Largest member record (bytes). */
        maxBytes: integer({ min: 1, default: MEMBER_DEFAULTS.maxBytes }),
        /** Per member request. */
        timeoutMs: integer({ min: 1, default: MEMBER_DEFAULTS.timeoutMs }),
      },
      { what: 'an object { resolve, max, concurrency, maxBytes, timeoutMs } about the members of ISO dataset series given by link' },
    ),
    http: HTTP_OPTIONS,
    signal: instance(AbortSignal, { internal: true }),
  },
  { renamed: { timeoutMs: 'http.timeoutMs', retries: 'http.retries', maxBytes: 'http.maxBytes', retryDelayMs: 'http.retryDelayMs' } },
);

/** Checks the options without running anything: the options (undefined when any problem), every problem, the warnings. */
export function checkOptions(raw: unknown): Checked<OptionValues<typeof CSW_OPTIONS.shape>> {
  return CSW_OPTIONS.check(raw);
}

/** Checks every option; throws one UsageError listing every problem. */
export function validateCswOptions(options: CswHarvestOptions): Resolved & { warnings: OptionProblem[] } {
  const raw = (options ?? {}) as unknown as Record<string, unknown>;
  const { options: o, warnings } = CSW_OPTIONS.parse(
    raw,
    `CSW harvester${typeof raw.source === 'string' ? ` for source "${raw.source}"` : ''}`,
  );
  return {
    source: o.source!,
    url: o.url!,
    pageSize: o.pageSize,
    ...(o.maxRecords !== undefined ? { maxRecords: o.maxRecords } : {}),
    ...(o.outputSchema !== undefined ? { outputSchema: o.outputSchema } : {}),
    ...(o.constraint ? { constraint: o.constraint } : {}),
    ...(o.typeNames !== undefined ? { typeNames: o.typeNames } : {}),
    ...(o.method !== undefined ? { method: o.method } : {}),
    ...(o.modifiedSince !== undefined ? { modifiedSince: o.modifiedSince } : {}),
    ...(o.version !== undefined ? { version: o.version } : {}),
    members: o.members,
    // read at the start, so that a bad $HUB_SSRF_ALLOW stops the harvest before any request
    ssrfAllow: o.members.resolve ? ssrfAllowFromEnv() : [],
    http: { ...o.http, ...(o.signal !== undefined ? { signal: o.signal } : {}) },
    warnings,
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
  return advertised.length > 0 && advertised[0] !== configured
    ? { endpoint: configured, ignored: advertised[0] }
    : { endpoint: configured };
}

/**
 * The harvest, in the order of the standard (OGC 07-006r1 / 12-176r7): GetCapabilities, then the choice of version,
 * output schema, typeNames, binding and constraint the capabilities allow, then the GetRecords pages, then a summary.
 */
async function* run(o: Resolved & { warnings: readonly OptionProblem[] }): Harvester {
  yield* deprecationNotices('CSW harvester', o.warnings);
  const caps = yield* getCapabilities(o);
  const query = yield* chooseQuery(o, caps);
  const paging = yield* getRecordsPages(o, query);
  return yield* summary(o, query, paging);
}

/** What GetRecords asks for, chosen from the options and the capabilities. */
interface Query {
  version: CswVersion;
  choice: SchemaChoice;
  typeNames: string;
  method: 'GET' | 'POST';
  endpoint: string;
  constraint: Constraint | undefined;
}

/** How the paging went. */
interface Paging {
  pagesDone: number;
  harvested: number;
  matched: number | undefined;
  stop: { stop: string; level: 'info' | 'warn' };
  duplicates: number;
  seen: SeenIds;
  /** Pages that could not be read whole, read again in smaller requests. */
  splitPages: number;
  /** Result-set positions of the records that could not be read at all (reported as failures). */
  lost: number[];
  /** Records read by GetRecordById after their GetRecords answer could not be read. */
  byId: number;
  /** Member links of ISO series that could not be read for a passing fault. */
  unreadMembers: number;
  /** Records of the GetRecords answers already read as members of their series (by GetRecordById links). */
  readAsMembers: number;
}

/**
 * 1. GetCapabilities. One budget of `retries` for the document: HTTP retries and re-requests of a document cut short
 * both count; a wrong answer (an exception, not a CSW) is an answer and ends the harvest.
 */
async function* getCapabilities(o: Resolved): AsyncGenerator<HarvestItem, CswCapabilities, undefined> {
  const { http } = o;
  const capsUrl = capabilitiesUrl(o.url);
  const capsRequest = describeRequest('GET', capsUrl);
  let capsRetries = http.retries;
  for (;;) {
    let text: string;
    try {
      const res = await fetchText(capsUrl, { ...http, retries: capsRetries });
      capsRetries -= res.attempts - 1;
      text = res.text;
    } catch (err) {
      throw wrap(err, 'CSW GetCapabilities failed', capsUrl, capsRequest);
    }
    try {
      return parseCapabilities(text);
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
}

/** 2. Version, output schema, typeNames, binding and constraint, each said in a notice (warn when not advertised). */
async function* chooseQuery(o: Resolved, caps: CswCapabilities): AsyncGenerator<HarvestItem, Query, undefined> {
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
    yield notice(
      offered ? 'info' : 'warn',
      `constraint (${lang}${offered ? '' : ', not among the advertised constraint languages'}): ${'cql' in constraint ? constraint.cql : constraint.filter}`,
    );
  }
  return { version, choice, typeNames, method, endpoint, constraint };
}

/** One GetRecords request: a page, or a part of one while a page that could not be read is split. */
interface Ask {
  pageNo: number;
  start: number;
  want: number;
}

/**
 * A GetRecords answer: a page as split, or why it could not be used (kept, with its text, to split the page around
 * it), with the notices of its re-requests.
 */
type Fetched =
  | { ok: true; page: CswPage; url: string; notices: HarvestItem[] }
  | { ok: false; error: CswPageError; text: string; url: string; request: string; attempts: number; notices: HarvestItem[] };

/**
 * One GetRecords request, requested again when it comes back truncated or unparsable (when `again`). One budget of
 * `retries` per request: HTTP retries (network, 429, 5xx) and re-requests of an unusable answer both count. An HTTP
 * failure throws a SourceError; an answer that cannot be used is returned (ok: false) for the caller to decide.
 */
async function getRecordsPage(http: Resolved['http'], q: Query, signal: AbortSignal, ask: Ask, again: boolean): Promise<Fetched> {
  const { version, choice, typeNames, method, endpoint, constraint } = q;
  const params = {
    version,
    outputSchema: choice.outputSchema,
    typeNames,
    startPosition: ask.start,
    maxRecords: ask.want,
    ...(constraint ? { constraint } : {}),
  };
  const url = method === 'GET' ? getRecordsUrl(endpoint, params) : endpoint;
  const body = method === 'POST' ? getRecordsBody(params) : undefined;
  const request = describeRequest(method, url, body);
  const what = `CSW GetRecords page ${ask.pageNo} (startPosition ${ask.start})`;
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
        ...(body !== undefined ? { body, headers: { ...http.headers, 'content-type': 'application/xml; charset=UTF-8' } } : {}),
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
      return { ok: true, page, url, notices };
    } catch (err) {
      if (!(err instanceof CswPageError)) throw err;
      if (again && err.retryable && remaining > 0) {
        remaining--;
        notices.push(
          notice('warn', `${what}: ${err.message}; requesting it again (request ${attempt + 1} of at most ${http.retries + 1})`, {
            page: ask.pageNo,
            startPosition: ask.start,
          }),
        );
        continue;
      }
      return { ok: false, error: err, text, url, request, attempts: attempt, notices };
    }
  }
}

/** An answer that could not be used as a SourceError naming the request, its URL and the harvest's progress. */
function unusable(f: Extract<Fetched, { ok: false }>, ask: Ask, progress: string): SourceError {
  const how = f.error.retryable ? `unusable after ${f.attempts} request(s)` : 'failed';
  return new SourceError(
    f.error.retryable ? 'parse' : 'fetch',
    `CSW GetRecords page ${ask.pageNo} (startPosition ${ask.start}) ${how}: ${f.error.message}${progress}`,
    { url: f.url, request: f.request, cause: f.error },
  );
}

/** Leaf requests (one record each) that may fail in a row, before anything was read from the source, before giving up. */
const GIVE_UP_AFTER = 5;

/**
 * The state of the GetRecords paging: what was read, where it stands, and the records yielded from it (each counted,
 * its identifier checked for duplicates, its position kept in its location).
 */
class PagingRun {
  harvested = 0;
  pagesDone = 0;
  matched: number | undefined;
  duplicates = 0;
  splitPages = 0;
  byId = 0;
  readonly lost: number[] = [];
  /** Leaf requests that failed since the last record read. */
  private failedInARow = 0;
  /** constant memory: a false "seen" only counts, every record is yielded */
  readonly seen = new SeenIds();

  constructor(
    readonly o: Resolved,
    readonly q: Query,
    readonly signal: AbortSignal,
  ) {
    if (o.members.resolve && o.constraint) this.read = new Map();
  }

  progress(): string {
    return `; harvest stopped after ${this.pagesDone} complete page(s) and ${this.harvested} record(s)`;
  }

  /** Records a page may still hold under maxRecords. */
  want(already = 0): number {
    const o = this.o;
    return o.maxRecords !== undefined ? Math.min(o.pageSize, o.maxRecords - this.harvested - already) : o.pageSize;
  }

  /**
   * Whether an answer that could not be used is split into smaller requests: a page cut short, not well-formed or
   * declaring entities (one bad record spoils the page it is in); an exception report too once a page was read (a
   * server failing on one record, as GeoNetwork does). An HTML page or a non-CSW answer is the source's failure.
   */
  splittable(err: CswPageError): boolean {
    return err.retryable || err.kind === 'entities' || (err.kind === 'exception' && this.harvested > 0);
  }

  /**
   * The records of one CSW record: itself, or an ISO dataset series and the members it embeds, each a record of its own
   * (records.ts aggregateParts), with the members it gives by xlink:href fetched and embedded first when the source
   * asks for it (members.ts). `harvested` counts CSW records (what numberOfRecordsMatched counts): a series is one.
   */
  async *record(r: SplitRecord, location: string, documentUrl: string): AsyncGenerator<HarvestItem, void, undefined> {
    this.harvested++;
    this.failedInARow = 0;
    if (r.id !== undefined && this.read?.get(r.id) === 'member') {
      // read already as a member of its series, by its GetRecordById link: one record per identifier in the run
      this.readAsMembers++;
      return;
    }
    if (r.id !== undefined && this.seen.check(r.id)) this.duplicates++;
    if (r.id !== undefined && this.read && !this.read.has(r.id)) this.read.set(r.id, 'record');
    let whole = r;
    let fetched = new Map<number, string>();
    if (this.o.members.resolve) {
      this.guard ??= memberGuard(this.o.url, this.o.ssrfAllow);
      let unread: number;
      let left: { given: string; href: string }[];
      ({
        record: whole,
        embedded: fetched,
        unread,
        left,
      } = yield* resolveMembers(r, {
        cswUrl: this.o.url,
        documentUrl,
        members: this.o.members,
        http: this.o.http,
        guard: this.guard,
        signal: this.signal,
        leave: (url) => this.leave(url),
      }));
      this.unreadMembers += unread;
      // the links left unfetched ask this CSW for records of this source: the series still names them, by their ids
      const memberRecords: MemberRecord[] = left.map((l) => ({ href: l.given, id: this.ownRecordId(l.href)! }));
      if (memberRecords.length > 0) {
        const context = { ...r.context, memberRecords };
        [r, whole] = [
          { ...r, context },
          { ...whole, context },
        ];
      }
    }
    const parts = aggregateParts(whole);
    if (!parts) {
      yield this.item(r, location);
      return;
    }
    // a member is no record the server serves by itself: its URL is its series' GetRecordById, when the series has
    // one; a member fetched by its link is served there
    const seriesUrl = isSeriesMember(parts[0]) ? undefined : (this.item(parts[0], location) as { raw: RawRecord }).raw.url;
    for (const part of parts) {
      const item = this.item(part, seriesPartWhere(location, part)) as { kind: 'record'; raw: RawRecord };
      const link = isSeriesMember(part) ? fetched.get(part.offset - whole.offset) : undefined;
      const own = link !== undefined ? this.ownRecordId(link) : undefined;
      if (own !== undefined && this.read) for (const id of [own, part.id]) if (id !== undefined) this.read.set(id, 'member');
      if (link) item.raw.url = link;
      else if (isSeriesMember(part) && seriesUrl) item.raw.url = seriesUrl;
      yield item;
    }
  }

  /** Member links of ISO series that could not be read for a passing fault (members.ts): the run is then incomplete. */
  unreadMembers = 0;

  /** The SSRF guard of member links (members.ts), made at the first series that has some. */
  private guard: SsrfGuard | undefined;

  /**
   * The records read in this run, by identifier, and how (as a record of the GetRecords answers, or as a member by
   * its GetRecordById link to this CSW): kept only when such links are fetched (members resolved under a configured
   * constraint), exact (a record must never be left out on a false "seen"); ~75 bytes a record.
   */
  private readonly read: Map<string, 'record' | 'member'> | undefined;

  /** Records of the GetRecords answers not yielded, already read as members of their series. */
  readAsMembers = 0;

  /**
   * The identifier a link asks the harvested CSW for by GetRecordById (its endpoint, configured or advertised): its
   * `id` parameter, URL-decoded (KVP parameter names are case-insensitive, CSW 2.0.2 and 3.0 alike); none for a list
   * of identifiers or a parameter given twice.
   */
  ownRecordId(url: string): string | undefined {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return undefined;
    }
    const here = (e: string) => {
      const c = new URL(e);
      return c.origin === u.origin && c.pathname === u.pathname;
    };
    if (!here(this.o.url) && !here(this.q.endpoint)) return undefined;
    const named = (name: string) => [...u.searchParams].filter(([k]) => k.toLowerCase() === name).map(([, v]) => v);
    const [request, id] = [named('request'), named('id')];
    return request.length === 1 && request[0].toLowerCase() === 'getrecordbyid' && id.length === 1 && id[0] && !id[0].includes(',')
      ? id[0]
      : undefined;
  }

  /**
   * Why a member link is not fetched (members.ts resolveMembers `leave`): a GetRecordById of this CSW asks for a record
   * the harvest reads anyway when it has no constraint (every record the server lists comes in its GetRecords
   * answers), or one already read in this run; fetching it would read the record twice, under one identifier, once
   * with its series and once without, and which one the index keeps would depend on the server's order.
   */
  private leave(url: string): string | undefined {
    const id = this.ownRecordId(url);
    if (id === undefined) return undefined;
    if (!this.read)
      return 'each asks this CSW for a record by GetRecordById, a record this harvest reads in its GetRecords answers (no constraint): it is one record, not read twice, and the series names it by that identifier (dcat:seriesMember)';
    // read as a member already (a series given twice, two series sharing it): fetched again, the same member record
    if (this.read.get(id) === 'record')
      return 'each asks this CSW by GetRecordById for a record already read in this harvest as a record of its own: it is one record, not read twice, and the series names it by that identifier (dcat:seriesMember)';
    return undefined;
  }

  private item(r: SplitRecord, location: string): HarvestItem {
    const { o, q } = this;
    return {
      kind: 'record',
      raw: {
        source: o.source,
        ...(r.format ? { format: r.format } : {}),
        ...(r.id !== undefined ? { id: r.id } : {}),
        ...(r.idText !== undefined ? { idText: r.idText } : {}),
        body: r.xml,
        location,
        ...(r.context ? { context: r.context } : {}),
        ...(r.id !== undefined && !isSeriesMember(r)
          ? { url: getRecordByIdUrl(q.endpoint, { version: q.version, outputSchema: q.choice.outputSchema, id: r.id }) }
          : {}),
      },
    };
  }

  /** A leaf request failed; throws once GIVE_UP_AFTER failed in a row while nothing at all was read from the source. */
  leafFailed(f: Extract<Fetched, { ok: false }>, ask: Ask): void {
    this.failedInARow++;
    if (this.harvested === 0 && this.failedInARow >= GIVE_UP_AFTER) {
      throw new SourceError(
        'parse',
        `CSW GetRecords page ${ask.pageNo}: not one record could be read, even one by one (${this.failedInARow} in a row, the last at startPosition ${ask.start}: ${f.error.message}): the source is unusable`,
        { url: f.url, request: f.request, cause: f.error },
      );
    }
  }
}

/**
 * 3. GetRecords pages, one page requested ahead of the records being consumed; where the next page starts, and
 * when paging stops, is nextPage's decision (paging.ts, every stop condition commented there). A page that cannot be
 * read is read again in smaller requests (readRange) and the paging goes on after it.
 */
async function* getRecordsPages(o: Resolved, q: Query): AsyncGenerator<HarvestItem, Paging, undefined> {
  const { http } = o;
  const internal = new AbortController();
  const signal = http.signal ? AbortSignal.any([http.signal, internal.signal]) : internal.signal;
  const p = new PagingRun(o, q, signal);
  let stop: { stop: string; level: 'info' | 'warn' } | undefined;
  let ask: Ask = { pageNo: 1, start: 1, want: p.want() };
  let pending: Promise<Fetched> = getRecordsPage(http, q, signal, ask, true);
  try {
    for (;;) {
      let fetched: Fetched;
      try {
        fetched = await pending;
      } catch (err) {
        throw err instanceof SourceError
          ? new SourceError(err.stage, err.message + p.progress(), { url: err.url, request: err.request, cause: err.cause ?? err })
          : err;
      }
      yield* fetched.notices;
      let decision: PageDecision;
      const here = ask;
      if (fetched.ok) {
        const { page } = fetched;
        if (here.pageNo === 1 && page.matched !== undefined) {
          // said once, up front, so that progress can show how far the harvest is
          const expected = o.maxRecords !== undefined ? Math.min(o.maxRecords, page.matched) : page.matched;
          yield notice('info', `${page.matched} record(s) matched${expected !== page.matched ? `, ${expected} to harvest` : ''}`, {
            matched: expected,
          });
        }
        p.matched ??= page.matched;
        const count = page.records.length;
        if (page.returned !== undefined && page.returned !== count) {
          yield notice(
            'warn',
            `page ${here.pageNo} (startPosition ${here.start}): numberOfRecordsReturned is ${page.returned} but the page holds ${count} record element(s)`,
            { page: here.pageNo, startPosition: here.start, returned: page.returned, count },
          );
        }
        const take = o.maxRecords !== undefined ? Math.min(count, o.maxRecords - p.harvested) : count;
        const records = page.records.slice(0, take);
        decision = nextPage(
          { start: here.start, harvested: p.harvested + take, ...(o.maxRecords !== undefined ? { maxRecords: o.maxRecords } : {}) },
          { matched: page.matched, returned: page.returned, nextRecord: page.nextRecord, count },
        );
        if ('next' in decision) {
          ask = { pageNo: here.pageNo + 1, start: decision.next, want: p.want(take) };
          const ahead = getRecordsPage(http, q, signal, ask, true);
          ahead.catch(() => undefined); // awaited below; this only silences an early rejection
          pending = ahead;
        }
        for (let k = 0; k < records.length; k++) {
          yield* p.record(records[k], `${o.url} page ${here.pageNo} (startPosition ${here.start}) record ${k + 1}`, fetched.url);
        }
      } else {
        if (!p.splittable(fetched.error)) throw unusable(fetched, here, p.progress());
        p.splitPages++;
        yield notice(
          'warn',
          `CSW GetRecords page ${here.pageNo} (startPosition ${here.start}) could not be read (${fetched.error.message}; ${fetched.url}): reading it again in smaller requests`,
          { page: here.pageNo, startPosition: here.start, url: fetched.url },
        );
        yield* readRange(p, here, here.start, here.want, fetched);
        // the next page starts after the range, as far as the server has records
        const next = here.start + here.want;
        decision =
          o.maxRecords !== undefined && p.harvested + p.lost.length >= o.maxRecords
            ? { stop: `maxRecords ${o.maxRecords} reached`, level: 'info' }
            : p.matched !== undefined && next > p.matched
              ? { stop: `startPosition ${next} is beyond numberOfRecordsMatched ${p.matched}: last page`, level: 'info' }
              : p.matched === undefined
                ? { stop: 'no numberOfRecordsMatched to page on after a page read in smaller requests', level: 'warn' }
                : { next };
        if ('next' in decision) {
          ask = { pageNo: here.pageNo + 1, start: decision.next, want: p.want() };
          pending = getRecordsPage(http, q, signal, ask, true);
          pending.catch(() => undefined);
        }
      }
      p.pagesDone++;
      if ('stop' in decision) {
        stop = decision;
        break;
      }
    }
  } finally {
    internal.abort(); // a page requested ahead is no longer wanted (early return or error)
  }
  return {
    pagesDone: p.pagesDone,
    harvested: p.harvested,
    matched: p.matched,
    stop,
    duplicates: p.duplicates,
    seen: p.seen,
    splitPages: p.splitPages,
    lost: p.lost,
    byId: p.byId,
    unreadMembers: p.unreadMembers,
    readAsMembers: p.readAsMembers,
  };
}

/**
 * The records at positions [start, start + count) of the result set, read in smaller requests: a request that cannot
 * be read is halved, down to single records; a single record that cannot be read is asked for by GetRecordById
 * (salvage), else reported as a failure with its position and the raw answer. The paging goes on after it.
 */
async function* readRange(
  p: PagingRun,
  page: Ask,
  start: number,
  count: number,
  failed?: Extract<Fetched, { ok: false }>,
): AsyncGenerator<HarvestItem, void, undefined> {
  const { o, q, signal } = p;
  const end = start + count;
  let pos = start;
  while (pos < end) {
    const ask: Ask = { pageNo: page.pageNo, start: pos, want: end - pos };
    // the range as a whole is already known not to read (the page itself): straight to its halves
    const f = pos === start && failed ? failed : await getRecordsPage(o.http, q, signal, ask, false);
    if (f !== failed) yield* f.notices;
    if (f.ok) {
      p.matched ??= f.page.matched;
      const records = f.page.records.slice(0, ask.want);
      // stop: the server has nothing more there (the catalogue shrank meanwhile)
      if (records.length === 0) return;
      for (let k = 0; k < records.length; k++) {
        const position = pos + k;
        yield* p.record(
          records[k],
          `${o.url} page ${page.pageNo} (startPosition ${page.start}) record ${position - page.start + 1}, read by a smaller request (startPosition ${pos}, maxRecords ${ask.want})`,
          f.url,
        );
      }
      pos += records.length;
      continue;
    }
    if (!p.splittable(f.error)) throw unusable(f, ask, p.progress());
    if (ask.want > 1) {
      const half = Math.ceil(ask.want / 2);
      yield* readRange(p, page, pos, half);
      yield* readRange(p, page, pos + half, ask.want - half);
      return;
    }
    yield* salvage(p, page, pos, f);
    pos++;
  }
}

/**
 * The identifier of the record at `position`, from a brief Dublin Core answer (csw:Record, elementSetName brief): a
 * server that cannot write a record in full ISO (an exception, a broken conversion) usually still lists it.
 */
async function briefIdentifier(p: PagingRun, position: number): Promise<string | undefined> {
  const { o, q } = p;
  const params = {
    version: q.version,
    outputSchema: q.version === '3.0.0' ? NS.csw30 : NS.csw202,
    typeNames: 'csw:Record',
    startPosition: position,
    maxRecords: 1,
    elementSetName: 'brief' as const,
    ...(q.constraint ? { constraint: q.constraint } : {}),
  };
  const url = q.method === 'GET' ? getRecordsUrl(q.endpoint, params) : q.endpoint;
  const body = q.method === 'POST' ? getRecordsBody(params) : undefined;
  try {
    const res = await fetchText(url, {
      ...o.http,
      signal: p.signal,
      method: q.method,
      ...(body !== undefined ? { body, headers: { ...o.http.headers, 'content-type': 'application/xml; charset=UTF-8' } } : {}),
    });
    const page = splitCswResponse(res.text);
    return page.records.length === 1 ? page.records[0].id : undefined;
  } catch {
    return undefined;
  }
}

/**
 * One record whose GetRecords answer cannot be read: asked for by GetRecordById, with the identifier its broken answer
 * shows (else the one a brief Dublin Core answer gives); else a failure with its position, the request URLs and the
 * raw answer.
 */
async function* salvage(p: PagingRun, page: Ask, position: number, f: Extract<Fetched, { ok: false }>): AsyncGenerator<HarvestItem, void> {
  const { o, q } = p;
  const where = `${o.url} page ${page.pageNo} (startPosition ${page.start}) record ${position - page.start + 1} (position ${position} in the result set)`;
  const hint = identifierHint(f.text);
  const id = (hint !== undefined ? elementText(hint) : undefined) ?? (await briefIdentifier(p, position));
  let byIdProblem = 'no identifier could be read to ask GetRecordById for it';
  if (id !== undefined) {
    const url = getRecordByIdUrl(q.endpoint, { version: q.version, outputSchema: q.choice.outputSchema, id });
    try {
      const res = await fetchText(url, { ...o.http, signal: p.signal });
      const answer = splitCswResponse(res.text);
      const r = answer.kind === 'GetRecordByIdResponse' && answer.records.length === 1 ? answer.records[0] : undefined;
      if (r && r.id === id) {
        p.byId++;
        yield notice('warn', `${where} could not be read in GetRecords (${f.error.message}): read by GetRecordById ${url}`, {
          position,
          id,
        });
        yield* p.record(r, `${where}, read by GetRecordById ${url}`, url);
        return;
      }
      byIdProblem = `GetRecordById ${url}: ${r ? `answered a record with another identifier (${r.id ?? r.idText ?? 'none'})` : `answered ${answer.records.length} record(s)`}`;
    } catch (err) {
      const message = (err as Error).message;
      byIdProblem = message.includes(url) ? message : `GetRecordById ${url}: ${message}`;
    }
  }
  p.lost.push(position);
  const failure: Failure = {
    ok: false,
    source: o.source,
    ...(hint !== undefined || id !== undefined ? { idText: hint ?? id } : {}),
    stage: 'parse',
    error: `unreadable record: GetRecords ${f.url}: ${f.error.message}; ${byIdProblem}`,
    location: where,
    raw: f.text,
  };
  yield { kind: 'failure', failure };
  p.leafFailed(f, { pageNo: page.pageNo, start: position, want: 1 });
}

/** 4. Summary: how paging stopped, what is missing, duplicates; returns whether this run saw the whole source. */
async function* summary(o: Resolved, q: Query, paging: Paging): AsyncGenerator<HarvestItem, RunEnd, undefined> {
  const { pagesDone, harvested, matched, stop, duplicates, seen, lost } = paging;
  const { choice, method } = q;
  if (stop.level === 'warn') yield notice('warn', `paging stopped: ${stop.stop}`);
  if (matched !== undefined && o.maxRecords === undefined && harvested + lost.length < matched) {
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
  if (paging.readAsMembers > 0) {
    yield notice(
      'info',
      `${paging.readAsMembers} record(s) of the GetRecords answers had already been read as members of their series (by their GetRecordById links to this CSW): each is one record, not yielded a second time`,
      { readAsMembers: paging.readAsMembers },
    );
  }
  if (paging.splitPages > 0) {
    yield notice(
      lost.length > 0 ? 'warn' : 'info',
      `${paging.splitPages} page(s) could not be read whole and were read in smaller requests: ${lost.length} record(s) could not be read${lost.length ? ` (positions ${lost.slice(0, 20).join(', ')}${lost.length > 20 ? ', ...' : ''})` : ''}, ${paging.byId} read by GetRecordById`,
      { splitPages: paging.splitPages, lost: lost.length, byId: paging.byId },
    );
  }
  // Whether this run saw the whole source: the pipeline removes records a source no longer has only after a complete one.
  const end: RunEnd =
    lost.length > 0
      ? incomplete(
          'unreadable',
          `${lost.length} record(s) could not be read (positions ${lost.slice(0, 20).join(', ')}${lost.length > 20 ? ', ...' : ''})`,
        )
      : paging.unreadMembers > 0
        ? incomplete(
            'unreadable',
            `${paging.unreadMembers} member link(s) of ISO dataset series could not be read (no answer in time, a network error, 429 or 5xx): their records are kept`,
          )
        : stop.level === 'warn'
          ? incomplete('paging', stop.stop)
          : o.maxRecords !== undefined && harvested >= o.maxRecords
            ? incomplete('max-records', `maxRecords ${o.maxRecords} reached`)
            : o.modifiedSince !== undefined
              ? incomplete('incremental', `incremental harvest (modified since ${o.modifiedSince})`)
              : matched !== undefined && harvested < matched
                ? incomplete('paging', `${harvested} of ${matched} matched records harvested`)
                : COMPLETE;
  yield notice(
    'info',
    `CSW ${o.url}: ${harvested} record(s) in ${pagesDone} page(s)${matched !== undefined ? ` of ${matched} matched` : ''}; stopped: ${stop.stop}`,
    {
      ...(end.complete ? {} : { incomplete: end.message }),
      pages: pagesDone,
      records: harvested,
      ...(matched !== undefined ? { matched } : {}),
      stop: stop.stop,
      outputSchema: choice.outputSchema,
      method,
    },
  );
  return end;
}

/** A SourceError with the step and the progress in its message (the URL and request kept). */
function wrap(err: unknown, what: string, url: string, request: string, suffix = ''): SourceError {
  if (err instanceof SourceError) {
    return new SourceError(err.stage, `${what}: ${err.message}${suffix}`, {
      url: err.url ?? url,
      request: err.request ?? request,
      cause: err,
    });
  }
  return new SourceError('fetch', `${what}: ${err instanceof Error ? err.message : String(err)}${suffix}`, { url, request, cause: err });
}
