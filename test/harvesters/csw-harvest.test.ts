/**
 * harvestCsw against a local replay server (node:http, test-only) serving recorded pycsw pages and the broken
 * variants of test/fixtures/csw: paging, page retries, notices, every way a source fails.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, readdirSync } from 'node:fs';
import { harvestCsw, chooseBinding, chooseVersion, type CswHarvestOptions } from '../../harvesters/csw/index.js';
import { parseCapabilities } from '../../harvesters/csw/capabilities.js';
import { splitCswResponse } from '../../harvesters/csw/records.js';
import type { HarvestItem, Notice, RawRecord, RunEnd } from '../../harvesters/types.js';
import { SourceError, UsageError, type Failure } from '../../core/result.js';
import { faultyCsw, generatedRecords, type FaultyCsw } from '../helpers/fault-csw.js';
import { projectPath, sharedFixture } from '../../schemas/paths.js';

const fixture = (...p: string[]) => readFileSync(projectPath('test', 'fixtures', 'csw', ...p), 'utf8');
const CAPS = fixture('recorded', 'pycsw-GetCapabilities.xml');
/** The four recorded pages of a real pycsw (server.maxrecords 7, 26 records), by startPosition. */
const RECORDED: Record<number, string> = Object.fromEntries(
  readdirSync(projectPath('test', 'fixtures', 'csw', 'recorded'))
    .filter((f) => f.startsWith('pycsw-gmd-start'))
    .map((f) => [Number(/start(\d+)/.exec(f)![1]), fixture('recorded', f)]),
);
const RECORDED_IDS = Object.keys(RECORDED)
  .map(Number)
  .sort((a, b) => a - b)
  .flatMap((s) => splitCswResponse(RECORDED[s]).records.map((r) => r.id));
const PYCSW_PAGE = readFileSync(sharedFixture('csw', 'pycsw-apiso-GetRecords-all.xml'), 'utf8');

interface Seen {
  method: string;
  params: URLSearchParams;
  body: string;
  headers: Record<string, string | string[] | undefined>;
  /** startPosition of a GetRecords (KVP or XML body). */
  start?: number;
  maxRecords?: number;
}
type Answer = { status?: number; body: string; type?: string; headers?: Record<string, string> };
type Pages = (start: number, hit: number, seen: Seen) => Answer;

/** A replay CSW: GetCapabilities from `caps`, GetRecords from `pages(startPosition, hitsAtThatStart)`. */
async function replay(pages: Pages, caps: (hit: number) => Answer = () => ({ body: CAPS })) {
  const requests: Seen[] = [];
  const hits = new Map<string, number>();
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const params = new URL(req.url ?? '/', 'http://x').searchParams;
      const seen: Seen = { method: req.method ?? '', params, body, headers: req.headers };
      const isCaps = params.get('request') === 'GetCapabilities';
      if (!isCaps) {
        seen.start = Number(params.get('startPosition') ?? /startPosition="(\d+)"/.exec(body)?.[1]);
        seen.maxRecords = Number(params.get('maxRecords') ?? /maxRecords="(\d+)"/.exec(body)?.[1]);
      }
      requests.push(seen);
      const key = isCaps ? 'caps' : `start${seen.start}`;
      const hit = (hits.get(key) ?? 0) + 1;
      hits.set(key, hit);
      const a = isCaps ? caps(hit) : pages(seen.start!, hit, seen);
      res.writeHead(a.status ?? 200, { 'content-type': a.type ?? 'application/xml; charset=UTF-8', ...(a.headers ?? {}) });
      res.end(a.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/csw`;
  return {
    url,
    requests,
    pageRequests: () => requests.filter((r) => r.start !== undefined),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

const recordedPages: Pages = (start) => (RECORDED[start] ? { body: RECORDED[start] } : { status: 400, body: `no page at ${start}` });

interface Run {
  records: RawRecord[];
  notices: Notice[];
  error?: unknown;
}
async function collect(opts: Partial<CswHarvestOptions> & { url: string }): Promise<Run> {
  const run: Run = { records: [], notices: [] };
  try {
    for await (const item of harvestCsw({ source: 'replay', ...opts, http: { retryDelayMs: 1, ...opts.http } })) push(run, item);
  } catch (err) {
    run.error = err;
  }
  return run;
}
function push(run: Run, item: HarvestItem) {
  if (item.kind === 'record') run.records.push(item.raw);
  else if (item.kind === 'notice') run.notices.push(item.notice);
  else assert.unreachable(`no failure items expected: ${JSON.stringify(item)}`);
}
function sourceError(run: Run): SourceError {
  assert.instance(run.error, SourceError, String(run.error));
  return run.error as SourceError;
}

test('recorded pycsw: 4 pages followed by nextRecord (server caps at 7 though 100 asked), 26 distinct records', async () => {
  const s = await replay(recordedPages);
  try {
    const run = await collect({ url: s.url });
    assert.is(run.error, undefined);
    assert.equal(
      run.records.map((r) => r.id),
      RECORDED_IDS,
    );
    assert.is(new Set(RECORDED_IDS).size, 26);
    assert.equal(
      s.pageRequests().map((r) => [r.start, r.maxRecords]),
      [
        [1, 100],
        [8, 100],
        [15, 100],
        [22, 100],
      ],
    );
    const first = s.pageRequests()[0];
    assert.equal(
      [
        first.method,
        first.params.get('version'),
        first.params.get('typeNames'),
        first.params.get('outputSchema'),
        first.params.get('elementSetName'),
        first.params.get('resultType'),
      ],
      ['GET', '2.0.2', 'gmd:MD_Metadata', 'http://www.isotc211.org/2005/gmd', 'full', 'results'],
    );
    assert.is(first.headers['accept-encoding'], 'identity');
    assert.equal(run.records[7].location, `${s.url} page 2 (startPosition 8) record 1`);
    const byId = new URL(run.records[7].url!);
    assert.equal(
      [byId.origin + byId.pathname, byId.searchParams.get('request'), byId.searchParams.get('id'), byId.searchParams.get('outputSchema')],
      [s.url, 'GetRecordById', RECORDED_IDS[7], 'http://www.isotc211.org/2005/gmd'],
    );
    assert.ok(run.records.every((r) => r.source === 'replay' && r.format === 'iso19139' && typeof r.body === 'string'));
    // Records stand alone: they carry the namespaces declared on the response root.
    assert.match(run.records[0].body as string, /^<[\w:]+ [^>]*xmlns:gco="http:\/\/www.isotc211.org\/2005\/gco"/);
    const schema = run.notices[0];
    assert.equal(
      [schema.level, schema.data?.outputSchema, schema.data?.typeNames],
      ['info', 'http://www.isotc211.org/2005/gmd', 'gmd:MD_Metadata'],
    );
    // The recorded capabilities advertise http://127.0.0.1:8765/: another origin, not followed.
    assert.ok(
      run.notices.some((n) =>
        /GetRecords by GET to .*\/csw; the capabilities advertise http:\/\/127.0.0.1:8765\/, on another origin/.test(n.message),
      ),
    );
    const last = run.notices[run.notices.length - 1];
    assert.equal(
      [last.level, last.data?.pages, last.data?.records, last.data?.matched, last.data?.stop],
      ['info', 4, 26, 26, 'nextRecord 0: last page'],
    );
    assert.not.ok(
      run.notices.some((n) => n.level === 'warn'),
      JSON.stringify(run.notices),
    );
  } finally {
    await s.close();
  }
});

test('POST binding: an XML GetRecords body per page, same records', async () => {
  const s = await replay(recordedPages);
  try {
    const run = await collect({ url: s.url, method: 'POST' });
    assert.is(run.error, undefined);
    assert.equal(
      run.records.map((r) => r.id),
      RECORDED_IDS,
    );
    const p = s.pageRequests();
    assert.ok(
      p.every(
        (r) => r.method === 'POST' && r.body.includes('<csw:GetRecords ') && r.headers['content-type'] === 'application/xml; charset=UTF-8',
      ),
    );
    assert.match(p[0].body, '<csw:Query typeNames="gmd:MD_Metadata"><csw:ElementSetName>full</csw:ElementSetName></csw:Query>');
  } finally {
    await s.close();
  }
});

test('a Filter constraint selects POST by default; modifiedSince joins it on apiso:Modified', async () => {
  const s = await replay(recordedPages);
  try {
    const filter =
      '<ogc:Filter xmlns:ogc="http://www.opengis.net/ogc"><ogc:PropertyIsEqualTo><ogc:PropertyName>dc:type</ogc:PropertyName><ogc:Literal>dataset</ogc:Literal></ogc:PropertyIsEqualTo></ogc:Filter>';
    const run = await collect({ url: s.url, constraint: { filter }, modifiedSince: '2020-01-01' });
    assert.is(run.error, undefined);
    const body = s.pageRequests()[0].body;
    assert.match(body, '<ogc:And><ogc:PropertyIsEqualTo>');
    assert.match(body, '<ogc:PropertyName>apiso:Modified</ogc:PropertyName><ogc:Literal>2020-01-01</ogc:Literal>');
    const cql = await collect({ url: s.url, constraint: { cql: "dc:type = 'dataset'" }, modifiedSince: '2020-01-01' });
    assert.is(cql.error, undefined);
    const get = s.pageRequests()[s.pageRequests().length - 1];
    assert.is(get.method, 'GET');
    assert.is(get.params.get('constraint'), "(dc:type = 'dataset') AND apiso:Modified >= '2020-01-01'");
  } finally {
    await s.close();
  }
});

test('maxRecords 10: asks for 10 then 3, yields exactly 10, stops on maxRecords', async () => {
  const s = await replay(recordedPages);
  try {
    const run = await collect({ url: s.url, maxRecords: 10 });
    assert.is(run.error, undefined);
    assert.equal(
      run.records.map((r) => r.id),
      RECORDED_IDS.slice(0, 10),
    );
    assert.equal(
      s.pageRequests().map((r) => [r.start, r.maxRecords]),
      [
        [1, 10],
        [8, 3],
      ],
    );
    assert.is(run.notices[run.notices.length - 1].data?.stop, 'maxRecords 10 reached');
  } finally {
    await s.close();
  }
});

test('a nextRecord that does not advance stops with a warning instead of looping', async () => {
  // The real pycsw page says nextRecord 6 whatever startPosition it is served at: at startPosition 6, it loops.
  const s = await replay(() => ({ body: PYCSW_PAGE }));
  try {
    const run = await collect({ url: s.url });
    assert.is(run.error, undefined);
    assert.equal(
      s.pageRequests().map((r) => r.start),
      [1, 6],
    );
    assert.is(run.records.length, 10);
    assert.ok(run.notices.some((n) => n.level === 'warn' && /nextRecord 6 does not advance past startPosition 6/.test(n.message)));
  } finally {
    await s.close();
  }
});

test('a truncated page is requested again and the harvest completes', async () => {
  const cut = RECORDED[8].slice(0, Math.floor(RECORDED[8].length * 0.6));
  const s = await replay((start, hit) => (start === 8 && hit === 1 ? { body: cut } : recordedPages(start, hit, {} as Seen)));
  try {
    const run = await collect({ url: s.url });
    assert.is(run.error, undefined);
    assert.equal(
      run.records.map((r) => r.id),
      RECORDED_IDS,
    );
    assert.equal(
      s.pageRequests().map((r) => r.start),
      [1, 8, 8, 15, 22],
    );
    const warn = run.notices.find((n) => n.level === 'warn')!;
    assert.match(warn.message, 'page 2 (startPosition 8)');
    assert.match(warn.message, 'requesting it again (request 2 of at most 4)');
  } finally {
    await s.close();
  }
});

/** Everything a harvest yields, failures included, and how it ended. */
async function harvestAll(opts: Partial<CswHarvestOptions> & { url: string }) {
  const out: { records: RawRecord[]; failures: Failure[]; notices: Notice[]; end?: RunEnd; error?: unknown } = {
    records: [],
    failures: [],
    notices: [],
  };
  const h = harvestCsw({ source: 'faulty', pageSize: 25, ...opts, http: { retryDelayMs: 1, retries: 2, ...opts.http } });
  try {
    for (;;) {
      const next = await h.next();
      if (next.done) {
        out.end = next.value;
        break;
      }
      const item = next.value;
      if (item.kind === 'record') out.records.push(item.raw);
      else if (item.kind === 'failure') out.failures.push(item.failure);
      else out.notices.push(item.notice);
    }
  } catch (err) {
    out.error = err;
  }
  return out;
}
const asked = (csw: FaultyCsw) =>
  csw.requests.filter((r) => r.op !== 'GetCapabilities').map((r) => (r.op === 'GetRecords' ? [r.start, r.max] : ['byId', r.id]));

test('one bad record cuts its page on every request: re-requested, then read in halves down to it; GetRecordById reads it; the harvest goes on', async () => {
  const catalogue = generatedRecords(60);
  const csw = await faultyCsw({ records: catalogue, pageCap: 25 });
  try {
    csw.spoil(catalogue[34].id, 'truncated', { byId: false }); // position 35, on page 2
    // one budget per page: the 503 of the first request and the cut answers count together (retries 2: 3 requests)
    csw.fault = (r) => (r.n === 3 ? { status: 503 } : undefined);
    const run = await harvestAll({ url: csw.url });
    assert.is(run.error, undefined, String(run.error));
    assert.equal(
      run.records.map((r) => r.id),
      catalogue.map((r) => r.id),
      'every record, in order, none lost',
    );
    assert.equal(asked(csw), [
      [1, 25],
      [26, 25],
      [26, 25],
      [26, 25],
      [26, 13],
      [26, 7],
      [33, 6],
      [33, 3],
      [33, 2],
      [35, 1],
      ['byId', catalogue[34].id],
      [36, 3],
      [39, 12],
      [51, 25],
    ]);
    assert.equal(run.failures, []);
    assert.match(run.records[34].location, 'page 2 (startPosition 26) record 10 (position 35 in the result set), read by GetRecordById');
    assert.match(
      run.records[26].location,
      'page 2 (startPosition 26) record 2, read by a smaller request (startPosition 26, maxRecords 7)',
    );
    assert.equal(run.end, { complete: true });
    const split = run.notices.find((n) => /could not be read .* reading it again in smaller requests/.test(n.message))!;
    assert.match(split.message, 'CSW GetRecords page 2 (startPosition 26) could not be read (the page ends with');
    assert.match(split.message, '&startPosition=26&maxRecords=25');
  } finally {
    await csw.close();
  }
});

test('a record unreadable by GetRecords and GetRecordById: a failure with its position, the request URLs and the raw answer; the run is incomplete', async () => {
  const catalogue = generatedRecords(60);
  for (const fault of ['truncated', 'mismatched-tag', 'doctype-entities'] as const) {
    const csw = await faultyCsw({ records: catalogue, pageCap: 25 });
    try {
      csw.spoil(catalogue[34].id, fault);
      const run = await harvestAll({ url: csw.url });
      assert.is(run.error, undefined, `${fault}: ${String(run.error)}`);
      assert.equal(
        run.records.map((r) => r.id),
        catalogue.filter((_, k) => k !== 34).map((r) => r.id),
        `${fault}: the 59 others, in order`,
      );
      assert.is(run.failures.length, 1, fault);
      const f = run.failures[0];
      assert.equal([f.stage, f.id, f.idText, f.indexId], ['parse', undefined, catalogue[34].id, undefined], fault);
      assert.is(f.location, `${csw.url} page 2 (startPosition 26) record 10 (position 35 in the result set)`);
      assert.match(f.error, `unreadable record: GetRecords ${csw.url}?service=CSW&version=2.0.2&request=GetRecords&`);
      assert.match(f.error, '&startPosition=35&maxRecords=1: ');
      assert.match(f.error, `GetRecordById ${csw.url}?service=CSW&version=2.0.2&request=GetRecordById&id=${catalogue[34].id}`);
      assert.match(String(f.raw), '<csw:GetRecordsResponse');
      assert.equal(run.end, { complete: false, reason: 'unreadable', message: '1 record(s) could not be read (positions 35)' }, fault);
      // a DOCTYPE declaring entities is refused at once (never retried), a cut or malformed page is requested again first
      assert.is(csw.pageRequests().filter((r) => r.start === 26 && r.max === 25).length, fault === 'doctype-entities' ? 1 : 3, fault);
    } finally {
      await csw.close();
    }
  }
});

test('nothing readable at all, even record by record: the source is unusable (SourceError), not probed forever', async () => {
  const csw = await faultyCsw({ records: generatedRecords(60), pageCap: 25 });
  try {
    csw.fault = (r) => (r.op === 'GetCapabilities' ? undefined : { cut: 0.6 });
    const run = await harvestAll({ url: csw.url });
    assert.instance(run.error, SourceError);
    assert.match((run.error as Error).message, 'not one record could be read, even one by one (5 in a row, the last at startPosition 5');
    assert.is(run.records.length, 0);
    assert.is(run.failures.length, 5);
  } finally {
    await csw.close();
  }
});

test('an exception report on a later page is a server failing on a record: split too; on the first page it is the answer', async () => {
  const catalogue = generatedRecords(30);
  const csw = await faultyCsw({ records: catalogue, pageCap: 10 });
  const report =
    '<ows:ExceptionReport xmlns:ows="http://www.opengis.net/ows" version="1.2.0"><ows:Exception exceptionCode="NoApplicableCode"><ows:ExceptionText>XSLT failed</ows:ExceptionText></ows:Exception></ows:ExceptionReport>';
  try {
    // the server fails on every ISO answer that holds record 15 (page 2), as GeoNetwork does when a record's
    // conversion fails; a brief Dublin Core listing still gives its identifier, GetRecordById then reads it
    const iso = 'http://www.isotc211.org/2005/gmd';
    csw.fault = (r) =>
      r.op === 'GetRecords' && r.outputSchema === iso && r.ids.includes(catalogue[14].id)
        ? { status: 200, body: report, type: 'application/xml' }
        : undefined;
    const run = await harvestAll({ url: csw.url, pageSize: 10 });
    assert.is(run.error, undefined, String(run.error));
    assert.equal(
      run.records.map((r) => r.id),
      catalogue.map((r) => r.id),
    );
    assert.equal(run.end, { complete: true });
    const brief = csw.requests.filter((r) => r.op === 'GetRecords' && r.outputSchema !== iso);
    assert.equal(
      brief.map((r) => [r.start, r.max]),
      [[15, 1]],
    );
    assert.match(brief[0].url, 'elementSetName=brief');
    assert.equal(
      csw.requests.filter((r) => r.op === 'GetRecordById').map((r) => r.id),
      [catalogue[14].id],
    );
    csw.fault = (r) => (r.op === 'GetRecords' ? { status: 200, body: report, type: 'application/xml' } : undefined);
    const first = await harvestAll({ url: csw.url, pageSize: 10 });
    assert.instance(first.error, SourceError);
    assert.match((first.error as Error).message, 'XSLT failed');
  } finally {
    await csw.close();
  }
});

test('count mismatch (4 record elements, numberOfRecordsReturned 5): a warning, the 4 records yielded', async () => {
  const mismatch = fixture('count-mismatch.xml').replace('nextRecord="6"', 'nextRecord="0"');
  const s = await replay(() => ({ body: mismatch }));
  try {
    const run = await collect({ url: s.url });
    assert.is(run.error, undefined);
    assert.is(run.records.length, 4);
    const warn = run.notices.find((n) => /numberOfRecordsReturned is 5 but the page holds 4/.test(n.message))!;
    assert.equal([warn.level, warn.data?.returned, warn.data?.count], ['warn', 5, 4]);
    // The server matched 18 but ended at 4: said too.
    assert.ok(run.notices.some((n) => n.level === 'warn' && /4 record\(s\) harvested but the server matched 18/.test(n.message)));
  } finally {
    await s.close();
  }
});

test('unstable ordering (page 2 repeats a record of page 1): every record yielded, the duplicate counted and said', async () => {
  // the server gives the first record of page 1 again in place of the first record of page 2
  const unstable: Pages = (start) =>
    start === 8 ? { body: RECORDED[8].replaceAll(RECORDED_IDS[7]!, RECORDED_IDS[0]!) } : recordedPages(start, 1, {} as Seen);
  const s = await replay(unstable);
  try {
    const run = await collect({ url: s.url });
    assert.is(run.error, undefined);
    assert.is(run.records.length, 26);
    assert.is(run.records[7].id, RECORDED_IDS[0]);
    const warn = run.notices.find((n) => /identifier already seen/.test(n.message));
    assert.ok(warn, JSON.stringify(run.notices));
    assert.equal([warn.level, warn.data?.duplicates, warn.data?.falseAlarms], ['warn', 1, undefined]);
  } finally {
    await s.close();
  }
});

test('an ows:ExceptionReport page: SourceError with the exception text, URL and request; not retried', async () => {
  const report = readFileSync(sharedFixture('csw', 'pycsw-ExceptionReport-invalid-xml.xml'), 'utf8');
  const s = await replay(() => ({ body: report }));
  try {
    const run = await collect({ url: s.url });
    const err = sourceError(run);
    assert.is(s.pageRequests().length, 1);
    assert.match(err.message, "Element '{http://www.opengis.net/cat/csw/2.0.2}ElementNamefoo': This element is not expected");
    assert.match(err.url!, 'request=GetRecords');
    assert.match(err.request!, 'GET ');
    assert.is(run.records.length, 0);
  } finally {
    await s.close();
  }
});

test('an HTML page (200) is a SourceError naming the page; an HTML 503 is retried then reported with its text', async () => {
  const html = fixture('html-error.html');
  const s = await replay((_start, _hit, seen) =>
    seen.params.get('maxRecords') === '5' ? { status: 503, body: html, type: 'text/html' } : { body: html, type: 'text/html' },
  );
  try {
    const ok200 = await collect({ url: s.url });
    assert.match(sourceError(ok200).message, 'an HTML page, not a CSW response: "503 Service Temporarily Unavailable"');
    const before = s.pageRequests().length;
    const e503 = await collect({ url: s.url, pageSize: 5, http: { retries: 2 } });
    const err = sourceError(e503);
    assert.is(s.pageRequests().length - before, 3);
    assert.match(err.message, 'HTTP 503');
    assert.match(err.message, 'The server is temporarily unable to service your request');
    assert.match(err.message, 'after 3 attempts');
  } finally {
    await s.close();
  }
});

test('a 500 on a page is retried by the HTTP layer and the harvest completes', async () => {
  const s = await replay((start, hit) => (start === 15 && hit < 3 ? { status: 500, body: 'boom' } : recordedPages(start, hit, {} as Seen)));
  try {
    const run = await collect({ url: s.url });
    assert.is(run.error, undefined);
    assert.is(run.records.length, 26);
    assert.equal(
      s.pageRequests().map((r) => r.start),
      [1, 8, 15, 15, 15, 22],
    );
  } finally {
    await s.close();
  }
});

test('an oversized page (maxBytes): SourceError, nothing yielded from it', async () => {
  const s = await replay(recordedPages);
  try {
    const run = await collect({ url: s.url, http: { maxBytes: 100_000 } }); // page 1 is 231 kB
    const err = sourceError(run);
    assert.match(err.message, 'response too large');
    assert.match(err.message, 'page 1 (startPosition 1)');
    assert.is(run.records.length, 0);
  } finally {
    await s.close();
  }
});

test('GetCapabilities failing (404, exception report, not CSW): SourceError with its URL, no GetRecords sent', async () => {
  const report = readFileSync(sharedFixture('csw', 'pycsw-ExceptionReport-invalid-xml.xml'), 'utf8');
  for (const [answer, expected] of [
    [{ status: 404, body: 'Not Found' }, /CSW GetCapabilities failed: GET .*request=GetCapabilities.*HTTP 404/],
    [{ body: report }, /ExceptionReport: \[NoApplicableCode, locator service\]/],
    [
      { body: '<WMS_Capabilities xmlns="http://www.opengis.net/wms" version="1.3.0"/>' },
      /not CSW capabilities: root element <WMS_Capabilities>/,
    ],
  ] as const) {
    const s = await replay(recordedPages, () => answer);
    try {
      const err = sourceError(await collect({ url: s.url }));
      assert.match(err.message, expected);
      assert.match(err.url!, 'request=GetCapabilities');
      assert.is(s.pageRequests().length, 0);
    } finally {
      await s.close();
    }
  }
});

test('a GetRecords answered with something else than a GetRecordsResponse is a SourceError', async () => {
  const s = await replay(() => ({ body: CAPS }));
  try {
    const err = sourceError(await collect({ url: s.url }));
    assert.match(err.message, 'not a CSW GetRecords/GetRecordById response: root element <csw:Capabilities>');
  } finally {
    await s.close();
  }
});

test('ISO 19115-3 (recorded GeoNetwork-style page): mdb records with format iso19115-3; schema not advertised → warning', async () => {
  const s = await replay(() => ({ body: fixture('mdb-getrecords.xml') }));
  try {
    const run = await collect({ url: s.url, outputSchema: 'http://standards.iso.org/iso/19115/-3/mdb/2.0' });
    assert.is(run.error, undefined);
    assert.is(run.records.length, 4);
    assert.ok(run.records.every((r) => r.format === 'iso19115-3'));
    assert.is(run.notices[0].level, 'warn');
    assert.is(s.pageRequests()[0].params.get('outputSchema'), 'http://standards.iso.org/iso/19115/-3/mdb/2.0');
    assert.is(s.pageRequests()[0].params.get('typeNames'), 'csw:Record'); // mdb:MD_Metadata is not advertised
  } finally {
    await s.close();
  }
});

test('mixed page: every record element is yielded (CHE, gmi, gmd, mdb, csw:Record), formats where known', async () => {
  const s = await replay(() => ({ body: fixture('mixed-getrecords.xml') }));
  try {
    const run = await collect({ url: s.url });
    assert.equal(
      run.records.map((r) => r.format),
      ['iso19139', 'iso19139', 'iso19139', 'iso19115-3', undefined],
    );
    assert.is(run.records[4].id, 'urn:example:dc-record-1');
  } finally {
    await s.close();
  }
});

test('stopping early (consumer returns): the page requested ahead is abandoned, nothing rejects later', async () => {
  const s = await replay(recordedPages);
  try {
    const h = harvestCsw({ source: 'replay', url: s.url });
    let records = 0;
    for await (const item of h) if (item.kind === 'record' && ++records === 3) break;
    await new Promise((r) => setTimeout(r, 50));
    assert.is(records, 3);
    assert.ok(s.pageRequests().length <= 2);
  } finally {
    await s.close();
  }
});

test('chooseBinding / chooseVersion on real capabilities', () => {
  const caps = parseCapabilities(readFileSync(sharedFixture('csw', 'pycsw-apiso-GetCapabilities.xml'), 'utf8'));
  const advertised = caps.getRecords.get[0]; // http://localhost/pycsw/csw.py?config=...
  const sameOrigin = chooseBinding(caps, 'http://localhost/pycsw/csw.py', undefined, undefined);
  assert.equal([sameOrigin.method, sameOrigin.endpoint, sameOrigin.ignored], ['GET', advertised, undefined]);
  const other = chooseBinding(caps, 'http://127.0.0.1:9/csw', undefined, { filter: '<ogc:Filter/>' });
  assert.equal(
    [other.method, other.endpoint, other.ignored, other.notAdvertised],
    ['POST', 'http://127.0.0.1:9/csw', caps.getRecords.post[0], false],
  );
  assert.is(chooseBinding(caps, 'http://h/', 'POST', { cql: 'x' }).method, 'POST');
  const postOnly = { ...caps, getRecords: { get: [], post: caps.getRecords.post } };
  assert.is(chooseBinding(postOnly, 'http://h/', undefined, undefined).method, 'POST');
  assert.is(chooseBinding(postOnly, 'http://h/', 'GET', undefined).notAdvertised, true);
  assert.is(chooseVersion(caps), '2.0.2');
  assert.is(chooseVersion({ ...caps, version: '3.0.0', versions: ['3.0.0'] }), '3.0.0');
});

test('options are checked at the call, every problem listed', () => {
  try {
    harvestCsw({
      source: '',
      url: 'ftp://x',
      pageSize: 0,
      retries: -1,
      method: 'PUT',
      constraint: { cql: 'a', filter: '<b/>' },
      modifiedSince: 'yesterday',
      colour: 'red',
    } as never);
    assert.unreachable();
  } catch (err) {
    const m = (err as Error).message;
    for (const part of [
      'colour: unknown option (known: pageSize, maxRecords,',
      'source: must be a non-empty string (got "")',
      'url: must be an http(s) URL (got "ftp://x")',
      'pageSize: must be an integer from 1 to 10000 (got 0)',
      'http.retries: must be an integer from 0 to 20 (got -1)',
      'method: must be one of "GET", "POST" (got "PUT")',
      'constraint: give cql or filter, not both',
      'modifiedSince: must be an ISO 8601 date',
    ])
      assert.match(m, part);
    assert.instance(err, UsageError);
    assert.not.match(m, /\(known: [^)]*\b(source|url|signal)\b/); // internal names are never listed to a user
  }
  assert.throws(
    () => harvestCsw({ source: 's', url: 'http://h/', constraint: { filter: '<ogc:Filter><a></ogc:Filter>' } }),
    /constraint\.filter: is not well-formed XML/,
  );
  assert.throws(
    () => harvestCsw({ source: 's', url: 'http://h/', constraint: { filter: '<ogc:PropertyIsLike/>' } }),
    /constraint\.filter: is not usable/,
  );
});

test('the old flat HTTP spellings (retries, timeoutMs) still work, each with a warning naming http.*; both spellings at once is refused', async () => {
  const s = await replay(recordedPages);
  try {
    const run = await collect({ url: s.url, retries: 2, timeoutMs: 30_000 });
    assert.is(run.error, undefined);
    assert.is(run.records.length, 26);
    const warned = run.notices.filter((n) => n.level === 'warn' && /deprecated spelling/.test(n.message)).map((n) => n.message);
    assert.equal(warned, [
      'CSW harvester: option timeoutMs: deprecated spelling, write http.timeoutMs instead',
      'CSW harvester: option retries: deprecated spelling, write http.retries instead',
    ]);
  } finally {
    await s.close();
  }
  assert.throws(
    () => harvestCsw({ source: 's', url: 'http://h/', retries: 2, http: { retries: 3 } }),
    /retries: deprecated spelling of http\.retries, which is given too: keep http\.retries only/,
  );
});

test.run();
