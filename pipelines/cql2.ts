/**
 * Reading a CQL2 filter (OGC 21-065r2, Common Query Language) in either of its encodings into ONE form, the JSON
 * encoding (pipelines/cql2-ast.ts), for the catalogue's `filter` / `filter-lang` parameters.
 *
 * - `cql2-text`: the BNF of the standard as a peggy grammar (pipelines/cql2-grammar.ts), built once on first use. The
 *   grammar only reads; the helpers below (`HELPERS`) check that each part is what its place allows (the BNF's
 *   scalarExpression, numericExpression, characterExpression... and the JSON Schema's matching definitions) and build
 *   the JSON encoding as the official examples spell it: `a AND b AND c` is ONE `and` of three, `x NOT LIKE 'y'` is
 *   `not(like)`, `IS NULL` is `isNull`, standard functions take their JSON names (`t_finishedBy`), other functions keep
 *   theirs, `- foo` is `-1 * foo`, arithmetic is binary and left-associative.
 * - `cql2-json`: JSON.parse, then the standard's JSON Schema (schemas/cql2/cql2.json, 2020-12, ajv compiled once on
 *   first use); the value is returned as parsed.
 *
 * Every fault is a UsageError on `filter` with one sentence saying where (line and column of the text, JSON path of
 * the document) and what was expected or found; in a text, a syntax error is told before a part out of place. Both
 * encodings are refused beyond MAX_FILTER_BYTES (64 KiB) or MAX_FILTER_DEPTH (64) levels of nesting: parentheses of
 * the text, arrays and objects of the JSON, counted on the raw text before parsing (the parsers recurse: a request
 * must not choose how deep); and a text whose JSON form nests deeper than a cql2-json filter may (left-associative
 * arithmetic nests without parentheses), so that what comes out is never deeper than 64 either.
 *
 * Deliberate readings of what the BNF leaves open (test/pipelines/cql2.test.ts holds an example of each):
 * - one element in parentheses is a parenthesised value, except where an array is expected (the second operand of
 *   an array function, an IN list, an element of an array literal), where it is a one-element array;
 * - string escapes: `''` and `\'` are a quote, `\\` a backslash, `\a \b \t \n \v \f \r` control characters; any
 *   other backslash is kept with the character after it (so that `\%` and `\_` reach LIKE, whose escape it is);
 * - tolerated beyond the BNF: `-` before a parenthesised arithmetic expression, MULTIPOINT points without their own
 *   parentheses; refused beyond the BNF so that both encodings accept the same filters: a GEOMETRYCOLLECTION of
 *   fewer than 2 geometries and a WKT geometry mixing 2D and 3D positions (the JSON Schema wants 2 members; GeoJSON
 *   positions of one geometry have one dimension);
 * - keywords of the standard's list (8.2: AND, DATE, S_INTERSECTS...) are not property names unless double-quoted.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import type * as Ajv2020Module from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type * as PeggyModule from 'peggy';
import { UsageError } from '../core/result.js';
import { projectPath } from '../schemas/paths.js';
import type { Cql2Expr, Cql2Geometry, Cql2Interval, Cql2Op } from './cql2-ast.js';
import { CQL2_TEXT_GRAMMAR, JSON_SYNTAX_GRAMMAR } from './cql2-grammar.js';

export const CQL2_LANGS = ['cql2-text', 'cql2-json'] as const;
export type Cql2Lang = (typeof CQL2_LANGS)[number];

/** Longest filter accepted, in bytes of UTF-8 (64 KiB). */
export const MAX_FILTER_BYTES = 64 * 1024;
/** Deepest nesting accepted: parentheses of cql2-text, arrays and objects of cql2-json. */
export const MAX_FILTER_DEPTH = 64;

// peggy and ajv (CommonJS) load with the first filter of their language
const require = createRequire(import.meta.url);

/**
 * Parse a filter; a UsageError (param `filter`) with ONE clear sentence naming where (line and column, or JSON path)
 * and what was expected or found, on any fault.
 */
export function parseCql2(filter: string, lang: Cql2Lang): Cql2Expr {
  if (!CQL2_LANGS.includes(lang))
    throw new UsageError(`filter-lang must be ${CQL2_LANGS.join(' or ')} (got "${String(lang)}")`, 'filter-lang');
  const bytes = Buffer.byteLength(filter, 'utf8');
  if (bytes > MAX_FILTER_BYTES)
    throw new UsageError(`the ${lang} filter is ${bytes} bytes long, more than the ${MAX_FILTER_BYTES} (64 KiB) accepted`, 'filter');
  return lang === 'cql2-json' ? parseJson(filter) : parseText(filter);
}

// ------------------------------------------------------------------------------------------------ positions

/** A fault found at an offset of the text (helpers and scans throw it; parseCql2 turns it into a UsageError). */
class Fault extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

/** `line 2, column 5`, or `column 5` for a filter of one line (columns count characters, from 1). */
function where(text: string, offset: number): string {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++)
    if (text[i] === '\n') {
      line++;
      start = i + 1;
    }
  const column = [...text.slice(start, offset)].length + 1;
  return text.includes('\n') ? `line ${line}, column ${column}` : `column ${column}`;
}

/** What is at an offset, for "but found ...": a whole word (a name of the text), one character, or the end. */
function foundAt(lang: Cql2Lang, text: string, offset: number): string {
  if (offset >= text.length) return 'the end of the filter';
  const word = (lang === 'cql2-text' ? /^[\p{L}\p{N}_:.]+/u : /^[\p{L}\p{N}_]+/u).exec(text.slice(offset, offset + 40));
  const token = word ? word[0] : String.fromCodePoint(text.codePointAt(offset) ?? 0);
  return /^\s$/u.test(token) ? 'a space' : JSON.stringify(token);
}

function usage(lang: Cql2Lang, text: string, offset: number, message: string): UsageError {
  return new UsageError(`invalid ${lang} filter at ${where(text, offset)}: ${message}`, 'filter');
}

// ------------------------------------------------------------------------------------------------ cql2-text

type Parser = PeggyModule.Parser;
type Expectation = PeggyModule.parser.Expectation;
type PeggySyntaxError = PeggyModule.parser.SyntaxError;

let textParser: Parser | undefined;
let jsonSyntaxParser: Parser | undefined;

function peggy(): typeof PeggyModule {
  return require('peggy') as typeof PeggyModule;
}

function parseText(text: string): Cql2Expr {
  try {
    scanText(text);
    textParser ??= peggy().generate(CQL2_TEXT_GRAMMAR, { output: 'parser', grammarSource: 'cql2-text' });
    try {
      return textParser.parse(text, { h: HELPERS }) as Cql2Expr;
    } catch (e) {
      // the helpers check each part as soon as it is read: a syntax error further on is the fault to tell first
      if (e instanceof Fault) textParser.parse(text, { h: SYNTAX_ONLY });
      throw e;
    }
  } catch (e) {
    if (e instanceof Fault) throw usage('cql2-text', text, e.offset, e.message);
    if (isPeggyError(e)) throw usage('cql2-text', text, e.location.start.offset, expectedFound('cql2-text', text, e));
    throw e;
  }
}

function isPeggyError(e: unknown): e is PeggySyntaxError {
  return e instanceof Error && e.name === 'SyntaxError' && 'expected' in e && 'location' in e;
}

/**
 * Before the grammar, one pass over the text: strings and quoted names are closed, parentheses balanced and at most
 * MAX_FILTER_DEPTH deep. These faults get a message of their own (the grammar would report them far from their
 * cause), and the depth bound keeps the recursive parser's stack small.
 */
function scanText(text: string): void {
  const open: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'") {
      const start = i;
      for (i++; ; i++) {
        if (i >= text.length) throw new Fault(start, "the string opened here is never closed (a closing ' is missing)");
        if (text[i] === '\\') i++;
        else if (text[i] === "'") {
          if (text[i + 1] !== "'") break;
          i++;
        }
      }
    } else if (c === '"') {
      const end = text.indexOf('"', i + 1);
      if (end < 0) throw new Fault(i, 'the quoted property name opened here is never closed (a closing " is missing)');
      i = end;
    } else if (c === '(') {
      open.push(i);
      if (open.length > MAX_FILTER_DEPTH) throw new Fault(i, `parentheses are nested more than ${MAX_FILTER_DEPTH} levels deep`);
    } else if (c === ')') {
      if (open.pop() === undefined) throw new Fault(i, 'this ")" closes no "("');
    }
  }
  const unclosed = open.pop();
  if (unclosed !== undefined) throw new Fault(unclosed, 'this "(" is never closed (a ")" is missing)');
}

/**
 * Where a value may start, peggy expects each of its first tokens: told as "a value" when several are expected at once.
 */
const VALUE_STARTS: Record<Cql2Lang, Set<string>> = {
  'cql2-text': new Set([
    '"("',
    '"-"',
    '"TRUE"',
    '"FALSE"',
    'a number',
    "a 'string'",
    'a property or function name',
    'a double quote (")',
    ...['POINT', 'LINESTRING', 'POLYGON', 'MULTIPOINT', 'MULTILINESTRING', 'MULTIPOLYGON', 'GEOMETRYCOLLECTION'].map((k) => `"${k}"`),
  ]),
  'cql2-json': new Set(['"{"', '"["', 'a double quote (")', 'a number', '"true"', '"false"', '"null"']),
};

/** The most useful part of peggy's "expected ... but found ...": the values grouped, operators first, at most 6. */
function expectedFound(lang: Cql2Lang, text: string, e: PeggySyntaxError): string {
  let names: string[] = [];
  for (const x of e.expected ?? []) {
    const name = describeExpectation(x);
    if (name && !names.includes(name)) names.push(name);
  }
  const starts = VALUE_STARTS[lang];
  if (names.filter((n) => starts.has(n)).length >= 3)
    names = [...names.filter((n) => !starts.has(n)), lang === 'cql2-text' ? 'a value' : 'a JSON value'];
  names.sort((a, b) => rank(a) - rank(b));
  const shown = names.length > 6 ? [...names.slice(0, 5), 'more'] : names;
  const list = shown.length > 1 ? `${shown.slice(0, -1).join(', ')} or ${shown[shown.length - 1]}` : (shown[0] ?? 'something else');
  return `expected ${list} but found ${foundAt(lang, text, e.location.start.offset)}`;
}

function describeExpectation(x: Expectation): string | undefined {
  switch (x.type) {
    case 'literal':
      return x.text === '"' ? 'a double quote (")' : `"${x.ignoreCase ? x.text.toUpperCase() : x.text}"`;
    case 'other':
      return x.description;
    case 'end':
      return 'the end of the filter';
    case 'any':
      return 'a character';
    case 'class':
      return undefined; // whitespace and the letters of a name: never what the reader is missing
  }
}

/** Closing punctuation, then operators and keywords, then values, the end and "(" last. */
function rank(name: string): number {
  if (name === '")"' || name === '","' || name === '"]"' || name === '"}"') return 0;
  if (name.startsWith('a comparison')) return 1;
  if (['"NOT"', '"LIKE"', '"BETWEEN"', '"IN"', '"IS"', '"NULL"'].includes(name)) return 2;
  if (name === '"AND"' || name === '"OR"') return 3;
  if (name.startsWith('an arithmetic')) return 4;
  if (name.startsWith('the end')) return 6;
  if (name === '"("') return 7;
  return 5;
}

// ------------------------------------------------------------------------------------------------ text: the helpers

/** What a value read by the grammar is: decides where it may go. */
type Kind =
  | 'condition' // and / or / not, comparisons, LIKE, BETWEEN, IN, IS NULL, spatial, temporal and array predicates
  | 'boolean' // TRUE, FALSE
  | 'function' // any other function call (its result type is unknown)
  | 'property'
  | 'number'
  | 'arithmetic'
  | 'string'
  | 'character' // CASEI(...), ACCENTI(...)
  | 'instant' // DATE('...'), TIMESTAMP('...')
  | 'interval'
  | 'geometry'
  | 'bbox'
  | 'array'
  | 'group'; // ( ... ): a parenthesised value or an array, by context

interface Val {
  kind: Kind;
  /** Offset of its first character. */
  at: number;
  value: Cql2Expr;
  /** The values in the parentheses of a `group`. */
  items?: Val[];
}

type Tail =
  | { test: 'compare'; op: string; r: Val; not: false }
  | { test: 'like'; r: Val; not: boolean }
  | { test: 'between'; low: Val; high: Val; not: boolean }
  | { test: 'in'; list: Val; not: boolean }
  | { test: 'isNull'; not: boolean };

/** What a place takes: the kinds of value, and how to say it. */
interface Allowed {
  kinds: readonly Kind[];
  label: string;
}
const allow = (kinds: readonly Kind[], label: string): Allowed => ({ kinds, label });

/** booleanExpression (a function's result may be boolean) */
const CONDITION = allow(['condition', 'boolean', 'function'], 'a condition, TRUE, FALSE or a function call');
/** scalarExpression */
const SCALAR = allow(
  ['string', 'character', 'number', 'arithmetic', 'boolean', 'property', 'function', 'instant'],
  'a string, number, boolean, date, timestamp, property, function call or arithmetic expression',
);
/** numericExpression, arithmeticOperand */
const NUMERIC = allow(['number', 'arithmetic', 'property', 'function'], 'a number, property, function call or arithmetic expression');
/** characterExpression */
const CHARACTER = allow(['string', 'character', 'property', 'function'], 'a string, property, function call, CASEI() or ACCENTI()');
/** patternExpression (checked further by isPattern) */
const PATTERN = allow(['string', 'character'], 'a string, possibly in CASEI() or ACCENTI()');
/** geomExpression */
const SPATIAL = allow(['geometry', 'bbox', 'property', 'function'], 'a geometry, BBOX, property or function call');
/** temporalExpression */
const TEMPORAL = allow(['instant', 'interval', 'property', 'function'], 'a date, timestamp, interval, property or function call');
/** arrayOperand */
const ARRAY = allow(['array', 'property', 'function'], 'an array, property or function call');
/** isNullOperand: anything but an array */
const NULLABLE = allow([...CONDITION.kinds, ...SCALAR.kinds, 'interval', 'geometry', 'bbox'], 'anything but an array');
const NUMBER = allow(['number'], 'numbers');

const KIND_NAMES: Record<Kind, string> = {
  condition: 'a condition',
  boolean: 'a boolean',
  function: 'a function call',
  property: 'a property',
  number: 'a number',
  arithmetic: 'an arithmetic expression',
  string: 'a string',
  character: 'CASEI() or ACCENTI()',
  instant: 'a date or timestamp',
  interval: 'an interval',
  geometry: 'a geometry',
  bbox: 'a BBOX',
  array: 'an array',
  group: 'a parenthesised value',
};

function isOp(v: Cql2Expr): v is Cql2Op {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && 'op' in v;
}

/** What a value is, for a message: `the property "floors"`, `a call of avg()`, `the number 5`... */
function describe(x: Val): string {
  const v = x.value;
  switch (x.kind) {
    case 'property':
      return `the property ${JSON.stringify((v as { property: string }).property)}`;
    case 'function':
      return `a call of ${(v as Cql2Op).op}()`;
    case 'number':
      return `the number ${v as number}`;
    case 'string':
      return `the string ${JSON.stringify(v)}`;
    case 'boolean':
      return v ? 'TRUE' : 'FALSE';
    case 'geometry':
      return `a ${(v as Cql2Geometry).type} geometry`;
    case 'condition':
      return isOp(v) ? `a condition (${v.op})` : 'a condition';
    case 'array':
    case 'group':
    case 'arithmetic':
    case 'character':
    case 'instant':
    case 'interval':
    case 'bbox':
      return KIND_NAMES[x.kind];
  }
}

/** How deep each built object or array is in arrays and objects (its children are built, and measured, first). */
const depths = new WeakMap<object, number>();

function depthOf(v: unknown): number {
  if (typeof v !== 'object' || v === null) return 0;
  let d = depths.get(v);
  if (d === undefined) {
    d = 1;
    for (const child of Object.values(v)) d = Math.max(d, 1 + depthOf(child));
    depths.set(v, d);
  }
  return d;
}

/**
 * A value read from the text, refused when its JSON form is nested deeper than a cql2-json filter may be (left-
 * associative arithmetic, for one, nests without parentheses).
 */
function val(kind: Kind, at: number, value: Cql2Expr): Val {
  if (depthOf(value) > MAX_FILTER_DEPTH)
    throw new Fault(at, `this expression is nested more than ${MAX_FILTER_DEPTH} levels deep in arrays and objects of its JSON form`);
  return { kind, at, value };
}

/** A value where one value is expected: a group of one is what it holds, of zero or several an array. */
function solid(x: Val): Val {
  if (x.kind !== 'group') return x;
  const items = x.items ?? [];
  if (items.length === 1) return solid(items[0]);
  return val('array', x.at, items.map(element));
}

/** A value where an array is expected (array functions, IN): a group of any size is the array of its values. */
function arrayOf(x: Val): Val {
  if (x.kind !== 'group') return x;
  return val('array', x.at, (x.items ?? []).map(element));
}

/** An element of an array literal: a group in it is a nested array (arrayElement lists arrayExpression first). */
function element(x: Val): Cql2Expr {
  return x.kind === 'group' ? (x.items ?? []).map(element) : x.value;
}

/** The value, when its kind is allowed; a Fault at it saying what `role` takes otherwise. */
function need(x: Val, allowed: Allowed, role: string, verb = 'takes'): Cql2Expr {
  const s = solid(x);
  if (!allowed.kinds.includes(s.kind)) throw new Fault(s.at, `${role} ${verb} ${allowed.label}, not ${describe(s)}`);
  return s.value;
}

/** Standard functions, by their name in capitals, to their name in the JSON encoding. */
const SPATIAL_FUNCTIONS = names([
  's_contains',
  's_crosses',
  's_disjoint',
  's_equals',
  's_intersects',
  's_overlaps',
  's_touches',
  's_within',
]);
const TEMPORAL_FUNCTIONS = names([
  't_after',
  't_before',
  't_contains',
  't_disjoint',
  't_during',
  't_equals',
  't_finishedBy',
  't_finishes',
  't_intersects',
  't_meets',
  't_metBy',
  't_overlappedBy',
  't_overlaps',
  't_startedBy',
  't_starts',
]);
const ARRAY_FUNCTIONS = names(['a_containedBy', 'a_contains', 'a_equals', 'a_overlaps']);

function names(ops: string[]): Map<string, string> {
  return new Map(ops.map((op) => [op.toUpperCase(), op]));
}

/** The keywords of OGC 21-065r2 8.2: property names only in double quotes. */
const KEYWORDS = new Set([
  'ACCENTI',
  'AND',
  'BBOX',
  'BETWEEN',
  'CASEI',
  'DATE',
  'DIV',
  'FALSE',
  'GEOMETRYCOLLECTION',
  'IN',
  'IS',
  'LIKE',
  'LINESTRING',
  'MULTILINESTRING',
  'MULTIPOINT',
  'MULTIPOLYGON',
  'NOT',
  'NULL',
  'OR',
  'POINT',
  'POLYGON',
  'TIMESTAMP',
  'TRUE',
  ...SPATIAL_FUNCTIONS.keys(),
  ...TEMPORAL_FUNCTIONS.keys(),
  ...ARRAY_FUNCTIONS.keys(),
]);

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/;
const ESCAPES: Record<string, string> = { a: '\x07', b: '\b', t: '\t', n: '\n', v: '\v', f: '\f', r: '\r', "'": "'", '\\': '\\' };

function finite(at: number, text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n)) throw new Fault(at, `the number ${text} is out of range`);
  return n;
}

/** A `{ position }` read by the grammar: its coordinates and where it starts. */
interface Position {
  at: number;
  coordinates: number[];
}
/** A list of positions (a line string or a ring) and where it starts. */
interface Positions {
  at: number;
  list: Position[];
}

function lineCoordinates(l: Positions, min: number, what: string): number[][] {
  if (l.list.length < min) throw new Fault(l.at, `${what} needs at least ${min} positions, not ${l.list.length}`);
  return l.list.map((p) => p.coordinates);
}

/** Every position of one geometry has the dimension of its first (2D or 3D). */
function sameDimension(at: number, type: string, positions: Position[]): void {
  const first = positions[0]?.coordinates.length;
  const odd = positions.find((p) => p.coordinates.length !== first);
  if (odd)
    throw new Fault(odd.at, `this position has ${odd.coordinates.length} coordinates where the first one of the ${type} has ${first}`);
}

/** The helpers called by the semantic actions of CQL2_TEXT_GRAMMAR (as `options.h`). */
const HELPERS = {
  filter(e: Val): Cql2Expr {
    return need(e, CONDITION, 'the filter', 'must be');
  },

  logic(op: 'and' | 'or', head: Val, tail: Val[]): Val {
    const word = op.toUpperCase();
    return val('condition', head.at, { op, args: [head, ...tail].map((x) => need(x, CONDITION, word)) });
  },

  not(at: number, p: Val): Val {
    return val('condition', at, { op: 'not', args: [need(p, CONDITION, 'NOT')] });
  },

  predicate(l: Val, t: Tail): Val {
    let value: Cql2Op;
    switch (t.test) {
      case 'compare':
        value = { op: t.op, args: [need(l, SCALAR, `the left side of ${t.op}`), need(t.r, SCALAR, `the right side of ${t.op}`)] };
        break;
      case 'like': {
        const pattern = need(t.r, PATTERN, 'the pattern of LIKE');
        if (!isPattern(pattern))
          throw new Fault(
            solid(t.r).at,
            'the pattern of LIKE takes a string, possibly in CASEI() or ACCENTI(), not a property or function',
          );
        value = { op: 'like', args: [need(l, CHARACTER, 'LIKE'), pattern] };
        break;
      }
      case 'between':
        value = { op: 'between', args: [need(l, NUMERIC, 'BETWEEN'), need(t.low, NUMERIC, 'BETWEEN'), need(t.high, NUMERIC, 'BETWEEN')] };
        break;
      case 'in': {
        const items = (t.list.items ?? []).map((x) => need(x, SCALAR, 'an IN list'));
        if (items.length === 0) throw new Fault(t.list.at, 'an IN list takes at least one value');
        value = { op: 'in', args: [need(l, SCALAR, 'IN'), items] };
        break;
      }
      case 'isNull':
        value = { op: 'isNull', args: [need(l, NULLABLE, 'IS NULL')] };
        break;
    }
    return val('condition', l.at, t.not ? { op: 'not', args: [value] } : value);
  },

  /** `head op x op y...`, left-associative: ((head op x) op y). */
  arithmetic(head: Val, tail: [string, Val][]): Val {
    let acc = head;
    for (const [op, r] of tail) acc = val('arithmetic', head.at, { op, args: [need(acc, NUMERIC, op), need(r, NUMERIC, op)] });
    return acc;
  },

  /** `-5` is the number -5; `- foo` is `-1 * foo`, as example 85 of the standard spells it. */
  negate(at: number, a: Val): Val {
    const s = solid(a);
    if (s.kind === 'number') {
      const n = s.value as number;
      return val('number', at, n === 0 ? 0 : -n);
    }
    return val('arithmetic', at, { op: '*', args: [-1, need(s, NUMERIC, 'a minus sign')] });
  },

  group(at: number, items: Val[]): Val {
    return { kind: 'group', at, value: [], items };
  },

  string(at: number, s: string): Val {
    return val('string', at, s);
  },

  escape(c: string): string {
    return ESCAPES[c] ?? `\\${c}`;
  },

  number(at: number, text: string): Val {
    return val('number', at, finite(at, text));
  },

  boolean(at: number, b: boolean): Val {
    return val('boolean', at, b);
  },

  property(at: number, name: string, quoted: boolean): Val {
    if (!quoted && KEYWORDS.has(name.toUpperCase()))
      throw new Fault(at, `${name} is a CQL2 keyword: write "${name}" (in double quotes) to name a property so`);
    return val('property', at, { property: name });
  },

  /** A function call: a standard one (by name, case-insensitive) or any other, kept as named. */
  call(at: number, name: string, args: Val[]): Val {
    const upper = name.toUpperCase();
    const arity = (n: number | number[]) => {
      const counts = typeof n === 'number' ? [n] : n;
      if (!counts.includes(args.length))
        throw new Fault(at, `${upper} takes ${counts.join(' or ')} argument${counts.at(-1) === 1 ? '' : 's'}, not ${args.length}`);
    };
    const spatial = SPATIAL_FUNCTIONS.get(upper);
    if (spatial) {
      arity(2);
      return val('condition', at, { op: spatial, args: args.map((x) => need(x, SPATIAL, upper)) });
    }
    const temporal = TEMPORAL_FUNCTIONS.get(upper);
    if (temporal) {
      arity(2);
      return val('condition', at, { op: temporal, args: args.map((x) => need(x, TEMPORAL, upper)) });
    }
    const array = ARRAY_FUNCTIONS.get(upper);
    if (array) {
      arity(2);
      return val('condition', at, { op: array, args: args.map((x) => need(arrayOf(x), ARRAY, upper)) });
    }
    switch (upper) {
      case 'CASEI':
      case 'ACCENTI':
        arity(1);
        return val('character', at, { op: upper.toLowerCase(), args: [need(args[0], CHARACTER, upper)] });
      case 'DATE':
      case 'TIMESTAMP': {
        arity(1);
        const s = solid(args[0]);
        const [pattern, example] = upper === 'DATE' ? [DATE, "'2024-01-31'"] : [TIMESTAMP, "'2024-01-31T12:00:00Z'"];
        if (s.kind !== 'string' || !pattern.test(s.value as string))
          throw new Fault(s.at, `${upper} takes a string like ${example}, not ${describe(s)}`);
        return val('instant', at, upper === 'DATE' ? { date: s.value as string } : { timestamp: s.value as string });
      }
      case 'INTERVAL':
        arity(2);
        // a function bound (allowed by the BNF and the JSON Schema) is not in the bounds of Cql2Interval's type
        return val('interval', at, { interval: args.map(intervalBound) } as Cql2Interval);
      case 'BBOX':
        arity([4, 6]);
        return val('bbox', at, { bbox: args.map((x) => need(x, NUMBER, 'BBOX') as number) });
    }
    return val('function', at, { op: name, args: args.map((x) => solid(x).value) });
  },

  position(at: number, x: number, y: number, z: number | null): Position {
    return { at, coordinates: z === null ? [x, y] : [x, y, z] };
  },

  positions(at: number, list: Position[]): Positions {
    return { at, list };
  },

  coordinate(at: number, text: string): number {
    const n = finite(at, text);
    return n === 0 ? 0 : n;
  },

  /** A WKT geometry as GeoJSON, with the sizes the BNF (and GeoJSON) ask: lines of 2 positions, rings of 4. */
  geometry(at: number, type: Cql2Geometry['type'], parts: unknown): Val {
    let coordinates: unknown;
    let positions: Position[];
    switch (type) {
      case 'Point':
        positions = [parts as Position];
        coordinates = positions[0].coordinates;
        break;
      case 'LineString':
        positions = (parts as Positions).list;
        coordinates = lineCoordinates(parts as Positions, 2, 'a LINESTRING');
        break;
      case 'Polygon':
        positions = (parts as Positions[]).flatMap((r) => r.list);
        coordinates = (parts as Positions[]).map((r) => lineCoordinates(r, 4, 'a POLYGON ring'));
        break;
      case 'MultiPoint':
        positions = parts as Position[];
        coordinates = positions.map((p) => p.coordinates);
        break;
      case 'MultiLineString':
        positions = (parts as Positions[]).flatMap((l) => l.list);
        coordinates = (parts as Positions[]).map((l) => lineCoordinates(l, 2, 'a line of a MULTILINESTRING'));
        break;
      case 'MultiPolygon':
        positions = (parts as Positions[][]).flatMap((p) => p.flatMap((r) => r.list));
        coordinates = (parts as Positions[][]).map((p) => p.map((r) => lineCoordinates(r, 4, 'a POLYGON ring')));
        break;
      case 'GeometryCollection':
        throw new Error('GEOMETRYCOLLECTION is read by collection()');
    }
    sameDimension(at, type.toUpperCase(), positions);
    return val('geometry', at, { type, coordinates });
  },

  collection(at: number, members: Val[]): Val {
    if (members.length < 2)
      throw new Fault(at, `a GEOMETRYCOLLECTION takes at least 2 geometries (as the CQL2 JSON schema), not ${members.length}`);
    return val('geometry', at, { type: 'GeometryCollection', geometries: members.map((m) => m.value as Cql2Geometry) });
  },
};

/**
 * The helpers with their checks turned off (a part at fault becomes a placeholder any place takes): to tell whether a
 * text whose parts do not fit is also syntactically wrong.
 */
const SYNTAX_ONLY = Object.fromEntries(
  Object.entries(HELPERS).map(([name, helper]) => [
    name,
    (...args: unknown[]) => {
      try {
        return (helper as (...a: unknown[]) => unknown)(...args);
      } catch (e) {
        if (!(e instanceof Fault)) throw e;
        return name === 'coordinate' ? 0 : ({ kind: 'function', at: 0, value: { op: '?', args: [] } } satisfies Val);
      }
    },
  ]),
);

/** patternExpression: a string, or CASEI / ACCENTI of a pattern. */
function isPattern(v: Cql2Expr): boolean {
  return typeof v === 'string' || (isOp(v) && (v.op === 'casei' || v.op === 'accenti') && v.args.length === 1 && isPattern(v.args[0]));
}

/** instantParameter: a date or timestamp string, '..', a property or a function. */
function intervalBound(x: Val): string | Cql2Expr {
  const s = solid(x);
  if (s.kind === 'property' || s.kind === 'function') return s.value;
  if (s.kind === 'string' && (s.value === '..' || DATE.test(s.value as string) || TIMESTAMP.test(s.value as string))) return s.value;
  throw new Fault(
    s.at,
    `INTERVAL takes dates or timestamps as strings ('2024-01-31', '2024-01-31T12:00:00Z'), '..', properties or functions, not ${describe(s)}`,
  );
}

// ------------------------------------------------------------------------------------------------ cql2-json

let validator: ValidateFunction | undefined;

/** The standard's JSON Schema, compiled once (2020-12: `$dynamicRef`, `prefixItems`). */
function cql2Validator(): ValidateFunction {
  if (!validator) {
    const { Ajv2020 } = require('ajv/dist/2020.js') as typeof Ajv2020Module;
    const schema = JSON.parse(readFileSync(projectPath('schemas', 'cql2', 'cql2.json'), 'utf8'));
    // strict as the standard's own check (examples/json/validate.sh: ajv --strict=true); formats are not used
    validator = new Ajv2020({ strict: true, allErrors: false }).compile(schema);
  }
  return validator;
}

function parseJson(text: string): Cql2Expr {
  let value: unknown;
  try {
    scanJson(text);
    value = JSON.parse(text);
  } catch (e) {
    if (e instanceof Fault) throw usage('cql2-json', text, e.offset, e.message);
    throw jsonSyntaxError(text, e);
  }
  const validate = cql2Validator();
  if (!validate(value)) throw new UsageError(`invalid cql2-json filter: ${schemaFault(validate.errors ?? [])}`, 'filter');
  return value as Cql2Expr;
}

/** Arrays and objects at most MAX_FILTER_DEPTH deep (counted outside strings, before JSON.parse). */
function scanJson(text: string): void {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const start = i;
      for (i++; text[i] !== '"'; i++) {
        if (i >= text.length) throw new Fault(start, 'the string opened here is never closed (a closing " is missing)');
        if (text[i] === '\\') i++;
      }
    } else if (c === '[' || c === '{') {
      if (++depth > MAX_FILTER_DEPTH) throw new Fault(i, `arrays and objects are nested more than ${MAX_FILTER_DEPTH} levels deep`);
    } else if (c === ']' || c === '}') depth--;
  }
}

/** Where JSON.parse stopped, and what was expected there (read again by a small JSON grammar). */
function jsonSyntaxError(text: string, cause: unknown): UsageError {
  jsonSyntaxParser ??= peggy().generate(JSON_SYNTAX_GRAMMAR, { output: 'parser', grammarSource: 'json' });
  try {
    jsonSyntaxParser.parse(text);
  } catch (e) {
    if (isPeggyError(e)) return usage('cql2-json', text, e.location.start.offset, `not JSON: ${expectedFound('cql2-json', text, e)}`);
  }
  return new UsageError(`invalid cql2-json filter: not JSON (${cause instanceof Error ? cause.message : String(cause)})`, 'filter');
}

/**
 * The one schema error worth telling, out of the many a `oneOf` yields (one per branch tried): the deepest in the
 * document, as the branch that went furthest is the one the author meant. Errors that only say "not this branch" (the
 * `op` or `type` of another definition, the summaries of oneOf) count for depth but are told only when nothing else is
 * as deep; several errors at one place are told together (`must be a string or an object with "op" or "property"`).
 */
function schemaFault(errors: ErrorObject[]): string {
  const segments = (e: ErrorObject) => (e.instancePath === '' ? 0 : e.instancePath.split('/').length - 1);
  const branch = (e: ErrorObject) => (e.keyword === 'enum' || e.keyword === 'not') && /\/(op|type)$/.test(e.instancePath);
  const told = errors.filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'anyOf');
  if (told.length === 0) return 'the document is not a CQL2 expression';
  const deepest = Math.max(...told.map(segments));
  const atDepth = told.filter((e) => segments(e) === deepest);
  const specific = atDepth.filter((e) => !branch(e));
  const chosen = specific.length ? specific : atDepth;
  const path = chosen[0].instancePath;
  const here = chosen.filter((e) => e.instancePath === path);
  const place = path === '' ? 'at the top level' : `at ${path}`;
  if (here.length === 1 && here[0].keyword !== 'enum' && here[0].keyword !== 'type')
    return `${place}, ${here[0].message ?? 'invalid value'}`;
  const allowed = [
    ...new Set(here.filter((e) => e.keyword === 'enum').flatMap((e) => (e.params as { allowedValues: unknown[] }).allowedValues)),
  ];
  if (allowed.length) return `${place}, must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`;
  const types = [...new Set(here.filter((e) => e.keyword === 'type').map((e) => String((e.params as { type: string }).type)))];
  const required = [
    ...new Set(here.filter((e) => e.keyword === 'required').map((e) => (e.params as { missingProperty: string }).missingProperty)),
  ];
  const forms = types.filter((t) => t !== 'object' || required.length === 0).map((t) => `${/^[aeiou]/.test(t) ? 'an' : 'a'} ${t}`);
  if (required.length) forms.push(`an object with ${required.map((r) => JSON.stringify(r)).join(' or ')}`);
  if (forms.length)
    return `${place}, must be ${forms.length > 1 ? `${forms.slice(0, -1).join(', ')} or ${forms[forms.length - 1]}` : forms[0]}`;
  return `${place}, ${here.map((e) => e.message).join('; ')}`;
}
