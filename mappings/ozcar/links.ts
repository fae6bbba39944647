/**
 * Links of an OZCAR dataset: online resources (download portal → distribution, information page → landingPage, web
 * services → distributions with their OGC service type), the DOI (→ otherIdentifier) and the producer's DOI (the
 * observatory's whole collection → isPartOf), documents (publications → isReferencedBy, a DOI in https://doi.org/
 * form, as DCAT-AP's property of the publications about a dataset; manuals → page; a type the pivot schema does not
 * have → relation). Pure.
 */
import type { Distribution, Identifier } from '../../schemas/record.js';
import { arr, obj, unique, type JsonObject } from '../../core/json.js';
import { doiIri, protocolServiceType } from '../../core/vocab.js';
import { doiIdentifier, standard, urlIri } from '../common.js';
import type { TextReader } from './text.js';
import { coded, type SourceWarning } from '../../core/warnings.js';

export interface LinkFacts {
  distribution: Distribution[];
  landingPage: string[];
  otherIdentifier: Identifier[];
  isPartOf: string[];
  isReferencedBy: string[];
  relation: string[];
  page: string[];
}

/** An absolute http(s) URL as an IRI (characters an IRI may not hold percent-encoded: common.ts urlIri), or undefined. */
export function httpUrl(v: string | undefined): string | undefined {
  const iri = urlIri(v);
  if (!iri || !/^https?:\/\/./i.test(iri)) return undefined;
  try {
    new URL(iri);
    return iri;
  } catch {
    return undefined;
  }
}

export function readLinks(
  t: TextReader,
  metadata: JsonObject,
  producer: JsonObject | undefined,
  lang: string,
  warnings: SourceWarning[],
): LinkFacts {
  const online = obj(metadata.onlineResource) ?? {};
  const distribution: Distribution[] = [];
  const url = (v: unknown, where: string) => {
    const text = t.text(v);
    const u = httpUrl(text);
    if (text && !u) warnings.push(coded(where, 'ozcar.url.invalid', { value: text }));
    return u;
  };

  const download = url(online.urlDownload, '/metadata/onlineResource/urlDownload');
  if (download) distribution.push({ '@type': 'dcat:Distribution', accessURL: download, function: 'download' });
  for (const [i, w] of arr(online.webservices).entries()) {
    const ws = obj(w);
    const access = url(ws?.url, `/metadata/onlineResource/webservices/${i}/url`);
    if (!ws || !access) continue;
    const description = t.text(ws.description);
    const service = protocolServiceType(description) ?? protocolServiceType(undefined, access);
    distribution.push({
      '@type': 'dcat:Distribution',
      accessURL: access,
      ...(description ? { title: { [lang]: description } } : {}),
      ...(service ? { conformsTo: [standard(service)] } : {}),
    });
  }

  const landing = url(online.urlInfo, '/metadata/onlineResource/urlInfo');
  const otherIdentifier: Identifier[] = [];
  const doiText = t.text(online.doi);
  const doi = doiIri(doiText);
  if (doi) otherIdentifier.push(doiIdentifier(doi));
  else if (doiText) warnings.push(coded('/metadata/onlineResource/doi', 'ozcar.doi.invalid', { value: doiText }));

  const producerDoi = doiIri(t.text(obj(producer?.onlineResource)?.doi));

  // the pivot's two document types: a Publication (about the data) and a Manual (how to use them); another is related
  const isReferencedBy: string[] = [];
  const relation: string[] = [];
  const page: string[] = [];
  for (const [i, d] of arr(metadata.documents).entries()) {
    const doc = obj(d);
    const u = url(doc?.url, `/metadata/documents/${i}/url`);
    if (!u) continue;
    const type = t.text(doc?.type);
    if (type === 'Manual') page.push(u);
    else if (type === 'Publication') isReferencedBy.push(doiIri(u) ?? u);
    else relation.push(u);
  }

  return {
    distribution: unique(distribution, (d) => d.accessURL),
    landingPage: landing ? [landing] : [],
    otherIdentifier,
    isPartOf: producerDoi && producerDoi !== doi ? [producerDoi] : [],
    isReferencedBy: unique(isReferencedBy),
    relation: unique(relation),
    page: unique(page),
  };
}
