/**
 * Themes and subjects (skos:Concept), identifiers, licences and rights, conformity, measured variables, languages and
 * frequency of a DCAT description. Pure.
 *
 * The record is DCAT-AP itself (schemas/record.ts): references are typed nodes (dct:LinguisticSystem, dct:Frequency,
 * dct:Standard...), concepts are labelled IRIs; what a catalogue gives otherwise is brought to that shape here.
 */
import { EU_FREQUENCY, EU_LANGUAGE, frequencyIri, knownLicense, languageIri } from '../../core/vocab.js';
import type {
  Concept,
  ConceptScheme,
  Frequency,
  LangMap,
  LinguisticSystem,
  Conformity,
  Identifier,
  LicenseDocument,
  ProvenanceStatement,
  RightsStatement,
  VariableMeasured,
} from '../../schemas/record.js';
import type { TermNode } from './compact.js';
import { conceptsOrKeywords, frequency as frequencyNode, languages as languageNodes, type LooseConcept } from '../common.js';
import { date, iris, iriTail, isIri, isLiteral, langMap, langTag, list, nodes, texts } from './values.js';

const idOf = (n: TermNode): string | undefined => (n['@id'] !== undefined && isIri(n['@id']) ? n['@id'] : undefined);

function scheme(n: TermNode | undefined): ConceptScheme | undefined {
  if (!n) return undefined;
  const id = idOf(n);
  const title = langMap(n, 'title') ?? langMap(n, 'prefLabel') ?? langMap(n, 'label');
  const issued = date(n, 'issued');
  // DCAT-AP requires a scheme's title: a scheme the catalogue does not name is left out (the concept stays)
  if (!title) return undefined;
  return { ...(id ? { '@id': id } : {}), '@type': 'skos:ConceptScheme', title, ...(issued ? { issued } : {}) };
}

/**
 * The concepts of a term, and the terms known by a label only: DCAT-AP themes are concept IRIs, so a theme given as a
 * word (or a blank concept with a label) is a keyword (mappings/common.ts conceptsOrKeywords); a concept without a
 * label is labelled by its IRI's last segment.
 */
export function concepts(n: TermNode, term: string): { concepts: Concept[]; keywords: LangMap[] } {
  const loose: LooseConcept[] = [];
  for (const v of list(n, term)) {
    if (isLiteral(v)) {
      const label = v['@value'].trim();
      if (!label) continue;
      if (isIri(label) && /^https?:/i.test(label)) loose.push({ '@id': label, '@type': 'skos:Concept' });
      else loose.push({ '@type': 'skos:Concept', prefLabel: { [langTag(v['@language'])]: label } });
      continue;
    }
    const id = idOf(v);
    const notation = texts(v, 'notation')[0];
    const prefLabel = langMap(v, 'prefLabel') ?? (notation && !id ? { '@none': notation } : undefined);
    const inScheme = scheme(nodes(v, 'inScheme')[0]);
    if (!id && !prefLabel) continue;
    loose.push({
      ...(id ? { '@id': id } : {}),
      '@type': 'skos:Concept',
      ...(prefLabel ? { prefLabel } : {}),
      ...(notation ? { notation } : {}),
      ...(inScheme ? { inScheme } : {}),
    });
  }
  return conceptsOrKeywords(loose);
}

/** adms:identifier: other identifiers with their agency (a plain literal is a notation of its own). */
export function otherIdentifiers(n: TermNode): Identifier[] {
  const out: Identifier[] = [];
  for (const v of list(n, 'otherIdentifier')) {
    if (isLiteral(v)) {
      if (v['@value'].trim()) out.push({ '@type': 'adms:Identifier', notation: v['@value'].trim() });
      continue;
    }
    const notation = texts(v, 'notation')[0] ?? idOf(v);
    if (!notation) continue;
    const agency = texts(v, 'schemaAgency')[0] ?? texts(v, 'creator')[0];
    out.push({ '@type': 'adms:Identifier', notation, ...(agency ? { schemaAgency: agency } : {}) });
  }
  return out;
}

/** Licences: a document (IRI, label), or a text naming a licence we know (its IRI), else the text as a label. */
export function licenses(n: TermNode): LicenseDocument[] {
  const out: LicenseDocument[] = [];
  for (const v of list(n, 'license')) {
    if (isLiteral(v)) {
      const text = v['@value'].trim();
      if (!text) continue;
      if (isIri(text) && /^https?:/i.test(text)) {
        out.push({ '@id': text, '@type': 'dct:LicenseDocument' });
        continue;
      }
      const known = knownLicense(text);
      out.push({
        ...(known ? { '@id': known.iri } : {}),
        '@type': 'dct:LicenseDocument',
        label: { [langTag(v['@language'])]: text },
      });
      continue;
    }
    const id = idOf(v);
    const label = langMap(v, 'label') ?? langMap(v, 'title') ?? langMap(v, 'prefLabel');
    if (id || label) out.push({ ...(id ? { '@id': id } : {}), '@type': 'dct:LicenseDocument', ...(label ? { label } : {}) });
  }
  return out;
}

/** Rights statements of a term: a node (IRI, label) or a text. */
export function rightsStatements(n: TermNode, term: string): RightsStatement[] {
  const out: RightsStatement[] = [];
  for (const v of list(n, term)) {
    if (isLiteral(v)) {
      const text = v['@value'].trim();
      if (!text) continue;
      out.push(
        isIri(text) && /^https?:/i.test(text)
          ? { '@id': text, '@type': 'dct:RightsStatement' }
          : { '@type': 'dct:RightsStatement', label: { [langTag(v['@language'])]: text } },
      );
      continue;
    }
    const id = idOf(v);
    const label = langMap(v, 'label') ?? langMap(v, 'prefLabel');
    if (id || label) out.push({ ...(id ? { '@id': id } : {}), '@type': 'dct:RightsStatement', ...(label ? { label } : {}) });
  }
  return out;
}

/**
 * dct:provenance statements (their label, else their dct:description: SEMIC's ISO 19139 to GeoDCAT-AP stylesheet and
 * geocat.ch write the lineage so; or a plain text).
 */
export function provenance(n: TermNode): ProvenanceStatement[] {
  const out: ProvenanceStatement[] = [];
  for (const v of list(n, 'provenance')) {
    const text = isLiteral(v) ? v['@value'].trim() : undefined;
    const label = isLiteral(v) ? text && { [langTag(v['@language'])]: text } : (langMap(v, 'label') ?? langMap(v, 'description'));
    if (label) out.push({ '@type': 'dct:ProvenanceStatement', label });
  }
  return out;
}

/** The hub's conformity results (hub:conformity), as it exports them. */
export function conformity(n: TermNode): Conformity[] {
  const out: Conformity[] = [];
  for (const c of nodes(n, 'conformity')) {
    const spec = nodes(c, 'specification')[0];
    if (!spec) continue;
    const id = idOf(spec);
    const title = langMap(spec, 'title');
    const issued = date(spec, 'issued');
    const pass = texts(c, 'pass')[0];
    const explanation = langMap(c, 'explanation');
    out.push({
      '@type': 'hub:ConformityResult',
      specification: { ...(title ? { title } : {}), ...(id ? { '@id': id } : {}), ...(issued ? { issued } : {}) },
      ...(pass === 'true' || pass === '1' ? { pass: true } : pass === 'false' || pass === '0' ? { pass: false } : {}),
      ...(explanation ? { explanation } : {}),
    });
  }
  return out;
}

/** schema:variableMeasured: a named property value (a plain text is its name). */
export function variables(n: TermNode): VariableMeasured[] {
  const out: VariableMeasured[] = [];
  for (const v of list(n, 'variableMeasured')) {
    if (isLiteral(v)) {
      if (v['@value'].trim()) out.push({ '@type': 'schema:PropertyValue', name: { [langTag(v['@language'])]: v['@value'].trim() } });
      continue;
    }
    const name = langMap(v, 'name') ?? langMap(v, 'https://schema.org/name');
    if (!name) continue;
    const description = langMap(v, 'description');
    const unitText = texts(v, 'unitText')[0];
    const propertyID = iris(v, 'propertyID')[0];
    out.push({
      '@type': 'schema:PropertyValue',
      name,
      ...(description ? { description } : {}),
      ...(unitText ? { unitText } : {}),
      ...(propertyID ? { propertyID } : {}),
    });
  }
  return out;
}

/** Languages as EU authority IRIs: an IRI of it as is, another IRI or a code (en, fre, fr-FR) through its code. */
export function languages(n: TermNode | undefined, term = 'language'): LinguisticSystem[] {
  return languageNodes(languageIris(n, term));
}

/** The EU authority IRIs of a term's languages. */
export function languageIris(n: TermNode | undefined, term = 'language'): string[] {
  const out: string[] = [];
  for (const v of list(n, term)) {
    const raw = (isLiteral(v) ? v['@value'] : (v['@id'] ?? '')).trim();
    const iri = raw.startsWith(EU_LANGUAGE)
      ? raw
      : languageIri((isIri(raw) && /[/#]/.test(raw) ? iriTail(raw) : raw).split(/[-_]/)[0].toLowerCase());
    if (iri && !out.includes(iri)) out.push(iri);
  }
  return out;
}

/** dct:accrualPeriodicity as an EU frequency IRI when it can be one; another IRI as it is. */
export function frequency(n: TermNode): Frequency | undefined {
  for (const v of list(n, 'accrualPeriodicity')) {
    const raw = (isLiteral(v) ? v['@value'] : (v['@id'] ?? '')).trim();
    if (raw.startsWith(EU_FREQUENCY)) return frequencyNode(raw);
    const eu = frequencyIri(raw);
    if (eu) return frequencyNode(eu);
    if (isIri(raw)) return frequencyNode(raw);
  }
  return undefined;
}
