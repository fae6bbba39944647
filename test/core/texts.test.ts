/**
 * The catalogue of warning texts (core/texts): every code has its English and French texts with the same parameters,
 * the French follows the French typography, every code the sources use is in it and every code in it is used; the
 * crosswalks make no warning without a code. The compiler refuses an unknown code or a missing parameter at a call
 * (the calls are typed by the English catalogue); this test reads the sources for what the types cannot see.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WARNINGS_EN } from '../../core/texts/warnings-en.js';
import { WARNINGS_FR } from '../../core/texts/warnings-fr.js';
import { MESSAGES_EN } from '../../core/texts/messages-en.js';
import { MESSAGES_FR } from '../../core/texts/messages-fr.js';
import {
  isWarningCode,
  phrase,
  readForm,
  renderText,
  templateParams,
  TEXTS_EN,
  WARNING_TEXTS,
  type Phrase,
  type WarningCode,
} from '../../core/texts/render.js';
import { codeOf, coded, phraseText } from '../../core/warnings.js';
import { projectPath } from '../../schemas/paths.js';

const CODES = Object.keys(TEXTS_EN) as WarningCode[];
/** The codes of the messages read back from their English (core/texts/messages-en.ts), not made from their code. */
const READ_BACK = new Set(Object.keys(MESSAGES_EN));

/** The TypeScript sources under a folder of the project, with their paths. */
function sources(...dir: string[]): { path: string; text: string }[] {
  const root = projectPath(...dir);
  return (readdirSync(root, { recursive: true, withFileTypes: false }) as string[])
    .filter((f) => f.endsWith('.ts'))
    .map((f) => ({ path: join(...dir, f), text: readFileSync(join(root, f), 'utf8') }));
}

const CODE_SHAPE = /^[a-z]+(\.[A-Za-z0-9]+)+$/;

test('every code has an English and a French text with the same parameters', () => {
  assert.ok(CODES.length >= 330, `${CODES.length} codes`);
  // the warnings' and the messages' catalogues share one namespace: no code in both
  assert.is(Object.keys(WARNINGS_EN).filter((c) => READ_BACK.has(c)).length, 0);
  assert.equal(Object.keys(WARNINGS_FR).sort(), Object.keys(WARNINGS_EN).sort());
  assert.equal(Object.keys(MESSAGES_FR).sort(), Object.keys(MESSAGES_EN).sort());
  for (const code of CODES) {
    assert.match(code, CODE_SHAPE);
    const en = TEXTS_EN[code];
    const fr = WARNING_TEXTS.fr[code];
    assert.ok(en.trim() && fr.trim(), code);
    assert.equal(templateParams(fr), templateParams(en), code);
    assert.is.not(fr, en, `${code}: the French is the English`);
    // no brace left that is not a parameter
    for (const t of [en, fr]) assert.not.match(t.replace(/\{\w+\}/g, ''), /[{}]/, code);
  }
});

test('the French follows the French typography: narrow no-break space before : ; ? !, no-break spaces inside « »', () => {
  for (const code of CODES) {
    const fr = WARNING_TEXTS.fr[code];
    // a colon that ends a clause (a space or the end after it); "https:", "dct:title" are names, not punctuation
    assert.not.match(fr, /(?<!\u202f)[:;?!](?=\s|$)/, `${code}: ${fr}`);
    assert.not.match(fr, /[ \u00a0][:;?!]/, `${code}: a plain space before punctuation`);
    assert.not.match(fr, /«(?!\u00a0)|(?<!\u00a0)»/, `${code}: « » without their no-break spaces`);
    // a value the English quotes "so" is quoted « so » in French
    assert.not.match(fr, /"\{\w+\}"/, code);
    assert.not.match(fr, /'/, `${code}: the typographic apostrophe ’`);
  }
});

test('every code is used by the sources, and every code-like string of the crosswalks is in the catalogue', () => {
  const code = [
    ...sources('mappings'),
    ...sources('core'),
    ...sources('pipelines'),
    ...sources('schemas'),
    ...sources('harvesters'),
  ].filter((f) => !f.path.startsWith('core/texts/'));
  const all = code.map((f) => f.text).join('\n');
  for (const c of CODES) if (!READ_BACK.has(c)) assert.ok(all.includes(`'${c}'`), `${c} is used nowhere`);
  const prefixes = new Set(CODES.map((c) => c.split('.')[0]));
  // the files that make warnings (they import core/warnings or core/texts): a string shaped as a code is one
  const makers = code.filter((x) => /from '[./]*core\/(warnings|texts\/render)\.js'|from '\.\/(warnings|texts\/render)\.js'/.test(x.text));
  assert.ok(makers.length >= 35, `${makers.length} files make warnings`);
  for (const f of makers)
    for (const m of f.text.matchAll(/'([a-z]+\.[A-Za-z0-9.]+)'/g))
      if (prefixes.has(m[1].split('.')[0]) && CODE_SHAPE.test(m[1]) && !/\.(js|ts|json|xml)$/.test(m[1]))
        assert.ok(isWarningCode(m[1]), `${f.path}: '${m[1]}' is not in the catalogue`);
});

test('the crosswalks make no warning without a code', () => {
  for (const f of [...sources('mappings'), { path: 'core/stac.ts', text: readFileSync(projectPath('core', 'stac.ts'), 'utf8') }]) {
    // (the ISO crosswalk's warn() takes a code, typed: a message of its own does not compile)
    assert.not.match(f.text, /\bsourceWarning\(/, `${f.path} writes a warning without a code`);
  }
});

test('rendering: parameters filled in, phrases in the same language, lists joined; undefined when it cannot be', () => {
  assert.is(renderText('en', 'stac.doi.invalid', { value: 'x' }), '"x" is not a DOI, ignored');
  assert.is(renderText('fr', 'stac.doi.invalid', { value: 'x' }), '«\u00a0x\u00a0» n’est pas un DOI\u202f: ignoré');
  const nested = { why: phrase('stac.bbox.length', { count: 3 }), leftOut: phrase('stac.leftOut.box') };
  assert.is(renderText('en', 'stac.extent.invalid', nested), 'expected 4 or 6 numbers, got 3: the box is left out');
  assert.is(renderText('fr', 'stac.extent.invalid', nested), '4 ou 6 nombres attendus, trouvé 3\u202f: le rectangle est laissé de côté');
  const listed = {
    name: 'gmd:DS_Series',
    count: 2,
    held: 5,
    aggregates: [
      phrase('iso.series.aggregateHolding', { element: 'gmd:a', records: 2 }),
      phrase('iso.series.aggregateHolding', { element: 'gmd:b', records: 3 }),
    ],
  };
  assert.match(renderText('en', 'iso.series.nestedAggregates', listed)!, /\(gmd:a holding 2, gmd:b holding 3\)/);
  assert.match(renderText('fr', 'iso.series.nestedAggregates', listed)!, /\(gmd:a en contenant 2, gmd:b en contenant 3\)/);
  // a code of another version, a parameter missing or of no known kind: the caller falls back to the stored English
  assert.is(renderText('fr', 'stac.gone', {}), undefined);
  assert.is(renderText('fr', 'stac.doi.invalid', {}), undefined);
  assert.is(renderText('fr', 'stac.doi.invalid', { value: { code: 'stac.gone' } }), undefined);
  assert.is(renderText('fr', 'stac.doi.invalid', { value: null }), undefined);
  assert.equal(Object.keys(WARNING_TEXTS), ['en', 'fr']);
});

test('a coded warning: its message is the English text filled in, with its code and parameters', () => {
  assert.equal(coded('license', 'stac.license.missing'), {
    at: 'license',
    message: 'missing: the terms of use are unknown',
    code: 'stac.license.missing',
  });
  assert.equal(coded('sci:doi', 'stac.doi.invalid', { value: '10/x' }), {
    at: 'sci:doi',
    message: '"10/x" is not a DOI, ignored',
    code: 'stac.doi.invalid',
    params: { value: '10/x' },
  });
  assert.is(phraseText(phrase('stac.nothing')), 'nothing');
  // the types refuse an unknown code or a missing parameter; forced through, it is an error, not a half sentence
  assert.throws(() => coded('x', 'stac.doi.invalid', {} as never), /stac\.doi\.invalid: a parameter is missing/);
});

/** A sample phrase of each family a parameter names (render.ts FAMILIES), to fill the forms that nest one. */
const SAMPLE_OF: Record<string, Phrase> = {
  reason: phrase('error.xml.empty'),
  xml: phrase('xml.noRoot'),
  json: phrase('json.end'),
  kind: phrase('kind.xml'),
  net: phrase('net.reset'),
  ssrf: phrase('ssrf.notUrl', { target: 'ftp://example.org/x' }),
  xsd: phrase('xsd.notExpected'),
  issue: phrase('ozcar.pivot.empty'),
  first: phrase('ozcar.pivot.empty'),
  rest: phrase('ozcar.pivot.required'),
  stop: phrase('stop.noMatched'),
};
/** A sample value of a plain parameter: what its pattern (render.ts PARAM_PATTERNS) takes, else words. */
const SAMPLE_VALUE: Record<string, string> = {
  line: '12',
  column: '3',
  position: '40',
  count: '2',
  element: '{urn:x}e',
  attribute: '{urn:x}a',
  tag: 'gmd:x',
  url: 'https://example.org/a',
  target: 'https://example.org/b',
  host: 'example.org',
  code: 'ECONNRESET',
  method: 'GET',
  next: 'https://example.org/next',
  status: '404',
  bytes: '1000',
  limit: '10',
};
const sampleValue = (name: string): string | Phrase => SAMPLE_OF[name] ?? SAMPLE_VALUE[name] ?? `a ${name} value`;

test('every message form reads its own English back: the same code, values that render to the very message, and French', () => {
  assert.ok(READ_BACK.size >= 140, `${READ_BACK.size} forms`);
  for (const code of READ_BACK as Set<WarningCode>) {
    const params = Object.fromEntries(templateParams(TEXTS_EN[code]).map((n) => [n, sampleValue(n)]));
    const en = renderText('en', code, params)!;
    const back = readForm(code.split('.')[0] + '.', en);
    assert.ok(back, `${code}: "${en}" is not read back`);
    assert.is(renderText('en', back.code, back.params), en, code);
    assert.is(back.code, code, `${code}: "${en}" read as ${back.code}`);
    assert.ok(renderText('fr', back.code, back.params), code);
  }
});

test('real messages read back: a blocking error, a notice, a link failure, xmllint forms; an unknown form is none', () => {
  // saxes's error in core/xml.ts's words (test/fixtures/iso/mismatched-tags.xml)
  const malformed = 'malformed XML at line 5, column 3: end tag </gmd:fileIdent> does not match start tag <gmd:fileIdentifier>';
  assert.equal(codeOf('error.', malformed), {
    code: 'error.xml.malformed',
    params: { line: '5', column: '3', xml: phrase('xml.endTagMismatch', { end: '/gmd:fileIdent', start: 'gmd:fileIdentifier' }) },
  });
  assert.is(
    renderText('fr', 'error.xml.malformed', codeOf('error.', malformed).params),
    'XML mal formé ligne 5, colonne 3\u202f: la balise fermante </gmd:fileIdent> ne correspond pas à la balise ouvrante <gmd:fileIdentifier>',
  );
  // JSON.parse's words inside the reader's sentence
  const json =
    '/x/CATC_en_invalidJsonFile.json: neither XML nor valid JSON (Unexpected non-whitespace character after JSON at position 12)';
  assert.is(codeOf('error.', json).code, 'error.file.notXmlNorJson');
  // the OZCAR reader's forgiven problems, joined by "; "
  const forgiven =
    '/x/CRYO_en.json: producer accepted with forgiven problems: /producer/fundings/4/acronym: must not be empty; /producer/fundings/4/idScanR: must not be empty';
  const p = readForm('notice.', forgiven)!;
  assert.is(
    renderText('fr', p.code, p.params),
    '/x/CRYO_en.json\u202f: producteur accepté malgré des problèmes pardonnés\u202f: /producer/fundings/4/acronym\u202f: ne doit pas être vide\u202f; /producer/fundings/4/idScanR\u202f: ne doit pas être vide',
  );
  // a link: the system's words after its code, and the SSRF guard's refusal naming one address twice
  assert.is(codeOf('links.', 'https://a.invalid/x does not answer: ENOTFOUND: getaddrinfo ENOTFOUND a.invalid').code, 'links.network');
  const ssrf =
    'http://h.test/ does not answer: h.test resolves to 10.0.0.1: refused, 10.0.0.1 is not a public address (private) (not on the public internet)';
  assert.is(
    renderText('fr', 'links.refused', codeOf('links.', ssrf).params),
    'http://h.test/ ne répond pas\u202f: h.test se résout en 10.0.0.1\u202f: refusé, 10.0.0.1 n’est pas une adresse publique (private) (hors de l’internet public)',
  );
  assert.equal(codeOf('links.', ssrf.replace('refused, 10.0.0.1', 'refused, 10.0.0.2')), {}, 'the two addresses must be one');
  // xmllint: the element, then the form of what is wrong (libxml2 2.9.14)
  const xsd =
    "XML schema: Element '{http://www.isotc211.org/2005/gco}Date': '2005 - 2020' is not a valid value of the union type '{http://www.isotc211.org/2005/gco}Date_Type'.";
  assert.is(
    renderText('fr', 'xsd.warning', codeOf('xsd.', xsd).params),
    'schéma XML\u202f: élément {http://www.isotc211.org/2005/gco}Date\u202f: «\u00a02005 - 2020\u00a0» n’est pas une valeur valide du type union {http://www.isotc211.org/2005/gco}Date_Type.',
  );
  // forms of no known kind: nothing (the report keeps the English, marked)
  assert.equal(codeOf('xsd.', "XML schema: Element 'x': A message libxml2 may write one day."), {});
  assert.equal(codeOf('error.', 'malformed XML at line 1, column 2: malformed start tag "<a b": saxes words'), {});
  assert.equal(codeOf('notice.', 'something a reader says'), {});
});

test.run();
