import { describe, expect, it } from 'vitest';
import { isPlanEmpty } from '../../src/shared/plan';
import {
  catalogChanges,
  etsyChanges,
  link,
  listing,
  plan,
  product,
  receipt,
  sized,
  variant,
} from './plan-fixtures';

describe('planInventorySync: zero stock and listing states', () => {
  it('deactivates an active listing whose every product reaches 0 instead of writing zeros', () => {
    const result = plan({
      listings: [listing(1, [product('A', 1)])],
      catalog: [variant('A', 0)],
      links: [link(1, 'A', 1, 1)],
    });
    expect(result.listingWrites).toEqual([]);
    expect(result.stateChanges).toMatchObject([
      { listingId: 1, from: 'active', to: 'inactive', reason: 'deactivated_zero_stock' },
    ]);
    expect(result.changes).toMatchObject([
      { sku: 'A', listingId: 1, side: 'etsy', field: 'state', before: 'active', after: 'inactive', reason: 'deactivated_zero_stock' },
    ]);
    // The quantities stay on Etsy, so bE is what Etsy still shows.
    expect(result.baselines).toEqual([
      { listingId: 1, productKey: 'A', sku: 'A', etsyRead: 1, baselineEtsy: 1, baselineCatalog: 0 },
    ]);
  });

  it('writes a 0 for one variation while another still has stock', () => {
    const result = plan({
      listings: [listing(1, [sized('A', 1, 'A4'), sized('B', 2, 'A3')])],
      catalog: [variant('A', 0), variant('B', 2)],
      links: [link(1, 'A', 1, 1), link(1, 'B', 2, 2)],
    });
    expect(result.stateChanges).toEqual([]);
    expect(result.listingWrites).toEqual([
      { listingId: 1, products: [{ productKey: 'A', quantity: 0 }, { productKey: 'B', quantity: 2 }] },
    ]);
  });

  it('keeps an unlinked product (no SKU) at its quantity, which keeps the listing active', () => {
    const result = plan({
      listings: [listing(1, [sized('A', 1, 'A4'), sized('', 4, 'A3', { productKey: 'pv:100:130' })])],
      catalog: [variant('A', 0)],
      links: [link(1, 'A', 1, 1)],
    });
    expect(result.stateChanges).toEqual([]);
    expect(result.listingWrites).toEqual([
      { listingId: 1, products: [{ productKey: 'A', quantity: 0 }, { productKey: 'pv:100:130', quantity: 4 }] },
    ]);
  });

  it('re-activates a listing it deactivated when stock returns', () => {
    const result = plan({
      listings: [listing(1, [product('A', 1)], { state: 'inactive', deactivatedByApp: true })],
      catalog: [variant('A', 3)],
      links: [link(1, 'A', 1, 0)],
    });
    expect(result.listingWrites).toEqual([{ listingId: 1, products: [{ productKey: 'A', quantity: 3 }] }]);
    expect(result.stateChanges).toMatchObject([
      { listingId: 1, from: 'inactive', to: 'active', reason: 'reactivated_stock_returned' },
    ]);
    expect(etsyChanges(result, 'state')).toMatchObject([{ before: 'inactive', after: 'active' }]);
  });

  it('re-activates even when the quantities left on Etsy are already right', () => {
    const result = plan({
      listings: [listing(1, [product('A', 2)], { state: 'inactive', deactivatedByApp: true })],
      catalog: [variant('A', 2)],
      links: [link(1, 'A', 2, 0)],
    });
    expect(result.listingWrites).toEqual([]);
    expect(result.stateChanges).toMatchObject([{ to: 'active' }]);
  });

  it('leaves a listing it deactivated alone while its stock stays 0 (its E is not a delta)', () => {
    const result = plan({
      listings: [listing(1, [product('A', 1)], { state: 'inactive', deactivatedByApp: true })],
      catalog: [variant('A', 0)],
      links: [link(1, 'A', 1, 0)],
    });
    expect(isPlanEmpty(result)).toBe(true);
  });

  it('deactivates again a listing the user re-activated while its stock is 0', () => {
    const result = plan({
      listings: [listing(1, [product('A', 1)], { state: 'active', deactivatedByApp: true })],
      catalog: [variant('A', 0)],
      links: [link(1, 'A', 1, 0)],
    });
    expect(result.stateChanges).toMatchObject([{ from: 'active', to: 'inactive' }]);
  });

  it('never re-activates a listing the user deactivated, but keeps its stock right', () => {
    const result = plan({
      listings: [listing(1, [product('A', 1)], { state: 'inactive' })],
      catalog: [variant('A', 4)],
      links: [link(1, 'A', 1, 1)],
    });
    expect(result.stateChanges).toEqual([]);
    expect(result.listingWrites).toEqual([{ listingId: 1, products: [{ productKey: 'A', quantity: 4 }] }]);
  });

  it('does not deactivate (or write) a user-deactivated listing at 0', () => {
    const result = plan({
      listings: [listing(1, [product('A', 2)], { state: 'inactive' })],
      catalog: [variant('A', 0)],
      links: [link(1, 'A', 2, 0)],
    });
    expect(isPlanEmpty(result)).toBe(true);
  });

  it('restocks a sold-out listing without renewing it, and asks the owner to renew', () => {
    const result = plan({
      listings: [listing(1, [product('A', 0)], { state: 'sold_out', title: 'Sunset' })],
      catalog: [variant('A', 2)],
      links: [link(1, 'A', 0, 0)],
    });
    expect(result.listingWrites).toEqual([{ listingId: 1, products: [{ productKey: 'A', quantity: 2 }] }]);
    expect(result.stateChanges).toEqual([]);
    expect(result.attention).toEqual([
      {
        kind: 'sold_out_restock',
        listingId: 1,
        message: '"Sunset" is sold out on Etsy. Art Sync put its stock back, but Etsy keeps it sold out until you renew it.',
        action: 'Renew it on Etsy; Etsy charges a listing fee',
      },
    ]);
  });

  it('reads drafts and expired listings (their Etsy edits count) but never writes them', () => {
    for (const state of ['draft', 'expired', 'edit', 'some_new_state']) {
      const result = plan({
        listings: [listing(1, [product('A', 7)], { state }), listing(2, [product('A', 5)])],
        catalog: [variant('A', 5)],
        links: [link(1, 'A', 5, 5), link(2, 'A', 5, 5)],
      });
      expect(catalogChanges(result)).toMatchObject([{ after: 7, reason: 'edited_on_etsy' }]);
      expect(result.listingWrites.map((write) => write.listingId)).toEqual([2]);
      expect(result.baselines).toContainEqual({
        listingId: 1, productKey: 'A', sku: 'A', etsyRead: 7, baselineEtsy: 7, baselineCatalog: 7,
      });
    }
  });

  it('ignores removed listings entirely (their links stay as they were)', () => {
    const result = plan({
      listings: [
        listing(1, [product('A', 0)], { removed: true }),
        listing(2, [product('B', 0)], { state: 'removed' }),
      ],
      catalog: [variant('A', 5), variant('B', 5)],
      links: [link(1, 'A', 5, 5), link(2, 'B', 5, 5)],
      receipts: [receipt(1, 1, 'A', 5)],
    });
    expect(isPlanEmpty(result)).toBe(true);
    expect(result.attention.map((item) => [item.kind, item.sku])).toEqual([
      ['unmatched_variant', 'A'],
      ['unmatched_variant', 'B'],
    ]);
  });

  it('counts a disabled offering as stock and writes it like any other', () => {
    const result = plan({
      listings: [listing(1, [sized('A', 2, 'A4', { isEnabled: false }), sized('B', 1, 'A3')])],
      catalog: [variant('A', 5), variant('B', 1)],
      links: [link(1, 'A', 5, 5), link(1, 'B', 1, 1)],
    });
    expect(catalogChanges(result)).toMatchObject([{ sku: 'A', after: 2 }]);
  });

  it('does not touch a listing with nothing linked, even at 0', () => {
    const result = plan({ listings: [listing(1, [product('', 0)])] });
    expect(isPlanEmpty(result)).toBe(true);
  });
});
