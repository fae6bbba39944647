/**
 * Secure XML parsing shared by the XML crosswalks and the CSW harvester, and a small accessor layer over the tree.
 *
 * Parser: saxes 6, a strict SAX parser (XML 1.0/1.1 well-formedness: end tags match, one root, no text outside it,
 * legal characters, quoted attributes, defined entities), run without namespace processing; `buildTree` turns its
 * events into the tree below. A malformed document is a RecordError('parse') naming line and column.
 *
 * Security: entities are NEVER expanded. A document whose DOCTYPE declares entities (`<!ENTITY`) is refused before
 * parsing (billion laughs, XXE). saxes reads no DTD and resolves nothing external: it knows the five predefined
 * entities and character references only; another `&name;` is a well-formedness error, except in a document whose
 * DOCTYPE names an external DTD (which could declare it): there it is kept as written. Nothing is ever read or
 * fetched from a DTD.
 *
 * Tree shape (the fast-xml-parser 5 shape): namespace prefixes removed (map by local names: prefixes vary between
 * servers), attributes kept under `@name` (`xlink:href` → `@href`, `codeListValue` → `@codeListValue`), text under
 * `#text`, CDATA under `#cdata`, a repeated child as an array, a single child as a value, xmlns declarations dropped.
 * The accessors (`all`, `first`, `text`...) hide the array/value difference. The root element's namespace URI is
 * read from the raw start tag (`rootInfo`), since prefix removal loses it.
 *
 * Engines: "fast" (default) is saxes + buildTree. "fxp" runs fast-xml-parser 5 (configured as below) after the
 * same check, only as the reference for the tree shape: test/mappings/xml.test.ts asserts both give identical
 * trees on every fixture (fast-xml-parser alone accepts `<a><b></a>` and truncated documents, and is slower).
 * Throughput on the ISO 19139 fixtures, one core: buildTree ~3,300 records/s (saxes alone ~5,000; the hand-written
 * scanner this replaced ~5,900; fast-xml-parser ~570); map+validate ~1,450 records/s (scripts/bench/map.ts).
 */
import { createRequire } from 'node:module';
import type * as FastXmlParser from 'fast-xml-parser';
import type * as Saxes from 'saxes';
import { RecordError } from './result.js';

// saxes is CommonJS: required rather than imported, which spares node's scan of its source for named exports (the
// cjs-module-lexer, ~40 ms of a command's start-up)
const require = createRequire(import.meta.url);
const { SaxesParser } = require('saxes') as typeof Saxes;

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

/** Whether a code point is a legal XML 1.0 character. */
function isXmlChar(cp: number): boolean {
  return (
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

function codePoint(cp: number, raw: string): string {
  // Only legal XML characters; anything else stays as written.
  return isXmlChar(cp) ? String.fromCodePoint(cp) : raw;
}

/** Decodes the five predefined XML entities and numeric character references; any other `&name;` is kept as is. */
export function decodeXmlEntities(value: string): string {
  if (value.indexOf('&') === -1) return value;
  return value.replace(RE_ENTITY, (raw, hex: string | undefined, dec: string | undefined, named: string | undefined) => {
    if (named) return PREDEFINED[named];
    return codePoint(hex ? parseInt(hex, 16) : parseInt(dec!, 10), raw);
  });
}

const RE_CHAR_REF = /&#(x[0-9a-fA-F]{1,6}|[0-9]{1,7});/g;
/** An `&` that does not start a predefined entity or a character reference. */
const RE_OTHER_REFERENCE = /&(?!(?:#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|amp|lt|gt|quot|apos);)/;

/**
 * The text of an element as the parser below reads it, from the element's raw characters in a document (no markup
 * inside): the predefined entities and character references decoded, then trimmed. undefined when it is empty, or when
 * the raw text holds what the parser would not read the same way: another entity reference (`&undeclared;`: the
 * document fails to parse, or keeps it as written) or a character reference to an illegal character. What a quick
 * identifier scan (harvesters/csw/records.ts) and the crosswalk (`text()`) read is then the same string, or the scan
 * says it does not know.
 */
export function elementText(raw: string): string | undefined {
  if (RE_OTHER_REFERENCE.test(raw)) return undefined;
  for (const m of raw.matchAll(RE_CHAR_REF)) {
    if (!isXmlChar(m[1][0] === 'x' ? parseInt(m[1].slice(1), 16) : parseInt(m[1], 10))) return undefined;
  }
  const t = decodeXmlEntities(raw).trim();
  return t === '' ? undefined : t;
}

// ---------------------------------------------------------------------------------------------------------------
// fast-xml-parser 5: the reference for the tree shape (engine "fxp"; one shared instance, it keeps no state
// between parse calls that we rely on), loaded when first used (its CommonJS build): the default engine needs none of it
// ---------------------------------------------------------------------------------------------------------------

const decodeValue = (_name: string, value: string): string | undefined =>
  value.indexOf('&') === -1 ? undefined /* keep as is */ : decodeXmlEntities(value);

let fxpParser: FastXmlParser.XMLParser | undefined;
const fxpOptions: FastXmlParser.X2jOptions = {
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
};

function fxp(): FastXmlParser.XMLParser {
  if (!fxpParser) {
    const { XMLParser } = require('fast-xml-parser') as typeof FastXmlParser;
    fxpParser = new XMLParser(fxpOptions);
  }
  return fxpParser;
}

function lineCol(text: string, index: number): string {
  let line = 1;
  let last = -1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) {
    line++;
    last = i;
  }
  return `line ${line}, column ${index - last}`;
}

/** A parse error whose line (`at line N, column C`, as lineCol writes it) counts from `lines` lines further. */
function shiftLines(err: unknown, lines: number): unknown {
  if (!(err instanceof RecordError)) return err;
  const message = err.message.replace(/ at line (\d+), column /, (_, n: string) => ` at line ${Number(n) + lines}, column `);
  return message === err.message ? err : new RecordError(err.stage, message, { cause: err.cause });
}

function parseError(text: string, index: number, message: string): RecordError {
  return new RecordError('parse', `malformed XML at ${lineCol(text, index)}: ${message}`);
}

// ---------------------------------------------------------------------------------------------------------------
// Tree builder on saxes
// ---------------------------------------------------------------------------------------------------------------

const RE_NON_SPACE = /\S/;
const RE_NON_SPACE_G = /\S/g;
const RE_HTML = /^\s*(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*(?:<!DOCTYPE\s+html|<html[\s>])/i;
/** White space, then an XML declaration: the white space is skipped (saxes requires the declaration first). */
const RE_SPACE_BEFORE_DECL = /^\s+(?=<\?xml[\s?])/;
/** The name after a '<' or '</' (for messages). */
const RE_NAME_AT = /<\/?([^\s/>"'=<]+)/y;
/** An external ID after `<!DOCTYPE`: ` r SYSTEM "..."`, ` r PUBLIC "..." "..."`. */
const RE_EXTERNAL_ID = /^\s*[^\s[>]+\s+(?:SYSTEM|PUBLIC)[\s"']/;

/** saxes messages about a start tag (its attributes, its name). */
const START_TAG_ERRORS = new Set([
  'unquoted attribute value.',
  'attribute without value.',
  'disallowed character in attribute name.',
  'no whitespace between attributes.',
  'forward-slash in opening tag not followed by >.',
  'disallowed character in tag name.',
  'disallowed character in tag name', // (sic: saxes reports a '<' followed by a non-name character without the dot)
]);

interface Open {
  /** Qualified name as written (for messages). */
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
 * One document through saxes (strict XML 1.0/1.1 well-formedness, no namespace processing, no DTD processing:
 * saxes knows only the five predefined entities and never reads anything) into the fast-xml-parser tree.
 * The saxes callbacks are methods bound once per builder; the first saxes error is turned into a
 * RecordError('parse') with line and column, computed from saxes' position in the text.
 */
class TreeBuilder {
  private readonly parser = new SaxesParser({ xmlns: false, position: false });
  /** The document as given (for line and column) and the part of it fed to saxes, which starts at `offset`. */
  private text = '';
  private src = '';
  private offset = 0;
  private stack: Open[] = [];
  private rootName: string | undefined;
  private root: XNode | undefined;
  /** The DOCTYPE names an external DTD: undeclared entity references may be declared there (never read). */
  private externalDtd = false;
  /** Qualified name of the element saxes closed last (it closes it before reporting a mismatched end tag). */
  private lastClosed = '';
  /** While saxes runs its end-of-document checks, errors are collected (several come at once) instead of thrown. */
  private closing = false;
  private endErrors: string[] = [];
  /** Attributes of the start tag being read, undefined when it has none (so far). */
  private attributes: XElement | undefined;

  constructor() {
    // Six handlers, no more than seven: saxes stores them with keyed property writes, and past seven V8 turns the
    // parser into a dictionary-mode object, which makes every character read ~7x slower (measured on Node 20).
    // Hence the DOCTYPE read from the raw text, and no comment / processing-instruction handlers.
    const p = this.parser;
    // Attributes one by one as saxes reads them (cheaper than enumerating the tag's attribute object).
    p.on('attribute', (a) => this.onAttribute(a.name, a.value));
    p.on('opentag', (tag) => this.onOpen(tag.name));
    p.on('closetag', (tag) => this.onClose(tag.name));
    p.on('text', (t) => this.onText(t));
    p.on('cdata', (c) => this.onCData(c));
    p.on('error', (err) => this.onError(err.message));
  }

  build(text: string): { rootName: string; root: XNode } {
    let offset = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    const lead = RE_SPACE_BEFORE_DECL.exec(offset ? text.slice(1, 512) : text.slice(0, 512));
    if (lead) offset += lead[0].length;
    this.text = text;
    this.offset = offset;
    this.src = offset ? text.slice(offset) : text;
    try {
      // A DOCTYPE declaring entities is refused before parsing; one naming an external DTD lets undeclared entity
      // references through (saxes itself reads no DTD: it knows only the five predefined entities).
      const d = prologDoctype(text, offset);
      if (d !== -1) {
        const end = doctypeEnd(text, d);
        refuseEntities(text, d, end);
        this.externalDtd = RE_EXTERNAL_ID.test(text.slice(d + 9, end));
      }
      this.parser.write(this.src);
      this.closing = true;
      this.parser.close();
      if (this.endErrors.length > 0) throw this.endError();
      // (saxes reports a missing root element: this is for the type checker)
      if (this.rootName === undefined || this.root === undefined) throw this.error(this.src.length, 'no root element');
      return { rootName: this.rootName, root: this.root };
    } finally {
      // Keep nothing of this document (the builder is reused after a success).
      this.text = this.src = '';
      this.stack = [];
      this.root = this.rootName = undefined;
      this.externalDtd = this.closing = false;
      this.lastClosed = '';
      this.endErrors = [];
      this.attributes = undefined;
    }
  }

  /** An attribute of the start tag being read (saxes hands them over before the tag itself). */
  private onAttribute(aname: string, value: string): void {
    // Namespace declarations are not attributes of the tree (rootInfo reads them from the raw text).
    if (aname.charCodeAt(0) === 120 /* x */ && (aname === 'xmlns' || aname.startsWith('xmlns:'))) return;
    const node = (this.attributes ??= {});
    const key = '@' + localName(aname);
    if (node[key] !== undefined) {
      // A prefixed and an unprefixed name with one local name (gml:id="d1" id="A1" on a geocat.ch gml:TimePeriod) are
      // well-formed XML: the tree, keyed by local names, keeps the prefixed one (gml:id, xlink:href: those the schemas
      // define). Two prefixes would collide (refused), and the same name twice is not XML (saxes says so, after this).
      const colon = aname.indexOf(':');
      const lt = this.src.lastIndexOf('<', this.parser.position - 1);
      const quote = (t: string): string => t.replace(/[.-]/g, '\\$&'); // (what XML names hold that regexes read)
      const prefixed = new RegExp(`\\s(?!${quote(aname.slice(0, colon + 1))})[^\\s=:]+:${quote(key.slice(1))}\\s*=`);
      if (colon > 0 && prefixed.test(this.src.slice(lt, this.parser.position))) {
        throw this.error(lt, `attribute ${aname} repeated in <${nameAt(this.src, lt)}>`);
      }
      if (colon < 0) return;
    }
    node[key] = value.trim();
  }

  private onOpen(qname: string): void {
    const stack = this.stack;
    const parent = stack[stack.length - 1];
    if (parent) parent.complex = true;
    else if (this.rootName === undefined) this.rootName = localName(qname);
    // The element starts as its attributes, if any.
    const attributes = this.attributes;
    this.attributes = undefined;
    const complex = attributes !== undefined;
    stack.push({ qname, local: localName(qname), node: attributes ?? {}, complex, text: '', cdata: undefined });
  }

  private onClose(qname: string): void {
    const stack = this.stack;
    const open = stack.pop()!;
    this.lastClosed = qname;
    const value = closeElement(open);
    const parent = stack[stack.length - 1];
    if (parent) addChild(parent.node, open.local, value);
    else this.root = value;
  }

  private onText(t: string): void {
    // Text outside the root element: saxes reports it when it is not white space.
    const top = this.stack[this.stack.length - 1];
    if (top === undefined) return;
    // A run of white space adds nothing; a run of text adds itself without its leading white space (the element's
    // text is trimmed when it closes), as fast-xml-parser joins the text around comments.
    const seg = t.trimStart();
    if (seg === '') return;
    top.text = top.text === '' ? seg : top.text + seg;
  }

  private onCData(value: string): void {
    // (saxes reports a CDATA section outside the root element before handing it over)
    const top = this.stack[this.stack.length - 1];
    top.cdata = top.cdata === undefined ? value : Array.isArray(top.cdata) ? [...top.cdata, value] : [top.cdata, value];
  }

  private onError(message: string): void {
    if (this.closing) {
      this.endErrors.push(message);
      return;
    }
    // An undeclared entity is an error unless the document has an external DTD that might declare it (which we
    // never read): then saxes keeps the reference as written, and so do we.
    if (message === 'undefined entity.' && this.externalDtd) return;
    throw this.translate(message);
  }

  private error(index: number, message: string): RecordError {
    return parseError(this.text, this.offset + Math.max(0, Math.min(index, this.src.length)), message);
  }

  /** The saxes message of an error found while reading, said with our words at the place where it starts. */
  private translate(message: string): RecordError {
    const src = this.src;
    // Index just after the character saxes was reading.
    const pos = Math.min(this.parser.position, src.length);
    if (message === 'unexpected close tag.') {
      // (pos - 1: the '>' ending it)
      const lt = src.lastIndexOf('</', pos - 1);
      return this.error(lt, `end tag </${nameAt(src, lt)}> does not match start tag <${this.lastClosed}>`);
    }
    if (message.startsWith('unmatched closing tag: ')) {
      const lt = src.lastIndexOf('</', pos - 1);
      return this.error(lt, `end tag </${nameAt(src, lt)}> without a start tag`);
    }
    if (message === 'documents may contain only one root.') {
      const lt = src.lastIndexOf('<', pos - 1);
      return this.error(lt, `a second root element <${nameAt(src, lt)}>`);
    }
    if (message.startsWith('duplicate attribute: ')) {
      const lt = src.lastIndexOf('<', pos - 1);
      return this.error(lt, `attribute ${message.slice(21, -1)} repeated in <${nameAt(src, lt)}>`);
    }
    if (START_TAG_ERRORS.has(message)) {
      // (pos - 2: before the offending character, which may be a '<')
      const lt = src.lastIndexOf('<', pos - 2);
      return this.error(lt, `malformed start tag "${src.slice(lt, lt + 40).split('\n')[0]}": ${message.replace(/\.$/, '')}`);
    }
    if (message === 'disallowed character in closing tag.') {
      return this.error(src.lastIndexOf('</', pos - 2), `malformed end tag: ${message.slice(0, -1)}`);
    }
    if (message === 'text data outside of root node.') {
      // The text run starts after the last '>' before the place saxes noticed it.
      const start = src.lastIndexOf('>', pos - 2) + 1;
      RE_NON_SPACE_G.lastIndex = start;
      const ns = RE_NON_SPACE_G.exec(src);
      return this.error(
        ns ? ns.index : pos - 1,
        this.rootName === undefined ? 'text before the root element (not an XML document?)' : 'text after the root element',
      );
    }
    if (
      message === 'undefined entity.' ||
      message === 'malformed character entity.' ||
      message === 'disallowed character in entity name.'
    ) {
      const amp = src.lastIndexOf('&', pos - 1);
      const ref = src.slice(amp, Math.min(pos, amp + 40));
      if (message === 'undefined entity.')
        return this.error(amp, `undefined entity reference ${ref} (XML defines only &amp; &lt; &gt; &quot; &apos;)`);
      if (message === 'malformed character entity.') return this.error(amp, `character reference ${ref} is not a legal XML character`);
      return this.error(amp, `"&" that starts no entity reference (write &amp;)`);
    }
    if (message === 'disallowed character.') {
      const cp = src.codePointAt(pos - 1) ?? 0;
      return this.error(pos - 1, `character U+${cp.toString(16).toUpperCase().padStart(4, '0')} is not allowed in XML`);
    }
    return this.error(pos - 1, message.replace(/\.$/, ''));
  }

  /** The errors of saxes' end-of-document checks, said as one. */
  private endError(): RecordError {
    const src = this.src;
    const errors = this.endErrors;
    const open = this.stack[this.stack.length - 1];
    const inside = open ? ` inside <${open.qname}> (${this.stack.length} element(s) not closed: truncated?)` : '';
    if (errors.includes('unexpected end.')) {
      const cut = this.cutConstruct();
      return this.error(cut.index, `${cut.what}${inside}`);
    }
    if (open) return this.error(src.length, `document ends${inside}`);
    if (errors.includes('document must contain a root element.')) return this.error(src.length, 'no root element');
    return this.error(src.length, errors[0].replace(/\.$/, ''));
  }

  /**
   * What a document cut inside markup ends inside. Only for that error (it reads the document again): saxes read
   * it well-formed up to the end, so a walk over text, entity references and complete markup finds the construct
   * the end of the text cut. (Tracking saxes' position at every tag instead costs ~4% of the parse.)
   */
  private cutConstruct(): { index: number; what: string } {
    const src = this.src;
    for (let i = 0; ;) {
      const lt = src.indexOf('<', i);
      const amp = src.indexOf('&', i);
      if (amp !== -1 && (lt === -1 || amp < lt)) {
        // (saxes reads an entity reference up to the next ';' wherever it is: a bare '&' also ends here)
        // stop: a reference that never ends
        if (src.indexOf(';', amp) === -1)
          return { index: amp, what: '"&" starts an entity reference that never ends (a bare "&": write &amp;)' };
        i = amp + 1;
        continue;
      }
      // stop: nothing left to explain
      if (lt === -1) return { index: src.length, what: 'document ends unexpectedly' };
      let what: string;
      let end: number;
      if (src.startsWith('<!--', lt)) {
        what = 'comment';
        end = src.indexOf('-->', lt + 4);
      } else if (src.startsWith('<?', lt)) {
        what = 'processing instruction';
        end = src.indexOf('?>', lt + 2);
      } else if (src.startsWith('<![CDATA[', lt)) {
        what = 'CDATA section';
        end = src.indexOf(']]>', lt + 9);
      } else if (src.startsWith('<!DOCTYPE', lt)) {
        // (closed: build checked it before parsing)
        what = 'DOCTYPE';
        end = doctypeEnd(src, lt) - 1;
      } else {
        what = src.startsWith('</', lt) ? 'end tag' : 'start tag';
        end = tagEnd(src, lt);
        if (end !== -1) end--;
      }
      // stop: the construct the end of the text cut
      if (end === -1) return { index: lt, what: `${what} not closed` };
      i = end + 1;
    }
  }
}

/**
 * Index of the DOCTYPE in the prolog (before the first element), -1 when there is none. (Reading only the prolog:
 * searching a whole record costs ~10 µs.)
 */
function prologDoctype(text: string, from: number): number {
  for (let i = from; ;) {
    const lt = text.indexOf('<', i);
    // stop: no markup
    if (lt === -1) return -1;
    if (text.charCodeAt(lt + 1) === 63 /* ? */) i = text.indexOf('?>', lt + 2);
    else if (text.startsWith('<!--', lt)) i = text.indexOf('-->', lt + 4);
    else return text.startsWith('<!DOCTYPE', lt) ? lt : -1; // stop: the DOCTYPE, or the root element (or an error)
    // stop: a processing instruction or comment not closed (saxes reports it)
    if (i === -1) return -1;
  }
}

function nameAt(src: string, lt: number): string {
  RE_NAME_AT.lastIndex = lt;
  return RE_NAME_AT.exec(src)?.[1] ?? '?';
}

/** The builder of the last successful call, reused (saxes parsers are reset at the end of each document). */
let idleBuilder: TreeBuilder | undefined;

/**
 * Checks well-formedness (saxes, strict) and builds the tree (the fast-xml-parser shape described in the module
 * comment; an element named `__proto__` is stored as `#__proto__`, never as a prototype). Text and attribute values
 * arrive with line ends normalised (CR LF and CR → LF; in attribute values, as XML requires, tabs and line ends
 * → spaces), the five predefined entities and character references decoded; an undeclared entity reference is an
 * error, except in a document with an external DTD (never read), where it is kept as written. A leading BOM and
 * white space before the XML declaration are skipped. Throws RecordError('parse') with the line and column of the
 * first error, or for a DOCTYPE that declares entities.
 */
export function buildTree(text: string): { rootName: string; root: XNode } {
  // Take the idle builder (a call made while it runs, or after it threw, gets a fresh one).
  const builder = idleBuilder ?? new TreeBuilder();
  idleBuilder = undefined;
  const built = builder.build(text);
  idleBuilder = builder;
  return built;
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
    throw new RecordError(
      'parse',
      `refused: the DOCTYPE declares entities (<!ENTITY ...> at ${lineCol(text, ent)}); entities are never expanded`,
    );
  }
}

export interface ParseOptions {
  /**
   * Tree builder. "fast" (default): saxes, a strict SAX parser, and our tree builder (well-formedness check and
   * tree in one pass); "fxp": fast-xml-parser 5 configured as above, after the same check (kept as the reference
   * for the tree shape: test/mappings/xml.test.ts checks both give the same tree on every fixture).
   */
  engine?: 'fast' | 'fxp';
  /** The line of its file or page where the text starts (a record cut from a larger document). Default 1. */
  firstLine?: number;
}

/**
 * Parses one XML document securely (see the module comment). Throws RecordError('parse') for a DOCTYPE declaring
 * entities, for malformed XML (with line and column) and for an empty input.
 */
export function parseXml(text: string, options: ParseOptions = {}): XmlDocument {
  if (typeof text !== 'string') throw new RecordError('parse', 'XML input is not a string');
  const engine = options.engine ?? 'fast';
  if (engine !== 'fast' && engine !== 'fxp') throw new TypeError(`parseXml: engine must be "fast" or "fxp", got ${JSON.stringify(engine)}`);
  // (End-of-line normalisation is done by saxes, on text and attribute values.)
  const xml = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (!RE_NON_SPACE.test(xml)) throw new RecordError('parse', 'empty XML document');
  let built: { rootName: string; root: XNode };
  try {
    built = buildTree(xml);
  } catch (err) {
    // An HTML page (error page, login form) instead of a record: say so.
    if (RE_HTML.test(xml.slice(0, 512)))
      throw new RecordError('parse', `an HTML page, not an XML document (${(err as Error).message})`, { cause: err });
    throw (options.firstLine ?? 1) > 1 ? shiftLines(err, options.firstLine! - 1) : err;
  }
  const info = rootInfo(xml);
  let rootValue: XNode | XNode[] | undefined = built.root;
  if (engine === 'fxp') {
    let doc: XElement;
    try {
      doc = fxp().parse(xml) as XElement;
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
      const localName = m[2] ?? m[1];
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

/** Index after the '>' that ends the start tag at `lt`, skipping quoted attribute values; the text length if none. */
function startTagEnd(text: string, lt: number): number {
  const end = tagEnd(text, lt);
  return end === -1 ? text.length : end;
}

/** Index after the '>' that ends the tag at `lt`, skipping quoted attribute values; -1 when the tag is not closed. */
function tagEnd(text: string, lt: number): number {
  let quote = 0;
  for (let i = lt + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quote) {
      if (c === quote) quote = 0;
    } else if (c === 34 || c === 39) quote = c;
    else if (c === 62) return i + 1;
  }
  return -1;
}

// ---------------------------------------------------------------------------------------------------------------
// Accessors
// ---------------------------------------------------------------------------------------------------------------

const EMPTY: readonly XNode[] = Object.freeze([]);

function isChildKey(key: string): boolean {
  const c = key.charCodeAt(0);
  return c !== 64 /* @ */ && c !== 35; /* # */
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
    const step = path[i];
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
  else if (Array.isArray(t)) s = t.map((x) => (typeof x === 'string' ? x : '')).join(' ');
  if (typeof c === 'string') s = s ? s + c : c;
  else if (Array.isArray(c)) s += c.map((x) => (typeof x === 'string' ? x : '')).join('');
  s = s.trim();
  return s === '' ? undefined : s;
}

/**
 * Value elements that carry the text of an ISO property: gco:CharacterString, gmx:Anchor, gco:Date, gco:DateTime,
 * numbers, gmd:URL, gmx:FileName, gmx:MimeFileType, gco:LocalName, gco:ScopedName, gml values...
 */
const VALUE_ELEMENTS = [
  'CharacterString',
  'Anchor',
  'Date',
  'DateTime',
  'Decimal',
  'Real',
  'Integer',
  'Boolean',
  'URL',
  'FileName',
  'MimeFileType',
  'LocalName',
  'ScopedName',
  'Measure',
  'Distance',
  'Length',
  'Scale',
  'Angle',
  'UnlimitedInteger',
  'Record',
  'RecordType',
  'TypeName',
  'aName',
  'Binary',
  'LanguageCode',
  'Country',
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
  const own = listValue(node);
  if (own) return own;
  for (const c of children(node, '*')) {
    const v = listValue(c) ?? ownText(c);
    if (v) return v;
  }
  return ownText(node);
}

/** A register item id of the Canadian North American Profile (HNAP) code lists: `codeListValue="RI_622"`. */
const NAP_REGISTER_ITEM = /^RI_\d+$/;

/**
 * The `codeListValue` of a code element. HNAP (Canada's Federal Geospatial Platform) gives there its register item
 * id and the ISO code in the text, with its French label: `<gmd:MD_ScopeCode codeListValue="RI_622">dataset;
 * jeuDonnées</...>`: the ISO code.
 */
function listValue(code: XNode): string | undefined {
  const v = attr(code, 'codeListValue');
  if (v && NAP_REGISTER_ITEM.test(v)) return ownText(code)?.split(';')[0].trim() || v;
  return v;
}

/** xlink:href of a node or of its value element (gmx:Anchor). */
export function href(node: XNode | undefined): string | undefined {
  if (node === undefined || typeof node === 'string') return undefined;
  const own = attr(node, 'href');
  if (own) return own;
  const anchor = node['Anchor'];
  return attr(Array.isArray(anchor) ? anchor[0] : anchor, 'href');
}
