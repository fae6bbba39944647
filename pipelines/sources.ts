/**
 * The configured sources: what each is, validated up front with precise messages, and the harvester that reads it.
 * A sources file is JSON: `{ "sources": [ { "id": "geobretagne", "type": "csw", "url": "https://...", ... } ] }`.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { harvestCsw } from '../harvesters/csw/index.js';
import { harvestStacApi } from '../harvesters/stac/api.js';
import { harvestStaticCatalog } from '../harvesters/stac/static.js';
import { harvestOzcar } from '../harvesters/ozcar/index.js';
import type { Harvester } from '../harvesters/types.js';
import cron from 'node-cron';

export type SourceType = 'csw' | 'stac' | 'stac-api' | 'ozcar';
const TYPES: SourceType[] = ['csw', 'stac', 'stac-api', 'ozcar'];

export interface SourceConfig {
  /** Short stable name: the prefix of every record id (`id:identifier`). Lower-case letters, digits, - and _. */
  id: string;
  type: SourceType;
  /** Endpoint (CSW, STAC API), root document (static STAC, OZCAR file): http(s) URL or local path. */
  url: string;
  /** Human name for summaries. Default: the id. */
  name?: string;
  /** cron expression for `harvester schedule`. Default: none (harvested on demand only). */
  schedule?: string;
  /** false: skipped by `harvest` without --source. Default: true. */
  enabled?: boolean;
  /** Protocol options passed to the harvester (pageSize, constraint, maxRecords, limit, items...). */
  options?: Record<string, unknown>;
}

const ID_RE = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** Validates one source definition; throws an Error listing every problem. */
export function validateSource(value: unknown, where = 'source'): SourceConfig {
  const problems: string[] = [];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${where}: must be an object`);
  const s = value as Record<string, unknown>;
  if (typeof s.id !== 'string' || !ID_RE.test(s.id))
    problems.push(`id must be 1-64 lower-case letters, digits, "-" or "_" (got ${JSON.stringify(s.id)})`);
  if (!TYPES.includes(s.type as SourceType)) problems.push(`type must be one of ${TYPES.join(', ')} (got ${JSON.stringify(s.type)})`);
  if (typeof s.url !== 'string' || s.url.trim() === '') problems.push('url must be a non-empty string');
  else if (/^[a-z]+:/i.test(s.url) && !/^https?:\/\//i.test(s.url) && !/^file:/i.test(s.url))
    problems.push(`url must be http(s), file: or a local path (got ${s.url})`);
  if (s.type === 'csw' && typeof s.url === 'string' && !/^https?:\/\//i.test(s.url)) problems.push('a csw source needs an http(s) url');
  if (s.type === 'stac-api' && typeof s.url === 'string' && !/^https?:\/\//i.test(s.url)) problems.push('a stac-api source needs an http(s) url');
  if (s.name !== undefined && typeof s.name !== 'string') problems.push('name must be a string');
  if (s.schedule !== undefined && (typeof s.schedule !== 'string' || !cron.validate(s.schedule)))
    problems.push(`schedule must be a cron expression such as "0 2 * * *" (got ${JSON.stringify(s.schedule)})`);
  if (s.enabled !== undefined && typeof s.enabled !== 'boolean') problems.push('enabled must be true or false');
  if (s.options !== undefined && (typeof s.options !== 'object' || s.options === null || Array.isArray(s.options)))
    problems.push('options must be an object');
  const known = new Set(['id', 'type', 'url', 'name', 'schedule', 'enabled', 'options']);
  for (const k of Object.keys(s)) if (!known.has(k)) problems.push(`unknown field "${k}" (protocol settings go under "options")`);
  if (problems.length) throw new Error(`${where}${typeof s.id === 'string' ? ` "${s.id}"` : ''}: ${problems.join('; ')}`);
  return s as unknown as SourceConfig;
}

/** Reads and validates a sources file; relative paths in it are resolved against the file's folder. */
export function loadSources(file: string): SourceConfig[] {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read sources file ${file}: ${(err as Error).message}`);
  }
  const list = (json as { sources?: unknown }).sources;
  if (!Array.isArray(list)) throw new Error(`${file}: expected { "sources": [ ... ] }`);
  const sources = list.map((s, i) => validateSource(s, `${file}: sources[${i}]`));
  const seen = new Set<string>();
  for (const s of sources) {
    if (seen.has(s.id)) throw new Error(`${file}: source id "${s.id}" is used twice`);
    seen.add(s.id);
    if (!/^[a-z]+:\/\//i.test(s.url) && !isAbsolute(s.url)) s.url = resolve(dirname(file), s.url);
  }
  return sources;
}

/**
 * Builds a source definition from a bare URL given on the command line. The id, unless given, is short: the file's
 * name without its extension for a local path or file: URL ("CRYO_en.json" -> "cryo-en"), else the URL's host, with
 * its port when it has one ("geobretagne.fr", "127.0.0.1:8765" -> "127-0-0-1-8765").
 */
export function sourceFromUrl(url: string, type: SourceType, id?: string): SourceConfig {
  let name: string;
  if (/^https?:\/\//i.test(url)) {
    const u = URL.canParse(url) ? new URL(url) : undefined;
    name = u ? u.host.replace(/^www\./, '') : url.replace(/^[a-z]+:\/\//i, '');
  } else name = (url.split(/[\\/]/).filter(Boolean).pop() ?? '').replace(/\.[^.]*$/, '');
  const derived = id ?? (name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 64) || 'source');
  return validateSource({ id: derived, type, url }, 'source given on the command line');
}

/** The harvester for a source. Each harvester validates its own options and throws with a precise message. */
export function harvesterFor(source: SourceConfig): Harvester {
  const o = source.options ?? {};
  switch (source.type) {
    case 'csw':
      return harvestCsw({ ...o, source: source.id, url: source.url } as Parameters<typeof harvestCsw>[0]);
    case 'stac':
      return harvestStaticCatalog({ ...o, source: source.id, url: source.url } as Parameters<typeof harvestStaticCatalog>[0]);
    case 'stac-api':
      return harvestStacApi({ ...o, source: source.id, url: source.url } as Parameters<typeof harvestStacApi>[0]);
    case 'ozcar':
      return harvestOzcar({ ...o, source: source.id, url: source.url } as Parameters<typeof harvestOzcar>[0]);
  }
}
