/**
 * The failure report of one run of one source: one JSON line per failed or skipped record, with the raw input,
 * so that an operator (or the data centre) can see exactly what was refused and why. Written as it goes: memory stays flat.
 */
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import type { Failure } from '../core/result.js';

export class FailureReport {
  private out?: WriteStream;
  private readonly file: string;
  private count = 0;

  constructor(dir: string, runId: string, source: string) {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    this.file = join(dir, `${stamp}-${source}-${runId.slice(0, 8)}.failures.ndjson`);
  }

  add(failure: Failure): void {
    if (!this.out) {
      mkdirSync(join(this.file, '..'), { recursive: true });
      this.out = createWriteStream(this.file);
    }
    this.count++;
    this.out.write(JSON.stringify(failure) + '\n');
  }

  /** Closes the file; returns its path when anything was written. */
  async close(): Promise<string | undefined> {
    if (!this.out) return undefined;
    const out = this.out;
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    return this.file;
  }
}
