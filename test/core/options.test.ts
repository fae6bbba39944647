/** Declared options: every problem collected with its path, nearest known names suggested, defaults, old spellings. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  boolean,
  custom,
  defineOptions,
  editDistance,
  formatProblem,
  instance,
  integer,
  nearest,
  object,
  oneOf,
  stringList,
  stringMap,
  text,
} from '../../core/options.js';
import { UsageError } from '../../core/result.js';

const SET = defineOptions(
  'test component',
  {
    source: text({ internal: true }),
    signal: instance(AbortSignal, { internal: true }),
    pageSize: integer({ min: 1, max: 100, default: 10 }),
    mode: oneOf(['index', 'enrich'], { default: 'enrich' }),
    tags: stringList(),
    dryRun: boolean({ default: false }),
    even: custom('an even number', (v, path, problems) => {
      if (typeof v === 'number' && v % 2 === 0) return v;
      problems.push({ path, message: 'must be an even number' });
      return undefined;
    }),
    http: object({ timeoutMs: integer({ min: 1, default: 1000 }), headers: stringMap() }),
  },
  { renamed: { timeoutMs: 'http.timeoutMs' } },
);

test('editDistance and nearest: typos found, unrelated names not', () => {
  assert.is(editDistance('pagesize', 'pageSize'), 0); // case-insensitive
  assert.is(editDistance('retris', 'retries'), 1);
  assert.is(editDistance('itmes', 'items'), 1); // a transposition is one edit
  assert.is(editDistance('', 'abc'), 3);
  assert.is(nearest('pagesize', ['maxRecords', 'pageSize']), 'pageSize');
  assert.is(nearest('indx', ['enrich', 'index']), 'index');
  assert.is(nearest('colour', ['pageSize', 'mode', 'tags']), undefined);
  assert.is(nearest('a', ['b']), 'b'); // one edit is always near enough
});

test('every problem at once, each with its path; the nearest known name; internal names never suggested', () => {
  const r = SET.check({
    source: 's',
    pagesize: 5,
    mode: 'indx',
    tags: [],
    dryRun: 'yes',
    even: 3,
    http: { timeoutMs: 0, headrs: {} },
    sourc: 1,
    colour: 'red',
  });
  assert.is(r.options, undefined);
  assert.equal(
    r.problems.map((p) => formatProblem(p)),
    [
      'pagesize: unknown option, did you mean pageSize?',
      'sourc: unknown option (known: pageSize, mode, tags, dryRun, even, http)',
      'colour: unknown option (known: pageSize, mode, tags, dryRun, even, http)',
      'mode: must be one of "index", "enrich" (got "indx"), did you mean "index"?',
      'tags: must be a non-empty array of non-empty strings (got [])',
      'dryRun: must be true or false (got "yes")',
      'even: must be an even number',
      'http.headrs: unknown option, did you mean headers?',
      'http.timeoutMs: must be an integer >= 1 (got 0)',
    ],
  );
});

test('defaults applied, nested objects included; effective options list given and default values, internal ones hidden', () => {
  const r = SET.check({ source: 's', mode: 'index' });
  assert.equal(r.problems, []);
  assert.equal(r.options, { source: 's', pageSize: 10, mode: 'index', dryRun: false, http: { timeoutMs: 1000 } });
  assert.equal(r.effective, [
    { path: 'pageSize', value: 10, isDefault: true },
    { path: 'mode', value: 'index', isDefault: false },
    { path: 'dryRun', value: false, isDefault: true },
    { path: 'http.timeoutMs', value: 1000, isDefault: true },
  ]);
});

test('an old spelling is moved to its new place with a warning naming it; both at once is a problem', () => {
  const r = SET.check({ timeoutMs: 50 });
  assert.equal(r.options?.http, { timeoutMs: 50 });
  assert.equal(
    r.warnings.map((w) => formatProblem(w, 'options.')),
    ['options.timeoutMs: deprecated spelling, write options.http.timeoutMs instead'],
  );
  const both = SET.check({ timeoutMs: 50, http: { timeoutMs: 60 } });
  assert.equal(
    both.problems.map((p) => formatProblem(p)),
    ['timeoutMs: deprecated spelling of http.timeoutMs, which is given too: keep http.timeoutMs only'],
  );
  const raw = { timeoutMs: 50, http: { headers: { a: 'b' } } };
  SET.check(raw);
  assert.equal(raw, { timeoutMs: 50, http: { headers: { a: 'b' } } }); // the input is never changed
});

test('parse: a UsageError naming every problem, prefixed by the component', () => {
  assert.throws(
    () => SET.parse({ pageSize: 0, mode: 'x' }),
    (e: unknown) =>
      e instanceof UsageError &&
      e.message ===
        'test component: pageSize: must be an integer from 1 to 100 (got 0); mode: must be one of "index", "enrich" (got "x")' &&
      e.param === 'pageSize',
  );
  assert.throws(
    () => SET.parse('nope'),
    (e: unknown) => (e as Error).message === 'test component: options must be an object (got "nope")',
  );
  assert.equal(SET.parse({}).options.pageSize, 10);
});

test.run();
