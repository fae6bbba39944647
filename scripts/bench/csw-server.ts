/**
 * The CSW endpoint the benchmarks' generated catalogues share (bench/iso-replay, bench/duplicates, bench/changing-csw):
 * real pycsw capabilities (test/fixtures/csw/recorded) rewritten to its own URL, GetRecords answered by the caller,
 * anything else an OWS exception. Benchmarks only.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { projectPath } from '../../schemas/paths.js';

/** A GetRecords request: its parameters (names in lower case), its 1-based start position and its page size (1 to 1000). */
export interface GetRecords {
  params: Record<string, string>;
  start: number;
  max: number;
}

/** Listens on 127.0.0.1 (`port`, default a free one) and answers GetRecords with `getRecords`. */
export async function startCswServer(
  getRecords: (q: GetRecords) => string,
  port = 0,
): Promise<{ url: string; port: number; server: Server; close: () => Promise<void> }> {
  const recorded = readFileSync(projectPath('test', 'fixtures', 'csw', 'recorded', 'pycsw-GetCapabilities.xml'), 'utf8');
  let capabilities = recorded;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const params = Object.fromEntries([...url.searchParams].map(([k, v]) => [k.toLowerCase(), v]));
    res.setHeader('content-type', 'application/xml; charset=UTF-8');
    const request = (params.request ?? '').toLowerCase();
    if (request === 'getcapabilities') return res.end(capabilities);
    if (request === 'getrecords') {
      const start = Math.max(1, Number(params.startposition ?? 1));
      const max = Math.min(1000, Math.max(1, Number(params.maxrecords ?? 10)));
      return res.end(getRecords({ params, start, max }));
    }
    res.statusCode = 400;
    res.end(
      '<ows:ExceptionReport xmlns:ows="http://www.opengis.net/ows"><ows:Exception exceptionCode="OperationNotSupported"/></ows:ExceptionReport>',
    );
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const actual = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${actual}/csw`;
  capabilities = recorded.replaceAll('http://127.0.0.1:8765/', url);
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return { url, port: actual, server, close };
}
