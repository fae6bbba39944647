/**
 * DCAT facts shared by the DCAT harvester and the DCAT crosswalk (as core/stac.ts is for STAC): namespaces, which
 * resources of a graph are records (datasets, dataset series, data services), how each is described and identified.
 */
import { type RdfGraph, type DescribeOptions, type RdfNode } from './rdf.js';

export const NS = {
  dcat: 'http://www.w3.org/ns/dcat#',
  dct: 'http://purl.org/dc/terms/',
  foaf: 'http://xmlns.com/foaf/0.1/',
  hydra: 'http://www.w3.org/ns/hydra/core#',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
} as const;

export const DCAT_DATASET = `${NS.dcat}Dataset`;
export const DCAT_SERIES = `${NS.dcat}DatasetSeries`;
export const DCAT_SERVICE = `${NS.dcat}DataService`;
export const DCAT_CATALOG = `${NS.dcat}Catalog`;
export const DCAT_RECORD = `${NS.dcat}CatalogRecord`;
const FOAF_PRIMARY_TOPIC = `${NS.foaf}primaryTopic`;
const FOAF_IS_PRIMARY_TOPIC_OF = `${NS.foaf}isPrimaryTopicOf`;
const RDF_TYPE = `${NS.rdf}type`;

/** The classes whose instances are records of the hub. */
export const RECORD_CLASSES: readonly string[] = [DCAT_DATASET, DCAT_SERIES, DCAT_SERVICE];

/** How a record is described: other records (and catalogues) referenced, never embedded; its catalog record embedded. */
export const DESCRIBE: DescribeOptions = {
  stopAt: [...RECORD_CLASSES, DCAT_CATALOG],
  reverse: [FOAF_PRIMARY_TOPIC],
};

const LISTS = [`${NS.dcat}dataset`, `${NS.dcat}service`, `${NS.hydra}member`];

/**
 * The records of a graph, in document order: every resource typed dcat:Dataset, dcat:DatasetSeries or
 * dcat:DataService (a dcat:Catalog is a catalogue, not a record, even though DCAT makes it a kind of dataset), and the
 * untyped members a catalogue lists (dcat:dataset, dcat:service, hydra:member) that the graph describes. A blank node
 * that another resource points at otherwise (a distribution's dcat:accessService) is part of that resource's
 * description, not a record of its own; nor is a resource the graph only types, that another resource points at (a
 * DataService's dcat:servesDataset <x> with <x> a dcat:Dataset, as geocat.ch writes): a reference to a record
 * described elsewhere.
 */
export function recordSubjects(graph: RdfGraph): string[] {
  const out = new Set<string>();
  for (const s of graph.subjects) {
    const types = graph.types(s);
    if (!types.some((t) => RECORD_CLASSES.includes(t)) || types.includes(DCAT_CATALOG)) continue;
    const pointedAt = graph.pointingAt(s).some((t) => !LISTS.includes(t.p));
    if (pointedAt && (s.startsWith('_:') || graph.about(s).every((t) => t.p === RDF_TYPE))) continue;
    out.add(s);
  }
  for (const catalog of graph.subjects) {
    for (const p of LISTS) {
      for (const o of graph.objects(catalog, p)) {
        const key = o.kind === 'blank' ? `_:${o.value}` : o.value;
        if (o.kind !== 'literal' && graph.about(key).length > 0 && !graph.types(key).includes(DCAT_CATALOG)) out.add(key);
      }
    }
  }
  return graph.subjects.filter((s) => out.has(s));
}

/** The description of a record (see core/rdf.ts describe), its catalog record under `@reverse`. */
export function describeRecord(graph: RdfGraph, subject: string): RdfNode {
  return graph.describe(subject, DESCRIBE);
}

/**
 * The identifier of a record at its source: its dct:identifier (the first in order when it has several), else its IRI
 * (the same rule as CKAN's and udata's DCAT harvesters); for a blank node without dct:identifier, the dct:identifier of
 * its catalog record (foaf:isPrimaryTopicOf, or foaf:primaryTopic pointing at it): GeoDCAT-AP made from ISO 19139 (the
 * SEMIC XSLT) writes an ISO service, which has no resource identifier, as a blank dcat:DataService whose catalog record
 * carries the metadata's fileIdentifier, as the hub's ISO records are identified. undefined when there is none either.
 */
export function recordIdentifier(node: RdfNode): string | undefined {
  const own = identifierOf(node) ?? node['@id'];
  if (own !== undefined) return own;
  const catalogRecords = [
    ...((node[FOAF_IS_PRIMARY_TOPIC_OF] as RdfNode[] | undefined) ?? []),
    ...(node['@reverse']?.[FOAF_PRIMARY_TOPIC] ?? []),
  ];
  return catalogRecords.map(identifierOf).find((id) => id !== undefined);
}

/** The first (in order) dct:identifier of a description. */
function identifierOf(node: RdfNode): string | undefined {
  const ids = (node[`${NS.dct}identifier`] as { '@value'?: string; '@id'?: string }[] | undefined) ?? [];
  return ids
    .map((v) => (v['@value'] ?? v['@id'] ?? '').trim())
    .filter(Boolean)
    .sort()[0];
}

/** The kind of record a node is, by its classes: a series or a service when it says so, else a dataset. */
export function recordKind(node: RdfNode): 'dataset' | 'series' | 'service' {
  const types = node['@type'] ?? [];
  if (types.includes(DCAT_SERIES)) return 'series';
  if (types.includes(DCAT_SERVICE) && !types.includes(DCAT_DATASET)) return 'service';
  return 'dataset';
}
