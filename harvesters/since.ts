/**
 * The "changed since" option of the harvesters that can ask their source for what changed since a date-time (CSW
 * `modifiedSince`, STAC API and resto `updatedSince`): set by the pipeline for an incremental run
 * (pipelines/incremental.ts), or by the sources file to harvest from a fixed date.
 */
import { custom } from '../core/options.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/** An ISO 8601 date or date-time, checked. */
export const SINCE_OPTION = custom('an ISO 8601 date or date-time', (v, path, problems) => {
  if (typeof v === 'string' && ISO_DATE.test(v) && !Number.isNaN(Date.parse(v))) return v;
  problems.push({
    path,
    message: `must be an ISO 8601 date or date-time (e.g. 2024-05-31 or 2024-05-31T12:00:00Z), got ${JSON.stringify(v)}`,
  });
  return undefined;
});

/** The date-time of a `since` option in UTC, as RFC 3339 asks (`2024-05-31` is its midnight UTC). */
export function sinceTimestamp(since: string): string {
  return new Date(Date.parse(since)).toISOString();
}
