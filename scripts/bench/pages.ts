/**
 * What a catalogue page costs over the search it runs: the pages served over HTTP by a listening server, next to the
 * same `searchRecords` call made directly, in the same run, on the same index.
 *
 *   node dist/scripts/bench/pages.js [COPIES] [REQUESTS]
 *
 * The index (`bench-pages-*`, removed at the end) holds the shared fixture records (ISO 19139, ISO 19115-3, OZCAR,
 * STAC) each COPIES times (default 200) under new identifiers; each page is requested REQUESTS times (default 200)
 * one after the other, after 20 warm-up requests. Prints p50 and p95 of both, their ratio, and the page's size.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildServer } from '../../api/server.js';
import { parseQuery, searchParams } from '../../api/pages/query.js';
import { itemsFromFile } from '../../pipelines/files.js';
import { ensureIndex } from '../../pipelines/index-admin.js';
import { BulkIndexer } from '../../pipelines/indexer.js';
import { silentLogger } from '../../pipelines/log.js';
import { mapRecord } from '../../pipelines/map.js';
import { searchRecords } from '../../pipelines/search.js';
import type { HubRecord } from '../../schemas/record.js';
import { sharedFixture } from '../../schemas/paths.js';
import { ensureElasticsearch } from '../services/elasticsearch.js';
import { Client } from '@elastic/elasticsearch';
import { dropIndices, fmt } from './common.js';

const COPIES = Number(process.argv[2] ?? 200);
const REQUESTS = Number(process.argv[3] ?? 200);
const WARMUP = 20;

async function fixtureRecords(): Promise<HubRecord[]> {
  const files = [
    ...['iso19139', 'iso19115-3'].flatMap((d) => readdirSync(sharedFixture(d)).map((f) => join(sharedFixture(d), f))),
    sharedFixture('ozcar', 'CRYO_en.json'),
    sharedFixture('ozcar', 'KARS_en.json'),
    sharedFixture('stac', 'collection.json'),
  ];
  const out: HubRecord[] = [];
  for (const file of files)
    for await (const item of itemsFromFile(file, 'bench')) {
      if (item.kind !== 'record') continue;
      const res = mapRecord(item.raw, { harvestedAt: new Date().toISOString() });
      if (res.ok) out.push(res.record);
    }
  return out;
}

function percentile(list: number[], p: number): number {
  const s = [...list].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
}

async function main(): Promise<void> {
  const { url } = await ensureElasticsearch();
  const client = new Client({ node: url });
  const alias = `bench-pages-${Date.now().toString(36)}`;
  try {
    await ensureIndex(client, alias);
    const base = await fixtureRecords();
    const indexer = new BulkIndexer({ client, index: alias, runId: 'bench-pages', refresh: true });
    for (let c = 0; c < COPIES; c++)
      for (const r of base) {
        const identifier = `${r.identifier}-${c}`;
        const cr = { ...r.isPrimaryTopicOf, identifier: `${r.isPrimaryTopicOf.identifier}-${c}` };
        await indexer.add({ ...r, identifier, '@id': `${r['@id']}-${c}`, isPrimaryTopicOf: cr }, { source: 'bench' });
      }
    const stats = await indexer.close();
    const total = stats.new + stats.updated + stats.unchanged;
    console.log(`index: ${fmt(total)} records (${base.length} fixture records x ${COPIES})`);

    const app = await buildServer({ client, alias, esUrl: url, log: silentLogger });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    const origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const someId = `${base[0].identifier}-0`;
    const pages: [string, string][] = [
      ['catalogue, no query', '/catalogue'],
      ['words', '/catalogue?q=glacier+mass+balance'],
      ['box and period', '/catalogue?bbox=-10,40,10,52&from=2000&to=2020'],
      ['theme facet, page 3', '/catalogue?theme=http%3A%2F%2Finspire.ec.europa.eu%2Ftheme%2Foi&page=3'],
      ['record page', `/catalogue/records/${encodeURIComponent(someId)}`],
    ];
    console.log('page                    page p50   p95   | searchRecords p50   p95   | ratio p50  p95 | HTML KB (gzip)');
    for (const [name, path] of pages) {
      const isSearch = path.startsWith('/catalogue?') || path === '/catalogue';
      const params = isSearch ? searchParams(parseQuery(Object.fromEntries(new URLSearchParams(path.split('?')[1] ?? '')))) : undefined;
      const pageMs: number[] = [];
      const rawMs: number[] = [];
      let body = '';
      for (let i = 0; i < WARMUP + REQUESTS; i++) {
        let t = performance.now();
        const res = await fetch(origin + path, { headers: { 'accept-encoding': 'identity' } });
        body = await res.text();
        if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
        if (i >= WARMUP) pageMs.push(performance.now() - t);
        if (params) {
          t = performance.now();
          await searchRecords(client, alias, params);
          if (i >= WARMUP) rawMs.push(performance.now() - t);
        }
      }
      const [p50, p95] = [percentile(pageMs, 0.5), percentile(pageMs, 0.95)];
      const raw = rawMs.length ? [percentile(rawMs, 0.5), percentile(rawMs, 0.95)] : undefined;
      console.log(
        [
          name.padEnd(22),
          `${fmt(p50, 1).padStart(6)} ${fmt(p95, 1).padStart(6)} ms`,
          raw ? `${fmt(raw[0], 1).padStart(14)} ${fmt(raw[1], 1).padStart(6)} ms` : ''.padStart(24),
          raw ? `${fmt(p50 / raw[0], 2).padStart(10)} ${fmt(p95 / raw[1], 2).padStart(5)}` : ''.padStart(16),
          `${fmt(body.length / 1024, 0)} (${fmt(gzipSync(body).length / 1024, 0)})`,
        ].join(' | '),
      );
    }
    await app.close();
  } finally {
    await dropIndices(client, alias);
    await client.close();
  }
}

await main();
