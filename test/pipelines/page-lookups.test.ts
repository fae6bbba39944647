/**
 * What a page costs Elasticsearch when its records link other records (a series' members, a service's served datasets):
 * OAI-PMH ListRecords dcat_ap and /catalog pages read the linked records of a whole page with one search, so that the
 * requests of a page do not grow with its size, and the page is what its records served one by one make (GetRecord of
 * each; /catalog pages of one record). The index: every shared fixture family (two services), Metawal's 19115-3 series
 * with its two members, NKN's series embedding two real records, and twenty copies of Metawal's series each under a
 * source of its own (scripts/samples/source-copy.ts: a copy's members are in the copy's series). The requests are
 * counted on a client of the test's own.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Client } from '@elastic/elasticsearch';
import type { Quad } from '../../mappings/rdf/quads.js';
import { catalogPage, exportDcat } from '../../pipelines/export-dcat.js';
import { itemsFromFile } from '../../pipelines/files.js';
import { DEFAULT_IDENTITY } from '../../pipelines/hub-identity.js';
import { mapRecord } from '../../pipelines/map.js';
import { hubIdOf, oaiResponse } from '../../pipelines/oai.js';
import { projectPath } from '../../schemas/paths.js';
import type { HubRecord } from '../../schemas/record.js';
import { inSource } from '../../scripts/samples/source-copy.js';
import { fixtureRecords, indexRecords } from '../helpers/fixture-index.js';
import { embeddedSeries } from '../helpers/series.js';
import { deleteIndices, esClient, esUrl, tempIndexName } from '../helpers/services.js';

const client = await esClient();
const alias = tempIndexName('page-lookups');
const counted = new Client({ node: await esUrl() });
let requests = 0;
counted.diagnostic.on('request', () => requests++);
const byId = new Map<string, HubRecord>();
const NOW = new Date('2026-12-07T12:00:00Z');

async function read(file: string, source: string): Promise<HubRecord[]> {
  const out: HubRecord[] = [];
  for await (const item of itemsFromFile(file, source)) {
    if (item.kind !== 'record') continue;
    const r = mapRecord(item.raw, { harvestedAt: '2026-12-07T08:00:00Z' });
    if (!r.ok) throw new Error(`${file}: ${r.stage}: ${r.error}`);
    out.push(r.record);
  }
  return out;
}

test.before(async () => {
  const nkn = join(mkdtempSync(join(tmpdir(), 'page-lookups-')), 'nkn-embedded-DS_Series.xml');
  writeFileSync(nkn, embeddedSeries().xml);
  const metawal = await read(projectPath('test', 'fixtures', 'iso', 'metawal-captages-mda-DS_Series.xml'), 'metawal');
  const records = [
    ...(await fixtureRecords()),
    ...metawal,
    ...(await read(nkn, 'nkn')),
    ...Array.from({ length: 20 }, (_, c) => metawal.map((r) => inSource(r, 'metawal', `metawal-${c}`))).flat(),
  ];
  for (const r of records) byId.set(r.identifier, r);
  await indexRecords(client, alias, records);
});
test.after(async () => {
  await counted.close();
  await deleteIndices(client, `${alias}*`);
});

/** What `f` returns and the Elasticsearch requests it made. */
async function counting<T>(f: () => Promise<T>): Promise<[T, number]> {
  const before = requests;
  const value = await f();
  return [value, requests - before];
}

const members = (ids: string[]) => ids.filter((id) => byId.get(id)?.inSeries?.length).length;

// ------------------------------------------------------------------------------------------------------------ OAI-PMH

const oai = (pageSize: number) => ({
  client: counted,
  alias,
  identity: DEFAULT_IDENTITY,
  baseUrl: 'http://hub.test/oai',
  pageSize,
  now: () => NOW,
});
/**
 * The `record` elements of an answer, the blank nodes of each numbered in the order they come (the labels the RDF/XML
 * writer gives them count on from one graph to the next).
 */
const recordsOf = (xml: string) =>
  (xml.match(/<record>[\s\S]*?<\/record>/g) ?? []).map((r) => {
    const seen = new Map<string, number>();
    return r.replace(/rdf:nodeID="([^"]+)"/g, (_, id: string) => `rdf:nodeID="b${seen.get(id) ?? seen.set(id, seen.size).get(id)}"`);
  });
const idOf = (record: string) => hubIdOf(DEFAULT_IDENTITY.oaiNamespace, /<identifier>([^<]+)<\/identifier>/.exec(record)![1])!;

/** ListRecords dcat_ap to the end in pages of `pageSize`: the records of each page and its requests. */
async function listRecords(pageSize: number): Promise<{ pages: string[][]; requests: number[] }> {
  const pages: string[][] = [];
  const costs: number[] = [];
  let args: [string, string][] = [
    ['verb', 'ListRecords'],
    ['metadataPrefix', 'dcat_ap'],
  ];
  for (;;) {
    const [xml, n] = await counting(() => oaiResponse(oai(pageSize), args));
    pages.push(recordsOf(xml));
    costs.push(n);
    const token = /<resumptionToken[^>]*>([^<]+)<\/resumptionToken>/.exec(xml)?.[1];
    if (!token) return { pages, requests: costs };
    args = [
      ['verb', 'ListRecords'],
      ['resumptionToken', token],
    ];
  }
}

test('OAI-PMH ListRecords dcat_ap: two requests a page, of 5 records as of 60, and each record as GetRecord serves it', async () => {
  const small = await listRecords(5);
  const big = await listRecords(60);
  const all = big.pages.flat();
  assert.is(all.length, byId.size);
  assert.equal(small.pages.flat(), all, 'the same records whatever the page size');
  // a page of 60 holds members of many series: one search per member would make dozens of requests
  assert.ok(Math.max(...big.pages.map((p) => members(p.map(idOf)))) >= 20);
  // the list's search, and one search for the series of the page's members
  assert.ok(Math.max(...big.requests) <= 2, `requests per page of 60: ${big.requests.join(', ')}`);
  assert.ok(Math.max(...small.requests) <= 2, `requests per page of 5: ${small.requests.join(', ')}`);
  for (const record of all) {
    const id = idOf(record);
    const one = await oaiResponse(oai(60), [
      ['verb', 'GetRecord'],
      ['metadataPrefix', 'dcat_ap'],
      ['identifier', /<identifier>([^<]+)<\/identifier>/.exec(record)![1]],
    ]);
    assert.equal(recordsOf(one), [record], `${id}: GetRecord and ListRecords`);
  }
  // a member's series is described in its record, from the series' own record
  const member = all.find((r) => idOf(r).startsWith('metawal-7:') && byId.get(idOf(r))!.inSeries);
  assert.ok(member?.includes('dcat#DatasetSeries'), 'the member describes its series');
});

// ------------------------------------------------------------------------------------------------------------ /catalog

/**
 * The triples of a graph as lines, each blank node named by what it says (a digest of its triples, recursively): the
 * labels of blank nodes differ from one graph made to the next.
 */
function triples(quads: Quad[]): Set<string> {
  const about = new Map<string, Quad[]>();
  for (const q of quads) if (q.subject.termType === 'BlankNode') about.set(q.subject.value, [...(about.get(q.subject.value) ?? []), q]);
  const names = new Map<string, string>();
  const name = (b: string): string => {
    let n = names.get(b);
    if (n === undefined) {
      names.set(b, 'cycle');
      const said = (about.get(b) ?? []).map((q) => `${q.predicate.value} ${term(q.object)}`).sort();
      n = `_:${createHash('sha256').update(said.join('\n')).digest('hex').slice(0, 16)}`;
      names.set(b, n);
    }
    return n;
  };
  const term = (t: Quad['object']): string =>
    t.termType === 'BlankNode'
      ? name(t.value)
      : t.termType === 'Literal'
        ? `${JSON.stringify(t.value)}@${t.language}^^${t.datatype.value}`
        : `<${t.value}>`;
  return new Set(quads.map((q) => `${term(q.subject)} <${q.predicate.value}> ${term(q.object)}`));
}

/** The catalogue in pages of `pageSize`, with or without the nonconforming records: each page's triples and requests. */
async function catalogPages(pageSize: number, includeNonconforming: boolean) {
  const pages: { triples: Set<string>; items: number; leftOut: number; ids: string[] }[] = [];
  const costs: number[] = [];
  let after: string | undefined;
  for (;;) {
    const req = { pageSize, includeNonconforming, ...(after !== undefined ? { after } : {}) };
    const [page, n] = await counting(() => catalogPage(counted, alias, DEFAULT_IDENTITY, req));
    const ids = [...byId.keys()].filter((id) => id >= page.firstId! && id <= page.lastId!);
    pages.push({ triples: triples(page.quads), items: page.items, leftOut: page.leftOut.total, ids });
    costs.push(n);
    if (!page.hasNext) return { pages, requests: costs };
    after = page.lastId;
  }
}

for (const includeNonconforming of [false, true])
  test(`/catalog${includeNonconforming ? ' include-nonconforming' : ''}: four requests a page, of 1 record as of 60, and a page is its records' pages of one`, async () => {
    const one = await catalogPages(1, includeNonconforming);
    const big = await catalogPages(60, includeNonconforming);
    assert.is(one.pages.length, byId.size);
    assert.ok(Math.max(...big.pages.map((p) => members(p.ids))) >= 20);
    // the count, the catalogue's last change, the page's search, one search for what its records link
    assert.ok(Math.max(...big.requests) <= 4, `requests per page of 60: ${big.requests.join(', ')}`);
    assert.ok(Math.max(...one.requests) <= 4, `requests per page of 1: ${one.requests.join(', ')}`);
    big.pages.forEach((page, k) => {
      const ones = one.pages.slice(k * 60, (k + 1) * 60);
      assert.equal([...page.triples].sort(), [...new Set(ones.flatMap((p) => [...p.triples]))].sort(), `page ${k + 1}`);
      assert.is(
        page.items,
        ones.reduce((n, p) => n + p.items, 0),
      );
      assert.is(
        page.leftOut,
        ones.reduce((n, p) => n + p.leftOut, 0),
      );
    });
  });

test('harvester export dcat: one search for what a page of 500 records links', async () => {
  let text = '';
  const out = new Writable({
    write(chunk, _enc, done) {
      text += String(chunk);
      done();
    },
  });
  const [summary, n] = await counting(() => exportDcat({ client: counted, alias, identity: DEFAULT_IDENTITY, format: 'ntriples', out }));
  assert.is(summary.matched, byId.size);
  assert.ok(text.includes('http://www.w3.org/ns/dcat#DatasetSeries'));
  // open the point in time, count, the page, what it links, close
  assert.is(n, 5);
});

test.run();
