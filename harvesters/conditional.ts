/**
 * "Has this document changed since the last run?" for the sources served as whole documents (an OZCAR pivot file, a
 * DCAT file): the harvesters' side of an incremental run of such a source (the plan, pipelines/incremental.ts, decides
 * and hands the last run's validators over in the harvester's `conditional` option).
 *
 * - http(s): the request is a conditional GET (If-None-Match with the last ETag, If-Modified-Since with the last
 *   Last-Modified); 304 Not Modified means unchanged. A server that sends neither header answers in whole: the body's
 *   content hash is compared with the last one.
 * - a local file: the same modification time and size mean unchanged (the file is not read); else its content hash is
 *   compared.
 *
 * Without a last validator (a full run: it must see every record to reconcile deletions) nothing is sent and nothing
 * is unchanged; the validators are still taken from the answer, for the next run. Pure but for the hash.
 */
import type { Stats } from 'node:fs';
import { sha256 } from '../core/hash.js';
import { custom } from '../core/options.js';
import type { FetchOptions, FetchResult } from './http.js';
import type { Validator } from './types.js';

export type { Validator } from './types.js';

/** The harvester option that carries the last run's validators (set by the pipeline, never in a sources file). */
export interface ConditionalOption {
  validators: Validator[];
}

/** The last run's validator of this URL or path, when the run is to ask whether it changed. */
export function previousOf(conditional: ConditionalOption | undefined, url: string): Validator | undefined {
  return conditional?.validators.find((v) => v.url === url);
}

/** The conditional request's headers from the last validator (none without one). */
export function conditionalHeaders(previous: Validator | undefined): FetchOptions['conditional'] | undefined {
  if (!previous || (!previous.etag && !previous.lastModified)) return undefined;
  return { ...(previous.etag ? { etag: previous.etag } : {}), ...(previous.lastModified ? { lastModified: previous.lastModified } : {}) };
}

/** What an answer says: the validator to keep for the next run, and why the document is unchanged when it is. */
export interface Answer {
  validator: Validator;
  /** How the source said it did not change ("HTTP 304 Not Modified", "the same content hash"); absent: it changed. */
  unchanged?: string;
}

/** An http(s) answer (to a conditional GET when `previous` is given). */
export function httpAnswer(url: string, res: FetchResult, previous: Validator | undefined): Answer {
  const headers = { ...(res.etag ? { etag: res.etag } : {}), ...(res.lastModified ? { lastModified: res.lastModified } : {}) };
  if (res.notModified && previous) return { validator: { ...previous, ...headers }, unchanged: 'HTTP 304 Not Modified' };
  const validator: Validator = { url, ...headers, hash: sha256(res.text) };
  if (previous?.hash !== undefined && previous.hash === validator.hash) return { validator, unchanged: 'the same content hash' };
  return { validator };
}

/** A local file by its modification time and size: unchanged (without reading it) when both are the last ones. */
export function fileUnchanged(st: Stats, previous: Validator | undefined): Answer | undefined {
  const mtime = st.mtime.toISOString();
  if (previous?.mtime === mtime && previous.size === st.size)
    return { validator: previous, unchanged: 'the same modification time and size' };
  return undefined;
}

/** A local file read: its validator, unchanged when its content hash is the last one. */
export function fileAnswer(path: string, st: Stats, text: string, previous: Validator | undefined): Answer {
  const validator: Validator = { url: path, mtime: st.mtime.toISOString(), size: st.size, hash: sha256(text) };
  if (previous?.hash !== undefined && previous.hash === validator.hash) return { validator, unchanged: 'the same content hash' };
  return { validator };
}

/** The end message of a run whose document did not change. */
export function notModifiedMessage(where: string, how: string): string {
  return `${where} has not changed since the last run (${how}): nothing to read`;
}

/** The `conditional` option of the harvesters of whole documents: set by the pipeline only (internal). */
export const CONDITIONAL_OPTION = custom(
  "the last run's validators ({ validators: [...] })",
  (v, path, problems) => {
    const validators = (v as { validators?: unknown } | null)?.validators;
    if (Array.isArray(validators) && validators.every((x) => typeof (x as Validator | null)?.url === 'string'))
      return v as ConditionalOption;
    problems.push({ path, message: 'must be { validators: [{ url, etag?, lastModified?, hash?, mtime?, size? }] }' });
    return undefined;
  },
  { internal: true },
);
