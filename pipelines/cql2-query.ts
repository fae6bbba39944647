/**
 * A CQL2 filter (pipelines/cql2.ts reads both encodings into its JSON form) as a query on the record index: the
 * `filter` parameter of OGC API - Records items (OGC API - Features Part 3). Pure; a UsageError naming `filter` for
 * anything that cannot be answered exactly, never an approximation.
 *
 * What it answers (the conformance classes declared: basic-cql2, advanced-comparison-operators,
 * case-insensitive-comparison, accent-insensitive-comparison, basic-spatial-functions, temporal-functions,
 * array-functions; more below, not declared since their classes ask for more):
 * - comparisons `= <> < > <= >=` of a queryable with a literal (either side), `IS [NOT] NULL`, `AND` `OR` `NOT`,
 *   `TRUE` / `FALSE`;
 * - `LIKE` (`%` any run, `_` one character, `\` escapes) and `IN` on the string queryables (`BETWEEN` compares
 *   numbers, and no queryable is one);
 * - `S_INTERSECTS` / `S_DISJOINT` of `geometry` (the record's box) with a `BBOX` or a `POINT` (boxes across the
 *   antimeridian included): exact on boxes; another geometry is refused (the index holds boxes, not shapes);
 * - every temporal function (T_AFTER, T_BEFORE, T_DISJOINT, T_EQUALS, T_INTERSECTS of instants and intervals; T_CONTAINS,
 *   T_DURING, T_FINISHEDBY, T_FINISHES, T_MEETS, T_METBY, T_OVERLAPPEDBY, T_OVERLAPS, T_STARTEDBY, T_STARTS of
 *   intervals) of `time` (the record's time extent, an interval whose ends may be open) or of the instants `created`
 *   and `updated`, with a date, a timestamp or an `INTERVAL`: conditions on the ends (TEMPORAL), each a range on
 *   `time_start`, `time_end`, `issued` or `modified`;
 * - `CASEI(p)` with `=`, `<>`, `LIKE`, `IN` (keyword terms compared ignoring case);
 * - `ACCENTI(p)` with the same, alone or with CASEI (`ACCENTI(keywords) = ACCENTI('temperature')` finds
 *   "température"): a regular expression on the keyword terms in which each letter stands for itself and its marked
 *   forms (e: [eéèêëēĕėęě...]; the index holds texts composed, NFC). The embedded node has no folding analyser
 *   (RUNBOOK), and this needs no copy of the values.
 *
 * Semantics, as CQL2 defines them: a predicate on a property the record lacks is unknown, and unknown is neither
 * selected nor selected by its negation (`NOT (source = 'x')` does not select records without a source either):
 * negations are pushed down to the predicates (De Morgan), each negated predicate asking for its property to be there.
 * Queryables with several values per record (keywords, themes, formats...): a predicate holds when one of the values
 * satisfies it, its negation when none does. Dates of the day precision cover the whole day (`updated = DATE('2020-01-01')`
 * is any time that day), as the datetime parameter does.
 */
import { UsageError } from '../core/result.js';
import { MAX_REGEX_LENGTH } from '../mappings/es-index.js';
import type { Cql2Expr, Cql2Op } from './cql2-ast.js';
import { CQL2_LANGS, parseCql2, type Cql2Lang } from './cql2.js';
import { bboxQuery, RATING_FIELD, userDateBounds, VARIABLE_CATEGORY_BASE } from './search.js';

type Query = Record<string, unknown>;

type Kind = 'string' | 'date' | 'time' | 'geometry';
interface Queryable {
  kind: Kind;
  /** Index fields holding the values (a value matches in any of them). */
  fields: string[];
  /** A value as the index holds it (variable categories: a bare name is the IRI's last segment). */
  value?: (v: string) => string;
  /** Only the index values in [from, to) are this queryable's (variable categories among the themes). */
  within?: [string, string];
  /**
   * How many distinct values a record holds, for A_CONTAINEDBY and A_EQUALS: `one` (a single value), or the index
   * field counting them (`value_counts.<field>`, mappings/index-doc.ts). Without it those two are refused: the index
   * cannot tell (themes match by IRI or label, external identifiers are indexed in several forms).
   */
  count?: 'one' | `value_counts.${string}`;
  /** A record may hold several values (the queryables document types it an array of strings). */
  many?: true;
}

/** The end of the IRIs starting with `base`: the first string after all of them. */
const after = (base: string) => base.slice(0, -1) + String.fromCharCode(base.charCodeAt(base.length - 1) + 1);

/** The properties of the queryables document (pipelines/ogc-records.ts queryablesDoc) a filter can use. */
export const CQL2_QUERYABLES: Record<string, Queryable> = {
  id: { kind: 'string', fields: ['id'], count: 'one' },
  type: { kind: 'string', fields: ['type'], count: 'one' },
  source: { kind: 'string', fields: ['source'], count: 'one' },
  externalIds: { kind: 'string', fields: ['external_ids'], many: true },
  keywords: { kind: 'string', fields: ['keywords'], count: 'value_counts.keywords', many: true },
  themes: { kind: 'string', fields: ['themes', 'theme_labels'], many: true },
  formats: { kind: 'string', fields: ['formats'], count: 'value_counts.formats', many: true },
  license: { kind: 'string', fields: ['licence'], count: 'value_counts.licence', many: true },
  language: { kind: 'string', fields: ['language'], count: 'value_counts.language', many: true },
  publisher: { kind: 'string', fields: ['publisher'], count: 'value_counts.publisher' },
  rating: { kind: 'string', fields: [RATING_FIELD], count: 'one' },
  variableCategory: {
    kind: 'string',
    fields: ['themes'],
    many: true,
    value: (v) => (/^[A-Za-z0-9]+$/.test(v) ? VARIABLE_CATEGORY_BASE + v : v),
    within: [VARIABLE_CATEGORY_BASE, after(VARIABLE_CATEGORY_BASE)],
  },
  created: { kind: 'date', fields: ['issued'] },
  updated: { kind: 'date', fields: ['modified'] },
  time: { kind: 'time', fields: ['time'] },
  geometry: { kind: 'geometry', fields: ['bbox'] },
};

const MATCH_ALL: Query = { match_all: {} };
const MATCH_NONE: Query = { match_none: {} };
const fail = (message: string): never => {
  throw new UsageError(`filter: ${message}`, 'filter');
};
const or = (qs: Query[]): Query => (qs.length === 1 ? qs[0] : { bool: { should: qs, minimum_should_match: 1 } });
const and = (qs: Query[]): Query => (qs.length === 1 ? qs[0] : { bool: { filter: qs } });
const not = (q: Query): Query => ({ bool: { must_not: [q] } });

const isObj = (e: Cql2Expr): e is Exclude<Cql2Expr, string | number | boolean | Cql2Expr[]> =>
  typeof e === 'object' && e !== null && !Array.isArray(e);
const isOp = (e: Cql2Expr): e is Cql2Op => isObj(e) && 'op' in e;

/** How an expression reads in a message (its JSON, shortened). */
function shown(e: Cql2Expr): string {
  const s = JSON.stringify(e);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/** What `CASEI(...)` and `ACCENTI(...)`, in either order, wrap, and which of them do. */
function unwrapped(e: Cql2Expr): { x: Cql2Expr; casei: boolean; accenti: boolean } {
  let x = e;
  let casei = false;
  let accenti = false;
  while (isOp(x) && (x.op === 'casei' || x.op === 'accenti') && x.args.length === 1) {
    if (x.op === 'casei') casei = true;
    else accenti = true;
    x = x.args[0];
  }
  return { x, casei, accenti };
}

/** A queryable named by `{property}` (or `CASEI({property})`, `ACCENTI(...)`); a clear refusal otherwise. */
function propertyOf(e: Cql2Expr): { name: string; q: Queryable; casei: boolean; accenti: boolean } | undefined {
  const { x, casei, accenti } = unwrapped(e);
  if (!isObj(x) || !('property' in x)) return undefined;
  const q = CQL2_QUERYABLES[x.property];
  if (!q) fail(`${x.property} is not a queryable: the queryables are ${Object.keys(CQL2_QUERYABLES).join(', ')}`);
  return { name: x.property, q, casei, accenti };
}

/**
 * A literal string, or `CASEI('...')` / `ACCENTI('...')` of one (either function on either side makes the comparison
 * ignore case, or accents).
 */
function stringOf(e: Cql2Expr, name: string): string {
  const { x } = unwrapped(e);
  if (typeof x !== 'string') fail(`${name} is compared with strings (got ${shown(e)})`);
  return x as string;
}

/** The instants a date literal covers: `DATE`, `TIMESTAMP`, or a string in one of those forms. */
function instantOf(e: Cql2Expr, name: string): { start: string; end: string } {
  const v = isObj(e) && 'date' in e ? e.date : isObj(e) && 'timestamp' in e ? e.timestamp : typeof e === 'string' ? e : undefined;
  if (v === undefined) fail(`${name} is compared with a DATE('...') or TIMESTAMP('...') (got ${shown(e)})`);
  try {
    return userDateBounds(v as string, 'filter');
  } catch (err) {
    return fail(`${name}: ${(err as Error).message}`);
  }
}

/** The instants an interval literal covers (`..` open), or a date / timestamp as an interval of itself. */
function periodOf(e: Cql2Expr, name: string): { start?: string; end?: string } {
  if (isObj(e) && 'interval' in e) {
    const [a, b] = e.interval;
    if (e.interval.length !== 2) fail(`an INTERVAL has two ends (got ${shown(e)})`);
    const start = a === '..' ? undefined : instantOf(a, name).start;
    const end = b === '..' ? undefined : instantOf(b, name).end;
    if (start !== undefined && end !== undefined && start > end) fail(`the interval ${shown(e)} ends before it starts`);
    return { start, end };
  }
  return instantOf(e, name);
}

/** States an ACCENTI regular expression may determinise into (Elasticsearch's default: 10,000). */
const MAX_REGEX_STATES = 100_000;

/** Longest LIKE pattern (as a wildcard pattern, runs of `%` counted once): the longest keyword the index holds. */
const MAX_PATTERN = 512;

/**
 * A CQL2 LIKE pattern as an Elasticsearch wildcard pattern (`%` → `*`, `_` → `?`, `\` escapes either); a run of `%`
 * is one `*` (the same strings, a smaller automaton).
 */
export function likeToWildcard(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length) {
      const n = pattern[++i];
      out += n === '*' || n === '?' || n === '\\' ? `\\${n}` : n;
    } else if (c === '%') out += out.endsWith('*') && !out.endsWith('\\*') ? '' : '*';
    else if (c === '_') out += '?';
    else if (c === '*' || c === '?') out += `\\${c}`;
    else out += c;
  }
  return out;
}

/** The letters carrying marks (é è ê ë ē...) by the letter they are built on (e): Latin, Greek, Cyrillic. */
const MARKED: ReadonlyMap<string, string> = (() => {
  const m = new Map<string, string>();
  for (const [from, to] of [
    [0xc0, 0x24f],
    [0x370, 0x4ff],
    [0x1e00, 0x1fff],
  ])
    for (let c = from; c <= to; c++) {
      const ch = String.fromCodePoint(c);
      const base = ch.normalize('NFD').replace(/\p{M}/gu, '');
      if (base.length === 1 && base !== ch) m.set(base, (m.get(base) ?? '') + ch);
    }
  return m;
})();

/** One character of a literal in an Elasticsearch (Lucene) regular expression: escaped unless a letter or digit. */
const literalChar = (c: string) => (/^[\p{L}\p{N}]$/u.test(c) ? c : `\\${c}`);

/**
 * A character of an ACCENTI literal as a regular expression: its letter with every marked form of it (of either case
 * with `casei`: the node's case_insensitive flag of regular expressions folds ASCII only). The index holds texts
 * composed (NFC: mappings/index-doc.ts), so no combining mark follows a letter there.
 */
function accentClass(c: string, casei: boolean): string {
  const base = c.normalize('NFD').replace(/\p{M}/gu, '');
  if (base === '') return ''; // a combining mark of the literal: accents do not count
  if (!/^\p{L}$/u.test(base)) return literalChar(c);
  const cases = casei ? [...new Set([base, base.toLowerCase(), base.toUpperCase()])].filter((l) => l.length === 1) : [base];
  const letters = [...new Set([...cases.map((l) => l + (MARKED.get(l) ?? '')).join(''), c])].join('');
  return letters.length > 1 ? `[${letters}]` : letters;
}

/** An ACCENTI value as a regular expression matching whole terms. */
export function accentRegexp(value: string, casei: boolean): string {
  return [...value].map((c) => accentClass(c, casei)).join('');
}

/**
 * An ACCENTI LIKE pattern as a regular expression: `%` any run (`.*`), `_` one character, `\` escapes
 * either; the other characters as accentRegexp reads them.
 */
export function likeToAccentRegexp(pattern: string, casei: boolean): string {
  const chars = [...pattern];
  let out = '';
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (c === '\\' && i + 1 < chars.length) out += accentClass(chars[++i], casei);
    else if (c === '%') out += out.endsWith('.*') ? '' : '.*';
    else if (c === '_') out += '.';
    else out += accentClass(c, casei);
  }
  return out;
}

/** The index query of one predicate on a string queryable, for values satisfying `one` in any field. */
function onFields(q: Queryable, one: (field: string) => Query): Query {
  return or(q.fields.map((f) => (q.within ? and([{ range: { [f]: { gte: q.within[0], lt: q.within[1] } } }, one(f)]) : one(f))));
}

/** `p IS NOT NULL`: the record holds a value of the queryable. */
function present(q: Queryable): Query {
  if (q.kind === 'geometry') return { exists: { field: 'bbox.west' } };
  if (q.within) return onFields(q, (f) => ({ exists: { field: f } }));
  return or(q.fields.map((f) => ({ exists: { field: f } })));
}

const FLIPPED: Record<string, string> = { '=': '=', '<>': '<>', '<': '>', '>': '<', '<=': '>=', '>=': '<=' };

/** A comparison (`=`... `like`, `between`, `in`) as a positive query, before any negation. */
function comparison(op: string, args: Cql2Expr[]): Query {
  let rest = args.slice(1);
  let o = op;
  let p = propertyOf(args[0]);
  if (!p && op in FLIPPED && args.length === 2) {
    // a literal on the left: 5 < x is x > 5
    p = propertyOf(args[1]);
    if (p) [rest, o] = [[args[0]], FLIPPED[op]];
  }
  if (op === 'between') fail(`BETWEEN compares numbers, and no queryable is a number: compare with >= and <= instead`);
  if (!p)
    return fail(
      `${op} compares a queryable with a literal (got ${shown(args[0])}; comparing two literals or two properties is not supported)`,
    );
  const { name, q, casei, accenti } = p;
  if (rest.some((r) => propertyOf(r))) fail(`comparing two properties is not supported (${op} of ${name})`);

  if (q.kind === 'geometry' || q.kind === 'time')
    fail(
      `${name} is ${q.kind === 'time' ? 'an interval: use the temporal functions (T_INTERSECTS, T_DURING, T_EQUALS...)' : 'a geometry: use S_INTERSECTS or S_DISJOINT'}`,
    );

  if (q.kind === 'date') {
    if (casei || accenti) fail(`${casei ? 'CASEI' : 'ACCENTI'} applies to strings, not to the date ${name}`);
    const f = q.fields[0];
    const range = (r: Query): Query => ({ range: { [f]: r } });
    if (o === 'in') {
      const list = rest[0];
      if (!Array.isArray(list)) return fail(`IN takes a list (got ${shown(list)})`);
      return or(list.map((v) => ({ range: { [f]: span(instantOf(v, name)) } })));
    }
    if (o === 'like') fail(`LIKE applies to strings, not to the date ${name}`);
    const d = instantOf(rest[0], name);
    switch (o) {
      case '=':
        return range(span(d));
      case '<>':
        return and([{ exists: { field: f } }, not(range(span(d)))]);
      case '<':
        return range({ lt: d.start });
      case '<=':
        return range({ lte: d.end });
      case '>':
        return range({ gt: d.end });
      case '>=':
        return range({ gte: d.start });
    }
    return fail(`${o} does not apply to dates`);
  }

  // strings
  const value = (v: Cql2Expr) => {
    const s = stringOf(v, name);
    return q.value ? q.value(s) : s;
  };
  const other = unwrapped(rest[0]);
  const ci = casei || other.casei;
  const ai = accenti || other.accenti;
  // (the automaton of a long pattern may take more than the node's default 10,000 states: up to 100,000, under a
  // second at 512 characters; a pattern that needs more is refused by the node, a 400 naming filter: searchRecords)
  const regexp = (re: string): Query => {
    if (re.length > MAX_REGEX_LENGTH)
      fail(`the ACCENTI value or pattern is too long (its regular expression exceeds ${MAX_REGEX_LENGTH} characters)`);
    return onFields(q, (f) => ({ regexp: { [f]: { value: re, max_determinized_states: MAX_REGEX_STATES } } }));
  };
  const term = (v: string): Query => {
    if (ai) {
      if ([...v].length > MAX_PATTERN)
        fail(`an ACCENTI value is at most ${MAX_PATTERN} characters (got ${[...v].length}): no longer value is indexed`);
      return regexp(accentRegexp(v, ci));
    }
    return onFields(q, (f) => ({ term: { [f]: ci ? { value: v, case_insensitive: true } : v } }));
  };
  const range = (r: Query) => {
    if (ci || ai) fail(`${ai ? 'ACCENTI' : 'CASEI'}(${name}) is compared with =, <>, LIKE or IN, not ${o}`);
    return onFields(q, (f) => ({ range: { [f]: r } }));
  };
  switch (o) {
    case '=':
      return term(value(rest[0]));
    case '<>':
      return and([present(q), not(term(value(rest[0])))]);
    case '<':
      return range({ lt: value(rest[0]) });
    case '<=':
      return range({ lte: value(rest[0]) });
    case '>':
      return range({ gt: value(rest[0]) });
    case '>=':
      return range({ gte: value(rest[0]) });
    case 'like': {
      const pattern = likeToWildcard(stringOf(rest[0], name));
      // (values longer than the index keeps are not indexed: a longer pattern finds nothing, and builds an
      // automaton too large for the node)
      if (pattern.length > MAX_PATTERN)
        fail(`a LIKE pattern is at most ${MAX_PATTERN} characters (got ${pattern.length}): no longer value is indexed`);
      if (ai) return regexp(likeToAccentRegexp(stringOf(rest[0], name), ci));
      const v = q.value && !/[*?]/.test(pattern) ? q.value(pattern) : pattern;
      return onFields(q, (f) => ({ wildcard: { [f]: { value: v, ...(ci ? { case_insensitive: true } : {}) } } }));
    }
    case 'in': {
      const list = rest[0];
      if (!Array.isArray(list) || list.length === 0) return fail(`IN takes a list of values (got ${shown(list)})`);
      if (ci || ai) return or(list.map((v) => term(value(v))));
      const vals = list.map(value);
      return onFields(q, (f) => ({ terms: { [f]: vals } }));
    }
  }
  return fail(`${o} does not apply to strings`);
}

const span = (d: { start: string; end: string }): Query => ({ gte: d.start, lte: d.end });

/** The box of a BBOX or POINT literal (the index holds boxes: other geometries cannot be compared exactly). */
function boxOf(e: Cql2Expr): [number, number, number, number] {
  if (isObj(e) && 'bbox' in e) {
    const b = e.bbox;
    if (b.length === 4) return [b[0], b[1], b[2], b[3]];
    if (b.length === 6) return [b[0], b[1], b[3], b[4]];
    return fail(`a BBOX has 4 (or 6) numbers (got ${b.length})`);
  }
  if (isObj(e) && 'type' in e && e.type === 'Point') {
    const c = e.coordinates as number[];
    return [c[0], c[1], c[0], c[1]];
  }
  if (isObj(e) && 'type' in e)
    return fail(`the records' geometry is their box: it is compared with a BBOX(...) or a POINT(...), not a ${e.type}`);
  return fail(`a spatial function compares geometry with a BBOX(...) or a POINT(...) (got ${shown(e)})`);
}

function spatial(op: string, args: Cql2Expr[]): { query: Query; disjoint: boolean } {
  const [a, b] = args;
  const p = propertyOf(a) ?? propertyOf(b);
  if (!p || p.q.kind !== 'geometry') return fail(`${op.toUpperCase()} applies to geometry (got ${shown(a)})`);
  const literal = propertyOf(a) ? b : a;
  const box = boxOf(literal);
  let query: Query;
  try {
    query = bboxQuery(box);
  } catch (err) {
    return fail((err as Error).message);
  }
  return { query, disjoint: op === 's_disjoint' };
}

/** One end of a temporal value: its start or its end. */
type End = 'start' | 'end';
/** How an end of one operand compares with an end of the other: `<` before, `=` coincident, `>` after (or a union). */
type Cmp = '<' | '<=' | '=' | '>=' | '>';
/** A condition of a temporal function: `[end of the first operand, comparison, end of the second]`. */
type EndCondition = [End, Cmp, End];

/**
 * The temporal functions of CQL2 (OGC 21-065r2, 7.x tables 4 and 5, after the W3C/OGC Time Ontology: before, after,
 * intervalMeets...) as conditions on the ends of their operands, the first operand's end first (`end < start`: the
 * first ends before the second starts). T_DISJOINT is the negation of T_INTERSECTS (`before OR after`, as the
 * standard defines it). `intervals`: the functions of the second table, which apply to intervals only (an instant
 * operand is a client error, as the standard says).
 */
const TEMPORAL: Record<string, { ends: EndCondition[]; intervals?: true }> = Object.fromEntries(
  Object.entries({
    t_before: ['end < start'],
    t_after: ['start > end'],
    t_equals: ['start = start', 'end = end'],
    t_intersects: ['end >= start', 'start <= end'],
    t_meets: ['end = start', 'intervals'],
    t_metBy: ['start = end', 'intervals'],
    t_overlaps: ['start < start', 'end > start', 'end < end', 'intervals'],
    t_overlappedBy: ['start > start', 'start < end', 'end > end', 'intervals'],
    t_starts: ['start = start', 'end < end', 'intervals'],
    t_startedBy: ['start = start', 'end > end', 'intervals'],
    t_during: ['start > start', 'end < end', 'intervals'],
    t_contains: ['start < start', 'end > end', 'intervals'],
    t_finishes: ['start > start', 'end = end', 'intervals'],
    t_finishedBy: ['start < start', 'end = end', 'intervals'],
  }).map(([fn, conditions]) => [
    fn,
    {
      ends: conditions.filter((c) => c !== 'intervals').map((c) => c.split(' ') as EndCondition),
      ...(conditions.includes('intervals') ? { intervals: true as const } : {}),
    },
  ]),
);

const FLIP_CMP: Record<Cmp, Cmp> = { '<': '>', '<=': '>=', '=': '=', '>=': '<=', '>': '<' };

/** Whether `cmp` holds for two ends that compare as `order` (-1 before, 0 coincident, 1 after). */
const holds = (cmp: Cmp, order: -1 | 0 | 1): boolean =>
  cmp === '<' ? order < 0 : cmp === '<=' ? order <= 0 : cmp === '=' ? order === 0 : cmp === '>=' ? order >= 0 : order > 0;

/** The instants an end of a literal covers (a date: its whole day; a timestamp: itself), or -1 / 1: open ('..'). */
type LiteralEnd = { start: string; end: string } | -1 | 1;

/** A temporal literal: a DATE or TIMESTAMP (an instant, both its ends the same) or an INTERVAL. */
function temporalLiteral(e: Cql2Expr, name: string): { instant: boolean; start: LiteralEnd; end: LiteralEnd } {
  if (isObj(e) && 'interval' in e) {
    const p = periodOf(e, name);
    return { instant: false, start: p.start ? instantOf(e.interval[0], name) : -1, end: p.end ? instantOf(e.interval[1], name) : 1 };
  }
  const d = instantOf(e, name);
  return { instant: true, start: d, end: d };
}

/**
 * The index fields of a temporal queryable's ends: `time`, the record's time extent, from `time_start` (absent: open
 * at its start) to `time_end` (absent: open at its end), the interval its `time` shows (several periods: the one
 * enclosing them); `created` and `updated`, instants (one field, both ends).
 */
function endField(q: Queryable, end: End): { field: string; open?: -1 | 1 } {
  if (q.kind === 'time') return end === 'start' ? { field: 'time_start', open: -1 } : { field: 'time_end', open: 1 };
  return { field: q.fields[0] };
}

/**
 * The records whose end `end` compares with a literal's end as `cmp` says, among those holding the queryable: the
 * record's end is the instant the index holds (a date of the record, its first or last millisecond), the literal's
 * the instants it covers, so that a record's end falls before, within or after them (`=`: within), as comparisons
 * with dates do (`updated = DATE('2020-01-01')` is any time that day). Open ends are infinite: two open starts
 * (ends) coincide.
 */
function endQuery(q: Queryable, end: End, cmp: Cmp, lit: LiteralEnd): Query {
  const { field, open } = endField(q, end);
  const parts: Query[] = [];
  // the record's end is open: it compares with the literal's as -infinity or +infinity does
  if (open !== undefined && holds(cmp, typeof lit === 'number' ? (Math.sign(open - lit) as -1 | 0 | 1) : open))
    parts.push(not({ exists: { field } }));
  if (typeof lit === 'number') {
    // a bounded end of the record is after an open start and before an open end
    if (holds(cmp, lit === -1 ? 1 : -1)) parts.push({ exists: { field } });
  } else {
    const range = {
      '<': { lt: lit.start },
      '<=': { lte: lit.end },
      '=': { gte: lit.start, lte: lit.end },
      '>=': { gte: lit.start },
      '>': { gt: lit.end },
    }[cmp];
    parts.push({ range: { [field]: range } });
  }
  return parts.length ? or(parts) : MATCH_NONE;
}

/**
 * A temporal function of a temporal queryable (`time`, `created`, `updated`) and a literal, either way round, as a
 * positive query (the records for which it is true; those without the queryable are unknown, and left out).
 */
function temporal(fn: string, args: Cql2Expr[], shownAs = fn): Query {
  const def = TEMPORAL[fn];
  const upper = shownAs.toUpperCase();
  if (!def) return fail(`${upper} is not supported`);
  // the literal first, the property second: each condition read from the property's side
  const swap = !propertyOf(args[0]) && !!propertyOf(args[1]);
  const [a, b] = swap ? [args[1], args[0]] : args;
  const p = propertyOf(a);
  if (!p || (p.q.kind !== 'time' && p.q.kind !== 'date'))
    return fail(`${upper} applies to time, created or updated, compared with a DATE, a TIMESTAMP or an INTERVAL (got ${shown(a)})`);
  if (propertyOf(b)) fail(`comparing two properties is not supported (${upper} of ${p.name})`);
  const lit = temporalLiteral(b, p.name);
  if (def.intervals && (p.q.kind === 'date' || lit.instant))
    fail(
      `${upper} applies to intervals (time and INTERVAL(...)), not to ${p.q.kind === 'date' ? `${p.name}, an instant` : `the instant ${shown(b)}`}: T_AFTER, T_BEFORE, T_DISJOINT, T_EQUALS and T_INTERSECTS compare instants`,
    );
  const conditions = def.ends.map(([x, cmp, y]) => (swap ? endQuery(p.q, y, FLIP_CMP[cmp], lit[x]) : endQuery(p.q, x, cmp, lit[y])));
  // (an instant's two ends are one field: T_EQUALS of it asks the same twice)
  const distinct = [...new Map(conditions.map((c) => [JSON.stringify(c), c])).values()];
  return and([present(p.q), ...distinct]);
}

/** The distinct strings of an array literal (`('a', 'b')`), as `name` holds them. */
function arrayOf(e: Cql2Expr, name: string, q: Queryable): string[] {
  if (!Array.isArray(e)) return fail(`the array functions compare ${name} with an array such as ('a', 'b') (got ${shown(e)})`);
  const values = e.map((v) => {
    if (typeof v !== 'string') fail(`${name} holds strings: compare it with an array of strings (got ${shown(v)})`);
    return q.value ? q.value(v as string) : (v as string);
  });
  return [...new Set(values)];
}

const CONVERSE_ARRAY: Record<string, string> = {
  a_equals: 'a_equals',
  a_overlaps: 'a_overlaps',
  a_contains: 'a_containedBy',
  a_containedBy: 'a_contains',
};

/**
 * An array function (A_EQUALS, A_CONTAINS, A_CONTAINEDBY, A_OVERLAPS: sets, as cql2-rs reads them) of a queryable and
 * an array literal, either way round, as a positive query; of two literals, true or false.
 */
function arrays(op: string, args: Cql2Expr[]): Query {
  if (args.length !== 2) fail(`${op.toUpperCase()} takes two arrays`);
  let [left, right] = args;
  let o = op;
  if (!propertyOf(left) && propertyOf(right)) [left, right, o] = [right, left, CONVERSE_ARRAY[op]];
  const p = propertyOf(left);
  if (!p) {
    // two literals: the answer does not depend on the record
    if (!Array.isArray(left) || !Array.isArray(right))
      return fail(`${op.toUpperCase()} compares a queryable with an array, or two arrays (got ${shown(left)})`);
    const [a, b] = [new Set(left.map((v) => JSON.stringify(v))), new Set(right.map((v) => JSON.stringify(v)))];
    const within = (x: Set<string>, y: Set<string>) => [...x].every((v) => y.has(v));
    const holds = { a_equals: within(a, b) && within(b, a), a_contains: within(b, a), a_containedBy: within(a, b) }[o as 'a_equals'];
    return (o === 'a_overlaps' ? [...a].some((v) => b.has(v)) : holds) ? MATCH_ALL : MATCH_NONE;
  }
  const { name, q } = p;
  if (propertyOf(right)) fail(`comparing two properties is not supported (${op.toUpperCase()} of ${name})`);
  if (q.kind !== 'string') fail(`the array functions apply to the string queryables, not to ${name}`);
  if (p.casei || p.accenti) fail(`CASEI and ACCENTI are not supported in the array functions`);
  const values = arrayOf(right, name, q);
  const has = (v: string) => onFields(q, (f) => ({ term: { [f]: v } }));
  const anyOf = () => (values.length ? or(values.map(has)) : MATCH_NONE);
  const allOf = () => and([present(q), ...values.map(has)]);
  // the record's values are all in the list: as many of them match as it holds (value_counts), or its one value does
  const onlyOf = (): Query => {
    if (!q.count)
      return fail(
        `${o === 'a_equals' ? 'A_EQUALS' : 'A_CONTAINEDBY'} of ${name} is not supported: the index cannot tell whether a record holds other values (the array functions of ${name} are A_CONTAINS and A_OVERLAPS)`,
      );
    const f = q.fields[0];
    if (q.count === 'one') return values.length ? { terms: { [f]: values } } : MATCH_NONE;
    return values.length ? { terms_set: { [f]: { terms: values, minimum_should_match_field: q.count } } } : MATCH_NONE;
  };
  switch (o) {
    case 'a_overlaps':
      return anyOf();
    case 'a_contains':
      return allOf();
    case 'a_containedBy':
      return onlyOf();
    case 'a_equals':
      return and([onlyOf(), allOf()]);
  }
  return fail(`${op.toUpperCase()} is not supported`);
}

const SUPPORTED = `AND, OR, NOT, = <> < > <= >=, LIKE, IN, IS NULL, CASEI, ACCENTI, S_INTERSECTS, S_DISJOINT, T_DISJOINT, ${Object.keys(
  TEMPORAL,
)
  .map((f) => f.toUpperCase())
  .join(', ')}, A_EQUALS, A_CONTAINS, A_CONTAINEDBY, A_OVERLAPS`;

/**
 * The query selecting the records for which `e` is true, or (negated) false: unknown (a property the record lacks)
 * is neither.
 */
function translate(e: Cql2Expr, negated: boolean, depth: number): Query {
  if (depth > 64) fail('the filter is nested too deep');
  if (typeof e === 'boolean') return e !== negated ? MATCH_ALL : MATCH_NONE;
  if (!isOp(e)) return fail(`${shown(e)} is not a predicate`);
  const { op, args } = e;
  switch (op) {
    case 'and':
    case 'or': {
      const parts = args.map((x) => translate(x, negated, depth + 1));
      return (op === 'and') !== negated ? and(parts) : or(parts);
    }
    case 'not':
      if (args.length !== 1) fail('NOT takes one predicate');
      return translate(args[0], !negated, depth + 1);
    case 'isNull': {
      const p = propertyOf(args[0]);
      if (!p) return fail(`IS NULL applies to a queryable (got ${shown(args[0])})`);
      return negated ? present(p.q) : not(present(p.q));
    }
    case '=':
    case '<>':
    case '<':
    case '>':
    case '<=':
    case '>=':
    case 'like':
    case 'between':
    case 'in':
    case 't_after':
    case 't_before':
    case 't_contains':
    case 't_disjoint':
    case 't_during':
    case 't_equals':
    case 't_finishedBy':
    case 't_finishes':
    case 't_intersects':
    case 't_meets':
    case 't_metBy':
    case 't_overlappedBy':
    case 't_overlaps':
    case 't_startedBy':
    case 't_starts': {
      // T_DISJOINT is before or after: the negation of T_INTERSECTS, among the records holding the property
      const disjoint = op === 't_disjoint';
      const q = disjoint ? temporal('t_intersects', args, op) : op.startsWith('t_') ? temporal(op, args) : comparison(op, args);
      if (negated === disjoint) return q;
      // false, not unknown: the property is there and the predicate does not hold
      const p = propertyOf(args[0]) ?? propertyOf(args[1]);
      return and([present(p!.q), not(q)]);
    }
    case 's_intersects':
    case 's_disjoint': {
      const { query, disjoint } = spatial(op, args);
      // a record without a box is unknown to both
      return disjoint !== negated ? and([present(CQL2_QUERYABLES.geometry), not(query)]) : query;
    }
    case 'a_equals':
    case 'a_contains':
    case 'a_containedBy':
    case 'a_overlaps': {
      const q = arrays(op, args);
      if (!negated) return q;
      const p = propertyOf(args[0]) ?? propertyOf(args[1]);
      // two literals: the negation of true or false; otherwise false, not unknown (the property is there)
      return p ? and([present(p.q), not(q)]) : q === MATCH_ALL ? MATCH_NONE : MATCH_ALL;
    }
    default:
      return fail(`${op.toUpperCase()} is not supported here; the filter may use ${SUPPORTED}`);
  }
}

/** The index query selecting the records a CQL2 filter is true for (a UsageError naming `filter` otherwise). */
export function cql2Query(e: Cql2Expr): Query {
  return translate(e, false, 0);
}

/** The languages a filter may be given in: CQL2's two, and `cql-text`, the drafts' name of the text (GDAL sends it). */
export const FILTER_LANGS = [...CQL2_LANGS, 'cql-text'] as const;

/**
 * The index queries (`SearchParams.where`) of a filter as a request gives it (`filter`, `filter-lang`: cql2-text by
 * default): none without a filter; a UsageError naming `filter` or `filter-lang` (also given without a filter).
 */
export function cql2Where(filter: string | undefined, lang: string | undefined): Query[] | undefined {
  if (filter !== undefined) return [cql2Filter(filter, lang)];
  if (lang !== undefined) throw new UsageError('filter-lang is given without a filter', 'filter-lang');
  return undefined;
}

/** The index query of a filter in a language (see cql2Where). */
export function cql2Filter(filter: string, lang = 'cql2-text'): Query {
  const l = lang === 'cql-text' ? 'cql2-text' : lang;
  if (!(CQL2_LANGS as readonly string[]).includes(l))
    throw new UsageError(`filter-lang must be ${CQL2_LANGS.join(' or ')} (got "${lang}")`, 'filter-lang');
  return cql2Query(parseCql2(filter, l as Cql2Lang));
}
