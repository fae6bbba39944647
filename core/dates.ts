/** The instants a date literal covers: what the index stores and the record schema checks. Pure. */
import type { DateLiteral } from './literals.js';

const DATE_PARTS_RE = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?(?:T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:\d{2})?$/;

function lastDay(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
const pad2 = (n: number): string => String(n).padStart(2, '0');

/**
 * The instants a date literal covers, as ISO UTC strings that sort as text: a day, a month or a year becomes its
 * first and last millisecond; a dateTime is one instant (no timezone: read as UTC). `undefined` for a value outside
 * years 0001..9999 or one that does not parse (the schema normally prevents it).
 */
export function dateBounds(lit: DateLiteral): { start: string; end: string } | undefined {
  const m = DATE_PARTS_RE.exec(lit['@value']);
  if (!m) return undefined;
  const year = Number(m[1]);
  if (year < 1) return undefined;
  const y = m[1];
  switch (lit['@type']) {
    case 'xsd:gYear':
      return { start: `${y}-01-01T00:00:00.000Z`, end: `${y}-12-31T23:59:59.999Z` };
    case 'xsd:gYearMonth': {
      if (m[2] === undefined) return undefined;
      const last = lastDay(year, Number(m[2]));
      return { start: `${y}-${m[2]}-01T00:00:00.000Z`, end: `${y}-${m[2]}-${pad2(last)}T23:59:59.999Z` };
    }
    case 'xsd:date':
      if (m[3] === undefined) return undefined;
      return { start: `${y}-${m[2]}-${m[3]}T00:00:00.000Z`, end: `${y}-${m[2]}-${m[3]}T23:59:59.999Z` };
    case 'xsd:dateTime': {
      if (m[4] === undefined) return undefined;
      const ms = (m[7] ?? '').padEnd(3, '0').slice(0, 3);
      const local = `${y}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${ms}`;
      const tz = m[8];
      if (tz === undefined || tz === 'Z') return { start: local + 'Z', end: local + 'Z' };
      const t = Date.parse(local + tz);
      if (Number.isNaN(t)) return undefined;
      const iso = new Date(t).toISOString();
      // A timezone can push a date of year 0001 or 9999 out of the four-digit range.
      if (!/^\d{4}-/.test(iso)) return undefined;
      return { start: iso, end: iso };
    }
  }
}

/**
 * Whether a period from `start` to `end` is in order: the start's first instant is not after the end's last one (a
 * period "2019" .. "2019-06" is). Dates outside what the index can hold (years < 1 or > 9999) are not compared.
 */
export function inOrder(start: DateLiteral, end: DateLiteral): boolean {
  const a = dateBounds(start);
  const b = dateBounds(end);
  return a === undefined || b === undefined || a.start <= b.end;
}
