/**
 * Snippets (pipelines/search-text.ts highlight): the faster highlighter marks exactly what the plain one did, on the
 * titles and descriptions of every real fixture family, for words, prefixes and typing mistakes, with the caches of
 * folded words full, emptied and shared by the hits of one answer.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { foldWords } from '../../core/fold.js';
import { editDistance } from '../../core/nearest.js';
import { escapeHtml, highlight, highlightTerms, markedSnippet, parseUserQuery, type HighlightTerms } from '../../pipelines/search-text.js';
import { fixtureRecords } from '../helpers/fixture-index.js';

// ------------------------------ the plain highlighter, as it was written first (its marks; the window is shared)

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const plainEscape = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
const edits = (n: number) => (n < 3 ? 0 : n < 6 ? 1 : 2);

function plainMatches(token: string, t: HighlightTerms): boolean {
  if (t.words.has(token)) return true;
  if (t.prefixes.some((p) => token.startsWith(p))) return true;
  return t.near.some(
    (w) => w[0] === token[0] && Math.abs(w.length - token.length) <= edits(w.length) && editDistance(w, token) <= edits(w.length),
  );
}

function plainHighlight(text: string | undefined, t: HighlightTerms, maxChars = 240): { html: string; marked: boolean } | undefined {
  const clean = text?.replace(/\s+/g, ' ').trim();
  if (!clean) return undefined;
  const spans: [number, number][] = [];
  if (t.words.size + t.prefixes.length + t.near.length > 0)
    for (const m of clean.matchAll(/[\p{L}\p{N}\p{M}]+/gu))
      if (foldWords(m[0]).some((token) => plainMatches(token, t))) spans.push([m.index, m.index + m[0].length]);
  return markedSnippet(clean, spans, maxChars);
}

// ------------------------------------------------------------------------------------------------ the texts

const records = await fixtureRecords();
const texts: string[] = [];
for (const r of records) {
  texts.push(...Object.values(r.title ?? {}));
  texts.push(...Object.values(r.description ?? {}));
}
// what real records also hold: line breaks, tabs, runs of spaces, non-breaking spaces, markup characters
const odd = texts.slice(0, 40).map((t, i) => (i % 2 ? `  ${t.replace(/ /g, '\n\t ')}\u00a0` : `<b>${t}</b> & "so" 'on'`));
const all = [...texts, ...odd, '', '   ', '\n'];

/** Queries: fixed ones (accents, elisions, prefixes, phrases) and words taken from the texts themselves. */
const queries: { q: string; fuzzy: boolean }[] = [
  { q: 'sol', fuzzy: false },
  { q: 'données glaciers', fuzzy: false },
  { q: "l'eau débit*", fuzzy: false },
  { q: '"snow cover" sentinel-2', fuzzy: false },
  { q: 'temperatur precipitaton', fuzzy: true },
  { q: 'glacer', fuzzy: true },
];
for (const t of texts.slice(0, 60)) {
  const words = t.split(/\s+/).filter((w) => w.length > 3);
  if (words.length > 2) queries.push({ q: `${words[1]} ${words[words.length - 1].slice(0, 4)}*`, fuzzy: false });
}

test('fixture texts: enough to mean something', () => {
  assert.ok(texts.length > 50, `${texts.length} texts`);
  assert.ok(queries.length > 20, `${queries.length} queries`);
});

test('highlight marks what the plain highlighter marks, terms shared by all texts (as the hits of one answer)', () => {
  let marked = 0;
  for (const { q, fuzzy } of queries) {
    const terms = highlightTerms(parseUserQuery(q), fuzzy);
    for (const text of all) {
      for (const max of [240, 10_000]) {
        const got = highlight(text, terms, max);
        assert.equal(got, plainHighlight(text, terms, max), `q=${q} on "${text.slice(0, 80)}"`);
        if (got?.marked) marked++;
      }
    }
  }
  // the comparison covers marked snippets, not only texts where nothing matches
  assert.ok(marked > 200, `${marked} marked snippets`);
});

test('no words to mark: the text on one line, escaped, cut at a space', () => {
  const none = highlightTerms(parseUserQuery(undefined), false);
  for (const text of all) assert.equal(highlight(text, none), plainHighlight(text, none));
  assert.equal(highlight(' a\n\nb <c> ', none), { html: 'a b &lt;c&gt;', marked: false });
  assert.is(highlight('  \t', none), undefined);
});

test('the cache of folded words emptied along the way changes nothing', () => {
  const terms = highlightTerms(parseUserQuery('glacier neige*'), false);
  // more distinct words than the cache holds (20,000): it is emptied, then filled again
  const filler = Array.from({ length: 25_000 }, (_, i) => `mot${i.toString(36)}x`).join(' ');
  const got = highlight(filler, highlightTerms(parseUserQuery('zzz'), false), 100);
  assert.is(got?.marked, false);
  for (const text of all) assert.equal(highlight(text, terms), plainHighlight(text, terms));
  // a fresh set of terms for every text (no answer-wide memory) gives the same snippets
  for (const text of all.slice(0, 100)) {
    const fresh = highlightTerms(parseUserQuery('glacier neige*'), false);
    assert.equal(highlight(text, fresh), plainHighlight(text, terms));
  }
});

test('escapeHtml: the five characters, everything else as it is', () => {
  assert.is(escapeHtml(`a<b>&"c'd`), 'a&lt;b&gt;&amp;&quot;c&#39;d');
  assert.is(escapeHtml('plain text é ü'), 'plain text é ü');
  assert.is(escapeHtml(''), '');
  assert.is(escapeHtml('&&'), '&amp;&amp;');
  for (const text of all) assert.is(escapeHtml(text), plainEscape(text));
});

test.run();
