/**
 * The text part of a search: what a user types, read into clauses, turned into Elasticsearch queries on the folded
 * text fields (mappings/index-doc.ts), and the highlighted snippet of a hit computed from the record's own text.
 *
 * What a user may type (`q`):
 * - words: every word is required, in any order, in any text of the record (title, description, keywords, themes,
 *   parties, lineage, variables, identifiers); accents, case and regular plurals do not matter (core/fold.ts);
 * - "a phrase": its words next to each other, in that order;
 * - word* (or "a phr"*): words beginning so (a prefix);
 * - -word or -"a phrase": records containing it are left out.
 * Typing mistakes: when the words find nothing as typed, the search is run again with each word allowed one or two
 * edits (Elasticsearch `fuzziness: AUTO`, first letter fixed) and the answer says so (pipelines/search.ts).
 *
 * The OGC API - Records form (`q=a b,c d`) is `anyPhrase`: a record matches when it contains one of the phrases.
 *
 * Snippets are made here rather than by Elasticsearch's highlighter because the indexed text is folded (no accents,
 * lower case, plurals stemmed): a highlight of it would show "debit des riviere" to the user. The original text is
 * cut into words, each word folded exactly as the index folds it, and the words that match are marked.
 */
import { foldWords } from '../core/fold.js';
import { editDistance } from '../core/nearest.js';
import { UsageError } from '../core/result.js';

/** A user query, folded: each entry is a list of folded words. */
export interface TextQuery {
  /** Words that must all be present (anywhere, any order). */
  words: string[];
  /** Phrases that must each be present (words adjacent, in order). */
  phrases: string[][];
  /** Prefixes: the words of each entry adjacent, the last one only begun. */
  prefixes: string[][];
  /** Words or phrases that must not be present. */
  excluded: string[][];
  /** At least one of these phrases must be present (OGC API - Records `q`). */
  anyPhrase: string[][];
}

/** Longest `q` accepted, in characters. */
export const MAX_QUERY_CHARS = 500;
/** Most clauses (words, phrases, prefixes, exclusions) in one query. */
const MAX_CLAUSES = 32;

type Query = Record<string, unknown>;

/** Whether a text query asks for anything. */
export function hasText(t: TextQuery): boolean {
  return t.words.length + t.phrases.length + t.prefixes.length + t.excluded.length + t.anyPhrase.length > 0;
}

/**
 * Reads what a user typed into clauses (see the file comment); a UsageError naming `param` when it is too long or has
 * too many clauses. An input word that folds into several words ("Seine-Normandie", "l'eau") is a phrase.
 */
export function parseUserQuery(q: string | undefined, param = 'q', anyPhrase: string[] = []): TextQuery {
  const out: TextQuery = { words: [], phrases: [], prefixes: [], excluded: [], anyPhrase: [] };
  for (const p of anyPhrase) {
    if (p.length > MAX_QUERY_CHARS) throw new UsageError(`${param} must be at most ${MAX_QUERY_CHARS} characters`, param);
    const w = foldWords(p);
    if (w.length > 0) out.anyPhrase.push(w);
  }
  if (q === undefined) return out;
  if (q.length > MAX_QUERY_CHARS)
    throw new UsageError(`${param} must be at most ${MAX_QUERY_CHARS} characters (got ${q.length}): search with fewer words`, param);
  // a token: optional '-', then a quoted phrase (closing quote optional) or a bare word; then an optional '*'
  const TOKEN = /(-?)(?:"([^"]*)"?|([^\s"]+))(\*?)/g;
  for (const m of q.matchAll(TOKEN)) {
    const negate = m[1] === '-';
    const quoted = m[2] !== undefined;
    let raw = quoted ? m[2] : m[3];
    let prefix = m[4] === '*';
    if (!quoted && raw.endsWith('*')) {
      raw = raw.replace(/\*+$/, '');
      prefix = true;
    }
    const words = foldWords(raw.replace(/\*/g, ' '));
    if (words.length === 0) continue;
    if (negate) out.excluded.push(words);
    else if (prefix) out.prefixes.push(words);
    else if (quoted || words.length > 1) out.phrases.push(words);
    else out.words.push(words[0]);
  }
  const clauses = out.words.length + out.phrases.length + out.prefixes.length + out.excluded.length;
  if (clauses > MAX_CLAUSES) throw new UsageError(`${param} has ${clauses} words or phrases; at most ${MAX_CLAUSES} are searched`, param);
  return out;
}

/** The folded words a query looks for (for ranking and highlighting), in order, each once. */
function positiveWords(t: TextQuery): string[] {
  return [...new Set([...t.words, ...t.phrases.flat(), ...t.prefixes.flat(), ...t.anyPhrase.flat()])];
}

/**
 * The Elasticsearch clauses of a text query: `must` (what selects), `mustNot`, and `should` (what only ranks: the
 * words in a title, the words next to each other). `fuzzy` lets each plain word be one or two edits away.
 */
export function textClauses(t: TextQuery, fuzzy: boolean): { must: Query[]; mustNot: Query[]; should: Query[] } {
  const must: Query[] = [];
  if (t.words.length > 0) {
    must.push({
      match: {
        all_text: {
          query: t.words.join(' '),
          operator: 'and',
          ...(fuzzy ? { fuzziness: 'AUTO', prefix_length: 1, max_expansions: 20 } : {}),
        },
      },
    });
  }
  for (const p of t.phrases) must.push({ match_phrase: { all_text: p.join(' ') } });
  for (const p of t.prefixes) {
    must.push(
      p.length === 1 ? { prefix: { all_text: p[0] } } : { match_phrase_prefix: { all_text: { query: p.join(' '), max_expansions: 100 } } },
    );
  }
  if (t.anyPhrase.length > 0) {
    must.push({ bool: { should: t.anyPhrase.map((p) => ({ match_phrase: { all_text: p.join(' ') } })), minimum_should_match: 1 } });
  }
  const mustNot = t.excluded.map((p) => ({ match_phrase: { all_text: p.join(' ') } }));
  const words = positiveWords(t).join(' ');
  const should: Query[] =
    words === ''
      ? []
      : [
          { match: { title: { query: words, boost: 3, ...(fuzzy ? { fuzziness: 'AUTO', prefix_length: 1 } : {}) } } },
          { match_phrase: { title: { query: words, slop: 2, boost: 4 } } },
          { match_phrase: { all_text: { query: words, slop: 2, boost: 2 } } },
        ];
  return { must, mustNot, should };
}

// ------------------------------------------------------------------------------------------------------ snippets

/** What a snippet marks: exact folded words, word beginnings, and (after a fuzzy search) words near those typed. */
export interface HighlightTerms {
  words: Set<string>;
  prefixes: string[];
  /** Words typed, matched with up to Elasticsearch's AUTO edits (first letter fixed); empty unless fuzzy. */
  near: string[];
  /** Words of the text already looked at (whether they match): the hits of one answer share most of their words. */
  seen?: Map<string, boolean>;
}

export function highlightTerms(t: TextQuery, fuzzy: boolean): HighlightTerms {
  return {
    words: new Set([...t.words, ...t.phrases.flat(), ...t.prefixes.flatMap((p) => p.slice(0, -1)), ...t.anyPhrase.flat()]),
    prefixes: t.prefixes.map((p) => p[p.length - 1]),
    near: fuzzy ? t.words : [],
    seen: new Map(),
  };
}

/** Whether a highlight could mark anything. */
export function hasTerms(terms: HighlightTerms): boolean {
  return terms.words.size + terms.prefixes.length + terms.near.length > 0;
}

/** Edits Elasticsearch's `fuzziness: AUTO` allows a word of this length. */
function autoEdits(length: number): number {
  return length < 3 ? 0 : length < 6 ? 1 : 2;
}

function matches(token: string, terms: HighlightTerms): boolean {
  if (terms.words.has(token)) return true;
  if (terms.prefixes.some((p) => token.startsWith(p))) return true;
  return terms.near.some(
    (w) => w[0] === token[0] && Math.abs(w.length - token.length) <= autoEdits(w.length) && editDistance(w, token) <= autoEdits(w.length),
  );
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const HTML_SPECIAL_RE = /[&<>"']/g;
/** The text with & < > " ' as entities (one pass; text without them is returned as it is). */
export function escapeHtml(text: string): string {
  HTML_SPECIAL_RE.lastIndex = 0;
  let m = HTML_SPECIAL_RE.exec(text);
  if (m === null) return text;
  let out = '';
  let at = 0;
  do {
    out += text.slice(at, m.index) + HTML_ESCAPES[m[0]];
    at = m.index + 1;
    m = HTML_SPECIAL_RE.exec(text);
  } while (m !== null);
  return out + text.slice(at);
}

/** Whitespace other than single spaces: a tab, a line break, two spaces... (what `clean` below rewrites). */
const ODD_SPACE_RE = /[^\S ]| {2}/;
/** The text on one line, runs of whitespace as one space, trimmed. */
function oneLine(text: string): string {
  return (ODD_SPACE_RE.test(text) ? text.replace(/\s+/g, ' ') : text).trim();
}

/** A word of the original text: letters, digits and the marks that go with them. */
const WORD_RE = /[\p{L}\p{N}\p{M}]+/gu;

/**
 * Words of record text already folded (`foldWords` of one word): result lists show the same words again and again
 * (place names, themes, "données"), and folding each word of every title and description is most of what a search
 * answer costs the server. Bounded: emptied when it holds MAX_FOLDED words (about 2 MB).
 */
const folded = new Map<string, string[]>();
const MAX_FOLDED = 20_000;
function foldedWord(word: string): string[] {
  let tokens = folded.get(word);
  if (tokens === undefined) {
    if (folded.size >= MAX_FOLDED) folded.clear();
    tokens = foldWords(word);
    folded.set(word, tokens);
  }
  return tokens;
}

/**
 * The text as safe HTML with the words matching `terms` in <mark>...</mark>; at most `maxChars` characters of text
 * (cut at spaces, with "…"), the window placed so that the first match shows. Undefined for an empty text.
 * `marked` tells whether a word matched.
 */
export function highlight(text: string | undefined, terms: HighlightTerms, maxChars = 240): { html: string; marked: boolean } | undefined {
  if (!text) return undefined;
  const clean = oneLine(text);
  if (!clean) return undefined;
  const spans: [number, number][] = [];
  if (hasTerms(terms)) {
    WORD_RE.lastIndex = 0;
    for (let m = WORD_RE.exec(clean); m !== null; m = WORD_RE.exec(clean)) {
      const word = m[0];
      let hit = terms.seen?.get(word);
      if (hit === undefined) {
        hit = foldedWord(word).some((token) => matches(token, terms));
        if (terms.seen && terms.seen.size < MAX_FOLDED) terms.seen.set(word, hit);
      }
      if (hit) spans.push([m.index, m.index + word.length]);
    }
  }
  return markedSnippet(clean, spans, maxChars);
}

/**
 * A text on one line as safe HTML with its `spans` (start, end; in order) in <mark>...</mark>: at most `maxChars`
 * characters (cut at spaces, with "…"), the window placed so that the first span shows.
 */
export function markedSnippet(clean: string, spans: [number, number][], maxChars: number): { html: string; marked: boolean } {
  // the window: the whole text when it fits; else starting a little before the first match, cut at spaces
  let start = 0;
  let end = clean.length;
  if (clean.length > maxChars) {
    if (spans.length > 0) start = Math.max(0, Math.min(spans[0][0] - Math.floor(maxChars / 4), clean.length - maxChars));
    if (start > 0) {
      const space = clean.indexOf(' ', start);
      start = space >= 0 && space < (spans[0]?.[0] ?? clean.length) ? space + 1 : start;
    }
    end = Math.min(clean.length, start + maxChars);
    if (end < clean.length) {
      const space = clean.lastIndexOf(' ', end);
      if (space > start) end = space;
    }
  }
  let html = start > 0 ? '…' : '';
  let at = start;
  for (const [s, e] of spans) {
    if (e <= start || s >= end) continue;
    html += escapeHtml(clean.slice(at, s)) + '<mark>' + escapeHtml(clean.slice(s, e)) + '</mark>';
    at = e;
  }
  html += escapeHtml(clean.slice(at, end)) + (end < clean.length ? '…' : '');
  return { html, marked: spans.some(([s, e]) => e > start && s < end) };
}
