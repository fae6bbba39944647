/** fetchText / fetchJson against a local node:http server: retries, no retry on 4xx, size cap, timeout, charset. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetchText, fetchJson, detectCharset, USER_AGENT } from '../../harvesters/http.js';
import { SourceError } from '../../core/result.js';

type Handler = (req: IncomingMessage, res: ServerResponse, hit: number, body: string) => void;

/** A local server; each route counts its hits. */
async function serve(routes: Record<string, Handler>) {
  const hits: Record<string, number> = {};
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      hits[path] = (hits[path] ?? 0) + 1;
      const h = routes[path];
      if (!h) return void res.writeHead(404).end('no route');
      h(req, res, hits[path], body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    hits,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** Runs fn and returns the SourceError it must throw. */
async function sourceError(fn: () => Promise<unknown>): Promise<SourceError> {
  try {
    await fn();
  } catch (err) {
    assert.instance(err, SourceError);
    return err as SourceError;
  }
  assert.unreachable('expected a SourceError');
  throw new Error('unreachable');
}

const fast = { retryDelayMs: 5 };

test('retries 503 twice then succeeds; sends Accept-Encoding identity and a User-Agent', async () => {
  const s = await serve({
    '/flaky': (req, res, hit) => {
      if (hit < 3) return void res.writeHead(503).end('busy');
      res.writeHead(200, { 'content-type': 'text/plain' }).end(`${req.headers['accept-encoding']}|${req.headers['user-agent']}`);
    },
  });
  try {
    const r = await fetchText(`${s.base}/flaky?x=1`, { ...fast, retries: 3 });
    assert.is(r.status, 200);
    assert.is(r.text, `identity|${USER_AGENT}`);
    assert.is(r.contentType, 'text/plain');
    assert.is(s.hits['/flaky'], 3);
  } finally {
    await s.close();
  }
});

test('500 on every attempt: SourceError with method, URL, status and attempts, after retries+1 requests', async () => {
  const s = await serve({
    '/down': (_q, res) => void res.writeHead(500, { 'content-type': 'text/html' }).end('<h1>Internal failure</h1>'),
  });
  try {
    const url = `${s.base}/down`;
    const e = await sourceError(() => fetchText(url, { ...fast, retries: 2 }));
    assert.is(s.hits['/down'], 3);
    assert.is(e.stage, 'fetch');
    assert.is(e.url, url);
    assert.is(e.request, `GET ${url}`);
    assert.match(e.message, `GET ${url}`);
    assert.match(e.message, 'HTTP 500');
    assert.match(e.message, 'after 3 attempts');
    assert.match(e.message, 'Internal failure');
  } finally {
    await s.close();
  }
});

test('404 is not retried', async () => {
  const s = await serve({ '/gone': (_q, res) => void res.writeHead(404).end('not here') });
  try {
    const e = await sourceError(() => fetchText(`${s.base}/gone`, { ...fast, retries: 3 }));
    assert.is(s.hits['/gone'], 1);
    assert.match(e.message, 'HTTP 404');
    assert.not.match(e.message, 'attempts');
  } finally {
    await s.close();
  }
});

test('POST is retried and its body resent; request in the error holds the body', async () => {
  const bodies: string[] = [];
  const s = await serve({
    '/post': (_q, res, _hit, body) => {
      bodies.push(body);
      res.writeHead(502).end();
    },
  });
  try {
    const body = '<csw:GetRecords/>';
    const e = await sourceError(() => fetchText(`${s.base}/post`, { ...fast, retries: 1, body }));
    assert.equal(bodies, [body, body]);
    assert.is(e.request, `POST ${s.base}/post\n${body}`);
    assert.match(e.message, 'POST ');
  } finally {
    await s.close();
  }
});

test('429 with Retry-After is honoured (waits the given seconds)', async () => {
  const s = await serve({
    '/slowdown': (_q, res, hit) => {
      if (hit === 1) return void res.writeHead(429, { 'retry-after': '1' }).end();
      res.writeHead(200).end('ok');
    },
  });
  try {
    const t0 = Date.now();
    const r = await fetchText(`${s.base}/slowdown`, { retryDelayMs: 1, retries: 2 });
    const waited = Date.now() - t0;
    assert.is(r.text, 'ok');
    assert.ok(waited >= 950, `waited ${waited} ms`);
  } finally {
    await s.close();
  }
});

test('Retry-After longer than maxRetryAfterMs ends the retries', async () => {
  const s = await serve({ '/later': (_q, res) => void res.writeHead(503, { 'retry-after': '3600' }).end() });
  try {
    const e = await sourceError(() => fetchText(`${s.base}/later`, { ...fast, retries: 3, maxRetryAfterMs: 1000 }));
    assert.is(s.hits['/later'], 1);
    assert.match(e.message, 'HTTP 503');
  } finally {
    await s.close();
  }
});

test('oversized: a Content-Length above maxBytes fails before the body is read', async () => {
  const s = await serve({
    '/big': (_q, res) => {
      res.writeHead(200, { 'content-length': String(1_000_000) });
      res.write(Buffer.alloc(1000, 'a')); // then hangs: the client must not wait for the rest
    },
  });
  try {
    const t0 = Date.now();
    const e = await sourceError(() => fetchText(`${s.base}/big`, { ...fast, maxBytes: 10_000, timeoutMs: 5000 }));
    assert.ok(Date.now() - t0 < 2000);
    assert.match(e.message, 'too large');
    assert.match(e.message, 'Content-Length 1000000');
    assert.is(s.hits['/big'], 1); // not retried
  } finally {
    await s.close();
  }
});

test('oversized: a chunked stream passing maxBytes is aborted while downloading', async () => {
  let written = 0;
  let clientGone = false;
  const total = 20 * 1024 * 1024;
  const s = await serve({
    '/stream': (_q, res) => {
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.on('close', () => (clientGone = true));
      const chunk = Buffer.alloc(16 * 1024, 'x');
      const pump = () => {
        while (written < total && !clientGone) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        if (!clientGone) res.end();
      };
      pump();
    },
  });
  try {
    const e = await sourceError(() => fetchText(`${s.base}/stream`, { ...fast, maxBytes: 256 * 1024 }));
    assert.match(e.message, 'too large');
    assert.match(e.message, 'above the cap of 262144 bytes');
    await new Promise((r) => setTimeout(r, 50));
    assert.ok(clientGone, 'client closed the connection');
    assert.ok(written < total, `server wrote ${written} of ${total} bytes`);
  } finally {
    await s.close();
  }
});

test('timeout: each attempt times out, retried, then SourceError naming the timeout', async () => {
  const s = await serve({ '/slow': (_q, res) => void setTimeout(() => res.writeHead(200).end('late'), 400) });
  try {
    const e = await sourceError(() => fetchText(`${s.base}/slow`, { ...fast, retries: 1, timeoutMs: 80 }));
    assert.is(s.hits['/slow'], 2);
    assert.match(e.message, /ETIMEDOUT|[Tt]imeout/);
    assert.match(e.message, 'after 2 attempts');
  } finally {
    await s.close();
  }
});

test('budgetMs bounds a request with all its retries: a hang fails after the budget, not after (retries + 1) x timeoutMs', async () => {
  const s = await serve({ '/hang': () => undefined });
  try {
    const t0 = Date.now();
    const e = await sourceError(() => fetchText(`${s.base}/hang`, { ...fast, retries: 10, timeoutMs: 300, budgetMs: 1000 }));
    const took = Date.now() - t0;
    assert.ok(took >= 950 && took < 3000, `${took} ms`);
    assert.match(e.message, /: no answer within 1000 ms \(http\.budgetMs\) over \d+ attempt\(s\); last error: ETIMEDOUT/);
    assert.ok(s.hits['/hang'] >= 2 && s.hits['/hang'] <= 4, `${s.hits['/hang']} attempts`);
  } finally {
    await s.close();
  }
});

test('a body shorter than its Content-Length is a retried error, not a short body', async () => {
  const s = await serve({
    '/cut': (_q, res, hit) => {
      if (hit === 1) {
        res.writeHead(200, { 'content-length': '100' });
        res.write('<a>truncated');
        setTimeout(() => res.destroy(), 10);
        return;
      }
      res.writeHead(200, { 'content-type': 'application/xml' }).end('<a>whole</a>');
    },
  });
  try {
    const r = await fetchText(`${s.base}/cut`, { ...fast, retries: 2 });
    assert.is(r.text, '<a>whole</a>');
    assert.is(s.hits['/cut'], 2);
  } finally {
    await s.close();
  }
});

test('decodes the charset of the XML declaration (ISO-8859-1) and of the Content-Type', async () => {
  const latin = Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><t>Télédétection</t>', 'latin1');
  const s = await serve({
    '/latin': (_q, res) => void res.writeHead(200, { 'content-type': 'application/xml' }).end(latin),
    '/latin-ct': (_q, res) =>
      void res.writeHead(200, { 'content-type': 'text/xml; charset=iso-8859-1' }).end(Buffer.from('<t>é</t>', 'latin1')),
  });
  try {
    assert.match((await fetchText(`${s.base}/latin`)).text, '<t>Télédétection</t>');
    assert.is((await fetchText(`${s.base}/latin-ct`)).text, '<t>é</t>');
  } finally {
    await s.close();
  }
});

test('fetchJson parses JSON and reports a non-JSON body as a parse SourceError', async () => {
  const s = await serve({
    '/json': (req, res) =>
      void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ accept: req.headers.accept })),
    '/html': (_q, res) => void res.writeHead(200, { 'content-type': 'text/html' }).end('<html>login</html>'),
  });
  try {
    const j = await fetchJson<{ accept: string }>(`${s.base}/json`);
    assert.match(j.accept, 'application/json');
    const e = await sourceError(() => fetchJson(`${s.base}/html`));
    assert.is(e.stage, 'parse');
    assert.match(e.message, 'not JSON');
    assert.match(e.message, 'text/html');
  } finally {
    await s.close();
  }
});

test('an aborted signal stops the request', async () => {
  const s = await serve({ '/hang': () => undefined });
  try {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    const e = await sourceError(() => fetchText(`${s.base}/hang`, { signal: ac.signal, timeoutMs: 5000 }));
    assert.match(e.message, 'aborted');
  } finally {
    await s.close();
  }
});

test('invalid options are refused with precise messages', async () => {
  try {
    await fetchText('http://127.0.0.1:9/', { budgetMs: 0 });
    assert.unreachable();
  } catch (err) {
    assert.match((err as Error).message, 'fetch option budgetMs must be a number >= 1, got 0');
  }
  try {
    await fetchText('http://127.0.0.1:1/', { retries: 1.5 });
    assert.unreachable();
  } catch (err) {
    assert.instance(err, RangeError);
    assert.match((err as Error).message, 'retries must be an integer >= 0, got 1.5');
  }
  try {
    await fetchText('http://127.0.0.1:1/', { maxBytes: 0 });
    assert.unreachable();
  } catch (err) {
    assert.instance(err, RangeError);
    assert.match((err as Error).message, 'maxBytes must be a number >= 1');
  }
});

test('detectCharset: Content-Type first, then BOM, then XML declaration, else UTF-8', () => {
  assert.is(detectCharset(Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?>'), 'text/xml; charset=UTF-8'), 'utf-8');
  assert.is(detectCharset(Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?>'), 'text/xml'), 'iso-8859-1');
  assert.is(detectCharset(Buffer.from('{}'), ''), 'utf-8');
});

test.run();
