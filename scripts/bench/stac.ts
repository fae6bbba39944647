/**
 * Benchmark: STAC API harvest of a real `rustac serve` (memory backend) loaded with ITEMS items in the three example
 * collections, items derived from the three real example items (distinct ids, dates an hour apart, shifted positions),
 * next to pystac-client walking the same server in the same run (it parses items, it indexes nothing):
 *   1. ours, harvest only: harvestStacApi({ items: 'index' }) in this process, records counted (through each
 *      collection's items endpoint, then through POST /search), and pystac-client the same two ways;
 *   2. ours end to end: the real `harvester harvest` (map, validate, index into the local Elasticsearch, alias
 *      bench-stac) in a child process, the peak RSS of its process tree read from /proc.
 * Run on demand:  npx tsc -p . && node dist/scripts/bench/stac.js [ITEMS=20000] [LIMIT=100]
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@elastic/elasticsearch';
import { harvestStacApi, type StacApiOptions } from '../../harvesters/stac/api.js';
import { sharedFixture } from '../../schemas/paths.js';
import { ensureElasticsearch } from '../services/elasticsearch.js';
import { startRustac } from '../services/rustac.js';
import { dropIndices as dropAll, fmt, harvestInChild, runPeer } from './common.js';

const ITEMS = Number(process.argv[2] ?? 20_000);
const LIMIT = Number(process.argv[3] ?? 100);
const ALIAS = 'bench-stac';
const SOURCE = 'bench-stac';
if (!Number.isInteger(ITEMS) || ITEMS < 1) throw new Error(`ITEMS must be an integer >= 1 (got ${process.argv[2]})`);
if (!Number.isInteger(LIMIT) || LIMIT < 1 || LIMIT > 10_000)
  throw new Error(`LIMIT must be an integer from 1 to 10000 (got ${process.argv[3]})`);

type J = Record<string, any>;
const example = (file: string): J => JSON.parse(readFileSync(sharedFixture('stac', file), 'utf8'));

/** Adds (dx, dy) to every position of a GeoJSON coordinates array, at any depth. */
const shift = (c: any, dx: number, dy: number): any =>
  typeof c[0] === 'number' ? [c[0] - dx, c[1] + dy] : c.map((x: any) => shift(x, dx, dy));

/**
 * Writes the data set into `dir`: each example collection (its links to files dropped: rustac resolves them against
 * its working folder and stops on a missing one) and a FeatureCollection of its items. Item i goes to collection
 * i % 3 and is made from example item i % 3, `i` hours after it, shifted by hundredths of a degree.
 * Returns the files to load, and the item count of each collection.
 */
function writeDataset(dir: string, n: number): { files: string[]; counts: Record<string, number> } {
  const collections = ['collection.json', 'extensions-collection_collection.json', 'collection-only_collection.json'].map(example);
  const bases = ['extended-item.json', 'core-item.json', 'simple-item.json'].map(example);
  const features: J[][] = collections.map(() => []);
  for (let i = 0; i < n; i++) {
    const k = i % collections.length;
    const it = structuredClone(bases[i % bases.length]);
    it.id = `scene-${String(i).padStart(7, '0')}`;
    it.collection = collections[k].id;
    it.links = it.links.filter((l: J) => /^https?:/.test(l.href)); // the others point at files of the examples
    for (const key of ['datetime', 'start_datetime', 'end_datetime']) {
      if (it.properties[key]) it.properties[key] = new Date(Date.parse(it.properties[key]) + i * 3_600_000).toISOString();
    }
    const dx = (i % 1000) * 0.01;
    const dy = (Math.floor(i / 1000) % 100) * 0.01;
    it.bbox = [it.bbox[0] - dx, it.bbox[1] + dy, it.bbox[2] - dx, it.bbox[3] + dy];
    it.geometry.coordinates = shift(it.geometry.coordinates, dx, dy);
    features[k].push(it);
  }
  const files: string[] = [];
  const counts: Record<string, number> = {};
  collections.forEach((c, k) => {
    c.links = c.links.filter((l: J) => l.rel === 'license');
    writeFileSync(join(dir, `collection-${k}.json`), JSON.stringify(c));
    writeFileSync(join(dir, `items-${k}.json`), JSON.stringify({ type: 'FeatureCollection', features: features[k] }));
    files.push(`collection-${k}.json`, `items-${k}.json`);
    counts[c.id] = features[k].length;
  });
  return { files, counts };
}

interface Run {
  /** Records yielded: the collections and their items. */
  records: number;
  /** Items among them, and the items/s the ratio compares. */
  items: number;
  itemRate: number;
  failed: number;
  seconds: number;
  rate: number;
}

/** Ours, harvest only, in this process (its RSS holds the data set written: peak RSS is measured end to end). */
async function harvestOnly(url: string, itemsVia: StacApiOptions['itemsVia']): Promise<Run> {
  const t0 = performance.now();
  let records = 0;
  let items = 0;
  let failed = 0;
  for await (const item of harvestStacApi({ source: SOURCE, url, limit: LIMIT, items: 'index', itemsVia })) {
    if (item.kind === 'record') {
      records++;
      if (item.raw.format === 'stac-item') items++;
    } else if (item.kind === 'failure') failed++;
  }
  const seconds = (performance.now() - t0) / 1000;
  return { records, items, itemRate: items / seconds, failed, seconds, rate: records / seconds };
}

/** Ours end to end: `harvester harvest --sources FILE` in a child process, with the peak RSS of its process tree. */
async function endToEnd(esUrl: string, sourcesFile: string, collections: number): Promise<Run & { indexed: number; peakRssMb: number }> {
  const { summaries, peakRssMb } = await harvestInChild(['--sources', sourcesFile, '--alias', ALIAS, '--es', esUrl]);
  const summary = summaries.find((s) => s.source === SOURCE);
  if (!summary) throw new Error(`no summary of ${SOURCE} in ${JSON.stringify(summaries)}`);
  if (summary.error) console.log(`  (the run ended with: ${summary.error})`);
  const seconds = summary.ms / 1000;
  const items = summary.seen - collections; // seen: the collections and their items
  return {
    records: summary.seen,
    items,
    itemRate: items / seconds,
    indexed: summary.indexed,
    failed: summary.failed,
    seconds,
    rate: summary.seen / seconds,
    peakRssMb,
  };
}

const dropIndices = (client: Client) => dropAll(client, ALIAS);

interface PeerRun {
  items: number;
  seconds: number;
  rate: number;
}
const peer = (url: string, via: string) => runPeer<PeerRun>('pystac_walk.py', [url, String(LIMIT), via]);
const line = (label: string, r: Run, extra = '') =>
  console.log(
    `  ${label}${fmt(r.records)} records (${fmt(r.items)} items), ${r.failed} failed, ${fmt(r.seconds, 1)}s = ${fmt(r.itemRate)} items/s${extra}`,
  );

const tmp = mkdtempSync(join(tmpdir(), 'hub-bench-stac-'));
const es = await ensureElasticsearch();
const client = new Client({ node: es.url });
try {
  console.log(`writing ${fmt(ITEMS)} STAC items in 3 collections and loading them into rustac (pages of ${LIMIT})...`);
  const data = join(tmp, 'data');
  mkdirSync(data);
  const { files, counts } = writeDataset(data, ITEMS);
  const t = performance.now();
  const rustac = await startRustac({ dir: data, files, startTimeoutMs: 600_000 });
  console.log(
    `  rustac loaded in ${fmt((performance.now() - t) / 1000, 1)}s at ${rustac.url} (${Object.entries(counts)
      .map(([c, n]) => `${c}: ${fmt(n)}`)
      .join(', ')})`,
  );
  try {
    console.log(`\n1. harvest only, after a warm-up (ours: the collections and their items, nothing mapped; pystac-client: the items)`);
    // untimed warm-up: the first pass of a process also compiles our code paths (about 0.8 s at 5,000 items)
    for await (const _ of harvestStacApi({ source: SOURCE, url: rustac.url, limit: LIMIT, items: 'index', maxItems: 1000 }));
    for (const via of ['collection', 'search'] as const) {
      const ours = await harvestOnly(rustac.url, via);
      const theirs = await peer(rustac.url, via);
      console.log(` via ${via === 'collection' ? '/collections/{id}/items (GET)' : '/search (POST)'}:`);
      line('ours:          ', ours);
      console.log(`  pystac-client: ${fmt(theirs.items)} items, ${fmt(theirs.seconds, 1)}s = ${fmt(theirs.rate)} items/s`);
      console.log(`  ratio:         ${fmt(ours.itemRate / theirs.rate, 2)}x pystac-client (items/s)`);
      if (ours.items !== ITEMS || theirs.items !== ITEMS) console.log(`  WARNING: ${fmt(ITEMS)} items were loaded`);
    }

    console.log(`\n2. end to end (ours: harvest, map, validate, index into ${es.url} alias ${ALIAS}; child process)`);
    await dropIndices(client);
    const sourcesFile = join(tmp, 'sources.json');
    writeFileSync(
      sourcesFile,
      JSON.stringify({ sources: [{ id: SOURCE, type: 'stac-api', url: rustac.url, options: { items: 'index', limit: LIMIT } }] }),
    );
    const ours = await endToEnd(es.url, sourcesFile, Object.keys(counts).length);
    const theirs = await peer(rustac.url, 'collection');
    line('ours:          ', ours, `, ${fmt(ours.indexed)} indexed, peak RSS ${ours.peakRssMb} MB`);
    console.log(
      `  pystac-client: ${fmt(theirs.items)} items (parsed only, nothing indexed), ${fmt(theirs.seconds, 1)}s = ${fmt(theirs.rate)} items/s`,
    );
    console.log(`  ratio:         ${fmt(ours.itemRate / theirs.rate, 2)}x pystac-client (items/s)`);
    if (ours.indexed !== ITEMS + Object.keys(counts).length)
      console.log(`  WARNING: ${fmt(ITEMS)} items and ${Object.keys(counts).length} collections were loaded`);
  } finally {
    await rustac.stop();
  }
} finally {
  await dropIndices(client).catch((err: Error) => console.error(`cleanup: ${err.message}`));
  await client.close();
  rmSync(tmp, { recursive: true, force: true });
}
