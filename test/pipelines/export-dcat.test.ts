/**
 * The DCAT-AP catalogue of an index holding every fixture family: rdflib parses every serialisation of the export
 * and finds each exported record exactly once (the same graph in all four); records lacking a mandatory value are
 * left out and counted per source and reason; pyshacl with the official DCAT-AP 3.0.1 base and range shapes on the
 * whole export; /catalog walked by following hydra:next to the end (as data.gouv.fr does), in each serialisation;
 * /records/{id} negotiated.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../api/server.js';
import { catalogRoutes } from '../../api/routes/catalog.js';
import type { RdfFormat } from '../../mappings/rdf/serialize.js';
import { exportDcat, missingMandatory, sharedOnce, type ExportSummary } from '../../pipelines/export-dcat.js';
import { recordQuads } from '../../mappings/rdf/quads.js';
import { DEFAULT_IDENTITY } from '../../pipelines/hub-identity.js';
import { silentLogger } from '../../pipelines/log.js';
import { projectPath, sharedFixture } from '../../schemas/paths.js';
import type { HubRecord } from '../../schemas/record.js';
import { ensurePythonVenv, venvBin } from '../../scripts/services/python.js';
import { indexRecords } from '../helpers/fixture-index.js';
import { indexDatedFixtures } from '../helpers/oai.js';
import { deleteIndices, esClient, esUrl, tempIndexName } from '../helpers/services.js';

const client = await esClient();
const alias = tempIndexName('dcat');
const dir = mkdtempSync(join(tmpdir(), 'dcat-export-'));
let records: HubRecord[] = [];
let app: FastifyInstance;
let base = '';
const run = promisify(execFile);

test.before(async () => {
  await ensurePythonVenv();
  records = await indexDatedFixtures(client, alias);
  app = await buildServer({ client, alias, esUrl: await esUrl(), log: silentLogger, routes: [catalogRoutes()] });
  await app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
});
test.after(async () => {
  await app.close();
  await deleteIndices(client, `${alias}*`);
});

async function py<T>(...args: string[]): Promise<T> {
  const r = await run(venvBin('python'), [projectPath('test', 'api', 'rdf_check.py'), ...args], {
    maxBuffer: 256 * 1024 * 1024,
    timeout: 600_000,
  });
  return JSON.parse(r.stdout) as T;
}

const RDFLIB: Record<RdfFormat, string> = { turtle: 'turtle', rdfxml: 'xml', jsonld: 'json-ld', ntriples: 'nt' };

async function exportTo(
  format: RdfFormat,
  opts: { includeNonconforming?: boolean; source?: string } = {},
): Promise<{ file: string; summary: ExportSummary }> {
  const file = join(dir, `export-${format}-${opts.includeNonconforming ? 'all' : 'conforming'}${opts.source ?? ''}.${format}`);
  const out = createWriteStream(file);
  const summary = await exportDcat({
    client,
    alias,
    identity: DEFAULT_IDENTITY,
    format,
    out,
    includeNonconforming: opts.includeNonconforming,
    ...(opts.source ? { filters: { source: opts.source } } : {}),
  });
  out.end();
  await once(out, 'finish');
  return { file, summary };
}

test('every serialisation parses with rdflib to the same graph, each exported record once; the left-out counted per source and reason', async () => {
  const lacking = records.filter((r) => missingMandatory(r).length > 0);
  assert.ok(lacking.length >= 1, 'the fixtures hold a record lacking a mandatory value');
  const triples: number[] = [];
  for (const format of ['turtle', 'rdfxml', 'jsonld', 'ntriples'] as const) {
    const { file, summary } = await exportTo(format);
    assert.is(summary.matched, records.length);
    assert.is(summary.exported, records.length - lacking.length);
    assert.is(summary.leftOut.total, lacking.length);
    const parsed = await py<{ triples: number; items: string[]; records: number; catalogues: string[] }>('parse', file, RDFLIB[format]);
    assert.equal(parsed.catalogues, [DEFAULT_IDENTITY.catalogIri]);
    assert.is(parsed.items.length, summary.exported, format);
    assert.is(new Set(parsed.items).size, summary.exported, `${format}: each record once`);
    assert.is(parsed.records, summary.exported, `${format}: a catalog record each`);
    for (const r of lacking) assert.not.ok(parsed.items.includes(r['@id']), `${r.identifier} left out`);
    triples.push(parsed.triples);
  }
  assert.ok(
    triples.every((t) => t === triples[0]),
    `the same graph in every serialisation: ${triples.join(', ')}`,
  );
  const { summary } = await exportTo('turtle');
  const expected: Record<string, Record<string, number>> = {};
  for (const r of lacking) {
    const per = (expected[r.isPrimaryTopicOf.sourceId] ??= {});
    for (const why of missingMandatory(r)) per[why] = (per[why] ?? 0) + 1;
  }
  assert.equal(summary.leftOut.bySource, expected);
  const all = await exportTo('ntriples', { includeNonconforming: true });
  assert.is(all.summary.exported, records.length);
  assert.is(all.summary.leftOut.total, 0);
  const one = await exportTo('turtle', { source: 'ozcar' });
  assert.is(one.summary.matched, records.filter((r) => r.isPrimaryTopicOf.sourceId === 'ozcar').length);
});

test('pyshacl, the official DCAT-AP 3.0.1 base and range shapes, the whole export: no violation', async () => {
  const shapes = join(dir, 'shapes.ttl');
  writeFileSync(
    shapes,
    ['html_shacl_shapes.ttl', 'html_shacl_range.ttl'].map((f) => readFileSync(sharedFixture('dcat-ap-shacl', f), 'utf8')).join('\n'),
  );
  const { file } = await exportTo('turtle');
  const report = await py<{
    conforms: boolean;
    triples: number;
    violations: { focus: string; path: string; message: string; severity: string }[];
  }>('shacl', file, 'turtle', shapes);
  assert.ok(report.triples > 1000);
  // sh:Violation results; warnings (a series whose members are not in the catalogue) are not violations
  const violations = report.violations.filter((v) => v.severity.endsWith('#Violation'));
  assert.equal(violations, []);
  assert.ok(
    report.violations.every((v) => v.severity.endsWith('#Warning')),
    'anything else is a warning',
  );
});

test('/catalog: following hydra:next to the end finds each conforming record once, in every serialisation; last and previous links', async () => {
  const exported = records
    .filter((r) => missingMandatory(r).length === 0)
    .map((r) => r['@id'])
    .sort();
  for (const accept of ['', 'text/turtle', 'application/rdf+xml', 'application/n-triples']) {
    const walk = await py<{ pages: { items: string[]; totalItems: number; contentType: string; last: string; previous: string | null }[] }>(
      'walk',
      `${base}/catalog?pageSize=7`,
      ...(accept ? [accept] : []),
    );
    const items = walk.pages.flatMap((p) => p.items);
    assert.equal([...items].sort(), exported, `walk with Accept "${accept}"`);
    assert.is(walk.pages.length, Math.ceil(records.length / 7));
    assert.ok(walk.pages.every((p) => p.totalItems === records.length));
    assert.is(walk.pages[0].contentType, accept || 'application/ld+json');
    assert.is(walk.pages[0].previous, null);
    assert.ok(walk.pages[1].previous);
  }
  // the last page, and the pages before it by hydra:previous, are the pages of the forward walk
  const forward = await py<{ pages: { items: string[]; last: string }[] }>('walk', `${base}/catalog.ttl?pageSize=7`);
  const last = await py<{ pages: { items: string[]; previous: string | null }[] }>('walk', forward.pages[0].last);
  assert.equal(last.pages[0].items.sort(), forward.pages[forward.pages.length - 1].items.sort());
  const before = await py<{ pages: { items: string[] }[] }>('walk', last.pages[0].previous!);
  assert.equal(before.pages[0].items.sort(), forward.pages[forward.pages.length - 2].items.sort());
});

test('/catalog parameters: page size limit, unknown parameter, bad box are 400 naming the parameter; an unserved Accept is 406', async () => {
  const bad = async (q: string, param: string) => {
    const r = await app.inject({ url: `/catalog?${q}` });
    assert.is(r.statusCode, 400, q);
    assert.is(r.json().parameter, param, q);
  };
  await bad('pageSize=501', 'pageSize');
  await bad('pageSize=0', 'pageSize');
  await bad('limit=3', 'limit');
  await bad('bbox=1,2,3', 'bbox');
  await bad('bbox=-200,0,10,10', 'bbox');
  await bad('page=3', 'page');
  await bad('after=a&before=b', 'after');
  const r = await app.inject({ url: '/catalog', headers: { accept: 'image/png' } });
  assert.is(r.statusCode, 406);
  const q = await app.inject({ url: '/catalog.nt?source=ozcar&pageSize=500' });
  assert.is(q.statusCode, 200);
  assert.is(q.headers['content-type'], 'application/n-triples; charset=utf-8');
});

test('/catalog: the dcat:Catalog has dct:modified, when the index last changed (its newest datestamp), on every page', async () => {
  const newest = await client.search<{ indexed_at: string }>({
    index: alias,
    size: 1,
    sort: [{ indexed_at: 'desc' }],
    _source: ['indexed_at'],
  });
  const expected = new Date(newest.hits.hits[0]._source!.indexed_at).toISOString();
  const modified = new RegExp(
    `^<${DEFAULT_IDENTITY.catalogIri}> <http://purl\\.org/dc/terms/modified> "([^"]+)"\\^\\^<http://www\\.w3\\.org/2001/XMLSchema#dateTime> \\.$`,
    'gm',
  );
  for (const q of ['pageSize=7', 'pageSize=7&page=last', 'source=ozcar']) {
    const r = await app.inject({ url: `/catalog.nt?${q}` });
    assert.is(r.statusCode, 200, q);
    assert.equal(
      [...r.body.matchAll(modified)].map((m) => m[1]),
      [expected],
      `${q}: one dct:modified, the newest datestamp`,
    );
  }
});

test('/catalog: the pages merged into one graph keep one catalogue publisher (an IRI, not a blank node per page)', async () => {
  const publisher = new RegExp(`^<${DEFAULT_IDENTITY.catalogIri}> <http://purl\\.org/dc/terms/publisher> (\\S+) \\.$`, 'gm');
  const seen = new Set<string>();
  for (const q of ['pageSize=7', 'pageSize=3', 'pageSize=7&page=last', 'source=ozcar']) {
    const r = await app.inject({ url: `/catalog.nt?${q}` });
    assert.is(r.statusCode, 200, q);
    const found = [...r.body.matchAll(publisher)].map((m) => m[1]);
    assert.is(found.length, 1, `${q}: one dct:publisher`);
    seen.add(found[0]);
  }
  assert.equal([...seen], [`<${DEFAULT_IDENTITY.catalogIri}#publisher>`]);
});

test('harvester export dcat: what the records share is written once, from a bounded memory', async () => {
  const { file, summary } = await exportTo('ntriples', { includeNonconforming: true });
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
  assert.is(new Set(lines).size, lines.length, 'no triple twice');
  const french = records.filter((x) => x.language?.some((l) => l['@id'].endsWith('/FRA')));
  assert.ok(french.length > 1, 'several records name French');
  const fra = '<http://publications.europa.eu/resource/authority/language/FRA> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>';
  assert.is(lines.filter((l) => l.startsWith(fra)).length, 1);
  assert.is(summary.exported, records.length);

  // the memory: what is said of the record itself is always written; a shared triple once, until `max` are remembered
  const record = french[0];
  const quads = recordQuads(record);
  const own = quads.filter((q) => q.subject.termType !== 'NamedNode' || q.subject.value.startsWith(record['@id'].split('#')[0]));
  // (a record may repeat one itself: two distributions of one format)
  const shared = new Set(quads.filter((q) => !own.includes(q)).map((q) => JSON.stringify([q.subject, q.predicate, q.object])));
  assert.ok(shared.size >= 3, `the record has triples about shared resources (${shared.size})`);
  const remember = sharedOnce();
  assert.is(remember(quads).length, own.length + shared.size);
  assert.is(remember(quads).length, own.length, 'the second time, only what is its own');
  const forgetful = sharedOnce(2);
  forgetful(quads);
  assert.ok(forgetful(quads).length > own.length, 'past its limit, the memory is emptied: repeats come back, memory stays bounded');
});

test('/catalog: a page states each triple once (the records share licences, languages, formats, agents)', async () => {
  const r = await app.inject({ url: '/catalog.nt?pageSize=100' });
  assert.is(r.statusCode, 200);
  const lines = r.body.split('\n').filter((l) => l.trim() !== '');
  assert.is(new Set(lines).size, lines.length, 'no triple twice');
  // what several records share is still said, once
  const fra = lines.filter((l) =>
    l.startsWith('<http://publications.europa.eu/resource/authority/language/FRA> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>'),
  );
  assert.is(fra.length, 1);
  assert.ok(records.filter((x) => x.language?.some((l) => l['@id'].endsWith('/FRA'))).length > 1, 'several records name French');
});

test("a record's IRI dereferenced: 303 to its page for a browser, to its DCAT-AP otherwise, which names it", async () => {
  const r = records.find((x) => x.identifier.includes('/')) ?? records[0];
  const iri = new URL(r['@id']);
  assert.ok(iri.pathname.startsWith('/record/'), 'the default HUB_BASE_URI');
  const get = (path: string, accept?: string) => fetch(base + path, { redirect: 'manual', headers: accept ? { accept } : {} });
  const browser = await get(iri.pathname, 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8');
  assert.is(browser.status, 303);
  assert.is(browser.headers.get('location'), `${base}/catalogue/records/${encodeURIComponent(r.identifier)}`);
  for (const accept of [undefined, 'text/turtle', 'application/ld+json', '*/*']) {
    const rdf = await get(iri.pathname, accept);
    assert.is(rdf.status, 303, String(accept));
    const location = rdf.headers.get('location')!;
    assert.is(location, `${base}/records/${encodeURIComponent(r.identifier)}`);
    const doc = await get(location.slice(base.length), accept);
    assert.is(doc.status, 200, String(accept));
    assert.ok((await doc.text()).includes(r['@id']), `${String(accept)}: the document names the IRI`);
  }
  assert.is((await get('/record/')).status, 404);
  // a client preferring Turtle to HTML is no browser: its DCAT-AP, not the page
  const turtleFirst = await get(iri.pathname, 'text/turtle, text/html;q=0.5');
  assert.is(turtleFirst.headers.get('location'), `${base}/records/${encodeURIComponent(r.identifier)}`);
});

test('/records/{id} followed by a browser (a search result links there): 303 to the page; a suffix or an RDF client keeps the graph', async () => {
  const path = `/records/${encodeURIComponent(records[0].identifier)}`;
  const page = `${base}/catalogue/records/${encodeURIComponent(records[0].identifier)}`;
  const get = (url: string, accept: string) => fetch(base + url, { redirect: 'manual', headers: { accept } });
  const chromium = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';
  const browser = await get(path, chromium);
  assert.equal([browser.status, browser.headers.get('location'), browser.headers.get('vary')], [303, page, 'Accept']);
  // (the page itself: test/api/routes/pages.test.ts; this server has the DCAT-AP routes only)
  for (const [url, accept, type] of [
    [`${path}.ttl`, chromium, 'text/turtle'],
    [path, 'text/turtle, text/html;q=0.5', 'text/turtle'],
    [path, 'application/ld+json, text/html;q=0.9', 'application/ld+json'],
  ]) {
    const res = await get(url, accept);
    assert.is(res.status, 200, `${url} ${accept}`);
    assert.match(res.headers.get('content-type')!, new RegExp(`^${type.replace('+', '\\+')}`), `${url} ${accept}`);
  }
});

test('/records/{id}: JSON-LD by default, Turtle and RDF/XML by Accept or suffix, a Link to the source record; 404', async () => {
  // a record harvested over HTTP (the fixtures were read from files)
  const r = structuredClone(records[0]);
  r.isPrimaryTopicOf.sourceUrl = 'https://catalogue.example.org/csw?request=GetRecordById&id=x';
  await indexRecords(client, alias, [r], 'http');
  const path = `/records/${encodeURIComponent(r.identifier)}`;
  const json = await app.inject({ url: path });
  assert.is(json.statusCode, 200);
  assert.is(json.headers['content-type'], 'application/ld+json; charset=utf-8');
  assert.match(
    json.headers.link as string,
    new RegExp(`^<${r.isPrimaryTopicOf.sourceUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}>; rel="via"`),
  );
  const graph = JSON.parse(json.body) as { '@graph': { '@id': string }[] };
  assert.ok(graph['@graph'].some((n) => n['@id'] === r['@id']));
  const ttl = await app.inject({ url: path, headers: { accept: 'text/turtle;q=0.9, application/rdf+xml;q=0.5' } });
  assert.is(ttl.headers['content-type'], 'text/turtle; charset=utf-8');
  const rdf = await app.inject({ url: `${path}.rdf` });
  assert.is(rdf.headers['content-type'], 'application/rdf+xml; charset=utf-8');
  assert.match(rdf.body, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<rdf:RDF/);
  const missing = await app.inject({ url: '/records/ozcar%3Anothing' });
  assert.is(missing.statusCode, 404);
});

test.run();
