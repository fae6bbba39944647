/**
 * Languages of the pages and every string they show, in one table per language. The language of a request is the
 * `lang` query parameter when given (the switch on every page sets it, so that a shared link keeps it), else the best
 * match of Accept-Language, else French.
 */
import accepts from 'accepts';
import type { FastifyRequest } from 'fastify';
import type { LangMap } from '../../schemas/record.js';
import type { BboxFault } from '../../pipelines/search.js';

export const LANGS = ['fr', 'en'] as const;
export type Lang = (typeof LANGS)[number];
export const DEFAULT_LANG: Lang = 'fr';

const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

const COORD_FR = { west: 'l’ouest', south: 'le sud', east: 'l’est', north: 'le nord' } as const;

function bboxFr(f: BboxFault): string {
  switch (f.kind) {
    case 'count':
      return `l’emprise doit être quatre nombres : ouest, sud, est, nord (${f.count} ${plural(f.count, 'donné', 'donnés')})`;
    case 'number':
      return `dans l’emprise, ${COORD_FR[f.coord]} doit être un nombre`;
    case 'longitude':
      return `dans l’emprise, ${COORD_FR[f.coord]} (${fmt('fr', f.value)}) n’est pas une longitude : de -180 à 180`;
    case 'latitude':
      return `dans l’emprise, ${COORD_FR[f.coord]} (${fmt('fr', f.value)}) n’est pas une latitude : de -90 à 90`;
    case 'order':
      return `dans l’emprise, le sud (${fmt('fr', f.south)}) est au nord du nord (${fmt('fr', f.north)}) : l’ordre est ouest, sud, est, nord`;
  }
}
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const fmt = (lang: Lang, n: number) => n.toLocaleString(lang === 'fr' ? 'fr-FR' : 'en-GB');

const fr = {
  'lang.name': 'Français',
  /** A colon as the language writes it after a label (French puts a narrow no-break space before it). */
  colon: '\u202f:',
  'lang.switch': 'Langue',
  'site.name': 'Catalogue du pôle de données Terre solide et surfaces continentales',
  'site.short': 'Pôle de données',
  'nav.catalogue': 'Catalogue',
  'nav.operators': 'Moissonnages',
  'nav.skip': 'Aller au contenu',
  'footer.basemap': 'Fond de carte : Natural Earth (domaine public) ; régions : IGN, INSEE — Admin Express COG 2018 (Licence Ouverte).',
  'footer.api': 'API :',

  'search.title': 'Rechercher des données',
  'search.q': 'Mots',
  'search.q.hint': 'Accents et majuscules indifférents : « evolution » trouve « Évolution ».',
  'search.submit': 'Rechercher',
  'search.where': 'Où',
  'search.bbox': 'Emprise (ouest, sud, est, nord en degrés)',
  'search.bbox.hint': 'Tracez un rectangle sur la carte ou saisissez quatre nombres, par exemple -5.2,47.3,-1,48.9.',
  'search.when': 'Quand',
  'search.from': 'Du',
  'search.to': 'Au',
  'search.date.hint': 'AAAA, AAAA-MM ou AAAA-MM-JJ ; un côté peut rester vide.',
  'search.reset': 'Tout effacer',
  'search.filters': 'Filtres actifs',
  'search.remove': (what: string) => `Retirer le filtre ${what}`,
  'search.error': 'Cette recherche ne peut pas être faite :',
  'search.lastPage': (n: number) => `Aller à la dernière page (${fmt('fr', n)})`,
  // (p: the parameter, which the English sentence names; label: the field as the form names it, which French names)
  'query.once': (_p: string, label: string, n: number) => `« ${label} » est donné ${n} fois : donnez-le une seule fois.`,
  'query.tooMany': (_p: string, label: string, max: number, n: number) => `« ${label} » est donné ${n} fois : ${max} au plus.`,
  'query.long': (max: number, n: number) => `Les mots cherchés sont trop longs : ${fmt('fr', n)} caractères, ${fmt('fr', max)} au plus.`,
  // (the English sentence, which JSON clients get, is the second argument: French does not use it)
  'query.bbox': (f: BboxFault, _en: string) =>
    `${capital(bboxFr(f))}. Écrivez-la ouest,sud,est,nord en degrés, par exemple -5.2,47.3,-1,48.9.`,
  'query.date': (_p: string, label: string, value: string, _en: string) =>
    `« ${label} » doit être une date AAAA, AAAA-MM ou AAAA-MM-JJ, par exemple 2019 ou 2019-06-30 (reçu « ${value} »).`,
  'query.reversed': (from: string, to: string) => `La période est à l’envers : « Du » (${from}) est après « Au » (${to}).`,
  'query.type': (value: string, _types: readonly string[]) =>
    `Le type de ressource « ${value} » n’existe pas : dataset (jeu de données), series (série) ou service.`,
  'query.sort': (value: string, _sorts: readonly string[]) =>
    `Le tri « ${value} » n’existe pas : relevance (pertinence), date ou title (titre).`,
  'query.page': (value: string) => `Le numéro de page doit être un nombre entier, à partir de 1 (reçu « ${value} »).`,
  'query.window': (page: number, max: number) =>
    `La page ${fmt('fr', page)} est au-delà des ${fmt('fr', max)} premières fiches, les seules que l’on peut parcourir page à page : précisez la recherche.`,
  'query.past': (page: number, last: number, total: number) =>
    `La page ${fmt('fr', page)} est au-delà de la dernière (${fmt('fr', last)}) : ${fmt('fr', total)} ${plural(total, 'fiche correspond', 'fiches correspondent')}.`,
  'results.title': 'Résultats',
  'results.count': (n: number) => `${fmt('fr', n)} ${plural(n, 'fiche', 'fiches')}`,
  'results.range': (a: number, b: number, n: number) => `fiches ${fmt('fr', a)} à ${fmt('fr', b)} sur ${fmt('fr', n)}`,
  'results.none': 'Aucune fiche ne correspond. Retirez un filtre ou élargissez l’emprise ou la période.',
  'results.prev': 'Page précédente',
  'results.next': 'Page suivante',
  'results.page': (p: number, n: number) => `Page ${fmt('fr', p)} sur ${fmt('fr', n)}`,
  'results.deep': (n: number) => `Seules les ${fmt('fr', n)} premières fiches se parcourent page à page : précisez la recherche.`,
  'results.nobox': 'sans emprise',
  'sort.label': 'Trier par',
  'field.bbox': 'Emprise',
  'field.sort': 'Tri',
  'field.page': 'Page',
  'sort.relevance': 'pertinence',
  'sort.date': 'date de mise à jour',
  'sort.title': 'titre',
  'results.fuzzy': (q: string) => `Aucune fiche ne contient « ${q} » tel quel : voici celles qui contiennent des mots proches.`,

  'facets.title': 'Affiner',
  'facet.themes': 'Thème',
  'facet.keywords': 'Mot-clé',
  'facet.source': 'Source',
  'facet.type': 'Type de ressource',
  'facet.formats': 'Format',
  'facet.licence': 'Licence',
  'facet.publisher': 'Éditeur',
  'facet.rating': 'Note FAIR',
  'facet.category': 'Catégorie de variable (OZCAR)',
  'facet.selected': 'sélectionné',
  'facet.count': (n: number) => `${fmt('fr', n)} ${plural(n, 'fiche', 'fiches')}`,
  'type.dataset': 'Jeu de données',
  'type.series': 'Série de données',
  'type.service': 'Service',

  'map.label': 'Carte des emprises',
  'map.draw': 'Tracer une emprise',
  'map.drawing': 'Faites glisser sur la carte…',
  'map.view': 'Chercher dans cette vue',
  'map.clear': 'Effacer l’emprise',
  'map.noscript': 'La carte demande JavaScript ; l’emprise se saisit aussi dans le champ ci-dessus.',

  'record.back': 'Retour aux résultats',
  'record.notfound': (id: string) => `Aucune fiche « ${id} » dans le catalogue.`,
  'page.notfound': (path: string) => `Aucune page à l’adresse ${path}.`,
  'page.indexDown': 'L’index du catalogue ne répond pas : réessayez dans un instant.',
  'record.alsoFrom': 'Aussi moissonnée depuis',
  'record.copyOf': 'Copie d’une fiche moissonnée depuis une autre source ; la fiche listée :',
  'record.summary': 'Résumé',
  'record.where': 'Emprise',
  'record.when': 'Période',
  'record.open': 'en cours',
  'record.dates': 'Dates',
  'record.issued': 'Publication',
  'record.modified': 'Mise à jour',
  'record.created': 'Création',
  'record.frequency': 'Fréquence de mise à jour',
  'record.themes': 'Thèmes et mots-clés',
  'record.theme': 'Thèmes',
  'record.subject': 'Catégories ISO',
  'record.keywords': 'Mots-clés',
  'record.parties': 'Organisations et contacts',
  'record.publisher': 'Éditeur',
  'record.creator': 'Auteurs',
  'record.rightsHolder': 'Détenteurs des droits',
  'record.funder': 'Financeurs',
  'record.contact': 'Contacts',
  'record.roles': 'Rôles',
  'record.access': 'Accès aux données et services',
  'record.distribution': 'Distribution',
  'record.download': 'Télécharger',
  'record.accessUrl': 'Accès',
  'record.format': 'Format',
  'record.mediaType': 'Type de média',
  'record.protocol': 'Protocole',
  'record.function': 'Fonction',
  'record.size': 'Taille',
  'record.service': (type: string) => `Service ${type}`,
  'record.service.url': 'Adresse du service',
  'record.service.capabilities': 'GetCapabilities',
  'record.service.layer': 'Couche',
  'record.service.qgis': (type: string) =>
    `Dans QGIS : Couche › Ajouter une couche › Ajouter une couche ${type}, nouvelle connexion avec l’adresse du service ci-dessous, puis choisissez la couche.`,
  'record.endpoint': 'Point d’accès',
  'record.endpointDescription': 'Description du service',
  'record.servesDataset': 'Données servies',
  'record.rights': 'Licence et droits',
  'record.license': 'Licence',
  'record.accessRights': 'Conditions d’accès',
  'record.rightsStatement': 'Droits',
  'record.dataPolicy': 'Politique des données',
  'record.embargo': 'Fin d’embargo',
  'record.quality': 'Qualité et généalogie',
  'record.provenance': 'Généalogie',
  'record.conformity': 'Conformité',
  'record.conformant': 'conforme',
  'record.notConformant': 'non conforme',
  'record.notEvaluated': 'non évaluée',
  'record.conformsTo': 'Spécifications suivies',
  'record.resolution': 'Résolution',
  'record.version': 'Version',
  'record.citation': 'Citation',
  'record.measures': 'Variables et instruments',
  'record.variable': 'Variable',
  'record.unit': 'Unité',
  'record.platform': 'Plateformes',
  'record.instrument': 'Instruments',
  'record.processingLevel': 'Niveaux de traitement',
  'record.dataType': 'Types de données',
  'record.samplingFeature': 'Objets échantillonnés',
  'record.granules': 'Granules',
  'record.links': 'Liens',
  'record.landingPage': 'Page d’accueil',
  'record.page': 'Documentation',
  'record.isPartOf': 'Fait partie de',
  'record.relation': 'Ressources liées',
  'record.depiction': 'Aperçus',
  'record.identifiers': 'Identifiants',
  'record.resourceType': 'Type de ressource',
  'record.language': 'Langue des données',
  'record.fair': 'Rapport FAIR',
  'record.fair.none': 'Pas encore évaluée.',
  'record.fair.mqa': 'Points MQA (data.europa.eu)',
  'record.fair.fuji': 'Points F-UJI',
  'record.catalogRecord': 'Fiche d’origine',
  'record.sourceId': 'Source',
  'record.sourceFormat': 'Format de la fiche',
  'record.sourceUrl': 'Fiche à la source',
  'record.harvestedAt': 'Moissonnée le',
  'record.metadataDate': 'Date de la fiche',
  'record.standard': 'Norme de la fiche',
  'record.metadataContact': 'Contact pour la fiche',
  'record.dcat': 'La fiche en DCAT-AP',
  'record.dcat.hint': 'Pour les moissonneurs et les outils RDF :',
  'record.other': 'Autres propriétés',

  'ops.title': 'Moissonnages',
  'ops.intro': 'Chaque source, son dernier moissonnage et ce qu’il a changé ; lecture seule.',
  'ops.none': 'Aucun moissonnage enregistré pour l’instant.',
  'ops.source': 'Source',
  'ops.type': 'Type',
  'ops.started': 'Début (UTC)',
  'ops.status': 'État',
  'ops.took': 'Durée',
  'ops.seen': 'Lues',
  'ops.indexed': 'Indexées',
  'ops.new': 'Nouvelles',
  'ops.updated': 'Modifiées',
  'ops.unchanged': 'Inchangées',
  'ops.deleted': 'Retirées',
  'ops.failed': 'En échec',
  'ops.skipped': 'Écartées',
  'ops.runCount': (n: number) => `${fmt('fr', n)} moissonnage${n > 1 ? 's' : ''}`,
  'ops.tally': (n: number) => `${fmt('fr', n)} source${n > 1 ? 's' : ''}, d’après leur dernier moissonnage`,
  'ops.history': (source: string) => `Historique de ${source}`,
  'ops.history.link': 'Historique',
  'ops.lastRun': 'Dernier moissonnage',
  'ops.error': 'Erreur de la source',
  'ops.deletion': 'Retraits',
  'ops.failures': 'Premiers échecs',
  'ops.byStage': 'Échecs par étape',
  'ops.warnings': 'Avertissements',
  'ops.report': 'Rapport d’échecs complet',
  'ops.report.gone': 'rapport d’échecs absent du dossier des rapports',
  'ops.unknownSource': (id: string) => `Aucun moissonnage enregistré pour la source « ${id} ».`,
  'ops.more': (n: number) => `… et ${fmt('fr', n)} de plus dans le rapport`,
  'status.ok': 'réussi',
  'status.partial': 'partiel',
  'status.failed': 'échoué',
  'status.running': 'en cours',
  'status.aborted': 'abandonné (processus disparu)',
  'status.suspect': 'suspect (retraits retenus)',
  'status.interrupted': 'interrompu',
  'status.skipped': 'créneau sauté (moissonnage précédent en cours)',
  'ops.queued': 'en attente d’un créneau',
  'ops.runningNow': 'moissonnage en cours',
  'ops.nextRun': 'Prochain moissonnage',
  'ops.lastSkipped': 'Dernier créneau sauté',

  'error.title': 'Erreur',
  'error.parameter': (p: string) => `Paramètre en cause : ${p}`,
};

type Messages = typeof fr;

const en: Messages = {
  'lang.name': 'English',
  colon: ':',
  'lang.switch': 'Language',
  'site.name': 'Catalogue of the solid Earth and land surface data hub',
  'site.short': 'Data hub',
  'nav.catalogue': 'Catalogue',
  'nav.operators': 'Harvests',
  'nav.skip': 'Skip to content',
  'footer.basemap': 'Basemap: Natural Earth (public domain); regions: IGN, INSEE — Admin Express COG 2018 (Licence Ouverte).',
  'footer.api': 'API:',

  'search.title': 'Find data',
  'search.q': 'Words',
  'search.q.hint': 'Accents and case do not matter: “evolution” finds “Évolution”.',
  'search.submit': 'Search',
  'search.where': 'Where',
  'search.bbox': 'Box (west, south, east, north in degrees)',
  'search.bbox.hint': 'Draw a box on the map or type four numbers, e.g. -5.2,47.3,-1,48.9.',
  'search.when': 'When',
  'search.from': 'From',
  'search.to': 'To',
  'search.date.hint': 'YYYY, YYYY-MM or YYYY-MM-DD; either end may stay empty.',
  'search.reset': 'Clear all',
  'search.filters': 'Active filters',
  'search.remove': (what: string) => `Remove the filter ${what}`,
  'search.error': 'This search cannot be run:',
  'search.lastPage': (n: number) => `Go to the last page (${fmt('en', n)})`,
  'query.once': (p: string, _label: string, n: number) => `${p} may be given once (got ${n} values)`,
  'query.tooMany': (p: string, _label: string, max: number, n: number) => `${p} may be given at most ${max} times (got ${n})`,
  'query.long': (max: number, n: number) => `q is too long: at most ${max} characters (got ${n})`,
  'query.bbox': (_f: BboxFault, en: string) => `${en} (write it as west,south,east,north, e.g. -5.2,47.3,-1,48.9)`,
  'query.date': (_p: string, _label: string, _value: string, en: string) => en,
  'query.reversed': (from: string, to: string) => `from (${from}) is after to (${to}): the time window is reversed`,
  'query.type': (value: string, types: readonly string[]) => `type must be one of ${types.join(', ')} (got "${value}")`,
  'query.sort': (value: string, sorts: readonly string[]) => `sort must be one of ${sorts.join(', ')} (got "${value}")`,
  'query.page': (value: string) => `page must be a whole number from 1 (got "${value}")`,
  'query.window': (page: number, max: number) => `page ${page} is beyond the ${max.toLocaleString('en')} records that can be paged through`,
  'query.past': (page: number, last: number, total: number) =>
    `page ${page} is past the last page (${last}): ${total.toLocaleString('en')} ${total === 1 ? 'record matches' : 'records match'}`,
  'results.title': 'Results',
  'results.count': (n: number) => `${fmt('en', n)} ${plural(n, 'record', 'records')}`,
  'results.range': (a: number, b: number, n: number) => `records ${fmt('en', a)} to ${fmt('en', b)} of ${fmt('en', n)}`,
  'results.none': 'No record matches. Remove a filter, or widen the box or the period.',
  'results.prev': 'Previous page',
  'results.next': 'Next page',
  'results.page': (p: number, n: number) => `Page ${fmt('en', p)} of ${fmt('en', n)}`,
  'results.deep': (n: number) => `Only the first ${fmt('en', n)} records can be paged through: narrow the search.`,
  'results.nobox': 'no extent',
  'sort.label': 'Sort by',
  'field.bbox': 'Box',
  'field.sort': 'Sort',
  'field.page': 'Page',
  'sort.relevance': 'relevance',
  'sort.date': 'date updated',
  'sort.title': 'title',
  'results.fuzzy': (q: string) => `No record holds “${q}” as typed: here are those holding words close to it.`,

  'facets.title': 'Refine',
  'facet.themes': 'Theme',
  'facet.keywords': 'Keyword',
  'facet.source': 'Source',
  'facet.type': 'Resource type',
  'facet.formats': 'Format',
  'facet.licence': 'Licence',
  'facet.publisher': 'Publisher',
  'facet.rating': 'FAIR rating',
  'facet.category': 'Variable category (OZCAR)',
  'facet.selected': 'selected',
  'facet.count': (n: number) => `${fmt('en', n)} ${plural(n, 'record', 'records')}`,
  'type.dataset': 'Dataset',
  'type.series': 'Dataset series',
  'type.service': 'Service',

  'map.label': 'Map of extents',
  'map.draw': 'Draw a box',
  'map.drawing': 'Drag on the map…',
  'map.view': 'Search this view',
  'map.clear': 'Clear the box',
  'map.noscript': 'The map needs JavaScript; the box can also be typed in the field above.',

  'record.back': 'Back to the results',
  'record.notfound': (id: string) => `No record “${id}” in the catalogue.`,
  'page.notfound': (path: string) => `No page at ${path}.`,
  'page.indexDown': 'The catalogue index does not answer: try again in a moment.',
  'record.alsoFrom': 'Also from',
  'record.copyOf': 'A copy of a record harvested from another source; the record listed:',
  'record.summary': 'Summary',
  'record.where': 'Extent',
  'record.when': 'Period',
  'record.open': 'ongoing',
  'record.dates': 'Dates',
  'record.issued': 'Published',
  'record.modified': 'Updated',
  'record.created': 'Created',
  'record.frequency': 'Update frequency',
  'record.themes': 'Themes and keywords',
  'record.theme': 'Themes',
  'record.subject': 'ISO topic categories',
  'record.keywords': 'Keywords',
  'record.parties': 'Organisations and contacts',
  'record.publisher': 'Publisher',
  'record.creator': 'Creators',
  'record.rightsHolder': 'Rights holders',
  'record.funder': 'Funders',
  'record.contact': 'Contacts',
  'record.roles': 'Roles',
  'record.access': 'Data access and services',
  'record.distribution': 'Distribution',
  'record.download': 'Download',
  'record.accessUrl': 'Access',
  'record.format': 'Format',
  'record.mediaType': 'Media type',
  'record.protocol': 'Protocol',
  'record.function': 'Function',
  'record.size': 'Size',
  'record.service': (type: string) => `${type} service`,
  'record.service.url': 'Service URL',
  'record.service.capabilities': 'GetCapabilities',
  'record.service.layer': 'Layer',
  'record.service.qgis': (type: string) =>
    `In QGIS: Layer › Add Layer › Add ${type} Layer, a new connection with the service URL below, then pick the layer.`,
  'record.endpoint': 'Endpoint',
  'record.endpointDescription': 'Service description',
  'record.servesDataset': 'Data served',
  'record.rights': 'Licence and rights',
  'record.license': 'Licence',
  'record.accessRights': 'Access rights',
  'record.rightsStatement': 'Rights',
  'record.dataPolicy': 'Data policy',
  'record.embargo': 'Embargo ends',
  'record.quality': 'Quality and lineage',
  'record.provenance': 'Lineage',
  'record.conformity': 'Conformity',
  'record.conformant': 'conformant',
  'record.notConformant': 'not conformant',
  'record.notEvaluated': 'not evaluated',
  'record.conformsTo': 'Specifications followed',
  'record.resolution': 'Resolution',
  'record.version': 'Version',
  'record.citation': 'Citation',
  'record.measures': 'Variables and instruments',
  'record.variable': 'Variable',
  'record.unit': 'Unit',
  'record.platform': 'Platforms',
  'record.instrument': 'Instruments',
  'record.processingLevel': 'Processing levels',
  'record.dataType': 'Data types',
  'record.samplingFeature': 'Sampling features',
  'record.granules': 'Granules',
  'record.links': 'Links',
  'record.landingPage': 'Landing page',
  'record.page': 'Documentation',
  'record.isPartOf': 'Part of',
  'record.relation': 'Related resources',
  'record.depiction': 'Previews',
  'record.identifiers': 'Identifiers',
  'record.resourceType': 'Resource type',
  'record.language': 'Language of the data',
  'record.fair': 'FAIR report',
  'record.fair.none': 'Not assessed yet.',
  'record.fair.mqa': 'MQA points (data.europa.eu)',
  'record.fair.fuji': 'F-UJI points',
  'record.catalogRecord': 'Original record',
  'record.sourceId': 'Source',
  'record.sourceFormat': 'Record format',
  'record.sourceUrl': 'Record at the source',
  'record.harvestedAt': 'Harvested on',
  'record.metadataDate': 'Record date',
  'record.standard': 'Record standard',
  'record.metadataContact': 'Contact for the record',
  'record.dcat': 'The record in DCAT-AP',
  'record.dcat.hint': 'For harvesters and RDF tools:',
  'record.other': 'Other properties',

  'ops.title': 'Harvests',
  'ops.intro': 'Every source, its last harvest and what it changed; read-only.',
  'ops.none': 'No harvest recorded yet.',
  'ops.source': 'Source',
  'ops.type': 'Type',
  'ops.started': 'Started (UTC)',
  'ops.status': 'Status',
  'ops.took': 'Took',
  'ops.seen': 'Seen',
  'ops.indexed': 'Indexed',
  'ops.new': 'New',
  'ops.updated': 'Updated',
  'ops.unchanged': 'Unchanged',
  'ops.deleted': 'Removed',
  'ops.failed': 'Failed',
  'ops.skipped': 'Skipped',
  'ops.runCount': (n: number) => `${fmt('en', n)} run${n === 1 ? '' : 's'}`,
  'ops.tally': (n: number) => `${fmt('en', n)} source${n === 1 ? '' : 's'}, by their last run`,
  'ops.history': (source: string) => `History of ${source}`,
  'ops.history.link': 'History',
  'ops.lastRun': 'Last run',
  'ops.error': 'Source error',
  'ops.deletion': 'Removal',
  'ops.failures': 'First failures',
  'ops.byStage': 'Failures by stage',
  'ops.warnings': 'Warnings',
  'ops.report': 'Full failure report',
  'ops.report.gone': 'failure report missing from the report folder',
  'ops.unknownSource': (id: string) => `No harvest recorded for the source “${id}”.`,
  'ops.more': (n: number) => `… and ${fmt('en', n)} more in the report`,
  'status.ok': 'ok',
  'status.partial': 'partial',
  'status.failed': 'failed',
  'status.running': 'running',
  'status.aborted': 'aborted (its process died)',
  'status.suspect': 'suspect (removals held back)',
  'status.interrupted': 'interrupted',
  'status.skipped': 'slot skipped (previous run still going)',
  'ops.queued': 'waiting for a free slot',
  'ops.runningNow': 'harvest under way',
  'ops.nextRun': 'Next run',
  'ops.lastSkipped': 'Last slot skipped',

  'error.title': 'Error',
  'error.parameter': (p: string) => `Parameter at fault: ${p}`,
};

export const MESSAGES: Record<Lang, Messages> = { fr, en };

/**
 * Coded values a record or the index holds, in words: FAIR ratings (data.europa.eu MQA), roles of parties
 * (INSPIRE ResponsiblePartyRole / ISO 19115-1 CI_RoleCode, the IRI's last segment), update frequencies (EU
 * frequency authority codes) and what a distribution is for (ISO CI_OnLineFunctionCode, STAC asset roles). A code
 * not in a table is shown as it is.
 */
type CodeKind = 'rating' | 'role' | 'frequency' | 'function';
const CODES: Record<Lang, Record<CodeKind, Record<string, string>>> = {
  fr: {
    function: {
      download: 'téléchargement',
      information: 'information',
      offlineAccess: 'accès hors ligne',
      order: 'commande',
      search: 'recherche',
      completeMetadata: 'métadonnées complètes',
      browseGraphic: 'aperçu',
      upload: 'dépôt',
      emailService: 'service de courriel',
      browsing: 'navigation',
      fileAccess: 'accès aux fichiers',
      data: 'données',
      metadata: 'métadonnées',
      thumbnail: 'vignette',
      overview: 'aperçu',
      visual: 'visuel',
    },
    rating: { excellent: 'excellente', good: 'bonne', sufficient: 'suffisante', bad: 'insuffisante' },
    role: {
      resourceProvider: 'fournisseur',
      custodian: 'gestionnaire',
      owner: 'propriétaire',
      user: 'utilisateur',
      distributor: 'distributeur',
      originator: 'créateur',
      pointOfContact: 'point de contact',
      principalInvestigator: 'responsable scientifique',
      processor: 'opérateur du traitement',
      publisher: 'éditeur',
      author: 'auteur',
      sponsor: 'commanditaire',
      coAuthor: 'co-auteur',
      collaborator: 'collaborateur',
      editor: 'rédacteur',
      mediator: 'médiateur',
      rightsHolder: 'détenteur des droits',
      contributor: 'contributeur',
      funder: 'financeur',
      stakeholder: 'partie prenante',
    },
    frequency: {
      CONT: 'continue',
      UPDATE_CONT: 'continue',
      HOURLY: 'toutes les heures',
      DAILY: 'quotidienne',
      WEEKLY: 'hebdomadaire',
      BIWEEKLY: 'toutes les deux semaines',
      MONTHLY_2: 'deux fois par mois',
      MONTHLY: 'mensuelle',
      QUARTERLY: 'trimestrielle',
      ANNUAL_2: 'semestrielle',
      ANNUAL: 'annuelle',
      BIENNIAL: 'tous les deux ans',
      TRIENNIAL: 'tous les trois ans',
      IRREG: 'irrégulière',
      NEVER: 'aucune mise à jour prévue',
      UNKNOWN: 'inconnue',
      OTHER: 'autre',
    },
  },
  en: {
    function: {
      download: 'download',
      information: 'information',
      offlineAccess: 'offline access',
      order: 'order',
      search: 'search',
      completeMetadata: 'complete metadata',
      browseGraphic: 'browse graphic',
      upload: 'upload',
      emailService: 'email service',
      browsing: 'browsing',
      fileAccess: 'file access',
      data: 'data',
      metadata: 'metadata',
      thumbnail: 'thumbnail',
      overview: 'overview',
      visual: 'visual',
    },
    rating: { excellent: 'excellent', good: 'good', sufficient: 'sufficient', bad: 'bad' },
    role: {
      resourceProvider: 'resource provider',
      custodian: 'custodian',
      owner: 'owner',
      user: 'user',
      distributor: 'distributor',
      originator: 'originator',
      pointOfContact: 'point of contact',
      principalInvestigator: 'principal investigator',
      processor: 'processor',
      publisher: 'publisher',
      author: 'author',
      sponsor: 'sponsor',
      coAuthor: 'co-author',
      collaborator: 'collaborator',
      editor: 'editor',
      mediator: 'mediator',
      rightsHolder: 'rights holder',
      contributor: 'contributor',
      funder: 'funder',
      stakeholder: 'stakeholder',
    },
    frequency: {
      CONT: 'continuous',
      UPDATE_CONT: 'continuous',
      HOURLY: 'hourly',
      DAILY: 'daily',
      WEEKLY: 'weekly',
      BIWEEKLY: 'every two weeks',
      MONTHLY_2: 'twice a month',
      MONTHLY: 'monthly',
      QUARTERLY: 'quarterly',
      ANNUAL_2: 'twice a year',
      ANNUAL: 'annual',
      BIENNIAL: 'every two years',
      TRIENNIAL: 'every three years',
      IRREG: 'irregular',
      NEVER: 'no update planned',
      UNKNOWN: 'unknown',
      OTHER: 'other',
    },
  },
};

/** A coded value in words in `lang` (see CODES), else the code as it is. */
export function codeLabel(lang: Lang, kind: CodeKind, code: string): string {
  return Object.hasOwn(CODES[lang][kind], code) ? CODES[lang][kind][code] : code;
}
export type MessageKey = keyof Messages;

type Args<K extends MessageKey> = Messages[K] extends (...a: infer A) => string ? A : [];

/** The message `key` in `lang`, with its arguments when it takes any. */
export function t<K extends MessageKey>(lang: Lang, key: K, ...args: Args<K>): string {
  const m = MESSAGES[lang][key] as string | ((...a: unknown[]) => string);
  return typeof m === 'function' ? m(...args) : m;
}

/** The message table of one language, as a function (what page modules take). */
export type Translate = <K extends MessageKey>(key: K, ...args: Args<K>) => string;
export function translator(lang: Lang): Translate {
  return (key, ...args) => t(lang, key, ...args);
}

export function isLang(v: unknown): v is Lang {
  return typeof v === 'string' && (LANGS as readonly string[]).includes(v);
}

/**
 * The language of a request: `?lang=` when it names one of ours (`explicit`: links then carry it on), else the best
 * of Accept-Language, else French.
 */
export function requestLang(req: FastifyRequest): { lang: Lang; explicit: boolean } {
  const q = (req.query as Record<string, unknown> | undefined)?.lang;
  if (isLang(q)) return { lang: q, explicit: true };
  const best = accepts(req.raw).languages([...LANGS]);
  return { lang: isLang(best) ? best : DEFAULT_LANG, explicit: false };
}

/**
 * The text of a language map for a reader of `lang`: that language, else French or English, else the untagged
 * value, else the first. `lang` of the result is the language of the text (undefined when unknown), for the HTML
 * lang attribute.
 */
export function pick(map: LangMap | undefined, lang: Lang): { text: string; lang?: string } | undefined {
  if (!map) return undefined;
  for (const l of [lang, ...LANGS.filter((x) => x !== lang)]) if (map[l] !== undefined) return { text: map[l], lang: l };
  if (map['@none'] !== undefined) return { text: map['@none'] };
  const first = Object.entries(map)[0];
  return first ? { text: first[1], lang: first[0] } : undefined;
}
