/**
 * A throw-away Elasticsearch cluster of several nodes on loopback, from the same minimal build as the single test node
 * (scripts/services/elasticsearch.ts installs it): for the tests that show the hub on more than one node. Each node is
 * its own process with its own config, data and log folders under one temp folder, distinct http and transport
 * ports, `discovery.seed_hosts` and `cluster.initial_master_nodes` naming every node (no `discovery.type:
 * single-node`), security off, a small heap. Nodes can be stopped and started again (same data: they rejoin).
 * Everything is removed by stop(), and the processes are killed when this process exits, even on a crash.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { elasticsearchBuild } from './elasticsearch.js';
import { freePort, log, removeOnExit, run, tailFile, tryGet, waitFor } from './proc.js';

export interface ClusterOptions {
  /** Nodes; default 2. */
  nodes?: number;
  /** JVM heap of each node; default '-Xms256m -Xmx512m'. */
  javaOpts?: string;
  /** How long a node may take to join and the cluster to be healthy; default 240 s (nodes start in parallel on 2 shared cores). */
  startTimeoutMs?: number;
}

export interface ClusterNode {
  name: string;
  /** http://127.0.0.1:PORT */
  url: string;
  running(): boolean;
  /** Starts the node again (same data) after stop(); resolves once it answers. */
  start(): Promise<void>;
  /** Stops the node (SIGTERM, then SIGKILL after 30 s); resolves once it has exited. */
  stop(): Promise<void>;
}

export interface Cluster {
  name: string;
  nodes: ClusterNode[];
  /** Every node's URL. */
  urls: string[];
  /** Waits until the cluster reports `status` (e.g. green) with `nodes` nodes, asked through `via` (a node URL). */
  waitFor(status: 'green' | 'yellow', nodes: number, via?: string): Promise<void>;
  /** The node currently elected master (asked through `via`). */
  master(via?: string): Promise<ClusterNode>;
  /** Stops every node and removes every folder. */
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) if (child.pid) killGroup(child.pid, 'SIGKILL');
});
// killed by a signal (a test run interrupted), the exit handler would not run: kill the nodes, then die of the signal
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    for (const child of live) if (child.pid) killGroup(child.pid, 'SIGKILL');
    process.kill(process.pid, signal);
  });
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

export async function startCluster(opts: ClusterOptions = {}): Promise<Cluster> {
  const count = opts.nodes ?? 2;
  const javaOpts = opts.javaOpts ?? '-Xms256m -Xmx512m';
  const timeoutMs = opts.startTimeoutMs ?? 240_000;
  if (!Number.isInteger(count) || count < 2 || count > 5) throw new Error(`nodes must be 2 to 5, got ${count}`);
  const build = await elasticsearchBuild();
  const root = mkdtempSync(join(tmpdir(), 'hub-es-cluster-'));
  removeOnExit(root);
  chmodSync(root, 0o755);
  const name = `hub-test-${Date.now().toString(36)}`;
  const ports = await Promise.all(Array.from({ length: count * 2 }, () => freePort()));
  const specs = Array.from({ length: count }, (_, i) => ({
    name: `node-${i + 1}`,
    dir: join(root, `node-${i + 1}`),
    http: ports[2 * i],
    transport: ports[2 * i + 1],
  }));
  for (const s of specs) {
    const conf = join(s.dir, 'config');
    mkdirSync(conf, { recursive: true });
    // the build's config (jvm.options, log4j2...) without the shared node's settings and keystore
    for (const f of readdirSync(join(build.home, 'config')))
      if (!['elasticsearch.yml', 'elasticsearch.keystore'].includes(f))
        cpSync(join(build.home, 'config', f), join(conf, f), { recursive: true });
    writeFileSync(
      join(conf, 'elasticsearch.yml'),
      [
        '# Written by scripts/services/es-cluster.ts: a throw-away test cluster on loopback.',
        `cluster.name: ${name}`,
        `node.name: ${s.name}`,
        'network.host: 127.0.0.1',
        `http.port: ${s.http}`,
        `transport.port: ${s.transport}`,
        `discovery.seed_hosts: [${specs.map((o) => `"127.0.0.1:${o.transport}"`).join(', ')}]`,
        `cluster.initial_master_nodes: [${specs.map((o) => `"${o.name}"`).join(', ')}]`,
        'xpack.security.enabled: false',
        'xpack.ml.enabled: false',
        `path.data: ${join(s.dir, 'data')}`,
        `path.logs: ${join(s.dir, 'logs')}`,
        'cluster.routing.allocation.disk.threshold_enabled: false',
        '',
      ].join('\n'),
    );
    mkdirSync(join(s.dir, 'data'));
    mkdirSync(join(s.dir, 'logs'));
  }
  if (build.user) await run('chown', ['-R', `${build.user}:`, root]);

  const nodes: (ClusterNode & { child?: ChildProcess })[] = specs.map((s) => {
    const url = `http://127.0.0.1:${s.http}`;
    const node: ClusterNode & { child?: ChildProcess } = {
      name: s.name,
      url,
      running: () => !!node.child && node.child.exitCode === null && node.child.signalCode === null,
      async start() {
        if (node.running()) return;
        const env = [`ES_JAVA_HOME=${build.javaHome}`, `ES_JAVA_OPTS=${javaOpts}`, `ES_PATH_CONF=${join(s.dir, 'config')}`];
        const es = [join(build.home, 'bin', 'elasticsearch')];
        const [command, args] = build.user ? ['runuser', ['-u', build.user, '--', 'env', ...env, ...es]] : ['env', [...env, ...es]];
        // its own process group, so that stop() reaches the JVM behind runuser and the launcher
        const child = spawn(command, args, { cwd: s.dir, detached: true, stdio: 'ignore' });
        live.add(child);
        child.on('exit', () => live.delete(child));
        node.child = child;
        await waitFor(`${s.name} of ${name}`, async () => (await tryGet(`${url}/_cluster/health?timeout=1s`, 3000)) !== undefined, {
          timeoutMs,
          intervalMs: 1000,
          failed: () => (node.running() ? undefined : `${s.name} exited:\n${tailFile(join(s.dir, 'logs', `${name}.log`), 30)}`),
        });
      },
      async stop() {
        const child = node.child;
        if (!child?.pid || !node.running()) return;
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        killGroup(child.pid, 'SIGTERM');
        const timer = setTimeout(() => killGroup(child.pid!, 'SIGKILL'), 30_000);
        await exited;
        clearTimeout(timer);
        // the JVM may outlive the launcher by a moment: wait until the port is free
        await waitFor(`${s.name} to stop`, async () => (await tryGet(`${url}/`, 1000)) === undefined, {
          timeoutMs: 30_000,
          intervalMs: 250,
        });
      },
    };
    return node;
  });

  const health = async (via: string, status: string, n: number) => {
    const r = await tryGet(`${via}/_cluster/health?wait_for_status=${status}&wait_for_nodes=${n}&timeout=2s`, 5000);
    if (!r || r.status !== 200) return false;
    const h = JSON.parse(r.body) as { status: string; number_of_nodes: number; timed_out: boolean };
    return !h.timed_out && h.number_of_nodes === n;
  };
  const cluster: Cluster = {
    name,
    nodes,
    urls: nodes.map((n) => n.url),
    async waitFor(status, n, via) {
      const at = via ?? nodes.find((x) => x.running())!.url;
      await waitFor(`${name} ${status} with ${n} nodes`, () => health(at, status, n), { timeoutMs, intervalMs: 1000 });
    },
    async master(via) {
      const at = via ?? nodes.find((x) => x.running())!.url;
      const r = await tryGet(`${at}/_cat/master?h=node`, 5000);
      const m = nodes.find((x) => x.name === r?.body.trim());
      if (!m) throw new Error(`no elected master known to ${at}: ${r?.body}`);
      return m;
    },
    async stop() {
      await Promise.all(nodes.map((n) => n.stop().catch(() => undefined)));
      for (const n of nodes) if (n.child?.pid) killGroup(n.child.pid, 'SIGKILL');
      // files the service user wrote: removed as root here (rm -rf by a child would need the same)
      rmSync(root, { recursive: true, force: true });
    },
  };
  try {
    log('es-cluster', `starting ${count} nodes of ${name} (${javaOpts}) under ${root}`);
    const started = Date.now();
    await Promise.all(nodes.map((n) => n.start()));
    await cluster.waitFor('green', count);
    log('es-cluster', `${name} green with ${count} nodes in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } catch (err) {
    await cluster.stop();
    throw err;
  }
  return cluster;
}

/** Kills every node this process started (for a test's last resort); the exit handler does the same. */
export function killClusterNodes(): void {
  for (const child of live) if (child.pid) killGroup(child.pid, 'SIGKILL');
}
