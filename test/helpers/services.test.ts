/** The real services tests rely on: Elasticsearch, pycsw (on the ISO 19139 / 19115-3 fixtures) and rustac (STAC). */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { XMLParser } from 'fast-xml-parser';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sharedFixture } from '../../schemas/paths.js';
import { refusals } from '../../scripts/services/pycsw.js';
import { deleteIndices, esClient, esUrl, PYCSW_HEADERS, pycsw, rustac, tempIndexName, xmlFiles } from './services.js';

/** The compiled helpers (this file's folder). */
const HELPERS = dirname(fileURLToPath(import.meta.url));

const parser = new XMLParser({ removeNSPrefix: true, ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false });

/** The fileIdentifier of an ISO 19139 file, read from the file itself. */
function fileIdentifier(path: string): string {
  const doc = parser.parse(readFileSync(path, 'utf8')) as Record<string, Record<string, { CharacterString?: string }>>;
  const root = Object.keys(doc).find((key) => key !== '?xml');
  const id = root ? doc[root]?.fileIdentifier?.CharacterString : undefined;
  if (!id) throw new Error(`no fileIdentifier in ${path}`);
  return id;
}

const MD_ROOTS = ['MD_Metadata', 'MI_Metadata', 'CHE_MD_Metadata'];

/** numberOfRecordsMatched/Returned, nextRecord and the number of ISO records on one GetRecords page. */
async function getRecords(url: string, startPosition: number) {
  const query = new URLSearchParams({
    service: 'CSW',
    version: '2.0.2',
    request: 'GetRecords',
    typeNames: 'csw:Record',
    resultType: 'results',
    elementSetName: 'full',
    outputSchema: 'http://www.isotc211.org/2005/gmd',
    startPosition: String(startPosition),
    maxRecords: '100', // more than the server allows: server.maxrecords caps it
  });
  const res = await fetch(`${url}?${query}`, { headers: PYCSW_HEADERS });
  assert.is(res.status, 200);
  assert.is(res.headers.get('content-encoding'), null, 'identity was asked for');
  const body = parser.parse(await res.text()) as { GetRecordsResponse: { SearchResults: Record<string, unknown> } };
  const results = body.GetRecordsResponse.SearchResults;
  const onPage = MD_ROOTS.reduce((n, name) => {
    const v = results[name];
    return n + (v === undefined ? 0 : Array.isArray(v) ? v.length : 1);
  }, 0);
  return {
    matched: Number(results['@numberOfRecordsMatched']),
    returned: Number(results['@numberOfRecordsReturned']),
    next: Number(results['@nextRecord']),
    onPage,
  };
}

test('Elasticsearch answers, and a temp index is written, searched and deleted', async () => {
  const url = await esUrl();
  assert.match(url, /^https?:\/\//);
  const es = await esClient();
  const health = await es.cluster.health();
  assert.ok(['green', 'yellow'].includes(health.status), `health ${health.status}`);

  const index = tempIndexName('Services Check');
  assert.match(index, /^test-services-check-[a-z0-9]+$/);
  await es.index({ index, id: 'a', document: { title: 'Réseau de mesure' }, refresh: true });
  const found = await es.search<{ title: string }>({ index, query: { match: { title: 'mesure' } } });
  assert.equal(
    found.hits.hits.map((h) => h._source?.title),
    ['Réseau de mesure'],
  );
  assert.equal(await deleteIndices(es, 'test-services-check-*'), [index]);
  assert.not.ok(await es.indices.exists({ index }));
});

test('tempIndexName is unique; deleteIndices refuses patterns outside test-<prefix>', async () => {
  assert.is.not(tempIndexName('x'), tempIndexName('x'));
  const es = await esClient();
  for (const pattern of ['*', 'test-*', '_all', 'records', 'test-a,records']) {
    await deleteIndices(es, pattern).then(
      () => assert.unreachable(`accepted ${pattern}`),
      (err: Error) => assert.match(err.message, /must start with/),
    );
  }
  assert.equal(await deleteIndices(es, 'test-none-such-*'), []);
});

test('deleteIndices leaves alone the indices of another test process on the node (fresh ones), and deletes its leftovers', async () => {
  const es = await esClient();
  const alias = tempIndexName('services-shared');
  await es.indices.create({ index: `${alias}-v9`, settings: { number_of_replicas: 0 } });
  await es.indices.create({ index: `${alias}-runs`, settings: { number_of_replicas: 0 } });
  const env = { ...process.env, ES_URL: await esUrl() };
  // a second test process (a test run beside this one) cleaning up the same pattern in its test.after
  const other = (leftoverMs?: number) =>
    execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { deleteIndices, esClient } from ${JSON.stringify(pathToFileURL(join(HELPERS, 'services.js')).href)};
         const names = await deleteIndices(await esClient(), 'test-services-shared-*', ${JSON.stringify(leftoverMs === undefined ? {} : { leftoverMs })});
         process.stdout.write(JSON.stringify(names.filter((n) => n.startsWith(${JSON.stringify(alias)}))));`,
      ],
      { encoding: 'utf8', env },
    );
  try {
    assert.equal(JSON.parse(other()), []);
    assert.ok(await es.indices.exists({ index: `${alias}-v9` }));
    // the same indices, left behind by a process that died long ago (an age of 0 stands for it)
    assert.equal((JSON.parse(other(0)) as string[]).sort(), [`${alias}-runs`, `${alias}-v9`]);
    assert.not.ok(await es.indices.exists({ index: `${alias}-v9` }));
  } finally {
    // this process's own: named by its tempIndexName, or after such a name
    await deleteIndices(es, 'test-services-shared-*');
  }
});

test('pycsw serves the ISO 19139 fixtures in pages of maxRecords 7', async () => {
  const files = xmlFiles(sharedFixture('iso19139'));
  const distinct = new Set(files.map(fileIdentifier));
  const server = await pycsw({ recordsFiles: files, maxRecords: 7 });
  try {
    // pycsw refuses a second record with an identifier it already has: one per duplicate.
    assert.is(server.loaded, distinct.size);
    assert.is(server.refused.length, files.length - distinct.size);
    for (const r of server.refused) assert.match(r.reason, /UNIQUE constraint failed: records.identifier/);

    const first = await getRecords(server.url, 1);
    assert.equal(first, { matched: server.loaded, returned: 7, next: 8, onPage: 7 });
    const second = await getRecords(server.url, first.next);
    assert.equal(second, { matched: server.loaded, returned: 7, next: 15, onPage: 7 });
  } finally {
    await server.stop();
  }
});

test('pycsw refuses ISO 19115-3 records, each with its reason', async () => {
  const files = xmlFiles(sharedFixture('iso19115-3'));
  const server = await pycsw({ recordsFiles: files });
  try {
    assert.is(server.loaded, 0);
    assert.equal(server.refused.map((r) => r.file.split('/').pop()).sort(), files.map((f) => f.split('/').pop()).sort());
    for (const r of server.refused) assert.match(r.reason, /Unsupported metadata format/);
  } finally {
    await server.stop();
  }
});

test('refusals() reads the three kinds of loader lines', () => {
  const out = [
    'ERROR: /t/a.xml not inserted: (sqlite3.IntegrityError) UNIQUE constraint failed: records.identifier',
    'Could not parse "/t/b.xml" as an XML record',
    'Traceback (most recent call last):',
    "  raise RuntimeError('Unsupported metadata format')",
    'RuntimeError: Unsupported metadata format',
    'XML document "/t/c.xml" is not well-formed',
  ].join('\n');
  assert.equal(refusals(out), [
    { file: '/t/a.xml', reason: '(sqlite3.IntegrityError) UNIQUE constraint failed: records.identifier' },
    { file: '/t/b.xml', reason: 'RuntimeError: Unsupported metadata format' },
    { file: '/t/c.xml', reason: 'not well-formed XML' },
  ]);
});

test('rustac serves a STAC collection and the items it links to', async () => {
  const dir = sharedFixture('stac');
  const collection = JSON.parse(readFileSync(join(dir, 'collection.json'), 'utf8')) as {
    id: string;
    links: { rel: string; href: string }[];
  };
  const itemFiles = collection.links.filter((l) => l.rel === 'item').map((l) => join(dir, l.href));
  const server = await rustac({ dir, files: ['collection.json'] });
  try {
    const collections = (await (await fetch(`${server.url}/collections`)).json()) as { collections: { id: string }[] };
    assert.equal(
      collections.collections.map((c) => c.id),
      [collection.id],
    );
    const search = (await (await fetch(`${server.url}/search?limit=100`)).json()) as { features: { id: string; collection: string }[] };
    assert.is(search.features.length, itemFiles.length);
    const expected = itemFiles.map((f) => (JSON.parse(readFileSync(f, 'utf8')) as { id: string }).id).sort();
    assert.equal(search.features.map((f) => f.id).sort(), expected);
    for (const f of search.features) assert.is(f.collection, collection.id);
  } finally {
    await server.stop();
  }
});

test.run();
