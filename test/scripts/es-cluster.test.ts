/**
 * The hub on a two-node cluster (scripts/services/es-cluster.ts: two processes of the minimal build on loopback, 256-512
 * MB of heap each). `harvester harvest`, configured only by the environment (ES_URL naming both nodes, HUB_REPLICAS=1),
 * fills an index whose every shard has a copy on each node. The elected master is stopped: searching (GET /search,
 * OGC API items, `harvester search`) still answers with every record, from the copies left; a harvest then cannot
 * write (the cluster has no master) and says so without losing anything. The node is started again: the cluster
 * forms again, green, and the same harvest succeeds; each node alone answers with every record.
 * The nodes and their folders are removed at the end, and killed if this process dies.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildServer } from '../../api/server.js';
import { createClient, esConnection } from '../../pipelines/es-connection.js';
import { silentLogger } from '../../pipelines/log.js';
import { sharedFixture } from '../../schemas/paths.js';
import { startCluster, type Cluster } from '../../scripts/services/es-cluster.js';
import { exampleTree } from '../fixtures/stac/tree.js';
import { harvesterBin } from '../helpers/bin.js';

const alias = 'hub-records';
const bin = harvesterBin();
const tree = exampleTree();
let cluster: Cluster;
let env: Record<string, string>;
let firstIds: string[] = [];

/** Every record id, through GET /search of a server whose client knows `nodes`, following the cursors. */
async function searchAll(nodes: string[]): Promise<{ ids: string[]; total: number }> {
  const client = createClient(esConnection({ ES_URL: nodes.join(',') }));
  const app = await buildServer({ client, alias, esUrl: nodes.join(','), log: silentLogger });
  try {
    const ids: string[] = [];
    let url = '/search?size=5&facets=false';
    let total = -1;
    for (;;) {
      const r = await app.inject({ url });
      assert.is(r.statusCode, 200, r.body.slice(0, 300));
      const body = r.json<{ total: number; hits: { id: string }[]; next?: string }>();
      total = body.total;
      ids.push(...body.hits.map((h) => h.id));
      if (!body.next) break;
      url = `/search?size=5&facets=false&cursor=${body.next}`;
    }
    const items = await app.inject({ url: '/ogcapi/collections/catalogue/items?limit=100' });
    assert.is(items.statusCode, 200, items.body.slice(0, 300));
    assert.is(items.json<{ numberMatched: number }>().numberMatched, total);
    return { ids: ids.sort(), total };
  } finally {
    await app.close();
    await client.close();
  }
}

async function shardCopies(via: string): Promise<{ shard: string; prirep: string; state: string; node: string }[]> {
  const r = await fetch(`${via}/_cat/shards/${alias}*?format=json&h=index,shard,prirep,state,node`);
  return (await r.json()) as { shard: string; prirep: string; state: string; node: string }[];
}

test.before(async () => {
  cluster = await startCluster({ nodes: 2, javaOpts: '-Xms256m -Xmx512m' });
  env = { ES_URL: cluster.urls.join(','), HUB_REPLICAS: '1', HUB_INDEX: alias, LOG_LEVEL: 'warn' };
});
test.after(async () => {
  await cluster?.stop();
  tree.cleanup();
  bin.cleanup();
});

test('a harvest configured by the environment writes every shard on both nodes', async () => {
  let indexed = 0;
  for (const [url, type, id] of [
    [sharedFixture('ozcar', 'CRYO_en.json'), 'ozcar', 'cryo'],
    [`${tree.dir}/catalog.json`, 'stac', 'stac'],
  ]) {
    const r = await bin.runAsync({ env }, 'harvest', '--url', url, '--type', type, '--id', id);
    assert.is(r.code, 0, r.err);
    indexed += (r.lines.find((l: { source?: string }) => l.source === id) as { indexed: number }).indexed;
  }
  assert.ok(indexed >= 8 + 3, `${indexed} records harvested`);
  await cluster.waitFor('green', 2);
  const copies = (await shardCopies(cluster.urls[0])).filter((c) => !c.shard.startsWith('-'));
  const records = copies.filter((c) => !/-(runs|locks|tombstones)\b/.test(JSON.stringify(c)));
  assert.ok(records.length >= 2);
  for (const c of records) assert.is(c.state, 'STARTED');
  // each shard: a primary and a replica, on the two different nodes
  const byShard = new Map<string, string[]>();
  for (const c of records) byShard.set(c.shard, [...(byShard.get(c.shard) ?? []), `${c.prirep}@${c.node}`]);
  for (const [shard, where] of byShard) {
    assert.is(where.length, 2, `shard ${shard}: ${where.join(' ')}`);
    assert.is(new Set(where.map((w) => w.split('@')[1])).size, 2, `shard ${shard} on both nodes`);
  }
  const settings = await (await fetch(`${cluster.urls[1]}/${alias}/_settings/index.number_of_replicas`)).json();
  assert.is(
    Object.values(settings as Record<string, { settings: { index: { number_of_replicas: string } } }>)[0].settings.index.number_of_replicas,
    '1',
  );
  const all = await searchAll(cluster.urls);
  firstIds = all.ids;
  assert.is(all.total, indexed, 'every record harvested');
});

test('the master stopped: search answers with every record; a harvest cannot write and loses nothing', async () => {
  const master = await cluster.master();
  const other = cluster.nodes.find((n) => n !== master)!;
  await master.stop();
  // the hub's client knows both nodes: it finds the live one
  const both = await searchAll(cluster.urls);
  assert.equal(both.ids, firstIds);
  const alone = await searchAll([other.url]);
  assert.equal(alone.ids, firstIds);
  const cli = await bin.runAsync({ env }, 'search', '--size', '100', '--json');
  assert.is(cli.code, 0, cli.err);
  assert.equal(cli.lines.map((r: { identifier: string }) => r.identifier).sort(), firstIds);
  // writing needs a master: the harvest ends in failure, and says so (requests given 5 s each, not to wait the
  // default 2 minutes of a production timeout)
  const h = await bin.runAsync(
    { env: { ...env, ES_REQUEST_TIMEOUT_MS: '5000' } },
    'harvest',
    '--url',
    sharedFixture('ozcar', 'TOUR_en.json'),
    '--type',
    'ozcar',
    '--id',
    'tour',
  );
  assert.is.not(h.code, 0, 'the harvest does not claim success');
  assert.match(h.out + h.err, /master|cluster_block|unavailable|failed|timed? ?out/i);
  assert.equal((await searchAll([other.url])).ids, firstIds, 'nothing lost');
});

test('the node back: the cluster is green again and the same harvest succeeds; each node alone answers with every record', async () => {
  const stopped = cluster.nodes.find((n) => !n.running())!;
  await stopped.start();
  await cluster.waitFor('green', 2);
  const h = await bin.runAsync({ env }, 'harvest', '--url', sharedFixture('ozcar', 'TOUR_en.json'), '--type', 'ozcar', '--id', 'tour');
  assert.is(h.code, 0, h.err);
  const summary = h.lines.find((l: { source?: string }) => l.source === 'tour');
  assert.is(summary.indexed, 1);
  await cluster.waitFor('green', 2);
  for (const node of cluster.nodes) {
    const r = await searchAll([node.url]);
    assert.is(r.total, firstIds.length + 1, node.name);
    assert.ok(r.ids.includes('tour:TOUR_DAT_lgt-ges-eddycovariance'), node.name);
  }
});

test.run();
