/**
 * The `map` command: records in local files -> JSON-LD documents, one per line (NDJSON) on stdout, each with its
 * @context inline so that it expands without network. On stderr, one tab-separated line per failed record, per
 * warning (what a crosswalk forgave or guessed) and per notice of the readers it used (file, identifier, "warning" /
 * "notice" / the failed stage, message): what a data centre checking its feed needs to read.
 */
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import type { Failure, RecordResult } from '../../core/result.js';
import { inOrderBatches } from '../../core/batches.js';
import type { HubRecord } from '../../schemas/record.js';
import { HarvestError, UsageError } from '../../core/result.js';
import { itemsFromFile, itemsFromText, prefetchFiles } from '../../pipelines/files.js';
import { mapRecords } from '../../pipelines/map.js';
import type { RawRecord } from '../../harvesters/types.js';
import { recordJson } from '../../schemas/jsonld.js';
import { warningLine } from '../../core/warnings.js';
import { checkSourceId, inputs, pathKind } from './inputs.js';

/** Tab and newline would break the one-line, tab-separated form of stderr. */
function field(text: string): string {
  return text.replace(/[\t\r\n]+/g, ' ');
}

/** What `map` reads, in order: a record to map, a failure, a line of stderr. */
type Entry = { kind: 'record'; raw: RawRecord } | { kind: 'failure'; failure: Failure } | { kind: 'line'; line: string };
/** What `map` prints, in the same order: a record with its result once its batch is mapped, or what was read. */
type Printed = { kind: 'mapped'; raw: RawRecord; result: RecordResult<HubRecord> } | Exclude<Entry, { kind: 'record' }>;

/** Records mapped together (pipelines/map.ts mapRecords), as the pipeline's chunks. */
const BATCH = 25;

function failureLine(f: Failure): string {
  return `${field(f.location ?? f.source)}\t${field(f.id ?? '-')}\t${f.stage}\t${f.skipped ? 'skipped: ' : ''}${field(f.error)}\n`;
}

/** Runs `harvester map`; returns the exit status (0 all mapped, 1 any failed). */
export async function runMapCommand(args: string[], opts: { source: string; quiet?: boolean }): Promise<number> {
  checkSourceId(opts.source, '--source');
  if (args.filter((a) => a === '-').length > 1) throw new UsageError('"-" (names on standard input) may be given once');
  // every argument checked before anything is mapped: a typo is one usage error, not a failure after the rest ran
  for (const arg of args) if (arg !== '-') pathKind(arg);
  const harvestedAt = new Date().toISOString();
  let ok = 0;
  let failed = 0;
  let warnings = 0;
  let again = 0;
  // STAC records already printed, by where they came from: a folder holding a STAC catalog also holds the collections
  // and items its walk reached; each is printed once
  const printed = new Set<string>();
  const out = process.stdout;
  const err = (line: string) => process.stderr.write(line);
  // files read ahead on the thread pool when another core can read them, else each in its turn
  const ahead = availableParallelism() > 1 ? undefined : 0;
  // what is printed, in the files' order: lines of stderr, failures met reading, records to map
  async function* entries(): AsyncGenerator<Entry, void, undefined> {
    for await (const { input, text } of prefetchFiles(inputs(args), (i) => ('file' in i ? i.file : undefined), ahead)) {
      if ('missing' in input) {
        failed++;
        yield { kind: 'line', line: `${field(input.missing)}\t-\tfetch\t${field(input.why)}\n` };
        continue;
      }
      const file = input.file;
      try {
        for await (const item of text ? itemsFromText(file, await text, opts.source) : itemsFromFile(file, opts.source)) {
          if (item.kind === 'notice') {
            if (item.notice.level === 'warn') warnings++;
            if (!opts.quiet)
              yield {
                kind: 'line',
                line: `${field(file)}\t-\t${item.notice.level === 'warn' ? 'warning' : 'notice'}\t${field(item.notice.message)}\n`,
              };
            continue;
          }
          if (item.kind === 'failure') {
            yield { kind: 'failure', failure: item.failure };
            continue;
          }
          if (item.raw.format?.startsWith('stac-')) {
            const key = resolve(item.raw.location);
            if (printed.has(key)) {
              again++;
              continue;
            }
            printed.add(key);
          }
          yield { kind: 'record', raw: item.raw };
        }
      } catch (e) {
        failed++;
        const stage = e instanceof HarvestError ? e.stage : 'fetch'; // a file read but not parsed: 'parse'
        yield { kind: 'line', line: `${field(file)}\t-\t${stage}\t${field((e as Error).message)}\n` };
      }
    }
  }
  // records mapped BATCH at a time, stage by stage (pipelines/map.ts mapRecords: a quarter less CPU than one record at
  // a time), what came between them held in its place (core/batches.ts)
  const printing = inOrderBatches(entries(), {
    member: (e: Entry) => (e.kind === 'record' ? e.raw : undefined),
    work: async (raws: RawRecord[]): Promise<Printed[]> =>
      mapRecords(raws, { harvestedAt }).map((result, i) => ({ kind: 'mapped', raw: raws[i], result })),
    alone: (e: Entry) => e as Printed,
    size: BATCH,
    window: 1,
    holdLone: true,
  });
  for await (const e of printing) {
    if (e.kind === 'line') {
      err(e.line);
      continue;
    }
    const result = e.kind === 'failure' ? e.failure : e.result;
    if (!result.ok) {
      failed++;
      err(failureLine(result));
      continue;
    }
    if (e.kind !== 'mapped') continue; // (a failure is never ok)
    ok++;
    if (!out.write(recordJson(result.record) + '\n')) await new Promise((r) => out.once('drain', r));
    for (const w of result.warnings ?? []) {
      warnings++;
      const id = e.raw.id ?? result.record.identifier;
      if (!opts.quiet) err(`${field(e.raw.location)}\t${field(id)}\twarning\t${field(warningLine(w))}\n`);
    }
  }
  if (!opts.quiet) {
    const skipped = again ? `, ${again} reached twice (printed once)` : '';
    err(`${ok} mapped, ${failed} failed, ${warnings} warning${warnings === 1 ? '' : 's'}${skipped}\n`);
  }
  return failed > 0 ? 1 : 0;
}
