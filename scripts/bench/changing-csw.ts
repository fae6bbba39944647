/**
 * A CSW of N generated ISO 19139 records (scripts/samples/iso-generator.ts, each record distinct) whose records can be
 * modified at the source (a new date stamp and a new title) and which honours a "modified since" constraint
 * (`apiso:Modified >= '...'`) as pycsw does: what an incremental run asks. Pages made on demand, real pycsw
 * capabilities (test/fixtures/csw/recorded). Benchmarks only (bench/incremental, bench/service), in their own process.
 */
import { generateIsoRecord, recordsPage } from '../samples/iso-generator.js';
import { startCswServer } from './csw-server.js';

export interface ChangingCsw {
  /** The CSW endpoint, http://127.0.0.1:PORT/csw. */
  url: string;
  /** Record numbers served, `first` to `first` + N - 1 (record i is generateIsoRecord(i), identifier generatedId(i)). */
  readonly numbers: readonly number[];
  /** Modifies records at the source: each gets the date stamp `at` (a UTC date-time without zone) and "(revised at)" in its title. */
  modify(numbers: readonly number[], at: string): void;
  /** The title suffix a record modified at `at` carries. */
  revised(at: string): string;
  close(): Promise<void>;
}

/**
 * Serves records `first` .. `first` + n - 1 (default first 1) on a free port of 127.0.0.1. A `first` past the demo's
 * generated records (0-199 by default) keeps the two catalogues' identifiers apart when both are harvested.
 */
export async function startChangingCsw(n: number, { first = 1 }: { first?: number } = {}): Promise<ChangingCsw> {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`startChangingCsw: N must be a whole number >= 1 (got ${n})`);
  if (!Number.isInteger(first) || first < 0) throw new RangeError(`startChangingCsw: first must be a whole number >= 0 (got ${first})`);
  /** Records modified at the source: number -> the date stamp they now carry. */
  const modified = new Map<number, string>();
  const revised = (at: string) => `(revised ${at})`;

  /** Record i as the source serves it now. */
  function record(i: number): string {
    const xml = generateIsoRecord(i);
    const at = modified.get(i);
    if (at === undefined) return xml;
    return xml
      .replace(/<gmd:dateStamp><gco:DateTime>[^<]*<\/gco:DateTime>/, `<gmd:dateStamp><gco:DateTime>${at}</gco:DateTime>`)
      .replace(/(<gmd:title\b[^>]*>\s*<gco:CharacterString>)([^<]*)/, `$1$2 ${revised(at)}`);
  }

  /** The date stamp of record i as an instant (generated ones: 2024-MM-15T10:00:00, UTC). */
  function stamp(i: number): number {
    const at = modified.get(i);
    if (at !== undefined) return Date.parse(`${at}Z`);
    return Date.parse(/<gmd:dateStamp><gco:DateTime>([^<]*)</.exec(generateIsoRecord(i))![1] + 'Z');
  }

  /** The page at 1-based `start` of the records `numbers`. */
  function page(numbers: number[], start: number, max: number): string {
    return recordsPage(numbers.slice(start - 1, start - 1 + max).map(record), start, numbers.length);
  }

  const all = Array.from({ length: n }, (_, k) => first + k);
  /** The record numbers a "modified since" asks for (cached per bound: one scan per run, not per page). */
  let sinceCache: { since: string; numbers: number[] } | undefined;
  function matching(since: string | undefined): number[] {
    if (since === undefined) return all;
    if (sinceCache?.since !== since) {
      const t = Date.parse(since);
      // the generated records are all stamped in 2024: only modified ones can be newer (a scan of N would also do)
      const numbers =
        t > Date.parse('2025-01-01T00:00:00Z') ? [...modified.keys()].filter((i) => stamp(i) >= t) : all.filter((i) => stamp(i) >= t);
      sinceCache = { since, numbers: numbers.sort((a, b) => a - b) };
    }
    return sinceCache.numbers;
  }

  const { url, close } = await startCswServer(({ params, start, max }) => {
    const since = /apiso:Modified\s*>=\s*'([^']+)'/i.exec(params.constraint ?? '')?.[1];
    return page(matching(since), start, max);
  });
  return {
    url,
    numbers: all,
    modify(numbers, at) {
      for (const i of numbers) modified.set(i, at);
      sinceCache = undefined;
    },
    revised,
    close,
  };
}
