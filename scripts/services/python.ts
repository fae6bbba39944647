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
/**
 * A venv of its own for data.gouv.fr's harvester (udata, a consumer of the hub's DCAT-AP catalogue): it pins Flask,
 * jsonschema and others at versions that pycsw 2.6.2 and OWSLib 0.28 of the main venv cannot share.
 */
export const UDATA_VENV = {
  dir: projectPath('.cache', 'udata-venv'),
  requirements: projectPath('scripts', 'services', 'requirements-udata.txt'),
};
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

const pending = new Map<string, Promise<string>>();

/**
 * Creates (or completes) the main venv and returns its folder. Skips pip when the marker file says the same
 * requirement list is already installed, so a second call costs a file read.
 */
export function ensurePythonVenv(): Promise<string> {
  return ensureVenv({ dir: VENV_DIR, requirements: REQUIREMENTS_FILE });
}

/** The same for another venv: `dir` with the packages of the `requirements` file. */
export function ensureVenv(venv: { dir: string; requirements: string }): Promise<string> {
  let p = pending.get(venv.dir);
  if (!p) {
    p = install(venv.dir, venv.requirements).catch((err: unknown) => {
      pending.delete(venv.dir); // a later call may try again
      throw err;
    });
    pending.set(venv.dir, p);
  }
  return p;
}

async function install(dir: string, requirementsFile: string): Promise<string> {
  const requirements = readFileSync(requirementsFile, 'utf8');
  const marker = join(dir, MARKER);
  const python = venvBin('python', dir);
  if (existsSync(python) && existsSync(marker) && readFileSync(marker, 'utf8') === requirements) return dir;

  const started = Date.now();
  if (!existsSync(python)) {
    // A half-made venv (no interpreter) is removed and made again.
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(projectPath('.cache'), { recursive: true });
    log('python', `creating venv ${dir} with ${basePython()}`);
    await run(basePython(), ['-m', 'venv', dir]).catch((err: Error) => {
      throw new Error(`${err.message}\n(on Debian, 'apt-get install python3-venv' provides the venv module)`);
    });
  }
  log('python', `pip install -r ${requirementsFile} (from PyPI; a minute or two on a fresh machine)`);
  rmSync(marker, { force: true });
  await run(python, ['-m', 'pip', 'install', '--disable-pip-version-check', '-q', '-r', requirementsFile]);
  writeFileSync(marker, requirements);
  log('python', `venv ${dir} ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return dir;
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
