/**
 * The Versioning Indicators extension (stac-extensions/version 1.x: `version`, `deprecated`, and the RFC 5829 links)
 * → DCAT 3 versioning (section 11) and life-cycle status. Pure.
 *
 * | STAC                                      | record                                                            |
 * | ----------------------------------------- | ----------------------------------------------------------------- |
 * | `version`                                 | version (dcat:version; read in describe.ts)                        |
 * | `deprecated: true`                        | status (adms:status) EU dataset-status DEPRECATED                 |
 * | link `predecessor-version`                | previousVersion (dcat:previousVersion)                            |
 * | link `successor-version`                  | isReplacedBy (dct:isReplacedBy: a later version supersedes it)    |
 * | link `latest-version`, record superseded  | isReplacedBy (the version to use instead, as the extension says)  |
 * | link `latest-version`, otherwise          | hasCurrentVersion and hasVersion (dcat:hasCurrentVersion is a sub-property of dcat:hasVersion, stated too so that what reads versions sees it) |
 * | link `version-history`                    | page (foaf:page: a changelog; read in links.ts)                    |
 *
 * A record is superseded when it says it is deprecated (an item also when its collection is: the extension's fields
 * on a collection are about all the data it references) or names a successor. A link to the record itself (the latest
 * version linking to itself) relates nothing and is left out. `experimental` has no DCAT home (the EU dataset-status
 * "under development" is about data being produced, not unstable data): not mapped. A `deprecated` that is not a
 * boolean is reported and ignored.
 */
import type { Concept, HubRecord } from '../../schemas/record.js';
import { unique, type JsonObject } from '../../core/json.js';
import { coded, type SourceWarning } from '../../core/warnings.js';
import type { LinkParts } from './links.js';

/** The EU Publications Office's dataset statuses (DCAT 3 section 11.3 names them), whose DEPRECATED says it. */
export const EU_DATASET_STATUS = 'http://publications.europa.eu/resource/authority/dataset-status';

export const DEPRECATED: Concept = {
  '@id': `${EU_DATASET_STATUS}/DEPRECATED`,
  '@type': 'skos:Concept',
  prefLabel: { en: 'deprecated', fr: 'obsolète' },
  inScheme: { '@id': EU_DATASET_STATUS, '@type': 'skos:ConceptScheme', title: { en: 'Dataset status', fr: 'Statut du jeu de données' } },
};

export type VersionParts = Pick<HubRecord, 'hasVersion' | 'hasCurrentVersion' | 'previousVersion' | 'isReplacedBy' | 'status'>;

/** Whether `deprecated` says true (false and absent: no; anything else is reported). */
function deprecated(place: JsonObject | undefined, path: string, warnings: SourceWarning[]): boolean {
  const v = place?.deprecated;
  if (v === undefined || v === null || typeof v === 'boolean') return v === true;
  warnings.push(coded(path, 'stac.deprecated.notBoolean', { got: JSON.stringify(v).slice(0, 80) }));
  return false;
}

/**
 * The versions and status of a collection (`meta` is the collection) or an item (`meta` its properties, `inherited`
 * its collection).
 */
export function readVersions(
  meta: JsonObject,
  metaPath: string,
  inherited: JsonObject | undefined,
  links: Pick<LinkParts, 'self' | 'latestVersion' | 'predecessorVersion' | 'successorVersion'>,
  warnings: SourceWarning[],
): VersionParts {
  const others = (hrefs: string[]): string[] => unique(hrefs.filter((h) => h !== links.self));
  // the collection's own fault is reported with the collection
  const isDeprecated = deprecated(meta, `${metaPath}deprecated`, warnings) || inherited?.deprecated === true;
  const latest = others(links.latestVersion);
  const successors = others(links.successorVersion);
  const superseded = isDeprecated || successors.length > 0;
  return {
    previousVersion: others(links.predecessorVersion),
    isReplacedBy: unique([...successors, ...(superseded ? latest : [])]),
    hasCurrentVersion: superseded ? [] : latest,
    hasVersion: superseded ? [] : latest,
    ...(isDeprecated ? { status: DEPRECATED } : {}),
  };
}
