/**
 * Benchmark: what a consumer walking the whole catalogue costs the hub when records link other records (a series'
 * members, a service's served datasets): OAI-PMH ListRecords `dcat_ap` (a Dataverse) and `/catalog` pages
 * (data.gouv.fr), each walked over HTTP from a listening server to the end of the list, one page after the other.
 * Printed for each walk: records, pages, seconds, records/s, and the Elasticsearch requests the server made per page
 * (counted on its client: mean and most).
 *
 *   npm run build && node dist/scripts/bench/catalog-walk.js [RECORDS=5000]
 *
 * Two indices (`bench-catalog-walk-*`, removed at the end), each of about RECORDS records:
 * - mixed: the records of every shared fixture family (ISO 19139, ISO 19115-3, STAC, OZCAR: 2 services serving a
 *   dataset) and Metawal's 19115-3 dataset series with its 2 members (test/fixtures/iso), copied as sources `mixed-N`;
 * - series: Metawal's series and its 2 members only (two records in three a member), copied as sources `series-N`.
 * A copy renames the source in every hub IRI of its records (scripts/samples/source-copy.ts), so that its members and
 * services link its own records.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@elastic/elasticsearch';
import { buildServer } from '../../api/server.js';
import { itemsFromFile } from '../../pipelines/files.js';
import { ensureIndex } from '../../pipelines/index-admin.js';
import { BulkIndexer } from '../../pipelines/indexer.js';
import { silentLogger } from '../../pipelines/log.js';
import { mapRecord } from '../../pipelines/map.js';
import { projectPath, sharedFixture } from '../../schemas/paths.js';
import type { HubRecord } from '../../schemas/record.js';
import { inSource } from '../samples/source-copy.js';
import { ensureElasticsearch } from '../services/elasticsearch.js';
import { dropIndices, fmt } from './common.js';

const RECORDS = Number(process.argv[2] ?? 5000);
const PREFIX = 'bench-catalog-walk';

async function read(files: string[], source: string): Promise<HubRecord[]> {
  const out: HubRecord[] = [];
  for (const file of files)
    for await (const item of itemsFromFile(file, source)) {
      if (item.kind !== 'record') continue;
      const r = mapRecord(item.raw, { harvestedAt: '2026-12-07T08:00:00Z' });
      if (r.ok) out.push(r.record);
    }
  return out;
}

async function indexCopies(client: Client, alias: string, base: HubRecord[], from: string, to: string): Promise<number> {
  await ensureIndex(client, alias, { refreshInterval: '30s' });
  const indexer = new BulkIndexer({ client, index: alias, runId: 'bench', refresh: true, batchSize: 1000 });
  for (let c = 0; c * base.length < RECORDS; c++)
    for (const r of base) await indexer.add(inSource(r, from, `${to}-${c}`), { source: `${to}-${c}` });
  const stats = await indexer.close();
  if (stats.failed > 0) throw new Error(`${stats.failed} records not indexed: ${stats.failures[0]?.error}`);
  await client.indices.putSettings({ index: alias, settings: { refresh_interval: '1s' } });
  await client.indices.refresh({ index: alias });
  return stats.indexed;
}

interface Walk {
  records: number;
  pages: number;
  seconds: number;
  requests: number[];
}

/** Fetches pages from `first`, each next one named by `next(body)`, counting the ES requests of each. */
async function walk(first: string, next: (body: string) => string | undefined, count: (body: string) => number, es: () => number) {
  const w: Walk = { records: 0, pages: 0, seconds: 0, requests: [] };
  const t = performance.now();
  for (let url: string | undefined = first; url;) {
    const before = es();
    const res = await fetch(url);
    const body = await res.text();
    if (res.status !== 200) throw new Error(`${url}: ${res.status} ${body.slice(0, 300)}`);
    w.requests.push(es() - before);
    w.records += count(body);
    w.pages++;
    url = next(body);
  }
  w.seconds = (performance.now() - t) / 1000;
  return w;
}

function print(name: string, w: Walk): void {
  const mean = w.requests.reduce((a, b) => a + b, 0) / w.pages;
  console.log(
    `  ${name.padEnd(40)} ${fmt(w.records).padStart(6)} records, ${fmt(w.pages).padStart(4)} pages, ` +
      `${fmt(w.seconds, 1).padStart(6)} s, ${fmt(w.records / w.seconds).padStart(6)} records/s, ` +
      `ES requests per page: mean ${fmt(mean, 1)}, most ${Math.max(...w.requests)}`,
  );
}

const es = await ensureElasticsearch();
const client = new Client({ node: es.url, requestTimeout: 300_000 });
let requests = 0;
client.diagnostic.on('request', () => requests++);
await dropIndices(client, PREFIX);
try {
  const metawal = await read([projectPath('test', 'fixtures', 'iso', 'metawal-captages-mda-DS_Series.xml')], 'src');
  const families = ['iso19139', 'iso19115-3', 'stac', 'ozcar'].flatMap((d) =>
    readdirSync(sharedFixture(d))
      .filter((f) => /\.(xml|json)$/.test(f))
      .map((f) => join(sharedFixture(d), f)),
  );
  const mixed = [...(await read(families, 'src')), ...metawal];
  const unique = [...new Map(mixed.map((r) => [r.identifier, r])).values()];
  const links = (rs: HubRecord[]) => rs.filter((r) => r.inSeries?.length || r.servesDataset?.length).length;
  console.log(`catalogue walks, Elasticsearch at ${es.url}`);
  for (const [name, base] of [
    ['mixed', unique],
    ['series', metawal],
  ] as const) {
    const alias = `${PREFIX}-${name}`;
    const n = await indexCopies(client, alias, base, 'src', name);
    console.log(`${name}: ${fmt(n)} records (${base.length} per copy, ${links(base)} of them linking records of the copy)`);
    const app = await buildServer({ client, alias, esUrl: es.url, log: silentLogger });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const origin = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    try {
      const oai = await walk(
        `${origin}/oai?verb=ListRecords&metadataPrefix=dcat_ap`,
        (body) => {
          const token = /<resumptionToken[^>]*>([^<]+)<\/resumptionToken>/.exec(body)?.[1];
          return token ? `${origin}/oai?verb=ListRecords&resumptionToken=${encodeURIComponent(token)}` : undefined;
        },
        (body) => body.split('<record>').length - 1,
        () => requests,
      );
      print('OAI-PMH ListRecords dcat_ap (pages of 100)', oai);
      for (const size of [100, 500]) {
        const catalog = await walk(
          `${origin}/catalog.nt?pageSize=${size}`,
          (body) => /<http:\/\/www\.w3\.org\/ns\/hydra\/core#next> <([^>]+)>/.exec(body)?.[1],
          (body) => body.split('<http://www.w3.org/ns/dcat#record>').length - 1,
          () => requests,
        );
        print(`/catalog.nt?pageSize=${size}`, catalog);
      }
    } finally {
      await app.close();
    }
  }
} finally {
  await dropIndices(client, PREFIX);
  await client.close();
}
