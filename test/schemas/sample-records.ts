/**
 * Hand-built HubRecords for the schema, JSON-LD, index-doc and index tests.
 * `fullRecord()` fills EVERY field of HubRecord, with the values of the first dataset of the real OZCAR CRYO fixture
 * (title, description, lineage, contacts, licence, DOI, polygon, observed property, period) where one exists.
 */
import { sha256 } from '../../core/hash.js';
import { readJson, sharedFixture } from '../../schemas/paths.js';
import { hubId, recordIri, type HubRecord, type RecordType } from '../../schemas/record.js';
import { DEPRECATED } from '../../mappings/stac/versions.js';

interface OzcarContact {
  firstName: string;
  lastName: string;
  email: string;
  role: string;
  organisation: { name: string; acronym: string; idScanR: string };
}
interface OzcarFile {
  producer: { producerId: string; title: string; email: string };
  datasets: {
    datasetId: string;
    metadata: {
      title: string;
      description: string;
      objective: string;
      datasetLineage: string;
      contacts: OzcarContact[];
      topicCategories: string[];
      inspireTheme: string;
      onlineResource: { urlDownload: string; urlInfo: string; doi: string };
      dataConstraint: { accessUseConstraint: string; urlDataPolicy: string; licence: { title: string; url: string } };
      spatialExtent: { geometry: { coordinates: number[][][]; type: string } };
    };
    observations: {
      observedProperty: { name: string; unit: string; theiaCategories: string[] };
      temporalExtent: { dateBeg: string; dateEnd: string };
      featureOfInterest: { samplingFeature: { name: string } };
      dataType: string;
    }[];
  }[];
}

export const CRYO = readJson<OzcarFile>(sharedFixture('ozcar', 'CRYO_en.json'));

/** WKT box of record.ts: POLYGON((w s,e s,e n,w n,w s)). */
export function bboxWkt(w: number, s: number, e: number, n: number): string {
  return `POLYGON((${w} ${s},${e} ${s},${e} ${n},${w} ${n},${w} ${s}))`;
}

/** Every field of HubRecord, from the first CRYO dataset. */
export function fullRecord(): HubRecord {
  const ds = CRYO.datasets[0];
  const md = ds.metadata;
  const ring = md.spatialExtent.geometry.coordinates[0];
  const xs = ring.map((p) => p[0]);
  const ys = ring.map((p) => p[1]);
  const obs = ds.observations[0];
  const pi = md.contacts[0];
  const source = 'ozcar-cryo';
  const doi = md.onlineResource.doi.replace(/^doi:/, '');
  const inspire = 'http://inspire.ec.europa.eu/theme/ef';
  return {
    '@id': recordIri(source, ds.datasetId),
    '@type': ['dcat:Dataset', 'schema:Dataset'],
    identifier: hubId(source, ds.datasetId),
    otherIdentifier: [{ '@type': 'adms:Identifier', notation: doi, schemaAgency: 'doi' }],
    title: { en: md.title, fr: 'Évolution des glaciers : bilan de masse du glacier d’Argentière' },
    description: { en: md.description },
    alternative: { en: ['Argentière mass balance'], fr: ['Bilan de masse d’Argentière', 'GLACIOCLIM Argentière'] },
    keyword: { en: [...md.topicCategories, obs.observedProperty.name] },
    theme: [
      {
        '@id': inspire,
        '@type': 'skos:Concept',
        prefLabel: { en: md.inspireTheme },
        inScheme: {
          '@id': 'http://inspire.ec.europa.eu/theme',
          '@type': 'skos:ConceptScheme',
          title: { en: 'GEMET - INSPIRE themes, version 1.0' },
          issued: { '@value': '2008-06-01', '@type': 'xsd:date' },
        },
      },
      { '@id': obs.observedProperty.theiaCategories[0], '@type': 'skos:Concept', prefLabel: { en: 'Glaciers and ice sheets' } },
    ],
    subject: [
      {
        '@id': 'http://inspire.ec.europa.eu/metadata-codelist/TopicCategory/climatologyMeteorologyAtmosphere',
        '@type': 'skos:Concept',
        notation: 'climatologyMeteorologyAtmosphere',
        prefLabel: { en: md.topicCategories[0] },
      },
    ],
    resourceType: [
      {
        '@id': 'http://inspire.ec.europa.eu/metadata-codelist/ResourceType/dataset',
        '@type': 'skos:Concept',
        prefLabel: { en: 'Spatial data set' },
        notation: 'dataset',
        inScheme: {
          '@id': 'http://inspire.ec.europa.eu/metadata-codelist/ResourceType',
          '@type': 'skos:ConceptScheme',
          title: { en: 'Resource type' },
        },
      },
    ],
    spatial: [
      {
        '@id': 'https://sws.geonames.org/3037919/',
        '@type': 'dct:Location',
        bbox: { '@value': bboxWkt(Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)), '@type': 'gsp:wktLiteral' },
        geometry: { '@value': JSON.stringify(md.spatialExtent.geometry), '@type': 'gsp:geoJSONLiteral' },
        prefLabel: { en: 'Argentière glacier' },
      },
    ],
    temporal: [
      {
        '@type': 'dct:PeriodOfTime',
        startDate: { '@value': obs.temporalExtent.dateBeg.slice(0, 10), '@type': 'xsd:date' },
        endDate: { '@value': obs.temporalExtent.dateEnd.slice(0, 10), '@type': 'xsd:date' },
      },
    ],
    issued: { '@value': '2016', '@type': 'xsd:gYear' },
    modified: { '@value': '2019-03', '@type': 'xsd:gYearMonth' },
    created: { '@value': obs.temporalExtent.dateBeg.replace(/Z$/, '+00:00'), '@type': 'xsd:dateTime' },
    language: [{ '@id': 'http://publications.europa.eu/resource/authority/language/ENG', '@type': 'dct:LinguisticSystem' }],
    publisher: {
      '@id': 'https://ror.org/02feahw73',
      '@type': ['foaf:Organization', 'foaf:Agent'],
      name: { en: CRYO.producer.title },
      mbox: `mailto:${CRYO.producer.email}`,
    },
    creator: [
      {
        '@type': ['foaf:Person', 'foaf:Agent'],
        name: { '@none': `${pi.firstName} ${pi.lastName}` },
        mbox: `mailto:${pi.email}`,
        identifier: ['https://orcid.org/0000-0002-1825-0097'],
        memberOf: {
          '@type': ['foaf:Organization', 'foaf:Agent'],
          name: { fr: pi.organisation.name },
          identifier: [pi.organisation.idScanR],
        },
      },
    ],
    rightsHolder: [
      { '@type': ['foaf:Organization', 'foaf:Agent'], name: { en: CRYO.producer.title }, homepage: md.onlineResource.urlInfo },
    ],
    contactPoint: [
      {
        '@id': 'https://orcid.org/0000-0002-1825-0097#contact',
        '@type': ['vcard:Individual', 'vcard:Kind'],
        fn: `${pi.firstName} ${pi.lastName}`,
        organizationName: pi.organisation.name,
        hasEmail: `mailto:${pi.email}`,
        hasURL: md.onlineResource.urlInfo,
        hasTelephone: 'tel:+33476824200',
        note: '54 rue Molière, 38400 Saint-Martin-d’Hères, France',
        hasUID: 'https://orcid.org/0000-0002-1825-0097',
      },
    ],
    qualifiedAttribution: md.contacts.map((c) => ({
      '@type': 'prov:Attribution' as const,
      agent: {
        '@type': ['foaf:Person', 'foaf:Agent'] as ['foaf:Person', 'foaf:Agent'],
        name: { '@none': `${c.firstName} ${c.lastName}` },
        mbox: `mailto:${c.email}`,
      },
      hadRole:
        c.role === 'Principal investigator'
          ? 'http://inspire.ec.europa.eu/metadata-codelist/ResponsiblePartyRole/principalInvestigator'
          : 'http://inspire.ec.europa.eu/metadata-codelist/ResponsiblePartyRole/custodian',
    })),
    funder: [{ '@type': ['foaf:Organization', 'foaf:Agent'], name: { en: 'Centre National de la Recherche Scientifique' } }],
    distribution: [
      {
        '@id': recordIri(source, ds.datasetId) + '#download',
        '@type': 'dcat:Distribution',
        accessURL: md.onlineResource.urlInfo,
        downloadURL: md.onlineResource.urlDownload,
        title: { en: 'Download' },
        description: { en: 'Mass balance time series, text files' },
        format: {
          '@id': 'http://publications.europa.eu/resource/authority/file-type/TXT',
          '@type': 'dct:MediaTypeOrExtent',
          label: { en: 'TXT' },
        },
        mediaType: { '@id': 'https://www.iana.org/assignments/media-types/text/plain', '@type': 'dct:MediaType' },
        license: { '@id': md.dataConstraint.licence.url, '@type': 'dct:LicenseDocument', label: { en: md.dataConstraint.licence.title } },
        rights: { '@type': 'dct:RightsStatement', label: { en: md.dataConstraint.accessUseConstraint } },
        conformsTo: [{ '@id': 'http://www.opengis.net/def/serviceType/ogc/wfs', '@type': 'dct:Standard' }],
        protocol: 'WWW:DOWNLOAD-1.0-http--download',
        function: 'download',
        byteSize: 123456,
        checksum: {
          '@type': 'spdx:Checksum',
          algorithm: { '@id': 'http://spdx.org/rdf/terms#checksumAlgorithm_sha256', '@type': 'spdx:ChecksumAlgorithm' },
          checksumValue: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
        },
        issued: { '@value': '2019-03-01', '@type': 'xsd:date' },
        modified: { '@value': '2021-11-15T08:00:00Z', '@type': 'xsd:dateTime' },
        language: [{ '@id': 'http://publications.europa.eu/resource/authority/language/ENG', '@type': 'dct:LinguisticSystem' }],
        page: [{ '@id': 'https://glacioclim.osug.fr/Bilans-de-masse', '@type': 'foaf:Document' }],
        status: {
          '@id': 'http://publications.europa.eu/resource/authority/distribution-status/COMPLETED',
          '@type': 'skos:Concept',
          prefLabel: { en: 'completed', fr: 'achevé' },
        },
        availability: {
          '@id': 'http://publications.europa.eu/resource/authority/planned-availability/STABLE',
          '@type': 'skos:Concept',
          prefLabel: { en: 'stable', fr: 'stable' },
        },
        compressFormat: { '@id': 'https://www.iana.org/assignments/media-types/application/gzip', '@type': 'dct:MediaType' },
        packageFormat: { '@id': 'https://www.iana.org/assignments/media-types/application/x-tar', '@type': 'dct:MediaType' },
        spatialResolutionInMeters: '30',
        temporalResolution: 'P1D',
      },
    ],
    license: [{ '@id': md.dataConstraint.licence.url, '@type': 'dct:LicenseDocument', label: { en: md.dataConstraint.licence.title } }],
    accessRights: {
      '@id': 'http://publications.europa.eu/resource/authority/access-right/PUBLIC',
      '@type': 'dct:RightsStatement',
      label: { en: 'public' },
    },
    rights: [{ '@type': 'dct:RightsStatement', label: { en: md.dataConstraint.accessUseConstraint } }],
    provenance: [{ '@type': 'dct:ProvenanceStatement', label: { en: md.datasetLineage } }],
    conformsTo: [{ '@id': 'http://www.opengis.net/def/crs/EPSG/0/4326', '@type': 'dct:Standard' }],
    conformity: [
      {
        '@type': 'hub:ConformityResult',
        specification: {
          '@id': 'http://data.europa.eu/eli/reg/2010/1089',
          title: { en: 'COMMISSION REGULATION (EU) No 1089/2010' },
          issued: { '@value': '2010-12-08', '@type': 'xsd:date' },
        },
        pass: false,
        explanation: { en: 'Not evaluated against the implementing rules' },
      },
    ],
    applicableLegislation: [{ '@id': 'http://data.europa.eu/eli/dir/2007/2/oj', '@type': 'eli:LegalResource' }],
    spatialResolutionInMeters: '25',
    spatialResolutionAsText: ['1:25000', '100 m'],
    temporalResolution: 'P1Y',
    accrualPeriodicity: { '@id': 'http://publications.europa.eu/resource/authority/frequency/ANNUAL', '@type': 'dct:Frequency' },
    depiction: ['http://data.cryobsclim.fr/resources/argentiere.png'],
    landingPage: [{ '@id': md.onlineResource.urlInfo, '@type': 'foaf:Document' }],
    page: [{ '@id': md.dataConstraint.urlDataPolicy, '@type': 'foaf:Document' }],
    isPartOf: [recordIri(source, CRYO.producer.producerId)],
    inSeries: [recordIri(source, `${CRYO.producer.producerId}-series`)],
    seriesMember: [recordIri(source, CRYO.datasets[2].datasetId)],
    relation: [`https://doi.org/${doi}`],
    isReferencedBy: ['https://doi.org/10.5194/tc-11-1-2017'],
    version: '1.0',
    versionNotes: { en: 'Mass balance of 2016 added' },
    hasVersion: [recordIri(source, `${ds.datasetId}-2017`)],
    isVersionOf: [recordIri(source, `${CRYO.producer.producerId}-argentiere`)],
    hasCurrentVersion: [recordIri(source, `${ds.datasetId}-2017`)],
    previousVersion: [recordIri(source, `${ds.datasetId}-2015`)],
    replaces: [recordIri(source, `${ds.datasetId}-2015`)],
    isReplacedBy: [recordIri(source, `${ds.datasetId}-2017`)],
    status: DEPRECATED,
    bibliographicCitation: `${pi.lastName}, ${pi.firstName[0]}. (2016). ${md.title}. https://doi.org/${doi}`,
    servesDataset: [recordIri(source, CRYO.datasets[1].datasetId)],
    endpointURL: [md.onlineResource.urlDownload],
    endpointDescription: ['http://data.cryobsclim.fr/main.jsf'],
    variableMeasured: [
      {
        '@type': 'schema:PropertyValue',
        name: { en: obs.observedProperty.name },
        description: { en: md.description },
        unitText: obs.observedProperty.unit,
        propertyID: obs.observedProperty.theiaCategories[0],
      },
    ],
    platform: ['Wood Stake'],
    instrument: ['Mass balance system'],
    processingLevel: ['L2'],
    dataType: [obs.dataType],
    samplingFeature: [obs.featureOfInterest.samplingFeature.name],
    gsd: [0.5],
    embargoEndDate: { '@value': '2017-01-01', '@type': 'xsd:date' },
    dataPolicy: { en: md.dataConstraint.urlDataPolicy },
    granuleCount: ds.observations.length,
    isPrimaryTopicOf: {
      '@id': recordIri(source, ds.datasetId) + '#record',
      '@type': 'dcat:CatalogRecord',
      identifier: ds.datasetId,
      modified: { '@value': '2020-06-15', '@type': 'xsd:date' },
      language: [{ '@id': 'http://publications.europa.eu/resource/authority/language/ENG', '@type': 'dct:LinguisticSystem' }],
      conformsTo: { '@id': 'https://w3id.org/ozcar-theia/pivot/1.0', '@type': 'dct:Standard' },
      contactPoint: [
        {
          '@type': ['vcard:Organization', 'vcard:Kind'],
          fn: CRYO.producer.title,
          hasEmail: `mailto:${CRYO.producer.email}`,
        },
      ],
      sourceId: source,
      sourceFormat: 'ozcar-pivot-1.0',
      sourceUrl: 'file:///work/shared/fixtures/ozcar/CRYO_en.json',
      harvestedAt: { '@value': '2026-11-25T12:00:00Z', '@type': 'xsd:dateTime' },
      contentHash: sha256(JSON.stringify(ds)),
    },
  };
}

/**
 * The record as a later harvest of the same source record makes it: another harvest time, and the catalogue record's
 * `modified` moved with it when it was the harvest time (a source without a date stamp: the crosswalks write both).
 */
export function reharvested(r: HubRecord, at: string): HubRecord {
  const when = { '@value': at, '@type': 'xsd:dateTime' as const };
  const cr = r.isPrimaryTopicOf;
  const stamped = cr.modified['@value'] !== cr.harvestedAt['@value'] || cr.modified['@type'] !== cr.harvestedAt['@type'];
  return { ...r, isPrimaryTopicOf: { ...cr, ...(stamped ? {} : { modified: when }), harvestedAt: when } };
}

/** Options of `smallRecord`: the few fields the index tests vary. */
export interface SmallRecordOptions {
  source: string;
  id: string;
  title: Record<string, string>;
  description?: Record<string, string>;
  type?: RecordType;
  /** [w, s, e, n]; west > east crosses the antimeridian. */
  bbox?: [number, number, number, number];
  start?: { '@value': string; '@type': 'xsd:date' | 'xsd:dateTime' | 'xsd:gYear' | 'xsd:gYearMonth' };
  end?: { '@value': string; '@type': 'xsd:date' | 'xsd:dateTime' | 'xsd:gYear' | 'xsd:gYearMonth' };
  themes?: string[];
  keywords?: string[];
  /** Raw text the content hash is computed from (default: the title). */
  raw?: string;
}

/** A small valid record with only what `opts` asks for. */
export function smallRecord(opts: SmallRecordOptions): HubRecord {
  return {
    '@id': recordIri(opts.source, opts.id),
    '@type': opts.type ?? ['dcat:Dataset', 'schema:Dataset'],
    identifier: hubId(opts.source, opts.id),
    title: opts.title,
    ...(opts.description ? { description: opts.description } : {}),
    ...(opts.keywords ? { keyword: { en: opts.keywords } } : {}),
    ...(opts.themes
      ? {
          theme: opts.themes.map((t) => ({ '@id': t, '@type': 'skos:Concept' as const, prefLabel: { '@none': t.replace(/^.*[/#]/, '') } })),
        }
      : {}),
    ...(opts.bbox
      ? { spatial: [{ '@type': 'dct:Location' as const, bbox: { '@value': bboxWkt(...opts.bbox), '@type': 'gsp:wktLiteral' as const } }] }
      : {}),
    ...(opts.start || opts.end
      ? {
          temporal: [
            {
              '@type': 'dct:PeriodOfTime' as const,
              ...(opts.start ? { startDate: opts.start } : {}),
              ...(opts.end ? { endDate: opts.end } : {}),
            },
          ],
        }
      : {}),
    isPrimaryTopicOf: {
      '@type': 'dcat:CatalogRecord',
      identifier: opts.id,
      sourceId: opts.source,
      sourceFormat: 'test',
      modified: { '@value': '2026-11-25T12:00:00Z', '@type': 'xsd:dateTime' },
      harvestedAt: { '@value': '2026-11-25T12:00:00Z', '@type': 'xsd:dateTime' },
      contentHash: sha256(opts.raw ?? JSON.stringify(opts.title)),
    },
  };
}
