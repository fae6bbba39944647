/** resto / OpenSearch paging (harvesters/resto/paging.ts): what recorded pages say, and every stop condition. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { jsonPageInfo, nextPage, type PageRequest, type PagingState } from '../../harvesters/resto/paging.js';
import { projectPath } from '../../schemas/paths.js';

const json = (f: string) => JSON.parse(readFileSync(projectPath('test', 'fixtures', 'resto', f), 'utf8')) as Record<string, unknown>;

test('what recorded pages say: PEPS (resto 2) and resto 6 (STAC-like)', () => {
  const peps = json('eodag-peps_search.json');
  assert.equal(jsonPageInfo(peps, 2, 'https://peps.cnes.fr/resto/api/collections/S2ST/search.json'), {
    returned: 2,
    matched: 47,
    exact: true,
    next: 'https://peps.cnes.fr/resto/api/collections/S2ST/search.json?&startDate=2020-08-08&completionDate=2020-08-16&geometry=POLYGON%20%28%28137.7729%2013.1342%2C%20137.7729%2023.8860%2C%20153.7491%2023.8860%2C%20153.7491%2013.1342%2C%20137.7729%2013.1342%29%29&productType=S2MSI1C&maxRecords=2&page=2',
  });
  const six = json('resto-v6.0.0-api-example-RestoFeatureCollection.json');
  assert.equal(jsonPageInfo(six, 1, 'http://127.0.0.1:5252/stac/search.json'), {
    returned: 1,
    matched: 11345,
    exact: false,
    next: 'http://127.0.0.1:5252/stac/search.json?next=204449069316703379',
  });
});

const URL0 = 'https://peps.cnes.fr/resto/api/collections/S2ST/search.json?maxRecords=500&startIndex=1';
const req: PageRequest = { url: URL0, startIndex: 1, page: 1, limit: 500 };
const state = (o: Partial<PagingState> = {}): PagingState => ({
  request: req,
  mode: 'startIndex',
  limitParam: 'maxRecords',
  seen: new Set([URL0]),
  read: 500,
  total: 500,
  pages: 1,
  maxPages: 1000,
  ...o,
});
const decide = (info: Parameters<typeof nextPage>[0], s: PagingState) => {
  const d = nextPage(info, s);
  return 'next' in d ? ['next', d.next.url, d.next.startIndex, d.next.page] : [d.stop, d.complete, d.notice?.data?.truncated === true];
};

test('the next request: the next link when given, else startIndex or page computed', () => {
  assert.equal(decide({ returned: 500, matched: 1234, next: URL0.replace('startIndex=1', 'page=2') }, state()), [
    'next',
    URL0.replace('startIndex=1', 'page=2'),
    501,
    2,
  ]);
  assert.equal(decide({ returned: 500, matched: 1234 }, state()), ['next', URL0.replace('startIndex=1', 'startIndex=501'), 501, 2]);
  assert.equal(decide({ returned: 500, matched: 1234 }, state({ mode: 'page' })), ['next', `${URL0}&page=2`, 501, 2]);
  // a server that caps the page below what was asked: 500 of 1000 asked, no count: the next page is asked for
  assert.equal(decide({ returned: 500 }, state({ request: { ...req, limit: 500 } })), [
    'next',
    URL0.replace('startIndex=1', 'startIndex=501'),
    501,
    2,
  ]);
});

test('every stop condition, and whether the listing was then read whole', () => {
  assert.equal(decide({ returned: 234, matched: 1234 }, state({ read: 1234 })), ['last-page', true, false]);
  assert.equal(decide({ returned: 0, matched: 1234 }, state({ read: 1234 })), ['empty-page', true, false]);
  assert.equal(decide({ returned: 0, matched: 1234, exact: true }, state({ read: 1000 })), ['empty-page', false, true]);
  assert.equal(decide({ returned: 0, matched: 1234, exact: false }, state({ read: 1000 })), ['empty-page', true, false]);
  assert.equal(decide({ returned: 12 }, state({ read: 12 })), ['short-page', true, false]);
  assert.equal(decide({ returned: 500, matched: 1234 }, state({ maxProducts: 500 })), ['max-products', false, true]);
  assert.equal(decide({ returned: 500, next: 'ftp://peps.cnes.fr/x' }, state()), ['bad-next-link', false, true]);
  assert.equal(decide({ returned: 500, next: 'https://elsewhere.example/x' }, state()), ['other-origin', false, true]);
  assert.equal(decide({ returned: 500, next: URL0 }, state()), ['loop', false, true]);
  assert.equal(decide({ returned: 500, matched: 1234 }, state({ pages: 1000 })), ['max-pages', false, true]);
});

test.run();
