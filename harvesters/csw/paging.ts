/**
 * CSW paging as one pure function: given the page just read, the next startPosition or why to stop.
 * Servers may return fewer records than asked (pycsw caps at server.maxrecords, GeoNetwork at its
 * own limit): the next page is where the server says (nextRecord), never start + pageSize.
 */

export interface PagingState {
  /** startPosition (1-based) of the page just read. */
  start: number;
  /** Records yielded so far, this page included. */
  harvested: number;
  /** Configured cap on the records of the harvest, if any. */
  maxRecords?: number;
}

/** What the page said about itself (SearchResults attributes) and how many record elements it held. */
export interface PageCounts {
  matched?: number;
  returned?: number;
  nextRecord?: number;
  /** Record elements actually found in the page. */
  count: number;
}

export type PageDecision = { next: number } | { stop: string; level: 'info' | 'warn' };

export function nextPage(state: PagingState, page: PageCounts): PageDecision {
  const { start, harvested, maxRecords } = state;
  const { matched, returned, nextRecord, count } = page;

  // The configured maxRecords is reached: stop whatever the server has left.
  if (maxRecords !== undefined && harvested >= maxRecords) {
    return { stop: `maxRecords ${maxRecords} reached`, level: 'info' };
  }

  // Zero records returned: nothing more to read. Suspicious when the server counted more than we got to.
  if (count === 0) {
    if (matched !== undefined && matched >= start) {
      return { stop: `no records returned at startPosition ${start} although numberOfRecordsMatched is ${matched}`, level: 'warn' };
    }
    return { stop: 'no records returned: end of results', level: 'info' };
  }

  // nextRecord 0: the server says this was the last page (CSW 2.0.2 and 3.0).
  if (nextRecord === 0) return { stop: 'nextRecord 0: last page', level: 'info' };

  // No nextRecord attribute: fall back to start + numberOfRecordsReturned (else the records counted).
  const next = nextRecord ?? start + (returned !== undefined && returned > 0 ? returned : count);
  const said = nextRecord === undefined ? `next position ${next} (no nextRecord)` : `nextRecord ${next}`;

  // Past the end: GeoNetwork answers nextRecord = matched + 1 on the last page.
  if (matched !== undefined && next > matched) {
    return { stop: `${said} is beyond numberOfRecordsMatched ${matched}: last page`, level: 'info' };
  }

  // A nextRecord that does not advance would loop forever (a server bug that traps other harvesters).
  if (next <= start) {
    return { stop: `${said} does not advance past startPosition ${start} (server paging bug): stopped`, level: 'warn' };
  }

  return { next };
}
