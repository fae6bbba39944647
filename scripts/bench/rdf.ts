/**
 * Benchmark: a record's RDF graph (schemas/rdf.ts recordQuads) written as N-Triples, at export scale, one core, next to
 * jsonld.js (expansion with the local context + toRDF to N-Quads, the peer) on the same records in the same run.
 * Run on demand:
 *   npm run build && node dist/scripts/bench/rdf.js [RECORDS] [PEER_SECONDS]
 * The records are those `harvester map` makes of every fixture family (ISO 19139, 19115-3, CSW pages, STAC, OZCAR),
 * cycled with distinct identifiers up to RECORDS (default 100,000). Prints records/s, triples/s and output MB/s for
 * ours, records/s for jsonld.js (PEER_SECONDS, default 10), the ratio, and the peak RSS every 10% of the run (flat).
 */
import { readdirSync } from 'node:fs';
import jsonld from 'jsonld';
import { Writer } from 'n3';
import { itemsFromFile } from '../../pipelines/files.js';
import { mapRecord } from '../../pipelines/map.js';
import { localDocumentLoader, withContext } from '../../schemas/jsonld.js';
import { sharedFixture } from '../../schemas/paths.js';
import { recordQuads } from '../../schemas/rdf.js';
import { recordIri, type HubRecord } from '../../schemas/record.js';
import { fmt } from './common.js';

const total = Number(process.argv[2] ?? 100_000);
const peerSeconds = Number(process.argv[3] ?? 10);

async function fixtureRecords(): Promise<HubRecord[]> {
  const files = [
    ...['iso19139', 'iso19115-3', 'stac', 'ozcar'].flatMap((d) =>
      readdirSync(sharedFixture(d))
        .filter((f) => /\.(xml|json)$/.test(f))
        .map((f) => sharedFixture(d, f)),
    ),
    sharedFixture('csw', 'owslib-inspire-getrecords-response.xml'),
  ];
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

/** The n-th record: a fixture record under another identifier (so that no two are equal). */
function nth(base: HubRecord[], n: number): HubRecord {
  const r = base[n % base.length];
  const id = `${r.isPrimaryTopicOf.identifier}-${n}`;
  return { ...r, '@id': recordIri('bench', id), identifier: `bench:${id}`, isPrimaryTopicOf: { ...r.isPrimaryTopicOf, identifier: id } };
}

const base = await fixtureRecords();
console.log(`record -> RDF: ${base.length} fixture records of every family, cycled to ${fmt(total)} records, one core`);

// ours, the graph alone: recordQuads
for (let i = 0; i < 2000; i++) new Writer({ format: 'N-Triples' }).quadsToString(recordQuads(nth(base, i))); // warm-up
let quadCount = 0;
const q0 = performance.now();
for (let i = 0; i < total; i++) quadCount += recordQuads(nth(base, i)).length;
const quadSeconds = (performance.now() - q0) / 1000;
console.log(`  ours, the graph (recordQuads): ${fmt(total / quadSeconds)} records/s, ${fmt(quadCount / quadSeconds)} triples/s`);

// ours with a serialiser: recordQuads + n3's N-Triples writer, the text counted and dropped (what an export does
// before the socket)
let triples = 0;
let bytes = 0;
let peakRss = 0;
const rssSteps: number[] = [];
const t0 = performance.now();
for (let i = 0; i < total; i++) {
  const quads = recordQuads(nth(base, i));
  triples += quads.length;
  bytes += new Writer({ format: 'N-Triples' }).quadsToString(quads).length;
  if (i % Math.max(1, Math.floor(total / 10)) === 0) {
    const rss = process.memoryUsage.rss();
    peakRss = Math.max(peakRss, rss);
    rssSteps.push(Math.round(rss / 1e6));
  }
}
const seconds = (performance.now() - t0) / 1000;
const ours = total / seconds;
console.log(
  `  ours (recordQuads + n3 N-Triples writer): ${fmt(ours)} records/s, ${fmt(triples / seconds)} triples/s, ` +
    `${fmt(bytes / seconds / 1e6, 1)} MB/s of N-Triples (${fmt(triples / total, 1)} triples a record)`,
);
console.log(`  RSS every 10% of the run (MB): ${rssSteps.join(' ')}; peak ${fmt(peakRss / 1e6)} MB`);

// peer: jsonld.js expansion with the local context and toRDF (N-Quads), on the same records for PEER_SECONDS
let n = 0;
const p0 = performance.now();
while (performance.now() - p0 < peerSeconds * 1000) {
  await jsonld.toRDF(
    withContext(nth(base, n)) as jsonld.JsonLdDocument,
    {
      documentLoader: localDocumentLoader,
      safe: true,
      format: 'application/n-quads',
    } as unknown as jsonld.Options.ToRdf,
  );
  n++;
}
const peer = n / ((performance.now() - p0) / 1000);
console.log(`  jsonld.js (expand + toRDF, local context): ${fmt(peer)} records/s`);
console.log(`  ratio: ${fmt(total / quadSeconds / peer, 1)}x jsonld.js for the graph, ${fmt(ours / peer, 1)}x with the N-Triples writer`);
