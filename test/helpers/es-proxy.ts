/**
 * A TCP proxy in front of the real Elasticsearch node, that a test cuts, pauses and restores to make the node
 * unreachable at a chosen point of a run (test-only; the shared node itself is never stopped):
 *
 *   const proxy = await esProxy(await esUrl());
 *   const client = new Client({ node: proxy.url });
 *   proxy.down();     // connections reset, new ones refused (ECONNREFUSED): the node is gone
 *   proxy.pause();    // connections accepted and held, nothing forwarded either way: the node hangs
 *   proxy.up();       // forwarding again (what a paused connection held is delivered)
 *   await proxy.close();
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface EsProxy {
  /** http://127.0.0.1:PORT, the same port for the proxy's whole life. */
  readonly url: string;
  readonly state: 'up' | 'down' | 'paused';
  /** Connections accepted so far. */
  readonly connections: number;
  down(): void;
  pause(): void;
  up(): Promise<void>;
  close(): Promise<void>;
}

interface Pair {
  client: Socket;
  upstream: Socket;
}

export async function esProxy(target: string): Promise<EsProxy> {
  const t = new URL(target);
  const host = t.hostname;
  const tport = Number(t.port || 80);
  const pairs = new Set<Pair>();
  let state: EsProxy['state'] = 'up';
  let port = 0;
  let connections = 0;
  let server: Server;

  const flowing = (p: Pair, on: boolean) => {
    if (on) {
      p.client.resume();
      p.upstream.resume();
    } else {
      p.client.pause();
      p.upstream.pause();
    }
  };

  const listen = (): Promise<void> =>
    new Promise((resolve, reject) => {
      server = createServer((client) => {
        connections++;
        const upstream = connect(tport, host);
        const pair: Pair = { client, upstream };
        pairs.add(pair);
        const drop = () => {
          pairs.delete(pair);
          client.destroy();
          upstream.destroy();
        };
        client.on('error', drop);
        upstream.on('error', drop);
        client.on('close', drop);
        upstream.on('close', drop);
        client.pipe(upstream);
        upstream.pipe(client);
        if (state === 'paused') flowing(pair, false);
      });
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        port = (server.address() as { port: number }).port;
        resolve();
      });
    });
  await listen();

  return {
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    get state() {
      return state;
    },
    get connections() {
      return connections;
    },
    down() {
      if (state === 'down') return;
      state = 'down';
      server.close();
      for (const p of pairs) {
        p.client.resetAndDestroy();
        p.upstream.destroy();
      }
      pairs.clear();
    },
    pause() {
      if (state !== 'up') return;
      state = 'paused';
      for (const p of pairs) flowing(p, false);
    },
    async up() {
      if (state === 'paused') for (const p of pairs) flowing(p, true);
      else if (state === 'down') await listen();
      state = 'up';
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const p of pairs) {
          p.client.destroy();
          p.upstream.destroy();
        }
        if (state === 'down') resolve();
        else server.close(() => resolve());
        state = 'down';
      }),
  };
}
