/** Content hashes. Pure. */
import { createHash } from 'node:crypto';

/** sha256 (lowercase hex) of a text, read as UTF-8. */
export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** sha256 (lowercase hex) of several texts, each read as UTF-8 and followed by a NUL (so that ["ab", "c"] differs from ["a", "bc"]). */
export function sha256Parts(parts: readonly string[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p, 'utf8').update('\u0000', 'utf8');
  return h.digest('hex');
}
