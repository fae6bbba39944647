/** Hydra paging of DCAT catalogues (harvesters/dcat/paging.ts): what real pages say, and every stop condition. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { parseRdf, RdfGraph } from '../../core/rdf.js';
import { hydraPage, nextPage, type PagingState } from '../../harvesters/dcat/paging.js';
import { projectPath } from '../../schemas/paths.js';

const page = async (name: string) =>
  new RdfGraph(await parseRdf(readFileSync(projectPath('test', 'fixtures', 'dcat', name), 'utf8'), 'jsonld'));
const BASE = 'http://data.test.org/catalog.jsonld?page=1';

test("what real pages say: udata's PartialCollectionView and PagedCollection pages; CKAN's RDF/XML without paging", async () => {
  assert.equal(hydraPage(await page('udata-partial-collection-1.jsonld'), BASE), {
    vocabulary: 'PartialCollectionView',
    next: 'http://data.test.org/catalog.jsonld?page=2',
    last: 'http://data.test.org/catalog.jsonld?page=2',
    totalItems: 4,
  });
  assert.equal(hydraPage(await page('udata-partial-collection-2.jsonld'), BASE.replace('1', '2')), {
    vocabulary: 'PartialCollectionView',
    last: 'http://data.test.org/catalog.jsonld?page=2',
    totalItems: 4,
  });
  assert.equal(hydraPage(await page('udata-paged-collection-1.jsonld'), BASE), {
    vocabulary: 'PagedCollection',
    next: 'http://data.test.org/catalog.jsonld?page=2',
    last: 'http://data.test.org/catalog.jsonld?page=2',
    itemsPerPage: 3,
    totalItems: 4,
  });
  const ckan = new RdfGraph(
    await parseRdf(readFileSync(projectPath('test', 'fixtures', 'dcat', 'ckanext-dcat-catalog.rdf'), 'utf8'), 'rdfxml'),
  );
  assert.equal(hydraPage(ckan, 'https://data.some.org/catalog'), {});
});

const state = (o: Partial<PagingState> = {}): PagingState => ({
  url: BASE,
  seen: new Set([BASE]),
  pages: 1,
  records: 3,
  onPage: 3,
  maxPages: 100,
  ...o,
});

test('every stop condition, and whether the catalogue was then read whole', () => {
  const next = 'http://data.test.org/catalog.jsonld?page=2';
  assert.equal(nextPage({ next }, state()), { next });
  const stop = (p: Parameters<typeof nextPage>[0], s: PagingState) => {
    const d = nextPage(p, s);
    return 'stop' in d ? [d.stop, d.complete, d.notice?.data?.truncated === true] : ['next', d.next];
  };
  assert.equal(stop({}, state()), ['last-page', true, false]);
  assert.equal(stop({ next: BASE }, state()), ['last-page', true, false]); // names itself
  assert.equal(stop({ next, last: BASE }, state()), ['last-page', true, false]); // this is the last page
  assert.equal(stop({ next }, state({ onPage: 0 })), ['empty-page', true, false]);
  assert.equal(stop({ next }, state({ maxRecords: 3 })), ['max-records', false, true]);
  assert.equal(stop({ next: 'ftp://data.test.org/p2' }, state()), ['bad-next-link', false, true]);
  assert.equal(stop({ next: 'not a url' }, state()), ['bad-next-link', false, true]);
  assert.equal(stop({ next: 'http://elsewhere.example/p2' }, state()), ['other-origin', false, true]);
  assert.equal(stop({ next }, state({ seen: new Set([BASE, next]) })), ['loop', false, true]);
  assert.equal(stop({ next }, state({ pages: 100 })), ['max-pages', false, true]);
  // http -> https on the same host is followed
  assert.equal(nextPage({ next: 'https://data.test.org/catalog.jsonld?page=2' }, state()), {
    next: 'https://data.test.org/catalog.jsonld?page=2',
  });
});

test.run();
