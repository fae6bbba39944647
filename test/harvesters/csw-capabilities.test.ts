/** GetCapabilities parsing (CSW 2.0.2 / OWS 1.0 and CSW 3.0 / OWS 2.0) and the choice of the output schema. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { parseCapabilities, chooseOutputSchema, CapabilitiesError, type CswCapabilities } from '../../harvesters/csw/capabilities.js';
import { projectPath, sharedFixture } from '../../schemas/paths.js';

const shared = (f: string) => readFileSync(sharedFixture('csw', f), 'utf8');
const GMD = 'http://www.isotc211.org/2005/gmd';
const MDB = 'http://standards.iso.org/iso/19115/-3/mdb/2.0';

/** An independent reading by regex: the block of one operation, the values of one of its parameters. */
function operation(text: string, name: string): string {
  const start = text.search(new RegExp(`<[\\w]+:Operation name="${name}">`));
  return text.slice(start, text.indexOf('Operation>', start + 30));
}
function paramValues(block: string, name: string): string[] {
  const start = block.search(new RegExp(`<[\\w]+:Parameter name="${name}">`));
  if (start < 0) return [];
  const p = block.slice(start, block.indexOf('Parameter>', start + 30));
  return [...p.matchAll(/<[\w]+:Value>([^<]*)<\/[\w]+:Value>/g)].map((m) => m[1]);
}
function capsError(text: string): CapabilitiesError {
  try {
    parseCapabilities(text);
  } catch (err) {
    assert.instance(err, CapabilitiesError);
    return err as CapabilitiesError;
  }
  assert.unreachable('expected a CapabilitiesError');
  throw new Error('unreachable');
}

for (const [file, version] of [
  ['pycsw-apiso-GetCapabilities.xml', '2.0.2'],
  ['pycsw-csw30-GetCapabilities.xml', '3.0.0'],
] as const) {
  test(`${file}: version, bindings, outputSchema, typeNames, constraint languages, MaxRecordDefault as in the file`, () => {
    const text = shared(file);
    const caps = parseCapabilities(text);
    const gr = operation(text, 'GetRecords');
    assert.is(caps.version, version);
    assert.equal(caps.versions, ['2.0.2', '3.0.0']);
    assert.equal(caps.getRecords.get, [/<[\w]+:Get [^>]*href="([^"]+)"/.exec(gr)![1]]);
    assert.equal(caps.getRecords.post, [/<[\w]+:Post [^>]*href="([^"]+)"/.exec(gr)![1]]);
    assert.equal(caps.outputSchemas, paramValues(gr, 'outputSchema'));
    assert.equal(caps.typeNames, paramValues(gr, 'typeNames'));
    assert.equal(caps.constraintLanguages, paramValues(gr, 'CONSTRAINTLANGUAGE'));
    assert.equal(caps.elementSetNames, ['brief', 'full', 'summary']);
    assert.is(caps.maxRecordDefault, Number(/MaxRecordDefault">\s*(?:<[\w]+:AllowedValues>\s*)?<[\w]+:Value>(\d+)/.exec(text)![1]));
    assert.ok(caps.queryables.includes('dct:modified'));
    assert.is(caps.title, 'pycsw Geospatial Catalogue');
  });
}

test('the apiso capabilities advertise the ISO queryables (apiso:Modified) and gmd; the csw30 ones do not', () => {
  const iso = parseCapabilities(shared('pycsw-apiso-GetCapabilities.xml'));
  const c30 = parseCapabilities(shared('pycsw-csw30-GetCapabilities.xml'));
  assert.ok(iso.queryables.includes('apiso:Modified'));
  assert.ok(iso.outputSchemas.includes(GMD));
  assert.not.ok(c30.outputSchemas.includes(GMD));
});

test('capabilities of a live pycsw (recorded): MaxRecordDefault is its server.maxrecords (7)', () => {
  const caps = parseCapabilities(readFileSync(projectPath('test', 'fixtures', 'csw', 'recorded', 'pycsw-GetCapabilities.xml'), 'utf8'));
  assert.is(caps.version, '2.0.2');
  assert.is(caps.maxRecordDefault, 7);
  assert.ok(caps.outputSchemas.includes(GMD));
});

test('chooseOutputSchema: gmd when offered, with typeNames gmd:MD_Metadata; csw:Record (Dublin Core, mapped) as a last resort, with a warning', () => {
  const iso = chooseOutputSchema(parseCapabilities(shared('pycsw-apiso-GetCapabilities.xml')));
  assert.equal([iso.outputSchema, iso.typeNames, iso.supported, iso.level], [GMD, 'gmd:MD_Metadata', true, 'info']);
  const c30 = chooseOutputSchema(parseCapabilities(shared('pycsw-csw30-GetCapabilities.xml')));
  assert.equal(
    [c30.outputSchema, c30.typeNames, c30.supported, c30.level],
    ['http://www.opengis.net/cat/csw/3.0', 'csw:Record', true, 'warn'],
  );
  assert.match(c30.reason, 'last resort');
  // its records are read (mappings/dc): the message no longer says they are not supported
  assert.match(c30.reason, 'mapped by the Dublin Core crosswalk');
  assert.not.match(c30.reason, /not supported|cannot be mapped/);
});

test('chooseOutputSchema: preference order gmd > mdb 2.0 > gmi; nothing advertised → gmd with a warning', () => {
  const base = parseCapabilities(shared('pycsw-apiso-GetCapabilities.xml'));
  const withSchemas = (outputSchemas: string[], typeNames = base.typeNames): CswCapabilities => ({ ...base, outputSchemas, typeNames });
  assert.is(chooseOutputSchema(withSchemas([MDB, GMD])).outputSchema, GMD);
  const mdb = chooseOutputSchema(withSchemas(['http://www.opengis.net/cat/csw/2.0.2', MDB], ['csw:Record', 'mdb:MD_Metadata']));
  assert.equal([mdb.outputSchema, mdb.typeNames, mdb.supported], [MDB, 'mdb:MD_Metadata', true]);
  assert.is(chooseOutputSchema(withSchemas([MDB], ['csw:Record'])).typeNames, 'csw:Record');
  assert.is(chooseOutputSchema(withSchemas(['http://www.isotc211.org/2005/gmi'])).outputSchema, 'http://www.isotc211.org/2005/gmi');
  const none = chooseOutputSchema(withSchemas([]));
  assert.equal([none.outputSchema, none.level], [GMD, 'warn']);
});

test('chooseOutputSchema: a configured schema is used; a warning when not advertised or not ISO', () => {
  const base = parseCapabilities(shared('pycsw-apiso-GetCapabilities.xml'));
  const ok = chooseOutputSchema(base, GMD);
  assert.equal([ok.outputSchema, ok.level, ok.supported], [GMD, 'info', true]);
  const absent = chooseOutputSchema(base, MDB);
  assert.equal([absent.outputSchema, absent.level, absent.supported], [MDB, 'warn', true]);
  assert.match(absent.reason, 'not among those the server advertises');
  const dc = chooseOutputSchema(base, 'http://www.opengis.net/cat/csw/2.0.2');
  assert.equal([dc.supported, dc.level], [true, 'info']); // Dublin Core, advertised: mapped by mappings/dc
  const other = chooseOutputSchema(base, 'http://www.isotc211.org/2005/gfc'); // a feature catalogue: no crosswalk
  assert.equal([other.supported, other.level], [false, 'warn']);
});

test('refusals: exception report (with its text), a GetRecords page, HTML, entities, a cut document', () => {
  const ex = capsError(shared('pycsw-ExceptionReport-invalid-xml.xml'));
  assert.match(ex.message, 'ExceptionReport');
  assert.match(ex.message, "Element '{http://www.opengis.net/cat/csw/2.0.2}ElementNamefoo'");
  assert.match(capsError(shared('pycsw-apiso-GetRecords-all.xml')).message, 'not CSW capabilities: root element <csw:GetRecordsResponse>');
  assert.match(capsError(readFileSync(projectPath('test', 'fixtures', 'csw', 'html-error.html'), 'utf8')).message, 'HTML page');
  const text = shared('pycsw-apiso-GetCapabilities.xml');
  const i = text.indexOf('<csw:Capabilities');
  assert.match(capsError(text.slice(0, i) + '<!DOCTYPE x [<!ENTITY e "e">]>' + text.slice(i)).message, 'entities');
  assert.match(capsError(text.slice(0, Math.floor(text.length / 2))).message, 'not well-formed');
  assert.match(
    capsError('<WMS_Capabilities xmlns="http://www.opengis.net/wms" version="1.3.0"><Service/></WMS_Capabilities>').message,
    'not CSW capabilities',
  );
});

test.run();
