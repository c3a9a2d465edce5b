import { afterEach, describe, expect, it } from 'vitest';
import type { ShopSeed } from '../../sim';
import { FULL_RUN_CHUNK, shopChunks } from '../../src/main/sync/sku-groups';
import { catalogStock, startWorld, type World } from './world';

/**
 * Issue 14 item 5: a full inventory run plans and writes the shop chunk by chunk of whole SKU groups
 * (docs/SYNC.md "A full run, group by group"). Planned in chunks of one listing, a shop must end exactly
 * as when it is planned in one chunk: same catalog, same Etsy quantities and states, same attention
 * items, same history, same calls.
 */
let worlds: World[] = [];
const defaultChunk = FULL_RUN_CHUNK.listings;
afterEach(async () => {
  FULL_RUN_CHUNK.listings = defaultChunk;
  for (const world of worlds) await world.close();
  worlds = [];
});

const SIZE = { property_id: 100, property_name: 'Size' };
const SHOP_ID = 50_123_456; // the simulator's shop

function shop(): ShopSeed {
  return {
    listings: [
      { title: 'Fox Print', products: [{ sku: 'FOX', quantity: 4 }] },
      { title: 'Hare Linocut', products: [{ sku: 'HARE', quantity: 3 }] },
      { title: 'Fox Print (framed)', products: [{ sku: 'FOX', quantity: 4 }] },
      {
        title: 'Owl Print',
        properties: [SIZE],
        products: [
          { values: ['Small'], sku: 'OWL-S', quantity: 2 },
          { values: ['Medium'], sku: 'OWL-M', quantity: 5 },
        ],
      },
      { title: 'Badger Etching', products: [{ sku: 'BADGER', quantity: 1 }] },
      { title: 'Owl Print, medium only', products: [{ sku: 'OWL-M', quantity: 6 }] },
      { title: 'Untitled sketch', products: [{ sku: '', quantity: 2 }] },
      { title: 'Wren Print', products: [{ sku: 'WREN', quantity: 2 }] },
      { title: 'Old Heron Print', products: [{ sku: 'HERON', quantity: 2 }] },
    ],
  };
}

interface Outcome {
  catalog: [string, number][];
  etsy: string[];
  attention: string[];
  history: string[];
  calls: Record<string, number>;
  summaries: unknown[];
}

/** The same story on a fresh world, with full runs planned in chunks of `chunk` listings. */
async function play(chunk: number): Promise<Outcome> {
  FULL_RUN_CHUNK.listings = chunk;
  const world = await startWorld({ shop: shop() });
  worlds.push(world);
  const { sim, core } = world;
  const ids = sim.listingIds();
  const index = new Map(ids.map((id, i) => [id, i]));
  const first = await core.sync({ kinds: ['products', 'inventory'], trigger: 'cli' });
  expect(first.runs.map((run) => run.status)).toEqual(['ok', 'ok']);

  // Sales and edits everywhere: a shared SKU sold on one listing, an Etsy edit, local edits (one to
  // zero: a deactivation), a SKU only the catalog has, a listing gone from Etsy.
  sim.sell(ids[0]!, undefined, 1);
  sim.editQuantity(ids[3]!, 'OWL-S', 7);
  core.catalog.setStock('HARE', 9);
  core.catalog.setStock('BADGER', 0);
  core.catalog.upsertMany([{ sku: 'KITE', title: 'Kite Print', quantity: 3, priceAmount: 1500, currency: 'GBP' }]);
  sim.deleteListing(ids[8]!);
  const calls: Record<string, number> = {};
  const off = sim.onRequest((info) => void (calls[info.operationId] = (calls[info.operationId] ?? 0) + 1));
  const report = await core.sync({ kinds: ['products', 'inventory'], trigger: 'cli', full: true });
  off();
  expect(report.runs.map((run) => run.status)).toEqual(['ok', 'ok']);

  const listing = (id: number | null) => (id === null ? '-' : `#${index.get(id) ?? id}`);
  return {
    catalog: [...catalogStock(core).entries()].sort(),
    etsy: sim
      .snapshot()
      .map((l) => `#${index.get(l.listing_id)} ${l.state} ${l.products.map((p) => `${p.sku}=${p.quantity}`).join(',')}`)
      .sort(),
    attention: core.repos.attention
      .listAttention()
      .map((item) => `${item.kind} ${listing(item.listingId || null)} ${item.sku ?? ''}`)
      .sort(),
    history: core.repos.history
      .listHistory({ limit: 1000 })
      .map((row) => `${row.sku} ${listing(row.listingId)} ${row.side} ${row.field} ${row.before}→${row.after} ${row.reason} ${row.status} ${row.explanation}`)
      .sort(),
    calls,
    summaries: report.plans.map((plan) => plan.summary),
  };
}

describe('a full run planned chunk by chunk', () => {
  it('ends exactly as one plan of the whole shop: catalog, Etsy, attention, history, calls', async () => {
    const whole = await play(1000);
    const chunked = await play(1);
    expect(chunked).toEqual(whole);
    // The story did change things on both sides (the comparison is not between two empty runs).
    expect(whole.history.some((row) => row.startsWith('FOX') && row.includes('sold_on_etsy'))).toBe(true);
    expect(whole.etsy.some((row) => row.includes('inactive') && row.includes('BADGER=')) || whole.attention.some((a) => a.includes('BADGER'))).toBe(true);
    expect(whole.attention.some((item) => item.startsWith('unmatched_variant') && item.endsWith('KITE'))).toBe(true);
    expect(whole.attention.some((item) => item.startsWith('missing_sku'))).toBe(true);
  });

  it('splits the shop into whole SKU groups, then what no group covers', async () => {
    const world = await startWorld({ shop: shop() });
    worlds.push(world);
    const { sim, core } = world;
    const ids = sim.listingIds();
    await core.sync({ kinds: ['products', 'inventory'], trigger: 'cli' });
    core.catalog.upsertMany([{ sku: 'KITE', title: 'Kite Print', quantity: 3, priceAmount: 1500, currency: 'GBP' }]);
    sim.deleteListing(ids[8]!);
    await core.sync({ kinds: ['products'], trigger: 'cli', full: true });

    const chunks = shopChunks(core.repos.groups, SHOP_ID, 1).map((chunk) => ({
      listings: [...chunk.listingIds].map((id) => ids.indexOf(id)).sort(),
      skus: [...chunk.skus].sort(),
    }));
    expect(chunks).toEqual([
      // Groups in the order of their first listing; FOX and OWL each span two listings, never split.
      { listings: [0, 2], skus: ['FOX'] },
      { listings: [1], skus: ['HARE'] },
      { listings: [3, 5], skus: ['OWL-M', 'OWL-S'] },
      { listings: [4], skus: ['BADGER'] },
      { listings: [6], skus: [] },
      { listings: [7], skus: ['WREN'] },
      // The rest: the listing gone from Etsy, then the catalog SKUs on no live listing.
      { listings: [8], skus: [] },
      { listings: [], skus: ['HERON'] },
      { listings: [], skus: ['KITE'] },
    ]);
    // With room for everything, the groups share chunks (the rest still comes last).
    const packed = shopChunks(core.repos.groups, SHOP_ID, 500);
    expect(packed.map((chunk) => chunk.listingIds.size)).toEqual([8, 1]);
    expect([...packed[1]!.skus].sort()).toEqual(['HERON', 'KITE']);
  });
});
