/**
 * The file an `--out` option names (validate's report, export's DCAT-AP), written so that a reader never finds half
 * of it: its folder is checked before any work starts (a usage error, exit 2, rather than a failure after minutes of
 * validation), the content goes to a temporary file beside it, and only a complete file takes the name, by a rename.
 * A write that fails, an error on the way or Ctrl-C / SIGTERM (when the command turns them into an exit, as validate
 * and export do) leave the previous file, if any, as it was, and no temporary file behind.
 */
import { accessSync, constants, createWriteStream, renameSync, rmSync, statSync, type WriteStream } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { once } from 'node:events';
import { forget, removeAtExit } from '../../core/exit-cleanup.js';
import { UsageError } from '../../core/result.js';

/** Checks that `file` can be written (its folder exists and is writable; it is not a folder); UsageError naming `param` otherwise. */
export function checkOutFile(file: string, param = '--out'): string {
  const path = resolve(file);
  let folder;
  try {
    folder = statSync(dirname(path));
  } catch {
    throw new UsageError(`${param}: no such folder: ${dirname(path)}`, param);
  }
  if (!folder.isDirectory()) throw new UsageError(`${param}: ${dirname(path)} is not a folder`, param);
  try {
    accessSync(dirname(path), constants.W_OK);
  } catch {
    throw new UsageError(`${param}: cannot write in ${dirname(path)} (permission denied)`, param);
  }
  try {
    if (statSync(path).isDirectory()) throw new UsageError(`${param}: ${path} is a folder: give a file name`, param);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    // not there yet: it will be created
  }
  return path;
}

export interface OutFile {
  /** The stream to write the content to (a temporary file beside the target). */
  stream: WriteStream;
  /** Ends the stream and gives the complete file its name. */
  commit(): Promise<void>;
  /** Drops what was written (the target is left as it was); nothing once committed. */
  discard(): void;
}

/** Opens `file` (checked with checkOutFile) for writing under a temporary name beside it. */
export async function openOutFile(file: string, param = '--out'): Promise<OutFile> {
  const path = checkOutFile(file, param);
  const temp = join(dirname(path), `.${basename(path)}.partial-${process.pid}`);
  removeAtExit(temp);
  const stream = createWriteStream(temp);
  let committed = false;
  const discard = () => {
    if (committed) return;
    stream.on('error', () => undefined); // a write still under way fails: what it wrote is dropped anyway
    stream.destroy();
    rmSync(temp, { force: true });
    forget(temp);
  };
  await once(stream, 'open').catch((err: NodeJS.ErrnoException) => {
    discard();
    throw new UsageError(`${param}: cannot write ${path}: ${err.message}`, param);
  });
  return {
    stream,
    async commit() {
      if (!stream.writableFinished) {
        if (!stream.writableEnded) stream.end();
        await once(stream, 'finish');
      }
      renameSync(temp, path);
      committed = true;
      forget(temp);
    },
    discard,
  };
}
