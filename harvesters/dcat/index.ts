/**
 * The DCAT harvester: a DCAT catalogue (CKAN, piveau, udata, GeoNetwork, a research observatory's RDF export) read page
 * by page, every dataset, dataset series and data service of each page yielded as one raw record. It knows nothing of
 * mapping or Elasticsearch.
 *
 * - The serialisation is chosen from the Content-Type (else the URL's extension, else the first characters, or as
 *   the `format` option says): RDF/XML, Turtle, N-Triples, N-Quads, TriG or JSON-LD (core/rdf.ts). JSON-LD contexts
 *   are never fetched: a remote one must be mapped to a local copy (`contexts`).
 * - Pages follow Hydra (`hydra:PartialCollectionView` next links, or the older `hydra:PagedCollection` nextPage); every
 *   stop condition is commented in paging.ts. A page without Hydra is the whole catalogue.
 * - A record is a resource typed dcat:Dataset, dcat:DatasetSeries or dcat:DataService (or an untyped member the
 *   catalogue lists), described with what the page says of it (core/dcat.ts); its identifier is its dct:identifier,
 *   else its IRI; one with neither is a failure item, never dropped silently.
 * - A page that cannot be fetched or parsed ends the harvest (SourceError): the pipeline then removes nothing. A stop
 *   that leaves pages unread (maxRecords, maxPages, a looping or foreign next link) says so in a notice with
 *   `truncated`, which keeps the pipeline from removing what it did not see.
 * - A local file (a path or file: URL) is read as one page (its size capped by http.maxBytes); its next links are not
 *   followed.
 */
import type { Stats } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describeRecord, recordIdentifier, recordSubjects } from '../../core/dcat.js';
import { custom, defineOptions, instance, integer, oneOf, stringMap, text, type Checked, type OptionValues } from '../../core/options.js';
import { parseRdf, RDF_ACCEPT, rdfSyntax, RdfGraph, type RdfSyntax } from '../../core/rdf.js';
import { HarvestError, SourceError, type Failure } from '../../core/result.js';
import { deprecationNotices, FETCH_DEFAULTS, fetchText, HTTP_OPTIONS, withNotices, type HttpOptions } from '../http.js';
import { notModifiedEnd, pagingEnd, type Harvester, type HarvestItem, type Notice, type RunEnd, type Validator } from '../types.js';
import {
  CONDITIONAL_OPTION,
  conditionalHeaders,
  fileAnswer,
  fileUnchanged,
  httpAnswer,
  notModifiedMessage,
  type Answer,
  type ConditionalOption,
} from '../conditional.js';
import { hydraPage, nextPage } from './paging.js';

export { hydraPage, nextPage, type HydraPage, type PageDecision, type PagingState } from './paging.js';

export interface DcatHarvestOptions {
  /** Source id (configured name). */
  source: string;
  /** The catalogue: http(s) URL of its first page, or a local file (path or file: URL). */
  url: string;
  /** The serialisation, when the Content-Type says wrong. Default 'auto' (Content-Type, extension, first characters). */
  format?: 'auto' | RdfSyntax;
  /** Most pages read; past it a warn notice (truncated) says the harvest is incomplete. Default 10,000. */
  maxPages?: number;
  /** Stop after this many records (incomplete: nothing is then removed). Default: every record. */
  maxRecords?: number;
  /** JSON-LD: remote @context URL -> local file holding it (contexts are never fetched). Default: none. */
  contexts?: Record<string, string>;
  /** HTTP options (timeoutMs, retries, maxBytes: also the cap of a local file, headers): see HTTP_OPTIONS. */
  http?: HttpOptions;
  /**
   * An incremental run: the last run's validators (set by the pipeline, harvesters/conditional.ts). A catalogue in one
   * document is asked for conditionally; unchanged, nothing is read and the run ends `notModified`. A paged catalogue
   * keeps no validators (a page unchanged says nothing of the next ones): it is read in whole.
   */
  conditional?: ConditionalOption;
  /** Cancels the harvest and its requests under way (set by the pipeline). */
  signal?: AbortSignal;
}

export const DCAT_DEFAULTS = { format: 'auto', maxPages: 10_000 } as const;

const FORMATS = ['auto', 'rdfxml', 'turtle', 'ntriples', 'nquads', 'trig', 'jsonld'] as const;

/** The DCAT harvester's options, each with its check and default (documented on DcatHarvestOptions). */
export const DCAT_OPTIONS = defineOptions('DCAT harvester', {
  source: text({ internal: true }),
  url: custom(
    'an http(s) URL, a file: URL or a local path',
    (v, path, problems) => {
      const s = typeof v === 'string' ? v.trim() : '';
      if (s !== '' && (/^https?:\/\/\S+$/i.test(s) || /^file:/i.test(s) || !/^[a-z][a-z0-9+.-]*:/i.test(s))) return s;
      problems.push({ path, message: `must be an http(s) URL, a file: URL or a local path (got ${JSON.stringify(v)})` });
      return undefined;
    },
    { internal: true },
  ),
  format: oneOf(FORMATS, { default: DCAT_DEFAULTS.format }),
  maxPages: integer({ min: 1, max: 1_000_000, default: DCAT_DEFAULTS.maxPages }),
  maxRecords: integer({ min: 1 }),
  contexts: stringMap(),
  http: HTTP_OPTIONS,
  conditional: CONDITIONAL_OPTION,
  signal: instance(AbortSignal, { internal: true }),
});

type Resolved = OptionValues<typeof DCAT_OPTIONS.shape> & { source: string; url: string };

/** Checks the options without running anything: the options (undefined when any problem), every problem, the warnings. */
export function checkOptions(raw: unknown): Checked<OptionValues<typeof DCAT_OPTIONS.shape>> {
  return DCAT_OPTIONS.check(raw);
}

/** Harvests a DCAT catalogue. Options are checked at once (a UsageError lists every problem). */
export function harvestDcat(options: DcatHarvestOptions): Harvester {
  const raw = (options ?? {}) as unknown as Record<string, unknown>;
  const { options: o, warnings } = DCAT_OPTIONS.parse(
    raw,
    `DCAT harvester${typeof raw.source === 'string' ? ` for source "${raw.source}"` : ''}`,
  );
  return withNotices(deprecationNotices('DCAT harvester', warnings), run(o as Resolved));
}

const notice = (level: Notice['level'], message: string, data?: Record<string, unknown>): HarvestItem => ({
  kind: 'notice',
  notice: { level, message, ...(data ? { data } : {}) },
});

/** A page as read: its text, where it came from (after redirects), its Content-Type. */
interface Page {
  text: string;
  url: string;
  contentType: string;
  /** What the page answered, for the next run's conditional request; unchanged: `text` is empty. */
  answer?: Answer;
}

const isLocal = (url: string) => !/^https?:\/\//i.test(url);

async function readLocal(url: string, maxBytes: number, previous: Validator | undefined): Promise<Page> {
  const path = /^file:/i.test(url) ? fileURLToPath(url) : url;
  let st: Stats;
  try {
    st = await stat(path);
  } catch (err) {
    throw new SourceError(
      'fetch',
      `${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`,
      {
        url,
      },
    );
  }
  if (st.size > maxBytes)
    throw new SourceError('fetch', `${path}: ${st.size} bytes, above the cap of ${maxBytes} bytes (http.maxBytes)`, { url });
  const href = pathToFileURL(path).href;
  const same = fileUnchanged(st, previous);
  if (same) return { text: '', url: href, contentType: '', answer: same };
  const text = await readFile(path, 'utf8');
  const answer = fileAnswer(url, st, text, previous);
  return { text: answer.unchanged ? '' : text, url: href, contentType: '', answer };
}

/** The last run's validator of the catalogue, when it was one document (a paged one keeps none). */
function previousDocument(o: Resolved): Validator | undefined {
  const v = o.conditional?.validators;
  return v?.length === 1 && v[0].url === o.url ? v[0] : undefined;
}

async function* run(o: Resolved): Harvester {
  const local = isLocal(o.url);
  const seen = new Set<string>();
  let url = local ? o.url : new URL(o.url).href;
  let pages = 0;
  let records = 0;
  let announced = false;
  const previous = previousDocument(o);
  let first: Answer | undefined;
  for (;;) {
    seen.add(url);
    pages++;
    const before = pages === 1 ? previous : undefined;
    const conditional = conditionalHeaders(before);
    const page = local
      ? await readLocal(url, o.http.maxBytes ?? FETCH_DEFAULTS.maxBytes, before)
      : await fetchText(url, {
          ...o.http,
          ...(o.signal ? { signal: o.signal } : {}),
          ...(conditional ? { conditional } : {}),
          headers: { accept: RDF_ACCEPT, ...(o.http.headers ?? {}) },
        }).then(
          (res): Page => ({ ...res, answer: httpAnswer(o.url, res, before) }),
          (err: unknown) => {
            throw err instanceof SourceError ? new SourceError(err.stage, `DCAT page ${pages}: ${err.message}`, { url, cause: err }) : err;
          },
        );
    if (pages === 1) first = page.answer;
    if (first?.unchanged && pages === 1) {
      const message = notModifiedMessage(o.url, first.unchanged);
      yield notice('info', message, { notModified: true });
      return notModifiedEnd(message, [first.validator]);
    }
    const syntax = o.format === 'auto' ? rdfSyntax(page.contentType, page.url, page.text) : o.format;
    if (!syntax) {
      throw new SourceError(
        'parse',
        `DCAT page ${pages} ${page.url}: not RDF (Content-Type ${page.contentType || 'none'}, starting "${page.text.trimStart().slice(0, 60)}"); give the serialisation with the "format" option if it is one`,
        { url: page.url },
      );
    }
    let graph: RdfGraph;
    try {
      graph = new RdfGraph(await parseRdf(page.text, syntax, { baseIri: page.url, contexts: o.contexts ?? {} }));
    } catch (err) {
      if (!(err instanceof HarvestError)) throw err;
      throw new SourceError('parse', `DCAT page ${pages} ${page.url} (${syntax}): ${err.message}`, { url: page.url, cause: err });
    }
    const paging = hydraPage(graph, page.url);
    if (!announced) {
      announced = true;
      yield notice(
        'info',
        `DCAT catalogue ${o.url}: ${syntax}${paging.vocabulary ? `, paged (hydra:${paging.vocabulary})` : ', one document'}${paging.totalItems !== undefined ? `, ${paging.totalItems} item(s)` : ''}`,
        {
          format: syntax,
          ...(paging.vocabulary ? { paging: paging.vocabulary } : {}),
          ...(paging.totalItems !== undefined
            ? { matched: o.maxRecords !== undefined ? Math.min(o.maxRecords, paging.totalItems) : paging.totalItems }
            : {}),
        },
      );
    }
    const subjects = recordSubjects(graph);
    let onPage = 0;
    for (const [k, subject] of subjects.entries()) {
      if (o.maxRecords !== undefined && records >= o.maxRecords) break;
      const node = describeRecord(graph, subject);
      const id = recordIdentifier(node);
      const location = `${page.url} page ${pages} record ${k + 1}`;
      records++;
      onPage++;
      if (id === undefined) {
        const failure: Failure = {
          ok: false,
          source: o.source,
          stage: 'parse',
          error: `a ${(node['@type'] ?? []).map((t) => t.replace(/^.*[#/]/, 'dcat:')).join(', ') || 'record'} without dct:identifier nor IRI (a blank node): nothing stable to call it by`,
          location,
          raw: node,
        };
        yield { kind: 'failure', failure };
        continue;
      }
      const iri = node['@id'];
      yield {
        kind: 'record',
        raw: {
          source: o.source,
          format: 'dcat',
          id,
          body: node,
          location,
          ...(iri && /^https?:\/\/[^\s]+$/i.test(iri) ? { url: iri } : {}),
        },
      };
    }
    if (local) {
      if (paging.next) yield notice('info', `${page.url}: a local file is read as one page; its next page ${paging.next} is not followed`);
      yield summary(o, pages, records, { stop: 'last-page', complete: true });
      return wholeEnd(o, { complete: true }, first, pages, previous);
    }
    const decision = nextPage(paging, {
      url,
      seen,
      pages,
      records,
      onPage,
      maxPages: o.maxPages,
      ...(o.maxRecords !== undefined ? { maxRecords: o.maxRecords } : {}),
    });
    if ('next' in decision) {
      url = decision.next;
      continue;
    }
    if (decision.notice) yield { kind: 'notice', notice: decision.notice };
    if (paging.totalItems !== undefined && decision.complete && records !== paging.totalItems) {
      yield notice('warn', `the catalogue says it holds ${paging.totalItems} item(s); ${records} record(s) were read`, {
        totalItems: paging.totalItems,
        records,
      });
    }
    yield summary(o, pages, records, decision);
    return wholeEnd(o, pagingEnd(decision), first, pages, previous);
  }
}

/** The end of a catalogue read: with its validator for the next run when it is one document. */
function wholeEnd(o: Resolved, end: RunEnd, first: Answer | undefined, pages: number, previous: Validator | undefined): RunEnd {
  if (pages !== 1 || !first) return end;
  return {
    ...end,
    validators: [first.validator],
    ...(end.complete && previous ? { whole: `${o.url} changed since the last run: read in whole` } : {}),
  };
}

function summary(o: Resolved, pages: number, records: number, d: { stop: string; complete: boolean }): HarvestItem {
  return notice('info', `DCAT ${o.url}: ${records} record(s) in ${pages} page(s); stopped: ${d.stop}`, {
    pages,
    records,
    stop: d.stop,
    ...(d.complete ? {} : { truncated: true }),
  });
}
