/** The test runner's accounting: uvu totals as printed by uvu itself, crashes, and the closing line. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { projectPath } from '../../schemas/paths.js';
import { fileResult, parseTotals, summaryLine } from '../../scripts/run-tests.js';

/** Runs a real uvu test file (written to a temp folder) and returns its stdout. */
function runUvu(body: string): { stdout: string; status: number | null } {
  const dir = mkdtempSync(join(tmpdir(), 'uvu-'));
  try {
    const file = join(dir, 'case.test.mjs');
    const uvu = projectPath('node_modules', 'uvu', 'dist', 'index.mjs');
    const assertPath = projectPath('node_modules', 'uvu', 'assert', 'index.mjs');
    writeFileSync(
      file,
      `import { test } from ${JSON.stringify(uvu)};\nimport * as assert from ${JSON.stringify(assertPath)};\n${body}\ntest.run();\n`,
    );
    const r = spawnSync(process.execPath, [file], { encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '1' } });
    return { stdout: r.stdout, status: r.status };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('parseTotals reads uvu output (coloured) with passes, failures and skips', () => {
  const out = runUvu(`
test('a', () => assert.ok(true));
test('b', () => assert.is(1, 2));
test.skip('c', () => {});
test('d', () => {});`);
  assert.is(out.status, 1);
  assert.equal(parseTotals(out.stdout), { total: 3, passed: 2, skipped: 1 });
  const r = fileResult('f', parseTotals(out.stdout), 'exited with 1', 5);
  assert.equal([r.passed, r.failed, r.skipped], [2, 1, 1]);
});

test('a failing before hook fails every test although uvu exits 0', () => {
  const out = runUvu(`
test.before(() => { throw new Error('setup'); });
test('a', () => {});
test('b', () => {});`);
  const totals = parseTotals(out.stdout);
  assert.equal(totals, { total: 2, passed: 0, skipped: 0 });
  assert.is(fileResult('f', totals, undefined, 1).failed, 2);
});

test('a crash before reporting, or a bad exit after a clean report, counts one failure', () => {
  assert.is(parseTotals('TypeError: x is not a function\n'), undefined);
  assert.equal(fileResult('f', undefined, 'exited with 1', 1), {
    file: 'f',
    total: 0,
    passed: 0,
    skipped: 0,
    failed: 1,
    ms: 1,
    crashed: 'exited with 1',
  });
  assert.is(fileResult('f', { total: 2, passed: 2, skipped: 0 }, 'exited with 1', 1).failed, 1);
  assert.is(fileResult('f', { total: 2, passed: 2, skipped: 0 }, undefined, 1).failed, 0);
});

test('summaryLine adds up files and mentions skips only when any', () => {
  const a = fileResult('a', { total: 3, passed: 3, skipped: 0 }, undefined, 1);
  const b = fileResult('b', { total: 4, passed: 2, skipped: 0 }, 'exited with 1', 1);
  assert.is(summaryLine([a, b]), '5 passed, 2 failed');
  const c = fileResult('c', { total: 1, passed: 1, skipped: 2 }, undefined, 1);
  assert.is(summaryLine([a, c]), '4 passed, 0 failed, 2 skipped');
  assert.match(summaryLine([a, b, c]), /^\d+ passed, \d+ failed(, \d+ skipped)?$/);
});

test.run();
