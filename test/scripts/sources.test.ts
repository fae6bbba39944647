/** `harvester sources check`: what each source would do, every problem of a broken file, exit 0 / 2, no stack trace. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectPath } from '../../schemas/paths.js';

const fixture = (name: string) => projectPath('test', 'fixtures', 'sources', name);

function harvester(...args: string[]) {
  const r = spawnSync(process.execPath, [projectPath('dist', 'scripts', 'harvester.js'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, LOG_LEVEL: 'info' },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('a valid file: exit 0, each source with its type, URL, schedule and next run, effective options, deprecated spellings', () => {
  const r = harvester('sources', 'check', '--sources', fixture('deprecated.json'));
  assert.is(r.code, 0, r.err);
  assert.match(r.out, `${fixture('deprecated.json')}: 3 source(s), all valid, 3 warning(s)`);
  assert.match(r.out, 'sources[0] "pycsw": CSW catalogue http://127.0.0.1:8000/csw');
  assert.match(r.out, /scheduled "0 2 \* \* \*", next run \d{4}-\d\d-\d\dT02:00:00\.000Z/);
  assert.match(r.out, '    pageSize = 50\n');
  assert.match(r.out, '    http.timeoutMs = 30000\n');
  assert.match(r.out, '    http.maxBytes = 52428800 (default)\n');
  assert.match(r.out, '  warning: options.timeoutMs: deprecated spelling, write options.http.timeoutMs instead');
  assert.match(r.out, 'sources[1] "tour": OZCAR pivot file');
  assert.match(r.out, 'disabled: skipped by harvest and schedule unless named with --source');
  assert.match(r.out, `  warning: no such file (yet): ${fixture('feeds/TOUR_en.json')}`);
  assert.match(r.out, '  warning: options.fetch: deprecated spelling, write options.http instead');
  assert.match(r.out, '    http.headers = {"authorization":"Bearer x"}\n');
});

test('a broken file: exit 2, every problem of every source named, the valid ones still described, no stack trace', () => {
  const r = harvester('sources', 'check', '--sources', fixture('broken.json'));
  assert.is(r.code, 2);
  assert.match(r.out, '7 source(s), 6 invalid');
  assert.match(r.out, 'sources[0] "tour": OZCAR pivot file');
  assert.match(r.out, 'sources[2] "geobretagne": INVALID\n  problem: options.pagesize: unknown option, did you mean pageSize?');
  assert.match(r.err, 'is invalid (11 problem(s)):');
  assert.match(r.err, '  sources[3] "theia": options.items: must be one of "enrich", "index", "none" (got "indx"), did you mean "index"?');
  assert.not.match(r.err, /\n\s+at /); // no stack trace
});

test('harvest with a broken file: exit 2 before anything runs, every problem listed, no stack trace', () => {
  const r = harvester('harvest', '--sources', fixture('broken.json'), '--es', 'http://127.0.0.1:1');
  assert.is(r.code, 2);
  assert.match(r.err, '11 problems:');
  assert.match(r.err, 'sources[2] "geobretagne": options.pagesize: unknown option, did you mean pageSize?');
  assert.not.match(r.err, /\n\s+at /);
});

test('a missing file, a missing subcommand: one sentence, exit 2', () => {
  const missing = harvester('sources', 'check', '--sources', fixture('nope.json'));
  assert.is(missing.code, 2);
  assert.match(missing.err, /cannot read sources file .*nope\.json: no such file/);
  assert.is(harvester('sources', '--sources', fixture('nope.json')).code, 2);
  const typo = harvester('sources', 'chek', '--sources', fixture('deprecated.json'));
  assert.is(typo.code, 2);
  assert.match(typo.err, 'unknown subcommand "chek" (did you mean check?) (known: list, check)');
});

test('sources (list): one line per source with its schedule and next run, JSON or YAML alike; --json; invalid: exit 2', () => {
  for (const file of ['deprecated.json', 'deprecated.yaml']) {
    const r = harvester('sources', '--sources', fixture(file));
    assert.is(r.code, 0, r.err);
    const lines = r.out.trim().split('\n');
    assert.is(lines[0], `${fixture(file)}: 3 source(s)`);
    assert.match(lines[1], /^ID\s+TYPE\s+SCHEDULE\s+NEXT RUN \(UTC\)\s+URL$/);
    assert.match(lines[2], /^pycsw\s+csw\s+0 2 \* \* \*\s+\d{4}-\d\d-\d\dT02:00:00\.000Z\s+http:\/\/127\.0\.0\.1:8000\/csw$/);
    assert.match(lines[3], /^tour\s+ozcar\s+-\s+disabled\s+\//);
    assert.match(lines[4], /^catalog\s+stac\s+-\s+on demand\s+https:\/\/example\.org\/catalog\.json$/);
    assert.equal(harvester('sources', 'list', '--sources', fixture(file)).out, r.out);
  }
  const json = harvester('sources', '--json', '--sources', fixture('deprecated.yaml'));
  assert.is(json.code, 0, json.err);
  const rows = json.out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.equal(
    rows.map((r) => [r.id, r.type, r.enabled, r.schedule ?? null]),
    [
      ['pycsw', 'csw', true, '0 2 * * *'],
      ['tour', 'ozcar', false, null],
      ['catalog', 'stac', true, null],
    ],
  );
  const next = Date.parse(rows[0].nextRun as string);
  assert.ok(next > Date.now() && next <= Date.now() + 24 * 3600_000);
  const broken = harvester('sources', '--sources', fixture('broken.yaml'));
  assert.is(broken.code, 2);
  assert.match(broken.err, 'is invalid (11 problem(s)); harvester sources check says more:');
  assert.match(broken.err, '  sources[2] "geobretagne": options.pagesize: unknown option, did you mean pageSize? (line 13)');
  assert.is(harvester('sources', 'check', '--json', '--sources', fixture('deprecated.json')).code, 2);
});

test('check says how each source runs and how it deletes: incremental, fullEvery and deletionGrace, defaults said', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sources-check-'));
  try {
    const file = join(dir, 'sources.json');
    writeFileSync(
      file,
      JSON.stringify({
        sources: [
          { id: 'geo', type: 'csw', url: 'http://127.0.0.1:8000/csw' },
          { id: 'now', type: 'csw', url: 'http://127.0.0.1:8000/csw', deletionGrace: '0', fullEvery: '1d' },
          { id: 'whole', type: 'csw', url: 'http://127.0.0.1:8000/csw', incremental: false, deletionGrace: '2w' },
        ],
      }),
    );
    const r = harvester('sources', 'check', '--sources', file);
    assert.is(r.code, 0, r.err);
    const [geo, now, whole] = r.out.split(/\n(?=sources\[)/).slice(1);
    assert.match(
      geo,
      '  runs incremental where the source can say what changed (incremental true, default), a full run at least every 7d (fullEvery, default); a record missing from a full run is withdrawn for 7d before it is purged (deletionGrace 7d, default)\n',
    );
    assert.match(now, 'a full run at least every 1d (fullEvery); a record missing from a full run is deleted at once (deletionGrace 0)\n');
    assert.match(
      whole,
      '  every run full (incremental false); a record missing from a full run is withdrawn for 2w before it is purged (deletionGrace 2w)\n',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
