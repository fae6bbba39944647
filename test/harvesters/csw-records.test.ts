/**
 * The CSW page splitter on every real response of /work/shared/fixtures/csw and on the broken variants of
 * test/fixtures/csw, checked against an independent full parse (fast-xml-parser) of the same files.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { splitCswResponse, splitRecords, CswPageError, decodeXmlText, recordId, type CswPage } from '../../harvesters/csw/records.js';
import { projectPath, sharedFixture } from '../../schemas/paths.js';

const shared = (f: string) => readFileSync(sharedFixture('csw', f), 'utf8');
const local = (f: string) => readFileSync(projectPath('test', 'fixtures', 'csw', f), 'utf8');

// ---------------------------------------------------------------------------------------------
// An independent reading of the same documents: a full ordered parse with fast-xml-parser.

type ONode = Record<string, unknown> & { ':@'?: Record<string, string> };
const ordered = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  processEntities: false,
  trimValues: true,
});

const nameOf = (n: ONode) => Object.keys(n).find((k) => k !== ':@')!;
const kids = (n: ONode) => (n[nameOf(n)] as ONode[]).filter((c) => !nameOf(c).startsWith('#') && !nameOf(c).startsWith('?'));
const local_ = (name: string) => name.slice(name.indexOf(':') + 1);

function find(nodes: ONode[], local: string): ONode | undefined {
  for (const n of nodes) {
    const name = nameOf(n);
    if (name.startsWith('#') || name.startsWith('?')) continue;
    if (local_(name) === local) return n;
    const inner = find(n[name] as ONode[], local);
    if (inner) return inner;
  }
  return undefined;
}

function textIn(n: ONode | undefined): string | undefined {
  if (!n) return undefined;
  for (const c of n[nameOf(n)] as ONode[]) if (nameOf(c) === '#text') return decodeXmlText(String(c['#text'])).trim();
  return undefined;
}

/** What a DOM says the page holds: the SearchResults attributes, and each record's name and identifier. */
function domView(text: string) {
  const doc = ordered.parse(text) as ONode[];
  const root = doc.find((n) => !nameOf(n).startsWith('?') && !nameOf(n).startsWith('#'))!;
  const sr = local_(nameOf(root)) === 'GetRecordsResponse' ? kids(root).find((k) => local_(nameOf(k)) === 'SearchResults')! : root;
  const attrs = sr[':@'] ?? {};
  const records = kids(sr).map((r) => {
    const name = nameOf(r);
    const children = r[name] as ONode[];
    const fileId = find(children, 'fileIdentifier');
    const mdbId = find(children, 'metadataIdentifier');
    const dcId = children.find((c) => nameOf(c) === 'dc:identifier');
    const id = fileId
      ? textIn(find(fileId[nameOf(fileId)] as ONode[], 'CharacterString'))
      : mdbId
        ? textIn(find(mdbId[nameOf(mdbId)] as ONode[], 'CharacterString'))
        : textIn(dcId);
    return { name, id };
  });
  const num = (k: string) => (attrs[k] === undefined ? undefined : Number(attrs[k]));
  return { matched: num('numberOfRecordsMatched'), returned: num('numberOfRecordsReturned'), nextRecord: num('nextRecord'), records };
}

/** Prefixes used by element or attribute names that no enclosing element declares: a record that does not stand alone. */
function undeclaredPrefixes(xml: string): string[] {
  const missing = new Set<string>();
  const walk = (nodes: ONode[], scope: Set<string>) => {
    for (const n of nodes) {
      const name = nameOf(n);
      if (name.startsWith('#') || name.startsWith('?')) continue;
      const inner = new Set(scope);
      const attrs = n[':@'] ?? {};
      for (const a of Object.keys(attrs)) if (a.startsWith('xmlns:')) inner.add(a.slice(6));
      const used = [name, ...Object.keys(attrs).filter((a) => !a.startsWith('xmlns'))]
        .filter((q) => q.includes(':'))
        .map((q) => q.slice(0, q.indexOf(':')));
      for (const p of used) if (p !== 'xml' && !inner.has(p)) missing.add(p);
      walk(n[name] as ONode[], inner);
    }
  };
  walk(ordered.parse(xml) as ONode[], new Set());
  return [...missing];
}

function expectPageError(text: string, kind: CswPageError['kind']): CswPageError {
  try {
    splitCswResponse(text);
  } catch (err) {
    assert.instance(err, CswPageError);
    assert.is((err as CswPageError).kind, kind, (err as Error).message);
    return err as CswPageError;
  }
  assert.unreachable(`expected a ${kind} error`);
  throw new Error('unreachable');
}

function checkAgainstDom(text: string, page: CswPage) {
  const dom = domView(text);
  assert.is(page.matched, dom.matched);
  assert.is(page.returned, dom.returned);
  assert.is(page.nextRecord, dom.nextRecord);
  assert.equal(
    page.records.map((r) => ({ name: r.name, id: r.id })),
    dom.records,
  );
  for (const r of page.records) {
    assert.is(XMLValidator.validate(r.xml), true, `record ${r.id} is well-formed on its own`);
    assert.equal(undeclaredPrefixes(r.xml), [], `record ${r.id} declares every prefix it uses`);
    // The content is the page's bytes: everything after the record's start tag is unchanged.
    const origTagEnd = text.indexOf('>', r.offset);
    const ownTagEnd = r.xml.indexOf('>');
    assert.is(r.xml.slice(ownTagEnd), text.slice(origTagEnd, origTagEnd + r.xml.length - ownTagEnd));
  }
}

// ---------------------------------------------------------------------------------------------
// Every real response in the shared fixtures.

test('every file of shared/fixtures/csw is split as its DOM says, or refused for the right reason', () => {
  const expected: Record<string, CswPageError['kind'] | 'ok'> = {
    'owslib-csw_dov_getrecordbyid.xml': 'ok',
    'owslib-inspire-getrecords-response.xml': 'ok',
    'pycsw-apiso-GetRecords-all.xml': 'ok',
    'pycsw-ExceptionReport-invalid-xml.xml': 'exception',
    'pycsw-apiso-GetCapabilities.xml': 'not-csw',
    'pycsw-csw30-GetCapabilities.xml': 'not-csw',
  };
  const files = readdirSync(sharedFixture('csw')).sort();
  assert.equal(files, Object.keys(expected).sort(), 'a new shared fixture needs an expectation here');
  for (const f of files) {
    const text = shared(f);
    if (expected[f] === 'ok') checkAgainstDom(text, splitCswResponse(text));
    else expectPageError(text, expected[f]);
  }
});

test('GeoNetwork INSPIRE page: matched 216, nextRecord 85, two gmd records with their fileIdentifiers', () => {
  const text = shared('owslib-inspire-getrecords-response.xml');
  const page = splitCswResponse(text);
  assert.is(page.kind, 'GetRecordsResponse');
  assert.is(page.version, '2.0.2');
  assert.is(page.matched, 216);
  assert.is(page.nextRecord, 85);
  assert.is(page.elementSet, 'full');
  assert.is(page.records.length, page.returned);
  for (const r of page.records) {
    assert.is(r.format, 'iso19139');
    assert.is(r.namespace, 'http://www.isotc211.org/2005/gmd');
    // xsi is declared on the response root only: it must have been copied onto the record.
    assert.ok(
      r.xml.startsWith(
        '<gmd:MD_Metadata xmlns:csw="http://www.opengis.net/cat/csw/2.0.2" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"',
      ),
    );
  }
});

test('pycsw page: 18 matched, 5 returned, nextRecord 6, recordSchema gmd; records rely on the root namespaces', () => {
  const text = shared('pycsw-apiso-GetRecords-all.xml');
  const page = splitCswResponse(text);
  assert.equal([page.matched, page.returned, page.nextRecord], [18, 5, 6]);
  assert.is(page.recordSchema, 'http://www.isotc211.org/2005/gmd');
  assert.is(page.records.length, 5);
  // In the page, the records declare nothing themselves...
  for (const r of page.records)
    assert.equal(undeclaredPrefixes(text.slice(r.offset, r.offset + 400).replace(/>[\s\S]*$/, '/>')).length > 0, true);
  // ...and each extracted one declares gmd, gco and xsi.
  for (const r of page.records)
    for (const p of ['gmd', 'gco', 'xsi', 'srv']) assert.match(r.xml.slice(0, r.xml.indexOf('>')), `xmlns:${p}=`);
});

test('GetRecordByIdResponse: the one record, with its id', () => {
  const text = shared('owslib-csw_dov_getrecordbyid.xml');
  const page = splitCswResponse(text);
  assert.is(page.kind, 'GetRecordByIdResponse');
  assert.is(page.matched, undefined);
  assert.is(page.records.length, 1);
  assert.is(page.records[0].id, domView(text).records[0].id);
});

test('an ows:ExceptionReport is an exception error carrying the exception text', () => {
  const text = shared('pycsw-ExceptionReport-invalid-xml.xml');
  const err = expectPageError(text, 'exception');
  const exText = decodeXmlText(/<ows:ExceptionText>([\s\S]*?)<\/ows:ExceptionText>/.exec(text)![1])
    .replace(/\s+/g, ' ')
    .trim();
  assert.match(err.message, exText);
  assert.match(err.message, 'NoApplicableCode');
  assert.is(err.retryable, false);
});

// ---------------------------------------------------------------------------------------------
// Recorded pages of a real pycsw and built pages.

test('recorded pycsw pages (pages of 7 over 26 records): gmd, gmi and CHE records all kept, ids as the DOM says', () => {
  const dir = projectPath('test', 'fixtures', 'csw', 'recorded');
  const names = new Map<string, number>();
  let total = 0;
  let matched = 0;
  for (const f of readdirSync(dir).filter((f) => f.startsWith('pycsw-gmd-'))) {
    const text = readFileSync(join(dir, f), 'utf8');
    const page = splitCswResponse(text);
    checkAgainstDom(text, page);
    matched = page.matched!;
    total += page.records.length;
    for (const r of page.records) {
      names.set(r.localName, (names.get(r.localName) ?? 0) + 1);
      assert.is(r.format, 'iso19139', `${r.name} ${r.id}`);
    }
  }
  assert.is(total, matched);
  assert.ok(names.get('MI_Metadata')! >= 1 && names.get('CHE_MD_Metadata')! >= 1, JSON.stringify([...names]));
});

test('ISO 19115-3 page: mdb records, format iso19115-3, ids = metadataIdentifier codes of the source files', () => {
  const text = local('mdb-getrecords.xml');
  const page = splitCswResponse(text);
  checkAgainstDom(text, page);
  const files = readdirSync(sharedFixture('iso19115-3'))
    .filter((f) => f.endsWith('.xml'))
    .sort();
  assert.is(page.records.length, files.length);
  files.forEach((f, i) => {
    const one = splitRecords(readFileSync(sharedFixture('iso19115-3', f), 'utf8'));
    assert.is(page.records[i].id, one.records[0].id);
    assert.is(page.records[i].format, 'iso19115-3');
  });
});

test('mixed page: every SearchResults child is a record whatever its name (CHE, gmi, gmd, mdb, csw:Record)', () => {
  const text = local('mixed-getrecords.xml');
  const page = splitCswResponse(text);
  checkAgainstDom(text, page);
  assert.equal(
    page.records.map((r) => [r.name, r.format]),
    [
      ['che:CHE_MD_Metadata', 'iso19139'],
      ['gmi:MI_Metadata', 'iso19139'],
      ['gmd:MD_Metadata', 'iso19139'],
      ['mdb:MD_Metadata', 'iso19115-3'],
      ['csw:Record', undefined],
    ],
  );
  assert.is(page.records[4].id, domView(text).records[4].id);
});

// ---------------------------------------------------------------------------------------------
// Broken pages.

test('a page cut short mid-record is a truncated error, never a short page', () => {
  const err = expectPageError(local('truncated-mid-record.xml'), 'truncated');
  assert.ok(err.retryable);
});

test('every cut of a real page before its end is an error (truncated), never a page with fewer records', () => {
  const text = shared('pycsw-apiso-GetRecords-all.xml');
  const end = text.lastIndexOf('</csw:GetRecordsResponse>') + '</csw:GetRecordsResponse>'.length;
  const start = text.indexOf('<csw:GetRecordsResponse');
  let cuts = 0;
  for (let cut = start + 1; cut < end; cut += 97) {
    cuts++;
    try {
      splitCswResponse(text.slice(0, cut));
      assert.unreachable(`a cut at ${cut} of ${end} was accepted`);
    } catch (err) {
      assert.instance(err, CswPageError, `cut at ${cut}`);
      assert.is((err as CswPageError).kind, 'truncated', `cut at ${cut}: ${(err as Error).message}`);
    }
  }
  assert.ok(cuts > 400);
  assert.is(splitCswResponse(text.slice(0, end)).records.length, 5);
});

test('the identifier scan: certain when the text is plain, else only what it looked like (idText)', () => {
  const el = { name: 'gmd:MD_Metadata', localName: 'MD_Metadata', namespace: 'http://www.isotc211.org/2005/gmd' };
  const rec = (inner: string) =>
    `<gmd:MD_Metadata xmlns:gmd="http://www.isotc211.org/2005/gmd" xmlns:gco="http://www.isotc211.org/2005/gco"><gmd:fileIdentifier>${inner}</gmd:fileIdentifier></gmd:MD_Metadata>`;
  const cases: [string, { id?: string; idText?: string }][] = [
    ['<gco:CharacterString> abc-1 </gco:CharacterString>', { id: 'abc-1' }],
    ['<gco:CharacterString>a&amp;b</gco:CharacterString>', { id: 'a&b' }],
    ['<gmx:Anchor xlink:href="http://x/y">urn:x:1</gmx:Anchor>', { id: 'urn:x:1' }],
    // the bug of issue 9: the scan kept the entity and the record's previous version was taken for gone
    ['<gco:CharacterString>abc-52&undeclared;</gco:CharacterString>', { idText: 'abc-52&undeclared;' }],
    ['<gco:CharacterString>abc<!-- a comment -->-1</gco:CharacterString>', { idText: 'abc' }],
    ['<gco:CharacterString><![CDATA[abc-1]]></gco:CharacterString>', {}],
    ['<gco:CharacterString/>', {}],
  ];
  for (const [inner, expected] of cases) assert.equal(recordId(rec(inner), el, 'iso19139'), expected, inner);
  // a record cut short after its identifier started: what it seemed to hold
  assert.equal(recordId(rec('<gco:CharacterString>abc-9').replace(/<\/gmd:fileIdentifier>.*$/, ''), el, 'iso19139'), {
    idText: 'abc-9',
  });
});

test('count mismatch: the page holds 4 record elements though numberOfRecordsReturned is 5 (both reported)', () => {
  const page = splitCswResponse(local('count-mismatch.xml'));
  assert.is(page.returned, 5);
  assert.is(page.records.length, 4);
});

test('no nextRecord attribute: undefined (paging falls back to start + returned)', () => {
  const page = splitCswResponse(local('no-nextrecord.xml'));
  assert.is(page.nextRecord, undefined);
  assert.is(page.returned, 5);
});

test('a DOCTYPE declaring entities is refused; an HTML page is recognised with its title', () => {
  expectPageError(local('doctype-entities.xml'), 'entities');
  const err = expectPageError(local('html-error.html'), 'html');
  assert.match(err.message, '503 Service Temporarily Unavailable');
});

test('scanning rules: comments, CDATA, PIs and ">" or "<" inside attribute values do not make or end records', () => {
  const text =
    '<?xml version="1.0"?><!-- <gmd:MD_Metadata> in a comment -->' +
    '<csw:GetRecordsResponse xmlns:csw="http://www.opengis.net/cat/csw/2.0.2" xmlns:gco="http://www.isotc211.org/2005/gco">' +
    '<csw:SearchStatus timestamp="x"/>' +
    '<csw:SearchResults numberOfRecordsMatched="3" numberOfRecordsReturned="3" nextRecord="0">' +
    '<!-- <csw:Record> --><gmd:MD_Metadata xmlns:gmd="http://www.isotc211.org/2005/gmd" note=\'a > b\' other="</gmd:MD_Metadata>">' +
    '<gmd:fileIdentifier><gco:CharacterString>A&amp;B</gco:CharacterString></gmd:fileIdentifier>' +
    '<![CDATA[</gmd:MD_Metadata><csw:Record>]]><?pi </gmd:MD_Metadata> ?></gmd:MD_Metadata>' +
    '<csw:Record xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:identifier>urn:x</dc:identifier></csw:Record>' +
    '<foo:Unknown xmlns:foo="urn:foo"/>' +
    '</csw:SearchResults></csw:GetRecordsResponse>\n<!-- trailing comment -->\n';
  const page = splitCswResponse(text);
  assert.equal(
    page.records.map((r) => [r.name, r.id, r.format]),
    [
      ['gmd:MD_Metadata', 'A&B', 'iso19139'],
      ['csw:Record', 'urn:x', undefined],
      ['foo:Unknown', undefined, undefined],
    ],
  );
  assert.match(page.records[0].xml, '<![CDATA[</gmd:MD_Metadata><csw:Record>]]>');
  assert.match(page.records[0].xml, 'xmlns:gco="http://www.isotc211.org/2005/gco"');
  for (const r of page.records) assert.is(XMLValidator.validate(r.xml), true);
});

test('not XML, empty, mismatched tags, text after the root, an unknown root', () => {
  expectPageError('{"error": "not here"}', 'not-xml');
  expectPageError('   \n', 'empty');
  expectPageError(
    '<csw:GetRecordsResponse xmlns:csw="http://www.opengis.net/cat/csw/2.0.2"><csw:SearchResults></csw:Other></csw:GetRecordsResponse>',
    'malformed',
  );
  expectPageError(
    '<csw:GetRecordByIdResponse xmlns:csw="http://www.opengis.net/cat/csw/2.0.2"></csw:GetRecordByIdResponse>garbage',
    'malformed',
  );
  expectPageError('<csw:GetRecordsResponse xmlns:csw="http://www.opengis.net/cat/csw/2.0.2"></csw:GetRecordsResponse>', 'malformed');
  const err = expectPageError('<WMS_Capabilities xmlns="http://www.opengis.net/wms" version="1.3.0"/>', 'not-csw');
  assert.match(err.message, 'http://www.opengis.net/wms');
});

test('an empty result set (self-closing SearchResults) has zero records', () => {
  const page = splitCswResponse(
    '<csw:GetRecordsResponse xmlns:csw="http://www.opengis.net/cat/csw/2.0.2"><csw:SearchStatus timestamp="t"/><csw:SearchResults numberOfRecordsMatched="0" numberOfRecordsReturned="0" nextRecord="0"/></csw:GetRecordsResponse>',
  );
  assert.equal([page.matched, page.returned, page.nextRecord, page.records.length], [0, 0, 0, 0]);
});

test('splitRecords: a bare record file is one record; a CSW page is split', () => {
  for (const f of readdirSync(sharedFixture('iso19139')).filter((f) => f.endsWith('.xml'))) {
    const text = readFileSync(sharedFixture('iso19139', f), 'utf8');
    const page = splitRecords(text);
    assert.is(page.kind, 'Document');
    assert.is(page.records.length, 1);
    const dom = ordered.parse(text) as ONode[];
    const root = dom.find((n) => !nameOf(n).startsWith('?') && !nameOf(n).startsWith('#'))!;
    const fileId = find(root[nameOf(root)] as ONode[], 'fileIdentifier')!;
    assert.is(page.records[0].id, textIn(find(fileId[nameOf(fileId)] as ONode[], 'CharacterString')), f);
    assert.is(page.records[0].format, 'iso19139', f);
  }
  assert.is(splitRecords(shared('pycsw-apiso-GetRecords-all.xml')).records.length, 5);
});

test('splitRecords: a bare record is the span of its root; what is inside it is left to the XML parser, what is outside is checked', () => {
  // the span of the root, found independently: from the first "<" followed by a name to the last ">"
  for (const f of readdirSync(sharedFixture('iso19139')).filter((f) => f.endsWith('.xml'))) {
    const text = readFileSync(sharedFixture('iso19139', f), 'utf8');
    const start = /<[A-Za-z_]/.exec(text.replace(/<!--[\s\S]*?-->/g, (c) => ' '.repeat(c.length)))!.index;
    const r = splitRecords(text).records[0];
    assert.is(r.xml, text.slice(start, text.lastIndexOf('>') + 1), f);
    assert.is(r.offset, start, f);
  }
  const decl = '<?xml version="1.0"?>\n';
  const md = (inner: string, after = '') =>
    `${decl}<gmd:MD_Metadata xmlns:gmd="http://www.isotc211.org/2005/gmd">${inner}</gmd:MD_Metadata>${after}`;
  // after the root: white space, comments and PIs are fine
  const tail = splitRecords(md('<gmd:fileIdentifier/>', '\n<!-- end -->\r\n<?pi x?>\t\n')).records;
  assert.equal([tail.length, tail[0].xml.endsWith('</gmd:MD_Metadata>')], [1, true]);
  // a mismatched tag inside the root: one record, which the XML parser will refuse with its line and column
  const inner = splitRecords(md('<gmd:fileIdentifier></gmd:fileIdent>')).records;
  assert.equal([inner.length, inner[0].xml.includes('</gmd:fileIdent>')], [1, true]);
  // what follows the root end tag is still checked: text, a second root, a cut end tag, a cut comment
  const fails = (text: string, kind: string, re: RegExp) => {
    const e = (() => {
      try {
        splitRecords(text);
      } catch (err) {
        return err;
      }
    })();
    assert.instance(e, CswPageError, text);
    assert.is((e as CswPageError).kind, kind, text);
    assert.match((e as Error).message, re);
  };
  fails(md('', '\ntrailing text'), 'malformed', /text after the root element at line 2/);
  fails(md('', '<gmd:MD_Metadata/>'), 'malformed', /a second root element/);
  fails(md('', '<!-- cut'), 'truncated', /ends inside a comment/);
  fails(md('').slice(0, -3), 'truncated', /the page ends inside an end tag/);
  fails(`${decl}<gmd:MD_Metadata xmlns:gmd="g"><gmd:a>`, 'truncated', /innermost <gmd:a>/);
});

test('speed: a 100-record multi-MB page is split much faster than a full parse', () => {
  // 100 records: the real records of the recorded pycsw pages, repeated.
  const dir = projectPath('test', 'fixtures', 'csw', 'recorded');
  const records = readdirSync(dir)
    .filter((f) => f.startsWith('pycsw-gmd-'))
    .flatMap((f) => splitCswResponse(readFileSync(join(dir, f), 'utf8')).records.map((r) => r.xml));
  const body = Array.from({ length: 100 }, (_, i) => records[i % records.length]).join('\n');
  const text =
    '<?xml version="1.0" encoding="UTF-8"?><csw:GetRecordsResponse xmlns:csw="http://www.opengis.net/cat/csw/2.0.2"><csw:SearchResults numberOfRecordsMatched="100" numberOfRecordsReturned="100" nextRecord="0">' +
    body +
    '</csw:SearchResults></csw:GetRecordsResponse>';
  const mb = Buffer.byteLength(text) / 1e6;
  assert.ok(mb > 1.5, `${mb} MB`);
  const time = (fn: () => void, n = 5) => {
    fn();
    const t0 = performance.now();
    for (let i = 0; i < n; i++) fn();
    return (performance.now() - t0) / n;
  };
  const split = time(() => assert.is(splitCswResponse(text).records.length, 100));
  const full = time(() => new XMLParser({ ignoreAttributes: false, removeNSPrefix: true, processEntities: false }).parse(text), 2);
  console.log(
    `  split ${mb.toFixed(1)} MB / 100 records: ${split.toFixed(1)} ms (${(mb / (split / 1000)).toFixed(0)} MB/s); full fast-xml-parser parse: ${full.toFixed(0)} ms`,
  );
  assert.ok(split * 5 < full, `split ${split} ms vs full parse ${full} ms`);
});

test.run();
