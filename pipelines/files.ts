/**
 * The records local files hold (ISO and CSW XML, STAC documents, OZCAR pivot files), as a harvester would yield
 * them: what `harvester map`, `harvester validate` and the tests read files with.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { splitRecords } from '../harvesters/csw/records.js';
import { harvestOzcar } from '../harvesters/ozcar/index.js';
import { harvestStaticCatalog } from '../harvesters/stac/static.js';
import type { HarvestItem, RawRecord } from '../harvesters/types.js';
import { toFailure } from '../core/result.js';

/** The records a local file holds, as a harvester would yield them. */
export async function* itemsFromFile(path: string, source: string): AsyncGenerator<HarvestItem> {
  const text = await readFile(path, 'utf8');
  const trimmed = text.trimStart();
  if (trimmed.startsWith('<')) {
    yield* xmlItems(text, path, source);
    return;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`${path}: neither XML nor valid JSON (${(err as Error).message})`);
  }
  yield* jsonItems(json, path, source);
}

function* xmlItems(text: string, path: string, source: string): Generator<HarvestItem> {
  let page: ReturnType<typeof splitRecords>;
  try {
    page = splitRecords(text);
  } catch (err) {
    yield { kind: 'failure', failure: toFailure(err, { source, stage: 'parse', location: path, raw: text }) };
    return;
  }
  for (let i = 0; i < page.records.length; i++) {
    const r = page.records[i];
    yield {
      kind: 'record',
      raw: {
        source,
        body: r.xml,
        location: page.records.length > 1 ? `${path} record ${i + 1}` : path,
        ...(r.id ? { id: r.id } : {}),
        ...(r.format ? { format: r.format } : {}),
      },
    };
  }
}

async function* jsonItems(json: unknown, path: string, source: string): AsyncGenerator<HarvestItem> {
  const doc = json as Record<string, unknown>;
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new Error(`${path}: a JSON object was expected`);
  const record = (body: Record<string, unknown>, format: RawRecord['format'], where: string): HarvestItem => ({
    kind: 'record',
    raw: { source, body, format, location: where, ...(typeof body.id === 'string' ? { id: body.id } : {}) },
  });
  if (doc.type === 'Catalog') {
    yield* harvestStaticCatalog({ source, url: resolve(path), items: 'index' });
  } else if (doc.type === 'Collection' || (doc.extent !== undefined && doc.stac_version !== undefined && doc.type === undefined)) {
    yield record(doc, 'stac-collection', path);
  } else if (doc.type === 'Feature') {
    yield record(doc, 'stac-item', path);
  } else if (doc.type === 'FeatureCollection' && Array.isArray(doc.features)) {
    let i = 0;
    for (const f of doc.features as Record<string, unknown>[]) yield record(f, 'stac-item', `${path} features[${i++}]`);
  } else if (Array.isArray(doc.collections)) {
    let i = 0;
    for (const c of doc.collections as Record<string, unknown>[]) yield record(c, 'stac-collection', `${path} collections[${i++}]`);
  } else if ('version' in doc || 'versions' in doc || 'producer' in doc) {
    yield* harvestOzcar({ source, url: resolve(path) });
  } else {
    throw new Error(`${path}: not a STAC document (catalog, collection, item, API page) nor an OZCAR pivot file`);
  }
}
