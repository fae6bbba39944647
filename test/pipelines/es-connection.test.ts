/**
 * The Elasticsearch connection from the environment (pipelines/es-connection.ts) and its pass-through to every client
 * the hub makes: every bad combination named by its variable; then a real HTTPS endpoint on loopback (a certificate
 * signed by a throw-away CA made with openssl, basic and API-key authentication required) in front of the real node,
 * reached by a client made from the environment, by `harvester harvest` and `harvester runs` (the installed command),
 * and by the HTTP server: with the CA file, with its fingerprint, with verification off, refused without them or
 * with a wrong password. The credentials never show in /health or in messages.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildServer } from '../../api/server.js';
import { UsageError } from '../../core/result.js';
import { clientOptions, createClient, esConnection, redactUrl } from '../../pipelines/es-connection.js';
import { silentLogger } from '../../pipelines/log.js';
import { sharedFixture } from '../../schemas/paths.js';
import { harvesterBin } from '../helpers/bin.js';
import { deleteIndices, esClient, esUrl, tempIndexName } from '../helpers/services.js';

const es = new URL(await esUrl());
const dir = mkdtempSync(join(tmpdir(), 'es-tls-'));
const bin = harvesterBin();
const alias = tempIndexName('tls');
let proxy: Server;
let proxyUrl = '';
let fingerprint = '';
/** Authorization headers the endpoint received, in order. */
const seen: string[] = [];
const USER = 'hub-writer';
const PASSWORD = 's3cret pass:word';
const API_KEY = Buffer.from('key-id:key-secret').toString('base64');

function openssl(...args: string[]): string {
  return execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
}

test.before(async () => {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=hub-test-ca');
  openssl('req', ...ec, '-keyout', 'node.key', '-out', 'node.csr', '-subj', '/CN=localhost');
  writeFileSync(join(dir, 'san.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  openssl(
    'x509',
    '-req',
    '-in',
    'node.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'node.pem',
    '-days',
    '2',
    '-extfile',
    'san.cnf',
  );
  fingerprint = openssl('x509', '-in', 'ca.pem', '-noout', '-fingerprint', '-sha256').split('=')[1].trim();
  const basic = 'Basic ' + Buffer.from(`${USER}:${PASSWORD}`).toString('base64');
  // an HTTPS endpoint that wants credentials, in front of the real node (as a secured cluster or its proxy would)
  proxy = createServer(
    {
      key: readFileSync(join(dir, 'node.key')),
      cert: readFileSync(join(dir, 'node.pem'), 'utf8') + readFileSync(join(dir, 'ca.pem'), 'utf8'),
    },
    (req, res) => {
      const auth = req.headers.authorization ?? '';
      seen.push(auth);
      if (auth !== basic && auth !== `ApiKey ${API_KEY}`) {
        res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Basic realm="security"' });
        res.end(JSON.stringify({ error: { type: 'security_exception', reason: 'missing or wrong credentials' }, status: 401 }));
        return;
      }
      const headers = { ...req.headers, host: es.host };
      delete headers.authorization;
      const up = request({ host: es.hostname, port: es.port, path: req.url, method: req.method, headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      up.on('error', () => res.writeHead(502).end());
      req.pipe(up);
    },
  );
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `https://127.0.0.1:${(proxy.address() as { port: number }).port}`;
});
test.after(async () => {
  await new Promise<void>((resolve) => proxy?.close(() => resolve()));
  proxy?.closeAllConnections();
  rmSync(dir, { recursive: true, force: true });
  bin.cleanup();
  await deleteIndices(await esClient(), `${alias}*`);
});

test('every combination that cannot work is a usage error naming its variable', () => {
  const ca = join(dir, 'ca.pem');
  const cases: [NodeJS.ProcessEnv, string, RegExp][] = [
    [{ ES_URL: 'ftp://x' }, 'ES_URL', /http\(s\) URLs/],
    [{ ES_URL: 'http://a:9200,nonsense' }, 'ES_URL', /got "nonsense"/],
    [{ ES_USERNAME: 'u' }, 'ES_PASSWORD', /needs ES_PASSWORD/],
    [{ ES_PASSWORD: 'p' }, 'ES_USERNAME', /needs ES_USERNAME/],
    [{ ES_API_KEY: 'k', ES_USERNAME: 'u', ES_PASSWORD: 'p' }, 'ES_API_KEY', /either ES_API_KEY or a user/],
    [{ ES_URL: 'https://u:zz-secret@es:9200', ES_API_KEY: 'k' }, 'ES_API_KEY', /not both/],
    [{ ES_CA_FILE: ca }, 'ES_CA_FILE', /applies to https URLs/],
    [{ ES_TLS_VERIFY: 'false' }, 'ES_TLS_VERIFY', /applies to https URLs/],
    [{ ES_URL: 'https://es:9200', ES_TLS_VERIFY: 'no' }, 'ES_TLS_VERIFY', /true or false/],
    [{ ES_URL: 'https://es:9200', ES_CA_FILE: join(dir, 'absent.pem') }, 'ES_CA_FILE', /cannot be read: ENOENT/],
    [{ ES_URL: 'https://es:9200', ES_CA_FILE: join(dir, 'san.cnf') }, 'ES_CA_FILE', /no PEM certificate/],
    [{ ES_URL: 'https://es:9200', ES_CA_FINGERPRINT: 'abc' }, 'ES_CA_FINGERPRINT', /SHA-256/],
    [{ HUB_REPLICAS: '-1' }, 'HUB_REPLICAS', /0 to 16/],
    [{ HUB_SHARDS: 'two' }, 'HUB_SHARDS', /1 to 1024/],
  ];
  for (const [env, param, message] of cases) {
    try {
      esConnection(env);
      assert.unreachable(JSON.stringify(env));
    } catch (err) {
      assert.instance(err, UsageError, JSON.stringify(env));
      assert.is((err as UsageError).param, param, JSON.stringify(env));
      assert.match((err as Error).message, message);
      assert.not.match((err as Error).message, /zz-secret/, 'no password in a message');
    }
  }
  // the --es option replaces ES_URL and is named as such
  assert.throws(
    () => esConnection({}, 'nope'),
    (e: UsageError) => e.param === '--es',
  );
});

test('what the environment says reaches the client: nodes, credentials, TLS, index settings', () => {
  const c = esConnection({
    ES_URL: 'https://es1.example:9200, https://es2.example:9200/',
    ES_USERNAME: 'u',
    ES_PASSWORD: 'p',
    ES_CA_FILE: join(dir, 'ca.pem'),
    HUB_SHARDS: '3',
    HUB_REPLICAS: '1',
    ES_REQUEST_TIMEOUT_MS: '30000',
  });
  assert.equal(c.nodes, ['https://es1.example:9200', 'https://es2.example:9200']);
  assert.equal(c.index, { shards: 3, replicas: 1 });
  const o = clientOptions(c);
  assert.equal(o.auth, { username: 'u', password: 'p' });
  assert.is((o.tls as { rejectUnauthorized: boolean }).rejectUnauthorized, true);
  assert.match(String((o.tls as { ca: string }).ca), /BEGIN CERTIFICATE/);
  assert.is(o.requestTimeout, 30000);
  // user:password in the URL become basic credentials, and leave the URL
  const inUrl = esConnection({ ES_URL: 'https://name:pa%20ss@es1:9200' });
  assert.equal(inUrl.auth, { username: 'name', password: 'pa ss' });
  assert.equal(inUrl.nodes, ['https://es1:9200']);
  assert.is(redactUrl('https://name:pass@es1:9200/x'), 'https://es1:9200/x');
  // nothing set: the local node, no credentials, no TLS
  assert.equal(esConnection({}), { nodes: ['http://127.0.0.1:9200'], requestTimeoutMs: 120_000, index: {} });
});

test('a client from the environment reaches a TLS endpoint with basic auth or an API key; refused without the CA or with a wrong password', async () => {
  const ca = join(dir, 'ca.pem');
  const health = async (env: NodeJS.ProcessEnv) => {
    const client = createClient(esConnection({ ES_URL: proxyUrl, ...env }));
    try {
      return (await client.cluster.health({}, { maxRetries: 0 })).status;
    } finally {
      await client.close();
    }
  };
  const before = seen.length;
  assert.ok(['green', 'yellow'].includes(await health({ ES_CA_FILE: ca, ES_USERNAME: USER, ES_PASSWORD: PASSWORD })));
  assert.ok(['green', 'yellow'].includes(await health({ ES_CA_FINGERPRINT: fingerprint, ES_API_KEY: API_KEY })));
  assert.ok(['green', 'yellow'].includes(await health({ ES_TLS_VERIFY: 'false', ES_API_KEY: API_KEY })));
  assert.ok(seen.slice(before).includes(`ApiKey ${API_KEY}`));
  try {
    await health({ ES_CA_FINGERPRINT: fingerprint.replace(/^../, fingerprint.startsWith('00') ? '11' : '00'), ES_API_KEY: API_KEY });
    assert.unreachable('another fingerprint: refused');
  } catch (err) {
    assert.match(String((err as Error).message), /fingerprint/i);
  }
  try {
    await health({ ES_USERNAME: USER, ES_PASSWORD: PASSWORD });
    assert.unreachable('no CA: the self-signed chain is refused');
  } catch (err) {
    assert.match(String((err as Error).message), /certificate|self[- ]signed/i);
  }
  try {
    await health({ ES_CA_FILE: ca, ES_USERNAME: USER, ES_PASSWORD: 'wrong' });
    assert.unreachable('wrong password');
  } catch (err) {
    assert.is((err as { meta?: { statusCode?: number } }).meta?.statusCode, 401);
  }
});

test('the installed command harvests and reads runs through TLS with credentials; a wrong password is one sentence, exit 1', async () => {
  const env = { ES_URL: proxyUrl, ES_CA_FILE: join(dir, 'ca.pem'), ES_USERNAME: USER, ES_PASSWORD: PASSWORD, HUB_INDEX: alias };
  const before = seen.length;
  const h = await bin.runAsync({ env }, 'harvest', '--url', sharedFixture('ozcar', 'TOUR_en.json'), '--type', 'ozcar', '--id', 'tour');
  assert.is(h.code, 0, h.err);
  assert.ok(seen.length - before > 3, 'every request went through the TLS endpoint');
  const records = await (await esClient()).count({ index: alias });
  assert.is(records.count, 1);
  const runs = await bin.runAsync({ env }, 'runs');
  assert.is(runs.code, 0, runs.err);
  assert.match(runs.out, /tour/);
  const bad = await bin.runAsync({ env: { ...env, ES_PASSWORD: 'wrong' } }, 'runs');
  assert.is(bad.code, 1);
  assert.match(bad.err, new RegExp(`Elasticsearch does not answer at ${proxyUrl.replace(/[.]/g, '\\.')}`));
  assert.not.match(bad.err + bad.out, /wrong|s3cret/);
});

test('the HTTP server reads through the same client; /health names the node without its credentials', async () => {
  const conn = esConnection({
    ES_URL: `https://${USER}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${new URL(proxyUrl).port}`,
    ES_CA_FILE: join(dir, 'ca.pem'),
  });
  const client = createClient(conn);
  const app = await buildServer({ client, alias, esUrl: conn.nodes.join(','), log: silentLogger });
  const r = await app.inject({ url: '/health' });
  assert.is(r.statusCode, 200, r.body);
  assert.is(r.json().index.records, 1);
  const s = await app.inject({ url: '/search?q=eddy' });
  assert.is(s.statusCode, 200);
  assert.is(s.json().total, 1);
  assert.not.match(r.body + s.body, /s3cret|hub-writer/);
  await app.close();
  await client.close();
});

test.run();
