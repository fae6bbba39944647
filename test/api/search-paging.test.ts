/**
 * Paging deep into results on a generated index of 10,600 records (past Elasticsearch's 10,000-hit window): GET
 * /search and OGC API items follow their cursors to the end and see every record exactly once, in order, for the
 * title, date (with records lacking a date) and relevance (with tied scores) sorts; backwards too; a page number past
 * the window is refused with a 400 that says to follow the cursor.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../api/server.js';
import { silentLogger } from '../../pipelines/log.js';
import { ensureIndex } from '../../pipelines/index-admin.js';
import { toIndexDoc } from '../../mappings/index-doc.js';
import type { HubRecord } from '../../schemas/record.js';
import { deleteIndices, esClient, esUrl, tempIndexName } from '../helpers/services.js';
import { smallRecord } from '../schemas/sample-records.js';

const N = 10_600;
const alias = tempIndexName('paging');
const client = await esClient();
let app: FastifyInstance;
const records: HubRecord[] = [];

/** Record i: titles repeat every 997 records (ties broken by id), 2 in 3 have a modification date, text repeats "sol". */
function record(i: number): HubRecord {
  const r = smallRecord({
    source: i % 2 ? 'gen-a' : 'gen-b',
    id: `r${String(i).padStart(5, '0')}`,
    title: { fr: `jeu ${String(i % 997).padStart(4, '0')}` },
    description: { fr: `${'sol '.repeat(1 + (i % 4))}humidite` },
  });
  if (i % 3) r.modified = { '@value': `20${String(10 + (i % 15)).padStart(2, '0')}-0${1 + (i % 9)}-1${i % 10}`, '@type': 'xsd:date' };
  return r;
}

test.before(async () => {
  await ensureIndex(client, alias);
  for (let start = 0; start < N; start += 2000) {
    const ops: object[] = [];
    for (let i = start; i < Math.min(N, start + 2000); i++) {
      const r = record(i);
      records.push(r);
      ops.push({ index: { _id: r.identifier } }, toIndexDoc(r));
    }
    const res = await client.bulk({ index: alias, operations: ops });
    assert.not.ok(res.errors, 'bulk');
  }
  await client.indices.refresh({ index: alias });
  app = await buildServer({ client, alias, esUrl: await esUrl(), log: silentLogger });
});
test.after(async () => {
  await app?.close();
  await deleteIndices(client, `${alias}*`);
});

interface Page {
  total: number;
  offset: number;
  hits: { id: string; score: number | null }[];
  next?: string;
  prev?: string;
}
async function page(url: string): Promise<Page> {
  const r = await app.inject({ url });
  assert.is(r.statusCode, 200, `${url}: ${r.body.slice(0, 300)}`);
  return r.json();
}

/** Follows `next` from the first page to the last; returns the ids and the pages. */
async function walk(query: string): Promise<{ ids: string[]; pages: Page[] }> {
  const pages: Page[] = [];
  let p = await page(`/search?size=100&facets=false&${query}`);
  for (;;) {
    pages.push(p);
    if (!p.next) break;
    p = await page(`/search?size=100&facets=false&${query}&cursor=${p.next}`);
  }
  return { ids: pages.flatMap((x) => x.hits.map((h) => h.id)), pages };
}

test('title order: every record once, in (title, id) order, past the 10,000th', async () => {
  const { ids, pages } = await walk('sort=title');
  assert.is(ids.length, N);
  assert.is(new Set(ids).size, N);
  const expected = records
    .map((r) => [r.title.fr, r.identifier])
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map((x) => x[1]);
  assert.equal(ids, expected);
  assert.is(pages[pages.length - 1].offset, Math.floor((N - 1) / 100) * 100);
  assert.is(pages[0].total, N);
  // backwards from the last page: each previous page exactly
  let back = pages[pages.length - 1];
  for (let i = pages.length - 1; i >= pages.length - 4; i--) {
    back = await page(`/search?size=100&facets=false&sort=title&cursor=${back.prev}`);
    assert.equal(
      back.hits.map((h) => h.id),
      pages[i - 1].hits.map((h) => h.id),
    );
  }
});

test('date order with records lacking a date, and relevance with tied scores: every record once', async () => {
  const byDate = await walk('sort=date');
  assert.is(byDate.ids.length, N);
  assert.is(new Set(byDate.ids).size, N);
  const dated = records.filter((r) => r.modified).length;
  const firstUndated = byDate.ids.findIndex((id) => !records[Number(id.slice(-5))].modified);
  assert.is(firstUndated, dated, 'undated records come after every dated one');
  const rel = await walk(`q=sol`);
  assert.is(rel.ids.length, N);
  assert.is(new Set(rel.ids).size, N);
  const scores = rel.pages.flatMap((p) => p.hits.map((h) => h.score!));
  assert.equal(
    scores,
    [...scores].sort((a, b) => b - a),
  );
  assert.ok(new Set(scores).size >= 4, 'several distinct scores');
});

test('a page number past the 10,000th hit is a 400 pointing to the cursor; the last page within is fine', async () => {
  const ok = await app.inject({ url: '/search?size=100&page=100&facets=false' });
  assert.is(ok.statusCode, 200);
  assert.is(ok.json().offset, 9900);
  const deep = await app.inject({ url: '/search?size=100&page=101&facets=false' });
  assert.is(deep.statusCode, 400);
  assert.is(deep.json().parameter, 'page');
  assert.match(deep.json().error, /next.*cursor/);
});

interface FeatureCollection {
  numberMatched: number;
  numberReturned: number;
  features: { id: string }[];
  links: { rel: string; href: string }[];
}

test('OGC API items: next links to the end, every record once; numberMatched exact', async () => {
  let url: string | undefined = '/ogcapi/collections/catalogue/items?limit=1000&sortby=title';
  const seen: string[] = [];
  let pages = 0;
  while (url) {
    const r = await app.inject({ url: String(url) });
    assert.is(r.statusCode, 200, r.body.slice(0, 300));
    const fc: FeatureCollection = JSON.parse(r.body);
    assert.is(fc.numberMatched, N);
    assert.is(fc.numberReturned, fc.features.length);
    seen.push(...fc.features.map((f) => f.id));
    const next: string | undefined = fc.links.find((l) => l.rel === 'next')?.href;
    url = next ? next.replace(/^https?:\/\/[^/]+/, '') : undefined;
    pages++;
  }
  assert.is(pages, Math.ceil(N / 1000));
  assert.is(seen.length, N);
  assert.is(new Set(seen).size, N);
  // one source's collection pages its own records only
  const a = await app.inject({ url: '/ogcapi/collections/gen-a/items?limit=1' });
  assert.is(a.json().numberMatched, N / 2);
});

test.run();
