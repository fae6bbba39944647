/**
 * A Python peer of the tests (a client that consumes the hub, from .cache/pyenv: scripts/services/requirements.txt)
 * run asynchronously (the server it talks to may run in the calling process): `args` after the interpreter, `input`
 * as JSON on its stdin; its stdout read as JSON. A non-zero exit fails the test with what it wrote on stderr.
 */
import { spawn } from 'node:child_process';
import * as assert from 'uvu/assert';
import { ensurePythonVenv, venvBin } from '../../scripts/services/python.js';

export async function pythonJson<T>(args: string[], input?: unknown): Promise<T> {
  await ensurePythonVenv();
  const child = spawn(venvBin('python'), args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  child.stdin.end(input === undefined ? '' : JSON.stringify(input));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.is(code, 0, err);
  return JSON.parse(out) as T;
}
