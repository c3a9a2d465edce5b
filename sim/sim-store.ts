/**
 * The simulator's shop: listings, inventories, receipts, and the seller/buyer actions tests drive
 * (sales, edits on Etsy's site, state changes). All mutation goes through here so counters, timestamps
 * and sold-out transitions stay consistent.
 */
import { buildInventoryFromRequest, deriveOnProperty, type InventoryResult } from './inventory-rules';
import {
  IdAllocator,
  ValueRegistry,
  productKey,
  totalQuantity,
  type ListingState,
  type ReceiptStatus,
  type SeedListing,
  type SimForms,
  type ShopSeed,
  type SimInventory,
  type SimListing,
  type SimProduct,
  type SimPropertyValue,
  type SimReadinessState,
  type SimReceipt,
  type SimShop,
} from './sim-model';

/** Names a product of a listing: its SKU, its property-value key ("A4", "A4|Matte"), or its index. */
export type ProductSelector = string | { sku: string } | { key: string } | { index: number } | undefined;

export interface SaleResult {
  receipt_id: number;
  transaction_id: number;
  product_id: number | null;
  remaining: number;
}

export type SortOn = 'created' | 'price' | 'updated' | 'score';

export class SimStore {
  readonly ids = new IdAllocator();
  readonly values = new ValueRegistry(this.ids);
  shop: SimShop;
  /** Real Etsy's forms (default) or the document's; see SimForms. */
  forms: SimForms = 'real';
  readonly readinessStates: SimReadinessState[];
  private readonly listings = new Map<number, SimListing>();
  private readonly receipts: SimReceipt[] = [];
  /** Bumped on every mutation: sorted views are cached against it so paging 5,000 listings stays O(n log n) once. */
  private generation = 0;
  private readonly sortCache = new Map<string, { generation: number; list: SimListing[] }>();
  /**
   * Whether a sale moves the listing's `updated` time. Etsy does not say it does (issue 12 item 2), so
   * tests can turn it off and check that a sale is seen without the listing showing up as updated.
   */
  salesTouchListing = true;
  /** While true, receipts of new sales are hidden from getShopReceipts until `releaseReceipts()`. */
  holdingReceipts = false;
  private updatedDisorder = 0;

  constructor(private readonly nowMs: () => number, shop?: Partial<SimShop>) {
    this.shop = { shop_id: 50_123_456, user_id: 71_234_567, shop_name: 'HeronPrintsStudio', login_name: 'heronprints', currency_code: 'GBP', ...shop };
    this.readinessStates = [
      { readiness_state_id: 1_300_000_001, readiness_state: 'ready_to_ship', min_processing_days: 1, max_processing_days: 3 },
      { readiness_state_id: 1_300_000_002, readiness_state: 'made_to_order', min_processing_days: 5, max_processing_days: 10 },
    ];
  }

  nowS(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  // ---- seeding ----

  /** Replaces the shop's listings and receipts with the seed. Returns the listing ids in seed order. */
  seed(seed: ShopSeed): number[] {
    if (seed.shop) this.shop = { ...this.shop, ...seed.shop };
    this.listings.clear();
    this.receipts.length = 0;
    const now = this.nowS();
    const ids = seed.listings.map((l, i) => this.addListing(l, now - (seed.listings.length - i) * 60));
    this.touch();
    return ids;
  }

  addListing(seed: SeedListing, defaultCreated = this.nowS()): number {
    const id = seed.listing_id ?? this.ids.nextListing();
    this.ids.observeListing(id);
    if (this.listings.has(id)) throw new Error(`Listing ${id} already exists in the simulator`);
    const currency = this.shop.currency_code;
    const basePrice = seed.price ?? 2500;
    const props = seed.properties ?? [];
    for (const p of props) this.values.rememberProperty(p.property_id, p.property_name, p.scale_id, p.scale_name);
    if (seed.products.length === 0) throw new Error(`Seed listing "${seed.title}" needs at least one product`);
    const products: SimProduct[] = seed.products.map((sp) => {
      const values = sp.values ?? [];
      if (values.length !== props.length) throw new Error(`Seed listing "${seed.title}": each product needs one value per property`);
      const pvs: SimPropertyValue[] = props.map((p, i) => ({
        property_id: p.property_id,
        property_name: p.property_name,
        scale_id: p.scale_id ?? null,
        scale_name: p.scale_name ?? null,
        value_ids: [this.values.valueId(p.property_id, values[i]!)],
        values: [values[i]!],
      }));
      return {
        product_id: this.ids.nextProduct(),
        sku: sp.sku ?? '',
        property_values: pvs,
        offerings: [
          {
            offering_id: this.ids.nextOffering(),
            quantity: sp.quantity,
            is_enabled: sp.is_enabled ?? true,
            price: { amount: sp.price ?? basePrice, divisor: 100, currency_code: currency },
            readiness_state_id: this.readinessStates[0]!.readiness_state_id,
          },
        ],
      };
    });
    const propIds = props.map((p) => p.property_id);
    const pvs = products.map((p) => p.property_values);
    const inventory: SimInventory = {
      products,
      price_on_property: seed.onProperty?.price ?? deriveOnProperty(propIds, products.map((p) => p.offerings[0]!.price.amount), pvs),
      // Stock per variation is the normal case for prints, so quantity varies along every property.
      quantity_on_property: seed.onProperty?.quantity ?? [...propIds],
      sku_on_property: seed.onProperty?.sku ?? deriveOnProperty(propIds, products.map((p) => p.sku), pvs),
      readiness_state_on_property: [],
    };
    const created = seed.created ?? defaultCreated;
    const hasRecord = seed.hasInventoryRecord ?? true;
    const listing: SimListing = {
      listing_id: id,
      title: seed.title,
      description: seed.description ?? `${seed.title}. Giclée print on archival paper.`,
      state: seed.state ?? 'active',
      created,
      updated: seed.updated ?? created,
      stateTimestamp: created,
      inventory: hasRecord ? inventory : null,
      plainQuantity: products.reduce((s, p) => s + p.offerings[0]!.quantity, 0),
      plainPrice: { amount: basePrice, divisor: 100, currency_code: currency },
      version: 0,
    };
    if (listing.state === 'active' && totalQuantity(listing) === 0) listing.state = 'sold_out';
    this.listings.set(id, listing);
    this.touch();
    return id;
  }

  // ---- reads ----

  listing(id: number): SimListing | undefined {
    return this.listings.get(id);
  }

  allListings(): SimListing[] {
    return [...this.listings.values()];
  }

  /** Listings of one state, sorted as getListingsByShop would; ties broken by listing_id for stable paging. */
  listingsInState(state: ListingState, sortOn: SortOn, descending: boolean): SimListing[] {
    const key = `${state}|${sortOn}|${descending}`;
    const cached = this.sortCache.get(key);
    if (cached && cached.generation === this.generation) return cached.list;
    const field = (l: SimListing): number =>
      sortOn === 'updated' ? l.updated : sortOn === 'price' ? (l.inventory ? minAmount(l.inventory) : l.plainPrice.amount) : l.created;
    let list = [...this.listings.values()]
      .filter((l) => l.state === state)
      .sort((a, b) => {
        const d = field(a) - field(b) || a.listing_id - b.listing_id;
        return descending ? -d : d;
      });
    if (sortOn === 'updated' && this.updatedDisorder > 0) list = disorder(list, this.updatedDisorder);
    this.sortCache.set(key, { generation: this.generation, list });
    return list;
  }

  /**
   * `sort_on=updated` was seen out of order on Etsy (etsy/open-api#906). With `places` > 0 each listing
   * may come up to that many places later than its `updated_timestamp` says (a fixed, per-listing
   * amount, so paging stays consistent); 0 restores exact order.
   */
  setUpdatedOrderDisorder(places: number): void {
    if (!Number.isInteger(places) || places < 0) throw new Error('places must be a non-negative integer');
    this.updatedDisorder = places;
    this.touch();
  }

  receiptsList(): readonly SimReceipt[] {
    return this.receipts;
  }

  countActive(): number {
    let n = 0;
    for (const l of this.listings.values()) if (l.state === 'active') n++;
    return n;
  }

  // ---- API writes ----

  putInventory(listing: SimListing, body: unknown, maxProperties: number): InventoryResult {
    const result = buildInventoryFromRequest(body, {
      ids: this.ids,
      values: this.values,
      currency: this.shop.currency_code,
      readinessStateIds: new Set(this.readinessStates.map((r) => r.readiness_state_id)),
      maxProperties,
    });
    if (result.ok) {
      listing.inventory = result.inventory;
      this.changed(listing);
    }
    return result;
  }

  // ---- seller / buyer actions (control API) ----

  /** A buyer purchases `quantity` of one product: stock drops, a receipt with one transaction appears. */
  sell(listingId: number, which: ProductSelector, quantity = 1): SaleResult {
    const listing = this.mustListing(listingId);
    if (listing.state !== 'active') throw new Error(`Listing ${listingId} is ${listing.state}; only active listings can be bought`);
    if (!Number.isInteger(quantity) || quantity < 1) throw new Error('Sale quantity must be a positive integer');
    const now = this.nowS();
    let productId: number | null = null;
    let sku = '';
    let pvs: SimPropertyValue[] = [];
    let price = listing.plainPrice;
    if (listing.inventory) {
      const product = this.findProduct(listing, which);
      const offering = product.offerings[0]!;
      if (!offering.is_enabled) throw new Error(`Variation ${productKey(product) || '(single)'} of listing ${listingId} is disabled`);
      if (offering.quantity < quantity) throw new Error(`Only ${offering.quantity} left of listing ${listingId} ${productKey(product)}`);
      offering.quantity -= quantity;
      productId = product.product_id;
      sku = product.sku;
      pvs = product.property_values.map((pv) => ({ ...pv }));
      price = offering.price;
    } else {
      if (listing.plainQuantity < quantity) throw new Error(`Only ${listing.plainQuantity} left of listing ${listingId}`);
      listing.plainQuantity -= quantity;
    }
    // Etsy marks a listing sold out itself when its last unit sells (docs/ETSY_API_NOTES.md §9.1).
    if (totalQuantity(listing) === 0) this.setStateRaw(listing, 'sold_out');
    const receipt: SimReceipt = {
      receipt_id: this.ids.nextReceipt(),
      status: 'paid',
      buyer_user_id: 91_000_001,
      created: now,
      updated: now,
      transactions: [{ transaction_id: this.ids.nextTransaction(), listing_id: listingId, product_id: productId, sku, quantity, price: { ...price }, title: listing.title, property_values: pvs }],
      ...(this.holdingReceipts ? { hidden: true } : {}),
    };
    this.receipts.push(receipt);
    if (this.salesTouchListing) this.changed(listing);
    else {
      listing.version++;
      this.touch();
    }
    return { receipt_id: receipt.receipt_id, transaction_id: receipt.transactions[0]!.transaction_id, product_id: productId, remaining: totalQuantity(listing) };
  }

  /** Late receipts appear: their timestamps stay those of the sale. */
  releaseReceipts(): void {
    this.holdingReceipts = false;
    for (const receipt of this.receipts) delete receipt.hidden;
  }

  /**
   * The order is cancelled (or fully refunded): the receipt keeps its transactions with a new status and
   * update time (docs/ETSY_API_NOTES.md §9.23). With `restock`, each product sold gets its units back if it still has the
   * product id of the sale — whether Etsy restocks is not documented, so tests choose.
   */
  cancelOrder(receiptId: number, options: { status?: ReceiptStatus; restock?: boolean } = {}): void {
    const receipt = this.receipts.find((r) => r.receipt_id === receiptId);
    if (!receipt) throw new Error(`No receipt ${receiptId} in the simulator`);
    receipt.status = options.status ?? 'canceled';
    receipt.updated = Math.max(this.nowS(), receipt.updated);
    if (!options.restock) return;
    for (const t of receipt.transactions) {
      const listing = this.listings.get(t.listing_id);
      const product = listing?.inventory?.products.find((p) => p.product_id === t.product_id);
      if (!listing || !product) continue;
      product.offerings[0]!.quantity += t.quantity;
      this.changed(listing);
    }
  }

  /**
   * The seller edits a quantity on etsy.com. Like any inventory save there, product and offering ids are
   * re-issued. No 0-stock guard: the site's editor is not what is under test.
   */
  editQuantity(listingId: number, which: ProductSelector, quantity: number): void {
    const listing = this.mustListing(listingId);
    if (!Number.isInteger(quantity) || quantity < 0) throw new Error('Quantity must be a non-negative integer');
    if (listing.inventory) {
      const product = this.findProduct(listing, which);
      product.offerings[0]!.quantity = quantity;
      for (const p of listing.inventory.products) {
        p.product_id = this.ids.nextProduct();
        for (const o of p.offerings) o.offering_id = this.ids.nextOffering();
      }
    } else listing.plainQuantity = quantity;
    if (listing.state === 'active' && totalQuantity(listing) === 0) this.setStateRaw(listing, 'sold_out');
    this.changed(listing);
  }

  /** The order changes status on Etsy (cancelled, refunded, completed); its last-modified time moves. */
  setReceiptStatus(receiptId: number, status: ReceiptStatus): void {
    const receipt = this.receipts.find((r) => r.receipt_id === receiptId);
    if (!receipt) throw new Error(`No receipt ${receiptId} in the simulator`);
    receipt.status = status;
    receipt.updated = Math.max(this.nowS(), receipt.updated);
  }

  /**
   * Sets one offering's processing profile as Etsy would serve it: an id, null, or 'absent' (the field
   * left out). Etsy documents the field as optional and nullable on reads; a PUT requires it.
   */
  setOfferingReadiness(listingId: number, which: ProductSelector, value: number | null | 'absent'): void {
    const listing = this.mustListing(listingId);
    const offering = this.findProduct(listing, which).offerings[0]!;
    offering.readiness_state_id = value === 'absent' ? undefined : value;
    this.changed(listing);
  }

  setState(listingId: number, state: ListingState): void {
    const listing = this.mustListing(listingId);
    this.setStateRaw(listing, state);
    this.changed(listing);
  }

  setTitle(listing: SimListing, title: string): void {
    listing.title = title;
    this.changed(listing);
  }

  /** The listing disappears entirely (unknown id → 404, batch 404). */
  deleteListing(listingId: number): void {
    this.mustListing(listingId);
    this.listings.delete(listingId);
    this.touch();
  }

  setStateRaw(listing: SimListing, state: ListingState): void {
    if (listing.state !== state) listing.stateTimestamp = this.nowS();
    listing.state = state;
  }

  changed(listing: SimListing): void {
    listing.updated = Math.max(this.nowS(), listing.updated);
    listing.version++;
    this.touch();
  }

  findProduct(listing: SimListing, which: ProductSelector): SimProduct {
    const products = listing.inventory?.products ?? [];
    let found: SimProduct | undefined;
    if (which === undefined) {
      if (products.length !== 1) throw new Error(`Listing ${listing.listing_id} has ${products.length} variations; say which one`);
      found = products[0];
    } else if (typeof which === 'string') {
      found = products.find((p) => p.sku !== '' && p.sku === which) ?? products.find((p) => productKey(p) === which);
    } else if ('sku' in which) found = products.find((p) => p.sku === which.sku);
    else if ('key' in which) found = products.find((p) => productKey(p) === which.key);
    else found = products[which.index];
    if (!found) throw new Error(`Listing ${listing.listing_id} has no variation ${JSON.stringify(which)}`);
    return found;
  }

  private mustListing(id: number): SimListing {
    const l = this.listings.get(id);
    if (!l) throw new Error(`No listing ${id} in the simulator`);
    return l;
  }

  private touch(): void {
    this.generation++;
  }
}

/** Moves each listing back by a fixed 0..places positions (a hash of its id), keeping the rest in order. */
function disorder(list: SimListing[], places: number): SimListing[] {
  const shift = (id: number): number => (Math.imul(id, 2_654_435_761) >>> 0) % (places + 1);
  return list
    .map((listing, index) => ({ listing, key: index + shift(listing.listing_id), index }))
    .sort((a, b) => a.key - b.key || a.index - b.index)
    .map((entry) => entry.listing);
}

function minAmount(inv: SimInventory): number {
  let min = Infinity;
  for (const p of inv.products) for (const o of p.offerings) if (o.price.amount < min) min = o.price.amount;
  return min === Infinity ? 0 : min;
}
