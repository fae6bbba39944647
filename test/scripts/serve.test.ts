/** `harvester serve` as an operator runs it: it says where it listens, answers, stops on SIGTERM with exit 0. */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { harvesterBin } from '../helpers/bin.js';
import { esUrl, tempIndexName } from '../helpers/services.js';

const bin = harvesterBin();
const es = await esUrl();
test.after(() => bin.cleanup());

/** `harvester serve` started with these arguments and environment, once it says where it listens. */
async function startServe(args: string[], env: Record<string, string | undefined> = {}) {
  const child = spawn(bin.path, ['serve', '--port', '0', '--es', es, '--alias', tempIndexName('serve'), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no URL logged: ${err}`)), 20_000);
    child.stderr.on('data', () => {
      const m = /serving on (http:\/\/127\.0\.0\.1:\d+)/.exec(err);
      if (m) {
        clearTimeout(t);
        resolve(m[1]);
      }
    });
  });
  return { child, url, err: () => err };
}

test('serve: logs its URL, answers /health, stops on SIGTERM with exit 0 after saying so', async () => {
  const { child, url, err: stderr } = await startServe([], { HUB_BASE_URI: undefined });
  const r = await fetch(`${url}/health`);
  assert.is(r.status, 200);
  assert.is(((await r.json()) as { status: string }).status, 'ok');
  const code = await new Promise<number | null>((resolve) => {
    child.on('exit', (c) => resolve(c));
    child.kill('SIGTERM');
  });
  const err = stderr();
  assert.is(code, 0, err);
  assert.not.match(err, /HUB_BASE_URI/, 'on loopback, the example IRIs are no concern');
  const logged = err
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { msg: string; status?: number });
  assert.ok(
    logged.some((l) => l.msg === 'GET /health 200' && l.status === 200),
    'one JSON line per request',
  );
  assert.ok(logged.some((l) => l.msg === 'stopped'));
});

test('serve: behind a public URL without HUB_BASE_URI, a warning that consumers will refuse the example IRIs', async () => {
  for (const base of [undefined, 'https://catalogue.hub.test/record/']) {
    const { child, err } = await startServe(['--public-url', 'https://catalogue.hub.test'], { HUB_BASE_URI: base });
    await new Promise((resolve) => setTimeout(resolve, 300)); // the warning follows the URL
    child.kill('SIGTERM');
    await new Promise((resolve) => child.on('exit', resolve));
    if (base) assert.not.match(err(), /HUB_BASE_URI/);
    else assert.match(err(), /HUB_BASE_URI is not set: the records' IRIs .* are under https:\/\/data\.hub\.example\/record\//);
  }
});

test('serve: a port already taken is one sentence and exit 2', async () => {
  const taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  const port = (taken.address() as { port: number }).port;
  const r = await bin.runAsync({}, 'serve', '--port', String(port), '--es', es);
  taken.close();
  assert.is(r.code, 2, r.err);
  assert.match(r.err, new RegExp(`harvester serve: port ${port} on 127\\.0\\.0\\.1 is already in use`));
  assert.not.match(r.err, /\n\s+at /);
});

test('serve: a bad --port is a usage error', () => {
  const r = bin.run('serve', '--port', 'eighty');
  assert.is(r.code, 2);
  assert.match(r.err, /--port must be/);
});

test('serve: a mistake in HUB_SSRF_ALLOW is said at the start, naming the variable (not at the first request that reads it)', () => {
  const r = bin.runWith({ env: { HUB_SSRF_ALLOW: '10.0.0.0/8,intranet_example' } }, 'serve', '--port', '0', '--es', es);
  assert.is(r.code, 2, r.err);
  assert.match(r.err, /HUB_SSRF_ALLOW: allowed host "intranet_example" is not a host name, an address or a range/);
});

test.run();
