/**
 * The ONE function that gives the RDF of a record (its DCAT-AP graph) to every serialisation of the hub: the DCAT-AP
 * export and `/catalog`, `/records/{id}` and the OAI-PMH `dcat_ap` format. It is the record model's own converter
 * (schemas/rdf.ts: the compact record to n3 quads through the compiled local context, blank nodes unique in the
 * process, so the graphs of many records can be written one after the other without merging).
 */
import type { Quad } from '@rdfjs/types';
import { recordQuads as modelQuads } from '../../schemas/rdf.js';
import { accessServiceQuads } from './access-services.js';
import type { HubRecord } from '../../schemas/record.js';

export type { Quad };

/**
 * The quads of a record's DCAT-AP graph: the resource, every node it holds, and its dcat:CatalogRecord; with the
 * access service of each distribution that is an OGC web service (access-services.ts).
 */
export function recordQuads(record: HubRecord): Quad[] {
  const quads = modelQuads(record);
  const services = record.distribution?.some((d) => d.conformsTo?.length) ? accessServiceQuads(quads) : [];
  return services.length ? [...quads, ...services] : quads;
}
