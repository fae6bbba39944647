/**
 * Static STAC catalogue harvester: walks a tree of catalog / collection / item JSON files from a root, over http(s) or
 * on the local disk.
 *
 * - follows `child` and `item` links, hrefs resolved against the document's own location (URL or file);
 * - a catalog that is not a collection is not a dataset: nothing is yielded for it (no record, no skip), its children
 *   are walked;
 * - a collection is a record (format 'stac-collection');
 * - items: 'index' → each item is a record ('stac-item', context {collection}: its collection's JSON), and the collection
 *   record is yielded before its items; 'enrich' (default) → items are folded into their nearest enclosing collection
 *   (count, box, interval: constant memory) and the collection record is yielded AFTER its subtree with context
 *   {enrichment: {itemCount, itemBbox, itemInterval}} (no enrichment when maxDepth or maxDocuments cut a link below
 *   it: the count would be wrong; a broken item link is a failure and the others still count). Items under no
 *   collection (directly under a catalog) are records in both modes: there is nothing to enrich;
 * - fetches go through one p-queue (`concurrency`), with an ordered read-ahead window of 2 × concurrency documents per
 *   list of links;
 * - a link that fails (404, network error after retries, wrong content type, invalid JSON, not a STAC document) or loops
 *   back to an ancestor is a `{kind: 'failure'}` item (source, location, reason) and the walk goes on; only a root that
 *   cannot be read, or is not a STAC document, ends the harvest (SourceError).
 *
 * Stop conditions:
 * - a link to a document already walked through another path (two catalogues listing the same collection) is not
 *   followed again (counted in an info notice at the end);
 * - a link loops back to one of the document's ancestors (or itself): failure, not followed;
 * - a link deeper than maxDepth (root = 0) is not followed (counted in a warn notice at the end);
 * - maxDocuments documents read (root included): no further document is fetched; a warn notice says so.
 * Either way the walk returns an incomplete RunEnd ('max-records'): the pipeline removes nothing after it.
 */
import PQueue from 'p-queue';
import { itemIdentifier, stacKind } from '../../core/stac.js';
import { arr, obj, str, type JsonObject } from '../../core/json.js';
import { SourceError, type Failure, type Stage } from '../../core/result.js';
import { deprecationNotices, HTTP_OPTIONS, withNotices, type FetchOptions, type HttpOptions } from '../http.js';
import { defineOptions, instance, integer, oneOf, type Checked as OptionsChecked, type OptionValues } from '../../core/options.js';
import { COMPLETE, incomplete, type Harvester, type HarvestItem, type Notice, type RunEnd } from '../types.js';
import { addItem, emptyAggregate, toEnrichment, type ItemAggregate } from './enrich.js';
import { displayLocation, loadJson, normaliseLocation, type Loaded } from './load.js';
import { LOCATION_OPTION, SOURCE_OPTION, type ItemsMode } from './options.js';
import { prefetch } from './prefetch.js';

export interface StaticCatalogOptions {
  /** Source id (configured name). */
  source: string;
  /** The root catalog or collection: http(s) URL, file: URL or local path. */
  url: string;
  /** Deepest link level followed, the root being 0. Default 10. */
  maxDepth?: number;
  /** Most documents read, root included; past it the walk stops with a warn notice (truncated). Default 100,000. */
  maxDocuments?: number;
  /** Documents fetched at the same time. Default 4. */
  concurrency?: number;
  /** Items as records of their own ('index') or only to enrich their collection ('enrich'). Default 'enrich'. */
  items?: ItemsMode;
  /** HTTP options (timeoutMs, retries, maxBytes, headers...): see HTTP_OPTIONS in harvesters/http.ts. */
  http?: HttpOptions;
  /** Cancels the walk (its requests under way too). */
  signal?: AbortSignal;
}

export const STATIC_DEFAULTS = { maxDepth: 10, maxDocuments: 100_000, concurrency: 4, items: 'enrich' } as const;

/** The static catalogue harvester's options, each with its check and default (documented on StaticCatalogOptions). */
export const STATIC_OPTIONS = defineOptions('STAC catalog harvester', {
  source: SOURCE_OPTION,
  url: LOCATION_OPTION,
  maxDepth: integer({ min: 0, default: STATIC_DEFAULTS.maxDepth }),
  maxDocuments: integer({ min: 1, default: STATIC_DEFAULTS.maxDocuments }),
  concurrency: integer({ min: 1, default: STATIC_DEFAULTS.concurrency }),
  items: oneOf(['enrich', 'index'], { default: STATIC_DEFAULTS.items }),
  http: HTTP_OPTIONS,
  signal: instance(AbortSignal, { internal: true }),
});

type Checked = OptionValues<typeof STATIC_OPTIONS.shape> & { source: string; url: string };

/** Checks the options without running anything: the options (undefined when any problem), every problem, the warnings. */
export function checkOptions(raw: unknown): OptionsChecked<OptionValues<typeof STATIC_OPTIONS.shape>> {
  return STATIC_OPTIONS.check(raw);
}

/** Walks a static STAC catalogue. Options are checked at once (a UsageError lists every problem). */
export function harvestStaticCatalog(options: StaticCatalogOptions): Harvester {
  const { options: o, warnings } = STATIC_OPTIONS.parse(options);
  return withNotices(deprecationNotices('STAC catalog harvester', warnings), new Walk(o as Checked).run());
}

/** The nearest collection above a document, and its aggregate in 'enrich' mode. */
interface Scope {
  json: JsonObject;
  agg?: ItemAggregate;
  /** A link below it was cut (maxDepth, maxDocuments): its aggregate would undercount, it is not passed on. */
  cut?: boolean;
}

interface Node {
  json: JsonObject;
  location: string;
  depth: number;
  /** Locations from the root down to the parent of this node. */
  ancestors: readonly string[];
  scope?: Scope;
}

class Walk {
  private readonly queue: PQueue;
  private readonly visited = new Set<string>();
  private documents = 0;
  private truncated = false;
  private deeper = 0;
  private duplicates = 0;
  private readonly counts = { collections: 0, items: 0, itemsFolded: 0, catalogs: 0, failures: 0 };
  private http: FetchOptions;

  constructor(private readonly o: Checked) {
    this.queue = new PQueue({ concurrency: o.concurrency });
    this.http = o.http;
  }

  async *run(): Harvester {
    if (this.o.signal) this.http = { ...this.o.http, signal: this.o.signal };
    let root: string;
    try {
      root = normaliseLocation(this.o.url);
    } catch (err) {
      throw new SourceError('fetch', `STAC catalog root ${this.o.url} is not a URL (${(err as Error).message})`, { url: this.o.url });
    }
    const loaded = await this.load(root);
    // stop: the root cannot be read, there is nothing to walk
    if (!loaded.ok) throw new SourceError(loaded.stage, `STAC catalog root: ${loaded.error}`, { url: displayLocation(root) });
    // stop: the root is JSON but not STAC (an API page, a GeoJSON file...): this is not a static catalogue
    if (!stacKind(loaded.json)) {
      throw new SourceError(
        'parse',
        `STAC catalog root ${displayLocation(root)}: not a STAC catalog, collection or item (type ${JSON.stringify(loaded.json.type)})`,
        { url: displayLocation(root) },
      );
    }
    this.visited.add(root);
    this.documents = 1;
    yield this.notice('info', `walking the STAC catalog ${displayLocation(root)} (items: ${this.o.items})`, { url: displayLocation(root) });
    yield* this.visit({ json: loaded.json, location: root, depth: 0, ancestors: [] });
    if (this.deeper) {
      yield this.notice('warn', `${this.deeper} links deeper than maxDepth ${this.o.maxDepth} were not followed`, {
        maxDepth: this.o.maxDepth,
        notFollowed: this.deeper,
      });
    }
    if (this.duplicates) {
      yield this.notice('info', `${this.duplicates} links to documents already walked through another link were not followed again`, {
        duplicates: this.duplicates,
      });
    }
    yield this.notice('info', `walked ${this.documents} documents`, { documents: this.documents, ...this.counts });
    return this.end();
  }

  /** Whether the walk saw the whole catalogue: not when maxDocuments or maxDepth cut links. */
  private end(): RunEnd {
    if (this.truncated) return incomplete('max-records', `stopped after maxDocuments ${this.o.maxDocuments} documents`);
    if (this.deeper) return incomplete('max-records', `${this.deeper} links deeper than maxDepth ${this.o.maxDepth} were not followed`);
    return COMPLETE;
  }

  private load(location: string): Promise<Loaded> {
    return this.queue.add(() => loadJson(location, this.http), { throwOnTimeout: true });
  }

  private async *visit(node: Node): AsyncGenerator<HarvestItem> {
    switch (stacKind(node.json)) {
      case 'stac-item':
        yield* this.item(node);
        return;
      case 'stac-collection': {
        this.counts.collections++;
        const scope: Scope = { json: node.json, ...(this.o.items === 'enrich' ? { agg: emptyAggregate() } : {}) };
        if (!scope.agg) yield this.record(node, 'stac-collection');
        yield* this.children(node, scope);
        if (scope.agg) yield this.record(node, 'stac-collection', scope.cut ? undefined : { enrichment: toEnrichment(scope.agg) });
        return;
      }
      case 'stac-catalog':
        this.counts.catalogs++;
        yield* this.children(node, node.scope);
        return;
      default:
        yield this.failure(
          'parse',
          node.location,
          `${displayLocation(node.location)}: not a STAC catalog, collection or item (type ${JSON.stringify(node.json.type)})`,
          undefined,
          node.json,
        );
    }
  }

  private async *item(node: Node): AsyncGenerator<HarvestItem> {
    if (node.scope?.agg) {
      addItem(node.scope.agg, node.json);
      this.counts.itemsFolded++;
      return;
    }
    this.counts.items++;
    yield this.record(node, 'stac-item', node.scope ? { collection: node.scope.json } : undefined);
  }

  /** Follows the child and item links of a document (see the stop conditions in the file comment). */
  private async *children(node: Node, scope: Scope | undefined): AsyncGenerator<HarvestItem> {
    const targets: string[] = [];
    const lineage = [...node.ancestors, node.location];
    for (const value of arr(node.json.links)) {
      const link = obj(value);
      const rel = str(link?.rel);
      if (rel !== 'child' && rel !== 'item') continue;
      const href = str(link!.href);
      let target: string;
      try {
        if (!href) throw new Error('no href');
        target = normaliseLocation(href, node.location);
      } catch (err) {
        yield this.failure(
          'fetch',
          node.location,
          `${displayLocation(node.location)}: link rel=${rel} href ${JSON.stringify(link!.href)} is not a URL (${(err as Error).message})`,
        );
        continue;
      }
      // stop: a link back to an ancestor (or to the document itself) would walk the same subtree forever
      if (lineage.includes(target)) {
        yield this.failure(
          'fetch',
          target,
          `${displayLocation(node.location)}: link rel=${rel} to ${displayLocation(target)} loops back to an ancestor: not followed`,
        );
        continue;
      }
      // stop: already walked through another link: its records were yielded once
      if (this.visited.has(target)) {
        this.duplicates++;
        continue;
      }
      // stop: deeper than maxDepth
      if (node.depth + 1 > this.o.maxDepth) {
        this.deeper++;
        if (scope) scope.cut = true;
        continue;
      }
      // stop: maxDocuments read; said once, the walk finishes what it already fetched
      if (this.documents >= this.o.maxDocuments) {
        if (!this.truncated) {
          this.truncated = true;
          yield this.notice('warn', `stopped after maxDocuments ${this.o.maxDocuments} documents: the harvest is incomplete`, {
            maxDocuments: this.o.maxDocuments,
          });
        }
        if (scope) scope.cut = true;
        continue;
      }
      this.visited.add(target);
      this.documents++;
      targets.push(target);
    }
    for await (const [target, loaded] of prefetch(targets, (t) => this.load(t), this.o.concurrency * 2)) {
      if (!loaded.ok) {
        yield this.failure(loaded.stage, target, loaded.error, undefined, loaded.raw);
        continue;
      }
      yield* this.visit({ json: loaded.json, location: target, depth: node.depth + 1, ancestors: lineage, scope });
    }
  }

  private record(node: Node, format: 'stac-collection' | 'stac-item', context?: Record<string, unknown>): HarvestItem {
    const id = format === 'stac-item' ? itemIdentifier(node.json, node.scope?.json).id : str(node.json.id);
    return {
      kind: 'record',
      raw: {
        source: this.o.source,
        format,
        ...(id ? { id } : {}),
        body: node.json,
        location: displayLocation(node.location),
        ...(context ? { context } : {}),
      },
    };
  }

  private failure(stage: Stage, location: string, error: string, id?: string, raw?: unknown): HarvestItem {
    this.counts.failures++;
    const failure: Failure = {
      ok: false,
      source: this.o.source,
      ...(id ? { id } : {}),
      stage,
      error,
      location: displayLocation(location),
      ...(raw !== undefined ? { raw } : {}),
    };
    return { kind: 'failure', failure };
  }

  private notice(level: Notice['level'], message: string, data?: Record<string, unknown>): HarvestItem {
    return { kind: 'notice', notice: { level, message, ...(data ? { data } : {}) } };
  }
}
