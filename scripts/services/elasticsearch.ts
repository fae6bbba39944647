/**
 * A real Elasticsearch 8 node for tests, benchmarks and the demo.
 *
 * `ensureElasticsearch()` uses the node at ES_URL when it answers; otherwise (ES_URL on this machine only) it
 * installs Elastic's minimal build 8.19.7 from Maven Central (the one ES 8 server published there, see
 * ../shared/RUNBOOK.md), configures it as a single node without security, and starts it detached with a pid file,
 * so that it outlives the command that started it. It refuses to run as root: as root it runs as a system user.
 *
 * CLI: `node dist/scripts/services/elasticsearch.js start|stop|status` (`npx tsx scripts/services/elasticsearch.ts ...` in dev).
 */
import { spawn } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { projectPath } from '../../schemas/paths.js';
import { isAlive, isMain, log, run, sleep, tailFile, tryGet, waitFor, which } from './proc.js';

export const ES_VERSION = '8.19.7';
const ARTIFACT = `org.elasticsearch.distribution.integ-test-zip:elasticsearch:${ES_VERSION}:zip`;
/** The artifact's path inside a Maven local repository. */
const ARTIFACT_PATH = [
  'org',
  'elasticsearch',
  'distribution',
  'integ-test-zip',
  'elasticsearch',
  ES_VERSION,
  `elasticsearch-${ES_VERSION}.zip`,
];
/** Default URL when ES_URL is not set. */
export const DEFAULT_ES_URL = 'http://127.0.0.1:9200';

export interface ElasticsearchOptions {
  /** Node to use or start. Default: $ES_URL, else http://127.0.0.1:9200. Only a loopback URL is ever started. */
  url?: string;
  /** JVM options of a started node. Default: $ES_JAVA_OPTS, else '-Xms512m -Xmx1g' (about 40 s to start here). */
  javaOpts?: string;
  /** JDK 17 used by a started node. Default: $ES_JAVA_HOME, else /usr/lib/jvm/java-17-openjdk-amd64, else the JDK of `java` on PATH. */
  javaHome?: string;
  /** How long to wait for a started node to be yellow or green. Default: $ES_START_TIMEOUT_S seconds, else 180 s (about 10 s on an idle machine, 45 s under load). */
  startTimeoutMs?: number;
  /** System user that runs the node when this process is root (Elasticsearch refuses root). Default 'hubes'. */
  user?: string;
}

interface Resolved {
  url: URL;
  javaOpts: string;
  javaHome: string | undefined;
  startTimeoutMs: number;
  user: string;
}

function resolveOptions(opts: ElasticsearchOptions): Resolved {
  const raw = opts.url ?? process.env.ES_URL ?? DEFAULT_ES_URL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`Elasticsearch url is not a URL: '${raw}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`Elasticsearch url must be http(s): '${raw}'`);
  const timeoutS = process.env.ES_START_TIMEOUT_S ? Number(process.env.ES_START_TIMEOUT_S) : undefined;
  const startTimeoutMs = opts.startTimeoutMs ?? (timeoutS !== undefined ? timeoutS * 1000 : 180_000);
  if (!Number.isFinite(startTimeoutMs) || startTimeoutMs <= 0) {
    throw new Error(`start timeout must be a positive number of milliseconds, got ${startTimeoutMs}`);
  }
  const user = opts.user ?? 'hubes';
  if (!/^[a-z_][a-z0-9_-]*$/.test(user)) throw new Error(`not a valid system user name: '${user}'`);
  return {
    url,
    javaOpts: opts.javaOpts ?? process.env.ES_JAVA_OPTS ?? '-Xms512m -Xmx1g',
    javaHome: opts.javaHome ?? process.env.ES_JAVA_HOME,
    startTimeoutMs,
    user,
  };
}

const baseUrl = (url: URL): string => url.href.replace(/\/+$/, '');
const isLoopback = (url: URL): boolean => ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
const isRoot = (): boolean => process.getuid?.() === 0;

/** Cluster health status ('green' | 'yellow' | 'red'), or undefined when the URL does not answer as Elasticsearch. */
async function health(url: URL): Promise<string | undefined> {
  const res = await tryGet(`${baseUrl(url)}/_cluster/health?wait_for_status=yellow&timeout=1s`, 3000);
  if (!res || (res.status !== 200 && res.status !== 408)) return undefined;
  try {
    return (JSON.parse(res.body) as { status?: string }).status;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Where things live

interface Layout {
  root: string;
  home: string;
  data: string;
  logs: string;
  pidFile: string;
  launcherLog: string;
  /** Holds the pid of the process installing and starting the node (at most one at a time). */
  lockFile: string;
}

function layoutUnder(root: string): Layout {
  const logs = join(root, 'elasticsearch-logs');
  return {
    root,
    home: join(root, `elasticsearch-${ES_VERSION}`),
    data: join(root, 'elasticsearch-data'),
    logs,
    pidFile: join(logs, 'elasticsearch.pid'),
    launcherLog: join(logs, 'launcher.log'),
    lockFile: join(root, 'elasticsearch.starting'),
  };
}

/** Used when the service user cannot reach the project's .cache (e.g. a checkout under a 0700 temp folder). */
const FALLBACK_ROOT = '/var/cache/fair-harvester';

/**
 * The install folder: the project's .cache, unless we are root and the service user cannot traverse it
 * (then a world-traversable folder outside the checkout). `purpose` only words the message: `stop` and `status`
 * look there, they install nothing.
 */
async function layout(user: string, purpose: 'install' | 'look' = 'install'): Promise<Layout> {
  const cache = projectPath('.cache');
  mkdirSync(cache, { recursive: true });
  if (!isRoot()) return layoutUnder(cache);
  await ensureUser(user);
  const ok = await run('runuser', ['-u', user, '--', 'test', '-x', cache], { allowFailure: true });
  if (ok.code === 0) return layoutUnder(cache);
  log(
    'elasticsearch',
    `user ${user} cannot reach ${cache} (a parent folder is private): ${purpose === 'install' ? 'the node is installed and runs' : 'looking for the node'} under ${FALLBACK_ROOT}`,
  );
  mkdirSync(FALLBACK_ROOT, { recursive: true, mode: 0o755 });
  return layoutUnder(FALLBACK_ROOT);
}

async function ensureUser(user: string): Promise<void> {
  const exists = await run('id', ['-u', user], { allowFailure: true });
  if (exists.code === 0) return;
  log('elasticsearch', `creating system user ${user} (Elasticsearch refuses to run as root)`);
  await run('useradd', ['-r', '-M', '-s', '/usr/sbin/nologin', user]);
}

// ---------------------------------------------------------------------------------------------------------------
// Install

/** Path of the zip in the Maven local repository, downloading it with `mvn dependency:get` when absent. */
async function mavenZip(): Promise<string> {
  const defaultPath = join(homedir(), '.m2', 'repository', ...ARTIFACT_PATH);
  if (existsSync(defaultPath)) return defaultPath;
  if (!(await which('mvn'))) throw new Error(`mvn not found: install Maven (apt-get install maven) to fetch ${ARTIFACT}`);
  log('elasticsearch', `downloading ${ARTIFACT} from Maven Central (98 MB)`);
  const started = Date.now();
  await run('mvn', ['-q', '-B', '-Dstyle.color=never', 'dependency:get', `-Dartifact=${ARTIFACT}`, '-Dtransitive=false']);
  log('elasticsearch', `downloaded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (existsSync(defaultPath)) return defaultPath;
  // The local repository was moved by a settings.xml: ask Maven where it is.
  const evaluated = await run('mvn', [
    '-q',
    '-B',
    '-Dstyle.color=never',
    'help:evaluate',
    '-Dexpression=settings.localRepository',
    '-DforceStdout',
  ]);
  const repo = evaluated.stdout.replace(/\x1b\[[0-9;]*m/g, '').trim();
  const configured = join(repo, ...ARTIFACT_PATH);
  if (existsSync(configured)) return configured;
  throw new Error(`mvn dependency:get succeeded but ${configured} does not exist`);
}

/** Unzips with `unzip`, else `jar xf` (JDK), else python3's zipfile. */
async function extract(zip: string, into: string): Promise<void> {
  if (await which('unzip')) {
    await run('unzip', ['-q', '-o', zip, '-d', into]);
  } else if (await which('jar')) {
    await run('jar', ['xf', zip], { cwd: into });
  } else if (await which('python3')) {
    await run('python3', ['-c', 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])', zip, into]);
  } else {
    throw new Error('cannot unzip Elasticsearch: none of unzip, jar (JDK) or python3 is installed');
  }
}

/** Makes `home` hold the unpacked build; the folder appears by one rename, so it is complete when present. */
async function install(home: string): Promise<void> {
  if (existsSync(join(home, 'bin', 'elasticsearch'))) return;
  const zip = await mavenZip();
  const started = Date.now();
  const tmp = `${home}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  log('elasticsearch', `unpacking ${zip}`);
  await extract(zip, tmp);
  const unpacked = join(tmp, `elasticsearch-${ES_VERSION}`);
  if (!existsSync(join(unpacked, 'bin', 'elasticsearch')))
    throw new Error(`unexpected layout in ${zip}: no elasticsearch-${ES_VERSION}/bin/elasticsearch`);
  // jar and zipfile drop the executable bits.
  for (const name of readdirSync(join(unpacked, 'bin'))) chmodSync(join(unpacked, 'bin', name), 0o755);
  rmSync(home, { recursive: true, force: true });
  renameSync(unpacked, home);
  rmSync(tmp, { recursive: true, force: true });
  log('elasticsearch', `unpacked into ${home} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/**
 * The node's settings. The minimal build has no ML plugin but accepts `xpack.ml.enabled` (measured: it starts);
 * it is written so that the same file also keeps ML off on a full distribution. The disk watermarks are disabled so
 * that a nearly full test disk does not turn the cluster red.
 */
function settings(url: URL, lay: Layout): string {
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return [
    '# Written by scripts/services/elasticsearch.ts: a single test node, no security, loopback only.',
    'cluster.name: fair-harvester',
    'node.name: fair-harvester-test',
    'discovery.type: single-node',
    'xpack.security.enabled: false',
    'network.host: 127.0.0.1',
    `http.port: ${port}`,
    `path.data: ${lay.data}`,
    `path.logs: ${lay.logs}`,
    'cluster.routing.allocation.disk.threshold_enabled: false',
    'xpack.ml.enabled: false',
    '',
  ].join('\n');
}

/** ES_JAVA_HOME: the option, else Debian's JDK 17, else the JDK behind `java` on PATH. */
async function javaHome(given: string | undefined): Promise<string> {
  if (given) {
    if (!existsSync(join(given, 'bin', 'java'))) throw new Error(`ES_JAVA_HOME ${given} has no bin/java`);
    return given;
  }
  const debian = '/usr/lib/jvm/java-17-openjdk-amd64';
  if (existsSync(join(debian, 'bin', 'java'))) return debian;
  const java = await which('java');
  if (!java) throw new Error('no JDK found: install openjdk-17-jdk-headless or set ES_JAVA_HOME');
  // <jdk>/bin/java -> <jdk>
  return dirname(dirname(realpathSync(java)));
}

function readPid(pidFile: string): number | undefined {
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Start / stop

/**
 * Returns the URL of a yellow-or-green Elasticsearch node, starting one when ES_URL is a loopback URL where nothing
 * answers. `started` tells whether this call started it (it is left running: stop it with stopElasticsearch()).
 */
export async function ensureElasticsearch(opts: ElasticsearchOptions = {}): Promise<{ url: string; started: boolean }> {
  const o = resolveOptions(opts);
  const url = baseUrl(o.url);
  const status = await health(o.url);
  if (status === 'green' || status === 'yellow') return { url, started: false };
  if (status) {
    // It answers but is red (e.g. still recovering its indices): give it the start timeout to turn yellow.
    log('elasticsearch', `${url} answers with health ${status}: waiting for yellow`);
    await waitFor(`Elasticsearch at ${url} (health ${status})`, async () => ['green', 'yellow'].includes((await health(o.url)) ?? ''), {
      timeoutMs: o.startTimeoutMs,
      intervalMs: 1000,
    });
    return { url, started: false };
  }
  if (!isLoopback(o.url)) throw new Error(`Elasticsearch at ${url} does not answer (only a node on this machine is started)`);

  const lay = await layout(o.user);
  // Another command is installing or starting it (its lock or the node's pid file is alive): wait for that node
  // instead of starting a second one on the same data folder.
  const other = [readPid(lay.lockFile), readPid(lay.pidFile)].find((pid) => pid !== undefined && pid !== process.pid && isAlive(pid));
  if (other) {
    const port = configuredPort(lay);
    const wanted = o.url.port || (o.url.protocol === 'https:' ? '443' : '80');
    if (port && port !== wanted) {
      throw new Error(
        `the node of ${lay.home} (pid ${other}) serves port ${port}, not ${wanted}: stop it first ` +
          `(ES_URL=http://127.0.0.1:${port} node dist/scripts/services/elasticsearch.js stop) or use ES_URL=http://127.0.0.1:${port}`,
      );
    }
    log('elasticsearch', `process ${other} is starting it: waiting for ${url}`);
    await waitHealthy(o, lay, whileAlive(other));
    return { url, started: false };
  }
  mkdirSync(dirname(lay.lockFile), { recursive: true });
  try {
    writeFileSync(lay.lockFile, String(process.pid), { flag: readPid(lay.lockFile) ? 'w' : 'wx' }); // a dead holder's lock is taken over
  } catch {
    log('elasticsearch', `another process took ${lay.lockFile} first: waiting for ${url}`);
    await waitHealthy(o, lay, () => undefined);
    return { url, started: false };
  }
  try {
    await install(lay.home);
    await start(o, lay);
  } finally {
    rmSync(lay.lockFile, { force: true });
  }
  return { url, started: true };
}

/** The http.port written into the installed node's elasticsearch.yml, if any. */
function configuredPort(lay: Layout): string | undefined {
  const yml = join(lay.home, 'config', 'elasticsearch.yml');
  if (!existsSync(yml)) return undefined;
  return /^http\.port:\s*(\d+)/m.exec(readFileSync(yml, 'utf8'))?.[1];
}

/** A `failed` check for waitFor: the process we wait on has been gone for two polls in a row (not just finishing). */
function whileAlive(pid: number): () => string | undefined {
  let gone = 0;
  return () => {
    gone = isAlive(pid) ? 0 : gone + 1;
    return gone >= 2 ? `process ${pid}, which was starting it, ended and nothing answers` : undefined;
  };
}

async function start(o: Resolved, lay: Layout): Promise<void> {
  const started = Date.now();
  mkdirSync(lay.data, { recursive: true });
  mkdirSync(lay.logs, { recursive: true });
  rmSync(lay.pidFile, { force: true });
  writeFileSync(join(lay.home, 'config', 'elasticsearch.yml'), settings(o.url, lay));
  const jdk = await javaHome(o.javaHome);
  const env = [`ES_JAVA_HOME=${jdk}`, `ES_JAVA_OPTS=${o.javaOpts}`, `ES_PATH_CONF=${join(lay.home, 'config')}`];
  const esArgs = [join(lay.home, 'bin', 'elasticsearch'), '-d', '-p', lay.pidFile];
  let command = 'env';
  let args = [...env, ...esArgs];
  if (isRoot()) {
    // The node writes its keystore into config/, its data and logs: the service user must own them.
    await run('chown', ['-R', `${o.user}:`, lay.home, lay.data, lay.logs]);
    command = 'runuser';
    args = ['-u', o.user, '--', 'env', ...env, ...esArgs];
  }
  log(
    'elasticsearch',
    `starting ${ES_VERSION} at ${baseUrl(o.url)} (JDK ${jdk}, ${o.javaOpts}${isRoot() ? `, user ${o.user}` : ''}); log ${lay.logs}`,
  );
  // `-d` daemonizes: the launcher exits once the node is up (or has failed), the node keeps running on its own.
  const logFd = openSync(lay.launcherLog, 'w');
  const launcher = spawn(command, args, { cwd: lay.home, detached: true, stdio: ['ignore', logFd, logFd] });
  closeSync(logFd);
  launcher.unref();
  let exit: string | undefined;
  let detached = false;
  launcher.on('exit', (code, signal) => {
    if (code === 0) detached = true;
    else exit = `the launcher exited with ${code ?? signal}`;
  });
  launcher.on('error', (err) => (exit = `cannot run ${command}: ${err.message}`));
  const nodeDied = (): string | undefined => {
    const pid = readPid(lay.pidFile);
    return detached && pid && !isAlive(pid) ? `the node (pid ${pid}) exited after starting` : undefined;
  };
  await waitHealthy(o, lay, () => exit ?? nodeDied());
  log('elasticsearch', `ready in ${((Date.now() - started) / 1000).toFixed(1)} s (pid ${readPid(lay.pidFile) ?? '?'})`);
}

async function waitHealthy(o: Resolved, lay: Layout, failed: () => string | undefined): Promise<void> {
  try {
    await waitFor(`Elasticsearch at ${baseUrl(o.url)}`, async () => ['green', 'yellow'].includes((await health(o.url)) ?? ''), {
      timeoutMs: o.startTimeoutMs,
      intervalMs: 1000,
      failed,
    });
  } catch (err) {
    const launcher = tailFile(lay.launcherLog, 20);
    const server = tailFile(join(lay.logs, 'fair-harvester.log'), 30);
    throw new Error(
      `${(err as Error).message}\n--- ${lay.launcherLog} (tail) ---\n${launcher}\n--- ${join(lay.logs, 'fair-harvester.log')} (tail) ---\n${server}`,
    );
  }
}

/**
 * Stops the node started by ensureElasticsearch (found by its pid file; SIGTERM, then SIGKILL after 60 s).
 * Returns false when no node of ours was running.
 */
export async function stopElasticsearch(opts: ElasticsearchOptions = {}): Promise<boolean> {
  const o = resolveOptions(opts);
  const lay = await layout(o.user, 'look');
  const pid = readPid(lay.pidFile);
  if (!pid || !isAlive(pid)) {
    rmSync(lay.pidFile, { force: true });
    return false;
  }
  log('elasticsearch', `stopping pid ${pid}`);
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 60_000;
  // Stop condition: the process is gone, or the grace period is over (then it is killed).
  while (isAlive(pid)) {
    if (Date.now() > deadline) {
      process.kill(pid, 'SIGKILL');
      break;
    }
    await sleep(250);
  }
  rmSync(lay.pidFile, { force: true });
  log('elasticsearch', 'stopped');
  return true;
}

/**
 * The installed minimal build (installed first when absent), the JDK that runs it, and the system user it must run
 * as when this process is root: what scripts/services/es-cluster.ts starts its nodes from.
 */
export async function elasticsearchBuild(opts: ElasticsearchOptions = {}): Promise<{ home: string; javaHome: string; user?: string }> {
  const o = resolveOptions(opts);
  const lay = await layout(o.user);
  await install(lay.home);
  return { home: lay.home, javaHome: await javaHome(o.javaHome), ...(isRoot() ? { user: o.user } : {}) };
}

/** What `status` prints: whether the URL answers, its health and version, and our pid file. */
export async function elasticsearchStatus(opts: ElasticsearchOptions = {}): Promise<Record<string, unknown>> {
  const o = resolveOptions(opts);
  const lay = await layout(o.user, 'look');
  // `GET /` answers 405 on the minimal build (no main action): the version comes from the nodes info.
  const nodes = await tryGet(`${baseUrl(o.url)}/_nodes/_local?filter_path=nodes.*.version`, 3000);
  let version: string | undefined;
  try {
    const body = nodes ? (JSON.parse(nodes.body) as { nodes?: Record<string, { version?: string }> }) : {};
    version = Object.values(body.nodes ?? {})[0]?.version;
  } catch {
    version = undefined;
  }
  const pid = readPid(lay.pidFile);
  return {
    url: baseUrl(o.url),
    answering: nodes !== undefined,
    version,
    health: await health(o.url),
    pid: pid && isAlive(pid) ? pid : undefined,
    home: lay.home,
    logs: lay.logs,
  };
}

async function main(command: string | undefined): Promise<void> {
  switch (command) {
    case 'start': {
      const { url, started } = await ensureElasticsearch();
      console.log(`${url} ${started ? 'started' : 'already running'}`);
      return;
    }
    case 'stop':
      console.log((await stopElasticsearch()) ? 'stopped' : 'not running (no live pid file)');
      return;
    case 'status':
      console.log(JSON.stringify(await elasticsearchStatus(), null, 2));
      return;
    default:
      throw new Error('usage: elasticsearch start|stop|status   (ES_URL, ES_JAVA_OPTS, ES_JAVA_HOME, ES_START_TIMEOUT_S)');
  }
}

if (isMain(import.meta.url)) {
  main(process.argv[2]).catch((err: Error) => {
    console.error(err.message);
    process.exitCode = 1;
  });
}
