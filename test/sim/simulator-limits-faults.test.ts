import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOpenApiValidator, startEtsySimulator, type EtsySimulator } from '../../sim';
import { api, HERON, OTTER, smallShop, toPutBody } from './sim-test-helpers';

let clock = Date.UTC(2026, 9, 1, 12, 0, 0);
let sim: EtsySimulator;
let owner: ReturnType<typeof api>;

beforeAll(async () => {
  sim = await startEtsySimulator({ shop: smallShop(), validator: createOpenApiValidator(), now: () => clock });
});
afterAll(() => sim.close());
beforeEach(() => {
  clock += 2 * 24 * 3600 * 1000; // leave every rate window of the previous test behind
  sim.seedShop(smallShop());
  sim.clearFaults();
  sim.resetCounters();
  sim.setRateLimits({ perSecond: 1000, perDay: 1_000_000 });
  owner = api(sim, sim.issueTokens({}).access_token);
});
afterEach(() => expect(sim.violations).toEqual([]));

const RATE_HEADERS = ['x-limit-per-second', 'x-remaining-this-second', 'x-limit-per-day', 'x-remaining-today'];

describe('rate limits (docs/ETSY_API_NOTES.md §4)', () => {
  it('2xx responses carry the four headers; over the per-second limit → 429, retry-after 1, no rate headers', async () => {
    sim.setRateLimits({ perSecond: 3, perDay: 100 });
    const ok = [];
    for (let i = 0; i < 3; i++) ok.push(await owner.get('/users/me'));
    expect(ok.map((r) => r.headers.get('x-remaining-this-second'))).toEqual(['2', '1', '0']);
    expect(ok.map((r) => r.headers.get('x-remaining-today'))).toEqual(['99', '98', '97']);
    expect(ok[0]!.headers.get('x-limit-per-second')).toBe('3');
    expect(ok[0]!.headers.get('x-limit-per-day')).toBe('100');
    const limited = await owner.get('/users/me');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(limited.body).toEqual({ error: 'Exceeded per second rate limit' });
    for (const h of RATE_HEADERS) expect(limited.headers.get(h)).toBeNull();
    clock += 1000;
    expect((await owner.get('/users/me')).status).toBe(200);
    expect(sim.counters.rateLimited).toBe(1);
    expect(sim.counters.total).toBe(4); // the 429 is not counted
  });
  it('over the daily limit → 429 with retry-after 86400 until the rolling day has passed', async () => {
    sim.setRateLimits({ perSecond: 100, perDay: 5 });
    sim.useDailyQuota(4);
    const last = await owner.get('/users/me');
    expect(last.headers.get('x-remaining-today')).toBe('0');
    const limited = await owner.get('/users/me');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('86400');
    expect(limited.body).toEqual({ error: 'Exceeded daily rate limit' });
    clock += 24 * 3600 * 1000 + 1;
    // A day later the access token has expired too; a fresh one gets through again.
    expect((await api(sim, sim.issueTokens().access_token).get('/users/me')).status).toBe(200);
  });
});

describe('faults', () => {
  it('failNext answers the next N calls with a 5xx, then recovers; nothing is written', async () => {
    sim.failNext(2, { status: 503 });
    const first = await owner.get('/users/me');
    expect(first).toMatchObject({ status: 503, body: { error: 'Service Unavailable' } });
    expect((await owner.get(`/listings/${OTTER}/inventory`)).status).toBe(503);
    expect((await owner.get('/users/me')).status).toBe(200);
    expect(sim.counters).toMatchObject({ total: 3, writes: 0 });
  });
  it('failNext can target one operation', async () => {
    sim.failNext(1, { operationId: 'updateListingInventory', status: 500 });
    const body = toPutBody((await owner.get(`/listings/${OTTER}/inventory`)).body);
    body.products[0].offerings[0].quantity = 9;
    expect((await owner.putJson(`/listings/${OTTER}/inventory`, body)).status).toBe(500);
    expect(sim.getListing(OTTER)!.quantity).toBe(4);
    expect(sim.counters.writes).toBe(0);
    expect((await owner.putJson(`/listings/${OTTER}/inventory`, body)).status).toBe(200);
    expect(sim.getListing(OTTER)!.quantity).toBe(9);
  });
  it('resetAfterApply drops the connection after the write was applied: the client sees an error, the write happened', async () => {
    const body = toPutBody((await owner.get(`/listings/${OTTER}/inventory`)).body);
    body.products[0].offerings[0].quantity = 11;
    sim.resetAfterApply(1, { operationId: 'updateListingInventory' });
    await expect(owner.putJson(`/listings/${OTTER}/inventory`, body)).rejects.toThrow();
    expect(sim.getListing(OTTER)!.quantity).toBe(11);
    expect(sim.counters.writes).toBe(1);
    expect(sim.requestLog.at(-1)).toMatchObject({ operationId: 'updateListingInventory', status: 'reset' });
  });
  it('resetAfterApply without an operation hits the next write, not reads', async () => {
    sim.resetAfterApply(1);
    expect((await owner.get('/users/me')).status).toBe(200);
    await expect(owner.patchForm(`/shops/${sim.shop.shop_id}/listings/${OTTER}`, { state: 'inactive' })).rejects.toThrow();
    expect(sim.getListing(OTTER)!.state).toBe('inactive');
  });
  it('resetBeforeHandling drops the connection before anything is applied', async () => {
    const body = toPutBody((await owner.get(`/listings/${OTTER}/inventory`)).body);
    body.products[0].offerings[0].quantity = 12;
    sim.resetBeforeHandling(1, { operationId: 'updateListingInventory' });
    await expect(owner.putJson(`/listings/${OTTER}/inventory`, body)).rejects.toThrow();
    expect(sim.getListing(OTTER)!.quantity).toBe(4);
  });
  it('latency delays responses but changes nothing else', async () => {
    sim.setLatency(20);
    const r = await owner.get(`/listings/${OTTER}/inventory`);
    expect(r.status).toBe(200);
    expect(r.body.products[0].offerings[0].quantity).toBe(4);
  });
});

describe('hooks and counters', () => {
  it('onRequest runs before the handler: a sale between the engine’s read and its write is overwritten by a blind PUT', async () => {
    const body = toPutBody((await owner.get(`/listings/${HERON}/inventory`)).body);
    const seen: string[] = [];
    const off = sim.onRequest((info) => {
      seen.push(info.operationId);
      if (info.operationId === 'updateListingInventory') sim.sell(HERON, 'HERON-A4', 1);
    });
    try {
      expect((await owner.putJson(`/listings/${HERON}/inventory`, body)).status).toBe(200);
    } finally {
      off();
    }
    expect(seen).toEqual(['updateListingInventory']);
    // The PUT replaced the inventory with pre-sale numbers; the receipt is the only trace of the sale.
    expect(sim.getListing(HERON)!.products[0]!.quantity).toBe(5);
    expect((await owner.get(`/shops/${sim.shop.shop_id}/receipts`)).body.count).toBe(1);
  });
  it('onApplied runs after the handler with the status and whether it wrote', async () => {
    const applied: [string, number, boolean][] = [];
    const off = sim.onApplied((info) => {
      applied.push([info.operationId, info.status, info.wrote]);
    });
    await owner.get('/users/me');
    await owner.patchForm(`/shops/${sim.shop.shop_id}/listings/${OTTER}`, { state: 'inactive' });
    off();
    expect(applied).toEqual([
      ['getMe', 200, false],
      ['updateListing', 200, true],
    ]);
  });
  it('counts requests per operation and applied writes', async () => {
    await owner.get('/users/me');
    await owner.get('/users/me');
    await owner.get(`/listings/batch/inventory?listing_ids=${HERON}`);
    expect(sim.counters.byOperation).toEqual({ getMe: 2, getListingsInventoryByListingIds: 1 });
    expect(sim.counters).toMatchObject({ total: 3, writes: 0 });
  });
  it('unknown routes and unimplemented operations are 404/501 and recorded as violations', async () => {
    expect((await owner.get('/no/such/thing')).status).toBe(404);
    expect((await owner.get(`/listings/${OTTER}`)).status).toBe(501); // getListing: in the document, not simulated
    expect(sim.violations.map((v) => v.kind)).toEqual(['unknown-route', 'unsupported-operation']);
    sim.violations.length = 0;
  });
});
