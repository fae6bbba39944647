/**
 * Splits one CSW response page (GetRecordsResponse or GetRecordByIdResponse, CSW 2.0.2 or 3.0) into
 * standalone record documents WITHOUT building a DOM.
 *
 * One pass over the text: comments, CDATA sections, processing instructions, the DOCTYPE and quoted
 * attribute values are skipped; text runs are jumped over with indexOf. Every element is checked to
 * close in order, so a page cut short (unclosed elements at EOF, a tag cut in half) is an error,
 * never a short page. Every child element of csw:SearchResults (or of the GetRecordByIdResponse
 * root) is a record, whatever its name: the mapping stage decides what it can read.
 *
 * Each record keeps its exact bytes, plus the namespace declarations it inherited from the response
 * root and SearchResults (copied onto its start tag when it does not redeclare the prefix), so that
 * it parses on its own.
 *
 * A bare record (splitRecords: a file holding one record) that ends with its root's end tag is taken
 * as that span without scanning inside it: the XML parser that maps it checks it, with the file's
 * line and column (pipelines/files.ts gives the record's first line); what precedes and follows the
 * root is still checked here.
 */
import type { SourceFormat } from '../types.js';
import { isIsoAggregateRoot, isoFlavour, isoFormat, type SeriesPosition } from '../../core/formats.js';
import { elementText } from '../../core/xml.js';

/** Why a page could not be split. `truncated` and `malformed` are worth a fresh request; the others are answers. */
export type CswPageErrorKind =
  | 'truncated' // the text ends inside a tag, comment or element
  | 'malformed' // not well-formed (mismatched end tag, text outside the root...)
  | 'empty' // no content at all
  | 'entities' // a DOCTYPE declaring entities: refused, never expanded
  | 'exception' // an OWS ExceptionReport
  | 'html' // an HTML page (login page, proxy error...)
  | 'not-xml' // text that is not XML (JSON, plain text)
  | 'not-csw'; // well-formed XML whose root is not a CSW response

export class CswPageError extends Error {
  readonly kind: CswPageErrorKind;
  constructor(kind: CswPageErrorKind, message: string) {
    super(message);
    this.name = 'CswPageError';
    this.kind = kind;
  }
  /** true when another request may well succeed (a cut or garbled transfer). */
  get retryable(): boolean {
    return this.kind === 'truncated' || this.kind === 'malformed' || this.kind === 'empty';
  }
}

export const NS = {
  csw202: 'http://www.opengis.net/cat/csw/2.0.2',
  csw30: 'http://www.opengis.net/cat/csw/3.0',
  gmd: 'http://www.isotc211.org/2005/gmd',
  gmi: 'http://www.isotc211.org/2005/gmi',
  mdb20: 'http://standards.iso.org/iso/19115/-3/mdb/2.0',
  ows: 'http://www.opengis.net/ows',
  ows11: 'http://www.opengis.net/ows/1.1',
  ows20: 'http://www.opengis.net/ows/2.0',
  dcat: 'http://www.w3.org/ns/dcat#',
  geodcat: 'http://data.europa.eu/930/',
} as const;

export interface ElementName {
  /** Qualified name as written, e.g. `gmd:MD_Metadata`. */
  name: string;
  localName: string;
  /** Namespace URI the prefix resolves to, when declared. */
  namespace?: string;
}

export interface SplitRecord extends ElementName {
  /** The record as a standalone XML document (in-scope namespace declarations added to its root). */
  xml: string;
  /**
   * Identifier found by a targeted scan (fileIdentifier, mdb metadataIdentifier code, dc:identifier), when it is
   * certain: the element's plain text, read as the crosswalk reads it (core/xml.ts elementText).
   */
  id?: string;
  /** What the identifier element held when it could not be read for certain (an undeclared entity, markup inside). */
  idText?: string;
  /** Format from the root element's namespace; undefined when unknown (the mapping stage decides). */
  format?: SourceFormat;
  /** Character offset of the record in the page. */
  offset: number;
  /**
   * What the crosswalk needs beyond the record's text (RawRecord.context): a member of an ISO dataset series split
   * from it (aggregateParts) carries `series: { id?, position, of }`; a series whose member links the CSW harvester
   * left unfetched as records of its own carries `memberRecords` (core/formats.ts MemberRecord).
   */
  context?: Record<string, unknown>;
  /**
   * The `xml:base` values in scope from the elements around the record in its answer (the response's root, its
   * SearchResults), outermost first, entities decoded: with the URL the answer came from, the base of the relative
   * links in the record (XML Base; members.ts resolves a series' member links against it).
   */
  xmlBase?: string[];
}

export interface CswPage {
  root: ElementName;
  /** 'Document': a bare record (any other root), read by splitRecords only. */
  kind: 'GetRecordsResponse' | 'GetRecordByIdResponse' | 'Document';
  /** CSW version from the root `version` attribute or namespace. */
  version?: string;
  /** SearchResults attributes (absent for GetRecordByIdResponse). */
  matched?: number;
  returned?: number;
  nextRecord?: number;
  elementSet?: string;
  recordSchema?: string;
  records: SplitRecord[];
}

/**
 * The records of a local XML file: a CSW response (split as a page) or one bare record (the root
 * element, whatever it is, as the single record). Exception reports, HTML and broken XML still throw.
 */
export function splitRecords(text: string): CswPage {
  return splitCswResponse(text, { bareRecord: true });
}

/** Splits a CSW response page. Throws CswPageError. */
export function splitCswResponse(text: string, options: { bareRecord?: boolean } = {}): CswPage {
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  if (text.trim() === '') throw new CswPageError('empty', 'empty response');

  const stack: string[] = [];
  let rootTag: StartTag | undefined;
  let rootClosed = false;
  let page: CswPage | undefined;
  let containerDepth = -1; // depth of the element whose children are records
  let containerClosed = false;
  let inScope: Map<string, string> = new Map(); // prefix ('' = default) -> namespace, from root and container
  const outerBase: string[] = []; // xml:base of root and container, outermost first
  let recStart = -1;
  let recTag: StartTag | undefined;
  let sawHtmlDoctype = false;

  const lineOf = (pos: number) => `line ${countLines(text, pos)}`;

  for (;;) {
    const lt = text.indexOf('<', i);
    if (stack.length === 0) {
      // Outside the root: only whitespace may sit between markup.
      const between = text.slice(i, lt < 0 ? n : lt);
      if (between.trim() !== '') {
        if (!rootTag) throw new CswPageError('not-xml', `not XML: the response starts with "${snippet(text.slice(i))}"`);
        throw new CswPageError('malformed', `text after the root element at ${lineOf(i)}: "${snippet(between)}"`);
      }
    }
    if (lt < 0) break;
    const c = text.charCodeAt(lt + 1);

    if (c === 33 /* ! */) {
      if (text.startsWith('<!--', lt)) {
        const e = text.indexOf('-->', lt + 4);
        if (e < 0) throw new CswPageError('truncated', `the page ends inside a comment opened at ${lineOf(lt)}`);
        i = e + 3;
        continue;
      }
      if (text.startsWith('<![CDATA[', lt)) {
        const e = text.indexOf(']]>', lt + 9);
        if (e < 0) throw new CswPageError('truncated', `the page ends inside a CDATA section opened at ${lineOf(lt)}`);
        i = e + 3;
        continue;
      }
      if (text.slice(lt + 2, lt + 9).toUpperCase() === 'DOCTYPE') {
        const d = skipDoctype(text, lt);
        if (/^<!DOCTYPE\s+html\b/i.test(text.slice(lt, lt + 20))) sawHtmlDoctype = true;
        i = d;
        continue;
      }
      throw new CswPageError('malformed', `unexpected markup "${snippet(text.slice(lt, lt + 20))}" at ${lineOf(lt)}`);
    }

    if (c === 63 /* ? */) {
      const e = text.indexOf('?>', lt + 2);
      if (e < 0) throw new CswPageError('truncated', `the page ends inside a processing instruction at ${lineOf(lt)}`);
      i = e + 2;
      continue;
    }

    if (c === 47 /* / */) {
      const e = text.indexOf('>', lt + 2);
      if (e < 0) throw new CswPageError('truncated', `the page ends inside an end tag at ${lineOf(lt)}`);
      const name = text.slice(lt + 2, e).trimEnd();
      const open = stack.pop();
      if (open !== name) {
        throw new CswPageError(
          'malformed',
          open === undefined ? `end tag </${name}> without a start tag at ${lineOf(lt)}` : `</${name}> closes <${open}> at ${lineOf(lt)}`,
        );
      }
      i = e + 1;
      const depth = stack.length;
      if (recStart >= 0 && depth === containerDepth + 1) {
        page!.records.push(makeRecord(text, recStart, i, recTag!, inScope, outerBase));
        recStart = -1;
      } else if (depth === containerDepth) {
        containerClosed = true;
      }
      if (depth === 0) rootClosed = true;
      continue;
    }

    // A start tag.
    const end = findTagEnd(text, lt + 1);
    if (end < 0) throw new CswPageError('truncated', `the page ends inside a start tag at ${lineOf(lt)}`);
    const selfClosing = text.charCodeAt(end - 1) === 47;
    const name = readName(text, lt + 1);
    if (name === '') throw new CswPageError('malformed', `"<" not followed by a name at ${lineOf(lt)}`);
    const depth = stack.length;

    if (depth === 0) {
      if (rootClosed) throw new CswPageError('malformed', `a second root element <${name}> at ${lineOf(lt)}`);
      rootTag = parseStartTag(text, lt, end, name);
      page = classifyRoot(text, rootTag, sawHtmlDoctype, options.bareRecord ?? false);
      inScope = new Map(rootTag.ns);
      if (page.kind !== 'Document') pushBase(outerBase, rootTag);
      if (page.kind === 'GetRecordByIdResponse') containerDepth = 0;
      if (page.kind === 'Document') {
        // The root is the record: it closes at depth 0 = containerDepth + 1.
        inScope = new Map();
        recTag = rootTag;
        recStart = lt;
        // When the text ends with the root's end tag (then white space, comments, PIs), the record is that span: its
        // well-formedness is checked by the XML parser that maps it, with line and column, so it is not scanned twice
        // here. Otherwise the scan below goes on, to say what is wrong with the file.
        const close = selfClosing ? -1 : bareRecordEnd(text, name, end + 1);
        if (close > 0) {
          page.records.push(makeRecord(text, lt, close, rootTag, inScope));
          return page;
        }
      }
    } else if (containerDepth < 0 && depth === 1 && localOf(name) === 'SearchResults') {
      const tag = parseStartTag(text, lt, end, name);
      for (const [p, uri] of tag.ns) inScope.set(p, uri);
      pushBase(outerBase, tag);
      const a = tag.attrs;
      page!.matched = toInt(a.get('numberOfRecordsMatched'));
      page!.returned = toInt(a.get('numberOfRecordsReturned'));
      page!.nextRecord = toInt(a.get('nextRecord'));
      page!.elementSet = a.get('elementSet');
      page!.recordSchema = a.get('recordSchema');
      containerDepth = 1;
    } else if (containerDepth >= 0 && !containerClosed && depth === containerDepth + 1) {
      recTag = parseStartTag(text, lt, end, name);
      recStart = lt;
    }

    i = end + 1;
    if (selfClosing) {
      if (recStart === lt) {
        page!.records.push(makeRecord(text, recStart, i, recTag!, inScope, outerBase));
        recStart = -1;
      }
      if (depth === 0) rootClosed = true;
      if (depth === containerDepth) containerClosed = true;
    } else {
      stack.push(name);
    }
  }

  if (stack.length > 0) {
    const where = recStart >= 0 ? ` (record ${page!.records.length + 1}, <${recTag!.name}> opened at ${lineOf(recStart)})` : '';
    throw new CswPageError(
      'truncated',
      `the page ends with ${stack.length} unclosed element(s), innermost <${stack[stack.length - 1]}>${where}`,
    );
  }
  if (!rootTag || !page) throw new CswPageError('empty', 'no root element');
  if (page.kind === 'GetRecordsResponse' && containerDepth < 0) {
    throw new CswPageError('malformed', `<${rootTag.name}> has no csw:SearchResults element`);
  }
  return page;
}

const XML_SPACE = new Set([32, 9, 10, 13]);

/**
 * The offset just after the end tag of the root `name` when the text ends with it (then only white space, comments and
 * processing instructions), -1 otherwise. Nothing between `from` and that end tag is looked at.
 */
function bareRecordEnd(text: string, name: string, from: number): number {
  const e = text.lastIndexOf(`</${name}`, text.length);
  if (e < from) return -1;
  const gt = text.indexOf('>', e);
  if (gt < 0 || text.slice(e + 2 + name.length, gt).trim() !== '') return -1;
  for (let i = gt + 1; ;) {
    while (i < text.length && XML_SPACE.has(text.charCodeAt(i))) i++;
    if (i >= text.length) return gt + 1;
    const close = text.startsWith('<!--', i)
      ? text.indexOf('-->', i + 4) + 3
      : text.startsWith('<?', i)
        ? text.indexOf('?>', i + 2) + 2
        : -1;
    if (close < i) return -1;
    i = close;
  }
}

/** Offset of the `>` ending the start tag whose name begins at `p`, skipping quoted attribute values; -1 at EOF. */
function findTagEnd(text: string, p: number): number {
  const n = text.length;
  for (let j = p; j < n; j++) {
    const ch = text.charCodeAt(j);
    if (ch === 62 /* > */) return j;
    if (ch === 34 /* " */ || ch === 39 /* ' */) {
      const q = text.indexOf(ch === 34 ? '"' : "'", j + 1);
      if (q < 0) return -1;
      j = q;
    }
  }
  return -1;
}

function readName(text: string, p: number): string {
  let j = p;
  for (;;) {
    const ch = text.charCodeAt(j);
    // whitespace, '/', '>' or end of text end a name
    if (ch !== ch || ch === 32 || ch === 9 || ch === 10 || ch === 13 || ch === 47 || ch === 62) break;
    j++;
  }
  return text.slice(p, j);
}

/** Skips `<!DOCTYPE ...>` (with an internal subset); refuses entity declarations. Returns the offset after it. */
function skipDoctype(text: string, lt: number): number {
  const n = text.length;
  let inSubset = false;
  for (let j = lt + 9; j < n; j++) {
    const ch = text.charCodeAt(j);
    if (ch === 34 || ch === 39) {
      const q = text.indexOf(ch === 34 ? '"' : "'", j + 1);
      if (q < 0) break;
      j = q;
    } else if (ch === 91 /* [ */) inSubset = true;
    else if (ch === 93 /* ] */) inSubset = false;
    else if (ch === 60 /* < */ && inSubset && text.startsWith('<!ENTITY', j)) {
      throw new CswPageError('entities', 'the response declares entities in its DOCTYPE (refused: entities are never expanded)');
    } else if (ch === 62 /* > */ && !inSubset) return j + 1;
  }
  throw new CswPageError('truncated', 'the page ends inside its DOCTYPE');
}

interface StartTag {
  name: string;
  /** Offset of the `<` and of the `>` of the tag. */
  start: number;
  end: number;
  /** Attributes other than namespace declarations, raw (entities not decoded). */
  attrs: Map<string, string>;
  /** Namespace declarations: prefix ('' for the default namespace) -> URI. */
  ns: Map<string, string>;
}

const ATTR = /([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

function parseStartTag(text: string, start: number, end: number, name: string): StartTag {
  const attrs = new Map<string, string>();
  const ns = new Map<string, string>();
  const body = text.slice(start + 1 + name.length, end);
  for (const m of body.matchAll(ATTR)) {
    const key = m[1];
    const value = m[2] ?? m[3] ?? '';
    if (key === 'xmlns') ns.set('', decodeXmlText(value));
    else if (key.startsWith('xmlns:')) ns.set(key.slice(6), decodeXmlText(value));
    else attrs.set(key, value);
  }
  return { name, start, end, attrs, ns };
}

function localOf(name: string): string {
  const c = name.indexOf(':');
  return c < 0 ? name : name.slice(c + 1);
}

function prefixOf(name: string): string {
  const c = name.indexOf(':');
  return c < 0 ? '' : name.slice(0, c);
}

function resolve(name: string, own: Map<string, string>, inherited?: Map<string, string>): ElementName {
  const p = prefixOf(name);
  const namespace = own.get(p) ?? inherited?.get(p);
  return { name, localName: localOf(name), ...(namespace !== undefined ? { namespace } : {}) };
}

function classifyRoot(text: string, tag: StartTag, sawHtmlDoctype: boolean, bareRecord: boolean): CswPage {
  const root = resolve(tag.name, tag.ns);
  const local = root.localName;
  if (sawHtmlDoctype || local.toLowerCase() === 'html') {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1]?.trim();
    throw new CswPageError('html', `an HTML page, not a CSW response${title ? `: "${decodeXmlText(title)}"` : ''}`);
  }
  if (local === 'ExceptionReport' || local === 'ServiceExceptionReport') {
    throw new CswPageError('exception', `${tag.name}: ${exceptionText(text)}`);
  }
  const isCsw = root.namespace === NS.csw202 || root.namespace === NS.csw30;
  if (isCsw && (local === 'GetRecordsResponse' || local === 'GetRecordByIdResponse')) {
    const version = tag.attrs.get('version') ?? (root.namespace === NS.csw30 ? '3.0.0' : '2.0.2');
    return { root, kind: local, version, records: [] };
  }
  if (bareRecord) return { root, kind: 'Document', records: [] };
  throw new CswPageError(
    'not-csw',
    `not a CSW GetRecords/GetRecordById response: root element <${tag.name}>${root.namespace ? ` in namespace ${root.namespace}` : ' (no namespace)'}`,
  );
}

/** The texts, codes and locators of an OWS exception report, on one line. */
export function exceptionText(text: string): string {
  const parts: string[] = [];
  const re = /<(?:[\w.-]+:)?Exception\b([^>]*)>([\s\S]*?)<\/(?:[\w.-]+:)?Exception>/g;
  for (const m of text.matchAll(re)) {
    const code = /exceptionCode\s*=\s*["']([^"']*)["']/.exec(m[1])?.[1];
    const locator = /locator\s*=\s*["']([^"']*)["']/.exec(m[1])?.[1];
    const texts = [...m[2].matchAll(/<(?:[\w.-]+:)?ExceptionText\b[^>]*>([\s\S]*?)<\/(?:[\w.-]+:)?ExceptionText>/g)].map((t) =>
      decodeXmlText(t[1]).replace(/\s+/g, ' ').trim(),
    );
    const head = [code, locator ? `locator ${locator}` : undefined].filter(Boolean).join(', ');
    parts.push(`${head ? `[${head}] ` : ''}${texts.join(' ') || '(no exception text)'}`);
  }
  return parts.length > 0 ? parts.join('; ') : snippet(text, 300);
}

/**
 * The root element of a document (name, namespace, attributes) without parsing the rest: skips the
 * XML declaration, comments, PIs and the DOCTYPE. undefined when there is no start tag.
 */
export function readRoot(text: string): (ElementName & { attrs: Map<string, string>; ns: Map<string, string> }) | undefined {
  let i = 0;
  for (;;) {
    const lt = text.indexOf('<', i);
    if (lt < 0) return undefined;
    if (text.startsWith('<!--', lt)) {
      const e = text.indexOf('-->', lt + 4);
      if (e < 0) return undefined;
      i = e + 3;
    } else if (text.startsWith('<?', lt)) {
      const e = text.indexOf('?>', lt + 2);
      if (e < 0) return undefined;
      i = e + 2;
    } else if (text.startsWith('<!', lt)) {
      i = skipDoctype(text, lt);
    } else {
      const end = findTagEnd(text, lt + 1);
      if (end < 0) return undefined;
      const tag = parseStartTag(text, lt, end, readName(text, lt + 1));
      return { ...resolve(tag.name, tag.ns), attrs: tag.attrs, ns: tag.ns };
    }
  }
}

/** Adds the element's `xml:base`, when it has one, to the chain. */
function pushBase(chain: string[], tag: StartTag): void {
  const b = tag.attrs.get('xml:base');
  if (b !== undefined) chain.push(decodeXmlText(b).trim());
}

function makeRecord(
  text: string,
  start: number,
  end: number,
  tag: StartTag,
  inScope: Map<string, string>,
  outerBase: readonly string[] = [],
): SplitRecord {
  // Declarations in scope that the record root does not make itself.
  let extra = '';
  for (const [p, uri] of inScope) {
    if (!tag.ns.has(p)) extra += ` ${p === '' ? 'xmlns' : 'xmlns:' + p}="${escapeAttr(uri)}"`;
  }
  const nameEnd = start + 1 + tag.name.length;
  const xml = extra === '' ? text.slice(start, end) : text.slice(start, nameEnd) + extra + text.slice(nameEnd, end);
  const el = resolve(tag.name, tag.ns, inScope);
  const format = detectFormat(el, tag.ns, inScope, xml);
  const { id, idText } = recordId(xml, el, format);
  return {
    ...el,
    xml,
    offset: start,
    ...(id !== undefined ? { id } : {}),
    ...(idText !== undefined ? { idText } : {}),
    ...(format ? { format } : {}),
    ...(outerBase.length > 0 ? { xmlBase: [...outerBase] } : {}),
  };
}

/**
 * Format from the record root, by the one detection (core/formats.ts isoFlavour): gmd:MD_Metadata, gmi:MI_Metadata
 * and profiles extending them (e.g. che:CHE_MD_Metadata with gmd in scope) -> iso19139; mdb (any version) ->
 * iso19115-3. The namespaces in scope are gathered only when the root alone does not say (a profile root).
 */
export function detectFormat(
  el: ElementName,
  own: Map<string, string>,
  inherited: Map<string, string>,
  xml?: string,
): SourceFormat | undefined {
  return isoFormat(
    isoFlavour(
      {
        localName: el.localName,
        namespaceUri: el.namespace,
        get namespaces() {
          return Object.fromEntries([...inherited, ...own]);
        },
      },
      xml,
    ),
  );
}

const P = '(?:[\\w.-]+:)?';
// The value element's text up to its end tag: a comment, CDATA section or child element inside makes no match (the
// scan cannot be sure of what the parser will read there), and neither does an element cut short.
const FILE_ID = new RegExp(`<${P}fileIdentifier\\b[^>]*>\\s*<${P}(?:CharacterString|Anchor)\\b[^>]*>([^<]*)</`);
const FILE_ID_START = new RegExp(`<${P}fileIdentifier\\b[^>]*>\\s*<${P}(?:CharacterString|Anchor)\\b[^>]*>([^<]{0,200})`);
const MDB_ID_START = new RegExp(`<${P}metadataIdentifier\\b`);
const MDB_ID_END = new RegExp(`</${P}metadataIdentifier>`);
const CODE = new RegExp(`<${P}code\\b[^>]*>\\s*<${P}(?:CharacterString|Anchor)\\b[^>]*>([^<]*)</`);
const DC_ID = new RegExp(`<${P}identifier\\b[^>]*>([^<]*)</`);

/**
 * The record identifier by a targeted scan (no parse): `id` when the element's text is read for certain as the
 * crosswalk will read it (the predefined entities and character references decoded, trimmed: core/xml.ts
 * elementText), else `idText`, what the element seemed to hold (for reports only); neither when not found.
 */
export function recordId(xml: string, el: ElementName, format: SourceFormat | undefined): { id?: string; idText?: string } {
  let raw: string | undefined;
  if (format === 'iso19115-3') {
    const s = MDB_ID_START.exec(xml);
    if (s) {
      const rest = xml.slice(s.index);
      const e = MDB_ID_END.exec(rest);
      raw = CODE.exec(e ? rest.slice(0, e.index) : rest)?.[1];
    }
  } else if (format === 'iso19139' || /Metadata$/.test(el.localName)) {
    raw = FILE_ID.exec(xml)?.[1];
    if (raw === undefined) {
      // markup inside the value, or the record cut short: what it seemed to hold, for the report
      const partial = FILE_ID_START.exec(xml)?.[1]?.trim();
      return partial ? { idText: copy(partial) } : {};
    }
  } else {
    raw = DC_ID.exec(xml)?.[1] ?? FILE_ID.exec(xml)?.[1];
  }
  if (raw === undefined) return {};
  const id = elementText(raw);
  if (id !== undefined) return { id: copy(id) };
  const shown = raw.trim();
  return shown ? { idText: copy(shown) } : {};
}

/** The identifier a record seems to have, even when it is broken (reports only). */
export function identifierHint(xml: string): string | undefined {
  const m = FILE_ID_START.exec(xml) ?? CODE.exec(xml) ?? DC_ID.exec(xml);
  const t = m?.[1]?.trim();
  return t ? copy(t) : undefined;
}

/**
 * A copy, not a slice: V8 keeps the whole page (megabytes) alive behind any substring of it, and ids outlive pages
 * (duplicate detection, failure lists). Measured: 1.8 GB at 100k records without the copy.
 */
function copy(s: string): string {
  return Buffer.from(s, 'utf8').toString('utf8');
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Decodes the predefined XML entities and character references (nothing else is ever expanded). */
export function decodeXmlText(s: string): string {
  if (s.indexOf('&') < 0) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);/g, (_m, e: string) => {
    if (e[0] !== '#') return ENTITIES[e];
    const cp = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return cp <= 0x10ffff ? String.fromCodePoint(cp) : _m;
  });
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

function toInt(v: string | undefined): number | undefined {
  if (v === undefined || !/^\s*-?\d+\s*$/.test(v)) return undefined;
  return parseInt(v, 10);
}

function countLines(text: string, pos: number): number {
  let lines = 1;
  for (let j = text.indexOf('\n'); j >= 0 && j < pos; j = text.indexOf('\n', j + 1)) lines++;
  return lines;
}

function snippet(s: string, max = 80): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > max ? t.slice(0, max) + '…' : t;
}

const METADATA_ROOT = /(?:^|_)M[DI]_Metadata$/;

/**
 * The records one ISO aggregate document holds (a gmd:DS_Series, DS_Aggregate, DS_Initiative... root of ISO 19139, or
 * an mda:DS_Series... of ISO 19115-3), in document order: the series itself first (the whole document, whose record
 * the crosswalk reads from its seriesMetadata, or its `has` in 19115-3: its id is that metadata's fileIdentifier or
 * metadataIdentifier, not the first member's), then each member embedded as a full record
 * (composedOf/DS_DataSet/has/MD_Metadata or MI_Metadata) as a standalone document of its own, carrying its series'
 * identifier and its position (`context.series`). Undefined when the record is not such an aggregate or embeds no
 * member (members given by reference only, `has xlink:href`, are the crosswalk's to report): it is then one record,
 * as before. A series whose seriesMetadata holds no record (NASA SMAP granules: `gco:nilReason`) yields its members
 * only. Never throws: an aggregate that cannot be scanned is left whole for the mapping stage to judge.
 */
export function aggregateParts(rec: SplitRecord): SplitRecord[] | undefined {
  if (!isIsoAggregateRoot(rec.localName) || rec.format === undefined) return undefined;
  let spans: ReturnType<typeof scanAggregate>;
  try {
    spans = scanAggregate(rec.xml);
  } catch {
    return undefined;
  }
  if (spans.members.length === 0) return undefined;
  const parts: SplitRecord[] = [];
  const seriesMd = spans.series
    ? makeRecord(rec.xml, spans.series.start, spans.series.end, spans.series.tag, spans.series.inScope)
    : undefined;
  const seriesId = seriesMd?.id;
  if (seriesMd) {
    const { id: _first, idText: _firstText, ...whole } = rec; // the scan of the whole text finds the first member's id
    parts.push({
      ...whole,
      ...(seriesMd.id !== undefined ? { id: seriesMd.id } : {}),
      ...(seriesMd.idText !== undefined ? { idText: seriesMd.idText } : {}),
    });
  }
  const of = spans.members.length;
  spans.members.forEach((m, k) => {
    const member = makeRecord(rec.xml, m.start, m.end, m.tag, m.inScope);
    const series: SeriesPosition = { ...(seriesId !== undefined ? { id: seriesId } : {}), position: k + 1, of };
    parts.push({ ...member, offset: rec.offset + m.start, context: { series } });
  });
  return parts;
}

/** The identifier of an ISO aggregate's own record (its seriesMetadata's, 19115-3: its has's), when read for certain. */
export function seriesId(rec: SplitRecord): string | undefined {
  try {
    const s = scanAggregate(rec.xml).series;
    return s ? makeRecord(rec.xml, s.start, s.end, s.tag, s.inScope).id : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a part of an ISO dataset series is one of its members (aggregateParts: `context.series`), not the series. */
export const isSeriesMember = (part: Pick<SplitRecord, 'context'>): boolean => part.context?.series !== undefined;

/** Where a part of an ISO dataset series is: the series' own place, or its member's ("... member 3 of 142"). */
export function seriesPartWhere(where: string, part: SplitRecord): string {
  const s = part.context?.series as SeriesPosition | undefined;
  return s ? `${where} member ${s.position} of ${s.of}` : where;
}

interface Span {
  start: number;
  end: number;
  tag: StartTag;
  inScope: Map<string, string>;
}

/**
 * The spans of an aggregate's seriesMetadata record and of its embedded members, by one pass over its text (the same
 * tokenizer as the page splitter: comments, CDATA, PIs and quoted attributes skipped), with the namespaces in scope of
 * each. Throws on text it cannot follow.
 */
function scanAggregate(xml: string): { series?: Span; members: Span[]; links: MemberLink[] } {
  const stack: { name: string; local: string; ns: Map<string, string>; base?: string }[] = [];
  const members: Span[] = [];
  const links: MemberLink[] = [];
  let series: Span | undefined;
  let open: { start: number; tag: StartTag; inScope: Map<string, string>; depth: number; member: boolean } | undefined;
  // a composedOf/*/has with an xlink:href, while it holds no element (a member given by reference only)
  let link: { tag: StartTag; href: string; depth: number; empty: boolean; bases?: string[] } | undefined;
  const scope = () => {
    const m = new Map<string, string>();
    for (const f of stack) for (const [p, uri] of f.ns) m.set(p, uri);
    return m;
  };
  let i = 0;
  for (;;) {
    const lt = xml.indexOf('<', i);
    if (lt < 0) break;
    const c = xml.charCodeAt(lt + 1);
    if (c === 33 /* ! */) {
      if (xml.startsWith('<!--', lt)) i = xml.indexOf('-->', lt + 4) + 3;
      else if (xml.startsWith('<![CDATA[', lt)) i = xml.indexOf(']]>', lt + 9) + 3;
      else i = skipDoctype(xml, lt);
      if (i < 3) throw new Error('cut short');
      continue;
    }
    if (c === 63 /* ? */) {
      i = xml.indexOf('?>', lt + 2) + 2;
      if (i < 2) throw new Error('cut short');
      continue;
    }
    if (c === 47 /* / */) {
      const e = xml.indexOf('>', lt + 2);
      if (e < 0) throw new Error('cut short');
      stack.pop();
      i = e + 1;
      if (link && stack.length === link.depth) {
        if (link.empty)
          links.push({
            href: link.href,
            start: link.tag.start,
            end: i,
            open: xml.slice(link.tag.start, link.tag.end + 1),
            ...(link.bases ? { bases: link.bases } : {}),
          });
        link = undefined;
      }
      if (open && stack.length === open.depth) {
        const span = { start: open.start, end: i, tag: open.tag, inScope: open.inScope };
        if (open.member) members.push(span);
        else series ??= span;
        open = undefined;
      }
      continue;
    }
    const end = findTagEnd(xml, lt + 1);
    if (end < 0) throw new Error('cut short');
    const name = readName(xml, lt + 1);
    const selfClosing = xml.charCodeAt(end - 1) === 47;
    const tag = parseStartTag(xml, lt, end, name);
    const local = localOf(name);
    const path = stack.map((f) => f.local);
    if (link) link.empty = false; // an element inside: the member is (also) embedded
    if (local === 'has' && path.length === 3 && path[1] === 'composedOf') {
      const href = [...tag.attrs].find(([k]) => k === 'href' || k.endsWith(':href'))?.[1];
      if (href !== undefined && decodeXmlText(href).trim() !== '') {
        const h = decodeXmlText(href).trim();
        // XML Base: the bases of the record's elements down to the `has` itself (its own applies to its attributes)
        const own = tag.attrs.get('xml:base');
        const bases = [
          ...stack.flatMap((f) => (f.base !== undefined ? [f.base] : [])),
          ...(own !== undefined ? [decodeXmlText(own).trim()] : []),
        ];
        const base = bases.length > 0 ? { bases } : {};
        if (selfClosing) links.push({ href: h, start: lt, end: end + 1, open: `${xml.slice(lt, end - 1).trimEnd()}>`, ...base });
        else link = { tag, href: h, depth: stack.length, empty: true, ...base };
      }
    }
    if (!open && METADATA_ROOT.test(local)) {
      // composedOf / DS_DataSet / has / *_Metadata: a member; seriesMetadata / *_Metadata (ISO 19139) or has /
      // MD_Metadata (ISO 19115-3's mda, where "in 19115 it was called seriesMetadata"): the series' own record
      const member = path.length === 4 && path[1] === 'composedOf' && path[3] === 'has';
      const own = path.length === 2 && (path[1] === 'seriesMetadata' || path[1] === 'has');
      if ((member || own) && !selfClosing) open = { start: lt, tag, inScope: scope(), depth: stack.length, member };
    }
    i = end + 1;
    if (!selfClosing) {
      const base = tag.attrs.get('xml:base');
      stack.push({ name, local, ns: tag.ns, ...(base !== undefined ? { base: decodeXmlText(base).trim() } : {}) });
    }
  }
  return { ...(series ? { series } : {}), members, links };
}

/** A member of an ISO aggregate given by reference only: `composedOf/*\/has xlink:href` holding no element. */
export interface MemberLink {
  /** The link (xlink:href, entities decoded, trimmed). */
  href: string;
  /** Span of the whole `has` element in the aggregate's text. */
  start: number;
  end: number;
  /** Its start tag as an opening tag (`<gmd:has xlink:href="...">`, a self-closing tag opened). */
  open: string;
  /** The `xml:base` values in scope in the record, outermost first, the `has`'s own last (XML Base), when any. */
  bases?: string[];
}

/**
 * The members an ISO aggregate record (gmd:DS_Series, mda:DS_Series...) gives by reference only, in document order;
 * none when the record is no aggregate or cannot be scanned. Never throws.
 */
export function memberLinks(rec: SplitRecord): MemberLink[] {
  if (!isIsoAggregateRoot(rec.localName) || rec.format === undefined) return [];
  try {
    return scanAggregate(rec.xml).links;
  } catch {
    return [];
  }
}

/**
 * The aggregate record with members given by reference embedded where their links are (`has xlink:href` keeps its
 * link and now holds the record, as GeoNetwork's XLink resolver embeds a fragment: xlink:show "embed"), so that
 * aggregateParts splits them like members the source embedded. `embed` maps a link's index (in memberLinks order) to
 * the member record's text (one standalone MD_Metadata / MI_Metadata element declaring its namespaces); links without
 * one stay links. Also returns where each embedded member starts in the new text (what aggregateParts gives as the
 * member's offset, less the record's own), with its link.
 */
export function embedMembers(
  rec: SplitRecord,
  links: readonly MemberLink[],
  embed: ReadonlyMap<number, string>,
): { record: SplitRecord; embedded: Map<number, string> } {
  let xml = '';
  let from = 0;
  const embedded = new Map<number, string>();
  links.forEach((l, k) => {
    const member = embed.get(k);
    if (member === undefined) return;
    xml += rec.xml.slice(from, l.start) + l.open;
    embedded.set(xml.length, l.href);
    xml += `${member}</${l.open.slice(1, l.open.search(/[\s/>]/))}>`;
    from = l.end;
  });
  if (embedded.size === 0) return { record: rec, embedded };
  xml += rec.xml.slice(from);
  return { record: { ...rec, xml }, embedded };
}
