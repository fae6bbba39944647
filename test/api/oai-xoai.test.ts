/**
 * Dataverse's own OAI-PMH client library walks the hub's /oai: io.gdcc's XOAI service provider 5.2 (Maven Central),
 * which Dataverse's harvester (Recherche Data Gouv) uses to read a remote repository. It is set up as that harvester
 * sets it up (second granularity, the JDK HTTP client) and run in Java's source-file mode from
 * test/api/peers/xoai/XoaiHarvest.java, its classpath resolved by Maven from test/api/peers/xoai/pom.xml. Pages of 7,
 * so that its resumption-token handling is exercised. What it must find is computed here from the index:
 * - Identify, ListMetadataFormats and ListSets as the harvesting client's set-up screen reads them;
 * - Dataverse's harvest: ListIdentifiers of oai_dc in the pid set, then GetRecord of each; every record an oai_dc
 *   whose first identifier is a https://doi.org/ or https://hdl.handle.net/ URL;
 * - ListRecords of oai_dc read through the library's own oai_dc transformer (each record's titles); per source set;
 *   incremental harvests with from (and until) at second granularity (the library reads a record's metadata only
 *   through a transformer to its own model, and ships one for oai_dc alone: dcat_ap is left to the other clients);
 * - a record removed from its source comes back deleted.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../api/server.js';
import { oaiRoutes } from '../../api/routes/oai.js';
import { deleteStale } from '../../pipelines/index-admin.js';
import { silentLogger } from '../../pipelines/log.js';
import { oaiIdentifier } from '../../pipelines/oai.js';
import { projectPath } from '../../schemas/paths.js';
import type { HubRecord } from '../../schemas/record.js';
import { HARVESTED, indexDatedFixtures } from '../helpers/oai.js';
import { deleteIndices, esClient, esUrl, tempIndexName } from '../helpers/services.js';

const client = await esClient();
const alias = tempIndexName('oai-xoai');
const NS = 'data.hub.example';
let records: HubRecord[] = [];
let app: FastifyInstance;
let base = '';
let classpath = '';

const run = promisify(execFile);
const PEER = projectPath('test', 'api', 'peers', 'xoai');

/** The library's classpath, resolved once by Maven (from Maven Central the first time, then from ~/.m2). */
async function resolveClasspath(): Promise<string> {
  const dir = projectPath('.cache', 'xoai');
  mkdirSync(dir, { recursive: true });
  const file = `${dir}/classpath.txt`;
  try {
    await run('mvn', ['-q', '-B', '-f', `${PEER}/pom.xml`, 'dependency:build-classpath', `-Dmdep.outputFile=${file}`], {
      timeout: 600_000,
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stdout?: string };
    if (err.code === 'ENOENT') throw new Error("mvn is not installed: it comes with Debian's maven (.ci/run installs it)");
    throw new Error(`Maven could not resolve the XOAI library: ${err.stdout?.slice(-3000) ?? err.message}`);
  }
  return readFileSync(file, 'utf8').trim();
}

/** One command of the Java client; its JSON result. */
async function xoai<T>(...args: string[]): Promise<T> {
  try {
    const { stdout } = await run('java', ['-cp', classpath, `${PEER}/XoaiHarvest.java`, base, ...args], {
      timeout: 300_000,
      maxBuffer: 256 * 1024 * 1024,
    });
    return JSON.parse(stdout) as T;
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`XOAI ${args.join(' ')}: ${err.stdout || err.stderr || err.message}`);
  }
}

interface Header {
  identifier: string;
  datestamp: string;
  deleted: boolean;
  sets: string[];
}
/** A record as the library reads oai_dc (its own transformer): each dc element with its text and language. */
interface Rec {
  header: Header;
  dc: { root: string; name: string; value: string | null; lang: string | null }[] | null;
}
const values = (r: Rec, name: string) => (r.dc ?? []).filter((e) => e.name === name).map((e) => e.value ?? '');

const count = async (query: object) => (await client.count({ index: alias, query })).count;
const sorted = (xs: string[]) => [...xs].sort();

test.before(async () => {
  classpath = await resolveClasspath();
  records = await indexDatedFixtures(client, alias);
  app = await buildServer({ client, alias, esUrl: await esUrl(), log: silentLogger, routes: [oaiRoutes({ pageSize: 7 })] });
  await app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/oai`;
});
test.after(async () => {
  await app?.close();
  await deleteIndices(client, `${alias}*`);
});

test("the harvesting client's set-up: Identify, ListMetadataFormats and ListSets", async () => {
  const id = await xoai<Record<string, unknown>>('identify');
  assert.is(id.baseURL, base);
  assert.is(id.protocolVersion, '2.0');
  assert.is(id.granularity, 'YYYY-MM-DDThh:mm:ssZ');
  assert.is(id.deletedRecord, 'persistent');
  assert.is(id.earliestDatestamp, Object.values(HARVESTED).sort()[0]);
  const formats = await xoai<{ prefix: string; namespace: string }[]>('formats');
  assert.equal(formats.map((f) => f.prefix).sort(), ['datacite', 'dcat_ap', 'oai_datacite', 'oai_dc']);
  assert.is(formats.find((f) => f.prefix === 'oai_dc')!.namespace, 'http://www.openarchives.org/OAI/2.0/oai_dc/');
  const sets = await xoai<{ spec: string; name: string }[]>('sets');
  const specs = sets.map((s) => s.spec);
  for (const source of Object.keys(HARVESTED)) assert.ok(specs.includes(`source:${source}`), specs.join(' '));
  assert.ok(specs.includes('pid'));
  assert.ok(
    sets.every((s) => s.name),
    'every set is named',
  );
});

test("Dataverse's harvest of the pid set: ListIdentifiers, then GetRecord of each, an oai_dc with its DOI or Handle first", async () => {
  const harvested = await xoai<Rec[]>('harvest', 'oai_dc', 'pid');
  assert.is(harvested.length, await count({ exists: { field: 'pid' } }));
  assert.ok(harvested.length >= 5);
  assert.is(new Set(harvested.map((r) => r.header.identifier)).size, harvested.length, 'no record twice across the pages');
  for (const r of harvested) {
    const id = r.header.identifier;
    assert.ok(r.header.sets.includes('pid') && !r.header.deleted, id);
    assert.ok(r.dc!.length > 0 && r.dc!.every((e) => e.root === 'dc'), id);
    assert.match(values(r, 'identifier')[0], /^https:\/\/(doi\.org\/10\.\d+\/|hdl\.handle\.net\/)/, id);
  }
});

test('every record once, with its titles; per source set; incrementally with from and until at second granularity', async () => {
  const all = sorted(records.map((r) => oaiIdentifier(NS, r.identifier)));
  assert.equal(sorted((await xoai<Header[]>('identifiers', 'oai_dc')).map((h) => h.identifier)), all);
  const dc = await xoai<Rec[]>('records', 'oai_dc');
  assert.equal(sorted(dc.map((r) => r.header.identifier)), all);
  // each record's titles, with their language. The library's oai_dc transformer keeps a text only up to its first <, >
  // or & however it is written (entity, raw >, CDATA: tried on a static answer), a limit of the library that
  // Dataverse does not meet (it reads GetRecord with its own parser); such a title must be read as its beginning
  const byOai = new Map(records.map((r) => [oaiIdentifier(NS, r.identifier), r]));
  let whole = 0;
  for (const r of dc) {
    const titles = Object.entries(byOai.get(r.header.identifier)!.title ?? {});
    const read = (r.dc ?? []).filter((e) => e.name === 'title');
    assert.ok(read.length > 0, r.header.identifier);
    for (const t of read) {
      const match = titles.find(([lang, text]) => (t.lang ?? '@none') === lang && (text === t.value || text.split(/[<>&]/)[0] === t.value));
      assert.ok(match, `${r.header.identifier}: ${JSON.stringify(t)} among ${JSON.stringify(titles)}`);
      if (match?.[1] === t.value) whole++;
    }
  }
  assert.ok(whole > records.length * 0.9, `${whole} titles read whole`);
  // each header's datestamp is when its family was harvested
  for (const r of dc)
    assert.is(r.header.datestamp, HARVESTED[byOai.get(r.header.identifier)!.isPrimaryTopicOf.sourceId], r.header.identifier);

  for (const source of Object.keys(HARVESTED))
    assert.is((await xoai<Header[]>('identifiers', 'oai_dc', `source:${source}`)).length, await count({ term: { source } }), source);
  // from the second STAC records were harvested: STAC and OZCAR; until the second before OZCAR's: STAC alone
  const since = await xoai<Header[]>('identifiers', 'oai_dc', '-', HARVESTED.stac);
  assert.is(since.length, await count({ range: { indexed_at: { gte: HARVESTED.stac } } }));
  const stacOnly = new Date(Date.parse(HARVESTED.ozcar) - 1000).toISOString().replace('.000', '');
  const window = await xoai<Header[]>('identifiers', 'oai_dc', '-', HARVESTED.stac, stacOnly);
  assert.is(window.length, await count({ term: { source: 'stac' } }));
  assert.ok(window.length > 0 && window.length < since.length);
});

test('a record removed from its source comes back deleted, and GetRecord says so', async () => {
  const gone = records.find((r) => r.isPrimaryTopicOf.sourceId === 'stac')!;
  await deleteStale(client, alias, 'stac', (id) => id !== gone.identifier);
  const id = oaiIdentifier(NS, gone.identifier);
  const headers = await xoai<Header[]>('identifiers', 'oai_dc', 'source:stac');
  assert.equal(
    headers.filter((h) => h.deleted).map((h) => h.identifier),
    [id],
  );
  const got = await xoai<Rec>('get', 'oai_dc', id);
  assert.ok(got.header.deleted);
  assert.is(got.dc, null);
});

test('an unknown record is the error the library raises for it', async () => {
  const err = await xoai('get', 'oai_dc', oaiIdentifier(NS, 'nowhere:nothing')).catch((e: Error) => e.message);
  assert.match(String(err), /IdDoesNotExistException/);
});

test.run();
