/** Mapping in worker threads: same results as in the calling thread, in the harvester's order, nothing lost. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync } from 'node:fs';
import type { HarvestItem } from '../../harvesters/types.js';
import { MapPool, mapChunk, type MappedItem } from '../../pipelines/map-pool.js';
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
  assert.equal(mapChunk([{ ...raws[0], location: 'rec 0' }], job), [docs[0]]);
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

test('a worker that dies (its heap exhausted) : every record it held is a failure keeping its raw input; a new worker goes on', async () => {
  // a real crash: a record big enough to exhaust a mapping thread's heap (ISO 19139 with 200,000 keywords, 16 MB of
  // text) in a pool whose threads have 24 MB
  const keywords = Array.from(
    { length: 200_000 },
    (_, i) => `<gmd:keyword><gco:CharacterString>kw ${i}</gco:CharacterString></gmd:keyword>`,
  );
  const huge = raws[0].body.replace(
    '</gmd:abstract>',
    `</gmd:abstract><gmd:descriptiveKeywords><gmd:MD_Keywords>${keywords.join('')}</gmd:MD_Keywords></gmd:descriptiveKeywords>`,
  );
  const pool = new MapPool(job, 1, { maxOldGenerationSizeMb: 24, maxYoungGenerationSizeMb: 4 });
  const raw = (i: number) =>
    i === 27 ? { ...raws[0], id: `r${i}`, body: huge, location: 'huge' } : { ...raws[i % raws.length], id: `r${i}`, location: `rec ${i}` };
  async function* some(n: number, from = 0): AsyncGenerator<HarvestItem> {
    for (let i = from; i < from + n; i++) yield { kind: 'record', raw: raw(i) };
  }
  const got: MappedItem[] = [];
  for await (const m of pool.mapStream(some(35))) got.push(m);
  // records go to a worker 25 at a time: the first chunk mapped, the second (records 26 to 35, the huge one among
  // them) died with the worker
  assert.equal(
    got.map((m) => m.kind),
    [...Array<string>(25).fill('doc'), ...Array<string>(10).fill('failure')],
  );
  assert.is(pool.crashes, 1);
  got.slice(25).forEach((m, k) => {
    const f = (m as Extract<MappedItem, { kind: 'failure' }>).failure;
    assert.equal([f.stage, f.id, f.indexId, f.location], ['map', `r${25 + k}`, `fx:r${25 + k}`, raw(25 + k).location]);
    assert.match(f.error, /^mapping worker died: Worker terminated due to reaching memory limit/);
    assert.is(f.raw, raw(25 + k).body, 'the raw input is kept');
  });
  // the worker that took its place maps the next records
  const after: MappedItem[] = [];
  for await (const m of pool.mapStream(some(5, 40))) after.push(m);
  assert.equal(
    after.map((m) => m.kind),
    ['doc', 'doc', 'doc', 'doc', 'doc'],
  );
  await pool.close();
});

test('a pool closed right after it was made: its workers end by themselves once loaded, none is terminated while loading', async () => {
  // (a source that fails at its first request closes the pool within milliseconds: terminating a thread while V8
  // evaluates its module graph aborted the whole process)
  for (let i = 0; i < 3; i++) {
    const pool = new MapPool(job, 2);
    assert.equal(await pool.close(), { terminated: 0 });
    assert.is(pool.workers, 0);
  }
  // a worker still mapping when the pool closes ends once its chunk is mapped
  const busy = new MapPool(job, 1);
  await busy.map([raws[0]]); // (loaded)
  const chunk = busy.map(Array.from({ length: 200 }, (_, i) => ({ ...raws[i % raws.length], location: `rec ${i}` })));
  assert.equal(await busy.close(), { terminated: 0 });
  assert.is((await chunk).length, 200);
  // one that does not end within the wait is terminated
  const stuck = new MapPool(job, 1);
  await stuck.map([raws[0]]);
  void stuck.map(Array.from({ length: 2000 }, (_, i) => ({ ...raws[i % raws.length], location: `rec ${i}` })));
  assert.equal(await stuck.close(1), { terminated: 1 });
});

test.run();
