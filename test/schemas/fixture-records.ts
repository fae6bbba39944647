/**
 * Every record of every real fixture family, read and mapped as `harvester map` reads files: ISO 19139 / 19115-2 /
 * 19115-3 records and CSW pages, STAC catalogues, collections and items, OZCAR pivot feeds. For the RDF and SHACL
 * tests.
 */
import { readdirSync } from 'node:fs';
import { itemsFromFile } from '../../pipelines/files.js';
import { mapRecord } from '../../pipelines/map.js';
import type { HubRecord } from '../../schemas/record.js';
import { sharedFixture } from '../../schemas/paths.js';

const files = (dir: string, ext: string): string[] =>
  readdirSync(sharedFixture(dir))
    .filter((f) => f.endsWith(ext))
    .sort()
    .map((f) => sharedFixture(dir, f));

/** The fixture files of each family. */
export const FAMILIES: Record<string, string[]> = {
  iso19139: files('iso19139', '.xml'),
  'iso19115-3': files('iso19115-3', '.xml'),
  csw: ['pycsw-apiso-GetRecords-all.xml', 'owslib-inspire-getrecords-response.xml', 'owslib-csw_dov_getrecordbyid.xml'].map((f) =>
    sharedFixture('csw', f),
  ),
  stac: files('stac', '.json'),
  ozcar: files('ozcar', '.json'),
};

export interface FixtureRecord {
  family: string;
  file: string;
  record: HubRecord;
  warnings: string[];
}

/** The records of the fixtures of each family (harvest time fixed); a record that fails to map throws. */
export async function fixtureRecords(families = Object.keys(FAMILIES)): Promise<FixtureRecord[]> {
  const out: FixtureRecord[] = [];
  for (const family of families) {
    for (const file of FAMILIES[family]) {
      for await (const item of itemsFromFile(file, 'fx')) {
        if (item.kind !== 'record') continue;
        const result = mapRecord(item.raw, { harvestedAt: '2026-11-25T12:00:00Z' });
        if (!result.ok) throw new Error(`${item.raw.location}: ${result.stage}: ${result.error}`);
        out.push({ family, file, record: result.record, warnings: result.warnings ?? [] });
      }
    }
  }
  return out;
}
