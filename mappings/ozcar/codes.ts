/**
 * OZCAR labels → controlled vocabularies: topic categories, contact roles, INSPIRE themes, Theia categories, GCMD
 * keywords, keyword thesauri. Pure; `undefined` for what is not recognised (the caller keeps the label).
 */
import type { Concept, ConceptScheme } from '../../schemas/record.js';
import { codeListLabels, inspireScheme, knownSchemeTitle } from '../codelists.js';
import { iriConcept, type LooseConcept } from '../common.js';
import { GCMD_SCHEME, INSPIRE_THEME_SCHEME, inspireThemeIri, knownScheme, roleIri, topicCategoryIri } from '../../core/vocab.js';

/**
 * ISO MD_TopicCategoryCode of an OZCAR topic label: the label camel-cased ("Climatology / Meteorology / Atmosphere"
 * → climatologyMeteorologyAtmosphere, "Inland Waters" → inlandWaters), checked against the INSPIRE code list.
 */
export function topicCategoryCode(label: string): string | undefined {
  const words = label.split(/[^A-Za-z]+/).filter(Boolean);
  if (!words.length) return undefined;
  const code = words.map((w, i) => (i === 0 ? w.toLowerCase() : w[0].toUpperCase() + w.slice(1).toLowerCase())).join('');
  return topicCategoryIri(code) ? code : undefined;
}

/**
 * Concept of an OZCAR topic category (IRI of the INSPIRE TopicCategory code list, the label as given, the registry's
 * labels in the other languages); without IRI when the label is no ISO code (it is then a keyword).
 */
export function topicConcept(label: string, lang: string): LooseConcept {
  const code = topicCategoryCode(label);
  return {
    ...(code ? { '@id': topicCategoryIri(code)! } : {}),
    '@type': 'skos:Concept',
    // the label as given, with the registry's in the languages the feed does not give
    prefLabel: { ...(code ? codeListLabels('TopicCategory', code) : {}), [lang]: label },
    ...(code ? { notation: code, inScheme: inspireScheme('TopicCategory') } : {}),
  };
}

/**
 * ISO 19115-1 CI_RoleCode of an OZCAR contact role. The pivot roles are not ISO's; the closest ISO meaning is kept:
 * - Principal investigator, Project leader (the observatory's lead scientist) → principalInvestigator
 * - Project member → collaborator ("assists with the generation of the resource other than the principal investigator")
 * - Data manager → custodian ("accountability and responsibility for the resource, ensures appropriate care")
 * - Data collector → originator ("party who created the resource": collects the raw data)
 * - Research group (an organisation) → contributor
 */
const ROLE_CODES: Record<string, string> = {
  'principal investigator': 'principalInvestigator',
  'project leader': 'principalInvestigator',
  'project member': 'collaborator',
  'data manager': 'custodian',
  'data collector': 'originator',
  'research group': 'contributor',
};

export function ozcarRoleCode(role: string | undefined): string | undefined {
  return role ? ROLE_CODES[role.trim().toLowerCase()] : undefined;
}

/** INSPIRE ResponsiblePartyRole IRI of an OZCAR role. */
export function ozcarRoleIri(role: string | undefined): string | undefined {
  return roleIri(ozcarRoleCode(role));
}

const INSPIRE_THEME_CONCEPT_SCHEME: ConceptScheme = {
  '@id': INSPIRE_THEME_SCHEME,
  '@type': 'skos:ConceptScheme',
  title: { en: 'GEMET - INSPIRE themes, version 1.0' },
};

/**
 * Concepts of the OZCAR INSPIRE theme. "Atmospheric Conditions and meteorological geographical features" (one value
 * of the pivot list) names two INSPIRE themes: both are returned. Empty when not recognised.
 */
export function inspireThemeConcepts(label: string): Concept[] {
  const joined = /^atmospheric conditions and meteorological geographical features$/i.test(label.trim());
  const labels = joined ? ['Atmospheric conditions', 'Meteorological geographical features'] : [label];
  return labels.flatMap((l) => {
    const iri = inspireThemeIri(l);
    return iri ? [{ '@id': iri, '@type': 'skos:Concept' as const, prefLabel: { en: l }, inScheme: INSPIRE_THEME_CONCEPT_SCHEME }] : [];
  });
}

export const THEIA_CATEGORY_BASE = 'https://w3id.org/ozcar-theia/';
const THEIA_SCHEME: ConceptScheme = {
  '@id': THEIA_CATEGORY_BASE,
  '@type': 'skos:ConceptScheme',
  title: { en: 'Theia/OZCAR variable categories' },
};

/**
 * Concept of a Theia/OZCAR variable category IRI. The pivot file gives only the IRI; the English label is read from
 * its camel-case local name (".../groundwaterMetallicTraceElements" → "groundwater metallic trace elements").
 */
export function theiaCategoryConcept(iri: string): Concept {
  const local = iri.startsWith(THEIA_CATEGORY_BASE) ? iri.slice(THEIA_CATEGORY_BASE.length) : '';
  const label = local && /^[A-Za-z0-9]+$/.test(local) ? local.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase() : undefined;
  const inScheme = local ? { inScheme: THEIA_SCHEME } : {};
  return label ? { '@id': iri, '@type': 'skos:Concept', prefLabel: { en: label }, ...inScheme } : iriConcept(iri, inScheme);
}

const GCMD_CONCEPT_SCHEME: ConceptScheme = { '@id': GCMD_SCHEME, '@type': 'skos:ConceptScheme', title: { en: 'GCMD Science Keywords' } };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** IRI of a GCMD keyword `uuid` field: a KMS concept URL as given, a bare UUID under the KMS concept base. */
export function gcmdIri(uuid: string | undefined): string | undefined {
  if (!uuid) return undefined;
  if (/^https?:\/\/\S+$/.test(uuid)) return uuid;
  return UUID.test(uuid) ? `https://gcmd.earthdata.nasa.gov/kms/concept/${uuid.toLowerCase()}` : undefined;
}

/** GCMD keyword levels, most general first: category > topic > term > variableLevel1..3. */
export function gcmdPath(levels: Array<string | undefined>): string {
  return levels.filter((l): l is string => !!l).join(' > ');
}

/**
 * Concept of a GCMD keyword: its IRI when the uuid gives one, its full hierarchy as label ("EARTH SCIENCE > ...");
 * without IRI it is a keyword.
 */
export function gcmdConcept(levels: Array<string | undefined>, uuid: string | undefined): LooseConcept {
  const iri = gcmdIri(uuid);
  return { ...(iri ? { '@id': iri } : {}), '@type': 'skos:Concept', prefLabel: { en: gcmdPath(levels) }, inScheme: GCMD_CONCEPT_SCHEME };
}

/** Keyword thesauri met in pivot files, by IRI prefix (GEMET and GCMD come from mappings/vocab.ts). */
const SCHEMES_BY_PREFIX: Array<[RegExp, ConceptScheme]> = [
  [
    /^https?:\/\/aims\.fao\.org\/aos\/agrovoc\//i,
    { '@id': 'http://aims.fao.org/aos/agrovoc', '@type': 'skos:ConceptScheme', title: { en: 'AGROVOC' } },
  ],
  [/^https?:\/\/w3id\.org\/ozcar-theia\//i, THEIA_SCHEME],
];

/** The concept scheme of a keyword IRI, when recognised. */
export function keywordScheme(iri: string): ConceptScheme | undefined {
  const known = knownScheme(undefined, iri);
  const title = known && knownSchemeTitle(known.name);
  if (known && title) return { '@id': known.iri, '@type': 'skos:ConceptScheme', title: { en: title } };
  return SCHEMES_BY_PREFIX.find(([re]) => re.test(iri))?.[1];
}
