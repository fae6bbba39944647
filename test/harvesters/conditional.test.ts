/** The pure parts of incremental asking: conditional answers, the STAC CQL2 filter, resto's version, the plan per type. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Stats } from 'node:fs';
import { conditionalHeaders, fileAnswer, fileUnchanged, httpAnswer } from '../../harvesters/conditional.js';
import type { FetchResult } from '../../harvesters/http.js';
import { versionAtLeast } from '../../harvesters/resto/index.js';
import { sinceTimestamp } from '../../harvesters/since.js';
import { updatedFilter } from '../../harvesters/stac/filter.js';
import { planFromHistory, sourceForPlan } from '../../pipelines/incremental.js';
import type { RunSummary } from '../../pipelines/runs.js';
import type { SourceConfig } from '../../pipelines/sources.js';
import { MAPPING_VERSION } from '../../mappings/es-index.js';

const res = (o: Partial<FetchResult>): FetchResult => ({
  status: 200,
  url: 'http://h/f.json',
  contentType: '',
  text: '{}',
  attempts: 1,
  ...o,
});

test('conditional answers: 304 keeps the last validator (new headers over it); the same hash is unchanged; no last validator, never unchanged', () => {
  const prev = { url: 'http://h/f.json', etag: '"a"', hash: 'x' };
  assert.equal(conditionalHeaders(prev), { etag: '"a"' });
  assert.is(conditionalHeaders({ url: 'u', hash: 'x' }), undefined, 'a hash alone sends nothing');
  assert.equal(httpAnswer(prev.url, res({ status: 304, notModified: true, text: '', etag: '"a"' }), prev), {
    validator: prev,
    unchanged: 'HTTP 304 Not Modified',
  });
  const first = httpAnswer(prev.url, res({ text: '{"a":1}', lastModified: 'Sun, 01 Nov 2026 00:00:00 GMT' }), undefined);
  assert.is(first.unchanged, undefined);
  assert.equal(Object.keys(first.validator).sort(), ['hash', 'lastModified', 'url']);
  assert.is(httpAnswer(prev.url, res({ text: '{"a":1}' }), first.validator).unchanged, 'the same content hash');
  assert.is(httpAnswer(prev.url, res({ text: '{"a":2}' }), first.validator).unchanged, undefined);
  const st = { mtime: new Date('2026-12-01T00:00:00Z'), size: 7 } as Stats;
  const read = fileAnswer('/f.json', st, '{"a":1}', undefined);
  assert.equal(read.validator, { url: '/f.json', mtime: '2026-12-01T00:00:00.000Z', size: 7, hash: first.validator.hash });
  assert.is(fileUnchanged(st, read.validator)?.unchanged, 'the same modification time and size');
  assert.is(fileUnchanged({ ...st, size: 8 }, read.validator), undefined);
  assert.is(fileUnchanged(st, undefined), undefined);
});

test('the STAC filter on updated (CQL2 text and JSON), the since timestamp, resto versions', () => {
  assert.is(sinceTimestamp('2024-05-31'), '2024-05-31T00:00:00.000Z');
  assert.equal(updatedFilter({ since: '2024-05-31T00:00:00.000Z', lang: 'cql2-text', at: 'items' }), {
    lang: 'cql2-text',
    value: "updated >= TIMESTAMP('2024-05-31T00:00:00.000Z')",
  });
  assert.equal(updatedFilter({ since: 'T', lang: 'cql2-json', at: 'search' }).value, {
    op: '>=',
    args: [{ property: 'updated' }, { timestamp: 'T' }],
  });
  assert.ok(versionAtLeast('9.7.0', [9, 7]) && versionAtLeast('10.1.0', [9, 7]) && versionAtLeast('v9.8', [9, 7]));
  assert.not.ok(versionAtLeast('9.6.2', [9, 7]) || versionAtLeast('8.0', [9, 7]) || versionAtLeast('x', [9, 7]));
});

test("the plan of a document source: conditional with the last successful run's validators and count; full without validators", () => {
  const source: SourceConfig = { id: 'oz', type: 'ozcar', url: '/data/f.json' };
  const now = new Date('2026-12-05T12:00:00Z');
  const validators = [{ url: '/data/f.json', hash: 'h', mtime: '2026-12-01T00:00:00.000Z', size: 10 }];
  const ran = (o: Partial<RunSummary>) =>
    ({
      startedAt: '2026-12-04T02:00:00Z',
      status: 'ok',
      mode: 'full',
      end: { complete: true },
      mappingVersion: MAPPING_VERSION,
      indexed: 8,
      ...o,
    }) as RunSummary;
  const p = planFromHistory(source, [ran({ status: 'failed', validators: [] }), ran({ validators })], { now });
  assert.equal([p.mode, p.validators, p.records, p.since], ['incremental', validators, 8, undefined]);
  assert.equal(sourceForPlan(source, p).options, { conditional: { validators } });
  const none = planFromHistory(source, [ran({})], { now });
  assert.is(none.mode, 'full');
  assert.match(none.reason, /kept no validators/);
  assert.is(sourceForPlan(source, none), source);
  // STAC API and resto: since, in updatedSince; configured, kept
  const api: SourceConfig = { id: 'a', type: 'stac-api', url: 'http://h/' };
  const q = planFromHistory(api, [ran({})], { now });
  assert.equal(sourceForPlan(api, q).options, { updatedSince: q.since });
  assert.equal(planFromHistory({ ...api, options: { updatedSince: '2024-01-01' } }, [], { now }), {
    mode: 'incremental',
    reason: 'the source configures updatedSince',
    since: '2024-01-01',
  });
  assert.is(planFromHistory({ ...api, type: 'stac' }, [ran({})], { now }).mode, 'full');
});

test.run();
