/**
 * `harvester demo` (what `npm start` runs), twice, against a real pycsw and the real Elasticsearch: the second demo
 * changes nothing, as the README promises of a second harvest. (Each CSW record keeps the address it was harvested
 * from, so this holds only because the sample CSW listens on a fixed port, not on a random free one.)
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { freePort } from '../../scripts/services/proc.js';
import { harvesterBin } from '../helpers/bin.js';
import { deleteIndices, esClient, esUrl, tempIndexName } from '../helpers/services.js';

const bin = harvesterBin();
const alias = tempIndexName('cli-demo');
test.after(async () => {
  await deleteIndices(await esClient(), `${alias}*`);
  bin.cleanup();
});

interface Summary {
  source: string;
  status: string;
  url: string;
  seen: number;
  indexed: number;
  new: number;
  updated: number;
  unchanged: number;
  deleted: number;
  failed: number;
}

/** Runs the demo until it says where it serves, hands its stdout so far to `check`, then stops it with SIGTERM. */
function serving(
  args: string[],
  check: (out: string) => Promise<void>,
): Promise<{ code: number | null; out: string; err: string; lines: Summary[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin.path, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let checked = false;
    const timer = setTimeout(() => child.kill('SIGTERM'), 300_000);
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (!checked && /until Ctrl-C:\n(.*\n){3}/.test(out)) {
        checked = true;
        check(out).then(
          () => child.kill('SIGTERM'),
          (e: unknown) => {
            child.kill('SIGTERM');
            reject(e instanceof Error ? e : new Error(String(e)));
          },
        );
      }
    });
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('close', (code) => {
      clearTimeout(timer);
      if (!checked) reject(new Error(`the demo ended without serving (exit ${code}): ${err}`));
      const lines = out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Summary);
      resolve({ code, out, err, lines });
    });
  });
}

test('a second demo harvests the same records and changes nothing', async () => {
  // a port of our own: the default one (8765) may be a user's demo, and other test files run at the same time
  const port = await freePort();
  const args = ['demo', '--records', '20', '--csw-port', String(port), '--es', await esUrl(), '--alias', alias, '--no-serve'];
  const first = await bin.runAsync({}, ...args);
  assert.is(first.code, 0, first.err);
  const one = first.lines as Summary[];
  assert.equal(
    one.map((s) => s.source),
    ['sample-csw', 'sample-stac', 'sample-ozcar'],
  );
  const csw = one[0];
  assert.is(csw.url, `http://127.0.0.1:${port}/csw`);
  assert.ok(csw.new >= 20, `the 20 generated records and the bundled ones are new: ${JSON.stringify(csw)}`);

  // the second demo serves what it harvested (as npm start does), until SIGTERM
  const serverPort = await freePort();
  const second = await serving([...args.filter((a) => a !== '--no-serve'), '--port', String(serverPort)], async (out) => {
    const base = `http://127.0.0.1:${serverPort}`;
    assert.match(out, new RegExp(`The hub serves them at ${base} until Ctrl-C:`));
    for (const path of ['/catalogue', '/health', '/oai?verb=Identify', '/catalog'])
      assert.match(out, new RegExp(`${base}${path.replace(/[?]/g, '\\?')}`));
    const health = (await (await fetch(`${base}/health`)).json()) as { index: { records: number } };
    assert.ok(health.index.records >= 20);
    const identify = await (await fetch(`${base}/oai?verb=Identify`)).text();
    assert.match(identify, /<deletedRecord>persistent<\/deletedRecord>/);
    const catalog = await fetch(`${base}/catalog.ttl`);
    assert.is(catalog.status, 200);
    const page = await fetch(`${base}/`, { headers: { accept: 'text/html' } });
    assert.is(page.url, `${base}/catalogue`, 'a browser opening the root lands on the catalogue');
    assert.match(await page.text(), /<main id="main">/);
  });
  assert.is(second.code, 0, second.err);
  const two = second.lines;
  for (const [i, s] of two.entries()) {
    assert.is(s.status, 'ok', s.source);
    // the sample CSW is asked only for what changed since the first demo (an incremental run, docs/incremental.md):
    // nothing; the sample OZCAR file has not changed (the same modification time and size): not read, its records
    // counted unchanged; the static STAC sample is read whole, every record unchanged
    const notModified = (s as { end?: { notModified?: boolean } }).end?.notModified === true;
    const incremental = (s as { mode?: string }).mode === 'incremental' && !notModified;
    assert.is(s.seen, incremental ? 0 : one[i].seen, `${s.source}: the same records`);
    assert.is(s.new, 0, `${s.source}: nothing new`);
    assert.is(s.updated, 0, `${s.source}: nothing updated (was ${s.updated} when the port changed from run to run)`);
    assert.is(s.deleted, 0, `${s.source}: nothing removed`);
    assert.is(s.unchanged, incremental ? 0 : one[i].indexed, `${s.source}: every record unchanged`);
  }
  assert.equal(
    two.map((s) => [s.source, (s as { mode?: string }).mode]),
    [
      ['sample-csw', 'incremental'],
      ['sample-stac', 'full'],
      ['sample-ozcar', 'incremental'],
    ],
    'the sample CSW and OZCAR file are harvested incrementally',
  );
});

test('the demo port taken by another process: a clear sentence before anything starts, exit 1', async () => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  try {
    const r = await bin.runAsync({}, 'demo', '--csw-port', String(port), '--es', await esUrl(), '--alias', alias, '--no-serve');
    assert.is(r.code, 1, r.err);
    assert.match(
      r.err,
      new RegExp(
        `^harvester demo: port ${port} of 127\\.0\\.0\\.1, where the sample CSW listens, is taken by another process: stop it, or give --csw-port N`,
      ),
    );
    assert.not.match(r.err, /Elasticsearch|pycsw|\n\s+at /, 'nothing started, no stack');
  } finally {
    server.close();
  }
  const bad = bin.run('demo', '--csw-port', '80');
  assert.is(bad.code, 2);
  assert.match(bad.err, /--csw-port must be a port number from 1024 to 65535/);
});

test.run();
