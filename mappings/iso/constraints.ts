/**
 * Resource constraints → licence, access rights and rights statements (GeoDCAT-AP, INSPIRE TG 2.0 reading):
 *
 * - otherConstraints Anchor to INSPIRE LimitationsOnPublicAccess, or text/codes that make the access evident
 *   ("no limitations", restricted, confidential...) → accessRights (EU access-right IRI, with the label);
 * - otherConstraints Anchor to a licence, or text naming a known licence (CC, Etalab, ODbL...) → license (its IRI);
 * - the WMO Core Metadata Profile's codes (data policy WMOEssential, WMOAdditional, WMOOther; GTSPriority1-4), as text
 *   or in an Anchor to their code list → a rights statement (a code: label `@none`), never a licence;
 * - other otherConstraints text: in a block with useConstraints → a LicenseDocument with the label (conditions of
 *   use), unless the resource has a licence the hub recognises (an IRI), beside which the text is a rights statement
 *   (HNAP's disclaimer beside the Open Government Licence - Canada); in a block with accessConstraints only → the
 *   accessRights label; otherwise a rights statement;
 * - a placeholder ("None", "N/A", "Not applicable", "Sans objet"...) in the metadata language says nothing: dropped
 *   with its translations;
 * - useLimitation → rights (RightsStatement), or a licence when it names a known one;
 * - 19115-3 `reference` citation of a legal constraint (licence document) → license; of a security constraint (its
 *   classification system) → a rights statement;
 * - MD_SecurityConstraints classification → accessRights when evident.
 *
 * A 19139 service (srv 1.0 SV_ServiceIdentification) may give its constraints in srv:restrictions (geocat.ch does):
 * read as resourceConstraints.
 */
import type { LangMap, LicenseDocument, RightsStatement } from '../../schemas/record.js';
import { accessRightsFromText, isLicenseUrl, knownLicense } from '../../core/vocab.js';
import { all, codeValue, first, href, namedChildren, text, textAt, type XNode } from '../../core/xml.js';
import { langText, mainValue, warn, type MapCtx } from './context.js';
import { urlIri } from '../common.js';

export interface Constraints {
  license: LicenseDocument[];
  accessRights?: RightsStatement;
  rights: RightsStatement[];
}

const RE_ACCESS_ANCHOR = /LimitationsOnPublicAccess/i;
/**
 * Placeholder texts that say nothing ("None", "N/A", HNAP's "Not applicable" / "Sans objet"): not kept as statements.
 */
const RE_EMPTY = /^(?:none|n\/?a|null|nil|-+|unknown|not applicable|sans objet|non applicable|néant|nicht zutreffend|entfällt)\.?$/i;

/**
 * The text of a constraint without its placeholders; undefined when its main-language text is one (its translations
 * then say the same nothing: HNAP's "Not applicable" with the French "Sans objet").
 */
function meaningful(ctx: MapCtx, label: LangMap | undefined): LangMap | undefined {
  if (!label) return undefined;
  if (label[ctx.main] !== undefined && RE_EMPTY.test(label[ctx.main].trim())) return undefined;
  const kept = Object.entries(label).filter(([, v]) => !RE_EMPTY.test(v.trim()));
  return kept.length ? Object.fromEntries(kept) : undefined;
}

/**
 * The WMO Core Metadata Profile's codes of legal constraints (WCMP 1.3, 9.3.1 and 9.3.2): the WMO data policy
 * (WMO_DataLicenseCode WMOEssential, WMOAdditional, WMOOther) and the GTS priority (WMO_GTSProductCategoryCode
 * GTSPriority1 to 4), as text or in an Anchor to their code list. A data policy under Resolution 40 says how the data
 * is exchanged, no licence: a rights statement. (Its fourth code, NoLimitation, reads as public access.)
 */
const RE_WMO_CODE = /^(?:WMOEssential|WMOAdditional|WMOOther|GTSPriority[1-4])$/i;
/** The WCMP 1.3 code lists an Anchor names them by (http://wis.wmo.int/2012/codelists/WMOCodeLists.xml#WMO_DataLicenseCode). */
const RE_WMO_CODE_LIST = /#(?:WMO_DataLicenseCode|WMO_GTSProductCategoryCode)$/i;

function addLicense(out: Constraints, lic: LicenseDocument): void {
  const dup = out.license.find(
    (l) => (lic['@id'] && l['@id'] === lic['@id']) || (!lic['@id'] && !l['@id'] && JSON.stringify(l.label) === JSON.stringify(lic.label)),
  );
  if (dup) {
    if (!dup.label && lic.label) dup.label = lic.label;
    return;
  }
  out.license.push(lic);
}

function addRights(out: Constraints, label: LangMap): void {
  const key = JSON.stringify(label);
  if (!out.rights.some((r) => JSON.stringify(r.label) === key)) out.rights.push({ '@type': 'dct:RightsStatement', label });
}

const OTHER_ANCHOR_AT = [
  'gmd:identificationInfo/*/gmd:resourceConstraints/*/gmd:otherConstraints/gmx:Anchor/@xlink:href',
  'mdb:identificationInfo/*/mri:resourceConstraints/*/mco:otherConstraints/gcx:Anchor/@xlink:href',
] as const;
/** 19115-3 only (a 19139 constraint cites no document). */
const REFERENCE = 'mdb:identificationInfo/*/mri:resourceConstraints/*/mco:reference/*';
const REFERENCE_LINKAGE_AT = [`${REFERENCE}/cit:onlineResource/*/cit:linkage`, `${REFERENCE}/cit:onlineResource/*/cit:linkage`] as const;
const REFERENCE_TITLE_AT = [`${REFERENCE}/cit:title/gcx:Anchor/@xlink:href`, `${REFERENCE}/cit:title/gcx:Anchor/@xlink:href`] as const;

/**
 * The IRI of a link a constraint gives (an Anchor's href, a cited document's linkage); a link that is not one is
 * reported where it is, and the constraint is then read from its text alone.
 */
function constraintLink(ctx: MapCtx, link: string | undefined, at: readonly [string, string], hasText: boolean): string | undefined {
  if (!link) return undefined;
  const iri = urlIri(link);
  if (!iri) warn(ctx, at, hasText ? 'iso.constraint.notIriText' : 'iso.constraint.notIri', { link: link.slice(0, 120) });
  return iri;
}

/** Candidate access rights: the first evident IRI wins; a label alone is kept only while nothing better is known. */
function offerAccess(out: Constraints, iri: string | undefined, label: LangMap | undefined): void {
  const current = out.accessRights;
  if (current?.['@id']) return;
  if (iri) out.accessRights = { '@id': iri, '@type': 'dct:RightsStatement', ...(label ? { label } : {}) };
  else if (!current && label) out.accessRights = { '@type': 'dct:RightsStatement', label };
}

/** Reads every resourceConstraints block of an identification section (and a 19139 service's srv:restrictions). */
export function readConstraints(ctx: MapCtx, ident: XNode): Constraints {
  const out: Constraints = { license: [], rights: [] };
  /** The unrecognised conditions-of-use texts written as licences (a label, no IRI). */
  const conditions: LicenseDocument[] = [];
  // a 19139 service gives its constraints in srv:restrictions too (SV_ServiceIdentification, ISO 19119): read alike
  const blocks = [...all(ident, 'resourceConstraints'), ...all(ident, 'restrictions')];
  for (const [kind, block] of blocks.flatMap((c) => namedChildren(c))) {
    const accessCodes = all(block, 'accessConstraints')
      .map(codeValue)
      .filter((c): c is string => !!c);
    const useCodes = all(block, 'useConstraints')
      .map(codeValue)
      .filter((c): c is string => !!c);

    for (const ul of all(block, 'useLimitation')) {
      const label = meaningful(ctx, langText(ctx, ul));
      if (!label) continue;
      const known = knownLicense(href(ul)) ?? knownLicense(mainValue(ctx, label));
      if (known) addLicense(out, { '@id': known.iri, '@type': 'dct:LicenseDocument', label });
      else addRights(out, label);
    }

    // Codes alone can make the access evident (unrestricted, restricted, private, confidential...).
    for (const code of accessCodes) {
      if (code === 'otherRestrictions' || code === 'license' || code === 'copyright') continue;
      const iri = accessRightsFromText(code);
      if (iri) offerAccess(out, iri, { '@none': code });
    }

    for (const oc of all(block, 'otherConstraints')) {
      const label = meaningful(ctx, langText(ctx, oc));
      const link = constraintLink(ctx, href(oc), OTHER_ANCHOR_AT, !!label);
      const txt = mainValue(ctx, label);
      if (!label && !link) continue;
      if (link && RE_ACCESS_ANCHOR.test(link)) {
        offerAccess(out, accessRightsFromText(link), label);
        continue;
      }
      if ((txt !== undefined && RE_WMO_CODE.test(txt.trim())) || (link !== undefined && RE_WMO_CODE_LIST.test(link))) {
        // a code, no word of a language
        addRights(out, txt !== undefined && RE_WMO_CODE.test(txt.trim()) ? { '@none': txt.trim() } : (label ?? { '@none': link! }));
        continue;
      }
      const known = knownLicense(link) ?? knownLicense(txt);
      if (known) {
        addLicense(out, { '@id': known.iri, '@type': 'dct:LicenseDocument', ...(label ? { label } : {}) });
        continue;
      }
      if (link && isLicenseUrl(link)) {
        addLicense(out, { '@id': link, '@type': 'dct:LicenseDocument', ...(label ? { label } : {}) });
        continue;
      }
      const access = accessRightsFromText(txt);
      if (access && (accessCodes.length > 0 || useCodes.length === 0)) {
        offerAccess(out, access, label);
        continue;
      }
      if (!label) continue;
      if (useCodes.length > 0) {
        const lic: LicenseDocument = { ...(link ? { '@id': link } : {}), '@type': 'dct:LicenseDocument', label };
        // a text with no link at all (an Anchor whose href is broken still cites a document: a licence)
        if (href(oc) === undefined) conditions.push(lic);
        addLicense(out, lic);
      } else if (accessCodes.length > 0) offerAccess(out, undefined, label);
      else addRights(out, label);
    }

    // 19115-3: the legal document cited by the constraint (a licence).
    for (const ref of all(block, 'reference', '*')) {
      const title = langText(ctx, first(ref, 'title'));
      const linkage = textAt(ref, 'onlineResource', '*', 'linkage');
      const url =
        linkage !== undefined
          ? constraintLink(ctx, linkage, REFERENCE_LINKAGE_AT, !!title)
          : constraintLink(ctx, href(first(ref, 'title')), REFERENCE_TITLE_AT, !!title);
      const known = knownLicense(url) ?? knownLicense(mainValue(ctx, title));
      if (known) addLicense(out, { '@id': known.iri, '@type': 'dct:LicenseDocument', ...(title ? { label: title } : {}) });
      // a security constraint cites its classification system (Geoscience Australia: "Australian Government Security
      // Classification System"), no licence
      else if (kind.endsWith('SecurityConstraints')) {
        if (title) addRights(out, title);
      } else if (url || title)
        addLicense(out, { ...(url ? { '@id': url } : {}), '@type': 'dct:LicenseDocument', ...(title ? { label: title } : {}) });
    }

    // Security classification.
    const classification = codeValue(first(block, 'classification'));
    if (classification) offerAccess(out, accessRightsFromText(classification), { '@none': classification });
    const note = text(first(block, 'userNote'));
    if (note) addRights(out, { [ctx.main]: note });
  }
  // Beside a licence the hub recognises (by its IRI), an unrecognised conditions-of-use text is no second licence but a
  // statement about the rights: HNAP's disclaimer next to the Open Government Licence - Canada.
  if (conditions.length > 0 && out.license.some((l) => l['@id'] !== undefined)) {
    out.license = out.license.filter((l) => !conditions.includes(l));
    for (const c of conditions) if (c.label) addRights(out, c.label);
  }
  return out;
}
