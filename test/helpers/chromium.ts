/**
 * How the browser tests start a browser (playwright-core): Debian's Chromium (or $CHROMIUM), headless, as root, with
 * no network of its own.
 */
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
/** Longest wait for one condition: generous, for a loaded 2-core machine; a wait ends as soon as its condition holds. */
export const WAIT = 60_000;
