/**
 * The identification section (MD_DataIdentification, SV_ServiceIdentification, both encodings) and its citation:
 * identity and title, resource type, citation dates and edition, resource languages, spatial resolution, maintenance
 * frequency, related records and, for a service, the datasets it serves and its endpoints.
 */
import type { Concept, Distribution, HubRecord, Identifier, LangMap, RecordType } from '../../schemas/record.js';
import { recordIri } from '../../schemas/record.js';
import { RecordError } from '../../core/result.js';
import { unique } from '../../core/json.js';
import { dateLiteral, doiIri, frequencyIri, languageIri, resourceTypeIri, scopeCode, serviceTypeIri } from '../../core/vocab.js';
import { all, attr, codeValue, first, href, namedChildren, ownText, text, textAt, type XNode } from '../../core/xml.js';
import { firstLangText, langText, warn, type MapCtx } from './context.js';
import { phrase } from '../../core/warnings.js';

const FILE_ID_AT = ['gmd:fileIdentifier', 'mdb:metadataIdentifier/*/mcc:code'] as const;
import type { Dialect } from './dialect.js';
import { linkageOf } from './distribution.js';
import { codeListConcept } from '../codelists.js';
import { decimalLexical, iriConcept, resolutionInMeters, urlIri } from '../common.js';

export interface Identification {
  node: XNode;
  isService: boolean;
  citation: XNode | undefined;
}

/** The first identificationInfo of a record; RecordError('map') when there is none. */
export function identificationOf(md: XNode): Identification {
  const [name, node] = namedChildren(first(md, 'identificationInfo'))[0] ?? ['', undefined];
  if (node === undefined) throw new RecordError('map', 'no identificationInfo: not a usable ISO record');
  return { node, isService: name.endsWith('ServiceIdentification'), citation: first(node, 'citation', '*') };
}

/**
 * The DOI an identifier gives in its authority citation rather than in its code, when that authority is the DOI system
 * (its title, or an identifier of it, names it: ISO 26324): the Australian Antarctic Data Centre's records (via AODN)
 * write the code "Dataset DOI" and the DOI itself ("doi:10.26179/qm0h-4q64") as an identifier of the authority
 * "Information and documentation - Digital object identifier system". The DOI of another document cited as authority
 * is not the resource's.
 */
function authorityDoi(id: XNode): string | undefined {
  const authority = first(id, 'authority', '*');
  const codes = all(authority, 'identifier', '*', 'code');
  const names = [textAt(authority, 'title'), ...codes.map(text)];
  if (!names.some((n) => n !== undefined && /digital object identifier|^doi$|\b26324\b/i.test(n))) return undefined;
  for (const c of codes) {
    const doi = doiIri(href(c)) ?? doiIri(text(c));
    if (doi) return doi;
  }
  return undefined;
}

/**
 * Resource identifiers (MD_Identifier / RS_Identifier); DOIs (in the code, its link, or given by a DOI-system
 * authority: authorityDoi) normalised to https://doi.org/... with agency "doi".
 */
function readIdentifiers(citation: XNode | undefined): { ids: Identifier[]; codes: string[] } {
  const ids: Identifier[] = [];
  const codesOut: string[] = [];
  for (const id of all(citation, 'identifier', '*')) {
    const codeProp = first(id, 'code');
    const code = text(codeProp);
    const link = href(codeProp);
    if (!code && !link) continue;
    // Not an identifier: some catalogues put whole documents (JSON-LD...) in code.
    if (code && (code.length > 500 || code.startsWith('{'))) continue;
    const codeSpace = textAt(id, 'codeSpace') ?? textAt(id, 'authority', '*', 'title');
    const doi =
      doiIri(link) ??
      doiIri(code) ??
      (codeSpace && /doi/i.test(codeSpace) && code ? doiIri('doi:' + code.replace(/^doi:/i, '')) : undefined);
    // the code of a DOI given by its authority is a label ("Dataset DOI"): the DOI names the resource
    const fromAuthority = doi ? undefined : authorityDoi(id);
    if (doi || fromAuthority) ids.push({ '@type': 'adms:Identifier', notation: doi ?? fromAuthority!, schemaAgency: 'doi' });
    else ids.push({ '@type': 'adms:Identifier', notation: code ?? link!, ...(codeSpace ? { schemaAgency: codeSpace } : {}) });
    codesOut.push(fromAuthority ?? code ?? link!);
  }
  return { ids: unique(ids, (i) => i.notation), codes: codesOut };
}

export interface Identity {
  /** The record's own identifier: the fileIdentifier, else the first resource identifier, else derived from the hash. */
  id: string;
  fileId?: string;
  otherIdentifier: Identifier[];
  title: LangMap;
  description?: LangMap;
}

const mapLang = (m: LangMap | undefined, f: (v: string) => string): LangMap | undefined =>
  m && Object.fromEntries(Object.entries(m).map(([k, v]) => [k, f(v)]));

/** A title on one line: a title wrapped over lines of the XML (with its indentation) is one line of text. */
const oneLine = (m: LangMap | undefined): LangMap | undefined => mapLang(m, (v) => v.replace(/\s+/g, ' '));

/**
 * Who the record is: its identifier (with a warning when it is not the fileIdentifier), its resource identifiers, its
 * title (else its first alternate title; RecordError('map') without either) and its abstract.
 */
export function readIdentity(
  ctx: MapCtx,
  dialect: Dialect,
  md: XNode,
  ident: Identification,
  contentHash: string,
  /** A series member's identifier derived from its series' (mappings/iso/series.ts memberId), used without a fileIdentifier. */
  memberId?: string,
): Identity {
  const fileId = dialect.fileIdentifier(md);
  const { ids: otherIdentifier, codes: resourceCodes } = readIdentifiers(ident.citation);
  let id = fileId ?? memberId;
  if (!id && resourceCodes[0]) {
    id = resourceCodes[0];
    warn(ctx, FILE_ID_AT, 'iso.fileIdentifier.fromResource', { id });
  }
  if (!id) {
    id = 'sha256-' + contentHash.slice(0, 32);
    warn(ctx, FILE_ID_AT, 'iso.fileIdentifier.derived', { id });
  }
  const title = oneLine(langText(ctx, first(ident.citation, 'title')) ?? firstLangText(ctx, all(ident.citation, 'alternateTitle')));
  if (!title) throw new RecordError('map', `record ${id} has no title (identificationInfo/citation/title)`);
  const description = langText(ctx, first(ident.node, 'abstract'));
  return { id, ...(fileId !== undefined ? { fileId } : {}), otherIdentifier, title, ...(description ? { description } : {}) };
}

function typeOf(scope: string | undefined): RecordType {
  if (scope === 'service') return ['dcat:DataService', 'schema:WebAPI'];
  if (scope === 'series') return ['dcat:DatasetSeries', 'dcat:Dataset', 'schema:Dataset'];
  return ['dcat:Dataset', 'schema:Dataset'];
}

/** The record's types from its scope (hierarchy level) and the resource type IRIs, with the service type. */
export function readResourceType(
  ctx: MapCtx,
  dialect: Dialect,
  md: XNode,
  ident: Identification,
): { type: RecordType; resourceType: Concept[] } {
  const scopes = dialect.scopes(md).map((s) => scopeCode(s) ?? s);
  const resourceType: string[] = [];
  for (const s of ident.isService ? ['service'] : scopes.length ? scopes : ['dataset']) {
    const iri = resourceTypeIri(s);
    if (iri && !resourceType.includes(iri)) resourceType.push(iri);
    else if (!iri) warn(ctx, ['gmd:hierarchyLevel', 'mdb:metadataScope/*/mdb:resourceScope'], 'iso.hierarchyLevel.unknown', { value: s });
  }
  const serviceType = serviceTypeIri(ident.isService ? textAt(ident.node, 'serviceType') : undefined);
  if (serviceType) resourceType.push(serviceType);
  return {
    type: typeOf(ident.isService ? 'service' : (scopes[0] ?? 'dataset')),
    resourceType: resourceType.map((iri) => codeListConcept(iri) ?? iriConcept(iri)),
  };
}

export type CitationDates = Pick<HubRecord, 'created' | 'issued' | 'modified' | 'version'>;

/** Citation dates (the earliest creation and publication, the latest revision) and the edition. */
export function readCitationDates(ctx: MapCtx, citation: XNode | undefined): CitationDates {
  const out: CitationDates = {};
  for (const d of all(citation, 'date', '*')) {
    const raw = textAt(d, 'date');
    const lit = dateLiteral(raw);
    const type = codeValue(first(d, 'dateType'));
    if (!lit) {
      if (raw)
        warn(
          ctx,
          ['gmd:identificationInfo/*/gmd:citation/*/gmd:date/*/gmd:date', 'mdb:identificationInfo/*/mri:citation/*/cit:date/*/cit:date'],
          'iso.citationDate.invalid',
          { value: raw, type: type ?? phrase('iso.noType') },
        );
      continue;
    }
    if (type === 'creation') {
      if (!out.created || lit['@value'] < out.created['@value']) out.created = lit;
    } else if (type === 'publication') {
      if (!out.issued || lit['@value'] < out.issued['@value']) out.issued = lit;
    } else if (type === 'revision' || type === 'lastUpdate' || type === 'lastRevision') {
      if (!out.modified || lit['@value'] > out.modified['@value']) out.modified = lit;
    }
  }
  const version = textAt(citation, 'edition');
  if (version !== undefined) out.version = version;
  return out;
}

/** The resource languages as EU language IRIs (a warning for each one not recognised). */
export function readResourceLanguages(ctx: MapCtx, dialect: Dialect, ident: Identification): string[] {
  const iris = dialect.resourceLanguages(ident.node).map((l) => {
    const iri = languageIri(l);
    if (!iri)
      warn(
        ctx,
        ['gmd:identificationInfo/*/gmd:language', 'mdb:identificationInfo/*/mri:defaultLocale/*/lan:language'],
        'iso.language.unknown',
        { value: l },
      );
    return iri;
  });
  return unique(iris.filter((x): x is string => !!x));
}

/** Factors to metres of the length units a distance is given in (by name, abbreviation or EPSG unit code). */
const METRE_FACTORS: Record<string, number> = {
  m: 1,
  metre: 1,
  meter: 1,
  metres: 1,
  meters: 1,
  'epsg::9001': 1,
  '9001': 1,
  km: 1000,
  kilometre: 1000,
  kilometer: 1000,
  kilometres: 1000,
  kilometers: 1000,
  'epsg::9036': 1000,
  '9036': 1000,
  cm: 0.01,
  mm: 0.001,
  dm: 0.1,
  ft: 0.3048,
  foot: 0.3048,
  feet: 0.3048,
  'epsg::9002': 0.3048,
  '9002': 0.3048,
  'us-ft': 1200 / 3937,
  'epsg::9003': 1200 / 3937,
  '9003': 1200 / 3937,
  mi: 1609.344,
};

/**
 * The factor to metres of a unit of measure as ISO records write it ("m", "metre", "km", "EPSG::9001",
 * "urn:ogc:def:uom:EPSG::9001", "http://www.opengis.net/def/uom/EPSG/0/9001"...); undefined for a unit that is no
 * length (deg, rad: an angle is no distance) or that is not known.
 */
export function metreFactor(uom: string): number | undefined {
  const key = uom
    .trim()
    .toLowerCase()
    .replace(/^.*[#/]/, '')
    .replace(/^urn:ogc:def:uom:/, '');
  return METRE_FACTORS[key];
}

/** A unit as a reader reads it: the code a URL ends with ("...ML_gmxUom.xml#deg" is "deg"), else as given. */
function uomLabel(uom: string): string {
  return /^https?:\/\//i.test(uom) ? uom.replace(/^.*[#/]/, '') || uom : uom;
}

const RESOLUTION_AT = (element: string): readonly [string, string] => [
  `gmd:identificationInfo/*/gmd:spatialResolution/*/gmd:${element}`,
  `mdb:identificationInfo/*/mri:spatialResolution/*/mri:${element}`,
];

/** The measures of an MD_Resolution element (distance, vertical, angularDistance): value and unit, or a warning. */
function measures(ctx: MapCtx, res: XNode, element: string): { value: number; uom?: string }[] {
  const out: { value: number; uom?: string }[] = [];
  for (const prop of all(res, element)) {
    // gco:Distance, gco:Angle, gco:Measure (19139 profiles), or the value right in the property
    const valueNode = first(prop, 'Distance') ?? first(prop, 'Angle') ?? first(prop, 'Measure') ?? prop;
    const given = ownText(valueNode) ?? text(prop);
    if (given === undefined) continue;
    const value = Number(given);
    if (!Number.isFinite(value) || value <= 0) {
      warn(ctx, RESOLUTION_AT(element), 'iso.resolution.notPositive', { value: given });
      continue;
    }
    const uom = attr(valueNode, 'uom');
    out.push({ value, ...(uom ? { uom: uomLabel(uom) } : {}) });
  }
  return out;
}

/**
 * Spatial resolution (MD_Resolution, each of its choices):
 * - distance (horizontal ground sample distance) in metres, from any length unit (`metreFactor`; no unit: metres):
 *   the finest is dcat:spatialResolutionInMeters, the others text ("10 m"); a distance in a unit that is no length
 *   ("0.01 deg") stays as text, as given;
 * - equivalentScale → text "1:25000";
 * - vertical (19115-1/-3: the vertical sampling distance, which spatialResolutionInMeters, a horizontal distance,
 *   cannot hold) → text "vertical distance 0.5 m";
 * - angularDistance (19115-1/-3) → text "angular distance 0.1 degreeLatitude" (the unit as given);
 * - levelOfDetail (19115-1/-3, a free text) → its text;
 * all texts in geodcatap:spatialResolutionAsText, GeoDCAT-AP's place for a resolution that is no distance in metres. A
 * value that is no positive number is reported and left out.
 */
export function readResolution(
  ctx: MapCtx,
  ident: Identification,
): { spatialResolutionInMeters?: string; spatialResolutionAsText: string[] } {
  const metres: number[] = [];
  const txt: string[] = [];
  for (const res of all(ident.node, 'spatialResolution', '*')) {
    const denom = textAt(res, 'equivalentScale', '*', 'denominator');
    if (denom) {
      const n = Number(denom);
      if (Number.isFinite(n) && n > 0) txt.push(`1:${n}`);
      else warn(ctx, RESOLUTION_AT('equivalentScale'), 'iso.scale.notNumber', { value: denom });
    }
    for (const { value, uom = 'm' } of measures(ctx, res, 'distance')) {
      const factor = metreFactor(uom);
      if (factor !== undefined) metres.push(Number((value * factor).toPrecision(12)));
      else txt.push(`${value} ${uom}`);
    }
    for (const { value, uom = 'm' } of measures(ctx, res, 'vertical')) {
      const factor = metreFactor(uom);
      txt.push(
        `vertical distance ${factor !== undefined ? `${decimalLexical(Number((value * factor).toPrecision(12)))} m` : `${value} ${uom}`}`,
      );
    }
    for (const { value, uom } of measures(ctx, res, 'angularDistance')) txt.push(`angular distance ${value}${uom ? ` ${uom}` : ''}`);
    const detail = textAt(res, 'levelOfDetail');
    if (detail) txt.push(detail);
  }
  // DCAT-AP allows one resolution in metres: the finest; the others stay as text ("10 m")
  const { spatialResolutionInMeters, asText } = resolutionInMeters(metres);
  return { ...(spatialResolutionInMeters ? { spatialResolutionInMeters } : {}), spatialResolutionAsText: unique([...asText, ...txt]) };
}

/** How often the resource is updated (resourceMaintenance), as an EU frequency IRI. */
export function readMaintenance(ctx: MapCtx, ident: Identification): string | undefined {
  const freqCode = codeValue(first(ident.node, 'resourceMaintenance', '*', 'maintenanceAndUpdateFrequency'));
  const accrualPeriodicity = frequencyIri(freqCode);
  if (freqCode && !accrualPeriodicity)
    warn(
      ctx,
      [
        'gmd:identificationInfo/*/gmd:resourceMaintenance/*/gmd:maintenanceAndUpdateFrequency',
        'mdb:identificationInfo/*/mri:resourceMaintenance/*/mmi:maintenanceAndUpdateFrequency',
      ],
      'iso.frequency.unknown',
      { value: freqCode },
    );
  return accrualPeriodicity;
}

/** Stable IRI of a referenced record: a URL as is, else the hub IRI of that identifier in the same source. */
function refIri(source: string, ref: string): string {
  return (/^https?:\/\//i.test(ref) ? urlIri(ref) : undefined) ?? recordIri(source, ref);
}

/** ISO DS_InitiativeTypeCode values that name an activity or its equipment, not a resource (collection, sciencePaper...). */
const INITIATIVES = new Set(
  'campaign exercise experiment investigation mission operation platform process program project sensor study task trial'.split(' '),
);

/**
 * The parent record and the larger works (isPartOf), the resource this one is a revision of (previousVersion:
 * 19115-1 associationType revisionOf, how GeoNetwork links a record's new version to its previous one), and the other
 * associated resources (relation).
 */
export function readRelations(
  ctx: MapCtx,
  dialect: Dialect,
  md: XNode,
  ident: Identification,
): Pick<HubRecord, 'isPartOf' | 'relation' | 'previousVersion'> {
  const isPartOf: string[] = [];
  const relation: string[] = [];
  const previousVersion: string[] = [];
  const listOf = (type: string | undefined): string[] =>
    type === 'largerWorkCitation' ? isPartOf : type === 'revisionOf' ? previousVersion : relation;
  const parent = dialect.parent(md);
  if (parent) isPartOf.push(refIri(ctx.source, parent));
  for (const agg of [...all(ident.node, 'aggregationInfo', '*'), ...all(ident.node, 'associatedResource', '*')]) {
    // ncISO (THREDDS, ERDDAP) names there the dataset's Unidata CDM feature type ("Grid", "Station"...), no record
    if (/Unidata Common Data Model/i.test(textAt(agg, 'aggregateDataSetIdentifier', '*', 'authority', '*', 'title') ?? '')) continue;
    const type = codeValue(first(agg, 'associationType'));
    const ref =
      attr(first(agg, 'metadataReference'), 'uuidref') ??
      href(first(agg, 'metadataReference')) ??
      // 19115-3 (GeoNetwork 4): the referenced record's identifier in the metadataReference citation
      textAt(agg, 'metadataReference', '*', 'identifier', '*', 'code') ??
      textAt(agg, 'aggregateDataSetIdentifier', '*', 'code') ??
      textAt(agg, 'name', '*', 'identifier', '*', 'code') ??
      attr(first(agg, 'aggregateDataSetName'), 'uuidref') ??
      // 19139: the identifier in the aggregateDataSetName citation (as in 19115-3's name citation)
      textAt(agg, 'aggregateDataSetName', '*', 'identifier', '*', 'code');
    if (ref) {
      listOf(type).push(refIri(ctx.source, ref));
      continue;
    }
    // named by its citation's title only: a title that is a URL (AODN) links it there; any other cannot be linked
    const title = (textAt(agg, 'name', '*', 'title') ?? textAt(agg, 'aggregateDataSetName', '*', 'title'))?.trim();
    const url = title && /^https?:\/\/\S+$/i.test(title) ? urlIri(title) : undefined;
    if (url) listOf(type).push(url);
    // an initiative (a project, a platform, a sensor...) is no resource a record could name: nothing to tell
    else if (title && !INITIATIVES.has(codeValue(first(agg, 'initiativeType')) ?? ''))
      warn(
        ctx,
        ['gmd:identificationInfo/*/gmd:aggregationInfo', 'mdb:identificationInfo/*/mri:associatedResource'],
        'iso.associated.titleOnly',
        { title: title.length > 80 ? `${title.slice(0, 80)}…` : title },
      );
  }
  return { isPartOf: unique(isPartOf), relation: unique(relation), previousVersion: unique(previousVersion) };
}

export type ServiceParts = Pick<HubRecord, 'servesDataset' | 'endpointURL' | 'endpointDescription'>;

/**
 * A service's datasets (operatesOn) and endpoints: its connect points (a GetCapabilities URL is the endpoint
 * description, its base URL the endpoint), else its distributions that name a service protocol, else, as a last
 * resort, every distribution (with a warning). Nothing for a dataset.
 */
export function readService(ctx: MapCtx, ident: Identification, distributions: Distribution[]): ServiceParts {
  if (!ident.isService) return {};
  const servesDataset: string[] = [];
  for (const op of all(ident.node, 'operatesOn')) {
    const uuid = attr(op, 'uuidref');
    const link = attr(op, 'href');
    // a uuidref that is a URL (UK GEMINI: the dataset's GetRecordById URL) names the dataset by that URL, as a link does
    const url = [uuid, link].find((v) => v !== undefined && /^https?:\/\//i.test(v));
    const iri = uuid && uuid !== url ? recordIri(ctx.source, uuid) : url ? urlIri(url) : undefined;
    if (iri) servesDataset.push(iri);
  }
  const endpointURL: string[] = [];
  const endpointDescription: string[] = [];
  for (const cp of all(ident.node, 'containsOperations', '*', 'connectPoint', '*')) {
    const url = linkageOf(cp);
    if (!url) continue;
    if (/request=GetCapabilities/i.test(url)) {
      endpointDescription.push(url);
      endpointURL.push(url.replace(/\?.*$/, ''));
    } else endpointURL.push(url);
  }
  if (endpointURL.length === 0) {
    for (const d of distributions) {
      if (!d.conformsTo) continue; // a service protocol
      if (/request=GetCapabilities/i.test(d.accessURL)) endpointDescription.push(d.accessURL);
      endpointURL.push(d.accessURL.replace(/\?.*$/, ''));
    }
  }
  // last resort: a service record's online resources point at the service, whatever protocol they name (or none)
  if (endpointURL.length === 0) {
    for (const d of distributions) endpointURL.push(d.accessURL);
    if (endpointURL.length)
      warn(
        ctx,
        [
          'gmd:identificationInfo/*/srv:containsOperations/*/srv:connectPoint',
          'mdb:identificationInfo/*/srv:containsOperations/*/srv:connectPoint',
        ],
        'iso.connectPoint.missing',
      );
  }
  return { servesDataset: unique(servesDataset), endpointURL: unique(endpointURL), endpointDescription: unique(endpointDescription) };
}
