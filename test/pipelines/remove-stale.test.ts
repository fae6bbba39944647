/** The deletion guard: how many of a source's records one run may remove. Pure. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { removalLimit } from '../../pipelines/remove-stale.js';

test('by default 10% of the source, one record always, never all of it', () => {
  assert.equal(
    [300, 100, 26, 10, 9, 2, 1, 0].map((total) => removalLimit(total)),
    [30, 10, 2, 1, 1, 1, 0, 0],
  );
});

test('a ratio and a count of its own: the smaller wins; a ratio of 1 may empty the source', () => {
  assert.is(removalLimit(300, { maxDeleteRatio: 0.5 }), 150);
  assert.is(removalLimit(300, { maxDeleteRatio: 0.5, maxDeleteCount: 10 }), 10);
  assert.is(removalLimit(300, { maxDeleteCount: 100 }), 30);
  assert.is(removalLimit(300, { maxDeleteRatio: 1 }), 300);
  assert.is(removalLimit(1, { maxDeleteRatio: 1 }), 1);
  assert.is(removalLimit(300, { maxDeleteCount: 0 }), 0, 'a count of 0: nothing ever removed');
  assert.is(removalLimit(300, { maxDeleteRatio: 0 }), 0, 'a ratio of 0: nothing ever removed');
});

test.run();
