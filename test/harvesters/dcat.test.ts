/**
 * The DCAT harvester against a replay server of the project's own (test/helpers/replay.ts) serving real DCAT files
 * from public portals' test suites (test/fixtures/dcat/README.md): udata's paged JSON-LD catalogues (the current
 * hydra:PartialCollectionView and the older hydra:PagedCollection), CKAN's RDF/XML and Turtle, SEMIC's DCAT-AP 3
 * examples (a JSON-LD context that must be mapped locally), broken files of those suites (an undefined Turtle prefix),
 * and pages whose links loop, leave the host or never end.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { harvestDcat, type DcatHarvestOptions } from '../../harvesters/dcat/index.js';
import type { Notice, RawRecord } from '../../harvesters/types.js';
import { SourceError, UsageError, type Failure } from '../../core/result.js';
import { mapRecord } from '../../pipelines/map.js';
import { projectPath } from '../../schemas/paths.js';
import { replayServer, type ReplayAnswer, type ReplayServer } from '../helpers/replay.js';

const fixture = (name: string) => projectPath('test', 'fixtures', 'dcat', name);
const read = (name: string) => readFileSync(fixture(name), 'utf8');
const SEMIC_CONTEXT = 'https://semiceu.github.io/uri.semic.eu-generated/DCAT-AP/releases/3.0.0/html/examples/context.jsonld';

interface Run {
  records: RawRecord[];
  failures: Failure[];
  notices: Notice[];
  error?: Error;
}

async function run(o: Omit<DcatHarvestOptions, 'source'> & { source?: string }): Promise<Run> {
  const out: Run = { records: [], failures: [], notices: [] };
  try {
    for await (const item of harvestDcat({ source: 'fx', ...o })) {
      if (item.kind === 'record') out.records.push(item.raw);
      else if (item.kind === 'failure') out.failures.push(item.failure);
      else out.notices.push(item.notice);
    }
  } catch (err) {
    out.error = err as Error;
  }
  return out;
}

const truncated = (r: Run) => r.notices.some((n) => n.data?.truncated === true);
const ids = (r: Run) => r.records.map((x) => x.id);

/** udata's two recorded pages, their links pointing back at the replay server. */
function udataPages(kind: 'partial' | 'paged'): (page: string) => ReplayAnswer {
  return (page) => ({
    body: read(`udata-${kind}-collection-${page}.jsonld`).replaceAll('http://data.test.org/catalog.jsonld', '{{BASE}}/catalog.jsonld'),
    type: 'application/ld+json',
  });
}

let srv: ReplayServer;
test.before(async () => {
  srv = await replayServer((req) => {
    const page = req.query.get('page') ?? '1';
    switch (req.path) {
      case '/catalog.jsonld':
        return udataPages('partial')(page);
      case '/paged/catalog.jsonld':
        return {
          ...udataPages('paged')(page),
          body: udataPages('paged')(page).body.replaceAll('/catalog.jsonld', '/paged/catalog.jsonld'),
        };
      case '/ckan':
        return { body: read('ckanext-dcat-catalog.rdf'), type: 'application/rdf+xml; charset=utf-8' };
      case '/ttl':
        // Turtle served as text/plain: the first characters say what it is
        return { body: read('ckanext-dcat-dataset_multilingual.ttl'), type: 'text/plain' };
      case '/broken.ttl':
        return { body: read('ckanext-dcat-dataset.ttl'), type: 'text/turtle' };
      case '/semic':
        return { body: read('semic-dcat-ap-3.0.1-example-bee-population-dataset-series-combined.jsonld'), type: 'application/ld+json' };
      case '/html':
        return { body: '<!DOCTYPE html><html><body>Maintenance</body></html>', type: 'text/html' };
      case '/loop': {
        // page 2 names page 1 as its next page (its previous link made a next one, its last link removed)
        if (page === '1')
          return { ...udataPages('partial')('1'), body: udataPages('partial')('1').body.replaceAll('/catalog.jsonld', '/loop') };
        const body = udataPages('partial')('2')
          .body.replaceAll('/catalog.jsonld', '/loop')
          .replace('"http://www.w3.org/ns/hydra/core#previous"', '"http://www.w3.org/ns/hydra/core#next"')
          .replace(/"http:\/\/www\.w3\.org\/ns\/hydra\/core#last": \[[^\]]*\],?/, '');
        return { body, type: 'application/ld+json' };
      }
      case '/elsewhere':
        return { ...udataPages('partial')('1'), body: read('udata-partial-collection-1.jsonld') }; // next page on data.test.org
      default:
        return { status: 404, body: 'not found', type: 'text/plain' };
    }
  });
});
test.after(() => srv.close());

test('a paged JSON-LD catalogue (hydra:PartialCollectionView): every dataset of both pages, read whole', async () => {
  srv.requests.length = 0;
  const r = await run({ url: `${srv.url}/catalog.jsonld?page=1` });
  assert.is(r.error, undefined);
  assert.equal(ids(r), ['1', '2', '3', '4']);
  assert.equal(
    srv.requests.map((q) => q.url),
    ['/catalog.jsonld?page=1', '/catalog.jsonld?page=2'],
  );
  assert.match(String(srv.requests[0].headers.accept), /^application\/rdf\+xml, text\/turtle/);
  assert.not.ok(truncated(r));
  const first = r.notices[0];
  assert.equal(first.data, { format: 'jsonld', paging: 'PartialCollectionView', matched: 4 });
  assert.match(r.notices.at(-1)!.message, '4 record(s) in 2 page(s); stopped: last-page');
  // every record is a DCAT description the crosswalk maps and the record schema accepts
  for (const raw of r.records) {
    assert.is(raw.format, 'dcat');
    assert.is(raw.url, `http://data.test.org/datasets/${raw.id}`);
    const m = mapRecord(raw, { harvestedAt: '2026-12-01T00:00:00Z' });
    assert.ok(m.ok, JSON.stringify(m));
  }
});

test('the older hydra:PagedCollection (nextPage, totalItems) pages the same catalogue', async () => {
  const r = await run({ url: `${srv.url}/paged/catalog.jsonld?page=1` });
  assert.is(r.error, undefined);
  assert.equal(ids(r), ['1', '2', '3', '4']);
  assert.equal(r.notices[0].data, { format: 'jsonld', paging: 'PagedCollection', matched: 4 });
  assert.not.ok(truncated(r));
});

test('the serialisation comes from the Content-Type, else from the first characters; a catalogue without hydra is one page', async () => {
  const rdfxml = await run({ url: `${srv.url}/ckan` });
  assert.is(rdfxml.error, undefined);
  assert.equal(ids(rdfxml), ['https://data.some.org/catalog/datasets/1', 'https://data.some.org/catalog/datasets/2']);
  assert.equal(rdfxml.notices[0].data, { format: 'rdfxml' });
  const ttl = await run({ url: `${srv.url}/ttl` });
  assert.is(ttl.error, undefined);
  assert.is(ttl.records.length, 1);
  assert.equal(ttl.notices[0].data, { format: 'turtle' });
  const m = mapRecord(ttl.records[0], { harvestedAt: '2026-12-01T00:00:00Z' });
  assert.ok(m.ok);
  if (m.ok)
    assert.equal(m.record.title, { ca: 'Conjunt de dades de prova DCAT', en: 'Test DCAT dataset', es: 'Conjunto de datos de prueba DCAT' });
});

test('a page that is not RDF, or RDF that does not parse, ends the harvest with a SourceError naming the page and the fault', async () => {
  const html = await run({ url: `${srv.url}/html` });
  assert.instance(html.error, SourceError);
  assert.match(html.error!.message, /DCAT page 1 .*\/html: not RDF \(Content-Type text\/html/);
  const broken = await run({ url: `${srv.url}/broken.ttl` });
  assert.instance(broken.error, SourceError);
  assert.match(broken.error!.message, /\(turtle\): not valid Turtle: Undefined prefix "healthdcatap:" on line 149/);
  assert.is(broken.records.length, 0);
  const missing = await run({ url: `${srv.url}/nothing-here`, http: { retries: 0 } });
  assert.instance(missing.error, SourceError);
  assert.match(missing.error!.message, /DCAT page 1: GET .*\/nothing-here: HTTP 404/);
});

test('JSON-LD contexts are never fetched: an unmapped remote context is named; mapped to a local copy, the catalogue reads', async () => {
  const unmapped = await run({ url: `${srv.url}/semic` });
  assert.instance(unmapped.error, SourceError);
  assert.match(unmapped.error!.message, `the JSON-LD context ${SEMIC_CONTEXT} is not loaded: contexts are never fetched`);
  const mapped = await run({ url: `${srv.url}/semic`, contexts: { [SEMIC_CONTEXT]: fixture('semic-dcat-ap-3.0.1-context.jsonld') } });
  assert.is(mapped.error, undefined);
  // the DCAT-AP 3 example of a dataset series: the series, its member datasets and the API serving them
  const types = Object.fromEntries(
    mapped.records.map((x) => [
      x.id,
      ((x.body as Record<string, unknown>)['@type'] as string[]).map((t) => t.replace(/^.*#/, '')).join(' '),
    ]),
  );
  assert.is(types['https://data.gov.gr/id/datasetseries/BeePopulation'], 'DatasetSeries');
  assert.is(types['https://data.gov.gr/id/dataset/BeePopulation2023'], 'Dataset');
  assert.ok(Object.values(types).includes('DataService'));
  assert.is(mapped.records.length, 6);
});

test('paging stops, incomplete, on a loop, a next page on another host, maxRecords and maxPages; each said', async () => {
  const loop = await run({ url: `${srv.url}/loop?page=1` });
  assert.equal(ids(loop), ['1', '2', '3', '4']);
  assert.ok(truncated(loop));
  assert.ok(loop.notices.some((n) => /was already read; paging stopped/.test(n.message)));
  const elsewhere = await run({ url: `${srv.url}/elsewhere` });
  assert.equal(ids(elsewhere), ['1', '2', '3']);
  assert.ok(
    elsewhere.notices.some((n) => /http:\/\/data\.test\.org\/catalog\.jsonld\?page=2 is on another host; not followed/.test(n.message)),
  );
  assert.ok(truncated(elsewhere));
  const bounded = await run({ url: `${srv.url}/catalog.jsonld?page=1`, maxRecords: 2 });
  assert.equal(ids(bounded), ['1', '2']);
  assert.ok(bounded.notices.some((n) => n.message === 'stopped at maxRecords 2: the harvest is incomplete'));
  assert.equal(bounded.notices[0].data?.matched, 2);
  const pages = await run({ url: `${srv.url}/catalog.jsonld?page=1`, maxPages: 1 });
  assert.equal(ids(pages), ['1', '2', '3']);
  assert.ok(pages.notices.some((n) => n.message === 'stopped after maxPages 1 pages: the harvest is incomplete'));
});

test('a local file is one page; a dataset nobody can name (a blank node without dct:identifier) is a failure, not dropped', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dcat-'));
  // a broken variant of CKAN's catalogue: its first dataset lost its IRI and its identifier
  const text = read('ckanext-dcat-catalog.rdf')
    .replace('<dcat:Dataset rdf:about="https://data.some.org/catalog/datasets/1">', '<dcat:Dataset>')
    .replace('<dct:identifier>https://data.some.org/catalog/datasets/1</dct:identifier>', '');
  writeFileSync(join(dir, 'catalog.rdf'), text);
  const r = await run({ url: join(dir, 'catalog.rdf') });
  assert.is(r.error, undefined);
  assert.equal(ids(r), ['https://data.some.org/catalog/datasets/2']);
  assert.is(r.failures.length, 1);
  assert.is(r.failures[0].stage, 'parse');
  assert.match(r.failures[0].error, 'a dcat:Dataset without dct:identifier nor IRI (a blank node)');
  assert.ok(r.failures[0].raw !== undefined);
  assert.equal(r.notices[0].data, { format: 'rdfxml' });
  const missing = await run({ url: join(dir, 'none.ttl') });
  assert.instance(missing.error, SourceError);
  assert.match(missing.error!.message, /none\.ttl: no such file/);
});

test('options are checked up front: one UsageError naming each', () => {
  assert.throws(
    () => harvestDcat({ source: 'fx', url: 'ftp://x/y', format: 'n3' as never, maxPages: 0 }),
    (e: unknown) =>
      e instanceof UsageError &&
      /url: must be an http\(s\) URL, a file: URL or a local path/.test(e.message) &&
      /format: must be one of "auto", "rdfxml", "turtle"/.test(e.message) &&
      /maxPages: must be an integer from 1 to 1000000 \(got 0\)/.test(e.message),
  );
});

test.run();
