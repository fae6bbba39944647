/**
 * Stage 1 of the OZCAR harvester: the text of one pivot file, from an http(s) URL (harvesters/http.ts), a file: URL
 * or a local path, parsed ONCE into JSON. Every failure is a SourceError naming the file or URL.
 */
import type { Stats } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fetchText, FETCH_DEFAULTS, type FetchOptions } from '../http.js';
import { SourceError } from '../../core/result.js';
import { conditionalHeaders, fileAnswer, fileUnchanged, httpAnswer, type Answer, type Validator } from '../conditional.js';

/** Where a pivot file is: `url` for messages and record locations (an absolute URL), `fileName` its last segment. */
export interface PivotLocation {
  url: string;
  /** Local path, for files. */
  path?: string;
  fileName: string;
}

/** Resolves an http(s) URL, a file: URL or a local path (relative to the working directory). */
export function locate(urlOrPath: string): PivotLocation {
  if (/^https?:\/\//i.test(urlOrPath)) {
    const u = new URL(urlOrPath);
    return { url: u.href, fileName: decodeURIComponent(basename(u.pathname)) || u.hostname };
  }
  const path = /^file:/i.test(urlOrPath) ? fileURLToPath(urlOrPath) : resolve(urlOrPath);
  return { url: pathToFileURL(path).href, path, fileName: basename(path) };
}

/**
 * Media types accepted from a server: JSON ones, and the generic types static file servers use for .json files
 * (text/plain, application/octet-stream). Anything else (text/html: an error or login page; XML: an OGC exception)
 * is refused before parsing. A response without Content-Type is parsed.
 */
const JSON_MEDIA_TYPE = /^(?:application\/(?:json|[\w.+-]+\+json|octet-stream)|text\/(?:json|plain))$/i;

/** The text of the file (BOM removed). Throws SourceError('fetch') when unreachable, too large or not JSON by its Content-Type. */
export async function readPivotText(loc: PivotLocation, fetch: FetchOptions = {}): Promise<string> {
  const read = await readPivot(loc, fetch);
  return read.text ?? '';
}

/**
 * The file read, or found unchanged since the last run (harvesters/conditional.ts) when `previous`, its validator then,
 * is given: `text` (BOM removed) is absent when it is unchanged. Throws as readPivotText.
 */
export async function readPivot(loc: PivotLocation, fetch: FetchOptions = {}, previous?: Validator): Promise<Answer & { text?: string }> {
  if (loc.path === undefined) {
    const conditional = conditionalHeaders(previous);
    const res = await fetchText(loc.url, {
      ...fetch,
      ...(conditional ? { conditional } : {}),
      headers: { accept: 'application/json, */*;q=0.1', ...(fetch.headers ?? {}) },
    });
    const answer = httpAnswer(loc.url, res, previous);
    if (answer.unchanged) return answer;
    const mediaType = res.contentType.split(';')[0].trim();
    if (mediaType !== '' && !JSON_MEDIA_TYPE.test(mediaType)) {
      const start = res.text.slice(0, 120).replace(/\s+/g, ' ').trim();
      throw new SourceError(
        'fetch',
        `GET ${loc.url}: Content-Type ${res.contentType} is not JSON (an OZCAR pivot file is application/json); the body starts with: ${start}`,
        {
          url: loc.url,
          request: `GET ${loc.url}`,
        },
      );
    }
    return { ...answer, text: res.text };
  }
  if (fetch.guard)
    throw new SourceError('fetch', `${loc.url}: a local file, refused (only public http(s) URLs are read here)`, { url: loc.url });
  const maxBytes = fetch.maxBytes ?? FETCH_DEFAULTS.maxBytes;
  let st: Stats;
  try {
    st = await stat(loc.path);
  } catch (err) {
    throw new SourceError(
      'fetch',
      `${loc.path}: cannot read the pivot file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
      { url: loc.url, cause: err },
    );
  }
  if (st.size > maxBytes)
    throw new SourceError('fetch', `${loc.path}: ${st.size} bytes, above the cap of ${maxBytes} bytes (http.maxBytes)`, { url: loc.url });
  const same = fileUnchanged(st, previous);
  if (same) return same;
  const raw = await readFile(loc.path, 'utf8');
  const answer = fileAnswer(loc.path, st, raw, previous);
  if (answer.unchanged) return answer;
  return { ...answer, text: raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw };
}

/** Line and column (1-based) of a character offset. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    last = i;
  }
  return { line, column: offset - last };
}

/** JSON.parse with a SourceError('parse') that says where the text breaks and, when it does not, what the root should be. */
export function parsePivotText(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    const at = /at position (\d+)/.exec(message);
    const pos = at ? lineColumn(text, Number(at[1])) : undefined;
    const first = /\S/.exec(text)?.[0];
    const hint =
      first === undefined
        ? ' (the file is empty)'
        : first !== '{'
          ? ` (a pivot file starts with "{", this one with ${JSON.stringify(first)})`
          : '';
    throw new SourceError('parse', `${where}: not valid JSON: ${message}${pos ? ` (line ${pos.line}, column ${pos.column})` : ''}${hint}`, {
      url: where,
      cause: err,
    });
  }
}
