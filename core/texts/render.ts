/**
 * The crosswalks' warnings as codes with named parameters, rendered in English (what the warning's `message` keeps,
 * byte for byte as before codes) or French from one catalogue per language (warnings-en.ts, warnings-fr.ts); the
 * report's other messages (blocking errors, notices, links, xmllint) likewise (messages-en.ts, messages-fr.ts), read
 * back from their English by `readForm`.
 * Templates name their parameters in braces (`"{value}" is not a DOI, ignored`); a parameter is a string, a number,
 * a phrase (a code with its own parameters, rendered in the same language), for the parts a caller chooses ("no
 * spatial extent", "the datetime stands for the period"), or a list of those (written joined by ", ").
 */
import { WARNINGS_EN } from './warnings-en.js';
import { WARNINGS_FR } from './warnings-fr.js';
import { MESSAGES_EN } from './messages-en.js';
import { MESSAGES_FR } from './messages-fr.js';

/** Every English text by code: the warnings' and the other messages' (one namespace: no code is in both). */
export const TEXTS_EN = { ...WARNINGS_EN, ...MESSAGES_EN } as const;
export type WarningCode = keyof typeof TEXTS_EN;
export type TextLang = 'en' | 'fr';

/** The parameter names of a template, as a union of string literals (never when it has none). */
export type ParamNames<S extends string> = S extends `${string}{${infer P}}${infer R}` ? P | ParamNames<R> : never;

/** A code with its parameters, rendered in the reader's language; nested as a parameter of another. */
export interface Phrase<C extends WarningCode = WarningCode> {
  code: C;
  params?: WarningParams<C>;
}
export type ParamValue = string | number | Phrase | ParamValue[];
export type WarningParams<C extends WarningCode> = { [K in ParamNames<(typeof TEXTS_EN)[C]>]: ParamValue };

/** The arguments after a code: its parameters, or nothing when its template has none. */
export type ParamsArg<C extends WarningCode> = [ParamNames<(typeof TEXTS_EN)[C]>] extends [never] ? [] : [params: WarningParams<C>];

export const WARNING_TEXTS: Record<TextLang, Record<WarningCode, string>> = { en: TEXTS_EN, fr: { ...WARNINGS_FR, ...MESSAGES_FR } };

/** A phrase made of a code and its parameters (typed: the compiler refuses an unknown code or a missing parameter). */
export function phrase<C extends WarningCode>(code: C, ...params: ParamsArg<C>): Phrase<C> {
  return params.length ? { code, params: params[0] } : { code };
}

export function isWarningCode(code: unknown): code is WarningCode {
  return typeof code === 'string' && Object.hasOwn(TEXTS_EN, code);
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

/**
 * The parameters read as phrases of a family when a message is read back (messages-en.ts): the part of the message
 * must be of a known form of that family, else the whole message is of no known form.
 */
const FAMILIES: Record<string, string> = {
  reason: 'error.',
  xml: 'xml.',
  json: 'json.',
  kind: 'kind.',
  net: 'net.',
  ssrf: 'ssrf.',
  xsd: 'xsd.',
  stop: 'stop.',
  issue: 'ozcar.pivot.',
  first: 'ozcar.pivot.',
  rest: 'ozcar.pivot.',
};

/** What some parameters may hold when read back (anything else: one character or more, never across "; "). */
const PARAM_PATTERNS: Record<string, string> = {
  line: '\\d+',
  column: '\\d+',
  position: '\\d+',
  count: '\\d+',
  element: "[^'\\s]+",
  attribute: "[^'\\s]+",
  tag: '[^\\s]+',
  // (a value: never across "; " nor ": ", which set a path before a problem)
  value: '(?:(?!; |: ).)*?',
  // (free text: anything, even "; ")
  detail: '.+?',
  // (a URL or host name has no white space)
  url: '\\S+',
  target: '\\S+',
  host: '\\S+',
  // (a system error code: ENOTFOUND, CERT_HAS_EXPIRED)
  code: '[A-Z][A-Z0-9_]*',
  method: '[A-Z]+',
  next: '\\S+',
  status: '\\d{3}',
  bytes: '\\d+',
  limit: '\\d+',
};

/** A template as an anchored expression: its literal text escaped, each parameter a named group (a repeat must be equal). */
function formPattern(template: string): RegExp {
  const seen = new Set<string>();
  const body = template.replace(/[.*+?^$()[\]\\|]/g, '\\$&').replace(/\{(\w+)\}/g, (_, name: string) => {
    if (seen.has(name)) return `\\k<${name}>`;
    seen.add(name);
    // a phrase of a family may be a list joined by "; " (the OZCAR reader's problems), a plain value never is
    return `(?<${name}>${PARAM_PATTERNS[name] ?? (FAMILIES[name] ? '.+?' : '(?:(?!; ).)+?')})`;
  });
  return new RegExp(`^${body}$`, 's');
}

const FORMS = new Map<string, [WarningCode, RegExp][]>();

/** The forms of a family, those with the most literal text first (the most specific of two that could match). */
function formsOf(family: string): [WarningCode, RegExp][] {
  let forms = FORMS.get(family);
  if (!forms) {
    const literal = (code: WarningCode) => TEXTS_EN[code].replace(/\{\w+\}/g, '').length;
    forms = (Object.keys(TEXTS_EN) as WarningCode[])
      .filter((c) => c.startsWith(family))
      .sort((a, b) => literal(b) - literal(a))
      .map((c) => [c, formPattern(TEXTS_EN[c])]);
    FORMS.set(family, forms);
  }
  return forms;
}

/**
 * A message read back into the code of its form in a family (`error.`, `notice.`, `xsd.`...) and its values, so that
 * it renders in another language: the phrase renders in English to the very message; undefined when no form of the
 * family reads it (or a part of it that must be a phrase of a family is of no known form).
 */
export function readForm(family: string, message: string): Phrase | undefined {
  for (const [code, re] of formsOf(family)) {
    const m = re.exec(message);
    if (!m) continue;
    const params: Record<string, ParamValue> = {};
    let ok = true;
    for (const [name, value] of Object.entries(m.groups ?? {})) {
      const inner = FAMILIES[name] ? readForm(FAMILIES[name], value) : value;
      if (inner === undefined) {
        ok = false;
        break;
      }
      params[name] = inner;
    }
    if (!ok) continue;
    return Object.keys(params).length ? ({ code, params } as Phrase) : { code };
  }
  return undefined;
}
