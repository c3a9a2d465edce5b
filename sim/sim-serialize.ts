/**
 * Renders simulator state as Etsy's JSON (ShopListingWithAssociations, ListingInventory, ShopReceipt, …).
 * Every field the schemas declare is filled with a plausible value so the responses pass contract validation.
 * SKUs are blanked unless the caller is the shop owner (docs/ETSY_API_NOTES.md §9.9).
 */
import { capitalise } from './openapi-schema-rewrite';
import { minimumPrice, totalQuantity, type SimForms, type SimInventory, type SimListing, type SimReceipt, type SimShop, type SimTransaction } from './sim-model';

const LISTING_LIFETIME_S = 120 * 24 * 3600;

/**
 * `withReadiness`: Etsy returns an offering's readiness_state_id "only when the listing is active and of
 * type physical, and the endpoint is either shop-scoped or a single-listing request"; otherwise it can be
 * null (the document, ListingInventoryProductOffering). Callers pass false for those other cases.
 */
export function inventoryJson(inv: SimInventory, owner: boolean, withReadiness = true): Record<string, unknown> {
  return {
    products: inv.products.map((p) => ({
      product_id: p.product_id,
      sku: owner ? p.sku : '',
      is_deleted: false,
      offerings: p.offerings.map((o) => ({
        offering_id: o.offering_id,
        quantity: o.quantity,
        is_enabled: o.is_enabled,
        is_deleted: false,
        price: { ...o.price },
        ...(o.readiness_state_id === undefined ? {} : { readiness_state_id: withReadiness ? o.readiness_state_id : null }),
      })),
      property_values: p.property_values.map((pv) => ({ ...pv, value_ids: [...pv.value_ids], values: [...pv.values] })),
    })),
    price_on_property: [...inv.price_on_property],
    quantity_on_property: [...inv.quantity_on_property],
    sku_on_property: [...inv.sku_on_property],
    readiness_state_on_property: [...inv.readiness_state_on_property],
  };
}

export function listingJson(
  l: SimListing,
  shop: SimShop,
  opts: { owner: boolean; includeInventory: boolean; shopScoped?: boolean },
): Record<string, unknown> {
  const skus = opts.owner && l.inventory ? [...new Set(l.inventory.products.map((p) => p.sku).filter((s) => s !== ''))] : [];
  const quantity = l.state === 'sold_out' ? 0 : totalQuantity(l);
  const json: Record<string, unknown> = {
    listing_id: l.listing_id,
    user_id: shop.user_id,
    shop_id: shop.shop_id,
    title: l.title,
    description: l.description,
    state: l.state,
    creation_timestamp: l.created,
    created_timestamp: l.created,
    ending_timestamp: l.created + LISTING_LIFETIME_S,
    original_creation_timestamp: l.created,
    last_modified_timestamp: l.updated,
    updated_timestamp: l.updated,
    state_timestamp: l.stateTimestamp,
    quantity,
    shop_section_id: null,
    featured_rank: -1,
    url: `https://www.etsy.com/listing/${l.listing_id}/${slug(l.title)}`,
    num_favorers: 0,
    non_taxable: false,
    is_taxable: true,
    is_customizable: false,
    is_personalizable: false,
    listing_type: 'physical',
    tags: [],
    materials: [],
    shipping_profile_id: null,
    return_policy_id: null,
    processing_min: null,
    processing_max: null,
    who_made: 'i_did',
    when_made: 'made_to_order',
    is_supply: false,
    item_weight: null,
    item_weight_unit: null,
    item_length: null,
    item_width: null,
    item_height: null,
    item_dimensions_unit: null,
    is_private: false,
    style: [],
    file_data: '',
    has_variations: (l.inventory?.products[0]?.property_values.length ?? 0) > 0,
    should_auto_renew: false,
    language: 'en-US',
    price: { ...minimumPrice(l) },
    taxonomy_id: 2078,
    readiness_state_id: null,
    suggested_title: null,
    skus,
    views: 0,
  };
  if (opts.includeInventory) {
    json['inventory'] = l.inventory ? inventoryJson(l.inventory, opts.owner, opts.shopScoped === true && l.state === 'active') : null;
  }
  return json;
}

export function shopJson(shop: SimShop, activeCount: number, now: number): Record<string, unknown> {
  return {
    shop_id: shop.shop_id,
    user_id: shop.user_id,
    shop_name: shop.shop_name,
    create_date: now - 365 * 24 * 3600,
    created_timestamp: now - 365 * 24 * 3600,
    title: `${shop.shop_name} — original art prints`,
    announcement: null,
    currency_code: shop.currency_code,
    is_vacation: false,
    vacation_message: null,
    sale_message: null,
    digital_sale_message: null,
    update_date: now,
    updated_timestamp: now,
    listing_active_count: activeCount,
    digital_listing_count: 0,
    login_name: shop.login_name,
    accepts_custom_requests: false,
    policy_welcome: null,
    policy_payment: null,
    policy_shipping: null,
    policy_refunds: null,
    policy_additional: null,
    policy_seller_info: null,
    policy_update_date: 0,
    policy_has_private_receipt_info: false,
    has_unstructured_policies: false,
    policy_privacy: null,
    vacation_autoreply: null,
    url: `https://www.etsy.com/shop/${shop.shop_name}`,
    image_url_760x100: null,
    num_favorers: 0,
    languages: ['en-US'],
    icon_url_fullxfull: null,
    is_using_structured_policies: true,
    has_onboarded_structured_policies: true,
    include_dispute_form_link: false,
    is_direct_checkout_onboarded: true,
    is_etsy_payments_onboarded: true,
    is_calculated_eligible: true,
    is_opted_in_to_buyer_promise: true,
    is_shop_us_based: false,
    transaction_sold_count: 0,
    shipping_from_country_iso: 'GB',
    shop_location_country_iso: 'GB',
    review_count: 0,
    review_average: 0,
  };
}

function transactionJson(t: SimTransaction, r: SimReceipt, shop: SimShop, owner: boolean, forms: SimForms): Record<string, unknown> {
  return {
    transaction_id: t.transaction_id,
    title: t.title,
    description: null,
    seller_user_id: shop.user_id,
    buyer_user_id: r.buyer_user_id,
    create_timestamp: r.created,
    created_timestamp: r.created,
    paid_timestamp: r.created,
    shipped_timestamp: null,
    quantity: t.quantity,
    listing_image_id: null,
    receipt_id: r.receipt_id,
    is_digital: false,
    file_data: '',
    listing_id: t.listing_id,
    transaction_type: 'listing',
    product_id: t.product_id,
    // Real receipts often carry "" here even for a product with a SKU (docs/ETSY_API_NOTES.md §9.25).
    sku: owner && forms === 'document' ? t.sku : '',
    price: { ...t.price },
    shipping_cost: { amount: 0, divisor: t.price.divisor, currency_code: t.price.currency_code },
    variations: t.property_values.map((pv) => ({
      property_id: pv.property_id,
      value_id: pv.value_ids[0] ?? null,
      formatted_name: pv.property_name ?? 'Option',
      formatted_value: pv.values[0] ?? '',
    })),
    product_data: t.property_values.map((pv) => ({ ...pv })),
    shipping_profile_id: null,
    min_processing_days: null,
    max_processing_days: null,
    shipping_method: null,
    shipping_upgrade: null,
    expected_ship_date: null,
    buyer_coupon: 0,
    shop_coupon: 0,
  };
}

export function receiptJson(r: SimReceipt, shop: SimShop, owner: boolean, forms: SimForms): Record<string, unknown> {
  const currency = shop.currency_code;
  const subtotal = r.transactions.reduce((s, t) => s + t.price.amount * t.quantity, 0);
  const money = (amount: number): Record<string, unknown> => ({ amount, divisor: 100, currency_code: currency });
  return {
    receipt_id: r.receipt_id,
    receipt_type: 0,
    seller_user_id: shop.user_id,
    seller_email: null,
    buyer_user_id: r.buyer_user_id,
    buyer_email: null,
    name: 'Sim Buyer',
    first_line: null,
    second_line: null,
    city: null,
    state: null,
    zip: null,
    status: forms === 'real' ? capitalise(r.status) : r.status,
    formatted_address: null,
    country_iso: 'GB',
    payment_method: 'cc',
    payment_email: null,
    message_from_seller: null,
    message_from_buyer: null,
    message_from_payment: null,
    is_paid: r.status !== 'open' && r.status !== 'payment processing',
    is_shipped: false,
    create_timestamp: r.created,
    created_timestamp: r.created,
    update_timestamp: r.updated,
    updated_timestamp: r.updated,
    is_gift: false,
    gift_message: '',
    gift_sender: '',
    grandtotal: money(subtotal),
    subtotal: money(subtotal),
    total_price: money(subtotal),
    total_shipping_cost: money(0),
    total_tax_cost: money(0),
    total_vat_cost: money(0),
    discount_amt: money(0),
    gift_wrap_price: money(0),
    shipments: [],
    transactions: r.transactions.map((t) => transactionJson(t, r, shop, owner, forms)),
    refunds: [],
  };
}

function slug(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'listing';
}
