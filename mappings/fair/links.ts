/** What a link check found for one URL: what the FAIR assessments read (pipelines/links.ts produces it). */
export interface LinkResult {
  url: string;
  /** true when the URL answered 200-399 (after redirects). */
  ok: boolean;
  /** HTTP status of the final answer, when there was one. */
  status?: number;
  /** Content-Type of the answer (without parameters). */
  mediaType?: string;
  /** Why it did not answer (refused by the SSRF guard, timeout, DNS...). */
  error?: string;
}

/** Link results by URL; undefined: links were not checked (the URL indicators are "not checked", not failed). */
export type LinkResults = ReadonlyMap<string, LinkResult> | undefined;
