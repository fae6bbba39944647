/**
 * Keywords (MD_Keywords, both encodings) and topic categories.
 *
 * A keyword becomes a `theme` Concept (with inScheme = its thesaurus) when it has a gmx:Anchor href, or when its
 * thesaurus is a known controlled vocabulary (INSPIRE themes in any language, GEMET, GCMD, INSPIRE spatial scope,
 * priority data sets...). Every other keyword is a free `keyword` in its language(s). Topic categories become
 * `subject` Concepts of the INSPIRE TopicCategory code list.
 */
import type { Concept, ConceptScheme, LangMapMulti } from '../../schemas/record.js';
import { dateLiteral, INSPIRE_CODELIST, inspireThemeIri, knownScheme, topicCategoryIri } from '../../core/vocab.js';
import { all, codeValue, first, href, textAt, type XNode } from '../../core/xml.js';
import { langText, mainValue, pushLangMulti, warn, type MapCtx } from './context.js';

export interface Keywords {
  keyword: LangMapMulti;
  theme: Concept[];
  subject: Concept[];
}

function thesaurusOf(ctx: MapCtx, kw: XNode): { scheme?: ConceptScheme; known?: string } {
  const citation = first(kw, 'thesaurusName', '*');
  if (citation === undefined) return {};
  const titleProp = first(citation, 'title');
  const title = langText(ctx, titleProp);
  const titleHref = href(titleProp);
  const idHref = href(first(citation, 'identifier', '*', 'code'));
  const idCode = textAt(citation, 'identifier', '*', 'code');
  const known = knownScheme(mainValue(ctx, title), titleHref ?? idHref ?? idCode);
  let issued;
  for (const d of all(citation, 'date', '*')) {
    const lit = dateLiteral(textAt(d, 'date'));
    if (lit && (codeValue(first(d, 'dateType')) === 'publication' || !issued)) issued = lit;
  }
  const iri = known?.iri ?? (titleHref && /^https?:/.test(titleHref) ? titleHref : undefined);
  if (!title && !iri) return {};
  return {
    scheme: { ...(iri ? { '@id': iri } : {}), '@type': 'skos:ConceptScheme', ...(title ? { title } : {}), ...(issued ? { issued } : {}) },
    ...(known ? { known: known.name } : {}),
  };
}

/** Keywords, themes and topic categories of an identification section. */
export function readKeywords(ctx: MapCtx, ident: XNode): Keywords {
  const out: Keywords = { keyword: {}, theme: [], subject: [] };
  const seenThemes = new Set<string>();
  for (const kw of all(ident, 'descriptiveKeywords', '*')) {
    const { scheme, known } = thesaurusOf(ctx, kw);
    for (const k of all(kw, 'keyword')) {
      const label = langText(ctx, k);
      const link = href(k);
      if (!label && !link) continue;
      const iri =
        (link && /^https?:\/\//i.test(link) ? link : undefined) ??
        (known === 'inspire-theme' ? inspireThemeIri(mainValue(ctx, label)) : undefined);
      if (iri || known) {
        const key = iri ?? `${scheme?.['@id'] ?? ''}|${mainValue(ctx, label)}`;
        if (seenThemes.has(key)) continue;
        seenThemes.add(key);
        out.theme.push({
          ...(iri ? { '@id': iri } : {}),
          '@type': 'skos:Concept',
          ...(label ? { prefLabel: label } : {}),
          ...(scheme ? { inScheme: scheme } : {}),
        });
      } else if (label) {
        pushLangMulti(out.keyword, label);
      }
    }
  }
  for (const tc of all(ident, 'topicCategory')) {
    const code = codeValue(tc);
    const iri = topicCategoryIri(code);
    if (!code) continue;
    if (!iri) {
      warn(
        ctx,
        ['gmd:identificationInfo/*/gmd:topicCategory', 'mdb:identificationInfo/*/mri:topicCategory'],
        `unknown topic category "${code}" kept as a keyword`,
      );
      pushLangMulti(out.keyword, { '@none': code });
      continue;
    }
    if (out.subject.some((s) => s['@id'] === iri)) continue;
    out.subject.push({
      '@id': iri,
      '@type': 'skos:Concept',
      notation: iri.slice(iri.lastIndexOf('/') + 1),
      inScheme: { '@id': INSPIRE_CODELIST + 'TopicCategory', '@type': 'skos:ConceptScheme' },
    });
  }
  return out;
}
