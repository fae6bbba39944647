/** The link checker against local servers: HEAD, then a one-byte GET when HEAD is refused; one check per URL; the SSRF guard. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { createSsrfGuard } from '../../core/ssrf.js';
import { LinkChecker } from '../../pipelines/links.js';
import { codeOf } from '../../core/warnings.js';
import { renderText } from '../../core/texts/render.js';

test('HEAD, ranged GET after a refused HEAD, 404, redirects, media types; each URL checked once', async () => {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url} ${req.headers.range ?? ''}`.trim());
    if (req.url === '/data.csv')
      return void res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8' }).end(req.method === 'HEAD' ? undefined : 'a,b\n');
    if (req.url === '/nohead') {
      if (req.method === 'HEAD') return void res.writeHead(405).end();
      return void res.writeHead(206, { 'content-type': 'application/x-netcdf', 'content-range': 'bytes 0-0/1000000' }).end('C');
    }
    if (req.url === '/moved') return void res.writeHead(301, { location: '/data.csv' }).end();
    if (req.url === '/elsewhere') return void res.writeHead(302, { location: 'http://127.0.0.3:9/' }).end();
    res.writeHead(404).end('gone');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const checker = new LinkChecker({ guard: createSsrfGuard(['127.0.0.1']), timeoutMs: 5000 });
    const results = await checker.checkAll([
      `${base}/data.csv`,
      `${base}/nohead`,
      `${base}/missing`,
      `${base}/moved`,
      `${base}/data.csv`,
      `${base}/elsewhere`,
    ]);
    assert.equal(results.get(`${base}/data.csv`), { url: `${base}/data.csv`, ok: true, status: 200, mediaType: 'text/csv' });
    assert.equal(results.get(`${base}/nohead`), { url: `${base}/nohead`, ok: true, status: 206, mediaType: 'application/x-netcdf' });
    assert.equal(results.get(`${base}/missing`), { url: `${base}/missing`, ok: false, status: 404 });
    assert.is(results.get(`${base}/moved`)!.ok, true);
    const refused = results.get(`${base}/elsewhere`)!;
    assert.is(refused.ok, false);
    assert.match(refused.error!, /127\.0\.0\.3 is not a public address \(loopback\)/);
    assert.ok(hits.includes('GET /nohead bytes=0-0'), 'the GET asks for one byte');
    assert.is(hits.filter((h) => h.startsWith('HEAD /data.csv')).length, 2, 'data.csv: once itself, once behind /moved');
    await checker.check(`${base}/data.csv`);
    assert.is(hits.filter((h) => h.startsWith('HEAD /data.csv')).length, 2, 'checked once per run');
    // without the operator's allowance, loopback is never asked
    const before = hits.length;
    const guarded = await new LinkChecker({ guard: createSsrfGuard() }).check(`${base}/data.csv`);
    assert.is(guarded.ok, false);
    assert.match(guarded.error!, /loopback/);
    assert.is(hits.length, before);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
});

test("network failures read back into their forms (the report's links.network), in French: a timeout, a redirect loop, a self-signed certificate", async () => {
  const server = createServer((req, res) => {
    if (req.url === '/loop') return void res.writeHead(302, { location: '/loop' }).end();
    // '/slow': the headers never come
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const checker = new LinkChecker({ guard: createSsrfGuard(['127.0.0.1']), timeoutMs: 300 });
    const said = async (url: string) => {
      const r = await checker.check(url);
      assert.is(r.ok, false, url);
      const message = `${url} does not answer: ${r.error}`;
      const { code, params } = codeOf('links.', message);
      assert.is(code, 'links.network', message);
      return renderText('fr', code!, params);
    };
    assert.is(
      await said(`${base}/slow`),
      `${base}/slow ne répond pas\u202f: pas de réponse en 300 ms (étape «\u00a0request\u00a0») (ETIMEDOUT)`,
    );
    assert.is(await said(`${base}/loop`), `${base}/loop ne répond pas\u202f: redirigé 5 fois\u202f: abandon (ERR_TOO_MANY_REDIRECTS)`);
    // an HTTPS server whose certificate is its own (a throw-away one made with openssl): TLS refuses it
    const dir = mkdtempSync(join(tmpdir(), 'hub-links-tls-'));
    try {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:prime256v1',
          '-nodes',
          '-keyout',
          'k.pem',
          '-out',
          'c.pem',
          '-days',
          '1',
          '-subj',
          '/CN=127.0.0.1',
        ],
        { cwd: dir, stdio: 'ignore' },
      );
      const tls = createHttpsServer({ key: readFileSync(join(dir, 'k.pem')), cert: readFileSync(join(dir, 'c.pem')) }, (_, res) =>
        res.end('ok'),
      );
      await new Promise<void>((r) => tls.listen(0, '127.0.0.1', r));
      try {
        const url = `https://127.0.0.1:${(tls.address() as AddressInfo).port}/data.csv`;
        assert.is(await said(url), `${url} ne répond pas\u202f: le certificat TLS est auto-signé (DEPTH_ZERO_SELF_SIGNED_CERT)`);
      } finally {
        tls.closeAllConnections();
        await new Promise<void>((r) => tls.close(() => r()));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
});

test.run();
