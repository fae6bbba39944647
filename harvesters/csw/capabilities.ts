/**
 * CSW GetCapabilities (2.0.2 with OWS 1.0, 3.0 with OWS 2.0): what the harvester needs to know, and
 * the choice of the output schema to ask for.
 *
 * Parsed with fast-xml-parser, entities never expanded (a DOCTYPE declaring entities is refused),
 * namespace prefixes removed: OWS 1.0 lists `ows:Value` directly under a Parameter, OWS 1.1/2.0 wrap
 * them in `AllowedValues`; both are read.
 */
import { XMLParser } from 'fast-xml-parser';
import { decodeXmlText, exceptionText, NS, readRoot } from './records.js';

export interface CswCapabilities {
  /** Version of the capabilities document (root `version`), e.g. '2.0.2' or '3.0.0'. */
  version: string;
  /** Versions the service says it speaks (ServiceTypeVersion, the `version` parameter), in document order. */
  versions: string[];
  title?: string;
  /** GetRecords endpoints by binding (DCP/HTTP Get and Post hrefs). Empty when not advertised. */
  getRecords: { get: string[]; post: string[] };
  /** outputSchema values offered for GetRecords. */
  outputSchemas: string[];
  /** typeNames values offered for GetRecords. */
  typeNames: string[];
  /** CONSTRAINTLANGUAGE values offered for GetRecords (e.g. CQL_TEXT, FILTER). */
  constraintLanguages: string[];
  /** ElementSetName values offered for GetRecords. */
  elementSetNames: string[];
  /** Queryables advertised (ISO, Dublin Core / core, additional), e.g. 'apiso:Modified', 'dct:modified'. */
  queryables: string[];
  /** MaxRecordDefault, when advertised (operation or service level). */
  maxRecordDefault?: number;
}

/** What the capabilities document could not tell us: the caller wraps it in a SourceError with URL and request. */
export class CapabilitiesError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CapabilitiesError';
  }
}

type Node = Record<string, unknown>;

const ARRAYS = new Set(['Operation', 'Parameter', 'Constraint', 'Value', 'Get', 'Post', 'ServiceTypeVersion', 'Exception', 'ExceptionText']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  processEntities: false, // nothing is expanded; the predefined entities are decoded below, value by value
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name) => ARRAYS.has(name),
});

/** Parses a GetCapabilities response. Throws CapabilitiesError (exception report, HTML, not CSW, not XML). */
export function parseCapabilities(text: string): CswCapabilities {
  const head = text.slice(0, 2000);
  if (/<!DOCTYPE[^>[]*\[[\s\S]*?<!ENTITY/i.test(text.slice(0, 100_000))) {
    throw new CapabilitiesError('the capabilities declare entities in a DOCTYPE (refused: entities are never expanded)');
  }
  if (/^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<!DOCTYPE\s+html|<html[\s>]/i.test(head)) {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1]?.trim();
    throw new CapabilitiesError(`an HTML page, not CSW capabilities${title ? `: "${title}"` : ''}`);
  }
  let doc: Node;
  try {
    doc = parser.parse(text, true) as Node;
  } catch (err) {
    const msg = typeof err === 'object' && err && 'err' in err ? JSON.stringify((err as { err: unknown }).err) : (err as Error).message;
    throw new CapabilitiesError(`the capabilities are not well-formed XML: ${msg}`);
  }
  const top = readRoot(text);
  if (!top) throw new CapabilitiesError('not XML: no root element');
  if (top.localName === 'ExceptionReport' || top.localName === 'ServiceExceptionReport') {
    throw new CapabilitiesError(`${top.name}: ${exceptionText(text)}`);
  }
  const root = doc.Capabilities as Node | undefined;
  // The root must be a Capabilities element in a CSW namespace (not, e.g., WMS or WFS capabilities).
  if (!root || typeof root !== 'object' || (top.namespace !== NS.csw202 && top.namespace !== NS.csw30)) {
    throw new CapabilitiesError(`not CSW capabilities: root element <${top.name}>${top.namespace ? ` in namespace ${top.namespace}` : ''}`);
  }
  const version = attr(root, 'version') ?? (top.namespace === NS.csw30 ? '3.0.0' : '2.0.2');
  const ident = child(root, 'ServiceIdentification');
  const om = child(root, 'OperationsMetadata');
  const ops = list(om?.Operation);
  const getRecords = ops.find((o) => attr(o, 'name') === 'GetRecords');
  const http = child(child(getRecords, 'DCP'), 'HTTP');
  const hrefs = (k: 'Get' | 'Post') => list(http?.[k]).map((g) => attr(g, 'href')).filter((h): h is string => !!h);

  const param = (owner: Node | undefined, name: string) =>
    values(list(owner?.Parameter).find((p) => attr(p, 'name')?.toLowerCase() === name.toLowerCase()));
  const constraint = (owner: Node | undefined, name: string) => values(list(owner?.Constraint).find((p) => attr(p, 'name') === name));

  const versions = unique([...list(ident?.ServiceTypeVersion).map(textOf), ...param(om, 'version')]);
  const queryables = unique(
    list(getRecords?.Constraint)
      .concat(list(om?.Constraint))
      .filter((c) => /Queryables$/.test(attr(c, 'name') ?? ''))
      .flatMap((c) => values(c)),
  );
  const maxDefault = [...constraint(getRecords, 'MaxRecordDefault'), ...constraint(om, 'MaxRecordDefault')].map(Number).find(Number.isFinite);
  const title = textOf(child(ident, 'Title'));

  return {
    version,
    versions: versions.length > 0 ? versions : [version],
    ...(title ? { title } : {}),
    getRecords: { get: hrefs('Get'), post: hrefs('Post') },
    outputSchemas: param(getRecords, 'outputSchema'),
    typeNames: param(getRecords, 'typeNames').concat(param(getRecords, 'typeName')),
    constraintLanguages: param(getRecords, 'CONSTRAINTLANGUAGE'),
    elementSetNames: param(getRecords, 'ElementSetName'),
    queryables,
    ...(maxDefault !== undefined ? { maxRecordDefault: maxDefault } : {}),
  };
}

function child(n: Node | undefined, key: string): Node | undefined {
  const v = n?.[key];
  if (Array.isArray(v)) return v[0] as Node;
  return v && typeof v === 'object' ? (v as Node) : undefined;
}

function list(v: unknown): Node[] {
  if (v === undefined || v === null) return [];
  return (Array.isArray(v) ? v : [v]).map((x) => (typeof x === 'object' && x !== null ? (x as Node) : { '#text': String(x) }));
}

function attr(n: Node | undefined, name: string): string | undefined {
  const v = n?.['@_' + name];
  return v === undefined ? undefined : decodeXmlText(String(v)).trim();
}

function textOf(n: unknown): string {
  if (n === undefined || n === null) return '';
  if (typeof n !== 'object') return decodeXmlText(String(n)).trim();
  const t = (n as Node)['#text'];
  return t === undefined ? '' : decodeXmlText(String(t)).trim();
}

/** The Value children of a Parameter or Constraint, directly (OWS 1.0) or under AllowedValues (OWS 1.1/2.0). */
function values(n: Node | undefined): string[] {
  if (!n) return [];
  const direct = list(n.Value);
  const allowed = list(child(n, 'AllowedValues')?.Value);
  return unique([...direct, ...allowed].map(textOf).filter((v) => v !== ''));
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}

// ----------------------------------------------------------------------------------------------
// Choosing the output schema.

/** Output schemas in order of preference; every one of them is mapped by the crosswalks. */
export const SUPPORTED_SCHEMAS = [
  // ISO 19139: gmd:MD_Metadata, gmi:MI_Metadata and profiles (GeoNetwork and pycsw serve both under it).
  NS.gmd,
  // ISO 19115-3 (GeoNetwork 4 with the iso19115-3 schema plugin).
  NS.mdb20,
  // Some servers advertise the 19115-2 namespace as a schema of its own: the records are still 19139.
  NS.gmi,
] as const;

export interface SchemaChoice {
  outputSchema: string;
  /** typeNames to ask for with it. */
  typeNames: string;
  /** false: the records will not be ISO (csw:Record, Dublin Core): the mapping stage cannot use them. */
  supported: boolean;
  /** Why, in one sentence, for the harvest notice. */
  reason: string;
  level: 'info' | 'warn';
}

/**
 * Picks the output schema to ask for: the preferred one when configured; else gmd (covers gmd and
 * gmi), else mdb 2.0, else gmi, else the CSW record of the service version as a last resort (flagged
 * unsupported). A service that advertises no outputSchema at all is asked for gmd.
 */
export function chooseOutputSchema(caps: CswCapabilities, preferred?: string): SchemaChoice {
  const offered = caps.outputSchemas;
  const cswNs = caps.version.startsWith('3') ? NS.csw30 : NS.csw202;
  const isSupported = (s: string) => (SUPPORTED_SCHEMAS as readonly string[]).includes(s);
  if (preferred !== undefined) {
    const advertised = offered.length === 0 || offered.includes(preferred);
    const supported = isSupported(preferred);
    return {
      outputSchema: preferred,
      typeNames: typeNamesFor(preferred, caps),
      supported,
      reason:
        `outputSchema ${preferred} as configured` +
        (advertised ? '' : ` (not among those the server advertises: ${offered.join(', ')})`) +
        (supported ? '' : '; records in it are not ISO 19115 and cannot be mapped'),
      level: advertised && supported ? 'info' : 'warn',
    };
  }
  if (offered.length === 0) {
    return {
      outputSchema: NS.gmd,
      typeNames: typeNamesFor(NS.gmd, caps),
      supported: true,
      reason: `the server advertises no GetRecords outputSchema: asking for ${NS.gmd}`,
      level: 'warn',
    };
  }
  for (const s of SUPPORTED_SCHEMAS) {
    if (offered.includes(s)) {
      return { outputSchema: s, typeNames: typeNamesFor(s, caps), supported: true, reason: `outputSchema ${s} (the preferred ISO schema the server offers)`, level: 'info' };
    }
  }
  const fallback = offered.includes(cswNs) ? cswNs : (offered.find((s) => s === NS.csw202 || s === NS.csw30) ?? cswNs);
  return {
    outputSchema: fallback,
    typeNames: typeNamesFor(fallback, caps),
    supported: false,
    reason: `the server offers no ISO output schema (${offered.join(', ')}): asking for ${fallback} (csw:Record, Dublin Core) as a last resort; such records are not supported by the mapping`,
    level: 'warn',
  };
}

/** typeNames matching a schema, when the server advertises them; csw:Record otherwise (accepted by every CSW). */
function typeNamesFor(schema: string, caps: CswCapabilities): string {
  const want = schema === NS.gmd || schema === NS.gmi ? 'gmd:MD_Metadata' : schema === NS.mdb20 ? 'mdb:MD_Metadata' : undefined;
  if (want && caps.typeNames.includes(want)) return want;
  return 'csw:Record';
}
