/**
 * Contract test for the client's requests: every client method runs against the simulator in strict
 * mode, which validates each request against the operation's parameters/body in Etsy's OpenAPI
 * document (and each of its own responses against the response schema). Zero violations allowed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEtsyClient, type EtsyClient } from '../../src/main/etsy/client';
import { buildInventoryBody, inventoryProductKey } from '../../src/main/etsy/inventory-body';
import { MemoryBudgetStore } from '../../src/main/etsy/rate-limit/budget-store';
import type { TokenProvider } from '../../src/main/etsy/token-provider';
import { startEtsySimulator, type EtsySimulator } from '../../sim/etsy-simulator';
import { generateShop } from '../../sim/generate-shop';

let sim: EtsySimulator;
let client: EtsyClient;
let tokens: SimTokens;
let budget: MemoryBudgetStore;

class SimTokens implements TokenProvider {
  current: string | undefined;
  issued = 0;
  constructor(private readonly s: EtsySimulator) {}
  async getAccessToken(): Promise<string> {
    if (this.current === undefined) {
      this.current = this.s.issueTokens().access_token;
      this.issued += 1;
    }
    return this.current;
  }
  invalidate(token: string): void {
    if (token === this.current) this.current = undefined;
  }
}

beforeAll(async () => {
  sim = await startEtsySimulator({
    strict: true,
    shop: generateShop({ listings: 130, seed: 7, soldOut: 2, inactive: 3, withoutInventoryRecord: 1 }),
    rateLimits: { perSecond: 50, perDay: 100_000 },
  });
  tokens = new SimTokens(sim);
  budget = new MemoryBudgetStore();
  client = createEtsyClient({ apiUrl: sim.apiBaseUrl, keystring: sim.keystring, sharedSecret: sim.sharedSecret, tokens, budget });
});

afterAll(async () => {
  await sim?.close();
});

describe('client against the strict simulator', () => {
  it('every operation the sync uses, with zero contract violations', async () => {
    const me = await client.getMe();
    expect(me.shop_id).toBe(sim.shop.shop_id);
    const shopId = me.shop_id!;
    const shop = await client.getShop(shopId);
    expect(shop.shop_name).toBe(sim.shop.shop_name);

    // Every state, all pages, with inventory inline.
    const seen: number[] = [];
    const skipped = [];
    for (const state of ['active', 'inactive', 'sold_out', 'draft', 'removed', 'expired'] as const) {
      for await (const page of client.listingsByShopPages(shopId, state, { sortOn: 'updated', sortOrder: 'desc' })) {
        seen.push(...page.results.map((l) => l.listing_id));
        skipped.push(...page.skipped);
      }
    }
    expect(skipped).toEqual([]);
    expect(seen.sort()).toEqual(sim.listingIds().sort());

    // Batch inventory with one deleted listing among them: found by splitting.
    const ids = sim.listingIds().slice(0, 40);
    const dead = ids[17]!;
    sim.deleteListing(dead);
    const batch = await client.getListingsInventoryByListingIds(ids);
    expect(batch.deadIds).toEqual([dead]);
    expect(batch.listings).toHaveLength(39);

    // Single inventory, and a listing with no inventory records → null.
    const all = sim.snapshot();
    const without = all.find((l) => !l.hasInventoryRecord)!;
    await expect(client.getListingInventory(without.listing_id)).resolves.toBeNull();
    const target = all.find((l) => l.hasInventoryRecord && l.state === 'active' && l.products.length > 1)!;
    const inv = (await client.getListingInventory(target.listing_id))!;
    expect(inv.products.length).toBe(target.products.length);

    // Write the whole inventory back with one variation changed.
    const key = inventoryProductKey(inv.products[0]!);
    const written = await client.updateListingInventory(target.listing_id, buildInventoryBody(inv, { [key]: { quantity: 7 } }));
    const after = written.products.find((p) => inventoryProductKey(p) === key)!;
    expect(after.offerings[0]!.quantity).toBe(7);
    expect(after.product_id).not.toBe(inv.products[0]!.product_id); // Etsy issues new ids on every PUT
    expect(written.products).toHaveLength(inv.products.length);

    // State change (form-encoded, state only), and back.
    await expect(client.updateListing(shopId, target.listing_id, { state: 'inactive' })).resolves.toMatchObject({ state: 'inactive' });
    await expect(client.updateListing(shopId, target.listing_id, { state: 'active' })).resolves.toMatchObject({ state: 'active' });

    // Sales since a point in time.
    const since = Math.floor(Date.now() / 1000) - 60;
    sim.sell(target.listing_id, { key: sim.getListing(target.listing_id)!.products[0]!.key }, 2);
    const receipts = [];
    for await (const page of client.shopReceiptsPages(shopId, { minLastModified: since })) receipts.push(...page.results);
    expect(receipts.flatMap((r) => r.transactions).some((t) => t.listing_id === target.listing_id && t.quantity === 2)).toBe(true);

    const profiles = await client.getShopReadinessStateDefinitions(shopId);
    expect(profiles.results.length).toBeGreaterThan(0);
    expect(profiles.skipped).toEqual([]);

    expect(Object.keys(sim.counters.byOperation).sort()).toEqual([
      'getListingInventory',
      'getListingsByShop',
      'getListingsInventoryByListingIds',
      'getMe',
      'getShop',
      'getShopReadinessStateDefinitions',
      'getShopReceipts',
      'updateListing',
      'updateListingInventory',
    ]);
    expect(sim.violations).toEqual([]);
    // The simulator's rate headers were learned (50/s).
    expect(client.budgetSnapshot().limitPerSecond).toBe(50);
  });

  it('an expired token costs exactly one fresh token and the call succeeds', async () => {
    sim.expireAccessTokens();
    const before = tokens.issued;
    await expect(Promise.all([client.getMe()])).resolves.toHaveLength(1);
    expect(tokens.issued).toBe(before + 1);
    expect(sim.violations).toEqual([]);
  });

  it('a 429 from the simulator is waited out and the call succeeds', async () => {
    sim.setRateLimits({ perSecond: 1 });
    const limitedBefore = sim.counters.rateLimited;
    const results = await Promise.all([client.getMe(), client.getMe(), client.getMe()]);
    expect(results).toHaveLength(3);
    expect(sim.counters.rateLimited).toBeGreaterThan(limitedBefore);
    sim.setRateLimits({ perSecond: 50 });
    expect(sim.violations).toEqual([]);
  });

  it('a connection reset after a write was applied is WRITE_OUTCOME_UNKNOWN, never retried', async () => {
    const target = sim.snapshot().find((l) => l.hasInventoryRecord && l.state === 'active')!;
    const inv = (await client.getListingInventory(target.listing_id))!;
    const writesBefore = sim.counters.writes;
    sim.resetAfterApply(1, { operationId: 'updateListingInventory' });
    await expect(client.updateListingInventory(target.listing_id, buildInventoryBody(inv))).rejects.toMatchObject({ code: 'WRITE_OUTCOME_UNKNOWN' });
    expect(sim.counters.writes).toBe(writesBefore + 1);
    sim.clearFaults();
    expect(sim.violations).toEqual([]);
  });

  it('a wrong shared secret is ETSY_REJECTED and the secret is not in the message', async () => {
    const bad = createEtsyClient({ apiUrl: sim.apiBaseUrl, keystring: sim.keystring, sharedSecret: 'wrong-secret-value', tokens, budget: new MemoryBudgetStore() });
    const error = (await bad.getShop(sim.shop.shop_id).catch((e: unknown) => e)) as Error;
    expect(error).toMatchObject({ code: 'ETSY_REJECTED' });
    expect(error.message).not.toContain('wrong-secret-value');
  });
});
