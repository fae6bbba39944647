/**
 * A replay server of the project's own, on loopback: answers each request with a recorded response chosen by a
 * function of the request (path and query), and keeps the requests it got. `{{BASE}}` in a body becomes the server's
 * own base URL (http://127.0.0.1:PORT), so that recorded links can point back at it.
 *
 *   const srv = await replayServer((req) => ({ body: readFileSync(...), type: 'text/turtle' }));
 *   ... harvest srv.url + '/catalog' ...; assert srv.requests; await srv.close();
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReplayRequest {
  method: string;
  /** Path and query, as received. */
  url: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface ReplayAnswer {
  status?: number;
  body: string;
  /** Content-Type (default application/octet-stream: the client must not rely on it unless the test says one). */
  type?: string;
  headers?: Record<string, string>;
}

export interface ReplayServer {
  /** Base URL, http://127.0.0.1:PORT (no trailing slash). */
  url: string;
  requests: ReplayRequest[];
  close(): Promise<void>;
}

export async function replayServer(answer: (req: ReplayRequest, base: string) => ReplayAnswer): Promise<ReplayServer> {
  const requests: ReplayRequest[] = [];
  let base = '';
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const u = new URL(req.url ?? '/', base);
      const r: ReplayRequest = {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        path: u.pathname,
        query: u.searchParams,
        headers: req.headers,
        body,
      };
      requests.push(r);
      let a: ReplayAnswer;
      try {
        a = answer(r, base);
      } catch (err) {
        a = { status: 500, body: `replay: ${(err as Error).message}`, type: 'text/plain' };
      }
      res.writeHead(a.status ?? 200, { 'content-type': a.type ?? 'application/octet-stream', ...(a.headers ?? {}) });
      res.end(a.body.replaceAll('{{BASE}}', base));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
