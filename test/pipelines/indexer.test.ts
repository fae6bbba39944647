/**
 * BulkIndexer against the real Elasticsearch node; faults (429, 503, dropped connections) come from a local proxy in
 * front of the node that spoils chosen _bulk requests.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@elastic/elasticsearch';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { HubRecord } from '../../schemas/record.js';
import { INDEX_MAPPINGS, MAPPING_VERSION } from '../../mappings/es-index.js';
import { recordHash } from '../../mappings/index-doc.js';
import { ensureIndex } from '../../pipelines/index-admin.js';
import { BulkIndexer } from '../../pipelines/indexer.js';
import type { Failure } from '../../core/result.js';
import { deleteIndices, esClient, esUrl, tempIndexName } from '../helpers/services.js';
import { CRYO, fullRecord, reharvested, smallRecord } from '../schemas/sample-records.js';

const client = await esClient();
const prefix = tempIndexName('indexer');
let n = 0;
/** A fresh alias (with its index) for one test. */
async function freshAlias(): Promise<string> {
  const alias = `${prefix}-${++n}`;
  await ensureIndex(client, alias);
  return alias;
}
test.after(async () => {
  await deleteIndices(client, `${prefix}-*`);
});

/** One record per CRYO dataset (real titles and descriptions), source 'ozcar-cryo'. */
function cryoRecords(): HubRecord[] {
  return CRYO.datasets.map((ds) =>
    smallRecord({
      source: 'ozcar-cryo',
      id: ds.datasetId,
      title: { en: ds.metadata.title },
      description: { en: ds.metadata.description },
      keywords: ds.metadata.topicCategories,
    }),
  );
}

async function indexAll(
  alias: string,
  runId: string,
  records: HubRecord[],
  opts: Partial<ConstructorParameters<typeof BulkIndexer>[0]> = {},
) {
  const failures: Failure[] = [];
  const indexer = new BulkIndexer({ client, index: alias, runId, refresh: true, onFailure: (f) => failures.push(f), ...opts });
  for (const r of records) await indexer.add(r, { source: r.isPrimaryTopicOf.sourceId, location: `test:${r.identifier}` });
  const stats = await indexer.close();
  return { stats, failures };
}

interface Stored {
  title: string[];
  harvest: { run_id: string; last_seen: string; record_hash: string; mapping_version: number };
}
async function stored(alias: string, id: string) {
  return client.get<Stored>({ index: alias, id });
}

test('options are checked up front', () => {
  assert.throws(() => new BulkIndexer({ client, index: '', runId: 'r' }), /index must be a non-empty/);
  assert.throws(() => new BulkIndexer({ client, index: 'x', runId: '' }), /runId must be a non-empty/);
  assert.throws(() => new BulkIndexer({ client, index: 'x', runId: 'r', batchSize: 0 }), /batchSize must be an integer >= 1, got 0/);
  assert.throws(() => new BulkIndexer({ client, index: 'x', runId: 'r', concurrency: 1.5 }), /concurrency must be an integer/);
  assert.throws(() => new BulkIndexer({ client, index: 'x', runId: 'r', maxBatchBytes: 10 }), /maxBatchBytes must be an integer >= 1024/);
});

test('new, then unchanged on a second run (nothing written: same document, same version), then updated', async () => {
  const alias = await freshAlias();
  const records = [fullRecord(), ...cryoRecords().slice(1)];
  const first = await indexAll(alias, 'run-1', records, { batchSize: 3, seenAt: '2026-11-25T12:00:00.000Z' });
  assert.equal(first.failures, []);
  assert.equal(
    { ...first.stats, ms: 0 },
    {
      indexed: 8,
      new: 8,
      updated: 0,
      unchanged: 0,
      failed: 0,
      duplicates: 0,
      bulkRequests: 3,
      retries: 0,
      ms: 0,
      failures: [],
    },
  );
  const before = await stored(alias, records[0].identifier);
  assert.is(before._source!.harvest.run_id, 'run-1');
  assert.is(before._source!.harvest.mapping_version, MAPPING_VERSION);
  assert.is(before._source!.harvest.record_hash, recordHash(records[0]));

  // Second harvest of the same records (harvested later: a new harvestedAt does not make them "updated").
  const again = records.map((r) => reharvested(r, '2026-11-26T00:00:00Z'));
  const second = await indexAll(alias, 'run-2', again, { batchSize: 3, seenAt: '2026-11-26T00:00:00.000Z' });
  assert.is(second.stats.unchanged, 8);
  assert.is(second.stats.new + second.stats.updated + second.stats.failed, 0);
  assert.is(second.stats.indexed, 8);
  assert.is(second.stats.bulkRequests, 0, 'no bulk request: nothing to write');
  for (const r of records) assert.is((await stored(alias, r.identifier))._version, 1, `${r.identifier} written once`);
  const after = await stored(alias, records[0].identifier);
  assert.equal(after._source, before._source, 'the document of the first run, as it was');
  assert.is(after._seq_no, before._seq_no);

  // A changed title: updated.
  const changed = structuredClone(records);
  changed[2].title = { en: 'A new title' };
  const third = await indexAll(alias, 'run-3', changed);
  assert.equal([third.stats.updated, third.stats.unchanged], [1, 7]);
  assert.equal((await stored(alias, changed[2].identifier))._source!.title, ['a new title']);
});

test('the same id twice in a batch: the last one wins and is counted', async () => {
  const alias = await freshAlias();
  const [a, b] = cryoRecords();
  const a2 = { ...a, title: { en: 'Second version' } };
  const { stats } = await indexAll(alias, 'run-1', [a, b, a2]);
  assert.equal([stats.new, stats.duplicates, stats.indexed], [2, 1, 2]);
  assert.equal((await stored(alias, a.identifier))._source!.title, ['second version']);
  // Across batches (batchSize 1, two requests in flight): still the last one.
  const { stats: s2 } = await indexAll(alias, 'run-2', [a, b, a2, a], { batchSize: 1, concurrency: 2 });
  assert.is(s2.failed, 0);
  assert.equal((await stored(alias, a.identifier))._source!.title, [
    CRYO.datasets[0].metadata.title.toLowerCase().replace(/,/g, '').replace('alpes', 'alpe'),
  ]);
});

test('a document ES rejects becomes a Failure with its id and the ES reason; the rest is indexed', async () => {
  // An index whose mapping conflicts with ours: keywords as numbers.
  const index = `${prefix}-conflict`;
  await client.indices.create({
    index,
    mappings: { ...INDEX_MAPPINGS, properties: { ...INDEX_MAPPINGS.properties, keywords: { type: 'long' } } } as never,
  });
  const withKeywords = cryoRecords().slice(0, 3); // real topic categories: text, not numbers
  const without = smallRecord({ source: 'ozcar-cryo', id: 'no-keywords', title: { en: 'No keywords' } });
  const { stats, failures } = await indexAll(index, 'run-1', [...withKeywords, without]);
  assert.equal([stats.new, stats.failed, stats.indexed], [1, 3, 1]);
  // named by their identifier at the source (id) and their document in the index (indexId)
  assert.equal(
    failures.map((f) => [f.id, f.indexId]),
    withKeywords.map((r) => [r.isPrimaryTopicOf.identifier, r.identifier]),
  );
  for (const f of failures) {
    assert.is(f.stage, 'index');
    assert.is(f.source, 'ozcar-cryo');
    assert.is(f.location, `test:${f.indexId}`);
    assert.match(
      f.error,
      /^\[400\] document_parsing_exception: .*keywords.*\(caused by illegal_argument_exception: For input string: "Climatology/,
    );
    assert.is((f.raw as HubRecord).identifier, f.indexId, 'the record is kept');
  }
  assert.equal(stats.failures, failures);
  assert.ok(await client.exists({ index, id: 'ozcar-cryo:no-keywords' }));
});

test('a record whose source differs from the one being indexed is a Failure, not an index write', async () => {
  const alias = await freshAlias();
  const indexer = new BulkIndexer({ client, index: alias, runId: 'r' });
  const [r] = cryoRecords();
  await indexer.add(r, { source: 'other-source' });
  const stats = await indexer.close();
  assert.is(stats.failed, 1);
  assert.is(stats.bulkRequests, 0);
  assert.match(stats.failures[0].error, "record source 'ozcar-cryo' differs from the source being indexed 'other-source'");
});

test('an onFailure callback that throws does not lose the failure; its error surfaces in close()', async () => {
  const alias = await freshAlias();
  const indexer = new BulkIndexer({
    client,
    index: alias,
    runId: 'r',
    onFailure: () => {
      throw new Error('callback broke');
    },
  });
  const [r] = cryoRecords();
  await indexer.add(r, { source: 'other-source' });
  try {
    await indexer.close();
    assert.unreachable('close() resolved');
  } catch (err) {
    assert.is((err as Error).message, 'callback broke');
  }
  assert.is(indexer.snapshot().failed, 1);
});

/** A proxy to the ES node that answers the first `spoil` _bulk requests itself with `status` (0: drops the socket). */
async function faultyProxy(spoil: number, status: number) {
  const target = new URL(await esUrl());
  let spoiled = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const server: Server = createServer((req, res) => {
    const isBulk = req.url?.includes('_bulk') ?? false;
    if (isBulk && spoiled < spoil) {
      spoiled++;
      req.resume();
      if (status === 0) {
        req.socket.destroy();
        return;
      }
      res.writeHead(status, { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch' });
      res.end(
        JSON.stringify({
          error: { type: status === 429 ? 'es_rejected_execution_exception' : 'unavailable', reason: 'spoiled by the test proxy' },
          status,
        }),
      );
      return;
    }
    if (isBulk) maxInFlight = Math.max(maxInFlight, ++inFlight);
    const up = request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (upRes) => {
      res.writeHead(upRes.statusCode ?? 502, upRes.headers);
      upRes.pipe(res);
      upRes.on('end', () => {
        if (isBulk) inFlight--;
      });
    });
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const proxied = new Client({ node: `http://127.0.0.1:${port}`, maxRetries: 0 });
  return {
    client: proxied,
    spoiled: () => spoiled,
    maxInFlight: () => maxInFlight,
    close: async () => {
      await proxied.close();
      await new Promise((r) => server.close(r));
    },
  };
}

test('429, 503 and dropped connections: the batch is retried with backoff and nothing is lost', async () => {
  for (const status of [429, 503, 0]) {
    const alias = await freshAlias();
    const proxy = await faultyProxy(2, status);
    try {
      const records = cryoRecords();
      const indexer = new BulkIndexer({ client: proxy.client, index: alias, runId: 'r', batchSize: 4, retryDelayMs: 10, refresh: true });
      for (const r of records) await indexer.add(r, { source: 'ozcar-cryo' });
      const stats = await indexer.close();
      assert.is(proxy.spoiled(), 2, `status ${status}`);
      assert.equal([stats.new, stats.failed, stats.retries, stats.bulkRequests], [records.length, 0, 2, 4], `status ${status}`);
      assert.is((await client.count({ index: alias })).count, records.length);
    } finally {
      await proxy.close();
    }
  }
});

test('when the retries run out, every record of the batch is a Failure (no throw)', async () => {
  const alias = await freshAlias();
  const proxy = await faultyProxy(100, 503);
  try {
    const failures: Failure[] = [];
    const indexer = new BulkIndexer({
      client: proxy.client,
      index: alias,
      runId: 'r',
      retries: 2,
      retryDelayMs: 5,
      onFailure: (f) => failures.push(f),
    });
    const records = cryoRecords().slice(0, 3);
    for (const r of records) await indexer.add(r, { source: 'ozcar-cryo' });
    const stats = await indexer.close();
    assert.equal([stats.failed, stats.indexed, stats.bulkRequests, stats.retries], [3, 0, 3, 2]);
    // each failure names the record at its source (id) and its document in the index (indexId), never one for the other
    assert.equal(
      failures.map((f) => [f.id, f.indexId]),
      records.map((r) => [r.isPrimaryTopicOf.identifier, r.identifier]),
    );
    assert.is(failures[0].error, 'bulk request failed after 2 retries: [503] unavailable: spoiled by the test proxy');
  } finally {
    await proxy.close();
  }
});

test('bounded memory: never more than `concurrency` bulk requests in flight', async () => {
  const alias = await freshAlias();
  const proxy = await faultyProxy(0, 0);
  try {
    const records = Array.from({ length: 60 }, (_, i) => smallRecord({ source: 's', id: `r${i}`, title: { en: `Record ${i}` } }));
    const indexer = new BulkIndexer({ client: proxy.client, index: alias, runId: 'r', batchSize: 5, concurrency: 2 });
    for (const r of records) await indexer.add(r, { source: 's' });
    const stats = await indexer.close();
    assert.is(stats.new, 60);
    assert.is(stats.bulkRequests, 12);
    assert.is(proxy.maxInFlight(), 2);
  } finally {
    await proxy.close();
  }
});

/** Synthetic records, shaped like a STAC/ISO record: bbox, period, keywords, themes, a distribution. */
function synthetic(i: number): HubRecord {
  const w = -180 + ((i * 7) % 350);
  const s = -80 + ((i * 13) % 150);
  const r = smallRecord({
    source: 'synthetic',
    id: `rec-${i}`,
    title: { fr: `Évolution des glaciers n°${i}`, en: `Glacier evolution number ${i}` },
    description: { en: CRYO.datasets[i % CRYO.datasets.length].metadata.description },
    bbox: [w, s, w + 5, s + 5],
    start: { '@value': String(1950 + (i % 70)), '@type': 'xsd:gYear' },
    end: { '@value': `${2000 + (i % 25)}-06-30`, '@type': 'xsd:date' },
    keywords: ['glacier', `kw${i % 50}`, `kw${i % 7}`],
    themes: ['http://inspire.ec.europa.eu/theme/ef', `http://example.org/theme/${i % 10}`],
  });
  r.distribution = [
    {
      '@type': 'dcat:Distribution',
      accessURL: `https://data.example.org/rec-${i}`,
      format: { '@type': 'dct:MediaTypeOrExtent', label: { en: 'GeoTIFF' } },
    },
  ];
  return r;
}

test('throughput with synthetic records (INDEXER_BENCH_N, default 1000)', async () => {
  const alias = `${prefix}-bench`;
  await ensureIndex(client, alias, { refreshInterval: '30s' });
  const total = Number(process.env.INDEXER_BENCH_N ?? 1000);
  const records = Array.from({ length: total }, (_, i) => synthetic(i));
  const first = await indexAll(alias, 'bench-1', records, { refresh: true });
  assert.is(first.stats.new, total);
  const second = await indexAll(alias, 'bench-2', records, { refresh: true });
  assert.is(second.stats.unchanged, total);
  const rate = (s: { ms: number }) => Math.round((total / s.ms) * 1000);
  console.log(
    `    ${total} records: first run ${rate(first.stats)} docs/s (${first.stats.bulkRequests} bulks), second run (unchanged) ${rate(second.stats)} docs/s`,
  );
  assert.is((await client.count({ index: alias })).count, total);
});

test.run();

test('each document is stamped indexed_at when its bulk request is sent (the OAI-PMH datestamp), not at the run start; an unchanged record keeps its stamp', async () => {
  const alias = await freshAlias();
  const records = cryoRecords().slice(0, 4);
  // a clock one hour further at each bulk request: batches of 2 give two distinct stamps
  let t = Date.parse('2026-11-25T12:00:00.000Z');
  const clock = () => new Date((t += 3_600_000));
  await indexAll(alias, 'run-1', records, { batchSize: 2, concurrency: 1, clock, seenAt: '2026-11-25T12:00:00.000Z' });
  const stamps = async () =>
    Promise.all(
      records.map(async (r) => (await client.get<{ indexed_at: string }>({ index: alias, id: r.identifier }))._source!.indexed_at),
    );
  const first = await stamps();
  assert.equal(first, ['2026-11-25T13:00:00.000Z', '2026-11-25T13:00:00.000Z', '2026-11-25T14:00:00.000Z', '2026-11-25T14:00:00.000Z']);
  // a second run: two records unchanged (not written: their stamp stays), two changed (stamped by this run's clock)
  const again = records.map((r, i) => (i % 2 === 1 ? { ...r, title: { en: `${r.title.en} (revised)` } } : r));
  await indexAll(alias, 'run-2', again, { batchSize: 10, clock: () => new Date('2026-11-26T08:00:00.000Z') });
  assert.equal(await stamps(), [first[0], '2026-11-26T08:00:00.000Z', first[2], '2026-11-26T08:00:00.000Z']);
});
