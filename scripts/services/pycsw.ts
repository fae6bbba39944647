/**
 * A real CSW server (pycsw 2.6.2, from the Python venv) serving a given set of ISO records, for harvester tests
 * and benchmarks. Each server has its own temp folder (INI config, SQLite repository, log), its own free port on
 * 127.0.0.1, and is killed when the calling process exits if stop() was not called.
 *
 * Facts that shape it (../shared/RUNBOOK.md, and checked here): pycsw refuses ISO 19115-3 (mdb) records and a
 * second record with an identifier already loaded; `server.maxrecords` caps every page; its wsgi.py gzips only when
 * `gzip_compresslevel` is configured, and then sends a wrong Content-Length (truncated pages). Ask it with
 * `Accept-Encoding: identity` (PYCSW_HEADERS).
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { projectPath } from '../../schemas/paths.js';
import { ensurePythonVenv, venvBin } from './python.js';
import { freePort, log, portFree, removeOnExit, run, startServer, tryGet } from './proc.js';

export { startRustac, type RustacOptions, type RustacServer } from './rustac.js';

/** Headers for every request to pycsw: never accept gzip (its gzip responses carry a wrong Content-Length). */
export const PYCSW_HEADERS: Readonly<Record<string, string>> = { 'Accept-Encoding': 'identity' };

export interface PycswOptions {
  /** A folder whose *.xml files are loaded in place (not copied): the way to load thousands of generated records. */
  recordsDir?: string;
  /** Record files, copied into the server's temp folder and loaded. Exactly one of recordsDir / recordsFiles. */
  recordsFiles?: readonly string[];
  /** `server.maxrecords`: the most records on one page, whatever the client asks. Default 10. */
  maxRecords?: number;
  /** Port on 127.0.0.1. Default: a free port chosen by the OS. */
  port?: number;
  /** Also load the *.xml files of recordsDir's sub-folders. Default false. */
  recursive?: boolean;
  /**
   * `server.gzip_compresslevel` (1-9). When set, pycsw gzips the responses of clients that accept gzip, with its
   * real wrong-Content-Length fault: for tests of a harvester's handling of truncated pages. Default: unset (never gzips).
   */
  gzipLevel?: number;
  /** How long to wait for GetCapabilities to answer after the process starts. Default 30 s. */
  startTimeoutMs?: number;
}

export interface PycswServer {
  /** The CSW endpoint, e.g. http://127.0.0.1:PORT/csw (also the `server.url` pycsw advertises). */
  url: string;
  /** Records in the repository after loading (counted in the SQLite table). */
  loaded: number;
  /** Records the loader refused (duplicate identifier, unsupported format such as ISO 19115-3, not well-formed...). */
  refused: Refusal[];
  /** Time spent in `pycsw-admin.py -c load_records`, in milliseconds. */
  loadMs: number;
  /** The server's temp folder (config, database, log). Removed by stop(). */
  dir: string;
  stop(): Promise<void>;
}

interface ValidOptions {
  recordsDir?: string;
  recordsFiles?: readonly string[];
  maxRecords: number;
  port?: number;
  recursive: boolean;
  gzipLevel?: number;
  startTimeoutMs: number;
}

function validate(opts: PycswOptions): ValidOptions {
  if ((opts.recordsDir === undefined) === (opts.recordsFiles === undefined)) {
    throw new Error('startPycsw: give exactly one of recordsDir or recordsFiles');
  }
  if (opts.recordsDir !== undefined && !(existsSync(opts.recordsDir) && statSync(opts.recordsDir).isDirectory())) {
    throw new Error(`startPycsw: recordsDir ${opts.recordsDir} is not a folder`);
  }
  if (opts.recordsFiles !== undefined) {
    if (opts.recordsFiles.length === 0) throw new Error('startPycsw: recordsFiles is empty');
    const missing = opts.recordsFiles.filter((f) => !existsSync(f));
    if (missing.length) throw new Error(`startPycsw: record files not found: ${missing.join(', ')}`);
  }
  const maxRecords = opts.maxRecords ?? 10;
  if (!Number.isInteger(maxRecords) || maxRecords < 1) throw new Error(`startPycsw: maxRecords must be an integer >= 1, got ${maxRecords}`);
  if (opts.port !== undefined && !(Number.isInteger(opts.port) && opts.port > 0 && opts.port < 65536)) {
    throw new Error(`startPycsw: port must be 1-65535, got ${opts.port}`);
  }
  if (opts.gzipLevel !== undefined && !(Number.isInteger(opts.gzipLevel) && opts.gzipLevel >= 1 && opts.gzipLevel <= 9)) {
    throw new Error(`startPycsw: gzipLevel must be 1-9, got ${opts.gzipLevel}`);
  }
  return {
    recordsDir: opts.recordsDir,
    recordsFiles: opts.recordsFiles,
    maxRecords,
    port: opts.port,
    recursive: opts.recursive ?? false,
    gzipLevel: opts.gzipLevel,
    startTimeoutMs: opts.startTimeoutMs ?? 30_000,
  };
}

/** pycsw's INI configuration (the keys its 2.6.2 code reads). */
export function pycswConfig(p: { url: string; dir: string; database: string; maxRecords: number; gzipLevel?: number }): string {
  return `[server]
home=${p.dir}
url=${p.url}
mimetype=application/xml; charset=UTF-8
encoding=UTF-8
language=en-US
maxrecords=${p.maxRecords}
loglevel=WARNING
logfile=${join(p.dir, 'pycsw.log')}
pretty_print=true
${p.gzipLevel === undefined ? '' : `gzip_compresslevel=${p.gzipLevel}\n`}domainquerytype=list
domaincounts=false
profiles=apiso

[manager]
transactions=false
allowed_ips=127.0.0.1

[metadata:main]
identification_title=fair-harvester test catalogue
identification_abstract=A pycsw 2.6.2 server started by scripts/services/pycsw.ts for tests
identification_keywords=test
identification_keywords_type=theme
identification_fees=None
identification_accessconstraints=None
provider_name=fair-harvester
provider_url=${p.url}
contact_name=Test
contact_position=Test
contact_address=None
contact_city=None
contact_stateorprovince=None
contact_postalcode=None
contact_country=None
contact_phone=None
contact_fax=None
contact_email=test@example.org
contact_url=${p.url}
contact_hours=None
contact_instructions=None
contact_role=pointOfContact

[metadata:inspire]
enabled=false

[repository]
database=sqlite:///${p.database}
table=records
`;
}

/** Copies the files into `into`, keeping names (a clash gets an index prefix). */
function copyRecords(files: readonly string[], into: string): void {
  mkdirSync(into, { recursive: true });
  const used = new Set<string>();
  files.forEach((file, i) => {
    let name = basename(file);
    if (!name.endsWith('.xml')) name += '.xml'; // load_records only reads *.xml
    if (used.has(name)) name = `${i}-${name}`;
    used.add(name);
    copyFileSync(file, join(into, name));
  });
}

/** A record file pycsw's loader did not insert, and why. */
export interface Refusal {
  file: string;
  reason: string;
}

/**
 * The refusals in pycsw-admin's load_records output. Its lines (pycsw 2.6.2 core/admin.py):
 * `ERROR: FILE not inserted: REASON`, `Could not parse "FILE" as an XML record` followed by a traceback whose last
 * line is the reason, and `XML document "FILE" is not well-formed`.
 */
export function refusals(output: string): Refusal[] {
  const lines = output.split('\n').map((line) => line.trim());
  const found: Refusal[] = [];
  lines.forEach((line, i) => {
    let m = /ERROR: (.+?) not inserted: (.*)$/.exec(line);
    if (m) return found.push({ file: m[1], reason: m[2] });
    m = /Could not parse "(.+)" as an XML record/.exec(line);
    if (m) {
      // The reason is the exception line ending the traceback that follows.
      const reason = lines.slice(i + 1).find((l) => /^[\w.]+(Error|Exception): /.test(l));
      return found.push({ file: m[1], reason: reason ?? 'could not parse' });
    }
    m = /XML document "(.+)" is not well-formed/.exec(line);
    if (m) found.push({ file: m[1], reason: 'not well-formed XML' });
  });
  return found;
}

const COUNT_PY = 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from records").fetchone()[0])';

/**
 * Starts pycsw on the given records; resolves once GetCapabilities answers.
 * Records pycsw refuses are listed in `refused`, not thrown: a test decides what it expects.
 */
export async function startPycsw(opts: PycswOptions): Promise<PycswServer> {
  const o = validate(opts);
  // a fixed port held by another process (a pycsw of an earlier demo that still runs) would answer our ready check
  if (o.port !== undefined && !(await portFree(o.port))) {
    throw new Error(`port ${o.port} of 127.0.0.1 is taken by another process: stop it, or choose another port`);
  }
  const venv = await ensurePythonVenv();
  const python = venvBin('python', venv);
  const dir = mkdtempSync(join(tmpdir(), 'pycsw-'));
  removeOnExit(dir);
  try {
    const port = o.port ?? (await freePort());
    const url = `http://127.0.0.1:${port}/csw`;
    const database = join(dir, 'records.db');
    const cfg = join(dir, 'pycsw.cfg');
    writeFileSync(cfg, pycswConfig({ url, dir, database, maxRecords: o.maxRecords, gzipLevel: o.gzipLevel }));

    const recordsDir = o.recordsDir ? resolve(o.recordsDir) : join(dir, 'records');
    if (o.recordsFiles) copyRecords(o.recordsFiles, recordsDir);
    const admin = venvBin('pycsw-admin.py', venv);
    await run(python, [admin, '-c', 'setup_db', '-f', cfg]);
    const started = Date.now();
    // pycsw_load.py runs pycsw-admin.py unchanged without SQLite's per-record fsync: 10,000 records in 44 s, not 82 s.
    const loader = projectPath('scripts', 'services', 'pycsw_load.py');
    const load = await run(python, [loader, admin, '-c', 'load_records', '-f', cfg, '-p', recordsDir, ...(o.recursive ? ['-r'] : [])], {
      env: { ...process.env, PYTHONWARNINGS: 'ignore::FutureWarning' }, // shapely's ReadingError deprecation, on every run
    });
    const loadMs = Date.now() - started;
    const refused = refusals(load.stderr + load.stdout);
    const loaded = Number((await run(python, ['-c', COUNT_PY, database])).stdout.trim());
    log('pycsw', `loaded ${loaded} records in ${(loadMs / 1000).toFixed(1)} s (${refused.length} refused)`);

    const capabilities = `${url}?service=CSW&version=2.0.2&request=GetCapabilities`;
    const server = await startServer(`pycsw at ${url}`, python, [projectPath('scripts', 'services', 'pycsw_serve.py'), String(port)], {
      cwd: dir,
      env: { ...process.env, PYCSW_CONFIG: cfg, PYTHONUNBUFFERED: '1' },
      dir,
      logPath: join(dir, 'server.log'),
      ready: async () => (await tryGet(capabilities, 5000, { ...PYCSW_HEADERS }))?.body.includes('Capabilities') ?? false,
      timeoutMs: o.startTimeoutMs,
      intervalMs: 200,
      tailLines: 30,
    });
    return { url, loaded, refused, loadMs, dir, stop: () => server.stop() };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/** The *.xml files of a folder (sorted), e.g. to pass a fixture folder as recordsFiles. */
export function xmlFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.xml'))
    .sort()
    .map((name) => join(dir, name));
}
