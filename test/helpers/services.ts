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

/** The names tempIndexName gave in this process: deleteIndices deletes these, and the indices named after them. */
const madeHere = new Set<string>();

/**
 * How old an index that matches a cleanup pattern but that this process did not name must be before deleteIndices
 * deletes it: a leftover of a test process that died. A test file runs 10 minutes at most (TEST_FILE_TIMEOUT_S).
 */
export const LEFTOVER_MS = 3600_000;

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
  const name = `${TEST_INDEX_PREFIX}${clean}-${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
  madeHere.add(name);
  return name;
}

/**
 * Deletes the indices (and with them their aliases) matching a name or wildcard pattern, e.g. 'test-indexer-*', that
 * are this process's: named by its tempIndexName (or after such a name: `<alias>-v9`, `<alias>-runs`), or leftovers
 * older than `leftoverMs` (LEFTOVER_MS). Another test process on the same node (a second test run, `.ci/run` while a
 * developer runs tests) has indices matching the same pattern: deleting them mid-test made its runs find their
 * records gone (counted new) or their history empty. Names are resolved first, because Elasticsearch 8 refuses
 * wildcard deletes by default (action.destructive_requires_name). Only patterns starting with 'test-' are accepted,
 * so that a test run against a real cluster (ES_URL) can only remove its own indices. Returns the names deleted.
 */
export async function deleteIndices(es: Client, pattern: string, { leftoverMs = LEFTOVER_MS } = {}): Promise<string[]> {
  if (!pattern.startsWith(TEST_INDEX_PREFIX) || pattern === `${TEST_INDEX_PREFIX}*` || pattern.includes(',')) {
    throw new Error(`deleteIndices: pattern must start with '${TEST_INDEX_PREFIX}<prefix>' and name one pattern, got '${pattern}'`);
  }
  const found = await es.indices.get({ index: pattern, ignore_unavailable: true, allow_no_indices: true, expand_wildcards: 'all' });
  const ours = (name: string) => [...madeHere].some((made) => name.startsWith(made));
  const old = (created: unknown) => Date.now() - Number(created) >= leftoverMs;
  const names = Object.entries(found)
    .filter(([name, ix]) => ours(name) || old(ix.settings?.index?.creation_date))
    .map(([name]) => name);
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
