/**
 * `harvester purge` as a user runs it (the installed bin): the withdrawn records whose grace has ended are purged,
 * those within their grace stay; a mistaken --source is one sentence and exit 2.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buryRecords, tombstoneIndex, type Tombstone } from '../../pipelines/tombstones.js';
import { harvesterBin } from '../helpers/bin.js';
import { deleteIndices, esClient, esUrl, tempIndexName } from '../helpers/services.js';

const client = await esClient();
const es = await esUrl();
const bin = harvesterBin();
const alias = tempIndexName('purge-cli');

test.after(async () => {
  bin.cleanup();
  await deleteIndices(client, `${alias}*`);
});

test('purge: due withdrawals purged, the others kept; exit 0', async () => {
  // three live records of source "s", then withdrawn: two whose grace ended, one still within it
  await client.indices.create({ index: alias, mappings: { dynamic: true } });
  for (const n of [1, 2, 3])
    await client.index({ index: alias, id: `s:${n}`, document: { id: `s:${n}`, source: 's', record: { identifier: `s:${n}` } } });
  await client.indices.refresh({ index: alias });
  const past = new Date(Date.now() - 60_000).toISOString();
  const future = new Date(Date.now() + 3_600_000).toISOString();
  assert.is(await buryRecords(client, alias, ['s:1', 's:2'], { graceUntil: past }), 2);
  assert.is(await buryRecords(client, alias, ['s:3'], { graceUntil: future }), 1);
  await client.bulk({ index: alias, operations: ['s:1', 's:2', 's:3'].map((id) => ({ delete: { _id: id } })), refresh: true });

  const r = await bin.runAsync({}, 'purge', '--source', 's', '--es', es, '--alias', alias);
  assert.is(r.code, 0, r.err);
  assert.match(r.out + r.err, /purged 2 withdrawn record\(s\) of source \\?"s\\?" whose grace period had ended; 1 still withdrawn/);
  const states = await client.mget<Tombstone>({ index: tombstoneIndex(alias), ids: ['s:1', 's:2', 's:3'] });
  assert.equal(
    states.docs.map((d) => ('found' in d && d.found ? [d._source!.state, d._source!.record === undefined] : undefined)),
    [
      ['deleted', true],
      ['deleted', true],
      ['withdrawn', false],
    ],
  );
});

test('purge --source with a bad id: one sentence, exit 2', async () => {
  const r = await bin.runAsync({}, 'purge', '--source', 'Not An Id', '--es', es, '--alias', alias);
  assert.is(r.code, 2);
  assert.match(r.err, /--source/);
});

test.run();
