/**
 * CQL2 filters (pipelines/cql2.ts): every official example of OGC 21-065r2 (test/fixtures/cql2, see its README) read in
 * both encodings into the same JSON form, the precedence of the text operators, the readings the BNF leaves open,
 * and the faults: each a UsageError on `filter` whose one sentence says where (column, line, JSON path) and what.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { UsageError } from '../../core/result.js';
import type { Cql2Expr } from '../../pipelines/cql2-ast.js';
import { CQL2_LANGS, MAX_FILTER_BYTES, MAX_FILTER_DEPTH, parseCql2, type Cql2Lang } from '../../pipelines/cql2.js';
import { projectPath } from '../../schemas/paths.js';

const text = (filter: string) => parseCql2(filter, 'cql2-text');
const json = (filter: string) => parseCql2(filter, 'cql2-json');
const p = (property: string) => ({ property });
const op = (name: string, ...args: unknown[]) => ({ op: name, args });

/** The fault of a filter: a UsageError on `filter` whose message matches. */
function fails(filter: string, lang: Cql2Lang, message: RegExp): void {
  try {
    parseCql2(filter, lang);
  } catch (e) {
    assert.ok(e instanceof UsageError, `not a UsageError: ${String(e)}`);
    assert.is(e.param, 'filter');
    assert.match(e.message, message);
    // one sentence: no line break, no list of errors
    assert.not.match(e.message, /\n/);
    assert.equal(e.problems, [e.message]);
    return;
  }
  assert.unreachable(`${lang} ${JSON.stringify(filter.slice(0, 80))} was accepted`);
}

// ------------------------------------------------------------------------------------------------ the official examples

const FIXTURES = projectPath('test', 'fixtures', 'cql2');
const textFiles = readdirSync(`${FIXTURES}/text`)
  .filter((f) => f.endsWith('.txt'))
  .sort();
const jsonFiles = readdirSync(`${FIXTURES}/json`)
  .filter((f) => f.endsWith('.json'))
  .sort();
/** The JSON twin of a text example: same base name, without the `-alt01` of another way of writing it. */
const twinOf = (txt: string) => txt.replace(/(-alt\d+)?\.txt$/, '.json');

/**
 * The only normalisation: a timestamp's fraction of a second made of zeros only is dropped. Examples 54, 55 and 82
 * write TIMESTAMP('2012-08-10T05:30:00.000000Z') in the text and "2012-08-10T05:30:00Z" in the JSON; CQL2 timestamps
 * are RFC 3339 instants ("Literal timestamps are always in the time zone UTC", 6.3.4), and these two are the same
 * instant. The parser keeps the text as written (nothing is lost), so both sides are normalised here. Numbers need
 * nothing: 100.0 and 100, -0.0 and 0 are the same JSON number once read.
 */
function normalise(v: unknown): unknown {
  if (typeof v === 'string') return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.0+Z$/.test(v) ? v.replace(/\.0+Z$/, 'Z') : v;
  if (Array.isArray(v)) return v.map(normalise);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normalise(x)]));
  return v;
}

test('the official examples: 120 text examples, 109 JSON twins, every JSON example has a text one', () => {
  assert.is(textFiles.length, 120);
  assert.is(jsonFiles.length, 109);
  for (const t of textFiles) assert.ok(jsonFiles.includes(twinOf(t)), `${t} has no JSON twin`);
  for (const j of jsonFiles)
    assert.ok(
      textFiles.some((t) => twinOf(t) === j),
      `${j} has no text twin`,
    );
});

for (const file of textFiles) {
  test(`text example ${file} reads into json/${twinOf(file)}`, () => {
    const expected = JSON.parse(readFileSync(`${FIXTURES}/json/${twinOf(file)}`, 'utf8'));
    const got = text(readFileSync(`${FIXTURES}/text/${file}`, 'utf8'));
    assert.equal(normalise(got), normalise(expected));
    // and what the text gives is itself a valid cql2-json filter
    assert.equal(json(JSON.stringify(got)), got);
  });
}

for (const file of jsonFiles) {
  test(`JSON example ${file} is valid and returned unchanged`, () => {
    const source = readFileSync(`${FIXTURES}/json/${file}`, 'utf8');
    assert.equal(json(source), JSON.parse(source));
  });
}

// ------------------------------------------------------------------------------------------------ precedence

test('precedence: NOT > AND > OR, parentheses first', () => {
  const [a, b, c] = [op('=', p('a'), 1), op('=', p('b'), 2), op('=', p('c'), 3)];
  assert.equal(text('a = 1 OR b = 2 AND c = 3'), op('or', a, op('and', b, c)));
  assert.equal(text('a = 1 AND b = 2 OR c = 3'), op('or', op('and', a, b), c));
  assert.equal(text('(a = 1 OR b = 2) AND c = 3'), op('and', op('or', a, b), c));
  assert.equal(text('NOT a = 1 AND b = 2'), op('and', op('not', a), b));
  assert.equal(text('NOT (a = 1 AND b = 2)'), op('not', op('and', a, b)));
  assert.equal(text('a = 1 OR NOT b = 2 OR c = 3'), op('or', a, op('not', b), c));
  // a chain of one operator is one node (as examples 04, 06a, 06b); parentheses keep their own node
  assert.equal(text('a = 1 AND b = 2 AND c = 3'), op('and', a, b, c));
  assert.equal(text('(a = 1 AND b = 2) AND c = 3'), op('and', op('and', a, b), c));
  // BETWEEN takes its AND before the AND of conditions
  assert.equal(text('x BETWEEN 1 AND 2 AND a = 1'), op('and', op('between', p('x'), 1, 2), a));
  // keywords in any case
  assert.equal(text('a = 1 or b = 2 And not c = 3'), op('or', a, op('and', b, op('not', c))));
});

test('precedence: arithmetic, * / % div before + -, ^ before them, left-associative, unary minus', () => {
  const [x, y, z] = [p('x'), p('y'), p('z')];
  assert.equal(text('v = x + y * z'), op('=', p('v'), op('+', x, op('*', y, z))));
  assert.equal(text('v = (x + y) * z'), op('=', p('v'), op('*', op('+', x, y), z)));
  assert.equal(text('v = x - y - z'), op('=', p('v'), op('-', op('-', x, y), z)));
  assert.equal(text('v = x / y % z div 2'), op('=', p('v'), op('div', op('%', op('/', x, y), z), 2)));
  assert.equal(text('v = x * y ^ 2'), op('=', p('v'), op('*', x, op('^', y, 2))));
  assert.equal(text('v = - x * 2'), op('=', p('v'), op('*', op('*', -1, x), 2)));
  assert.equal(text('v = -2 * x'), op('=', p('v'), op('*', -2, x)));
  assert.equal(text('v = x-1'), op('=', p('v'), op('-', x, 1)));
  assert.equal(text('v = x - -1'), op('=', p('v'), op('-', x, -1)));
  // tolerated beyond the BNF: a minus before parentheses
  assert.equal(text('v = -(x + 1)'), op('=', p('v'), op('*', -1, op('+', x, 1))));
  // arithmetic on both sides of a comparison and in BETWEEN
  assert.equal(text('x + 1 > y * 2'), op('>', op('+', x, 1), op('*', y, 2)));
  assert.equal(text('x BETWEEN y - 1 AND y + 1'), op('between', x, op('-', y, 1), op('+', y, 1)));
});

// ------------------------------------------------------------------------------------------------ the text grammar

test('literals: numbers, strings and their escapes, booleans, dates, intervals', () => {
  for (const [t, n] of [
    ['1', 1],
    ['-1', -1],
    ['+1', 1],
    ['1.5', 1.5],
    ['.5', 0.5],
    ['1.', 1],
    ['1e3', 1000],
    ['1.5E-3', 0.0015],
    ['-2.5e+2', -250],
  ] as const)
    assert.equal(text(`x = ${t}`), op('=', p('x'), n), t);
  assert.equal(text("x = 'it''s'"), op('=', p('x'), "it's"));
  assert.equal(text(String.raw`x = 'it\'s'`), op('=', p('x'), "it's"));
  assert.equal(text(String.raw`x = 'a\tb\nc\\d'`), op('=', p('x'), 'a\tb\nc\\d'));
  // any other backslash stays, for LIKE's own escapes
  assert.equal(text(String.raw`x LIKE '100\%'`), op('like', p('x'), String.raw`100\%`));
  assert.equal(text("x = ''"), op('=', p('x'), ''));
  assert.equal(text('x = true AND y <> False'), op('and', op('=', p('x'), true), op('<>', p('y'), false)));
  assert.equal(text('TRUE'), true);
  assert.equal(text("T_AFTER(d, timestamp('2020-01-01T00:00:00.5Z'))"), op('t_after', p('d'), { timestamp: '2020-01-01T00:00:00.5Z' }));
  assert.equal(
    text("T_INTERSECTS(INTERVAL('..', '2020-01-01'), INTERVAL(start, f(x)))"),
    op('t_intersects', { interval: ['..', '2020-01-01'] }, { interval: [p('start'), op('f', p('x'))] }),
  );
});

test('property names: plain, with colons, dots and letters of any script, double-quoted, keywords only quoted', () => {
  assert.equal(text('eo:cloud_cover < 10'), op('<', p('eo:cloud_cover'), 10));
  assert.equal(text('properties.title = 1'), op('=', p('properties.title'), 1));
  assert.equal(text('Straße = 1'), op('=', p('Straße'), 1));
  assert.equal(text('"date" = 1'), op('=', p('date'), 1));
  assert.equal(text('"AND" = 1'), op('=', p('AND'), 1));
  assert.equal(text('interval = 1'), op('=', p('interval'), 1)); // INTERVAL is not in the keyword list of 8.2
  fails('date = 1', 'cql2-text', /at column 1: date is a CQL2 keyword: write "date" \(in double quotes\)/);
});

test('comparison predicates: LIKE, BETWEEN, IN and their NOT, IS [NOT] NULL, CASEI, ACCENTI', () => {
  assert.equal(text("x NOT LIKE 'a%'"), op('not', op('like', p('x'), 'a%')));
  assert.equal(text("CASEI(x) LIKE CASEI(ACCENTI('a%'))"), op('like', op('casei', p('x')), op('casei', op('accenti', 'a%'))));
  assert.equal(text('x NOT BETWEEN 1 AND 2'), op('not', op('between', p('x'), 1, 2)));
  assert.equal(text('x IN (1)'), op('in', p('x'), [1]));
  assert.equal(text("x NOT IN ('a', 'b')"), op('not', op('in', p('x'), ['a', 'b'])));
  assert.equal(text("x IN (DATE('2020-01-01'), y, f(z))"), op('in', p('x'), [{ date: '2020-01-01' }, p('y'), op('f', p('z'))]));
  assert.equal(text('x IS NULL'), op('isNull', p('x')));
  assert.equal(text('x IS NOT NULL'), op('not', op('isNull', p('x'))));
  assert.equal(text('POINT(1 2) IS NULL'), op('isNull', { type: 'Point', coordinates: [1, 2] }));
  assert.equal(text('(x = 1) IS NULL'), op('isNull', op('=', p('x'), 1)));
  assert.equal(text('ACCENTI(x) = ACCENTI(CASEI(y))'), op('=', op('accenti', p('x')), op('accenti', op('casei', p('y')))));
});

test('spatial predicates and WKT: every type, Z or not, BBOX of 4 and 6 numbers', () => {
  const g = (wkt: string) => (text(`S_INTERSECTS(geom, ${wkt})`) as { args: Cql2Expr[] }).args[1];
  assert.equal(g('POINT(1 2)'), { type: 'Point', coordinates: [1, 2] });
  assert.equal(g('POINT Z (1 2 3)'), { type: 'Point', coordinates: [1, 2, 3] });
  assert.equal(g('point (1 2 3)'), { type: 'Point', coordinates: [1, 2, 3] });
  assert.equal(g('LINESTRING(1 2, -3.5 4e1)'), {
    type: 'LineString',
    coordinates: [
      [1, 2],
      [-3.5, 40],
    ],
  });
  const ring = [
    [0, 0],
    [1, 0],
    [1, 1],
    [0, 0],
  ];
  assert.equal(g('POLYGON((0 0, 1 0, 1 1, 0 0), (0 0, 1 0, 1 1, 0 0))'), { type: 'Polygon', coordinates: [ring, ring] });
  assert.equal(g('MULTIPOINT((1 2), (3 4))'), {
    type: 'MultiPoint',
    coordinates: [
      [1, 2],
      [3, 4],
    ],
  });
  assert.equal(g('MULTIPOINT(1 2, 3 4)'), {
    type: 'MultiPoint',
    coordinates: [
      [1, 2],
      [3, 4],
    ],
  });
  assert.equal(g('MULTILINESTRING((1 2, 3 4), (5 6, 7 8))'), {
    type: 'MultiLineString',
    coordinates: [
      [
        [1, 2],
        [3, 4],
      ],
      [
        [5, 6],
        [7, 8],
      ],
    ],
  });
  assert.equal(g('MULTIPOLYGON(((0 0, 1 0, 1 1, 0 0)), ((0 0, 1 0, 1 1, 0 0)))'), { type: 'MultiPolygon', coordinates: [[ring], [ring]] });
  assert.equal(g('GEOMETRYCOLLECTION(POINT(1 2), LINESTRING(1 2, 3 4))'), {
    type: 'GeometryCollection',
    geometries: [
      { type: 'Point', coordinates: [1, 2] },
      {
        type: 'LineString',
        coordinates: [
          [1, 2],
          [3, 4],
        ],
      },
    ],
  });
  assert.equal(g('BBOX(-10, -5.5, 10, 5.5)'), { bbox: [-10, -5.5, 10, 5.5] });
  assert.equal(g('BBOX(-10, -5, 0, 10, 5, 100)'), { bbox: [-10, -5, 0, 10, 5, 100] });
  for (const f of ['S_EQUALS', 's_disjoint', 'S_Touches', 'S_WITHIN', 'S_OVERLAPS', 'S_CROSSES', 'S_CONTAINS'])
    assert.equal(text(`${f}(a, b)`), op(f.toLowerCase(), p('a'), p('b')));
});

test('temporal and array functions take their JSON names', () => {
  for (const [t, j] of [
    ['T_FINISHEDBY', 't_finishedBy'],
    ['t_metby', 't_metBy'],
    ['T_OVERLAPPEDBY', 't_overlappedBy'],
    ['T_STARTEDBY', 't_startedBy'],
    ['T_MEETS', 't_meets'],
  ])
    assert.equal(text(`${t}(a, b)`), op(j, p('a'), p('b')));
  assert.equal(text('A_CONTAINEDBY(a, (1, 2))'), op('a_containedBy', p('a'), [1, 2]));
  assert.equal(text('A_OVERLAPS(a, ())'), op('a_overlaps', p('a'), []));
  // one element in parentheses where an array is expected is an array; an array in an array is an array
  assert.equal(text("A_EQUALS(a, ('x'))"), op('a_equals', p('a'), ['x']));
  assert.equal(text('A_EQUALS(a, ((1, 2), (3), 4))'), op('a_equals', p('a'), [[1, 2], [3], 4]));
  assert.equal(text('A_CONTAINS(f(x), b)'), op('a_contains', op('f', p('x')), p('b')));
});

test('other functions keep their name and take any argument; a call alone is a filter', () => {
  assert.equal(text('Foo()'), op('Foo'));
  assert.equal(
    text('my_fn(x, 1, (1, 2), (2), a = 1, POINT(1 2))'),
    op('my_fn', p('x'), 1, [1, 2], 2, op('=', p('a'), 1), { type: 'Point', coordinates: [1, 2] }),
  );
  assert.equal(text('f(g(h(x))) > 1'), op('>', op('f', op('g', op('h', p('x')))), 1));
});

test('whitespace of the BNF between tokens, none needed around operators', () => {
  assert.equal(text('a=1\tAND\n\u00a0b<>2\u3000'), op('and', op('=', p('a'), 1), op('<>', p('b'), 2)));
  assert.equal(text('(a>=1)AND(b<=2)'), op('and', op('>=', p('a'), 1), op('<=', p('b'), 2)));
});

// ------------------------------------------------------------------------------------------------ faults of the text

test('text faults: unbalanced parentheses, unterminated strings and names, each placed', () => {
  fails('a = 1 AND (b = 2', 'cql2-text', /at column 11: this "\(" is never closed/);
  fails('a = 1) OR b = 2', 'cql2-text', /at column 6: this "\)" closes no "\("/);
  fails("name = 'Smith", 'cql2-text', /at column 8: the string opened here is never closed/);
  fails("name = 'it\\'", 'cql2-text', /at column 8: the string opened here is never closed/);
  fails('"name = 1', 'cql2-text', /at column 1: the quoted property name opened here is never closed/);
  fails('a = 1\n  AND (b = 2', 'cql2-text', /at line 2, column 7: this "\(" is never closed/);
});

test('text faults: unknown tokens and what was expected', () => {
  fails('a = 1 @ b', 'cql2-text', /at column 7: expected "AND", "OR", an arithmetic operator or the end of the filter but found "@"/);
  fails('a != 1', 'cql2-text', /at column 3: expected a comparison operator .* but found "!"/);
  fails('a = ', 'cql2-text', /at column 5: expected a value but found the end of the filter/);
  fails('a = 1 OR', 'cql2-text', /at column 9: expected "NOT" or a value but found the end of the filter/);
  fails('a IS NOT', 'cql2-text', /at column 9: expected "NULL" but found the end of the filter/);
  fails('a NOT b', 'cql2-text', /at column 7: expected "LIKE", "BETWEEN" or "IN" but found "b"/);
  fails('x BETWEEN 1 OR 2', 'cql2-text', /at column 13: expected "AND" or an arithmetic operator but found "OR"/);
  fails('', 'cql2-text', /at column 1: expected "NOT" or a value but found the end of the filter/);
});

test('text faults: a value where it does not belong', () => {
  fails('a', 'cql2-text', /at column 1: the filter must be a condition, TRUE, FALSE or a function call, not the property "a"/);
  fails('a = 1 AND b', 'cql2-text', /at column 11: AND takes a condition.*, not the property "b"/);
  fails('NOT 3', 'cql2-text', /at column 5: NOT takes a condition.*, not the number 3/);
  fails('a = POINT(1 2)', 'cql2-text', /at column 5: the right side of = takes a string, number, .*, not a Point geometry/);
  fails(
    'a LIKE b',
    'cql2-text',
    /at column 8: the pattern of LIKE takes a string, possibly in CASEI\(\) or ACCENTI\(\), not the property "b"/,
  );
  fails('a LIKE CASEI(b)', 'cql2-text', /at column 8: the pattern of LIKE takes a string/);
  fails("x BETWEEN 'a' AND 2", 'cql2-text', /at column 11: BETWEEN takes a number, .*, not the string "a"/);
  fails('x IN ()', 'cql2-text', /at column 6: an IN list takes at least one value/);
  fails('x IN (POINT(1 2))', 'cql2-text', /at column 7: an IN list takes .*, not a Point geometry/);
  fails('S_INTERSECTS(a)', 'cql2-text', /at column 1: S_INTERSECTS takes 2 arguments, not 1/);
  fails(
    "S_WITHIN(a, DATE('2020-01-01'))",
    'cql2-text',
    /at column 13: S_WITHIN takes a geometry, BBOX, property or function call, not a date or timestamp/,
  );
  fails(
    'T_BEFORE(a, 3)',
    'cql2-text',
    /at column 13: T_BEFORE takes a date, timestamp, interval, property or function call, not the number 3/,
  );
  fails('A_CONTAINS(a, 1)', 'cql2-text', /at column 15: A_CONTAINS takes an array, property or function call, not the number 1/);
  fails("T_BEFORE(a, DATE('2020-1-1'))", 'cql2-text', /at column 18: DATE takes a string like '2024-01-31', not the string "2020-1-1"/);
  fails("T_BEFORE(a, TIMESTAMP('2020-01-01T00:00:00'))", 'cql2-text', /at column 23: TIMESTAMP takes a string like/);
  fails("T_BEFORE(a, INTERVAL('2020', b))", 'cql2-text', /at column 22: INTERVAL takes dates or timestamps as strings/);
  fails('S_WITHIN(a, BBOX(1, 2, 3))', 'cql2-text', /at column 13: BBOX takes 4 or 6 arguments, not 3/);
  fails('x = (1, 2)', 'cql2-text', /at column 5: .* not an array/);
  fails('(a = 1) + 2 > 3', 'cql2-text', /at column 2: \+ takes a number, .*, not a condition \(=\)/);
  fails('x = 1e999', 'cql2-text', /at column 5: the number 1e999 is out of range/);
});

test('text faults: a syntax error is told before a value out of place', () => {
  fails("x LIKE 'a' OR y ISNULL", 'cql2-text', /at column 17: expected a comparison operator .* but found "ISNULL"/);
  fails('a = POINT(1 2) AND b =', 'cql2-text', /at column 23: expected a value but found the end of the filter/);
  fails('(a = POINT(1 2) b)', 'cql2-text', /at column 17: expected ",", "\)", "AND", "OR" or an arithmetic operator but found "b"/);
});

test('text faults: bad WKT', () => {
  fails('S_INTERSECTS(g, POINT(1))', 'cql2-text', /at column 24: expected a space and another coordinate but found "\)"/);
  fails('S_INTERSECTS(g, POINT(a b))', 'cql2-text', /at column 23: expected a number but found "a"/);
  fails('S_INTERSECTS(g, POINT(1, 2))', 'cql2-text', /at column 24: expected a space and another coordinate but found ","/);
  fails('S_INTERSECTS(g, LINESTRING(1 2))', 'cql2-text', /at column 27: a LINESTRING needs at least 2 positions, not 1/);
  fails('S_INTERSECTS(g, POLYGON((0 0, 1 1, 0 0)))', 'cql2-text', /at column 25: a POLYGON ring needs at least 4 positions, not 3/);
  fails('S_INTERSECTS(g, POLYGON(0 0, 1 0, 1 1, 0 0))', 'cql2-text', /at column 25: expected "\(" but found "0"/);
  fails(
    'S_INTERSECTS(g, LINESTRING(1 2, 3 4 5))',
    'cql2-text',
    /at column 33: this position has 3 coordinates where the first one of the LINESTRING has 2/,
  );
  fails('S_INTERSECTS(g, POINT(1 2 3 4))', 'cql2-text', /at column 29: expected "\)" but found "4"/);
  fails('S_INTERSECTS(g, GEOMETRYCOLLECTION(POINT(1 2)))', 'cql2-text', /at column 17: a GEOMETRYCOLLECTION takes at least 2 geometries/);
});

// ------------------------------------------------------------------------------------------------ faults of the JSON

test('JSON faults: syntax, placed by column', () => {
  fails('{"op":}', 'cql2-json', /at column 7: not JSON: expected a JSON value but found "}"/);
  fails('{"op":"=",', 'cql2-json', /at column 11: not JSON: expected a property name in double quotes but found the end of the filter/);
  fails('{"op":"x', 'cql2-json', /at column 7: the string opened here is never closed/);
  fails('{"op":"=","args":[1,2]} x', 'cql2-json', /at column 25: not JSON: expected the end of the filter but found "x"/);
  fails("{'op':'='}", 'cql2-json', /at column 2: not JSON: expected "}" or a property name in double quotes but found "'"/);
  fails('', 'cql2-json', /at column 1: not JSON: expected a JSON value but found the end of the filter/);
});

test('JSON faults: not matching the schema, placed by JSON path, the most useful error only', () => {
  fails('{"op":"=","args":[{"property":"a"}]}', 'cql2-json', /^invalid cql2-json filter: at \/args, must NOT have fewer than 2 items$/);
  fails('{"op":"and","args":[{"op":"=","args":[{"property":"a"},1]}]}', 'cql2-json', /at \/args, must NOT have fewer than 2 items$/);
  fails(
    '{"op":"=","args":[{"property":"a"},{"x":1}]}',
    'cql2-json',
    /at \/args\/1, must be a string, a number, a boolean or an object with "op"/,
  );
  fails(
    '{"op":"s_intersects","args":[{"property":"a"},{"type":"Point","coordinates":[1]}]}',
    'cql2-json',
    /at \/args\/1\/coordinates, must NOT have fewer than 2 items$/,
  );
  fails(
    '{"op":"s_intersects","args":[{"property":"a"},{"type":"Pt","coordinates":[1,2]}]}',
    'cql2-json',
    /at \/args\/1\/type, must be one of "Point", "LineString"/,
  );
  fails('{"op":"t_before","args":[{"property":"a"},{"date":"2020-1-1"}]}', 'cql2-json', /at \/args\/1\/date, must match pattern/);
  fails('{"op":"in","args":[{"property":"a"},1]}', 'cql2-json', /at \/args\/1, must be an array$/);
  fails('"abc"', 'cql2-json', /at the top level, must be an object or a boolean$/);
  fails('{"op":3,"args":[]}', 'cql2-json', /at \/op, must be a string$/);
});

// ------------------------------------------------------------------------------------------------ size guards

test('too long: more than 64 KiB (bytes of UTF-8) refused in both encodings, 64 KiB accepted', () => {
  const padded = (n: number) => `a = '${'x'.repeat(n - 6)}'`;
  assert.is(Buffer.byteLength(padded(MAX_FILTER_BYTES)), MAX_FILTER_BYTES);
  assert.ok(text(padded(MAX_FILTER_BYTES)));
  fails(padded(MAX_FILTER_BYTES + 1), 'cql2-text', /^the cql2-text filter is 65537 bytes long, more than the 65536 \(64 KiB\) accepted$/);
  // bytes, not characters: 'é' is two
  fails(`a = '${'é'.repeat(MAX_FILTER_BYTES / 2)}'`, 'cql2-text', /is 65542 bytes long/);
  fails(' '.repeat(MAX_FILTER_BYTES) + 'true', 'cql2-json', /^the cql2-json filter is 65540 bytes long/);
});

test('too deep: more than 64 levels of parentheses (text) or of arrays and objects (JSON, and the JSON form of a text)', () => {
  const parens = (n: number) => `${'('.repeat(n)}a = 1${')'.repeat(n)}`;
  assert.equal(text(parens(MAX_FILTER_DEPTH)), op('=', p('a'), 1));
  fails(parens(MAX_FILTER_DEPTH + 1), 'cql2-text', /at column 65: parentheses are nested more than 64 levels deep/);
  // no parentheses, but a JSON form 100 levels deep: refused where the expression starts
  fails(
    `x = ${Array.from({ length: 100 }, (_, i) => i).join(' + ')}`,
    'cql2-text',
    /at column 5: this expression is nested more than 64 levels deep/,
  );
  const nots = (n: number): string => (n === 0 ? 'true' : `{"op":"not","args":[${nots(n - 1)}]}`);
  assert.equal(json(nots(32)), JSON.parse(nots(32))); // 64 levels: accepted
  fails(nots(33), 'cql2-json', /at column 641: arrays and objects are nested more than 64 levels deep/);
  fails('['.repeat(10_000), 'cql2-json', /at column 65: arrays and objects are nested more than 64 levels deep/);
});

test('deep and long filters stay fast (the grammar never reads a nested part twice)', () => {
  const start = performance.now();
  text(`${'f('.repeat(30)}x${')'.repeat(30)} = 1`);
  text(`${'('.repeat(64)}a${' + 1)'.repeat(30)}${')'.repeat(34)} = 1`);
  text(`A_CONTAINS(x, ${'('.repeat(60)}1, 2${')'.repeat(60)})`);
  fails(`${'(f('.repeat(32)}a +${'))'.repeat(32)}`, 'cql2-text', /expected a value but found "\)"/);
  text(
    Array.from({ length: 3000 }, (_, i) => `(p${i} = ${i} OR q < 2)`)
      .join(' AND ')
      .slice(0, 60_000)
      .replace(/ AND [^A]*$/, ''),
  );
  assert.ok(performance.now() - start < 2000, `${performance.now() - start} ms`);
});

test('CQL2_LANGS: the two encodings, no other', () => {
  assert.equal([...CQL2_LANGS], ['cql2-text', 'cql2-json']);
  assert.throws(
    () => parseCql2('a = 1', 'cql-text' as Cql2Lang),
    (e: unknown) => e instanceof UsageError && e.param === 'filter-lang' && /must be cql2-text or cql2-json/.test(e.message),
  );
});

test.run();
