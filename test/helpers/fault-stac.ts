/**
 * A STAC API whose faults a test switches per request (node:http on loopback, test-only): a landing page, /conformance,
 * /collections and /collections/{id}/items paged with `next` links, serving a replay of the real STAC examples of
 * ../shared/fixtures/stac (the collection `simple-collection` and copies of its item `core-item.json`, one per id).
 *
 *   const stac = await faultyStac({ items: 120, limit: 20 });
 *   stac.fault = (req) => (req.kind === 'items' && req.page === 3 ? { status: 500 } : undefined);
 *   stac.badItem = 45;          // the item at index 45 is served without an id
 *   stac.items = 60;            // a shrunken catalogue (0: empty)
 *   ... harvest `${stac.url}` (type stac-api) ...; await stac.close();
 *
 * Request faults are those of the fault CSW (test/helpers/fault-csw.ts): a status code, an HTML error page with status
 * 200, a hang, a delay, a reset, a body cut short.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { readFileSync } from 'node:fs';
import { sharedFixture } from '../../schemas/paths.js';
import type { Fault } from './fault-csw.js';

export type { Fault } from './fault-csw.js';

export interface StacRequest {
  n: number;
  kind: 'landing' | 'conformance' | 'collections' | 'collection' | 'items' | 'other';
  url: string;
  /** items: the page number (1 for the first page of `limit` items). */
  page?: number;
  /** items: indexes of the items this page holds. */
  items?: number[];
  /** items: the `filter` and `filter-lang` parameters asked with, when any. */
  filter?: string;
  filterLang?: string;
}

export interface FaultyStac {
  /** The landing page, http://127.0.0.1:PORT/. */
  readonly url: string;
  /** Items in the collection (assign to shrink: 0 empties it). */
  items: number;
  /** Items per page. */
  limit: number;
  /** Index of an item served without its id (a bad record on its page), if any. */
  badItem?: number;
  fault?: (req: StacRequest) => Fault | undefined;
  /**
   * Whether the API declares the Filter extension (features filter, CQL2 text and JSON): it then honours a `filter`
   * "updated >= TIMESTAMP('...')" (text) or its JSON form at /collections/{id}/items, as the spec says. Default false.
   */
  filter: boolean;
  /** The `updated` of item i (default: the fixture item's, 2020-12-12T01:48:13.725Z); null: the item has none. */
  updated: Map<number, string | null>;
  /** Items without `updated` at all. Default false. */
  noUpdated: boolean;
  readonly requests: StacRequest[];
  /** Requests being answered now (from arrival to the end of the answer or of the connection). */
  readonly inFlight: number;
  /** The most requests answered at once since the start (or the last resetPeak). */
  readonly maxInFlight: number;
  resetPeak(): void;
  /** The id of item number i. */
  itemId(i: number): string;
  close(): Promise<void>;
}

const COLLECTION = JSON.parse(readFileSync(sharedFixture('stac', 'collection.json'), 'utf8')) as Record<string, unknown>;
const ITEM = JSON.parse(readFileSync(sharedFixture('stac', 'core-item.json'), 'utf8')) as Record<string, unknown>;
const HTML_502 = '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>';

export async function faultyStac(opts: { items: number; limit?: number; filter?: boolean }): Promise<FaultyStac> {
  const requests: StacRequest[] = [];
  const sockets = new Set<Socket>();
  const hanging = new Set<ServerResponse>();
  let base = '';
  const cid = String(COLLECTION.id);
  const itemId = (i: number) => `${String(ITEM.id)}-${String(i).padStart(5, '0')}`;

  const flight = { now: 0, max: 0 };
  const state: FaultyStac = {
    get inFlight() {
      return flight.now;
    },
    get maxInFlight() {
      return flight.max;
    },
    resetPeak() {
      flight.max = flight.now;
    },
    get url() {
      return base + '/';
    },
    items: opts.items,
    limit: opts.limit ?? 20,
    filter: opts.filter ?? false,
    updated: new Map(),
    noUpdated: false,
    requests,
    itemId,
    close: () =>
      new Promise<void>((resolve) => {
        for (const r of hanging) r.destroy();
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };

  const item = (i: number): Record<string, unknown> => {
    const day = new Date(Date.UTC(2020, 0, 1) + i * 86_400_000).toISOString();
    const it: Record<string, unknown> = {
      ...ITEM,
      id: itemId(i),
      collection: cid,
      properties: updatedOf(i, {
        ...(ITEM.properties as object),
        datetime: day,
        start_datetime: day,
        end_datetime: day,
        title: `Scene ${i}`,
      }),
      links: [
        { rel: 'self', href: `${base}/collections/${cid}/items/${itemId(i)}` },
        { rel: 'collection', href: `${base}/collections/${cid}` },
      ],
    };
    if (i === state.badItem) delete it.id;
    return it;
  };
  function updatedOf(i: number, props: Record<string, unknown>): Record<string, unknown> {
    const u = state.updated.get(i);
    if (state.noUpdated || u === null) delete props.updated;
    else if (u !== undefined) props.updated = u;
    return props;
  }
  /** The lower bound of a filter "updated >= TIMESTAMP(...)" (text or JSON); a filter it cannot read is a 400. */
  function filterSince(filter: string, lang: string): number | string {
    if (lang === 'cql2-json') {
      try {
        const f = JSON.parse(filter) as { op?: string; args?: [{ property?: string }, { timestamp?: string }] };
        if (f.op === '>=' && f.args?.[0]?.property === 'updated' && f.args[1]?.timestamp) return Date.parse(f.args[1].timestamp);
      } catch {
        /* a 400 below */
      }
      return `cannot read the CQL2 JSON filter ${filter}`;
    }
    const m = /^\s*updated\s*>=\s*TIMESTAMP\('([^']+)'\)\s*$/i.exec(filter);
    return m ? Date.parse(m[1]) : `cannot read the CQL2 text filter ${filter}`;
  }
  const filterClasses = () =>
    state.filter
      ? [
          'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter',
          'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter',
          'http://www.opengis.net/spec/cql2/1.0/conf/cql2-text',
          'http://www.opengis.net/spec/cql2/1.0/conf/cql2-json',
          'http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2',
        ]
      : [];
  const collection = () => ({
    ...COLLECTION,
    links: [
      { rel: 'self', href: `${base}/collections/${cid}` },
      { rel: 'items', href: `${base}/collections/${cid}/items`, type: 'application/geo+json' },
      { rel: 'root', href: `${base}/` },
    ],
  });

  function answer(r: StacRequest, u: URL): { status?: number; body: unknown } {
    switch (r.kind) {
      case 'landing':
        return {
          body: {
            type: 'Catalog',
            id: 'faulty-stac',
            title: 'A STAC API with faults',
            description: 'test replay',
            stac_version: '1.0.0',
            conformsTo: [
              'https://api.stacspec.org/v1.0.0/core',
              'https://api.stacspec.org/v1.0.0/collections',
              'https://api.stacspec.org/v1.0.0/ogcapi-features',
              ...filterClasses(),
            ],
            links: [
              { rel: 'self', href: `${base}/` },
              { rel: 'data', href: `${base}/collections` },
              { rel: 'conformance', href: `${base}/conformance` },
            ],
          },
        };
      case 'conformance':
        return {
          body: {
            conformsTo: ['https://api.stacspec.org/v1.0.0/core', ...filterClasses()],
          },
        };
      case 'collections':
        return { body: { collections: [collection()], links: [{ rel: 'self', href: `${base}/collections` }] } };
      case 'collection':
        return { body: collection() };
      case 'items': {
        const limit = Number(u.searchParams.get('limit') ?? state.limit);
        const size = Math.min(limit, state.limit);
        const page = Number(u.searchParams.get('page') ?? 1);
        const from = (page - 1) * size;
        let all = Array.from({ length: state.items }, (_, k) => k);
        const filter = u.searchParams.get('filter');
        if (filter !== null) {
          const lang = u.searchParams.get('filter-lang') ?? 'cql2-text';
          r.filter = filter;
          r.filterLang = lang;
          if (!state.filter) return { status: 400, body: { code: 'InvalidParameterValue', description: 'unknown parameter filter' } };
          const since = filterSince(filter, lang);
          if (typeof since === 'string') return { status: 400, body: { code: 'InvalidParameterValue', description: since } };
          all = all.filter((i) => {
            const u = updatedOf(i, { ...(ITEM.properties as object) }).updated;
            return typeof u === 'string' && Date.parse(u) >= since;
          });
        }
        const idx = all.slice(from, from + size);
        r.page = page;
        r.items = idx;
        const nextUrl = new URL(u.href);
        nextUrl.searchParams.set('limit', String(limit));
        nextUrl.searchParams.set('page', String(page + 1));
        const next = from + size < all.length ? [{ rel: 'next', href: nextUrl.href }] : [];
        return {
          body: {
            type: 'FeatureCollection',
            numberMatched: all.length,
            features: idx.map(item),
            links: [{ rel: 'self', href: u.href }, ...next],
          },
        };
      }
      default:
        return { status: 404, body: { code: 'NotFound', description: `no ${u.pathname}` } };
    }
  }

  const send = (res: ServerResponse, status: number, text: string, type: string) => {
    const bytes = Buffer.from(text, 'utf8');
    res.writeHead(status, { 'content-type': type, 'content-length': bytes.length });
    res.end(bytes);
  };

  const server = createServer((req, res) => {
    flight.now++;
    flight.max = Math.max(flight.max, flight.now);
    res.on('close', () => flight.now--);
    req.resume();
    const u = new URL(req.url ?? '/', base || 'http://127.0.0.1');
    const path = u.pathname.replace(/\/+$/, '');
    const kind: StacRequest['kind'] =
      path === ''
        ? 'landing'
        : path === '/conformance'
          ? 'conformance'
          : path === '/collections'
            ? 'collections'
            : path === `/collections/${cid}`
              ? 'collection'
              : path === `/collections/${cid}/items`
                ? 'items'
                : 'other';
    const r: StacRequest = { n: requests.length + 1, kind, url: req.url ?? '/' };
    const a = answer(r, u);
    requests.push(r);
    const text = JSON.stringify(a.body);
    const fault = state.fault?.(r);
    const type = 'application/json';
    if (!fault) return send(res, a.status ?? 200, text, kind === 'items' ? 'application/geo+json' : type);
    if ('status' in fault) return send(res, fault.status, fault.body ?? JSON.stringify({ code: 'ServerError' }), fault.type ?? type);
    if ('html' in fault) return send(res, 200, HTML_502, 'text/html; charset=UTF-8');
    if ('hang' in fault) {
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
      return;
    }
    if ('delayMs' in fault) {
      const t = setTimeout(() => send(res, a.status ?? 200, text, type), fault.delayMs);
      res.on('close', () => clearTimeout(t));
      return;
    }
    if ('reset' in fault) {
      req.socket.destroy();
      return;
    }
    const bytes = Buffer.from(text, 'utf8');
    const cut = bytes.subarray(0, Math.floor(bytes.length * fault.cut));
    res.writeHead(200, { 'content-type': type, 'content-length': fault.lie ? bytes.length : cut.length });
    if (fault.lie) {
      res.write(cut);
      res.socket?.destroy();
    } else res.end(cut);
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}
