/**
 * pipelines/files.ts prefetchFiles: read ahead on the thread pool (depth > 0) or each file in its turn, synchronously
 * (depth 0, a one-core run): the same texts in the same order either way, and a file that cannot be read rejects its
 * own text only, the files after it still read.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync } from 'node:fs';
import { prefetchFiles } from '../../pipelines/files.js';
import { sharedFixture } from '../../schemas/paths.js';

const files = readdirSync(sharedFixture('iso19139'))
  .filter((f) => f.endsWith('.xml'))
  .sort()
  .map((f) => sharedFixture('iso19139', f));
const MISSING = sharedFixture('iso19139', 'no-such-file.xml');
const inputs = [...files.slice(0, 5), MISSING, '', ...files.slice(5)];

async function read(depth: number | undefined): Promise<{ input: string; text?: string; error?: string }[]> {
  const out: { input: string; text?: string; error?: string }[] = [];
  for await (const { input, text } of prefetchFiles(inputs, (i) => i || undefined, depth)) {
    if (!text) out.push({ input });
    else
      await text.then(
        (t) => out.push({ input, text: t }),
        (err: NodeJS.ErrnoException) => out.push({ input, error: err.code }),
      );
  }
  return out;
}

for (const depth of [0, 1, undefined])
  test(`prefetchFiles, depth ${depth ?? 'default'}: every input in order, each file's text, a missing file's error alone`, async () => {
    const got = await read(depth);
    assert.equal(
      got.map((g) => g.input),
      inputs,
    );
    for (const g of got) {
      if (g.input === MISSING) assert.is(g.error, 'ENOENT');
      else if (g.input === '') assert.equal(g, { input: '' });
      else assert.is(g.text, readFileSync(g.input, 'utf8'), g.input);
    }
  });

test.run();
