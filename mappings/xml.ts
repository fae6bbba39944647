/**
 * Secure XML parsing shared by the XML crosswalks and the CSW harvester, and a small accessor layer over the tree.
 *
 * Security: entities are NEVER expanded. A document whose DOCTYPE declares entities (`<!ENTITY`) is refused before
 * parsing (billion laughs, XXE); the parser runs with `processEntities: false` and `htmlEntities: false`, and only the
 * five predefined XML entities and numeric character references are decoded, by us, in text and attribute values
 * (an undeclared `&name;` stays as written). Nothing is ever read or fetched from a DTD.
 *
 * Tree shape (the fast-xml-parser 5 shape): namespace prefixes removed (map by local names: prefixes vary between
 * servers), attributes kept under `@name` (`xlink:href` → `@href`, `codeListValue` → `@codeListValue`), text under
 * `#text`, CDATA under `#cdata`, a repeated child as an array, a single child as a value, xmlns declarations dropped.
 * The accessors (`all`, `first`, `text`...) hide the array/value difference. The root element's namespace URI is
 * read from the raw start tag (`rootInfo`), since prefix removal loses it.
 *
 * Engines: fast-xml-parser 5 does not check that end tags match start tags (it accepts `<a><b></a>` and a truncated
 * document), so every document first goes through our single-pass well-formedness check, which also builds the same
 * tree (`buildTree`). That builder is the default engine: on the ISO 19139 fixtures it parses ~3,000-5,000
 * records/s against ~570 for fast-xml-parser 5 (one core, CPU time), which is what lets map+validate reach
 * >1,200 records/s (scripts/bench/map.ts). `parseXml(text, { engine: 'fxp' })` runs fast-xml-parser 5 (configured as
 * below) after the same checks; test/mappings/xml.test.ts asserts both give identical trees on every fixture.
 */
import { XMLParser } from 'fast-xml-parser';
import { RecordError } from '../pipelines/result.js';

/** A parsed element: attributes under `@name`, text under `#text`, children by local name; or a bare text value. */
export type XNode = XElement | string;
export interface XElement {
  [key: string]: XNode | XNode[] | undefined;
}

export interface RootInfo {
  /** Local name of the root element, e.g. "MD_Metadata". */
  localName: string;
  /** Its prefix as written ("gmd"), undefined when unprefixed. */
  prefix?: string;
  /** Its namespace URI from the xmlns declarations of the root start tag (undefined when not declared there). */
  namespaceUri?: string;
  /** Every xmlns declaration of the root start tag: prefix ("" for the default namespace) → URI. */
  namespaces: Record<string, string>;
}

export interface XmlDocument {
  /** Local name of the root element. */
  rootName: string;
  /** The root element ('' content becomes an empty element). */
  root: XElement;
  info: RootInfo;
}

// ---------------------------------------------------------------------------------------------------------------
// Entities
// ---------------------------------------------------------------------------------------------------------------

const RE_ENTITY = /&(?:#x([0-9a-fA-F]{1,6})|#([0-9]{1,7})|(amp|lt|gt|quot|apos));/g;
const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function codePoint(cp: number, raw: string): string {
  // Only legal XML characters; anything else stays as written.
  if (cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff)) {
    return String.fromCodePoint(cp);
  }
  return raw;
}

/** Decodes the five predefined XML entities and numeric character references; any other `&name;` is kept as is. */
export function decodeXmlEntities(value: string): string {
  if (value.indexOf('&') === -1) return value;
  return value.replace(RE_ENTITY, (raw, hex: string | undefined, dec: string | undefined, named: string | undefined) => {
    if (named) return PREDEFINED[named]!;
    return codePoint(hex ? parseInt(hex, 16) : parseInt(dec!, 10), raw);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Parser (one shared instance: fast-xml-parser keeps no state between parse calls that we rely on)
// ---------------------------------------------------------------------------------------------------------------

const decodeValue = (_name: string, value: string): string | undefined =>
  value.indexOf('&') === -1 ? undefined /* keep as is */ : decodeXmlEntities(value);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  cdataPropName: '#cdata',
  textNodeName: '#text',
  // Matcher objects instead of jPath strings for callbacks: faster, and we do not use the path.
  jPath: false,
  tagValueProcessor: decodeValue,
  attributeValueProcessor: decodeValue,
} as ConstructorParameters<typeof XMLParser>[0]);

function lineCol(text: string, index: number): string {
  let line = 1;
  let last = -1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) {
    line++;
    last = i;
  }
  return `line ${line}, column ${index - last}`;
}

function parseError(text: string, index: number, message: string): RecordError {
  return new RecordError('parse', `malformed XML at ${lineCol(text, index)}: ${message}`);
}

const RE_START_TAG = /<([A-Za-z_][\w.:-]*)((?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/y;
const RE_END_TAG = /<\/([A-Za-z_][\w.:-]*)\s*>/y;
const RE_ATTRIBUTE = /([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
const RE_NON_SPACE = /\S/;
const RE_CR = /\r\n?/g;
const RE_HTML = /^\s*(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*(?:<!DOCTYPE\s+html|<html[\s>])/i;
const RE_NON_SPACE_G = /\S/g;

interface Open {
  /** Qualified name as written (for end-tag matching). */
  qname: string;
  /** Local name (prefix removed). */
  local: string;
  node: XElement;
  /** Whether the element has attributes or child elements (then it stays an object). */
  complex: boolean;
  text: string;
  cdata: string | string[] | undefined;
}

function localName(qname: string): string {
  const i = qname.indexOf(':');
  return i === -1 ? qname : qname.slice(i + 1);
}

/** Adds a child value under its local name: a value, or an array when repeated (the fast-xml-parser shape). */
function addChild(parent: XElement, name: string, value: XNode): void {
  // Plain objects (fast), with the one dangerous key renamed as fast-xml-parser does.
  if (name === '__proto__') name = '#__proto__';
  const prev = parent[name];
  if (prev === undefined) parent[name] = value;
  else if (Array.isArray(prev)) prev.push(value);
  else parent[name] = [prev, value];
}

function closeElement(o: Open): XNode {
  const t = o.text.trim();
  if (!o.complex && o.cdata === undefined) return t;
  if (t !== '') o.node['#text'] = t;
  if (o.cdata !== undefined) o.node['#cdata'] = o.cdata;
  return o.node;
}

/**
 * Single pass over the document that checks well-formedness and builds the tree (the fast-xml-parser shape
 * described in the module comment; an element named `__proto__` is stored as `#__proto__`, never as a prototype):
 * end tags match start tags, one root element, no text outside it, comments, CDATA sections and processing
 * instructions closed, attributes well formed and quoted, no unknown markup. Throws RecordError('parse') with the
 * line and column of the first error. Character-level rules inside text are not checked.
 */
export function buildTree(text: string): { rootName: string; root: XNode } {
  const stack: Open[] = [];
  let rootName: string | undefined;
  let root: XNode | undefined;
  let pos = 0;
  const n = text.length;
  while (pos < n) {
    const lt = text.indexOf('<', pos);
    const textEnd = lt === -1 ? n : lt;
    if (textEnd > pos) {
      // Skip white space without allocating: the first non-space character at or after pos (a '<' stops it).
      RE_NON_SPACE_G.lastIndex = pos;
      const ns = RE_NON_SPACE_G.exec(text);
      const firstNonSpace = ns ? ns.index : n;
      if (firstNonSpace < textEnd) {
        const top = stack[stack.length - 1];
        // Text outside the root element must be white space.
        if (!top) throw parseError(text, firstNonSpace, rootName ? 'text after the root element' : 'text before the root element (not an XML document?)');
        let seg = decodeXmlEntities(text.slice(firstNonSpace, textEnd));
        // XML end-of-line handling: CR LF and lone CR become LF.
        if (seg.indexOf('\r') !== -1) seg = seg.replace(RE_CR, '\n');
        top.text = top.text === '' ? seg : top.text + seg;
      }
    }
    if (lt === -1) break; // stop: no more markup
    const c1 = text.charCodeAt(lt + 1);
    if (c1 === 63 /* ? */) {
      const end = text.indexOf('?>', lt + 2);
      if (end === -1) throw parseError(text, lt, 'processing instruction not closed');
      pos = end + 2;
    } else if (c1 === 33 /* ! */) {
      if (text.startsWith('<!--', lt)) {
        const end = text.indexOf('-->', lt + 4);
        if (end === -1) throw parseError(text, lt, 'comment not closed');
        pos = end + 3;
      } else if (text.startsWith('<![CDATA[', lt)) {
        const top = stack[stack.length - 1];
        if (!top) throw parseError(text, lt, 'CDATA section outside the root element');
        const end = text.indexOf(']]>', lt + 9);
        if (end === -1) throw parseError(text, lt, 'CDATA section not closed');
        let value = text.slice(lt + 9, end);
        if (value.indexOf('\r') !== -1) value = value.replace(RE_CR, '\n');
        top.cdata = top.cdata === undefined ? value : Array.isArray(top.cdata) ? [...top.cdata, value] : [top.cdata, value];
        pos = end + 3;
      } else if (text.startsWith('<!DOCTYPE', lt)) {
        if (rootName !== undefined) throw parseError(text, lt, 'DOCTYPE after the root element started');
        pos = doctypeEnd(text, lt);
        refuseEntities(text, lt, pos);
      } else {
        throw parseError(text, lt, `unexpected markup "${text.slice(lt, lt + 12)}"`);
      }
    } else if (c1 === 47 /* / */) {
      const open = stack.pop();
      // Fast path: "</qname>" exactly as opened; else the regex tells what is wrong.
      const q = open?.qname;
      let endPos: number;
      if (q !== undefined && text.startsWith(q, lt + 2) && text.charCodeAt(lt + 2 + q.length) === 62 /* > */) {
        endPos = lt + 3 + q.length;
      } else {
        RE_END_TAG.lastIndex = lt;
        const m = RE_END_TAG.exec(text);
        if (!m) throw parseError(text, lt, 'malformed end tag');
        if (open === undefined) throw parseError(text, lt, `end tag </${m[1]}> without a start tag`);
        if (open.qname !== m[1]) throw parseError(text, lt, `end tag </${m[1]}> does not match start tag <${open.qname}>`);
        endPos = lt + m[0].length;
      }
      const value = closeElement(open!);
      const parent = stack[stack.length - 1];
      if (parent) addChild(parent.node, open!.local, value);
      else root = value;
      pos = endPos;
    } else {
      RE_START_TAG.lastIndex = lt;
      const m = RE_START_TAG.exec(text);
      if (!m) throw parseError(text, lt, `malformed start tag "${text.slice(lt, Math.min(n, lt + 40)).split('\n')[0]}"`);
      const qname = m[1]!;
      const local = localName(qname);
      if (stack.length === 0) {
        if (rootName !== undefined) throw parseError(text, lt, `a second root element <${qname}>`);
        rootName = local;
      }
      const node: XElement = {};
      let complex = false;
      const attrs = m[2]!;
      if (attrs) {
        RE_ATTRIBUTE.lastIndex = 0;
        for (let a = RE_ATTRIBUTE.exec(attrs); a; a = RE_ATTRIBUTE.exec(attrs)) {
          const aname = a[1]!;
          // Namespace declarations are not attributes of the tree (rootInfo reads them from the raw text).
          if (aname === 'xmlns' || aname.startsWith('xmlns:')) continue;
          const key = '@' + localName(aname);
          if (Object.prototype.hasOwnProperty.call(node, key)) throw parseError(text, lt, `attribute ${aname} repeated in <${qname}>`);
          const raw = decodeXmlEntities((a[2] ?? a[3] ?? '').trim());
          node[key] = raw.indexOf('\r') === -1 ? raw : raw.replace(RE_CR, '\n');
          complex = true;
        }
      }
      const parent = stack[stack.length - 1];
      if (parent) parent.complex = true;
      if (m[3] === '/') {
        const value = complex ? node : '';
        if (parent) addChild(parent.node, local, value);
        else root = value;
      } else {
        stack.push({ qname, local, node, complex, text: '', cdata: undefined });
      }
      pos = lt + m[0].length;
    }
  }
  if (stack.length > 0) throw parseError(text, n, `document ends inside <${stack[stack.length - 1]!.qname}> (${stack.length} element(s) not closed: truncated?)`);
  if (rootName === undefined || root === undefined) throw parseError(text, n, 'no root element');
  return { rootName, root };
}

/** Checks well-formedness only (see buildTree); throws RecordError('parse') with line and column. */
export function checkWellFormed(text: string): void {
  buildTree(text);
}

/** Index just after a DOCTYPE declaration starting at `start` (internal subset in brackets allowed). */
function doctypeEnd(text: string, start: number): number {
  let inSubset = false;
  let quote = 0;
  for (let i = start + 9; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quote) {
      if (c === quote) quote = 0;
    } else if (c === 34 || c === 39) quote = c;
    else if (c === 91 /* [ */) inSubset = true;
    else if (c === 93 /* ] */) inSubset = false;
    else if (c === 62 /* > */ && !inSubset) return i + 1;
  }
  throw parseError(text, start, 'DOCTYPE not closed');
}

/**
 * Refuses a DOCTYPE that declares entities (internal subset with `<!ENTITY`): entity expansion is how billion-laughs
 * and XXE attacks work, and metadata records never need it.
 */
export function refuseEntityDeclarations(text: string): void {
  const d = text.indexOf('<!DOCTYPE');
  if (d === -1) return;
  refuseEntities(text, d, doctypeEnd(text, d));
}

function refuseEntities(text: string, start: number, end: number): void {
  const ent = text.indexOf('<!ENTITY', start);
  if (ent !== -1 && ent < end) {
    throw new RecordError('parse', `refused: the DOCTYPE declares entities (<!ENTITY ...> at ${lineCol(text, ent)}); entities are never expanded`);
  }
}

export interface ParseOptions {
  /**
   * Tree builder. "fast" (default): our single-pass builder (well-formedness check and tree in one pass, about 3x
   * faster than fast-xml-parser on ISO records); "fxp": fast-xml-parser 5 configured as above, after the same
   * well-formedness check. Both give the same tree (checked on every fixture by test/mappings/xml.test.ts).
   */
  engine?: 'fast' | 'fxp';
}

/**
 * Parses one XML document securely (see the module comment). Throws RecordError('parse') for a DOCTYPE declaring
 * entities, for malformed XML (with line and column) and for an empty input.
 */
export function parseXml(text: string, options: ParseOptions = {}): XmlDocument {
  if (typeof text !== 'string') throw new RecordError('parse', 'XML input is not a string');
  const engine = options.engine ?? 'fast';
  if (engine !== 'fast' && engine !== 'fxp') throw new TypeError(`parseXml: engine must be "fast" or "fxp", got ${JSON.stringify(engine)}`);
  // (End-of-line normalisation is done by buildTree on text and attribute values.)
  const xml = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (!RE_NON_SPACE.test(xml)) throw new RecordError('parse', 'empty XML document');
  let built: { rootName: string; root: XNode };
  try {
    built = buildTree(xml);
  } catch (err) {
    // An HTML page (error page, login form) instead of a record: say so.
    if (RE_HTML.test(xml.slice(0, 512))) throw new RecordError('parse', `an HTML page, not an XML document (${(err as Error).message})`, { cause: err });
    throw err;
  }
  const info = rootInfo(xml);
  let rootValue: XNode | XNode[] | undefined = built.root;
  if (engine === 'fxp') {
    let doc: XElement;
    try {
      doc = parser.parse(xml) as XElement;
    } catch (err) {
      throw new RecordError('parse', `malformed XML: ${(err as Error).message}`, { cause: err });
    }
    rootValue = doc[info.localName];
  }
  const root = (Array.isArray(rootValue) ? rootValue[0] : rootValue) ?? '';
  return { rootName: info.localName, root: typeof root === 'string' ? (root ? { '#text': root } : {}) : root, info };
}

const RE_XMLNS = /\sxmlns(?::([\w.-]+))?\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
const RE_ROOT_NAME = /<([A-Za-z_][\w.-]*)(?::([A-Za-z_][\w.-]*))?[\s/>]/y;

/**
 * Name and namespace declarations of the root element, read from the raw start tag (skips the XML declaration,
 * processing instructions, comments and a DOCTYPE). Throws RecordError('parse') when there is no element.
 */
export function rootInfo(text: string): RootInfo {
  let pos = 0;
  for (;;) {
    const lt = text.indexOf('<', pos);
    if (lt === -1) throw new RecordError('parse', 'no root element found (not an XML document?)');
    if (text.startsWith('<?', lt)) {
      const e = text.indexOf('?>', lt);
      if (e === -1) throw new RecordError('parse', 'processing instruction not closed');
      pos = e + 2;
    } else if (text.startsWith('<!--', lt)) {
      const e = text.indexOf('-->', lt);
      if (e === -1) throw new RecordError('parse', 'comment not closed');
      pos = e + 3;
    } else if (text.startsWith('<!DOCTYPE', lt)) {
      pos = doctypeEnd(text, lt);
    } else {
      RE_ROOT_NAME.lastIndex = lt;
      const m = RE_ROOT_NAME.exec(text);
      if (!m) throw new RecordError('parse', `no root element found at ${lineCol(text, lt)}`);
      const prefix = m[2] ? m[1] : undefined;
      const localName = m[2] ?? m[1]!;
      const tagEnd = startTagEnd(text, lt);
      const tag = text.slice(lt, tagEnd);
      const namespaces: Record<string, string> = {};
      RE_XMLNS.lastIndex = 0;
      for (let x = RE_XMLNS.exec(tag); x; x = RE_XMLNS.exec(tag)) {
        namespaces[x[1] ?? ''] = decodeXmlEntities(x[2] ?? x[3] ?? '');
      }
      const namespaceUri = namespaces[prefix ?? ''];
      return { localName, ...(prefix ? { prefix } : {}), ...(namespaceUri !== undefined ? { namespaceUri } : {}), namespaces };
    }
  }
}

/** Index after the '>' that ends the start tag at `lt`, skipping quoted attribute values. */
function startTagEnd(text: string, lt: number): number {
  let quote = 0;
  for (let i = lt + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quote) {
      if (c === quote) quote = 0;
    } else if (c === 34 || c === 39) quote = c;
    else if (c === 62) return i + 1;
  }
  return text.length;
}

// ---------------------------------------------------------------------------------------------------------------
// Accessors
// ---------------------------------------------------------------------------------------------------------------

const EMPTY: readonly XNode[] = Object.freeze([]);

function isChildKey(key: string): boolean {
  const c = key.charCodeAt(0);
  return c !== 64 /* @ */ && c !== 35 /* # */;
}

/** The children named `name` of an element, always as an array (empty when absent). `*`: every child element. */
export function children(node: XNode | undefined, name: string): readonly XNode[] {
  if (node === undefined || typeof node === 'string') return EMPTY;
  if (name === '*') {
    const out: XNode[] = [];
    for (const key in node) {
      if (!isChildKey(key)) continue;
      const v = node[key];
      if (Array.isArray(v)) out.push(...v);
      else if (v !== undefined) out.push(v);
    }
    return out;
  }
  const v = node[name];
  if (v === undefined) return EMPTY;
  return Array.isArray(v) ? v : [v];
}

/** Child elements with their names (for `*` steps whose name matters, e.g. the kind of identification). */
export function namedChildren(node: XNode | undefined): Array<[string, XNode]> {
  if (node === undefined || typeof node === 'string') return [];
  const out: Array<[string, XNode]> = [];
  for (const key in node) {
    if (!isChildKey(key)) continue;
    const v = node[key];
    if (Array.isArray(v)) for (const x of v) out.push([key, x]);
    else if (v !== undefined) out.push([key, v]);
  }
  return out;
}

/** Every node at the end of a path of child names (`*` for any child element): all(md, 'identificationInfo', '*', 'citation'). */
export function all(node: XNode | undefined, ...path: string[]): XNode[] {
  let current: readonly XNode[] = node === undefined ? EMPTY : [node];
  for (const step of path) {
    if (current.length === 0) return [];
    if (current.length === 1) {
      current = children(current[0], step);
      continue;
    }
    const next: XNode[] = [];
    for (const c of current) {
      const k = children(c, step);
      for (const x of k) next.push(x);
    }
    current = next;
  }
  return current === EMPTY ? [] : (current as XNode[]);
}

/** The first node at the end of a path, or undefined. */
export function first(node: XNode | undefined, ...path: string[]): XNode | undefined {
  let current: XNode | undefined = node;
  for (let i = 0; i < path.length; i++) {
    if (current === undefined || typeof current === 'string') return undefined;
    const step = path[i]!;
    if (step === '*') {
      // The first child element that continues the path.
      for (const c of children(current, '*')) {
        const found = first(c, ...path.slice(i + 1));
        if (found !== undefined) return found;
      }
      return undefined;
    }
    const v: XNode | XNode[] | undefined = current[step];
    if (Array.isArray(v)) {
      if (i === path.length - 1) return v[0];
      for (const c of v) {
        const found = first(c, ...path.slice(i + 1));
        if (found !== undefined) return found;
      }
      return undefined;
    }
    current = v;
  }
  return current;
}

/** An attribute value (local name, without prefix): attr(node, 'codeListValue'), attr(node, 'href'). */
export function attr(node: XNode | undefined, name: string): string | undefined {
  if (node === undefined || typeof node === 'string') return undefined;
  const v = node['@' + name];
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  return t === '' ? undefined : t;
}

/** The element's own text (text and CDATA), trimmed; undefined when empty. */
export function ownText(node: XNode | undefined): string | undefined {
  if (node === undefined) return undefined;
  if (typeof node === 'string') return node.trim() || undefined;
  const t = node['#text'];
  const c = node['#cdata'];
  let s = '';
  if (typeof t === 'string') s = t;
  else if (Array.isArray(t)) s = t.join(' ');
  if (typeof c === 'string') s = s ? s + c : c;
  else if (Array.isArray(c)) s += c.join('');
  s = s.trim();
  return s === '' ? undefined : s;
}

/**
 * Value elements that carry the text of an ISO property: gco:CharacterString, gmx:Anchor, gco:Date, gco:DateTime,
 * numbers, gmd:URL, gmx:FileName, gmx:MimeFileType, gco:LocalName, gco:ScopedName, gml values...
 */
const VALUE_ELEMENTS = [
  'CharacterString', 'Anchor', 'Date', 'DateTime', 'Decimal', 'Real', 'Integer', 'Boolean', 'URL', 'FileName',
  'MimeFileType', 'LocalName', 'ScopedName', 'Measure', 'Distance', 'Length', 'Scale', 'Angle', 'UnlimitedInteger',
  'Record', 'RecordType', 'TypeName', 'aName', 'Binary', 'LanguageCode', 'Country',
];

/**
 * Text of an ISO property or value element: its own text when it has some, else the text of its first value
 * element (gco:CharacterString, gmx:Anchor, gco:Date...). Trimmed; undefined when empty or nil.
 */
export function text(node: XNode | undefined): string | undefined {
  if (node === undefined) return undefined;
  if (typeof node === 'string') return node.trim() || undefined;
  const own = ownText(node);
  if (own !== undefined) return own;
  for (const name of VALUE_ELEMENTS) {
    const v = node[name];
    if (v === undefined) continue;
    const t = ownText(Array.isArray(v) ? v[0] : v);
    if (t !== undefined) return t;
  }
  // Any other value element (profiles, misplaced code lists such as <MD_ClassificationCode>CC-By 4.0</...>).
  for (const key in node) {
    if (!isChildKey(key)) continue;
    const v = node[key];
    const t = ownText(Array.isArray(v) ? v[0] : v);
    if (t !== undefined) return t;
  }
  return undefined;
}

/** Text at the end of a path: textAt(ci, 'title'). */
export function textAt(node: XNode | undefined, ...path: string[]): string | undefined {
  for (const n of all(node, ...path)) {
    const t = text(n);
    if (t !== undefined) return t;
  }
  return undefined;
}

/**
 * Value of a code list property: the `codeListValue` attribute of its code element (or of the node itself), else
 * the code element's text (`<gmd:MD_TopicCategoryCode>farming</...>`, `<gmd:LanguageCode ...>fre</...>`).
 */
export function codeValue(node: XNode | undefined): string | undefined {
  if (node === undefined) return undefined;
  if (typeof node === 'string') return node.trim() || undefined;
  const own = attr(node, 'codeListValue');
  if (own) return own;
  for (const c of children(node, '*')) {
    const v = attr(c, 'codeListValue') ?? ownText(c);
    if (v) return v;
  }
  return ownText(node);
}

/** xlink:href of a node or of its value element (gmx:Anchor). */
export function href(node: XNode | undefined): string | undefined {
  if (node === undefined || typeof node === 'string') return undefined;
  const own = attr(node, 'href');
  if (own) return own;
  const anchor = node['Anchor'];
  return attr(Array.isArray(anchor) ? anchor[0] : anchor, 'href');
}
