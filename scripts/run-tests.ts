/**
 * The test runner behind `npm test` (= `tsc -p . && node dist/scripts/run-tests.js`).
 *
 *   node dist/scripts/run-tests.js [--no-services] [FILTER...]
 *
 * 1. Ensures the services the tests use: the Python venv (pycsw, rustac...) and an Elasticsearch node (started when
 *    ES_URL does not answer, and left running detached: it does not keep this command from exiting). Children get
 *    ES_URL. `--no-services` skips this (tests that need a service then start it themselves).
 * 2. Runs every compiled test file dist/test/** /*.test.js whose source test/** /*.test.ts exists (a stale compiled
 *    file of a deleted test is skipped), or those whose path contains one of the FILTERs, one node process per
 *    file, in sequence, streaming their output.
 * 3. Adds up uvu's totals (Total / Passed / Skipped) and ends with exactly one line `N passed, N failed` (plus
 *    `, N skipped` when any). Exits 1 on any failure, on a file that crashed or hung before reporting, and when no
 *    test ran at all.
 *
 * Environment: TEST_FILE_TIMEOUT_S (default 600) limits one file.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { projectPath, PROJECT_ROOT } from '../schemas/paths.js';
import { ensureElasticsearch } from './services/elasticsearch.js';
import { ensurePythonVenv } from './services/python.js';
import { isMain } from './services/proc.js';

/** One file's outcome. `crashed` explains a failure that uvu's totals do not show. */
export interface FileResult {
  file: string;
  total: number;
  passed: number;
  skipped: number;
  failed: number;
  ms: number;
  crashed?: string;
}

export interface Totals {
  total: number;
  passed: number;
  skipped: number;
}

const ANSI = /\x1b\[[0-9;]*m/g;

/** The last uvu totals block in a file's output (colours stripped), or undefined when it never reported. */
export function parseTotals(output: string): Totals | undefined {
  const text = output.replace(ANSI, '');
  const blocks = [...text.matchAll(/Total:\s+(\d+)\s*\n\s*Passed:\s+(\d+)\s*\n\s*Skipped:\s+(\d+)/g)];
  const last = blocks.at(-1);
  if (!last) return undefined;
  return { total: Number(last[1]), passed: Number(last[2]), skipped: Number(last[3]) };
}

/**
 * A file's result from its totals and exit. uvu's Total counts the tests it ran (skipped ones excluded), so
 * failed = Total - Passed. A file that exits non-zero or never reports counts one more failure.
 */
export function fileResult(file: string, totals: Totals | undefined, exit: string | undefined, ms: number): FileResult {
  if (!totals) return { file, total: 0, passed: 0, skipped: 0, failed: 1, ms, crashed: exit ?? 'exited without reporting uvu totals' };
  const failed = totals.total - totals.passed;
  if (exit && failed === 0) return { file, ...totals, failed: 1, ms, crashed: `${exit} after reporting` };
  return { file, ...totals, failed, ms, crashed: exit };
}

/** The closing line: `N passed, N failed` and `, N skipped` when any. */
export function summaryLine(results: readonly FileResult[]): string {
  const sum = (key: 'passed' | 'failed' | 'skipped') => results.reduce((n, r) => n + r[key], 0);
  const skipped = sum('skipped');
  return `${sum('passed')} passed, ${sum('failed')} failed${skipped ? `, ${skipped} skipped` : ''}`;
}

/** Compiled test files (relative to the project root), sorted; stale ones (no source) are reported and left out. */
export function findTestFiles(filters: readonly string[]): string[] {
  const dist = projectPath('dist', 'test');
  if (!existsSync(dist)) return [];
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.test.js')) found.push(relative(PROJECT_ROOT, path));
    }
  };
  walk(dist);
  return found.sort().filter((file) => {
    const source = file.replace(/^dist[\\/]/, '').replace(/\.js$/, '.ts');
    if (!existsSync(projectPath(source))) {
      process.stderr.write(`[tests] skipping ${file}: its source ${source} no longer exists\n`);
      return false;
    }
    return filters.length === 0 || filters.some((f) => file.includes(f) || source.includes(f));
  });
}

const SECOND = 1000;
/** After a file has printed its totals, how long it may take to exit before it is killed (an open handle). */
const EXIT_GRACE_MS = 10 * SECOND;

/** Runs one test file in its own node process, streaming its output; never rejects. */
function runFile(file: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<FileResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--enable-source-maps', file], {
      cwd: PROJECT_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let killedFor: string | undefined;
    let graceTimer: NodeJS.Timeout | undefined;
    const kill = (why: string) => {
      killedFor = why;
      child.kill('SIGKILL');
    };
    // Stop condition: the file runs past its time limit.
    const timer = setTimeout(() => kill(`timed out after ${Math.round(timeoutMs / SECOND)} s`), timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      output += chunk.toString();
      // Stop condition: totals printed but the process does not exit (a server or socket left open).
      if (!graceTimer && parseTotals(output)) {
        graceTimer = setTimeout(() => kill(`did not exit within ${EXIT_GRACE_MS / SECOND} s (open handle?)`), EXIT_GRACE_MS);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => process.stderr.write(chunk));
    child.on('error', (err) => (killedFor = `cannot start node: ${err.message}`));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearTimeout(graceTimer);
      const exit = killedFor ?? (code === 0 ? undefined : `exited with ${code ?? signal}`);
      resolve(fileResult(file, parseTotals(output), exit, Date.now() - started));
    });
  });
}

/** Starts what the tests need and returns the environment of the test processes. */
async function prepareServices(): Promise<NodeJS.ProcessEnv> {
  const started = Date.now();
  // Both are mostly waiting (downloads, JVM start): done together.
  const [es] = await Promise.all([ensureElasticsearch(), ensurePythonVenv()]);
  process.stderr.write(
    `[tests] Elasticsearch ${es.url} (${es.started ? 'started' : 'already running'}), Python venv ready, in ${((Date.now() - started) / SECOND).toFixed(1)} s\n`,
  );
  return { ES_URL: es.url };
}

async function main(args: readonly string[]): Promise<number> {
  const noServices = args.includes('--no-services');
  const filters = args.filter((a) => !a.startsWith('--'));
  const timeoutS = Number(process.env.TEST_FILE_TIMEOUT_S ?? 600);
  if (!Number.isFinite(timeoutS) || timeoutS <= 0)
    throw new Error(`TEST_FILE_TIMEOUT_S must be a positive number, got ${process.env.TEST_FILE_TIMEOUT_S}`);

  const files = findTestFiles(filters);
  if (files.length === 0) {
    console.log(`no compiled test file${filters.length ? ` matches ${filters.join(' or ')}` : ' in dist/test (run tsc -p . first)'}`);
    console.log('0 passed, 0 failed');
    return 1;
  }

  let env: NodeJS.ProcessEnv = { ...process.env };
  if (process.stdout.isTTY && env.NO_COLOR === undefined) env.FORCE_COLOR = '1';
  if (!noServices) {
    try {
      env = { ...env, ...(await prepareServices()) };
    } catch (err) {
      console.log(`services could not be started:\n${(err as Error).message}`);
      console.log('0 passed, 1 failed');
      return 1;
    }
  }

  const results: FileResult[] = [];
  for (const file of files) {
    console.log(`\n── ${file}`);
    results.push(await runFile(file, env, timeoutS * SECOND));
  }

  console.log('\n── results');
  for (const r of results) {
    const mark = r.failed ? 'FAIL' : 'ok  ';
    const counts = `${r.passed}/${r.total}${r.skipped ? ` (+${r.skipped} skipped)` : ''}`;
    console.log(`${mark} ${r.file}  ${counts}  ${(r.ms / SECOND).toFixed(1)} s${r.crashed ? `  ${r.crashed}` : ''}`);
  }
  const line = summaryLine(results);
  console.log(line);
  const ranNone = results.every((r) => r.total === 0 && r.failed === 0);
  return results.some((r) => r.failed > 0) || ranNone ? 1 : 0;
}

if (isMain(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: Error) => {
      console.log(err.message);
      console.log('0 passed, 1 failed');
      process.exitCode = 1;
    },
  );
}
