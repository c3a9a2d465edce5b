import v8 from 'node:v8';

/**
 * Asks V8 to favour a small heap over allocation speed in this process (docs/SYNC.md "Memory").
 *
 * Why: until its first full collection V8 lets the old generation grow towards half its limit, so
 * the short-lived objects of a sync's chunks pile up as garbage between idle moments — at 5,000
 * listings the core's RSS reached ~225–250 MB with under 50 MB of it live. `--optimize-for-size`
 * keeps the heap near what is live (measured: peak RSS 163 MB instead of 224 MB, same calls; the cost
 * is CPU in more collections, about +0.4 s on a 5,000-listing full pull and +1 s on a sync with
 * changes, which Etsy's rate limit hides in the wall time; docs/SYNC.md "Memory"). The flag is read
 * by V8's heap heuristics at each collection, so setting it once the process runs takes effect. A
 * tray app and a daemon that sync every few minutes and idle in between want the smaller footprint.
 * ART_SYNC_V8_DEFAULT_HEAP=1 leaves V8's defaults (e.g. to compare).
 */
let applied = false;

export function preferSmallHeap(env: NodeJS.ProcessEnv = process.env): void {
  if (applied || env.ART_SYNC_V8_DEFAULT_HEAP === '1') return;
  applied = true;
  v8.setFlagsFromString('--optimize-for-size');
}
