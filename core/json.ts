/**
 * Small readers of untyped JSON (STAC, OZCAR pivot), canonical JSON and the content hash of a JSON document. Pure.
 *
 * JSON documents come from the network as `unknown`: every reader checks the type and returns `undefined` (or an empty
 * list) rather than throwing, so that a crosswalk can decide what is an error and what is a warning.
 */
import { sha256 } from './hash.js';

export type JsonObject = Record<string, unknown>;

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The object at a key, or undefined. */
export function obj(v: unknown): JsonObject | undefined {
  return isObject(v) ? v : undefined;
}

/** A non-empty trimmed string, or undefined. */
export function str(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  return t === '' ? undefined : t;
}

/** A finite number, or undefined. */
export function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** An array, or an empty one. */
export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** Non-empty trimmed strings of a string or an array of strings (other values ignored). */
export function strings(v: unknown): string[] {
  if (typeof v === 'string') return str(v) === undefined ? [] : [v.trim()];
  return arr(v).flatMap((x) => (str(x) === undefined ? [] : [(x as string).trim()]));
}

/** Keeps the first occurrence of each value (by a key: the value itself unless given; `byJson` for objects). */
export function unique<T>(xs: T[], key: (x: T) => unknown = (x) => x): T[] {
  const seen = new Set<unknown>();
  return xs.filter((x) => {
    const k = key(x);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** The key of `unique` for values compared by content: their JSON text (so key order counts). */
export function byJson(x: unknown): string | undefined {
  return JSON.stringify(x);
}

/**
 * The values a STAC summary holds, whatever its form:
 * - an array of values: the values (`"platform": ["sentinel-2a", "sentinel-2b"]`);
 * - a range `{minimum, maximum}`: both ends (`"gsd": {"minimum": 0.512, "maximum": 0.66}`);
 * - a JSON Schema: `const`, `enum`, and the alternatives of `oneOf` / `anyOf` (STAC 1.0 "summaries as JSON Schema",
 *   e.g. `{"type": "string", "oneOf": [{"const": "sentinel-2b", ...}]}`);
 * - a single value (0.x collection `properties`, item properties): that value.
 */
export function summaryValues(v: unknown): unknown[] {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v;
  if (isObject(v)) {
    if ('minimum' in v || 'maximum' in v) return [v.minimum, v.maximum].filter((x) => x !== undefined && x !== null);
    if ('const' in v) return [v.const];
    if (Array.isArray(v.enum)) return v.enum;
    const alternatives = [...arr(v.oneOf), ...arr(v.anyOf)];
    if (alternatives.length) return alternatives.flatMap(summaryValues);
    return [];
  }
  return [v];
}

/**
 * Canonical JSON text: object keys sorted (by UTF-16 code units), no whitespace, numbers and strings as
 * JSON.stringify writes them: the RFC 8785 (JCS) form for parsed JSON. The same document always gives the same text,
 * whatever its key order or indentation. (The `canonicalize` package does the same but is only a transitive dependency.)
 */
export function canonicalJson(json: unknown): string {
  const text = JSON.stringify(json, sortKeys);
  if (text === undefined) throw new TypeError(`not JSON: ${String(json)}`);
  return text;
}

/** JSON.stringify replacer: every object rewritten with its keys sorted (arrays and scalars as they are). */
function sortKeys(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError(`not JSON: ${value}`);
    return value;
  }
  const o = value as JsonObject;
  const sorted: JsonObject = {};
  for (const k of Object.keys(o).sort()) sorted[k] = o[k];
  return sorted;
}

/** sha256 (hex) of the canonical JSON text of a document: stable across key order and whitespace. */
export function contentHash(json: unknown): string {
  return sha256(canonicalJson(json));
}
