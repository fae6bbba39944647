/**
 * Reading OZCAR text: trimmed non-empty strings, with UTF-8 that was once decoded as Latin-1 repaired
 * ("Institut de Recherche pour le DÃ©veloppement" in the CRYO file → "Développement"), and the language of a file.
 * Pure.
 */
import { coded, phrase, type SourceWarning } from '../../core/warnings.js';
import { str } from '../../core/json.js';
import { langKey, languageIri } from '../../core/vocab.js';

/** A UTF-8 lead byte (Â..ô) read as Latin-1, followed by a continuation byte read as Latin-1. */
const MOJIBAKE = /[\u00C2-\u00F4][\u0080-\u00BF]/;

/**
 * The text with double-encoded UTF-8 undone, or the text unchanged. Only repaired when every character is Latin-1
 * (a string holding other characters was not produced by that mistake) and re-decoding gives valid UTF-8.
 */
export function repairMojibake(s: string): string {
  if (!MOJIBAKE.test(s) || /[^\u0000-\u00FF]/.test(s)) return s;
  const repaired = Buffer.from(s, 'latin1').toString('utf8');
  return repaired.includes('\uFFFD') ? s : repaired;
}

/** Reads text values and counts the repairs, to report them once per record. */
export class TextReader {
  repaired = 0;
  /** A trimmed non-empty string (repaired), or undefined for anything else. */
  text = (v: unknown): string | undefined => {
    const s = str(v);
    if (s === undefined) return undefined;
    const r = repairMojibake(s);
    if (r !== s) this.repaired++;
    return r;
  };
}

/**
 * Language of a pivot file from its name: the Theia importer names them <PRODUCER>_<lang>.json (CATC_en.json,
 * CATC_fr.json). Returns the language-map key ("en") and the EU language IRI, or "@none" when not told. The name is
 * the format's only word on it: the pivot has no language field (its schema speaks of "free text in the file
 * language"), and Theia's importer (backend-springboot import-metadata-service) reads the language from
 * `<PRODUCER>_(en|fr|es).json` too. A file named wrongly is tagged wrongly (TOUR's published test file holds French
 * under TOUR_en.json; the hub's sample is named TOUR_fr.json).
 */
export function fileLanguage(fileName: string | undefined, override?: string): { key: string; iri?: string } {
  const code = override ?? /_([a-z]{2,3})\.json$/i.exec(fileName ?? '')?.[1];
  const key = langKey(code);
  const iri = key === '@none' ? undefined : languageIri(code);
  return iri ? { key, iri } : { key: '@none' };
}

/**
 * Function words of English and French: frequent in any running text of the language, rare in the other's. A few
 * words both write in names (French "de", "la" in "Fontaine de Nîmes", "La Guette") weigh in English texts too, hence
 * the margin asked of a verdict. The French elisions (l', d', qu') are counted as words.
 */
const STOP_WORDS: Record<'en' | 'fr', ReadonlySet<string>> = {
  en: new Set(
    'the of and to in is are was were for with on by from this that these those which at as an be been its it or within between into has have not'.split(
      ' ',
    ),
  ),
  fr: new Set(
    'le la les des du de et est sont pour avec sur par dans une un ce cette ces qui que au aux ou leur leurs entre sous été à l d qu'.split(
      ' ',
    ),
  ),
};
const LANGUAGE_NAMES = { en: phrase('ozcar.language.en'), fr: phrase('ozcar.language.fr') };

/** The English and French function words counted in a text. */
export function stopWordCounts(text: string): { en: number; fr: number } {
  const counts = { en: 0, fr: 0 };
  for (const w of text.toLowerCase().split(/[^\p{L}]+/u)) {
    if (STOP_WORDS.en.has(w)) counts.en++;
    if (STOP_WORDS.fr.has(w)) counts.fr++;
  }
  return counts;
}

/**
 * The language a text is clearly written in, English or French, else undefined: only when at least 6 function words
 * of one are counted and at least 4 times as many as of the other (a title and a one-line description of a few
 * words, or a text mixing both, decide nothing).
 */
export function clearLanguage(text: string): 'en' | 'fr' | undefined {
  const { en, fr } = stopWordCounts(text);
  if (en >= 6 && en >= 4 * fr) return 'en';
  if (fr >= 6 && fr >= 4 * en) return 'fr';
  return undefined;
}

/**
 * A warning (about the whole dataset, `/`) when a file's texts (title and description) are clearly in the other of
 * English and French than its name says; else undefined. The language is not changed: the name is the format's only
 * word on it.
 */
export function languageContradiction(fileName: string | undefined, key: string, texts: string): SourceWarning | undefined {
  if (key !== 'en' && key !== 'fr') return undefined;
  const seen = clearLanguage(texts);
  if (!seen || seen === key) return undefined;
  const { en, fr } = stopWordCounts(texts);
  const said = { file: fileName ?? phrase('ozcar.theFile'), named: LANGUAGE_NAMES[key], key, seen: LANGUAGE_NAMES[seen], fr, en };
  const renamed = fileName?.replace(/_[a-z]{2,3}(\.json)$/i, `_${seen}$1`);
  return renamed && renamed !== fileName
    ? coded('/', 'ozcar.language.contradictionRename', { ...said, renamed })
    : coded('/', 'ozcar.language.contradiction', said);
}
