/**
 * Logging for operators: readable lines (and progress bars) in a terminal, one JSON object per line otherwise
 * (cron, CI, log shippers). Everything goes to stderr so that stdout stays for data (NDJSON of `harvester map`).
 */
import { createRequire } from 'node:module';
import type cliProgress from 'cli-progress';

// cli-progress (CommonJS) loads with the first progress bar: a command that shows none starts without it
const require = createRequire(import.meta.url);

export type Level = 'debug' | 'info' | 'warn' | 'error';
const LEVELS: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  readonly json: boolean;
  log(level: Level, message: string, data?: Record<string, unknown>): void;
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
  /** A progress display for one source; a no-op when not a TTY (the JSON log has periodic progress events instead). */
  progress(label: string, total?: number): Progress;
}

export interface Progress {
  update(done: number, counts: Record<string, number>, total?: number): void;
  stop(): void;
}

export interface LoggerOptions {
  /** Write JSON lines instead of readable text. Default: when stderr is not a TTY. */
  json?: boolean;
  /** Lowest level written. Default: info (LOG_LEVEL overrides). */
  level?: Level;
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
}

const COLOURS: Record<Level, string> = { debug: '\x1b[2m', info: '', warn: '\x1b[33m', error: '\x1b[31m' };

export function createLogger(options: LoggerOptions = {}): Logger {
  const stream = options.stream ?? process.stderr;
  const json = options.json ?? !stream.isTTY;
  const min = LEVELS[options.level ?? (process.env.LOG_LEVEL as Level | undefined) ?? 'info'] ?? LEVELS.info;
  let bar: cliProgress.SingleBar | undefined;

  function log(level: Level, message: string, data?: Record<string, unknown>): void {
    if (LEVELS[level] < min) return;
    if (json) {
      stream.write(JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...data }) + '\n');
      return;
    }
    // readable lines stay short: the message says it all at info level; warnings and errors add their plain values
    const extra = data && level !== 'info' && level !== 'debug' ? formatData(data) : '';
    const line = `${COLOURS[level]}${level === 'info' ? '' : level.toUpperCase() + ' '}${message}${extra ? ' (' + extra + ')' : ''}${COLOURS[level] ? '\x1b[0m' : ''}`;
    if (bar) {
      // keep the bar on its own line: clear it, print, let the next update redraw it
      stream.write('\r\x1b[K' + line + '\n');
    } else stream.write(line + '\n');
  }

  function progress(label: string, total?: number): Progress {
    if (json) {
      let last = 0;
      return {
        update(done, counts, newTotal) {
          const now = Date.now();
          if (now - last < 5000) return; // one progress event every 5 s at most
          last = now;
          log('info', 'progress', { source: label, done, total: newTotal ?? total, ...counts });
        },
        stop() {},
      };
    }
    let known = total !== undefined;
    const format = (withTotal: boolean) =>
      withTotal
        ? `${label} [{bar}] {value}/{total} | {rate}/s | ok {indexed} failed {failed}`
        : `${label} {value} records | {rate}/s | ok {indexed} failed {failed}`;
    const bars = require('cli-progress') as typeof cliProgress;
    bar = new bars.SingleBar(
      {
        format: format(known),
        stream: stream,
        hideCursor: true,
        clearOnComplete: true,
        etaBuffer: 50,
      },
      bars.Presets.shades_classic,
    );
    const started = Date.now();
    bar.start(total ?? 0, 0, { rate: 0, indexed: 0, failed: 0 });
    return {
      update(done, counts, newTotal) {
        if (newTotal !== undefined) {
          if (!known && bar) (bar as unknown as { options: { format: string } }).options.format = format(true);
          known = true;
          bar?.setTotal(newTotal);
        }
        const rate = Math.round(done / Math.max(0.001, (Date.now() - started) / 1000));
        bar?.update(done, { rate, indexed: counts.indexed ?? 0, failed: counts.failed ?? 0 });
      },
      stop() {
        bar?.stop();
        bar = undefined;
      },
    };
  }

  return {
    json,
    log,
    info: (m, d) => log('info', m, d),
    warn: (m, d) => log('warn', m, d),
    error: (m, d) => log('error', m, d),
    progress,
  };
}

/** Plain values only (no source: the message names it; no objects or lists: the JSON log has them). */
function formatData(data: Record<string, unknown>): string {
  return Object.entries(data)
    .filter(([k, v]) => k !== 'source' && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'))
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');
}

/** A logger that writes nothing (tests, library use). */
export const silentLogger: Logger = {
  json: true,
  log() {},
  info() {},
  warn() {},
  error() {},
  progress: () => ({ update() {}, stop() {} }),
};
