/** core/batches.ts inOrderBatches: batches gathered across lone items (holdLone) or cut by them, the order kept. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { inOrderBatches } from '../../core/batches.js';

type Item = { kind: 'record'; n: number } | { kind: 'notice'; text: string };

async function* stream(items: Item[]): AsyncGenerator<Item, string, undefined> {
  for (const i of items) {
    await new Promise((r) => setImmediate(r));
    yield i;
  }
  return 'end';
}

/** A file's notice before each of its records, as `harvester validate` reads files. */
const ITEMS: Item[] = Array.from({ length: 10 }, (_, n): Item[] => [
  { kind: 'notice', text: `file ${n}` },
  { kind: 'record', n },
]).flat();

async function run(holdLone: boolean, drop = false) {
  const batches: number[][] = [];
  const gen = inOrderBatches(stream(ITEMS), {
    member: (i) => (i.kind === 'record' ? i.n : undefined),
    work: async (b: number[]) => {
      batches.push(b);
      await new Promise((r) => setTimeout(r, 1));
      return (drop ? b.filter((n) => n % 2 === 0) : b).map((n) => `record ${n}`);
    },
    alone: (i) => (i.kind === 'notice' ? i.text : 'record?'),
    size: 4,
    window: 2,
    holdLone,
  });
  const out: string[] = [];
  let r = await gen.next();
  for (; !r.done; r = await gen.next()) out.push(r.value);
  return { out, batches, end: r.value };
}

const IN_ORDER = ITEMS.map((i) => (i.kind === 'notice' ? i.text : `record ${i.n}`));

test('holdLone: a notice between records is held in its place, the batches are full', async () => {
  const { out, batches, end } = await run(true);
  assert.equal(out, IN_ORDER);
  assert.equal(batches, [
    [0, 1, 2, 3],
    [4, 5, 6, 7],
    [8, 9],
  ]);
  assert.is(end, 'end');
});

test('without holdLone: each notice closes the batch (a work may drop members: unchanged records)', async () => {
  const { out, batches } = await run(false);
  assert.equal(out, IN_ORDER);
  assert.equal(
    batches,
    ITEMS.flatMap((i) => (i.kind === 'record' ? [[i.n]] : [])),
  );
  const dropped = await run(false, true);
  assert.equal(
    dropped.out,
    IN_ORDER.filter((s) => !/^record [13579]$/.test(s)),
  );
});

test('holdLone: lone items held in one open batch are bounded by the batch size', async () => {
  const items: Item[] = [
    { kind: 'record', n: 0 },
    ...Array.from({ length: 9 }, (_, k): Item => ({ kind: 'notice', text: `n${k}` })),
    { kind: 'record', n: 1 },
  ];
  const batches: number[][] = [];
  const out: string[] = [];
  for await (const o of inOrderBatches(stream(items), {
    member: (i) => (i.kind === 'record' ? i.n : undefined),
    work: async (b: number[]) => (batches.push(b), b.map((n) => `record ${n}`)),
    alone: (i) => (i.kind === 'notice' ? i.text : '?'),
    size: 4,
    window: 2,
    holdLone: true,
  }))
    out.push(o);
  assert.equal(out, ['record 0', 'n0', 'n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7', 'n8', 'record 1']);
  assert.equal(batches, [[0], [1]]); // the fourth held notice closed the first batch
});

test('maxWaitMs: a stream that stops giving (a page that hangs) has what it gave passed on, in order, before it goes on', async () => {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  async function* slow(): AsyncGenerator<Item, string, undefined> {
    for (let n = 0; n < 3; n++) yield { kind: 'record', n };
    yield { kind: 'notice', text: 'page 1 read' };
    await released; // the next page does not come
    yield { kind: 'record', n: 3 };
    return 'end';
  }
  const opts = {
    member: (i: Item) => (i.kind === 'record' ? i.n : undefined),
    work: async (b: number[]) => b.map((n) => `record ${n}`),
    alone: (i: Item) => (i.kind === 'notice' ? i.text : '?'),
    size: 10,
    window: 2,
  };
  const out: string[] = [];
  const gen = inOrderBatches(slow(), { ...opts, holdLone: true, maxWaitMs: 50 });
  const consumer = (async () => {
    let r = await gen.next();
    for (; !r.done; r = await gen.next()) out.push(r.value);
    return r.value;
  })();
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(out, ['record 0', 'record 1', 'record 2', 'page 1 read'], 'passed on while the stream waits');
  release();
  assert.is(await consumer, 'end');
  assert.equal(out, ['record 0', 'record 1', 'record 2', 'page 1 read', 'record 3']);
});

test.run();
