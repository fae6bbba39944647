/**
 * recordQuads (schemas/rdf.ts) gives the same graph as jsonld.js (expansion with the local context, then toRDF):
 * isomorphic graphs (equal RDFC-1.0 canonical N-Quads) on every record of every fixture family and on the hand-built
 * records; and it is much faster (both measured here on the same records).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import jsonld from 'jsonld';
import { Writer } from 'n3';
import { localDocumentLoader, withContext } from '../../schemas/jsonld.js';
import { recordGraph, recordNTriples, recordQuads, RDF_TYPE } from '../../schemas/rdf.js';
import type { HubRecord } from '../../schemas/record.js';
import { fixtureRecords, FAMILIES } from './fixture-records.js';
import { fullRecord, smallRecord } from './sample-records.js';

const DCAT = 'http://www.w3.org/ns/dcat#';

async function viaJsonld(record: HubRecord): Promise<string> {
  return (await jsonld.toRDF(
    withContext(record) as jsonld.JsonLdDocument,
    {
      documentLoader: localDocumentLoader,
      safe: true,
      format: 'application/n-quads',
    } as unknown as jsonld.Options.ToRdf,
  )) as unknown as string;
}

async function canonical(nquads: string): Promise<string> {
  return await jsonld.canonize(
    nquads as never,
    {
      inputFormat: 'application/n-quads',
      algorithm: 'RDFC-1.0',
      format: 'application/n-quads',
    } as unknown as jsonld.Options.Normalize,
  );
}

async function assertIsomorphic(record: HubRecord, what: string): Promise<void> {
  const ours = new Writer({ format: 'N-Quads' }).quadsToString(recordQuads(record));
  const theirs = await viaJsonld(record);
  const [a, b] = [await canonical(ours), await canonical(theirs)];
  if (a !== b) {
    const la = new Set(a.split('\n'));
    const lb = new Set(b.split('\n'));
    const onlyOurs = [...la].filter((l) => !lb.has(l)).slice(0, 5);
    const onlyTheirs = [...lb].filter((l) => !la.has(l)).slice(0, 5);
    assert.unreachable(`${what}: graphs differ\n only recordQuads: ${onlyOurs.join('\n')}\n only jsonld.js: ${onlyTheirs.join('\n')}`);
  }
  assert.ok(a.split('\n').length > 10, `${what}: a real graph`);
}

const records = await fixtureRecords();

for (const family of Object.keys(FAMILIES)) {
  test(`${family}: recordQuads is isomorphic to jsonld.js on every record`, async () => {
    const mine = records.filter((r) => r.family === family);
    assert.ok(mine.length > 0);
    for (const { record, file } of mine) await assertIsomorphic(record, `${file} ${record.identifier}`);
  });
}

test('hand-built records (every field; each record type) are isomorphic too', async () => {
  await assertIsomorphic(fullRecord(), 'fullRecord');
  for (const type of [
    ['dcat:Dataset', 'schema:Dataset'],
    ['dcat:DatasetSeries', 'dcat:Dataset', 'schema:Dataset'],
    ['dcat:DataService', 'schema:WebAPI'],
  ] as HubRecord['@type'][]) {
    await assertIsomorphic(
      smallRecord({
        source: 'src',
        id: 'x-1',
        title: { fr: 'Titre' },
        bbox: [170, -10, -170, 10],
        themes: ['http://example.org/t'],
        keywords: ['sol'],
        type,
      }),
      type[0],
    );
  }
});

test('JSON-LD edge cases the record may hold are converted as jsonld.js converts them', async () => {
  const r = fullRecord() as unknown as Record<string, unknown>;
  // a fractional number (xsd:double form), a big integer, an upper-case language tag, a compact IRI as a value
  r.granuleCount = 12345678901;
  r.gsd = [0.5, 10, 1e-7];
  r.title = { 'en-GB': 'Title', '@none': 'Titre' };
  r.relation = ['hub:other', 'urn:uuid:1234', 'http://example.org/a?b=c#d'];
  await assertIsomorphic(r as unknown as HubRecord, 'edge cases');
});

test('the graph holds the resource and its catalogue record; unknown keys and relative IRIs throw', () => {
  const r = fullRecord();
  const quads = recordQuads(r);
  const types = quads.filter((q) => q.predicate.value === RDF_TYPE);
  assert.ok(types.some((q) => q.subject.value === r['@id'] && q.object.value === DCAT + 'Dataset'));
  const cr = types.find((q) => q.object.value === DCAT + 'CatalogRecord');
  assert.ok(cr);
  assert.ok(quads.some((q) => q.subject.equals(cr.subject) && q.predicate.value.endsWith('primaryTopic') && q.object.value === r['@id']));
  const graph = recordGraph(r);
  assert.is(graph.resource.value, r['@id']);
  assert.is(graph.catalogRecord?.value, r.isPrimaryTopicOf['@id']);
  assert.is(graph.quads.length, quads.length);
  const { '@id': _id, ...blankRecord } = r.isPrimaryTopicOf;
  assert.is(recordGraph({ ...r, isPrimaryTopicOf: blankRecord }).catalogRecord?.termType, 'BlankNode');
  assert.throws(() => recordQuads({ ...r, titel: { en: 'x' } } as HubRecord), /"titel" is not a term/);
  assert.throws(() => recordQuads({ ...r, relation: ['www.example.org'] }), /relative IRI/);
  // blank nodes are unique across records: two graphs concatenated keep theirs apart
  const a = recordNTriples(r);
  const b = recordNTriples(r);
  const blanks = (s: string) => new Set(s.match(/_:[\w-]+/g));
  const shared = [...blanks(a)].filter((x) => blanks(b).has(x));
  assert.equal(shared, []);
});

test('speed: recordQuads against jsonld.js toRDF on the fixture records (one core)', async () => {
  const all = records.map((r) => r.record);
  const time = async (f: (r: HubRecord) => unknown, minMs: number): Promise<number> => {
    let n = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < minMs)
      for (const r of all) {
        await f(r);
        n++;
      }
    return n / ((performance.now() - t0) / 1000);
  };
  await time((r) => recordQuads(r), 200); // warm-up
  const ours = await time((r) => recordQuads(r), 1000);
  const theirs = await time(viaJsonld, 1000);
  console.log(
    `    recordQuads ${Math.round(ours)} records/s, jsonld.js toRDF ${Math.round(theirs)} records/s (${(ours / theirs).toFixed(1)}x)`,
  );
  // relative, not absolute, so that a loaded machine cannot fail it (measured 22x to 25x; scripts/bench/rdf.ts measures
  // the export scale)
  assert.ok(ours > theirs * 3, 'much faster than jsonld.js');
});

test.run();
