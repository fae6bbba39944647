/**
 * A CSW of N generated ISO 19139 records (scripts/samples/iso-generator.ts, each record distinct) whose records can be
 * modified at the source (a new date stamp and a new title) and which honours a "modified since" constraint
 * (`apiso:Modified >= '...'`) as pycsw does: what an incremental run asks. Pages made on demand, real pycsw
 * capabilities (test/fixtures/csw/recorded). Benchmarks only (bench/incremental, bench/service), in their own process.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { generateIsoRecord } from '../samples/iso-generator.js';
import { projectPath } from '../../schemas/paths.js';

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

  function page(numbers: number[], start: number, max: number): string {
    const returned = Math.max(0, Math.min(max, numbers.length - start + 1));
    const next = start + returned > numbers.length ? 0 : start + returned;
    const records = numbers.slice(start - 1, start - 1 + returned).map(record);
    return `<?xml version="1.0" encoding="UTF-8"?>
<csw:GetRecordsResponse xmlns:csw="http://www.opengis.net/cat/csw/2.0.2" xmlns:gmd="http://www.isotc211.org/2005/gmd" version="2.0.2">
  <csw:SearchStatus timestamp="2026-12-05T12:00:00Z"/>
  <csw:SearchResults numberOfRecordsMatched="${numbers.length}" numberOfRecordsReturned="${returned}" nextRecord="${next}" recordSchema="http://www.isotc211.org/2005/gmd" elementSet="full">
${records.join('\n')}
  </csw:SearchResults>
</csw:GetRecordsResponse>`;
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

  const recorded = readFileSync(projectPath('test', 'fixtures', 'csw', 'recorded', 'pycsw-GetCapabilities.xml'), 'utf8');
  let capabilities = recorded;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const q = Object.fromEntries([...url.searchParams].map(([k, v]) => [k.toLowerCase(), v]));
    res.setHeader('content-type', 'application/xml; charset=UTF-8');
    const request = (q.request ?? '').toLowerCase();
    if (request === 'getcapabilities') return res.end(capabilities);
    if (request === 'getrecords') {
      const since = /apiso:Modified\s*>=\s*'([^']+)'/i.exec(q.constraint ?? '')?.[1];
      const start = Math.max(1, Number(q.startposition ?? 1));
      const max = Math.min(1000, Math.max(1, Number(q.maxrecords ?? 10)));
      return res.end(page(matching(since), start, max));
    }
    res.statusCode = 400;
    res.end(
      '<ows:ExceptionReport xmlns:ows="http://www.opengis.net/ows"><ows:Exception exceptionCode="OperationNotSupported"/></ows:ExceptionReport>',
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/csw`;
  capabilities = recorded.replaceAll('http://127.0.0.1:8765/', url);
  return {
    url,
    numbers: all,
    modify(numbers, at) {
      for (const i of numbers) modified.set(i, at);
      sinceCache = undefined;
    },
    revised,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
