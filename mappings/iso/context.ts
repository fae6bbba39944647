/**
 * Per-record mapping context (languages, locales, warnings) and multilingual text extraction shared by every
 * flavour: a property's gco:CharacterString / gmx:Anchor is in the metadata language, its PT_FreeText
 * LocalisedCharacterString elements carry a `locale` reference to a PT_Locale of the record.
 */
import type { LangMap, LangMapMulti } from '../../schemas/record.js';
import { langKey } from '../../core/vocab.js';
import { all, attr, codeValue, first, ownText, text, type XNode } from '../../core/xml.js';
import type { IsoFlavour } from './flavour.js';
import { coded, type SourceWarning } from '../../core/warnings.js';
import type { ParamsArg, WarningCode } from '../../core/texts/render.js';

export interface MapCtx {
  flavour: IsoFlavour;
  source: string;
  /** Language-map key of the metadata language ("fr", "@none" when unknown). */
  main: string;
  /** Metadata language code as written ("fre"), if any. */
  mainCode?: string;
  /** PT_Locale id (without '#') → language-map key. */
  locales: Map<string, string>;
  warnings: SourceWarning[];
}

/**
 * Records a warning at an element path of the record's own encoding: `at` gives it in ISO 19139 (gmd, also 19115-2)
 * and in ISO 19115-3 (mdb...), e.g. ['gmd:fileIdentifier', 'mdb:metadataIdentifier/*\/mcc:code'].
 */
export function warn<C extends WarningCode>(
  ctx: MapCtx,
  at: readonly [iso19139: string, iso19115_3: string],
  code: C,
  ...params: ParamsArg<C>
): void {
  ctx.warnings.push(coded(ctx.flavour === 'iso19115-3' ? at[1] : at[0], code, ...params));
}

/** Language-map key of a `locale` reference ("#FR", "#locale-fr", "FR"). */
export function localeKey(ctx: MapCtx, ref: string | undefined): string {
  if (!ref) return '@none';
  const id = ref.startsWith('#') ? ref.slice(1) : ref;
  const known = ctx.locales.get(id) ?? ctx.locales.get(id.toUpperCase());
  if (known) return known;
  const k = langKey(id);
  if (k !== '@none') return k;
  const tail = id.split(/[-_]/).pop();
  return tail ? langKey(tail) : '@none';
}

/** Reads PT_Locale elements: id → language key (languageCode in 19139, language in 19115-3). */
export function readLocales(locales: XNode[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const loc of locales) {
    const id = attr(loc, 'id');
    const code = codeValue(first(loc, 'languageCode')) ?? codeValue(first(loc, 'language'));
    if (id && code) {
      const key = langKey(code);
      map.set(id, key);
      map.set(id.toUpperCase(), key);
    }
  }
  return map;
}

/**
 * A text without the indentation of the XML it was written in: the blanks around each of its line breaks (a text
 * wrapped over indented lines of a pretty-printed record, CR LF or LF), its line breaks kept.
 */
function unindent(v: string | undefined): string | undefined {
  return v === undefined ? undefined : v.replace(/[ \t]*\r?\n[ \t]*/g, '\n');
}

/**
 * Multilingual text of an ISO property element (gmd:title, mri:abstract...): the main text under the metadata
 * language, then every LocalisedCharacterString under its locale's language. Undefined when empty.
 */
export function langText(ctx: MapCtx, prop: XNode | undefined): LangMap | undefined {
  if (prop === undefined) return undefined;
  let out: LangMap | undefined;
  const main = unindent(text(prop));
  if (main !== undefined) out = { [ctx.main]: main };
  if (typeof prop !== 'string' && prop['PT_FreeText'] !== undefined) {
    for (const lcs of all(prop, 'PT_FreeText', 'textGroup', 'LocalisedCharacterString')) {
      const t = unindent(ownText(lcs));
      if (t === undefined) continue;
      const key = localeKey(ctx, attr(lcs, 'locale'));
      out ??= {};
      // The main text wins for the main language; otherwise the first translation per language.
      if (out[key] === undefined) out[key] = t;
    }
  }
  return out;
}

/** Multilingual text of the first non-empty property among `props`. */
export function firstLangText(ctx: MapCtx, props: XNode[]): LangMap | undefined {
  for (const p of props) {
    const t = langText(ctx, p);
    if (t) return t;
  }
  return undefined;
}

/** Appends a language map into a multi-valued language map (deduplicated per language). */
export function pushLangMulti(target: LangMapMulti, value: LangMap): void {
  for (const [k, v] of Object.entries(value)) {
    const list = (target[k] ??= []);
    if (!list.includes(v)) list.push(v);
  }
}

/** Merges several multilingual texts of one field (e.g. many lineage statements) by joining per language. */
export function joinLangMaps(maps: LangMap[], sep = '\n\n'): LangMap | undefined {
  if (maps.length === 0) return undefined;
  if (maps.length === 1) return maps[0];
  const out: LangMap = {};
  for (const m of maps) for (const [k, v] of Object.entries(m)) out[k] = out[k] === undefined ? v : out[k] + sep + v;
  return out;
}

/** The main-language value of a language map, else any value. */
export function mainValue(ctx: MapCtx, m: LangMap | undefined): string | undefined {
  if (!m) return undefined;
  return m[ctx.main] ?? Object.values(m)[0];
}
