/**
 * ISO records against the ISO 19139 / 19115-3 XML schemas (`harvester validate --xsd`), as GeoNetwork does: the
 * schemas ship in the project (schemas/xsd: ISO 19139 2007-04-17, GML 3.2.1, XLink, ISO 19115-3, with their licence
 * notes and the OASIS catalogue of their imports, schemas/xsd/README.md) and Debian's xmllint (libxml2) runs them with
 * `--nonet`: no schema is ever fetched from the network. Records are checked in batches, one xmllint per batch and
 * schema (loading gmd.xsd and its imports costs more than checking a record).
 *
 * Which schema: 19139 (gmd) records against gmd with gmx and srv (schemas/xsd/local/iso19139-all.xsd); 19115-3 against
 * mdb 1.0 or 2.0 by the record's namespace. There is no schema for 19115-2 (gmi) nor for national profiles (che): those
 * records are said not validated, not failed. Real records often fail (21 of the 27 ISO 19139 fixtures fail gmd.xsd):
 * each error is a warning with its line and element unless the caller makes them blocking (--strict).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectPath } from '../schemas/paths.js';
import type { ParamValue, WarningCode } from '../core/texts/render.js';
import { codeOf } from '../core/warnings.js';

export interface XsdError {
  line?: number;
  /** The element at fault (local name, as xmllint says it). */
  element?: string;
  /** libxml2's own words. */
  message: string;
  /** Its form (core/texts/messages-en.ts `xsd.*`) and values, when it is of a known one: the French report says it in French. */
  code?: WarningCode;
  params?: Record<string, ParamValue>;
}

export type XsdVerdict = { status: 'valid' } | { status: 'invalid'; errors: XsdError[] } | { status: 'not validated'; reason: string };

const XSD = (...p: string[]) => projectPath('schemas', 'xsd', ...p);

/** The schema of a record by its root namespace, or why it is not validated. */
export function schemaFor(xml: string): { schema: string } | { reason: string } {
  const head = xml.slice(0, 4000);
  const root = /<([A-Za-z_][\w.-]*:)?(MD_Metadata|MI_Metadata|CHE_MD_Metadata)\b[^>]*>/.exec(head);
  if (!root) return { reason: 'not an ISO 19139 / 19115-3 record' };
  const prefix = root[1]?.slice(0, -1);
  const decl =
    new RegExp(`xmlns${prefix ? ':' + prefix : ''}\\s*=\\s*["']([^"']+)["']`).exec(root[0])?.[1] ??
    /xmlns(?::\w+)?\s*=\s*["'](http:\/\/standards\.iso\.org\/iso\/19115\/-3\/mdb\/[12]\.0)["']/.exec(head)?.[1];
  if (decl === 'http://www.isotc211.org/2005/gmd') return { schema: XSD('local', 'iso19139-all.xsd') };
  const mdb = /^http:\/\/standards\.iso\.org\/iso\/19115\/-3\/mdb\/([12]\.0)$/.exec(decl ?? '');
  if (mdb) return { schema: XSD('iso', '19115', '-3', 'mdb', mdb[1], 'mdb.xsd') };
  if (decl === 'http://www.isotc211.org/2005/gmi') return { reason: 'no XML schema of ISO 19115-2 (gmi) is shipped: not validated' };
  return { reason: `no XML schema shipped for the namespace ${decl ?? '(none)'}: not validated` };
}

/** Runs xmllint on files against one schema; resolves with its stderr (xmllint exits 3 when a file is invalid). */
function xmllint(schema: string, files: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('xmllint', ['--noout', '--nonet', '--schema', schema, ...files], {
      env: { ...process.env, XML_CATALOG_FILES: XSD('catalog.xml') },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(
        (e as NodeJS.ErrnoException).code === 'ENOENT'
          ? new Error("xmllint is not installed: install Debian's libxml2-utils (apt-get install libxml2-utils) to use --xsd")
          : e,
      );
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (signal) reject(new Error(`xmllint did not finish within ${timeoutMs} ms`));
      else if (code !== 0 && code !== 3 && code !== 4) reject(new Error(`xmllint exited with ${code}: ${err.slice(0, 300)}`));
      else resolve(err);
    });
  });
}

/** At most this many errors are kept per record (a broken record repeats itself). */
const MAX_ERRORS = 20;

/**
 * Validates records (XML texts) against their schemas; the verdicts come back in the same order. A record's XML
 * is written to a private temporary folder, never to a name taken from the source.
 */
export async function validateXsd(xmls: string[], timeoutMs = 120_000): Promise<XsdVerdict[]> {
  const verdicts: XsdVerdict[] = new Array(xmls.length);
  const bySchema = new Map<string, number[]>();
  xmls.forEach((xml, i) => {
    const s = schemaFor(xml);
    if ('reason' in s) verdicts[i] = { status: 'not validated', reason: s.reason };
    else bySchema.set(s.schema, [...(bySchema.get(s.schema) ?? []), i]);
  });
  if (bySchema.size === 0) return verdicts;
  const dir = await mkdtemp(join(tmpdir(), 'hub-xsd-'));
  try {
    for (const [schema, indexes] of bySchema) {
      const files = indexes.map((i) => join(dir, `r${i}.xml`));
      await Promise.all(indexes.map((i, k) => writeFile(files[k], xmls[i])));
      const stderr = await xmllint(schema, files, timeoutMs);
      const errors = new Map<string, XsdError[]>(files.map((f) => [f, []]));
      for (const line of stderr.split('\n')) {
        if (/Schemas parser warning/.test(line)) continue;
        const m = /^(.*?\.xml):(\d+): (?:element (\S+): )?(?:[\w ]+ )?(?:error|warning) : (.*)$/.exec(line);
        if (!m || !errors.has(m[1])) continue;
        const list = errors.get(m[1])!;
        if (list.length >= MAX_ERRORS) continue;
        const message = m[4].trim();
        list.push({ line: Number(m[2]), ...(m[3] ? { element: m[3] } : {}), message, ...codeOf('xsd.', message) });
      }
      indexes.forEach((i, k) => {
        const list = errors.get(files[k])!;
        verdicts[i] = list.length ? { status: 'invalid', errors: list } : { status: 'valid' };
      });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return verdicts;
}
