/**
 * Reading OZCAR text: trimmed non-empty strings, with UTF-8 that was once decoded as Latin-1 repaired
 * ("Institut de Recherche pour le DÃ©veloppement" in the CRYO file → "Développement"), and the language of a file.
 * Pure.
 */
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
