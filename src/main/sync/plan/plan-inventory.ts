import { AppError } from '../../../shared/errors';
import type {
  Plan,
  PlanAttention,
  PlanBaseline,
  PlanCatalogCreate,
  PlanChange,
  PlanNewLink,
  PlanStateChange,
} from '../../../shared/plan';
import { decideListing, type ListingDecision } from './decide-listing';
import { attributeReceipts, mergeSku, type SkuMember, type SkuMerge } from './merge-sku';
import {
  catalogChange,
  etsyQuantityChange,
  priceChanges,
  stateChangeExplanation,
  stateChangeRows,
} from './describe-changes';
import type { InventoryPlanInput, PlanCatalogVariant, PlanEtsyProduct, PlanLink, PlanListing } from './plan-input';
import { etsyMoneyToMinorRounded } from './price';

/**
 * The inventory planner: a pure function from mirror + catalog + links + receipts + settings to the
 * plan (docs/SYNC.md). No I/O, no clock, no randomness: the same input gives the same plan, so dry run,
 * the executor's fresh-read recomputation and the tests all see the same decisions.
 */
export function planInventorySync(input: InventoryPlanInput): Plan {
  const { settings } = input;
  if (!Number.isSafeInteger(settings.buffer) || settings.buffer < 0) {
    throw new AppError('INVALID_INPUT', `The safety stock (buffer) must be a whole number of 0 or more, not ${settings.buffer}.`);
  }
  const attention = new AttentionList();

  const catalogBySku = new Map<string, PlanCatalogVariant>();
  for (const variant of input.catalog) if (!catalogBySku.has(variant.sku)) catalogBySku.set(variant.sku, variant);
  const linkByKey = new Map<string, PlanLink>();
  for (const link of input.links) linkByKey.set(productId(link.listingId, link.productKey), link);

  // Listings the planner syncs: on Etsy and with inventory records. Removed listings are ignored and
  // their links left untouched (history still points at them).
  const listings: PlanListing[] = [];
  for (const listing of [...input.listings].sort((a, b) => a.listingId - b.listingId)) {
    if (listing.removed || listing.state === 'removed') continue;
    if (!listing.hasInventory) {
      attention.add({
        kind: 'no_inventory',
        listingId: listing.listingId,
        message: `"${listing.title}" has no inventory records on Etsy, so Art Sync cannot read or set its stock.`,
        action: "Open the listing in Etsy's listing editor and save it once",
      });
      continue;
    }
    listings.push(listing);
    reportMissingSkus(listing, attention);
  }

  const membersBySku = new Map<string, SkuMember[]>();
  for (const listing of listings) {
    const linkFor = (product: PlanEtsyProduct): PlanLink | null => {
      const link = linkByKey.get(productId(listing.listingId, product.productKey));
      return link !== undefined && link.sku === product.sku ? link : null;
    };
    const receiptsByKey = attributeReceipts(listing, input.receipts, linkFor);
    for (const product of listing.products) {
      if (!hasSku(product)) continue;
      const link = linkFor(product);
      // A held listing's E may jump to the quantities of a write still on its way: its E − bE waits.
      const baselined =
        link !== null && catalogBySku.has(product.sku) && link.baselineEtsy !== null && link.baselineCatalog !== null && listing.held !== true;
      const members = membersBySku.get(product.sku) ?? [];
      members.push({ listing, product, link, baselined, receipts: receiptsByKey.get(product.productKey) ?? [] });
      membersBySku.set(product.sku, members);
    }
  }

  // SKUs synced before, judged on every link — those of removed listings too, which the members above
  // leave out — so a re-listed print never takes the first-sync starting point again.
  const syncedSkus = new Set(input.links.filter((l) => l.baselineEtsy !== null && l.baselineCatalog !== null).map((l) => l.sku));
  const merges = new Map<string, SkuMerge>();
  for (const sku of [...membersBySku.keys()].sort()) {
    const members = membersBySku.get(sku) ?? [];
    const merge = mergeSku(sku, catalogBySku.get(sku), members, input.settings, syncedSkus.has(sku));
    if (merge === null) {
      for (const listingId of new Set(members.map((member) => member.listing.listingId))) {
        attention.add({
          kind: 'unmatched_etsy',
          listingId,
          sku,
          message: `SKU "${sku}" is on Etsy but not in your catalog, so its stock is not synced.`,
          action: `Add ${sku} to your catalog, or correct the SKU on Etsy`,
        });
      }
      continue;
    }
    merges.set(sku, merge);
    if (merge.conflictValues.length > 0) {
      attention.add({
        kind: 'conflict',
        sku,
        message:
          `Etsy listings with SKU "${sku}" showed different stock (${merge.conflictValues.join(', ')}); ` +
          `Art Sync started from the lowest, ${merge.catalogAfter}.`,
        action: `Check the stock of ${sku} in your catalog`,
      });
    }
  }
  for (const variant of catalogBySku.values()) {
    if (membersBySku.has(variant.sku)) continue;
    attention.add({
      kind: 'unmatched_variant',
      sku: variant.sku,
      message: `"${variant.title}" (SKU ${variant.sku}) is in your catalog but on no Etsy listing.`,
      action: `Add SKU ${variant.sku} to the matching variation on Etsy`,
    });
  }

  // Variants this plan creates from Etsy take part in the price comparison like existing ones.
  const catalogCreates: PlanCatalogCreate[] = [];
  for (const merge of merges.values()) {
    if (merge.catalogBefore === null) catalogCreates.push(catalogCreateFor(merge, membersBySku.get(merge.sku) ?? []));
  }
  const pricesBySku = new Map(catalogBySku);
  for (const create of catalogCreates) pricesBySku.set(create.sku, create);

  const decisions = new Map<number, ListingDecision>();
  for (const listing of listings) decisions.set(listing.listingId, decideListing(listing, merges, pricesBySku, settings));

  const changes: PlanChange[] = [];
  for (const merge of merges.values()) {
    const change = catalogChange(merge);
    if (change) changes.push(change);
  }
  const stateChanges: PlanStateChange[] = [];
  for (const decision of decisions.values()) {
    const { listing } = decision;
    if (decision.write !== null) {
      for (const product of listing.products) {
        const merge = hasSku(product) ? merges.get(product.sku) : undefined;
        const target = decision.targets.get(product.productKey) ?? product.quantity;
        if (merge === undefined || target === product.quantity) continue;
        const member = membersBySku.get(product.sku)?.find((m) => m.product === product);
        if (member) changes.push(etsyQuantityChange(merge, member, target, settings));
      }
      changes.push(...priceChanges(decision));
    }
    if (decision.stateChange !== null) {
      const stateChange = { ...decision.stateChange, explanation: stateChangeExplanation(decision.stateChange) };
      stateChanges.push(stateChange);
      const skus = [...new Set(listing.products.filter((p) => hasSku(p) && merges.has(p.sku)).map((p) => p.sku))];
      changes.push(...stateChangeRows(stateChange, skus.sort()));
    }
    if (decision.soldOutRestock) {
      attention.add({
        kind: 'sold_out_restock',
        listingId: listing.listingId,
        message:
          `"${listing.title}" is sold out on Etsy. Art Sync put its stock back, but Etsy keeps it sold out ` +
          'until you renew it.',
        action: 'Renew it on Etsy; Etsy charges a listing fee',
      });
    }
    for (const sku of decision.currencyMismatches) {
      const variant = catalogBySku.get(sku);
      attention.add({
        kind: 'currency_mismatch',
        sku,
        message:
          `The price of ${sku} is in ${variant?.currency ?? 'another currency'} but your Etsy shop uses ` +
          `${settings.shopCurrency}, so Art Sync does not push it.`,
        action: `Set the price of ${sku} in ${settings.shopCurrency} in your catalog`,
      });
    }
  }

  const newLinks: PlanNewLink[] = [];
  const baselines: PlanBaseline[] = [];
  for (const merge of merges.values()) {
    const members = membersBySku.get(merge.sku) ?? [];
    for (const member of members) {
      const { listing, product, link } = member;
      if (listing.held === true) continue;
      if (link === null) newLinks.push({ listingId: listing.listingId, productKey: product.productKey, sku: merge.sku });
      const decision = decisions.get(listing.listingId);
      const written = decision?.write != null;
      // bE is what Etsy will hold: the written target, or E itself when the listing is not written
      // (read-only state, or deactivated with its quantities left as they were).
      const baselineEtsy = written ? (decision?.targets.get(product.productKey) ?? product.quantity) : product.quantity;
      const baselineCatalog = merge.catalogAfter;
      if (link === null || written || link.baselineEtsy !== baselineEtsy || link.baselineCatalog !== baselineCatalog) {
        baselines.push({
          listingId: listing.listingId,
          productKey: product.productKey,
          sku: merge.sku,
          etsyRead: product.quantity,
          baselineEtsy,
          baselineCatalog,
        });
      }
    }
  }

  const listingWrites = [...decisions.values()].flatMap((decision) => (decision.write ? [decision.write] : []));
  const items = attention.list();
  return {
    computedAt: input.now,
    changes,
    catalogCreates,
    listingWrites,
    stateChanges,
    baselines,
    newLinks,
    attention: items,
    summary: {
      skus: merges.size,
      changes: changes.length,
      catalogChanges: changes.filter((c) => c.side === 'catalog').length,
      etsyQuantityChanges: changes.filter((c) => c.side === 'etsy' && c.field === 'quantity').length,
      priceChanges: changes.filter((c) => c.field === 'price').length,
      listingWrites: listingWrites.length,
      stateChanges: stateChanges.length,
      catalogCreates: catalogCreates.length,
      newLinks: newLinks.length,
      attention: items.length,
    },
  };
}

function productId(listingId: number, productKey: string): string {
  return `${listingId}\u0000${productKey}`;
}

function hasSku(product: PlanEtsyProduct): boolean {
  return product.sku.trim() !== '';
}

function variationName(product: PlanEtsyProduct): string {
  return product.propertyValues.flatMap((value) => value.values).join(' / ');
}

function reportMissingSkus(listing: PlanListing, attention: AttentionList): void {
  const missing = listing.products.filter((product) => !hasSku(product));
  if (missing.length === 0) return;
  const names = missing.map(variationName).filter((name) => name !== '');
  attention.add({
    kind: 'missing_sku',
    listingId: listing.listingId,
    message:
      names.length === 0
        ? `"${listing.title}" has no SKU on Etsy, so Art Sync cannot keep its stock in sync.`
        : `${names.map((name) => `"${name}"`).join(', ')} of "${listing.title}" ` +
          `${names.length === 1 ? 'has' : 'have'} no SKU on Etsy, so Art Sync cannot keep ` +
          `${names.length === 1 ? 'its' : 'their'} stock in sync.`,
    action:
      names.length === 0 ? 'Add a SKU to this listing on Etsy' : 'Add a SKU to each variation on Etsy',
  });
}

/** A catalog variant started from Etsy: named after the listing (and variation), priced as on Etsy. */
function catalogCreateFor(merge: SkuMerge, members: readonly SkuMember[]): PlanCatalogCreate {
  const source = members.find((member) => member.listing.state === 'active') ?? members[0];
  const variation = source ? variationName(source.product) : '';
  const title = source ? (variation === '' ? source.listing.title : `${source.listing.title} — ${variation}`) : merge.sku;
  return {
    sku: merge.sku,
    title,
    quantity: merge.catalogAfter,
    priceAmount: source ? etsyMoneyToMinorRounded(source.product.price) : 0,
    currency: source?.product.price.currency ?? '',
  };
}

/** Attention items, one per (kind, listingId, sku) like the attention_items table's key. */
class AttentionList {
  private readonly items = new Map<string, PlanAttention>();

  add(item: PlanAttention): void {
    const key = `${item.kind}\u0000${item.listingId ?? 0}\u0000${item.sku ?? ''}`;
    if (!this.items.has(key)) this.items.set(key, item);
  }

  list(): PlanAttention[] {
    return [...this.items.values()];
  }
}
