/**
 * A CSW endpoint that serves as many generated ISO 19139 records as asked, each one distinct (scripts/samples/
 * iso-generator.ts: record i has its own identifier, title, theme, place, period, parties and distributions), in
 * GetRecordsResponse pages made on demand, with real pycsw capabilities (test/fixtures/csw/recorded). For benchmarks
 * that need a large catalogue with the variety of a real one (the search benchmark harvests a million records from
 * it); the server side costs a page of string templating. Benchmarks only.
 *
 *   node dist/scripts/bench/iso-replay.js TOTAL [PORT]     prints {"port": N} once it listens
 */
import { generatePage } from '../samples/iso-generator.js';
import { startCswServer } from './csw-server.js';

const [totalArg, portArg] = process.argv.slice(2);
const total = Number(totalArg);
if (!Number.isInteger(total) || total < 1) {
  console.error('usage: iso-replay TOTAL [PORT]');
  process.exit(2);
}
const csw = await startCswServer(
  // positions are 1-based, and so are the record numbers served: position p holds generated record p
  ({ start, max }) => generatePage(start, max, total),
  Number(portArg ?? 0),
);
console.log(JSON.stringify({ port: csw.port, total }));
