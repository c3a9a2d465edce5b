/**
 * In-memory data model of the Etsy simulator, plus the plain-data "seed" shape tests and generators use
 * to describe a shop. Money is integer minor units (amount/divisor), timestamps epoch seconds, as on Etsy.
 */

export type ListingState = 'active' | 'inactive' | 'sold_out' | 'draft' | 'removed' | 'expired';
export const LISTING_STATES: readonly ListingState[] = ['active', 'inactive', 'sold_out', 'draft', 'removed', 'expired'];

export interface SimMoney {
  amount: number;
  divisor: number;
  currency_code: string;
}

export interface SimPropertyValue {
  property_id: number;
  property_name: string | null;
  scale_id: number | null;
  scale_name: string | null;
  value_ids: number[];
  values: string[];
}

export interface SimOffering {
  offering_id: number;
  quantity: number;
  is_enabled: boolean;
  price: SimMoney;
  /** undefined: the offering is served without the field (Etsy documents it as optional and nullable). */
  readiness_state_id: number | null | undefined;
}

export interface SimProduct {
  product_id: number;
  sku: string;
  offerings: SimOffering[];
  property_values: SimPropertyValue[];
}

export interface SimInventory {
  products: SimProduct[];
  price_on_property: number[];
  quantity_on_property: number[];
  sku_on_property: number[];
  readiness_state_on_property: number[];
}

export interface SimListing {
  listing_id: number;
  title: string;
  description: string;
  state: ListingState;
  created: number;
  updated: number;
  stateTimestamp: number;
  /** Null for old listings never edited with Etsy's inventory tools (docs/ETSY_API_NOTES.md §9.12). */
  inventory: SimInventory | null;
  /** Listing-level quantity/price, used only when there is no inventory record. */
  plainQuantity: number;
  plainPrice: SimMoney;
  /** Incremented on every change; lets a test tell whether a listing was touched. */
  version: number;
}

export interface SimTransaction {
  transaction_id: number;
  listing_id: number;
  product_id: number | null;
  sku: string;
  quantity: number;
  price: SimMoney;
  title: string;
  property_values: SimPropertyValue[];
}

/** The document's receipt statuses (ShopReceipt.status); real bodies capitalise them (docs/ETSY_API_NOTES.md §9.23). */
export type ReceiptStatus = 'paid' | 'completed' | 'open' | 'payment processing' | 'canceled' | 'fully refunded' | 'partially refunded';

/**
 * 'real' (default): what real Etsy sends where it differs from its document (docs/ETSY_API_NOTES.md §9.23–25):
 * capitalised receipt statuses, `"listing": null` on getListingInventory, `""` transaction SKUs.
 * 'document': the documented forms (lowercase statuses, the owner's SKUs, no `listing` field).
 */
export type SimForms = 'real' | 'document';

export interface SimReceipt {
  receipt_id: number;
  status: ReceiptStatus;
  buyer_user_id: number;
  created: number;
  updated: number;
  /** Not returned by getShopReceipts yet: a receipt that appears minutes after the sale (issue 12 item 12). */
  hidden?: boolean;
  transactions: SimTransaction[];
}

export interface SimShop {
  shop_id: number;
  user_id: number;
  shop_name: string;
  login_name: string;
  currency_code: string;
}

export interface SimReadinessState {
  readiness_state_id: number;
  readiness_state: 'ready_to_ship' | 'made_to_order';
  min_processing_days: number;
  max_processing_days: number;
}

// ---- seed shape (what tests, `art-sync demo` and the benchmark describe) ----

export interface SeedProperty {
  property_id: number;
  property_name: string;
  scale_id?: number | null;
  scale_name?: string | null;
}

export interface SeedProduct {
  /** One value per listing property, in property order; empty for a listing without variations. */
  values?: string[];
  /** Empty string or omitted = no SKU. */
  sku?: string;
  quantity: number;
  /** Minor units (cents). Defaults to the listing price. */
  price?: number;
  is_enabled?: boolean;
}

export interface SeedListing {
  listing_id?: number;
  title: string;
  description?: string;
  state?: ListingState;
  /** Minor units; default 2500. */
  price?: number;
  /** 0–3 variation properties (a PUT with 3 needs max_variations_supported=3, docs/ETSY_API_NOTES.md §5, §9.22). */
  properties?: SeedProperty[];
  products: SeedProduct[];
  /**
   * The listing's `*_on_property` as the seller left them. Default: quantity varies along every property,
   * price and SKU along the fewest that explain them. A seller whose sizes all hold the same stock may
   * have `quantity: []` (Etsy then rejects a PUT that gives the sizes different stock, docs/ETSY_API_NOTES.md §9.7).
   */
  onProperty?: { price?: number[]; quantity?: number[]; sku?: number[] };
  /** False = an old listing without inventory records (getListingInventory answers 404). Default true. */
  hasInventoryRecord?: boolean;
  /** Epoch seconds; defaults derive from the simulator clock. */
  created?: number;
  updated?: number;
}

export interface ShopSeed {
  shop?: Partial<SimShop>;
  listings: SeedListing[];
}

/** Allocates Etsy-looking numeric ids; every series is disjoint so a product id never equals an offering id. */
export class IdAllocator {
  private listing = 1_400_000_000;
  private product = 20_000_000_000;
  private offering = 30_000_000_000;
  private receipt = 3_100_000_000;
  private transaction = 4_200_000_000;
  private value = 1_000_000_000;

  nextListing(): number {
    return ++this.listing;
  }
  nextProduct(): number {
    return ++this.product;
  }
  nextOffering(): number {
    return ++this.offering;
  }
  nextReceipt(): number {
    return ++this.receipt;
  }
  nextTransaction(): number {
    return ++this.transaction;
  }
  nextValue(): number {
    return ++this.value;
  }
  /** Keeps auto ids clear of explicitly seeded listing ids. */
  observeListing(id: number): void {
    if (id > this.listing) this.listing = id;
  }
}

/** Stable value ids per (property, value text), as Etsy keeps for a seller's custom values. */
export class ValueRegistry {
  private readonly ids = new Map<string, number>();
  private readonly names = new Map<number, string>();
  private readonly scales = new Map<number, string>();
  constructor(private readonly alloc: IdAllocator) {}

  valueId(propertyId: number, value: string): number {
    const key = `${propertyId}\u0000${value}`;
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.alloc.nextValue();
      this.ids.set(key, id);
    }
    return id;
  }
  remember(propertyId: number, value: string, id: number): void {
    this.ids.set(`${propertyId}\u0000${value}`, id);
  }
  rememberProperty(propertyId: number, name: string | null | undefined, scaleId?: number | null, scaleName?: string | null): void {
    if (name) this.names.set(propertyId, name);
    if (scaleId != null && scaleName) this.scales.set(scaleId, scaleName);
  }
  propertyName(propertyId: number): string | null {
    return this.names.get(propertyId) ?? (propertyId === 513 || propertyId === 514 ? 'Custom Property' : null);
  }
  scaleName(scaleId: number | null): string | null {
    return scaleId === null ? null : (this.scales.get(scaleId) ?? null);
  }
}

export function totalQuantity(listing: SimListing): number {
  if (!listing.inventory) return listing.plainQuantity;
  let sum = 0;
  for (const p of listing.inventory.products) for (const o of p.offerings) if (o.is_enabled) sum += o.quantity;
  return sum;
}

/** The listing price Etsy shows: the minimum enabled offering price (docs/ETSY_API_NOTES.md §7). */
export function minimumPrice(listing: SimListing): SimMoney {
  if (!listing.inventory) return listing.plainPrice;
  let best: SimMoney | undefined;
  for (const p of listing.inventory.products) {
    for (const o of p.offerings) if (o.is_enabled && (!best || o.price.amount < best.amount)) best = o.price;
  }
  return best ?? listing.inventory.products[0]?.offerings[0]?.price ?? listing.plainPrice;
}

/** Property-value key of a product, e.g. "A4" or "A4|Matte" — how control methods name a variation. */
export function productKey(product: SimProduct): string {
  return product.property_values.map((pv) => pv.values[0] ?? '').join('|');
}
