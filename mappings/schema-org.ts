/**
 * A record as schema.org JSON-LD, the markup web search engines read in a dataset's page (Google Dataset Search,
 * and crawlers such as F-UJI's, which extract it with extruct): a pure crosswalk from the hub record, embedded by the
 * record page (api/pages/record-page.ts) in a `<script type="application/ld+json">`.
 *
 * What Google's dataset guidelines ask for, from the record: `name` and `description` (in the page's language when the
 * record has it), `url` (the page), `identifier` (DOIs and Handles as resolver URLs first, then the other
 * identifiers), `sameAs` (landing pages), `keywords` (keywords and theme labels), `license`, `creator` / `publisher` /
 * `funder` (Person or Organization, with ORCID, ROR or another http IRI as `sameAs`), `datePublished` /
 * `dateModified` / `dateCreated`, `temporalCoverage` (ISO 8601 intervals, `..` for an open end),
 * `spatialCoverage` (a Place with a GeoShape box, "south west north east", or GeoCoordinates for a point),
 * `distribution` (a DataDownload per download URL, with its media type or format), `includedInDataCatalog` (the hub's
 * catalogue), `isPartOf` / `hasPart` (series and members, as their pages here when the hub holds them),
 * `variableMeasured`, `version`, `inLanguage`, `thumbnailUrl`, `citation` (its bibliographic citation). A data
 * service is a `WebAPI` with its provider and documentation, no distribution.
 */
import { langKey } from '../core/vocab.js';
import type { Agent, HubRecord, LangMap, LangMapMulti } from '../schemas/record.js';
import { isPerson, recordOfIri } from '../schemas/record.js';
import { parseBboxWkt } from './index-doc.js';
import { authorAgents, coord, nameOf } from './oai-dc.js';
import { globalIdentifiers } from './pid.js';

export interface SchemaOrgOptions {
  /** The absolute URL of the record's page (the dataset's landing page on the hub). */
  pageUrl: string;
  /** The page's language: the texts chosen in it when the record has them. */
  lang: string;
  /** The hub's catalogue: its name and the absolute URL of its search page. */
  catalogue: { name: string; url: string };
  /** The absolute URL of the page of a hub record, by hub id. */
  recordPage: (id: string) => string;
}

type Json = Record<string, unknown>;

/** A text of a language map: the page's language, then the one without a language, French, English, any. */
function text(map: LangMap | undefined, lang: string): string | undefined {
  if (!map) return undefined;
  return map[lang] ?? map['@none'] ?? map.fr ?? map.en ?? Object.values(map)[0];
}

function texts(map: LangMapMulti | undefined): string[] {
  return Object.values(map ?? {}).flat();
}

const isHttp = (v: string | undefined): v is string => !!v && /^https?:\/\/\S+$/i.test(v);

/** A single value as itself, several as a list, none left out. */
function one<T>(list: T[]): T | T[] | undefined {
  return list.length === 0 ? undefined : list.length === 1 ? list[0] : list;
}

function agent(a: Agent, lang: string): Json | undefined {
  const name = text(a.name, lang) ?? nameOf(a);
  if (!name) return undefined;
  const ids = [...new Set([a['@id'], ...(a.identifier ?? [])].filter(isHttp))];
  const org = a.memberOf ? agent(a.memberOf, lang) : undefined;
  return {
    '@type': isPerson(a) ? 'Person' : 'Organization',
    name,
    ...(ids.length ? { sameAs: one(ids) } : {}),
    ...(isHttp(a.homepage) ? { url: a.homepage } : {}),
    ...(org && isPerson(a) ? { affiliation: org } : {}),
  };
}

function agents(list: Agent[] | undefined, lang: string): Json | Json[] | undefined {
  return one(
    (list ?? []).flatMap((a): Json[] => {
      const j = agent(a, lang);
      return j ? [j] : [];
    }),
  );
}

/** A hub record's page here, another IRI as it is. */
function linkedUrl(iri: string, o: SchemaOrgOptions): string {
  const hub = recordOfIri(iri);
  return hub ? o.recordPage(hub.id) : iri;
}

function identifiers(r: HubRecord): string[] {
  const pids = globalIdentifiers(r).map((p) => p.url);
  const others = (r.otherIdentifier ?? []).map((i) => i.notation).filter((n) => !pids.some((p) => p.endsWith(n)));
  return [...new Set([...pids, ...others, r['@id']])];
}

function period(p: { startDate?: { '@value': string }; endDate?: { '@value': string } }): string | undefined {
  const start = p.startDate?.['@value'];
  const end = p.endDate?.['@value'];
  if (!start && !end) return undefined;
  return start === end ? start : `${start ?? '..'}/${end ?? '..'}`;
}

function places(r: HubRecord, lang: string): Json[] {
  return (r.spatial ?? []).flatMap((loc) => {
    const name = text(loc.prefLabel, lang);
    const box = loc.bbox ? parseBboxWkt(loc.bbox['@value']) : undefined;
    const geo = !box
      ? undefined
      : box.west === box.east && box.south === box.north
        ? { '@type': 'GeoCoordinates', latitude: Number(coord(box.south)), longitude: Number(coord(box.west)) }
        : { '@type': 'GeoShape', box: `${coord(box.south)} ${coord(box.west)} ${coord(box.north)} ${coord(box.east)}` };
    return name || geo ? [{ '@type': 'Place', ...(name ? { name } : {}), ...(geo ? { geo } : {}) }] : [];
  });
}

function downloads(r: HubRecord, lang: string): Json[] {
  return (r.distribution ?? []).flatMap((d) => {
    if (!isHttp(d.downloadURL)) return [];
    const mediaType = d.mediaType?.['@id'].replace(/^https?:\/\/www\.iana\.org\/assignments\/media-types\//, '');
    const format = mediaType ?? text(d.format?.label, lang) ?? (d.format?.['@id'] ? d.format['@id'].replace(/^.*\//, '') : undefined);
    const name = text(d.title, lang);
    return [
      {
        '@type': 'DataDownload',
        contentUrl: d.downloadURL,
        ...(format ? { encodingFormat: format } : {}),
        ...(name ? { name } : {}),
        ...(d.byteSize !== undefined ? { contentSize: `${d.byteSize} B` } : {}),
        ...(isHttp(d.license?.['@id']) ? { license: d.license['@id'] } : {}),
      },
    ];
  });
}

/** The record as a schema.org Dataset (a series too) or WebAPI (a data service), as JSON-LD. */
export function toSchemaOrg(r: HubRecord, o: SchemaOrgOptions): Json {
  const service = r['@type'][0] === 'dcat:DataService';
  const name = text(r.title, o.lang);
  const description = text(r.description, o.lang);
  const keywords = [...new Set([...texts(r.keyword), ...(r.theme ?? []).flatMap((t) => text(t.prefLabel, o.lang) ?? [])])];
  const landing = (r.landingPage ?? []).map((p) => p['@id']).filter((u) => isHttp(u) && u !== o.pageUrl);
  const common: Json = {
    '@context': 'https://schema.org/',
    '@type': service ? 'WebAPI' : 'Dataset',
    '@id': r['@id'],
    url: o.pageUrl,
    ...(name ? { name } : {}),
    ...(description ? { description } : {}),
    identifier: one(identifiers(r)),
    ...(landing.length ? { sameAs: one(landing) } : {}),
  };
  if (service) {
    const docs = (r.endpointDescription ?? []).filter(isHttp);
    const provider = r.publisher ? agent(r.publisher, o.lang) : undefined;
    return {
      ...common,
      ...(provider ? { provider } : {}),
      ...(docs.length ? { documentation: one(docs) } : {}),
      ...(keywords.length ? { keywords } : {}),
    };
  }
  const licences = (r.license ?? []).flatMap((l) => (isHttp(l['@id']) ? [l['@id']] : (text(l.label, o.lang) ?? [])));
  const temporal = (r.temporal ?? []).flatMap((p) => period(p) ?? []);
  const spatial = places(r, o.lang);
  const distribution = downloads(r, o.lang);
  const languages = [...new Set((r.language ?? []).map((l) => langKey(l['@id'])).filter((k) => k !== '@none'))];
  const variables = (r.variableMeasured ?? []).flatMap((v) => {
    const vname = text(v.name, o.lang);
    const vdesc = text(v.description, o.lang);
    return vname
      ? [
          {
            '@type': 'PropertyValue',
            name: vname,
            ...(vdesc ? { description: vdesc } : {}),
            ...(v.unitText ? { unitText: v.unitText } : {}),
            ...(isHttp(v.propertyID) ? { propertyID: v.propertyID } : {}),
          },
        ]
      : [];
  });
  const date = (d: { '@value': string } | undefined) => d?.['@value'];
  const parents = [...(r.inSeries ?? []), ...(r.isPartOf ?? [])].map((iri) => linkedUrl(iri, o));
  const parts = (r.seriesMember ?? []).map((iri) => linkedUrl(iri, o));
  const publisher = r.publisher ? agent(r.publisher, o.lang) : undefined;
  const creator = agents(authorAgents(r), o.lang);
  const funder = agents(r.funder, o.lang);
  return {
    ...common,
    ...(keywords.length ? { keywords } : {}),
    ...(licences.length ? { license: one(licences) } : {}),
    ...(creator ? { creator } : {}),
    ...(publisher ? { publisher } : {}),
    ...(funder ? { funder } : {}),
    ...(date(r.issued) ? { datePublished: date(r.issued) } : {}),
    ...(date(r.modified) ? { dateModified: date(r.modified) } : {}),
    ...(date(r.created) ? { dateCreated: date(r.created) } : {}),
    ...(temporal.length ? { temporalCoverage: one(temporal) } : {}),
    ...(spatial.length ? { spatialCoverage: one(spatial) } : {}),
    ...(distribution.length ? { distribution } : {}),
    ...(variables.length ? { variableMeasured: variables } : {}),
    ...(r.version ? { version: r.version } : {}),
    ...(languages.length ? { inLanguage: one(languages) } : {}),
    ...(r.depiction?.length && isHttp(r.depiction[0]) ? { thumbnailUrl: r.depiction[0] } : {}),
    ...(r.bibliographicCitation ? { citation: r.bibliographicCitation } : {}),
    ...(parents.length ? { isPartOf: one([...new Set(parents)]) } : {}),
    ...(parts.length ? { hasPart: one(parts) } : {}),
    includedInDataCatalog: { '@type': 'DataCatalog', name: o.catalogue.name, url: o.catalogue.url },
  };
}
