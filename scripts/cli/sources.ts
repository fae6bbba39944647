/**
 * The `sources` command (JSON or YAML sources files alike):
 * - `sources` (or `sources list`): one line per source: id, type, schedule and next run, URL (`--json`: one JSON object
 *   per source);
 * - `sources check`: checks every source and its options without running anything, and says what each source would do
 *   (type, URL, schedule and next run, effective options with their defaults, deprecated spellings).
 * Both read the file the same way and exit 2, naming every problem, when it is invalid; 0 otherwise.
 */
import { existsSync } from 'node:fs';
import { UsageError } from '../../core/result.js';
import { nearest } from '../../core/nearest.js';
import { DEFAULT_MAX_RUN_MS } from '../../pipelines/harvest.js';
import { DELETION_DEFAULTS } from '../../pipelines/remove-stale.js';
import {
  checkSourcesFile,
  nextRun,
  RUN_DEFAULTS,
  type SourceConfig,
  type SourceReport,
  type SourcesReport,
} from '../../pipelines/sources.js';
import { parseDuration } from '../../core/duration.js';
import { sourcesFile, type Values } from './args.js';

const TYPE_NAMES: Record<string, string> = {
  csw: 'CSW catalogue',
  stac: 'static STAC catalogue',
  'stac-api': 'STAC API',
  ozcar: 'OZCAR pivot file',
  resto: 'resto / OpenSearch-EO catalogue',
  dcat: 'DCAT catalogue',
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

/** What the source's runs ask for and how a record it no longer has leaves the index (docs/incremental.md), defaults said. */
function runModes(s: SourceConfig): string {
  const d = (field: 'incremental' | 'fullEvery' | 'deletionGrace') => (s[field] === undefined ? ', default' : '');
  const grace = s.deletionGrace ?? RUN_DEFAULTS.deletionGrace;
  const runs =
    (s.incremental ?? RUN_DEFAULTS.incremental)
      ? `runs incremental where the source can say what changed (incremental true${d('incremental')}), a full run at least every ${s.fullEvery ?? RUN_DEFAULTS.fullEvery} (fullEvery${d('fullEvery')})`
      : `every run full (incremental false)`;
  const removal = parseDuration(grace)
    ? `a record missing from a full run is withdrawn for ${grace} before it is purged (deletionGrace ${grace}${d('deletionGrace')})`
    : `a record missing from a full run is deleted at once (deletionGrace ${grace})`;
  return `${runs}; ${removal}`;
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
    lines.push(`  ${runModes(s)}`);
  }
  if (r.options.length) {
    lines.push('  options:');
    for (const o of r.options) lines.push(`    ${o.path} = ${JSON.stringify(o.value)}${o.isDefault ? ' (default)' : ''}`);
  }
  for (const w of r.warnings) lines.push(`  warning: ${w}`);
  return lines;
}

/** What a source's schedule says: the cron expression and its next run, or why it has none. */
function scheduleOf(s: SourceConfig): { schedule?: string; next?: string; note?: string } {
  if (s.enabled === false) return { ...(s.schedule ? { schedule: s.schedule } : {}), note: 'disabled' };
  if (!s.schedule) return { note: 'on demand' };
  const next = nextRun(s.schedule);
  return { schedule: s.schedule, ...(next ? { next: next.toISOString() } : { note: 'never' }) };
}

/** `harvester sources [list]`: the sources with their schedule and next run, as a table or JSON lines. */
function listSources(file: string, report: SourcesReport, json: boolean): number {
  const valid = report.sources.filter((r) => r.source).map((r) => r.source!);
  if (json) {
    const lines = valid.map((s) => {
      const when = scheduleOf(s);
      return JSON.stringify({
        id: s.id,
        type: s.type,
        ...(s.name ? { name: s.name } : {}),
        url: s.url,
        enabled: s.enabled !== false,
        ...(when.schedule ? { schedule: when.schedule } : {}),
        ...(when.next ? { nextRun: when.next } : {}),
      });
    });
    process.stdout.write(lines.join('\n') + (lines.length ? '\n' : ''));
  } else {
    const rows = [
      ['ID', 'TYPE', 'SCHEDULE', 'NEXT RUN (UTC)', 'URL'],
      ...valid.map((s) => {
        const when = scheduleOf(s);
        return [s.id, s.type, when.schedule ?? '-', when.next ?? when.note ?? '-', s.url];
      }),
    ];
    const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
    const table = rows.map((r) =>
      r
        .map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c])))
        .join('  ')
        .trimEnd(),
    );
    process.stdout.write(`${file}: ${valid.length} source(s)\n${table.join('\n')}\n`);
  }
  return 0;
}

/** Runs `harvester sources [list|check]`; returns the exit status (0 valid, 2 invalid). */
export function sourcesCommand(positionals: string[], values: Values): number {
  const [sub = 'list', ...extra] = positionals;
  if (sub !== 'check' && sub !== 'list') {
    const near = nearest(sub, ['list', 'check']);
    throw new UsageError(`unknown subcommand "${sub}"${near ? ` (did you mean ${near}?)` : ''} (known: list, check)`);
  }
  if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}" (give the file with --sources FILE)`);
  if (values.json && sub === 'check') throw new UsageError('--json goes with sources list', '--json');
  const file = sourcesFile(values);
  const report = checkSourcesFile(file);
  if (report.sources.length === 0 && report.problems.length) {
    process.stderr.write(`harvester sources ${sub}: ${report.problems.join('\n')}\n`);
    return 2;
  }
  if (sub === 'list') {
    if (report.problems.length) {
      process.stderr.write(
        `harvester sources list: ${file} is invalid (${report.problems.length} problem(s)); harvester sources check says more:\n${report.problems.map((p) => '  ' + p).join('\n')}\n`,
      );
      return 2;
    }
    return listSources(file, report, values.json === true);
  }
  const out: string[] = [];
  const invalid = report.sources.filter((r) => !r.source).length;
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
