/**
 * Members of an ISO dataset series given by xlink:href only (harvesters/csw/members.ts): Northwest Knowledge Network's
 * Challis LiDAR series (142 `gmd:has xlink:href` tiles, test/fixtures/iso) served by a loopback CSW (test/helpers/
 * fault-csw.ts), its links pointing at a loopback server (node:http, test-only) that serves real ISO records from the
 * fixtures under the tiles' own paths, and every way a member link fails; and an ISO 19115-3 series (mda:DS_Series)
 * whose member is a link to a real 19115-3 record. Nothing leaves the machine: the links the
 * test does not serve are never followed (members.max), and the refused ones are refused before any connection.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { readFileSync } from 'node:fs';
import { harvestCsw, checkOptions, splitCswResponse, type CswHarvestOptions } from '../../harvesters/csw/index.js';
import { memberUrl } from '../../harvesters/csw/members.js';
import type { Notice, RawRecord } from '../../harvesters/types.js';
import { mapRecords } from '../../pipelines/map.js';
import { warningLine } from '../../core/warnings.js';
import { recordIri, type HubRecord } from '../../schemas/record.js';
import { faultyCsw } from '../helpers/fault-csw.js';
import { SERIES_ID, MEMBER_ID } from '../helpers/series.js';
import { projectPath, sharedFixture } from '../../schemas/paths.js';

const own = (f: string): string => readFileSync(projectPath('test', 'fixtures', 'iso', f), 'utf8');
const NKN = own('nkn-challis-lidar-DS_Series.xml');
const NKN_HOST = 'http://www.northwestknowledge.net';
const METAWAL_ID = '74f81503-8d39-4ec8-a49a-c76e0cd74946';
/** The tiles' links, in document order (142). */
const LINKS = [...NKN.matchAll(/<gmd:has xlink:href="([^"]+)"\/>/g)].map((m) => m[1]);
const tile = (n: number): string => `_${String(n).padStart(3, '0')}.las.xml`;

/** What the member server answers for tile n (by the end of its path). */
const DOV = readFileSync(sharedFixture('csw', 'owslib-csw_dov_getrecordbyid.xml'), 'utf8'); // a real GetRecordByIdResponse
const ANSWERS: Record<number, { status?: number; type?: string; body?: string; hang?: true }> = {
  1: { body: own('nkn-rathdrum-prairie-aquifer-iso19139.xml') }, // a bare ISO 19139 record, with its XML declaration
  2: { body: DOV }, // a GetRecordById answer holding one gmd:MD_Metadata
  3: { body: readFileSync(sharedFixture('iso19139', 'pycsw-apiso-T_ortho_RAS_1998_284404.xml'), 'utf8') },
  4: { status: 404, body: 'not found' },
  5: { type: 'text/html', body: '<!DOCTYPE html><html><head><title>Sign in</title></head><body>login</body></html>' },
  6: { body: readFileSync(sharedFixture('iso19115-3', 'owslib-metawal.wallonie.be-catchments.xml'), 'utf8') }, // 19115-3
  7: {
    body: own('nkn-rathdrum-prairie-aquifer-iso19139.xml').replace('</gmd:MD_Metadata>', `<!--${'x'.repeat(60_000)}--></gmd:MD_Metadata>`),
  },
  8: { hang: true },
  12: { status: 503, body: 'busy' },
  11: {
    body: `<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e "e">]>\n${own('nkn-rathdrum-prairie-aquifer-iso19139.xml').replace(/^<\?xml[^>]*>\s*/, '')}`,
  },
};
/** A real ISO 19115-3 record (AuScope's 3D model, mdb 2.0), for a 19115-3 series' member. */
const AUSCOPE = readFileSync(sharedFixture('iso19115-3', 'owslib-auscope-3d-model.xml'), 'utf8');
const IDS = { 1: MEMBER_ID, 2: '6c39d716-aecc-4fbc-bac8-4f05a49a78d5', 3: 'de53e931-778a-4792-94ad-9fe507aca483' };

async function memberServer(host = '127.0.0.1') {
  const paths: string[] = [];
  const authorizations: (string | undefined)[] = [];
  const sockets = new Set<Socket>();
  const hanging = new Set<ServerResponse>();
  const flight = { now: 0, max: 0 };
  const server = createServer((req, res) => {
    paths.push(req.url ?? '');
    authorizations.push(req.headers.authorization);
    flight.now++;
    flight.max = Math.max(flight.max, flight.now);
    res.on('close', () => flight.now--);
    const n = Number(/_(\d{3})\.las\.xml$/.exec(req.url ?? '')?.[1]);
    const a = req.url === '/auscope.xml' ? { body: AUSCOPE } : (ANSWERS[n] ?? { status: 404, body: 'no such tile' });
    if (a.hang) return void hanging.add(res);
    // a little later, so that requests overlap as far as the harvester lets them
    setTimeout(() => {
      res.writeHead(a.status ?? 200, { 'content-type': a.type ?? 'application/xml; charset=UTF-8' });
      res.end(a.body);
    }, 40);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, host, r));
  const port = (server.address() as AddressInfo).port;
  return {
    base: `http://${host}:${port}`,
    port,
    paths,
    authorizations,
    flight,
    close: () =>
      new Promise<void>((resolve) => {
        for (const r of hanging) r.destroy();
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The NKN series with its links on the member server; link 9 on a private address, link 10 on the cloud metadata one. */
function series(base: string, port: number): string {
  let k = 0;
  const xml = NKN.replace(/<gmd:has xlink:href="([^"]+)"\/>/g, (_m, href: string) => {
    k++;
    const moved =
      k === 9 ? `http://10.1.2.3:${port}/${tile(9)}` : k === 10 ? `http://169.254.169.254/${tile(1)}` : href.replace(NKN_HOST, base);
    return `<gmd:has xlink:href="${moved}"/>`;
  });
  return xml.slice(xml.indexOf('<gmd:DS_Series'));
}

async function harvest(opts: Partial<CswHarvestOptions> & { url: string }) {
  const records: RawRecord[] = [];
  const notices: Notice[] = [];
  const h = harvestCsw({ source: 'nkn', ...opts, http: { retryDelayMs: 1, headers: { authorization: 'Bearer csw-only' } } });
  for (;;) {
    const next = await h.next();
    if (next.done) return { records, notices, end: next.value };
    const item = next.value;
    if (item.kind === 'record') records.push(item.raw);
    else if (item.kind === 'notice') notices.push(item.notice);
    else assert.unreachable(JSON.stringify(item));
  }
}

test('the fixture: 142 member links, all on NKN', () => {
  assert.is(LINKS.length, 142);
  assert.ok(LINKS.every((l) => l.startsWith(`${NKN_HOST}/data/`) && l.endsWith('.las.xml')));
});

test('by default member links are not followed: the series is one record, nothing is fetched', async () => {
  const m = await memberServer();
  const csw = await faultyCsw({ records: [{ id: SERIES_ID, xml: series(m.base, m.port) }] });
  try {
    const { records, end } = await harvest({ url: csw.url });
    assert.ok(end.complete);
    assert.equal(
      records.map((r) => r.id),
      [SERIES_ID],
    );
    assert.equal(m.paths, []);
    assert.is(checkOptions({ source: 'nkn', url: csw.url }).options!.members.resolve, false);
  } finally {
    await Promise.all([csw.close(), m.close()]);
  }
});

test('members.resolve: each link fetched through the guard, bounded, becomes a member record; each failed link a warning naming the series', async () => {
  const m = await memberServer();
  const csw = await faultyCsw({ records: [{ id: SERIES_ID, xml: series(m.base, m.port) }] });
  try {
    const { records, notices, end } = await harvest({
      url: csw.url,
      members: { resolve: true, max: 12, concurrency: 2, maxBytes: 50_000, timeoutMs: 400 },
    });
    // the series, then the 3 members that could be read, in document order, each with its link as its URL
    assert.equal(
      records.map((r) => [r.id, r.context, r.url ?? null]),
      [
        [SERIES_ID, undefined, records[0].url ?? null],
        [IDS[1], { series: { id: SERIES_ID, position: 1, of: 3 } }, `${m.base}/data/${LINKS[0].split('/data/')[1]}`],
        [IDS[2], { series: { id: SERIES_ID, position: 2, of: 3 } }, `${m.base}/data/${LINKS[1].split('/data/')[1]}`],
        [IDS[3], { series: { id: SERIES_ID, position: 3, of: 3 } }, `${m.base}/data/${LINKS[2].split('/data/')[1]}`],
      ],
    );
    assert.ok(records[0].url!.includes('GetRecordById'), records[0].url);
    // bounded: 2 at once; only the first 10 links followed; the refused ones never reached a server
    assert.ok(m.flight.max <= 2 && m.flight.max >= 1, `at most 2 at once, saw ${m.flight.max}`);
    const asked = [...new Set(m.paths.map((p) => Number(/_(\d{3})\.las\.xml$/.exec(p)![1])))].sort((a, b) => a - b);
    assert.equal(asked, [1, 2, 3, 4, 5, 6, 7, 8, 11, 12]);
    // the source's headers go to the CSW only, never to a member's host
    assert.ok(m.authorizations.length > 0 && m.authorizations.every((a) => a === undefined));
    // one warning per link that could not be used, naming the series and the link; one for the links not followed
    const warns = notices.filter((n) => n.level === 'warn').map((n) => n.message);
    const about = (k: number) => warns.filter((w) => w.includes(`gmd:DS_Series "${SERIES_ID}": member link `) && w.includes(tile(k)));
    for (const k of [4, 5, 6, 7, 8, 9, 11, 12]) assert.is(about(k).length, 1, `link ${k}: ${warns.join('\n')}`);
    assert.match(about(4)[0], /HTTP 404/);
    assert.match(about(5)[0], /an HTML page/);
    assert.match(about(6)[0], /answered an iso19115-3 record, the series is iso19139/);
    assert.match(about(7)[0], /response too large/);
    assert.match(about(8)[0], /no answer within/);
    assert.match(about(9)[0], /10\.1\.2\.3.*refused.*not a public address/);
    assert.match(about(11)[0], /DOCTYPE.*entit/i);
    assert.match(about(12)[0], /HTTP 503/);
    // the links that may read another time (no answer, 503) leave the run incomplete: nothing is removed after it;
    // the others (404, HTML, another encoding, too large, refused, entities) are the links' answers
    assert.equal(
      [end.complete, !end.complete && end.reason, !end.complete && end.message],
      [
        false,
        'unreadable',
        '2 member link(s) of ISO dataset series could not be read (no answer in time, a network error, 429 or 5xx): their records are kept',
      ],
    );
    const metadata = warns.filter((w) => w.includes('http://169.254.169.254/'));
    assert.is(metadata.length, 1, warns.join('\n'));
    assert.match(metadata[0], /refused, 169\.254\.169\.254 is not a public address \(linkLocal\)/);
    assert.ok(
      warns.includes(
        `gmd:DS_Series "${SERIES_ID}": 142 members given by xlink:href, the first 12 followed (members.max); the other 130 stay links, the first ${LINKS[12].replace(NKN_HOST, m.base)}`,
      ),
      warns.join('\n'),
    );

    // mapped: the series lists its 3 members, each member is in the series; the links left are said
    const results = mapRecords(records, { harvestedAt: '2026-12-07T06:00:00Z' });
    const [s, ...members] = results.map((r) => (r.ok ? r.record : assert.unreachable(JSON.stringify(r)))) as HubRecord[];
    assert.equal(s.seriesMember, [recordIri('nkn', IDS[1]), recordIri('nkn', IDS[2]), recordIri('nkn', IDS[3])]);
    for (const member of members) assert.equal(member.inSeries, [s['@id']]);
    const sw = results[0].ok ? results[0].warnings!.map(warningLine) : [];
    assert.ok(
      sw.some((w) => w.includes('139 member dataset(s) given by reference only')),
      sw.join('\n'),
    );
  } finally {
    await Promise.all([csw.close(), m.close()]);
  }
});

test('an ISO 19115-3 series (mda:DS_Series) giving a member by link: fetched and split the same way', async () => {
  const m = await memberServer();
  const mda = own('metawal-captages-mda-DS_Series.xml');
  const linked = mda.replace(
    /<mda:composedOf>[\s\S]*<\/mda:composedOf>/,
    `<mda:composedOf><mda:DS_DataSet><mda:has xlink:href="${m.base}/auscope.xml"/></mda:DS_DataSet></mda:composedOf>`,
  );
  const csw = await faultyCsw({ records: [{ id: METAWAL_ID, xml: linked.slice(linked.indexOf('<mda:DS_Series')) }] });
  try {
    const { records, end } = await harvest({ url: csw.url, members: { resolve: true } });
    assert.ok(end.complete);
    assert.equal(
      records.map((r) => [r.id, r.format, r.context, r.url]),
      [
        [METAWAL_ID, 'iso19115-3', undefined, records[0].url],
        ['5ebc3cb7-a3b5-4760-a8ff-851d5d5beb32', 'iso19115-3', { series: { id: METAWAL_ID, position: 1, of: 1 } }, `${m.base}/auscope.xml`],
      ],
    );
    const results = mapRecords(records, { harvestedAt: '2026-12-07T06:00:00Z' });
    const [s, member] = results.map((r) => (r.ok ? r.record : assert.unreachable(JSON.stringify(r)))) as HubRecord[];
    assert.equal(s.seriesMember, [recordIri('nkn', '5ebc3cb7-a3b5-4760-a8ff-851d5d5beb32')]);
    assert.equal(member.inSeries, [s['@id']]);
  } finally {
    await Promise.all([csw.close(), m.close()]);
  }
});

/** The NKN series with its composedOf replaced (`composed` gets the member server's base URL). */
function composed(parts: string): string {
  const xml = NKN.replace(/<gmd:composedOf>[\s\S]*<\/gmd:composedOf>/, parts);
  return xml.slice(xml.indexOf('<gmd:DS_Series'));
}

test('relative member links are resolved as XLink does: against the request the series was read from, with the xml:base in scope; then guarded like any', async () => {
  const m = await memberServer();
  const csw = await faultyCsw({ records: [] });
  csw.records = [
    {
      id: SERIES_ID,
      xml: composed(
        `<gmd:composedOf><gmd:DS_DataSet xml:base="${m.base}/data/lidar/">` +
          '<gmd:has xlink:href="_001.las.xml"/>' + // against the DS_DataSet's xml:base
          '<gmd:has xlink:href="../other/_002.las.xml"/>' + // a dot-dot segment
          '<gmd:has xlink:href="#tile-3"/>' + // inside the series' own document: nothing to fetch
          '<gmd:has xml:base="http://10.1.2.3/" xlink:href="_003.las.xml"/>' + // the has' own base: a private address
          '</gmd:DS_DataSet></gmd:composedOf>' +
          // no xml:base in scope: against the GetRecords request's URL, on the CSW
          '<gmd:composedOf><gmd:DS_DataSet><gmd:has xlink:href="tiles/_005.las.xml?x=1&amp;y=2"/></gmd:DS_DataSet></gmd:composedOf>',
      ),
    },
  ];
  try {
    const { records, notices } = await harvest({ url: csw.url, members: { resolve: true } });
    assert.equal(
      records.map((r) => [r.id, r.url]),
      [
        [SERIES_ID, records[0].url],
        [IDS[1], `${m.base}/data/lidar/_001.las.xml`],
        [IDS[2], `${m.base}/data/other/_002.las.xml`],
      ],
    );
    assert.equal(m.paths.sort(), ['/data/lidar/_001.las.xml', '/data/other/_002.las.xml']);
    // the one relative to the request reached the CSW (its origin), with the query of the link, not the request's
    const csWide = csw.requests.filter((r) => r.op === 'other').map((r) => r.url);
    assert.equal(csWide, ['/tiles/_005.las.xml?x=1&y=2']);
    const warns = notices.filter((n) => n.level === 'warn').map((n) => n.message);
    const about = (text: string) => warns.filter((w) => w.includes(text));
    assert.match(about('#tile-3')[0], /member link #tile-3 could not be used \(a reference inside the series' own document/);
    assert.match(
      about('_003.las.xml')[0],
      /member link http:\/\/10\.1\.2\.3\/_003\.las\.xml \(xlink:href "_003\.las\.xml"\) could not be used \(.*refused.*not a public address/,
    );
    const onCsw = `${new URL(csw.url).origin}/tiles/_005.las.xml?x=1&y=2`;
    assert.ok(
      about('_005.las.xml')[0].includes(`member link ${onCsw} (xlink:href "tiles/_005.las.xml?x=1&y=2") could not be used`),
      warns.join('\n'),
    );
    assert.match(about('_005.las.xml')[0], /HTTP 400/);
    assert.is(warns.filter((w) => w.includes('member link')).length, 3, warns.join('\n'));
  } finally {
    await Promise.all([csw.close(), m.close()]);
  }
});

test("the base of a record in a CSW answer: the xml:base of the response and of its SearchResults, then the record's own", () => {
  const page = splitCswResponse(
    `<csw:GetRecordsResponse xmlns:csw="http://www.opengis.net/cat/csw/2.0.2" xml:base="https://catalogue.example/geonetwork/srv/"><csw:SearchResults numberOfRecordsMatched="1" numberOfRecordsReturned="1" nextRecord="0" xml:base="eng/">${series('https://nkn.example', 80)}</csw:SearchResults></csw:GetRecordsResponse>`,
  );
  const rec = page.records[0];
  assert.equal(rec.xmlBase, ['https://catalogue.example/geonetwork/srv/', 'eng/']);
  const request = 'http://10.0.0.1/csw?request=GetRecords';
  assert.equal(memberUrl({ href: 'csw?request=GetRecordById&id=a' }, rec, request), {
    url: 'https://catalogue.example/geonetwork/srv/eng/csw?request=GetRecordById&id=a',
  });
  assert.equal(memberUrl({ href: '../records/x.xml', bases: ['/other/'] }, rec, request), {
    url: 'https://catalogue.example/records/x.xml',
  });
  assert.equal(memberUrl({ href: 'GetRecordById?id=a' }, {}, request), { url: 'http://10.0.0.1/GetRecordById?id=a' });
  assert.equal(memberUrl({ href: 'https://elsewhere.example/a.xml' }, rec, request), { url: 'https://elsewhere.example/a.xml' });
  assert.ok('problem' in memberUrl({ href: 'x' }, { xmlBase: ['http://[bad'] }, request));
});

test('HUB_SSRF_ALLOW, the allow-list of the other guarded fetches, applies to member links: a private member host refused without it, reached with it', async () => {
  // the CSW on 127.0.0.1 (its own host is reachable), its series' members on 127.0.0.2: another loopback address,
  // a private network the operator has not allowed
  const m = await memberServer('127.0.0.2');
  const csw = await faultyCsw({ records: [{ id: SERIES_ID, xml: series(m.base, m.port) }] });
  const before = process.env.HUB_SSRF_ALLOW;
  try {
    delete process.env.HUB_SSRF_ALLOW;
    const refused = await harvest({ url: csw.url, members: { resolve: true, max: 1 } });
    assert.equal(
      refused.records.map((r) => r.id),
      [SERIES_ID],
    );
    assert.equal(m.paths, []);
    const why = refused.notices.filter((n) => n.level === 'warn' && n.message.includes('member link'));
    assert.is(why.length, 1, JSON.stringify(refused.notices));
    assert.match(why[0].message, /127\.0\.0\.2.*refused, 127\.0\.0\.2 is not a public address \(loopback\)/);

    process.env.HUB_SSRF_ALLOW = 'intranet.example, 127.0.0.0/8';
    const allowed = await harvest({ url: csw.url, members: { resolve: true, max: 1 } });
    assert.equal(
      allowed.records.map((r) => r.id),
      [SERIES_ID, IDS[1]],
    );
    assert.equal(m.paths, [`/data/${LINKS[0].split('/data/')[1]}`]);
    assert.ok(allowed.end.complete);

    // a mistake in the variable stops the harvest before any request, naming it
    process.env.HUB_SSRF_ALLOW = '10.0.0.0/99';
    const asked = csw.requests.length;
    assert.throws(
      () => harvestCsw({ source: 'nkn', url: csw.url, members: { resolve: true } }),
      /HUB_SSRF_ALLOW: allowed range "10\.0\.0\.0\/99"/,
    );
    assert.is(csw.requests.length, asked);
    // not read when members are not resolved
    assert.ok(harvestCsw({ source: 'nkn', url: csw.url }));
  } finally {
    if (before === undefined) delete process.env.HUB_SSRF_ALLOW;
    else process.env.HUB_SSRF_ALLOW = before;
    await Promise.all([csw.close(), m.close()]);
  }
});

test('members options are checked like any other (a misspelt key is named, with the nearest one)', () => {
  const checked = checkOptions({ source: 'nkn', url: 'https://example.org/csw', members: { reslove: true, concurrency: 0 } });
  assert.is(checked.options, undefined);
  const problems = checked.problems.map((p) => `${p.path}: ${p.message}`).join('\n');
  assert.match(problems, /members\.reslove: .*resolve/);
  assert.match(problems, /members\.concurrency/);
});

test.run();
