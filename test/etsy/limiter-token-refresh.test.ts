/**
 * Item 17: against a stand-in that counts a strict sliding second, the first sync after an expired
 * access token sent a 401 and then six calls within a second (gaps 44, 149, 210, 211, 211, 211 ms),
 * got a 429 and made an extra call. Calls that took their limiter slot and then waited for the token
 * refresh went out together when it finished. Every request — the 401 itself and the retry after the
 * refresh included — must leave in its own slot: the token is obtained before the slot is taken.
 *
 * The stand-in here is a strict counting fake on a virtual clock (fake timers, `performance` included,
 * since the limiter's bucket reads it), so the test is exact and needs no real waiting.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createEtsyClient } from '../../src/main/etsy/client';
import { MemoryBudgetStore } from '../../src/main/etsy/rate-limit/budget-store';
import type { TokenProvider } from '../../src/main/etsy/token-provider';
import { fakeFetch, json } from './fake-etsy';

afterEach(() => {
  vi.useRealTimers();
});

const LIMIT = 5;
const REFRESH_MS = 300;

/** Hands out an expired token first; a refresh (single flight, as the TokenManager) takes REFRESH_MS. */
class SlowRefreshTokens implements TokenProvider {
  private current: string | null = '1.expired-token-abcdefghijkl';
  private pending: Promise<string> | null = null;
  refreshes = 0;
  getAccessToken(): Promise<string> {
    if (this.current !== null) return Promise.resolve(this.current);
    this.pending ??= new Promise<string>((resolve) =>
      setTimeout(() => {
        this.refreshes += 1;
        this.current = `1.fresh-token-${this.refreshes}-abcdefghijkl`;
        this.pending = null;
        resolve(this.current);
      }, REFRESH_MS),
    );
    return this.pending;
  }
  invalidate(token: string): void {
    if (token === this.current) this.current = null;
  }
}

describe('per-second limit after a token refresh', () => {
  it('no strict sliding second ever holds more than the limit, 401s and retries included', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'] });
    const arrivals: number[] = [];
    let rejected = 0;
    const { fetch } = fakeFetch((req) => {
      const now = Date.now();
      // Strict: a request is over the limit when LIMIT requests already arrived in the last 1000 ms.
      if (arrivals.filter((at) => at > now - 1000).length >= LIMIT) {
        rejected += 1;
        return json({ error: 'Exceeded per second rate limit' }, 429, { 'retry-after': '1' });
      }
      arrivals.push(now);
      if (req.headers.get('authorization')?.includes('expired')) return json({ error: 'invalid_token', error_description: 'access token is expired' }, 401);
      return json({ user_id: 5, shop_id: 1 });
    });
    const tokens = new SlowRefreshTokens();
    const client = createEtsyClient({
      apiUrl: 'http://127.0.0.1:9',
      keystring: 'kstr-test',
      sharedSecret: 'shh-secret',
      tokens,
      budget: new MemoryBudgetStore({ limitPerSecond: LIMIT, limitPerDay: 100_000 }),
      fetch,
      random: () => 0.5,
    });

    // Six callers at once, as a sync's prefetching pages do.
    const calls = Array.from({ length: 6 }, () => client.getMe());
    await vi.advanceTimersByTimeAsync(10_000);
    await Promise.all(calls);

    expect(rejected).toBe(0);
    for (let i = LIMIT; i < arrivals.length; i++) expect(arrivals[i]! - arrivals[i - LIMIT]!).toBeGreaterThanOrEqual(1000);
    expect(tokens.refreshes).toBe(1);
  });
});
