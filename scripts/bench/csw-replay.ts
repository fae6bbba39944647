/**
 * A local replay of real GetRecords pages: serves pages recorded from a real pycsw as a CSW endpoint with as many
 * records as asked (cycling through the recorded pages and renaming identifiers per cycle so every record is new).
 * The server side costs almost nothing, so a harvest of it measures the harvester. Benchmarks only.
 *
 *   node dist/scripts/bench/csw-replay.js PAGES_DIR TOTAL PORT
 * PAGES_DIR holds capabilities.xml (its endpoint URLs written as {{URL}}) and page-0000.xml ... (each a GetRecordsResponse
 * of the same page size).
 */
import { createServer } from 'node:http';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [dir, totalArg, portArg] = process.argv.slice(2);
if (!dir || !totalArg) {
  console.error('usage: csw-replay PAGES_DIR TOTAL [PORT]');
  process.exit(2);
}
const total = Number(totalArg);
const pages = readdirSync(dir)
  .filter((f) => /^page-\d+\.xml$/.test(f))
  .sort()
  .map((f) => readFileSync(join(dir, f), 'utf8'));
let capabilities = readFileSync(join(dir, 'capabilities.xml'), 'utf8');
const pageSize = Number(/numberOfRecordsReturned="(\d+)"/.exec(pages[0])?.[1] ?? 0);
if (!pages.length || !pageSize) throw new Error(`no recorded pages in ${dir}`);

function page(start: number): string {
  const k = Math.floor((start - 1) / pageSize);
  const base = pages[k % pages.length];
  const cycle = Math.floor(k / pages.length);
  const returned = Math.max(0, Math.min(pageSize, total - start + 1));
  const next = start + returned > total ? 0 : start + returned;
  // identifiers of generated records contain this fixed group: make them unique per cycle
  let body = cycle === 0 ? base : base.replaceAll('-5a1e-4c0d-9e2f-', `-5a1e-4c0d-c${cycle}-`);
  body = body.replace(
    /numberOfRecordsMatched="\d+" numberOfRecordsReturned="\d+" nextRecord="\d+"/,
    `numberOfRecordsMatched="${total}" numberOfRecordsReturned="${returned}" nextRecord="${next}"`,
  );
  return body;
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const q = Object.fromEntries([...url.searchParams].map(([k, v]) => [k.toLowerCase(), v]));
  res.setHeader('content-type', 'application/xml; charset=UTF-8');
  if ((q.request ?? '').toLowerCase() === 'getcapabilities') return res.end(capabilities);
  if ((q.request ?? '').toLowerCase() === 'getrecords') return res.end(page(Number(q.startposition ?? 1)));
  res.statusCode = 400;
  res.end(
    '<ows:ExceptionReport xmlns:ows="http://www.opengis.net/ows"><ows:Exception exceptionCode="OperationNotSupported"/></ows:ExceptionReport>',
  );
});
server.listen(Number(portArg ?? 0), '127.0.0.1', () => {
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  capabilities = capabilities.replaceAll('{{URL}}', `http://127.0.0.1:${port}/csw`);
  console.log(JSON.stringify({ port, pages: pages.length, pageSize }));
});
