/**
 * dcat:distribution -> the record's distributions. A distribution needs an access URL: dcat:accessURL, else its
 * dcat:downloadURL; one with neither is left out with a warning. The format is an IRI (the EU file-type authority...)
 * or a label ("OGC:WMS", "CSV"); the media type an IANA IRI (from a literal "text/csv" too). Pure.
 */
import { coded, phrase, type SourceWarning } from '../../core/warnings.js';
import { mediaTypeIri } from '../../core/vocab.js';
import type { Distribution, MediaType, MediaTypeOrExtent } from '../../schemas/record.js';
import { mediaType as mediaTypeNode, standards } from '../common.js';
import type { TermNode } from './compact.js';
import { licenses, rightsStatements } from './concepts.js';
import { iris, isIri, isLiteral, langMap, list, nodes, numbers, texts } from './values.js';

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

function mediaType(d: TermNode): MediaType | undefined {
  for (const v of list(d, 'mediaType')) {
    const raw = (isLiteral(v) ? v['@value'] : (v['@id'] ?? '')).trim();
    if (/^https?:\/\/www\.iana\.org\/assignments\/media-types\//i.test(raw)) return mediaTypeNode(raw);
    const iri = mediaTypeIri(raw);
    if (iri) return mediaTypeNode(iri);
  }
  return undefined;
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
    });
  }
  return out;
}
