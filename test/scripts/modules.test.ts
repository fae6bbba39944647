/**
 * No module that the commands, the server or the mapping workers load awaits at its top level. A module with
 * top-level await is evaluated asynchronously, and Node 20's V8 aborts the whole process ("Check failed: (location_)
 * != nullptr" in SourceTextModule::ExecuteAsyncModule) when a thread is stopped while such a module loads: CI saw it
 * once, in a `harvester harvest` whose mapping workers were still loading when the harvest ended. Benchmarks
 * (scripts/bench/, entry points run on demand) may await at their top level.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { projectPath } from '../../schemas/paths.js';

const FOLDERS = ['core', 'harvesters', 'mappings', 'schemas', 'pipelines', 'api', 'scripts'];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'bench' && dir.endsWith('scripts') ? [] : sources(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Each `await` (or `for await`) outside any function of a file, as `line: text`. */
export function topLevelAwaits(fileName: string, text: string): string[] {
  const file = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) || ts.isClassStaticBlockDeclaration(node)) return;
    if (ts.isAwaitExpression(node) || (ts.isForOfStatement(node) && node.awaitModifier)) {
      const { line } = file.getLineAndCharacterOfPosition(node.getStart());
      found.push(`${line + 1}: ${node.getText().split('\n')[0]}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

test('the check finds an await at top level and only there', () => {
  const text = [
    "const a = flag ? 1 : (await import('./x.js')).y;",
    'async function f() { await g(); }',
    'const h = async () => { for await (const x of xs) {} };',
    'class C { static { void 0; } async m() { await 1; } }',
    'for await (const x of xs) {}',
  ].join('\n');
  assert.equal(
    topLevelAwaits('t.ts', text).map((s) => s.split(':')[0]),
    ['1', '5'],
  );
});

test('no module the commands, the server or the workers load awaits at its top level', () => {
  const files = FOLDERS.flatMap((f) => sources(projectPath(f)));
  assert.ok(files.length > 100, `${files.length} source files`);
  const offending = files.flatMap((f) => topLevelAwaits(f, readFileSync(f, 'utf8')).map((a) => `${relative(projectPath(), f)}:${a}`));
  assert.equal(offending, []);
});

test.run();
