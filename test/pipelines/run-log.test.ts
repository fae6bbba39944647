/**
 * The end-of-run line of the JSON log (non-TTY: cron, systemd, CI) stays small whatever the run: a real harvest of a
 * CSW of our own (test/helpers/fault-csw.ts) where three records in four fail, into the real node. The line carries the
 * counts, status and duration, the first failures and where the rest is (the failure report, the run by its id).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { harvestAll } from '../../pipelines/harvest-all.js';
import { createLogger } from '../../pipelines/log.js';
import { getRun, LOG_FAILURES } from '../../pipelines/runs.js';
import { faultyCsw, generatedRecords } from '../helpers/fault-csw.js';
import { deleteIndices, esClient, tempIndexName } from '../helpers/services.js';

const client = await esClient();
const reports = mkdtempSync(join(tmpdir(), 'hub-run-log-'));
test.after(async () => {
  rmSync(reports, { recursive: true, force: true });
  await deleteIndices(client, 'test-run-log-*');
});

test('a run with 1,500 failed records ends with one log line of a few KB: counts, status, first failures, the report', async () => {
  const alias = tempIndexName('run-log');
  const records = generatedRecords(2000);
  const csw = await faultyCsw({ records, pageCap: 100 });
  for (const r of records.slice(0, 1500)) csw.spoil(r.id, 'no-identification');
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  try {
    const log = createLogger({ json: true, stream: stream as unknown as NodeJS.WritableStream, level: 'info' });
    const [s] = await harvestAll([{ id: 'many', type: 'csw', url: csw.url, options: { pageSize: 100 } }], { client, alias }, log, {
      reportDir: reports,
      mapWorkers: 0,
    });
    assert.equal([s.status, s.seen, s.indexed, s.failed], ['partial', 2000, 500, 1500]);
    const ends = lines.filter((l) => (JSON.parse(l) as { summary?: unknown }).summary !== undefined);
    assert.is(ends.length, 1);
    const [line] = ends;
    assert.ok(line.length < 3000, `the end-of-run line is ${line.length} characters`);
    const end = JSON.parse(line) as { msg: string; status: string; runId: string; summary: Record<string, unknown> };
    assert.is(end.status, 'partial');
    // every count as the run has it (the consumers of summary.* read the same fields)
    for (const k of ['seen', 'mapped', 'indexed', 'new', 'restored', 'updated', 'unchanged', 'deleted', 'failed', 'skipped', 'ms'] as const)
      assert.is(end.summary[k], s[k], k);
    assert.equal(end.summary.failuresByStage, s.failuresByStage);
    // the first failures, and where the others are
    const failures = end.summary.failures as { id?: string; stage: string; error: string }[];
    assert.is(failures.length, LOG_FAILURES);
    assert.equal(
      failures.map((f) => f.id),
      s.failures
        .filter((f) => !f.skipped)
        .slice(0, LOG_FAILURES)
        .map((f) => f.id),
    );
    assert.is(end.summary.failuresOmitted, s.failed - LOG_FAILURES);
    assert.is(end.summary.reportFile, s.reportFile);
    assert.is(readFileSync(s.reportFile!, 'utf8').trim().split('\n').length, 1500, 'the report has every one');
    assert.is((await getRun(client, alias, end.runId))?.failed, s.failed, 'the run document, by its id');
    assert.is(end.summary.notices, s.notices.length + (s.noticesOmitted ?? 0));
    assert.not.ok('validators' in end.summary);
    // the whole summary is many times the line (the command prints it on stdout, the run document keeps it)
    assert.ok(JSON.stringify(s).length > 4 * line.length, `${JSON.stringify(s).length} vs ${line.length}`);
    // no line of the run's log is longer
    assert.ok(Math.max(...lines.map((l) => l.length)) <= line.length + 200);
  } finally {
    await csw.close();
  }
});

test.run();
