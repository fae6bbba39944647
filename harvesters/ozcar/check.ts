/**
 * Stage 2 of the OZCAR harvester: the envelope of a parsed pivot file, then each dataset on its own.
 *
 * - The envelope (root keys, `version`, `producer`) is shared by every dataset: a problem there is a SourceError.
 * - A dataset whose own metadata is at fault is one Failure; the other datasets go on.
 * - An observation at fault is DROPPED from its dataset, which is still harvested: the dataset's metadata is sound and
 *   dropping one time series loses less than losing the dataset. The drop is never silent: it is a warning carried
 *   in the record's context (`warnings`, `droppedObservations`, which the crosswalk returns as mapping warnings) and a
 *   notice of the harvest. A dataset left without any observation is a Failure.
 * - Problems the tolerant verdict forgives (schemas/ozcar.ts PIVOT_TOLERANCES) become warnings too.
 * All paths are JSON Pointers into the file, e.g. /datasets/2/observations/4/dataType.
 */
import { SourceError } from '../../core/result.js';
import { isObject } from '../../core/json.js';
import { coded, codedPhrase, phrase, phraseText, warningFromLine, type Phrase, type SourceWarning } from '../../core/warnings.js';
import { formatIssues, OZCAR_PIVOT_VERSIONS, validatePivotDataset, validatePivotEnvelope, type PivotIssue } from '../../schemas/ozcar.js';

type Json = Record<string, unknown>;

/**
 * Issues grouped by path shape (indexes replaced by *) and message, one line per group, e.g.
 * `/datasets/0/observations/0/procedure/dataProduction/sensors/0/calibration: must not be empty (and 9 more like it)`.
 */
export function groupIssues(issues: readonly PivotIssue[], prefix = ''): string[] {
  return issueGroups(issues).map(({ first, count }) => groupLine(first, count, prefix));
}

function issueGroups(issues: readonly PivotIssue[]): { first: PivotIssue; count: number }[] {
  const groups = new Map<string, { first: PivotIssue; count: number }>();
  for (const i of issues) {
    const key = i.path.replace(/\/\d+(?=\/|$)/g, '/*') + '\u0000' + i.message.replace(/\d+/g, '#');
    const g = groups.get(key);
    if (g) g.count++;
    else groups.set(key, { first: i, count: 1 });
  }
  return [...groups.values()];
}

const groupLine = (first: PivotIssue, count: number, prefix: string) =>
  `${prefix}${first.path}: ${first.message}${count > 1 ? ` (and ${count - 1} more like it)` : ''}`;

/**
 * A line's warning with a code when the issue has a phrase: the same `at` and message as the line read back
 * (warningFromLine), so the English is what the line said; without a phrase, or should they differ, the line's.
 */
function codedLike(line: string, made: SourceWarning | undefined): SourceWarning {
  const plain = warningFromLine(line);
  return made && made.at === plain.at && made.message === plain.message ? made : plain;
}

/** Like groupIssues, as warnings: each group at its first path, with the issue's code (and how many more). */
export function groupWarnings(issues: readonly PivotIssue[], prefix = ''): SourceWarning[] {
  return issueGroups(issues).map(({ first, count }) => {
    const at = prefix + first.path;
    const why = first.why;
    const made = why && (count > 1 ? coded(at, 'ozcar.pivot.more', { issue: why, more: count - 1 }) : codedPhrase(at, why));
    return codedLike(groupLine(first, count, prefix), made);
  });
}

export interface Envelope {
  version: string;
  producer: Json;
  datasets: unknown[];
  /** Forgiven problems of the envelope (producer), one line per kind. */
  warnings: string[];
}

/** Checks the root, the version and the producer. Throws SourceError('parse') naming the file and the JSON paths. */
export function checkEnvelope(doc: unknown, where: string): Envelope {
  if (!isObject(doc)) {
    const kind = Array.isArray(doc) ? 'an array' : doc === null ? 'null' : typeof doc;
    throw new SourceError(
      'parse',
      `${where}: not an OZCAR pivot file: the root is ${kind}, not an object { "version", "producer", "datasets" }`,
      { url: where },
    );
  }
  if (doc.version === undefined) {
    const near = Object.keys(doc).filter((k) => k !== 'version' && k.toLowerCase().startsWith('version'));
    const hint = near.length ? ` (found ${near.map((k) => `"${k}"`).join(', ')} instead: a misspelt key?)` : '';
    throw new SourceError(
      'parse',
      `${where}: not an OZCAR pivot file: /version is required at the root${hint}; root keys: ${Object.keys(doc).join(', ') || 'none'}`,
      { url: where },
    );
  }
  if (typeof doc.version !== 'string') {
    throw new SourceError('parse', `${where}: /version must be a string such as "1.0" (got ${JSON.stringify(doc.version)})`, {
      url: where,
    });
  }
  if (!OZCAR_PIVOT_VERSIONS.includes(doc.version)) {
    throw new SourceError(
      'parse',
      `${where}: unsupported pivot format version ${JSON.stringify(doc.version)} at /version (this harvester reads ${OZCAR_PIVOT_VERSIONS.join(', ')})`,
      { url: where },
    );
  }
  const verdict = validatePivotEnvelope(doc, { tolerant: true });
  if (!verdict.valid) {
    throw new SourceError('parse', `${where}: invalid pivot file: ${formatIssues(verdict.errors, '', 8)}`, { url: where });
  }
  return {
    version: doc.version,
    producer: doc.producer as Json,
    datasets: doc.datasets as unknown[],
    warnings: groupIssues(verdict.tolerated),
  };
}

/** An observation removed from its dataset, and why. */
export interface DroppedObservation {
  observationId?: string;
  /** JSON Pointer of the observation in the file. */
  path: string;
  errors: string[];
}

export type DatasetCheck =
  | { ok: true; id: string; dataset: Json; warnings: SourceWarning[]; dropped: DroppedObservation[] }
  | { ok: false; id?: string; error: string };

export interface CheckOptions {
  /** Leaf IRIs of the Theia/OZCAR variable categories; when given, any other category puts its observation at fault. */
  theiaCategories?: ReadonlySet<string>;
  /** datasetId → JSON Pointer of the first dataset that used it in this file. */
  seenIds: Map<string, string>;
}

const OBSERVATION_PATH = /^\/observations\/(\d+)(?=\/|$)/;

/** Theia categories outside the known leaves, as issues (paths relative to the dataset). */
function categoryIssues(dataset: Json, leaves: ReadonlySet<string>): PivotIssue[] {
  const issues: PivotIssue[] = [];
  const observations = Array.isArray(dataset.observations) ? dataset.observations : [];
  observations.forEach((o, j) => {
    const cats = isObject(o) && isObject(o.observedProperty) ? o.observedProperty.theiaCategories : undefined;
    if (!Array.isArray(cats)) return;
    cats.forEach((c, k) => {
      if (typeof c === 'string' && !leaves.has(c)) {
        const why = phrase('ozcar.pivot.notLeaf', { category: c });
        issues.push({
          path: `/observations/${j}/observedProperty/theiaCategories/${k}`,
          message: phraseText(why),
          keyword: 'theiaCategory',
          why,
        });
      }
    });
  });
  return issues;
}

/** Checks one dataset (at /datasets/`index`); returns the dataset to yield, without its observations at fault. */
export function checkDataset(value: unknown, index: number, options: CheckOptions): DatasetCheck {
  const at = `/datasets/${index}`;
  if (!isObject(value)) return { ok: false, error: `${at}: a dataset must be an object` };
  const id = typeof value.datasetId === 'string' && value.datasetId.trim() !== '' ? value.datasetId : undefined;
  const label = id ? `dataset ${id}` : 'dataset without datasetId';
  if (id !== undefined) {
    const first = options.seenIds.get(id);
    if (first !== undefined) return { ok: false, id, error: `${at}/datasetId: ${label} is already used by ${first} in the same file` };
    options.seenIds.set(id, at);
  }

  const verdict = validatePivotDataset(value, { tolerant: true });
  const errors = options.theiaCategories ? [...verdict.errors, ...categoryIssues(value, options.theiaCategories)] : verdict.errors;
  const own = errors.filter((e) => !OBSERVATION_PATH.test(e.path));
  if (own.length) {
    const more = errors.length - own.length;
    return {
      ok: false,
      id,
      error: `${label}: invalid: ${formatIssues(own, at, 8)}${more ? ` (and ${more} problem(s) in its observations)` : ''}`,
    };
  }

  const byObservation = new Map<number, PivotIssue[]>();
  for (const e of errors) {
    const j = Number(OBSERVATION_PATH.exec(e.path)![1]);
    byObservation.set(j, [...(byObservation.get(j) ?? []), e]);
  }
  const observations = value.observations as unknown[];
  const dropped: DroppedObservation[] = [...byObservation.entries()].map(([j, issues]) => {
    const o = observations[j];
    const observationId = isObject(o) && typeof o.observationId === 'string' ? o.observationId : undefined;
    return {
      ...(observationId ? { observationId } : {}),
      path: `${at}/observations/${j}`,
      errors: issues.map((i) => `${at}${i.path}: ${i.message}`),
    };
  });
  const describe = (d: DroppedObservation) =>
    `observation ${d.observationId ?? '(no observationId)'} at ${d.path} dropped: ${d.errors.join('; ')}`;
  /** A dropped observation as a warning, its issues each a phrase (ozcar.observation.dropped) when they all have one. */
  const droppedWarning = (d: DroppedObservation, j: number): SourceWarning => {
    const issues = byObservation.get(j)!;
    const whys: Phrase[] = [];
    for (const i of issues) if (i.why) whys.push(phrase('ozcar.pivot.at', { path: `${at}${i.path}`, issue: i.why }));
    // the issues one after the other, "a; b; c": a list of phrases nested first; rest
    const list = whys.slice(0, -1).reduceRight((rest: Phrase, first) => phrase('ozcar.pivot.list', { first, rest }), whys[whys.length - 1]);
    const made =
      whys.length === issues.length
        ? coded(d.path, 'ozcar.observation.dropped', {
            id: d.observationId ?? phrase('ozcar.observation.noId'),
            path: d.path,
            errors: list,
          })
        : undefined;
    return codedLike(describe(d), made);
  };
  if (dropped.length === observations.length) {
    return { ok: false, id, error: `${label}: every observation is invalid: ${dropped.map(describe).join(' | ')}` };
  }
  const dataset = dropped.length ? { ...value, observations: observations.filter((_, j) => !byObservation.has(j)) } : value;
  // Forgiven problems of a dropped observation do not matter any more.
  const tolerated = verdict.tolerated.filter((t) => !byObservation.has(Number(OBSERVATION_PATH.exec(t.path)?.[1] ?? -1)));
  const droppedAt = [...byObservation.keys()];
  return {
    ok: true,
    id: id!,
    dataset,
    warnings: [...groupWarnings(tolerated, at), ...dropped.map((d, k) => droppedWarning(d, droppedAt[k]))],
    dropped,
  };
}
