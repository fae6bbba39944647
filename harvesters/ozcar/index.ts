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
 * version, invalid producer); otherwise the loop ends after the last dataset, each one a record or a failure.
 */
import type { FetchOptions } from '../http.js';
import type { HarvestItem, Harvester } from '../types.js';
import { RecordError, toFailure } from '../../core/result.js';
import { checkDataset, checkEnvelope, type DroppedObservation } from './check.js';
import { locate, parsePivotText, readPivotText } from './read.js';

export interface OzcarHarvestOptions {
  /** Source id: the prefix of the record ids (no ':' nor space). */
  source: string;
  /** The pivot file: http(s) URL, file: URL, or local path. */
  url: string;
  /** HTTP options (timeouts, retries, maxBytes: also the size cap of a local file). Default: harvesters/http.ts defaults. */
  fetch?: FetchOptions;
  /**
   * Leaf IRIs of the Theia/OZCAR variable categories (https://w3id.org/ozcar-theia/...). When given, an observation
   * with another category is at fault (the official importer checks the same against the thesaurus). Default: not checked.
   */
  theiaCategories?: readonly string[];
}

/** The record context an OZCAR dataset carries to its crosswalk. */
export interface OzcarRecordContext {
  producer: Record<string, unknown>;
  version: string;
  fileName: string;
  /** Problems forgiven or observations dropped at harvest: the crosswalk repeats them as warnings. */
  warnings?: string[];
  droppedObservations?: DroppedObservation[];
}

const KNOWN_OPTIONS = new Set(['source', 'url', 'fetch', 'theiaCategories']);

/** Validates the options up front; throws an Error listing every problem. */
export function checkOzcarOptions(o: unknown): OzcarHarvestOptions {
  const problems: string[] = [];
  if (typeof o !== 'object' || o === null) throw new Error('OZCAR harvester: options must be an object');
  const r = o as Record<string, unknown>;
  if (typeof r.source !== 'string' || !/^[^:\s]+$/.test(r.source)) problems.push(`source must be a non-empty id without ':' or spaces (got ${JSON.stringify(r.source)})`);
  if (typeof r.url !== 'string' || r.url.trim() === '') problems.push('url must be an http(s) URL, a file: URL or a local path');
  else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(r.url) && !/^(https?|file):/i.test(r.url)) problems.push(`url must be http(s), file: or a local path (got ${r.url})`);
  if (r.fetch !== undefined && (typeof r.fetch !== 'object' || r.fetch === null || Array.isArray(r.fetch))) problems.push('fetch must be an object of HTTP options');
  if (r.theiaCategories !== undefined && (!Array.isArray(r.theiaCategories) || !r.theiaCategories.every((c) => typeof c === 'string' && /^https?:\/\//.test(c)))) {
    problems.push('theiaCategories must be an array of category IRIs');
  }
  for (const k of Object.keys(r)) if (!KNOWN_OPTIONS.has(k)) problems.push(`unknown option "${k}" (known: ${[...KNOWN_OPTIONS].join(', ')})`);
  if (problems.length) throw new Error(`OZCAR harvester: ${problems.join('; ')}`);
  return r as unknown as OzcarHarvestOptions;
}

/** Harvests one pivot file. See the module comment for what is yielded and when it stops. */
export async function* harvestOzcar(options: OzcarHarvestOptions): Harvester {
  const o = checkOzcarOptions(options);
  const loc = locate(o.url);
  const where = loc.path ?? loc.url;
  // Parsed once; the text is only referenced by this expression and is released with it.
  const envelope = checkEnvelope(parsePivotText(await readPivotText(loc, o.fetch), where), where);
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
    yield { kind: 'notice', notice: { level: 'warn', message: `${where}: producer accepted with forgiven problems: ${envelope.warnings.join('; ')}`, data: { url: loc.url } } };
  }

  const seenIds = new Map<string, string>();
  for (let i = 0; i < datasets.length; i++) {
    const value = datasets[i];
    datasets[i] = undefined; // released once handled (the yielded body is the caller's)
    const pointer = `#/datasets/${i}`;
    const location = where + pointer;
    const check = checkDataset(value, i, { seenIds, theiaCategories: leaves });
    if (!check.ok) {
      const failure = toFailure(new RecordError('parse', `${where}: ${check.error}`), { source: o.source, id: check.id, stage: 'parse', location, raw: value });
      yield { kind: 'failure', failure } satisfies HarvestItem;
      continue;
    }
    for (const d of check.dropped) {
      yield { kind: 'notice', notice: { level: 'warn', message: `${where}: dataset ${check.id}: observation ${d.observationId ?? '(no id)'} at ${d.path} dropped: ${d.errors.join('; ')}`, data: { id: check.id, ...d } } };
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
}
