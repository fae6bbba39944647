/**
 * Temporary files and folders removed if the process exits before their owner removes them (an error thrown to the
 * top, `process.exit` from a signal handler): the report spool, a report or export being written beside its target.
 * One `exit` listener for all of them. (A process killed outright runs no listener: nothing can remove them then.)
 */
import { rmSync } from 'node:fs';

const live = new Set<string>();
let hooked = false;

function removeLive(): void {
  for (const path of live) rmSync(path, { recursive: true, force: true });
  live.clear();
}

/** Removes `path` (a file or a folder) at exit unless `forget(path)` was called first. */
export function removeAtExit(path: string): void {
  if (!hooked) {
    hooked = true;
    process.on('exit', removeLive);
  }
  live.add(path);
}

/** `path` is no longer removed at exit (its owner removed it, or made it permanent). */
export function forget(path: string): void {
  live.delete(path);
}

/**
 * Ctrl-C and SIGTERM end the process with 130 and 143 through `process.exit`, so that its `exit` listeners run (the
 * temporary files above removed); returns what takes the handlers off again.
 */
export function exitOnSignals(): () => void {
  const onSignal = (signal: NodeJS.Signals) => process.exit(signal === 'SIGINT' ? 130 : 143);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}
