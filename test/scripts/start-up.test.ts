/**
 * What `harvester validate` and `harvester map` load before their first record: no Elasticsearch client, HTTP client,
 * YAML reader, scheduler or web server (their start-up was 0.55 s of CPU with them, 0.22 s without: docs/validate.md).
 * Read from the compiled modules' static imports, as node loads them (a type-only import is gone from the compiled
 * file; an `await import()` is loaded only when used).
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const DIST = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const STATIC = /^(?:import|export)\s[^;]*?from\s*['"]([^'"]+)['"]|^import\s*['"]([^'"]+)['"]/gm;

/** The packages a compiled module loads with it (static imports, followed through our own modules), each with the chain that brings it. */
function packagesOf(entry: string): Map<string, string> {
  const seen = new Map<string, string | undefined>();
  const packages = new Map<string, string>();
  const queue: [string, string | undefined][] = [[resolve(DIST, entry), undefined]];
  const chain = (f: string | undefined): string[] => (f ? [...chain(seen.get(f)), f.slice(DIST.length + 1)] : []);
  while (queue.length) {
    const [file, from] = queue.shift()!;
    if (seen.has(file)) continue;
    seen.set(file, from);
    for (const m of readFileSync(file, 'utf8').matchAll(STATIC)) {
      const spec = m[1] ?? m[2];
      if (spec.startsWith('.')) queue.push([resolve(dirname(file), spec), file]);
      else if (!spec.startsWith('node:')) {
        const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
        if (!packages.has(name)) packages.set(name, chain(file).join(' <- '));
      }
    }
  }
  return packages;
}

const HEAVY = ['@elastic/elasticsearch', 'got', 'undici', 'yaml', 'node-cron', 'fastify', 'n3', 'jsonld'];

for (const command of ['validate', 'map']) {
  test(`harvester ${command} starts without the index's, the network's and the server's libraries`, () => {
    const packages = packagesOf(`scripts/cli/${command}.js`);
    const loaded = HEAVY.filter((p) => packages.has(p)).map((p) => `${p} (${packages.get(p)})`);
    assert.equal(loaded, []);
  });
}

test('the check sees a package a command does load', () => {
  // harvester export reads the index: its client comes with it
  assert.ok(packagesOf('scripts/cli/export.js').has('@elastic/elasticsearch'));
});

test.run();
