/**
 * Writing a report as it is made: the formatters' pieces gathered into chunks of about 64 KiB and written with
 * back-pressure (a slow disk, pipe or client slows the reading of the spool down instead of filling memory).
 */
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Pieces gathered into chunks of at least `size` characters (the last one shorter): fewer, larger writes. */
export function* chunks(parts: Iterable<string>, size = 64 * 1024): Generator<string> {
  let buf = '';
  for (const p of parts) {
    buf += p;
    if (buf.length >= size) {
      yield buf;
      buf = '';
    }
  }
  if (buf) yield buf;
}

/** The report as a byte stream (an HTTP reply's body). */
export function reportStream(parts: Iterable<string>): Readable {
  return Readable.from(chunks(parts), { objectMode: false });
}

/** Writes the report to `dest`, waiting whenever it is full; `end: false` leaves it open (standard output). */
export async function writeReport(parts: Iterable<string>, dest: Writable, opts: { end?: boolean } = {}): Promise<void> {
  await pipeline(reportStream(parts), dest, { end: opts.end ?? true });
}
