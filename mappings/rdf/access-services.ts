/**
 * The access service of a distribution that is an OGC web service (a WMS, WFS, WMTS...), as GeoDCAT-AP's reference
 * transformation of ISO 19139 (SEMIC's iso-19139-to-dcat-ap.xsl) writes it: the distribution's `dcat:accessService`, a
 * `dcat:DataService` with its title, `dcat:endpointURL` (the URL without its query), `dcat:endpointDescription` (the
 * GetCapabilities URL, when the link is one), `dct:conformsTo` (the OGC service type) and
 * `geodcatap:serviceProtocol` (the OGC standard, http://www.opengeospatial.org/standards/wms...).
 *
 * Why: DCAT consumers read the service from there. data.gouv.fr's harvester (udata) takes a resource's format from its
 * access service's protocol; typed `wms`, each layer of one WMS (several distributions with one GetCapabilities URL,
 * one per layer name) stays a resource of its own, where udata otherwise keeps one resource per URL.
 *
 * Derived from the distribution alone (its dct:conformsTo, accessURL and title), in the RDF only: the record model
 * keeps the distribution as the source gave it. Pure.
 */
import { DataFactory } from 'n3';
import type { BlankNode, NamedNode, Quad, Quad_Subject, Term } from '@rdfjs/types';
import { OGC_SERVICE } from '../../core/vocab.js';
import { PREFIXES } from './serialize.js';

const { dcat: DCAT, dct: DCT, geodcatap: GEODCATAP } = PREFIXES;
const RDF_TYPE = PREFIXES.rdf + 'type';
/** OGC service type (its IRI's last segment) -> the OGC standard page GeoDCAT-AP's transformation names. */
const OGC_STANDARD: Record<string, string> = {
  wms: 'wms',
  wmts: 'wmts',
  wfs: 'wfs',
  wcs: 'wcs',
  csw: 'cat',
  sos: 'sos',
  wps: 'wps',
};

const namedNode = (iri: string): NamedNode => DataFactory.namedNode(iri);
const quad = (s: Quad_Subject, p: NamedNode, o: Term): Quad => DataFactory.quad(s, p, o as Quad['object']);
const TYPE = namedNode(RDF_TYPE);
const P = {
  accessService: namedNode(DCAT + 'accessService'),
  accessURL: namedNode(DCAT + 'accessURL'),
  endpointURL: namedNode(DCAT + 'endpointURL'),
  endpointDescription: namedNode(DCAT + 'endpointDescription'),
  conformsTo: namedNode(DCT + 'conformsTo'),
  title: namedNode(DCT + 'title'),
  serviceProtocol: namedNode(GEODCATAP + 'serviceProtocol'),
};
const DATA_SERVICE = namedNode(DCAT + 'DataService');
const DISTRIBUTION = DCAT + 'Distribution';
const DISTRIBUTION_OF = DCAT + 'distribution';
const STANDARD = namedNode(DCT + 'Standard');

interface Facts {
  subject: Quad_Subject;
  types: string[];
  conformsTo: Term[];
  accessURL: Term[];
  titles: Term[];
  hasService: boolean;
}

/** The quads of the access services of the OGC service distributions among `quads` (none when there are none). */
export function accessServiceQuads(quads: readonly Quad[]): Quad[] {
  // the distributions (objects of dcat:distribution), then what each says, in two passes over the quads; keyed by
  // the term's value alone (an IRI has a colon, a blank node label none: they cannot meet)
  const facts = new Map<string, Facts>();
  for (const q of quads) {
    if (q.predicate.value !== DISTRIBUTION_OF || q.object.termType === 'Literal') continue;
    const subject = q.object;
    facts.set(subject.value, { subject, types: [], conformsTo: [], accessURL: [], titles: [], hasService: false });
  }
  if (facts.size === 0) return [];
  for (const q of quads) {
    const f = facts.get(q.subject.value);
    if (!f) continue;
    const p = q.predicate.value;
    if (p === RDF_TYPE) f.types.push(q.object.value);
    else if (p === P.conformsTo.value) f.conformsTo.push(q.object);
    else if (p === P.accessURL.value) f.accessURL.push(q.object);
    else if (p === P.title.value) f.titles.push(q.object);
    else if (p === P.accessService.value) f.hasService = true;
  }
  const out: Quad[] = [];
  for (const f of facts.values()) {
    if (f.hasService || !f.types.includes(DISTRIBUTION)) continue;
    const type = f.conformsTo.find((o) => o.termType === 'NamedNode' && o.value.startsWith(OGC_SERVICE));
    const standard = type && OGC_STANDARD[type.value.slice(OGC_SERVICE.length)];
    const url = f.accessURL.find((o) => o.termType === 'NamedNode');
    if (!type || !standard || !url) continue;
    const service: BlankNode = DataFactory.blankNode();
    const protocol = namedNode(`http://www.opengeospatial.org/standards/${standard}`);
    out.push(
      quad(f.subject, P.accessService, service),
      quad(service, TYPE, DATA_SERVICE),
      // DCAT-AP wants a title: the distribution's (often the layer name), else the kind of service
      ...(f.titles.length ? f.titles : [DataFactory.literal(`OGC ${standard === 'cat' ? 'CSW' : standard.toUpperCase()}`)]).map((t) =>
        quad(service, P.title, t),
      ),
      quad(service, P.endpointURL, namedNode(url.value.split('?')[0])),
      ...(/[?&]request=getcapabilities(&|$)/i.test(url.value) ? [quad(service, P.endpointDescription, url)] : []),
      quad(service, P.conformsTo, type),
      quad(service, P.serviceProtocol, protocol),
      quad(protocol, TYPE, STANDARD),
    );
  }
  return out;
}
