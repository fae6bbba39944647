/**
 * CSW GetCapabilities (2.0.2 with OWS 1.0, 3.0 with OWS 2.0): what the harvester needs to know, and
 * the choice of the output schema to ask for.
 *
 * Parsed with the project's secure XML parse (mappings/xml.ts: entities never expanded, a DOCTYPE
 * declaring entities refused, tag balance checked, prefixes removed). OWS 1.0 lists `ows:Value`
 * directly under a Parameter, OWS 1.1/2.0 wrap them in `AllowedValues`; both are read.
 */
import { HarvestError } from '../../core/result.js';
import { unique } from '../../core/json.js';
import { all, attr, first, ownText, parseXml, type XNode } from '../../core/xml.js';
import { exceptionText, NS } from './records.js';

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
  /** true when the document is broken (cut short, garbled): another request may succeed. */
  readonly retryable: boolean;
  constructor(message: string, retryable = false) {
    super(message);
    this.name = 'CapabilitiesError';
    this.retryable = retryable;
  }
}

/** Parses a GetCapabilities response. Throws CapabilitiesError (exception report, HTML, not CSW, not XML). */
export function parseCapabilities(text: string): CswCapabilities {
  if (/^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE\s+html|<html[\s>])/i.test(text.slice(0, 4000))) {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1]?.trim();
    throw new CapabilitiesError(`an HTML page, not CSW capabilities${title ? `: "${title}"` : ''}`);
  }
  let doc;
  try {
    doc = parseXml(text);
  } catch (err) {
    if (!(err instanceof HarvestError)) throw err;
    const entities = /entit/i.test(err.message);
    if (entities) throw new CapabilitiesError(`the capabilities declare entities (refused: entities are never expanded): ${err.message}`);
    throw new CapabilitiesError(`the capabilities are not well-formed XML: ${err.message}`, true);
  }
  const { info, root } = doc;
  const rootName = info.prefix ? `${info.prefix}:${info.localName}` : info.localName;
  if (info.localName === 'ExceptionReport' || info.localName === 'ServiceExceptionReport') {
    throw new CapabilitiesError(`${rootName}: ${exceptionText(text)}`);
  }
  // The root must be Capabilities in a CSW namespace (not, e.g., WMS or WFS capabilities).
  if (info.localName !== 'Capabilities' || (info.namespaceUri !== NS.csw202 && info.namespaceUri !== NS.csw30)) {
    throw new CapabilitiesError(
      `not CSW capabilities: root element <${rootName}>${info.namespaceUri ? ` in namespace ${info.namespaceUri}` : ''}`,
    );
  }

  const version = attr(root, 'version') ?? (info.namespaceUri === NS.csw30 ? '3.0.0' : '2.0.2');
  const ident = first(root, 'ServiceIdentification');
  const om = first(root, 'OperationsMetadata');
  const getRecords = all(om, 'Operation').find((o) => attr(o, 'name') === 'GetRecords');
  const hrefs = (binding: 'Get' | 'Post') =>
    all(getRecords, 'DCP', 'HTTP', binding)
      .map((n) => attr(n, 'href'))
      .filter((h): h is string => !!h);
  const named = (owner: XNode | undefined, kind: 'Parameter' | 'Constraint', name: string) =>
    values(all(owner, kind).find((p) => attr(p, 'name')?.toLowerCase() === name.toLowerCase()));

  const versions = unique(
    [...all(ident, 'ServiceTypeVersion').map((n) => ownText(n) ?? ''), ...named(om, 'Parameter', 'version')].filter(Boolean),
  );
  const queryables = unique(
    [...all(getRecords, 'Constraint'), ...all(om, 'Constraint')].filter((c) => /Queryables$/.test(attr(c, 'name') ?? '')).flatMap(values),
  );
  const maxDefault = [...named(getRecords, 'Constraint', 'MaxRecordDefault'), ...named(om, 'Constraint', 'MaxRecordDefault')]
    .map(Number)
    .find(Number.isFinite);
  const title = ownText(first(ident, 'Title'));

  return {
    version,
    versions: versions.length > 0 ? versions : [version],
    ...(title ? { title } : {}),
    getRecords: { get: hrefs('Get'), post: hrefs('Post') },
    outputSchemas: named(getRecords, 'Parameter', 'outputSchema'),
    typeNames: unique([...named(getRecords, 'Parameter', 'typeNames'), ...named(getRecords, 'Parameter', 'typeName')]),
    constraintLanguages: named(getRecords, 'Parameter', 'CONSTRAINTLANGUAGE'),
    elementSetNames: named(getRecords, 'Parameter', 'ElementSetName'),
    queryables,
    ...(maxDefault !== undefined ? { maxRecordDefault: maxDefault } : {}),
  };
}

/** The Value children of a Parameter or Constraint, directly (OWS 1.0) or under AllowedValues (OWS 1.1/2.0). */
function values(n: XNode | undefined): string[] {
  if (!n) return [];
  return unique([...all(n, 'Value'), ...all(n, 'AllowedValues', 'Value')].map((v) => ownText(v) ?? '').filter((v) => v !== ''));
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
  // DCAT and GeoDCAT-AP in RDF/XML (GeoNetwork 4): read by the DCAT crosswalk; chosen only when no ISO schema is offered.
  NS.dcat,
  NS.geodcat,
] as const;

export interface SchemaChoice {
  outputSchema: string;
  /** typeNames to ask for with it. */
  typeNames: string;
  /** false: a configured schema no crosswalk reads. csw:Record (Dublin Core) is read (mappings/dc), as a last resort. */
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
  const isSupported = (s: string) => (SUPPORTED_SCHEMAS as readonly string[]).includes(s) || s === NS.csw202 || s === NS.csw30;
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
        (supported ? '' : '; records in it are neither ISO 19115 nor DCAT and cannot be mapped'),
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
      return {
        outputSchema: s,
        typeNames: typeNamesFor(s, caps),
        supported: true,
        reason: `outputSchema ${s} (the preferred ISO schema the server offers)`,
        level: 'info',
      };
    }
  }
  const fallback = offered.includes(cswNs) ? cswNs : (offered.find((s) => s === NS.csw202 || s === NS.csw30) ?? cswNs);
  return {
    outputSchema: fallback,
    typeNames: typeNamesFor(fallback, caps),
    supported: true,
    reason: `the server offers no ISO output schema (${offered.join(', ')}): asking for ${fallback} (csw:Record, Dublin Core) as a last resort; its records are mapped by the Dublin Core crosswalk, which carries less than ISO (no contacts, lineage or quality)`,
    level: 'warn',
  };
}

/** typeNames matching a schema, when the server advertises them; csw:Record otherwise (accepted by every CSW). */
function typeNamesFor(schema: string, caps: CswCapabilities): string {
  // DCAT output is a view of the ISO records: GeoNetwork is asked for them by their ISO type name, as udata does
  const want =
    schema === NS.gmd || schema === NS.gmi || schema === NS.dcat || schema === NS.geodcat
      ? 'gmd:MD_Metadata'
      : schema === NS.mdb20
        ? 'mdb:MD_Metadata'
        : undefined;
  if (want && caps.typeNames.includes(want)) return want;
  return 'csw:Record';
}
