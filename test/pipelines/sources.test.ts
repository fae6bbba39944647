/** The sources file: every source and its options checked on load, every problem reported at once, old spellings warned. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../../core/result.js';
import {
  checkSource,
  checkSourcesFile,
  loadSources,
  nextRun,
  sourceFromUrl,
  sourcesSyntax,
  validateSource,
  type SourceConfig,
} from '../../pipelines/sources.js';
import { projectPath } from '../../schemas/paths.js';

const fixture = (name: string) => projectPath('test', 'fixtures', 'sources', name);

test('a broken sources file: one UsageError carrying every problem of every source, each naming the source and the option', () => {
  try {
    loadSources(fixture('broken.json'));
    assert.unreachable();
  } catch (err) {
    assert.instance(err, UsageError);
    const e = err as UsageError;
    assert.equal(e.problems, [
      'sources[1] "Bad Id!": id: must be 1-64 lower-case letters, digits, "-" or "_", starting with a letter or digit (got "Bad Id!")',
      'sources[2] "geobretagne": options.pagesize: unknown option, did you mean pageSize?',
      'sources[2] "geobretagne": options.http.retris: unknown option, did you mean retries?',
      'sources[3] "theia": shedule: unknown field, did you mean schedule?',
      'sources[3] "theia": options.url: not an option: the source\'s "url" sets it',
      'sources[3] "theia": options.items: must be one of "enrich", "index", "none" (got "indx"), did you mean "index"?',
      'sources[4] "catalog": options.colour: unknown option (known: maxDepth, maxDocuments, concurrency, items, http)',
      'sources[4] "catalog": options.maxDepth: must be an integer >= 0 (got -1)',
      'sources[5] "tour": schedule: must be a cron expression such as "0 2 * * *" (got "every day")',
      'sources[5] "tour": id: "tour" is used twice (also by sources[0])',
      'sources[6] "feed": type: must be one of csw, stac, stac-api, ozcar, resto, dcat (got "ozcarr"), did you mean ozcar?',
    ]);
    assert.ok(e.message.startsWith(`${fixture('broken.json')}: 11 problems:\n  sources[1] "Bad Id!": id: must be`), e.message);
    // internal option names are never offered to a user
    assert.not.match(e.message, /known: [^)]*\b(source|url|signal)\b/);
  }
});

test('deprecated spellings load, each warned with the new one; effective options show their defaults', () => {
  const report = checkSourcesFile(fixture('deprecated.json'));
  assert.equal(report.problems, []);
  assert.equal(report.warnings, [
    'sources[0] "pycsw": options.timeoutMs: deprecated spelling, write options.http.timeoutMs instead',
    'sources[0] "pycsw": options.retries: deprecated spelling, write options.http.retries instead',
    'sources[1] "tour": options.fetch: deprecated spelling, write options.http instead',
  ]);
  const csw = Object.fromEntries(report.sources[0].options.map((o) => [o.path, [o.value, o.isDefault]]));
  assert.equal(csw['pageSize'], [50, false]);
  assert.equal(csw['http.timeoutMs'], [30_000, false]);
  assert.equal(csw['http.retries'], [1, false]);
  assert.equal(csw['http.maxBytes'], [50 * 1024 * 1024, true]);
  assert.equal(csw['maxRecords'], undefined); // no default: not listed
  const ozcar = Object.fromEntries(report.sources[1].options.map((o) => [o.path, o.value]));
  assert.is(ozcar['http.maxBytes'], 1_000_000);
  assert.is(report.sources[1].source!.url, projectPath('test', 'fixtures', 'sources', 'feeds', 'TOUR_en.json'));
  // the same file loads: the harvester is given the source as written (it warns again at its run)
  assert.equal(
    loadSources(fixture('deprecated.json')).map((s) => s.id),
    ['pycsw', 'tour', 'catalog'],
  );
});

test('the file itself: missing, a folder, not JSON, wrong root: one sentence each, a UsageError', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sources-'));
  const cases: [string, RegExp][] = [
    [join(dir, 'nope.json'), /^cannot read sources file .*nope\.json: no such file$/],
    [dir, /^cannot read sources file .*: a folder, not a file$/],
  ];
  writeFileSync(join(dir, 'bad.json'), '{ not json');
  cases.push([join(dir, 'bad.json'), /^cannot read sources file .*bad\.json: not valid JSON \(/]);
  writeFileSync(join(dir, 'list.json'), '[]');
  cases.push([join(dir, 'list.json'), /list\.json: expected \{ "sources": \[ \.\.\. \] \}$/]);
  for (const [file, re] of cases) {
    assert.throws(
      () => loadSources(file),
      (e: unknown) => e instanceof UsageError && re.test(e.message),
    );
  }
});

test('a YAML sources file: the same checks and messages as JSON, each ending with the line of the field at fault', () => {
  const json = checkSourcesFile(fixture('broken.json'));
  const yaml = checkSourcesFile(fixture('broken.yaml'));
  assert.is(yaml.syntax, 'yaml');
  assert.is(json.syntax, 'json');
  // the same problems, in the same order, each with its line in broken.yaml
  assert.equal(
    yaml.problems.map((p) => p.replace(/ \(line \d+\)$/, '')),
    json.problems,
  );
  const lines = yaml.problems.map((p) => Number(/\(line (\d+)\)$/.exec(p)?.[1]));
  assert.equal(lines, [6, 13, 15, 19, 22, 21, 26, 26, 30, 27, 32]);
  assert.is(yaml.sources[2].line, 9); // where "- id: geobretagne" starts
  try {
    loadSources(fixture('broken.yaml'));
    assert.unreachable();
  } catch (err) {
    assert.instance(err, UsageError);
    assert.match(
      (err as UsageError).message,
      'sources[2] "geobretagne": options.pagesize: unknown option, did you mean pageSize? (line 13)',
    );
  }
});

test('a valid YAML file loads like its JSON twin: anchors and merge keys resolved, warnings with their lines', () => {
  const fromJson = loadSources(fixture('deprecated.json'));
  const fromYaml = loadSources(fixture('deprecated.yaml'));
  // the YAML file merges an anchored http block into the third source: the rest is the same definition
  assert.equal(fromYaml[2].options, { items: 'index', http: { timeoutMs: 5000, headers: { authorization: 'Bearer x' } } });
  assert.equal(fromYaml, fromJson);
  assert.equal(checkSourcesFile(fixture('deprecated.yaml')).warnings, [
    'sources[0] "pycsw": options.timeoutMs: deprecated spelling, write options.http.timeoutMs instead (line 10)',
    'sources[0] "pycsw": options.retries: deprecated spelling, write options.http.retries instead (line 11)',
    'sources[1] "tour": options.fetch: deprecated spelling, write options.http instead (line 18)',
  ]);
});

test('JSON or YAML: by the extension, else by the first character; a YAML syntax error says its line and column', () => {
  assert.is(sourcesSyntax('a.json', 'sources: []'), 'json');
  assert.is(sourcesSyntax('a.YML', '{}'), 'yaml');
  assert.is(sourcesSyntax('sources', '\n  { "sources": [] }'), 'json');
  assert.is(sourcesSyntax('sources.conf', '# comment\nsources: []'), 'yaml');
  const dir = mkdtempSync(join(tmpdir(), 'sources-yaml-'));
  writeFileSync(join(dir, 'hub-sources'), 'sources:\n  - id: tour\n    type: ozcar\n    url: /data/TOUR_en.json\n');
  assert.equal(
    loadSources(join(dir, 'hub-sources')).map((s) => [s.id, s.type, s.url]),
    [['tour', 'ozcar', '/data/TOUR_en.json']],
  );
  // an unquoted cron schedule starting with * is a YAML alias: said with its line, column and the fix
  writeFileSync(join(dir, 'cron.yaml'), 'sources:\n  - id: a\n    type: ozcar\n    url: a.json\n    schedule: */5 * * * *\n');
  assert.throws(
    () => loadSources(join(dir, 'cron.yaml')),
    (e: unknown) =>
      e instanceof UsageError &&
      /cron\.yaml: not valid YAML \(line 5, column \d+: .*must be quoted: "\*\/5 \* \* \* \*"\)$/.test(e.message),
  );
  writeFileSync(join(dir, 'dup.yaml'), 'sources:\n  - id: a\n    id: b\n');
  assert.throws(
    () => loadSources(join(dir, 'dup.yaml')),
    (e: unknown) => e instanceof UsageError && /not valid YAML \(line 3, column 5: Map keys must be unique/.test(e.message),
  );
  writeFileSync(join(dir, 'nolist.yaml'), 'source:\n  - id: a\n');
  assert.throws(
    () => loadSources(join(dir, 'nolist.yaml')),
    (e: unknown) => e instanceof UsageError && /nolist\.yaml: expected a "sources:" list$/.test(e.message),
  );
});

test('the example files load: sources.example.json, and sources.example.yaml with a source of every new type', () => {
  const json = loadSources(projectPath('sources.example.json'));
  const yaml = loadSources(projectPath('sources.example.yaml'));
  // the YAML file holds the JSON file's sources (as JSON has them), then a resto and a DCAT source (each file's
  // ranking of its own sources left aside: the YAML file declares more)
  const bare = (list: SourceConfig[]) => list.map(({ ranking: _ranking, ...s }) => s);
  assert.equal(bare(yaml.slice(0, json.length)), bare(json));
  assert.equal(
    yaml.map((s) => s.type),
    ['csw', 'stac-api', 'ozcar', 'resto', 'dcat'],
  );
  // anchors and merge keys: the HTTP options shared, one overridden
  assert.equal(yaml[3].options?.http, { timeoutMs: 120000, retries: 5 });
  assert.equal(yaml[4].options?.http, { timeoutMs: 120000, retries: 2 });
});

test('one source: a bad id given on the command line is a usage error; options under the wrong key are pointed to "options"', () => {
  assert.throws(
    () => sourceFromUrl('https://h/csw', 'csw', 'Bad Id!'),
    (e: unknown) => e instanceof UsageError && /id: must be 1-64/.test(e.message),
  );
  const r = checkSource({ id: 'x', type: 'csw', url: 'https://h/csw', pageSize: 10 }, 'sources[0]');
  assert.equal(r.problems, ['pageSize: unknown field (harvester options go under "options": "options": { "pageSize": ... })']);
  assert.is(validateSource({ id: 'x', type: 'csw', url: 'https://h/csw', options: { pageSize: 10, http: { retries: 0 } } }).id, 'x');
  assert.equal(checkSource({ id: 'x', type: 'csw', url: 'https://h/csw', options: { signal: 1 } }).problems, [
    'options.signal: not an option: the program sets it',
  ]);
});

test("a source's deletion guard and run budget: checked with the source, every problem named", () => {
  const base = { id: 'x', type: 'csw', url: 'https://h/csw' };
  assert.equal(checkSource({ ...base, maxDeleteRatio: 1.5, maxDeleteCount: 2.5, maxRunMinutes: 0 }).problems, [
    'maxDeleteRatio: must be a number from 0 to 1 (got 1.5)',
    'maxDeleteCount: must be a whole number >= 0 (got 2.5)',
    'maxRunMinutes: must be a number of minutes above 0, at most a week (got 0)',
  ]);
  assert.equal(checkSource({ ...base, maxdeleteratio: 0.2 }).problems, ['maxdeleteratio: unknown field, did you mean maxDeleteRatio?']);
  const ok = validateSource({ ...base, maxDeleteRatio: 0.25, maxDeleteCount: 100, maxRunMinutes: 90 });
  assert.equal([ok.maxDeleteRatio, ok.maxDeleteCount, ok.maxRunMinutes], [0.25, 100, 90]);
});

test('nextRun: the next time a cron expression fires', () => {
  const next = nextRun('0 2 * * *')!;
  assert.instance(next, Date);
  assert.ok(next.getTime() > Date.now() && next.getTime() <= Date.now() + 24 * 3600_000);
  assert.is(next.getMinutes(), 0);
  assert.is(nextRun('every day'), undefined);
});

test.run();
