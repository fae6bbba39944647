import { readForm, renderText, type ParamValue, type ParamsArg, type Phrase, type WarningCode } from './texts/render.js';

export { phrase, type Phrase } from './texts/render.js';

/**
 * A warning about one record: something a crosswalk could not find or had to forgive, with WHERE in the source format
 * it belongs (an ISO element path such as `gmd:identificationInfo/*\/gmd:citation/*\/gmd:date`, a STAC field such as
 * `extent.temporal.interval`, an OZCAR JSON Pointer such as `/metadata/spatialExtent`), so that a data centre can act
 * on it. Plain data: it crosses worker threads and goes into JSON reports as it is.
 */
export interface SourceWarning {
  /** Where in the source record: an ISO element path, a STAC field, an OZCAR JSON Pointer ('/' for the whole record). */
  at: string;
  /** What was missing, forgiven or guessed, and what the hub did about it, in English. */
  message: string;
  /**
   * Which kind of warning it is, stable across versions (`stac.license.missing`): core/texts/warnings-en.ts and
   * warnings-fr.ts hold its texts, so that a report renders it in its reader's language. Absent on a warning that is
   * not a crosswalk's own (an XML schema's message, a harvester's line) and on warnings stored before codes.
   */
  code?: WarningCode;
  /** The values its texts are filled with (a value may be a phrase: a code with its own parameters). */
  params?: Record<string, ParamValue>;
}

/** A warning whose text is not in the catalogue (a validator's own words, a line read back): English only. */
export function sourceWarning(at: string, message: string): SourceWarning {
  return { at, message };
}

/**
 * A crosswalk's warning by its code and parameters: `message` is the English text (core/texts/warnings-en.ts) filled
 * in, and the code and parameters go with it so that a French page renders it from warnings-fr.ts.
 */
export function coded<C extends WarningCode>(at: string, code: C, ...params: ParamsArg<C>): SourceWarning {
  const p = params[0] as Record<string, ParamValue> | undefined;
  const message = renderText('en', code, p);
  // the types make a missing parameter a compile error; should one be undefined anyway, the English says so
  if (message === undefined) throw new Error(`warning ${code}: a parameter is missing`);
  return p ? { at, message, code, params: p } : { at, message, code };
}

/** A warning made of a phrase (a code and its parameters chosen at run time, such as a validator issue's). */
export function codedPhrase(at: string, p: Phrase): SourceWarning {
  const message = phraseText(p);
  return p.params ? { at, message, code: p.code, params: p.params } : { at, message, code: p.code };
}

/** A phrase's English text (a part of a message that a caller passes on, such as what is left out). */
export function phraseText(p: Phrase): string {
  const text = renderText('en', p.code, p.params);
  if (text === undefined) throw new Error(`phrase ${p.code}: a parameter is missing`);
  return text;
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

/**
 * A message of the validation report (a blocking error, a notice, a link's or xmllint's words) read back into the
 * code and values of its form in a family of core/texts/messages-en.ts: `{ code, params }` to spread into it, or
 * nothing when it is of no known form (it then stays English).
 */
export function codeOf(family: string, message: string): { code?: WarningCode; params?: Record<string, ParamValue> } {
  const p = readForm(family, message);
  return p ? (p.params ? { code: p.code, params: p.params } : { code: p.code }) : {};
}

/** A warning made of a message of a family (a link's failure, an XML schema's message): coded when of a known form. */
export function readBackWarning(at: string, family: string, message: string): SourceWarning {
  return { at, message, ...codeOf(family, message) };
}
