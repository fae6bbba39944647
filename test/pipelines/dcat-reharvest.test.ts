/**
 * The hub harvests its own DCAT-AP catalogue: an index of every fixture family is served by the real server's
 * `/catalog` (api/routes/catalog.ts: hydra:PartialCollectionView pages, as data.gouv.fr harvests it), and a `dcat`
 * source walks it, in Turtle, RDF/XML and JSON-LD, into another index. Every exported record comes back as the same
 * record, and a second harvest changes nothing. As far as the export carries it:
 * - lists are sets (RDF has no order); the identifier, IRI and catalog record say the new harvest;
 * - a page of the catalogue is one graph, where an IRI is one resource: a concept scheme, an access right, a licence or
 *   an agent that several records name by the same IRI with different labels comes back with the labels of all of
 *   them (one per language); such shared resources are compared by their IRI and class only (sharedByIri);
 * - the export writes a service's link to a dataset it does not hold as dct:relation (pipelines/export-dcat.ts):
 *   servesDataset and relation are compared together.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../api/server.js';
import { catalogRoutes } from '../../api/routes/catalog.js';
import { canonicalJson } from '../../core/json.js';
import { harvestSource } from '../../pipelines/harvest.js';
import { silentLogger } from '../../pipelines/log.js';
import { hubId, recordIri, type HubRecord } from '../../schemas/record.js';
import { indexDatedFixtures } from '../helpers/oai.js';
import { deleteIndices, esClient, esUrl, tempIndexName } from '../helpers/services.js';

const client = await esClient();
const alias = tempIndexName('reharvest-src');
const again = tempIndexName('reharvest-dst');
let records: HubRecord[] = [];
let app: FastifyInstance;
let base = '';

test.before(async () => {
  records = await indexDatedFixtures(client, alias);
  app = await buildServer({ client, alias, esUrl: await esUrl(), log: silentLogger, routes: [catalogRoutes()] });
  await app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
});
test.after(async () => {
  await app.close();
  await deleteIndices(client, `${alias}*`);
  await deleteIndices(client, `${again}*`);
});

/** Lists as sets, object keys sorted: what RDF carries. */
function canon(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canon).sort((a, b) => (canonicalJson(a) < canonicalJson(b) ? -1 : 1));
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, canon((v as Record<string, unknown>)[k])]),
    );
  return v;
}

type Node = Record<string, unknown>;

/** The IRIs that different records describe differently (the same scheme, licence or agent, other labels). */
function sharedByIri(all: HubRecord[]): Set<string> {
  const seen = new Map<string, string>();
  const shared = new Set<string>();
  const walk = (v: unknown, root: boolean) => {
    if (Array.isArray(v)) return v.forEach((x) => walk(x, false));
    if (!v || typeof v !== 'object') return;
    const id = (v as Node)['@id'];
    if (!root && typeof id === 'string' && Object.keys(v).length > 2) {
      const text = canonicalJson(v);
      if (seen.has(id) && seen.get(id) !== text) shared.add(id);
      seen.set(id, text);
    }
    for (const [k, x] of Object.entries(v)) if (k !== 'isPrimaryTopicOf') walk(x, false);
  };
  for (const r of all) walk(r, true);
  return shared;
}

/** The record with its shared resources reduced to their IRI and class, servesDataset and relation together. */
function comparable(r: HubRecord, shared: Set<string>): unknown {
  const reduce = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(reduce);
    if (!v || typeof v !== 'object') return v;
    const n = v as Node;
    if (typeof n['@id'] === 'string' && shared.has(n['@id'])) return { '@id': n['@id'], '@type': n['@type'] };
    return Object.fromEntries(Object.entries(n).map(([k, x]) => [k, reduce(x)]));
  };
  const { servesDataset, relation, ...rest } = r;
  const links = [...new Set([...(servesDataset ?? []), ...(relation ?? [])])];
  return canon({ ...(reduce(rest) as Node), ...(links.length ? { links } : {}) });
}

/** The record as source `source` harvests it back: only its ids and catalog record change. */
function expected(r: HubRecord, source: string, back: HubRecord): HubRecord {
  const cr = r.isPrimaryTopicOf;
  const harvestedAt = back.isPrimaryTopicOf.harvestedAt;
  return {
    ...r,
    '@id': recordIri(source, r.identifier),
    identifier: hubId(source, r.identifier),
    isPrimaryTopicOf: {
      '@type': 'dcat:CatalogRecord',
      identifier: r.identifier,
      // the source's metadata date, else (the first harvest's time) the new harvest's
      modified: cr.modified['@value'] === cr.harvestedAt['@value'] ? harvestedAt : cr.modified,
      ...(cr.language ? { language: cr.language } : {}),
      ...(cr.conformsTo ? { conformsTo: cr.conformsTo } : {}),
      ...(cr.contactPoint ? { contactPoint: cr.contactPoint } : {}),
      sourceId: source,
      sourceFormat: 'dcat',
      sourceUrl: r['@id'],
      harvestedAt,
      contentHash: back.isPrimaryTopicOf.contentHash,
    },
  };
}

async function harvested(source: string): Promise<Map<string, HubRecord>> {
  const res = await client.search<{ record: HubRecord }>({ index: again, size: 1000, query: { term: { source } } });
  return new Map(res.hits.hits.map((h) => [h._source!.record.isPrimaryTopicOf.identifier, h._source!.record]));
}

for (const [suffix, format] of [
  ['ttl', 'turtle'],
  ['rdf', 'rdfxml'],
  ['jsonld', 'jsonld'],
] as const) {
  test(`/catalog.${suffix} walked page by page (hydra:next): every record back as it was, a second run unchanged`, async () => {
    const source = `self-${suffix}`;
    const url = `${base}/catalog.${suffix}?pageSize=7&include-nonconforming=true`;
    const run = await harvestSource({ id: source, type: 'dcat', url }, { client, alias: again, log: silentLogger, mapWorkers: 0 });
    assert.is(run.status, 'ok', run.error ?? JSON.stringify(run.failures.slice(0, 3)));
    assert.equal(run.notices[0].data?.format, format);
    assert.equal([run.seen, run.indexed, run.failed], [records.length, records.length, 0]);
    const back = await harvested(source);
    assert.is(back.size, records.length);
    const shared = sharedByIri(records);
    let exact = 0;
    for (const r of records) {
      const b = back.get(r.identifier);
      assert.ok(b, `${r.identifier} not harvested back`);
      const e = expected(r, source, b);
      assert.equal(comparable(b, shared), comparable(e, shared), r.identifier);
      // a record that names no shared resource and serves no dataset comes back exactly
      const text = JSON.stringify(r);
      if (!r.servesDataset && ![...shared].some((iri) => text.includes(JSON.stringify(iri)))) {
        assert.equal(canon(b), canon(e), r.identifier);
        exact++;
      }
    }
    assert.ok(exact > 0);
    const second = await harvestSource({ id: source, type: 'dcat', url }, { client, alias: again, log: silentLogger, mapWorkers: 0 });
    assert.equal([second.status, second.new, second.updated, second.deleted, second.unchanged], ['ok', 0, 0, 0, records.length]);
  });
}

test.run();
