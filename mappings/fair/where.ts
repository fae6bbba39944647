/**
 * Where each piece of information lives in the record's OWN format: what a data centre must add, and where, to meet
 * an indicator it misses. One table, read by the MQA and F-UJI assessments (mqa.ts, fuji.ts) and the reports.
 *
 * Paths: ISO element paths in the record's encoding (19139 `gmd:`, 19115-3 `mdb:`/`mri:`/`cit:`...), STAC fields (a
 * collection's; an item's own are said in the text), OZCAR pivot JSON Pointers from the dataset (`/metadata/...`) or
 * the file (`/producer`), Dublin Core elements of a csw:Record (`dc:`, `dct:`, `ows:`), DCAT-AP properties of a DCAT
 * dataset (`dct:`, `dcat:`; a distribution's under `dcat:distribution/dcat:Distribution`), resto 2's JSON properties
 * (a product's GeoJSON `properties.*` and `geometry`; a collection's `osDescription.*`, said in the text), the elements
 * of an OpenSearch (EO) Atom entry (`atom:`, `dc:`, `georss:`, `media:`). Each names what the crosswalk reads
 * (mappings/resto/ for the last two): a field the format has but the hub does not read is said so, not invented.
 */

/** The families of source formats a fix is written for. */
export type FormatFamily = 'iso19139' | 'iso19115-3' | 'stac' | 'ozcar' | 'dc' | 'dcat' | 'resto' | 'opensearch';
export const FORMAT_FAMILIES: readonly FormatFamily[] = ['iso19139', 'iso19115-3', 'stac', 'ozcar', 'dc', 'dcat', 'resto', 'opensearch'];

/** The family of a record's `isPrimaryTopicOf.sourceFormat` (iso19115-2 is written in the 19139 encoding). */
export function formatFamily(sourceFormat: string): FormatFamily {
  if (sourceFormat === 'iso19115-3') return 'iso19115-3';
  if (sourceFormat.startsWith('iso')) return 'iso19139';
  if (sourceFormat.startsWith('stac')) return 'stac';
  if (sourceFormat === 'csw-record') return 'dc';
  if (sourceFormat === 'dcat') return 'dcat';
  // resto 2 collections and products (resto 6+ answers STAC, mapped as STAC); OpenSearch Atom entries
  if (sourceFormat === 'resto-collection' || sourceFormat === 'resto-product') return 'resto';
  if (sourceFormat === 'opensearch-entry') return 'opensearch';
  return 'ozcar';
}

export type Field =
  | 'title'
  | 'description'
  | 'keyword'
  | 'theme'
  | 'spatial'
  | 'temporal'
  | 'accessURL'
  | 'downloadURL'
  | 'format'
  | 'mediaType'
  | 'license'
  | 'accessRights'
  | 'contactPoint'
  | 'publisher'
  | 'creator'
  | 'rights'
  | 'byteSize'
  | 'issued'
  | 'modified'
  | 'identifier'
  | 'resourceType'
  | 'landingPage'
  | 'relation'
  | 'variableMeasured'
  | 'provenance';

const G = 'gmd:identificationInfo/*';
const M = 'mdb:identificationInfo/*';
const GD = 'gmd:distributionInfo/*';
const MD = 'mdb:distributionInfo/*';
/** A field not expressible in the format: what to do instead. */
const NONE = (what: string) => `(no ${what} field in this format)`;
/** A field the format has but the hub's crosswalk does not read: nothing to add there. */
const UNREAD = (what: string) => `(the hub reads no ${what} from this format)`;
/** A resto collection's osDescription (per language, or one). */
const OS = 'osDescription';
/** A resto product's services. */
const RS = 'properties.services';

const WHERE: Record<Field, Record<FormatFamily, string>> = {
  title: {
    iso19139: `${G}/gmd:citation/*/gmd:title`,
    'iso19115-3': `${M}/mri:citation/*/cit:title`,
    stac: 'title',
    ozcar: '/metadata/title',
    dc: 'dc:title',
    dcat: 'dct:title',
    resto: `properties.title (a collection: ${OS}.LongName, else ${OS}.ShortName)`,
    opensearch: 'atom:title',
  },
  description: {
    iso19139: `${G}/gmd:abstract`,
    'iso19115-3': `${M}/mri:abstract`,
    stac: 'description',
    ozcar: '/metadata/description',
    dc: 'dct:abstract (or dc:description)',
    dcat: 'dct:description',
    resto: `properties.description (a collection: ${OS}.Description)`,
    opensearch: 'atom:summary (or atom:content)',
  },
  keyword: {
    iso19139: `${G}/gmd:descriptiveKeywords/*/gmd:keyword`,
    'iso19115-3': `${M}/mri:descriptiveKeywords/*/mri:keyword`,
    stac: 'keywords',
    ozcar: '/metadata/keywords',
    dc: 'dc:subject',
    dcat: 'dcat:keyword',
    resto: `properties.keywords (a collection: ${OS}.Tags)`,
    opensearch: 'atom:category (its term or label)',
  },
  theme: {
    iso19139: `${G}/gmd:descriptiveKeywords/*/gmd:keyword/gmx:Anchor (with gmd:thesaurusName, e.g. GEMET - INSPIRE themes)`,
    'iso19115-3': `${M}/mri:descriptiveKeywords/*/mri:keyword/gcx:Anchor (with mri:thesaurusName)`,
    stac: 'themes (themes extension) or keywords naming an INSPIRE theme',
    ozcar: '/metadata/inspireTheme, /metadata/keywords/*/uri',
    dc: 'dc:subject with a scheme, its value a concept IRI',
    dcat: 'dcat:theme (a concept IRI, e.g. of the INSPIRE themes or the EU data themes)',
    resto: NONE('theme'),
    opensearch: NONE('theme'),
  },
  spatial: {
    iso19139: `${G}/gmd:extent/*/gmd:geographicElement/gmd:EX_GeographicBoundingBox`,
    'iso19115-3': `${M}/mri:extent/*/gex:geographicElement/gex:EX_GeographicBoundingBox`,
    stac: 'extent.spatial.bbox (an item: bbox and geometry)',
    ozcar: '/metadata/spatialExtent',
    dc: 'ows:BoundingBox, ows:WGS84BoundingBox, dct:spatial',
    dcat: 'dct:spatial (a dct:Location with dcat:bbox, or a place IRI)',
    resto: 'geometry (a collection has no extent field: its products have one)',
    opensearch: 'georss:box, georss:polygon (or georss:where/gml:Envelope)',
  },
  temporal: {
    iso19139: `${G}/gmd:extent/*/gmd:temporalElement/*/gmd:extent/gml:TimePeriod`,
    'iso19115-3': `${M}/mri:extent/*/gex:temporalElement/*/gex:extent/gml:TimePeriod`,
    stac: 'extent.temporal.interval (an item: properties.datetime or start_datetime / end_datetime)',
    ozcar: '/observations/*/temporalExtent',
    dc: 'dct:temporal',
    dcat: 'dct:temporal (a dct:PeriodOfTime with dcat:startDate, dcat:endDate)',
    resto: 'properties.startDate, properties.completionDate (a collection has no extent field: its products have one)',
    opensearch: 'dc:date (an instant, or start/end)',
  },
  accessURL: {
    iso19139: `${GD}/gmd:transferOptions/*/gmd:onLine/*/gmd:linkage`,
    'iso19115-3': `${MD}/mrd:transferOptions/*/mrd:onLine/*/cit:linkage`,
    stac: 'assets.*.href, links',
    ozcar: '/metadata/onlineResource/urlDownload, /metadata/onlineResource/webservices/*/url',
    dc: 'dct:references',
    dcat: 'dcat:distribution/dcat:Distribution/dcat:accessURL',
    resto: `${RS}.download.url, ${RS}.browse.layer.url`,
    opensearch: 'atom:link with rel "enclosure"',
  },
  downloadURL: {
    iso19139: `${GD}/gmd:transferOptions/*/gmd:onLine/*/gmd:linkage with gmd:function "download" or gmd:protocol WWW:DOWNLOAD-1.0-http--download`,
    'iso19115-3': `${MD}/mrd:transferOptions/*/mrd:onLine/*/cit:linkage with cit:function "download"`,
    stac: 'assets.*.href with roles ["data"]',
    ozcar: '/metadata/onlineResource/urlDownload',
    dc: 'dct:references with a download scheme (WWW:DOWNLOAD...)',
    dcat: 'dcat:distribution/dcat:Distribution/dcat:downloadURL',
    resto: `${RS}.download.url`,
    opensearch: 'atom:link with rel "enclosure"',
  },
  format: {
    iso19139: `${GD}/gmd:distributionFormat/*/gmd:name`,
    'iso19115-3': `${MD}/mrd:distributionFormat/*/mrd:formatSpecificationCitation/*/cit:title`,
    stac: 'assets.*.type',
    ozcar: NONE('file format'),
    dc: 'dc:format',
    dcat: 'dcat:distribution/dcat:Distribution/dct:format',
    resto: `(no file format field in this format: ${RS}.download.mimeType gives the media type)`,
    opensearch: UNREAD('file format'),
  },
  mediaType: {
    iso19139: `${GD}/gmd:distributionFormat/*/gmd:name (a media type such as text/csv, or gmx:MimeFileType)`,
    'iso19115-3': `${MD}/mrd:distributionFormat/*/mrd:formatSpecificationCitation/*/cit:title (a media type such as text/csv)`,
    stac: 'assets.*.type (a media type such as image/tiff; application=geotiff)',
    ozcar: NONE('media type'),
    dc: 'dc:format (a media type)',
    dcat: 'dcat:distribution/dcat:Distribution/dcat:mediaType',
    resto: `${RS}.download.mimeType`,
    opensearch: UNREAD('media type'),
  },
  license: {
    iso19139: `${G}/gmd:resourceConstraints/gmd:MD_LegalConstraints/gmd:otherConstraints/gmx:Anchor (the licence's URL, e.g. https://creativecommons.org/licenses/by/4.0/)`,
    'iso19115-3': `${M}/mri:resourceConstraints/mco:MD_LegalConstraints/mco:reference/*/cit:onlineResource (the licence's URL)`,
    stac: 'license (an SPDX id such as CC-BY-4.0)',
    ozcar: '/metadata/dataConstraint/licence (title and url)',
    dc: 'dct:license',
    dcat: 'dct:license (on the dataset or its distributions)',
    resto: "properties.license (a collection: license), its description's url and shortName",
    opensearch: '(no licence field in this format: dc:rights is read as a rights statement)',
  },
  accessRights: {
    iso19139: `${G}/gmd:resourceConstraints/gmd:MD_LegalConstraints/gmd:otherConstraints/gmx:Anchor (INSPIRE LimitationsOnPublicAccess, e.g. .../noLimitations)`,
    'iso19115-3': `${M}/mri:resourceConstraints/mco:MD_LegalConstraints/mco:otherConstraints/gcx:Anchor (INSPIRE LimitationsOnPublicAccess)`,
    stac: NONE('access rights'),
    ozcar: '/metadata/dataConstraint/accessUseConstraint (or /metadata/dataConstraint/embargo)',
    dc: 'dct:accessRights',
    dcat: 'dct:accessRights',
    resto: 'status "public" of the collection (a product has no access rights field)',
    opensearch: NONE('access rights'),
  },
  contactPoint: {
    iso19139: `${G}/gmd:pointOfContact/gmd:CI_ResponsibleParty (with an e-mail address)`,
    'iso19115-3': `${M}/mri:pointOfContact/cit:CI_Responsibility`,
    stac: 'providers (contacts extension: contacts)',
    ozcar: '/metadata/contacts',
    dc: NONE('contact point'),
    dcat: 'dcat:contactPoint (a vcard:Kind)',
    resto: `${OS}.Contact (an e-mail) and ${OS}.Developer of the collection (a product has no contact field)`,
    opensearch: NONE('contact point'),
  },
  publisher: {
    iso19139: `${G}/gmd:citation/*/gmd:citedResponsibleParty with gmd:role "publisher"`,
    'iso19115-3': `${M}/mri:citation/*/cit:citedResponsibleParty with cit:role "publisher"`,
    stac: 'providers with roles ["host"]',
    ozcar: '/producer',
    dc: 'dc:publisher',
    dcat: 'dct:publisher (a foaf:Agent with foaf:name)',
    resto: 'properties.organisationName (a collection has no publisher field)',
    opensearch: 'atom:author/atom:name',
  },
  creator: {
    iso19139: `${G}/gmd:citation/*/gmd:citedResponsibleParty with gmd:role "author" or "originator"`,
    'iso19115-3': `${M}/mri:citation/*/cit:citedResponsibleParty with cit:role "author" or "originator"`,
    stac: 'providers with roles ["producer"]',
    ozcar: '/metadata/contacts (role principalInvestigator or dataCollector)',
    dc: 'dc:creator',
    dcat: 'dct:creator',
    resto: NONE('creator'),
    opensearch: UNREAD('creator'),
  },
  rights: {
    iso19139: `${G}/gmd:resourceConstraints/*/gmd:useLimitation`,
    'iso19115-3': `${M}/mri:resourceConstraints/*/mco:useLimitation`,
    stac: 'links with rel "license"',
    ozcar: '/metadata/dataConstraint/accessUseConstraint',
    dc: 'dc:rights',
    dcat: 'dct:rights',
    resto: `${OS}.Attribution of the collection (a product has no rights field)`,
    opensearch: 'dc:rights',
  },
  byteSize: {
    iso19139: `${GD}/gmd:transferOptions/*/gmd:transferSize (MB)`,
    'iso19115-3': `${MD}/mrd:transferOptions/*/mrd:transferSize (MB)`,
    stac: 'assets.*.file:size (file extension)',
    ozcar: NONE('file size'),
    dc: NONE('file size'),
    dcat: 'dcat:distribution/dcat:Distribution/dcat:byteSize',
    resto: `${RS}.download.size`,
    opensearch: 'atom:link with rel "enclosure": its length',
  },
  issued: {
    iso19139: `${G}/gmd:citation/*/gmd:date with gmd:dateType "publication"`,
    'iso19115-3': `${M}/mri:citation/*/cit:date with cit:dateType "publication"`,
    stac: 'published (timestamps extension)',
    ozcar: NONE('publication date'),
    dc: 'dct:issued (or dc:date)',
    dcat: 'dct:issued',
    resto: 'properties.published (a collection has no publication date field)',
    opensearch: 'atom:published',
  },
  modified: {
    iso19139: `${G}/gmd:citation/*/gmd:date with gmd:dateType "revision"`,
    'iso19115-3': `${M}/mri:citation/*/cit:date with cit:dateType "revision"`,
    stac: "(no STAC field: updated and created date the STAC document, read as the metadata's dates)",
    ozcar: NONE('modification date'),
    dc: 'dct:modified',
    dcat: 'dct:modified',
    resto: 'properties.updated (a collection has no modification date field)',
    opensearch: 'atom:updated',
  },
  identifier: {
    iso19139: `${G}/gmd:citation/*/gmd:identifier/*/gmd:code (a DOI, e.g. https://doi.org/10.xxxx/yyyy)`,
    'iso19115-3': `${M}/mri:citation/*/cit:identifier/*/mcc:code (a DOI)`,
    stac: 'sci:doi (scientific extension)',
    ozcar: '/metadata/onlineResource/doi',
    dc: 'dc:identifier',
    dcat: 'dct:identifier, adms:identifier',
    resto: 'properties.productIdentifier (a collection: name), e.g. a DOI',
    opensearch: 'dc:identifier (else atom:id), e.g. a DOI',
  },
  resourceType: {
    iso19139: 'gmd:hierarchyLevel',
    'iso19115-3': 'mdb:metadataScope/*/mdb:resourceScope',
    stac: 'type',
    ozcar: '(always a dataset)',
    dc: 'dc:type',
    dcat: 'dct:type',
    resto: '(always a dataset)',
    opensearch: '(always a dataset)',
  },
  landingPage: {
    iso19139: `${GD}/gmd:transferOptions/*/gmd:onLine/*/gmd:linkage with gmd:function "information"`,
    'iso19115-3': `${MD}/mrd:transferOptions/*/mrd:onLine/*/cit:linkage with cit:function "information"`,
    stac: 'links with rel "about" or "describedby"',
    ozcar: '/metadata/onlineResource/urlInfo',
    dc: 'dct:references',
    dcat: 'dcat:landingPage',
    resto: 'properties.links with rel "alternate" and an HTML type',
    opensearch: UNREAD('landing page'),
  },
  relation: {
    iso19139: `${G}/gmd:aggregationInfo (or gmd:parentIdentifier)`,
    'iso19115-3': `${M}/mri:associatedResource (or mdb:parentMetadata)`,
    stac: 'links with rel "related", "cite-as", "derived_from", "latest-version", "predecessor-version" or "successor-version"; sci:publications',
    ozcar: '/metadata/documents, /producer/onlineResource/doi',
    dc: 'dc:relation, dc:source',
    dcat: 'dct:relation, dct:isPartOf, dcat:inSeries, dct:isReferencedBy, dcat:hasVersion, dcat:previousVersion, dct:isReplacedBy',
    resto: 'properties.collection (the collection a product is part of)',
    opensearch: '(the collection it was found in)',
  },
  variableMeasured: {
    iso19139: 'gmd:contentInfo/gmd:MD_CoverageDescription/gmd:dimension',
    'iso19115-3': 'mdb:contentInfo/mrc:MD_CoverageDescription/mrc:attributeGroup',
    stac: 'eo:bands, cube:variables',
    ozcar: '/observations/*/observedProperty',
    dc: NONE('variable'),
    dcat: '(no variable field in DCAT-AP: a dcat:keyword or dcat:theme)',
    resto: NONE('variable'),
    opensearch: NONE('variable'),
  },
  provenance: {
    iso19139: 'gmd:dataQualityInfo/*/gmd:lineage/*/gmd:statement',
    'iso19115-3': 'mdb:resourceLineage/*/mrl:statement',
    stac: 'processing:lineage (processing extension)',
    ozcar: '/metadata/datasetLineage',
    dc: NONE('lineage'),
    dcat: 'dct:provenance',
    resto: NONE('lineage'),
    opensearch: NONE('lineage'),
  },
};

/** Where `field` goes in the record's own format. */
export function whereIn(family: FormatFamily, field: Field): string {
  return WHERE[field][family];
}

/** Where a DCAT-AP mandatory property (schemas/dcat-gaps.ts) goes in the record's own format. */
export function gapWhere(family: FormatFamily, property: string): string {
  const field: Field | undefined = (
    {
      'dct:title': 'title',
      'dct:description': 'description',
      'dcat:accessURL': 'accessURL',
      'dcat:endpointURL': 'accessURL',
      'foaf:name': 'publisher',
      'dct:modified': 'modified',
    } as Record<string, Field>
  )[property];
  return field ? whereIn(family, field) : property;
}

/** Record members that no indicator asks for, where they come from in each format (for warnings about them). */
const MORE_WHERE: Record<string, Record<FormatFamily, string>> = {
  depiction: {
    iso19139: `${G}/gmd:graphicOverview/*/gmd:fileName`,
    'iso19115-3': `${M}/mri:graphicOverview/*/mcc:fileName`,
    stac: 'assets.*.href with roles ["thumbnail"] or ["overview"]',
    ozcar: NONE('picture'),
    dc: 'dct:references with a thumbnail scheme',
    dcat: 'foaf:depiction',
    resto: 'properties.quicklook, properties.thumbnail',
    opensearch: 'media:group/media:content (category QUICKLOOK or THUMBNAIL), atom:link with rel "quicklook", "thumbnail" or "icon"',
  },
  conformsTo: {
    iso19139: 'gmd:referenceSystemInfo/*/gmd:referenceSystemIdentifier/*/gmd:code',
    'iso19115-3': 'mdb:referenceSystemInfo/*/mrs:referenceSystemIdentifier/*/mcc:code',
    stac: 'proj:epsg, proj:code',
    ozcar: NONE('reference system'),
    dc: NONE('reference system'),
    dcat: 'dct:conformsTo (a reference system IRI)',
    resto: NONE('reference system'),
    opensearch: NONE('reference system'),
  },
  endpointURL: {
    iso19139: `${G}/srv:containsOperations/*/srv:connectPoint/*/gmd:linkage`,
    'iso19115-3': `${M}/srv:containsOperations/*/srv:connectPoint/*/cit:linkage`,
    stac: 'links',
    ozcar: '/metadata/onlineResource/webservices/*/url',
    dc: 'dct:references',
    dcat: 'dcat:accessService/dcat:DataService/dcat:endpointURL',
    resto: `${RS}.browse.layer.url`,
    opensearch: UNREAD('service endpoint'),
  },
  qualifiedAttribution: {
    iso19139: `${G}/gmd:citation/*/gmd:citedResponsibleParty, ${G}/gmd:pointOfContact`,
    'iso19115-3': `${M}/mri:citation/*/cit:citedResponsibleParty, ${M}/mri:pointOfContact`,
    stac: 'providers',
    ozcar: '/metadata/contacts, /producer/contacts',
    dc: 'dc:contributor',
    dcat: "prov:qualifiedAttribution (with dcat:hadRole), or GeoDCAT-AP's role properties",
    resto: NONE('responsible party role'),
    opensearch: NONE('responsible party role'),
  },
  funder: {
    iso19139: `${G}/gmd:citation/*/gmd:citedResponsibleParty with gmd:role "funder"`,
    'iso19115-3': `${M}/mri:citation/*/cit:citedResponsibleParty with cit:role "funder"`,
    stac: NONE('funder'),
    ozcar: '/producer/fundings',
    dc: NONE('funder'),
    dcat: 'prov:qualifiedAttribution with the role funder',
    resto: NONE('funder'),
    opensearch: NONE('funder'),
  },
};
MORE_WHERE.page = {
  iso19139: `${GD}/gmd:transferOptions/*/gmd:onLine/*/gmd:linkage with gmd:function "completeMetadata"`,
  'iso19115-3': `${MD}/mrd:transferOptions/*/mrd:onLine/*/cit:linkage with cit:function "completeMetadata"`,
  stac: 'links with rel "about", "describedby", "via" or "documentation"',
  ozcar: '/metadata/documents',
  dc: 'dct:references',
  dcat: 'foaf:page',
  resto: NONE('documentation page'),
  opensearch: NONE('documentation page'),
};
MORE_WHERE.endpointDescription = MORE_WHERE.endpointURL;
MORE_WHERE.rightsHolder = MORE_WHERE.qualifiedAttribution;

/** The record members (and members of a distribution) that are a Field of the table above. */
const MEMBER_FIELD: Record<string, Field> = {
  title: 'title',
  description: 'description',
  keyword: 'keyword',
  theme: 'theme',
  subject: 'theme',
  spatial: 'spatial',
  temporal: 'temporal',
  license: 'license',
  accessRights: 'accessRights',
  contactPoint: 'contactPoint',
  publisher: 'publisher',
  creator: 'creator',
  rights: 'rights',
  issued: 'issued',
  modified: 'modified',
  otherIdentifier: 'identifier',
  resourceType: 'resourceType',
  landingPage: 'landingPage',
  relation: 'relation',
  isPartOf: 'relation',
  inSeries: 'relation',
  seriesMember: 'relation',
  isReferencedBy: 'relation',
  hasVersion: 'relation',
  isVersionOf: 'relation',
  hasCurrentVersion: 'relation',
  previousVersion: 'relation',
  replaces: 'relation',
  isReplacedBy: 'relation',
  variableMeasured: 'variableMeasured',
  provenance: 'provenance',
  distribution: 'accessURL',
  accessURL: 'accessURL',
  downloadURL: 'downloadURL',
  format: 'format',
  mediaType: 'mediaType',
  byteSize: 'byteSize',
};

/**
 * Where the value at a JSON Pointer of the normalised record (`/creator/0/memberOf/homepage`) comes from in the
 * record's own format: what a warning about that value names, so that a data centre finds it in its feed. The member
 * of a distribution says more than the distribution (`/distribution/0/license/@id`: the licence); a member this table
 * does not know is named as the record's JSON Pointer.
 */
export function recordWhere(family: FormatFamily, pointer: string): string {
  const [top, , member] = pointer.split('/').slice(1);
  const field = (top === 'distribution' && member && MEMBER_FIELD[member]) || MEMBER_FIELD[top];
  if (field) return whereIn(family, field);
  return MORE_WHERE[top]?.[family] ?? `(the hub record's ${pointer})`;
}
