/**
 * Issue 9's faults run again with the real `harvester serve` process in charge (a YAML sources file, a fault CSW of
 * our own serving 300 generated records in pages of 25, the real node): SIGTERM during a scheduled run (the page in
 * flight written, the run recorded interrupted with exactly what the index holds, the lock released, exit 0), and a
 * restart mid-run (kill -9 while a run started over HTTP goes; the next start marks it aborted and a later run
 * harvests everything, the counts exact). Usage mistakes in the service options are one sentence and exit 2.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { RunSummary } from '../../pipelines/harvest.js';
import { currentLock } from '../../pipelines/locks.js';
import { latestRuns, runsIndex } from '../../pipelines/runs.js';
import { harvesterBin } from '../helpers/bin.js';
import { faultyCsw, generatedRecords, type CswRequest, type FaultyCsw } from '../helpers/fault-csw.js';
import { deleteIndices, esClient, esUrl, tempIndexName } from '../helpers/services.js';

const bin = harvesterBin();
const ES = await esUrl();
const client = await esClient();
const TOKEN = 'serve-service-token';
const records = generatedRecords(300);

test.after(async () => {
  bin.cleanup();
  await deleteIndices(client, 'test-serve-service-*');
});

interface Served {
  child: ChildProcessWithoutNullStreams;
  url: string;
  err: () => string;
  exited: Promise<number | null>;
}

/** Starts `harvester serve` on a free port with the sources file; resolves once it said where it listens. */
async function serve(alias: string, sourcesFile: string, extra: string[] = []): Promise<Served> {
  const child = spawn(
    bin.path,
    ['serve', '--port', '0', '--es', ES, '--alias', alias, '--sources', sourcesFile, '--report-dir', bin.dir, ...extra],
    { env: { ...process.env, HUB_OPERATOR_TOKEN: TOKEN, HUB_MAP_WORKERS: '0' }, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  child.stdout.resume();
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no URL logged: ${err}`)), 30_000);
    const look = () => {
      const m = /serving on (http:\/\/127\.0\.0\.1:\d+)/.exec(err);
      if (m && /harvest service: /.test(err)) {
        clearTimeout(t);
        resolve(m[1]);
      }
    };
    child.stderr.on('data', look);
    void exited.then(() => reject(new Error(`serve exited: ${err}`)));
  });
  return { child, url, err: () => err, exited };
}

function requested(csw: FaultyCsw, when: (r: CswRequest) => boolean): Promise<CswRequest> {
  return new Promise((resolve) => {
    csw.onRequest = (r) => {
      if (when(r)) resolve(r);
    };
  });
}

async function count(alias: string): Promise<number> {
  await client.indices.refresh({ index: alias });
  return (await client.count({ index: alias })).count;
}

async function runs(alias: string): Promise<RunSummary[]> {
  await client.indices.refresh({ index: runsIndex(alias) });
  return latestRuns(client, alias, { source: 'geo', size: 50, except: ['skipped'] });
}

const sourcesYaml = (url: string, schedule?: string) =>
  `# the sources of this test\nsources:\n  - id: geo\n    type: csw\n    url: ${url}\n` +
  (schedule ? `    schedule: "${schedule}"\n` : '') +
  `    options:\n      pageSize: 25\n      http:\n        retryDelayMs: 10\n`;

test('SIGTERM during a scheduled run: the page in flight written, the run interrupted with what the index holds, lock released, exit 0', async () => {
  const alias = tempIndexName('serve-service');
  const csw = await faultyCsw({ records, pageCap: 25 });
  csw.fault = (r) => (r.op === 'GetRecords' ? { delayMs: 400 } : undefined);
  const file = join(bin.dir, 'sigterm.yaml');
  writeFileSync(file, sourcesYaml(csw.url, '*/3 * * * * *'));
  const page4 = requested(csw, (r) => r.op === 'GetRecords' && r.start === 76);
  const s = await serve(alias, file);
  try {
    await Promise.race([page4, s.exited.then(() => Promise.reject(new Error(`serve exited: ${s.err()}`)))]);
    const [running] = await runs(alias);
    assert.equal([running.status, running.owner.pid], ['running', s.child.pid], 'the scheduled run is under way');
    s.child.kill('SIGTERM');
    const code = await s.exited;
    assert.is(code, 0, s.err());
    const [run, ...rest] = await runs(alias);
    assert.equal(rest, [], 'one run (the slots that came while it went were skipped)');
    assert.is(run.runId, running.runId);
    assert.is(run.status, 'interrupted');
    assert.is(run.error, 'stopped (SIGTERM received)');
    assert.is(run.deletion, 'the run was interrupted: nothing removed');
    assert.equal([run.failed, run.new, run.indexed], [0, run.seen, run.seen]);
    assert.ok(run.seen >= 100 && run.seen < 300 && run.seen % 25 === 0, `whole pages: ${run.seen}`);
    const asked = csw.pageRequests().map((r) => r.start!);
    assert.ok(Math.max(...asked) <= run.seen + 1 + 25, `at most the page after the last one written was asked: ${asked.join(',')}`);
    assert.is(await count(alias), run.seen, 'the index holds exactly what the run counted');
    assert.is(await currentLock(client, alias, 'geo'), undefined, 'the lock is released');
    const logged = s
      .err()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { msg: string });
    assert.ok(logged.some((l) => /^SIGTERM: no new requests or runs/.test(l.msg)));
    assert.ok(logged.some((l) => /stopped \(SIGTERM received\): the source is asked for nothing more/.test(l.msg)));
    assert.is(logged.at(-1)?.msg, 'stopped');
  } finally {
    s.child.kill('SIGKILL');
    await csw.close();
  }
});

test('a restart mid-run: kill -9 while a run started over HTTP goes; the next start marks it aborted, a later run harvests everything', async () => {
  const alias = tempIndexName('serve-service');
  const csw = await faultyCsw({ records, pageCap: 25 });
  csw.fault = (r) => (r.op === 'GetRecords' ? { delayMs: 300 } : undefined);
  const file = join(bin.dir, 'restart.yaml');
  writeFileSync(file, sourcesYaml(csw.url));
  const first = await serve(alias, file, ['--no-schedule']);
  let killedRun: string;
  try {
    const page6 = requested(csw, (r) => r.op === 'GetRecords' && r.start === 126);
    const r = await fetch(`${first.url}/sources/geo/run`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });
    assert.is(r.status, 202);
    killedRun = ((await r.json()) as { runId: string }).runId;
    await Promise.race([page6, first.exited.then(() => Promise.reject(new Error(`serve exited: ${first.err()}`)))]);
    first.child.kill('SIGKILL');
    await first.exited;
  } finally {
    first.child.kill('SIGKILL');
  }
  const before = await count(alias);
  assert.ok(before < 300);
  const [dead] = await runs(alias);
  assert.equal([dead.runId, dead.status], [killedRun, 'running'], 'left running by the killed process');
  csw.fault = undefined;
  const second = await serve(alias, file, ['--no-schedule']);
  try {
    const [marked] = await runs(alias);
    assert.equal([marked.runId, marked.status], [killedRun, 'aborted'], 'marked aborted when the service started');
    assert.match(marked.error ?? '', `its process (pid ${first.child.pid} on `);
    const r = await fetch(`${second.url}/sources/geo/run`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });
    assert.is(r.status, 202, await r.clone().text());
    const { runId } = (await r.json()) as { runId: string };
    let run: RunSummary | undefined;
    for (let i = 0; i < 600 && !run?.endedAt; i++) {
      await new Promise((res) => setTimeout(res, 100));
      run = (await (await fetch(`${second.url}/runs/${runId}`)).json()) as RunSummary;
    }
    assert.equal(
      [run?.status, run?.seen, run?.indexed, run?.new, run?.unchanged, run?.failed, run?.deleted],
      ['ok', 300, 300, 300 - before, before, 0, 0],
      run?.error,
    );
    assert.is(await count(alias), 300);
    const history = await runs(alias);
    assert.equal(
      history.map((h) => [h.runId, h.status]),
      [
        [runId, 'ok'],
        [killedRun, 'aborted'],
      ],
    );
    // the status says it too
    const st = (await (await fetch(`${second.url}/status`)).json()) as { sources: { source: string; lastRun: { status: string } }[] };
    assert.equal(
      st.sources.map((x) => [x.source, x.lastRun.status]),
      [['geo', 'ok']],
    );
  } finally {
    second.child.kill('SIGTERM');
    assert.is(await second.exited, 0);
    await csw.close();
  }
  // the history with dates, by either spelling; the status from the index and the sources file
  const positional = await bin.runAsync({}, 'runs', 'geo', '--es', ES, '--alias', alias);
  const option = await bin.runAsync({}, 'runs', '--source', 'geo', '--es', ES, '--alias', alias);
  assert.is(positional.code, 0, positional.err);
  assert.is(positional.out, option.out);
  assert.match(positional.out, /^started \(UTC\)\s+source\s+status/);
  assert.match(positional.out, /\n\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+geo\s+ok\s+300\s+300\s/);
  assert.match(positional.out, /\n\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+geo\s+ABORTED\s/);
  const status = await bin.runAsync({}, 'status', '--sources', file, '--es', ES, '--alias', alias);
  assert.is(status.code, 0, status.err);
  assert.match(
    status.out,
    /\ngeo\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+\S+\s+ok\s+300\s+\d+\s+0\s+0\s+\d+\s+0\s+0\s+on demand\s+[\d.]+\/405 mostly \w+/,
  );
  assert.match(status.out, /\n {2}FAIR: MQA avg [\d.]+\/405 \(.*\), F-UJI avg [\d.]+, 300 records/);
});

/** `serve` on a free port of the test node, for an index and a sources file. */
const serveArgs = (alias: string, file: string, es = ES) => ['serve', '--port', '0', '--es', es, '--alias', alias, '--sources', file];

test('service options: a mistake is one sentence and exit 2', async () => {
  const alias = tempIndexName('serve-service');
  const file = join(bin.dir, 'opts.yaml');
  writeFileSync(file, sourcesYaml('http://127.0.0.1:9/csw'));
  const bad = await bin.runAsync({}, ...serveArgs(alias, file), '--max-runs', '0');
  assert.is(bad.code, 2);
  assert.match(bad.err, 'harvester serve: --max-runs must be a whole number from 1 to 64 (got "0")');
  const env = await bin.runAsync({ env: { HUB_HOST_REQUESTS: 'many' } }, ...serveArgs(alias, file));
  assert.is(env.code, 2);
  assert.match(env.err, 'HUB_HOST_REQUESTS must be a whole number from 1 to 1000 (got "many")');
  const port = await bin.runAsync({ env: { HUB_PORT: 'x' } }, 'serve', '--es', ES, '--alias', alias, '--sources', file);
  assert.is(port.code, 2);
  assert.match(port.err, 'harvester serve: HUB_PORT must be a whole number from 0 to 65535 (got "x")');
  const missing = await bin.runAsync({}, ...serveArgs(alias, join(bin.dir, 'none.yaml')));
  assert.is(missing.code, 2);
  assert.match(missing.err, 'no sources file');
  const runs2 = await bin.runAsync({}, 'runs', 'a', 'b', '--es', ES, '--alias', alias);
  assert.is(runs2.code, 2);
  assert.match(runs2.err, 'runs takes one SOURCE at most');
});

test('start-up says what will not work: Elasticsearch not answering (the server goes on, /health 503), no operator token (a warning; with --no-schedule one sentence and exit 2)', async () => {
  const alias = tempIndexName('serve-service');
  const file = join(bin.dir, 'startup.yaml');
  writeFileSync(file, sourcesYaml('http://127.0.0.1:9/csw', '0 3 * * *'));
  const child = spawn(bin.path, serveArgs(alias, file, 'http://127.0.0.1:9'), {
    env: { ...process.env, HUB_OPERATOR_TOKEN: '', HUB_MAP_WORKERS: '0' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  child.stdout.resume();
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    const end = Date.now() + 60_000;
    while (!/harvest service: /.test(err) && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    const lines = err
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { level: string; msg: string });
    const down = lines.find((l) => l.msg.startsWith('Elasticsearch does not answer at http://127.0.0.1:9 ('));
    assert.ok(down, err);
    assert.is(down.level, 'warn');
    assert.match(down.msg, /the server goes on, GET \/health says when it answers$/);
    const token = lines.find((l) => l.msg.startsWith('HUB_OPERATOR_TOKEN is not set'));
    assert.is(token?.level, 'warn', err);
    const url = /serving on (http:\/\/127\.0\.0\.1:\d+)/.exec(err)![1];
    assert.is((await fetch(`${url}/health`)).status, 503);
    assert.is((await fetch(`${url}/sources/geo/run`, { method: 'POST' })).status, 403);
  } finally {
    child.kill('SIGTERM');
  }
  assert.is(await exited, 0, err);
  const noRun = await bin.runAsync({ env: { HUB_OPERATOR_TOKEN: '' } }, ...serveArgs(alias, file), '--no-schedule');
  assert.is(noRun.code, 2);
  assert.is(
    noRun.err.trim(),
    'harvester serve: --no-schedule without HUB_OPERATOR_TOKEN: no run could ever start (manual runs need the token); set HUB_OPERATOR_TOKEN or drop --no-schedule',
  );
});

test.run();
