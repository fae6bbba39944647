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
import { isWarningCode, phrase, renderText, templateParams, WARNING_TEXTS } from '../../core/texts/render.js';
import { coded, phraseText } from '../../core/warnings.js';
import { projectPath } from '../../schemas/paths.js';

const CODES = Object.keys(WARNINGS_EN) as (keyof typeof WARNINGS_EN)[];

/** The TypeScript sources under a folder of the project, with their paths. */
function sources(...dir: string[]): { path: string; text: string }[] {
  const root = projectPath(...dir);
  return (readdirSync(root, { recursive: true, withFileTypes: false }) as string[])
    .filter((f) => f.endsWith('.ts'))
    .map((f) => ({ path: join(...dir, f), text: readFileSync(join(root, f), 'utf8') }));
}

const CODE_SHAPE = /^[a-z]+(\.[A-Za-z0-9]+)+$/;

test('every code has an English and a French text with the same parameters', () => {
  assert.ok(CODES.length >= 130, `${CODES.length} codes`);
  assert.equal(Object.keys(WARNINGS_FR).sort(), [...CODES].sort());
  for (const code of CODES) {
    assert.match(code, CODE_SHAPE);
    const en = WARNINGS_EN[code];
    const fr = WARNINGS_FR[code];
    assert.ok(en.trim() && fr.trim(), code);
    assert.equal(templateParams(fr), templateParams(en), code);
    assert.is.not(fr, en, `${code}: the French is the English`);
    // no brace left that is not a parameter
    for (const t of [en, fr]) assert.not.match(t.replace(/\{\w+\}/g, ''), /[{}]/, code);
  }
});

test('the French follows the French typography: narrow no-break space before : ; ? !, no-break spaces inside « »', () => {
  for (const code of CODES) {
    const fr = WARNINGS_FR[code];
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
  for (const c of CODES) assert.ok(all.includes(`'${c}'`), `${c} is used nowhere`);
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

test.run();
