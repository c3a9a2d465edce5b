import type { EtsyListing, EtsyReceipt, ListingInventory } from '../etsy/schemas';
import type { ReceiptItemInput } from '../store/receipts-repo';
import type { PulledInventory, PulledListing } from '../../shared/mirror-types';

/** Etsy's validated shapes (snake_case, schemas.ts) → the mirror's own names. */
export function toPulledInventory(inventory: ListingInventory): PulledInventory {
  return {
    products: inventory.products.map((product) => ({
      productId: product.product_id,
      sku: product.sku,
      isDeleted: product.is_deleted,
      propertyValues: product.property_values.map((value) => ({
        propertyId: value.property_id,
        propertyName: value.property_name ?? null,
        scaleId: value.scale_id ?? null,
        valueIds: [...value.value_ids],
        values: [...value.values],
      })),
      offerings: product.offerings.map((offering) => ({
        offeringId: offering.offering_id,
        quantity: offering.quantity,
        isEnabled: offering.is_enabled,
        isDeleted: offering.is_deleted,
        price: {
          amount: offering.price.amount,
          divisor: offering.price.divisor,
          currencyCode: offering.price.currency_code,
        },
        readinessStateId: offering.readiness_state_id ?? null,
      })),
    })),
    priceOnProperty: [...inventory.price_on_property],
    quantityOnProperty: [...inventory.quantity_on_property],
    skuOnProperty: [...inventory.sku_on_property],
    readinessStateOnProperty: [...inventory.readiness_state_on_property],
  };
}

export function toPulledListing(listing: EtsyListing, shopId: number): PulledListing {
  return {
    listingId: listing.listing_id,
    shopId: listing.shop_id ?? shopId,
    title: listing.title,
    state: listing.state,
    url: listing.url ?? null,
    createdTs: listing.created_timestamp ?? null,
    updatedTs: listing.updated_timestamp ?? listing.last_modified_timestamp ?? null,
    stateTs: listing.state_timestamp ?? null,
    inventory: listing.inventory ? toPulledInventory(listing.inventory) : null,
  };
}

export function toReceiptItems(receipts: readonly EtsyReceipt[]): ReceiptItemInput[] {
  const items: ReceiptItemInput[] = [];
  for (const receipt of receipts) {
    for (const transaction of receipt.transactions) {
      items.push({
        receiptId: receipt.receipt_id,
        receiptStatus: receipt.status,
        receiptCreatedTs: receipt.created_timestamp,
        receiptUpdatedTs: receipt.updated_timestamp ?? null,
        transactionId: transaction.transaction_id,
        listingId: transaction.listing_id ?? null,
        etsyProductId: transaction.product_id ?? null,
        sku: transaction.sku ?? null,
        quantity: transaction.quantity,
        createdTs: transaction.created_timestamp ?? receipt.created_timestamp,
      });
    }
  }
  return items;
}
