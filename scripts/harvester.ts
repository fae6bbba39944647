#!/usr/bin/env node
/**
 * `harvester`: the command line. Thin: parses arguments, then calls the pipelines.
 *   harvester map FILE...        map records in files to JSON-LD (NDJSON on stdout)
 *   harvester validate SOURCE... check a feed: errors, warnings and where, FAIR scores, reports
 *   harvester harvest            harvest configured sources (or one URL) into Elasticsearch
 *   harvester demo               start a local Elasticsearch and the bundled sample sources, harvest them
 *   harvester runs               the latest runs of each source
 *   harvester search             query the index by text, place, time and theme
 *   harvester serve              the HTTP server over the index, and the harvest service (schedules, triggers)
 *   harvester run SOURCE         harvest one source now (on the running server, or here)
 *   harvester status             every source at a glance
 */
import { spawn } from 'node:child_process';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { createLogger } from '../pipelines/log.js';
import { nearest } from '../core/nearest.js';
import { UsageError } from '../core/result.js';

/**
 * V8 optimises a function once it has run a budget of bytecode (its "interrupt budget", 132 KB by default). Three
 * times that for every command: the commands' hot code (the ISO readers, the XML tree builder, the validator) is
 * then compiled by TurboFan once its type feedback has settled, rather than early and again after deoptimisations.
 * Measured on `harvester map` of 2,700 ISO files pinned to one core (scripts/bench/validate.ts): 20% less CPU
 * (TurboFan's compile thread shares that core); a run long enough to reach its steady state is not slower. A budget
 * given to node (`--interrupt-budget`, NODE_OPTIONS) is kept.
 * Not for `serve`: a server runs for days, and there the larger budget costs: its request path (fastify, the
 * Elasticsearch client, the search answer) spent about 10% more CPU per request at its steady state, each function
 * that deoptimises now and then staying longer in baseline code (scripts/bench/api-overhead.ts, docs/search.md).
 */
if (
  process.argv[2] !== 'serve' &&
  !process.execArgv.some((a) => a.startsWith('--interrupt-budget')) &&
  !/interrupt-budget/.test(process.env.NODE_OPTIONS ?? '')
)
  setFlagsFromString('--interrupt-budget=400000');

/**
 * A command: its help, its options and what its arguments are. `args` is how it reads words that are not options:
 * 'files' (map), 'query' (search: the words are the text) or 'none' (any word is a usage error); unset, the command
 * reads its positionals itself (e.g. a sub-command).
 */
interface Command {
  summary: string;
  usage: string;
  options: ParseArgsConfig['options'];
  args?: 'none' | 'files' | 'query';
  run: (a: Args) => Promise<number>;
}
const COMMANDS: Record<string, Command> = {};
type Args = { values: Record<string, string | boolean | string[] | undefined>; positionals: string[] };

const COMMON_ES = {
  es: { type: 'string' as const },
  alias: { type: 'string' as const },
};
const ES_HELP = `  --es URL            Elasticsearch URL (default: $ES_URL or http://127.0.0.1:9200)
  --alias NAME        alias of the records index (default: $HUB_INDEX or hub-records)`;

COMMANDS.map = {
  summary: 'map ISO/CSW, STAC and OZCAR files to JSON-LD records (NDJSON on stdout)',
  usage: `harvester map [--source ID] [--quiet] FILE|FOLDER|- ...

Reads ISO 19139 / 19115-2 / 19115-3 records or CSW responses (a file may hold many records), STAC files (a catalog,
walked from its root; a collection; an item; an API page of items or collections) and OZCAR pivot files, and prints
one JSON-LD document per record per line (NDJSON) on stdout, each with its @context inline.

A FOLDER is read with all its sub-folders (its *.xml and *.json files); "-" reads file or folder names from standard
input, one per line (e.g. find ... | harvester map -). Give a folder rather than thousands of names: npx joins its
arguments into one string, and the system refuses one over 128 KB.

On stderr, one tab-separated line per problem: file, identifier ("-" when unknown), then "warning" and what was
forgiven or guessed, "notice" and what a reader of the source said, or the stage that failed and why; then a
summary line.

  --source ID         source id used in record ids (default: "file"; lower-case letters, digits, - and _)
  --quiet             only failures on stderr: no warnings, notices or summary line

Exit status: 0 all mapped (warnings or not), 1 some record failed, 2 usage error (e.g. no such file).`,
  options: { source: { type: 'string' }, quiet: { type: 'boolean' } },
  args: 'files',
  run: async ({ values, positionals }) => {
    if (positionals.length === 0) throw new UsageError('map needs at least one FILE, FOLDER or - (names on standard input)');
    const { runMapCommand } = await import('./cli/map.js');
    return runMapCommand(positionals, { source: (values.source as string | undefined) ?? 'file', quiet: values.quiet === true });
  },
};

COMMANDS.validate = {
  summary: 'check a feed before it is harvested: errors, warnings and where, FAIR scores (MQA, F-UJI), reports for CI',
  usage: `harvester validate SOURCE... [--type TYPE] [--format text|json|html|junit] [--out FILE] [--links] [--xsd [--strict]]
                   [--fail-under POINTS] [--thesaurus FILE] [--allow HOST|RANGE]... [--source ID] [--verbose] [--lang fr|en]

What the hub would make of each record, without touching the index (no Elasticsearch needed). SOURCE is a file, a
folder (its *.xml and *.json files, sub-folders included), "-" (file or folder names on standard input), or a URL: a CSW
endpoint, a STAC catalogue or API, an OZCAR pivot file, read by the same harvesters as "harvest".

For each record: its blocking errors, its warnings with WHERE they belong in its own format (ISO element path, STAC
field, OZCAR JSON Pointer), the DCAT-AP mandatory values it lacks, and its FAIR assessment under data.europa.eu's MQA
(405 points; excellent, good, sufficient, bad) and the F-UJI metrics v0.5, with what to add and where. A summary first.

  --type TYPE         what a URL is: csw | stac | stac-api | ozcar | resto | auto (default auto: by its answer)
  --format F          text (default; colour on a terminal) | json (schemas/validation-report.schema.json) |
                      junit (one test case per record, for GitLab or Jenkins) | html (one self-contained page)
  --out FILE          write the report there (default: standard output)
  --links             check that the records' links answer (HEAD, then a one-byte GET; the MQA accessibility
                      indicators and F-UJI A1-03D); without it they are reported as not checked, not failed
  --xsd               validate ISO records against the ISO 19139 / 19115-3 XML schemas shipped with the hub (offline)
  --strict            with --xsd: XML schema errors are blocking errors (default: warnings)
  --fail-under P      a record under P MQA points (0-405) makes the exit status 1
  --thesaurus FILE    the Theia/OZCAR thesaurus as SKOS (Turtle, N-Triples, RDF/XML) to check OZCAR categories
                      against (default: the category IRIs known from the public Theia/OZCAR code and data)
  --allow HOST|RANGE  a host or address range the link checks may reach although it is not public (repeatable;
                      e.g. --allow 10.0.0.0/8), added to HUB_SSRF_ALLOW's; the hosts of the SOURCE URLs given are allowed
  --source ID         source id in the record ids (default "validate")
  --verbose           the text report lists the records without problems too
  --lang fr|en        the language of the HTML report (default en); the other formats are for machines or logs

Exit status: 0 when no record has a blocking error (and none is under --fail-under), 1 otherwise or when the sources
hold no record at all, 2 usage error.`,
  options: {
    type: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string' },
    links: { type: 'boolean' },
    xsd: { type: 'boolean' },
    strict: { type: 'boolean' },
    'fail-under': { type: 'string' },
    thesaurus: { type: 'string' },
    allow: { type: 'string', multiple: true },
    source: { type: 'string' },
    verbose: { type: 'boolean' },
    lang: { type: 'string' },
  },
  args: 'files',
  run: async ({ values, positionals }) => (await import('./cli/validate.js')).validateCommand(values, positionals),
};

COMMANDS.harvest = {
  summary: 'harvest the configured sources (or one URL) into Elasticsearch',
  usage: `harvester harvest [--sources FILE] [--source ID]... | --url URL --type TYPE [--id ID]

Harvests every enabled source of the sources file (or only those named with --source, or one URL), maps, validates
and indexes the records, removes those a source no longer has (only after a complete harvest, within the deletion
guard), and prints a summary per source. Each run takes its source's lock (a second harvest of the same source,
here or on another machine, is refused, or waits with --wait) and is recorded as it goes in <alias>-runs
(docs/runs.md). SIGINT or SIGTERM lets the runs under way end for the grace, then abandons them (recorded as
interrupted); a second signal abandons them at once.

  --sources FILE      sources file, JSON or YAML (default: $HUB_SOURCES, else sources.json, else sources.yaml)
  --source ID         only this source (repeatable)
  --url URL           harvest this endpoint (or local file) instead of the sources file
  --type TYPE         with --url: csw | stac | stac-api | ozcar | resto | dcat (default: csw)
  --id ID             with --url: the source id, prefix of every record id (default: the file's name without its
                      extension, or the URL's host: the summary says which)
  --max-delete-ratio R  largest share of a source's records one run may remove (default: the source's
                      maxDeleteRatio, else 0.1; 1: no limit, and a source may be emptied)
  --max-delete-count N  most records one run may remove (default: the source's maxDeleteCount, else no count)
  --wait              when another run holds a source's lock, wait for it (default: refuse that source)
  --full              a full run of each source (every record asked for, deletions reconciled), even where an
                      incremental one is due (docs/incremental.md)
  --remap             map every record again, even those whose raw record is the one indexed (after a crosswalk fix)
  --grace SECONDS     how long a stop lets the runs under way end by themselves (default 30)
  --report-dir DIR    where failure reports (and the runs the index could not record) go (default: .cache/reports)
${ES_HELP}

Runs are incremental by default: a CSW source is asked only for the records modified since its last successful run,
with a full run at least every "fullEvery" (default 7d); a record missing from a complete full run is withdrawn
(hidden, reported deleted by OAI-PMH) and purged after the source's "deletionGrace" (default 7d) unless it comes back.

Exit status: 0 all sources ok, 1 some record or source failed, a run is suspect (deletions held back by the guard),
was refused or interrupted, 2 usage error.`,
  options: {
    sources: { type: 'string' },
    source: { type: 'string', multiple: true },
    url: { type: 'string' },
    type: { type: 'string' },
    id: { type: 'string' },
    'max-delete-ratio': { type: 'string' },
    'max-delete-count': { type: 'string' },
    wait: { type: 'boolean' },
    full: { type: 'boolean' },
    remap: { type: 'boolean' },
    grace: { type: 'string' },
    'report-dir': { type: 'string' },
    ...COMMON_ES,
  },
  args: 'none',
  run: async (args) => (await import('./cli/harvest.js')).harvestCommand(args.values, createLogger()),
};

COMMANDS.schedule = {
  summary: 'harvest each source at the times its cron "schedule" says, until stopped',
  usage: `harvester schedule [--sources FILE] [--source ID]... [--parallel N]

Runs in the foreground (under systemd, a container or tmux): every enabled source of the sources file that has a
"schedule" (cron expression, e.g. "0 2 * * *") is harvested at those times; a run still under way is never started
again (nor while another process holds the source's lock). Runs left "running" by a process that died are marked
aborted when it starts. SIGINT or SIGTERM stops scheduling and lets the runs under way end for the grace, then
abandons them (recorded as interrupted); a second signal abandons them at once.

  --sources FILE      sources file, JSON or YAML (default: $HUB_SOURCES, else sources.json, else sources.yaml)
  --source ID         only this source (repeatable)
  --parallel N        sources harvested at the same time at most (default 1)
  --max-delete-ratio R  largest share of a source's records one run may remove (default: the source's
                      maxDeleteRatio, else 0.1; 1: no limit)
  --max-delete-count N  most records one run may remove (default: the source's maxDeleteCount, else no count)
  --grace SECONDS     how long a stop lets the runs under way end by themselves (default 30)
  --report-dir DIR    where failure reports (and the runs the index could not record) go (default: .cache/reports)
${ES_HELP}`,
  options: {
    sources: { type: 'string' },
    source: { type: 'string', multiple: true },
    parallel: { type: 'string' },
    'max-delete-ratio': { type: 'string' },
    'max-delete-count': { type: 'string' },
    grace: { type: 'string' },
    'report-dir': { type: 'string' },
    ...COMMON_ES,
  },
  args: 'none',
  run: async (args) => (await import('./cli/harvest.js')).scheduleCommand(args.values, createLogger()),
};

COMMANDS.demo = {
  summary: 'start a local Elasticsearch and the bundled sample sources, and harvest them',
  usage: `harvester demo [--records N] [--csw-port N] [--host HOST] [--port N] [--no-serve]

Fetches and starts a local Elasticsearch 8 node (unless $ES_URL answers), starts the bundled sample sources (a pycsw
CSW server with sample ISO records, a static STAC catalogue, an OZCAR pivot file), harvests them, prints a summary,
then serves the hub over HTTP in the foreground (as "harvester serve") and says where: /health, /oai (OAI-PMH) and
/catalog (DCAT-AP). Ctrl-C stops the server.

  --records N         generated ISO records added to the sample CSW (default 200)
  --csw-port N        port of the sample CSW on 127.0.0.1 (default 8765; keep it from one demo to the next: the
                      records keep the address they were harvested from, so a second demo changes nothing)
  --host HOST         address the hub is served on (default: $HUB_HOST or 127.0.0.1)
  --port N            port the hub is served on (default: $HUB_PORT or 8080; 0 picks a free one)
  --no-serve          stop after the harvest (tests, CI): nothing stays up but Elasticsearch
${ES_HELP}`,
  options: {
    records: { type: 'string' },
    'csw-port': { type: 'string' },
    host: { type: 'string' },
    port: { type: 'string' },
    'no-serve': { type: 'boolean' },
    ...COMMON_ES,
  },
  args: 'none',
  run: async (args) => (await import('./demo.js')).demoCommand(args.values, createLogger()),
};

COMMANDS.runs = {
  summary: 'show the latest harvest runs: what ran, when, what changed, what failed',
  usage: `harvester runs [SOURCE | --source ID] [--limit N]

The latest runs, newest first (kept in the index <alias>-runs): when each started and how long it took, the source
id, its status (running, ok, partial, suspect, failed, interrupted, aborted: docs/runs.md) and counts (seen,
indexed, new, updated, unchanged, deleted, failed, skipped), then each run's failed step, warnings, first failures
and failure report. Runs left "running" by a process that died are marked aborted first.

  --source ID         only the runs of this source: its history with dates (its id, as in the sources file; also
                      given as the one word: harvester runs SOURCE)
  --limit N           how many runs (default 20, at most 1000)
${ES_HELP}

Exit status: 0, 1 when Elasticsearch cannot be read, 2 usage error (e.g. a source with no runs).`,
  options: { source: { type: 'string' }, limit: { type: 'string' }, ...COMMON_ES },
  run: async ({ values, positionals }) => {
    if (positionals.length > 1) throw new UsageError(`runs takes one SOURCE at most, got: ${positionals.join(' ')}`);
    if (positionals.length === 1 && values.source !== undefined && values.source !== positionals[0])
      throw new UsageError(`give the source once: "${positionals[0]}" or --source ${String(values.source)}, not both`, '--source');
    const source = positionals[0] ?? values.source;
    return (await import('./cli/query.js')).runsCommand({ ...values, source });
  },
};

COMMANDS.status = {
  summary: 'every source at a glance: last run, status, counts, first error, next run, FAIR average',
  usage: `harvester status [--json] [--sources FILE] [--server URL]

One line per source (those of the sources file, then those only known from their runs): its last run (start in UTC,
duration), its status (or "running" / "queued" under a service) and counts (seen, new, updated, unchanged, deleted,
failed), its next scheduled run ("on demand" without a schedule), the average MQA points (0-405) of its indexed
records and their most frequent rating; then, per source, its first error, its last skipped slot and its FAIR figures
(MQA and F-UJI averages, the rating distribution). The same as GET /status of "harvester serve".

  --json              one JSON object per source (the objects of GET /status)
  --sources FILE      sources file, JSON or YAML (default: $HUB_SOURCES, else sources.json, else sources.yaml)
  --server URL        ask a running "harvester serve" (default: $HUB_URL; unset: read the index)
${ES_HELP}

Exit status: 0, 1 when Elasticsearch or the server cannot be read, 2 usage error.`,
  options: { json: { type: 'boolean' }, sources: { type: 'string' }, server: { type: 'string' }, ...COMMON_ES },
  args: 'none',
  run: async (args) => (await import('./cli/status.js')).statusCommand(args.values),
};

COMMANDS.run = {
  summary: 'harvest one source now: on the running server (--server) or in this process',
  usage: `harvester run SOURCE [--wait] [--server URL] [--sources FILE] [--grace SECONDS]

With a server (--server URL, else $HUB_URL): asks the running "harvester serve" to harvest SOURCE now (POST
/sources/SOURCE/run, with the operator token of $HUB_OPERATOR_TOKEN), prints the run id; --wait follows the run to
its end and prints its summary. The server refuses when the source's run is already queued or under way (exit 1).

Without a server: harvests SOURCE of the sources file in this process (as "harvest" does for one source), disabled
sources included; --wait waits for the source's lock when another run holds it (default: refused).

  --wait              server: follow the run to its end; here: wait for the source's lock
  --server URL        the hub's URL (default: $HUB_URL)
  --sources FILE      sources file, JSON or YAML (default: $HUB_SOURCES, else sources.json, else sources.yaml)
  --grace SECONDS     here: how long a stop lets the run end by itself (default 30)
  --report-dir DIR    here: where failure reports go (default: .cache/reports)
${ES_HELP}

Exit status: 0 asked (or, with --wait or here, the run ended ok), 1 the run did not end ok or was refused, 2 usage
error (unknown source, no token or a refused one).`,
  options: {
    wait: { type: 'boolean' },
    server: { type: 'string' },
    sources: { type: 'string' },
    grace: { type: 'string' },
    'report-dir': { type: 'string' },
    ...COMMON_ES,
  },
  run: async ({ values, positionals }) => (await import('./cli/run.js')).runCommand(values, positionals, createLogger()),
};

COMMANDS.search = {
  summary: 'search the index by text, place, time and theme',
  usage: `harvester search [TEXT] [--bbox W,S,E,N] [--from DATE] [--to DATE] [--theme IRI] [--keyword K]... [--type T]... [--filter CQL2]
                 [--source ID]... [--sort relevance|date|title] [--size N] [--page P] [--json]

Every condition given must hold. Prints the number of records found and one page of them (identifier and title),
sorted by relevance when there is a text, else by title. The same search as GET /search (docs/search.md).

  TEXT, --q TEXT      full text (accent- and case-insensitive, French and English plurals): every word required,
                      "a phrase" in quotes, word* for words beginning so, -word to leave out; when nothing matches
                      as typed, words one or two letters away are searched (and the answer says so).
                      "search couverture du sol" is "search --q 'couverture du sol'"
  --bbox W,S,E,N      records whose extent intersects this box, in degrees (west > east crosses the antimeridian)
  --from, --to DATE   records whose time extent overlaps this period: YYYY, YYYY-MM, YYYY-MM-DD or a date-time
                      (a year or a month is the whole of it); either end may be left open
  --theme IRI         records with this theme (a concept IRI or its label)
  --keyword K         records with this keyword, in any case (repeatable: any of them)
  --type T            dataset, series or service (repeatable: any of them)
  --source ID         only records of this source id (repeatable: any of them)
  --filter CQL2       a CQL2 text filter on the queryables of OGC API - Records (docs/ogc-api-records.md), e.g.
                      --filter "type = 'dataset' AND T_AFTER(time, DATE('2015-01-01'))"
  --sort S            relevance (default with a text), date (newest modification first), title (default otherwise)
  --size N            records per page (default 10, at most 1000)
  --page P            which page (default 1): --size 10 --page 3 shows records 21 to 30
  --json              print the page's records as NDJSON (one JSON-LD record per line), without the count
${ES_HELP}

Exit status: 0 (found or not), 1 when Elasticsearch cannot be read, 2 usage error.`,
  options: {
    q: { type: 'string' },
    bbox: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    theme: { type: 'string' },
    keyword: { type: 'string', multiple: true },
    type: { type: 'string', multiple: true },
    sort: { type: 'string' },
    source: { type: 'string', multiple: true },
    filter: { type: 'string' },
    size: { type: 'string' },
    page: { type: 'string' },
    json: { type: 'boolean' },
    ...COMMON_ES,
  },
  args: 'query',
  run: async (args) => (await import('./cli/query.js')).searchCommand(args.values, args.positionals),
};

COMMANDS.serve = {
  summary: "run the hub's HTTP server over the index until stopped",
  usage: `harvester serve [--host HOST] [--port N] [--public-url URL] [--report-dir DIR] [--sources FILE] [--no-schedule]
                [--max-runs N] [--host-requests N] [--host-delay MS] [--grace SECONDS]

Serves the hub over HTTP, reading the index, in the foreground (under systemd, a container or tmux) until SIGTERM
or SIGINT, which let the requests under way finish. GET /health says whether the index answers and what it holds;
GET /search searches it (docs/search.md); /ogcapi is OGC API - Records (docs/ogc-api-records.md); /openapi.json
describes every route. GET /oai is OAI-PMH 2.0 (docs/oai-pmh.md); GET /catalog and /records/{id} the DCAT-AP catalogue
(docs/dcat.md). One log line per request (JSON when stderr is not a terminal). On a cluster, the connection (ES_URL with
several nodes, credentials, TLS) comes from the environment: docs/production.md.

With a sources file (--sources, $HUB_SOURCES, or sources.json / sources.yaml in the working folder) it is also the
harvest service (docs/service.md): each enabled source with a cron "schedule" is harvested at those times, at most
--max-runs runs at once, one run per source (a slot that comes while its previous run still goes is skipped, said in
the log and recorded in the history as "skipped"), --host-requests requests in flight per host for all runs
together. POST /sources/{id}/run (operator token) and "harvester run SOURCE" given the server's URL start a run now;
GET /status and "harvester status" show every source at a glance. A stop lets the runs under way write what they have
received (recorded interrupted, nothing removed), for the grace at most; a second signal abandons them at once.

  --host HOST         address to listen on (default: $HUB_HOST or 127.0.0.1; 0.0.0.0 for every interface)
  --port N            port (default: $HUB_PORT or 8080; 0 picks a free one, said in the log)
  --public-url URL    base URL that links are written with behind a reverse proxy (default: $HUB_PUBLIC_URL, else
                      each request's own scheme and Host)
  --report-dir DIR    folder of the failure reports that the operators' page links to, and where the runs write
                      them (default: .cache/reports, where harvest writes them)
  --sources FILE      sources file, JSON or YAML (default: $HUB_SOURCES, else sources.json, else sources.yaml if
                      there; none: no harvests)
  --no-schedule       do not run the schedules: manual runs only
  --max-runs N        runs at the same time at most (default: $HUB_MAX_RUNS, else 2)
  --host-requests N   requests in flight to one host at most, all runs together (default: $HUB_HOST_REQUESTS, else 4)
  --host-delay MS     least time between the starts of two requests to one host (default: $HUB_HOST_DELAY_MS, else 0)
  --grace SECONDS     how long a stop lets the runs under way write what they have (default 30)
${ES_HELP}

Pages for people: /catalogue (search by words, map box, period and facets; record pages), /operators (every
source's last harvest and its history); in French and English (docs/pages.md).

Write endpoints need the operator token: set HUB_OPERATOR_TOKEN in the environment and send
"Authorization: Bearer <token>"; without it, they are disabled (403).

Exit status: 0 after a stop, 1 on an unexpected error, 2 usage error (e.g. the port is taken).`,
  options: {
    host: { type: 'string' },
    port: { type: 'string' },
    'public-url': { type: 'string' },
    'report-dir': { type: 'string' },
    sources: { type: 'string' },
    'no-schedule': { type: 'boolean' },
    'max-runs': { type: 'string' },
    'host-requests': { type: 'string' },
    'host-delay': { type: 'string' },
    grace: { type: 'string' },
    ...COMMON_ES,
  },
  args: 'none',
  run: async (args) => (await import('./cli/serve.js')).serveCommand(args.values, createLogger()),
};

COMMANDS.sources = {
  summary: 'list the configured sources with their schedule and next run, or check a sources file',
  usage: `harvester sources [list] [--sources FILE] [--json]
harvester sources check [--sources FILE]

The sources file is JSON or YAML (by its extension, .json / .yaml / .yml; otherwise JSON when it starts with { or [,
else YAML); a problem in a YAML file is said with its line.

list (the default) prints one line per source: its id, type, cron schedule, next run (UTC; "on demand" without a
schedule, "disabled" when "enabled": false) and URL; --json prints one JSON object per source instead.

check checks every source of the file and its options, without running anything, and says what each would do: its
type and URL, its schedule and next run, its options as they take effect (defaults included), deprecated spellings.

  --sources FILE      sources file, JSON or YAML (default: $HUB_SOURCES, else sources.json, else sources.yaml)
  --json              list: one JSON object per source (id, type, name, url, enabled, schedule, nextRun)

Exit status: 0 valid, 2 invalid (every problem of every source named on stderr).`,
  options: { sources: { type: 'string' }, json: { type: 'boolean' } },
  run: async ({ values, positionals }) => (await import('./cli/sources.js')).sourcesCommand(positionals, values),
};

COMMANDS.remove = {
  summary: 'remove the records of a source that left the configuration (OAI-PMH reports them deleted)',
  usage: `harvester remove --source ID [--sources FILE] [--force]

Every record of the source leaves the index; a tombstone of each stays, so that OAI-PMH answers them with
status="deleted" (a Dataverse that harvested them deletes its copies) and /records/{id} answers 410 Gone. Refused
while the source is still in the sources file (its next harvest would bring its records back), unless --force.

  --source ID         the source id (as in the record ids, source:identifier)
  --sources FILE      sources file checked (default: $HUB_SOURCES or sources.json)
  --force             remove even though the sources file still names the source
${ES_HELP}

Exit status: 0, 1 when Elasticsearch cannot be read, 2 usage error.`,
  options: { source: { type: 'string' }, sources: { type: 'string' }, force: { type: 'boolean' }, ...COMMON_ES },
  args: 'none',
  run: async (args) => (await import('./cli/remove.js')).removeCommand(args.values, createLogger()),
};

COMMANDS.purge = {
  summary: 'purge the withdrawn records whose grace period has ended',
  usage: `harvester purge [--source ID]

A record missing from a complete full run of its source is withdrawn: hidden from search and exports, reported
deleted by OAI-PMH, kept for the source's "deletionGrace" (default 7d) in case it comes back. A later complete full
run purges those whose grace has ended; this command purges them now (all sources, or one).

  --source ID         only the withdrawn records of this source
${ES_HELP}

Exit status: 0, 1 when Elasticsearch cannot be read, 2 usage error.`,
  options: { source: { type: 'string' }, ...COMMON_ES },
  args: 'none',
  run: async (args) => (await import('./cli/purge.js')).purgeCommand(args.values, createLogger()),
};

COMMANDS.link = {
  summary: "link the copies of each dataset harvested from several sources again, with the sources file's ranking",
  usage: `harvester link [--sources FILE]

One dataset harvested from several sources (the same DOI, file identifier...) is listed once, by its primary copy
(docs/duplicates.md). Each harvest links its own records; this decides every group of copies in the index again, e.g.
after a change of the file's precedence or of a source's priority, without waiting for each source's next run.

  --sources FILE      sources file whose precedence and priorities rank the copies (default: $HUB_SOURCES or sources.json)
${ES_HELP}

Exit status: 0, 1 when Elasticsearch cannot be read, 2 usage error.`,
  options: { sources: { type: 'string' }, ...COMMON_ES },
  args: 'none',
  run: async (args) => (await import('./cli/link.js')).linkCommand(args.values, createLogger()),
};

COMMANDS.export = {
  summary: 'export the catalogue as DCAT-AP 3.0.1 (Turtle, RDF/XML, JSON-LD, N-Triples)',
  usage: `harvester export dcat [--format turtle|rdfxml|jsonld|ntriples] [--out FILE] [--source ID]... [--q TEXT]
                        [--bbox W,S,E,N] [--from DATE] [--to DATE] [--theme IRI] [--include-nonconforming]

Writes the records of the index as one DCAT-AP 3.0.1 catalogue: a dcat:Catalog (the hub identity: $HUB_IDENTITY,
docs/dcat.md), each record's DCAT-AP graph, a dcat:dataset or dcat:service link and a dcat:CatalogRecord for each.
Streamed from a point in time of the index: memory stays flat whatever the catalogue's size; a progress bar on a
terminal. Records lacking a DCAT-AP mandatory value (a dataset without description, a distribution without access
URL, a service without endpoint) are left out and counted per source and reason on stderr.

  --format F          turtle (default), rdfxml, jsonld or ntriples
  --out FILE          write to FILE (default: standard output)
  --source ID         only records of this source (repeatable)
  --q TEXT            full text, every word required (as harvester search)
  --bbox W,S,E,N      records whose extent intersects this box, in degrees
  --from, --to DATE   records whose time extent overlaps this period (YYYY, YYYY-MM, YYYY-MM-DD or a date-time)
  --theme IRI         records with this theme (a concept IRI or its label)
  --include-nonconforming   export the records lacking a mandatory value too
${ES_HELP}

Exit status: 0, 1 when Elasticsearch cannot be read, 2 usage error.`,
  options: {
    format: { type: 'string' },
    out: { type: 'string' },
    source: { type: 'string', multiple: true },
    q: { type: 'string' },
    bbox: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    theme: { type: 'string' },
    'include-nonconforming': { type: 'boolean' },
    ...COMMON_ES,
  },
  run: async ({ values, positionals }) => (await import('./cli/export.js')).exportCommand(positionals, values, createLogger()),
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
const LONG = new Set(['harvest', 'schedule', 'demo', 'serve', 'export', 'run']);

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
  const given =
    process.execArgv.some((a) => a.startsWith('--max-old-space-size')) || /max-old-space-size/.test(process.env.NODE_OPTIONS ?? '');
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

/** Whether stack traces are shown (LOG_LEVEL=debug): never for a user's mistake otherwise. */
const DEBUG = process.env.LOG_LEVEL === 'debug';

/** The one line of an error nobody expected (its stack too at LOG_LEVEL=debug). */
function unexpected(prefix: string, err: unknown): string {
  const e = err instanceof Error ? err : new Error(String(err));
  const line = `${prefix}: ${e.message.split('\n')[0] || e.name}`;
  return DEBUG && e.stack ? `${line}\n${e.stack}\n` : `${line}${e.message.includes('\n') ? ' (LOG_LEVEL=debug shows more)' : ''}\n`;
}

/**
 * One sentence for what node:util parseArgs refused (its own messages are long and quote oddly), naming the nearest
 * option of the command for an unknown one.
 */
export function parseError(err: unknown, command: string, options: NonNullable<ParseArgsConfig['options']>): UsageError {
  const e = err as Error & { code?: string };
  const known = ['--help', ...Object.keys(options).map((k) => `--${k}`)];
  const quoted = /'(-[^' ]+)/.exec(e.message)?.[1];
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && quoted) {
    const name = quoted.split('=')[0];
    const near = name.startsWith('--') || name.length > 2 ? nearest(name.startsWith('--') ? name : `-${name}`, known) : undefined;
    return new UsageError(
      `unknown option ${name}${near ? ` (did you mean ${near}?)` : ''}; harvester ${command} --help lists the options`,
      name,
    );
  }
  if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && quoted) {
    const name = quoted.split(' ')[0];
    if (/does not take an argument/.test(e.message)) return new UsageError(`${name} takes no value`, name);
    // "argument missing", or "ambiguous" (the next word is an option: "--url --type csw")
    return new UsageError(`${name} needs a value (e.g. ${name} VALUE, or ${name}=-VALUE for one that starts with "-")`, name);
  }
  return new UsageError(e.message.split('\n')[0]);
}

/** The words after a command that are not options, checked against what the command takes. */
function checkPositionals(name: string, command: Command, positionals: string[]): void {
  if (command.args !== 'none' || positionals.length === 0) return;
  const word = positionals[0];
  const hint =
    /^[a-z][a-z0-9+.-]*:\/\//i.test(word) || /[/\\.]/.test(word)
      ? ` (did you mean --url ${word}?)`
      : 'source' in (command.options ?? {})
        ? ` (did you mean --source ${word}?)`
        : '';
  throw new UsageError(`${name} takes no arguments, only options: got "${word}"${hint}`);
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
    const near = nearest(name, Object.keys(COMMANDS));
    // one sentence, as every usage mistake: the nearest command, else the list (harvester --help explains each)
    const hint = near
      ? `did you mean ${near}?`
      : `the commands are ${Object.keys(COMMANDS).join(', ')}; harvester --help says what each does`;
    process.stderr.write(`harvester: unknown command "${name}" (${hint})\n`);
    return 2;
  }
  const options = { ...command.options, help: { type: 'boolean' as const, short: 'h' } };
  // a value that starts with "-" and a digit ("--bbox -5.5,47,-1,49") is the option's value, not another option
  const valued = new Set(
    Object.entries(command.options ?? {})
      .filter(([, o]) => o.type === 'string')
      .map(([k]) => `--${k}`),
  );
  const argv2: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    if (valued.has(rest[i]) && /^-[\d.]/.test(rest[i + 1] ?? '')) argv2.push(`${rest[i]}=${rest[++i]}`);
    else argv2.push(rest[i]);
  }
  try {
    let args: Args;
    try {
      const parsed: Args = parseArgs({ args: argv2, options, allowPositionals: true });
      args = parsed;
    } catch (err) {
      throw parseError(err, name, options);
    }
    if (args.values.help) {
      process.stdout.write(command.usage + '\n');
      return 0;
    }
    checkPositionals(name, command, args.positionals);
    return await command.run(args);
  } catch (err) {
    if (err instanceof UsageError) {
      // one sentence, exit 2: the user has something to change, not a bug to report
      process.stderr.write(`harvester ${name}: ${err.message}\n${DEBUG && err.stack ? err.stack + '\n' : ''}`);
      return 2;
    }
    process.stderr.write(unexpected(`harvester ${name}`, err));
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(unexpected('harvester', err));
    process.exitCode = 1;
  },
);
