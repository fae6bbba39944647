/**
 * Loading one STAC JSON document from an http(s) URL or a local file, as a result rather than a throw, so that a walk
 * can report a broken link and go on.
 *
 * Locations are normalised to absolute URLs (a local path becomes a file: URL), without fragment, so that the same
 * document reached by two hrefs ("./a/../b.json", "b.json") has one key in a visited set.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fetchText, type FetchOptions } from '../http.js';
import { isObject, type JsonObject } from '../../core/json.js';
import type { Stage } from '../../core/result.js';

/** Absolute URL of a location (http(s) URL, file: URL or local path), optionally relative to a base location. */
export function normaliseLocation(ref: string, base?: string): string {
  let url: URL;
  if (/^[a-z][a-z0-9+.-]*:/i.test(ref) && !/^[a-z]:[\\/]/i.test(ref)) url = new URL(ref);
  else if (base) url = new URL(ref, base);
  else url = pathToFileURL(resolve(ref));
  url.hash = '';
  return url.href;
}

/** A location for messages: a file: URL as its path, an http(s) URL as it is. */
export function displayLocation(location: string): string {
  return location.startsWith('file:') ? fileURLToPath(location) : location;
}

export type Loaded =
  { ok: true; json: JsonObject; location: string } | { ok: false; stage: Stage; error: string; location: string; raw?: string };

/**
 * Media types that cannot be a STAC document. Static hosts often serve .json as text/plain or
 * application/octet-stream: those are parsed and judged by their content.
 */
const NOT_JSON =
  /^(text\/html|application\/xhtml\+xml|application\/xml|text\/xml|image\/|video\/|audio\/|application\/pdf|application\/zip)/i;

/** Loads and parses one document. Never throws (but for a programming error). */
export async function loadJson(location: string, http: FetchOptions = {}): Promise<Loaded> {
  const where = displayLocation(location);
  let text: string;
  if (location.startsWith('file:') && http.guard) {
    // a catalogue a user gave (POST /validate) may not make the server read its own files
    return { ok: false, stage: 'fetch', location, error: `${where}: a local file, refused (only public http(s) URLs are read here)` };
  }
  if (location.startsWith('file:')) {
    try {
      text = await readFile(fileURLToPath(location), 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      return { ok: false, stage: 'fetch', location, error: `${where}: ${code === 'ENOENT' ? 'not found' : (err as Error).message}` };
    }
  } else if (/^https?:/i.test(location)) {
    try {
      const res = await fetchText(location, {
        ...http,
        headers: { accept: 'application/json, application/geo+json;q=0.9, */*;q=0.1', ...(http.headers ?? {}) },
      });
      if (NOT_JSON.test(res.contentType)) {
        return {
          ok: false,
          stage: 'fetch',
          location,
          error: `${where}: wrong content type ${res.contentType} (a STAC document is JSON)`,
          raw: res.text.slice(0, 2000),
        };
      }
      text = res.text;
    } catch (err) {
      return { ok: false, stage: 'fetch', location, error: (err as Error).message };
    }
  } else {
    return { ok: false, stage: 'fetch', location, error: `${where}: only http(s) URLs and local files are read` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, stage: 'parse', location, error: `${where}: invalid JSON (${(err as Error).message})`, raw: text };
  }
  if (!isObject(json))
    return {
      ok: false,
      stage: 'parse',
      location,
      error: `${where}: a STAC document is a JSON object, got ${Array.isArray(json) ? 'an array' : typeof json}`,
      raw: text,
    };
  return { ok: true, json, location };
}
