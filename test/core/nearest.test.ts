/** "Did you mean": the nearest known name to a mistyped one, or none when nothing is near. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { editDistance, nearest } from '../../core/nearest.js';

test('edit distance: insertions, deletions and substitutions, case-insensitive', () => {
  assert.is(editDistance('', ''), 0);
  assert.is(editDistance('url', 'urll'), 1);
  assert.is(editDistance('pagesize', 'pageSize'), 0);
  assert.is(editDistance('kitten', 'sitting'), 3);
  assert.is(editDistance('abc', ''), 3);
});

test('nearest: a likely typo finds its name; an unrelated word finds none', () => {
  const options = ['--url', '--type', '--id', '--sources', '--source', '--max-delete-ratio', '--report-dir', '--es', '--alias'];
  assert.is(nearest('--urll', options), '--url');
  assert.is(nearest('--sorce', options), '--source');
  assert.is(nearest('--max-delete', options), '--max-delete-ratio', 'a prefix');
  assert.is(nearest('--alais', options), '--alias');
  assert.is(nearest('--colour', options), undefined);
  assert.is(nearest('x', []), undefined);
  assert.is(nearest('indx', ['enrich', 'index', 'none']), 'index');
  assert.is(nearest('cryo', ['cryo-en', 'tour']), 'cryo-en');
});

test.run();
