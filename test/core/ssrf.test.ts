/**
 * The SSRF guard: loopback, private, link-local, CGNAT, IPv6 (mapped forms too), decimal- and hex-encoded hosts,
 * a name resolving to loopback, and a local server that redirects to an address that is not allowed: none is fetched.
 * Tests allow loopback (127.0.0.1 only) explicitly, as an operator would, and nothing else.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { blockedReason, createSsrfGuard, SsrfError } from '../../core/ssrf.js';
import { fetchText } from '../../harvesters/http.js';

/** A server on a loopback address that counts its hits; `redirect` sends every request there. */
async function serve(host: string, redirect?: () => string): Promise<{ server: Server; base: string; hits: () => number }> {
  let hits = 0;
  const server = createServer((req, res) => {
    hits++;
    if (redirect) res.writeHead(302, { location: redirect() }).end();
    else res.writeHead(200, { 'content-type': 'text/plain' }).end('secret');
  });
  await new Promise<void>((r) => server.listen(0, host, r));
  return { server, base: `http://${host}:${(server.address() as AddressInfo).port}`, hits: () => hits };
}

const close = (s: Server) => new Promise<void>((r) => (s.closeAllConnections(), s.close(() => r())));

test('only global unicast addresses pass, IPv4 and IPv6, mapped, NAT64 and 6to4 forms included', () => {
  for (const a of [
    '127.0.0.1',
    '127.8.9.10',
    '10.1.2.3',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '100.100.100.200',
    '0.0.0.0',
    '255.255.255.255',
    '224.0.0.1',
    '::1',
    '::',
    'fe80::1',
    'fd00:ec2::254',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:a9fe:a9fe',
    '64:ff9b::a00:1',
    '2002:c0a8:101::1',
  ])
    assert.ok(blockedReason(a), `${a} must be refused`);
  for (const a of ['8.8.8.8', '193.51.24.1', '2606:4700:4700::1111', '::ffff:8.8.8.8']) assert.is(blockedReason(a), undefined, a);
});

test('checkUrl: http(s) only; IP literals in any spelling are checked; allowed ranges and hosts pass', () => {
  const guard = createSsrfGuard();
  const refused = (u: string) => {
    try {
      guard.checkUrl(u);
    } catch (err) {
      assert.instance(err, SsrfError);
      return (err as Error).message;
    }
    return undefined;
  };
  assert.match(refused('file:///etc/passwd')!, /only http and https/);
  assert.match(refused('gopher://127.0.0.1/')!, /only http and https/);
  assert.match(refused('http://2130706433/')!, /127\.0\.0\.1 is not a public address \(loopback\)/, 'decimal-encoded');
  assert.match(refused('http://0x7f.0.0.1/')!, /loopback/, 'hex-encoded');
  assert.match(refused('http://0177.0.0.1/')!, /loopback/, 'octal-encoded');
  assert.match(refused('http://[::ffff:127.0.0.1]/')!, /loopback/, 'IPv4-mapped IPv6');
  assert.match(refused('http://[::ffff:a9fe:a9fe]/latest/meta-data/')!, /169\.254\.169\.254.*linkLocal/, 'cloud metadata, mapped');
  assert.match(refused('http://[::1]:9200/')!, /loopback/);
  assert.match(refused('http://169.254.169.254/latest/meta-data/')!, /linkLocal/);
  assert.match(refused('http://10.0.0.1/')!, /private/);
  assert.is(refused('https://8.8.8.8/'), undefined);
  assert.is(refused('https://example.org/'), undefined, 'a name is checked when it resolves, not here');
  const allowed = createSsrfGuard(['127.0.0.1', '10.0.0.0/8', 'intranet.local']);
  allowed.checkUrl('http://127.0.0.1:8080/');
  allowed.checkUrl('http://10.9.8.7/');
  allowed.checkUrl('http://intranet.local/');
  assert.throws(() => allowed.checkUrl('http://127.0.0.2/'), /loopback/);
  assert.throws(() => createSsrfGuard(['10.0.0.0/99']), /not an address range/);
});

test('fetchText through the guard: loopback by address and by name is never requested; allowed loopback is', async () => {
  const s = await serve('127.0.0.1');
  try {
    for (const url of [`${s.base}/`, s.base.replace('127.0.0.1', 'localhost') + '/', s.base.replace('127.0.0.1', '2130706433') + '/']) {
      try {
        await fetchText(url, { guard: createSsrfGuard(), retries: 0 });
        assert.unreachable(`${url} must be refused`);
      } catch (err) {
        assert.match((err as Error).message, /refused/, url);
      }
    }
    assert.is(s.hits(), 0, 'nothing reached the server');
    const ok = await fetchText(`${s.base}/`, { guard: createSsrfGuard(['127.0.0.1']), retries: 0 });
    assert.is(ok.text, 'secret');
    assert.is(s.hits(), 1);
  } finally {
    await close(s.server);
  }
});

test('a redirect to an address that is not allowed is refused at the redirect, and nothing is fetched there', async () => {
  const inside = await serve('127.0.0.2');
  const hop = await serve('127.0.0.1', () => `${inside.base}/admin`);
  const toPrivate = await serve('127.0.0.1', () => 'http://10.255.255.1/');
  const toMetadata = await serve('127.0.0.1', () => 'http://[::ffff:169.254.169.254]/latest/meta-data/');
  try {
    const guard = createSsrfGuard(['127.0.0.1']);
    for (const [s, what] of [
      [hop, /127\.0\.0\.2 is not a public address \(loopback\)/],
      [toPrivate, /10\.255\.255\.1 is not a public address \(private\)/],
      [toMetadata, /169\.254\.169\.254 is not a public address \(linkLocal\)/],
    ] as const) {
      try {
        await fetchText(`${s.base}/start`, { guard, retries: 0, timeoutMs: 5000 });
        assert.unreachable('the redirect must be refused');
      } catch (err) {
        assert.match((err as Error).message, what);
      }
      assert.is(s.hits(), 1, 'the allowed server was asked once');
    }
    assert.is(inside.hits(), 0, 'the server behind the redirect was never reached');
  } finally {
    for (const s of [inside, hop, toPrivate, toMetadata]) await close(s.server);
  }
});

test.run();
