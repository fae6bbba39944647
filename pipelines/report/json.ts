/**
 * The report as one JSON document (schemas/validation-report.schema.json), piece by piece: what comes before the
 * records, each record's JSON text as the spool holds it (re-indented when `indent` is given), then the exit status.
 * Joined, it is JSON.stringify(report, null, indent) to the byte.
 */
import type { ReportHead, ReportRecords } from './types.js';

export function* jsonReport(head: ReportHead, records: ReportRecords, indent?: number): Generator<string> {
  const { exitCode, ...before } = head;
  // the report with no record, cut where its records go (the last "records" key: only the exit status follows it)
  const empty = JSON.stringify({ ...before, records: [], exitCode }, null, indent);
  const at = empty.lastIndexOf('"records":') + '"records":'.length + (indent ? 1 : 0) + 1;
  yield empty.slice(0, at);
  // a record's own lines start two levels in; its text has no other line break (JSON escapes those in strings)
  const pad = indent ? '\n' + ' '.repeat(2 * indent) : '';
  let n = 0;
  for (const line of records.json())
    yield (n++ ? ',' : '') + (indent ? pad + JSON.stringify(JSON.parse(line), null, indent).replaceAll('\n', pad) : line);
  yield (n && indent ? '\n' + ' '.repeat(indent) : '') + empty.slice(at);
}
