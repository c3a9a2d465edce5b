import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOpenApiValidator, startEtsySimulator, type EtsySimulator } from '../../sim';
import { api, DRAFT, FOX, HERON, INACTIVE, OTTER, smallShop, SOLD_OUT, toPutBody } from './sim-test-helpers';

const validator = createOpenApiValidator();
let sim: EtsySimulator;
let owner: ReturnType<typeof api>;
let shopId: number;

beforeAll(async () => {
  sim = await startEtsySimulator({ shop: smallShop(), validator });
  shopId = sim.shop.shop_id;
});
afterAll(() => sim.close());
beforeEach(() => {
  sim.seedShop(smallShop());
  sim.resetCounters();
  owner = api(sim, sim.issueTokens().access_token);
});
afterEach(() => {
  expect(sim.violations).toEqual([]);
});

async function putBodyOf(listingId: number) {
  return toPutBody((await owner.get(`/listings/${listingId}/inventory`)).body);
}

function expectContract(status: number, body: unknown, op = 'updateListingInventory') {
  expect(validator.validateResponse(op, status, body).errors).toEqual([]);
}

describe('updateListingInventory', () => {
  it('replaces the inventory, issues new product and offering ids on every PUT, and returns the new inventory', async () => {
    const before = (await owner.get(`/listings/${FOX}/inventory`)).body;
    const body = toPutBody(before);
    body.products[0].offerings[0].quantity = 7;
    const first = await owner.putJson(`/listings/${FOX}/inventory`, body);
    expect(first.status).toBe(200);
    expectContract(first.status, first.body);
    expect(first.body.products[0].offerings[0].quantity).toBe(7);
    const ids = (inv: { products: { product_id: number; offerings: { offering_id: number }[] }[] }) => inv.products.flatMap((p) => [p.product_id, p.offerings[0]!.offering_id]);
    const second = await owner.putJson(`/listings/${FOX}/inventory`, body); // identical body
    const all = [...ids(before), ...ids(first.body), ...ids(second.body)];
    expect(new Set(all).size).toBe(all.length);
    // The GET adds real Etsy's "listing": null (docs/ETSY_API_NOTES.md §9.24); the PUT answer is the bare inventory.
    expect((await owner.get(`/listings/${FOX}/inventory`)).body).toEqual({ ...second.body, listing: null });
    expect(sim.counters.writes).toBe(2);
  });
  it('a partial product list deletes the missing variations (full replace, #337)', async () => {
    const body = await putBodyOf(FOX);
    body.products = body.products.slice(0, 2);
    const r = await owner.putJson(`/listings/${FOX}/inventory`, body);
    expect(r.status).toBe(200);
    expect(sim.getListing(FOX)!.products.map((p) => p.key)).toEqual(['A4|Unframed', 'A4|Oak frame']);
  });
  it('assigns a value id to a new custom value sent with value_ids: []', async () => {
    const body = await putBodyOf(HERON);
    body.products.push({ sku: 'HERON-A2', property_values: [{ property_id: 513, value_ids: [], values: ['A2'] }], offerings: [{ price: 45, quantity: 1, is_enabled: true, readiness_state_id: body.products[0].offerings[0].readiness_state_id }] });
    const r = await owner.putJson(`/listings/${HERON}/inventory`, body);
    expect(r.status).toBe(200);
    expect(r.body.products[2].property_values[0].value_ids).toHaveLength(1);
    expect(r.body.products[2].property_values[0].property_name).toBe('Size');
  });

  const rejections: [string, (b: any) => void, RegExp][] = [ // eslint-disable-line @typescript-eslint/no-explicit-any
    ['product_id echoed', (b) => (b.products[0].product_id = 123), /product_id : is read-only/],
    ['offering_id echoed', (b) => (b.products[0].offerings[0].offering_id = 123), /offering_id : is read-only/],
    ['is_deleted echoed', (b) => (b.products[0].is_deleted = false), /is_deleted : is read-only/],
    ['offering is_deleted echoed', (b) => (b.products[0].offerings[0].is_deleted = false), /is_deleted : is read-only/],
    ['scale_name echoed', (b) => (b.products[0].property_values[0].scale_name = null), /scale_name : is read-only/],
    ['all quantities zero', (b) => b.products.forEach((p: any) => (p.offerings[0].quantity = 0)), /^One offering must have quantity greater than 0$/], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['quantity over 999', (b) => (b.products[0].offerings[0].quantity = 1000), /cannot be greater than 999/],
    ['quantity_on_property empty while quantities vary', (b) => (b.quantity_on_property = []), /quantity_on_property : values vary/],
    ['price_on_property empty while prices vary', (b) => (b.price_on_property = []), /price_on_property : values vary/],
    ['sku_on_property names only one of two varying properties', (b) => (b.sku_on_property = [513]), /sku_on_property : values vary/],
    ['quantity_on_property in the wrong order', (b) => (b.quantity_on_property = [52047899301, 513]), /same order as in products/],
    ['on_property names a foreign property', (b) => (b.price_on_property = [513, 200]), /property 200 is not a property/],
    ['products with different properties', (b) => (b.products[1].property_values = b.products[1].property_values.slice(0, 1)), /same properties in the same order/],
    ['duplicate variation', (b) => (b.products[1].property_values = b.products[0].property_values), /duplicate variation/],
    ['two offerings', (b) => b.products[0].offerings.push({ ...b.products[0].offerings[0] }), /exactly one offering/],
    ['unknown processing profile', (b) => (b.products[0].offerings[0].readiness_state_id = 12345), /not a processing profile/],
    ['parentheses in a value', (b) => (b.products[0].property_values[0].values = ['A4 (small)']), /parentheses/],
    ['empty products', (b) => (b.products = []), /cannot be empty/],
  ];
  it.each(rejections)('rejects with 400: %s', async (_name, mutate, message) => {
    const body = await putBodyOf(FOX);
    mutate(body);
    const r = await owner.putJson(`/listings/${FOX}/inventory`, body);
    expect(r.status).toBe(400);
    expect(r.body.error).toMatch(message);
    expectContract(r.status, r.body);
    expect(sim.counters.writes).toBe(0);
  });
  it('accepts a listed property along which the field happens not to vary', async () => {
    const body = await putBodyOf(OTTER);
    expect((await owner.putJson(`/listings/${OTTER}/inventory`, body)).status).toBe(200);
    const fox = await putBodyOf(FOX);
    fox.products.forEach((p: { offerings: { price: number }[] }) => (p.offerings[0]!.price = 30));
    expect((await owner.putJson(`/listings/${FOX}/inventory`, fox)).status).toBe(200);
  });
  it('a price that is not a number (the Money object echoed) is a 400 and a contract violation', async () => {
    const body = await putBodyOf(OTTER);
    body.products[0].offerings[0].price = { amount: 2500, divisor: 100, currency_code: 'GBP' };
    const r = await owner.putJson(`/listings/${OTTER}/inventory`, body);
    expect(r.status).toBe(400);
    expect(sim.violations.map((v) => v.errors)).toEqual([['body.products.0.offerings.0.price must be number']]);
    sim.violations.length = 0;
  });
  it('the business rule for a non-numeric price also holds in non-strict mode', async () => {
    const loose = await startEtsySimulator({ shop: smallShop(), validator, strict: false });
    try {
      const r = await api(loose, loose.issueTokens().access_token).putJson(`/listings/${OTTER}/inventory`, {
        products: [{ sku: 'OTTER', property_values: [], offerings: [{ price: '25.00', quantity: 1, is_enabled: true, readiness_state_id: null }] }],
      });
      expect(r.status).toBe(400);
      expect(r.body.error).toMatch(/price : must be a number/);
      expect(loose.violations).toEqual([]);
    } finally {
      await loose.close();
    }
  });
  it('only the owner may write (403), and an unknown listing is 404', async () => {
    const other = api(sim, sim.issueTokens({ userId: sim.otherUserId, scopes: ['listings_w'] }).access_token);
    const body = await putBodyOf(OTTER);
    expect((await other.putJson(`/listings/${OTTER}/inventory`, body)).status).toBe(403);
    expect((await owner.putJson('/listings/999999/inventory', body)).status).toBe(404);
  });
  it('a token without listings_w is refused with 403', async () => {
    const readOnly = api(sim, sim.issueTokens({ scopes: ['listings_r'] }).access_token);
    const r = await readOnly.putJson(`/listings/${OTTER}/inventory`, await putBodyOf(OTTER));
    expect(r.status).toBe(403);
    expect(r.body.error).toMatch(/listings_w/);
  });
});

describe('updateListing (PATCH, form body)', () => {
  it('deactivates and reactivates a listing', async () => {
    const off = await owner.patchForm(`/shops/${shopId}/listings/${OTTER}`, { state: 'inactive' });
    expect(off.status).toBe(200);
    expectContract(off.status, off.body, 'updateListing');
    expect(off.body.state).toBe('inactive');
    expect(sim.getListing(OTTER)!.state).toBe('inactive');
    const on = await owner.patchForm(`/shops/${shopId}/listings/${INACTIVE}`, { state: 'active' });
    expect(on.body.state).toBe('active');
  });
  it('activating a sold_out listing sets its quantity to 1 (spec)', async () => {
    const r = await owner.patchForm(`/shops/${shopId}/listings/${SOLD_OUT}`, { state: 'active' });
    expect(r.status).toBe(200);
    expect(sim.getListing(SOLD_OUT)).toMatchObject({ state: 'active', quantity: 1 });
  });
  it('rejects states other than active/inactive (contract) and activating a draft (no images)', async () => {
    expect((await owner.patchForm(`/shops/${shopId}/listings/${OTTER}`, { state: 'sold_out' })).status).toBe(400);
    expect(sim.violations).toHaveLength(1);
    sim.violations.length = 0;
    const draft = await owner.patchForm(`/shops/${shopId}/listings/${DRAFT}`, { state: 'active' });
    expect(draft.status).toBe(400);
    expect(draft.body.error).toMatch(/image/);
  });
  it('validates other fields against the schema (is_supply must be boolean)', async () => {
    expect((await owner.patchForm(`/shops/${shopId}/listings/${OTTER}`, { is_supply: 'maybe' })).status).toBe(400);
    expect(sim.violations[0]!.errors).toEqual(['body.is_supply must be boolean']);
    sim.violations.length = 0;
  });
  it('404 for another shop id', async () => {
    expect((await owner.patchForm(`/shops/${shopId + 1}/listings/${OTTER}`, { state: 'inactive' })).status).toBe(404);
  });
});

describe('seller actions on Etsy', () => {
  it('editQuantity changes stock and re-issues ids, as an edit on etsy.com does', async () => {
    const before = sim.getListing(HERON)!;
    sim.editQuantity(HERON, 'A4', 9);
    const after = sim.getListing(HERON)!;
    expect(after.products.map((p) => p.quantity)).toEqual([9, 2]);
    expect(after.products[0]!.product_id).not.toBe(before.products[0]!.product_id);
    expect(after.updated_timestamp).toBeGreaterThanOrEqual(before.updated_timestamp);
  });
  it('setState changes the state seen through the API', async () => {
    sim.setState(OTTER, 'inactive');
    const r = await owner.get(`/shops/${shopId}/listings?state=inactive`);
    expect(r.body.results.map((l: { listing_id: number }) => l.listing_id)).toContain(OTTER);
  });
});
