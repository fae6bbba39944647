/**
 * A catalogue index for the search and OGC API tests: the real fixtures of every family (ISO 19139, ISO 19115-3,
 * a static STAC catalogue with its items, the OZCAR pivot files) read as a harvest reads them (pipelines/files.ts),
 * mapped and validated by the real crosswalks (pipelines/map.ts) and bulk indexed (pipelines/indexer.ts); plus three
 * hand-made records for what the fixtures lack (a box across the antimeridian, an open-ended period, a service).
 * Returns the records as the index stores them, so that tests compute what each search must find on their own.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@elastic/elasticsearch';
import { itemsFromFile } from '../../pipelines/files.js';
import { mapRecord } from '../../pipelines/map.js';
import { BulkIndexer } from '../../pipelines/indexer.js';
import { ensureIndex } from '../../pipelines/index-admin.js';
import { sharedFixture } from '../../schemas/paths.js';
import type { HubRecord } from '../../schemas/record.js';
import { exampleTree } from '../fixtures/stac/tree.js';
import { smallRecord } from '../schemas/sample-records.js';

/** Source id -> the files it is read from. */
function families(stacCatalog: string): Record<string, string[]> {
  const xml = (dir: string) =>
    readdirSync(sharedFixture(dir))
      .filter((f) => f.endsWith('.xml'))
      .sort()
      .map((f) => sharedFixture(dir, f));
  return {
    'fx-iso19139': xml('iso19139'),
    'fx-iso19115-3': xml('iso19115-3'),
    'fx-stac': [stacCatalog],
    'fx-cryo': [sharedFixture('ozcar', 'CRYO_en.json')],
    'fx-kars': [sharedFixture('ozcar', 'KARS_en.json')],
    'fx-tour': [sharedFixture('ozcar', 'TOUR_en.json')],
    'fx-catc': [sharedFixture('ozcar', 'CATC_en.json')],
  };
}

/** The hand-made records (source `hand`). */
export const HAND = [
  smallRecord({
    source: 'hand',
    id: 'fiji-reefs',
    title: { en: 'Coral reefs of Fiji', fr: 'Récifs coralliens des Fidji' },
    description: { fr: 'Cartographie des récifs coralliens autour des îles Fidji, de part et d’autre de l’antiméridien.' },
    bbox: [177, -19, -178, -16],
    start: { '@value': '2019', '@type': 'xsd:gYear' },
    end: { '@value': '2020', '@type': 'xsd:gYear' },
    themes: ['http://inspire.ec.europa.eu/theme/hb'],
  }),
  smallRecord({
    source: 'hand',
    id: 'brittany-rivers',
    title: { fr: 'Débits des rivières de Bretagne' },
    description: { fr: 'Débits journaliers des rivières bretonnes mesurés aux stations hydrométriques, depuis juin 2018.' },
    bbox: [-5.2, 47.3, -1, 48.9],
    start: { '@value': '2018-06', '@type': 'xsd:gYearMonth' },
    keywords: ['Hydrologie', 'Eaux de surface'],
  }),
  smallRecord({
    source: 'hand',
    id: 'soil-wms',
    title: { fr: 'Carte des sols (WMS)' },
    type: ['dcat:DataService', 'schema:WebAPI'],
  }),
];

/**
 * Indexes the fixture catalogue into a fresh index behind `alias`; returns the stored records and the sources.
 * Every fixture record that maps is indexed (those that fail mapping or validation are counted, not indexed).
 */
export async function indexFixtureCatalogue(
  client: Client,
  alias: string,
): Promise<{ records: HubRecord[]; failed: number; sources: string[] }> {
  const tree = exampleTree();
  try {
    await ensureIndex(client, alias);
    const indexer = new BulkIndexer({ client, index: alias, runId: 'fixtures', refresh: true });
    let failed = 0;
    const harvestedAt = '2026-12-01T10:00:00Z';
    const fams = families(join(tree.dir, 'catalog.json'));
    for (const [source, files] of Object.entries(fams)) {
      for (const file of files) {
        for await (const item of itemsFromFile(file, source)) {
          if (item.kind !== 'record') {
            if (item.kind === 'failure') failed++;
            continue;
          }
          const r = mapRecord(item.raw, { harvestedAt });
          if (!r.ok) {
            failed++;
            continue;
          }
          await indexer.add(r.record, { source });
        }
      }
    }
    for (const r of HAND) await indexer.add(r, { source: 'hand' });
    const stats = await indexer.close();
    if (stats.failed > 0) throw new Error(`fixture catalogue: ${stats.failed} records not indexed: ${stats.failures[0]?.error}`);
    const res = await client.search<{ record: HubRecord }>({ index: alias, size: 5000, query: { match_all: {} }, _source: ['record'] });
    const records = res.hits.hits.map((h) => h._source!.record);
    return { records, failed, sources: [...Object.keys(fams), 'hand'] };
  } finally {
    tree.cleanup();
  }
}
