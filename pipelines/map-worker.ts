/** A mapping worker of pipelines/map-pool.ts: raw records in, documents ready for the indexer (or failures) out. */
import { parentPort, workerData } from 'node:worker_threads';
import type { RawRecord } from '../harvesters/types.js';
import { mapChunk, STOP, type MapJob } from './map-pool.js';

const job = workerData as MapJob;
parentPort!.on('message', (message: { id: number; raws: RawRecord[] } | typeof STOP) => {
  // the pool closes: nothing left keeps the thread, which ends by itself (its modules evaluated, its chunks mapped)
  if (message === STOP) return parentPort!.close();
  const { id, raws } = message;
  const out = mapChunk(raws, job);
  // The documents' bytes are handed over, not copied (each has a buffer of its own: see prepareDoc).
  const transfer = out.flatMap((m) => (m.kind === 'doc' ? [m.doc.json.buffer as ArrayBuffer] : []));
  parentPort!.postMessage({ id, out }, transfer);
});
