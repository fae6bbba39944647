/**
 * Small process and network utilities shared by the service starters (Elasticsearch, pycsw, rustac).
 * Progress goes to stderr so that stdout stays free for a command's real output.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { closeSync, existsSync, openSync, readSync, realpathSync, rmSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:net';

/** One progress line on stderr, prefixed by the service name. */
export function log(service: string, message: string): void {
  process.stderr.write(`[${service}] ${message}\n`);
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command to completion and collects its output (no shell).
 * Rejects with the command line, exit code and the end of stderr when it exits non-zero, unless `allowFailure`.
 */
export function run(command: string, args: readonly string[], options: SpawnOptions & { allowFailure?: boolean } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (err) => reject(new Error(`cannot run ${command}: ${err.message}`)));
    child.on('close', (code, signal) => {
      const result = { code: code ?? (signal ? 128 : 1), stdout, stderr };
      if (result.code === 0 || options.allowFailure) return resolve(result);
      reject(new Error(`${command} ${args.join(' ')} exited with ${code ?? signal}:\n${tail(stderr || stdout, 30)}`));
    });
  });
}

/** The path of an executable found on PATH, or undefined. */
export async function which(command: string): Promise<string | undefined> {
  const r = await run('sh', ['-c', `command -v "$1"`, 'sh', command], { allowFailure: true });
  const path = r.stdout.trim();
  return r.code === 0 && path ? path : undefined;
}

/** The last `lines` lines of a text. */
export function tail(text: string, lines: number): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** The last `lines` lines of a file (reads at most its last 64 KiB); '' when it does not exist. */
export function tailFile(path: string, lines = 40): string {
  if (!existsSync(path)) return '';
  const size = statSync(path).size;
  const length = Math.min(size, 64 * 1024);
  const buffer = Buffer.alloc(length);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, buffer, 0, length, size - length);
  } finally {
    closeSync(fd);
  }
  return tail(buffer.toString('utf8'), lines);
}

/** A TCP port that was free on 127.0.0.1 a moment ago (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no free port found'))));
    });
  });
}

/** Whether a TCP port of 127.0.0.1 is free to listen on now (false: something else holds it). */
export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** GET a URL with a timeout; undefined when nothing answers (refused, reset, timed out). */
export async function tryGet(
  url: string,
  timeoutMs = 2000,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string } | undefined> {
  try {
    const res = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
    return { status: res.status, body: await res.text() };
  } catch {
    return undefined;
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `check` every `intervalMs` until it returns true.
 * Stops with an error when `timeoutMs` has passed, or at once when `failed()` returns a reason (e.g. the process died).
 */
export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  options: { timeoutMs: number; intervalMs?: number; failed?: () => string | undefined },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    if (await check()) return;
    const reason = options.failed?.();
    if (reason) throw new Error(`${what}: ${reason}`);
    // Stop condition: the deadline has passed without a positive check.
    if (Date.now() > deadline) throw new Error(`${what}: not ready after ${Math.round(options.timeoutMs / 1000)} s`);
    await sleep(options.intervalMs ?? 250);
  }
}

/** Whether a process id is alive (signal 0 probes without killing). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Children started by `startChild` that must not outlive this process, and temp folders to remove with it. */
const children = new Set<ChildProcess>();
const tempDirs = new Set<string>();
process.on('exit', () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** Removes a temp folder when this process exits (if it still exists then). */
export function removeOnExit(dir: string): void {
  tempDirs.add(dir);
}

/**
 * Starts a long-running server child (pycsw, rustac) that is killed when this process exits and that does not
 * keep this process alive by itself. Its output goes to `logFd` (an open file) so that nothing is lost.
 */
export function startChild(command: string, args: readonly string[], options: SpawnOptions & { logFd: number }): ChildProcess {
  const { logFd, ...spawnOptions } = options;
  const child = spawn(command, args, { ...spawnOptions, stdio: ['ignore', logFd, logFd] });
  children.add(child);
  child.on('exit', () => children.delete(child));
  child.unref();
  return child;
}

/** Stops a child: SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. */
export async function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/**
 * Starts a server child logging to `logPath`, waits until `ready()` is true (or the child exits, or time runs out);
 * on failure stops it and throws with the tail of its log. `stop()` stops it and removes `dir` (its temp folder).
 */
export async function startServer(
  name: string,
  command: string,
  args: readonly string[],
  options: SpawnOptions & {
    dir: string;
    logPath: string;
    ready: () => Promise<boolean>;
    timeoutMs: number;
    intervalMs: number;
    tailLines: number;
  },
): Promise<{ child: ChildProcess; stop(): Promise<void> }> {
  const { dir, logPath, ready, timeoutMs, intervalMs, tailLines, ...spawnOptions } = options;
  const logFd = openSync(logPath, 'w');
  const child = startChild(command, args, { ...spawnOptions, logFd });
  closeSync(logFd);
  let exited: string | undefined;
  child.on('exit', (code, signal) => (exited = `${name} exited with ${code ?? signal}`));
  try {
    await waitFor(name, ready, { timeoutMs, intervalMs, failed: () => exited });
  } catch (err) {
    await stopChild(child);
    throw new Error(`${(err as Error).message}\n--- ${logPath} (tail) ---\n${tailFile(logPath, tailLines)}`);
  }
  return {
    child,
    async stop() {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Whether the module with this import.meta.url is the script node was started with (a CLI entry point). */
export function isMain(moduleUrl: string): boolean {
  const invoked = process.argv[1] ? resolve(process.argv[1]) : '';
  if (!invoked || !existsSync(invoked)) return false;
  return realpathSync(invoked) === realpathSync(fileURLToPath(moduleUrl));
}
