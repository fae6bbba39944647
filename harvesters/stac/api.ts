/**
 * STAC API harvester: landing page → collections → items.
 *
 * - reads the landing page and its `conformsTo` classes (else GET /conformance), said in an info notice;
 * - pages through the collections (the landing page's `data` link, else {url}/collections), following `next` links,
 *   or reads only the listed `collections` (GET /collections/{id} each);
 * - items (when wanted) through the collection's `items` link (else /collections/{id}/items), or through `/search`
 *   (itemsVia: 'search', POST when the landing page offers it), `limit` per page, following `next` links as they say
 *   (GET or POST, body, merge, headers: see paging.ts, whose `nextLink` holds every stop condition);
 * - items: 'index' → collection record, then one record per item (context {collection}); 'enrich' (default) → the
 *   items are folded into the collection (count, box, interval), whose record comes after them with context
 *   {enrichment} (only when its items were read to the end: a partial count would be wrong); 'none' → collections only.
 *
 * - updatedSince (an incremental run): only the items updated since, by a CQL2 filter on `updated` where the API
 *   declares the Filter extension (filter.ts), at the collections' items endpoint or the item search; a collection
 *   whose first item carries no `updated` is read in whole. Otherwise (no Filter extension, items 'enrich' or 'none')
 *   every item is read and the run ends complete with `whole` saying why (the pipeline records it as a full run).
 *
 * Failures: the landing page or a collections page that cannot be read ends the harvest (SourceError: nothing already
 * indexed is removed). An items page that cannot be read (after the retries of harvesters/http.ts): in 'index' mode the
 * harvest ends too (the records behind it would otherwise be taken for deleted); in 'enrich' mode it is a failure item
 * and the collection is yielded without enrichment. A listed collection that cannot be read, or an entry that is not
 * an object with an id, is a failure item.
 */
import { itemIdentifier } from '../../core/stac.js';
import { arr, isObject, num, obj, str, strings, type JsonObject } from '../../core/json.js';
import { SourceError, type Failure, type Stage } from '../../core/result.js';
import { deprecationNotices, fetchJson, HTTP_OPTIONS, withNotices, type HttpOptions } from '../http.js';
import {
  defineOptions,
  instance,
  integer,
  oneOf,
  stringList,
  type Checked as OptionsChecked,
  type OptionValues,
} from '../../core/options.js';
import { COMPLETE, incomplete, type Harvester, type HarvestItem, type Notice, type RunEnd } from '../types.js';
import { addItem, emptyAggregate, toEnrichment, type ItemAggregate } from './enrich.js';
import { HTTP_URL_OPTION, SOURCE_OPTION } from './options.js';
import { nextLink, requestKey, type PageRequest } from './paging.js';
import { SINCE_OPTION, sinceTimestamp } from '../since.js';
import { FILTER_CLASSES, updatedFilter, type ItemFilter } from './filter.js';

export interface StacApiOptions {
  /** Source id (configured name). */
  source: string;
  /** The API landing page (http(s)). */
  url: string;
  /** Page size asked for (servers may cap it). Default 100. */
  limit?: number;
  /** Items as records ('index'), folded into their collection ('enrich'), or not read ('none'). Default 'enrich'. */
  items?: 'enrich' | 'index' | 'none';
  /** Only these collection ids. Default: every collection. */
  collections?: string[];
  /** Most items read over the whole harvest; past it a warn notice says the harvest is incomplete. Default: no bound. */
  maxItems?: number;
  /** Where items are read: the collection's items endpoint, or the item search. Default 'collection'. */
  itemsVia?: 'collection' | 'search';
  /**
   * Only the items updated at or after this date-time (ISO 8601; an incremental run sets it): a CQL2 filter on the
   * items' `updated` where the API declares the Filter extension (see the module comment); otherwise every item is
   * read and the run says why. Items mode 'index' only (enrich folds every item into its collection). Default: none.
   */
  updatedSince?: string;
  /** HTTP options (timeoutMs, retries, maxBytes, headers...): see HTTP_OPTIONS in harvesters/http.ts. */
  http?: HttpOptions;
  /** Cancels the harvest (its requests under way too). */
  signal?: AbortSignal;
}

export const API_DEFAULTS = { limit: 100, items: 'enrich', itemsVia: 'collection' } as const;

/** The STAC API harvester's options, each with its check and default (documented on StacApiOptions). */
export const API_OPTIONS = defineOptions('STAC API harvester', {
  source: SOURCE_OPTION,
  url: HTTP_URL_OPTION,
  limit: integer({ min: 1, max: 10_000, default: API_DEFAULTS.limit }),
  items: oneOf(['enrich', 'index', 'none'], { default: API_DEFAULTS.items }),
  collections: stringList(),
  maxItems: integer({ min: 1 }),
  itemsVia: oneOf(['collection', 'search'], { default: API_DEFAULTS.itemsVia }),
  updatedSince: SINCE_OPTION,
  http: HTTP_OPTIONS,
  signal: instance(AbortSignal, { internal: true }),
});

type Checked = OptionValues<typeof API_OPTIONS.shape> & { source: string; url: string };

/** Checks the options without running anything: the options (undefined when any problem), every problem, the warnings. */
export function checkOptions(raw: unknown): OptionsChecked<OptionValues<typeof API_OPTIONS.shape>> {
  return API_OPTIONS.check(raw);
}

/** Harvests a STAC API. Options are checked at once (a UsageError lists every problem). */
export function harvestStacApi(options: StacApiOptions): Harvester {
  const { options: o, warnings } = API_OPTIONS.parse(options);
  return withNotices(deprecationNotices('STAC API harvester', warnings), new ApiHarvest(o as Checked).run());
}

/** The URL with `limit` (and other parameters) set in its query. */
export function withQuery(url: string, params: Record<string, string>): string {
  const u = new URL(url);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return u.href;
}

/** The href of the first link with this rel (and method, when given), resolved against `base`. */
function linkHref(doc: JsonObject, rel: string, base: string, method?: string): string | undefined {
  for (const l of arr(doc.links)) {
    const link = obj(l);
    if (link?.rel !== rel || !str(link.href)) continue;
    if (method && (str(link.method) ?? 'GET').toUpperCase() !== method) continue;
    try {
      return new URL(str(link.href)!, base).href;
    } catch {
      continue;
    }
  }
  return undefined;
}

class ApiHarvest {
  private collectionsUrl = '';
  private search?: { url: string; method: 'GET' | 'POST' };
  /** Items read so far (for maxItems). */
  private itemsRead = 0;
  private truncated = false;
  /** Why the harvest did not see every record, when it did not (the first reason). */
  private end: RunEnd = COMPLETE;
  /** updatedSince: how items are filtered (undefined: not asked, or the API cannot). */
  private filter?: ItemFilter;
  /** updatedSince: why every item was read anyway (the first reason). */
  private whole?: string;
  /** updatedSince: collections whose items were filtered. */
  private filtered = 0;

  constructor(private readonly o: Checked) {}

  private async get(req: PageRequest): Promise<JsonObject> {
    const json = await fetchJson<unknown>(req.url, {
      ...this.o.http,
      ...(this.o.signal ? { signal: this.o.signal } : {}),
      method: req.method,
      ...(req.body ? { body: JSON.stringify(req.body) } : {}),
      headers: { ...(this.o.http.headers ?? {}), ...(req.body ? { 'content-type': 'application/json' } : {}), ...(req.headers ?? {}) },
    });
    if (!isObject(json)) throw new SourceError('parse', `${req.method} ${req.url}: expected a JSON object`, { url: req.url });
    return json;
  }

  async *run(): Harvester {
    const landing = await this.get({ url: this.o.url, method: 'GET' });
    // stop: not a STAC API (no links to follow)
    if (!Array.isArray(landing.links))
      throw new SourceError('parse', `${this.o.url}: not a STAC API landing page (no links)`, { url: this.o.url });
    let conformsTo = strings(landing.conformsTo);
    const conformance = linkHref(landing, 'conformance', this.o.url);
    if (!conformsTo.length && conformance) conformsTo = strings((await this.get({ url: conformance, method: 'GET' })).conformsTo);
    yield notice('info', `STAC API ${str(landing.title) ?? str(landing.id) ?? this.o.url}: ${conformsTo.length} conformance classes`, {
      url: this.o.url,
      conformsTo,
    });
    if (
      !conformsTo.some((c) => /api\.stacspec\.org\/v[^/]+\/(core|collections|ogcapi-features)|ogcapi-features-1\/[^/]+\/conf\/core/.test(c))
    ) {
      yield notice(
        'warn',
        `${this.o.url} declares neither STAC API core nor collections nor OGC API Features: trying /collections anyway`,
        { conformsTo },
      );
    }
    this.collectionsUrl =
      linkHref(landing, 'data', this.o.url) ?? new URL('collections', this.o.url.endsWith('/') ? this.o.url : this.o.url + '/').href;
    const post = linkHref(landing, 'search', this.o.url, 'POST');
    const get = linkHref(landing, 'search', this.o.url, 'GET') ?? linkHref(landing, 'search', this.o.url);
    if (this.o.items !== 'none' && this.o.itemsVia === 'search') {
      if (!post && !get)
        throw new SourceError('fetch', `${this.o.url}: itemsVia "search" but the landing page has no search link`, { url: this.o.url });
      this.search = post ? { url: post, method: 'POST' } : { url: get!, method: 'GET' };
    }
    if (this.o.updatedSince !== undefined) yield* this.planFilter(conformsTo, { post, get });

    if (this.o.collections) {
      for (const id of this.o.collections) {
        const url = `${this.collectionsUrl.replace(/\/$/, '')}/${encodeURIComponent(id)}`;
        let c: JsonObject;
        try {
          c = await this.get({ url, method: 'GET' });
        } catch (err) {
          yield this.failure('fetch', url, (err as Error).message, id);
          continue;
        }
        yield* this.collection(c, url);
      }
      return this.runEnd();
    }
    let req: PageRequest = { url: withQuery(this.collectionsUrl, { limit: String(this.o.limit) }), method: 'GET' };
    const seen = new Set([requestKey(req)]);
    for (;;) {
      const page = await this.get(req);
      const list = page.collections;
      if (!Array.isArray(list)) throw new SourceError('parse', `${req.url}: no "collections" array`, { url: req.url });
      for (const [i, c] of list.entries()) yield* this.collection(c, `${req.url} collections[${i}]`);
      const d = nextLink(page, req, { seen, yielded: 0 }, 'collections');
      if ('stop' in d) {
        if (d.notice) yield { kind: 'notice', notice: d.notice };
        // a next link that cannot be followed or loops: collections may be missing
        if (d.stop === 'bad-next-link' || d.stop === 'loop') this.incomplete('paging', `collections: ${d.notice?.message ?? d.stop}`);
        break;
      }
      seen.add(requestKey(d.next));
      req = d.next;
    }
    return this.runEnd();
  }

  /**
   * updatedSince: how the items will be asked for. With the Filter extension (the conformance classes of
   * harvesters/stac/filter.ts) and items mode 'index': a CQL2 filter on `updated` (text or JSON, GET or POST), at the
   * item search or the collections' items endpoint; otherwise every item is read, said in a notice and in the run.
   */
  private *planFilter(conformsTo: string[], search: { post?: string; get?: string }): Generator<HarvestItem> {
    const since = sinceTimestamp(this.o.updatedSince!);
    if (this.o.items !== 'index') {
      this.whole =
        this.o.items === 'enrich'
          ? 'items are folded into their collection (items "enrich"): every item is read'
          : 'collections only (items "none"): every collection is read';
    } else {
      const has = (re: RegExp) => conformsTo.some((c) => re.test(c));
      const lang = has(FILTER_CLASSES.cql2Json) ? 'cql2-json' : has(FILTER_CLASSES.cql2Text) ? 'cql2-text' : undefined;
      const atSearch = has(FILTER_CLASSES.itemSearch) && (search.post ?? search.get) !== undefined;
      const atItems = has(FILTER_CLASSES.features);
      if (!lang || !(atSearch || atItems)) {
        this.whole = `the API does not declare the STAC API Filter extension (${!lang ? 'no CQL2 text or JSON conformance class' : 'neither item search nor features filtering'}): every item is read`;
      } else if (atItems && (this.o.itemsVia === 'collection' || !atSearch)) {
        this.search = undefined; // the search cannot filter: the collections' items endpoints can
        this.filter = { since, lang: lang === 'cql2-json' && !has(FILTER_CLASSES.cql2Text) ? 'cql2-json' : 'cql2-text', at: 'items' };
      } else {
        // the item search, by POST with CQL2 JSON when it can
        if (!this.search) this.search = search.post ? { url: search.post, method: 'POST' } : { url: search.get!, method: 'GET' };
        const useLang = this.search.method === 'POST' ? lang : has(FILTER_CLASSES.cql2Text) ? 'cql2-text' : 'cql2-json';
        this.filter = { since, lang: useLang, at: 'search' };
      }
    }
    if (this.whole) yield notice('info', `updatedSince ${this.o.updatedSince}: ${this.whole}`, { updatedSince: this.o.updatedSince });
    else
      yield notice(
        'info',
        `only the items updated since ${since} are asked for (${this.filter!.lang}, at the ${this.filter!.at === 'search' ? 'item search' : "collections' items"})`,
        {
          updatedSince: since,
          filterLang: this.filter!.lang,
        },
      );
  }

  /** How the run ends: as it went, and when items were filtered by updatedSince, incremental. */
  private runEnd(): RunEnd {
    if (!this.end.complete) return this.end;
    if (this.o.updatedSince !== undefined && this.filtered > 0)
      return incomplete('incremental', `incremental harvest (items updated since ${sinceTimestamp(this.o.updatedSince)})`);
    return this.o.updatedSince !== undefined ? { complete: true, whole: this.whole ?? 'every item was read' } : this.end;
  }

  /** Notes the first reason why this harvest does not see every record. */
  private incomplete(reason: 'paging' | 'max-records', message: string): void {
    if (this.end.complete) this.end = incomplete(reason, message);
  }

  private async *collection(value: unknown, where: string): AsyncGenerator<HarvestItem> {
    const c = obj(value);
    const id = str(c?.id);
    if (!c || !id) {
      yield this.failure('parse', where, `${where}: a collection must be an object with an id`, undefined, value);
      return;
    }
    const location = linkHref(c, 'self', this.collectionsUrl) ?? `${this.collectionsUrl.replace(/\/$/, '')}/${encodeURIComponent(id)}`;
    if (this.o.items === 'none') {
      yield record(this.o.source, 'stac-collection', id, c, location);
    } else if (this.o.items === 'index') {
      yield record(this.o.source, 'stac-collection', id, c, location);
      yield* this.items(c, id, undefined);
    } else {
      const agg = emptyAggregate();
      const complete = yield* this.items(c, id, agg);
      yield record(this.o.source, 'stac-collection', id, c, location, complete ? { enrichment: toEnrichment(agg) } : undefined);
    }
  }

  /** The first items request of a collection (filtered by updatedSince when `filter` is given). */
  private firstItems(c: JsonObject, id: string, filter?: ItemFilter, limit: number = this.o.limit): PageRequest {
    const f = filter ? updatedFilter(filter) : undefined;
    if (this.search?.method === 'POST')
      return {
        url: this.search.url,
        method: 'POST',
        body: { collections: [id], limit, ...(f ? { filter: f.value, 'filter-lang': f.lang } : {}) },
      };
    const params: Record<string, string> = f
      ? { filter: typeof f.value === 'string' ? f.value : JSON.stringify(f.value), 'filter-lang': f.lang }
      : {};
    if (this.search)
      return {
        url: withQuery(this.search.url, { collections: id, limit: String(limit), ...(filter?.at === 'search' ? params : {}) }),
        method: 'GET',
      };
    const base = linkHref(c, 'self', this.collectionsUrl) ?? this.collectionsUrl;
    const items = linkHref(c, 'items', base) ?? `${this.collectionsUrl.replace(/\/$/, '')}/${encodeURIComponent(id)}/items`;
    return { url: withQuery(items, { limit: String(limit), ...(filter?.at === 'items' ? params : {}) }), method: 'GET' };
  }

  /**
   * Whether the items of a collection can be filtered by `updated`: its first item (one asked for, unfiltered) carries
   * it, or it has none. Items without `updated` would never match the filter: the collection is then read in whole.
   */
  private async *carriesUpdated(c: JsonObject, id: string): AsyncGenerator<HarvestItem, boolean> {
    const page = await this.get(this.firstItems(c, id, undefined, 1));
    const first = obj(arr(page.features)[0]);
    if (!first || str(obj(first.properties)?.updated) !== undefined) return true;
    const why = `the items of collection ${id} carry no "updated": every item of it is read`;
    this.whole ??= why;
    yield notice('info', why, { collection: id });
    return false;
  }

  /**
   * Reads the items of one collection, page by page: yields them ('index') or folds them into `agg` ('enrich').
   * Returns true when the listing was read to its end.
   */
  private async *items(c: JsonObject, id: string, agg: ItemAggregate | undefined): AsyncGenerator<HarvestItem, boolean> {
    // stop: maxItems already reached by earlier collections
    if (this.o.maxItems !== undefined && this.itemsRead >= this.o.maxItems) return false;
    let filter: ItemFilter | undefined;
    if (this.filter && !agg && (yield* this.carriesUpdated(c, id))) {
      filter = this.filter;
      this.filtered++;
    }
    let req = this.firstItems(c, id, filter);
    const seen = new Set([requestKey(req)]);
    let matched: number | undefined;
    let read = 0;
    for (let pageNo = 1; ; pageNo++) {
      let page: JsonObject;
      try {
        page = await this.get(req);
      } catch (err) {
        if (!agg) throw err;
        yield this.failure(
          'fetch',
          req.url,
          `items of collection ${id}, page ${pageNo}: ${(err as Error).message}; the collection is harvested without what its items say`,
          id,
        );
        return false;
      }
      if (pageNo === 1) matched = num(page.numberMatched) ?? num(obj(page.context)?.matched);
      for (const [i, f] of arr(page.features).entries()) {
        if (this.o.maxItems !== undefined && this.itemsRead >= this.o.maxItems) break;
        const item = obj(f);
        if (!item || !str(item.id)) {
          yield this.failure(
            'parse',
            `${req.url} features[${i}]`,
            `items of collection ${id}, page ${pageNo}: features[${i}] is not an item with an id`,
            undefined,
            f,
          );
          continue;
        }
        this.itemsRead++;
        read++;
        if (agg) addItem(agg, item);
        else {
          const location = linkHref(item, 'self', req.url) ?? req.url;
          yield record(this.o.source, 'stac-item', itemIdentifier(item, c).id!, item, location, { collection: c });
        }
      }
      const d = nextLink(
        page,
        req,
        { seen, yielded: this.itemsRead, ...(this.o.maxItems !== undefined ? { maxItems: this.o.maxItems } : {}) },
        'features',
      );
      if ('stop' in d) {
        if (d.stop === 'max-items') {
          if (!this.truncated) yield { kind: 'notice', notice: d.notice! };
          this.truncated = true;
          // items are records of their own only in 'index' mode: then some are missing
          if (!agg) this.incomplete('max-records', `maxItems ${this.o.maxItems} reached`);
          return false;
        }
        if (d.notice) yield { kind: 'notice', notice: d.notice };
        if (!agg && (d.stop === 'bad-next-link' || d.stop === 'loop'))
          this.incomplete('paging', `items of collection ${id}: ${d.notice?.message ?? d.stop}`);
        const complete = d.stop === 'last-page' || d.stop === 'empty-page';
        if (complete && matched !== undefined && matched !== read) {
          yield notice('warn', `collection ${id}: the server said ${matched} items match, ${read} were read`, {
            collection: id,
            matched,
            read,
          });
        }
        return complete;
      }
      seen.add(requestKey(d.next));
      req = d.next;
    }
  }

  private failure(stage: Stage, location: string, error: string, id?: string, raw?: unknown): HarvestItem {
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

function record(
  source: string,
  format: 'stac-collection' | 'stac-item',
  id: string,
  body: JsonObject,
  location: string,
  context?: Record<string, unknown>,
): HarvestItem {
  return { kind: 'record', raw: { source, format, id, body, location, ...(context ? { context } : {}) } };
}

function notice(level: Notice['level'], message: string, data?: Record<string, unknown>): HarvestItem {
  return { kind: 'notice', notice: { level, message, ...(data ? { data } : {}) } };
}
