/**
 * The crosswalks' warnings in French, by code (the English and the parameters: warnings-en.ts). In the hub's terms
 * (« fiche », « jeu de données », « emprise », « licence »...), with the French typography: a narrow no-break space
 * before « : ; ? ! » and no-break spaces inside « ». Element paths, field names and values stay as the source writes
 * them.
 */
import type { WarningCode } from './render.js';

export const WARNINGS_FR: Record<WarningCode, string> = {
  // STAC (mappings/stac, core/stac.ts)
  'stac.extent.invalid': '{why}\u202f: {leftOut}',
  'stac.bbox.notArray': 'tableau de 4 ou 6 nombres attendu, trouvé {got}',
  'stac.bbox.length': '4 ou 6 nombres attendus, trouvé {count}',
  'stac.bbox.notNumber': 'nombre attendu, trouvé {got}',
  'stac.bbox.longitude': 'longitude hors de [-180, 180]\u202f: {box}',
  'stac.bbox.latitude': 'latitude hors de [-90, 90]\u202f: {box}',
  'stac.bbox.southNorth': 'le sud {south} est au nord du nord {north}',
  'stac.leftOut.box': 'le rectangle est laissé de côté',
  'stac.datetime.invalid': 'date-heure RFC 3339 attendue, trouvé {got}',
  'stac.interval.notPair': '[début, fin] attendu (null pour une borne ouverte), trouvé {got}',
  'stac.interval.order': 'le début {start} est après la fin {end}',
  'stac.leftOut.interval': 'l’intervalle est laissé de côté',
  'stac.extent.missing': 'absent (obligatoire en STAC)\u202f: ni emprise ni étendue temporelle',
  'stac.extent.notObject': 'objet attendu, trouvé {got}\u202f: ni emprise ni étendue temporelle',
  'stac.extent.bareBbox': 'une bbox seule (la forme de STAC 0.6 et 0.7)\u202f: lue comme extent.spatial.bbox[0]',
  'stac.extent.spatialNotObject': 'objet avec bbox attendu, trouvé {got}\u202f: pas d’emprise',
  'stac.extent.bboxNotArray': 'tableau non vide de rectangles attendu, trouvé {got}\u202f: pas d’emprise',
  'stac.extent.flatBbox': 'un rectangle à plat, pas un tableau de rectangles\u202f: lu comme un seul rectangle',
  'stac.extent.bareInterval': 'un intervalle seul (la forme de STAC 0.6 et 0.7)\u202f: lu comme extent.temporal.interval[0]',
  'stac.extent.temporalNotObject': 'objet avec interval attendu, trouvé {got}\u202f: pas d’étendue temporelle',
  'stac.extent.intervalNotArray': 'tableau non vide de [début, fin] attendu, trouvé {got}\u202f: pas d’étendue temporelle',
  'stac.extent.flatInterval': 'un intervalle à plat, pas un tableau d’intervalles\u202f: lu comme un seul intervalle',
  'stac.nothing': 'rien',
  'stac.geometry.null': 'null (valide en STAC), pas d’emprise',
  'stac.geometry.missing': 'absente, pas d’emprise',
  'stac.geometry.invalid': 'géométrie GeoJSON ou null attendue, trouvé {got}\u202f: laissée de côté',
  'stac.leftOut.geometryBox': 'le rectangle de la géométrie le remplace',
  'stac.leftOut.noSpatial': 'pas d’emprise',
  'stac.geometry.noPositions': 'aucune position, pas d’emprise',
  'stac.leftOut.notCrs84': 'les positions ne sont pas en longitude, latitude (CRS84)\u202f: pas d’emprise',
  'stac.geometry.tooLarge': 'trop grande pour être copiée, la bbox la remplace',
  'stac.item.startAfterEnd': '{start} est après properties.end_datetime {end}\u202f: {fallback}',
  'stac.leftOut.datetimeStands': 'le datetime tient lieu de période',
  'stac.leftOut.noTemporal': 'pas d’étendue temporelle',
  'stac.item.noDatetime': 'null et ni start_datetime ni end_datetime\u202f: pas d’étendue temporelle',
  'stac.license.missing': 'absente\u202f: les conditions d’utilisation sont inconnues',
  'stac.license.noLink': '«\u00a0{value}\u00a0» sans lien de rel "license"\u202f: les conditions sont inconnues',
  'stac.license.notSpdx': '«\u00a0{value}\u00a0» n’est ni un identifiant ni une expression SPDX\u202f: gardé comme libellé',
  'stac.asset.notObject': 'pas un objet, ignoré',
  'stac.asset.noHref': 'absent (obligatoire en STAC)\u202f: asset laissé de côté',
  'stac.asset.noIri': '{href} n’a pas d’IRI publique (relative, sans base http(s))\u202f: laissé de côté',
  'stac.description.missing': 'absente (obligatoire en STAC)',
  'stac.interval.open': 'un intervalle ouvert aux deux bouts ne dit rien\u202f: laissé de côté',
  'stac.bbox.itemsBeyond': 'les items en débordent',
  'stac.title.missing': 'absent, l’id sert de titre',
  'stac.doi.invalid': '«\u00a0{value}\u00a0» n’est pas un DOI\u202f: ignoré',
  'stac.provider.noName': 'absent\u202f: un fournisseur sans nom est ignoré',
  'stac.provider.url': '{url} n’est pas une URL absolue\u202f: retirée',
  'stac.provider.role': 'rôle de fournisseur «\u00a0{role}\u00a0» inconnu, laissé hors des attributions',
  'stac.version.invalid': '«\u00a0{version}\u00a0» n’est pas une version',
  'stac.version.missing': 'absente',
  'stac.item.collectionDiffers':
    '«\u00a0{declared}\u00a0», nommée par l’item, diffère de la collection «\u00a0{walked}\u00a0» où il a été trouvé\u202f: «\u00a0{walked}\u00a0» est gardée',
  'stac.item.noCollection': 'absente\u202f: l’item n’appartient à aucune collection, son id seul est son identifiant',
  // ISO 19139 / 19115-3 (mappings/iso)
  'iso.constraint.notIriText':
    '«\u00a0{link}\u00a0» n’est pas une IRI absolue (elle n’a pas de schéma tel que https:, et aucun n’est deviné)\u202f: la contrainte est lue dans son seul texte',
  'iso.constraint.notIri':
    '«\u00a0{link}\u00a0» n’est pas une IRI absolue (elle n’a pas de schéma tel que https:, et aucun n’est deviné)\u202f: laissée de côté',
  'iso.temporalResolution.invalid': '«\u00a0{value}\u00a0» n’est pas une durée ISO 8601\u202f: laissée de côté',
  'iso.online.notUrl': '«\u00a0{url}\u00a0» n’est pas une URL absolue\u202f: ressource en ligne ignorée',
  'iso.transferOptions.misplaced':
    'mal placé (transferOptions appartient à MD_Distribution, à côté de son distributionFormat)\u202f: lu comme ses options de transfert',
  'iso.overview.notUrl': '«\u00a0{url}\u00a0» n’est pas une URL absolue\u202f: aperçu laissé de côté',
  'iso.bbox.empty': 'aucune coordonnée (un rectangle englobant vide)\u202f: ignoré',
  'iso.bbox.invalid': 'coordonnées invalides (O {w}, S {s}, E {e}, N {n})\u202f: rectangle englobant ignoré',
  'iso.polygon.unsupported': 'GML {gml} non pris en charge ou non géographique\u202f: polygone englobant ignoré',
  'iso.temporalElement.misplaced':
    'mal placé (un temporalElement appartient à l’EX_Extent, à côté de son geographicElement)\u202f: lu comme celui de l’étendue',
  'iso.temporal.beginNotDate':
    'le début «\u00a0{value}\u00a0» n’est pas une date (ISO 8601\u202f: AAAA, AAAA-MM, AAAA-MM-JJ ou une date-heure)\u202f: ignoré',
  'iso.temporal.endNotDate':
    'la fin «\u00a0{value}\u00a0» n’est pas une date (ISO 8601\u202f: AAAA, AAAA-MM, AAAA-MM-JJ ou une date-heure)\u202f: ignorée',
  'iso.temporal.order': 'commence le {start} après sa fin le {end}\u202f: période laissée de côté',
  'iso.extent.nested':
    'contient un autre EX_Extent au lieu de ses éléments (geographicElement, temporalElement…)\u202f: celui de l’intérieur est lu',
  'iso.fileIdentifier.fromResource': 'absent\u202f: l’identifiant de la fiche est celui de la ressource, «\u00a0{id}\u00a0»',
  'iso.fileIdentifier.derived':
    'absent, et pas d’identifiant de ressource non plus\u202f: identifiant stable «\u00a0{id}\u00a0» tiré du sha256 du contenu',
  'iso.hierarchyLevel.unknown': 'niveau de hiérarchie «\u00a0{value}\u00a0» inconnu',
  'iso.citationDate.invalid': '«\u00a0{value}\u00a0» ({type}) n’est pas une date\u202f: ignorée',
  'iso.noType': 'sans type',
  'iso.language.unknown': '«\u00a0{value}\u00a0» non reconnue',
  'iso.scale.notNumber': '«\u00a0{value}\u00a0» n’est pas un nombre\u202f: ignoré',
  'iso.frequency.unknown': '«\u00a0{value}\u00a0» non reconnue',
  'iso.associated.titleOnly':
    'la ressource associée «\u00a0{title}\u00a0» n’est nommée que par son titre (ni identifiant, ni metadataReference, ni lien)\u202f: pas reliée\u202f; donnez son identifiant ou l’uuidref de sa fiche',
  'iso.connectPoint.missing': 'absent\u202f: les ressources en ligne du service sont prises pour ses points d’accès',
  'iso.topicCategory.unknown': 'catégorie thématique «\u00a0{value}\u00a0» inconnue, gardée comme mot-clé',
  'iso.contact.urlNotAbsolute':
    '«\u00a0{url}\u00a0» n’est pas une URL absolue (elle n’a pas de schéma tel que https:, et aucun n’est deviné)\u202f: l’adresse web du contact est laissée de côté',
  'iso.metadataLanguage.unknown': '«\u00a0{value}\u00a0» non reconnue\u202f: textes rangés sous "@none"',
  'iso.dateStamp.invalid': '«\u00a0{value}\u00a0» n’est pas une date\u202f: ignoré',
  'iso.series.memberOfUnnamed3':
    'membre {position} sur {of} d’une {series} dont la fiche propre (has) n’a pas de metadataIdentifier (ou ne contient aucune fiche)\u202f: cette fiche «\u00a0{id}\u00a0» ne peut pas nommer sa série (dcat:inSeries)',
  'iso.series.memberOfUnnamed':
    'membre {position} sur {of} d’une {series} dont le seriesMetadata n’a pas de fileIdentifier (ou ne contient aucune fiche)\u202f: cette fiche «\u00a0{id}\u00a0» ne peut pas nommer sa série (dcat:inSeries)',
  'iso.fileIdentifier.fromSeries':
    'absent dans le membre {position} sur {of} d’une {series} «\u00a0{seriesId}\u00a0»\u202f: identifiant «\u00a0{id}\u00a0» tiré de celui de la série et du rang du membre',
  'iso.series.unnamedMembers':
    '{name}\u202f: le ou les membres {members} sur {count} n’ont pas de {idName}, et la série non plus\u202f: chacun est une fiche à part (identifiée par son propre contenu) mais la série ne peut pas le nommer (dcat:seriesMember)',
  'iso.series.nestedAggregates':
    '{name}\u202f: {count} membre(s) sont eux-mêmes des agrégats ({aggregates})\u202f: chacun est un membre, lu dans sa propre fiche (has)\u202f; les {held} membre(s) qu’ils contiennent ne sont pas séparés',
  'iso.series.aggregateHolding': '{element} en contenant {records}',
  'iso.series.byReference':
    '{name}\u202f: {count} jeu(x) de données membre(s) donné(s) seulement par référence (xlink:href, le premier {first}), absent(s) du document\u202f: pas de fiche ici\u202f; moissonnez les fiches vers lesquelles ils pointent',
  // Dublin Core csw:Record (mappings/dc)
  'dc.bbox.corners': 'LowerCorner ou UpperCorner absent ou pas fait de deux nombres\u202f: ignoré',
  'dc.bbox.notDegrees': 'O {w}, S {s}, E {e}, N {n} n’est pas un rectangle en degrés\u202f: ignoré',
  'dc.temporal.invalid': '«\u00a0{value}\u00a0» n’est ni une date, ni un intervalle ISO 8601, ni une DCMI Period\u202f: ignoré',
  'dc.bbox.crs': 'le crs «\u00a0{crs}\u00a0» n’est ni EPSG:4326 ni CRS84\u202f: le rectangle n’est pas reprojeté, il est laissé de côté',
  'dc.bbox.noCrs': 'pas de crs\u202f: lu en EPSG:4326 (latitude, longitude), le défaut de CSW 2.0.2',
  'dc.type.unknown': '«\u00a0{value}\u00a0» n’est ni un type DCMI ni une portée ISO\u202f: pas gardé comme type de ressource',
  'dc.publisher.many': '{count} éditeurs\u202f: le premier est celui de la fiche',
  'dc.references.notUrl': '«\u00a0{value}\u00a0» n’est pas une URL\u202f: ignorée',
  'dc.format.ambiguous': '{formats} format(s) pour {links} lien(s)\u202f: rien ne dit quel format va avec quel lien\u202f; non gardés',
  'dc.identifier.derived': 'absent\u202f: identifiant stable «\u00a0{id}\u00a0» tiré du sha256 de la fiche',
  'dc.date.invalid': '«\u00a0{value}\u00a0» n’est pas une date\u202f: ignorée',
  // DCAT (mappings/dcat)
  'dcat.agent.anonymous': 'un agent sans nom ni IRI est laissé de côté',
  'dcat.agent.noName': 'l’agent {id} n’a pas de nom dans le catalogue\u202f: nommé d’après son IRI',
  'dcat.contactPoint.anonymous': 'un point de contact sans nom ni adresse électronique est laissé de côté',
  'dcat.distribution.noUrl': 'la distribution {id} n’a ni URL d’accès ni URL de téléchargement\u202f: laissée de côté',
  'dcat.blankNode': '(nœud anonyme)',
  'dcat.distribution.undescribed': 'la distribution {id} n’est pas décrite dans le catalogue\u202f: laissée de côté',
  'dcat.geometry.unknown': 'une géométrie ni WKT ni GeoJSON est laissée de côté\u202f: {text}',
  'dcat.geometry.crs': 'une géométrie en {crs} est laissée de côté (seuls CRS84 et EPSG:4326 sont lus)',
  'dcat.geometry.badGeoJson': 'une géométrie GeoJSON illisible est laissée de côté\u202f: {text}',
  'dcat.geometry.gml': 'une géométrie GML est laissée de côté (WKT et GeoJSON sont lus)',
  'dcat.temporal.invalid': '«\u00a0{value}\u00a0» n’est ni une période, ni un intervalle ISO 8601, ni une date\u202f: ignoré',
  'dcat.document.manyResources': '{count} ressources dans un seul document\u202f: {subject} est la fiche',
  // OZCAR pivot (mappings/ozcar)
  'ozcar.language.en': 'anglais',
  'ozcar.language.fr': 'français',
  'ozcar.theFile': 'le fichier',
  'ozcar.language.contradiction':
    '{file}\u202f: nommé en {named} (_{key}) mais son titre et sa description se lisent en {seen} ({fr} mots-outils français et {en} anglais)\u202f: les textes sont étiquetés {key} comme le dit le nom',
  'ozcar.language.contradictionRename':
    '{file}\u202f: nommé en {named} (_{key}) mais son titre et sa description se lisent en {seen} ({fr} mots-outils français et {en} anglais)\u202f: les textes sont étiquetés {key} comme le dit le nom\u202f; s’ils sont en {seen}, nommez le fichier {renamed}',
  'ozcar.orcid.invalid': '«\u00a0{value}\u00a0» n’est pas un ORCID\u202f: ignoré',
  'ozcar.email.invalid': '«\u00a0{value}\u00a0» n’est pas une adresse électronique\u202f: ignorée',
  'ozcar.role.unknown': 'contact {name}\u202f: {role} n’est pas un rôle OZCAR, pas d’attribution',
  'ozcar.producer.urlNotAbsolute':
    '«\u00a0{url}\u00a0» n’est pas une URL absolue (elle n’a pas de schéma tel que https:, et aucun n’est deviné)\u202f: l’adresse web du producteur est laissée de côté',
  'ozcar.producer.missing': 'absent\u202f: ni éditeur, ni financeur, ni contacts du producteur',
  'ozcar.address.notIri': 'son adresse {address} n’est pas une IRI absolue\u202f: laissée de côté',
  'ozcar.language.unknown': 'langue des textes inconnue (le nom de fichier {file} n’a pas de _<langue>.json)',
  'ozcar.observation.period':
    '{count} étendue(s) temporelle(s) d’observation illisible(s) ou inversée(s), laissée(s) hors de l’étendue temporelle',
  'ozcar.station.outside': '{count} position(s) hors de l’emprise du jeu de données',
  'ozcar.spatial.unusable': 'aucune coordonnée utilisable (longitude -180..180, latitude -90..90)\u202f: pas d’emprise',
  'ozcar.inspireTheme.unknown': '«\u00a0{value}\u00a0» n’est pas un thème INSPIRE',
  'ozcar.text.repaired':
    '{count} texte(s) étaient de l’UTF-8 lu comme du Latin-1 (par exemple «\u00a0Ã©\u00a0» pour «\u00a0é\u00a0»)\u202f: réparé(s)',
  'ozcar.url.invalid': '«\u00a0{value}\u00a0» n’est pas une URL http(s)\u202f: ignorée',
  'ozcar.doi.invalid': '«\u00a0{value}\u00a0» n’est pas un DOI\u202f: ignoré',
  'ozcar.licence.unknown': '«\u00a0{value}\u00a0» n’est pas une licence que ce catalogue reconnaît\u202f; gardée telle quelle',
  'ozcar.embargo.computed':
    '{days} jour(s) «\u00a0à compter de la date du jour\u00a0»\u202f: fin calculée depuis la date de moissonnage ({end})',
  // resto / OpenSearch (mappings/resto)
  'resto.box.invalid': '{box} n’est pas un rectangle\u202f: laissé de côté',
  'resto.spatial.none': 'ni georss:box, ni georss:polygon, ni georss:where\u202f: pas d’emprise',
  'resto.date.missing': 'absente\u202f: pas d’étendue temporelle',
  'resto.description.missing': 'absente\u202f: la collection prend son nom pour titre',
  'resto.geometry.none': 'aucune\u202f: pas d’emprise',
  'resto.startDate.none': 'aucune\u202f: pas d’étendue temporelle',
  // the normalised record (pipelines/map.ts, schemas/validate.ts)
  'record.value.dropped': '{value} laissé de côté\u202f: {reason} ({at} de la fiche normalisée)',
  'record.reason.iri': 'pas une IRI absolue (il lui faut un schéma tel que https:, et aucun n’est deviné)',
  'record.reason.mailto': 'pas une adresse électronique',
  'record.reason.text': 'texte vide',
  'record.reason.decimal': 'pas un nombre décimal positif',
  'record.reason.dateLiteral': 'pas une date valide',
  'record.reason.bboxLiteral':
    'pas un rectangle POLYGON((w s,e s,e n,w n,w s)) aux longitudes dans [-180, 180] et aux latitudes dans [-90, 90]',
  'record.reason.geometryLiteral': 'pas une géométrie WKT ou GeoJSON',
  'record.reason.langMap': 'pas un texte avec une étiquette de langue',
  'record.reason.langMapMulti': 'pas des textes avec une étiquette de langue',
  'record.reason.langTag': '«\u00a0{name}\u00a0» n’est ni une étiquette de langue (comme fr, en, de-CH) ni @none',
  'record.reason.notField': 'pas un champ de la fiche',
  'record.reason.temporalOrder': 'startDate {start} est après endDate {end}',
  'record.ajv.type': 'doit être de type {type}',
  'record.ajv.enum': 'doit être l’une des valeurs permises\u202f: {values}',
  'record.ajv.const': 'doit valoir {value}',
  'record.ajv.pattern': 'doit suivre le motif «\u00a0{pattern}\u00a0»',
  'record.ajv.format': 'doit être au format «\u00a0{format}\u00a0»',
  'record.ajv.minLength': 'ne doit pas avoir moins de {limit} caractère(s)',
  'record.ajv.maxLength': 'ne doit pas avoir plus de {limit} caractère(s)',
  'record.ajv.minItems': 'ne doit pas avoir moins de {limit} élément(s)',
  'record.ajv.minimum': 'doit être supérieur ou égal à {limit}',
  'record.ajv.exclusiveMinimum': 'doit être strictement supérieur à {limit}',
  'record.ajv.minProperties': 'ne doit pas avoir moins de {limit} propriété(s)',
  'record.ajv.required': 'doit avoir la propriété obligatoire «\u00a0{property}\u00a0»',
  'record.ajv.anyOf': 'doit correspondre à l’un des schémas de anyOf',
  // links (pipelines/validate.ts --links)
  'links.status': '{url} ne répond pas\u202f: HTTP {status}',
  // Theia/OZCAR thesaurus (pipelines/theia.ts)
  'theia.narrowerCategories': 'ses catégories plus fines',
  'theia.category.broad':
    '{category} est une catégorie large du thésaurus Theia/OZCAR\u202f: donnez l’une de ses catégories plus fines ({names})',
  'theia.category.unknown': '{category} n’est pas une catégorie du thésaurus Theia/OZCAR (vérifié d’après {origin})',
  'theia.origin.builtin': 'les {count} IRI de catégories connues du code et des données publics de Theia/OZCAR',
  'theia.origin.skos': 'le thésaurus SKOS {file} ({count} concepts)',
};
