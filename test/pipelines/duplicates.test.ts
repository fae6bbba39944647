/**
 * The same dataset by two routes (issue 13 item 6), on the real Elasticsearch node: three CSW sources of our own
 * (test/helpers/fault-csw.ts) serve overlapping generated ISO records: `alpha` records 0-29, `beta` records 20-49 and
 * a copy of record 5 under its own file identifier but with record 5's DOI, `gamma` records 25-27. Each harvest runs
 * the real pipeline; every step checks the exact counts of the run, of the index and of what search, OGC API -
 * Records and the record page show. The pure rules (keys that link, the ranking) are checked on their own first.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../api/server.js';
import { dupHosts, dupKeys } from '../../mappings/dup-keys.js';
import type { DupState } from '../../mappings/index-doc.js';
import { decide, linkAll, rankCopies, type GroupDoc, type SourceRanking } from '../../pipelines/duplicates.js';
import { harvestSource, type RunSummary } from '../../pipelines/harvest.js';
import { silentLogger } from '../../pipelines/log.js';
import { removeSource } from '../../pipelines/remove-source.js';
import { runsIndex } from '../../pipelines/runs.js';
import { searchRecords } from '../../pipelines/search.js';
import { checkSourcesFile, loadSources, sourceRanking, type SourceConfig } from '../../pipelines/sources.js';
import type { HubRecord } from '../../schemas/record.js';
import { generatedId } from '../../scripts/samples/iso-generator.js';
import { faultyCsw, generatedRecords, type CatalogueRecord, type FaultyCsw } from '../helpers/fault-csw.js';
import { harvesterBin } from '../helpers/bin.js';
import { deleteIndices, esClient, esUrl, tempIndexName } from '../helpers/services.js';

const client = await esClient();
const reports = mkdtempSync(join(tmpdir(), 'hub-dups-'));

test.after(async () => {
  rmSync(reports, { recursive: true, force: true });
  await deleteIndices(client, 'test-dups-*');
});

// ------------------------------------------------------------------------------------------------ the pure rules

const doc = (id: string, keys: string[], hosts: string[] = []): GroupDoc => ({ id, source: id.split(':')[0], keys, hosts });
const byKeyOf = (docs: GroupDoc[]) => {
  const m = new Map<string, GroupDoc[]>();
  for (const d of docs) for (const k of d.keys) m.set(k, [...(m.get(k) ?? []), d]);
  return m;
};
const decided = (docs: GroupDoc[], ranking?: SourceRanking) => Object.fromEntries(decide(docs, byKeyOf(docs), ranking));

test('keys: DOIs in one spelling and case, file identifiers that name a dataset, identifier IRIs', () => {
  const base = {
    isPrimaryTopicOf: { identifier: 'ABCDEF01-2345-6789-abcd-ef0123456789' },
    otherIdentifier: [
      { notation: 'https://doi.org/10.5281/ZENODO.123' },
      { notation: 'doi:10.5281/zenodo.123' },
      { notation: 'https://data.example.org/id/station-7/' },
      { notation: 'LOCAL-7' },
    ],
  } as unknown as HubRecord;
  assert.equal(dupKeys(base), [
    'doi:10.5281/zenodo.123',
    'id:abcdef01-2345-6789-abcd-ef0123456789',
    'iri:https://data.example.org/id/station-7',
  ]);
  // the hosts the dataset lives on (the origin rule): its landing page's and identifier IRI's, not the DOI resolver's
  assert.equal(dupHosts({ ...base, landingPage: [{ '@id': 'https://www.Example.org/page' }] } as HubRecord), [
    'example.org',
    'data.example.org',
  ]);
  // a short or numeric record identifier is a number within its catalogue, not a name of the dataset
  for (const identifier of ['42', '20190001', 'abc'])
    assert.equal(dupKeys({ isPrimaryTopicOf: { identifier } } as unknown as HubRecord), [], identifier);
});

test('a key on two records of one source links nothing; a chain of keys links three sources', () => {
  // a collection DOI repeated on two items of one source, and on one record of another source
  const ambiguous = [doc('s:1', ['doi:x']), doc('s:2', ['doi:x']), doc('t:1', ['doi:x'])];
  assert.equal(decided(ambiguous), { 's:1': null, 's:2': null, 't:1': null });
  // a-b share a DOI, b-c a file identifier: one dataset from three sources, the first declared shown
  const chain = [doc('c:9', ['id:u']), doc('b:1', ['doi:y', 'id:u']), doc('a:1', ['doi:y'])];
  const ranking: SourceRanking = { precedence: [], priority: {}, declared: ['a', 'b', 'c'], urls: {} };
  assert.equal(decided(chain, ranking), {
    'a:1': { primary: true, also: ['b:1', 'c:9'] },
    'b:1': { primary: false, of: 'a:1' },
    'c:9': { primary: false, of: 'a:1' },
  });
});

test('ranking: precedence list, then priority, then the copy from the dataset own site, then declaration order', () => {
  const docs = [doc('a:1', ['k']), doc('b:1', ['k'], ['catalogue.b.org']), doc('c:1', ['k'])];
  const base: SourceRanking = { precedence: [], priority: {}, declared: ['a', 'b', 'c'], urls: {} };
  const first = (r: SourceRanking) => rankCopies(docs, r)[0].id;
  assert.is(first(base), 'a:1', 'declaration order');
  assert.is(first({ ...base, urls: { b: 'https://www.b.org/csw' } }), 'b:1', 'the original (same site) before declaration order');
  assert.is(first({ ...base, urls: { b: 'https://www.b.org/csw' }, priority: { c: 1 } }), 'c:1', 'priority before origin');
  assert.is(first({ ...base, priority: { c: 1 }, precedence: ['a'] }), 'a:1', 'the precedence list before priority');
  assert.is(first({ precedence: [], priority: {}, declared: [], urls: {} }), 'a:1', 'nothing declared: by source id');
});

test('sources file: precedence and priority read and checked', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hub-dups-src-'));
  try {
    const file = join(dir, 'sources.yaml');
    writeFileSync(
      file,
      [
        'precedence: [theia]',
        'sources:',
        '  - { id: sedoo, type: csw, url: "https://api.sedoo.fr/csw", priority: 5 }',
        '  - { id: theia, type: csw, url: "https://theia.example/csw" }',
        '  - { id: other, type: csw, url: "https://other.example/csw" }',
        '',
      ].join('\n'),
    );
    const sources = loadSources(file);
    assert.equal(sources[0].ranking, {
      precedence: ['theia'],
      priority: { sedoo: 5 },
      declared: ['sedoo', 'theia', 'other'],
      urls: { sedoo: 'https://api.sedoo.fr/csw', theia: 'https://theia.example/csw', other: 'https://other.example/csw' },
    });
    writeFileSync(
      file,
      ['precedence: [thiea, sedoo, sedoo]', 'sources:', '  - { id: sedoo, type: csw, url: "https://a.fr/csw", priority: high }', ''].join(
        '\n',
      ),
    );
    const problems = checkSourcesFile(file).problems.map((p) => p.replace(file, 'FILE'));
    assert.equal(problems, [
      'sources[0] "sedoo": priority: must be a whole number from -1000 to 1000, higher wins (got "high") (line 3)',
      'FILE: precedence: "thiea" is not a source of the file',
      'FILE: precedence: "sedoo" is listed twice',
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// ------------------------------------------------------------------------------------------- on the real node

const ALPHA = generatedRecords(30);
/** Record 5's DOI under beta's own file identifier: the same dataset, found by its DOI only. */
const BETA_OWN_5 = 'beta-own-record-0005';
function withId(r: CatalogueRecord, id: string): CatalogueRecord {
  const from = `<gmd:fileIdentifier><gco:CharacterString>${r.id}</gco:CharacterString></gmd:fileIdentifier>`;
  assert.ok(r.xml.includes(from));
  return { id, xml: r.xml.replace(from, `<gmd:fileIdentifier><gco:CharacterString>${id}</gco:CharacterString></gmd:fileIdentifier>`) };
}
const BETA = [...generatedRecords(30, 20), withId(generatedRecords(1, 5)[0], BETA_OWN_5)];
const GAMMA = generatedRecords(3, 25);
const rid = (source: string, i: number) => `${source}:${generatedId(i)}`;

const alias = tempIndexName('dups');
const csw: Record<string, FaultyCsw> = {};
let sources: SourceConfig[] = [];
let ranking: SourceRanking;
let app: FastifyInstance;

const harvest = async (id: string, r: SourceRanking = ranking): Promise<RunSummary> => {
  const source = { ...sources.find((s) => s.id === id)!, ranking: r };
  return harvestSource(source, { client, alias, log: silentLogger, reportDir: reports, mapWorkers: 0, full: true });
};
const COUNTS = ['status', 'seen', 'new', 'unchanged', 'deleted', 'failed', 'duplicates', 'linked', 'hidden'] as const;
const counts = (s: RunSummary) => Object.fromEntries(COUNTS.map((k) => [k, s[k]]));
async function expectRun(s: RunSummary, expected: Partial<Record<(typeof COUNTS)[number], unknown>>): Promise<void> {
  const full = { status: 'ok', new: 0, unchanged: 0, deleted: 0, failed: 0, duplicates: 0, ...expected };
  assert.equal(counts(s), full, `${s.error ?? ''} ${s.deletion ?? ''}`);
  await client.indices.refresh({ index: runsIndex(alias) });
  const recorded = (await client.get<RunSummary>({ index: runsIndex(alias), id: s.runId }))._source!;
  assert.equal(counts(recorded), counts(s), 'the run record says what the summary says');
}
/** Documents in the index, and the records a search lists. */
async function totals(): Promise<{ docs: number; listed: number }> {
  await client.indices.refresh({ index: alias });
  const docs = (await client.count({ index: alias })).count;
  return { docs, listed: (await searchRecords(client, alias, { size: 0 })).total };
}
async function dupOf(id: string): Promise<DupState | null> {
  const got = await client.get<{ dup?: DupState | null }>({ index: alias, id, _source_includes: ['dup'] }, { ignore: [404] });
  assert.ok(got.found, `${id} is in the index`);
  const dup = got._source?.dup;
  // (fields a state has not are stored null)
  return dup ? (Object.fromEntries(Object.entries(dup).filter(([, v]) => v !== null)) as unknown as DupState) : null;
}
const byDoi = async (i: number) => (await searchRecords(client, alias, { externalIds: [`10.99999/hub.${i}`], record: false })).hits;

test.before(async () => {
  csw.alpha = await faultyCsw({ records: ALPHA, pageCap: 25 });
  csw.beta = await faultyCsw({ records: BETA, pageCap: 25 });
  csw.gamma = await faultyCsw({ records: GAMMA, pageCap: 25 });
  sources = ['alpha', 'beta', 'gamma'].map((id) => ({ id, type: 'csw', url: csw[id].url, options: { pageSize: 25 } }));
  ranking = sourceRanking(sources);
  app = await buildServer({ client, alias, esUrl: await esUrl(), log: silentLogger });
});
test.after(async () => {
  await app?.close();
  for (const c of Object.values(csw)) await c.close();
});

test('two routes: the copies are linked, search and OGC API list each dataset once, the others reachable', async () => {
  await expectRun(await harvest('alpha'), { seen: 30, new: 30, linked: 0, hidden: 0 });
  assert.equal(await totals(), { docs: 30, listed: 30 });
  // beta has records 20-29 under the same file identifiers (and DOIs), and record 5 by its DOI only
  await expectRun(await harvest('beta'), { seen: 31, new: 31, linked: 11, hidden: 11 });
  assert.equal(await totals(), { docs: 61, listed: 50 });
  await expectRun(await harvest('gamma'), { seen: 3, new: 3, linked: 3, hidden: 3 });
  assert.equal(await totals(), { docs: 64, listed: 50 });

  assert.equal(await dupOf(rid('alpha', 25)), { primary: true, also: [rid('beta', 25), rid('gamma', 25)] });
  assert.equal(await dupOf(rid('gamma', 25)), { primary: false, of: rid('alpha', 25) });
  assert.equal(await dupOf(rid('alpha', 5)), { primary: true, also: [`beta:${BETA_OWN_5}`] });
  assert.equal(await dupOf(rid('alpha', 4)), null);

  // search: the DOI finds the dataset once, its other copies listed with it
  const hits25 = await byDoi(25);
  assert.equal(
    hits25.map((h) => [h.id, h.alsoFrom]),
    [
      [
        rid('alpha', 25),
        [
          { id: rid('beta', 25), source: 'beta' },
          { id: rid('gamma', 25), source: 'gamma' },
        ],
      ],
    ],
  );
  assert.equal(
    (await byDoi(5)).map((h) => h.id),
    [rid('alpha', 5)],
  );
  // the source facet counts what is listed: beta's 31 records show as 20
  const facets = (await searchRecords(client, alias, { size: 0, aggs: true })).facets!;
  assert.equal(
    facets.source.map((f) => [f.key, f.count]),
    [
      ['alpha', 30],
      ['beta', 20],
    ],
  );
  // a copy asked for by id is found, and names the copy listed
  const copy = await searchRecords(client, alias, { ids: [rid('gamma', 25)], record: false });
  assert.equal(
    copy.hits.map((h) => [h.id, h.copyOf]),
    [[rid('gamma', 25), { id: rid('alpha', 25), source: 'alpha' }]],
  );

  // GET /search: alsoFrom with links
  const s = await app.inject({ url: `/search?externalIds=10.99999/hub.25&facets=false` });
  assert.is(s.statusCode, 200, s.body);
  const body = s.json<{ total: number; hits: { id: string; alsoFrom?: { id: string; source: string; link: string }[] }[] }>();
  assert.is(body.total, 1);
  assert.equal(
    body.hits[0].alsoFrom?.map((c) => [c.source, c.link.endsWith(`/records/${encodeURIComponent(c.id)}`)]),
    [
      ['beta', true],
      ['gamma', true],
    ],
  );

  // OGC API - Records: the catalogue lists 50, beta's collection 20; the primary links its copies, a copy its primary
  const fc = async (path: string) => {
    const r = await app.inject({ url: `/ogcapi/collections/${path}` });
    assert.is(r.statusCode, 200, r.body);
    return r.json<{
      numberMatched: number;
      features: { id: string; links: { rel: string; href: string; title?: string }[] }[];
      links: { rel: string; href: string }[];
    }>();
  };
  assert.is((await fc('catalogue/items?limit=1')).numberMatched, 50);
  assert.is((await fc('beta/items?limit=1')).numberMatched, 20);
  const item = (await fc(`catalogue/items?externalIds=10.99999/hub.25`)).features;
  assert.equal(
    item.map((f) => f.id),
    [rid('alpha', 25)],
  );
  assert.equal(
    item[0].links.filter((l) => l.title?.includes('also from')).map((l) => decodeURIComponent(l.href.replace(/.*\/items\//, ''))),
    [rid('beta', 25), rid('gamma', 25)],
  );
  const copyItem = await fc(`gamma/items/${encodeURIComponent(rid('gamma', 25))}`);
  const canonical = (copyItem as unknown as { links: { rel: string; href: string }[] }).links.filter((l) => l.rel === 'canonical');
  assert.equal(
    canonical.map((l) => decodeURIComponent(l.href.replace(/.*\/collections\//, ''))),
    [`alpha/items/${rid('alpha', 25)}`],
  );

  // the DCAT-AP catalogue exports each dataset once: 50 datasets, no copy of record 25 but alpha's
  const cat = await app.inject({ url: '/catalog.ttl?pageSize=500' });
  assert.is(cat.statusCode, 200, cat.body.slice(0, 300));
  assert.match(cat.body, /hydra:totalItems 50\b/);
  assert.is(cat.body.match(/ a dcat:Dataset\b/g)?.length, 50);
  assert.ok(cat.body.includes(rid('alpha', 25)));
  assert.not.ok(cat.body.includes(rid('beta', 25)) || cat.body.includes(rid('gamma', 25)));

  // the record page says where else the dataset comes from
  const page = await app.inject({ url: `/catalogue/records/${encodeURIComponent(rid('alpha', 25))}?lang=en` });
  assert.is(page.statusCode, 200);
  assert.match(
    page.body,
    /class="copies also-from">Also from <a href="\/catalogue\/records\/beta%3A[^"]*" data-copy="beta:[^"]*">beta<\/a>, <a[^>]*>gamma<\/a>/,
  );
});

test('a copy that goes: the primary passes to the next copy; a precedence change; a whole source removed', async () => {
  // alpha no longer has record 25: its copy goes, beta's becomes the primary, gamma's stays behind it
  csw.alpha.records = ALPHA.filter((_, i) => i !== 25);
  await expectRun(await harvest('alpha'), { seen: 29, unchanged: 29, deleted: 1, linked: 10, hidden: 0 });
  assert.equal(await totals(), { docs: 63, listed: 50 });
  assert.equal(await dupOf(rid('beta', 25)), { primary: true, also: [rid('gamma', 25)] });
  assert.equal(await dupOf(rid('gamma', 25)), { primary: false, of: rid('beta', 25) });
  assert.equal(
    (await byDoi(25)).map((h) => h.id),
    [rid('beta', 25)],
  );

  // gamma first: alpha's next run decides its groups again (nothing re-harvested changes)
  const gammaFirst = sourceRanking(sources, ['gamma']);
  await expectRun(await harvest('alpha', gammaFirst), { seen: 29, unchanged: 29, linked: 10, hidden: 2 });
  assert.equal(await dupOf(rid('gamma', 26)), { primary: true, also: [rid('alpha', 26), rid('beta', 26)] });
  assert.equal(await totals(), { docs: 63, listed: 50 });

  // gamma removed from the hub: its copies stay with the other sources, the next in rank shown
  assert.equal(await removeSource(client, alias, 'gamma', { ranking: gammaFirst }), { removed: 3, tombstones: 3 });
  assert.equal(await totals(), { docs: 60, listed: 50 });
  assert.equal(await dupOf(rid('alpha', 26)), { primary: true, also: [rid('beta', 26)] });
  assert.equal(await dupOf(rid('beta', 25)), null, 'beta record 25 has no copy left');

  // the primary's source removed: every copy of beta listed again, none lost
  assert.equal(await removeSource(client, alias, 'alpha', { ranking }), { removed: 29, tombstones: 30 });
  assert.equal(await totals(), { docs: 31, listed: 31 });
  const left = await client.count({ index: alias, query: { exists: { field: 'dup.primary' } } });
  assert.is(left.count, 0, 'no copy still points at a record that is gone');
});

test('linkAll links an index whose records were never linked (after a mapping change), and is idempotent', async () => {
  // (alpha was removed from the hub with its records just before: they come back restored, not new)
  const again = await harvest('alpha');
  assert.equal([again.new, again.restored, again.linked, again.hidden], [0, 29, 10, 0]);
  // forget every link, as an index rolled over from mapping version 4 would be
  const linked = await client.search({ index: alias, size: 100, _source: false, query: { exists: { field: 'dup.primary' } } });
  const ops = linked.hits.hits.flatMap((h) => [JSON.stringify({ update: { _id: h._id } }), JSON.stringify({ doc: { dup: null } })]);
  await client.bulk({ index: alias, operations: (ops.join('\n') + '\n') as never, refresh: true });
  assert.equal(await totals(), { docs: 60, listed: 60 });
  const first = await linkAll(client, alias, ranking);
  assert.is(first.updated, 20);
  assert.equal(await totals(), { docs: 60, listed: 50 });
  assert.is((await linkAll(client, alias, ranking)).updated, 0, 'nothing left to change');
});

test('harvester link: a new precedence applied to every group at once, from the sources file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hub-dups-cli-'));
  const bin = harvesterBin();
  try {
    const file = join(dir, 'sources.json');
    const declared = sources.filter((s) => s.id !== 'gamma').map(({ id, type, url }) => ({ id, type, url }));
    writeFileSync(file, JSON.stringify({ precedence: ['beta'], sources: declared }));
    const r = await bin.runAsync({}, 'link', '--sources', file, '--alias', alias, '--es', await esUrl());
    assert.is(r.code, 0, r.err);
    assert.equal(await dupOf(rid('beta', 20)), { primary: true, also: [rid('alpha', 20)] });
    assert.equal(await dupOf(`beta:${BETA_OWN_5}`), { primary: true, also: [rid('alpha', 5)] });
    assert.equal(await totals(), { docs: 60, listed: 50 });
    const facets = (await searchRecords(client, alias, { size: 0, aggs: true })).facets!;
    assert.equal(
      facets.source.map((f) => [f.key, f.count]),
      [
        ['beta', 31],
        ['alpha', 19],
      ],
    );
    const missing = await bin.runAsync({}, 'link', '--sources', join(dir, 'none.json'), '--alias', alias, '--es', await esUrl());
    assert.is(missing.code, 2);
    assert.match(missing.err, /no sources file .*none\.json/);
  } finally {
    bin.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
