/**
 * An index holding the records of every real fixture family (ISO 19139, ISO 19115-3, STAC, OZCAR), each family its
 * own source, as the crosswalks make them: what the OAI-PMH and DCAT-AP tests read.
 */
import { readdirSync } from 'node:fs';
import type { Client } from '@elastic/elasticsearch';
import { itemsFromFile } from '../../pipelines/files.js';
import { ensureIndex } from '../../pipelines/index-admin.js';
import { BulkIndexer } from '../../pipelines/indexer.js';
import { mapRecord } from '../../pipelines/map.js';
import { projectPath, sharedFixture } from '../../schemas/paths.js';
import type { HubRecord } from '../../schemas/record.js';

/** The fixture files of each family (the source id of its records). */
export const FAMILIES: Record<string, string[]> = {
  iso19139: readdirSync(sharedFixture('iso19139')).map((f) => sharedFixture('iso19139', f)),
  'iso19115-3': readdirSync(sharedFixture('iso19115-3')).map((f) => sharedFixture('iso19115-3', f)),
  stac: [
    'collection.json',
    'core-item.json',
    'collection-only_collection.json',
    'extensions-collection_collection.json',
    'simple-item.json',
  ].map((f) => sharedFixture('stac', f)),
  ozcar: ['CRYO_en.json', 'KARS_en.json', 'TOUR_en.json', 'CATC_en.json'].map((f) => sharedFixture('ozcar', f)),
};

/**
 * DCAT fixtures that a plain read refuses, as published: a JSON-LD context (no data), the CKAN Turtle example with its
 * two syntax faults and SEMIC's examples, whose Turtle has prefixed names Turtle forbids and whose JSON-LD needs its
 * context from the network (test/fixtures/dcat/README.md).
 */
const UNREADABLE_DCAT = new Set([
  'ckanext-dcat-dataset.ttl',
  'semic-dcat-ap-3.0.1-context.jsonld',
  'semic-dcat-ap-3.0.1-example-bee-population-dataset-series-api.jsonld',
  'semic-dcat-ap-3.0.1-example-bee-population-dataset-series-api.ttl',
  'semic-dcat-ap-3.0.1-example-bee-population-dataset-series-combined.jsonld',
  'semic-dcat-ap-3.0.1-example-bee-population-dataset-series-combined.ttl',
]);

/**
 * The project's own fixture families (test/fixtures, licences in their README.md): the DCAT files (RDF/XML, Turtle,
 * JSON-LD) and the ISO records (those broken on purpose, XXE, truncated, not XML, give no record).
 */
export const PROJECT_FAMILIES: Record<string, string[]> = {
  dcat: readdirSync(projectPath('test', 'fixtures', 'dcat'))
    .filter((f) => /\.(rdf|ttl|jsonld|xml)$/.test(f) && !UNREADABLE_DCAT.has(f))
    .map((f) => projectPath('test', 'fixtures', 'dcat', f)),
  'iso-more': readdirSync(projectPath('test', 'fixtures', 'iso'))
    .filter((f) => f.endsWith('.xml'))
    .map((f) => projectPath('test', 'fixtures', 'iso', f)),
};

/** The records of every family, one per id (the last one wins, as in the index). */
export async function fixtureRecords(harvestedAt = '2026-11-25T12:00:00Z', families = FAMILIES): Promise<HubRecord[]> {
  const byId = new Map<string, HubRecord>();
  for (const [source, files] of Object.entries(families)) {
    for (const file of files) {
      for await (const item of itemsFromFile(file, source)) {
        if (item.kind !== 'record') continue;
        const r = mapRecord(item.raw, { harvestedAt });
        if (r.ok) byId.set(r.record.identifier, r.record);
      }
    }
  }
  return [...byId.values()];
}

/** Indexes `records` into `alias` (created when missing), refreshed; returns how many were indexed. */
export async function indexRecords(
  client: Client,
  alias: string,
  records: HubRecord[],
  runId = 'fixtures',
  opts: { clock?: () => Date } = {},
): Promise<number> {
  await ensureIndex(client, alias);
  const indexer = new BulkIndexer({ client, index: alias, runId, refresh: true, ...opts });
  for (const r of records) await indexer.add(r, { source: r.isPrimaryTopicOf.sourceId });
  const stats = await indexer.close();
  if (stats.failed > 0) throw new Error(`${stats.failed} fixture records not indexed: ${stats.failures[0]?.error}`);
  return stats.indexed;
}
