/**
 * GET /search answers are serialised with JSON.stringify (api/routes/search.ts), not with the serialiser fastify
 * compiles from the SEARCH_RESPONSE schema: the text must be the same byte for byte. The reference is fastify itself:
 * a route declaring SEARCH_RESPONSE serialises each answer again, and the two texts are compared, on real answers of
 * the fixture catalogue (text with snippets, facets, every filter kind, both cursors) and on answers holding what the
 * catalogue may lack (copies of other sources, fuzzy hits, open time ends, quotes, backslashes, control characters,
 * lone surrogates and emoji in titles and snippets).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { buildServer } from '../../api/server.js';
import { SEARCH_RESPONSE, searchAnswer } from '../../api/routes/search.js';
import { silentLogger } from '../../pipelines/log.js';
import { FACET_NAMES, type FacetName, type FacetValue, type SearchResult, type SearchSummary } from '../../pipelines/search.js';
import { deleteIndices, esClient, esUrl, tempIndexName } from '../helpers/services.js';
import { indexFixtureCatalogue } from '../helpers/catalogue.js';

const alias = tempIndexName('api-serialise');
const client = await esClient();
let app: FastifyInstance;
/** fastify's compiled serialiser of SEARCH_RESPONSE: POST an answer, get it back as that serialiser writes it. */
let reference: FastifyInstance;

async function compiled(answer: unknown): Promise<string> {
  const r = await reference.inject({ method: 'POST', url: '/', payload: answer as Record<string, unknown> });
  assert.is(r.statusCode, 200, r.body);
  return r.body;
}

test.before(async () => {
  await indexFixtureCatalogue(client, alias);
  app = await buildServer({ client, alias, esUrl: await esUrl(), log: silentLogger });
  reference = Fastify({ logger: false, bodyLimit: 10 * 1024 * 1024 });
  reference.post('/', { schema: { response: { 200: SEARCH_RESPONSE } } }, async (req) => req.body);
});
test.after(async () => {
  await app?.close();
  await reference?.close();
  await deleteIndices(client, `${alias}*`);
});

const QUERIES = [
  'size=100',
  'size=100&facetSize=200',
  'q=rivi%C3%A8res&size=20',
  'q=%22sea%20ice%22&facets=false',
  'q=glac*&sort=date',
  'q=-neige&bbox=-5.5,41,10,51&size=50',
  'bbox=170,-90,-170,90',
  'start=2010&end=2015&sort=title',
  'q=temperture&size=5',
  'type=dataset&source=fx-stac&source=fx-iso19139',
  'theme=Hydrography&facets=true&size=3',
  'size=3&facets=false',
  'q=donn%C3%A9es&lang=en&size=100',
];

test('real answers of the catalogue: JSON.stringify writes what the compiled schema serialiser writes', async () => {
  let compared = 0;
  for (const q of QUERIES) {
    const r = await app.inject({ method: 'GET', url: `/search?${q}` });
    assert.is(r.statusCode, 200, `${q}: ${r.body.slice(0, 300)}`);
    assert.is(r.body, await compiled(r.json()), q);
    compared++;
    // the next page and back: answers with both cursors and links
    const next = r.json<{ next?: string }>().next;
    if (next) {
      const r2 = await app.inject({ method: 'GET', url: `/search?${q}&cursor=${next}` });
      assert.is(r2.statusCode, 200, r2.body.slice(0, 300));
      const page2 = r2.json<{ prev?: string; hits: unknown[] }>();
      if (page2.hits.length > 0) assert.ok(page2.prev, `${q}: a second page has prev`);
      assert.is(r2.body, await compiled(r2.json()), `${q} (page 2)`);
      compared++;
    }
  }
  assert.ok(compared > QUERIES.length, `${compared} answers compared`);
});

/** What a catalogue may hold and the fixtures lack, in every field the answer writes. */
function unusualResult(): SearchResult<SearchSummary> {
  const odd = 'Quote " backslash \\ tab \t newline \n nul \u0000 del \u007f sep \u2028 emoji 🌊 lone \ud800 end \udfff';
  const facets = Object.fromEntries(
    FACET_NAMES.map((n, i): [FacetName, FacetValue[]] => [
      n,
      i % 3 === 0
        ? []
        : [
            { key: `${n} ${odd}`, count: 3, ...(i % 2 ? { label: `label ${odd}` } : {}) },
            { key: 'x', count: 1 },
          ],
    ]),
  ) as Record<FacetName, FacetValue[]>;
  return {
    total: 12_345,
    offset: 20,
    fuzzy: true,
    hits: [
      {
        id: 'a:1',
        score: 1.5e-7,
        source: 'a',
        type: 'dataset',
        title: odd,
        titleHtml: `<mark>${odd}</mark>`,
        snippet: `…${odd}…`,
        bbox: [170.5, -0, -170.25, 89.999999],
        time: { start: '2019', end: null },
        thumbnail: 'https://example.org/t.png?a=1&b="2"',
        rating: 'good',
        alsoFrom: [
          { id: 'b:1', source: 'b' },
          { id: 'c:é/1 ?', source: 'c' },
        ],
      },
      { id: 'b:2', score: null, source: 'b', type: 'series', title: '', titleHtml: '', copyOf: { id: 'a:2', source: 'a' } },
      { id: 'c:3', score: 0, source: 'c', type: 'service', title: 'x', titleHtml: 'x', time: { start: null, end: '2020-01-01T00:00:00Z' } },
    ],
    next: 'eyJrIjoiYSJ9',
    prev: 'eyJrIjoiYiJ9',
    facets,
    startYears: [
      { year: '1999', count: 1 },
      { year: '2000', count: 0 },
    ],
  };
}

test('answers with copies, fuzzy hits, open ends and every kind of character: the same text', async () => {
  const req = { url: '/search?q=x&cursor=abc&size=3', protocol: 'http', host: 'h' } as unknown as FastifyRequest;
  const full = unusualResult();
  for (const res of [full, { ...full, facets: undefined, startYears: undefined, fuzzy: undefined, prev: undefined }]) {
    const text = JSON.stringify(searchAnswer(res, 3, req, 'https://hub.example/base'));
    assert.is(text, await compiled(JSON.parse(text)));
    // and nothing of the answer left out by either: the compiled serialiser drops what its schema does not declare
    assert.ok(text.includes('"alsoFrom":[{"id":"b:1","source":"b","link":"https://hub.example/base/records/b%3A1"}'), text.slice(0, 400));
  }
});

test.run();
