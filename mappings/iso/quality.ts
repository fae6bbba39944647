/**
 * Data quality (DQ_DataQuality, 19115-3 resourceLineage) and reference systems: lineage statements → provenance,
 * conformance results → conformity, the reference systems and the specifications passed → conformsTo.
 */
import type { Conformity, DateLiteral, HubRecord, LangMap } from '../../schemas/record.js';
import { crsIri, dateLiteral } from '../../core/vocab.js';
import { all, first, href, text, textAt, type XNode } from '../../core/xml.js';
import { joinLangMaps, langText, type MapCtx } from './context.js';
import type { Dialect } from './dialect.js';
import { standards, urlIri } from '../common.js';

/** INSPIRE conformity (DQ_DomainConsistency / DQ_ConformanceResult). */
function readConformity(ctx: MapCtx, md: XNode): Conformity[] {
  const out: Conformity[] = [];
  for (const result of all(md, 'dataQualityInfo', '*', 'report', '*', 'result', 'DQ_ConformanceResult')) {
    const spec = first(result, 'specification', '*');
    const titleProp = first(spec, 'title');
    const title = langText(ctx, titleProp);
    const specHref = href(titleProp) ?? href(first(result, 'specification'));
    const specIri = specHref && /^https?:\/\//.test(specHref) ? urlIri(specHref) : undefined;
    let issued: DateLiteral | undefined;
    for (const d of all(spec, 'date', '*')) issued ??= dateLiteral(textAt(d, 'date'));
    if (!title && !specIri) continue;
    const passText = textAt(result, 'pass');
    const pass = passText === 'true' || passText === '1' ? true : passText === 'false' || passText === '0' ? false : undefined;
    const explanation = langText(ctx, first(result, 'explanation'));
    out.push({
      '@type': 'hub:ConformityResult',
      specification: {
        ...(specIri ? { '@id': specIri } : {}),
        ...(title ? { title } : {}),
        ...(issued ? { issued } : {}),
      },
      ...(pass !== undefined ? { pass } : {}),
      ...(explanation ? { explanation } : {}),
    });
  }
  return out;
}

/** The CRS IRIs of the reference systems (referenceSystemInfo), in document order. */
function referenceSystems(md: XNode): string[] {
  const out: string[] = [];
  for (const rs of all(md, 'referenceSystemInfo', '*', 'referenceSystemIdentifier', '*')) {
    const codeProp = first(rs, 'code');
    const iri = urlIri(crsIri(href(codeProp)) ?? crsIri(text(codeProp), textAt(rs, 'codeSpace')));
    if (iri) out.push(iri);
  }
  return out;
}

/**
 * Lineage (every statement, joined per language, as one provenance statement), conformity reports, and conformsTo:
 * the reference systems, then the specifications the resource passed.
 */
export function readQuality(ctx: MapCtx, dialect: Dialect, md: XNode): Pick<HubRecord, 'provenance' | 'conformsTo' | 'conformity'> {
  const lineage = joinLangMaps(
    dialect
      .lineage(md)
      .map((s) => langText(ctx, s))
      .filter((x): x is LangMap => !!x),
  );
  const conformity = readConformity(ctx, md);
  const passed = conformity.flatMap((cf) => (cf.pass === true && cf.specification['@id'] ? [cf.specification['@id']] : []));
  return {
    ...(lineage ? { provenance: [{ '@type': 'dct:ProvenanceStatement', label: lineage }] } : {}),
    conformsTo: standards([...referenceSystems(md), ...passed]),
    conformity,
  };
}
