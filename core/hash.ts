/** Content hashes. Pure. */
import { createHash } from 'node:crypto';

/** sha256 (lowercase hex) of a text, read as UTF-8. */
export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
