/**
 * The records of a validation report kept in a file, not in memory: each record's report is appended, as it comes, to
 * a temporary NDJSON file (in os.tmpdir(), removed by `close()`, and at exit if something ends the process first); in
 * memory stays only what the report's order and summary need per record: its sort key (status, MQA points,
 * identifier), its F-UJI points, its format, whether it has blocking errors (the JUnit suites' counts) and where its
 * line is in the file (about 270 bytes of heap a record, measured). The formatters then read the records back in the
 * report's order (the worst first), in batches, one at a time: memory stays flat with the catalogue's size, apart from
 * those few values per record. Given what its formatter reads of a record (trim.ts), the file keeps only that.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forget, removeAtExit } from '../../core/exit-cleanup.js';
import { fairJson } from '../../mappings/fair/index.js';
import { SummaryTally } from './summary.js';
import type { RecordKey, RecordReport, RecordStatus, ReportRecords, ReportSummary } from './types.js';

/** Records read back together (one buffer per batch). */
const READ_BATCH = 256;
/** Bytes of lines gathered before they are written to the file. */
const WRITE_BYTES = 1 << 20;

const RANK: Record<RecordStatus, number> = { error: 0, warnings: 1, ok: 2 };
const STATUS: RecordStatus[] = ['error', 'warnings', 'ok'];

/**
 * JSON.stringify(r), to the byte, its FAIR assessment written by fairJson: the text of the assessment's shared parts
 * (most of a record's JSON) made once, not once per record.
 */
export function reportJson(r: RecordReport): string {
  let out = '{';
  const o = r as unknown as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    const v = o[k];
    if (v === undefined) continue;
    out += (out.length > 1 ? ',' : '') + JSON.stringify(k) + ':' + (k === 'fair' ? fairJson(v) : JSON.stringify(v));
  }
  return out + '}';
}

export class ReportSpool implements ReportRecords {
  /** The folder holding the file (removed with it). */
  readonly dir: string;
  readonly path: string;
  private fd: number | undefined;
  // per record, by arrival: the sort key (rank, MQA points or -1, identifier), F-UJI points, format, line in the file
  private readonly rank: number[] = [];
  private readonly mqa: number[] = [];
  private readonly fuji: number[] = [];
  private readonly ids: string[] = [];
  private readonly format: number[] = [];
  private readonly errors: boolean[] = [];
  private readonly offset: number[] = [];
  private readonly length: number[] = [];
  private readonly formats: (string | undefined)[] = [];
  private readonly formatIndex = new Map<string | undefined, number>();
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private size = 0;
  private firstAssessed = -1;
  private order: number[] | undefined;
  private readonly tally: SummaryTally;

  /**
   * Opens an empty spool; `failUnder` is counted in the summary; `reads`: what the formatter reads of a record (its
   * `...Reads`), the only part of it written to the file (default: all of it).
   */
  constructor(
    failUnder?: number,
    private readonly reads?: (r: RecordReport) => RecordReport,
  ) {
    this.tally = new SummaryTally(failUnder);
    this.dir = mkdtempSync(join(tmpdir(), 'hub-report-'));
    // the folder of a spool not closed yet is removed at exit (a signal handler that calls process.exit included)
    removeAtExit(this.dir);
    this.path = join(this.dir, 'records.ndjson');
    this.fd = openSync(this.path, 'w+');
  }

  get count(): number {
    return this.ids.length;
  }

  /** The report's order between records i and j (by arrival): errors, then warnings, then ok; fewer MQA points first; by identifier. */
  private compare(i: number, j: number): number {
    const a = this.ids[i];
    const b = this.ids[j];
    return this.rank[i] - this.rank[j] || this.mqa[i] - this.mqa[j] || (a < b ? -1 : a > b ? 1 : 0);
  }

  /** Appends a record's report. */
  add(r: RecordReport): void {
    if (this.order) throw new Error('the report spool is finished: no record can be added');
    const i = this.ids.length;
    const line = Buffer.from(reportJson(this.reads ? this.reads(r) : r) + '\n');
    this.rank.push(RANK[r.status]);
    this.mqa.push(r.fair ? r.fair.mqa.points : -1);
    this.fuji.push(r.fair ? r.fair.fuji.points : 0);
    // a fresh copy (lone surrogates kept): an identifier cut from a file's text would otherwise keep the text alive
    this.ids.push(JSON.parse(JSON.stringify(r.id)) as string);
    let f = this.formatIndex.get(r.format);
    if (f === undefined) this.formatIndex.set(r.format, (f = this.formats.push(r.format) - 1));
    this.format.push(f);
    this.errors.push(r.errors.length > 0);
    this.offset.push(this.size + this.pendingBytes);
    this.length.push(line.length - 1);
    let first = false;
    if (r.fair) {
      first = this.firstAssessed < 0 || this.compare(i, this.firstAssessed) < 0;
      if (first) this.firstAssessed = i;
    }
    this.tally.add(r, first);
    this.pending.push(line);
    this.pendingBytes += line.length;
    if (this.pendingBytes >= WRITE_BYTES) this.flush();
  }

  private flush(): void {
    if (!this.pendingBytes) return;
    const buf = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.pendingBytes);
    for (let at = 0; at < buf.length;) at += writeSync(this.openFd(), buf, at, buf.length - at, this.size + at);
    this.size += buf.length;
    this.pending = [];
    this.pendingBytes = 0;
  }

  private openFd(): number {
    if (this.fd === undefined) throw new Error('the report spool is closed');
    return this.fd;
  }

  /** Ends the adding: the records are put in the report's order; the summary. */
  finish(): ReportSummary {
    this.flush();
    if (!this.order) {
      this.order = Array.from({ length: this.ids.length }, (_, i) => i);
      this.order.sort((i, j) => this.compare(i, j));
    }
    const assessed = this.order.filter((i) => this.mqa[i] >= 0);
    return this.tally.summary(
      assessed.map((i) => this.mqa[i]),
      assessed.map((i) => this.fuji[i]),
    );
  }

  private sorted(): number[] {
    if (!this.order) throw new Error('the report spool is not finished: call finish() first');
    return this.order;
  }

  private key(i: number): RecordKey {
    return {
      status: STATUS[this.rank[i]],
      ...(this.mqa[i] >= 0 ? { points: this.mqa[i] } : {}),
      ...(this.formats[this.format[i]] !== undefined ? { format: this.formats[this.format[i]] } : {}),
      errors: this.errors[i],
    };
  }

  *keys(): Generator<RecordKey> {
    for (const i of this.sorted()) yield this.key(i);
  }

  /** The lines of the records (by arrival) in `which`, read from the file a batch at a time. */
  private *lines(which: Iterable<number>): Generator<string> {
    let batch: number[] = [];
    const read = (): string[] => {
      let total = 0;
      for (const i of batch) total += this.length[i];
      const buf = Buffer.allocUnsafe(total);
      const out: string[] = [];
      let at = 0;
      for (const i of batch) {
        const end = at + this.length[i];
        for (let p = at; p < end;) {
          const n = readSync(this.openFd(), buf, p, end - p, this.offset[i] + (p - at));
          if (n === 0) throw new Error(`the report spool ${this.path} is shorter than what was written`);
          p += n;
        }
        out.push(buf.toString('utf8', at, end));
        at = end;
      }
      batch = [];
      return out;
    };
    for (const i of which) {
      batch.push(i);
      if (batch.length >= READ_BATCH) yield* read();
    }
    if (batch.length) yield* read();
  }

  *json(): Generator<string> {
    yield* this.lines(this.sorted());
  }

  *records(only?: (key: RecordKey) => boolean): Generator<RecordReport> {
    const order = this.sorted();
    const which = only ? order.filter((i) => only(this.key(i))) : order;
    for (const line of this.lines(which)) yield JSON.parse(line) as RecordReport;
  }

  /** Closes and removes the file (again: nothing). */
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    rmSync(this.dir, { recursive: true, force: true });
    forget(this.dir);
  }
}
