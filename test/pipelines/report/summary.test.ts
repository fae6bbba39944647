/**
 * The line naming a report's sources: a few as they are, many files counted by folder, URLs kept, "and N more".
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sourcesLine } from '../../../pipelines/report/summary.js';

test('sourcesLine: up to five sources as given; beyond, files counted by folder, URLs as they are, six groups and more cut', () => {
  assert.is(sourcesLine(['a.xml']), '1 source: a.xml');
  const five = ['/d/a.xml', '/d/b.xml', 'https://csw.example/csw', '-', 'c.json'];
  assert.is(sourcesLine(five), `5 sources: ${five.join(', ')}`);
  const files = Array.from({ length: 2700 }, (_, i) => `/data/iso/r-${i}.xml`);
  assert.is(sourcesLine(files), '2700 sources: 2700 files in /data/iso');
  assert.is(
    sourcesLine([...files.slice(0, 3), 'https://csw.example/csw?a=b/c', '/data/ozcar/x.json', 'rel/y.xml', '/z.xml']),
    '7 sources: 3 files in /data/iso, https://csw.example/csw?a=b/c, 1 file in /data/ozcar, 1 file in rel, 1 file in /',
  );
  const many = Array.from({ length: 8 }, (_, i) => `/f${i}/a.xml`);
  assert.is(sourcesLine(many), '8 sources: 1 file in /f0, 1 file in /f1, 1 file in /f2, 1 file in /f3, 1 file in /f4, and 3 more');
  // the French report's line
  assert.is(sourcesLine(['a.xml'], 'fr'), '1 source\u202f: a.xml');
  assert.is(sourcesLine(files, 'fr'), '2700 sources\u202f: 2700 fichiers dans /data/iso');
  assert.is(
    sourcesLine(many, 'fr'),
    '8 sources\u202f: 1 fichier dans /f0, 1 fichier dans /f1, 1 fichier dans /f2, 1 fichier dans /f3, 1 fichier dans /f4, et 3 de plus',
  );
});

test.run();
