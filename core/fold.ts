/**
 * Accent- and case-folding done in our code, because the Elasticsearch node has no `asciifolding` and no language
 * analyzers (RUNBOOK). The SAME function is applied to indexed text (mappings/index-doc.ts) and to query text
 * (pipelines/search.ts), and the index fields are analysed by the `standard` analyzer only.
 *
 * Steps, in order:
 * 1. NFKD: decomposes accents (é → e + ◌́) and compatibility forms (ﬁ → fi, ² → 2, full-width letters);
 * 2. strip every combining mark (\p{M});
 * 3. lower-case;
 * 4. ligatures and letters NFKD leaves alone: œ → oe, æ → ae, ß → ss, ø → o, ł → l, đ → d, ð → d, þ → th, ı → i;
 * 5. apostrophes (' ’ ‘ ʼ ´ `) become a space, so that French elisions split: "l'évolution" → "l evolution"
 *    (the standard tokenizer would otherwise keep "l'evolution" as one token);
 * 6. a light plural stemmer per word (see `stemWord`): "glaciers" → "glacier", "eaux" → "eau".
 * Words are re-joined with single spaces; every run of non-letter/non-digit characters becomes one space.
 */

const LIGATURES: Record<string, string> = {
  œ: 'oe',
  æ: 'ae',
  ß: 'ss',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
};
const LIGATURE_RE = /[œæßøłđðþı]/g;
/** Apostrophe-like LETTERS (\p{Lm}) that the separator below would keep inside a word. */
const LETTER_APOSTROPHES_RE = /[ʼʻʹ]/g;
const MARKS_RE = /\p{M}+/gu;
/** Anything that is not a letter or a digit separates words (apostrophes included: French elision). */
const SEPARATOR_RE = /[^\p{L}\p{N}]+/u;
/** ASCII characters that are neither letters nor digits: splitting on them first is five times faster than the
 * Unicode classes, which then only run on the few chunks that still hold non-ASCII characters (’, –, Greek...). */
const ASCII_SEPARATOR_RE = /[\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]+/;
const NON_ASCII_RE = /[^\x00-\x7f]/;

/** Same words as `text.split(SEPARATOR_RE)` (empty strings aside). */
function splitWords(folded: string): string[] {
  const chunks = folded.split(ASCII_SEPARATOR_RE);
  if (!NON_ASCII_RE.test(folded)) return chunks;
  return chunks.flatMap((c) => (NON_ASCII_RE.test(c) ? c.split(SEPARATOR_RE) : [c]));
}

/**
 * Light, symmetric plural stemmer for French and English words (already folded):
 * - `-x`: words of 4+ letters ending in `aux`/`eux`/`oux` lose the `x` (eaux → eau, niveaux → niveau,
 *   cailloux → caillou); `-aux` → `-al` is NOT done (travaux/chevaux would need a dictionary);
 * - `-s`: words of 4+ letters lose a final `s` unless it follows `s`, `u` or `i` (glass, campus, analysis, paris keep
 *   theirs) — glaciers → glacier, sols → sol, données → donnee, datasets → dataset.
 * Digits-only or mixed alphanumeric tokens (e.g. "s2", "l2a", "1990s") are left alone.
 * Because documents and queries go through the same function, regular plurals match their singular; an imperfect
 * stem can only merge a few unrelated word pairs (a small loss of precision, never of recall).
 */
export function stemWord(word: string): string {
  if (word.length < 4 || /\d/.test(word)) return word;
  const last = word[word.length - 1];
  // eaux → eau, niveaux → niveau, noyaux → noyau, cailloux → caillou (flux, prix: no match)
  if (last === 'x') return /[aeo]ux$/.test(word) ? word.slice(0, -1) : word;
  if (last === 's') {
    const before = word[word.length - 2];
    if (before === 's' || before === 'u' || before === 'i') return word;
    return word.slice(0, -1);
  }
  return word;
}

/** Accents, case, ligatures and apostrophes folded; no stemming. */
export function foldChars(text: string): string {
  // ASCII text has no accent, mark nor ligature to fold.
  if (!NON_ASCII_RE.test(text)) return text.toLowerCase();
  return text
    .normalize('NFKD')
    .replace(MARKS_RE, '')
    .toLowerCase()
    .replace(LIGATURE_RE, (c) => LIGATURES[c] ?? c)
    .replace(LETTER_APOSTROPHES_RE, ' ');
}

/** Folded and stemmed words, in order (empty strings removed). */
export function foldWords(text: string): string[] {
  const out: string[] = [];
  for (const w of splitWords(foldChars(text))) if (w !== '') out.push(stemWord(w));
  return out;
}

/** The folded text indexed in `title`, `description`, `all_text` and searched by `q`. */
export function fold(text: string): string {
  return foldWords(text).join(' ');
}

/** A sort key: folded characters, words single-spaced, no stemming, at most `max` characters (default 200). */
export function sortKey(text: string, max = 200): string {
  return splitWords(foldChars(text))
    .filter((w) => w !== '')
    .join(' ')
    .slice(0, max);
}
