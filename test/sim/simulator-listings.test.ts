import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOpenApiValidator, generateShop, startEtsySimulator, type EtsySimulator } from '../../sim';
import { api, DRAFT, FOX, HERON, HERON_GIFT, INACTIVE, NO_SKU, OLD, OTTER, smallShop, SOLD_OUT } from './sim-test-helpers';

const validator = createOpenApiValidator();
let sim: EtsySimulator;
let owner: ReturnType<typeof api>;
let shopId: number;
// The simulator's clock is under test control, so "later" needs no sleeping.
let clock = Date.UTC(2026, 9, 1, 12, 0, 0);

beforeAll(async () => {
  sim = await startEtsySimulator({ shop: smallShop(), validator, now: () => clock });
  shopId = sim.shop.shop_id;
});
afterAll(() => sim.close());
beforeEach(() => {
  sim.seedShop(smallShop());
  owner = api(sim, sim.issueTokens().access_token);
});
afterEach(() => {
  // The simulator holds itself to the contract: no invalid request was sent, no invalid response served.
  expect(sim.violations).toEqual([]);
});

describe('getMe / getShop', () => {
  it('getMe returns the user id and shop id of the owner', async () => {
    const r = await owner.get('/users/me');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ user_id: sim.shop.user_id, shop_id: shopId });
  });
  it('getShop needs only the api key; an unknown shop is 404', async () => {
    const r = await owner.get(`/shops/${shopId}`, { bearer: null });
    expect(r.status).toBe(200);
    expect(r.body.shop_id).toBe(shopId);
    expect((await owner.get(`/shops/${shopId + 1}`)).status).toBe(404);
  });
});

describe('getListingsByShop', () => {
  it('defaults to active listings and 25 per page, {count, results}', async () => {
    const r = await owner.get(`/shops/${shopId}/listings`);
    expect(r.status).toBe(200);
    // Sold-out, inactive and draft listings are other states.
    expect(r.body.count).toBe(6);
    expect(r.body.results.map((l: { listing_id: number }) => l.listing_id).sort()).toEqual([HERON, OTTER, HERON_GIFT, FOX, NO_SKU, OLD].sort());
    expect(r.body.results[0].inventory).toBeUndefined();
  });
  it('filters by a single state', async () => {
    const ids = async (state: string) => (await owner.get(`/shops/${shopId}/listings?state=${state}`)).body.results.map((l: { listing_id: number }) => l.listing_id);
    expect(await ids('sold_out')).toEqual([SOLD_OUT]);
    expect(await ids('inactive')).toEqual([INACTIVE]);
    expect(await ids('draft')).toEqual([DRAFT]);
    expect(await ids('expired')).toEqual([]);
  });
  it('includes=Inventory returns the inventory inline; listings without records carry null', async () => {
    const r = await owner.get(`/shops/${shopId}/listings?includes=Inventory&limit=100`);
    const heron = r.body.results.find((l: { listing_id: number }) => l.listing_id === HERON);
    expect(heron.inventory.products.map((p: { sku: string }) => p.sku)).toEqual(['HERON-A4', 'HERON-A3']);
    expect(heron.inventory.quantity_on_property).toEqual([513]);
    expect(heron.inventory.price_on_property).toEqual([513]);
    expect(heron.skus).toEqual(['HERON-A4', 'HERON-A3']);
    expect(heron.quantity).toBe(7);
    expect(heron.price).toEqual({ amount: 2500, divisor: 100, currency_code: 'GBP' });
    expect(r.body.results.find((l: { listing_id: number }) => l.listing_id === OLD).inventory).toBeNull();
  });
  it('pages with limit/offset: count is the total, pages are disjoint and complete', async () => {
    sim.seedShop(generateShop({ listings: 237, seed: 3, variationRatio: 0.5 }));
    const seen: number[] = [];
    const sizes: number[] = [];
    for (let offset = 0; offset < 300; offset += 100) {
      const r = await owner.get(`/shops/${shopId}/listings?limit=100&offset=${offset}`);
      expect(r.body.count).toBe(237);
      sizes.push(r.body.results.length);
      seen.push(...r.body.results.map((l: { listing_id: number }) => l.listing_id));
    }
    expect(sizes).toEqual([100, 100, 37]);
    expect(new Set(seen).size).toBe(237);
    expect((await owner.get(`/shops/${shopId}/listings?limit=7&offset=230`)).body.results).toHaveLength(7);
    expect((await owner.get(`/shops/${shopId}/listings?offset=300`)).body).toEqual({ count: 237, results: [] });
  });
  it('rejects limit outside 1–100 with 400 (and records it as a client violation)', async () => {
    expect((await owner.get(`/shops/${shopId}/listings?limit=101`)).status).toBe(400);
    expect((await owner.get(`/shops/${shopId}/listings?limit=0`)).status).toBe(400);
    expect(sim.violations.map((v) => v.kind)).toEqual(['request', 'request']);
    sim.violations.length = 0;
  });
  it('sorts by updated desc (newest change first)', async () => {
    sim.editQuantity(OTTER, undefined, 9); // touches the otter listing "now"
    clock += 5_000;
    sim.sell(FOX, 'A4|Unframed', 1);
    const r = await owner.get(`/shops/${shopId}/listings?sort_on=updated&sort_order=desc&limit=2`);
    expect(r.body.results.map((l: { listing_id: number }) => l.listing_id)).toEqual([FOX, OTTER]);
    const asc = await owner.get(`/shops/${shopId}/listings?sort_on=updated&sort_order=asc&limit=100`);
    const stamps = asc.body.results.map((l: { updated_timestamp: number }) => l.updated_timestamp);
    expect(stamps).toEqual([...stamps].sort((a, b) => a - b));
  });
});

describe('getListingsInventoryByListingIds', () => {
  it('returns the listings carrying inventory, comma-separated ids', async () => {
    const r = await owner.get(`/listings/batch/inventory?listing_ids=${HERON},${FOX}`);
    expect(r.status).toBe(200);
    expect(r.body.count).toBe(2);
    expect(r.body.results[1].inventory.products).toHaveLength(4);
    expect(r.body.results[1].inventory.quantity_on_property).toEqual([513, 52047899301]);
  });
  it('one unknown id fails the whole batch with 404', async () => {
    sim.deleteListing(OTTER);
    const r = await owner.get(`/listings/batch/inventory?listing_ids=${HERON},${OTTER},${FOX}`);
    expect(r.status).toBe(404);
    expect(r.body.error).toContain(String(OTTER));
  });
  it('accepts 100 ids and rejects 101', async () => {
    sim.seedShop(generateShop({ listings: 101, seed: 9 }));
    const ids = sim.listingIds();
    expect((await owner.get(`/listings/batch/inventory?listing_ids=${ids.slice(0, 100).join(',')}`)).body.count).toBe(100);
    expect((await owner.get(`/listings/batch/inventory?listing_ids=${ids.join(',')}`)).status).toBe(400);
  });
});

describe('getListingInventory', () => {
  it('returns the inventory, with the listing on includes=Listing', async () => {
    const r = await owner.get(`/listings/${OTTER}/inventory?includes=Listing`);
    expect(r.status).toBe(200);
    expect(r.body.products[0].sku).toBe('OTTER');
    expect(r.body.products[0].property_values).toEqual([]);
    expect(r.body.listing.listing_id).toBe(OTTER);
  });
  it('404 for a listing without inventory records and for an unknown listing', async () => {
    const r = await owner.get(`/listings/${OLD}/inventory`);
    expect(r.status).toBe(404);
    expect(r.body.error).toMatch(/no inventory records/);
    expect((await owner.get('/listings/999999/inventory')).status).toBe(404);
  });
});

describe('SKUs are visible to the owner only (docs/ETSY_API_NOTES.md §9.9)', () => {
  it('another user sees blank sku and empty skus', async () => {
    const other = api(sim, sim.issueTokens({ userId: sim.otherUserId }).access_token);
    const batch = await other.get(`/listings/batch/inventory?listing_ids=${HERON}`);
    expect(batch.status).toBe(200);
    expect(batch.body.results[0].skus).toEqual([]);
    expect(batch.body.results[0].inventory.products.map((p: { sku: string }) => p.sku)).toEqual(['', '']);
    const inv = await other.get(`/listings/${OTTER}/inventory`);
    expect(inv.body.products[0].sku).toBe('');
    const list = await other.get(`/shops/${shopId}/listings?includes=Inventory`);
    expect(list.body.results.flatMap((l: { inventory: { products: { sku: string }[] } | null }) => l.inventory?.products.map((p) => p.sku) ?? []).every((s: string) => s === '')).toBe(true);
    expect((await other.get('/users/me')).body).toEqual({ user_id: sim.otherUserId });
    expect((await other.get(`/shops/${shopId}/receipts`)).status).toBe(403);
  });
});

describe('getShopReceipts and sales', () => {
  it('sell() decrements stock and creates a receipt whose transaction names listing, product and sku', async () => {
    const before = (await owner.get(`/listings/${HERON}/inventory`)).body;
    const sale = sim.sell(HERON, 'HERON-A3', 2);
    expect(sale.remaining).toBe(5);
    const r = await owner.get(`/shops/${shopId}/receipts`);
    expect(r.body.count).toBe(1);
    const t = r.body.results[0].transactions[0];
    // Real receipts often carry sku "" (docs/ETSY_API_NOTES.md §9.25): the product id is what names the variation.
    expect(t).toMatchObject({ listing_id: HERON, sku: '', quantity: 2, product_id: before.products[1].product_id });
    expect(t.price).toEqual({ amount: 3500, divisor: 100, currency_code: 'GBP' });
    const after = (await owner.get(`/listings/${HERON}/inventory`)).body;
    expect(after.products.map((p: { offerings: { quantity: number }[] }) => p.offerings[0]!.quantity)).toEqual([5, 0]);
  });
  it('selling the last unit marks the listing sold_out; overselling throws', async () => {
    sim.sell(OTTER, 'OTTER', 4);
    expect(sim.getListing(OTTER)?.state).toBe('sold_out');
    expect(() => sim.sell(HERON, 'HERON-A3', 3)).toThrow(/Only 2 left/);
  });
  it('filters by min_last_modified and pages', async () => {
    for (let i = 0; i < 5; i++) sim.sell(HERON, 'HERON-A4', 1);
    const all = await owner.get(`/shops/${shopId}/receipts?limit=2&offset=0`);
    expect(all.status).toBe(200);
    expect(all.body.count).toBe(5);
    expect(all.body.results).toHaveLength(2);
    const future = Math.floor(clock / 1000) + 3600;
    expect((await owner.get(`/shops/${shopId}/receipts?min_last_modified=${future}`)).body.count).toBe(0);
    const past = Math.floor(clock / 1000) - 3600;
    expect((await owner.get(`/shops/${shopId}/receipts?min_last_modified=${past}&sort_on=updated&sort_order=asc`)).body.count).toBe(5);
  });
});

describe('getShopReadinessStateDefinitions', () => {
  it('lists processing profiles used as readiness_state_id', async () => {
    const r = await owner.get(`/shops/${shopId}/readiness-state-definitions`);
    expect(r.body.count).toBe(2);
    const inv = (await owner.get(`/listings/${OTTER}/inventory`)).body;
    expect(r.body.results.map((d: { readiness_state_id: number }) => d.readiness_state_id)).toContain(inv.products[0].offerings[0].readiness_state_id);
  });
});

describe('contract: every response to a reasonable request validates', () => {
  it('validates each operation response independently of the simulator’s own check', async () => {
    sim.sell(HERON, 'HERON-A4', 1);
    const calls: [string, string][] = [
      ['getMe', '/users/me'],
      ['getShop', `/shops/${shopId}`],
      ['getListingsByShop', `/shops/${shopId}/listings?includes=Inventory&limit=100`],
      ['getListingsByShop', `/shops/${shopId}/listings?state=sold_out&includes=Inventory`],
      ['getListingsInventoryByListingIds', `/listings/batch/inventory?listing_ids=${HERON},${FOX},${OLD}`],
      ['getListingInventory', `/listings/${FOX}/inventory?includes=Listing`],
      ['getListingInventory', `/listings/${OLD}/inventory`],
      ['getShopReceipts', `/shops/${shopId}/receipts`],
      ['getShopReadinessStateDefinitions', `/shops/${shopId}/readiness-state-definitions`],
    ];
    for (const [op, path] of calls) {
      const r = await owner.get(path);
      const check = validator.validateResponse(op, r.status, r.body);
      expect({ op, path, errors: check.errors, declared: check.declared }).toEqual({ op, path, errors: [], declared: true });
    }
  });
});
