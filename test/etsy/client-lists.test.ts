import { describe, expect, it } from 'vitest';
import type { SkippedItem } from '../../src/main/etsy/schemas';
import { AppError } from '../../src/shared/errors';
import { inventory, json, listing, makeClient, type SeenRequest } from './fake-etsy';

function batchEtsy(dead: Set<number>) {
  return (req: SeenRequest): Response => {
    expect(req.url.pathname).toBe('/v3/application/listings/batch/inventory');
    const ids = (req.url.searchParams.get('listing_ids') ?? '').split(',').map(Number);
    expect(ids.length).toBeLessThanOrEqual(100);
    // All-or-nothing like Etsy: one unknown id and the whole batch is 404 (docs/ETSY_API_NOTES.md §9.10).
    if (ids.some((id) => dead.has(id))) return json({ error: 'Listing not found' }, 404);
    return json({ count: ids.length, results: ids.map((id) => listing(id)) });
  };
}

describe('getListingsInventoryByListingIds', () => {
  it('finds one dead id among 100 by halving, with a bounded number of calls', async () => {
    const ids = Array.from({ length: 100 }, (_, i) => 1000 + i);
    const { client, seen } = makeClient(batchEtsy(new Set([1042])));
    const result = await client.getListingsInventoryByListingIds(ids);
    expect(result.deadIds).toEqual([1042]);
    expect(result.listings.map((l) => l.listing_id).sort()).toEqual(ids.filter((id) => id !== 1042));
    expect(result.missingIds).toEqual([]);
    // 1 + 2 per level over ceil(log2 100) = 7 levels.
    expect(seen.length).toBeLessThanOrEqual(1 + 2 * 7);
    expect(result.listings[0]!.inventory?.products[0]!.offerings[0]!.price).toEqual({ amount: 2500, divisor: 100, currency_code: 'USD' });
  });

  it('handles several dead ids, duplicates, and more than 100 ids in chunks', async () => {
    const ids = Array.from({ length: 230 }, (_, i) => 1 + i);
    const { client, seen } = makeClient(batchEtsy(new Set([5, 150, 151, 230])));
    const result = await client.getListingsInventoryByListingIds([...ids, 5, 7]);
    expect(result.deadIds.sort((a, b) => a - b)).toEqual([5, 150, 151, 230]);
    expect(result.listings).toHaveLength(226);
    expect(seen.every((r) => r.url.searchParams.get('listing_ids')!.split(',').length <= 100)).toBe(true);
  });

  it('no 404 means one call per 100 ids', async () => {
    const { client, seen } = makeClient(batchEtsy(new Set()));
    await client.getListingsInventoryByListingIds(Array.from({ length: 100 }, (_, i) => 1 + i));
    expect(seen).toHaveLength(1);
    expect(seen[0]!.url.search).toContain('listing_ids=1,2,3,');
  });

  it('refuses invalid ids before calling Etsy', async () => {
    const { client, seen } = makeClient(batchEtsy(new Set()));
    await expect(client.getListingsInventoryByListingIds([1, -2])).rejects.toBeInstanceOf(AppError);
    expect(seen).toHaveLength(0);
  });
});

describe('validation where Etsy data enters', () => {
  it('a malformed listing is reported and skipped; the rest are kept', async () => {
    const reported: SkippedItem[] = [];
    const broken = listing(2, { inventory: { products: [{ product_id: 5, sku: 'X', offerings: [{ offering_id: 6, quantity: -4, is_enabled: true, price: { amount: 1, divisor: 100, currency_code: 'USD' } }] }] } });
    const { client } = makeClient(
      () => json({ count: 3, results: [listing(1), broken, { title: 'no id' }, listing(3, { some_new_field: { x: 1 } })] }),
      { onInvalidItem: (item) => reported.push(item) },
    );
    const page = await client.getListingsByShop({ shopId: 1, state: 'active' });
    expect(page.results.map((l) => l.listing_id)).toEqual([1, 3]);
    expect(page.skipped).toHaveLength(2);
    expect(page.skipped[0]).toMatchObject({ listingId: 2 });
    expect(page.skipped[0]!.reason).toContain('inventory.products.0.offerings.0.quantity');
    expect(page.skipped[1]!.listingId).toBeUndefined();
    expect(reported).toEqual(page.skipped);
    expect(page.results[1]).not.toHaveProperty('some_new_field');
  });

  it('a malformed envelope is an error', async () => {
    const { client } = makeClient(() => json({ results: 'nope' }));
    await expect(client.getListingsByShop({ shopId: 1, state: 'active' })).rejects.toMatchObject({ code: 'ETSY_REJECTED' });
  });

  it('getListingInventory: 404/422 mean "no inventory records"', async () => {
    for (const status of [404, 422]) {
      const { client } = makeClient(() => json({ error: 'no inventory' }, status));
      await expect(client.getListingInventory(9)).resolves.toBeNull();
    }
    const { client } = makeClient(() => json(inventory('S1', 2)));
    await expect(client.getListingInventory(9)).resolves.toMatchObject({ products: [{ sku: 'S1', offerings: [{ quantity: 2 }] }] });
  });

  it('a write Etsy accepted but answered unreadably is WRITE_OUTCOME_UNKNOWN', async () => {
    const { client } = makeClient(() => json({ products: 'garbled' }));
    await expect(client.updateListingInventory(9, { products: [] })).rejects.toMatchObject({ code: 'WRITE_OUTCOME_UNKNOWN' });
  });
});

describe('paging by count', () => {
  it('listingsByShopPages walks offsets until count, and stopWhen ends it early', async () => {
    const total = 250;
    const handler = (req: SeenRequest): Response => {
      const offset = Number(req.url.searchParams.get('offset'));
      const n = Math.max(0, Math.min(100, total - offset));
      return json({ count: total, results: Array.from({ length: n }, (_, i) => listing(offset + i + 1)) });
    };
    const { client, seen } = makeClient(handler);
    const got: number[] = [];
    for await (const page of client.listingsByShopPages(1, 'active', { sortOn: 'updated', sortOrder: 'desc' })) got.push(...page.results.map((l) => l.listing_id));
    expect(got).toHaveLength(250);
    expect(seen.map((r) => r.url.searchParams.get('offset'))).toEqual(['0', '100', '200']);

    const early = makeClient(handler);
    let pages = 0;
    for await (const page of early.client.listingsByShopPages(1, 'active', { stopWhen: (p) => p.offset >= 100 })) pages += page.results.length > 0 ? 1 : 0;
    expect(pages).toBe(2);
    expect(early.seen).toHaveLength(2);
  });

  it('a full pull asks for the next pages while the caller works, in order, and never past count', async () => {
    const total = 450;
    let inFlight = 0;
    let maxInFlight = 0;
    const handler = async (req: SeenRequest): Promise<Response> => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight -= 1;
      const offset = Number(req.url.searchParams.get('offset'));
      const n = Math.max(0, Math.min(100, total - offset));
      return json({ count: total, results: Array.from({ length: n }, (_, i) => listing(offset + i + 1)) });
    };
    const { client, seen } = makeClient(handler);
    const got: number[] = [];
    for await (const page of client.listingsByShopPages(1, 'active')) {
      got.push(...page.results.map((l) => l.listing_id));
      await new Promise((resolve) => setTimeout(resolve, 20)); // the caller applying the page
    }
    expect(got).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(seen.map((r) => r.url.searchParams.get('offset')).sort((a, b) => Number(a) - Number(b))).toEqual(['0', '100', '200', '300', '400']);
    expect(maxInFlight).toBeLessThanOrEqual(2);

    // A caller that stops early leaves no unhandled rejection behind, even if a prefetched page fails.
    let calls = 0;
    const failing = makeClient((req) => (++calls > 1 ? json({ error: 'bad' }, 400) : handler(req)));
    for await (const page of failing.client.listingsByShopPages(1, 'active')) {
      expect(page.offset).toBe(0);
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  });

  it('shopReceiptsPages passes min_last_modified and pages', async () => {
    const { client, seen } = makeClient((req) => {
      const offset = Number(req.url.searchParams.get('offset'));
      const receipt = { receipt_id: offset + 1, status: 'paid', created_timestamp: 1_700_000_000, transactions: [{ transaction_id: 9, listing_id: 3, sku: 'A', quantity: 2 }] };
      return json({ count: 101, results: [receipt] });
    });
    const all = [];
    for await (const page of client.shopReceiptsPages(1, { minLastModified: 1_700_000_000 })) all.push(...page.results);
    expect(all.map((r) => r.receipt_id)).toEqual([1, 101]);
    expect(seen[0]!.url.searchParams.get('min_last_modified')).toBe('1700000000');
    await expect(client.getShopReceipts({ shopId: 1, minLastModified: 1_700_000_000_000 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});

describe('unreadable answers', () => {
  it('broken JSON on a read is ETSY_REJECTED, on a write WRITE_OUTCOME_UNKNOWN', async () => {
    const broken = () => new Response('{"count": 1, "resu', { status: 200, headers: { 'content-type': 'application/json' } });
    const r = makeClient(broken);
    await expect(r.client.getShop(1)).rejects.toMatchObject({ code: 'ETSY_REJECTED' });
    await expect(r.client.updateListing(1, 2, { state: 'inactive' })).rejects.toMatchObject({ code: 'WRITE_OUTCOME_UNKNOWN' });
  });
});
