/**
 * Benchmark: peak memory (RSS) of `harvester validate --format FORMAT --out FILE` as a user runs it (the installed
 * bin, scripts/bin/harvester: one node process, heap bounded at HUB_HEAP_MB), on copies of the 27 real ISO 19139
 * fixtures in a temporary folder, at two sizes (default 2,700 and 27,000 files), measured by /usr/bin/time -f '%M KB
 * %e s'. The report is streamed from a spool file, so the peak should be nearly the same at both sizes. With
 * BEFORE=/path/to/another/checkout (built), that checkout's bin runs on the same files first, for the ratio.
 * Run on demand, at the end (it takes minutes):
 *   npm run build && node dist/scripts/bench/validate-memory.js [COPIES...]        (default: 100 1000)
 *   FORMAT=junit BEFORE=/tmp/main node dist/scripts/bench/validate-memory.js 100 1000
 * PIN=1 runs each process pinned to core 0 (taskset -c 0: one core, so no mapping thread, as in scripts/bench/validate.ts).
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectPath, sharedFixture } from '../../schemas/paths.js';
import { fmt } from './common.js';

const sizes = (process.argv.length > 2 ? process.argv.slice(2) : ['100', '1000']).map(Number).sort((a, b) => a - b);
const format = process.env.FORMAT ?? 'json';
if (sizes.some((n) => !Number.isInteger(n) || n < 1)) throw new Error('COPIES must be whole numbers of copies of the 27 fixtures');
if (!['text', 'json', 'html', 'junit'].includes(format)) throw new Error(`FORMAT must be text, json, html or junit (got "${format}")`);

interface Peak {
  kb: number;
  seconds: number;
  code: number;
  reportBytes: number;
}

/** Runs `bin validate files` under /usr/bin/time; its peak RSS and wall time. */
async function measure(bin: string, files: string, dir: string): Promise<Peak> {
  const timing = join(dir, 'time.txt');
  const report = join(dir, `report.${format}`);
  rmSync(report, { force: true });
  const code: number = await new Promise((resolve, reject) => {
    const pin = process.env.PIN === '1' ? ['taskset', '-c', '0'] : [];
    const child = spawn(
      '/usr/bin/time',
      ['-f', '%M KB %e s', '-o', timing, ...pin, bin, 'validate', files, '--format', format, '--out', report],
      {
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    child.on('error', reject);
    child.on('close', (c) => resolve(c ?? 1));
  });
  const [kb, seconds] = /(\d+) KB ([\d.]+) s/.exec(readFileSync(timing, 'utf8'))!.slice(1).map(Number);
  let reportBytes = 0;
  try {
    reportBytes = statSync(report).size;
  } catch {
    // no report (the process failed): said by its exit status
  }
  return { kb, seconds, code, reportBytes };
}

const fixtures = readdirSync(sharedFixture('iso19139')).filter((f) => f.endsWith('.xml'));
const dir = mkdtempSync(join(tmpdir(), 'bench-validate-memory-'));
const bins: [string, string][] = [
  ...(process.env.BEFORE ? [['before', join(process.env.BEFORE, 'scripts', 'bin', 'harvester')] as [string, string]] : []),
  ['this', projectPath('scripts', 'bin', 'harvester')],
];
try {
  const files = join(dir, 'files');
  mkdirSync(files);
  let copied = 0;
  console.log(
    `harvester validate --format ${format} --out FILE, peak RSS (/usr/bin/time %M), HUB_HEAP_MB=${process.env.HUB_HEAP_MB ?? '256'}`,
  );
  const peaks = new Map<string, Peak[]>();
  for (const copies of sizes) {
    for (; copied < copies; copied++)
      for (const f of fixtures) copyFileSync(sharedFixture('iso19139', f), join(files, `${f.slice(0, -4)}-${copied}.xml`));
    const n = copies * fixtures.length;
    for (const [name, bin] of bins) {
      const p = await measure(bin, files, dir);
      peaks.set(name, [...(peaks.get(name) ?? []), p]);
      console.log(
        `  ${name.padEnd(6)} ${String(n).padStart(7)} files: ${fmt(p.kb / 1024, 1)} MB peak, ${fmt(p.seconds, 1)} s, exit ${p.code}, report ${fmt(p.reportBytes / 1e6, 1)} MB`,
      );
    }
  }
  for (const [name, ps] of peaks)
    if (ps.length > 1)
      console.log(
        `  ${name}: peak at ${sizes.at(-1)! * fixtures.length} files / at ${sizes[0] * fixtures.length}: ${fmt(ps.at(-1)!.kb / ps[0].kb, 2)}x`,
      );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
