import type { PropertyValue } from '../../../shared/mirror-types';

/**
 * Everything the inventory planner reads, as plain data (no database types), so the planner is a pure
 * function and its tests build inputs by hand. The engine fills it from the store (mirror, catalog,
 * links, receipt items) and, just before a write, again with freshly read Etsy inventories.
 */

export interface PlanSettings {
  /** Safety stock kept back from Etsy; a whole number ≥ 0. */
  buffer: number;
  /** Push catalog prices to Etsy (catalog → Etsy only). */
  pushPrices: boolean;
  /** Starting point for SKUs that have never been synced. */
  firstSyncSource: 'etsy' | 'catalog';
  /** The shop's currency (ISO 4217); prices are pushed only in this currency. */
  shopCurrency: string;
  /**
   * SKUs whose catalog stock was just pulled changed from the server (server link): their catalog edit
   * is explained as "edited on the server". Absent: none.
   */
  serverEditedSkus?: ReadonlySet<string>;
}

/** Etsy Money: value = amount / divisor. */
export interface PlanMoney {
  amount: number;
  divisor: number;
  currency: string;
}

export interface PlanEtsyProduct {
  /** The variation key: sorted property/value ids, "" without variations (src/shared/product-key.ts). */
  productKey: string;
  /** '' when the product has no SKU. */
  sku: string;
  propertyValues: PropertyValue[];
  /** Latest Etsy product_id seen (changes on every write; used only to match receipts). */
  etsyProductId: number | null;
  /** The offering's quantity. A disabled offering still counts: its stock is real (docs/SYNC.md). */
  quantity: number;
  isEnabled: boolean;
  price: PlanMoney;
}

/**
 * Known states: active, inactive, sold_out, draft, expired, removed (and the historical `edit`). The
 * mirror stores Etsy's text as is, so any other value is possible; the planner treats it like a draft.
 */
export type PlanListingState = 'active' | 'inactive' | 'sold_out' | 'draft' | 'expired' | 'removed' | 'edit';

export interface PlanListing {
  listingId: number;
  title: string;
  state: PlanListingState | (string & {});
  /** True only when this app set the listing inactive (zero stock), so it may re-activate it. */
  deactivatedByApp: boolean;
  /** Gone from Etsy (the mirror keeps the row); its products are ignored. */
  removed: boolean;
  /** False for old listings Etsy has no inventory records for. */
  hasInventory: boolean;
  /**
   * A write of this listing has an unknown outcome and may still land: it is neither written nor
   * deactivated, its Etsy-side changes are not counted and its baselines stay until the write is settled.
   */
  held?: boolean;
  products: PlanEtsyProduct[];
}

export interface PlanCatalogVariant {
  sku: string;
  title: string;
  quantity: number;
  /** Minor units of `currency`. */
  priceAmount: number;
  currency: string;
}

export interface PlanLink {
  listingId: number;
  productKey: string;
  sku: string;
  /** bE; null = not synced yet. A link is "baselined" only when both baselines are set. */
  baselineEtsy: number | null;
  /** bL; null = not synced yet. */
  baselineCatalog: number | null;
  /** product_id our last write created for this product (receipts on it are sales since that write). */
  writtenProductId: number | null;
  writtenQuantity: number | null;
}

/** One receipt transaction created since the last sync; used only to explain Etsy-side decreases. */
export interface PlanReceiptItem {
  receiptId: number;
  transactionId: number;
  listingId: number | null;
  etsyProductId: number | null;
  sku: string | null;
  quantity: number;
  /** Etsy epoch seconds. */
  createdTs: number;
}

export interface InventoryPlanInput {
  settings: PlanSettings;
  listings: PlanListing[];
  catalog: PlanCatalogVariant[];
  links: PlanLink[];
  receipts: PlanReceiptItem[];
  /** ms epoch; stamped on the plan. */
  now: number;
}
