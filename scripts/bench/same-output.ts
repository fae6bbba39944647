/**
 * Check, not a benchmark: do `harvester map` and `harvester validate --format json` of this build give BYTE-IDENTICAL
 * output to another build's on every fixture? The guard of the speed work (a faster parser or validator must not
 * change one record): run it before merging a change that should change nothing.
 *
 *   npm run build && node dist/scripts/bench/same-output.js [REF | DIR]
 *
 * REF (default `main`) is a git commit or branch of this repository: its tree is exported (`git archive`, no worktree
 * is created) into a temporary folder, given this checkout's node_modules, and compiled; DIR is a checkout already
 * built (its dist/scripts/harvester.js is run). Inputs: every folder of the shared fixtures (ISO 19139, ISO 19115-3,
 * CSW responses, STAC, OZCAR) and of test/fixtures (broken variants: malformed, truncated, entities, HTML...), each as
 * one `map` run and one `validate` run per build. Compared: standard output, standard error and the exit status, once
 * the time of the run (harvestedAt, generatedAt: any date-time written during the run) is masked. Exit 0 when all are
 * identical; 1 with the first differing line of each difference.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectPath, PROJECT_ROOT, sharedFixture } from '../../schemas/paths.js';

const ref = process.argv[2] ?? 'main';

/** A build of `ref` to compare with: a folder already built, or the ref's tree exported and compiled. */
function otherBuild(): { root: string; cleanup: () => void } {
  if (existsSync(join(ref, 'dist', 'scripts', 'harvester.js'))) return { root: ref, cleanup: () => undefined };
  const root = mkdtempSync(join(tmpdir(), 'bench-same-output-'));
  const cleanup = () => rmSync(root, { recursive: true, force: true });
  const archive = spawnSync('sh', ['-c', `git -C "${PROJECT_ROOT}" archive "${ref}" | tar -x -C "${root}"`], { stdio: 'inherit' });
  if (archive.status !== 0) {
    cleanup();
    throw new Error(`cannot export ${ref} (git archive)`);
  }
  symlinkSync(projectPath('node_modules'), join(root, 'node_modules'));
  console.log(`compiling ${ref} in ${root} ...`);
  const tsc = spawnSync(process.execPath, [projectPath('node_modules', 'typescript', 'bin', 'tsc'), '-p', root], { stdio: 'inherit' });
  if (tsc.status !== 0) {
    cleanup();
    throw new Error(`${ref} does not compile`);
  }
  return { root, cleanup };
}

/** The folders to map: each fixture folder holding records (and its sub-folders, which `map` reads too). */
function inputFolders(): string[] {
  const shared = ['iso19139', 'iso19115-3', 'csw', 'stac', 'ozcar'].map((d) => sharedFixture(d));
  const own = projectPath('test', 'fixtures');
  const local = readdirSync(own)
    .map((d) => join(own, d))
    .filter((d) => statSync(d).isDirectory());
  return [...shared, ...local];
}

const RE_DATETIME = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/g;

interface Run {
  out: string;
  err: string;
  status: number | null;
}

/** One command of one build; date-times written while it ran (the run's own time) masked. */
function run(root: string, args: string[]): Run {
  const start = Date.now() - 1000;
  const r = spawnSync(process.execPath, [join(root, 'dist', 'scripts', 'harvester.js'), ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    env: { ...process.env, NO_COLOR: '1', LOG_LEVEL: 'info' },
  });
  const end = Date.now() + 1000;
  const mask = (s: string) =>
    s.replace(RE_DATETIME, (t) => {
      const ms = Date.parse(t);
      return ms >= start && ms <= end ? '<time of the run>' : t;
    });
  return { out: mask(r.stdout), err: mask(r.stderr), status: r.status };
}

function firstDifference(a: string, b: string): string {
  const la = a.split('\n');
  const lb = b.split('\n');
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    if (la[i] !== lb[i]) {
      const cut = (s: string | undefined) => (s === undefined ? '(no line)' : s.length > 400 ? s.slice(0, 400) + '...' : s);
      return `line ${i + 1}:\n    this:  ${cut(la[i])}\n    other: ${cut(lb[i])}`;
    }
  }
  return '(same lines, different bytes)';
}

const other = otherBuild();
let differences = 0;
let compared = 0;
let records = 0;
try {
  for (const folder of inputFolders()) {
    for (const args of [
      ['map', folder],
      ['validate', folder, '--format', 'json'],
    ]) {
      const mine = run(PROJECT_ROOT, args);
      const theirs = run(other.root, args);
      compared++;
      if (args[0] === 'map') records += mine.out.split('\n').filter(Boolean).length;
      for (const part of ['out', 'err', 'status'] as const) {
        if (mine[part] === theirs[part]) continue;
        differences++;
        const what =
          part === 'status' ? `exit ${mine.status} vs ${theirs.status}` : firstDifference(String(mine[part]), String(theirs[part]));
        console.log(
          `DIFFERENT ${part === 'out' ? 'stdout' : part === 'err' ? 'stderr' : 'exit status'} of harvester ${args.join(' ')}: ${what}`,
        );
      }
    }
  }
} finally {
  other.cleanup();
}
console.log(
  `${compared} runs compared (${records} records mapped) against ${ref}: ${differences === 0 ? 'byte-identical' : `${differences} differences`}`,
);
process.exitCode = differences === 0 ? 0 : 1;
