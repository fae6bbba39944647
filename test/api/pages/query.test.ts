/** The catalogue URL <-> SearchParams glue: parsing with precise errors, and URLs that round-trip. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { UsageError } from '../../../core/result.js';
import { catalogueUrl, parseBbox, parseQuery, searchParams, toggleFilter, without } from '../../../api/pages/query.js';

function fails(raw: Record<string, string | string[]>, param: string, message: RegExp): void {
  try {
    parseQuery(raw);
    assert.unreachable(JSON.stringify(raw));
  } catch (err) {
    assert.instance(err, UsageError);
    assert.is((err as UsageError).param, param);
    assert.match((err as Error).message, message);
  }
}

test('a query read from the URL and written back is the same URL; page 1 and empty values are left out', () => {
  const url =
    '/catalogue?q=sol+humide&bbox=-5.2%2C47.3%2C-1%2C48.9&from=2019&to=2020-06&theme=http%3A%2F%2Finspire.ec.europa.eu%2Ftheme%2Fhy&theme=Sols&type=dataset&page=3';
  const raw: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(url.split('?')[1])) raw[k] = raw[k] === undefined ? v : [raw[k] as string, v].flat();
  const q = parseQuery(raw);
  assert.equal(q, {
    q: 'sol humide',
    bbox: [-5.2, 47.3, -1, 48.9],
    from: '2019',
    to: '2020-06',
    filters: { theme: ['http://inspire.ec.europa.eu/theme/hy', 'Sols'], type: ['dataset'] },
    page: 3,
  });
  assert.is(catalogueUrl(q), url);
  assert.is(catalogueUrl({ filters: {}, page: 1 }), '/catalogue');
  assert.is(catalogueUrl(parseQuery({ q: '  ', bbox: '', from: '' })), '/catalogue');
  assert.is(catalogueUrl({ filters: {}, page: 1 }, 'en'), '/catalogue?lang=en');
});

test('searchParams: the page and the filters that searchRecords has', () => {
  const q = parseQuery({ q: 'glacier', page: '2', source: ['a', 'b'], keyword: 'Hydrologie', type: 'service' });
  assert.equal(searchParams(q), {
    size: 20,
    offset: 20,
    aggs: true,
    facetSize: 12,
    q: 'glacier',
    keyword: ['Hydrologie'],
    type: ['service'],
    source: ['a', 'b'],
  });
});

test('toggling a filter adds or removes one value and goes back to page 1; without drops a criterion', () => {
  const q = parseQuery({ theme: 'a', page: '4' });
  assert.equal(toggleFilter(q, 'theme', 'b'), { filters: { theme: ['a', 'b'] }, page: 1 });
  assert.equal(toggleFilter(q, 'theme', 'a'), { filters: {}, page: 1 });
  assert.equal(without(parseQuery({ q: 'x', bbox: '0,0,1,1', page: '2' }), 'bbox'), { q: 'x', filters: {}, page: 1 });
});

test('bad values are UsageErrors naming the parameter', () => {
  fails({ bbox: '1,2,3' }, 'bbox', /bbox must be 4 numbers.*west,south,east,north/);
  fails({ bbox: '1,2,3,x' }, 'bbox', /bbox north must be a number/);
  fails({ bbox: '0,50,1,40' }, 'bbox', /south 50 is north of north 40/);
  fails({ page: '0' }, 'page', /page must be a whole number from 1/);
  fails({ page: '2.5' }, 'page', /page must be a whole number/);
  fails({ page: '501' }, 'page', /beyond the 10,000 records/);
  fails({ q: ['a', 'b'] }, 'q', /q may be given once/);
  fails({ type: 'map' }, 'type', /type must be one of dataset, series, service \(got "map"\)/);
  fails({ theme: Array.from({ length: 21 }, (_, i) => String(i)) }, 'theme', /at most 20 times/);
  fails({ from: '2019-02-30' }, 'from', /from must be a date/);
  fails({ from: '2020', to: '2019-12' }, 'from', /from \(2020\) is after to \(2019-12\)/);
  assert.is(parseQuery({ from: '2019-12', to: '2019-12' }).to, '2019-12');
  assert.equal(parseBbox(' -5.2 , 47.3,-1 ,48.9 '), [-5.2, 47.3, -1, 48.9]);
  assert.equal(parseBbox('170 -20 -170 -10'), [170, -20, -170, -10]);
});

test.run();
