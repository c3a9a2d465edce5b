import { abortableSleep, cancelledError, throwIfAborted, type Sleep } from '../abort';

export interface PerSecondLimiterOptions {
  limitPerSecond: number;
  sleep?: Sleep;
  now?: () => number;
}

/**
 * Window Etsy counts calls in, plus a margin: we stamp a call when it leaves the limiter, Etsy when
 * it arrives, so a call delayed on the way (token refresh, connection setup, network jitter) would
 * otherwise land in the same second as the call `limit` places after it.
 */
export const RATE_WINDOW_MS = 1000;
export const RATE_WINDOW_MARGIN_MS = 50;

/**
 * Per-second pacing as a sliding window: a call leaves only when fewer than `x-limit-per-second`
 * calls left in the last second (+ margin), plus a global pause used to honour `retry-after`: while
 * paused, no request of this client leaves.
 *
 * Why not a token bucket: a bucket of size = rate, refilled at rate, lets up to 2 × rate calls through
 * in one second (a full bucket plus its refill). Etsy counts per second (a sliding window in the
 * simulator, time buckets at Etsy, notes §4), so a bucket after any idle second earned a 429 and its
 * 1 s retry-after pause — measured by `npm run bench` as ~1 call in 6 rejected and a full sync at
 * ~56 % of the allowed rate (docs/PERFORMANCE.md). A window of the last `limit` send times never
 * exceeds the limit in any second, sliding or bucketed.
 */
export class PerSecondLimiter {
  private limit: number;
  /** Send times (ms) still inside the window, oldest first. */
  private sent: number[] = [];
  private pausedUntil = 0;
  private tail: Promise<void> = Promise.resolve();
  private readonly sleep: Sleep;
  private readonly now: () => number;

  constructor(options: PerSecondLimiterOptions) {
    this.sleep = options.sleep ?? abortableSleep;
    this.now = options.now ?? Date.now;
    this.limit = sanitize(options.limitPerSecond);
  }

  get limitPerSecond(): number {
    return this.limit;
  }

  /** Follows Etsy's `x-limit-per-second`; calls already sent stay counted, so no extra calls are handed out. */
  resize(limitPerSecond: number): void {
    if (!Number.isInteger(limitPerSecond) || limitPerSecond <= 0) return;
    this.limit = limitPerSecond;
  }

  /** `x-remaining-this-second` lower than ours: Etsy knows of calls we don't (another app); count them now. */
  observeRemainingThisSecond(remaining: number): void {
    if (!Number.isFinite(remaining) || remaining < 0) return;
    const now = this.now();
    this.prune(now);
    const ours = this.limit - this.sent.length;
    for (let extra = ours - Math.floor(remaining); extra > 0; extra -= 1) this.sent.push(now);
  }

  /** Nothing is sent before `untilMs` (a 429's retry-after applies to every caller, not just one). */
  pauseUntil(untilMs: number): void {
    if (untilMs > this.pausedUntil) this.pausedUntil = untilMs;
  }

  /** When a pause is in force, its end (ms); else undefined. */
  pausedUntilMs(now: number = this.now()): number | undefined {
    return this.pausedUntil > now ? this.pausedUntil : undefined;
  }

  /** Waits (FIFO) for a free slot in the window; rejects with CANCELLED when the signal aborts. */
  async acquire(signal?: AbortSignal): Promise<void> {
    throwIfAborted(signal);
    const previous = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((resolve) => (release = resolve));
    try {
      await waitOrAbort(previous, signal);
      await this.takeSlot(signal);
    } finally {
      release();
    }
  }

  private async takeSlot(signal: AbortSignal | undefined): Promise<void> {
    for (;;) {
      throwIfAborted(signal);
      const now = this.now();
      if (this.pausedUntil > now) {
        const until = this.pausedUntil;
        await this.sleep(until - now, signal);
        // Only look again if someone extended the pause meanwhile (robust to a clock that sleep doesn't move).
        if (this.pausedUntil > until) continue;
      }
      const at = this.now();
      this.prune(at);
      if (this.sent.length < this.limit) {
        this.sent.push(at);
        return;
      }
      // The slot frees when the call `limit` places back leaves the window.
      const oldest = this.sent[this.sent.length - this.limit] as number;
      await this.sleep(Math.max(1, oldest + RATE_WINDOW_MS + RATE_WINDOW_MARGIN_MS - at), signal);
    }
  }

  private prune(now: number): void {
    const cutoff = now - RATE_WINDOW_MS - RATE_WINDOW_MARGIN_MS;
    let drop = 0;
    while (drop < this.sent.length && (this.sent[drop] as number) <= cutoff) drop += 1;
    if (drop > 0) this.sent.splice(0, drop);
  }
}

function sanitize(limitPerSecond: number): number {
  return Math.max(1, Math.floor(Number.isFinite(limitPerSecond) ? limitPerSecond : 1));
}

function waitOrAbort(promise: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (signal === undefined) return promise;
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => reject(cancelledError());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
