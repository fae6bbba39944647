/**
 * The precompiled validator of the record (schemas/record-validator.gen.ts, generated at build time from
 * schemas/record.schema.json by schemas/record-ajv.ts) is in step with the schema, is the one that runs, and gives
 * exactly ajv's verdicts and errors: on every real fixture record, and on thousands of broken variants of the full
 * sample record and of one record of each family (each value replaced by wrong ones, removed, or joined by an unknown
 * member).
 */
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ValidateFunction } from 'ajv';
import { compileRecordSchema, GENERATED_FILE, recordValidatorModule, schemaDigest } from '../../schemas/record-ajv.js';
import * as precompiled from '../../schemas/record-validator.gen.js';
import { recordSchema, recordValidatorOrigin, validateRecord } from '../../schemas/validate.js';
import { projectPath } from '../../schemas/paths.js';
import { fixtureRecords } from './fixture-records.js';
import { fullRecord } from './sample-records.js';

const schemaText = readFileSync(projectPath('schemas', 'record.schema.json'), 'utf8');
const generated = precompiled.validate as unknown as ValidateFunction;
const compiled = compileRecordSchema(recordSchema);

test(`schemas/${GENERATED_FILE} is what the schema generates (else: npm run gen:validator, and commit it)`, () => {
  const onDisk = readFileSync(projectPath('schemas', GENERATED_FILE), 'utf8');
  assert.is(precompiled.SCHEMA_SHA256, schemaDigest(schemaText), 'generated from another version of the schema');
  // the whole text, not only the digest: a change of ajv, of its options or of the formats changes the code too
  assert.ok(onDisk === recordValidatorModule(schemaText), `schemas/${GENERATED_FILE} is out of date: npm run gen:validator`);
});

test('the commands run the precompiled validator (no schema compilation at start-up)', () => {
  assert.is(recordValidatorOrigin, 'precompiled');
});

/** Both validators on one value: same verdict, same errors (keyword, paths, params, message). */
function same(value: unknown, label: string): boolean {
  const a = generated(value);
  const b = compiled(value);
  assert.is(a, b, `${label}: verdict`);
  assert.equal(generated.errors ?? null, compiled.errors ?? null, `${label}: errors`);
  return a;
}

const WRONG: unknown[] = [null, ' ', 42, 'not an iri', [], [null], {}, { '@type': 'x' }];

/**
 * Every broken variant of a record: each value (at any depth) replaced by each WRONG value, each member removed, each
 * object given an unknown member. Changes the record in place and puts every value back (a removed member comes back
 * last: the following variants see the members in another order, which both validators see alike).
 */
function variants(root: Record<string, unknown>, check: (label: string) => void): void {
  const walk = (node: Record<string, unknown> | unknown[], path: string) => {
    const keys: (string | number)[] = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node);
    const slots = node as Record<string | number, unknown>;
    for (const key of keys) {
      const value = slots[key];
      const at = `${path}/${key}`;
      for (const wrong of WRONG) {
        slots[key] = wrong;
        check(`${at} = ${JSON.stringify(wrong)}`);
      }
      if (!Array.isArray(node)) {
        delete slots[key];
        check(`${at} removed`);
      }
      slots[key] = value;
      if (value !== null && typeof value === 'object') walk(value as Record<string, unknown>, at);
    }
    if (!Array.isArray(node)) {
      slots.unknownMember = 'x';
      check(`${path}/unknownMember added`);
      delete slots.unknownMember;
    }
  };
  walk(root, '');
}

test('same verdicts and errors as ajv compiling the schema: every fixture record; every broken variant of the full record and of one record of each family', async () => {
  const fixtures = await fixtureRecords();
  assert.ok(fixtures.length > 50, `${fixtures.length} records`);
  for (const f of fixtures) assert.ok(same(f.record, f.file), `${f.file} ${f.record.identifier} is valid`);
  // (every field of the schema is in the full record; the families add their own shapes)
  const records = [{ label: 'the full sample record', record: fullRecord() }];
  for (const family of new Set(fixtures.map((f) => f.family))) {
    const f = fixtures.find((x) => x.family === family)!;
    records.push({ label: `${f.file} ${f.record.identifier}`, record: f.record });
  }
  let valid = 0;
  let invalid = 0;
  for (const { label, record } of records) {
    const copy = structuredClone(record) as unknown as Record<string, unknown>;
    variants(copy, (what) => (same(copy, `${label} ${what}`) ? valid++ : invalid++));
  }
  // most broken variants are invalid; a few are still valid (an optional text that may be blank...)
  assert.ok(invalid > 5_000, `${invalid} invalid variants`);
  console.log(`    ${records.length} records, ${invalid} invalid and ${valid} valid variants: same as ajv`);
  assert.ok(valid > 0, `${valid} variants still valid`);
});

test('validateRecord reads the precompiled errors as before: path and message', () => {
  const r = structuredClone(fullRecord()) as unknown as Record<string, unknown>;
  (r.spatial as Record<string, unknown>[])[0].bbox = { '@value': 'POLYGON((10 50,0 50,0 40,10 40,10 50))', '@type': 'gsp:wktLiteral' };
  assert.equal(validateRecord(r), ['/spatial/0/bbox/@value must match format "bbox-wkt"']);
});

test.run();
