/**
 * The regular expressions of ACCENTI (pipelines/cql2-query.ts), read as JavaScript reads the same syntax (character
 * classes, `.`, `*`, backslash escapes): which whole values they match, LIKE patterns included.
 * What the node finds with them on real records is tested in test/api/ogc-records-filter.test.ts.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { accentRegexp, likeToAccentRegexp } from '../../pipelines/cql2-query.js';

const whole = (re: string) => new RegExp(`^(?:${re})$`);

test('ACCENTI: each letter matches its marked forms; case counts only without CASEI', () => {
  const re = whole(accentRegexp('temperature', false));
  for (const v of ['temperature', 'température', 'tëmpérâtürè', 'tĕmpȩrature']) assert.ok(re.test(v), v);
  for (const v of ['Température', 'temperatures', 'temprature', 'tempœrature']) assert.not.ok(re.test(v), v);
  // the literal's own accents do not count either
  assert.ok(whole(accentRegexp('Été', false)).test('Ete'));
  assert.not.ok(whole(accentRegexp('Été', false)).test('ete'));
  const ci = whole(accentRegexp('Été', true));
  for (const v of ['ete', 'ÉTÉ', 'été', 'eTÈ']) assert.ok(ci.test(v), v);
  assert.not.ok(ci.test('etes'));
});

test('ACCENTI: characters special to regular expressions are literal; digits and other scripts stand for themselves', () => {
  const re = whole(accentRegexp('a.b*c (d) [e] {f} ~g@h#i&j<k>l|m+n?o"p\\q', false));
  assert.ok(re.test('a.b*c (d) [e] {f} ~g@h#i&j<k>l|m+n?o"p\\q'));
  assert.not.ok(re.test('axb*c (d) [e] {f} ~g@h#i&j<k>l|m+n?o"p\\q'));
  assert.ok(whole(accentRegexp('Ωμέγα 2020', false)).test('Ωμέγα 2020'));
});

test('ACCENTI LIKE: % any run, _ one character, \\ escapes them', () => {
  const re = whole(likeToAccentRegexp('pre%cipit_tion%', false));
  for (const v of ['précipitation', 'precipitations', 'pré-précipitation mensuelle', 'precipitétion']) assert.ok(re.test(v), v);
  for (const v of ['precipitaation', 'Précipitation']) assert.not.ok(re.test(v), v);
  const esc = whole(likeToAccentRegexp('100\\%_', false));
  assert.ok(esc.test('100%x'));
  assert.not.ok(esc.test('1000x'));
  assert.is(likeToAccentRegexp('a%%%b', false), likeToAccentRegexp('a%b', false));
});

test.run();
