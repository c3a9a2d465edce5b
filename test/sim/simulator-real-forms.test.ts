/**
 * Real Etsy differs from its document (docs/ETSY_API_NOTES.md §9.23–25): capitalised receipt statuses, `"listing": null`
 * on inventories, `""` transaction SKUs, offerings without `readiness_state_id`. These are the
 * simulator's default forms; `forms: 'document'` sends the documented ones. The simulator's own
 * response validation must accept the real forms (and still reject anything else).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createOpenApiValidator, startEtsySimulator, type EtsySimulator } from '../../sim';
import { api, HERON, OTTER, smallShop } from './sim-test-helpers';

const validator = createOpenApiValidator();
let sim: EtsySimulator | null = null;
afterEach(async () => {
  expect(sim?.violations ?? []).toEqual([]);
  await sim?.close();
  sim = null;
});

describe('real Etsy forms (default)', () => {
  it('receipt status is capitalised, transaction SKUs are "", a cancelled receipt says "Canceled"', async () => {
    sim = await startEtsySimulator({ shop: smallShop(), validator });
    const owner = api(sim, sim.issueTokens().access_token);
    const sale = sim.sell(HERON, 'HERON-A4', 1);
    const second = sim.sell(OTTER, undefined, 1);
    sim.setReceiptStatus(second.receipt_id, 'fully refunded');
    const r = await owner.get(`/shops/${sim.shop.shop_id}/receipts?sort_on=receipt_id&sort_order=asc`);
    expect(r.status).toBe(200);
    const [first, refunded] = r.body.results;
    expect(first.receipt_id).toBe(sale.receipt_id);
    expect(first.status).toBe('Paid');
    expect(first.transactions[0].sku).toBe('');
    expect(first.transactions[0].product_id).toBe(sale.product_id);
    expect(refunded.status).toBe('Fully Refunded');
  });

  it('getListingInventory carries "listing": null', async () => {
    sim = await startEtsySimulator({ shop: smallShop(), validator });
    const owner = api(sim, sim.issueTokens().access_token);
    const r = await owner.get(`/listings/${HERON}/inventory`);
    expect(r.status).toBe(200);
    expect(r.body).toHaveProperty('listing', null);
    expect(r.body.products).toHaveLength(2);
  });

  it('can send offerings without readiness_state_id, or with null', async () => {
    sim = await startEtsySimulator({ shop: smallShop(), validator });
    const owner = api(sim, sim.issueTokens().access_token);
    sim.setOfferingReadiness(HERON, 'HERON-A4', 'absent');
    sim.setOfferingReadiness(HERON, 'HERON-A3', null);
    const r = await owner.get(`/listings/${HERON}/inventory`);
    expect(r.body.products[0].offerings[0]).not.toHaveProperty('readiness_state_id');
    expect(r.body.products[1].offerings[0].readiness_state_id).toBeNull();
  });
});

describe("the document's forms", () => {
  it("forms: 'document' sends lowercase statuses, the owner's SKUs and no listing field", async () => {
    sim = await startEtsySimulator({ shop: smallShop(), validator, forms: 'document' });
    const owner = api(sim, sim.issueTokens().access_token);
    sim.sell(HERON, 'HERON-A4', 1);
    const r = await owner.get(`/shops/${sim.shop.shop_id}/receipts`);
    expect(r.body.results[0].status).toBe('paid');
    expect(r.body.results[0].transactions[0].sku).toBe('HERON-A4');
    const inv = await owner.get(`/listings/${HERON}/inventory`);
    expect(inv.body).not.toHaveProperty('listing');
  });
});

describe('the validator knows these deviations and nothing more', () => {
  it('accepts capitalised statuses and listing: null, rejects an unknown status', () => {
    const receipt = (status: string) => ({ count: 1, results: [{ receipt_id: 1, status }] });
    const errorsFor = (status: string) => validator.validateResponse('getShopReceipts', 200, receipt(status)).errors.filter((e) => e.includes('status'));
    expect(errorsFor('Fully Refunded')).toEqual([]);
    expect(errorsFor('paid')).toEqual([]);
    expect(errorsFor('Shipped')).not.toEqual([]);
    const inv = { products: [], price_on_property: [], quantity_on_property: [], sku_on_property: [], readiness_state_on_property: [], listing: null };
    expect(validator.validateResponse('getListingInventory', 200, inv).errors.filter((e) => e.includes('listing'))).toEqual([]);
  });
});
