/** Locates files of the project (schemas, fixtures) the same way from sources and from the compiled `dist/`. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'schemas', 'context.jsonld'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('project root not found above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
}

/** Absolute path of the project root (the folder holding package.json). */
export const PROJECT_ROOT = findRoot();

/** Absolute path of a file of the project, e.g. projectPath('schemas', 'context.jsonld'). */
export function projectPath(...parts: string[]): string {
  return join(PROJECT_ROOT, ...parts);
}

/**
 * A folder of the shared real data (`fixtures`, `schemas`): the nearest `shared/<name>` beside the checkout or beside one
 * of its parents (`../shared` for a clone, `../../shared` for a git worktree under `wt/`); tests only.
 */
function sharedRoot(name: string): string {
  let dir = PROJECT_ROOT;
  for (let i = 0; i < 3; i++) {
    const up = dirname(dir);
    if (existsSync(join(up, 'shared', name))) return join(up, 'shared', name);
    if (up === dir) break;
    dir = up;
  }
  return join(PROJECT_ROOT, '..', 'shared', name);
}
const FIXTURES_ROOT = sharedRoot('fixtures');
export function sharedFixture(...parts: string[]): string {
  return join(FIXTURES_ROOT, ...parts);
}
/** The shared offline schemas (`shared/schemas`, laid out as `http://schemas.opengis.net/`); tests only. */
export function sharedSchema(...parts: string[]): string {
  return join(sharedRoot('schemas'), ...parts);
}

export function readJson<T = unknown>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** The JSON-LD context of the normalised record (the object under "@context"). */
export const CONTEXT_URL = 'https://w3id.org/fair-harvester/context.jsonld';
let context: Record<string, unknown> | undefined;
export function recordContext(): Record<string, unknown> {
  context ??= readJson<{ '@context': Record<string, unknown> }>(projectPath('schemas', 'context.jsonld'))['@context'];
  return context;
}
