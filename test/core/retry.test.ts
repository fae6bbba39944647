/** core/retry.ts: the one backoff of the HTTP client and the bulk indexer, its bounds and its randomness. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BACKOFF_LIMIT_MS, backoffDelay } from '../../core/retry.js';

test('backoffDelay grows exponentially with bounded jitter', () => {
  assert.is(
    backoffDelay(1, 1000, () => 0),
    500,
  );
  assert.is(
    backoffDelay(1, 1000, () => 1),
    1000,
  );
  assert.is(
    backoffDelay(2, 1000, () => 0.5),
    1500,
  );
  assert.is(
    backoffDelay(3, 1000, () => 0),
    2000,
  );
  assert.is(
    backoffDelay(20, 1000, () => 1),
    30_000,
    'capped',
  );
  assert.is(BACKOFF_LIMIT_MS, 30_000);
  assert.is(
    backoffDelay(1, 0, () => 1),
    0,
    'a zero base never waits (tests set it)',
  );
});

test('every wait lies within [step / 2, step] for every attempt, with the real random source', () => {
  for (let attempt = 1; attempt <= 12; attempt++) {
    const step = Math.min(500 * 2 ** (attempt - 1), BACKOFF_LIMIT_MS);
    const waits = Array.from({ length: 200 }, () => backoffDelay(attempt, 500));
    for (const w of waits) assert.ok(w >= step / 2 && w <= step, `attempt ${attempt}: ${w} outside [${step / 2}, ${step}]`);
    // jittered: 200 draws are not all the same
    assert.ok(new Set(waits).size > 1, `attempt ${attempt}: no jitter`);
  }
});

test.run();
