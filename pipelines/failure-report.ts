/**
 * The failure report of one run of one source: one JSON line per failed or skipped record, with the raw input,
 * so that an operator (or the data centre) can see exactly what was refused and why. Written as it goes: memory stays flat.
 */
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Failure } from '../core/result.js';
import type { RunSummary } from './runs.js';

/** `2026-12-02T21-17-08-123Z`: an instant that sorts and fits a file name. */
function stamp(iso?: string): string {
  return (iso ?? new Date().toISOString()).replace(/[:.]/g, '-');
}

/**
 * A run's document written on disk, next to the failure reports, when the index could not take it (Elasticsearch gone
 * at the end of a run): `<dir>/<started>-<source>-<run>.run.json`. Returns the file.
 */
export async function writeLocalRunRecord(dir: string, run: RunSummary): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${stamp(run.startedAt)}-${run.source}-${run.runId.slice(0, 8)}.run.json`);
  await writeFile(file, JSON.stringify({ ...run, localRecord: file }, null, 2) + '\n');
  return file;
}

export class FailureReport {
  private out?: WriteStream;
  private readonly file: string;
  private count = 0;

  constructor(dir: string, runId: string, source: string) {
    this.file = join(dir, `${stamp()}-${source}-${runId.slice(0, 8)}.failures.ndjson`);
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
