#!/usr/bin/env node
/**
 * `harvester`: the command line. Thin: parses arguments, then calls the pipelines.
 *   harvester map FILE...        map records in files to JSON-LD (NDJSON on stdout)
 *   harvester harvest            harvest configured sources (or one URL) into Elasticsearch
 *   harvester demo               start a local Elasticsearch and the bundled sample sources, harvest them
 *   harvester runs               the latest runs of each source
 *   harvester search             query the index by text, place, time and theme
 */
import { spawn } from 'node:child_process';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { createLogger } from '../pipelines/log.js';
import { UsageError } from '../core/result.js';

const COMMANDS: Record<string, { summary: string; usage: string; options: ParseArgsConfig['options']; run: (a: Args) => Promise<number> }> = {};
type Args = { values: Record<string, string | boolean | string[] | undefined>; positionals: string[] };

const COMMON_ES = {
  es: { type: 'string' as const },
  alias: { type: 'string' as const },
};
const ES_HELP = `  --es URL            Elasticsearch URL (default: $ES_URL or http://127.0.0.1:9200)
  --alias NAME        alias of the records index (default: $HUB_INDEX or hub-records)`;

COMMANDS.map = {
  summary: 'map ISO/CSW, STAC and OZCAR files to JSON-LD records (NDJSON on stdout)',
  usage: `harvester map [--source ID] FILE...

Reads ISO 19139 / 19115-2 / 19115-3 records or CSW responses (a file may hold many records), STAC files (a catalog,
a collection, an item, an API page of items or collections) and OZCAR pivot files, and prints one JSON-LD document (NDJSON) per
record per line on stdout, each with its @context inline. One line per failed record on stderr (file, identifier,
stage, message).

  --source ID         source id used in record ids (default: "file")
  --quiet             no summary line on stderr

Exit status: 0 all mapped, 1 some record failed, 2 usage error.`,
  options: { source: { type: 'string' }, quiet: { type: 'boolean' } },
  run: async ({ values, positionals }) => {
    if (positionals.length === 0) throw new UsageError('map needs at least one FILE');
    const { runMapCommand } = await import('./cli/map.js');
    return runMapCommand(positionals, { source: (values.source as string | undefined) ?? 'file', quiet: values.quiet === true });
  },
};

COMMANDS.harvest = {
  summary: 'harvest the configured sources (or one URL) into Elasticsearch',
  usage: `harvester harvest [--sources FILE] [--source ID]... | --url URL --type TYPE [--id ID]

Harvests every enabled source of the sources file (or only those named with --source, or one URL), maps, validates
and indexes the records, removes those a source no longer has (only after a complete harvest), and prints a summary.

  --sources FILE      sources file (default: $HUB_SOURCES or sources.json)
  --source ID         only this source (repeatable)
  --url URL           harvest this endpoint instead of the sources file
  --type TYPE         with --url: csw | stac | stac-api | ozcar (default: csw)
  --id ID             with --url: the source id (default: derived from the URL)
  --max-delete-ratio R  largest share of a source's records one run may remove (default 0.5)
  --report-dir DIR    where failure reports go (default: .cache/reports)
${ES_HELP}

Exit status: 0 all sources ok, 1 some record or source failed, 2 usage error.`,
  options: {
    sources: { type: 'string' },
    source: { type: 'string', multiple: true },
    url: { type: 'string' },
    type: { type: 'string' },
    id: { type: 'string' },
    'max-delete-ratio': { type: 'string' },
    'report-dir': { type: 'string' },
    ...COMMON_ES,
  },
  run: async (args) => (await import('./cli/harvest.js')).harvestCommand(args.values, createLogger()),
};

COMMANDS.schedule = {
  summary: 'harvest each source at the times its cron "schedule" says, until stopped',
  usage: `harvester schedule [--sources FILE] [--source ID]... [--parallel N]

Runs in the foreground (under systemd, a container or tmux): every enabled source of the sources file that has a
"schedule" (cron expression, e.g. "0 2 * * *") is harvested at those times; a run still under way is never started
again; SIGINT or SIGTERM stops scheduling and waits for the runs under way.

  --sources FILE      sources file (default: $HUB_SOURCES or sources.json)
  --source ID         only this source (repeatable)
  --parallel N        sources harvested at the same time at most (default 1)
  --max-delete-ratio R  as for harvest (default 0.5)
  --report-dir DIR    where failure reports go (default: .cache/reports)
${ES_HELP}`,
  options: {
    sources: { type: 'string' },
    source: { type: 'string', multiple: true },
    parallel: { type: 'string' },
    'max-delete-ratio': { type: 'string' },
    'report-dir': { type: 'string' },
    ...COMMON_ES,
  },
  run: async (args) => (await import('./cli/harvest.js')).scheduleCommand(args.values, createLogger()),
};

COMMANDS.demo = {
  summary: 'start a local Elasticsearch and the bundled sample sources, and harvest them',
  usage: `harvester demo [--records N]

Fetches and starts a local Elasticsearch 8 node (unless $ES_URL answers), starts the bundled sample sources (a pycsw
CSW server with sample ISO records, a static STAC catalogue, an OZCAR pivot file), harvests them and prints a summary.

  --records N         generated ISO records added to the sample CSW (default 200)
${ES_HELP}`,
  options: { records: { type: 'string' }, ...COMMON_ES },
  run: async (args) => (await import('./demo.js')).demoCommand(args.values, createLogger()),
};

COMMANDS.runs = {
  summary: 'show the latest harvest runs',
  usage: `harvester runs [--source ID] [--limit N]

  --source ID         only this source
  --limit N           how many runs (default 20)
${ES_HELP}`,
  options: { source: { type: 'string' }, limit: { type: 'string' }, ...COMMON_ES },
  run: async (args) => (await import('./cli/query.js')).runsCommand(args.values),
};

COMMANDS.search = {
  summary: 'search the index by text, place, time and theme',
  usage: `harvester search [--q TEXT] [--bbox W,S,E,N] [--from DATE] [--to DATE] [--theme IRI] [--source ID] [--size N] [--json]

  --q TEXT            full text (accent- and case-insensitive)
  --bbox W,S,E,N      records whose extent intersects this box (west > east crosses the antimeridian)
  --from, --to DATE   records whose time extent overlaps this period
  --theme IRI         records with this theme
  --json              print the records as NDJSON instead of a table
${ES_HELP}`,
  options: {
    q: { type: 'string' },
    bbox: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    theme: { type: 'string' },
    source: { type: 'string' },
    size: { type: 'string' },
    json: { type: 'boolean' },
    ...COMMON_ES,
  },
  run: async (args) => (await import('./cli/query.js')).searchCommand(args.values),
};

COMMANDS.sources = {
  summary: 'check a sources file and say what each source would do',
  usage: `harvester sources check [--sources FILE]

Checks every source of the sources file and its options, without running anything, and says what each would do: its
type and URL, its schedule and next run, its options as they take effect (defaults included), deprecated spellings.

  --sources FILE      sources file (default: $HUB_SOURCES or sources.json)

Exit status: 0 valid, 2 invalid.`,
  options: { sources: { type: 'string' } },
  run: async ({ values, positionals }) => (await import('./cli/sources.js')).sourcesCommand(positionals, values),
};

function mainHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return `harvester: metadata harvester and FAIR indexing pipeline (CSW/ISO 19115, STAC, OZCAR -> DCAT-AP -> Elasticsearch)

Usage: harvester COMMAND [options]   (harvester COMMAND --help for its options)

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`)
  .join('\n')}
`;
}

/** Commands that may run long over large catalogues. */
const LONG = new Set(['harvest', 'schedule', 'demo']);

/**
 * The node flags of a long command: old space `heap` MB, a young generation of 8 MB semi-spaces (the default 16 MB
 * ones, in the main thread, cost ~35 MB at no measurable gain in speed), and (in the environment) one malloc arena.
 * V8 otherwise lets its heap grow lazily towards a limit sized for the machine (gigabytes here), and each mapping
 * thread gets a glibc arena of its own. scripts/bin/harvester (the installed `harvester`) starts node with the same.
 */
function boundedNodeFlags(heap: string): string[] {
  return [`--max-old-space-size=${heap}`, '--max-semi-space-size=8'];
}

/**
 * When node was started without a heap size (`node dist/scripts/harvester.js harvest`), long commands relaunch
 * themselves in a child process with boundedNodeFlags. HUB_HEAP_MB sets the heap (default 256, enough for a 50 MB page
 * or pivot file); 0, or a heap size given to node (as scripts/bin/harvester does), runs in this process.
 * Measured on the 100k-record replay (scripts/bench/harvest.ts): ~540 MB peak unbounded, under 300 MB bounded.
 */
function relaunchBounded(name: string, argv: string[]): Promise<number> | undefined {
  const heap = process.env.HUB_HEAP_MB ?? '256';
  const given = process.execArgv.some((a) => a.startsWith('--max-old-space-size')) || /max-old-space-size/.test(process.env.NODE_OPTIONS ?? '');
  if (!LONG.has(name) || process.env.HUB_RELAUNCHED || heap === '0' || given) return undefined;
  if (!/^\d+$/.test(heap)) {
    process.stderr.write(`harvester: HUB_HEAP_MB must be a whole number of MB (0: node's default), got '${heap}'\n`);
    return Promise.resolve(2);
  }
  const child = spawn(process.execPath, [...boundedNodeFlags(heap), ...process.execArgv, process.argv[1], ...argv], {
    stdio: 'inherit',
    env: { ...process.env, HUB_RELAUNCHED: '1', MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '1' },
  });
  // Ctrl-C reaches the child from the terminal itself; a SIGTERM (systemd, docker stop) is passed on
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const relaunched = name && !rest.includes('--help') && !rest.includes('-h') ? relaunchBounded(name, argv) : undefined;
  if (relaunched) return relaunched;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(mainHelp());
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`harvester: unknown command "${name}"\n\n${mainHelp()}`);
    return 2;
  }
  // a value that starts with "-" and a digit ("--bbox -5.5,47,-1,49") is the option's value, not another option
  const valued = new Set(Object.entries(command.options ?? {}).filter(([, o]) => o.type === 'string').map(([k]) => `--${k}`));
  const argv2: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    if (valued.has(rest[i]) && /^-[\d.]/.test(rest[i + 1] ?? '')) argv2.push(`${rest[i]}=${rest[++i]}`);
    else argv2.push(rest[i]);
  }
  let args: Args;
  try {
    args = parseArgs({ args: argv2, options: { ...command.options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true }) as Args;
  } catch (err) {
    process.stderr.write(`harvester ${name}: ${(err as Error).message}\n\n${command.usage}\n`);
    return 2;
  }
  if (args.values.help) {
    process.stdout.write(command.usage + '\n');
    return 0;
  }
  try {
    return await command.run(args);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`harvester ${name}: ${(err as Error).message}\n\n${command.usage}\n`);
      return 2;
    }
    process.stderr.write(`harvester ${name}: ${(err as Error).message}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(String(err?.stack ?? err) + '\n');
    process.exitCode = 1;
  },
);
