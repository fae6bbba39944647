import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fold, foldChars, sortKey, stemWord } from '../../core/fold.js';
import { CRYO } from '../schemas/sample-records.js';

test('accents, case and ligatures fold to plain lower-case ASCII letters', () => {
  assert.is(foldChars('Évolution DES Glaciers'), 'evolution des glaciers');
  assert.is(foldChars('Œuvre, cœur, Æther, Straße, Øresund, Łódź'), 'oeuvre, coeur, aether, strasse, oresund, lodz');
  assert.is(foldChars('ﬁchier'), 'fichier', 'compatibility ligature');
  // A real name from the CRYO fixture, with its accents.
  const org = CRYO.datasets[0].metadata.contacts[0].organisation.name;
  assert.is(org, 'Institut des Géosciences de Grenoble');
  assert.is(fold(org), 'institut des geoscience de grenoble');
});

test('apostrophes split French elisions, whatever the apostrophe character', () => {
  for (const a of ["'", '’', 'ʼ', '‘']) assert.is(fold(`L${a}évolution de l${a}eau`), 'l evolution de l eau');
});

test('the light plural stemmer: regular plurals meet their singular, short and exceptional words stay', () => {
  assert.is(stemWord('glaciers'), 'glacier');
  assert.is(stemWord('donnees'), 'donnee');
  assert.is(stemWord('eaux'), 'eau');
  assert.is(stemWord('niveaux'), 'niveau');
  for (const w of ['des', 'les', 'gas', 'glass', 'campus', 'analysis', 'flux', 'prix', 's2a', '1990s']) assert.is(stemWord(w), w);
  assert.is(fold('Évolution des glaciers'), 'evolution des glacier');
  assert.is(fold('evolution glacier'), 'evolution glacier', 'the query side meets the document side');
  assert.is(fold('niveaux des eaux'), 'niveau des eau');
});

test('digits and mixed tokens survive; punctuation is a single space', () => {
  assert.is(fold('Sentinel-2 L2A, 10 m (2019/2020)'), 'sentinel 2 l2a 10 m 2019 2020');
  assert.is(fold('  '), '');
});

test('sortKey folds without stemming and truncates', () => {
  assert.is(sortKey('Évolution des glaciers'), 'evolution des glaciers');
  assert.is(sortKey('a'.repeat(300)).length, 200);
});

test.run();
