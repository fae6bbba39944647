/**
 * `harvester validate` and `POST /validate`: what the hub would make of a feed, without touching the index. Each
 * source (a file or folder's files, or a URL read by the same harvesters as `harvest`) goes through harvest ->
 * crosswalk -> validation -> FAIR assessment, and every record gets a report: its blocking errors, its warnings with
 * where they belong in its own format, the DCAT-AP mandatory values it lacks, its XML schema verdict (--xsd), its
 * Theia categories (OZCAR), its links (--links) and its MQA and F-UJI assessments. No Elasticsearch is needed.
 *
 * Records are handled in chunks (the XML schema and link checks are batched per chunk); a record never throws across
 * records, a source that fails is one entry with its error, and the rest goes on.
 */
import { readFile } from 'node:fs/promises';
import type { SourceType } from './sources.js';
import { itemsFromFile, itemsFromText, prefetchFiles } from './files.js';
import { mapRecord } from './map.js';
import { assessRecord, dcatGaps, type LinkResult } from '../mappings/fair/index.js';
import { formatFamily, whereIn } from '../mappings/fair/where.js';
import type { LinkChecker } from './links.js';
import { builtinThesaurus, theiaCategoryWarnings, type TheiaThesaurus } from './theia.js';
import { validateXsd } from './xsd.js';
import { summarize } from './report/summary.js';
import type { RecordReport, ValidationReport } from './report/types.js';
import type { HarvestItem, RawRecord } from '../harvesters/types.js';
import type { HubRecord } from '../schemas/record.js';
import { jsonKind } from '../core/formats.js';
import type { SsrfGuard } from '../core/ssrf.js';
import { sourceWarning, type SourceWarning } from '../core/warnings.js';

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
  /** Cancels the validation (time limit of a request). */
  signal?: AbortSignal;
}

/** Records handled together: one xmllint and one round of link checks per chunk. */
const CHUNK = 200;

interface Pending {
  report: RecordReport;
  record?: HubRecord;
  xml?: string;
  /** The text of the file the record came from (--xsd: its lines are counted in the file, not in the record alone). */
  fileText?: string;
}

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
    throw new Error(`${url}: neither XML nor JSON: give --type csw, stac, stac-api or ozcar`);
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

/** The report of one raw record, before the batched checks (XML schema, links). Pure; never throws. */
export function validateRaw(raw: RawRecord, harvestedAt: string, thesaurus: TheiaThesaurus): Pending | { skipped: string } {
  const result = mapRecord(raw, { harvestedAt });
  if (!result.ok) {
    if (result.skipped) return { skipped: `${result.location ?? raw.location}: ${result.error}` };
    return {
      report: {
        id: result.id ?? raw.id ?? raw.location,
        location: raw.location,
        ...(raw.format ? { format: raw.format } : {}),
        status: 'error',
        errors: [{ stage: result.stage, message: result.error }],
        warnings: [],
        dcatGaps: [],
      },
    };
  }
  const record = result.record;
  // the DCAT-AP gaps the map stage warns of are listed apart (dcatGaps), with their property
  const warnings: SourceWarning[] = (result.warnings ?? []).filter((w) => !w.message.startsWith('DCAT-AP: '));
  if (raw.format === 'ozcar-dataset') warnings.push(...theiaCategoryWarnings(raw.body, thesaurus));
  const title = Object.values(record.title)[0];
  return {
    record,
    xml: typeof raw.body === 'string' && raw.format?.startsWith('iso') ? raw.body : undefined,
    report: {
      id: record.isPrimaryTopicOf.identifier,
      ...(title ? { title } : {}),
      location: raw.location,
      format: record.isPrimaryTopicOf.sourceFormat,
      status: 'ok',
      errors: [],
      warnings,
      dcatGaps: dcatGaps(record),
      fair: assessRecord(record),
    },
  };
}

/** The batched checks of a chunk: XML schemas, links (then the FAIR assessment again, with what answered). */
async function finishChunk(chunk: Pending[], o: ValidateOptions): Promise<RecordReport[]> {
  if (o.xsd) {
    const withXml = chunk.filter((p) => p.xml !== undefined);
    const verdicts = await validateXsd(withXml.map((p) => p.xml!));
    withXml.forEach((p, i) => {
      const v = verdicts[i];
      p.report.xsd = v;
      if (v.status !== 'invalid') return;
      const offset = p.fileText && p.xml ? lineOffset(p.fileText, p.xml) : 0;
      for (const e of v.errors) {
        const at = `line ${e.line === undefined ? '?' : e.line + offset}${e.element ? `, element ${e.element}` : ''}`;
        if (o.strict) p.report.errors.push({ stage: 'xsd', message: e.message, at });
        else p.report.warnings.push(sourceWarning(at, `XML schema: ${e.message}`));
      }
    });
  }
  if (o.links) {
    const records = chunk.filter((p) => p.record);
    const results = await o.links.checkAll(records.flatMap((p) => recordUrls(p.record!)));
    for (const p of records) {
      const r = p.record!;
      const mine = new Map<string, LinkResult>(recordUrls(r).map((u) => [u, results.get(u)!]));
      p.report.fair = assessRecord(r, mine);
      const family = formatFamily(r.isPrimaryTopicOf.sourceFormat);
      for (const l of mine.values()) {
        if (l.ok) continue;
        const why = l.error ?? `HTTP ${l.status}`;
        p.report.warnings.push(sourceWarning(whereIn(family, 'accessURL'), `${l.url} does not answer: ${why}`));
      }
    }
  }
  for (const p of chunk) {
    const r = p.report;
    r.status = r.errors.length ? 'error' : r.warnings.length || r.dcatGaps.length ? 'warnings' : 'ok';
  }
  return chunk.map((p) => p.report);
}

/**
 * Validates sources; yields each record's report as its chunk completes (and the notices of the readers). The caller
 * collects them into a ValidationReport with `buildReport`.
 */
export async function* validateSources(
  inputs: AsyncIterable<ValidateInput> | Iterable<ValidateInput>,
  o: ValidateOptions = {},
): AsyncGenerator<
  { kind: 'record'; report: RecordReport } | { kind: 'notice'; level: 'info' | 'warn'; message: string } | { kind: 'source'; label: string }
> {
  const source = o.source ?? 'validate';
  const harvestedAt = new Date().toISOString();
  const thesaurus = o.thesaurus ?? builtinThesaurus();
  let chunk: Pending[] = [];
  let count = 0;
  // a STAC file inside a folder that also holds its catalog: each document once
  const seenStac = new Set<string>();
  const flush = async function* () {
    const done = await finishChunk(chunk, o);
    chunk = [];
    for (const report of done) yield { kind: 'record' as const, report };
  };
  let fileText: { path: string; text: string } | undefined;
  for await (const { input, text } of prefetchFiles(inputs, (i) => ('file' in i ? i.file : undefined))) {
    const label = inputLabel(input);
    yield { kind: 'source', label };
    try {
      for await (const item of itemsOf(input, source, o, text)) {
        if (o.signal?.aborted) throw new Error('stopped: the time limit was reached');
        if (item.kind === 'notice') {
          yield { kind: 'notice', level: item.notice.level, message: item.notice.message };
          continue;
        }
        if (item.kind === 'failure') {
          const f = item.failure;
          chunk.push({
            report: {
              id: f.id ?? f.location ?? label,
              location: f.location ?? label,
              status: 'error',
              errors: [{ stage: f.stage, message: f.error }],
              warnings: [],
              dcatGaps: [],
            },
          });
        } else {
          if (item.raw.format?.startsWith('stac-')) {
            if (seenStac.has(item.raw.location)) continue;
            seenStac.add(item.raw.location);
          }
          const v = validateRaw(item.raw, harvestedAt, thesaurus);
          if (o.xsd && 'file' in input && !('skipped' in v) && v.xml !== undefined) {
            if (fileText?.path !== input.file)
              fileText = { path: input.file, text: text ? await text : await readFile(input.file, 'utf8') };
            v.fileText = fileText.text;
          }
          if ('skipped' in v) {
            yield { kind: 'notice', level: 'info', message: `skipped: ${v.skipped}` };
            continue;
          }
          chunk.push(v);
        }
        if (++count >= (o.maxRecords ?? Infinity)) {
          yield { kind: 'notice', level: 'warn', message: `stopped after ${count} records (the limit)` };
          break;
        }
        if (chunk.length >= CHUNK) yield* flush();
      }
    } catch (err) {
      chunk.push({
        report: {
          id: label,
          location: label,
          status: 'error',
          errors: [{ stage: 'fetch', message: (err as Error).message }],
          warnings: [],
          dcatGaps: [],
        },
      });
    }
    if (count >= (o.maxRecords ?? Infinity)) break;
  }
  if (chunk.length) yield* flush();
}

/** Runs validateSources to the end and builds the whole report (summary first, the worst records first). */
export async function validateToReport(
  inputs: AsyncIterable<ValidateInput> | Iterable<ValidateInput>,
  o: ValidateOptions = {},
): Promise<ValidationReport> {
  const records: RecordReport[] = [];
  const notices: ValidationReport['notices'] = [];
  const sources: string[] = [];
  for await (const e of validateSources(inputs, o)) {
    if (e.kind === 'record') records.push(e.report);
    else if (e.kind === 'notice') notices.push({ level: e.level, message: e.message });
    else sources.push(e.label);
  }
  return buildReport(records, { sources, notices, options: o });
}

const RANK = { error: 0, warnings: 1, ok: 2 } as const;

export function buildReport(
  records: RecordReport[],
  ctx: { sources: string[]; notices: ValidationReport['notices']; options: ValidateOptions },
): ValidationReport {
  const o = ctx.options;
  records.sort(
    (a, b) =>
      RANK[a.status] - RANK[b.status] ||
      (a.fair?.mqa.points ?? -1) - (b.fair?.mqa.points ?? -1) ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const summary = summarize(records, o.failUnder);
  return {
    tool: 'fair-harvester validate',
    generatedAt: new Date().toISOString(),
    sources: ctx.sources,
    options: {
      links: !!o.links,
      xsd: !!o.xsd,
      strict: !!o.strict,
      ...(o.failUnder !== undefined ? { failUnder: o.failUnder } : {}),
      thesaurus: (o.thesaurus ?? builtinThesaurus()).origin,
    },
    summary,
    notices: ctx.notices,
    records,
    exitCode: summary.withErrors > 0 || summary.belowFailUnder > 0 ? 1 : 0,
  };
}
