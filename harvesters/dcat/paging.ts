/**
 * Paging of a DCAT catalogue with Hydra: what a page says about the pages (`hydraPage`) and the request for the next
 * one, or why to stop (`nextPage`). Pure.
 *
 * Two vocabularies are in use (Hydra Core, https://www.hydra-cg.com/spec/latest/core/):
 * - current: the collection (the dcat:Catalog, also a hydra:Collection) has `hydra:totalItems` and `hydra:view` -> a
 *   `hydra:PartialCollectionView` with `hydra:first`, `hydra:previous`, `hydra:next`, `hydra:last`;
 * - deprecated, still served by CKAN and udata: a `hydra:PagedCollection` with `hydra:firstPage`, `hydra:nextPage`,
 *   `hydra:lastPage`, `hydra:itemsPerPage`, `hydra:totalItems`.
 * Links are IRIs or, as CKAN writes them, plain literals: both are read. A page without either is the whole catalogue.
 */
import { NS } from '../../core/dcat.js';
import type { RdfGraph, Term } from '../../core/rdf.js';
import type { Notice } from '../types.js';

const H = NS.hydra;

/** What one page says about the paging. */
export interface HydraPage {
  /** The next page (absolute), when the page names one. */
  next?: string;
  /** The last page (absolute), when named. */
  last?: string;
  /** Members of the whole collection, when said (hydra:totalItems). */
  totalItems?: number;
  /** Members per page, when said (hydra:itemsPerPage). */
  itemsPerPage?: number;
  /** Which vocabulary said it. */
  vocabulary?: 'PartialCollectionView' | 'PagedCollection';
}

/** A link value: an IRI, or a literal holding one (CKAN), resolved against the page URL. */
function link(t: Term | undefined, base: string): string | undefined {
  if (!t || t.kind === 'blank') return undefined;
  try {
    return new URL(t.value.trim(), base).href;
  } catch {
    return t.value.trim() || undefined;
  }
}

function integer(t: Term | undefined): number | undefined {
  if (!t || t.kind !== 'literal') return undefined;
  const n = Number(t.value);
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

const key = (t: Term): string => (t.kind === 'blank' ? `_:${t.value}` : t.value);

/** The paging a page's graph describes (`base`: the page URL, against which relative links resolve). */
export function hydraPage(graph: RdfGraph, base: string): HydraPage {
  const page: HydraPage = {};
  // current vocabulary: a view of the collection
  const views = new Set(graph.ofType(`${H}PartialCollectionView`));
  let total: number | undefined;
  for (const s of graph.subjects) {
    for (const v of graph.objects(s, `${H}view`)) if (v.kind !== 'literal') views.add(key(v));
    total ??= integer(graph.objects(s, `${H}totalItems`)[0]);
  }
  for (const v of views) {
    const next = link(graph.objects(v, `${H}next`)[0], base);
    const last = link(graph.objects(v, `${H}last`)[0], base);
    if (next || last || graph.types(v).includes(`${H}PartialCollectionView`)) {
      page.vocabulary = 'PartialCollectionView';
      if (next) page.next ??= next;
      if (last) page.last ??= last;
    }
  }
  // deprecated vocabulary
  for (const p of graph.ofType(`${H}PagedCollection`)) {
    page.vocabulary ??= 'PagedCollection';
    page.next ??= link(graph.objects(p, `${H}nextPage`)[0], base);
    page.last ??= link(graph.objects(p, `${H}lastPage`)[0], base);
    page.itemsPerPage ??= integer(graph.objects(p, `${H}itemsPerPage`)[0]);
    total ??= integer(graph.objects(p, `${H}totalItems`)[0]);
  }
  if (total !== undefined) page.totalItems = total;
  return page;
}

export type StopReason = 'last-page' | 'empty-page' | 'max-records' | 'max-pages' | 'bad-next-link' | 'other-origin' | 'loop';

export type PageDecision = { next: string } | { stop: StopReason; complete: boolean; notice?: Notice };

export interface PagingState {
  /** URL of the page just read. */
  url: string;
  /** Every page URL requested so far, this one included. */
  seen: ReadonlySet<string>;
  /** Pages read so far, this one included. */
  pages: number;
  /** Records yielded so far, this page's included. */
  records: number;
  /** Records of this page. */
  onPage: number;
  maxPages: number;
  maxRecords?: number;
}

/** The page to request after this one, or why to stop and whether the catalogue was then read whole. */
export function nextPage(page: HydraPage, s: PagingState): PageDecision {
  // stop: maxRecords reached: the harvest is bounded on purpose, and incomplete
  if (s.maxRecords !== undefined && s.records >= s.maxRecords) {
    return {
      stop: 'max-records',
      complete: false,
      notice: {
        level: 'warn',
        message: `stopped at maxRecords ${s.maxRecords}: the harvest is incomplete`,
        data: { truncated: true, maxRecords: s.maxRecords },
      },
    };
  }
  // stop: no next page named, or this page is the last one named: the catalogue was read to its end
  if (!page.next || page.next === s.url || (page.last !== undefined && page.last === s.url)) return { stop: 'last-page', complete: true };
  // stop: a page without records ends the paging even when it names a next page (following it could loop on empty
  // pages); the records before it were all read
  if (s.onPage === 0) {
    return {
      stop: 'empty-page',
      complete: true,
      notice: { level: 'info', message: `${s.url}: a page without records names a next page (${page.next}); paging stopped` },
    };
  }
  // stop: a next link that is not an http(s) URL cannot be followed: what is behind it is unknown
  let next: URL;
  try {
    next = new URL(page.next);
    if (next.protocol !== 'http:' && next.protocol !== 'https:') throw new Error('not http(s)');
  } catch {
    return {
      stop: 'bad-next-link',
      complete: false,
      notice: {
        level: 'warn',
        message: `${s.url}: the next page ${JSON.stringify(page.next)} is not an http(s) URL; paging stopped`,
        data: { truncated: true },
      },
    };
  }
  // stop: a next page on another host is not followed (a catalogue pages itself; a link elsewhere is a mistake or a
  // trap): what is behind it is unknown
  if (next.hostname !== new URL(s.url).hostname) {
    return {
      stop: 'other-origin',
      complete: false,
      notice: {
        level: 'warn',
        message: `${s.url}: the next page ${next.href} is on another host; not followed, paging stopped`,
        data: { truncated: true, next: next.href },
      },
    };
  }
  // stop: the next page was already read: the server loops; what was read is kept
  if (s.seen.has(next.href)) {
    return {
      stop: 'loop',
      complete: false,
      notice: {
        level: 'warn',
        message: `${s.url}: the next page ${next.href} was already read; paging stopped`,
        data: { truncated: true },
      },
    };
  }
  // stop: maxPages reached (a bound against catalogues that never end): incomplete
  if (s.pages >= s.maxPages) {
    return {
      stop: 'max-pages',
      complete: false,
      notice: {
        level: 'warn',
        message: `stopped after maxPages ${s.maxPages} pages: the harvest is incomplete`,
        data: { truncated: true, maxPages: s.maxPages },
      },
    };
  }
  return { next: next.href };
}
