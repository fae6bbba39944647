/**
 * The JSON readers of the STAC crosswalk: summaries in every form found in the real examples, and the canonical JSON
 * text behind the content hash, checked against an independent RFC 8785 implementation (the `canonicalize` package
 * that jsonld depends on) on every fixture file.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { canonicalJson, contentHash, strings, summaryValues, unique } from '../../core/json.js';
import { projectPath, sharedFixture } from '../../schemas/paths.js';

type J = Record<string, any>;
const DIR = sharedFixture('stac');
const read = (f: string): J => JSON.parse(readFileSync(join(DIR, f), 'utf8'));
const canonicalize = createRequire(projectPath('package.json'))('canonicalize') as (x: unknown) => string;

test('summaryValues: arrays, ranges, JSON Schema const / oneOf, scalars', () => {
  const plain = read('collection-only_collection.json').summaries;
  assert.equal(summaryValues(plain.platform), plain.platform);
  assert.equal(summaryValues(plain['view:off_nadir']), [plain['view:off_nadir'].minimum, plain['view:off_nadir'].maximum]);
  const schema = read('collection-only_collection-with-schemas.json').summaries;
  assert.equal(summaryValues(schema.instruments), [schema.instruments.const]);
  assert.equal(
    summaryValues(schema.platform),
    schema.platform.oneOf.map((o: J) => o.const),
  );
  assert.equal(
    summaryValues(schema['resto:season']),
    schema['resto:season'].oneOf.map((o: J) => o.const),
    'integers too',
  );
  assert.equal(summaryValues({ type: 'string', enum: ['a', 'b'] }), ['a', 'b']);
  assert.equal(summaryValues(read('core-item.json').properties.gsd), [0.512]);
  assert.equal(summaryValues(undefined), []);
  assert.equal(summaryValues(null), []);
  assert.equal(summaryValues({ type: 'string' }), [], 'a schema that names no value');
});

test('strings and unique', () => {
  assert.equal(strings([' a ', '', 3, 'b']), ['a', 'b']);
  assert.equal(strings('  x '), ['x']);
  assert.equal(strings({}), []);
  assert.equal(
    unique([{ n: 1 }, { n: 1 }, { n: 2 }], (x) => x.n),
    [{ n: 1 }, { n: 2 }],
  );
});

test('canonicalJson is RFC 8785 on every fixture file (same text as the canonicalize package)', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.json'));
  assert.ok(files.length >= 10);
  for (const f of files) assert.is(canonicalJson(read(f)), canonicalize(read(f)), f);
  assert.is(canonicalJson({ b: [1, { d: 1e21, c: 'é\u2028' }], a: null }), canonicalize({ b: [1, { d: 1e21, c: 'é\u2028' }], a: null }));
  assert.throws(() => canonicalJson({ a: Number.NaN }), /not JSON/);
  assert.match(contentHash(read('catalog.json')), /^[0-9a-f]{64}$/);
});

test.run();
