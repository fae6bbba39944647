/** ensureIndex, rolloverToNewMapping and deleteStale against the real Elasticsearch node. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { HubRecord } from '../../schemas/record.js';
import { INDEX_MAPPINGS, MAPPING_VERSION, versionedIndexName } from '../../mappings/es-index.js';
import { toIndexDoc } from '../../mappings/index-doc.js';
import { countStale, deleteStale, ensureIndex, checkAliasName } from '../../pipelines/index-admin.js';
import { SeenIds } from '../../core/seen-ids.js';
import { BulkIndexer } from '../../pipelines/indexer.js';
import { searchRecords } from '../../pipelines/search.js';
import { deleteIndices, esClient, tempIndexName } from '../helpers/services.js';
import { CRYO, smallRecord } from '../schemas/sample-records.js';

const client = await esClient();
const prefix = tempIndexName('admin');
let n = 0;
const freshName = () => `${prefix}-${++n}`;
test.after(async () => {
  await deleteIndices(client, `${prefix}-*`);
});

function cryoRecord(i: number, source = 'ozcar-cryo'): HubRecord {
  const ds = CRYO.datasets[i];
  return smallRecord({ source, id: ds.datasetId, title: { en: ds.metadata.title }, keywords: ds.metadata.topicCategories });
}

async function aliasTargets(alias: string): Promise<string[]> {
  return Object.keys(await client.indices.getAlias({ name: alias }));
}

test('alias names are checked', () => {
  assert.throws(() => checkAliasName('Records'), /lower-case/);
  assert.throws(() => checkAliasName('records-v2'), /versioned index name/);
  checkAliasName('records');
});

test('ensureIndex creates the versioned index with the strict mapping, then does nothing', async () => {
  const alias = freshName();
  const first = await ensureIndex(client, alias, { refreshInterval: '5s' });
  assert.equal(first, { index: versionedIndexName(alias), created: true });
  assert.is(first.index, `${alias}-v${MAPPING_VERSION}`);
  assert.equal(await aliasTargets(alias), [first.index]);
  const mapping = (await client.indices.getMapping({ index: first.index }))[first.index].mappings;
  assert.is(mapping.dynamic, 'strict');
  assert.is(mapping.properties!.time.type, 'date_range');
  assert.is(mapping.properties!.centroid.type, 'geo_point');
  const settings = (await client.indices.getSettings({ index: first.index }))[first.index].settings!.index!;
  assert.equal([settings.number_of_shards, settings.number_of_replicas, settings.refresh_interval], ['1', '0', '5s']);
  assert.equal(await ensureIndex(client, alias), { index: first.index, created: false });
  assert.equal(await aliasTargets(alias), [first.index]);
});

test('ensureIndex refuses a concrete index in place of the alias, and bad settings', async () => {
  const name = freshName();
  await client.indices.create({ index: name });
  try {
    await ensureIndex(client, name);
    assert.unreachable('used a concrete index as alias');
  } catch (err) {
    assert.match((err as Error).message, `'${name}' is a concrete index, not an alias`);
  }
  try {
    await ensureIndex(client, freshName(), { refreshInterval: 'often' });
    assert.unreachable('bad refresh interval');
  } catch (err) {
    assert.match((err as Error).message, "refreshInterval must look like '1s'");
  }
});

test('a mapping change: the documents of the old version are copied re-projected and the alias swapped', async () => {
  const alias = freshName();
  const old = `${alias}-v0`;
  // Version 0: an older mapping (no date_range, a field that no longer exists), documents of the old projection.
  await client.indices.create({
    index: old,
    mappings: {
      properties: {
        record: { type: 'object', enabled: false },
        old_title: { type: 'text' },
        harvest: { properties: { run_id: { type: 'keyword' }, mapping_version: { type: 'integer' } } },
      },
    },
    aliases: { [alias]: {} },
  });
  const records = CRYO.datasets.map((_, i) => cryoRecord(i));
  await client.bulk({
    index: old,
    refresh: true,
    operations: records.flatMap((r) => [
      { index: { _id: r.identifier } },
      { record: r, old_title: r.title.en, harvest: { run_id: 'run-0', mapping_version: 0 } },
    ]),
  });
  const res = await ensureIndex(client, alias);
  assert.equal(res, { index: `${alias}-v${MAPPING_VERSION}`, created: true, rolledOverFrom: old, copied: records.length });
  assert.equal(await aliasTargets(alias), [res.index]);
  const doc = await client.get<Record<string, unknown>>({ index: alias, id: records[3].identifier });
  const expected = toIndexDoc(records[3], { runId: 'run-0' });
  assert.equal(doc._source, JSON.parse(JSON.stringify(expected)), 're-projected, run id kept, old field gone');
  // The new fields answer queries at once.
  const found = await searchRecords(client, alias, { q: 'Dome C', size: 5 });
  assert.equal(
    found.hits.map((h) => h.id),
    ['ozcar-cryo:CRYO_DAT_gl_met_ant_dc'],
  );
  assert.ok(await client.indices.exists({ index: old }), 'the old index is kept unless deleteOld');
  // A second call is a no-op.
  assert.equal(await ensureIndex(client, alias), { index: res.index, created: false });
});

test('a rollover keeps the previous version for a manual swap back and deletes the older ones', async () => {
  const alias = freshName();
  const v = (n: number) => `${alias}-v${n}`;
  const older = [v(MAPPING_VERSION - 3), v(MAPPING_VERSION - 2)];
  const previous = v(MAPPING_VERSION - 1);
  for (const index of [...older, previous]) await client.indices.create({ index, mappings: INDEX_MAPPINGS });
  // not versions of this alias: left alone
  const others = [`${alias}-v${MAPPING_VERSION - 2}-backup`, `${alias}-vx-v1`];
  for (const index of others) await client.indices.create({ index });
  await client.indices.putAlias({ index: previous, name: alias });
  const doc = toIndexDoc(cryoRecord(0), { runId: 'run-1' });
  await client.index({ index: previous, id: cryoRecord(0).identifier, document: doc, refresh: true });
  const res = await ensureIndex(client, alias);
  assert.equal(res, { index: v(MAPPING_VERSION), created: true, rolledOverFrom: previous, copied: 1, pruned: older });
  for (const index of older) assert.not.ok(await client.indices.exists({ index }), `${index} deleted`);
  for (const index of [previous, ...others]) assert.ok(await client.indices.exists({ index }), `${index} kept`);
  assert.equal(await aliasTargets(alias), [v(MAPPING_VERSION)]);
});

test('an alias on a NEWER version than the code is refused', async () => {
  const alias = freshName();
  await client.indices.create({ index: `${alias}-v${MAPPING_VERSION + 1}`, aliases: { [alias]: {} } });
  try {
    await ensureIndex(client, alias);
    assert.unreachable('downgraded');
  } catch (err) {
    assert.match((err as Error).message, 'newer than this code');
  }
});

test('deleteStale removes only the records of that source the run did not see', async () => {
  const alias = freshName();
  await ensureIndex(client, alias);
  const run = async (runId: string, records: HubRecord[]) => {
    const ix = new BulkIndexer({ client, index: alias, runId, refresh: true });
    for (const r of records) await ix.add(r, { source: r.isPrimaryTopicOf.sourceId });
    return ix.close();
  };
  const all = CRYO.datasets.map((_, i) => cryoRecord(i));
  const other = [cryoRecord(0, 'other-source'), cryoRecord(1, 'other-source')];
  await run('run-1', all);
  await run('other-1', other);
  // The next complete harvest of ozcar-cryo sees only 5 of the 8 datasets.
  const seen = all.slice(0, 5);
  const stats = await run('run-2', seen);
  assert.is(stats.unchanged, 5);
  const seenIds = new SeenIds(undefined, undefined, 'run-2');
  for (const r of seen) seenIds.add(r.identifier);
  const wasSeen = (id: string) => seenIds.has(id);
  assert.equal(await countStale(client, alias, 'ozcar-cryo', wasSeen), { total: 8, stale: 3 });
  assert.equal(await countStale(client, alias, 'other-source', () => true), { total: 2, stale: 0 });
  assert.is(await deleteStale(client, alias, 'ozcar-cryo', wasSeen), 3);
  const left = await searchRecords(client, alias, { size: 100 });
  assert.equal(left.hits.map((h) => h.id).sort(), [...seen, ...other].map((r) => r.identifier).sort());
  assert.is(await deleteStale(client, alias, 'ozcar-cryo', wasSeen), 0, 'idempotent');
  for (const bad of [() => deleteStale(client, alias, '', wasSeen), () => deleteStale(client, alias, 'ozcar-cryo', 'run-2' as never)]) {
    try {
      await bad();
      assert.unreachable('bad arguments');
    } catch (err) {
      assert.instance(err, TypeError);
    }
  }
});

test('deleteStale pages through more than one page of stale documents', async () => {
  const alias = freshName();
  await ensureIndex(client, alias);
  const ix = new BulkIndexer({ client, index: alias, runId: 'old', refresh: true, batchSize: 1000 });
  for (let i = 0; i < 2500; i++) await ix.add(smallRecord({ source: 'bulk', id: `r${i}`, title: { en: `r${i}` } }), { source: 'bulk' });
  assert.is((await ix.close()).new, 2500);
  assert.is(await deleteStale(client, alias, 'bulk', () => false), 2500);
  assert.is((await client.count({ index: alias })).count, 0);
});

test.run();
