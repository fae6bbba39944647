/**
 * The field groups of a csw:Record (mappings/dc/index.ts): type, subjects, agents, rights, links. Each reads its
 * elements and returns its part of the record, with warnings naming the element. Pure.
 */
import type { Agent, Attribution, Concept, Distribution, LangMapMulti, LicenseDocument, RightsStatement } from '../../schemas/record.js';
import type { RecordType } from '../../schemas/record.js';
import { recordIri } from '../../schemas/record.js';
import {
  accessRightsFromText,
  isDownloadProtocol,
  knownLicense,
  mediaTypeIri,
  protocolServiceType,
  resourceTypeIri,
  roleIri,
  scopeCode,
  topicCategoryIri,
} from '../../core/vocab.js';
import { attr, ownText, all, type XNode } from '../../core/xml.js';
import { coded, type SourceWarning } from '../../core/warnings.js';
import {
  attribution,
  conceptsOrKeywords,
  iriConcept,
  isAbsoluteIri,
  mediaType,
  organisationAgent,
  standards,
  urlIri,
  type LooseConcept,
} from '../common.js';
import { codeListConcept } from '../codelists.js';

export interface DcCtx {
  source: string;
  /** Language-map key of the record's dc:language ("@none" when unknown). */
  main: string;
  warnings: SourceWarning[];
}

/** The non-empty texts of the children named `name` (dc:subject...), in order, with their elements. */
export function texts(rec: XNode, name: string): { text: string; node: XNode }[] {
  return all(rec, name)
    .map((node) => ({ text: ownText(node) ?? '', node }))
    .filter((v) => v.text !== '');
}

const DCMI_TYPE = 'http://purl.org/dc/dcmitype/';

/** dc:type: a DCMI type IRI or name, or an ISO scope code ("dataset", "service", "series"). */
export function readDcType(ctx: DcCtx, rec: XNode): { type?: RecordType; resourceType: Concept[] } {
  const resourceType: Concept[] = [];
  let type: RecordType | undefined;
  for (const { text } of texts(rec, 'type')) {
    const name = text.startsWith(DCMI_TYPE) ? text.slice(DCMI_TYPE.length) : text;
    const scope = scopeCode(name);
    if (/^service$/i.test(name) || scope === 'service') type ??= ['dcat:DataService', 'schema:WebAPI'];
    else if (scope === 'series' || /^collection$/i.test(name)) type ??= ['dcat:DatasetSeries', 'dcat:Dataset', 'schema:Dataset'];
    // a DCMI type IRI as the source gives it; an ISO scope as its INSPIRE resource type
    const iso = scope && !text.startsWith(DCMI_TYPE) ? resourceTypeIri(scope) : undefined;
    if (text.startsWith(DCMI_TYPE)) resourceType.push(iriConcept(text));
    else if (iso) resourceType.push(codeListConcept(iso) ?? iriConcept(iso));
    else ctx.warnings.push(coded('dc:type', 'dc.type.unknown', { value: text }));
  }
  return { ...(type ? { type } : {}), resourceType };
}

const TOPIC_SCHEME = /MD_TopicCategoryCode/;

/** dc:subject (with its `scheme`): keywords, or theme concepts when the scheme and value say which concept. */
export function readDcSubjects(ctx: DcCtx, rec: XNode): { keyword?: LangMapMulti; theme: Concept[] } {
  const loose: LooseConcept[] = [];
  for (const { text, node } of texts(rec, 'subject')) {
    const scheme = attr(node, 'scheme');
    const topic = scheme && TOPIC_SCHEME.test(scheme) ? topicCategoryIri(text) : undefined;
    if (topic) loose.push(codeListConcept(topic) ?? { '@type': 'skos:Concept', '@id': topic });
    else if (isAbsoluteIri(text) && /^https?:/i.test(text)) loose.push({ '@type': 'skos:Concept', '@id': text });
    else loose.push({ '@type': 'skos:Concept', prefLabel: { [ctx.main]: text } });
  }
  const { concepts, keywords } = conceptsOrKeywords(loose);
  const keyword: LangMapMulti = {};
  for (const k of keywords)
    for (const [l, v] of Object.entries(k)) {
      const list = (keyword[l] ??= []);
      if (!list.includes(v)) list.push(v);
    }
  return { ...(Object.keys(keyword).length ? { keyword } : {}), theme: concepts };
}

/** dc:creator, dc:publisher, dc:contributor: organisations named (DC does not tell people from bodies). */
export function readDcAgents(ctx: DcCtx, rec: XNode): { creator: Agent[]; publisher?: Agent; qualifiedAttribution: Attribution[] } {
  const agent = (name: string) => organisationAgent({ [ctx.main]: name }, {});
  const creator = texts(rec, 'creator').map((v) => agent(v.text));
  const publishers = texts(rec, 'publisher').map((v) => agent(v.text));
  const qualifiedAttribution = texts(rec, 'contributor').map((v) =>
    attribution(agent(v.text), roleIri('contributor') ?? roleIri('author')!),
  );
  if (publishers.length > 1) ctx.warnings.push(coded('dc:publisher', 'dc.publisher.many', { count: publishers.length }));
  return { creator, ...(publishers[0] ? { publisher: publishers[0] } : {}), qualifiedAttribution };
}

function licenseDocument(ctx: DcCtx, text: string): LicenseDocument {
  const known = knownLicense(text);
  if (known) return { '@id': known.iri, '@type': 'dct:LicenseDocument', label: { en: known.label } };
  const iri = urlIri(text);
  return iri ? { '@id': iri, '@type': 'dct:LicenseDocument' } : { '@type': 'dct:LicenseDocument', label: { [ctx.main]: text } };
}

/** dct:license, dct:accessRights, dc:rights. */
export function readDcRights(
  ctx: DcCtx,
  rec: XNode,
): { license: LicenseDocument[]; accessRights?: RightsStatement; rights: RightsStatement[] } {
  const license = texts(rec, 'license').map((v) => licenseDocument(ctx, v.text));
  const rights: RightsStatement[] = [];
  for (const { text } of texts(rec, 'rights')) {
    if (knownLicense(text)) license.push(licenseDocument(ctx, text));
    else rights.push({ '@type': 'dct:RightsStatement', label: { [ctx.main]: text } });
  }
  const access = texts(rec, 'accessRights')[0]?.text;
  const accessIri = accessRightsFromText(access);
  const accessRights: RightsStatement | undefined = access
    ? accessIri
      ? { '@id': accessIri, '@type': 'dct:RightsStatement', label: { [ctx.main]: access } }
      : { '@type': 'dct:RightsStatement', label: { [ctx.main]: access } }
    : undefined;
  const seen = new Set<string>();
  return {
    license: license.filter((l) => {
      const k = JSON.stringify(l);
      return seen.has(k) ? false : (seen.add(k), true);
    }),
    ...(accessRights ? { accessRights } : {}),
    rights,
  };
}

/** An identifier of a related record: an http(s) IRI as it is, else the record of this source with that identifier. */
function refIri(source: string, ref: string): string {
  return (/^https?:\/\//i.test(ref) ? urlIri(ref) : undefined) ?? recordIri(source, ref);
}

/** dct:references (scheme = protocol), dc:format, dc:source, dc:relation. */
export function readDcLinks(ctx: DcCtx, rec: XNode): { distribution: Distribution[]; depiction: string[]; relation: string[] } {
  const distribution: Distribution[] = [];
  const depiction: string[] = [];
  for (const { text, node } of texts(rec, 'references')) {
    const url = urlIri(text);
    if (!url) {
      ctx.warnings.push(coded('dct:references', 'dc.references.notUrl', { value: text }));
      continue;
    }
    const scheme = attr(node, 'scheme');
    if (scheme && /thumbnail|browse[-_ ]?graphic/i.test(scheme)) {
      depiction.push(url);
      continue;
    }
    const service = protocolServiceType(scheme, url);
    const download = isDownloadProtocol(scheme);
    distribution.push({
      '@type': 'dcat:Distribution',
      accessURL: url,
      ...(download ? { downloadURL: url } : {}),
      ...(service ? { conformsTo: standards([service]) } : {}),
      ...(scheme ? { protocol: scheme } : {}),
    });
  }
  const formats = texts(rec, 'format').map((v) => v.text);
  if (formats.length === 1 && distribution.length === 1) {
    const mt = mediaTypeIri(formats[0]);
    if (mt) distribution[0].mediaType = mediaType(mt);
    else distribution[0].format = { '@type': 'dct:MediaTypeOrExtent', label: { [ctx.main]: formats[0] } };
  } else if (formats.length > 0 && distribution.length > 0) {
    ctx.warnings.push(coded('dc:format', 'dc.format.ambiguous', { formats: formats.length, links: distribution.length }));
  }
  const relation = [...texts(rec, 'source'), ...texts(rec, 'relation')].map((v) => refIri(ctx.source, v.text));
  return { distribution, depiction: [...new Set(depiction)], relation: [...new Set(relation)] };
}
