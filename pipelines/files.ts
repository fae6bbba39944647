/**
 * The records local files hold (ISO and CSW XML, STAC documents, OZCAR pivot files), as a harvester would yield
 * them: what `harvester map`, `harvester validate` and the tests read files with.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { splitRecords } from '../harvesters/csw/records.js';
import { harvestOzcar } from '../harvesters/ozcar/index.js';
import { harvestStaticCatalog } from '../harvesters/stac/static.js';
import type { HarvestItem } from '../harvesters/types.js';
import { toFailure } from '../core/result.js';
import { describeJson, jsonKind, recordFormat } from '../core/formats.js';

export interface ReadOptions {
  /**
   * An uploaded file (POST /validate): its relative links lead nowhere, and must not lead to the server's own files, so a
   * STAC catalog is not walked (its URL is to be given instead). Default false.
   */
  uploaded?: boolean;
}

/** The records a local file holds, as a harvester would yield them. */
export async function* itemsFromFile(path: string, source: string, opts: ReadOptions = {}): AsyncGenerator<HarvestItem> {
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
  yield* jsonItems(json, path, source, opts);
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

/** The records of a JSON file, by what the one detection (core/formats.ts jsonKind) says it is. */
async function* jsonItems(json: unknown, path: string, source: string, opts: ReadOptions): AsyncGenerator<HarvestItem> {
  const record = (body: unknown, where: string): HarvestItem => {
    const b = body as Record<string, unknown>;
    const format = recordFormat(b);
    return {
      kind: 'record',
      raw: { source, body: b, location: where, ...(format ? { format } : {}), ...(typeof b?.id === 'string' ? { id: b.id } : {}) },
    };
  };
  const doc = json as Record<string, unknown>;
  switch (jsonKind(json)) {
    case 'stac-catalog':
      if (opts.uploaded) throw new Error('a STAC catalog: its children are not in the upload; give the URL of the catalog instead');
      yield* harvestStaticCatalog({ source, url: resolve(path), items: 'index' });
      return;
    case 'stac-collection':
    case 'stac-item':
      yield record(doc, path);
      return;
    case 'stac-items': {
      let i = 0;
      for (const f of doc.features as unknown[]) yield record(f, `${path} features[${i++}]`);
      return;
    }
    case 'stac-collections': {
      let i = 0;
      for (const c of doc.collections as unknown[]) yield record(c, `${path} collections[${i++}]`);
      return;
    }
    case 'ozcar-pivot':
      yield* harvestOzcar({ source, url: resolve(path) });
      return;
    case 'ozcar-dataset':
      throw new Error(
        `${path}: one OZCAR dataset on its own; give the pivot file that holds it ({ "version", "producer", "datasets" }): a dataset needs its producer`,
      );
    case undefined:
      throw new Error(`${path}: ${describeJson(json)}`);
  }
}
