/**
 * The floors of the project (ARCHITECTURE.md): every relative import of every source file goes to its own floor or to
 * one below. A file that imports upward fails here with its path and the import.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname, sep } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PROJECT_ROOT } from '../../schemas/paths.js';

/** Which floors a floor may import (itself included). Harvesters and mappings stand side by side: neither imports the other. */
export const MAY_IMPORT: Record<string, string[]> = {
  core: ['core'],
  schemas: ['core', 'schemas'],
  mappings: ['core', 'schemas', 'mappings'],
  harvesters: ['core', 'schemas', 'harvesters'],
  pipelines: ['core', 'schemas', 'mappings', 'harvesters', 'pipelines'],
  api: ['core', 'schemas', 'mappings', 'harvesters', 'pipelines', 'api'],
  scripts: ['core', 'schemas', 'mappings', 'harvesters', 'pipelines', 'api', 'scripts'],
};

const IMPORT_RE = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"](\.[^'"]+)['"]|import\s*\(\s*['"](\.[^'"]+)['"]\s*\)/g;

function sourceFiles(dir: string): string[] {
  let out: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out = out.concat(sourceFiles(p));
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

/** Every relative import of a TypeScript source, as [specifier, floor it lands on]. */
export function importsOf(file: string, text: string): { spec: string; floor: string }[] {
  const out: { spec: string; floor: string }[] = [];
  for (const m of text.matchAll(IMPORT_RE)) {
    const spec = m[1] ?? m[2];
    const target = relative(PROJECT_ROOT, resolve(dirname(file), spec));
    out.push({ spec, floor: target.split(sep)[0] });
  }
  return out;
}

test('no file imports from a floor above its own', () => {
  const violations: string[] = [];
  let checked = 0;
  for (const floor of Object.keys(MAY_IMPORT)) {
    for (const file of sourceFiles(join(PROJECT_ROOT, floor))) {
      checked++;
      for (const { spec, floor: to } of importsOf(file, readFileSync(file, 'utf8'))) {
        if (!MAY_IMPORT[floor].includes(to)) violations.push(`${relative(PROJECT_ROOT, file)} (${floor}) imports ${spec} (${to})`);
      }
    }
  }
  assert.ok(checked > 50, `only ${checked} source files found`);
  assert.equal(violations, []);
});

test('the check sees static, re-exported and dynamic imports and names the upward one', () => {
  const file = join(PROJECT_ROOT, 'mappings', 'x.ts');
  const found = importsOf(
    file,
    "import { a } from '../core/json.js';\nexport { b } from './iso/index.js';\nconst m = await import('../pipelines/harvest.js');\nimport type { C } from \"../schemas/record.js\";",
  );
  assert.equal(
    found.map((f) => f.floor),
    ['core', 'mappings', 'pipelines', 'schemas'],
  );
  assert.not.ok(MAY_IMPORT.mappings.includes('pipelines'));
  assert.not.ok(MAY_IMPORT.harvesters.includes('mappings'));
});

test.run();
