/**
 * A warning about one record: something a crosswalk could not find or had to forgive, with WHERE in the source format
 * it belongs (an ISO element path such as `gmd:identificationInfo/*\/gmd:citation/*\/gmd:date`, a STAC field such as
 * `extent.temporal.interval`, an OZCAR JSON Pointer such as `/metadata/spatialExtent`), so that a data centre can act
 * on it. Plain data: it crosses worker threads and goes into JSON reports as it is.
 */
export interface SourceWarning {
  /** Where in the source record: an ISO element path, a STAC field, an OZCAR JSON Pointer ('/' for the whole record). */
  at: string;
  /** What was missing, forgiven or guessed, and what the hub did about it. */
  message: string;
}

export function sourceWarning(at: string, message: string): SourceWarning {
  return { at, message };
}

/** One line for logs and terminals: `at: message`. */
export function warningLine(w: SourceWarning): string {
  return `${w.at}: ${w.message}`;
}

/**
 * A warning written as one line `path: message` (e.g. by a harvester's checks, `/observations/3/dataType: ...`) back
 * into its parts; a line without a leading path is about the whole record (`/`).
 */
export function warningFromLine(line: string): SourceWarning {
  const m = /^(\/[^\s:]*|[A-Za-z][\w:.[\]*/-]*): (.+)$/s.exec(line);
  if (m) return { at: m[1], message: m[2] };
  // "observation X at /datasets/0/observations/3 dropped: ...": the path it names
  const inside = / at (\/[^\s:]*)/.exec(line);
  return { at: inside ? inside[1] : '/', message: line };
}
