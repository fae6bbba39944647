/**
 * What real catalogues write in place of the DCAT-AP properties the record reads, moved to those properties before
 * anything else (on the expanded description, full IRIs). Each rule fills a property only when the description does
 * not already have it, so a DCAT-AP description (the hub's own export included) passes through unchanged. Pure.
 *
 * - dct:abstract (GeoNetwork) -> dct:description; dct:updated (GeoNetwork) -> dct:modified;
 * - foaf:thumbnail (GeoNetwork) -> foaf:depiction;
 * - owl:versionInfo, adms:version -> dcat:version; dct:hasVersion, dct:isVersionOf (DCAT-AP 2, ckanext-dcat) ->
 *   dcat:hasVersion, dcat:isVersionOf (DCAT 3; the DCAT-AP 3.0.1 deprecated-URI shapes ask for them);
 *   pav:previousVersion, pav:hasCurrentVersion -> dcat:previousVersion, dcat:hasCurrentVersion (DCAT 3 defines
 *   them as equivalent);
 * - a period's schema:startDate/endDate, or time:hasBeginning/hasEnd instants (time:inXSDDate, inXSDDateTime,
 *   inXSDDateTimeStamp) -> dcat:startDate/endDate;
 * - a place's geometry as GeoNetwork writes it (dct:spatial [ a ogc:Polygon; geo:asWKT "..." ]) or gsp:asWKT /
 *   gsp:asGeoJSON -> locn:geometry, the node typed dct:Location;
 * - a distribution's dct:format [ a dct:IMT; rdf:value "application/pdf" ] -> dcat:mediaType "application/pdf" (the
 *   format keeps its label);
 * - Dublin Core elements (dc:title, dc:description, dc:language, dc:rights: older CKAN exports) -> their dct: terms;
 * - foaf:isPrimaryTopicOf (the catalog record named from the resource, GeoNetwork's GeoDCAT-AP) -> the catalog record
 *   under `@reverse` foaf:primaryTopic, where the record's context reads it;
 * - a contact's organisation as GeoNetwork writes it (vcard:org [ vcard:organisation-name "..." ], a term vCard does
 *   not have) -> vcard:organization-name on the contact.
 */
import type { RdfLiteral, RdfNode, RdfValue } from '../../core/rdf.js';

const DCT = 'http://purl.org/dc/terms/';
const DCAT = 'http://www.w3.org/ns/dcat#';
const FOAF = 'http://xmlns.com/foaf/0.1/';
const TIME = 'http://www.w3.org/2006/time#';
const SCHEMA = ['https://schema.org/', 'http://schema.org/'];
const GSP = 'http://www.opengis.net/ont/geosparql#';
const LOCN = 'http://www.w3.org/ns/locn#';
const RDF_VALUE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#value';
const VCARD = 'http://www.w3.org/2006/vcard/ns#';

/** Source predicate -> target predicate, moved when the target is absent. */
const RENAMES: [string, string][] = [
  [`${DCT}abstract`, `${DCT}description`],
  [`${DCT}updated`, `${DCT}modified`],
  [`${FOAF}thumbnail`, `${FOAF}depiction`],
  [`${VCARD}organisation-name`, `${VCARD}organization-name`],
  ['http://www.w3.org/2002/07/owl#versionInfo', `${DCAT}version`],
  ['http://www.w3.org/ns/adms#version', `${DCAT}version`],
  [`${DCT}hasVersion`, `${DCAT}hasVersion`],
  [`${DCT}isVersionOf`, `${DCAT}isVersionOf`],
  ['http://purl.org/pav/previousVersion', `${DCAT}previousVersion`],
  ['http://purl.org/pav/hasCurrentVersion', `${DCAT}hasCurrentVersion`],
  ...['title', 'description', 'language', 'rights'].map((t): [string, string] => [`http://purl.org/dc/elements/1.1/${t}`, `${DCT}${t}`]),
  ...SCHEMA.flatMap((s): [string, string][] => [
    [`${s}startDate`, `${DCAT}startDate`],
    [`${s}endDate`, `${DCAT}endDate`],
  ]),
];

const INSTANT_VALUES = [`${TIME}inXSDDateTimeStamp`, `${TIME}inXSDDateTime`, `${TIME}inXSDDate`];

const isNode = (v: RdfValue): v is RdfNode => !('@value' in v);
const values = (n: RdfNode, p: string): RdfValue[] => (Array.isArray(n[p]) ? (n[p] as RdfValue[]) : []);

/** The date literal of a time:Instant node. */
function instant(v: RdfValue): RdfLiteral | undefined {
  if (!isNode(v)) return v;
  for (const p of INSTANT_VALUES) {
    const lit = values(v, p).find((x): x is RdfLiteral => '@value' in x);
    if (lit) return lit;
  }
  return undefined;
}

/** The geometry literals of a node written the GeoNetwork / GeoSPARQL way. */
function geometryLiterals(n: RdfNode): RdfLiteral[] {
  const out: RdfLiteral[] = [];
  for (const [p, vs] of Object.entries(n)) {
    if (!Array.isArray(vs) || !/[#/](asWKT|asGeoJSON|asGML)$/.test(p)) continue;
    for (const v of vs as RdfValue[]) if (!isNode(v)) out.push(v);
  }
  return out;
}

/** The description with the aliases applied (a new object; the input is left as it is). */
export function applyAliases(node: RdfNode): RdfNode {
  const out: RdfNode = { ...node };
  for (const [k, v] of Object.entries(out)) {
    if (!k.startsWith('@') && Array.isArray(v)) out[k] = (v as RdfValue[]).map((x) => (isNode(x) ? applyAliases(x) : x));
  }
  for (const [from, to] of RENAMES) {
    if (out[from] !== undefined && out[to] === undefined) out[to] = out[from];
    if (out[from] !== undefined) delete out[from];
  }
  // the catalog record, named from the resource
  const topicOf = values(out, `${FOAF}isPrimaryTopicOf`).filter(isNode);
  if (topicOf.length) {
    const reverse = { ...(out['@reverse'] ?? {}) };
    reverse[`${FOAF}primaryTopic`] ??= topicOf;
    out['@reverse'] = reverse;
    delete out[`${FOAF}isPrimaryTopicOf`];
  }
  // a period bounded by time instants
  for (const [from, to] of [
    [`${TIME}hasBeginning`, `${DCAT}startDate`],
    [`${TIME}hasEnd`, `${DCAT}endDate`],
  ] as const) {
    if (out[from] !== undefined && out[to] === undefined) {
      const dates = values(out, from)
        .map(instant)
        .filter((x): x is RdfLiteral => x !== undefined);
      if (dates.length) out[to] = dates;
    }
  }
  // a place whose geometry hangs on a geometry node, or is given with GeoSPARQL's own properties
  const spatial = values(out, `${DCT}spatial`);
  if (spatial.length) {
    out[`${DCT}spatial`] = spatial.map((place) => {
      if (!isNode(place) || place[`${LOCN}geometry`] !== undefined || place[`${DCAT}bbox`] !== undefined) return place;
      const own = geometryLiterals(place);
      const found = own.length ? own : values(place, `${GSP}hasGeometry`).filter(isNode).flatMap(geometryLiterals);
      if (found.length === 0) return place;
      const located: RdfNode = { ...place, '@type': [`${DCT}Location`], [`${LOCN}geometry`]: found };
      for (const p of Object.keys(located)) if (/[#/](asWKT|asGeoJSON|asGML|hasGeometry)$/.test(p)) delete located[p];
      return located;
    });
  }
  // a contact's organisation named on a vcard:org node (GeoNetwork)
  if (out[`${VCARD}organization-name`] === undefined) {
    const names = values(out, `${VCARD}org`)
      .filter(isNode)
      .flatMap((o) => values(o, `${VCARD}organization-name`));
    if (names.length) out[`${VCARD}organization-name`] = names;
  }
  // a distribution's format given as a media type node (dct:IMT with rdf:value)
  const formats = values(out, `${DCT}format`);
  if (formats.length && out[`${DCAT}mediaType`] === undefined) {
    const media = formats
      .filter(isNode)
      .flatMap((f) => values(f, RDF_VALUE))
      .filter((v): v is RdfLiteral => '@value' in v);
    if (media.length) out[`${DCAT}mediaType`] = media;
  }
  return out;
}
