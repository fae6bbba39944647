/**
 * Checks of the words a command is given (source ids, file and folder names), without loading anything heavy: the
 * commands that read local files (map, validate) start faster without the Elasticsearch client.
 */
import { statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { UsageError } from '../../core/result.js';

/**
 * A source id given as an option: the same rule as `id` in a sources file (pipelines/sources.ts), checked before
 * anything runs, so that a bad one is one usage error rather than a validation failure of every record.
 */
export function checkSourceId(id: string, option: string): string {
  if (!/^[a-z0-9][a-z0-9_-]{0,63}$/.test(id))
    throw new UsageError(`${option} must be 1 to 64 lower-case letters, digits, "-" or "_" (got "${id}")`, option);
  return id;
}

/** What a file or folder argument is; a UsageError that says "no such file" (not ENOENT) when there is none. */
export function pathKind(path: string, what = 'file or folder'): 'file' | 'folder' {
  let st;
  try {
    st = statSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EACCES') throw new UsageError(`cannot read "${path}": permission denied`);
    throw new UsageError(`no such ${what}: ${path}`);
  }
  return st.isDirectory() ? 'folder' : 'file';
}

/**
 * Files a folder holds, its sub-folders included: *.xml and *.json, and DCAT in *.rdf, *.ttl, *.nt and *.jsonld;
 * sorted, each folder's own files before its sub-folders'.
 */
async function* folderFiles(dir: string): AsyncGenerator<string> {
  const entries = (await readdir(dir, { withFileTypes: true })).filter((e) => !e.name.startsWith('.'));
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) if (e.isFile() && /\.(xml|json|rdf|ttl|nt|jsonld)$/i.test(e.name)) yield join(dir, e.name);
  for (const e of entries) if (e.isDirectory()) yield* folderFiles(join(dir, e.name));
}

/** File or folder names on standard input, one per line (blank lines ignored). */
async function* stdinNames(): AsyncGenerator<string> {
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    const name = line.trim();
    if (name) yield name;
  }
}

export type Input = { file: string } | { missing: string; why: string };

/** A folder's files; a folder with none is said (a wrong folder would otherwise map nothing without a word). */
async function* folderInputs(dir: string): AsyncGenerator<Input> {
  let n = 0;
  for await (const f of folderFiles(dir)) {
    n++;
    yield { file: f };
  }
  if (n === 0) yield { missing: dir, why: 'no .xml or .json file in this folder or its sub-folders' };
}

/** The files to read: arguments in order, folders expanded, "-" replaced by the names on standard input. */
export async function* inputs(args: string[]): AsyncGenerator<Input> {
  for (const arg of args) {
    if (arg === '-') {
      for await (const name of stdinNames()) {
        let kind: 'file' | 'folder';
        try {
          kind = pathKind(name);
        } catch (err) {
          yield { missing: name, why: (err as Error).message };
          continue;
        }
        if (kind === 'folder') yield* folderInputs(name);
        else yield { file: name };
      }
    } else if (pathKind(arg) === 'folder') yield* folderInputs(arg);
    else yield { file: arg };
  }
}
