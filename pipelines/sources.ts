/**
 * The configured sources: what each is, validated up front with precise messages, and the harvester that reads it.
 * A sources file is JSON (`{ "sources": [ { "id": "geobretagne", "type": "csw", "url": "https://...", ... } ] }`) or
 * the same in YAML (the `yaml` package, YAML 1.2): `.yaml`/`.yml` is YAML, `.json` is JSON, and a file whose extension
 * says neither is JSON when it starts with `{` or `[`, else YAML. Messages about a YAML file end with the line of the
 * field at fault (`(line 14)`), so that the operator finds it at once.
 *
 * Loading a file checks EVERY source, its options included (each harvester's own declaration, core/options.ts),
 * before anything runs: a mistake anywhere is one UsageError that carries every problem of every source, each naming
 * the source and the field or option (`sources[2] "geobretagne": options.pagesize: unknown option, did you mean
 * pageSize?`). Deprecated spellings are accepted; the harvester says so in a warning naming the new one.
 */
import { readFileSync } from 'node:fs';
import { dirname, extname, isAbsolute, resolve } from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { checkOptions as checkCswOptions, CSW_OPTIONS, harvestCsw } from '../harvesters/csw/index.js';
import { API_OPTIONS, checkOptions as checkApiOptions, harvestStacApi } from '../harvesters/stac/api.js';
import { checkOptions as checkStaticOptions, harvestStaticCatalog, STATIC_OPTIONS } from '../harvesters/stac/static.js';
import { checkOptions as checkOzcarOptions, harvestOzcar, OZCAR_OPTIONS } from '../harvesters/ozcar/index.js';
import { checkOptions as checkDcatOptions, DCAT_OPTIONS, harvestDcat } from '../harvesters/dcat/index.js';
import { checkOptions as checkRestoOptions, harvestResto, RESTO_OPTIONS } from '../harvesters/resto/index.js';
import { parseDuration } from '../core/duration.js';
import { formatProblem, nearest, type Checked, type EffectiveOption } from '../core/options.js';
import { UsageError } from '../core/result.js';
import type { Harvester } from '../harvesters/types.js';
import type { SourceRanking } from './duplicates.js';
import cron from 'node-cron';

export type SourceType = 'csw' | 'stac' | 'stac-api' | 'ozcar' | 'resto' | 'dcat';
export const SOURCE_TYPES: readonly SourceType[] = ['csw', 'stac', 'stac-api', 'ozcar', 'resto', 'dcat'];
const TYPES = SOURCE_TYPES;

export interface SourceConfig {
  /** Short stable name: the prefix of every record id (`id:identifier`). Lower-case letters, digits, - and _. */
  id: string;
  type: SourceType;
  /** Endpoint (CSW, STAC API), root document (static STAC, OZCAR file), first page (DCAT): http(s) URL or local path. */
  url: string;
  /** Human name for summaries. Default: the id. */
  name?: string;
  /** cron expression for `harvester schedule`. Default: none (harvested on demand only). */
  schedule?: string;
  /** false: skipped by `harvest` without --source. Default: true. */
  enabled?: boolean;
  /** Protocol options passed to the harvester (pageSize, constraint, maxRecords, limit, items, http...), checked on load. */
  options?: Record<string, unknown>;
  /** Largest share of the source's indexed records one run may remove (0 to 1). Default 0.1 (pipelines/remove-stale.ts). */
  maxDeleteRatio?: number;
  /** Most records one run may remove. Default: no count. */
  maxDeleteCount?: number;
  /** Time budget of one run, in minutes: past it the run is interrupted (nothing removed). Default 360. */
  maxRunMinutes?: number;
  /**
   * Incremental runs (pipelines/incremental.ts): later runs ask only for what changed since the last successful one, where
   * the source's protocol allows it (CSW). Default: true; false makes every run a full one.
   */
  incremental?: boolean;
  /** A full run (that reconciles deletions) at least this often, as a duration (`7d`, `12h`). Default `7d`. */
  fullEvery?: string;
  /**
   * How long a record missing from a complete full run stays withdrawn (hidden, reported deleted in OAI-PMH, kept)
   * before it is purged; a record that comes back within it is restored. A duration (`7d`, `36h`, `0`: at once).
   * Default `7d`.
   */
  deletionGrace?: string;
  /**
   * When one dataset comes from several sources, a source of higher priority gives the copy shown (docs/duplicates.md);
   * after the file's top-level `precedence` list, before the origin and declaration-order rules. Default 0.
   */
  priority?: number;
  /**
   * Set by loadSources, not a field of the file: how every source of the file ranks when copies of one dataset compete
   * (its `precedence`, the sources' `priority`, URLs and order).
   */
  ranking?: SourceRanking;
}

/** Defaults of the incremental and deletion fields, as documented on SourceConfig. */
export const RUN_DEFAULTS = { incremental: true, fullEvery: '7d', deletionGrace: '7d' } as const;

const ID_RE = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const FIELDS = [
  'id',
  'type',
  'url',
  'name',
  'schedule',
  'enabled',
  'options',
  'maxDeleteRatio',
  'maxDeleteCount',
  'maxRunMinutes',
  'incremental',
  'fullEvery',
  'deletionGrace',
  'priority',
];

/** The options each type of source takes: each harvester's own declaration (core/options.ts). */
const OPTIONS: Record<SourceType, { check: (raw: unknown) => Checked<unknown>; internal: readonly string[]; names: string[] }> = {
  csw: { check: checkCswOptions, internal: CSW_OPTIONS.internal, names: Object.keys(CSW_OPTIONS.shape) },
  stac: { check: checkStaticOptions, internal: STATIC_OPTIONS.internal, names: Object.keys(STATIC_OPTIONS.shape) },
  'stac-api': { check: checkApiOptions, internal: API_OPTIONS.internal, names: Object.keys(API_OPTIONS.shape) },
  ozcar: { check: checkOzcarOptions, internal: OZCAR_OPTIONS.internal, names: Object.keys(OZCAR_OPTIONS.shape) },
  resto: { check: checkRestoOptions, internal: RESTO_OPTIONS.internal, names: Object.keys(RESTO_OPTIONS.shape) },
  dcat: { check: checkDcatOptions, internal: DCAT_OPTIONS.internal, names: Object.keys(DCAT_OPTIONS.shape) },
};

/** Why a source id is not usable, or undefined when it is. */
export function sourceIdProblem(id: unknown): string | undefined {
  return typeof id === 'string' && ID_RE.test(id)
    ? undefined
    : `must be 1-64 lower-case letters, digits, "-" or "_", starting with a letter or digit (got ${JSON.stringify(id)})`;
}

/** What one source of a sources file is and would do, and what is wrong with it. */
export interface SourceReport {
  /** `sources[2] "geobretagne"` (or the label given). */
  where: string;
  /** The definition, when it has no problem. */
  source?: SourceConfig;
  /** The options as they take effect (given or default), each harvester's own declaration. */
  options: EffectiveOption[];
  /** Deprecated spellings accepted, each naming the new one: `options.timeoutMs: deprecated spelling, write ...`. */
  warnings: string[];
  /** Every problem, each naming the field or option: `options.pagesize: unknown option, did you mean pageSize?`. */
  problems: string[];
  /** Line of the file where the source starts (YAML files). */
  line?: number;
}

/** Checks one source definition without running anything: every problem of its fields and of its options. */
export function checkSource(value: unknown, where = 'source'): SourceReport {
  const report: SourceReport = { where, options: [], warnings: [], problems: [] };
  const problems = report.problems;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push(`must be an object { "id", "type", "url", ... } (got ${JSON.stringify(value)})`);
    return report;
  }
  const s = value as Record<string, unknown>;
  if (typeof s.id === 'string') report.where = `${where} "${s.id}"`;
  const idProblem = sourceIdProblem(s.id);
  if (idProblem) problems.push(`id: ${idProblem}`);
  const type = TYPES.includes(s.type as SourceType) ? (s.type as SourceType) : undefined;
  if (!type) {
    const near = typeof s.type === 'string' ? nearest(s.type, TYPES) : undefined;
    problems.push(`type: must be one of ${TYPES.join(', ')} (got ${JSON.stringify(s.type)})${near ? `, did you mean ${near}?` : ''}`);
  }
  if (typeof s.url !== 'string' || s.url.trim() === '') problems.push(`url: must be a non-empty string (got ${JSON.stringify(s.url)})`);
  else if (/^[a-z]+:/i.test(s.url) && !/^https?:\/\//i.test(s.url) && !/^file:/i.test(s.url))
    problems.push(`url: must be http(s), file: or a local path (got ${s.url})`);
  else if ((type === 'csw' || type === 'stac-api' || type === 'resto') && !/^https?:\/\//i.test(s.url))
    problems.push(`url: a ${type} source needs an http(s) url (got ${s.url})`);
  if (s.name !== undefined && typeof s.name !== 'string') problems.push('name: must be a string');
  if (s.schedule !== undefined && (typeof s.schedule !== 'string' || !cron.validate(s.schedule)))
    problems.push(`schedule: must be a cron expression such as "0 2 * * *" (got ${JSON.stringify(s.schedule)})`);
  if (s.enabled !== undefined && typeof s.enabled !== 'boolean')
    problems.push(`enabled: must be true or false (got ${JSON.stringify(s.enabled)})`);
  if (s.maxDeleteRatio !== undefined && (typeof s.maxDeleteRatio !== 'number' || !(s.maxDeleteRatio >= 0 && s.maxDeleteRatio <= 1)))
    problems.push(`maxDeleteRatio: must be a number from 0 to 1 (got ${JSON.stringify(s.maxDeleteRatio)})`);
  if (s.maxDeleteCount !== undefined && !(Number.isInteger(s.maxDeleteCount) && (s.maxDeleteCount as number) >= 0))
    problems.push(`maxDeleteCount: must be a whole number >= 0 (got ${JSON.stringify(s.maxDeleteCount)})`);
  if (s.maxRunMinutes !== undefined && !(typeof s.maxRunMinutes === 'number' && s.maxRunMinutes > 0 && s.maxRunMinutes <= 7 * 24 * 60))
    problems.push(`maxRunMinutes: must be a number of minutes above 0, at most a week (got ${JSON.stringify(s.maxRunMinutes)})`);
  if (s.incremental !== undefined && typeof s.incremental !== 'boolean')
    problems.push(`incremental: must be true or false (got ${JSON.stringify(s.incremental)})`);
  for (const k of ['fullEvery', 'deletionGrace'] as const)
    if (s[k] !== undefined && parseDuration(s[k]) === undefined)
      problems.push(`${k}: must be a duration such as "7d", "12h", "30m", "90s" or "0" (got ${JSON.stringify(s[k])})`);
  if (s.priority !== undefined && !(Number.isInteger(s.priority) && Math.abs(s.priority as number) <= 1000))
    problems.push(`priority: must be a whole number from -1000 to 1000, higher wins (got ${JSON.stringify(s.priority)})`);
  for (const k of Object.keys(s)) {
    if (FIELDS.includes(k)) continue;
    const near = nearest(k, FIELDS);
    const isOption = type !== undefined && OPTIONS[type].names.includes(k);
    problems.push(
      `${k}: unknown field${near ? `, did you mean ${near}?` : isOption ? ` (harvester options go under "options": "options": { "${k}": ... })` : ` (known: ${FIELDS.join(', ')}; harvester options go under "options")`}`,
    );
  }
  if (s.options !== undefined && (typeof s.options !== 'object' || s.options === null || Array.isArray(s.options))) {
    problems.push(`options: must be an object (got ${JSON.stringify(s.options)})`);
  } else if (type) {
    const given = (s.options ?? {}) as Record<string, unknown>;
    const spec = OPTIONS[type];
    for (const k of spec.internal)
      if (k in given)
        problems.push(
          `options.${k}: not an option: ${k === 'url' ? 'the source\'s "url"' : k === 'source' ? 'the source\'s "id"' : 'the program'} sets it`,
        );
    const rest = Object.fromEntries(Object.entries(given).filter(([k]) => !spec.internal.includes(k)));
    // the id and url are the source's own fields, checked above: the harvester's checks of them are not repeated
    const checked = spec.check({
      ...rest,
      source: typeof s.id === 'string' ? s.id : 'source',
      url: typeof s.url === 'string' ? s.url : 'http://source.invalid/',
    });
    for (const p of checked.problems) if (!spec.internal.includes(p.path)) problems.push(formatProblem(p, 'options.'));
    report.warnings.push(...checked.warnings.map((w) => formatProblem(w, 'options.')));
    report.options = checked.effective;
  }
  if (problems.length === 0) report.source = s as unknown as SourceConfig;
  return report;
}

/** Validates one source definition; throws a UsageError naming every problem. */
export function validateSource(value: unknown, where = 'source'): SourceConfig {
  const report = checkSource(value, where);
  if (!report.source) throw usageError(report.problems.map((p) => `${report.where}: ${p}`));
  return report.source;
}

/** One UsageError carrying every problem: the message is the problem, or a count then one problem per line. */
function usageError(problems: string[], head?: string): UsageError {
  const message =
    problems.length === 1
      ? `${head ? head + ': ' : ''}${problems[0]}`
      : `${head ? head + ': ' : ''}${problems.length} problems:\n${problems.map((p) => '  ' + p).join('\n')}`;
  return new UsageError(message, undefined, problems);
}

/** What a whole sources file holds, source by source: what `harvester sources check` prints. */
export interface SourcesReport {
  file: string;
  /** How the file was read: by its extension, else by its first character. */
  syntax: SourcesSyntax;
  sources: SourceReport[];
  /** Every problem of the file and of every source, each prefixed by its source (`sources[2] "geobretagne": ...`). */
  problems: string[];
  /** Every deprecated spelling, prefixed likewise. */
  warnings: string[];
  /** The file's top-level `precedence`: source ids whose copy of a dataset is shown first (docs/duplicates.md). */
  precedence: string[];
}

/** The syntax of a sources file. */
export type SourcesSyntax = 'json' | 'yaml';

/** JSON or YAML: `.json` is JSON, `.yaml`/`.yml` YAML; otherwise JSON when the text starts with `{` or `[`, else YAML. */
export function sourcesSyntax(file: string, text: string): SourcesSyntax {
  const ext = extname(file).toLowerCase();
  if (ext === '.json') return 'json';
  if (ext === '.yaml' || ext === '.yml') return 'yaml';
  return /^\uFEFF?\s*[{[]/.test(text) ? 'json' : 'yaml';
}

/** A parsed sources file: the value, and for YAML where each field of each source is (1-based line), if found. */
interface Parsed {
  value: unknown;
  lineOf?: (source: number, path: readonly string[]) => number | undefined;
}

/** The line of `sources[i].path...` in a YAML document: of the deepest key found on the way (else the source's start). */
function yamlLines(doc: Document, counter: LineCounter): Parsed['lineOf'] {
  return (i, path) => {
    const list = doc.get('sources', true);
    if (!isSeq(list)) return undefined;
    let node: unknown = list.items[i];
    let offset = (node as { range?: [number, number, number] } | undefined)?.range?.[0];
    for (const key of path) {
      if (!isMap(node)) break;
      const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === key);
      if (!pair) break;
      offset = (pair.key as { range?: [number, number, number] }).range?.[0] ?? offset;
      node = pair.value;
    }
    return offset === undefined ? undefined : counter.linePos(offset).line;
  };
}

/** Parses the text of a sources file, or says in one sentence why it cannot (with the line and column for YAML). */
function parseSourcesText(text: string, syntax: SourcesSyntax): Parsed | string {
  if (syntax === 'json') {
    try {
      return { value: JSON.parse(text) };
    } catch (err) {
      return `not valid JSON (${(err as Error).message})`;
    }
  }
  const counter = new LineCounter();
  // YAML 1.2 core schema (yes/no stay strings), unique keys, merge keys (<<: *anchor), aliases bounded (100)
  const doc = parseDocument(text, { lineCounter: counter, uniqueKeys: true, prettyErrors: false, merge: true });
  const error = doc.errors[0];
  if (error) {
    const pos = counter.linePos(error.pos[0]);
    const hint = /alias/i.test(error.message) ? '; a value starting with * (a cron schedule) must be quoted: "*/5 * * * *"' : '';
    return `not valid YAML (line ${pos.line}, column ${pos.col}: ${error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}${hint})`;
  }
  return { value: doc.toJS({ maxAliasCount: 100 }) as unknown, lineOf: yamlLines(doc, counter) };
}

/** The field path a problem names (`options.http.retries: must be ...` -> ['options', 'http', 'retries']). */
function problemPath(problem: string): string[] {
  const m = /^([A-Za-z_][\w.-]*): /.exec(problem);
  return m ? m[1].split('.') : [];
}

/** Reads and checks a sources file without running anything; relative paths in it are resolved against its folder. */
export function checkSourcesFile(file: string): SourcesReport {
  const report: SourcesReport = {
    file,
    syntax: extname(file).toLowerCase() === '.json' ? 'json' : 'yaml',
    sources: [],
    problems: [],
    warnings: [],
    precedence: [],
  };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'a folder, not a file'
          : code === 'EACCES'
            ? 'permission denied'
            : (err as Error).message;
    report.problems.push(`cannot read sources file ${file}: ${why}`);
    return report;
  }
  report.syntax = sourcesSyntax(file, text);
  const parsed = parseSourcesText(text, report.syntax);
  if (typeof parsed === 'string') {
    report.problems.push(`cannot read sources file ${file}: ${parsed}`);
    return report;
  }
  const list = (parsed.value as { sources?: unknown } | null)?.sources;
  if (!Array.isArray(list)) {
    report.problems.push(`${file}: expected ${report.syntax === 'yaml' ? 'a "sources:" list' : '{ "sources": [ ... ] }'}`);
    return report;
  }
  const firstUse = new Map<string, string>();
  const top = parsed.value as Record<string, unknown>;
  const precedenceProblem = (p: string) => report.problems.push(`${file}: precedence: ${p}`);
  if (top.precedence !== undefined) {
    if (!Array.isArray(top.precedence) || top.precedence.some((x) => typeof x !== 'string'))
      precedenceProblem(
        `must be a list of source ids, the first one's copy of a dataset shown first (got ${JSON.stringify(top.precedence)})`,
      );
    else report.precedence = top.precedence as string[];
  }
  list.forEach((value, i) => {
    const r = checkSource(value, `sources[${i}]`);
    const id = (value as { id?: unknown } | null)?.id;
    if (typeof id === 'string' && !sourceIdProblem(id)) {
      const before = firstUse.get(id);
      if (before) {
        r.problems.push(`id: "${id}" is used twice (also by ${before})`);
        delete r.source;
      } else firstUse.set(id, `sources[${i}]`);
    }
    if (r.source && !/^[a-z]+:\/\//i.test(r.source.url) && !isAbsolute(r.source.url)) r.source.url = resolve(dirname(file), r.source.url);
    const lineOf = parsed.lineOf;
    if (lineOf) {
      // YAML: each problem and warning ends with the line of the field it names
      r.line = lineOf(i, []);
      const at = (p: string) => {
        const line = lineOf(i, problemPath(p));
        return line === undefined ? p : `${p} (line ${line})`;
      };
      r.problems = r.problems.map(at);
      r.warnings = r.warnings.map(at);
    }
    report.sources.push(r);
    report.problems.push(...r.problems.map((p) => `${r.where}: ${p}`));
    report.warnings.push(...r.warnings.map((w) => `${r.where}: ${w}`));
  });
  const seenInPrecedence = new Set<string>();
  for (const id of report.precedence) {
    if (seenInPrecedence.has(id)) precedenceProblem(`"${id}" is listed twice`);
    else if (!firstUse.has(id)) {
      const near = nearest(id, [...firstUse.keys()]);
      precedenceProblem(`"${id}" is not a source of the file${near ? `, did you mean ${near}?` : ''}`);
    }
    seenInPrecedence.add(id);
  }
  return report;
}

/** How the sources of a file rank when copies of one dataset compete (pipelines/duplicates.ts). */
export function sourceRanking(sources: SourceConfig[], precedence: readonly string[] = []): SourceRanking {
  return {
    precedence: [...precedence],
    priority: Object.fromEntries(sources.filter((s) => s.priority !== undefined).map((s) => [s.id, s.priority!])),
    declared: sources.map((s) => s.id),
    urls: Object.fromEntries(sources.map((s) => [s.id, s.url])),
  };
}

/**
 * Reads and validates a sources file, the options of every source included; relative paths in it are resolved
 * against the file's folder. Throws one UsageError carrying every problem of every source.
 */
export function loadSources(file: string): SourceConfig[] {
  const report = checkSourcesFile(file);
  if (report.problems.length) throw usageError(report.problems, report.sources.length ? file : undefined);
  const sources = report.sources.map((r) => r.source!);
  const ranking = sourceRanking(sources, report.precedence);
  return sources.map((s) => ({ ...s, ranking }));
}

/** The next time a cron expression fires after now (undefined when it is not one). */
export function nextRun(schedule: string, timezone?: string): Date | undefined {
  if (!cron.validate(schedule)) return undefined;
  const task = cron.createTask(schedule, () => {}, timezone ? { timezone } : {});
  try {
    return task.getNextRuns(1)[0];
  } finally {
    void task.destroy();
  }
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
  const derived =
    id ??
    (name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 64) ||
      'source');
  return validateSource({ id: derived, type, url }, 'source given on the command line');
}

/**
 * The harvester for a source; `signal` cancels it (its requests under way too). Each harvester validates its own
 * options and throws with a precise message.
 */
export function harvesterFor(source: SourceConfig, run: { signal?: AbortSignal } = {}): Harvester {
  const o = { ...(source.options ?? {}), source: source.id, url: source.url, ...(run.signal ? { signal: run.signal } : {}) };
  switch (source.type) {
    case 'csw':
      return harvestCsw(o);
    case 'stac':
      return harvestStaticCatalog(o);
    case 'stac-api':
      return harvestStacApi(o);
    case 'ozcar':
      return harvestOzcar(o);
    case 'resto':
      return harvestResto(o);
    case 'dcat':
      return harvestDcat(o);
  }
}
