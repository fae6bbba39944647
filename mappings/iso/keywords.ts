/**
 * Keywords (MD_Keywords, both encodings) and topic categories.
 *
 * A keyword becomes a `theme` Concept (with inScheme = its thesaurus) when it has an IRI: a gmx:Anchor href, or the
 * INSPIRE theme IRI of its label when its thesaurus is the INSPIRE themes (in any language). DCAT-AP wants themes as
 * concept IRIs: every other keyword, a term of a known vocabulary given by its label only (GEMET, GCMD...) included,
 * is a free `keyword` in its language(s). Topic categories become `subject` Concepts of the INSPIRE TopicCategory code
 * list, with their English labels. A thesaurus is the concept scheme of its themes when it has a title (DCAT-AP
 * requires one): its own, or the name of the known vocabulary.
 */
import type { Concept, ConceptScheme, LangMapMulti } from '../../schemas/record.js';
import { dateLiteral, inspireThemeIri, knownScheme, topicCategoryIri } from '../../core/vocab.js';
import { all, codeValue, first, href, textAt, type XNode } from '../../core/xml.js';
import { langText, mainValue, pushLangMulti, warn, type MapCtx } from './context.js';
import { codeListConcept, knownSchemeTitle } from '../codelists.js';
import { iriConcept, urlIri } from '../common.js';

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
  const iri = known?.iri ?? (titleHref && /^https?:/.test(titleHref) ? urlIri(titleHref) : undefined);
  const knownTitle = known && knownSchemeTitle(known.name);
  const schemeTitle = title ?? (knownTitle ? { en: knownTitle } : undefined);
  return {
    ...(schemeTitle
      ? { scheme: { ...(iri ? { '@id': iri } : {}), '@type': 'skos:ConceptScheme', title: schemeTitle, ...(issued ? { issued } : {}) } }
      : {}),
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
        (link && /^https?:\/\//i.test(link) ? urlIri(link) : undefined) ??
        (known === 'inspire-theme' ? inspireThemeIri(mainValue(ctx, label)) : undefined);
      if (iri) {
        if (seenThemes.has(iri)) continue;
        seenThemes.add(iri);
        const inScheme = scheme ? { inScheme: scheme } : {};
        out.theme.push(label ? { '@id': iri, '@type': 'skos:Concept', prefLabel: label, ...inScheme } : iriConcept(iri, inScheme));
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
      warn(ctx, ['gmd:identificationInfo/*/gmd:topicCategory', 'mdb:identificationInfo/*/mri:topicCategory'], 'iso.topicCategory.unknown', {
        value: code,
      });
      pushLangMulti(out.keyword, { '@none': code });
      continue;
    }
    if (out.subject.some((s) => s['@id'] === iri)) continue;
    out.subject.push(codeListConcept(iri)!);
  }
  return out;
}
