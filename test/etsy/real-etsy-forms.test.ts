/**
 * The client reads real Etsy's forms (docs/ETSY_API_NOTES.md §9.23–25), served by the simulator by default: capitalised
 * receipt statuses come out in one canonical lowercase form (so no caller can compare them
 * case-sensitively by mistake), `"listing": null` on an inventory is accepted, a transaction's `""` SKU
 * comes out as "no SKU" (null), never as a SKU to group by.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEtsyClient, type EtsyClient } from '../../src/main/etsy/client';
import { MemoryBudgetStore } from '../../src/main/etsy/rate-limit/budget-store';
import { receiptSchema } from '../../src/main/etsy/schemas';
import { toReceiptItems } from '../../src/main/sync/from-etsy';
import { startEtsySimulator, type EtsySimulator } from '../../sim/etsy-simulator';
import { HERON, OTTER, smallShop } from '../sim/sim-test-helpers';

let sim: EtsySimulator;
let client: EtsyClient;

beforeAll(async () => {
  sim = await startEtsySimulator({ shop: smallShop() });
  const token = sim.issueTokens().access_token;
  client = createEtsyClient({
    apiUrl: sim.apiBaseUrl,
    keystring: sim.keystring,
    sharedSecret: sim.sharedSecret,
    tokens: { getAccessToken: async () => token, invalidate: () => undefined },
    budget: new MemoryBudgetStore(),
  });
});
afterAll(async () => {
  expect(sim.violations).toEqual([]);
  await sim.close();
});

describe('real Etsy forms through the client', () => {
  it('receipt statuses come out lowercase whatever their case', async () => {
    const paid = sim.sell(HERON, 'HERON-A4', 1);
    const refunded = sim.sell(OTTER, undefined, 1);
    sim.setReceiptStatus(refunded.receipt_id, 'fully refunded');
    const page = await client.getShopReceipts({ shopId: sim.shop.shop_id, limit: 100, offset: 0 });
    const status = new Map(page.results.map((r) => [r.receipt_id, r.status]));
    expect(status.get(paid.receipt_id)).toBe('paid');
    expect(status.get(refunded.receipt_id)).toBe('fully refunded');
    expect(receiptSchema.parse({ receipt_id: 1, status: ' Canceled ', created_timestamp: 1 }).status).toBe('canceled');
  });

  it('an empty transaction SKU is no SKU; the product id names the variation', async () => {
    const sale = sim.sell(HERON, 'HERON-A3', 1);
    const page = await client.getShopReceipts({ shopId: sim.shop.shop_id, limit: 100, offset: 0 });
    const items = toReceiptItems(page.results).filter((item) => item.receiptId === sale.receipt_id);
    expect(items).toEqual([expect.objectContaining({ sku: null, etsyProductId: sale.product_id, listingId: HERON })]);
  });

  it('an inventory with "listing": null is read', async () => {
    const inventory = await client.getListingInventory(HERON);
    expect(inventory?.products).toHaveLength(2);
  });
});
