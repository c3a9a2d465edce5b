/**
 * Item 9: Etsy rejects an inventory whose per-product quantities (or prices) differ when
 * `quantity_on_property` (`price_on_property`) does not name the property they vary along (docs/ETSY_API_NOTES.md §6,
 * §9.7). A seller whose sizes all held the same stock may have `quantity_on_property: []`; once the
 * catalog gives the sizes different stock, the engine must send the property that now varies.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FRAME_PROPERTY, SIZE_PROPERTY, type ShopSeed } from '../../sim';
import { startWorld, type World } from './world';

let world: World | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

const HERON = 3001;
const FOX = 3002;

function shop(): ShopSeed {
  return {
    listings: [
      {
        listing_id: HERON,
        title: 'Blue Heron Print',
        properties: [SIZE_PROPERTY],
        products: [
          { values: ['A4'], sku: 'HERON-A4', quantity: 3, price: 2500 },
          { values: ['A3'], sku: 'HERON-A3', quantity: 3, price: 2500 },
        ],
        onProperty: { quantity: [], price: [] },
      },
      {
        listing_id: FOX,
        title: 'Red Fox Print',
        properties: [SIZE_PROPERTY, FRAME_PROPERTY],
        products: [
          { values: ['A4', 'Unframed'], sku: 'FOX-A4-U', quantity: 2 },
          { values: ['A4', 'Oak frame'], sku: 'FOX-A4-OAK', quantity: 2 },
          { values: ['A3', 'Unframed'], sku: 'FOX-A3-U', quantity: 4 },
          { values: ['A3', 'Oak frame'], sku: 'FOX-A3-OAK', quantity: 4 },
        ],
        // Stock varies by size only, so the seller's listing says so.
        onProperty: { quantity: [SIZE_PROPERTY.property_id] },
      },
    ],
  };
}

describe('*_on_property on the PUT', () => {
  it('stock edited on one size of a listing whose quantity did not vary is written with quantity_on_property = [size]', async () => {
    world = await startWorld({ shop: shop() });
    const { sim, core } = world;
    await core.sync({ kinds: ['products', 'inventory'], trigger: 'cli' });
    core.catalog.setStock('HERON-A4', 7);
    const report = await core.sync({ kinds: ['inventory'], trigger: 'cli' });
    expect(report.errors).toEqual([]);
    const inventory = sim.store.listing(HERON)!.inventory!;
    expect(inventory.products.map((p) => p.offerings[0]!.quantity)).toEqual([7, 3]);
    expect(inventory.quantity_on_property).toEqual([SIZE_PROPERTY.property_id]);
    // Price did not change, so price_on_property stays as the seller left it.
    expect(inventory.price_on_property).toEqual([]);
    expect(sim.violations).toEqual([]);
  });

  it('stock that now varies by frame too is written with both properties, in the products\' property order', async () => {
    world = await startWorld({ shop: shop() });
    const { sim, core } = world;
    await core.sync({ kinds: ['products', 'inventory'], trigger: 'cli' });
    core.catalog.setStock('FOX-A4-OAK', 0);
    const report = await core.sync({ kinds: ['inventory'], trigger: 'cli' });
    expect(report.errors).toEqual([]);
    const inventory = sim.store.listing(FOX)!.inventory!;
    expect(inventory.products.map((p) => p.offerings[0]!.quantity)).toEqual([2, 0, 4, 4]);
    expect(inventory.quantity_on_property).toEqual([SIZE_PROPERTY.property_id, FRAME_PROPERTY.property_id]);
    expect(core.repos.attention.listAttention().filter((item) => item.kind === 'write_failed')).toEqual([]);
    expect(sim.violations).toEqual([]);
  });
});
