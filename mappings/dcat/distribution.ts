/**
 * dcat:distribution -> the record's distributions, with DCAT-AP 3's optional properties of a distribution (dates,
 * languages, documentation, status, availability, compression and package formats, resolutions, checksum; not yet its
 * access service, policy or image). A distribution needs an access URL: dcat:accessURL, else its
 * dcat:downloadURL; one with neither is left out with a warning. The format is an IRI (the EU file-type authority...)
 * or a label ("OGC:WMS", "CSV"); the media type an IANA IRI (from a literal "text/csv" too). Pure.
 */
import { coded, phrase, type SourceWarning } from '../../core/warnings.js';
import { mediaTypeIri } from '../../core/vocab.js';
import type { Concept, Distribution, MediaType, MediaTypeOrExtent } from '../../schemas/record.js';
import { checksum as checksumNode, mediaType as mediaTypeNode, resolutionInMeters, standards, webPages, xsdDuration } from '../common.js';
import type { TermNode } from './compact.js';
import { concepts, languages, licenses, rightsStatements } from './concepts.js';
import { date, iris, iriTail, isIri, isLiteral, langMap, list, nodes, numbers, texts } from './values.js';

function format(d: TermNode): MediaTypeOrExtent | undefined {
  for (const v of list(d, 'format')) {
    if (isLiteral(v)) {
      const text = v['@value'].trim();
      if (!text) continue;
      return isIri(text) && /^https?:/i.test(text)
        ? { '@id': text, '@type': 'dct:MediaTypeOrExtent' }
        : { '@type': 'dct:MediaTypeOrExtent', label: { '@none': text } };
    }
    const id = v['@id'] !== undefined && isIri(v['@id']) ? v['@id'] : undefined;
    const label = langMap(v, 'label') ?? langMap(v, 'prefLabel');
    if (id || label) return { ...(id ? { '@id': id } : {}), '@type': 'dct:MediaTypeOrExtent', ...(label ? { label } : {}) };
  }
  return undefined;
}

/** An IANA media type (dcat:mediaType, dcat:compressFormat, dcat:packageFormat): its IRI, or a literal type. */
function mediaType(d: TermNode, term = 'mediaType'): MediaType | undefined {
  for (const v of list(d, term)) {
    const raw = (isLiteral(v) ? v['@value'] : (v['@id'] ?? '')).trim();
    if (/^https?:\/\/www\.iana\.org\/assignments\/media-types\//i.test(raw)) return mediaTypeNode(raw);
    const iri = mediaTypeIri(raw);
    if (iri) return mediaTypeNode(iri);
  }
  return undefined;
}

/** An EU file type given where DCAT-AP asks for a media type (CKAN's packageFormat TAR): kept, as the format's kind. */
function fileType(d: TermNode, term: string): MediaType | undefined {
  const iri = iris(d, term).find((i) => /^https?:\/\/publications\.europa\.eu\/resource\/authority\/file-type\/[A-Z0-9_]+$/.test(i));
  return iri ? mediaTypeNode(iri) : undefined;
}

/** A concept of a vocabulary (adms:status, dcatap:availability), given as a resource or as its IRI in a literal. */
function concept(d: TermNode, term: string): Concept | undefined {
  const found = concepts(d, term).concepts[0];
  if (found) return found;
  const iri = iris(d, term)[0];
  return iri ? { '@id': iri, '@type': 'skos:Concept', prefLabel: { '@none': iriTail(iri) } } : undefined;
}

export function distributions(n: TermNode, warnings: SourceWarning[]): Distribution[] {
  const out: Distribution[] = [];
  for (const d of nodes(n, 'distribution')) {
    const download = iris(d, 'downloadURL')[0];
    const access = iris(d, 'accessURL')[0] ?? download;
    if (!access) {
      const described = Object.keys(d).some((k) => !k.startsWith('@'));
      warnings.push(
        described
          ? coded('dcat:distribution', 'dcat.distribution.noUrl', { id: d['@id'] ?? phrase('dcat.blankNode') })
          : coded('dcat:distribution', 'dcat.distribution.undescribed', { id: String(d['@id']) }),
      );
      continue;
    }
    const id = d['@id'] !== undefined && isIri(d['@id']) ? d['@id'] : undefined;
    const title = langMap(d, 'title');
    const description = langMap(d, 'description');
    const fmt = format(d);
    const media = mediaType(d);
    const license = licenses(d)[0];
    const rights = rightsStatements(d, 'rights')[0];
    const conformsTo = standards(iris(d, 'conformsTo'));
    const protocol = texts(d, 'protocol')[0];
    const fn = texts(d, 'function')[0];
    const byteSize = numbers(d, 'byteSize').find((x) => Number.isInteger(x) && x >= 0);
    // spdx:checksum: an spdx:Checksum with its algorithm (an SPDX individual) and its hexadecimal value
    const checksum = nodes(d, 'checksum')
      .map((c) => checksumNode(iris(c, 'algorithm')[0] ?? '', texts(c, 'checksumValue')[0] ?? ''))
      .find((c) => c !== undefined);
    const issued = date(d, 'issued');
    const modified = date(d, 'modified');
    const language = languages(d);
    const page = webPages(iris(d, 'page'));
    const status = concept(d, 'status');
    const availability = concept(d, 'availability');
    const compressFormat = mediaType(d, 'compressFormat') ?? fileType(d, 'compressFormat');
    const packageFormat = mediaType(d, 'packageFormat') ?? fileType(d, 'packageFormat');
    const spatialResolution = resolutionInMeters(numbers(d, 'spatialResolutionInMeters')).spatialResolutionInMeters;
    const temporalResolution = texts(d, 'temporalResolution')
      .map(xsdDuration)
      .find((x) => x !== undefined);
    out.push({
      ...(id ? { '@id': id } : {}),
      '@type': 'dcat:Distribution',
      accessURL: access,
      ...(download ? { downloadURL: download } : {}),
      ...(title ? { title } : {}),
      ...(description ? { description } : {}),
      ...(fmt ? { format: fmt } : {}),
      ...(media ? { mediaType: media } : {}),
      ...(license ? { license } : {}),
      ...(rights ? { rights } : {}),
      ...(conformsTo.length ? { conformsTo } : {}),
      ...(protocol ? { protocol } : {}),
      ...(fn ? { function: fn } : {}),
      ...(byteSize !== undefined ? { byteSize } : {}),
      ...(checksum ? { checksum } : {}),
      ...(issued ? { issued } : {}),
      ...(modified ? { modified } : {}),
      ...(language.length ? { language } : {}),
      ...(page.length ? { page } : {}),
      ...(status ? { status } : {}),
      ...(availability ? { availability } : {}),
      ...(compressFormat ? { compressFormat } : {}),
      ...(packageFormat ? { packageFormat } : {}),
      ...(spatialResolution ? { spatialResolutionInMeters: spatialResolution } : {}),
      ...(temporalResolution ? { temporalResolution } : {}),
    });
  }
  return out;
}
