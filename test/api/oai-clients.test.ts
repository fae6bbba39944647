/**
 * Real OAI-PMH clients from PyPI (Sickle, oaipmh-scythe) walk the hub's /oai on a listening server, in pages of 7 so
 * that resumption tokens are exercised: complete walks of ListRecords and ListIdentifiers equal to the index, per set,
 * incrementally with `from`; a removed record comes back deleted; every error code raised by Sickle from the request
 * that should produce it; and a Dataverse-style harvest (ListIdentifiers, then GetRecord each, imported with its
 * generic importer's rules) refuses no record of the `pid` set.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../api/server.js';
import { oaiRoutes } from '../../api/routes/oai.js';
import { deleteStale } from '../../pipelines/index-admin.js';
import { silentLogger } from '../../pipelines/log.js';
import { oaiIdentifier } from '../../pipelines/oai.js';
import type { HubRecord } from '../../schemas/record.js';
import { ensurePythonVenv } from '../../scripts/services/python.js';
import { HARVESTED, indexDatedFixtures, oaiClients } from '../helpers/oai.js';
import { deleteIndices, esClient, esUrl, tempIndexName } from '../helpers/services.js';

const client = await esClient();
const alias = tempIndexName('oai-clients');
const NS = 'data.hub.example';
let records: HubRecord[] = [];
let app: FastifyInstance;
let base = '';

test.before(async () => {
  await ensurePythonVenv();
  records = await indexDatedFixtures(client, alias);
  app = await buildServer({ client, alias, esUrl: await esUrl(), log: silentLogger, routes: [oaiRoutes({ pageSize: 7 })] });
  await app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/oai`;
});
test.after(async () => {
  await app.close();
  await deleteIndices(client, `${alias}*`);
});

interface Item {
  identifier: string;
  deleted: boolean;
  datestamp: string;
  sets: string[];
  root?: string;
  dcIdentifiers?: string[];
}

const py = oaiClients;

const walk = (client_: 'sickle' | 'scythe', verb: string, prefix: string, ...opts: string[]) =>
  py<{ count: number; items: Item[] }>('walk', client_, base, verb, prefix, ...opts);

test('Sickle and oaipmh-scythe walk ListRecords and ListIdentifiers completely, in both formats: every record once', async () => {
  const all = records.map((r) => oaiIdentifier(NS, r.identifier)).sort();
  for (const c of ['sickle', 'scythe'] as const) {
    for (const verb of ['ListRecords', 'ListIdentifiers']) {
      const r = await walk(c, verb, 'oai_dc');
      assert.equal(r.items.map((i) => i.identifier).sort(), all, `${c} ${verb}`);
    }
  }
  const rdf = await walk('sickle', 'ListRecords', 'dcat_ap');
  assert.is(rdf.count, records.length);
  assert.ok(rdf.items.every((i) => i.root === 'RDF'));
});

test('oai_dc as a Dataverse reads it: root dc, and every record with a DOI has a https://doi.org/ identifier first', async () => {
  const r = await walk('sickle', 'ListRecords', 'oai_dc');
  assert.ok(r.items.every((i) => i.root === 'dc'));
  const withDoi = records
    .filter((rec) => JSON.stringify(rec.otherIdentifier ?? []).includes('doi.org'))
    .map((rec) => oaiIdentifier(NS, rec.identifier));
  assert.ok(withDoi.length >= 5);
  for (const i of r.items.filter((it) => withDoi.includes(it.identifier)))
    assert.match(i.dcIdentifiers![0], /^https:\/\/doi\.org\/10\.\d+\//, i.identifier);
});

test('per set and incrementally with from: the counts equal the index', async () => {
  for (const source of Object.keys(HARVESTED)) {
    const { count } = await client.count({ index: alias, query: { term: { source } } });
    assert.is((await walk('scythe', 'ListIdentifiers', 'oai_dc', '--set', `source:${source}`)).count, count, source);
  }
  const pid = (await client.count({ index: alias, query: { exists: { field: 'pid' } } })).count;
  assert.is((await walk('sickle', 'ListIdentifiers', 'oai_dc', '--set', 'pid')).count, pid);
  const since = (await client.count({ index: alias, query: { range: { indexed_at: { gte: HARVESTED.stac } } } })).count;
  assert.ok(since > 0 && since < records.length);
  assert.is((await walk('sickle', 'ListRecords', 'oai_dc', '--from', HARVESTED.stac)).count, since);
  const window = await walk('scythe', 'ListIdentifiers', 'oai_dc', '--from', HARVESTED.stac.slice(0, 10), '--until', '2026-11-23');
  assert.is(window.count, since);
});

test('a Dataverse harvest of the pid set imports every record; the whole repository has records it refuses', async () => {
  const pid = await py<{ imported: { globalId: string }[]; refused: { identifier: string; why: string }[] }>(
    'dataverse',
    base,
    '--set',
    'pid',
  );
  assert.equal(pid.refused, []);
  assert.is(pid.imported.length, (await client.count({ index: alias, query: { exists: { field: 'pid' } } })).count);
  assert.ok(pid.imported.every((i) => i.globalId.startsWith('https://doi.org/') || i.globalId.startsWith('https://hdl.handle.net/')));
  // the check can fail: records without DOI or Handle are refused, with Dataverse's own message
  const all = await py<{ imported: unknown[]; refused: { why: string }[] }>('dataverse', base);
  assert.is(all.imported.length, pid.imported.length);
  assert.is(all.refused.length, records.length - pid.imported.length);
});

test('a record removed from its source comes back as status="deleted" to both clients', async () => {
  const gone = records.find((r) => r.isPrimaryTopicOf.sourceId === 'stac')!;
  await deleteStale(client, alias, 'stac', (id) => id !== gone.identifier);
  const id = oaiIdentifier(NS, gone.identifier);
  for (const c of ['sickle', 'scythe'] as const) {
    const r = await walk(c, 'ListRecords', 'oai_dc', '--set', 'source:stac');
    const item = r.items.find((i) => i.identifier === id);
    assert.ok(item?.deleted, `${c}: deleted`);
    assert.is(r.count, records.filter((x) => x.isPrimaryTopicOf.sourceId === 'stac').length);
  }
  const dv = await py<{ deleted: string[] }>('dataverse', base, '--set', 'source:stac');
  assert.equal(dv.deleted, [id]);
});

test('every error code, raised by Sickle from the request that should produce it', async () => {
  const id = oaiIdentifier(NS, records[0].identifier);
  const cases: [string[], string][] = [
    [['RAW', 'verb=Nothing'], 'badVerb'],
    [['RAW', 'verb=Identify&verb=ListSets'], 'badArgument'],
    [['ListRecords', 'metadataPrefix=oai_dc', 'from=yesterday'], 'badArgument'],
    [['ListRecords', 'resumptionToken=not-ours'], 'badResumptionToken'],
    [['ListRecords', 'metadataPrefix=mods'], 'cannotDisseminateFormat'],
    [['GetRecord', `identifier=${id}`, 'metadataPrefix=mods'], 'cannotDisseminateFormat'],
    [['GetRecord', 'identifier=oai:data.hub.example:stac:none', 'metadataPrefix=oai_dc'], 'idDoesNotExist'],
    [['ListIdentifiers', 'metadataPrefix=oai_dc', 'from=2030-01-01'], 'noRecordsMatch'],
    [['ListIdentifiers', 'metadataPrefix=oai_dc', 'set=source:none'], 'noRecordsMatch'],
  ];
  for (const [args, code] of cases) {
    const r = await py<{ code: string; message?: string }>('error', base, ...args);
    assert.is(r.code, code, `${args.join(' ')}: ${r.message}`);
  }
  const bare = await buildServer({ client, alias, esUrl: await esUrl(), log: silentLogger, routes: [oaiRoutes({ sets: false })] });
  await bare.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(bare.server.address() as { port: number }).port}/oai`;
  assert.is((await py<{ code: string }>('error', url, 'ListSets')).code, 'noSetHierarchy');
  await bare.close();
});

test.run();
