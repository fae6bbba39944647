/**
 * What tests call to reach real services: the Elasticsearch node (started once per process when ES_URL does not
 * answer; `npm test` starts it beforehand and sets ES_URL), throw-away index names and their cleanup, and
 * pycsw / rustac servers on free local ports.
 *
 *   const client = await esClient();
 *   const index = tempIndexName('indexer');
 *   test.after(() => deleteIndices(client, 'test-indexer-*'));
 *   const csw = await pycsw({ recordsFiles: xmlFiles(sharedFixture('iso19139')), maxRecords: 7 });
 *   ... fetch(`${csw.url}?service=CSW&...`, { headers: PYCSW_HEADERS }) ...; await csw.stop();
 */
import { randomBytes } from 'node:crypto';
import { Client } from '@elastic/elasticsearch';
import { ensureElasticsearch } from '../../scripts/services/elasticsearch.js';
import { startPycsw, type PycswOptions, type PycswServer } from '../../scripts/services/pycsw.js';
import { startRustac, type RustacOptions, type RustacServer } from '../../scripts/services/rustac.js';

export { PYCSW_HEADERS, xmlFiles, type PycswServer } from '../../scripts/services/pycsw.js';
export type { RustacServer } from '../../scripts/services/rustac.js';

let url: Promise<string> | undefined;

/** URL of a yellow-or-green Elasticsearch node (no trailing slash); ensures it once per process. */
export function esUrl(): Promise<string> {
  url ??= ensureElasticsearch().then((r) => r.url);
  return url;
}

let client: Promise<Client> | undefined;

/** One shared @elastic/elasticsearch 8 client for esUrl() (it does not keep the process alive). */
export function esClient(): Promise<Client> {
  client ??= esUrl().then((node) => new Client({ node }));
  return client;
}

/** Every throw-away index name starts with this; deleteIndices refuses anything else. */
export const TEST_INDEX_PREFIX = 'test-';

/**
 * A fresh index name `test-<prefix>-<random>`, valid for Elasticsearch (lower case; characters it forbids in index
 * names become '-'). Two calls never return the same name.
 */
export function tempIndexName(prefix: string): string {
  const clean = prefix
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, '-')
    .replace(/^[-_.]+|[-]+$/g, '');
  if (!clean) throw new Error(`tempIndexName: prefix '${prefix}' has no usable character`);
  return `${TEST_INDEX_PREFIX}${clean}-${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
}

/**
 * Deletes the indices (and with them their aliases) matching a name or wildcard pattern, e.g. 'test-indexer-*'.
 * Names are resolved first, because Elasticsearch 8 refuses wildcard deletes by default
 * (action.destructive_requires_name). Only patterns starting with 'test-' are accepted, so that a test run against a
 * real cluster (ES_URL) can only remove its own indices. Returns the names deleted.
 */
export async function deleteIndices(es: Client, pattern: string): Promise<string[]> {
  if (!pattern.startsWith(TEST_INDEX_PREFIX) || pattern === `${TEST_INDEX_PREFIX}*` || pattern.includes(',')) {
    throw new Error(`deleteIndices: pattern must start with '${TEST_INDEX_PREFIX}<prefix>' and name one pattern, got '${pattern}'`);
  }
  const found = await es.indices.get({ index: pattern, ignore_unavailable: true, allow_no_indices: true, expand_wildcards: 'all' });
  const names = Object.keys(found);
  // in groups: Elasticsearch refuses a request line over 4 KB (many leftover indices would make one)
  for (let i = 0; i < names.length; i += 40) await es.indices.delete({ index: names.slice(i, i + 40), ignore_unavailable: true });
  return names;
}

/** A pycsw server on the given records (see scripts/services/pycsw.ts); call stop() when done. */
export function pycsw(opts: PycswOptions): Promise<PycswServer> {
  return startPycsw(opts);
}

/** A rustac STAC API on copies of the given files (see scripts/services/rustac.ts); call stop() when done. */
export function rustac(opts: RustacOptions): Promise<RustacServer> {
  return startRustac(opts);
}
