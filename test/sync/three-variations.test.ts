/**
 * Item 16: Etsy listings may carry a third variation property (docs/ETSY_API_NOTES.md §9.22). The simulator's generated
 * shops include such listings; keys, merge, the PUT body (with `max_variations_supported=3`, without
 * which Etsy caps a body at two properties) and the names the window shows handle all three.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FRAME_PROPERTY, generateShop, PAPER_PROPERTY, SIZE_PROPERTY, type ShopSeed } from '../../sim';
import { catalogStock, startWorld, type World } from './world';

let world: World | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

const FOX = 4001;

function shop(): ShopSeed {
  const products = [];
  for (const size of ['A4', 'A3']) {
    for (const frame of ['Unframed', 'Oak frame']) {
      for (const paper of ['Matte', 'Gloss']) {
        products.push({ values: [size, frame, paper], sku: `FOX-${size}-${frame === 'Unframed' ? 'U' : 'OAK'}-${paper[0]}`, quantity: 3 });
      }
    }
  }
  return { listings: [{ listing_id: FOX, title: 'Red Fox Print', properties: [SIZE_PROPERTY, FRAME_PROPERTY, PAPER_PROPERTY], products }] };
}

describe('three variation properties', () => {
  it('the generated shops include listings with three properties', () => {
    const seed = generateShop({ listings: 60, seed: 3, threeProperty: 2 });
    expect(seed.listings.filter((l) => (l.properties?.length ?? 0) === 3)).toHaveLength(2);
  });

  it('syncs, merges a sale, writes a local edit and names each variation with its three values', async () => {
    world = await startWorld({ shop: shop() });
    const { sim, core } = world;
    const first = await core.sync({ kinds: ['products', 'inventory'], trigger: 'cli' });
    expect(first.errors).toEqual([]);
    const stock = catalogStock(core);
    expect(stock.size).toBe(8);
    expect(core.catalog.list().find((v) => v.sku === 'FOX-A3-OAK-G')?.title).toBe('Red Fox Print — A3 / Oak frame / Gloss');

    sim.sell(FOX, 'FOX-A4-U-M', 2);
    core.catalog.setStock('FOX-A3-OAK-G', 8);
    const report = await core.sync({ kinds: ['inventory'], trigger: 'cli' });
    expect(report.errors).toEqual([]);
    expect(catalogStock(core).get('FOX-A4-U-M')).toBe(1);
    const etsy = sim.getListing(FOX)!.products;
    expect(etsy.find((p) => p.sku === 'FOX-A3-OAK-G')?.quantity).toBe(8);
    expect(etsy.find((p) => p.sku === 'FOX-A4-U-M')?.quantity).toBe(1);
    expect(etsy).toHaveLength(8);
    expect(sim.store.listing(FOX)!.inventory!.products[0]!.property_values.map((pv) => pv.property_id)).toEqual([
      SIZE_PROPERTY.property_id,
      FRAME_PROPERTY.property_id,
      PAPER_PROPERTY.property_id,
    ]);
    expect(core.repos.attention.listAttention().filter((item) => item.kind === 'write_failed')).toEqual([]);
    expect(sim.violations).toEqual([]);
  });
});
