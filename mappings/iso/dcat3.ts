/**
 * The DCAT-AP 3 properties of an ISO record that the other sections do not read (a field group of its own): its
 * alternate titles (dct:alternative), its temporal resolution (dcat:temporalResolution), the publications that
 * document it (dct:isReferencedBy) and the legislation it declares conformity to (dcatap:applicableLegislation). Pure.
 *
 * - alternative: every citation alternateTitle (with its translations), but one that became the title (a record
 *   without title is called by its first alternate title, identification.ts);
 * - temporalResolution: ISO 19115-1/-3 `mri:temporalResolution` (a TM_PeriodDuration, ISO 8601 "P1D", "PT3H"), as an
 *   xsd:duration; a duration written otherwise (words, a number without unit) is left out with a warning, never guessed.
 *   `userDefinedMaintenanceFrequency` (also a TM_PeriodDuration) says how often the resource is updated, not the time
 *   between its data items, and is not read as one;
 * - isReferencedBy: the citations of ISO 19115-1/-3 `additionalDocumentation` (publications, user guides: "other
 *   documentation associated with the resource") by their DOI (a resource identifier), else their online resource's
 *   URL. An aggregation's crossReference names another dataset (an instrument, a related record: dct:relation, as
 *   before), a largerWorkCitation the work the resource is part of (dct:isPartOf): neither is a publication citing it;
 * - applicableLegislation: the INSPIRE implementing rules (Regulations 1089/2010 on interoperability, 976/2009 on
 *   network services, 1205/2008 on metadata) by their ELI, only when a conformance result declares the resource
 *   conformant (pass true) to one, named by title (in any language: the regulation's number) or by an ELI IRI. A record
 *   that is not evaluated or not conformant gets none: GeoDCAT-AP's mapping, nothing invented.
 */
import type { Conformity, HubRecord, LangMap, LangMapMulti } from '../../schemas/record.js';
import { doiIri } from '../../core/vocab.js';
import { all, first, text, textAt, type XNode } from '../../core/xml.js';
import { legalResources, xsdDuration } from '../common.js';
import { langText, pushLangMulti, warn, type MapCtx } from './context.js';
import { linkageOf } from './distribution.js';
import type { Identification } from './identification.js';

export type Dcat3Parts = Pick<HubRecord, 'alternative' | 'temporalResolution' | 'isReferencedBy' | 'applicableLegislation'>;

/** INSPIRE implementing rules: [number/year as titles write it, the regulation's ELI]. */
const INSPIRE_REGULATIONS: [RegExp, string][] = [
  [/\b1089\s*\/\s*2010\b|\/eli\/reg\/2010\/1089\b/i, 'http://data.europa.eu/eli/reg/2010/1089/oj'],
  [/\b976\s*\/\s*2009\b|\/eli\/reg\/2009\/976\b/i, 'http://data.europa.eu/eli/reg/2009/976/oj'],
  [/\b1205\s*\/\s*2008\b|\/eli\/reg\/2008\/1205\b/i, 'http://data.europa.eu/eli/reg/2008/1205/oj'],
];

/** The ELIs of the INSPIRE regulations the resource is declared conformant to (pass true), in report order. */
export function inspireLegislation(conformity: Conformity[] | undefined): string[] {
  const out: string[] = [];
  for (const c of conformity ?? []) {
    if (c.pass !== true) continue;
    const names = [c.specification['@id'] ?? '', ...Object.values(c.specification.title ?? {})].join('\n');
    for (const [re, eli] of INSPIRE_REGULATIONS) if (re.test(names) && !out.includes(eli)) out.push(eli);
  }
  return out;
}

/** The alternate titles, without the one the record is called by. */
function alternativeTitles(ctx: MapCtx, citation: XNode | undefined, title: LangMap): LangMapMulti {
  const out: LangMapMulti = {};
  for (const prop of all(citation, 'alternateTitle')) {
    const m = langText(ctx, prop);
    if (!m) continue;
    const kept = Object.entries(m).filter(([lang, v]) => title[lang] !== v.replace(/\s+/g, ' '));
    if (kept.length) pushLangMulti(out, Object.fromEntries(kept));
  }
  return out;
}

/** The temporal resolution as an xsd:duration (ISO 19115-1/-3 only: 19139 has no such element). */
function temporalResolution(ctx: MapCtx, ident: Identification): string | undefined {
  for (const node of all(ident.node, 'temporalResolution')) {
    const written = textAt(node, 'TM_PeriodDuration') ?? text(node);
    const duration = xsdDuration(written);
    if (duration) return duration;
    if (written)
      warn(
        ctx,
        ['gmd:identificationInfo/*/gmd:temporalResolution', 'mdb:identificationInfo/*/mri:temporalResolution'],
        'iso.temporalResolution.invalid',
        { value: written },
      );
  }
  return undefined;
}

/** The additional documentation's citations: a DOI among their identifiers, else their online resource. */
function documentation(ident: Identification): string[] {
  const out: string[] = [];
  for (const citation of all(ident.node, 'additionalDocumentation', '*')) {
    const doi = all(citation, 'identifier', '*')
      .map((id) => doiIri(textAt(id, 'code')))
      .find((d) => d !== undefined);
    const online = first(citation, 'onlineResource', '*');
    const iri = doi ?? (online ? linkageOf(online) : undefined);
    if (iri && !out.includes(iri)) out.push(iri);
  }
  return out;
}

/** The DCAT-AP 3 field group of an ISO record (see the head of this file). */
export function readDcat3(ctx: MapCtx, ident: Identification, title: LangMap, conformity: Conformity[] | undefined): Dcat3Parts {
  return {
    alternative: alternativeTitles(ctx, ident.citation, title),
    temporalResolution: temporalResolution(ctx, ident),
    isReferencedBy: documentation(ident),
    applicableLegislation: legalResources(inspireLegislation(conformity)),
  };
}
