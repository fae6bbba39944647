/**
 * Benchmark: harvesting a paged DCAT catalogue (harvesters/dcat + the DCAT crosswalk + validation, one core, no index),
 * next to rdflib (Python, the RDF library CKAN's and udata's DCAT harvesters use) parsing the same pages, in the same
 * run. Run on demand:
 *   npm run build && node dist/scripts/bench/dcat.js [RECORDS] [PAGE_SIZE] [FORMAT]
 * The catalogue: the records `harvester map` makes of every fixture family (ISO 19139, 19115-3, STAC, OZCAR), cycled
 * with distinct identifiers up to RECORDS (default 20,000), exported as DCAT-AP (schemas/rdf.ts), in pages of
 * PAGE_SIZE datasets (default 500) linked by hydra:PartialCollectionView next links, written as FORMAT (turtle, the
 * default, or ntriples) by a child process and served by a loopback server. Prints records/s of ours (fetch, parse,
 * describe, map, validate) and of rdflib (parse only), the ratio, and the RSS of this process (which only harvests)
 * every tenth of the catalogue and at its peak.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataFactory, Writer } from 'n3';
import type { Quad } from '@rdfjs/types';
import { harvestDcat } from '../../harvesters/dcat/index.js';
import { itemsFromFile } from '../../pipelines/files.js';
import { mapRecord } from '../../pipelines/map.js';
import { sharedFixture } from '../../schemas/paths.js';
import { recordQuads } from '../../schemas/rdf.js';
import { recordIri, type HubRecord } from '../../schemas/record.js';
import { fmt, runPeer, sampleRss } from './common.js';

const generating = process.argv[2] === '--generate';
const args = generating ? process.argv.slice(4) : process.argv.slice(2);
const total = Number(args[0] ?? 20_000);
const pageSize = Number(args[1] ?? 500);
const format = (args[2] ?? 'turtle') as 'turtle' | 'ntriples';
const ext = format === 'turtle' ? 'ttl' : 'nt';

async function fixtureRecords(): Promise<HubRecord[]> {
  const files = ['iso19139', 'iso19115-3', 'stac', 'ozcar'].flatMap((d) =>
    readdirSync(sharedFixture(d))
      .filter((f) => /\.(xml|json)$/.test(f))
      .map((f) => sharedFixture(d, f)),
  );
  const out: HubRecord[] = [];
  for (const file of files) {
    for await (const item of itemsFromFile(file, 'bench')) {
      if (item.kind !== 'record') continue;
      const r = mapRecord(item.raw, { harvestedAt: new Date().toISOString() });
      if (r.ok) out.push(r.record);
    }
  }
  return out;
}

/** The n-th record: a fixture record under another identifier. */
function nth(base: HubRecord[], n: number): HubRecord {
  const r = base[n % base.length];
  const id = `${r.isPrimaryTopicOf.identifier}-${n}`;
  return { ...r, '@id': recordIri('bench', id), identifier: `bench:${id}`, isPrimaryTopicOf: { ...r.isPrimaryTopicOf, identifier: id } };
}

const H = 'http://www.w3.org/ns/hydra/core#';
const namedNode = (iri: string) => DataFactory.namedNode(iri);
const literal = (value: string, type: ReturnType<typeof namedNode>) => DataFactory.literal(value, type);
const quad = (s: Quad['subject'], p: Quad['predicate'], o: Quad['object']): Quad => DataFactory.quad(s, p, o);

/** Page k (1-based) of the catalogue: its records' graphs, the catalogue listing them, the hydra view. */
function page(base: HubRecord[], k: number, pages: number, url: (k: number) => string): Promise<string> {
  const quads: Quad[] = [];
  const catalog = namedNode('https://bench.example/catalog');
  const view = namedNode(url(k));
  quads.push(quad(catalog, namedNode('http://www.w3.org/1999/02/22-rdf-syntax-ns#type'), namedNode('http://www.w3.org/ns/dcat#Catalog')));
  quads.push(quad(catalog, namedNode(`${H}totalItems`), literal(String(total), namedNode('http://www.w3.org/2001/XMLSchema#integer'))));
  quads.push(quad(catalog, namedNode(`${H}view`), view));
  quads.push(quad(view, namedNode('http://www.w3.org/1999/02/22-rdf-syntax-ns#type'), namedNode(`${H}PartialCollectionView`)));
  if (k < pages) quads.push(quad(view, namedNode(`${H}next`), namedNode(url(k + 1))));
  quads.push(quad(view, namedNode(`${H}last`), namedNode(url(pages))));
  for (let n = (k - 1) * pageSize; n < Math.min(total, k * pageSize); n++) {
    const r = nth(base, n);
    quads.push(quad(catalog, namedNode('http://www.w3.org/ns/dcat#dataset'), namedNode(r['@id'])));
    quads.push(...recordQuads(r));
  }
  const writer = new Writer({
    format: format === 'turtle' ? 'Turtle' : 'N-Triples',
    ...(format === 'turtle'
      ? { prefixes: { dcat: 'http://www.w3.org/ns/dcat#', dct: 'http://purl.org/dc/terms/', foaf: 'http://xmlns.com/foaf/0.1/' } }
      : {}),
  });
  writer.addQuads(quads);
  return new Promise((resolve, reject) =>
    writer.end((err: unknown, out: string) => (err ? reject(new Error('writer failed')) : resolve(out))),
  );
}

const pages = Math.ceil(total / pageSize);
const pageFile = (dir: string, k: number) => join(dir, `page-${String(k).padStart(5, '0')}.${ext}`);

if (generating) {
  // the child: writes the pages (their links name the server's URL, given) and says how many bytes
  const dir = process.argv[3];
  const root = readFileSync(join(dir, 'root.txt'), 'utf8');
  const base = await fixtureRecords();
  let bytes = 0;
  for (let k = 1; k <= pages; k++) {
    const text = await page(base, k, pages, (n) => `${root}?page=${n}`);
    bytes += Buffer.byteLength(text);
    writeFileSync(pageFile(dir, k), text);
  }
  console.log(JSON.stringify({ bytes, fixtures: base.length }));
  process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), 'bench-dcat-'));
const server = createServer((req, res) => {
  const k = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('page') ?? 1);
  res.writeHead(200, { 'content-type': format === 'turtle' ? 'text/turtle' : 'application/n-triples' });
  res.end(readFileSync(pageFile(dir, k)));
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const root = `http://127.0.0.1:${(server.address() as AddressInfo).port}/catalog`;
const url = (k: number) => `${root}?page=${k}`;
writeFileSync(join(dir, 'root.txt'), root);
const child = spawn(process.execPath, [process.argv[1], '--generate', dir, String(total), String(pageSize), format], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
let said = '';
child.stdout.on('data', (d: Buffer) => (said += d.toString()));
await once(child, 'close');
const { bytes, fixtures } = JSON.parse(said.trim().split('\n').pop()!) as { bytes: number; fixtures: number };
console.log(
  `DCAT catalogue: ${fmt(total)} datasets (${fixtures} fixture records of every family, cycled) in ${pages} ${format} pages of ${pageSize}, ${fmt(bytes / 1048576, 1)} MB, served on loopback; one core`,
);

const rss = sampleRss();
const t0 = performance.now();
let records = 0;
let failed = 0;
const harvestedAt = new Date().toISOString();
const timeline: number[] = [];
for await (const item of harvestDcat({ source: 'bench', url: url(1) })) {
  if (item.kind !== 'record') continue;
  records++;
  if (!mapRecord(item.raw, { harvestedAt }).ok) failed++;
  if (records % Math.max(1, Math.floor(total / 10)) === 0) timeline.push(Math.round(process.memoryUsage.rss() / 1048576));
}
const ours = (performance.now() - t0) / 1000;
const peak = rss.stop();
console.log(
  `  ours (fetch, parse, describe, map, validate): ${fmt(records)} records in ${fmt(ours, 1)} s: ${fmt(records / ours)} records/s, ${failed} failed, peak RSS ${peak} MB; RSS every tenth: ${timeline.join(' ')} MB`,
);
server.close();

const peer = await runPeer<{ records: number; seconds: number }>('rdflib_parse.py', [dir, format]);
console.log(
  `  rdflib ${format} parse only, the same pages: ${fmt(peer.records)} datasets in ${fmt(peer.seconds, 1)} s: ${fmt(peer.records / peer.seconds)} records/s`,
);
console.log(`  ratio: ${fmt(records / ours / (peer.records / peer.seconds), 1)}x`);
rmSync(dir, { recursive: true, force: true });
if (records !== total || failed > 0) process.exitCode = 1;
