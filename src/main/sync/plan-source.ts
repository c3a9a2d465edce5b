import type { CatalogRepo } from '../store/catalog-repo';
import type { MirrorListingRow, MirrorRepo } from '../store/mirror-repo';
import type { SyncRepos } from '../store/sync-repos';
import type { InventoryPlanInput, PlanListing, PlanSettings } from './plan/plan-input';
import type { SyncScope } from './sku-groups';

/** What the planner reads, gathered from the store; also the catalog versions read, for the write check. */
export interface PlanSource {
  input: InventoryPlanInput;
  catalogVersions: Map<string, number>;
}

export function toPlanListing(row: MirrorListingRow): PlanListing {
  return {
    listingId: row.listingId,
    title: row.title,
    state: row.state,
    deactivatedByApp: row.deactivatedByApp,
    removed: row.removed,
    hasInventory: row.hasInventory,
    products: row.products.map((product) => ({
      productKey: product.productKey,
      sku: product.sku,
      propertyValues: product.propertyValues,
      etsyProductId: product.etsyProductId,
      quantity: product.quantity,
      isEnabled: product.isEnabled,
      price: { amount: product.priceAmount, divisor: product.priceDivisor, currency: product.currency },
    })),
  };
}

export function readPlanSource(
  repos: { mirror: MirrorRepo; repos: SyncRepos; catalog: CatalogRepo },
  options: {
    shopId: number;
    settings: PlanSettings;
    /** Receipt transactions created at or after this second (Etsy epoch seconds)… */
    receiptsSinceTs: number;
    /** …except these, already given to an earlier plan. */
    receiptsExcluded?: readonly number[];
    /**
     * A targeted sync: only these SKU groups' listings, catalog variants, links and receipts go in, so
     * the (pure, unchanged) planner plans them and nothing else — no other SKU's baselines, catalog
     * value or attention items can move.
     */
    scope?: SyncScope;
    now: number;
  },
): PlanSource {
  const scope = options.scope;
  const inSkus = (sku: string | null) => scope === undefined || (sku !== null && scope.skus.has(sku));
  // Scoped: only the group's rows are read, so a full run planned group by group never holds the
  // whole catalog or every link at once.
  const catalog = scope ? repos.catalog.listBySkus([...scope.skus]) : repos.catalog.list();
  const excluded = new Set(options.receiptsExcluded ?? []);
  const held = new Set(
    repos.repos.writeIntents
      .listUnresolvedWrites()
      .filter((write) => write.kind === 'inventory')
      .map((write) => write.listingId),
  );
  return {
    input: {
      settings: options.settings,
      listings: repos.mirror
        .listListings(options.shopId, scope ? [...scope.listingIds] : undefined)
        .filter((listing) => scope === undefined || scope.listingIds.has(listing.listingId))
        .map(toPlanListing)
        .map((listing) => (held.has(listing.listingId) ? { ...listing, held: true } : listing)),
      catalog: catalog.map((variant) => ({
        sku: variant.sku,
        title: variant.title,
        quantity: variant.quantity,
        priceAmount: variant.priceAmount,
        currency: variant.currency,
      })),
      links: repos.repos.links
        .listLinks(scope ? { skus: [...scope.skus], listingIds: [] } : undefined)
        .filter((link) => inSkus(link.sku))
        .map((link) => ({
        listingId: link.listingId,
        productKey: link.productKey,
        sku: link.sku,
        baselineEtsy: link.baselineEtsy,
        baselineCatalog: link.baselineCatalog,
        writtenProductId: link.writtenProductId,
        writtenQuantity: link.writtenQuantity,
      })),
      receipts: repos.repos.receipts
        .receiptItemsSince(options.receiptsSinceTs)
        .filter((item) => !excluded.has(item.transactionId))
        .filter((item) => scope === undefined || (item.listingId !== null && scope.listingIds.has(item.listingId)) || inSkus(item.sku))
        .map((item) => ({
          receiptId: item.receiptId,
          transactionId: item.transactionId,
          listingId: item.listingId,
          etsyProductId: item.etsyProductId,
          sku: item.sku,
          quantity: item.quantity,
          createdTs: item.createdTs,
        })),
      now: options.now,
    },
    catalogVersions: new Map(catalog.map((variant) => [variant.sku, variant.version])),
  };
}
