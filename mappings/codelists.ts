/**
 * The INSPIRE code lists the crosswalks point at (TopicCategory, ResourceType, SpatialDataServiceType), as DCAT-AP
 * wants them written: each term a skos:Concept with its English and French labels (skos:prefLabel) from the INSPIRE
 * registry, in its scheme with the scheme's title (the DCAT-AP shapes require both). A code of the ISO list the INSPIRE list does
 * not hold (a scope code such as "nonGeographicDataset") is labelled by its code: the ISO code list's own name for it.
 * Pure.
 */
import type { Concept, ConceptScheme } from '../schemas/record.js';
import { INSPIRE_CODELIST } from '../core/vocab.js';

/** Titles of the INSPIRE registry code lists, by code list name, in English and French. */
const SCHEME_TITLES: Record<string, { en: string; fr: string }> = {
  TopicCategory: { en: 'Topic category', fr: 'Catégorie thématique' },
  ResourceType: { en: 'Resource type', fr: 'Type de ressource' },
  SpatialDataServiceType: { en: 'Spatial data service type', fr: 'Type de service de données géographiques' },
};

/** English labels of the INSPIRE registry, by code list and code. */
const LABELS: Record<string, Record<string, string>> = {
  TopicCategory: {
    farming: 'Farming',
    biota: 'Biota',
    boundaries: 'Boundaries',
    climatologyMeteorologyAtmosphere: 'Climatology / meteorology / atmosphere',
    economy: 'Economy',
    elevation: 'Elevation',
    environment: 'Environment',
    geoscientificInformation: 'Geoscientific information',
    health: 'Health',
    imageryBaseMapsEarthCover: 'Imagery / base maps / earth cover',
    intelligenceMilitary: 'Intelligence / military',
    inlandWaters: 'Inland waters',
    location: 'Location',
    oceans: 'Oceans',
    planningCadastre: 'Planning / cadastre',
    society: 'Society',
    structure: 'Structure',
    transportation: 'Transportation',
    utilitiesCommunication: 'Utilities / communication',
    extraTerrestrial: 'Extra terrestrial',
    disaster: 'Disaster',
  },
  ResourceType: {
    dataset: 'Spatial data set',
    series: 'Spatial data set series',
    service: 'Spatial data service',
  },
  SpatialDataServiceType: {
    discovery: 'Discovery service',
    view: 'View service',
    download: 'Download service',
    transformation: 'Transformation service',
    invoke: 'Invoke spatial data service',
    other: 'Other service',
  },
};

/**
 * French labels, as the INSPIRE registry gives them (the French text of the INSPIRE metadata regulation, 1205/2008,
 * part D); the two topic categories ISO 19115-1 added (extraTerrestrial, disaster), which the registry does not hold,
 * have none.
 */
const LABELS_FR: Record<string, Record<string, string>> = {
  TopicCategory: {
    farming: 'Agriculture',
    biota: 'Biote',
    boundaries: 'Limites',
    climatologyMeteorologyAtmosphere: 'Climatologie / météorologie / atmosphère',
    economy: 'Économie',
    elevation: 'Altitude',
    environment: 'Environnement',
    geoscientificInformation: 'Informations géoscientifiques',
    health: 'Santé',
    imageryBaseMapsEarthCover: 'Imagerie / cartes de base / occupation des terres',
    intelligenceMilitary: 'Renseignement / secteur militaire',
    inlandWaters: 'Eaux intérieures',
    location: 'Localisation',
    oceans: 'Océans',
    planningCadastre: 'Planification / cadastre',
    society: 'Société',
    structure: 'Structure',
    transportation: 'Transport',
    utilitiesCommunication: 'Services d’utilité publique / communication',
  },
  ResourceType: {
    dataset: 'Série de données géographiques',
    series: 'Ensemble de séries de données géographiques',
    service: 'Service de données géographiques',
  },
  SpatialDataServiceType: {
    discovery: 'Service de recherche',
    view: 'Service de consultation',
    download: 'Service de téléchargement',
    transformation: 'Service de transformation',
    invoke: 'Service d’appel de service de données géographiques',
    other: 'Autre service',
  },
};

const SCHEMES = new Map<string, ConceptScheme>(
  Object.entries(SCHEME_TITLES).map(([list, title]) => [
    list,
    { '@id': INSPIRE_CODELIST + list, '@type': 'skos:ConceptScheme', title: { ...title } },
  ]),
);

/** The registry's labels of a code, in English and in French where it has one; undefined for a code it lacks. */
export function codeListLabels(list: string, code: string): { en: string; fr?: string } | undefined {
  const en = LABELS[list]?.[code];
  const fr = LABELS_FR[list]?.[code];
  return en ? { en, ...(fr ? { fr } : {}) } : undefined;
}

/** The INSPIRE code list scheme of a name ("TopicCategory"), with its title. */
export function inspireScheme(list: 'TopicCategory' | 'ResourceType' | 'SpatialDataServiceType'): ConceptScheme {
  return SCHEMES.get(list)!;
}

/** Titles of the known vocabularies (core/vocab.ts knownScheme names), for a thesaurus cited without a title. */
const KNOWN_TITLES: Record<string, string> = {
  'inspire-theme': 'GEMET - INSPIRE themes, version 1.0',
  'inspire-pds': 'INSPIRE priority data set',
  'inspire-spatial-scope': 'Spatial scope',
  'inspire-service-category': 'Classification of spatial data services',
  gemet: 'GEMET',
  gcmd: 'GCMD Science Keywords',
};

/** The title of a known vocabulary by its core/vocab.ts knownScheme name ("gemet" → "GEMET"). */
export function knownSchemeTitle(name: string): string | undefined {
  return KNOWN_TITLES[name];
}

/** The last segment of an IRI's path or fragment (".../TopicCategory/farming" → "farming"). */
export function iriTail(iri: string): string {
  const m = /[/#]([^/#]+)\/?$/.exec(iri);
  if (!m) return iri;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return m[1];
  }
}

/**
 * The concept of an INSPIRE code list IRI (http://inspire.ec.europa.eu/metadata-codelist/<List>/<code>): its code as
 * notation, its English and French labels, its scheme. Undefined for any other IRI.
 */
export function codeListConcept(iri: string): Concept | undefined {
  if (!iri.startsWith(INSPIRE_CODELIST)) return undefined;
  const [list, code] = iri.slice(INSPIRE_CODELIST.length).split('/');
  const scheme = SCHEMES.get(list);
  if (!scheme || !code) return undefined;
  const labels = codeListLabels(list, code);
  return {
    '@id': iri,
    '@type': 'skos:Concept',
    prefLabel: labels ? { ...labels } : { '@none': code },
    notation: code,
    inScheme: scheme,
  };
}
