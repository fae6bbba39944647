/**
 * The records local files hold (ISO and CSW XML, STAC documents, OZCAR pivot files, DCAT in RDF/XML, Turtle,
 * N-Triples or JSON-LD), as a harvester would yield them: what `harvester map`, `harvester validate` and the tests read
 * files with.
 */
import { readFile as readFileCb, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { aggregateParts, seriesPartWhere, splitRecords, type SplitRecord } from '../harvesters/csw/records.js';
import type { HarvestItem } from '../harvesters/types.js';
import { RecordError, toFailure } from '../core/result.js';
import { describeJson, jsonKind, recordFormat } from '../core/formats.js';
import { describeRecord, recordIdentifier, recordSubjects } from '../core/dcat.js';
import { parseRdf, parseRdfSync, rdfSyntax, RdfGraph, type RdfNode, type Triple } from '../core/rdf.js';
import { pathToFileURL } from 'node:url';

export interface ReadOptions {
  /**
   * An uploaded file (POST /validate): its relative links lead nowhere, and must not lead to the server's own files, so a
   * STAC catalog is not walked (its URL is to be given instead). Default false.
   */
  uploaded?: boolean;
}

/** A file's text. The callback API: about twice as fast as fs/promises' readFile on thousands of small files. */
function readText(path: string): Promise<string> {
  return new Promise((resolve, reject) => readFileCb(path, 'utf8', (err, text) => (err ? reject(err) : resolve(text))));
}

/** The records a local file holds, as a harvester would yield them. */
export async function* itemsFromFile(path: string, source: string, opts: ReadOptions = {}): AsyncGenerator<HarvestItem> {
  yield* itemsFromText(path, await readText(path), source, opts);
}

/** The records of a file already read (see prefetchFiles). */
export async function* itemsFromText(path: string, text: string, source: string, opts: ReadOptions = {}): AsyncGenerator<HarvestItem> {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('<')) {
    yield* xmlItems(text, path, source);
    return;
  }
  // what cannot be read at all is said in the words of the file, at the parse stage (not JSON.parse's words on an
  // empty .xml file, nor a binary file's bytes echoed to the terminal)
  if (trimmed === '') throw new RecordError('parse', `${path}: the file is empty`);
  if (binary(text)) throw new RecordError('parse', `${path}: a binary file, neither XML nor JSON text`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    // a DCAT catalogue in Turtle or N-Triples (by the file's extension, else its first lines)
    const syntax = rdfSyntax(undefined, path, text);
    if (syntax && syntax !== 'rdfxml' && syntax !== 'jsonld') {
      yield* rdfItems(parseRdfSync(text, syntax, baseOf(path)), path, source);
      return;
    }
    throw new RecordError('parse', `${path}: neither XML nor valid JSON (${(err as Error).message})`);
  }
  // JSON-LD (a DCAT catalogue or dataset): what none of the JSON formats read, and that says it is JSON-LD
  if (jsonKind(json) === undefined && (/\.jsonld$/i.test(path) || jsonLdShaped(json))) {
    yield* rdfItems(await parseRdf(text, 'jsonld', { baseIri: baseOf(path) }), path, source);
    return;
  }
  yield* jsonItems(json, path, source, opts);
}

/**
 * Whether a JSON document has the marks of JSON-LD: an `@context` or an `@graph`, or (expanded JSON-LD) an `@id` and
 * an `@type`, at the top or in its first item.
 */
function jsonLdShaped(json: unknown): boolean {
  const top = (Array.isArray(json) ? json[0] : json) as Record<string, unknown> | undefined;
  return typeof top === 'object' && top !== null && ('@context' in top || '@graph' in top || ('@id' in top && '@type' in top));
}

/** The base IRI of a file's relative IRIs: the file's own URL (from an absolute path, whatever path was given). */
const baseOf = (path: string) => pathToFileURL(resolve(path)).href;

/** Whether a file's text is binary content: a NUL, or bytes that are not UTF-8 in its first 4 KB (read as U+FFFD). */
function binary(text: string): boolean {
  const head = text.slice(0, 4096);
  if (head.includes('\u0000')) return true;
  let bad = 0;
  for (let i = head.indexOf('\uFFFD'); i >= 0; i = head.indexOf('\uFFFD', i + 1)) bad++;
  return bad > 8 && bad > head.length / 100;
}

function* xmlItems(text: string, path: string, source: string): Generator<HarvestItem> {
  let page: ReturnType<typeof splitRecords>;
  try {
    page = splitRecords(text);
  } catch (err) {
    yield { kind: 'failure', failure: toFailure(err, { source, stage: 'parse', location: path, raw: text }) };
    return;
  }
  let line = 1;
  let counted = 0; // line is the line of text[counted]
  // an ISO dataset series embedding its members: the series and each member a record (harvesters/csw/records.ts)
  const parts: { r: SplitRecord; where: string }[] = [];
  page.records.forEach((r, i) => {
    const where = page.records.length > 1 ? `${path} record ${i + 1}` : path;
    const split = aggregateParts(r);
    if (!split) parts.push({ r, where });
    else for (const p of split) parts.push({ r: p, where: seriesPartWhere(where, p) });
  });
  for (const { r, where } of parts) {
    for (let nl = text.indexOf('\n', counted); nl >= 0 && nl < r.offset; nl = text.indexOf('\n', nl + 1)) line++;
    counted = r.offset;
    const several = (r.format ?? recordFormat(r.xml)) === 'dcat' ? dcatRecords(r.xml, path) : undefined;
    if (several) {
      // an RDF/XML catalogue of one or several datasets: each its record, as the DCAT harvester reads it
      yield* describedItems(several, where, source, line);
      continue;
    }
    yield {
      kind: 'record',
      raw: {
        source,
        body: r.xml,
        location: where,
        ...(line > 1 ? { line } : {}),
        ...(r.id ? { id: r.id } : {}),
        ...(r.format ? { format: r.format } : {}),
        ...(r.context ? { context: r.context } : {}),
      },
    };
  }
}

/**
 * The records of an RDF/XML document (a DCAT catalogue's datasets, series and services), each described as the DCAT
 * harvester describes it, relative IRIs read against the file's URL; undefined for a document of none, or not RDF:
 * the crosswalk then says what is wrong with it.
 */
function dcatRecords(xml: string, path: string): RdfNode[] | undefined {
  let graph: RdfGraph;
  try {
    graph = new RdfGraph(parseRdfSync(xml, 'rdfxml', baseOf(path)));
  } catch {
    return undefined;
  }
  const subjects = recordSubjects(graph);
  return subjects.length > 0 ? subjects.map((s) => describeRecord(graph, s)) : undefined;
}

/** The records of a file of RDF in another serialisation than RDF/XML: its datasets, series and services. */
function* rdfItems(triples: Triple[], path: string, source: string): Generator<HarvestItem> {
  const graph = new RdfGraph(triples);
  const nodes = recordSubjects(graph).map((s) => describeRecord(graph, s));
  if (nodes.length === 0)
    throw new RecordError(
      'parse',
      `${path}: RDF (${triples.length} triples) without a dcat:Dataset, dcat:DatasetSeries or dcat:DataService`,
    );
  yield* describedItems(nodes, path, source);
}

/** Records described from an RDF graph (core/dcat.ts describeRecord), as the DCAT harvester yields them. */
function* describedItems(nodes: RdfNode[], where: string, source: string, line = 1): Generator<HarvestItem> {
  let k = 0;
  for (const node of nodes) {
    const id = recordIdentifier(node);
    const iri = node['@id'];
    yield {
      kind: 'record',
      raw: {
        source,
        body: node,
        format: 'dcat',
        location: nodes.length > 1 ? `${where} resource ${++k}` : where,
        ...(line > 1 ? { line } : {}),
        ...(id ? { id } : {}),
        ...(iri && /^https?:\/\/[^\s]+$/i.test(iri) ? { url: iri } : {}),
      },
    };
  }
}

/** The records of a JSON file, by what the one detection (core/formats.ts jsonKind) says it is. */
async function* jsonItems(json: unknown, path: string, source: string, opts: ReadOptions): AsyncGenerator<HarvestItem> {
  const record = (body: unknown, where: string): HarvestItem => {
    const b = body as Record<string, unknown>;
    const format = recordFormat(b);
    return {
      kind: 'record',
      raw: { source, body: b, location: where, ...(format ? { format } : {}), ...(typeof b?.id === 'string' ? { id: b.id } : {}) },
    };
  };
  const doc = json as Record<string, unknown>;
  switch (jsonKind(json)) {
    case 'stac-catalog':
      if (opts.uploaded) throw new Error('a STAC catalog: its children are not in the upload; give the URL of the catalog instead');
      // the harvesters (and their HTTP client) load only for the files that need them
      yield* (await import('../harvesters/stac/static.js')).harvestStaticCatalog({ source, url: resolve(path), items: 'index' });
      return;
    case 'stac-collection':
    case 'stac-item':
      yield record(doc, path);
      return;
    case 'stac-items': {
      let i = 0;
      for (const f of doc.features as unknown[]) yield record(f, `${path} features[${i++}]`);
      return;
    }
    case 'stac-collections': {
      let i = 0;
      for (const c of doc.collections as unknown[]) yield record(c, `${path} collections[${i++}]`);
      return;
    }
    case 'ozcar-pivot':
      yield* (await import('../harvesters/ozcar/index.js')).harvestOzcar({ source, url: resolve(path) });
      return;
    case 'ozcar-dataset':
      throw new Error(
        `${path}: one OZCAR dataset on its own; give the pivot file that holds it ({ "version", "producer", "datasets" }): a dataset needs its producer`,
      );
    case undefined:
      throw new Error(`${path}: ${describeJson(json)}`);
  }
}

/**
 * Inputs with their files' texts read ahead: while one file is mapped, the next `depth` are being read, so that a run
 * over thousands of small files does not wait on each read in turn (measured: 28% of a one-core `map` of 2,700 files
 * was idle in one-by-one reads). Memory: at most `depth` files' texts at a time. A read that fails rejects its `text`
 * (awaited by the caller, in order). `depth` 0: each file is read when its turn comes, synchronously: on one core
 * there is nothing to overlap a read with, and a synchronous read costs half the CPU of the thread pool's (open, stat,
 * read and close each handed to a thread and back: 2,700 files, 0.15 s against 0.08 s).
 */
export async function* prefetchFiles<I>(
  inputs: AsyncIterable<I> | Iterable<I>,
  pathOf: (input: I) => string | undefined,
  depth = 16,
): AsyncGenerator<{ input: I; text?: Promise<string> }> {
  const queue: { input: I; text?: Promise<string> }[] = [];
  const start = (input: I) => {
    const path = pathOf(input);
    if (path === undefined) return { input };
    const text = depth > 0 ? readText(path) : readNow(path);
    text.catch(() => undefined); // rejected reads are awaited (and reported) in order by the caller
    return { input, text };
  };
  for await (const input of inputs) {
    queue.push(start(input));
    if (queue.length > depth) yield queue.shift()!;
  }
  while (queue.length) yield queue.shift()!;
}

/** A file's text read synchronously, as a settled promise (a failed read rejects it). */
function readNow(path: string): Promise<string> {
  try {
    return Promise.resolve(readFileSync(path, 'utf8'));
  } catch (err) {
    return Promise.reject(err instanceof Error ? err : new Error(String(err)));
  }
}
