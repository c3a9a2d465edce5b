/**
 * Etsy's two per-app limits (docs/ETSY_API_NOTES.md §4): queries per second and per rolling 24 h, both as sliding windows.
 * A request over either limit gets 429 with `retry-after` (1 s, or 86400 s for the daily limit, #256)
 * and is not counted.
 */

export interface RateLimits {
  perSecond: number;
  perDay: number;
}

export type RateDecision =
  | { ok: true; headers: Record<string, string> }
  | { ok: false; retryAfter: number; error: string };

const DAY_MS = 24 * 3600 * 1000;

/** Timestamps in arrival order with a moving head: O(1) amortised per request, no per-request allocation. */
class Window {
  private readonly times: number[] = [];
  private head = 0;
  constructor(private readonly spanMs: number) {}
  count(now: number): number {
    while (this.head < this.times.length && this.times[this.head]! <= now - this.spanMs) this.head++;
    if (this.head > 4096 && this.head * 2 > this.times.length) {
      this.times.splice(0, this.head);
      this.head = 0;
    }
    return this.times.length - this.head;
  }
  add(now: number, n = 1): void {
    for (let i = 0; i < n; i++) this.times.push(now);
  }
}

export class SimRateLimiter {
  private readonly perApp = new Map<string, { second: Window; day: Window }>();
  constructor(private readonly nowMs: () => number, public limits: RateLimits) {}

  /** Checks and, when allowed, counts one request of the app. */
  take(appKey: string): RateDecision {
    const w = this.windows(appKey);
    const now = this.nowMs();
    const usedDay = w.day.count(now);
    if (usedDay >= this.limits.perDay) return { ok: false, retryAfter: 86_400, error: 'Exceeded daily rate limit' };
    const usedSecond = w.second.count(now);
    if (usedSecond >= this.limits.perSecond) return { ok: false, retryAfter: 1, error: 'Exceeded per second rate limit' };
    w.second.add(now);
    w.day.add(now);
    return {
      ok: true,
      headers: {
        'x-limit-per-second': String(this.limits.perSecond),
        'x-remaining-this-second': String(this.limits.perSecond - usedSecond - 1),
        'x-limit-per-day': String(this.limits.perDay),
        'x-remaining-today': String(this.limits.perDay - usedDay - 1),
      },
    };
  }

  /** Control: pretend `n` calls were already made today (e.g. by an earlier process). */
  useDaily(appKey: string, n: number): void {
    this.windows(appKey).day.add(this.nowMs(), n);
  }

  private windows(appKey: string): { second: Window; day: Window } {
    let w = this.perApp.get(appKey);
    if (!w) {
      w = { second: new Window(1000), day: new Window(DAY_MS) };
      this.perApp.set(appKey, w);
    }
    return w;
  }
}
