/** Shared bits of the benchmarks: the python peers, memory sampling, printing. */
import { spawn } from 'node:child_process';
import { ensurePythonVenv, venvBin } from '../services/python.js';
import { projectPath } from '../../schemas/paths.js';

/** Runs a python peer script from scripts/bench/peers; returns its last JSON line. */
export async function runPeer<T>(script: string, args: string[]): Promise<T> {
  await ensurePythonVenv();
  const child = spawn(venvBin('python'), [projectPath('scripts', 'bench', 'peers', script), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const code: number = await new Promise((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`${script} exited with ${code}`);
  const last = out.trim().split('\n').pop() ?? '';
  return JSON.parse(last) as T;
}

/** Samples this process's RSS every `everyMs`; `stop()` returns the peak in MB. */
export function sampleRss(everyMs = 100): { stop(): number; peak(): number } {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, everyMs);
  timer.unref();
  return {
    peak: () => Math.round(Math.max(peak, process.memoryUsage.rss()) / 1048576),
    stop() {
      clearInterval(timer);
      return Math.round(Math.max(peak, process.memoryUsage.rss()) / 1048576);
    },
  };
}

export function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}
