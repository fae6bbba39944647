/**
 * The `sources` command: `sources check` reads a sources file, checks every source and its options without running
 * anything, and says what each source would do (type, URL, schedule and next run, effective options with their
 * defaults, deprecated spellings). Exit 0 when the file is valid, 2 when it is not.
 */
import { existsSync } from 'node:fs';
import { UsageError } from '../../core/result.js';
import { DEFAULT_MAX_RUN_MS } from '../../pipelines/harvest.js';
import { DELETION_DEFAULTS } from '../../pipelines/remove-stale.js';
import { checkSourcesFile, nextRun, type SourceConfig, type SourceReport } from '../../pipelines/sources.js';
import type { Values } from './args.js';

const TYPE_NAMES: Record<string, string> = {
  csw: 'CSW catalogue',
  stac: 'static STAC catalogue',
  'stac-api': 'STAC API',
  ozcar: 'OZCAR pivot file',
};

/** What one run of the source may remove and how long it may take (docs/runs.md), defaults said. */
function runLimits(s: SourceConfig): string {
  const ratio = s.maxDeleteRatio ?? DELETION_DEFAULTS.maxDeleteRatio;
  const minutes = s.maxRunMinutes ?? DEFAULT_MAX_RUN_MS / 60_000;
  return (
    `each run removes at most ${Math.round(ratio * 100)}% of its records (maxDeleteRatio ${ratio}${s.maxDeleteRatio === undefined ? ', default' : ''})` +
    `${s.maxDeleteCount !== undefined ? ` and at most ${s.maxDeleteCount} (maxDeleteCount)` : ''}, and takes at most ${minutes} minutes (maxRunMinutes${s.maxRunMinutes === undefined ? ', default' : ''})`
  );
}

function describe(r: SourceReport): string[] {
  const lines: string[] = [];
  const s = r.source;
  if (!s) {
    lines.push(`${r.where}: INVALID`);
    for (const p of r.problems) lines.push(`  problem: ${p}`);
  } else {
    lines.push(`${r.where}: ${TYPE_NAMES[s.type] ?? s.type} ${s.url}${s.name ? ` ("${s.name}")` : ''}`);
    const when = s.schedule
      ? `scheduled "${s.schedule}", next run ${nextRun(s.schedule)?.toISOString() ?? 'never'}`
      : 'no schedule: harvested on demand only';
    if (!/^[a-z]+:\/\//i.test(s.url) && !existsSync(s.url.replace(/^file:\/\//i, '')))
      lines.push(`  warning: no such file (yet): ${s.url}`);
    lines.push(`  ${s.enabled === false ? 'disabled: skipped by harvest and schedule unless named with --source; ' : ''}${when}`);
    lines.push(`  ${runLimits(s)}`);
  }
  if (r.options.length) {
    lines.push('  options:');
    for (const o of r.options) lines.push(`    ${o.path} = ${JSON.stringify(o.value)}${o.isDefault ? ' (default)' : ''}`);
  }
  for (const w of r.warnings) lines.push(`  warning: ${w}`);
  return lines;
}

/** Runs `harvester sources check`; returns the exit status (0 valid, 2 invalid). */
export function sourcesCommand(positionals: string[], values: Values): number {
  const [sub, ...extra] = positionals;
  if (sub !== 'check')
    throw new UsageError(sub === undefined ? 'sources needs a subcommand: check' : `unknown subcommand "${sub}" (known: check)`);
  if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}" (give the file with --sources FILE)`);
  const file = (values.sources as string | undefined) ?? process.env.HUB_SOURCES ?? 'sources.json';
  const report = checkSourcesFile(file);
  const out: string[] = [];
  const invalid = report.sources.filter((r) => !r.source).length;
  if (report.sources.length === 0 && report.problems.length) {
    process.stderr.write(`harvester sources check: ${report.problems.join('\n')}\n`);
    return 2;
  }
  out.push(
    `${file}: ${report.sources.length} source(s)${invalid ? `, ${invalid} invalid` : ', all valid'}${report.warnings.length ? `, ${report.warnings.length} warning(s)` : ''}`,
    '',
  );
  for (const r of report.sources) out.push(...describe(r), '');
  process.stdout.write(out.join('\n'));
  if (report.problems.length) {
    process.stderr.write(
      `harvester sources check: ${file} is invalid (${report.problems.length} problem(s)):\n${report.problems.map((p) => '  ' + p).join('\n')}\n`,
    );
    return 2;
  }
  return 0;
}
