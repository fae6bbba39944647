/**
 * The Python virtual environment of the test and benchmark services: pycsw (a CSW server), rustac (a STAC API
 * server) and the peers we compare against (OWSLib, pystac-client, pyshacl). Packages come from PyPI through pip.
 *
 * CLI: `node dist/scripts/services/python.js` (or `npx tsx scripts/services/python.ts`) creates it and prints its folder.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectPath } from '../../schemas/paths.js';
import { isMain, log, run } from './proc.js';

/** Where the venv lives (gitignored). */
export const VENV_DIR = projectPath('.cache', 'pyenv');
/** The requirement list installed into it. */
export const REQUIREMENTS_FILE = projectPath('scripts', 'services', 'requirements.txt');
/** Written after a successful install; holds the requirement list it installed. */
const MARKER = '.installed-requirements.txt';

/** The interpreter that creates the venv: $PYTHON, default `python3` (3.11 on this machine). */
const basePython = (): string => process.env.PYTHON || 'python3';

/** An executable of the venv, e.g. venvBin('pycsw-admin.py'). */
export function venvBin(name: string, venvDir = VENV_DIR): string {
  return join(venvDir, 'bin', name);
}

/** The venv's site-packages folder (lib/python3.X/site-packages). */
export function sitePackages(venvDir = VENV_DIR): string {
  const lib = join(venvDir, 'lib');
  const version = readdirSync(lib).find((name) => /^python3\.\d+$/.test(name));
  if (!version) throw new Error(`no lib/python3.X folder in ${venvDir}`);
  return join(lib, version, 'site-packages');
}

let pending: Promise<string> | undefined;

/**
 * Creates (or completes) the venv and returns its folder. Skips pip when the marker file says the same
 * requirement list is already installed, so a second call costs a file read.
 */
export function ensurePythonVenv(): Promise<string> {
  pending ??= install().catch((err: unknown) => {
    pending = undefined; // a later call may try again
    throw err;
  });
  return pending;
}

async function install(): Promise<string> {
  const requirements = readFileSync(REQUIREMENTS_FILE, 'utf8');
  const marker = join(VENV_DIR, MARKER);
  const python = venvBin('python');
  if (existsSync(python) && existsSync(marker) && readFileSync(marker, 'utf8') === requirements) return VENV_DIR;

  const started = Date.now();
  if (!existsSync(python)) {
    // A half-made venv (no interpreter) is removed and made again.
    rmSync(VENV_DIR, { recursive: true, force: true });
    mkdirSync(projectPath('.cache'), { recursive: true });
    log('python', `creating venv ${VENV_DIR} with ${basePython()}`);
    await run(basePython(), ['-m', 'venv', VENV_DIR]).catch((err: Error) => {
      throw new Error(`${err.message}\n(on Debian, 'apt-get install python3-venv' provides the venv module)`);
    });
  }
  log('python', `pip install -r ${REQUIREMENTS_FILE} (from PyPI; a minute or two on a fresh machine)`);
  rmSync(marker, { force: true });
  await run(python, ['-m', 'pip', 'install', '--disable-pip-version-check', '-q', '-r', REQUIREMENTS_FILE]);
  writeFileSync(marker, requirements);
  log('python', `venv ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return VENV_DIR;
}

if (isMain(import.meta.url)) {
  ensurePythonVenv().then(
    (dir) => console.log(dir),
    (err: Error) => {
      console.error(err.message);
      process.exitCode = 1;
    },
  );
}
