/**
 * A CSW endpoint that serves as many generated ISO 19139 records as asked, each one distinct (scripts/samples/
 * iso-generator.ts: record i has its own identifier, title, theme, place, period, parties and distributions), in
 * GetRecordsResponse pages made on demand, with real pycsw capabilities (test/fixtures/csw/recorded). For benchmarks
 * that need a large catalogue with the variety of a real one (the search benchmark harvests a million records from
 * it); the server side costs a page of string templating. Benchmarks only.
 *
 *   node dist/scripts/bench/iso-replay.js TOTAL [PORT]     prints {"port": N} once it listens
 */
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { generatePage } from '../samples/iso-generator.js';
import { projectPath } from '../../schemas/paths.js';

const [totalArg, portArg] = process.argv.slice(2);
const total = Number(totalArg);
if (!Number.isInteger(total) || total < 1) {
  console.error('usage: iso-replay TOTAL [PORT]');
  process.exit(2);
}
const recorded = readFileSync(projectPath('test', 'fixtures', 'csw', 'recorded', 'pycsw-GetCapabilities.xml'), 'utf8');
let capabilities = recorded;

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const q = Object.fromEntries([...url.searchParams].map(([k, v]) => [k.toLowerCase(), v]));
  res.setHeader('content-type', 'application/xml; charset=UTF-8');
  const request = (q.request ?? '').toLowerCase();
  if (request === 'getcapabilities') return res.end(capabilities);
  if (request === 'getrecords') {
    const start = Math.max(1, Number(q.startposition ?? 1));
    const max = Math.min(1000, Math.max(1, Number(q.maxrecords ?? 10)));
    // positions are 1-based, and so are the record numbers served: position p holds generated record p
    return res.end(generatePage(start, max, total));
  }
  res.statusCode = 400;
  res.end(
    '<ows:ExceptionReport xmlns:ows="http://www.opengis.net/ows"><ows:Exception exceptionCode="OperationNotSupported"/></ows:ExceptionReport>',
  );
});
server.listen(Number(portArg ?? 0), '127.0.0.1', () => {
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  capabilities = recorded.replaceAll('http://127.0.0.1:8765/', `http://127.0.0.1:${port}/csw`);
  console.log(JSON.stringify({ port, total }));
});
