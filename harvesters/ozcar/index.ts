/**
 * OZCAR in-situ harvester: one Theia/OZCAR pivot file (format version 1.0: producer -> datasets -> observations),
 * from an http(s) URL, a file: URL or a local path, yields ONE raw record per dataset.
 *
 * Each record: format 'ozcar-dataset', id = datasetId, body = the dataset JSON (without its observations at fault, see
 * check.ts), location = `<path or URL>#/datasets/<i>`, url = `<file: or http(s) URL>#/datasets/<i>` (the dataset's
 * address: a JSON Pointer fragment into the file), context = { producer (the `producer` object: datasets are its
 * siblings), version, fileName, warnings, droppedObservations }. The crosswalk (mappings/ozcar) receives that context.
 *
 * Memory: the file is read and parsed once; the text is released once parsed, each dataset's slot in the parsed array
 * is released once yielded, so the harvester never holds more than one file's worth (minus what was yielded).
 *
 * Stops: a SourceError for the whole file (unreachable, too large, wrong Content-Type, not JSON, wrong root, unsupported
 * version, invalid producer); otherwise the loop ends after the last dataset, each one a record or a failure, and the
 * harvest is complete (RunEnd).
 */
import type { SourceWarning } from '../../core/warnings.js';
import { deprecationNotices, HTTP_OPTIONS, type HttpOptions } from '../http.js';
import {
  custom,
  defineOptions,
  instance,
  stringList,
  text,
  type Checked,
  type OptionProblem,
  type OptionValues,
} from '../../core/options.js';
import { notModifiedEnd, type HarvestItem, type Harvester } from '../types.js';
import { CONDITIONAL_OPTION, notModifiedMessage, previousOf, type ConditionalOption } from '../conditional.js';
import { RecordError, toFailure } from '../../core/result.js';
import { checkDataset, checkEnvelope, type DroppedObservation } from './check.js';
import { locate, parsePivotText, readPivot } from './read.js';

export interface OzcarHarvestOptions {
  /** Source id: the prefix of the record ids (no ':' nor space). */
  source: string;
  /** The pivot file: http(s) URL, file: URL, or local path. */
  url: string;
  /** HTTP options (timeoutMs, retries, maxBytes: also the size cap of a local file, headers): see HTTP_OPTIONS in harvesters/http.ts. */
  http?: HttpOptions;
  /** @deprecated spelling of `http` (still accepted, with a warning). */
  fetch?: HttpOptions;
  /**
   * Leaf IRIs of the Theia/OZCAR variable categories (https://w3id.org/ozcar-theia/...). When given, an observation
   * with another category is at fault (the official importer checks the same against the thesaurus). Default: not checked.
   */
  theiaCategories?: readonly string[];
  /**
   * An incremental run: the last run's validators of the file (set by the pipeline, harvesters/conditional.ts). The file
   * is asked for conditionally; unchanged, nothing is read and the run ends `notModified`.
   */
  conditional?: ConditionalOption;
  /** Cancels the harvest (the file's download too). */
  signal?: AbortSignal;
}

/** The record context an OZCAR dataset carries to its crosswalk. */
export interface OzcarRecordContext {
  producer: Record<string, unknown>;
  version: string;
  fileName: string;
  /** Problems forgiven or observations dropped at harvest: the crosswalk repeats them as warnings. */
  warnings?: SourceWarning[];
  droppedObservations?: DroppedObservation[];
}

/** The OZCAR harvester's options, each with its check and default (documented on OzcarHarvestOptions). */
export const OZCAR_OPTIONS = defineOptions(
  'OZCAR harvester',
  {
    source: text({ internal: true, pattern: /^[^:\s]+$/, what: "a non-empty id without ':' or spaces" }),
    url: custom(
      'an http(s) URL, a file: URL or a local path',
      (v, path, problems) => {
        if (typeof v !== 'string' || v.trim() === '')
          problems.push({ path, message: 'must be an http(s) URL, a file: URL or a local path' });
        else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(v) && !/^(https?|file):/i.test(v))
          problems.push({ path, message: `must be http(s), file: or a local path (got ${v})` });
        else return v;
        return undefined;
      },
      { internal: true },
    ),
    http: HTTP_OPTIONS,
    theiaCategories: stringList({ pattern: /^https?:\/\//, what: 'an array of category IRIs' }),
    conditional: CONDITIONAL_OPTION,
    signal: instance(AbortSignal, { internal: true }),
  },
  { renamed: { fetch: 'http' } },
);

/** Checks the options without running anything: the options (undefined when any problem), every problem, the warnings. */
export function checkOptions(raw: unknown): Checked<OptionValues<typeof OZCAR_OPTIONS.shape>> {
  return OZCAR_OPTIONS.check(raw);
}

/** Validates the options up front; throws a UsageError listing every problem. */
export function checkOzcarOptions(o: unknown): OzcarHarvestOptions & { http: HttpOptions; warnings: OptionProblem[] } {
  const { options, warnings } = OZCAR_OPTIONS.parse(o);
  return { ...options, source: options.source!, url: options.url!, warnings };
}

/** Harvests one pivot file. See the module comment for what is yielded and when it stops. */
export async function* harvestOzcar(options: OzcarHarvestOptions): Harvester {
  const o = checkOzcarOptions(options);
  yield* deprecationNotices('OZCAR harvester', o.warnings);
  const loc = locate(o.url);
  const where = loc.path ?? loc.url;
  const previous = previousOf(o.conditional, where);
  const read = await readPivot(loc, { ...o.http, ...(o.signal ? { signal: o.signal } : {}) }, previous);
  const validators = [read.validator];
  if (read.text === undefined) {
    const message = notModifiedMessage(where, read.unchanged ?? 'unchanged');
    yield { kind: 'notice', notice: { level: 'info', message, data: { url: loc.url, notModified: true } } };
    return notModifiedEnd(message, validators);
  }
  // Parsed once; the text is only referenced by this expression and is released with it.
  const envelope = checkEnvelope(parsePivotText(read.text, where), where);
  read.text = undefined;
  const { producer, version, datasets } = envelope;
  const leaves = o.theiaCategories ? new Set(o.theiaCategories) : undefined;

  yield {
    kind: 'notice',
    notice: {
      level: 'info',
      message: `${where}: pivot ${version}, producer ${String(producer.producerId)} (${String(producer.name)}), ${datasets.length} dataset(s)`,
      data: { url: loc.url, datasets: datasets.length },
    },
  };
  if (envelope.warnings.length) {
    yield {
      kind: 'notice',
      notice: {
        level: 'warn',
        message: `${where}: producer accepted with forgiven problems: ${envelope.warnings.join('; ')}`,
        data: { url: loc.url },
      },
    };
  }

  const seenIds = new Map<string, string>();
  for (let i = 0; i < datasets.length; i++) {
    const value = datasets[i];
    datasets[i] = undefined; // released once handled (the yielded body is the caller's)
    const pointer = `#/datasets/${i}`;
    const location = where + pointer;
    const check = checkDataset(value, i, { seenIds, theiaCategories: leaves });
    if (!check.ok) {
      const failure = toFailure(new RecordError('parse', `${where}: ${check.error}`), {
        source: o.source,
        id: check.id,
        stage: 'parse',
        location,
        raw: value,
      });
      yield { kind: 'failure', failure } satisfies HarvestItem;
      continue;
    }
    for (const d of check.dropped) {
      yield {
        kind: 'notice',
        notice: {
          level: 'warn',
          message: `${where}: dataset ${check.id}: observation ${d.observationId ?? '(no id)'} at ${d.path} dropped: ${d.errors.join('; ')}`,
          data: { id: check.id, ...d },
        },
      };
    }
    const context: OzcarRecordContext = {
      producer,
      version,
      fileName: loc.fileName,
      ...(check.warnings.length ? { warnings: check.warnings } : {}),
      ...(check.dropped.length ? { droppedObservations: check.dropped } : {}),
    };
    yield {
      kind: 'record',
      raw: {
        source: o.source,
        format: 'ozcar-dataset',
        id: check.id,
        body: check.dataset,
        location,
        url: loc.url + pointer,
        context: context as unknown as Record<string, unknown>,
      },
    };
  }
  // one file read to its end: every dataset is a record or a failure (a failure without datasetId makes the
  // pipeline remove nothing)
  return { complete: true, validators, ...(previous ? { whole: `${where} changed since the last run: read in whole` } : {}) };
}
