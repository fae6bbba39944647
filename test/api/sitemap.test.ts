/**
 * robots.txt and the sitemaps over the fixture catalogue (test/helpers/catalogue.ts): every record the lists show is
 * in exactly one sitemap page, in id order, its page reachable; pages by 7 records walk the same ids as one page;
 * Python's robotparser (the standard library's robots.txt reader) may fetch the record pages and forms, not the APIs;
 * an index not made yet is an empty sitemap, not an error.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../api/server.js';
import { silentLogger } from '../../pipelines/log.js';
import { sitemapEntries, sitemapPages } from '../../pipelines/sitemap.js';
import { pythonJson } from '../helpers/python.js';
import { deleteIndices, esClient, esUrl, tempIndexName } from '../helpers/services.js';
import { indexFixtureCatalogue } from '../helpers/catalogue.js';

const alias = tempIndexName('sitemap');
const client = await esClient();
let app: FastifyInstance;
let shown: string[] = [];

test.before(async () => {
  await indexFixtureCatalogue(client, alias);
  // the records a list shows: not the copies another source's record stands for
  const res = await client.search<{ dup?: { primary?: boolean } | null }>({ index: alias, size: 5000, _source: ['dup'] });
  shown = res.hits.hits
    .filter((h) => h._source?.dup?.primary !== false)
    .map((h) => h._id as string)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  app = await buildServer({ client, alias, esUrl: await esUrl(), log: silentLogger });
});
test.after(async () => {
  await app?.close();
  await deleteIndices(client, `${alias}*`);
});

const locs = (xml: string, tag: string) =>
  [...xml.matchAll(new RegExp(`<${tag}><loc>([^<]*)</loc>`, 'g'))].map((m) => m[1].replace(/&amp;/g, '&'));
const path = (url: string) => url.replace(/^https?:\/\/[^/]+/, '');

test('the sitemap index and its page: every record shown, once, its page there', async () => {
  const index = await app.inject({ url: '/sitemap.xml' });
  assert.is(index.statusCode, 200);
  assert.match(String(index.headers['content-type']), 'application/xml');
  assert.match(index.body, '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">');
  const pages = locs(index.body, 'sitemap');
  assert.equal(pages.map(path), ['/sitemaps/records.xml'], 'one page for fewer than 50,000 records');
  const page = await app.inject({ url: path(pages[0]) });
  assert.is(page.statusCode, 200);
  const urls = locs(page.body, 'url');
  assert.ok(shown.length > 40, `${shown.length} records`);
  assert.equal(
    urls.map(path),
    shown.map((id) => `/catalogue/records/${encodeURIComponent(id)}`),
  );
  assert.is((page.body.match(/<lastmod>\d{4}-\d\d-\d\dT[^<]+<\/lastmod>/g) ?? []).length, urls.length, 'each with when it was written');
  for (const u of urls.slice(0, 5)) assert.is((await app.inject({ url: path(u) })).statusCode, 200, u);
  assert.is((await app.inject({ url: '/sitemap.xml?x=1' })).statusCode, 400);
});

test('pages of 7: each starts after the last id of the one before, together they are the whole list', async () => {
  const starts = await sitemapPages(client, alias, 7);
  assert.is(starts.length, Math.ceil(shown.length / 7));
  const walked: string[] = [];
  for (const after of starts) {
    const page: string[] = [];
    for await (const e of sitemapEntries(client, alias, after, 7)) page.push(e.id);
    assert.ok(page.length === 7 || walked.length + page.length === shown.length, `page after ${after}: ${page.length}`);
    walked.push(...page);
  }
  assert.equal(walked, shown);
  // and over HTTP, the page after an id
  const second = await app.inject({ url: `/sitemaps/records.xml?after=${encodeURIComponent(starts[1]!)}` });
  assert.equal(
    locs(second.body, 'url').map(path).slice(0, 2),
    shown.slice(7, 9).map((id) => `/catalogue/records/${encodeURIComponent(id)}`),
  );
});

test("robots.txt as Python's robotparser reads it: record pages yes, searches and the operators' side no", async () => {
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const paths = [
    '/catalogue',
    `/catalogue/records/${encodeURIComponent(shown[0])}`,
    '/records/x.ttl',
    '/ogcapi',
    '/search?q=sol',
    '/oai?verb=Identify',
    '/operators',
    '/validate',
    '/catalog',
  ];
  const script = `
import json, sys, urllib.robotparser
rp = urllib.robotparser.RobotFileParser(sys.argv[1] + "/robots.txt")
rp.read()
print(json.dumps({"sitemaps": rp.site_maps(), "can": [rp.can_fetch("Googlebot", sys.argv[1] + p) for p in json.loads(sys.argv[2])]}))
`;
  const got = await pythonJson<{ sitemaps: string[]; can: boolean[] }>(['-c', script, base, JSON.stringify(paths)]);
  assert.equal(got.sitemaps, [`${base}/sitemap.xml`]);
  assert.equal(got.can, [true, true, true, true, false, false, false, false, true]);
});

test('no index yet: an empty sitemap, not an error', async () => {
  const bare = await buildServer({ client, alias: tempIndexName('sitemap-none'), esUrl: await esUrl(), log: silentLogger });
  try {
    const index = await bare.inject({ url: '/sitemap.xml' });
    assert.is(index.statusCode, 200);
    const page = await bare.inject({ url: path(locs(index.body, 'sitemap')[0]) });
    assert.is(page.statusCode, 200);
    assert.equal(locs(page.body, 'url'), []);
  } finally {
    await bare.close();
  }
});

test.run();
