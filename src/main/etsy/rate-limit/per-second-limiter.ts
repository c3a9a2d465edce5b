import { TokenBucket } from 'limiter';
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
 * Per-second pacing with `limiter`'s TokenBucket, plus a global pause used to honour `retry-after`:
 * while paused, no request of this client leaves.
 *
 * The bucket holds ONE token and drips one every (1 s + margin) / x-limit-per-second: calls are evenly
 * spaced and no second ever holds more than the limit. A bucket as large as the rate would let a full
 * bucket plus its refill through in one second (2 × the limit) after any idle moment, which Etsy
 * answers with 429 and a 1 s pause — measured by `npm run bench` as ~1 call in 6 rejected
 * (docs/PERFORMANCE.md). Spacing costs nothing here: a sync sends its calls one after another.
 * We poll the bucket with tryRemoveTokens and our own abortable sleep, because limiter's own
 * removeTokens() waits on a timer nobody can cancel.
 */
export class PerSecondLimiter {
  private bucket: TokenBucket;
  /** Our own recent send times (ms), to tell Etsy's count of our calls from calls of others. */
  private sent: number[] = [];
  private pausedUntil = 0;
  private tail: Promise<void> = Promise.resolve();
  private readonly sleep: Sleep;
  private readonly now: () => number;

  constructor(options: PerSecondLimiterOptions) {
    this.sleep = options.sleep ?? abortableSleep;
    this.now = options.now ?? Date.now;
    this.bucket = makeBucket(sanitize(options.limitPerSecond));
    this.bucket.content = 1;
  }

  get limitPerSecond(): number {
    return Math.round((RATE_WINDOW_MS + RATE_WINDOW_MARGIN_MS) / this.bucket.interval);
  }

  /** Follows Etsy's `x-limit-per-second`; never hands out an extra token. */
  resize(limitPerSecond: number): void {
    if (!Number.isInteger(limitPerSecond) || limitPerSecond <= 0 || limitPerSecond === this.limitPerSecond) return;
    this.bucket.drip();
    const content = Math.min(this.bucket.content, 1);
    this.bucket = makeBucket(limitPerSecond);
    this.bucket.content = content;
  }

  /**
   * `x-remaining-this-second` lower than our own calls of the last second explain: Etsy counts calls
   * we don't know of (another app on the same key), so the next slot is given up. A 0 that our own
   * evenly spaced calls explain is normal at full speed and changes nothing.
   */
  observeRemainingThisSecond(remaining: number): void {
    if (!Number.isFinite(remaining) || remaining < 0) return;
    const now = this.now();
    const ours = this.sent.filter((at) => at > now - RATE_WINDOW_MS - RATE_WINDOW_MARGIN_MS).length;
    if (remaining < this.limitPerSecond - ours) {
      this.bucket.drip();
      this.bucket.content = 0;
    }
  }

  /** Nothing is sent before `untilMs` (a 429's retry-after applies to every caller, not just one). */
  pauseUntil(untilMs: number): void {
    if (untilMs > this.pausedUntil) this.pausedUntil = untilMs;
  }

  /** When a pause is in force, its end (ms); else undefined. */
  pausedUntilMs(now: number = this.now()): number | undefined {
    return this.pausedUntil > now ? this.pausedUntil : undefined;
  }

  /** Waits (FIFO) for the next slot; rejects with CANCELLED when the signal aborts. */
  async acquire(signal?: AbortSignal): Promise<void> {
    throwIfAborted(signal);
    const previous = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((resolve) => (release = resolve));
    try {
      await waitOrAbort(previous, signal);
      await this.takeToken(signal);
    } finally {
      release();
    }
  }

  private async takeToken(signal: AbortSignal | undefined): Promise<void> {
    for (;;) {
      throwIfAborted(signal);
      const now = this.now();
      if (this.pausedUntil > now) {
        const until = this.pausedUntil;
        await this.sleep(until - now, signal);
        // Only look again if someone extended the pause meanwhile (robust to a clock that sleep doesn't move).
        if (this.pausedUntil > until) continue;
      }
      if (this.bucket.tryRemoveTokens(1)) {
        this.sent.push(this.now());
        if (this.sent.length > this.limitPerSecond) this.sent.splice(0, this.sent.length - this.limitPerSecond);
        return;
      }
      const waitMs = Math.ceil((1 - this.bucket.content) * this.bucket.interval);
      await this.sleep(Math.max(1, waitMs), signal);
    }
  }
}

function sanitize(limitPerSecond: number): number {
  return Math.max(1, Math.floor(Number.isFinite(limitPerSecond) ? limitPerSecond : 1));
}

function makeBucket(limitPerSecond: number): TokenBucket {
  return new TokenBucket({
    bucketSize: 1,
    tokensPerInterval: 1,
    interval: Math.ceil((RATE_WINDOW_MS + RATE_WINDOW_MARGIN_MS) / limitPerSecond),
  });
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
