/** How long to wait before trying again: one backoff for every retry loop (HTTP fetches, Elasticsearch requests). Pure. */

/** The longest wait between two attempts, whatever the attempt number. */
export const BACKOFF_LIMIT_MS = 30_000;

/**
 * Wait before retry number `attempt` (1 for the first retry): exponential backoff with "equal jitter", half the step
 * fixed and half random, so that clients failing together do not retry together. The step is
 * `baseMs * 2^(attempt - 1)`, capped at BACKOFF_LIMIT_MS; the wait is between step/2 and step. Pure apart from the
 * random source (Math.random unless given).
 */
export function backoffDelay(attempt: number, baseMs: number, random: () => number = Math.random): number {
  const step = Math.min(baseMs * 2 ** (attempt - 1), BACKOFF_LIMIT_MS);
  return step / 2 + random() * (step / 2);
}
