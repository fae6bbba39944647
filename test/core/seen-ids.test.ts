/** SeenIds: the constant-memory "already seen" check of the CSW harvester. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SeenIds } from '../../core/seen-ids.js';
import { generatedId } from '../../scripts/samples/iso-generator.js';

test('no false negatives: every identifier added is seen again; 200,000 new ones give (almost) no false alarm', () => {
  const seen = new SeenIds();
  const N = 200_000;
  for (let i = 0; i < N; i++) assert.is(seen.check(generatedId(i)), false, generatedId(i)); // (a false alarm here fails too)
  for (let i = 0; i < N; i++) if (!seen.check(generatedId(i))) assert.unreachable(`${generatedId(i)} not seen`);
  assert.is(seen.size, N, 'distinct identifiers added');
  let falseAlarms = 0;
  for (let i = N; i < 2 * N; i++) if (seen.check(`${generatedId(i)}`)) falseAlarms++;
  assert.ok(falseAlarms <= 1, `${falseAlarms} false alarms`);
  assert.ok(seen.expectedFalse() < 0.1, String(seen.expectedFalse())); // 400,000 distinct identifiers: ~0.04
});

test('a small filter: the measured false-alarm rate matches the formula it quotes', () => {
  const seen = new SeenIds(1024, 5); // 8,192 bits
  for (let i = 0; i < 1500; i++) seen.check(`urn:uuid:${i}-x`);
  const before = seen.falseRate();
  assert.ok(before > 0.05 && before < 0.2, `formula ${before}`);
  // 400 identifiers never added: those reported as seen are false alarms (each probe is added, so the rate rises)
  let falseAlarms = 0;
  for (let i = 0; i < 400; i++) if (seen.check(`doi:10.5072/probe-${i}`)) falseAlarms++;
  const measured = falseAlarms / 400;
  const after = seen.falseRate();
  assert.ok(measured > before / 2 && measured < after * 2, `measured ${measured}, formula ${before}..${after}`);
  assert.ok(Math.abs(seen.expectedFalse() - falseAlarms) < falseAlarms, `expected ${seen.expectedFalse()}, measured ${falseAlarms}`);
});

test('has() only looks; add() records; another seed makes its false alarms on other identifiers', () => {
  const seen = new SeenIds();
  assert.is(seen.has('a'), false);
  seen.add('a');
  assert.is(seen.has('a'), true);
  assert.is(seen.has('b'), false);
  assert.is(seen.has('b'), false, 'has() added nothing');
  const falseAlarms = (seed: string) => {
    const f = new SeenIds(1024, 5, seed);
    for (let i = 0; i < 1500; i++) f.add(`urn:uuid:${i}-x`);
    return Array.from({ length: 400 }, (_, i) => `probe-${i}`).filter((id) => f.has(id));
  };
  const [one, two] = [falseAlarms('run-1'), falseAlarms('run-2')];
  assert.ok(one.length > 10 && two.length > 10);
  assert.ok(one.filter((id) => two.includes(id)).length < one.length / 2, 'mostly different identifiers');
});

test('options are checked', () => {
  assert.throws(() => new SeenIds(1000), /power of two/);
  assert.throws(() => new SeenIds(2 ** 29), /power of two/);
  assert.throws(() => new SeenIds(1024, 0), /hashes/);
});

test.run();
