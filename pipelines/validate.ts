/**
 * `harvester validate` and `POST /validate`: what the hub would make of a feed, without touching the index. Each
 * source (a file or folder's files, or a URL read by the same harvesters as `harvest`) goes through harvest ->
 * crosswalk -> validation -> FAIR assessment, and every record gets a report: its blocking errors, its warnings with
 * where they belong in its own format, the DCAT-AP mandatory values it lacks, its XML schema verdict (--xsd), its
 * Theia categories (OZCAR), its links (--links) and its MQA and F-UJI assessments. No Elasticsearch is needed.
 *
 * Records are handled in chunks (the XML schema and link checks are batched per chunk); a record never throws across
 * records, a source that fails is one entry with its error, and the rest goes on. The reports are not gathered in
 * memory: `spoolReport` appends each to a spool file as it comes (pipelines/report/spool.ts), and the formatters write
 * the report from it as a stream.
 */
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { SourceType } from './sources.js';
import { itemsFromFile, itemsFromText, prefetchFiles } from './files.js';
import { defaultMapWorkers, MapPool } from './map-pool.js';
import { thesaurusData, type ValidatedRecord } from './validate-record.js';
import { assessRecord, METHODOLOGIES, type LinkResult } from '../mappings/fair/index.js';
import { formatFamily, whereIn } from '../mappings/fair/where.js';
import type { LinkChecker } from './links.js';
import { builtinThesaurus, type TheiaThesaurus } from './theia.js';
import { validateXsd } from './xsd.js';
import { ReportSpool } from './report/spool.js';
import {
  REPORT_VERSION,
  type RecordReport,
  type ReportHead,
  type ReportNotice,
  type ReportRecords,
  type ValidationReport,
} from './report/types.js';
import type { HarvestItem } from '../harvesters/types.js';
import type { HubRecord } from '../schemas/record.js';
import { jsonKind } from '../core/formats.js';
import type { SsrfGuard } from '../core/ssrf.js';
import { codeOf, coded, readBackWarning } from '../core/warnings.js';
import { toFailure, type Failure } from '../core/result.js';

export type ValidateType = SourceType | 'auto';

/** One thing to validate: a local file, a URL (a CSW, a STAC catalogue or API, an OZCAR feed), or a name that is not there. */
export type ValidateInput = { file: string } | { url: string; type: ValidateType } | { missing: string; why: string };

export interface ValidateOptions {
  /** Source id in the record ids. Default "validate". */
  source?: string;
  /** Validate ISO records against their XML schemas. Default false. */
  xsd?: boolean;
  /** XML schema errors are blocking errors (else warnings). Default false. */
  strict?: boolean;
  /** Check the links of every record (MQA accessibility, F-UJI A1-03D). Default: not checked. */
  links?: LinkChecker;
  /** The Theia/OZCAR thesaurus. Default: the built-in list (theia.ts). */
  thesaurus?: TheiaThesaurus;
  /** For URL sources given by someone other than the operator (POST /validate): every request through it. */
  guard?: SsrfGuard;
  /** HTTP options of URL sources (timeouts, size caps). */
  http?: { timeoutMs?: number; maxBytes?: number; retries?: number };
  /** Records whose MQA points are under this make the exit status 1. */
  failUnder?: number;
  /** Stop after this many records (an upload's limit). Default: none. */
  maxRecords?: number;
  /** The files are uploads (POST /validate): a STAC catalog in one is not walked (pipelines/files.ts). */
  uploaded?: boolean;
  /** Mapping threads. Default: the harvest's (pipelines/map-pool.ts), none on one core. */
  workers?: number;
  /** Cancels the validation (time limit of a request). */
  signal?: AbortSignal;
}

/**
 * Records handled together: one xmllint and one round of link checks per chunk. Without either, each record is
 * finished as it comes: a chunk held for nothing keeps 200 records, their XML and reports alive across the young
 * generation's collections, which then copy and promote them (2,700 ISO files on one core: the collector's time
 * doubled, and the whole run took 0.3 s more).
 */
const CHUNK = 200;

type Pending = ValidatedRecord;

/** Lines before the record's text in its file (0 when it is not found there as it is). */
function lineOffset(fileText: string, xml: string): number {
  const head = xml.slice(0, 200);
  const at = fileText.indexOf(head);
  if (at < 0) return 0;
  let n = 0;
  for (let i = fileText.indexOf('\n'); i >= 0 && i < at; i = fileText.indexOf('\n', i + 1)) n++;
  // the record's own first line is line 1 of what xmllint read
  return n;
}

/** The label of a source, for the report. */
function inputLabel(i: ValidateInput): string {
  return 'file' in i ? i.file : 'url' in i ? i.url : i.missing;
}

/** Decides what a URL is when --type is auto: by its answer (a CSW capabilities or response, a STAC document, an OZCAR pivot). */
export async function detectUrlType(url: string, o: ValidateOptions): Promise<SourceType> {
  if (/[?&]service=csw\b|\/csw\b/i.test(url)) return 'csw';
  const { fetchText } = await import('../harvesters/http.js');
  const res = await fetchText(url, { ...o.http, ...(o.guard ? { guard: o.guard } : {}), retries: 0 });
  const text = res.text.trimStart();
  if (text.startsWith('<')) return 'csw';
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${url}: neither XML nor JSON: give --type csw, stac, stac-api, ozcar or resto`);
  }
  const kind = jsonKind(json);
  if (kind === 'ozcar-pivot') return 'ozcar';
  const doc = json as { links?: { rel?: string }[]; conformsTo?: string[] };
  const api = doc.links?.some((l) => l.rel === 'search' || l.rel === 'data') || doc.conformsTo?.some((c) => /stac-api|item-search/.test(c));
  if (kind === 'stac-catalog' || kind === 'stac-collection') return api ? 'stac-api' : 'stac';
  if (kind === 'stac-items' || kind === 'stac-collections') return 'stac-api';
  throw new Error(`${url}: not a CSW, STAC or OZCAR source this harvester recognises: give --type`);
}

/** The records (and notices) a source yields, as `harvest` reads it. */
async function* itemsOf(input: ValidateInput, source: string, o: ValidateOptions, text?: Promise<string>): AsyncGenerator<HarvestItem> {
  if ('file' in input) {
    const read = { uploaded: o.uploaded === true };
    return yield* text ? itemsFromText(input.file, await text, source, read) : itemsFromFile(input.file, source, read);
  }
  if ('missing' in input) throw new Error(input.why);
  const type = input.type === 'auto' ? await detectUrlType(input.url, o) : input.type;
  // (the time limit is checked between records; each request is bounded by its own timeout)
  const http = { ...o.http, ...(o.guard ? { guard: o.guard } : {}) };
  yield { kind: 'notice', notice: { level: 'info', message: `${input.url}: read as ${type}` } };
  // the harvesters of URL sources load only when a URL is given
  const { harvesterFor } = await import('./sources.js');
  yield* harvesterFor({ id: source, type, url: input.url, options: { http } });
}

/** The URLs of a record that link checks look at: its distributions' access and download URLs, its landing pages. */
function recordUrls(r: HubRecord): string[] {
  const urls = (r.distribution ?? []).flatMap((d) => [d.accessURL, d.downloadURL]).concat((r.landingPage ?? []).map((p) => p['@id']));
  return [...new Set(urls.filter((u): u is string => !!u && /^https?:\/\//i.test(u)))];
}

/** The batched checks of a chunk: XML schemas, links (then the FAIR assessment again, with what answered). */
async function finishChunk(chunk: Pending[], o: ValidateOptions): Promise<RecordReport[]> {
  if (o.xsd) {
    const texts = new Map<string, string>();
    const withXml = chunk.filter((p) => p.xml !== undefined);
    const verdicts = await validateXsd(withXml.map((p) => p.xml!));
    withXml.forEach((p, i) => {
      const v = verdicts[i];
      p.report.xsd = v;
      if (v.status !== 'invalid') return;
      const file = filePathOf(p.report.location);
      const offset = file && p.xml ? lineOffset(texts.get(file) ?? texts.set(file, readFileSync(file, 'utf8')).get(file)!, p.xml) : 0;
      for (const e of v.errors) {
        const at = `line ${e.line === undefined ? '?' : e.line + offset}${e.element ? `, element ${e.element}` : ''}`;
        if (o.strict) p.report.errors.push({ stage: 'xsd', message: e.message, at, ...(e.code ? { code: e.code, params: e.params } : {}) });
        else p.report.warnings.push(readBackWarning(at, 'xsd.', `XML schema: ${e.message}`));
      }
    });
  }
  if (o.links) {
    const records = chunk.filter((p) => p.record);
    const results = await o.links.checkAll(records.flatMap((p) => recordUrls(p.record!)));
    for (const p of records) {
      const r = p.record!;
      const mine = new Map<string, LinkResult>(recordUrls(r).map((u) => [u, results.get(u)!]));
      p.report.fair = assessRecord(r, mine, p.report.dcatGaps);
      const family = formatFamily(r.isPrimaryTopicOf.sourceFormat);
      for (const l of mine.values()) {
        if (l.ok) continue;
        const at = whereIn(family, 'accessURL');
        // an HTTP status says it all; a network error is in the words of the system, read back by its form (a DNS
        // failure, a refused connection, a timeout, a TLS error, the SSRF guard's refusal...): else it stays English
        p.report.warnings.push(
          l.error === undefined
            ? coded(at, 'links.status', { url: l.url, status: String(l.status) })
            : readBackWarning(at, 'links.', `${l.url} does not answer: ${l.error}`),
        );
      }
    }
  }
  for (const p of chunk) {
    const r = p.report;
    r.status = r.errors.length ? 'error' : r.warnings.length || r.dcatGaps.length ? 'warnings' : 'ok';
  }
  return chunk.map((p) => p.report);
}

/** The file of a record's location ("/a/b.xml", "/a/b.xml record 3", "/a/b.json#/datasets/0"), when it is a local file. */
function filePathOf(location: string): string | undefined {
  if (!location.startsWith('/')) return undefined;
  const path = location.replace(/ record \d+$/, '').replace(/#.*$/, '');
  return existsSync(path) ? path : undefined;
}

/** A source marker in the item stream (a notice the consumer turns into a `source` event). */
const SOURCE_MARK = 'validate:source';

/** Every source's items in one stream, a source that fails becoming one failure; STAC documents once. */
async function* allItems(
  inputs: AsyncIterable<ValidateInput> | Iterable<ValidateInput>,
  source: string,
  o: ValidateOptions,
  readAhead: boolean,
): AsyncGenerator<HarvestItem> {
  const seenStac = new Set<string>();
  for await (const { input, text } of prefetchFiles(inputs, (i) => ('file' in i ? i.file : undefined), readAhead ? undefined : 0)) {
    const label = inputLabel(input);
    yield { kind: 'notice', notice: { level: 'info', message: label, data: { [SOURCE_MARK]: true } } };
    try {
      for await (const item of itemsOf(input, source, o, text)) {
        if (item.kind === 'record' && item.raw.format?.startsWith('stac-')) {
          if (seenStac.has(item.raw.location)) continue;
          seenStac.add(item.raw.location);
        }
        yield item;
      }
    } catch (err) {
      yield { kind: 'failure', failure: toFailure(err, { source, stage: 'fetch', location: label, id: label }) };
    }
  }
}

/** Mapping threads for a validation: none on one core (a thread only adds its cost there), else the harvest's. */
function validateWorkers(): number {
  if (process.env.HUB_MAP_WORKERS !== undefined) return defaultMapWorkers();
  return availableParallelism() > 1 ? defaultMapWorkers() : 0;
}

/**
 * Validates sources; yields each record's report as its chunk completes (and the notices of the readers). Records are
 * mapped and assessed on the pipeline's worker pool (pipelines/map-pool.ts), in order. The caller collects them into
 * a report with `spoolReport`.
 */
export async function* validateSources(
  inputs: AsyncIterable<ValidateInput> | Iterable<ValidateInput>,
  o: ValidateOptions = {},
): AsyncGenerator<ValidateEvent> {
  const source = o.source ?? 'validate';
  const harvestedAt = new Date().toISOString();
  const thesaurus = o.thesaurus ?? builtinThesaurus();
  const workers = o.workers ?? validateWorkers();
  const pool = new MapPool(
    { harvestedAt, run: { runId: 'validate', seenAt: harvestedAt }, validate: { thesaurus: thesaurusData(thesaurus) } },
    workers,
  );
  // files read ahead on the thread pool while threads map, and always on the server (whose loop never waits on a
  // read); one core's run reads each file in its turn (pipelines/files.ts prefetchFiles)
  const readAhead = workers > 0 || o.uploaded === true;
  let chunk: Pending[] = [];
  let count = 0;
  const flush = async function* () {
    const done = await finishChunk(chunk, o);
    chunk = [];
    for (const report of done) yield { kind: 'record' as const, report };
  };
  const failed = (f: Failure): Pending => ({
    report: {
      id: f.id ?? f.location ?? source,
      location: f.location ?? source,
      status: 'error',
      errors: [{ stage: f.stage, message: f.error, ...codeOf('error.', f.error) }],
      warnings: [],
      dcatGaps: [],
    },
  });
  try {
    for await (const m of pool.mapStream(allItems(inputs, source, o, readAhead))) {
      if (o.signal?.aborted) {
        yield noticeEvent('warn', 'stopped: the time limit was reached');
        break;
      }
      if (m.kind === 'item') {
        const item = m.item;
        if (item.kind === 'notice') {
          if (item.notice.data?.[SOURCE_MARK]) yield { kind: 'source', label: item.notice.message };
          else yield noticeEvent(item.notice.level, item.notice.message);
          continue;
        }
        chunk.push(failed(item.failure));
      } else if (m.kind === 'failure') chunk.push(failed(m.failure));
      else if (m.kind === 'validated') {
        if ('skipped' in m.result) {
          yield noticeEvent('info', `skipped: ${m.result.skipped}`);
          continue;
        }
        chunk.push(m.result);
      } else continue;
      if (++count >= (o.maxRecords ?? Infinity)) {
        yield noticeEvent('warn', `stopped after ${count} records (the limit)`);
        break;
      }
      if (chunk.length >= (o.xsd || o.links ? CHUNK : 1)) yield* flush();
    }
    if (chunk.length) yield* flush();
  } finally {
    await pool.close();
  }
}

/** What validateSources yields: a record's report, a reader's notice, the start of a source. */
export type ValidateEvent =
  { kind: 'record'; report: RecordReport } | ({ kind: 'notice' } & ReportNotice) | { kind: 'source'; label: string };

/** A notice event, with the code and values of its form (core/texts/messages-en.ts notice.*) when it has a known one. */
const noticeEvent = (level: ReportNotice['level'], message: string): ValidateEvent => ({
  kind: 'notice',
  level,
  message,
  ...codeOf('notice.', message),
});

/** A validation's report with its records in a spool file: the formatters read them back; `close()` removes the file. */
export interface SpooledReport {
  head: ReportHead;
  records: ReportRecords;
  close(): void;
}

/**
 * Collects validation events into a report whose records wait in a spool file (pipelines/report/spool.ts), each
 * appended as it comes: memory does not grow with the catalogue beyond a few values per record. The spool is removed
 * if the events fail; otherwise the caller closes the result once the report is written. `reads`: what the formatter
 * to come reads of a record (pipelines/report/trim.ts), the only part of it kept (default: all, as JSON needs).
 */
export async function spoolReport(
  events: AsyncIterable<ValidateEvent>,
  o: ValidateOptions = {},
  reads?: (r: RecordReport) => RecordReport,
): Promise<SpooledReport> {
  const spool = new ReportSpool(o.failUnder, reads);
  try {
    const notices: ValidationReport['notices'] = [];
    const sources: string[] = [];
    for await (const e of events) {
      if (e.kind === 'record') spool.add(e.report);
      else if (e.kind === 'notice') {
        const { kind: _, ...notice } = e;
        notices.push(notice);
      } else sources.push(e.label);
    }
    const summary = spool.finish();
    const head: ReportHead = {
      tool: 'fair-harvester validate',
      reportVersion: REPORT_VERSION,
      generatedAt: new Date().toISOString(),
      sources,
      options: {
        links: !!o.links,
        xsd: !!o.xsd,
        strict: !!o.strict,
        ...(o.failUnder !== undefined ? { failUnder: o.failUnder } : {}),
        thesaurus: (o.thesaurus ?? builtinThesaurus()).origin,
      },
      methodologies: METHODOLOGIES,
      summary,
      notices,
      // a validation that found no record at all has validated nothing: it does not pass (a wrong URL, a feed emptied)
      exitCode: summary.withErrors > 0 || summary.belowFailUnder > 0 || summary.records === 0 ? 1 : 0,
    };
    return { head, records: spool, close: () => spool.close() };
  } catch (err) {
    spool.close();
    throw err;
  }
}

/** Validates sources into a spooled report (summary first, the worst records first): see spoolReport. */
export function validateToSpool(
  inputs: AsyncIterable<ValidateInput> | Iterable<ValidateInput>,
  o: ValidateOptions = {},
  reads?: (r: RecordReport) => RecordReport,
): Promise<SpooledReport> {
  return spoolReport(validateSources(inputs, o), o, reads);
}

/** The whole report in memory, its records the worst first: for a bounded feed (tests, a few files). */
export async function validateToReport(
  inputs: AsyncIterable<ValidateInput> | Iterable<ValidateInput>,
  o: ValidateOptions = {},
): Promise<ValidationReport> {
  const spooled = await validateToSpool(inputs, o);
  try {
    const { exitCode, ...head } = spooled.head;
    return { ...head, records: [...spooled.records.records()], exitCode };
  } finally {
    spooled.close();
  }
}
