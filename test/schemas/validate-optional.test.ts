/**
 * Issue 9 item 9: a whole record is never lost over one optional value. For EVERY optional field of the record's JSON
 * Schema (generated from schemas/record.schema.json: a field added to the schema gets its case without a line here),
 * an invalid value is put into the full record and checkRecord must keep the record, drop that value (and only what
 * depends on it), and warn naming the path and the value; for the mandatory fields (identifier, title...) the record
 * must fail. And the real-world case: a GeoNetwork-style ISO record whose contact's online resource is
 * "www.soest.hawaii.edu/..." (no scheme) maps, with a warning, instead of failing validation.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { mapRecord } from '../../pipelines/map.js';
import { projectPath } from '../../schemas/paths.js';
import type { HubRecord } from '../../schemas/record.js';
import { checkRecord, recordSchema, validateRecord } from '../../schemas/validate.js';
import { phraseText } from '../../core/warnings.js';
import { renderText } from '../../core/texts/render.js';
import { fullRecord } from './sample-records.js';

type Schema = Record<string, any>;
type Path = (string | number)[];
const DEFS = recordSchema.$defs as Record<string, Schema>;

/** A schema with its $ref followed, and the name of the definition it came from. */
function deref(s: Schema): { schema: Schema; def?: string } {
  let def: string | undefined;
  let out = s;
  while (typeof out.$ref === 'string') {
    def = out.$ref.replace('#/$defs/', '');
    out = DEFS[def];
  }
  return { schema: out, ...(def ? { def } : {}) };
}

/**
 * A value the schema refuses, of the kind real sources carry: a URL without its scheme for an IRI, blank text, an
 * impossible date, an unknown language key, an empty object for a structure with required members, a negative number.
 */
function invalidValue(s: Schema): unknown {
  const { schema, def } = deref(s);
  if (def === 'iri') return 'www.example.org/page';
  if (def === 'mailto') return 'mailto:nobody(at)example.org';
  if (def === 'text') return '   ';
  if (def === 'decimal') return '1e-3';
  if (def === 'dateLiteral') return { '@value': '2019-02-30', '@type': 'xsd:date' };
  if (def === 'bboxLiteral') return { '@value': 'POLYGON((0 95,1 95,1 96,0 96,0 95))', '@type': 'gsp:wktLiteral' };
  if (def === 'langMap' || def === 'langMapMulti') return { 'Not a language': def === 'langMap' ? 'x' : ['x'] };
  if (schema.const !== undefined) return 'not-' + JSON.stringify(schema.const);
  if (schema.enum) return 'not-one-of-the-allowed-values';
  switch (schema.type) {
    case 'array':
      return [invalidValue(schema.items as Schema)];
    case 'object':
      return {};
    case 'string':
      return '   ';
    case 'number':
    case 'integer':
      return -1;
    case 'boolean':
      return 'yes';
    default:
      if (schema.properties && schema.required) return {};
      return Symbol.for('no invalid value');
  }
}

interface Field {
  /** `definition.member` (or `record.member`): the field, whatever record or array item holds it. */
  name: string;
  optional: boolean;
  schema: Schema;
  /** Where fullRecord() has a value for it (the first one found), if anywhere. */
  at?: Path;
}

/** Every member of every object schema reachable from the root, with the first place fullRecord() holds one. */
function fields(record: HubRecord): Map<string, Field> {
  const out = new Map<string, Field>();
  const visit = (s: Schema, value: unknown, path: Path, owner: string): void => {
    const { schema, def } = deref(s);
    const name = def ?? owner;
    if (schema.type === 'array' && Array.isArray(value)) {
      value.forEach((v, i) => visit(schema.items as Schema, v, [...path, i], name));
      return;
    }
    if (!schema.properties || value === null || typeof value !== 'object') return;
    const required = new Set<string>(schema.required ?? []);
    for (const [key, sub] of Object.entries(schema.properties as Record<string, Schema>)) {
      if (key === '@context') continue;
      const id = `${name}.${key}`;
      const present = key in (value as Record<string, unknown>);
      const field = out.get(id) ?? { name: id, optional: !required.has(key), schema: sub };
      if (present && !field.at) field.at = [...path, key];
      out.set(id, field);
      if (present) visit(sub, (value as Record<string, unknown>)[key], [...path, key], id);
    }
  };
  visit(recordSchema, record, [], 'record');
  return out;
}

function setAt(root: unknown, at: Path, value: unknown): void {
  let v = root as Record<string | number, unknown>;
  for (const k of at.slice(0, -1)) v = v[k] as Record<string | number, unknown>;
  v[at[at.length - 1]] = value;
}
function deleteAt(root: unknown, at: Path): void {
  let v = root as Record<string | number, unknown>;
  for (const k of at.slice(0, -1)) v = v[k] as Record<string | number, unknown>;
  delete v[at[at.length - 1]];
}
const pointer = (at: Path) => '/' + at.join('/');

const FIELDS = [...fields(fullRecord()).values()];

test('the schema has the fields the record model documents, and fullRecord() holds a value for each', () => {
  assert.ok(FIELDS.length > 100, `${FIELDS.length} fields`);
  // a new optional field needs a value in test/schemas/sample-records.ts fullRecord(), so that it is tested below
  assert.equal(
    FIELDS.filter((f) => !f.at).map((f) => f.name),
    [],
  );
});

for (const field of FIELDS) {
  if (!field.at) continue;
  const at = field.at;
  const bad = invalidValue(field.schema);
  if (field.optional) {
    test(`optional ${field.name}: an invalid value is dropped with a warning, the record is kept`, () => {
      const mutated = fullRecord();
      setAt(mutated, at, bad);
      assert.ok(validateRecord(mutated).length > 0, `${JSON.stringify(bad)} is refused by the schema at ${pointer(at)}`);
      const checked = checkRecord(mutated);
      assert.equal(checked.errors, [], 'the record is kept');
      assert.equal(validateRecord(checked.record), []);
      // the warning names where and what
      const warning = checked.warnings.find((w) => w.includes(pointer(at)));
      assert.ok(warning, `a warning names ${pointer(at)}: ${checked.warnings.join(' | ')}`);
      // and why, as a phrase of the catalogue (core/texts) whose English is the reason, so that a report says it in French
      for (const d of checked.dropped) {
        assert.ok(d.why, `${d.at}: "${d.reason}" has no phrase`);
        assert.is(phraseText(d.why), d.reason);
        assert.is.not(renderText('fr', d.why.code, d.why.params), undefined);
      }
      // exactly the value (and what needs it) is gone, the rest is as it was
      const without = fullRecord();
      deleteAt(without, at);
      assert.equal(checked.record, checkRecord(without).record);
      assert.ok(JSON.stringify(checked.record).length > JSON.stringify(fullRecord()).length * 0.5, 'most of the record is kept');
      // the input is not changed
      assert.ok(validateRecord(mutated).length > 0);
    });
  } else if (at.length === 1 || at[0] === 'isPrimaryTopicOf') {
    // a mandatory value of the record or of its catalogue record: the record fails, nothing is guessed
    test(`mandatory ${field.name}: an invalid value fails the record`, () => {
      const mutated = fullRecord();
      setAt(mutated, at, bad);
      const checked = checkRecord(mutated);
      assert.ok(checked.errors.length > 0, `${pointer(at)} = ${JSON.stringify(bad)} must fail the record`);
    });
  }
}

test('the warning says the value and why, in words: a URL without scheme is not guessed into an IRI', () => {
  const r = fullRecord();
  r.creator![0].memberOf!.homepage = 'www.example.org';
  const checked = checkRecord(r);
  assert.equal(checked.errors, []);
  assert.equal(checked.warnings, [
    'dropped the optional value at /creator/0/memberOf/homepage "www.example.org": not an absolute IRI (it needs a scheme such as https:, and none is guessed)',
  ]);
  assert.is(checked.record.creator![0].memberOf!.homepage, undefined);
  assert.is(checked.record.creator![0].memberOf!.name.fr, r.creator![0].memberOf!.name.fr);
});

test('an item dropped from a list leaves the other items; a list left empty goes with its item, in one warning', () => {
  const r = fullRecord();
  r.keyword = { en: ['glacier', '  ', 'snow'] };
  r.depiction = ['no scheme'];
  const checked = checkRecord(r);
  assert.equal(checked.record.keyword, { en: ['glacier', 'snow'] });
  assert.is(checked.record.depiction, undefined);
  assert.equal(checked.warnings, [
    'dropped the optional value at /keyword/en/1 "  ": blank text',
    'dropped the optional value at /depiction/0 "no scheme": not an absolute IRI (it needs a scheme such as https:, and none is guessed)',
  ]);
  assert.equal(checked.dropped, [
    { at: '/keyword/en/1', value: '  ', reason: 'blank text', why: { code: 'record.reason.text' } },
    {
      at: '/depiction/0',
      value: 'no scheme',
      reason: 'not an absolute IRI (it needs a scheme such as https:, and none is guessed)',
      why: { code: 'record.reason.iri' },
    },
  ]);
  // a list that is empty from the start is a fault of its own
  const empty = fullRecord();
  empty.depiction = [];
  assert.equal(checkRecord(empty).warnings, ['dropped the optional value at /depiction []: must NOT have fewer than 1 items']);
  // ajv's own words, and their phrase
  assert.equal(checkRecord(empty).dropped[0].why, { code: 'record.ajv.minItems', params: { limit: '1' } });
});

test('a reversed period is dropped (a cross-field rule), an identifier that does not match fails the record', () => {
  const r = fullRecord();
  r.temporal = [
    {
      '@type': 'dct:PeriodOfTime',
      startDate: { '@value': '2020', '@type': 'xsd:gYear' },
      endDate: { '@value': '2019', '@type': 'xsd:gYear' },
    },
  ];
  const checked = checkRecord(r);
  assert.equal(checked.errors, []);
  assert.is(checked.record.temporal, undefined);
  assert.match(checked.warnings[0], /^dropped the optional value at \/temporal\/0 .*startDate 2020 is after endDate 2019/);
  const other = fullRecord();
  other.identifier = 'ozcar-cryo:another';
  assert.ok(checkRecord(other).errors.length > 0);
});

test('GeoNetwork-style record: a contact online resource without scheme is dropped with a warning, the record is mapped', () => {
  const file = projectPath('test', 'fixtures', 'iso', 'schemeless-contact-url.xml');
  const result = mapRecord({ source: 'gn', body: readFileSync(file, 'utf8'), location: file }, { harvestedAt: '2026-11-25T12:00:00Z' });
  assert.ok(result.ok, result.ok ? '' : result.error);
  if (!result.ok) return;
  // one warning per place the address is given, each naming its element (the metadata contact, the citation's party,
  // the point of contact: the same person in three places)
  const message =
    '"www.soest.hawaii.edu/oceanography/faculty/mcmanus.html" is not an absolute URL (it has no scheme such as https:, and none is guessed): the contact\'s web address is left out';
  assert.equal(
    result.warnings!.filter((w) => w.message === message).map((w) => w.at),
    [
      'gmd:identificationInfo/*/gmd:citation/*/gmd:citedResponsibleParty/*/gmd:contactInfo/*/gmd:onlineResource/*/gmd:linkage',
      'gmd:identificationInfo/*/gmd:pointOfContact/*/gmd:contactInfo/*/gmd:onlineResource/*/gmd:linkage',
      'gmd:contact/*/gmd:contactInfo/*/gmd:onlineResource/*/gmd:linkage',
    ],
  );
  // the person and their organisation are kept, without the homepage
  const creator = result.record.creator![0];
  assert.is(creator.name['@none'], 'Margaret McManus');
  assert.equal(creator.memberOf, { '@type': ['foaf:Organization', 'foaf:Agent'], name: { en: 'University of Hawaii' } });
  assert.equal(validateRecord(result.record), []);
});

test.run();
