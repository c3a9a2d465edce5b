import { TokenBucket } from 'limiter';
import { abortableSleep, cancelledError, throwIfAborted, type Sleep } from '../abort';

export interface PerSecondLimiterOptions {
  limitPerSecond: number;
  sleep?: Sleep;
  now?: () => number;
}

/**
 * Per-second pacing with `limiter`'s TokenBucket (burst = rate = x-limit-per-second), plus a global
 * pause used to honour `retry-after`: while paused, no request of this client leaves.
 * We poll the bucket with tryRemoveTokens and our own abortable sleep, because limiter's own
 * removeTokens() waits on a timer nobody can cancel.
 */
export class PerSecondLimiter {
  private bucket: TokenBucket;
  private pausedUntil = 0;
  private tail: Promise<void> = Promise.resolve();
  private readonly sleep: Sleep;
  private readonly now: () => number;

  constructor(options: PerSecondLimiterOptions) {
    this.sleep = options.sleep ?? abortableSleep;
    this.now = options.now ?? Date.now;
    this.bucket = makeBucket(options.limitPerSecond);
    this.bucket.content = this.bucket.bucketSize;
  }

  get limitPerSecond(): number {
    return this.bucket.bucketSize;
  }

  /** Re-sizes the bucket when Etsy's `x-limit-per-second` changes; never hands out extra tokens. */
  resize(limitPerSecond: number): void {
    if (!Number.isInteger(limitPerSecond) || limitPerSecond <= 0 || limitPerSecond === this.bucket.bucketSize) return;
    this.bucket.drip();
    const content = Math.min(this.bucket.content, limitPerSecond);
    this.bucket = makeBucket(limitPerSecond);
    this.bucket.content = content;
  }

  /** `x-remaining-this-second` lower than our bucket: Etsy knows of calls we don't (another app). */
  observeRemainingThisSecond(remaining: number): void {
    if (!Number.isFinite(remaining) || remaining < 0) return;
    this.bucket.drip();
    if (remaining < this.bucket.content) this.bucket.content = remaining;
  }

  /** Nothing is sent before `untilMs` (a 429's retry-after applies to every caller, not just one). */
  pauseUntil(untilMs: number): void {
    if (untilMs > this.pausedUntil) this.pausedUntil = untilMs;
  }

  /** When a pause is in force, its end (ms); else undefined. */
  pausedUntilMs(now: number = this.now()): number | undefined {
    return this.pausedUntil > now ? this.pausedUntil : undefined;
  }

  /** Waits (FIFO) for one token; rejects with CANCELLED when the signal aborts. */
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
      if (this.bucket.tryRemoveTokens(1)) return;
      const perTokenMs = this.bucket.interval / this.bucket.tokensPerInterval;
      const waitMs = Math.ceil((1 - this.bucket.content) * perTokenMs);
      await this.sleep(Math.max(1, waitMs), signal);
    }
  }
}

function makeBucket(limitPerSecond: number): TokenBucket {
  const size = Math.max(1, Math.floor(limitPerSecond));
  return new TokenBucket({ bucketSize: size, tokensPerInterval: size, interval: 1000 });
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
