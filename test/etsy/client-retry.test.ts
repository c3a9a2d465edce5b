import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../src/shared/errors';
import { EtsyLimitError } from '../../src/main/etsy/errors';
import { RATE_WINDOW_MARGIN_MS } from '../../src/main/etsy/rate-limit/per-second-limiter';
import { inventory, json, listing, makeClient } from './fake-etsy';

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return error instanceof AppError ? error.code : `not AppError: ${String(error)}`;
  }
  return 'resolved';
}

const me = { user_id: 5, shop_id: 1 };

afterEach(() => {
  vi.useRealTimers();
});

describe('request basics', () => {
  it('sends x-api-key as keystring:shared_secret and a bearer token', async () => {
    const { client, seen } = makeClient(() => json(me));
    await expect(client.getMe()).resolves.toEqual(me);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.url.pathname).toBe('/v3/application/users/me');
    expect(seen[0]!.headers.get('x-api-key')).toBe('kstr-test:shh-secret');
    expect(seen[0]!.headers.get('authorization')).toBe('Bearer 12345.token-1-abcdefghijklmnop');
  });

  it('serialises listings queries and the state-only form body as Etsy documents them', async () => {
    const { client, seen } = makeClient((req) =>
      req.method === 'PATCH' ? json(listing(7, { state: 'inactive' })) : json({ count: 0, results: [] }),
    );
    await client.getListingsByShop({ shopId: 1, state: 'sold_out', offset: 200, sortOn: 'updated', sortOrder: 'desc' });
    const q = seen[0]!.url.searchParams;
    expect(Object.fromEntries(q)).toEqual({ state: 'sold_out', limit: '100', offset: '200', includes: 'Inventory', sort_on: 'updated', sort_order: 'desc' });
    await client.updateListing(1, 7, { state: 'inactive' });
    expect(seen[1]!.method).toBe('PATCH');
    expect(seen[1]!.url.pathname).toBe('/v3/application/shops/1/listings/7');
    expect(seen[1]!.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
    expect(seen[1]!.body).toBe('state=inactive');
  });

  it('a 401 invalid_token invalidates the token and retries once with a fresh one; a second 401 means reconnect', async () => {
    let n = 0;
    const { client, seen, tokens } = makeClient(() => {
      n += 1;
      return n === 1 ? json({ error: 'invalid_token', error_description: 'access token is expired' }, 401) : json(me);
    });
    await expect(client.getMe()).resolves.toEqual(me);
    expect(tokens.invalidated).toEqual(['12345.token-1-abcdefghijklmnop']);
    expect(seen[1]!.headers.get('authorization')).toBe('Bearer 12345.token-2-abcdefghijklmnop');

    const always401 = makeClient(() => json({ error: 'invalid_token' }, 401));
    await expect(codeOf(always401.client.getMe())).resolves.toBe('RECONNECT_ETSY');
    expect(always401.seen).toHaveLength(2);
  });

  it('4xx become ETSY_REJECTED with Etsy’s text and never a secret', async () => {
    const { client } = makeClient(() =>
      json({ error: 'Invalid API key: should be in the format keystring:shared_secret. Got kstr-test:shh-secret' }, 403),
    );
    const error = await client.getShop(1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('ETSY_REJECTED');
    expect((error as AppError).message).toContain('Invalid API key');
    expect((error as AppError).message).not.toContain('shh-secret');
    expect((error as AppError).message).not.toContain('kstr-test');
    expect((error as AppError).action).toMatch(/keystring/);
  });
});

describe('reads retry, writes do not', () => {
  it('a read retries on 5xx and on network errors, then succeeds', async () => {
    let n = 0;
    const sleeps: number[] = [];
    const { client, seen } = makeClient(
      () => {
        n += 1;
        if (n === 1) return json({ error: 'boom' }, 503);
        if (n === 2) throw new TypeError('fetch failed');
        return json(me);
      },
      { sleep: async (ms) => void sleeps.push(ms) },
    );
    await expect(client.getMe()).resolves.toEqual(me);
    expect(seen).toHaveLength(3);
    // The limiter's pacing waits (≤ 210 ms at 5/s) go through the same sleep; the backoff waits are:
    expect(sleeps.filter((ms) => ms >= 250)).toEqual([250, 500]); // random 0.5 × caps 500, 1000
  });

  it('a read gives up after maxAttempts with ETSY_UNAVAILABLE / NETWORK', async () => {
    const five = makeClient(() => json({ error: 'down' }, 500), { sleep: async () => {}, retry: { maxAttempts: 3 } });
    await expect(codeOf(five.client.getMe())).resolves.toBe('ETSY_UNAVAILABLE');
    expect(five.seen).toHaveLength(3);
    const net = makeClient(() => Promise.reject(new TypeError('fetch failed')), { sleep: async () => {} });
    await expect(codeOf(net.client.getMe())).resolves.toBe('NETWORK');
  });

  it('a write that meets a 5xx or a network error is sent once and reported as WRITE_OUTCOME_UNKNOWN', async () => {
    const body = { products: [] };
    const five = makeClient(() => json({ error: 'oops' }, 500), { sleep: async () => {} });
    await expect(codeOf(five.client.updateListingInventory(7, body))).resolves.toBe('WRITE_OUTCOME_UNKNOWN');
    expect(five.seen).toHaveLength(1);
    const reset = makeClient(() => Promise.reject(new TypeError('socket hang up')), { sleep: async () => {} });
    await expect(codeOf(reset.client.updateListing(1, 7, { state: 'active' }))).resolves.toBe('WRITE_OUTCOME_UNKNOWN');
    expect(reset.seen).toHaveLength(1);
  });

  it('a write that meets a 429 is retried (it was not applied) with the same body', async () => {
    let n = 0;
    const { client, seen } = makeClient(
      () => (++n === 1 ? json({ error: 'Exceeded per second rate limit' }, 429, { 'retry-after': '0' }) : json(inventory('A'))),
    );
    await client.updateListingInventory(7, { products: [{ sku: 'A', property_values: [], offerings: [{ price: 1, quantity: 1, is_enabled: true, readiness_state_id: 3 }] }] });
    expect(seen).toHaveLength(2);
    expect(seen[1]!.body).toBe(seen[0]!.body);
    expect(JSON.parse(seen[1]!.body)).toMatchObject({ products: [{ sku: 'A' }] });
  });
});

describe('429 retry-after', () => {
  it('sends nothing — for any caller — for N seconds, then resumes', async () => {
    vi.useFakeTimers();
    let n = 0;
    const { client, seen } = makeClient(() =>
      ++n === 1 ? json({ error: 'Exceeded per second rate limit' }, 429, { 'retry-after': '3' }) : json(me),
    );
    const first = client.getMe();
    await vi.advanceTimersByTimeAsync(0);
    expect(seen).toHaveLength(1);
    const second = client.getShop(1).catch(() => undefined); // another caller during the pause
    await vi.advanceTimersByTimeAsync(2999);
    expect(seen).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await first;
    expect(seen).toHaveLength(2);
    // The other caller follows one pacing slot later.
    await vi.advanceTimersByTimeAsync(1000);
    await second;
    expect(seen.length).toBe(3);
  });

  it('without retry-after it backs off with jitter and still sends nothing meanwhile', async () => {
    vi.useFakeTimers();
    let n = 0;
    const { client, seen } = makeClient(() => (++n === 1 ? json({ error: 'slow down' }, 429) : json(me)), { random: () => 0.9 });
    const p = client.getMe();
    await vi.advanceTimersByTimeAsync(449); // cap 500 × 0.9 = 450 ms
    expect(seen).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await expect(p).resolves.toEqual(me);
    expect(seen).toHaveLength(2);
  });

  it('a daily-limit 429 fails at once with DAILY_BUDGET_EXHAUSTED and fills the local budget', async () => {
    const { client, seen } = makeClient(() => json({ error: 'Exceeded daily rate limit' }, 429, { 'retry-after': '86400' }), { now: () => 5_000_000 });
    const error = await client.getMe().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EtsyLimitError);
    expect((error as EtsyLimitError).code).toBe('DAILY_BUDGET_EXHAUSTED');
    expect((error as EtsyLimitError).retryAt).toBe(5_000_000 + 86_400_000);
    expect(client.budgetSnapshot().remainingToday).toBe(0);
    await expect(codeOf(client.getMe())).resolves.toBe('DAILY_BUDGET_EXHAUSTED');
    expect(seen).toHaveLength(1); // the second call never left
  });
});

describe('cancellation', () => {
  it('one AbortSignal cancels a backoff wait and nothing more is sent', async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const { client, seen } = makeClient(() => json({ error: 'down' }, 503), { random: () => 0.99 });
    const p = client.getMe({ signal: controller.signal }).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(10);
    expect(seen).toHaveLength(1);
    controller.abort();
    const error = await p;
    expect((error as AppError).code).toBe('CANCELLED');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(seen).toHaveLength(1);
  });

  it('the client-wide signal cancels a retry-after pause and the limiter wait', async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const { client, seen } = makeClient(() => json({ error: 'x' }, 429, { 'retry-after': '30' }), { signal: controller.signal });
    const a = client.getMe().catch((e: unknown) => e);
    const b = client.getShop(1).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1000);
    expect(seen).toHaveLength(1); // the 429 came back before the next pacing slot: the other caller waits 30 s too
    controller.abort();
    expect(((await a) as AppError).code).toBe('CANCELLED');
    expect(((await b) as AppError).code).toBe('CANCELLED');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(seen).toHaveLength(1);
  });

  it('aborting during fetch: a read is CANCELLED, a write is WRITE_OUTCOME_UNKNOWN (it may have been applied)', async () => {
    const controller = new AbortController();
    const { client } = makeClient(
      () =>
        new Promise<Response>((_, reject) => {
          controller.abort();
          reject(new DOMException('aborted', 'AbortError'));
        }),
    );
    await expect(codeOf(client.updateListing(1, 2, { state: 'active' }, { signal: controller.signal }))).resolves.toBe('WRITE_OUTCOME_UNKNOWN');
    const read = new AbortController();
    const r = makeClient(
      () =>
        new Promise<Response>((_, reject) => {
          read.abort();
          reject(new DOMException('aborted', 'AbortError'));
        }),
    );
    await expect(codeOf(r.client.getMe({ signal: read.signal }))).resolves.toBe('CANCELLED');
  });

  it('a write whose answer arrived is returned even if cancel came at that moment', async () => {
    const controller = new AbortController();
    const { client } = makeClient(() => {
      controller.abort();
      return json(listing(2, { state: 'active' }));
    });
    await expect(client.updateListing(1, 2, { state: 'active' }, { signal: controller.signal })).resolves.toMatchObject({ listing_id: 2 });
  });
});

describe('per-second limiter', () => {
  it('paces calls to x-limit-per-second once Etsy announces it', async () => {
    vi.useFakeTimers();
    const sentAt: number[] = [];
    const { client } = makeClient(() => {
      sentAt.push(Date.now());
      return json(me, 200, { 'x-limit-per-second': '2' });
    });
    await client.getMe(); // learns 2 per second
    const calls = [client.getMe(), client.getMe(), client.getMe()];
    await vi.advanceTimersByTimeAsync(0);
    expect(sentAt.length).toBeLessThan(4);
    await vi.advanceTimersByTimeAsync(3_000);
    await Promise.all(calls);
    expect(sentAt).toHaveLength(4);
    // Evenly spaced: one call per (1 s + margin) / 2.
    const spacing = Math.ceil((1000 + RATE_WINDOW_MARGIN_MS) / 2);
    for (let i = 2; i < sentAt.length; i += 1) expect(sentAt[i]! - sentAt[i - 1]!).toBeGreaterThanOrEqual(spacing);
  });

  it('x-remaining-this-second: a 0 our own calls explain changes nothing; calls of others make it wait a slot', async () => {
    vi.useFakeTimers();
    const sentAt: number[] = [];
    let remaining = '5';
    const { client } = makeClient(() => {
      sentAt.push(Date.now());
      return json(me, 200, { 'x-limit-per-second': '5', 'x-remaining-this-second': remaining });
    });
    await client.getMe();
    await vi.advanceTimersByTimeAsync(2_000);
    // Etsy saw 5 calls in this second although we sent only one: another app is using the key.
    remaining = '0';
    const start = Date.now();
    await client.getMe();
    const second = client.getMe();
    await vi.advanceTimersByTimeAsync(1_000);
    await second;
    const gapAfterForeign = sentAt[2]! - sentAt[1]!;
    expect(sentAt[1]! - start).toBeLessThan(50);
    expect(gapAfterForeign).toBeGreaterThanOrEqual(Math.ceil((1000 + RATE_WINDOW_MARGIN_MS) / 5));
    // Our own five calls in a second: Etsy says 0 left, which is what we expect; no extra wait.
    await vi.advanceTimersByTimeAsync(2_000);
    sentAt.length = 0;
    let left = 5;
    const own = makeClient(async () => {
      sentAt.push(Date.now());
      left = Math.max(0, left - 1);
      await new Promise((resolve) => setTimeout(resolve, 100)); // the round trip
      return json(me, 200, { 'x-limit-per-second': '5', 'x-remaining-this-second': String(left) });
    });
    const warmUp = own.client.getMe(); // learns 5 per second
    await vi.advanceTimersByTimeAsync(2_000);
    await warmUp;
    sentAt.length = 0;
    left = 5;
    const calls = Array.from({ length: 6 }, () => own.client.getMe());
    await vi.advanceTimersByTimeAsync(3_000);
    await Promise.all(calls);
    const spacing = Math.ceil((1000 + RATE_WINDOW_MARGIN_MS) / 5);
    for (let i = 2; i < sentAt.length; i += 1) expect(sentAt[i]! - sentAt[i - 1]!).toBeLessThanOrEqual(spacing + 5);
  });

  it('never sends more than the limit in any one second, also right after an idle second', async () => {
    vi.useFakeTimers();
    const sentAt: number[] = [];
    const { client } = makeClient(() => {
      sentAt.push(Date.now());
      return json(me, 200, { 'x-limit-per-second': '5' });
    });
    await client.getMe();
    const burst = async (n: number): Promise<void> => {
      const calls = Array.from({ length: n }, () => client.getMe());
      await vi.advanceTimersByTimeAsync(5_000);
      await Promise.all(calls);
    };
    await burst(12);
    await vi.advanceTimersByTimeAsync(1_500); // idle: a token bucket would now hand out a full burst on top of its refill
    await burst(12);
    for (const [i, t] of sentAt.entries()) {
      const inWindow = sentAt.filter((other, j) => j >= i && other < t + 1000).length;
      expect(inWindow).toBeLessThanOrEqual(5);
    }
    expect(sentAt).toHaveLength(25);
  });
});

describe('rate header reconciliation', () => {
  it('learns limits and trusts a lower x-remaining-today', async () => {
    const { client } = makeClient(() =>
      json(me, 200, { 'x-limit-per-second': '10', 'x-remaining-this-second': '9', 'x-limit-per-day': '1000', 'x-remaining-today': '10' }),
    );
    expect(client.budgetSnapshot()).toMatchObject({ usedToday: 0, limitPerDay: 100_000 });
    await client.getMe();
    expect(client.budgetSnapshot()).toMatchObject({ usedToday: 990, limitPerDay: 1000, limitPerSecond: 10, remainingToday: 10 });
  });
});
