/**
 * The `map` command: records in local files -> JSON-LD documents, one per line (NDJSON) on stdout, each with its
 * @context inline so that it expands without network. On stderr, one tab-separated line per failed record, per
 * warning (what a crosswalk forgave or guessed) and per notice of the readers it used (file, identifier, "warning" /
 * "notice" / the failed stage, message): what a data centre checking its feed needs to read.
 */
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import type { Failure } from '../../core/result.js';
import { UsageError } from '../../core/result.js';
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

/** What `map` prints, in order: a record's result (once its batch is mapped), a failure, a line of stderr. */
type Entry = { kind: 'record'; raw: RawRecord } | { kind: 'failure'; failure: Failure } | { kind: 'line'; line: string };

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
  // what is printed, in the files' order, waits here while its records gather into a batch, which is mapped stage by
  // stage (pipelines/map.ts mapRecords: a quarter less CPU than one record at a time)
  let queue: Entry[] = [];
  let records = 0;
  const flush = async () => {
    const results = mapRecords(
      queue.flatMap((e) => (e.kind === 'record' ? [e.raw] : [])),
      { harvestedAt },
    );
    let k = 0;
    for (const e of queue) {
      if (e.kind === 'line') {
        err(e.line);
        continue;
      }
      const result = e.kind === 'failure' ? e.failure : results[k++];
      if (!result.ok) {
        failed++;
        err(failureLine(result));
        continue;
      }
      if (e.kind !== 'record') continue; // (only a record maps)
      ok++;
      if (!out.write(recordJson(result.record) + '\n')) await new Promise((r) => out.once('drain', r));
      for (const w of result.warnings ?? []) {
        warnings++;
        const id = e.raw.id ?? result.record.identifier;
        if (!opts.quiet) err(`${field(e.raw.location)}\t${field(id)}\twarning\t${field(warningLine(w))}\n`);
      }
    }
    queue = [];
    records = 0;
  };
  // a batch is mapped once it holds BATCH records, or once what waits with them (notices, failures) is that long
  const push = async (e: Entry) => {
    queue.push(e);
    if (e.kind === 'record') records++;
    if (records >= BATCH || queue.length >= 4 * BATCH) await flush();
  };
  // files read ahead on the thread pool when another core can read them, else each in its turn
  const ahead = availableParallelism() > 1 ? undefined : 0;
  for await (const { input, text } of prefetchFiles(inputs(args), (i) => ('file' in i ? i.file : undefined), ahead)) {
    if ('missing' in input) {
      failed++;
      await push({ kind: 'line', line: `${field(input.missing)}\t-\tfetch\t${field(input.why)}\n` });
      continue;
    }
    const file = input.file;
    try {
      for await (const item of text ? itemsFromText(file, await text, opts.source) : itemsFromFile(file, opts.source)) {
        if (item.kind === 'notice') {
          if (item.notice.level === 'warn') warnings++;
          if (!opts.quiet)
            await push({
              kind: 'line',
              line: `${field(file)}\t-\t${item.notice.level === 'warn' ? 'warning' : 'notice'}\t${field(item.notice.message)}\n`,
            });
          continue;
        }
        if (item.kind === 'failure') {
          await push({ kind: 'failure', failure: item.failure });
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
        await push({ kind: 'record', raw: item.raw });
      }
    } catch (e) {
      failed++;
      await push({ kind: 'line', line: `${field(file)}\t-\tfetch\t${field((e as Error).message)}\n` });
    }
  }
  await flush();
  if (!opts.quiet) {
    const skipped = again ? `, ${again} reached twice (printed once)` : '';
    err(`${ok} mapped, ${failed} failed, ${warnings} warning${warnings === 1 ? '' : 's'}${skipped}\n`);
  }
  return failed > 0 ? 1 : 0;
}
