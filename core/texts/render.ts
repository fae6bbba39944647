/**
 * The crosswalks' warnings as codes with named parameters, rendered in English (what the warning's `message` keeps,
 * byte for byte as before codes) or French from one catalogue per language (warnings-en.ts, warnings-fr.ts).
 * Templates name their parameters in braces (`"{value}" is not a DOI, ignored`); a parameter is a string, a number,
 * a phrase (a code with its own parameters, rendered in the same language), for the parts a caller chooses ("no
 * spatial extent", "the datetime stands for the period"), or a list of those (written joined by ", ").
 */
import { WARNINGS_EN } from './warnings-en.js';
import { WARNINGS_FR } from './warnings-fr.js';

export type WarningCode = keyof typeof WARNINGS_EN;
export type TextLang = 'en' | 'fr';

/** The parameter names of a template, as a union of string literals (never when it has none). */
export type ParamNames<S extends string> = S extends `${string}{${infer P}}${infer R}` ? P | ParamNames<R> : never;

/** A code with its parameters, rendered in the reader's language; nested as a parameter of another. */
export interface Phrase<C extends WarningCode = WarningCode> {
  code: C;
  params?: WarningParams<C>;
}
export type ParamValue = string | number | Phrase | ParamValue[];
export type WarningParams<C extends WarningCode> = { [K in ParamNames<(typeof WARNINGS_EN)[C]>]: ParamValue };

/** The arguments after a code: its parameters, or nothing when its template has none. */
export type ParamsArg<C extends WarningCode> = [ParamNames<(typeof WARNINGS_EN)[C]>] extends [never] ? [] : [params: WarningParams<C>];

export const WARNING_TEXTS: Record<TextLang, Record<WarningCode, string>> = { en: WARNINGS_EN, fr: WARNINGS_FR };

/** A phrase made of a code and its parameters (typed: the compiler refuses an unknown code or a missing parameter). */
export function phrase<C extends WarningCode>(code: C, ...params: ParamsArg<C>): Phrase<C> {
  return params.length ? { code, params: params[0] } : { code };
}

export function isWarningCode(code: unknown): code is WarningCode {
  return typeof code === 'string' && Object.hasOwn(WARNINGS_EN, code);
}

const isPhrase = (v: unknown): v is Phrase => typeof v === 'object' && v !== null && isWarningCode((v as Phrase).code);

/**
 * A code's text in a language with its parameters filled in; undefined when the code is not in the catalogue (a
 * report written by another version) or a parameter is missing, so that the caller falls back to the stored English.
 */
export function renderText(lang: TextLang, code: string, params?: Record<string, unknown>): string | undefined {
  if (!isWarningCode(code)) return undefined;
  let missing = false;
  const value = (v: unknown): string => {
    if (typeof v === 'string' || typeof v === 'number') return String(v);
    if (Array.isArray(v)) return v.map(value).join(', ');
    const inner = isPhrase(v) ? renderText(lang, v.code, v.params) : undefined;
    if (inner === undefined) missing = true;
    return inner ?? '';
  };
  const out = WARNING_TEXTS[lang][code].replace(/\{(\w+)\}/g, (_, name: string) => value(params?.[name]));
  return missing ? undefined : out;
}

/** The parameter names a template uses, each once, sorted (the catalogue test compares the languages with it). */
export function templateParams(template: string): string[] {
  return [...new Set([...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort();
}
