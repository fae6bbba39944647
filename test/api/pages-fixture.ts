/**
 * A real index for the page tests, from the shared fixtures: every ISO 19139 and ISO 19115-3 record (mapped as
 * `harvester map` maps files), and real harvests of OZCAR pivot files and the static STAC catalogue (local files),
 * which leave real run documents and failure reports (a source that fails whole, one with failed records).
 *
 * `wmsBase`: the WMS of the record that names one (a GeoServer of bathy.online) is moved to this base URL, so that a
 * test can serve its GetCapabilities on loopback.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@elastic/elasticsearch';
import { harvestAll } from '../../pipelines/harvest-all.js';
import type { RunSummary } from '../../pipelines/harvest.js';
import { ensureIndex } from '../../pipelines/index-admin.js';
import { BulkIndexer } from '../../pipelines/indexer.js';
import { itemsFromFile } from '../../pipelines/files.js';
import { silentLogger } from '../../pipelines/log.js';
import { mapRecord } from '../../pipelines/map.js';
import type { SourceConfig } from '../../pipelines/sources.js';
import type { HubRecord } from '../../schemas/record.js';
import { sharedFixture } from '../../schemas/paths.js';
import { deleteIndices, tempIndexName } from '../helpers/services.js';

/** The WMS a real record names (owslib-csw_iso_identifier.xml) and the path the replay serves it at. */
export const WMS_ORIGIN = 'https://inspire1.bathy.online';
export const WMS_PATH = '/geoserver/MarineRegion/wms';
export const WMS_LAYER = 'ManagementRestrictionOrRegulationZone';

export const OZCAR_SOURCES: SourceConfig[] = [
  { id: 'fx-cryo', type: 'ozcar', url: sharedFixture('ozcar', 'CRYO_en.json') },
  { id: 'fx-tour', type: 'ozcar', url: sharedFixture('ozcar', 'TOUR_en.json') },
  { id: 'fx-stac', type: 'stac', url: sharedFixture('stac', 'catalog.json'), options: { items: 'index' } },
  // a file whose root key is misspelt: the source fails as a whole
  { id: 'fx-broken', type: 'ozcar', url: sharedFixture('ozcar', 'invalid', 'CATC_en_invalidFormat.json') },
  // a file with a wrong variable category: records fail, the others are indexed
  { id: 'fx-partial', type: 'ozcar', url: sharedFixture('ozcar', 'invalid', 'CATC_en_wrong_category.json') },
];

export interface PagesIndex {
  alias: string;
  reportDir: string;
  /** Every record the index holds, as indexed. */
  records: HubRecord[];
  runs: RunSummary[];
  cleanup: () => Promise<void>;
}

function xmlFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.xml'))
    .sort()
    .map((f) => join(dir, f));
}

/** `alias` and `reportDir` when a server must know them before the index is built (else new ones). */
export async function buildPagesIndex(
  client: Client,
  opts: { prefix: string; wmsBase?: string; alias?: string; reportDir?: string },
): Promise<PagesIndex> {
  const alias = opts.alias ?? tempIndexName(opts.prefix);
  const reportDir = opts.reportDir ?? mkdtempSync(join(tmpdir(), 'hub-reports-'));
  await ensureIndex(client, alias);

  // ISO records as `harvester map` reads files, indexed under the source "fx-iso".
  const harvestedAt = new Date().toISOString();
  const iso = new Map<string, HubRecord>();
  for (const file of [...xmlFiles(sharedFixture('iso19139')), ...xmlFiles(sharedFixture('iso19115-3'))]) {
    for await (const item of itemsFromFile(file, 'fx-iso')) {
      if (item.kind !== 'record') continue;
      const res = mapRecord(item.raw, { harvestedAt });
      if (!res.ok) continue;
      const r = res.record;
      if (opts.wmsBase)
        for (const d of r.distribution ?? [])
          if (d.accessURL.startsWith(WMS_ORIGIN + WMS_PATH)) d.accessURL = d.accessURL.replace(WMS_ORIGIN, opts.wmsBase);
      iso.set(r.identifier, r);
    }
  }
  const indexer = new BulkIndexer({ client, index: alias, runId: 'pages-iso', refresh: true });
  for (const r of iso.values()) await indexer.add(r, { source: 'fx-iso' });
  await indexer.close();

  const runs = await harvestAll(OZCAR_SOURCES, { client, alias }, silentLogger, { reportDir });
  await client.indices.refresh({ index: alias });

  const res = await client.search<{ record: HubRecord }>({ index: alias, size: 1000, _source: ['record'], query: { match_all: {} } });
  const records = res.hits.hits.map((h) => h._source!.record);
  return {
    alias,
    reportDir,
    records,
    runs,
    cleanup: async () => {
      await deleteIndices(client, `${alias}*`);
      rmSync(reportDir, { recursive: true, force: true });
    },
  };
}
