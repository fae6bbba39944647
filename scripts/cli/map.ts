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
import { mapRecord } from '../../pipelines/map.js';
import { recordJson } from '../../schemas/jsonld.js';
import { warningLine } from '../../core/warnings.js';
import { checkSourceId, inputs, pathKind } from './inputs.js';

/** Tab and newline would break the one-line, tab-separated form of stderr. */
function field(text: string): string {
  return text.replace(/[\t\r\n]+/g, ' ');
}

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
  for await (const { input, text } of prefetchFiles(inputs(args), (i) => ('file' in i ? i.file : undefined), ahead)) {
    if ('missing' in input) {
      failed++;
      err(`${field(input.missing)}\t-\tfetch\t${field(input.why)}\n`);
      continue;
    }
    const file = input.file;
    try {
      for await (const item of text ? itemsFromText(file, await text, opts.source) : itemsFromFile(file, opts.source)) {
        if (item.kind === 'notice') {
          if (item.notice.level === 'warn') warnings++;
          if (!opts.quiet)
            err(`${field(file)}\t-\t${item.notice.level === 'warn' ? 'warning' : 'notice'}\t${field(item.notice.message)}\n`);
          continue;
        }
        if (item.kind === 'record' && item.raw.format?.startsWith('stac-')) {
          const key = resolve(item.raw.location);
          if (printed.has(key)) {
            again++;
            continue;
          }
          printed.add(key);
        }
        const result = item.kind === 'failure' ? item.failure : mapRecord(item.raw, { harvestedAt });
        if (result.ok) {
          ok++;
          if (!out.write(recordJson(result.record) + '\n')) await new Promise((r) => out.once('drain', r));
          for (const w of result.warnings ?? []) {
            warnings++;
            const where = item.kind === 'record' ? item.raw.location : file;
            const id = (item.kind === 'record' ? item.raw.id : undefined) ?? result.record.identifier;
            if (!opts.quiet) err(`${field(where)}\t${field(id)}\twarning\t${field(warningLine(w))}\n`);
          }
        } else {
          failed++;
          err(failureLine(result));
        }
      }
    } catch (e) {
      failed++;
      err(`${field(file)}\t-\tfetch\t${field((e as Error).message)}\n`);
    }
  }
  if (!opts.quiet) {
    const skipped = again ? `, ${again} reached twice (printed once)` : '';
    err(`${ok} mapped, ${failed} failed, ${warnings} warning${warnings === 1 ? '' : 's'}${skipped}\n`);
  }
  return failed > 0 ? 1 : 0;
}
