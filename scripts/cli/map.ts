/**
 * The `map` command: records in local files -> JSON-LD documents, one per line (NDJSON) on stdout, each with its
 * @context inline so that it expands without network. One line per failed record on stderr.
 */
import type { Failure } from '../../core/result.js';
import { itemsFromFile } from '../../pipelines/files.js';
import { mapRecord } from '../../pipelines/map.js';
import { withContext } from '../../schemas/jsonld.js';

function failureLine(f: Failure): string {
  return `${f.location ?? f.source}\t${f.id ?? '-'}\t${f.stage}\t${f.skipped ? 'skipped: ' : ''}${f.error}\n`;
}

/** Runs `harvester map`; returns the exit status (0 all mapped, 1 any failed). */
export async function runMapCommand(files: string[], opts: { source: string; quiet?: boolean }): Promise<number> {
  const harvestedAt = new Date().toISOString();
  let ok = 0;
  let failed = 0;
  const out = process.stdout;
  for (const file of files) {
    try {
      for await (const item of itemsFromFile(file, opts.source)) {
        if (item.kind === 'notice') continue;
        const result = item.kind === 'failure' ? item.failure : mapRecord(item.raw, { harvestedAt });
        if (result.ok) {
          ok++;
          if (!out.write(JSON.stringify(withContext(result.record)) + '\n')) await new Promise((r) => out.once('drain', r));
        } else {
          failed++;
          process.stderr.write(failureLine(result));
        }
      }
    } catch (err) {
      failed++;
      process.stderr.write(`${file}\t-\tfetch\t${(err as Error).message}\n`);
    }
  }
  if (!opts.quiet) process.stderr.write(`${ok} mapped, ${failed} failed\n`);
  return failed > 0 ? 1 : 0;
}
