/**
 * The Etsy side as the sync reads it: a listing with its inventory, in our own names, after the client
 * validated Etsy's response. Money stays integer (amount / divisor) as Etsy sends it. Pure types in
 * src/shared because the sync writes them, the store's mirror keeps them, and the pure planner reads
 * them — and the store and the planner may import neither each other nor the sync engine.
 */
export interface EtsyMoney {
  amount: number;
  divisor: number;
  currencyCode: string;
}

export interface PropertyValue {
  propertyId: number;
  propertyName: string | null;
  scaleId: number | null;
  valueIds: number[];
  values: string[];
}

export interface PulledOffering {
  offeringId: number | null;
  quantity: number;
  isEnabled: boolean;
  isDeleted: boolean;
  price: EtsyMoney;
  readinessStateId: number | null;
}

export interface PulledProduct {
  productId: number | null;
  sku: string;
  isDeleted: boolean;
  propertyValues: PropertyValue[];
  offerings: PulledOffering[];
}

export interface PulledInventory {
  products: PulledProduct[];
  priceOnProperty: number[];
  quantityOnProperty: number[];
  skuOnProperty: number[];
  readinessStateOnProperty: number[];
}

export interface PulledListing {
  listingId: number;
  shopId: number;
  title: string;
  state: string;
  url: string | null;
  createdTs: number | null;
  updatedTs: number | null;
  stateTs: number | null;
  /** null: Etsy returned no inventory for this listing (old listings may have none). */
  inventory: PulledInventory | null;
}
