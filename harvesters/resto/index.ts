/**
 * The resto / OpenSearch-EO harvester: the imagery catalogues of the land-surface community (CNES PEPS, Theia's
 * product distribution) run on resto. Collections are records; products (the images) are records too when asked
 * (`products: "index"`). It knows nothing of mapping or Elasticsearch.
 *
 * Two generations of resto are read (`api`, detected from the URL's answer when "auto"):
 * - resto 2 (PEPS, Theia): collections listed at `{url}/collections.json` (name, osDescription, license, statistics);
 *   products searched at `{url}/api/collections/{name}/search.json` (or `.atom` with `format: "atom"`), GeoJSON
 *   features with resto's properties (productIdentifier, startDate, platform, services.download...);
 * - resto 6 and later: a STAC API-like landing page, `/collections` (a `collections` array, or `child` links to each
 *   collection), `/collections/{id}/items`: STAC collections and items, read by the STAC crosswalk.
 * Pages are asked by `startIndex` or `page` with `maxRecords` (resto 2) or `limit` (resto 6+): resto caps a page at 500,
 * so `pageSize` defaults to 500; a next link, when the page gives one, is followed. Every stop condition is in paging.ts.
 *
 * Failures: the collection list, or a products page that cannot be read or parsed, ends the harvest (SourceError:
 * nothing is removed). A collection or product without an identifier is a failure item. A stop that leaves pages unread
 * says so in a notice with `truncated`.
 */
import { arr, isObject, obj, str, type JsonObject } from '../../core/json.js';
import {
  custom,
  defineOptions,
  instance,
  integer,
  oneOf,
  stringList,
  stringMap,
  text,
  type Checked,
  type OptionValues,
} from '../../core/options.js';
import { restoCollectionId, restoEntryId, restoProductId } from '../../core/resto.js';
import { itemIdentifier } from '../../core/stac.js';
import { SourceError, type Failure } from '../../core/result.js';
import { all, attr, parseXml, text as xmlText, type XElement, type XNode } from '../../core/xml.js';
import { deprecationNotices, fetchText, HTTP_OPTIONS, withNotices, type HttpOptions } from '../http.js';
import {
  COMPLETE,
  incomplete,
  pagingEnd,
  type Harvester,
  type HarvestItem,
  type Notice,
  type RunEnd,
  type SourceFormat,
} from '../types.js';
import { jsonPageInfo, nextPage, resolve, withParams, type PageInfo, type PageRequest, type PagingMode } from './paging.js';
import { SINCE_OPTION, sinceTimestamp } from '../since.js';

export { jsonPageInfo, nextPage, type PageInfo, type PageDecision, type PagingState } from './paging.js';

export interface RestoHarvestOptions {
  /** Source id (configured name). */
  source: string;
  /** resto's root: resto 2's base (https://peps.cnes.fr/resto), or the landing page of resto 6+. */
  url: string;
  /** Which resto: detected from the URL's answer ('auto'), or resto 2, or resto 6+ ('stac'). Default 'auto'. */
  api?: 'auto' | 'resto2' | 'stac';
  /** Products as records ('index'), or collections only ('none'). Default 'none'. */
  products?: 'none' | 'index';
  /** Only these collections. Default: every collection. */
  collections?: string[];
  /** Products per page (resto caps it at 500). Default 500. */
  pageSize?: number;
  /** How pages are asked for when the answer gives no next link. Default 'startIndex'. */
  paging?: PagingMode;
  /** Answers read: 'json' (GeoJSON, STAC) or 'atom' (OpenSearch Atom, resto 2 only). Default 'json'. */
  format?: 'json' | 'atom';
  /** Extra OpenSearch parameters of the product searches (e.g. productType, startDate). Default: none. */
  query?: Record<string, string>;
  /** Most products read over the whole harvest; past it a warn notice (truncated). Default: no bound. */
  maxProducts?: number;
  /** Most pages read per listing. Default 100,000. */
  maxPages?: number;
  /**
   * Only the products changed since this date-time (ISO 8601; an incremental run sets it), by resto's OpenSearch date
   * parameter (see the module comment): resto 2 `updated` (its `dc:date`: last update in the database, >=); resto 6 to
   * 9.6 `published` (creation in the database, >=); resto 9.7 and later `created` as an open range `since/..`. Products
   * mode 'index' only; collections are always all read. Default: none.
   */
  updatedSince?: string;
  /** HTTP options: see HTTP_OPTIONS in harvesters/http.ts. */
  http?: HttpOptions;
  /** Cancels the harvest and its requests under way (set by the pipeline). */
  signal?: AbortSignal;
}

export const RESTO_DEFAULTS = {
  api: 'auto',
  products: 'none',
  pageSize: 500,
  paging: 'startIndex',
  format: 'json',
  maxPages: 100_000,
} as const;

/** The resto harvester's options, each with its check and default (documented on RestoHarvestOptions). */
export const RESTO_OPTIONS = defineOptions(
  'resto harvester',
  {
    source: text({ internal: true }),
    url: custom(
      'an http(s) URL',
      (v, path, problems) => {
        if (typeof v === 'string' && /^https?:\/\/\S+$/i.test(v.trim())) return v.trim().replace(/\/+$/, '');
        problems.push({ path, message: `must be an http(s) URL of resto's root (got ${JSON.stringify(v)})` });
        return undefined;
      },
      { internal: true },
    ),
    api: oneOf(['auto', 'resto2', 'stac'], { default: RESTO_DEFAULTS.api }),
    products: oneOf(['none', 'index'], { default: RESTO_DEFAULTS.products }),
    collections: stringList(),
    pageSize: integer({ min: 1, max: 10_000, default: RESTO_DEFAULTS.pageSize }),
    paging: oneOf(['startIndex', 'page'], { default: RESTO_DEFAULTS.paging }),
    format: oneOf(['json', 'atom'], { default: RESTO_DEFAULTS.format }),
    query: stringMap(),
    maxProducts: integer({ min: 1 }),
    maxPages: integer({ min: 1, max: 10_000_000, default: RESTO_DEFAULTS.maxPages }),
    updatedSince: SINCE_OPTION,
    http: HTTP_OPTIONS,
    signal: instance(AbortSignal, { internal: true }),
  },
  {
    refine: (o, problems) => {
      if (o.format === 'atom' && o.api === 'stac')
        problems.push({ path: 'format', message: '"atom" is read from resto 2 only (api "resto2" or "auto")' });
    },
  },
);

type Resolved = OptionValues<typeof RESTO_OPTIONS.shape> & { source: string; url: string };

/** Checks the options without running anything: the options (undefined when any problem), every problem, the warnings. */
export function checkOptions(raw: unknown): Checked<OptionValues<typeof RESTO_OPTIONS.shape>> {
  return RESTO_OPTIONS.check(raw);
}

/** Harvests a resto catalogue. Options are checked at once (a UsageError lists every problem). */
export function harvestResto(options: RestoHarvestOptions): Harvester {
  const raw = (options ?? {}) as unknown as Record<string, unknown>;
  const { options: o, warnings } = RESTO_OPTIONS.parse(
    raw,
    `resto harvester${typeof raw.source === 'string' ? ` for source "${raw.source}"` : ''}`,
  );
  return withNotices(deprecationNotices('resto harvester', warnings), new RestoHarvest(o as Resolved).run());
}

const notice = (level: Notice['level'], message: string, data?: Record<string, unknown>): HarvestItem => ({
  kind: 'notice',
  notice: { level, message, ...(data ? { data } : {}) },
});

/** A listing's entries and its paging. */
interface Page {
  entries: unknown[];
  info: PageInfo;
  /** Atom entries are XML elements. */
  atom?: boolean;
}

class RestoHarvest {
  private api: 'resto2' | 'stac' = 'resto2';
  /** Products read over the harvest. */
  private total = 0;
  private truncated = false;
  /** How the run ends: the first reason it became incomplete. */
  private end: RunEnd = COMPLETE;
  /** resto 6+: the version its landing page says (`resto:version`), which names the date parameter. */
  private version?: string;
  /** updatedSince: the products' date parameter and its value (undefined: not asked, or products not read). */
  private since?: { name: string; value: string };

  constructor(private readonly o: Resolved) {}

  private async fetch(url: string, accept: string): Promise<{ text: string; url: string; contentType: string }> {
    return fetchText(url, {
      ...this.o.http,
      ...(this.o.signal ? { signal: this.o.signal } : {}),
      headers: { accept, ...(this.o.http.headers ?? {}) },
    });
  }

  private async json(url: string, what: string): Promise<JsonObject> {
    const res = await this.fetch(url, 'application/json, application/geo+json;q=0.9, */*;q=0.1');
    let json: unknown;
    try {
      json = JSON.parse(res.text);
    } catch {
      throw new SourceError('parse', `${what} ${url}: not JSON (Content-Type ${res.contentType || 'none'})`, { url });
    }
    if (!isObject(json)) throw new SourceError('parse', `${what} ${url}: expected a JSON object`, { url });
    return json;
  }

  async *run(): Harvester {
    const o = this.o;
    let listUrl: string;
    // which resto: the root's answer says (a STAC-like landing page has links; resto 2's root is a web page)
    if (o.api === 'stac' || o.api === 'auto') {
      let root: JsonObject | undefined;
      try {
        root = await this.json(o.url, 'resto root');
      } catch (err) {
        if (o.api === 'stac') throw err;
      }
      if (root && Array.isArray(root.links) && !Array.isArray(root.collections)) {
        this.api = 'stac';
        this.version = str(root['resto:version']);
        const data = arr(root.links)
          .map(obj)
          .find((l) => l?.rel === 'data');
        listUrl = resolve(str(data?.href), o.url) ?? `${o.url}/collections`;
      } else if (root && Array.isArray(root.collections)) {
        this.api = 'resto2';
        listUrl = o.url;
      } else listUrl = `${o.url}/collections.json`;
    } else listUrl = `${o.url}/collections.json`;
    const list = await this.json(listUrl, 'resto collections');
    yield notice(
      'info',
      `resto ${this.api === 'stac' ? '6+ (STAC-like)' : '2'} at ${o.url}: collections from ${listUrl}${o.products === 'index' ? ', products too' : ''}`,
      { api: this.api, collections: listUrl },
    );
    if (o.updatedSince !== undefined) yield this.planSince();
    const collections = await this.collectionsOf(list, listUrl);
    for (const [i, c] of collections.entries()) {
      const id = restoCollectionId(c);
      if (o.collections && (!id || !o.collections.includes(id))) continue;
      if (!id) {
        yield this.failure('parse', `${listUrl} collections[${i}]`, 'a collection without an id nor a name', undefined, c);
        continue;
      }
      const format: SourceFormat = this.api === 'stac' ? 'stac-collection' : 'resto-collection';
      const location = `${listUrl} collection ${id}`;
      yield { kind: 'record', raw: { source: o.source, format, id, body: c, location, url: this.collectionUrl(c, id, listUrl) } };
      if (o.products === 'index') yield* this.products(c, id, listUrl);
    }
    if (o.collections) {
      const found = new Set(collections.map(restoCollectionId));
      const missing = o.collections.filter((c) => !found.has(c));
      if (missing.length) {
        this.truncated = true;
        if (this.end.complete) this.end = incomplete('unreadable', `collection(s) ${missing.join(', ')} not in ${listUrl}`);
        yield notice('warn', `collection(s) ${missing.join(', ')} not in ${listUrl}`, { truncated: true, missing });
      }
    }
    yield notice('info', `resto ${o.url}: ${collections.length} collection(s), ${this.total} product(s)`, {
      collections: collections.length,
      products: this.total,
      ...(this.truncated ? { truncated: true } : {}),
    });
    if (!this.end.complete || o.updatedSince === undefined) return this.end;
    if (this.since) return incomplete('incremental', `incremental harvest (products with ${this.since.name}=${this.since.value})`);
    return { complete: true, whole: 'collections only (products "none"): every collection is read' };
  }

  /** updatedSince: resto's date parameter of the products (by its generation and version), said in a notice. */
  private planSince(): HarvestItem {
    const since = sinceTimestamp(this.o.updatedSince!);
    if (this.o.products !== 'index') return notice('info', `updatedSince ${this.o.updatedSince}: collections only, every one is read`);
    if (this.api === 'resto2') this.since = { name: 'updated', value: since };
    else if (this.version !== undefined && versionAtLeast(this.version, [9, 7])) this.since = { name: 'created', value: `${since}/..` };
    else this.since = { name: 'published', value: since };
    const created =
      this.api === 'stac' ? ' (resto 6+ filters by creation in its database: a product edited in place waits for the next full run)' : '';
    return notice('info', `only the products with ${this.since.name}=${this.since.value} are asked for${created}`, {
      updatedSince: since,
      parameter: this.since.name,
      ...(this.version ? { restoVersion: this.version } : {}),
    });
  }

  /** The collections of a list: its `collections` array, else (resto 9) the collections its child links point to. */
  private async collectionsOf(list: JsonObject, listUrl: string): Promise<JsonObject[]> {
    if (Array.isArray(list.collections)) return list.collections.filter(isObject);
    const children = arr(list.links)
      .map(obj)
      .filter((l) => l?.rel === 'child' && (!Array.isArray(l.roles) || l.roles.includes('collection')));
    if (children.length === 0)
      throw new SourceError('parse', `${listUrl}: neither a "collections" array nor child links`, { url: listUrl });
    const out: JsonObject[] = [];
    for (const l of children) {
      const href = resolve(str(l?.href), listUrl);
      if (!href) continue;
      out.push(await this.json(href, 'resto collection'));
    }
    return out;
  }

  private collectionUrl(c: JsonObject, id: string, listUrl: string): string {
    const self = arr(c.links)
      .map(obj)
      .find((l) => l?.rel === 'self');
    const href = resolve(str(self?.href), listUrl);
    if (this.api === 'stac') return href && /^https?:/.test(href) ? href : `${listUrl.replace(/\/$/, '')}/${encodeURIComponent(id)}`;
    return `${this.o.url}/collections/${encodeURIComponent(id)}.json`;
  }

  /** The first products request of a collection. */
  private firstRequest(c: JsonObject, id: string, listUrl: string): PageRequest {
    const o = this.o;
    let base: string;
    if (this.api === 'stac') {
      const items = arr(c.links)
        .map(obj)
        .find((l) => l?.rel === 'items');
      base = resolve(str(items?.href), listUrl) ?? `${listUrl.replace(/\/$/, '')}/${encodeURIComponent(id)}/items`;
    } else base = `${o.url}/api/collections/${encodeURIComponent(id)}/search.${o.format}`;
    const params: Record<string, string> = {
      ...(o.query ?? {}),
      ...(this.since ? { [this.since.name]: this.since.value } : {}),
      [this.limitParam()]: String(o.pageSize),
    };
    if (o.paging === 'page') params.page = '1';
    else params.startIndex = '1';
    return { url: withParams(base, params), startIndex: 1, page: 1, limit: o.pageSize };
  }

  private limitParam(): string {
    return this.api === 'stac' ? 'limit' : 'maxRecords';
  }

  private async page(url: string, pageNo: number, id: string): Promise<Page> {
    const what = `products of collection ${id}, page ${pageNo}`;
    if (this.o.format === 'atom' && this.api === 'resto2') {
      const res = await this.fetch(url, 'application/atom+xml, application/xml;q=0.9');
      let feed: XElement;
      try {
        feed = parseXml(res.text).root;
      } catch (err) {
        throw new SourceError('parse', `${what} ${url}: not an Atom feed (${(err as Error).message})`, { url, cause: err });
      }
      const entries = all(feed, 'entry');
      const next = all(feed, 'link').find((l) => attr(l, 'rel') === 'next');
      const matched = Number(xmlText(all(feed, 'totalResults')[0]));
      return {
        entries,
        atom: true,
        info: {
          returned: entries.length,
          ...(Number.isInteger(matched) && matched >= 0 ? { matched } : {}),
          ...(next && attr(next, 'href') ? { next: resolve(attr(next, 'href'), url)! } : {}),
        },
      };
    }
    const json = await this.json(url, what);
    if (!Array.isArray(json.features)) throw new SourceError('parse', `${what} ${url}: no "features" array`, { url });
    return { entries: json.features, info: jsonPageInfo(json, json.features.length, url) };
  }

  /** The products of one collection, page by page (paging.ts decides where the next page is and when to stop). */
  private async *products(c: JsonObject, id: string, listUrl: string): AsyncGenerator<HarvestItem> {
    const o = this.o;
    let req = this.firstRequest(c, id, listUrl);
    const seen = new Set([req.url]);
    let read = 0;
    let matched: number | undefined;
    for (let pageNo = 1; ; pageNo++) {
      if (o.maxProducts !== undefined && this.total >= o.maxProducts) {
        if (this.end.complete) this.end = incomplete('max-records', `maxProducts ${o.maxProducts} reached`);
        return;
      }
      let page: Page;
      try {
        page = await this.page(req.url, pageNo, id);
      } catch (err) {
        if (err instanceof SourceError) {
          const what = `products of collection ${id}, page ${pageNo}`;
          const message = err.message.startsWith(what) ? err.message : `${what}: ${err.message}`;
          throw new SourceError(err.stage, `${message}; harvest stopped after ${this.total} product(s)`, { url: req.url, cause: err });
        }
        throw err;
      }
      if (pageNo === 1 && page.info.matched !== undefined) {
        matched = page.info.matched;
        yield notice('info', `collection ${id}: ${matched} product(s) matched${page.info.exact === false ? ' (estimated)' : ''}`, {
          collection: id,
        });
      }
      for (const [k, entry] of page.entries.entries()) {
        if (o.maxProducts !== undefined && this.total >= o.maxProducts) break;
        read++;
        this.total++;
        const location = `${req.url} entry ${k + 1}`;
        if (page.atom) {
          const pid = restoEntryId(entry as XNode);
          if (!pid) yield this.failure('parse', location, `collection ${id}: an Atom entry without an id`, undefined, entry);
          else
            yield {
              kind: 'record',
              raw: {
                source: o.source,
                format: 'opensearch-entry',
                id: pid,
                body: entry as XElement,
                location,
                context: { collection: id },
              },
            };
          continue;
        }
        const f = obj(entry);
        const stac = this.api === 'stac' || typeof f?.stac_version === 'string';
        // a STAC-like product is the record of the STAC item crosswalk: `${collection}/${item}` (core/stac.ts itemIdentifier)
        const pid = f ? (stac ? itemIdentifier(f, c).id : restoProductId(f)) : undefined;
        if (!f || !pid) {
          yield this.failure('parse', location, `collection ${id}: features[${k}] is not a product with an id`, undefined, entry);
          continue;
        }
        const self = arr(f.links)
          .map(obj)
          .find((l) => l?.rel === 'self');
        const url = resolve(str(self?.href), req.url);
        yield {
          kind: 'record',
          raw: {
            source: o.source,
            format: stac ? 'stac-item' : 'resto-product',
            id: pid,
            body: f,
            location,
            ...(url && /^https?:/.test(url) ? { url } : {}),
            context: { collection: stac ? c : id },
          },
        };
      }
      const d = nextPage(page.info, {
        request: req,
        mode: o.paging,
        limitParam: this.limitParam(),
        seen,
        read,
        total: this.total,
        pages: pageNo,
        maxPages: o.maxPages,
        ...(o.maxProducts !== undefined ? { maxProducts: o.maxProducts } : {}),
      });
      if ('next' in d) {
        seen.add(d.next.url);
        req = d.next;
        continue;
      }
      if (d.notice && !(d.stop === 'max-products' && this.truncated)) yield { kind: 'notice', notice: d.notice };
      if (!d.complete) {
        this.truncated = true;
        if (this.end.complete) this.end = pagingEnd(d);
      }
      if (d.complete && matched !== undefined && read !== matched && page.info.exact !== false) {
        yield notice('warn', `collection ${id}: the server said ${matched} product(s) match, ${read} were read`, {
          collection: id,
          matched,
          read,
        });
      }
      return;
    }
  }

  private failure(stage: 'fetch' | 'parse', location: string, error: string, id?: string, raw?: unknown): HarvestItem {
    const failure: Failure = {
      ok: false,
      source: this.o.source,
      ...(id ? { id } : {}),
      stage,
      error,
      location,
      ...(raw !== undefined ? { raw } : {}),
    };
    return { kind: 'failure', failure };
  }
}

/** Whether a version "9.7.1" is at least [major, minor]. */
export function versionAtLeast(version: string, [major, minor]: [number, number]): boolean {
  const m = /^v?(\d+)(?:\.(\d+))?/.exec(version.trim());
  if (!m) return false;
  const a = Number(m[1]);
  const b = Number(m[2] ?? 0);
  return a > major || (a === major && b >= minor);
}
