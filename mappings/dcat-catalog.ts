/**
 * The DCAT-AP catalogue around the records' graphs: the `dcat:Catalog` node (from the hub identity), the links from
 * it to each record (`dcat:dataset` or `dcat:service`, and `dcat:record` to the record's `dcat:CatalogRecord`), and
 * the Hydra paging node of a `/catalog` page. Pure: values in, quads out (n3 terms).
 *
 * Every node written here is typed with the class the DCAT-AP 3.0.1 range shapes expect (foaf:Agent,
 * foaf:Document, dct:LinguisticSystem, dct:LicenseDocument, skos:Concept with a label), so the catalogue adds no
 * violation of its own.
 */
import { DataFactory } from 'n3';
import type { Quad, Quad_Object, Quad_Subject } from '@rdfjs/types';
import type { LangMap } from '../schemas/record.js';
import { PREFIXES } from './rdf/serialize.js';

const namedNode = (iri: string) => DataFactory.namedNode(iri);
const literal = (value: string, langOrType?: string | ReturnType<typeof namedNode>) => DataFactory.literal(value, langOrType);
const quad = (s: Quad_Subject, p: ReturnType<typeof namedNode>, o: Quad_Object) => DataFactory.quad(s, p, o);
const P = (prefix: keyof typeof PREFIXES, local: string) => namedNode(PREFIXES[prefix] + local);

const TYPE = P('rdf', 'type');

/** What the catalogue node says (pipelines/hub-identity.ts HubIdentity has these fields and more). */
export interface CatalogIdentity {
  catalogIri: string;
  title: LangMap;
  description: LangMap;
  publisher: { name: LangMap; iri?: string; homepage?: string; type?: string };
  homepage: string;
  language: string[];
  license?: string;
}

function texts(s: Quad_Subject, p: ReturnType<typeof P>, map: LangMap): Quad[] {
  return Object.entries(map).map(([lang, v]) => quad(s, p, lang === '@none' ? literal(v) : literal(v, lang)));
}

function tail(iri: string): string {
  return decodeURIComponent(iri.replace(/\/+$/, '').replace(/^.*[/#]/, ''));
}

/** The dcat:Catalog node, its publisher, homepage, languages and licence. */
export function catalogQuads(id: CatalogIdentity, opts: { modified?: string } = {}): Quad[] {
  const c = namedNode(id.catalogIri);
  const out: Quad[] = [
    quad(c, TYPE, P('dcat', 'Catalog')),
    ...texts(c, P('dct', 'title'), id.title),
    ...texts(c, P('dct', 'description'), id.description),
  ];
  // without an IRI of its own, the publisher is the catalogue document's `#publisher`, not a blank node: a consumer that
  // merges the pages of /catalog into one graph would otherwise get one publisher per page (dct:publisher max 1)
  const pub: Quad_Subject = namedNode(id.publisher.iri ?? new URL('#publisher', id.catalogIri).href);
  out.push(quad(c, P('dct', 'publisher'), pub), quad(pub, TYPE, P('foaf', 'Agent')), ...texts(pub, P('foaf', 'name'), id.publisher.name));
  if (id.publisher.homepage) {
    const h = namedNode(id.publisher.homepage);
    out.push(quad(pub, P('foaf', 'homepage'), h), quad(h, TYPE, P('foaf', 'Document')));
  }
  if (id.publisher.type) {
    const t = namedNode(id.publisher.type);
    out.push(
      quad(pub, P('dct', 'type'), t),
      quad(t, TYPE, P('skos', 'Concept')),
      quad(t, P('skos', 'prefLabel'), literal(tail(id.publisher.type))),
    );
  }
  const home = namedNode(id.homepage);
  out.push(quad(c, P('foaf', 'homepage'), home), quad(home, TYPE, P('foaf', 'Document')));
  for (const l of id.language) {
    const lang = namedNode(l);
    out.push(quad(c, P('dct', 'language'), lang), quad(lang, TYPE, P('dct', 'LinguisticSystem')));
  }
  if (id.license) {
    const lic = namedNode(id.license);
    out.push(quad(c, P('dct', 'license'), lic), quad(lic, TYPE, P('dct', 'LicenseDocument')));
  }
  if (opts.modified) out.push(quad(c, P('dct', 'modified'), literal(opts.modified, P('xsd', 'dateTime'))));
  return out;
}

const PRIMARY_TOPIC = PREFIXES.foaf + 'primaryTopic';
const DATA_SERVICE = PREFIXES.dcat + 'DataService';

/**
 * The links from the catalogue to one record: `dcat:service` for a data service, else `dcat:dataset` (series
 * included), and `dcat:record` to its catalog record (the node whose foaf:primaryTopic is the record).
 */
export function catalogLinks(catalogIri: string, recordIri: string, recordQuads: Quad[]): Quad[] {
  const c = namedNode(catalogIri);
  const r = namedNode(recordIri);
  const service = recordQuads.some(
    (q) => q.subject.value === recordIri && q.predicate.value === TYPE.value && q.object.value === DATA_SERVICE,
  );
  const out: Quad[] = [quad(c, P('dcat', service ? 'service' : 'dataset'), r)];
  const cr = recordQuads.find((q) => q.predicate.value === PRIMARY_TOPIC && q.object.value === recordIri);
  if (cr) out.push(quad(c, P('dcat', 'record'), cr.subject));
  return out;
}

export interface HydraPage {
  /** URL of this page (the hydra:PartialCollectionView). */
  view: string;
  first: string;
  last?: string;
  next?: string;
  previous?: string;
  totalItems: number;
}

/** The Hydra paging statements of a `/catalog` page: the catalogue as a hydra:Collection with its view. */
export function hydraQuads(catalogIri: string, page: HydraPage): Quad[] {
  const c = namedNode(catalogIri);
  const v = namedNode(page.view);
  const out: Quad[] = [
    quad(c, TYPE, P('hydra', 'Collection')),
    quad(c, P('hydra', 'totalItems'), literal(String(page.totalItems), P('xsd', 'integer'))),
    quad(c, P('hydra', 'view'), v),
    quad(v, TYPE, P('hydra', 'PartialCollectionView')),
    quad(v, P('hydra', 'first'), namedNode(page.first)),
  ];
  if (page.last) out.push(quad(v, P('hydra', 'last'), namedNode(page.last)));
  if (page.next) out.push(quad(v, P('hydra', 'next'), namedNode(page.next)));
  if (page.previous) out.push(quad(v, P('hydra', 'previous'), namedNode(page.previous)));
  return out;
}
