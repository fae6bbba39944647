/**
 * nextLink, the pure paging decision of the STAC API harvester: every stop condition, and GET / POST (body, merge,
 * headers) next links shaped as a real server sends them (rustac 0.2: GET `?limit=&skip=` on /collections/{id}/items,
 * POST with a body on /search), with the real example items as the page content.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { nextLink, requestKey, type PageRequest, type PagingState } from '../../harvesters/stac/paging.js';
import { sharedFixture } from '../../schemas/paths.js';

type J = Record<string, any>;
const item = (f: string): J => JSON.parse(readFileSync(sharedFixture('stac', f), 'utf8'));
const features = [item('simple-item.json'), item('core-item.json')];
const BASE = 'http://127.0.0.1:7822';
const get: PageRequest = { url: `${BASE}/collections/simple-collection/items?limit=2`, method: 'GET' };
const state = (over: Partial<PagingState> = {}): PagingState => ({ seen: new Set([requestKey(get)]), yielded: 2, ...over });
const page = (links: J[], feats: J[] = features): J => ({ type: 'FeatureCollection', features: feats, links });

test('a GET next link: the next request, href resolved against the current URL', () => {
  const d = nextLink(
    page([{ rel: 'next', href: '?limit=2&skip=2', type: 'application/geo+json', method: 'GET' }]),
    get,
    state(),
    'features',
  );
  assert.equal(d, { next: { url: `${BASE}/collections/simple-collection/items?limit=2&skip=2`, method: 'GET' } });
});

test('stop: no next link (the last page)', () => {
  assert.equal(nextLink(page([{ rel: 'self', href: get.url }]), get, state(), 'features'), { stop: 'last-page' });
  assert.equal(nextLink({ features }, get, state(), 'features'), { stop: 'last-page' }, 'a page without links');
});

test('stop: an empty page, even with a next link', () => {
  const next = [{ rel: 'next', href: `${BASE}/collections/simple-collection/items?limit=2&skip=4` }];
  assert.equal(nextLink(page(next, []), get, state(), 'features'), { stop: 'empty-page' });
  assert.equal(nextLink({ links: next }, get, state(), 'features'), { stop: 'empty-page' }, 'no features array at all');
  assert.equal(nextLink({ collections: [], links: next }, get, state(), 'collections'), { stop: 'empty-page' });
});

test('stop: a next link to a page already read (loop), with a warn notice', () => {
  const d = nextLink(page([{ rel: 'next', href: get.url }]), get, state(), 'features');
  assert.ok('stop' in d && d.stop === 'loop');
  if ('stop' in d) {
    assert.is(d.notice?.level, 'warn');
    assert.match(d.notice!.message, /already read/);
  }
});

test('stop: maxItems reached, with a warn notice saying the harvest is incomplete', () => {
  const d = nextLink(page([{ rel: 'next', href: '?skip=2' }]), get, state({ yielded: 10, maxItems: 10 }), 'features');
  assert.ok('stop' in d && d.stop === 'max-items' && d.notice?.level === 'warn' && /the harvest is incomplete/.test(d.notice.message));
  assert.ok('next' in nextLink(page([{ rel: 'next', href: '?skip=2' }]), get, state({ yielded: 9, maxItems: 10 }), 'features'));
});

test('stop: a next link that cannot be followed', () => {
  for (const link of [{ rel: 'next' }, { rel: 'next', href: 'http://[bad' }, { rel: 'next', href: '?skip=2', method: 'DELETE' }]) {
    const d = nextLink(page([link]), get, state(), 'features');
    assert.ok('stop' in d && d.stop === 'bad-next-link' && d.notice?.level === 'warn', JSON.stringify(link));
  }
});

test('POST next links: the body replaces, or merges into, the current body; headers are passed', () => {
  const post: PageRequest = { url: `${BASE}/search`, method: 'POST', body: { collections: ['simple-collection'], limit: 2 } };
  const s = state({ seen: new Set([requestKey(post)]) });
  // rustac's form: the whole body of the next request
  let d = nextLink(
    page([{ rel: 'next', href: `${BASE}/search`, method: 'POST', body: { limit: 2, skip: 2, collections: ['simple-collection'] } }]),
    post,
    s,
    'features',
  );
  assert.equal(d, { next: { url: `${BASE}/search`, method: 'POST', body: { limit: 2, skip: 2, collections: ['simple-collection'] } } });
  // merge: only the token comes back
  d = nextLink(
    page([
      { rel: 'next', href: `${BASE}/search`, method: 'POST', merge: true, body: { token: 'next:abc' }, headers: { 'x-page': '2', bad: 3 } },
    ]),
    post,
    s,
    'features',
  );
  assert.equal(d, {
    next: {
      url: `${BASE}/search`,
      method: 'POST',
      body: { collections: ['simple-collection'], limit: 2, token: 'next:abc' },
      headers: { 'x-page': '2' },
    },
  });
  // POST without a body and without merge sends the current body again: the same request, a loop
  d = nextLink(page([{ rel: 'next', href: `${BASE}/search`, method: 'POST' }]), post, s, 'features');
  assert.ok('stop' in d && d.stop === 'loop');
});

test('requestKey: the same body in another key order is the same request', () => {
  const a: PageRequest = { url: `${BASE}/search`, method: 'POST', body: { limit: 2, collections: ['x'], skip: 2 } };
  const b: PageRequest = { url: `${BASE}/search`, method: 'POST', body: { skip: 2, collections: ['x'], limit: 2 } };
  assert.is(requestKey(a), requestKey(b));
  assert.is.not(requestKey(a), requestKey({ ...b, body: { ...b.body, skip: 4 } }));
  assert.is.not(requestKey(get), requestKey({ ...get, method: 'POST' }));
});

test.run();
