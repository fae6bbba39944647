/**
 * The words of the HTML validation report in French and English: the page's own words (headings, summaries, column
 * names, counts), and what is a fixed table of the FAIR methodologies (MQA indicator labels, F-UJI metric names, the
 * standard "what to add" of each) and of the report (statuses, ratings, stages). A message that is not in a table
 * (a DCAT-AP gap, an error, a notice, an xmllint message of no known form, a fix built from the record) stays in
 * English; the page marks it `lang="en"` when it is not in English itself. The crosswalks' warnings have codes and
 * their own catalogue (core/texts), and so have the blocking errors, notices, links' failures and xmllint's messages
 * of known forms (core/texts/messages-en.ts), which the page reads.
 *
 * The catalogue pages' tables are in api/pages/i18n.ts; these are here because the CLI writes the same report
 * (`harvester validate --format html --lang fr`), and pipelines/ may not import api/.
 */
import type { RecordStatus } from './types.js';
import { readForm, renderText } from '../../core/texts/render.js';

export const REPORT_LANGS = ['fr', 'en'] as const;
export type ReportLang = (typeof REPORT_LANGS)[number];

const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);
const num = (lang: ReportLang, n: number) => n.toLocaleString(lang === 'fr' ? 'fr-FR' : 'en-GB');

const fr = {
  colon: '\u202f:',
  title: 'Rapport de validation',
  checked: (what: 'links' | 'xsd', yes: boolean) => `${what === 'links' ? 'liens' : 'schémas XML'} ${yes ? 'vérifiés' : 'non vérifiés'}`,
  summary: 'Résumé',
  'records.noun': (n: number) => plural(n, 'fiche', 'fiches'),
  'records.ok': (n: number) => `${num('fr', n)} sans problème`,
  'records.warnings': (n: number) => `${num('fr', n)} avec des avertissements`,
  'records.errors': (n: number) => `${num('fr', n)} avec des erreurs`,
  'records.under': (n: number, points: number) => `${num('fr', n)} sous ${num('fr', points)} points MQA`,
  'mqa.line': (avg: number, min: number, max: number) =>
    `MQA (data.europa.eu, 405 points)\u202f: moyenne <strong>${num('fr', avg)}</strong>, de ${num('fr', min)} à ${num('fr', max)}`,
  'mqa.notChecked': (n: number) => ` (liens non vérifiés\u202f: jusqu’à ${num('fr', n)} points de plus)`,
  'fuji.line': (avg: number, max: number) => `F-UJI (métriques v0.5)\u202f: moyenne <strong>${num('fr', avg)}</strong> sur ${max}`,
  'bands.caption': 'Points MQA, fiches par tranche',
  notices: 'Avertissements sur les sources',
  records: 'Fiches',
  'col.id': 'identifiant',
  'col.title': 'titre',
  'col.format': 'format',
  'col.status': 'état',
  'col.errors': 'erreurs',
  'col.warnings': 'avertissements',
  'col.mqa': 'MQA',
  'col.rating': 'note',
  'col.fuji': 'F-UJI',
  details: 'Problèmes et corrections, fiche par fiche',
  errors: 'Erreurs',
  warnings: 'Avertissements',
  gaps: 'Valeurs obligatoires DCAT-AP manquantes',
  fixes: 'Ce qu’il faut corriger',
  at: 'dans',
  fix: (what: string, add: string, where: string) => `${what}\u202f: ajouter ${add} dans ${where}`,
  notAssessed: 'F-UJI non évaluées sur les seules métadonnées\u202f:',
  noDistribution: (add: string) => `une distribution (une URL d’accès), puis ${add}`,
  coreLacking: (names: string) => `les métadonnées essentielles qui lui manquent\u202f: ${names}`,
  legend:
    'Les erreurs, les avertissements (des conversions, des liens, des schémas XML vérifiés par xmllint), les avertissements sur les sources et les valeurs obligatoires manquantes sont en français\u202f; le texte anglais d’un message venu de xmllint, du système ou d’un lecteur reste lisible en info-bulle. Restent en anglais, marqués\u202f: un message de xmllint ou d’un lecteur d’une forme que le moissonneur ne connaît pas, les mots propres des validateurs cités dans un message (le détail d’une fiche que son schéma JSON refuse, d’un Turtle non valide) et les messages d’un rapport plus ancien.',
};

type Words = typeof fr;

const en: Words = {
  colon: ':',
  title: 'Validation report',
  checked: (what: 'links' | 'xsd', yes: boolean) => `${what === 'links' ? 'links' : 'XML schemas'} ${yes ? 'checked' : 'not checked'}`,
  summary: 'Summary',
  'records.noun': (n: number) => plural(n, 'record', 'records'),
  'records.ok': (n: number) => `${n} ok`,
  'records.warnings': (n: number) => `${n} with warnings`,
  'records.errors': (n: number) => `${n} with errors`,
  'records.under': (n: number, points: number) => `${n} under ${points} MQA points`,
  'mqa.line': (avg: number, min: number, max: number) =>
    `MQA (data.europa.eu, 405 points): average <strong>${avg}</strong>, from ${min} to ${max}`,
  'mqa.notChecked': (n: number) => ` (links not checked: up to ${n} more points)`,
  'fuji.line': (avg: number, max: number) => `F-UJI (metrics v0.5): average <strong>${avg}</strong> of ${max}`,
  'bands.caption': 'MQA points, records per band',
  notices: 'Notices',
  records: 'Records',
  'col.id': 'identifier',
  'col.title': 'title',
  'col.format': 'format',
  'col.status': 'status',
  'col.errors': 'errors',
  'col.warnings': 'warnings',
  'col.mqa': 'MQA',
  'col.rating': 'rating',
  'col.fuji': 'F-UJI',
  details: 'Problems and fixes, record by record',
  errors: 'Errors',
  warnings: 'Warnings',
  gaps: 'DCAT-AP mandatory values missing',
  fixes: 'What to fix',
  at: 'at',
  fix: (what: string, add: string, where: string) => `${what}: add ${add} at ${where}`,
  notAssessed: 'F-UJI not assessed from metadata alone:',
  noDistribution: (add: string) => `a distribution (an access URL), then ${add}`,
  coreLacking: (names: string) => `the core metadata it lacks: ${names}`,
  legend: '',
};

export const REPORT_WORDS: Record<ReportLang, Words> = { fr, en };

/** A record's status, a rating band and a failure's stage, in words (English: as the JSON report says them). */
export const STATUS: Record<ReportLang, Record<RecordStatus, string>> = {
  fr: { error: 'erreurs', warnings: 'avertissements', ok: 'sans problème' },
  en: { error: 'error', warnings: 'warnings', ok: 'ok' },
};
export const RATING: Record<ReportLang, Record<string, string>> = {
  fr: { excellent: 'excellente', good: 'bonne', sufficient: 'suffisante', bad: 'insuffisante' },
  en: { excellent: 'excellent', good: 'good', sufficient: 'sufficient', bad: 'bad' },
};
/** The stages of core/result.ts, and `xsd` (an XML schema error made blocking by --strict). */
export const STAGE_FR: Record<string, string> = {
  fetch: 'lecture',
  parse: 'analyse',
  map: 'conversion',
  validate: 'validation',
  score: 'évaluation',
  index: 'indexation',
  xsd: 'schéma XML',
};

/**
 * The MQA indicators in French (data.europa.eu's methodology has a French page; the labels follow it), by id: the
 * label, and what to add (the English `add` of mappings/fair/mqa.ts).
 */
export const MQA_FR: Record<string, { label: string; add: string }> = {
  keyword: { label: 'Mots-clés', add: 'des mots-clés' },
  theme: { label: 'Catégories (thèmes)', add: 'un thème d’un thésaurus (par exemple un thème INSPIRE)' },
  spatial: { label: 'Recherche géographique (emprise)', add: 'une emprise (rectangle englobant)' },
  temporal: { label: 'Recherche temporelle (période)', add: 'une étendue temporelle' },
  accessUrlAnswers: { label: 'Accessibilité de l’URL d’accès', add: 'une URL d’accès qui répond (HTTP 2xx/3xx)' },
  downloadUrl: { label: 'URL de téléchargement', add: 'une URL de téléchargement sur chaque distribution' },
  downloadUrlAnswers: { label: 'Accessibilité de l’URL de téléchargement', add: 'des URL de téléchargement qui répondent (HTTP 2xx/3xx)' },
  format: { label: 'Format', add: 'un format de fichier' },
  mediaType: { label: 'Type de média', add: 'un type de média (IANA)' },
  formatVocabulary: {
    label: 'Format ou type de média d’un vocabulaire',
    add: 'un format connu de la liste des types de fichiers de l’UE ou de l’IANA',
  },
  nonProprietary: {
    label: 'Format non propriétaire',
    add: 'un format non propriétaire (par exemple CSV, NetCDF, GeoJSON, GeoPackage, TIFF)',
  },
  machineReadable: { label: 'Lisible par une machine', add: 'un format lisible par une machine' },
  dcatApConformance: { label: 'Conformité DCAT-AP', add: 'les valeurs obligatoires de DCAT-AP' },
  license: { label: 'Licence', add: 'une licence' },
  licenseVocabulary: { label: 'Licence d’un vocabulaire', add: 'une licence connue, par son URL (par exemple Etalab 2.0, CC BY 4.0)' },
  accessRights: { label: 'Restrictions d’accès', add: 'des conditions d’accès' },
  accessRightsVocabulary: {
    label: 'Restrictions d’accès d’un vocabulaire',
    add: 'des conditions d’accès d’un vocabulaire (INSPIRE LimitationsOnPublicAccess, droits d’accès de l’UE)',
  },
  contactPoint: { label: 'Point de contact', add: 'un point de contact' },
  publisher: { label: 'Éditeur', add: 'un éditeur' },
  rights: { label: 'Droits', add: 'une mention des droits (limites d’utilisation)' },
  byteSize: { label: 'Taille des fichiers', add: 'la taille de chaque fichier' },
  issued: { label: 'Date de publication', add: 'une date de publication' },
  modified: { label: 'Date de modification', add: 'une date de révision' },
};

/** The F-UJI metrics v0.5 in French, by id: the name, and what to add (the English fix of mappings/fair/fuji.ts). */
export const FUJI_FR: Record<string, { name: string; add?: string }> = {
  'FsF-F1-01D': {
    name: 'Les données ont un identifiant unique au monde',
    add: 'un identifiant unique au monde et résoluble (un DOI ou une IRI http(s))',
  },
  'FsF-F1-02D': { name: 'Les données ont un identifiant pérenne', add: 'un identifiant pérenne (DOI, Handle, ARK)' },
  'FsF-F2-01M': { name: 'Les métadonnées contiennent les éléments descriptifs essentiels' },
  'FsF-F3-01M': {
    name: 'Les métadonnées contiennent l’identifiant des données qu’elles décrivent',
    add: 'les fichiers de données\u202f: leur URL, leur format et leur taille',
  },
  'FsF-F4-01M': { name: 'Les métadonnées se récupèrent par programme (moteurs de recherche, registres)' },
  'FsF-A1-01M': {
    name: 'Les métadonnées disent le niveau et les conditions d’accès aux données',
    add: 'des conditions d’accès lisibles par une machine',
  },
  'FsF-A1-02M': {
    name: 'Les métadonnées sont accessibles par un protocole de communication standard',
    add: 'une page d’accueil en http(s)',
  },
  'FsF-A1-03D': {
    name: 'Les données sont accessibles par un protocole de communication standard',
    add: 'une URL des données en http(s) qui répond',
  },
  'FsF-A2-01M': {
    name: 'Les métadonnées restent disponibles même quand les données ne le sont plus',
    add: 'un DOI (DataCite en garde les métadonnées)',
  },
  'FsF-I1-01M': { name: 'Les métadonnées sont écrites dans un langage formel de représentation des connaissances' },
  'FsF-I2-01M': {
    name: 'Les métadonnées emploient des ressources sémantiques',
    add: 'des thèmes ou mots-clés d’un vocabulaire connu (INSPIRE, GEMET, GCMD, Theia/OZCAR), par leur IRI',
  },
  'FsF-I3-01M': {
    name: 'Les métadonnées relient les données aux entités qui leur sont liées',
    add: 'les ressources liées, par leur identifiant (publications, série parente)',
  },
  'FsF-R1-01MD': {
    name: 'Les métadonnées décrivent le contenu des données',
    add: 'ce que contiennent les données\u202f: les variables mesurées, ou chaque fichier avec son format et sa taille',
  },
  'FsF-R1.1-01M': {
    name: 'Les métadonnées donnent la licence sous laquelle les données se réutilisent',
    add: 'une licence enregistrée au SPDX (par exemple CC-BY-4.0, etalab-2.0), par son URL',
  },
  'FsF-R1.2-01M': {
    name: 'Les métadonnées disent la provenance des données (création ou production)',
    add: 'qui a créé les données, et quand',
  },
  'FsF-R1.3-01M': {
    name: 'Les métadonnées suivent une norme recommandée par la communauté de recherche',
    add: 'une fiche ISO 19115 / 19139 du jeu de données (le catalogue de la RDA la liste\u202f; STAC et le pivot OZCAR n’y sont pas)',
  },
  'FsF-R1.3-02D': {
    name: 'Les données sont disponibles dans un format de fichier recommandé par la communauté de recherche',
    add: 'un format scientifique, ouvert ou pérenne (NetCDF, HDF5, GeoTIFF, GeoJSON, PDF…)',
  },
};

/**
 * A DCAT-AP gap's sentence in French, from the English one (a report written before the gaps had codes): the sentence
 * matched against the English templates of the gaps (dcatap.*, core/texts), its values read back and written into the
 * French template; undefined for one of no known form (it then stays in English, marked).
 */
export function gapFr(message: string): string | undefined {
  const p = readForm('dcatap.', message);
  return p && renderText('fr', p.code, p.params);
}
