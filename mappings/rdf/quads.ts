/**
 * The ONE function that gives the RDF of a record (its DCAT-AP graph) to every serialisation of the hub: the DCAT-AP
 * export and `/catalog`, `/records/{id}` and the OAI-PMH `dcat_ap` format. Today it is schemas/jsonld.ts `toNQuads`
 * (jsonld.js over the DCAT-AP view, local context only) parsed by n3; a faster converter replaces it here, in one line.
 */
import { Parser, type Quad } from 'n3';
import { toNQuads } from '../../schemas/jsonld.js';
import type { HubRecord } from '../../schemas/record.js';

export type { Quad };

/** The quads of a record's DCAT-AP graph (blank nodes labelled per record, so graphs of many records never merge). */
export async function recordQuads(record: HubRecord): Promise<Quad[]> {
  // blank node labels kept as toNQuads made them (unique per record), not renamed per parser
  return new Parser({ format: 'N-Quads', blankNodePrefix: '' }).parse(await toNQuads(record));
}
