/** Mapping in worker threads: same results as in the calling thread, in the harvester's order, nothing lost. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync } from 'node:fs';
import type { HarvestItem } from '../../harvesters/types.js';
import { MapPool, mapForIndex, type MappedItem } from '../../pipelines/map-pool.js';
import { SourceError } from '../../core/result.js';
import { sharedFixture } from '../../schemas/paths.js';

const job = { harvestedAt: '2026-11-25T12:00:00Z', run: { runId: 'run-1', seenAt: '2026-11-25T12:00:00Z' } };
const dir = sharedFixture('iso19139');
const raws = readdirSync(dir).map((f) => ({ source: 'fx', body: readFileSync(`${dir}/${f}`, 'utf8'), location: f }));

async function* items(n: number, failAfter?: number): AsyncGenerator<HarvestItem> {
  for (let i = 0; i < n; i++) {
    if (i === failAfter) throw new SourceError('fetch', 'page 3 failed');
    if (i % 40 === 7) yield { kind: 'notice', notice: { level: 'info', message: `notice ${i}` } };
    yield { kind: 'record', raw: { ...raws[i % raws.length], location: `rec ${i}` } };
  }
}

const where = (m: MappedItem) =>
  m.kind === 'doc'
    ? m.doc.location
    : m.kind === 'failure'
      ? m.failure.location
      : m.kind === 'validated'
        ? 'validated'
        : `notice:${(m.item as { notice: { message: string } }).notice.message}`;

test('workers give the same documents as the calling thread, in order', async () => {
  const pool = new MapPool(job, 2);
  const got: MappedItem[] = [];
  for await (const m of pool.mapStream(items(200))) got.push(m);
  await pool.close();
  const inline = new MapPool(job, 0);
  const expected: MappedItem[] = [];
  for await (const m of inline.mapStream(items(200))) expected.push(m);
  assert.is(got.length, 200 + 5);
  assert.equal(got.map(where), expected.map(where));
  const docs = got.filter((m) => m.kind === 'doc');
  assert.is(docs.length, 200);
  assert.equal(
    docs,
    expected.filter((m) => m.kind === 'doc'),
  );
  assert.equal(mapForIndex({ ...raws[0], location: 'rec 0' }, job), docs[0]);
});

test('a broken record is a failure with its raw input, the others go on', async () => {
  const pool = new MapPool(job, 1);
  async function* some(): AsyncGenerator<HarvestItem> {
    yield { kind: 'record', raw: raws[0] };
    yield { kind: 'record', raw: { source: 'fx', body: '<gmd:MD_Metadata><broken>', location: 'broken' } };
    yield { kind: 'record', raw: raws[1] };
  }
  const got: MappedItem[] = [];
  for await (const m of pool.mapStream(some())) got.push(m);
  await pool.close();
  assert.equal(
    got.map((m) => m.kind),
    ['doc', 'failure', 'doc'],
  );
  const f = got[1] as Extract<MappedItem, { kind: 'failure' }>;
  assert.is(f.failure.stage, 'parse');
  assert.is(f.failure.raw, '<gmd:MD_Metadata><broken>');
});

test('when the source fails, what it yielded before is still delivered, then its error', async () => {
  const pool = new MapPool(job, 2);
  const got: MappedItem[] = [];
  let error: unknown;
  try {
    for await (const m of pool.mapStream(items(100, 60))) got.push(m);
  } catch (err) {
    error = err;
  }
  await pool.close();
  assert.instance(error, SourceError);
  assert.is(got.filter((m) => m.kind === 'doc').length, 60);
});

test.run();
