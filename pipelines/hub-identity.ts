/**
 * Who the hub is, as its consumers see it: the `dcat:Catalog` of the DCAT-AP export and `/catalog`, and the OAI-PMH
 * Identify answer (repository name, administrator e-mail, the namespace of OAI identifiers).
 *
 * Configured by a JSON file named by `HUB_IDENTITY` (any field may be left out: the default below is used), checked
 * when it loads (every problem named by its field; the CLI exits 2, the server does not start):
 *
 *   { "catalogIri": "https://data.example.org/catalog",
 *     "title": { "fr": "Catalogue ...", "en": "Catalogue ..." }, "description": { "fr": "...", "en": "..." },
 *     "publisher": { "name": { "fr": "..." }, "iri": "https://ror.org/...", "homepage": "https://...", "type": "..." },
 *     "homepage": "https://data.example.org/", "language": ["fra", "eng"],
 *     "license": "https://creativecommons.org/licenses/by/4.0/",
 *     "repositoryName": "...", "adminEmail": ["hub@example.org"], "oaiNamespace": "data.example.org" }
 *
 * Defaults: the host of HUB_BASE_URI (`data.hub.example`) gives the catalogue IRI (`https://HOST/catalog`), the
 * homepage (`https://HOST/`) and the OAI namespace (`HOST`); title and description in French and English; the
 * publisher "Pôle national de données surfaces continentales"; languages French and English; administrator
 * `contact@HOST`; licence Etalab Open Licence 2.0 for the catalogue's own metadata.
 */
import { readFileSync } from 'node:fs';
import { UsageError } from '../core/result.js';
import { languageIri } from '../core/vocab.js';
import { HUB_BASE_URI, type LangMap } from '../schemas/record.js';

export interface HubIdentity {
  /** IRI of the dcat:Catalog. */
  catalogIri: string;
  title: LangMap;
  description: LangMap;
  publisher: {
    name: LangMap;
    /** IRI of the publishing organisation (ROR, a web page...); when absent, the catalogue IRI with `#publisher`. */
    iri?: string;
    homepage?: string;
    /** dct:type of the publisher: an IRI of the EU publisher-type authority. */
    type?: string;
  };
  homepage: string;
  /** EU language authority IRIs. */
  language: string[];
  /** Licence of the catalogue's own metadata (IRI). */
  license?: string;
  /** OAI-PMH repositoryName. */
  repositoryName: string;
  /** OAI-PMH adminEmail (at least one). */
  adminEmail: string[];
  /** The namespace part of OAI identifiers `oai:NAMESPACE:source:identifier` (a domain name). */
  oaiNamespace: string;
}

const HOST = (() => {
  try {
    return new URL(HUB_BASE_URI).hostname || 'data.hub.example';
  } catch {
    return 'data.hub.example';
  }
})();

export const DEFAULT_IDENTITY: HubIdentity = {
  catalogIri: `https://${HOST}/catalog`,
  title: {
    fr: 'Catalogue du pôle national de données surfaces continentales',
    en: 'Catalogue of the national land-surface data hub',
  },
  description: {
    fr: 'Métadonnées des jeux de données, séries et services des centres de données de recherche sur les surfaces continentales, moissonnées et normalisées en DCAT-AP par le pôle.',
    en: 'Metadata of the datasets, series and services of the land-surface research data centres, harvested and normalised to DCAT-AP by the hub.',
  },
  publisher: {
    name: { fr: 'Pôle national de données surfaces continentales', en: 'National land-surface data hub' },
    homepage: `https://${HOST}/`,
    type: 'http://purl.org/adms/publishertype/NationalAuthority',
  },
  homepage: `https://${HOST}/`,
  language: [
    'http://publications.europa.eu/resource/authority/language/FRA',
    'http://publications.europa.eu/resource/authority/language/ENG',
  ],
  license: 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/',
  repositoryName: 'National land-surface data hub (OAI-PMH)',
  adminEmail: [`contact@${HOST}`],
  oaiNamespace: HOST,
};

const HTTP_IRI = /^https?:\/\/[^\s/]+[^\s<>"]*$/i;
const EMAIL = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;
/** The oai-identifier namespace syntax: a domain name (OAI-PMH 2.0 oai-identifier guidelines). */
const NAMESPACE = /^[a-zA-Z][a-zA-Z0-9-]*(\.[a-zA-Z][a-zA-Z0-9-]*)+$/;

function langMap(v: unknown, field: string, problems: string[]): LangMap | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'string' && v.trim()) return { '@none': v };
  if (v && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((s) => typeof s === 'string' && s.trim()))
    return v as LangMap;
  problems.push(`${field} must be a text or an object of texts by language, e.g. {"fr": "...", "en": "..."}`);
  return undefined;
}

function iri(v: unknown, field: string, problems: string[]): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'string' && HTTP_IRI.test(v)) return v;
  problems.push(`${field} must be an http(s) IRI (got ${JSON.stringify(v)})`);
  return undefined;
}

/** A hub identity from a partial one (a parsed HUB_IDENTITY file), defaults filled in; every problem in one UsageError. */
export function hubIdentity(raw: unknown = {}, where = 'hub identity'): HubIdentity {
  const problems: string[] = [];
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new UsageError(`${where}: must be a JSON object`);
  const r = raw as Record<string, unknown>;
  const known = new Set([...Object.keys(DEFAULT_IDENTITY), '$comment']);
  for (const k of Object.keys(r))
    if (!known.has(k)) problems.push(`${k}: unknown field (known: ${Object.keys(DEFAULT_IDENTITY).join(', ')})`);
  const d = DEFAULT_IDENTITY;
  const pub = (r.publisher ?? {}) as Record<string, unknown>;
  if (r.publisher !== undefined && (typeof r.publisher !== 'object' || Array.isArray(r.publisher)))
    problems.push('publisher must be an object {name, iri, homepage, type}');
  const languages: string[] = [];
  if (r.language !== undefined) {
    if (!Array.isArray(r.language) || r.language.length === 0) problems.push('language must be a non-empty list, e.g. ["fra", "eng"]');
    else
      for (const l of r.language) {
        const i = typeof l === 'string' ? (l.startsWith('http') ? l : languageIri(l)) : undefined;
        if (i) languages.push(i);
        else problems.push(`language: ${JSON.stringify(l)} is not a language code (fra, eng, fr, en...) or an IRI`);
      }
  }
  const emails: string[] = [];
  if (r.adminEmail !== undefined) {
    const list = Array.isArray(r.adminEmail) ? r.adminEmail : [r.adminEmail];
    for (const e of list) {
      if (typeof e === 'string' && EMAIL.test(e)) emails.push(e);
      else problems.push(`adminEmail: ${JSON.stringify(e)} is not an e-mail address`);
    }
    if (list.length === 0) problems.push('adminEmail must name at least one address');
  }
  if (r.oaiNamespace !== undefined && !(typeof r.oaiNamespace === 'string' && NAMESPACE.test(r.oaiNamespace)))
    problems.push(`oaiNamespace must be a domain name such as data.example.org (got ${JSON.stringify(r.oaiNamespace)})`);
  if (r.repositoryName !== undefined && !(typeof r.repositoryName === 'string' && r.repositoryName.trim()))
    problems.push('repositoryName must be a non-empty text');
  const pubIri = iri(pub.iri, 'publisher.iri', problems) ?? d.publisher.iri;
  const identity: HubIdentity = {
    catalogIri: iri(r.catalogIri, 'catalogIri', problems) ?? d.catalogIri,
    title: langMap(r.title, 'title', problems) ?? d.title,
    description: langMap(r.description, 'description', problems) ?? d.description,
    publisher: {
      name: langMap(pub.name, 'publisher.name', problems) ?? d.publisher.name,
      ...(pubIri ? { iri: pubIri } : {}),
      homepage: iri(pub.homepage, 'publisher.homepage', problems) ?? d.publisher.homepage,
      type: iri(pub.type, 'publisher.type', problems) ?? d.publisher.type,
    },
    homepage: iri(r.homepage, 'homepage', problems) ?? d.homepage,
    language: languages.length ? languages : d.language,
    license: iri(r.license, 'license', problems) ?? d.license,
    repositoryName: (r.repositoryName as string | undefined) ?? d.repositoryName,
    adminEmail: emails.length ? emails : d.adminEmail,
    oaiNamespace: (r.oaiNamespace as string | undefined) ?? d.oaiNamespace,
  };
  if (problems.length > 0) throw new UsageError(`${where}: ${problems.join('; ')}`, 'HUB_IDENTITY');
  return identity;
}

/** The hub identity of `file` (default: $HUB_IDENTITY; none: the defaults). */
export function loadHubIdentity(file: string | undefined = process.env.HUB_IDENTITY || undefined): HubIdentity {
  if (!file) return DEFAULT_IDENTITY;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new UsageError(
      e.code === 'ENOENT' ? `no hub identity file "${file}" (HUB_IDENTITY)` : `hub identity file "${file}" is not JSON: ${e.message}`,
      'HUB_IDENTITY',
    );
  }
  return hubIdentity(raw, `hub identity file "${file}"`);
}
