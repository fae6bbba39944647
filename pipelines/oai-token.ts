/**
 * OAI-PMH resumption tokens that stay correct while the index changes. A list is read in the order of
 * (datestamp, id) with Elasticsearch's search_after; the token carries the position (the sort values of the last
 * record sent), the request's arguments, the cursor and the complete list size, and an expiry. No state is kept on
 * the server: a token survives a restart, and a record that changes during a walk gets a newer datestamp, so it
 * comes again at the end of the walk (a harvester then holds its newest version), never missed.
 *
 * Encoding: base64url of a small JSON object (URL-safe characters only). Anything that does not decode to a
 * well-formed token of the same verb, or an expired one, is a badResumptionToken.
 */

export interface TokenState {
  verb: 'ListRecords' | 'ListIdentifiers';
  metadataPrefix: string;
  set?: string;
  /** ISO date-time bounds (inclusive), already widened to the granularity asked. */
  from?: string;
  until?: string;
  /** Sort values of the last record sent: [datestamp in ms, id]. */
  after: [number, string];
  /** Position of the first record of the next page in the complete list. */
  cursor: number;
  completeListSize: number;
  /** Expiry, ms since the epoch. */
  expires: number;
}

const VERB_CODE = { ListRecords: 'R', ListIdentifiers: 'I' } as const;

export function encodeToken(t: TokenState): string {
  const compact = {
    v: 1,
    k: VERB_CODE[t.verb],
    p: t.metadataPrefix,
    ...(t.set !== undefined ? { s: t.set } : {}),
    ...(t.from !== undefined ? { f: t.from } : {}),
    ...(t.until !== undefined ? { u: t.until } : {}),
    a: t.after,
    c: t.cursor,
    n: t.completeListSize,
    x: t.expires,
  };
  return Buffer.from(JSON.stringify(compact), 'utf8').toString('base64url');
}

/** Why a token is refused, in one sentence (the badResumptionToken message). */
export class TokenError extends Error {}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;

/** The state of a token given to `verb`; a TokenError saying why when it is not one of ours, not for this verb, or expired. */
export function decodeToken(token: string, verb: TokenState['verb'], now: number = Date.now()): TokenState {
  if (!/^[A-Za-z0-9_-]{1,2048}$/.test(token)) throw new TokenError('the resumptionToken is not one this repository issued');
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new TokenError('the resumptionToken is not one this repository issued');
  }
  const a = raw?.a;
  const ok =
    raw &&
    raw.v === 1 &&
    typeof raw.p === 'string' &&
    (raw.s === undefined || typeof raw.s === 'string') &&
    (raw.f === undefined || (typeof raw.f === 'string' && ISO.test(raw.f))) &&
    (raw.u === undefined || (typeof raw.u === 'string' && ISO.test(raw.u))) &&
    Array.isArray(a) &&
    a.length === 2 &&
    typeof a[0] === 'number' &&
    Number.isFinite(a[0]) &&
    typeof a[1] === 'string' &&
    Number.isInteger(raw.c) &&
    (raw.c as number) >= 0 &&
    Number.isInteger(raw.n) &&
    (raw.n as number) >= 0 &&
    typeof raw.x === 'number';
  if (!ok) throw new TokenError('the resumptionToken is not one this repository issued');
  if (raw.k !== VERB_CODE[verb]) throw new TokenError(`the resumptionToken belongs to another verb than ${verb}`);
  if ((raw.x as number) < now)
    throw new TokenError(`the resumptionToken expired at ${new Date(raw.x as number).toISOString()}: start the list again`);
  return {
    verb,
    metadataPrefix: raw.p as string,
    ...(raw.s !== undefined ? { set: raw.s as string } : {}),
    ...(raw.f !== undefined ? { from: raw.f as string } : {}),
    ...(raw.u !== undefined ? { until: raw.u as string } : {}),
    after: [a[0] as number, a[1] as string],
    cursor: raw.c as number,
    completeListSize: raw.n as number,
    expires: raw.x as number,
  };
}
