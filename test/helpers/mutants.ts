/**
 * Broken variants of a real record, made in memory: every value of the document (an XML text node or attribute, a
 * JSON leaf) broken the ways real feeds break it (a URL without scheme or with a space or a `|` in it, an impossible
 * or reversed date, a number out of range, a blank text...), one value at a time. A variant is named by the kind of
 * break and where it was made, as an element path (the last four elements, `gmd:onLine/gmd:CI_OnlineResource/...`) or
 * a JSON path (`assets.*.href`); one variant per kind and place (the same break of the twentieth keyword teaches
 * nothing the first did not): of each document, or of several when they share `seen`.
 */

export interface Mutant {
  /** What was broken: `url-badchar`, `date-reversed`, `attr-schemeless`... */
  kind: string;
  /** Where: an element path (`.../gmd:URL`, `...@xlink:href` for an attribute) or a JSON path (`providers.*.url`). */
  where: string;
  /** The value before and after. */
  from: string;
  to: unknown;
  /** The whole document with that one value broken. */
  text: string;
}

const URL_RE = /^(https?|ftp):\/\//i;
const DATE_RE = /^\d{4}-\d{2}-\d{2}/;
const NUM_RE = /^-?\d+(\.\d+)?$/;

/** The ways one text value can be broken, by what it looks like. */
function breaks(value: string): [kind: string, broken: string][] {
  const t = value.trim();
  const out: [string, string][] = [];
  if (URL_RE.test(t)) {
    out.push(['url-schemeless', t.replace(URL_RE, '')], ['url-badchar', `${t}/a b|{c}"d`], ['url-relative', 'page.jsp?id=1']);
  } else if (DATE_RE.test(t)) {
    // an impossible day; a year far ahead (a period's begin then falls after its end); words
    out.push(['date-impossible', t.replace(/^(\d{4})-\d{2}-\d{2}/, '2019-02-30')], ['date-reversed', t.replace(/^\d{4}/, '2999')]);
    out.push(['date-words', 'unknown']);
  } else if (NUM_RE.test(t)) {
    out.push(['num-negative', '-' + t.replace(/^-/, '')], ['num-big', '999'], ['num-zero', '0'], ['num-text', 'n/a']);
  } else if (t.includes('@') && !t.includes(' ')) out.push(['email-bad', 'nobody at example']);
  if (t) out.push(['blank', ' '], ['nbsp', '\u00a0']);
  return out;
}

const xmlEscape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Element paths (last four elements) of every position of an XML text, by offset. */
function elementPaths(text: string): (offset: number) => string {
  const marks: [number, string][] = [];
  const stack: string[] = [];
  for (const m of text.matchAll(/<(\/?)([A-Za-z_][\w.:-]*)[^>]*?(\/?)>/g)) {
    if (m[0].startsWith('<?') || m[0].startsWith('<!')) continue;
    if (m[1]) stack.pop();
    else if (!m[3]) stack.push(m[2]);
    marks.push([m.index + m[0].length, stack.slice(-4).join('/')]);
  }
  return (offset) => {
    let path = '';
    for (const [at, p] of marks) {
      if (at > offset) break;
      path = p;
    }
    return path;
  };
}

/** Broken variants of an XML document: its text nodes, and its attributes that hold references or codes. */
export function* xmlMutants(text: string, seen = new Set<string>()): Generator<Mutant> {
  const pathAt = elementPaths(text);
  const once = (kind: string, where: string) => !seen.has(`${kind}|${where}`) && seen.add(`${kind}|${where}`);
  for (const m of text.matchAll(/>([^<>]+)</g)) {
    if (!m[1].trim() || m[1].includes('&')) continue;
    const where = pathAt(m.index + 1);
    for (const [kind, to] of breaks(m[1])) {
      if (!once(kind, where)) continue;
      const start = m.index + 1;
      yield { kind, where, from: m[1], to, text: text.slice(0, start) + xmlEscape(to) + text.slice(start + m[1].length) };
    }
  }
  for (const m of text.matchAll(/\s(xlink:href|codeListValue|locale|uuidref|uom|indeterminatePosition)="([^"]*)"/g)) {
    const where = `${pathAt(m.index)}@${m[1]}`;
    const value = m[2];
    const variants: [string, string][] = [
      ['attr-bad', 'not a valid value'],
      ['attr-empty', ''],
      ...(URL_RE.test(value)
        ? ([
            ['attr-schemeless', value.replace(URL_RE, '')],
            ['attr-badchar', `${value}/a b|{c}"d`],
          ] as [string, string][])
        : []),
    ];
    for (const [kind, to] of variants) {
      if (!once(kind, where)) continue;
      const start = m.index + m[0].indexOf('"') + 1;
      yield { kind, where, from: value, to, text: text.slice(0, start) + xmlEscape(to) + text.slice(start + value.length) };
    }
  }
}

/** Broken variants of a JSON document: each string and number leaf. */
export function* jsonMutants(text: string, seen = new Set<string>()): Generator<Mutant> {
  const json: unknown = JSON.parse(text);
  const leaves: [(string | number)[], unknown][] = [];
  (function walk(v: unknown, path: (string | number)[]) {
    if (v !== null && typeof v === 'object') {
      for (const [k, c] of Object.entries(v)) walk(c, [...path, Array.isArray(v) ? Number(k) : k]);
    } else leaves.push([path, v]);
  })(json, []);
  for (const [path, value] of leaves) {
    if (typeof value !== 'string' && typeof value !== 'number') continue;
    const where = path.map((k) => (typeof k === 'number' ? '*' : k)).join('.');
    const variants: [string, unknown][] =
      typeof value === 'string'
        ? breaks(value)
        : breaks(String(value))
            .filter(([k]) => k.startsWith('num'))
            .map(([k, s]) => [k, Number.isFinite(Number(s)) ? Number(s) : s]);
    for (const [kind, to] of variants) {
      if (seen.has(`${kind}|${where}`)) continue;
      seen.add(`${kind}|${where}`);
      const copy = structuredClone(json) as Record<string | number, unknown>;
      let o = copy;
      for (const k of path.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
      o[path[path.length - 1]] = to;
      yield { kind, where, from: String(value), to, text: JSON.stringify(copy) };
    }
  }
}
