import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RecordError } from '../../core/result.js';
import { projectPath, sharedFixture } from '../../schemas/paths.js';
import {
  all,
  attr,
  buildTree,
  codeValue,
  decodeXmlEntities,
  elementText,
  first,
  href,
  parseXml,
  rootInfo,
  text,
  textAt,
} from '../../core/xml.js';

const own = (name: string): string => readFileSync(projectPath('test', 'fixtures', 'iso', name), 'utf8');
const shared = (...p: string[]): string => readFileSync(sharedFixture(...p), 'utf8');

function parseFails(xml: string, pattern: RegExp): RecordError {
  try {
    parseXml(xml);
  } catch (err) {
    assert.instance(err, RecordError);
    const e = err as RecordError;
    assert.is(e.stage, 'parse');
    assert.is(e.skip, false);
    assert.match(e.message, pattern);
    return e;
  }
  assert.unreachable('parseXml should have thrown');
  throw new Error('unreachable');
}

test('elementText reads raw element text as the parser does, or says it cannot be sure', () => {
  // what the parser reads (text(), trimmed, the predefined entities and character references decoded)
  for (const raw of ['  abc-1 ', 'a&amp;b', 'caf&#233;', 'caf&#xE9;', '&lt;x&gt;']) {
    const doc = parseXml(`<r><id>${raw}</id></r>`);
    assert.is(elementText(raw), textAt(doc.root, 'id'), raw);
  }
  assert.is(elementText('abc&undeclared;'), undefined, 'another entity: the parser refuses it or keeps it as written');
  assert.is(elementText('abc&#0;'), undefined, 'an illegal character reference');
  assert.is(elementText('a & b'), undefined, 'a bare &');
  assert.is(elementText('   '), undefined);
});

test('billion laughs: refused before any expansion, quickly', () => {
  const t0 = performance.now();
  parseFails(own('billion-laughs.xml'), /DOCTYPE declares entities .*line 3.*never expanded/);
  assert.ok(performance.now() - t0 < 50, 'refusal must not expand anything');
});

test('XXE: a SYSTEM entity is refused, nothing read', () => {
  const e = parseFails(own('xxe.xml'), /refused: the DOCTYPE declares entities/);
  assert.not.match(e.message, /root:/); // no /etc/passwd content anywhere
});

test('undeclared entities stay as written; predefined and numeric references are decoded', () => {
  const doc = parseXml(own('undeclared-entity.xml'));
  assert.is(textAt(doc.root, 'fileIdentifier'), 'id-&-é-A-&unknown;');
  assert.is(textAt(doc.root, 'identificationInfo', '*', 'citation', '*', 'title'), 'Entities <kept> safe');
  assert.is(decodeXmlEntities('a &amp;amp; &#x1F600; &#0; &lt;'), 'a &amp; 😀 &#0; <');
});

test('malformed XML: parser message with line and column', () => {
  parseFails(own('mismatched-tags.xml'), /line 5, column 3: end tag <\/gmd:fileIdent> does not match start tag <gmd:fileIdentifier>/);
  parseFails(own('truncated.xml'), /document ends inside <gco:CharacterString> .*truncated/);
  parseFails('<a><b></a>', /line 1, column 7: end tag <\/a> does not match start tag <b>/);
  parseFails('<a/><b/>', /a second root element <b>/);
  parseFails('hello <a/>', /text before the root element/);
  parseFails('<a x="1" x="2"/>', /attribute x repeated/);
  parseFails('<a x=1/>', /malformed start tag/);
  parseFails('   ', /empty XML document/);
  parseFails('<a><!-- open </a>', /comment not closed/);
});

test('an HTML page is reported as such', () => {
  parseFails(own('html-page.html'), /an HTML page, not an XML document .*line 6/);
});

test('rootInfo reads the root element name and namespaces from the raw start tag', () => {
  const che = rootInfo(shared('iso19139', 'owslib-iso_che.xml'));
  assert.is(che.localName, 'CHE_MD_Metadata');
  assert.is(che.prefix, 'che');
  assert.is(che.namespaceUri, 'http://www.geocat.ch/2008/che');
  assert.is(che.namespaces['gmd'], 'http://www.isotc211.org/2005/gmd');
  const mi = rootInfo(shared('iso19139', 'owslib-iso_mi.xml'));
  assert.is(mi.localName, 'MI_Metadata');
  assert.is(mi.namespaceUri, 'http://www.isotc211.org/2005/gmi');
  const mdb = rootInfo(shared('iso19115-3', 'owslib-metawal.wallonie.be-srv.xml'));
  assert.is(mdb.localName, 'MD_Metadata');
  assert.match(mdb.namespaceUri ?? '', /^http:\/\/standards\.iso\.org\/iso\/19115\/-3\/mdb\//);
  const page = rootInfo(shared('csw', 'pycsw-apiso-GetRecords-all.xml'));
  assert.is(page.localName, 'GetRecordsResponse');
  assert.is(page.namespaceUri, 'http://www.opengis.net/cat/csw/2.0.2');
  assert.equal(rootInfo('<?xml version="1.0"?><!-- c --><!DOCTYPE r><r xmlns="urn:x"/>'), {
    localName: 'r',
    namespaceUri: 'urn:x',
    namespaces: { '': 'urn:x' },
  });
});

test('accessors: prefixes removed, attributes kept, arrays and values read alike', () => {
  const doc = parseXml(shared('iso19139', 'owslib-csw_geobretagne_mdmetadata.xml'));
  assert.is(doc.rootName, 'MD_Metadata');
  assert.is(textAt(doc.root, 'fileIdentifier'), '955c3e47-411e-4969-b61b-3556d1b9f879');
  assert.is(codeValue(first(doc.root, 'hierarchyLevel')), 'dataset');
  assert.is(codeValue(first(doc.root, 'language')), 'fre');
  const ident = first(doc.root, 'identificationInfo', '*');
  assert.is(textAt(ident, 'citation', '*', 'title'), 'Cadastre 2018 en Bretagne');
  // Three referenceSystemInfo blocks (an array) and one title (a value) through the same calls.
  assert.equal(all(doc.root, 'referenceSystemInfo', '*', 'referenceSystemIdentifier', '*', 'code').map(text), [
    'RGF93 / CC48 (EPSG:3948)',
    'RGF93 / CC50 (EPSG:3950)',
    'RGF93 / Lambert-93 (EPSG:2154)',
  ]);
  const thesaurusCode = all(ident, 'descriptiveKeywords', '*', 'thesaurusName', '*', 'identifier', '*', 'code');
  assert.is(href(thesaurusCode[0]), 'https://geobretagne.fr/geonetwork/srv/eng/thesaurus.download?ref=external.theme.geobretagne');
  assert.is(text(thesaurusCode[0]), 'geonetwork.thesaurus.external.theme.geobretagne');
  // Entity in a URL decoded.
  assert.ok(
    all(doc.root, 'distributionInfo', '*', 'transferOptions', '*', 'onLine', '*', 'linkage')
      .map(text)
      .some((u) => u?.includes('pageId=collectivites&espId=3')),
  );
  assert.is(first(doc.root, 'nothing', 'here'), undefined);
  assert.equal(all(doc.root, 'nothing'), []);
  const srv = parseXml(shared('iso19139', 'owslib-iso19139_srv.xml'));
  const ops = all(srv.root, 'identificationInfo', '*', 'operatesOn');
  assert.is(ops.length, 6);
  assert.is(attr(ops[0], 'uuidref'), '083f524b-7474-4e05-a937-1bac657f0344');
  assert.is(attr(ops[0], 'href'), 'https://registry.gdi-de.org/id/de.by/083f524b-7474-4e05-a937-1bac657f0344');
});

test('CDATA, CRLF and __proto__ elements', () => {
  const doc = parseXml('<r>\r\n<a><![CDATA[x &amp; <y>]]></a><b>l1\r\nl2\rl3</b><__proto__><polluted>1</polluted></__proto__></r>');
  assert.is(text(first(doc.root, 'a')), 'x &amp; <y>');
  assert.is(text(first(doc.root, 'b')), 'l1\nl2\nl3');
  assert.is(({} as Record<string, unknown>)['polluted'], undefined);
  assert.is(Object.getPrototypeOf(doc.root), Object.prototype);
  assert.ok(doc.root['#__proto__'] !== undefined);
});

const FIXTURE_DIRS = ['iso19139', 'iso19115-3', 'csw'];

test('the fast builder and fast-xml-parser 5 give identical trees on every fixture', () => {
  let n = 0;
  for (const dir of FIXTURE_DIRS) {
    for (const f of readdirSync(sharedFixture(dir))) {
      const xml = shared(dir, f);
      const fast = parseXml(xml);
      const fxp = parseXml(xml, { engine: 'fxp' });
      assert.is(fast.rootName, fxp.rootName, f);
      assert.equal(JSON.parse(JSON.stringify(fast.root)), JSON.parse(JSON.stringify(fxp.root)), `${dir}/${f}`);
      n++;
    }
  }
  assert.ok(n >= 36, `expected every fixture, saw ${n}`);
});

test('buildTree keeps repeated children in document order', () => {
  const { rootName, root } = buildTree('<r><k>1</k><k a="x">2</k><k/></r>');
  assert.is(rootName, 'r');
  assert.equal(root, { k: ['1', { '@a': 'x', '#text': '2' }, ''] });
});

test('undeclared entities: an error without a DTD; kept as written, nothing read, with an external DTD', () => {
  parseFails('<r>\n <a>&nbsp;</a></r>', /line 2, column 5: undefined entity reference &nbsp;/);
  parseFails('<r a="&x;"/>', /undefined entity reference &x;/);
  const doc = parseXml('<!DOCTYPE r SYSTEM "file:///etc/passwd"><r><a>&passwd;</a></r>');
  assert.is(text(first(doc.root, 'a')), '&passwd;');
});

test('strict XML: bare "&", illegal characters, documents cut inside markup', () => {
  parseFails('<a>AT&T rocks</a>', /column 6: "&" starts an entity reference that never ends/);
  parseFails('<a>x\u0001</a>', /column 5: character U\+0001 is not allowed/);
  parseFails('<a>&#0;</a>', /character reference &#0; is not a legal XML character/);
  parseFails('<a><b x=">"/><!-- c --><c y=">', /column 24: start tag not closed inside <a>/);
  parseFails('<a><![CDATA[ x', /CDATA section not closed inside <a>/);
  parseFails('<a/></b>', /end tag <\/b> without a start tag/);
  parseFails('<a p:x="1" q:x="2"/>', /attribute q:x repeated in <a>/);
  // a prefixed and an unprefixed attribute of one local name are well-formed: the prefixed one is kept, in any order
  assert.is(attr(parseXml('<t xmlns:gml="urn:gml" gml:id="d1" id="A1"/>').root, 'id'), 'd1');
  assert.is(attr(parseXml('<t xmlns:gml="urn:gml" id="A1"\n  gml:id="d1"/>').root, 'id'), 'd1');
});

test('line ends and attribute values normalised as XML requires; BOM and space before the declaration skipped', () => {
  const doc = parseXml('\ufeff\n <?xml version="1.0"?>\r\n<r a="l1\r\nl2\tz"><b><![CDATA[c1\r\nc2]]></b></r>');
  assert.is(attr(doc.root, 'a'), 'l1 l2 z');
  assert.is(text(first(doc.root, 'b')), 'c1\nc2');
  parseFails('\n\n<r>\n<a></b></r>', /line 4, column 4: end tag <\/b> does not match start tag <a>/);
});

test('buildTree after a failure: a fresh parser, same tree', () => {
  const xml = shared('iso19139', 'owslib-iso_mi.xml');
  const before = JSON.stringify(buildTree(xml));
  assert.throws(() => buildTree(xml.slice(0, xml.length / 2)), /truncated/);
  assert.is(JSON.stringify(buildTree(xml)), before);
});

test('parseXml validates its options', () => {
  assert.throws(() => parseXml('<a/>', { engine: 'sax' as 'fast' }), /engine must be "fast" or "fxp"/);
});

test.run();
