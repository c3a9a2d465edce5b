import { describe, expect, it } from 'vitest';
import { backoffDelayMs, decideRetry, DEFAULT_RETRY_POLICY, parseRetryAfterMs, type AttemptOutcome } from '../../src/main/etsy/retry';
import { EtsyLimitError } from '../../src/main/etsy/errors';

const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1000 };

function decide(method: string, attempt: number, outcome: AttemptOutcome) {
  return decideRetry({ method, attempt, outcome, policy, random: () => 0.5, now: 1_000_000, what: 'test' });
}

const status = (s: number, extra: Partial<Extract<AttemptOutcome, { kind: 'status' }>> = {}): AttemptOutcome => ({
  kind: 'status',
  status: s,
  retryAfterMs: undefined,
  dailyLimit: false,
  ...extra,
});

describe('backoff with full jitter', () => {
  it('stays within [0, min(max, base*2^(n-1))) for any random value', () => {
    for (let n = 1; n <= 8; n += 1) {
      const cap = Math.min(1000, 100 * 2 ** (n - 1));
      expect(backoffDelayMs(n, policy, () => 0)).toBe(0);
      expect(backoffDelayMs(n, policy, () => 0.999999)).toBeLessThan(cap);
      expect(backoffDelayMs(n, policy, () => 0.999999)).toBeGreaterThanOrEqual(cap - 1);
      expect(backoffDelayMs(n, policy, () => 1)).toBeLessThan(cap); // a random() returning 1 is clamped
      expect(backoffDelayMs(n, policy, () => 0.5)).toBe(Math.floor(cap / 2));
    }
  });
});

describe('retry-after parsing', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfterMs('3', 0)).toBe(3000);
    expect(parseRetryAfterMs(' 0 ', 0)).toBe(0);
    expect(parseRetryAfterMs(new Date(10_000).toUTCString(), 4000)).toBe(6000);
    expect(parseRetryAfterMs(null, 0)).toBeUndefined();
    expect(parseRetryAfterMs('soon', 0)).toBeUndefined();
  });
});

describe('decideRetry', () => {
  it('reads retry network errors, timeouts and 5xx until attempts run out', () => {
    expect(decide('GET', 1, { kind: 'network', cause: new Error('reset') })).toEqual({ kind: 'retry', delayMs: 50, pauseEveryone: false });
    expect(decide('GET', 2, { kind: 'timeout' })).toMatchObject({ kind: 'retry' });
    expect(decide('GET', 3, status(503))).toMatchObject({ kind: 'retry' });
    const last = decide('GET', 4, status(503));
    expect(last.kind === 'fail' && last.error.code).toBe('ETSY_UNAVAILABLE');
    const net = decide('GET', 4, { kind: 'network', cause: null });
    expect(net.kind === 'fail' && net.error.code).toBe('NETWORK');
  });

  it('writes are never repeated after a network error, timeout or 5xx', () => {
    for (const method of ['PUT', 'PATCH', 'POST']) {
      for (const outcome of [{ kind: 'network', cause: null } as const, { kind: 'timeout' } as const, status(500), status(502)]) {
        const d = decide(method, 1, outcome);
        expect(d.kind === 'fail' && d.error.code).toBe('WRITE_OUTCOME_UNKNOWN');
      }
    }
  });

  it('a 429 is retried for reads and writes alike, honouring retry-after and pausing everyone', () => {
    expect(decide('PUT', 1, status(429, { retryAfterMs: 2000 }))).toEqual({ kind: 'retry', delayMs: 2000, pauseEveryone: true });
    expect(decide('GET', 1, status(429))).toEqual({ kind: 'retry', delayMs: 50, pauseEveryone: true });
  });

  it('a long retry-after or a daily 429 fails with a retryAt instead of sleeping', () => {
    const long = decide('GET', 1, status(429, { retryAfterMs: 86_400_000 }));
    expect(long.kind === 'fail' && long.error).toBeInstanceOf(EtsyLimitError);
    expect(long.kind === 'fail' && (long.error as EtsyLimitError).retryAt).toBe(1_000_000 + 86_400_000);
    const daily = decide('GET', 1, status(429, { retryAfterMs: 5000, dailyLimit: true }));
    expect(daily.kind === 'fail' && daily.error.code).toBe('DAILY_BUDGET_EXHAUSTED');
    expect(daily.kind === 'fail' && (daily.error as EtsyLimitError).retryAt).toBe(1_005_000);
  });

  it('2xx and other 4xx are done (the client maps 4xx)', () => {
    expect(decide('GET', 1, status(200))).toEqual({ kind: 'done' });
    expect(decide('PUT', 1, status(400))).toEqual({ kind: 'done' });
  });
});
