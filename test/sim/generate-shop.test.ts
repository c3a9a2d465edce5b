import { describe, expect, it } from 'vitest';
import { benchShop, createOpenApiValidator, demoShop, generateShop, startEtsySimulator } from '../../sim';

describe('generateShop', () => {
  it('is deterministic for the same options and seed, different for another seed', () => {
    expect(generateShop({ listings: 50, seed: 7 })).toEqual(generateShop({ listings: 50, seed: 7 }));
    expect(generateShop({ listings: 50, seed: 7 })).not.toEqual(generateShop({ listings: 50, seed: 8 }));
  });
  it('demo shop: ≥ 40 art prints, "Blue Heron Print" in A4/A3, some without SKU, one sold out, shared SKUs', () => {
    const shop = demoShop();
    expect(shop.listings.length).toBeGreaterThanOrEqual(40);
    const heron = shop.listings[0]!;
    expect(heron.title).toBe('Blue Heron Print');
    expect(heron.products.map((p) => p.values)).toEqual([['A4'], ['A3']]);
    expect(shop.listings.filter((l) => l.products.every((p) => !p.sku))).toHaveLength(3);
    expect(shop.listings.filter((l) => l.products.every((p) => p.quantity === 0))).toHaveLength(1);
    expect(shop.listings.filter((l) => (l.properties?.length ?? 0) > 0).length).toBeGreaterThan(10);
    const skuOwners = new Map<string, number>();
    for (const l of shop.listings) for (const p of new Set(l.products.map((q) => q.sku).filter(Boolean))) skuOwners.set(p!, (skuOwners.get(p!) ?? 0) + 1);
    expect([...skuOwners.values()].some((n) => n > 1)).toBe(true);
    expect(shop.listings.some((l) => l.properties?.some((p) => p.property_id === 513))).toBe(true);
  });
  it('bench shop: about three variations per listing', () => {
    const shop = benchShop(500);
    const products = shop.listings.reduce((s, l) => s + l.products.length, 0);
    expect(products / shop.listings.length).toBeGreaterThan(2.5);
    expect(products / shop.listings.length).toBeLessThan(3.5);
  });
  it('a 5,000-listing shop is served page by page with includes=Inventory, every response on contract', async () => {
    const sim = await startEtsySimulator({ shop: benchShop(5000), validator: createOpenApiValidator() });
    try {
      const token = sim.issueTokens().access_token;
      const headers = { 'x-api-key': sim.apiKey, authorization: `Bearer ${token}` };
      let total = 0;
      let count = -1;
      for (let offset = 0; count < 0 || offset < count; offset += 100) {
        const res = await fetch(`${sim.url}/v3/application/shops/${sim.shop.shop_id}/listings?limit=100&offset=${offset}&includes=Inventory`, { headers });
        const body = (await res.json()) as { count: number; results: { inventory: unknown }[] };
        count = body.count;
        total += body.results.filter((l) => l.inventory).length;
      }
      expect(total).toBe(count);
      expect(count).toBe(sim.snapshot().filter((l) => l.state === 'active').length);
      expect(sim.violations).toEqual([]);
    } finally {
      await sim.close();
    }
  });
});
