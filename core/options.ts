/**
 * Declared options, checked in one pass: what every harvester (and the sources file) uses to check the options a user
 * wrote by hand in JSON.
 *
 * An option is declared once, with its type, its range or values, its default and its meaning, next to the code that
 * uses it:
 *
 *   const CSW = defineOptions('CSW harvester', {
 *     pageSize: integer({ min: 1, max: 10_000, default: 100 }), // records asked for per page
 *     http: HTTP_OPTIONS,
 *     source: text({ internal: true }),
 *   }, { renamed: { timeoutMs: 'http.timeoutMs' } });
 *
 * `check(raw)` is pure and never throws: it collects EVERY problem, each naming the option's path (`http.retries`,
 * `constraint.cql`) and, for an unknown name or value, the nearest known one by edit distance ("did you mean
 * pageSize?"). Internal options (set by the program: the source id, the URL, an AbortSignal) are accepted from code but
 * never suggested nor listed to a user. A renamed option (an old spelling) is still accepted, moved to its new place,
 * with a warning that names the new spelling. `parse(raw)` throws one UsageError listing every problem.
 */
import { UsageError } from './result.js';

/** One problem (or warning) of one option: its path from the options root, and what is wrong. */
export interface OptionProblem {
  /** e.g. `pageSize`, `http.retries`, `constraint.cql`. */
  path: string;
  message: string;
  /** For a deprecated spelling: the path that replaces it (from the same root). */
  instead?: string;
}

/** An option as it takes effect: the value given, or the default. */
export interface EffectiveOption {
  path: string;
  value: unknown;
  /** true when the option was not given and its default applies. */
  isDefault: boolean;
}

/** A declared option: how to check a value, what it must be (for messages), its default. */
export interface Spec<T, D extends boolean = boolean> {
  /** What a value must be, as a phrase: "an integer from 1 to 10000". */
  readonly what: string;
  readonly default?: T;
  /** Marks a spec with a default (types only). */
  readonly hasDefault?: D;
  /** Set by the program, not by a user: never suggested nor listed. */
  readonly internal?: boolean;
  /** The checked value, or undefined after pushing the problems found. `path` names the option in messages. */
  check(value: unknown, path: string, problems: OptionProblem[]): T | undefined;
  /** For object specs: the effective leaves (defaults included). */
  effective?(value: unknown, path: string): EffectiveOption[];
}

type AnySpec = Spec<any, boolean>; // eslint-disable-line @typescript-eslint/no-explicit-any
export type Shape = Record<string, AnySpec>;
type ValueOf<S> = S extends Spec<infer T, true> ? T : S extends Spec<infer T, boolean> ? T | undefined : never;
/** The checked options of a shape: an option with a default is always there. */
export type OptionValues<S extends Shape> = { -readonly [K in keyof S]: ValueOf<S[K]> };

interface Common<T> {
  default?: T;
  internal?: boolean;
}
type WithDefault<O, T> = O extends { default: T } ? true : false;

const show = (v: unknown): string =>
  typeof v === 'string' ? JSON.stringify(v) : v === undefined ? 'nothing' : (JSON.stringify(v) ?? typeof v);

function spec<T, D extends boolean>(
  what: string,
  o: Common<T>,
  check: (v: unknown, path: string, problems: OptionProblem[]) => T | undefined,
): Spec<T, D> {
  return {
    what,
    ...(o.default !== undefined ? { default: o.default } : {}),
    ...(o.internal ? { internal: true } : {}),
    check: (v, path, problems) => (v === undefined ? o.default : check(v, path, problems)),
  };
}

/** An integer in [min, max]. */
export function integer<O extends Common<number> & { min?: number; max?: number }>(o: O): Spec<number, WithDefault<O, number>> {
  const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = o;
  const what =
    o.min !== undefined && o.max !== undefined
      ? `an integer from ${min} to ${max}`
      : o.min !== undefined
        ? `an integer >= ${min}`
        : o.max !== undefined
          ? `an integer <= ${max}`
          : 'an integer';
  return spec(what, o, (v, path, problems) => {
    if (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max) return v;
    problems.push({ path, message: `must be ${what} (got ${show(v)})` });
    return undefined;
  });
}

/** A non-empty string (trimmed), optionally matching a pattern described by `what`. */
export function text<O extends Common<string> & { pattern?: RegExp; what?: string }>(o: O = {} as O): Spec<string, WithDefault<O, string>> {
  const what = o.what ?? 'a non-empty string';
  return spec(what, o, (v, path, problems) => {
    if (typeof v === 'string' && v.trim() !== '' && (!o.pattern || o.pattern.test(v))) return v.trim();
    problems.push({ path, message: `must be ${what} (got ${show(v)})` });
    return undefined;
  });
}

/** One of a few values; an unknown value gets the nearest known one. */
export function oneOf<const V extends string, O extends Common<V>>(values: readonly V[], o: O = {} as O): Spec<V, WithDefault<O, V>> {
  const what = `one of ${values.map((x) => JSON.stringify(x)).join(', ')}`;
  return spec(what, o, (v, path, problems) => {
    if (values.includes(v as V)) return v as V;
    const near = typeof v === 'string' ? nearest(v, values) : undefined;
    problems.push({ path, message: `must be ${what} (got ${show(v)})${near ? `, did you mean ${JSON.stringify(near)}?` : ''}` });
    return undefined;
  });
}

/** true or false. */
export function boolean<O extends Common<boolean>>(o: O = {} as O): Spec<boolean, WithDefault<O, boolean>> {
  return spec('true or false', o, (v, path, problems) => {
    if (typeof v === 'boolean') return v;
    problems.push({ path, message: `must be true or false (got ${show(v)})` });
    return undefined;
  });
}

/** A non-empty array of non-empty strings (trimmed), each optionally matching a pattern described by `what`. */
export function stringList(o: Common<string[]> & { pattern?: RegExp; what?: string } = {}): Spec<string[], false> {
  const what = o.what ?? 'a non-empty array of non-empty strings';
  return spec<string[], false>(what, o, (v, path, problems) => {
    if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string' && x.trim() !== '' && (!o.pattern || o.pattern.test(x))))
      return v.map((x: string) => x.trim());
    problems.push({ path, message: `must be ${what} (got ${show(v)})` });
    return undefined;
  });
}

/** An object of string values (e.g. HTTP headers). */
export function stringMap(o: Common<Record<string, string>> = {}): Spec<Record<string, string>, false> {
  const what = 'an object of string values';
  return spec(what, o, (v, path, problems) => {
    if (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string'))
      return { ...(v as Record<string, string>) };
    problems.push({ path, message: `must be ${what} (got ${show(v)})` });
    return undefined;
  });
}

/** An instance of a class (internal options such as an AbortSignal). */
export function instance<T>(cls: abstract new (...args: never[]) => T, o: Common<T> = {}): Spec<T, false> {
  const what = `a ${cls.name}`;
  return spec<T, false>(what, o, (v, path, problems) => {
    if (v instanceof cls) return v;
    problems.push({ path, message: `must be ${what}` });
    return undefined;
  });
}

/**
 * An option checked by a function: it returns the value, or pushes its problems (with sub-paths when it has parts)
 * and returns undefined.
 */
export function custom<T>(
  what: string,
  check: (v: unknown, path: string, problems: OptionProblem[]) => T | undefined,
  o: Common<T> = {},
): Spec<T, false> {
  return spec<T, false>(what, o, check);
}

/** The user-facing names of a shape. */
function userNames(shape: Shape): string[] {
  return Object.keys(shape).filter((k) => !shape[k].internal);
}

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

/** The unknown keys of `value`, each with the nearest known name (internal names are accepted, never suggested). */
function unknownKeys(
  value: Record<string, unknown>,
  shape: Shape,
  path: string,
  problems: OptionProblem[],
  extraKnown: readonly string[] = [],
): void {
  const names = userNames(shape);
  for (const k of Object.keys(value)) {
    if (k in shape || extraKnown.includes(k)) continue;
    const near = nearest(k, names);
    problems.push({
      path: join(path, k),
      message: near ? `unknown option, did you mean ${near}?` : `unknown option (known: ${names.join(', ')})`,
    });
  }
}

function checkShape<S extends Shape>(shape: S, value: Record<string, unknown>, path: string, problems: OptionProblem[]): OptionValues<S> {
  const out: Record<string, unknown> = {};
  for (const [k, s] of Object.entries(shape)) {
    const v = s.check(value[k], join(path, k), problems);
    if (v !== undefined) out[k] = v;
  }
  return out as OptionValues<S>;
}

function effectiveOf(shape: Shape, value: Record<string, unknown>, path: string): EffectiveOption[] {
  const out: EffectiveOption[] = [];
  for (const [k, s] of Object.entries(shape)) {
    if (s.internal) continue;
    const p = join(path, k);
    if (s.effective) out.push(...s.effective(value[k], p));
    else if (value[k] !== undefined) out.push({ path: p, value: value[k], isDefault: false });
    else if (s.default !== undefined) out.push({ path: p, value: s.default, isDefault: true });
  }
  return out;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A nested object of options (e.g. `http`); absent, it is its defaults. */
export function object<S extends Shape>(shape: S, o: { what?: string } = {}): Spec<OptionValues<S>, true> & { shape: S } {
  const what = o.what ?? `an object of options (${userNames(shape).join(', ')})`;
  return {
    what,
    shape,
    default: checkShape(shape, {}, '', []),
    check(v, path, problems) {
      const value = v ?? {};
      if (!isPlainObject(value)) {
        problems.push({ path, message: `must be ${what} (got ${show(v)})` });
        return undefined;
      }
      unknownKeys(value, shape, path, problems);
      return checkShape(shape, value, path, problems);
    },
    effective: (v, path) => effectiveOf(shape, isPlainObject(v) ? v : {}, path),
  };
}

/** What `check` finds. `options` is undefined when there is any problem. */
export interface Checked<T> {
  options: T | undefined;
  problems: OptionProblem[];
  /** Deprecated spellings accepted, each naming its replacement. */
  warnings: OptionProblem[];
  /** The user-facing options as they take effect (given, or default), leaves only, in declaration order. */
  effective: EffectiveOption[];
}

export interface OptionSet<S extends Shape> {
  readonly shape: S;
  /** Names set by the program (source, url, signal...), never by a user. */
  readonly internal: readonly string[];
  /** Old spellings still accepted: old path -> new path. */
  readonly renamed: Readonly<Record<string, string>>;
  check(raw: unknown): Checked<OptionValues<S>>;
  /** The options, or a UsageError naming every problem (prefixed by `where`). */
  parse(raw: unknown, where?: string): { options: OptionValues<S>; warnings: OptionProblem[] };
}

/** `a: one; b: two` with an optional prefix on each path (`options.`). */
export function formatProblem(p: OptionProblem, prefix = ''): string {
  return `${p.path ? `${prefix}${p.path}: ` : ''}${p.message}${p.instead ? `, write ${prefix}${p.instead} instead` : ''}`;
}

function getPath(o: Record<string, unknown>, path: string[]): unknown {
  let v: unknown = o;
  for (const k of path) v = isPlainObject(v) ? v[k] : undefined;
  return v;
}

/** Moves old spellings to their new place (copying only the objects on the way); records a warning for each. */
function applyRenames(
  raw: Record<string, unknown>,
  renamed: Record<string, string>,
  problems: OptionProblem[],
  warnings: OptionProblem[],
): Record<string, unknown> {
  let out = raw;
  for (const [from, to] of Object.entries(renamed)) {
    if (raw[from] === undefined) continue;
    if (out === raw) out = { ...raw };
    const target = to.split('.');
    if (getPath(out, target) !== undefined) {
      problems.push({ path: from, message: `deprecated spelling of ${to}, which is given too: keep ${to} only` });
      delete out[from];
      continue;
    }
    let at = out;
    let blocked = false;
    for (const k of target.slice(0, -1)) {
      const next = at[k];
      if (next !== undefined && !isPlainObject(next)) {
        blocked = true; // reported by the check of that option
        break;
      }
      at[k] = { ...(next ?? {}) };
      at = at[k] as Record<string, unknown>;
    }
    if (blocked) continue;
    at[target[target.length - 1]] = out[from];
    delete out[from];
    warnings.push({ path: from, message: 'deprecated spelling', instead: to });
  }
  return out;
}

/** Declares the options of one component (`where` names it in thrown messages). */
export function defineOptions<S extends Shape>(
  where: string,
  shape: S,
  o: { renamed?: Record<string, string>; refine?: (options: OptionValues<S>, problems: OptionProblem[]) => void } = {},
): OptionSet<S> {
  const renamed = o.renamed ?? {};
  const set: OptionSet<S> = {
    shape,
    internal: Object.keys(shape).filter((k) => shape[k].internal),
    renamed,
    check(raw) {
      const problems: OptionProblem[] = [];
      const warnings: OptionProblem[] = [];
      if (!isPlainObject(raw)) {
        return {
          options: undefined,
          problems: [{ path: '', message: `options must be an object (got ${show(raw)})` }],
          warnings,
          effective: [],
        };
      }
      const value = applyRenames(raw, renamed, problems, warnings);
      unknownKeys(value, shape, '', problems, Object.keys(renamed));
      const options = checkShape(shape, value, '', problems);
      if (problems.length === 0) o.refine?.(options, problems);
      return { options: problems.length ? undefined : options, problems, warnings, effective: effectiveOf(shape, value, '') };
    },
    parse(raw, at = where) {
      const { options, problems, warnings } = set.check(raw);
      if (!options) throw new UsageError(`${at}: ${problems.map((p) => formatProblem(p)).join('; ')}`, problems[0]?.path);
      return { options, warnings };
    },
  };
  return set;
}

/**
 * Optimal string alignment distance (Levenshtein plus adjacent transpositions), case-insensitive: how many edits
 * turn `a` into `b`.
 */
export function editDistance(a: string, b: string): number {
  a = a.toLowerCase();
  b = b.toLowerCase();
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2][j - 2] + 1);
      d[i][j] = v;
    }
  }
  return d[a.length][b.length];
}

/** The known name nearest to `name`, when it is near enough to be a typo (about one edit per four letters). */
export function nearest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const d = editDistance(name, k);
    if (d < bestD) [best, bestD] = [k, d];
  }
  return best !== undefined && bestD <= Math.max(1, Math.floor(Math.max(name.length, best.length) / 4)) ? best : undefined;
}
