/**
 * The `harvester` command as a user runs it: the package's bin (scripts/bin/harvester) reached through a symbolic
 * link as in node_modules/.bin, in a temporary folder of its own that `cleanup()` removes (with the link).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectPath } from '../../schemas/paths.js';

export interface BinResult {
  pid: number | undefined;
  code: number | null;
  out: string;
  err: string;
  /** stdout as NDJSON (only for commands that print records or JSON summaries). */
  readonly lines: any[];
  /** stderr's lines, without the empty last one. */
  readonly errLines: string[];
}

function result(pid: number | undefined, code: number | null, out: string, err: string): BinResult {
  return {
    pid,
    code,
    out,
    err,
    get lines() {
      return out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l));
    },
    get errLines() {
      return err.split('\n').filter(Boolean);
    },
  };
}

export interface Bin {
  /** The temporary folder holding the link; tests may put their own files in it. */
  dir: string;
  path: string;
  run(...args: string[]): BinResult;
  /** With extra environment variables and, optionally, standard input. */
  runWith(opts: { env?: Record<string, string>; input?: string }, ...args: string[]): BinResult;
  /** Without blocking the event loop (for a test that serves something from this process meanwhile). */
  runAsync(opts: { env?: Record<string, string> }, ...args: string[]): Promise<BinResult>;
  cleanup(): void;
}

export function harvesterBin(): Bin {
  const dir = mkdtempSync(join(tmpdir(), 'hub-bin-'));
  const path = join(dir, 'harvester');
  symlinkSync(projectPath('scripts', 'bin', 'harvester'), path);
  const runWith = (opts: { env?: Record<string, string>; input?: string }, ...args: string[]): BinResult => {
    const r = spawnSync(path, args, {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, ...opts.env },
      ...(opts.input !== undefined ? { input: opts.input } : { stdio: ['ignore', 'pipe', 'pipe'] }),
    });
    return result(r.pid, r.status, r.stdout, r.stderr);
  };
  return {
    dir,
    path,
    run: (...args) => runWith({}, ...args),
    runWith,
    runAsync: (opts, ...args) =>
      new Promise((resolve, reject) => {
        const child = spawn(path, args, { env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        child.stdout.on('data', (c: Buffer) => (out += c.toString()));
        child.stderr.on('data', (c: Buffer) => (err += c.toString()));
        child.on('error', reject);
        child.on('close', (code) => resolve(result(child.pid, code, out, err)));
      }),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
