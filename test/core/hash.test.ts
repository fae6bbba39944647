/** core/hash.ts: sha256 of known texts (FIPS 180-2 / NIST examples), UTF-8 encoded. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sha256 } from '../../core/hash.js';
import { canonicalJson, contentHash } from '../../core/json.js';

test('sha256 of known strings', () => {
  assert.is(sha256(''), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  assert.is(sha256('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  // UTF-8: "é" is hashed as the two bytes c3 a9 (its Latin-1 byte e9 alone would give de2e331d891a...)
  assert.is(sha256('é'), '4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c');
});

test('contentHash is sha256 of the canonical JSON text', () => {
  const doc = { b: 1, a: [true, null, 'x'] };
  assert.is(contentHash(doc), sha256(canonicalJson(doc)));
  assert.is(contentHash(doc), sha256('{"a":[true,null,"x"],"b":1}'));
});

test.run();
