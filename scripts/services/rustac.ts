/**
 * A real STAC API server for harvester tests: `rustac serve` (memory backend, from the Python venv) on a free port
 * of 127.0.0.1, serving copies of STAC files. It runs from the copies' folder so that relative links resolve.
 *
 * What rustac does with its inputs (checked on ../shared/fixtures/stac): a collection file brings the items it links
 * to (collection.json alone serves its 3 items; naming the items too serves them twice); an item brings its
 * collection; an item without a collection, or a link to a missing file, stops the server at startup.
 */
import { cpSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensurePythonVenv, venvBin } from './python.js';
import { freePort, log, removeOnExit, startServer, tryGet } from './proc.js';

export interface RustacOptions {
  /** Folder copied (whole) into the server's temp folder, e.g. sharedFixture('stac'). */
  dir: string;
  /** Files to load, relative to `dir` (collections, items, item collections). At least one. */
  files: readonly string[];
  /** Port on 127.0.0.1. Default: a free port chosen by the OS. */
  port?: number;
  /** How long to wait for the landing page after the process starts. Default 30 s. */
  startTimeoutMs?: number;
}

export interface RustacServer {
  /** Landing page of the STAC API, e.g. http://127.0.0.1:PORT (no trailing slash). */
  url: string;
  /** The temp folder served from. Removed by stop(). */
  dir: string;
  stop(): Promise<void>;
}

function validate(opts: RustacOptions): Required<Omit<RustacOptions, 'port'>> & { port?: number } {
  if (!existsSync(opts.dir) || !statSync(opts.dir).isDirectory()) throw new Error(`startRustac: dir ${opts.dir} is not a folder`);
  if (opts.files.length === 0) throw new Error('startRustac: files is empty');
  const missing = opts.files.filter((f) => !existsSync(join(opts.dir, f)));
  if (missing.length) throw new Error(`startRustac: not found in ${opts.dir}: ${missing.join(', ')}`);
  if (opts.port !== undefined && !(Number.isInteger(opts.port) && opts.port > 0 && opts.port < 65536)) {
    throw new Error(`startRustac: port must be 1-65535, got ${opts.port}`);
  }
  return { dir: resolve(opts.dir), files: opts.files, port: opts.port, startTimeoutMs: opts.startTimeoutMs ?? 30_000 };
}

/** Starts `rustac serve`; resolves once its landing page answers. */
export async function startRustac(opts: RustacOptions): Promise<RustacServer> {
  const o = validate(opts);
  const venv = await ensurePythonVenv();
  const dir = mkdtempSync(join(tmpdir(), 'rustac-'));
  removeOnExit(dir);
  try {
    // Copies: the served folder is ours to remove, and the fixtures stay untouched.
    cpSync(o.dir, dir, { recursive: true, mode: 0 });
    const port = o.port ?? (await freePort());
    const url = `http://127.0.0.1:${port}`;
    const server = await startServer(`rustac at ${url}`, venvBin('rustac', venv), ['serve', '--addr', `127.0.0.1:${port}`, ...o.files], {
      cwd: dir,
      dir,
      logPath: join(dir, '.rustac.log'),
      ready: async () => (await tryGet(`${url}/`, 3000))?.status === 200,
      timeoutMs: o.startTimeoutMs,
      intervalMs: 100,
      tailLines: 10,
    });
    log('rustac', `serving ${o.files.length} file(s) at ${url}`);
    return { url, dir, stop: () => server.stop() };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
