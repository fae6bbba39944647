/** nextPage: every stop condition, on the SearchResults values of the real pages. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { nextPage } from '../../harvesters/csw/paging.js';
import { splitCswResponse } from '../../harvesters/csw/records.js';
import { sharedFixture } from '../../schemas/paths.js';

const counts = (f: string) => {
  const p = splitCswResponse(readFileSync(sharedFixture('csw', f), 'utf8'));
  return { matched: p.matched, returned: p.returned, nextRecord: p.nextRecord, count: p.records.length };
};

test('follows nextRecord of a real pycsw page (18 matched, 5 returned, nextRecord 6)', () => {
  const c = counts('pycsw-apiso-GetRecords-all.xml');
  assert.equal(nextPage({ start: 1, harvested: c.count }, c), { next: c.nextRecord });
});

test('follows nextRecord of the real GeoNetwork page even when it jumps (216 matched, nextRecord 85)', () => {
  const c = counts('owslib-inspire-getrecords-response.xml');
  assert.equal(nextPage({ start: 83, harvested: 84 }, c), { next: 85 });
});

test('stop: nextRecord 0', () => {
  const d = nextPage({ start: 22, harvested: 26 }, { matched: 26, returned: 5, nextRecord: 0, count: 5 });
  assert.equal(d, { stop: 'nextRecord 0: last page', level: 'info' });
});

test('stop: nextRecord beyond numberOfRecordsMatched (GeoNetwork last page: matched + 1)', () => {
  const d = nextPage({ start: 211, harvested: 216 }, { matched: 216, returned: 6, nextRecord: 217, count: 6 });
  assert.ok('stop' in d && d.level === 'info' && /beyond numberOfRecordsMatched 216/.test(d.stop), JSON.stringify(d));
});

test('stop: zero records returned (info at the end, warn when the server counted more)', () => {
  const end = nextPage({ start: 27, harvested: 26 }, { matched: 26, returned: 0, nextRecord: 27, count: 0 });
  assert.ok('stop' in end && end.level === 'info', JSON.stringify(end));
  const early = nextPage({ start: 8, harvested: 7 }, { matched: 26, returned: 0, nextRecord: 8, count: 0 });
  assert.ok('stop' in early && early.level === 'warn' && /numberOfRecordsMatched is 26/.test(early.stop), JSON.stringify(early));
});

test('stop: a nextRecord that does not advance (equal to or before startPosition) is a warned stop, not a loop', () => {
  for (const nextRecord of [6, 1, -3]) {
    const d = nextPage({ start: 6, harvested: 10 }, { matched: 18, returned: 5, nextRecord, count: 5 });
    assert.ok('stop' in d && d.level === 'warn' && /does not advance/.test(d.stop), JSON.stringify(d));
  }
});

test('stop: configured maxRecords reached (before anything the server says)', () => {
  const d = nextPage({ start: 1, harvested: 7, maxRecords: 7 }, { matched: 26, returned: 7, nextRecord: 8, count: 7 });
  assert.equal(d, { stop: 'maxRecords 7 reached', level: 'info' });
  assert.equal(nextPage({ start: 1, harvested: 7, maxRecords: 8 }, { matched: 26, returned: 7, nextRecord: 8, count: 7 }), { next: 8 });
});

test('no nextRecord: falls back to start + numberOfRecordsReturned, else the records counted', () => {
  assert.equal(nextPage({ start: 1, harvested: 5 }, { matched: 18, returned: 5, count: 5 }), { next: 6 });
  assert.equal(nextPage({ start: 1, harvested: 4 }, { matched: 18, returned: 5, count: 4 }), { next: 6 });
  assert.equal(nextPage({ start: 11, harvested: 14 }, { count: 4 }), { next: 15 });
  const last = nextPage({ start: 16, harvested: 18 }, { matched: 18, returned: 3, count: 3 });
  assert.ok('stop' in last && /next position 19 \(no nextRecord\) is beyond/.test(last.stop), JSON.stringify(last));
});

test('servers that cap pages: the next page starts where the server says, never start + pageSize', () => {
  // Asked 100, got 7 (pycsw server.maxrecords 7).
  assert.equal(nextPage({ start: 1, harvested: 7 }, { matched: 26, returned: 7, nextRecord: 8, count: 7 }), { next: 8 });
});

test.run();
