/**
 * Checks of harvester options. Sources files are JSON written by hand: every option is checked up front, and a
 * mistake is an Error naming the option, what it must be, and what was given.
 */
import type { FetchOptions } from '../http.js';

export type ItemsMode = 'enrich' | 'index';

/** The common checks; `where` prefixes every message (e.g. "STAC catalog harvester"). */
export class OptionChecker {
  readonly problems: string[] = [];
  constructor(
    private readonly where: string,
    private readonly o: Record<string, unknown>,
  ) {}

  string(name: string): string {
    const v = this.o[name];
    if (typeof v !== 'string' || v.trim() === '') this.problems.push(`${name} must be a non-empty string (got ${JSON.stringify(v)})`);
    return String(v ?? '').trim();
  }

  /** An integer >= min, or the default when absent. */
  integer(name: string, dflt: number | undefined, min: number): number | undefined {
    const v = this.o[name];
    if (v === undefined) return dflt;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
      this.problems.push(`${name} must be an integer >= ${min} (got ${JSON.stringify(v)})`);
      return dflt;
    }
    return v;
  }

  oneOf<T extends string>(name: string, values: readonly T[], dflt: T): T {
    const v = this.o[name];
    if (v === undefined) return dflt;
    if (!values.includes(v as T)) {
      this.problems.push(`${name} must be one of ${values.map((x) => JSON.stringify(x)).join(', ')} (got ${JSON.stringify(v)})`);
      return dflt;
    }
    return v as T;
  }

  stringList(name: string): string[] | undefined {
    const v = this.o[name];
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || v.length === 0 || !v.every((x) => typeof x === 'string' && x.trim() !== '')) {
      this.problems.push(`${name} must be a non-empty array of non-empty strings (got ${JSON.stringify(v)})`);
      return undefined;
    }
    return v.map((x: string) => x.trim());
  }

  /** HTTP options passed to fetchText (checked there too, when the first request is made). */
  http(name: string): FetchOptions {
    const v = this.o[name];
    if (v === undefined) return {};
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      this.problems.push(`${name} must be an object of HTTP options (timeoutMs, retries, headers...)`);
      return {};
    }
    return v as FetchOptions;
  }

  /** Options not in the list are mistakes (a typo would otherwise be silently ignored). */
  known(names: string[]): void {
    for (const k of Object.keys(this.o)) if (!names.includes(k)) this.problems.push(`unknown option "${k}" (known: ${names.join(', ')})`);
  }

  /** Throws one Error listing every problem found. */
  done(): void {
    if (this.problems.length) throw new Error(`${this.where}: ${this.problems.join('; ')}`);
  }
}
