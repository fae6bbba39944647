/**
 * What the two STAC harvesters' option declarations (core/options.ts) share: the items modes and the URL checks.
 */
import { custom, text } from '../../core/options.js';

export type ItemsMode = 'enrich' | 'index';

/** The source id: set by the program from the sources file, never an option a user writes. */
export const SOURCE_OPTION = text({ internal: true });

/** An http(s) URL (a STAC API landing page). */
export const HTTP_URL_OPTION = custom(
  'an http(s) URL',
  (v, path, problems) => {
    if (typeof v === 'string' && /^https?:\/\/\S+$/i.test(v.trim())) return v.trim();
    problems.push({ path, message: `must be an http(s) URL of the API landing page (got ${JSON.stringify(v)})` });
    return undefined;
  },
  { internal: true },
);

/** An http(s) URL, a file: URL or a local path (a static catalogue's root). */
export const LOCATION_OPTION = custom(
  'an http(s) URL, a file: URL or a local path',
  (v, path, problems) => {
    const s = typeof v === 'string' ? v.trim() : '';
    if (s !== '' && !(/^[a-z][a-z0-9+.-]*:/i.test(s) && !/^(https?|file):/i.test(s) && !/^[a-z]:[\\/]/i.test(s))) return s;
    problems.push({ path, message: `must be an http(s) URL, a file: URL or a local path (got ${JSON.stringify(v)})` });
    return undefined;
  },
  { internal: true },
);
