/**
 * How the hub reaches Elasticsearch, read once from the environment and handed to every client it makes (the
 * commands, the scheduler, the server): one or more node URLs, credentials (basic or API key), TLS (a CA file or
 * fingerprint, or verification off, said explicitly), and the records index's shards and replicas. A local node needs
 * none of it; a production cluster (docs/production.md) needs some. Every problem names the variable at fault.
 *
 *   ES_URL              node URL(s), comma-separated: https://es1:9200,https://es2:9200 (default http://127.0.0.1:9200)
 *   ES_USERNAME         user of basic authentication (with ES_PASSWORD)
 *   ES_PASSWORD         its password
 *   ES_API_KEY          an API key (the base64 "encoded" value Elasticsearch returns), instead of a user
 *   ES_CA_FILE          PEM file of the CA that signed the nodes' certificates (https only)
 *   ES_CA_FINGERPRINT   SHA-256 fingerprint of that CA, instead of the file (https only): the CA the nodes present
 *                       must have it (pinned), whoever signed it
 *   ES_TLS_VERIFY       "false" turns certificate verification off (https only; never in production)
 *   ES_REQUEST_TIMEOUT_MS  how long one request may take (default 120000)
 *   HUB_SHARDS          primary shards of a new records index (default 1)
 *   HUB_REPLICAS        replicas of each shard (default 0: a single node cannot place them; 1 on a cluster)
 */
import { readFileSync } from 'node:fs';
import { Client, type ClientOptions } from '@elastic/elasticsearch';
import { UsageError } from '../core/result.js';
import type { IndexSettingsOptions } from '../mappings/es-index.js';

export const DEFAULT_ES_URL = 'http://127.0.0.1:9200';

export interface EsConnection {
  /** Node URLs (no credentials in them: those are in `auth`). */
  nodes: string[];
  auth?: { username: string; password: string } | { apiKey: string };
  tls?: { ca?: string; caFingerprint?: string; verify: boolean };
  requestTimeoutMs: number;
  /** Settings of a records index this connection creates. */
  index: IndexSettingsOptions;
}

/** A URL without its user and password, for logs and /health. */
export function redactUrl(url: string): string {
  return url.replace(/^(https?:\/\/)[^@/]*@/i, '$1');
}

/** The node URLs as one string for messages: redacted, comma-separated. */
export function describeNodes(conn: EsConnection): string {
  return conn.nodes.map(redactUrl).join(',');
}

function wholeNumber(env: NodeJS.ProcessEnv, name: string, min: number, max: number): number | undefined {
  const v = env[name];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`${name} must be a whole number from ${min} to ${max} (got "${v}")`, name);
  return n;
}

/**
 * The connection the environment describes (see the file comment); `url` (the --es option) replaces ES_URL. A
 * UsageError naming the variable for anything that cannot work (a user without a password, both a user and an API
 * key, a CA file that cannot be read, TLS settings for http URLs).
 */
export function esConnection(env: NodeJS.ProcessEnv, url?: string): EsConnection {
  const raw = url ?? env.ES_URL ?? DEFAULT_ES_URL;
  const param = url !== undefined ? '--es' : 'ES_URL';
  const nodes: string[] = [];
  let fromUrl: { username: string; password: string } | undefined;
  for (const part of raw.split(',').map((s) => s.trim())) {
    let u: URL;
    try {
      u = new URL(part);
    } catch {
      throw new UsageError(
        `${param} must be one or more http(s) URLs, comma-separated, such as https://es1:9200 (got "${redactUrl(part)}")`,
        param,
      );
    }
    if ((u.protocol !== 'http:' && u.protocol !== 'https:') || !u.hostname)
      throw new UsageError(
        `${param} must be one or more http(s) URLs, comma-separated, such as https://es1:9200 (got "${redactUrl(part)}")`,
        param,
      );
    if (u.username) fromUrl = { username: decodeURIComponent(u.username), password: decodeURIComponent(u.password) };
    u.username = '';
    u.password = '';
    nodes.push(u.href.replace(/\/+$/, ''));
  }
  const https = nodes.some((n) => n.startsWith('https:'));
  const { ES_USERNAME: user, ES_PASSWORD: password, ES_API_KEY: apiKey, ES_CA_FILE: caFile, ES_CA_FINGERPRINT: fingerprint } = env;

  let auth: EsConnection['auth'];
  if (apiKey) {
    if (user || fromUrl)
      throw new UsageError('give either ES_API_KEY or a user (ES_USERNAME, or user:password in ES_URL), not both', 'ES_API_KEY');
    auth = { apiKey };
  } else if (user) {
    if (!password) throw new UsageError('ES_USERNAME needs ES_PASSWORD', 'ES_PASSWORD');
    auth = { username: user, password };
  } else if (password) {
    throw new UsageError('ES_PASSWORD needs ES_USERNAME', 'ES_USERNAME');
  } else if (fromUrl) {
    auth = fromUrl;
  }

  const verifyText = env.ES_TLS_VERIFY;
  if (verifyText !== undefined && verifyText !== '' && !['true', 'false'].includes(verifyText))
    throw new UsageError(`ES_TLS_VERIFY must be true or false (got "${verifyText}")`, 'ES_TLS_VERIFY');
  const verify = verifyText !== 'false';
  for (const [name, set] of [
    ['ES_CA_FILE', !!caFile],
    ['ES_CA_FINGERPRINT', !!fingerprint],
    ['ES_TLS_VERIFY', !verify],
  ] as const)
    if (set && !https)
      throw new UsageError(`${name} applies to https URLs, and ${param} has none (${nodes.map(redactUrl).join(',')})`, name);
  let ca: string | undefined;
  if (caFile) {
    try {
      ca = readFileSync(caFile, 'utf8');
    } catch (err) {
      throw new UsageError(
        `ES_CA_FILE ${caFile} cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
        'ES_CA_FILE',
      );
    }
    if (!ca.includes('-----BEGIN CERTIFICATE-----')) throw new UsageError(`ES_CA_FILE ${caFile} holds no PEM certificate`, 'ES_CA_FILE');
  }
  if (fingerprint && !/^([0-9A-Fa-f]{2}:?){31}[0-9A-Fa-f]{2}$/.test(fingerprint))
    throw new UsageError('ES_CA_FINGERPRINT must be a SHA-256 fingerprint (64 hex digits, colons allowed)', 'ES_CA_FINGERPRINT');

  const shards = wholeNumber(env, 'HUB_SHARDS', 1, 1024);
  const replicas = wholeNumber(env, 'HUB_REPLICAS', 0, 16);
  return {
    nodes,
    ...(auth ? { auth } : {}),
    ...(https ? { tls: { ...(ca ? { ca } : {}), ...(fingerprint ? { caFingerprint: fingerprint } : {}), verify } } : {}),
    requestTimeoutMs: wholeNumber(env, 'ES_REQUEST_TIMEOUT_MS', 1000, 3_600_000) ?? 120_000,
    index: { ...(shards !== undefined ? { shards } : {}), ...(replicas !== undefined ? { replicas } : {}) },
  };
}

/** The @elastic/elasticsearch options of a connection. */
export function clientOptions(conn: EsConnection): ClientOptions {
  return {
    nodes: conn.nodes,
    requestTimeout: conn.requestTimeoutMs,
    ...(conn.auth ? { auth: conn.auth } : {}),
    ...(conn.tls?.caFingerprint ? { caFingerprint: conn.tls.caFingerprint } : {}),
    // with a fingerprint and no CA file, the chain is checked against the fingerprint (pinned) rather than the system
    // CAs, which do not know a cluster's own CA
    ...(conn.tls
      ? {
          tls: {
            ...(conn.tls.ca ? { ca: conn.tls.ca } : {}),
            rejectUnauthorized: conn.tls.verify && !(conn.tls.caFingerprint && !conn.tls.ca),
          },
        }
      : {}),
  };
}

/** A client for the connection. */
export function createClient(conn: EsConnection): Client {
  return new Client(clientOptions(conn));
}

/**
 * Why Elasticsearch does not answer now (one request, no retry, at most `timeoutMs`), or undefined when it answers.
 * Cluster health, not ping: the minimal Elasticsearch build has no root endpoint; `local`: the node's own view.
 */
export async function esSilence(client: Client, timeoutMs = 5000): Promise<string | undefined> {
  try {
    await client.cluster.health({ timeout: '5s', local: true }, { requestTimeout: timeoutMs, maxRetries: 0 });
    return undefined;
  } catch (err) {
    return (err as Error).message || (err as Error).name;
  }
}
