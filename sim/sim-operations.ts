/**
 * Handlers for the Etsy operations the sync uses (docs/ETSY_API_NOTES.md §5). Each takes already type-coerced parameters
 * and returns status + JSON body; `wrote` marks a state change that counts as an applied write.
 */
import type { Caller } from './sim-auth';
import type { ListingState, SimListing } from './sim-model';
import { inventoryJson, listingJson, receiptJson, shopJson } from './sim-serialize';
import type { SimStore, SortOn } from './sim-store';

export interface OpRequest {
  caller: Caller | undefined;
  pathParams: Record<string, unknown>;
  query: Record<string, unknown>;
  body: unknown;
}

export interface OpResult {
  status: number;
  body: unknown;
  wrote?: boolean;
}

export type OpHandler = (store: SimStore, req: OpRequest) => OpResult;

const error = (status: number, message: string): OpResult => ({ status, body: { error: message } });
const int = (v: unknown, fallback: number): number => (typeof v === 'number' && Number.isInteger(v) ? v : fallback);
const isOwner = (store: SimStore, caller: Caller | undefined): boolean => caller?.userId === store.shop.user_id;
const descending = (order: unknown): boolean => order === undefined || order === 'desc' || order === 'descending' || order === 'down';

function page<T>(items: readonly T[], query: Record<string, unknown>): T[] {
  const limit = Math.min(100, Math.max(1, int(query['limit'], 25)));
  const offset = Math.max(0, int(query['offset'], 0));
  return items.slice(offset, offset + limit);
}

function shopGuard(store: SimStore, req: OpRequest): OpResult | undefined {
  if (req.pathParams['shop_id'] !== store.shop.shop_id) return error(404, `Shop with shop_id ${String(req.pathParams['shop_id'])} not found.`);
  return undefined;
}

function ownerGuard(store: SimStore, req: OpRequest): OpResult | undefined {
  if (!isOwner(store, req.caller)) return error(403, 'You do not have permission to access this shop’s private data.');
  return undefined;
}

const handlers: Record<string, OpHandler> = {
  ping: () => ({ status: 200, body: { application_id: 1 } }),

  getMe: (store, req) => {
    const userId = req.caller!.userId;
    return { status: 200, body: userId === store.shop.user_id ? { user_id: userId, shop_id: store.shop.shop_id } : { user_id: userId } };
  },

  getShop: (store, req) => shopGuard(store, req) ?? { status: 200, body: shopJson(store.shop, store.countActive(), store.nowS()) },

  getListingsByShop: (store, req) => {
    const guard = shopGuard(store, req);
    if (guard) return guard;
    const owner = isOwner(store, req.caller);
    const state = (req.query['state'] as ListingState | undefined) ?? 'active';
    // Only the owner sees non-public states.
    if (!owner && state !== 'active') return error(403, `Listings in state ${state} are visible to the shop owner only.`);
    const sortOn = (req.query['sort_on'] as SortOn | undefined) ?? 'created';
    const all = store.listingsInState(state, sortOn, descending(req.query['sort_order']));
    const includes = (req.query['includes'] as string[] | undefined) ?? [];
    const includeInventory = includes.includes('Inventory');
    return {
      status: 200,
      body: { count: all.length, results: page(all, req.query).map((l) => listingJson(l, store.shop, { owner, includeInventory, shopScoped: true })) },
    };
  },

  getListingsInventoryByListingIds: (store, req) => {
    const ids = [...new Set((req.query['listing_ids'] as number[] | undefined) ?? [])];
    if (ids.length === 0) return error(400, 'listing_ids is required.');
    if (ids.length > 100) return error(400, 'listing_ids cannot contain more than 100 ids.');
    const found: SimListing[] = [];
    const missing: number[] = [];
    for (const id of ids) {
      const l = store.listing(id);
      if (l) found.push(l);
      else missing.push(id);
    }
    // All or nothing: one unknown id fails the whole batch (docs/ETSY_API_NOTES.md §9.10).
    if (missing.length > 0) return error(404, `Could not find listings for listing_ids: ${missing.join(', ')}`);
    const owner = isOwner(store, req.caller);
    return { status: 200, body: { count: found.length, results: found.map((l) => listingJson(l, store.shop, { owner, includeInventory: true })) } };
  },

  getListingInventory: (store, req) => {
    const l = store.listing(req.pathParams['listing_id'] as number);
    if (!l) return error(404, `Listing ${String(req.pathParams['listing_id'])} not found.`);
    if (!l.inventory) {
      return error(404, 'Listings you did not edit using the Etsy.com inventory tools have no inventory records.');
    }
    const owner = isOwner(store, req.caller);
    const body = inventoryJson(l.inventory, owner, l.state === 'active');
    if (req.query['includes'] === 'Listing') body['listing'] = listingJson(l, store.shop, { owner, includeInventory: false });
    // Real answers carry "listing": null without the include, though the document says object (docs/ETSY_API_NOTES.md §9.24).
    else if (store.forms === 'real') body['listing'] = null;
    return { status: 200, body };
  },

  updateListingInventory: (store, req) => {
    const l = store.listing(req.pathParams['listing_id'] as number);
    if (!l || l.state === 'removed') return error(404, `Listing ${String(req.pathParams['listing_id'])} not found.`);
    if (!isOwner(store, req.caller)) return error(403, 'You do not have permission to edit this listing.');
    const maxProperties = req.query['max_variations_supported'] === '3' ? 3 : 2;
    const result = store.putInventory(l, req.body, maxProperties);
    if (!result.ok) return error(400, result.error);
    return { status: 200, body: inventoryJson(result.inventory, true), wrote: true };
  },

  updateListing: (store, req) => {
    const guard = shopGuard(store, req);
    if (guard) return guard;
    const l = store.listing(req.pathParams['listing_id'] as number);
    if (!l || l.state === 'removed') return error(404, `Listing ${String(req.pathParams['listing_id'])} not found.`);
    if (!isOwner(store, req.caller)) return error(403, 'You do not have permission to edit this listing.');
    const form = (req.body ?? {}) as Record<string, unknown>;
    const state = form['state'];
    if (state !== undefined) {
      if (state !== 'active' && state !== 'inactive') return error(400, 'state must be active or inactive.');
      if (l.state === 'draft') {
        // Publishing a draft needs images, which the simulator does not model.
        return error(400, state === 'active' ? 'A listing must have at least one image before it can be activated.' : 'A draft listing cannot be made inactive.');
      }
      if (state === 'active' && (l.state === 'sold_out' || totalOf(l) === 0)) reviveSoldOut(l);
      store.setStateRaw(l, state);
    }
    if (typeof form['title'] === 'string') {
      if (form['title'].trim() === '') return error(400, 'title cannot be empty.');
      l.title = form['title'];
    }
    if (typeof form['description'] === 'string') l.description = form['description'];
    store.changed(l);
    return { status: 200, body: listingJson(l, store.shop, { owner: true, includeInventory: false }), wrote: true };
  },

  getShopReceipts: (store, req) => {
    const guard = shopGuard(store, req) ?? ownerGuard(store, req);
    if (guard) return guard;
    const q = req.query;
    const num = (k: string): number | undefined => (typeof q[k] === 'number' ? (q[k] as number) : undefined);
    const [minC, maxC, minM, maxM] = [num('min_created'), num('max_created'), num('min_last_modified'), num('max_last_modified')];
    let list = store.receiptsList().filter(
      (r) =>
        r.hidden !== true &&
        (minC === undefined || r.created >= minC) &&
        (maxC === undefined || r.created <= maxC) &&
        (minM === undefined || r.updated >= minM) &&
        (maxM === undefined || r.updated <= maxM) &&
        (q['was_paid'] === undefined || q['was_paid'] === null || q['was_paid'] === !['open', 'payment processing'].includes(r.status)) &&
        (q['was_shipped'] === undefined || q['was_shipped'] === null || q['was_shipped'] === false) &&
        (q['was_delivered'] === undefined || q['was_delivered'] === null || q['was_delivered'] === false) &&
        (q['was_canceled'] === undefined || q['was_canceled'] === null || q['was_canceled'] === (r.status === 'canceled')),
    );
    const sortOn = q['sort_on'] ?? 'created';
    const key = (r: (typeof list)[number]): number => (sortOn === 'updated' ? r.updated : sortOn === 'receipt_id' ? r.receipt_id : r.created);
    const desc = descending(q['sort_order']);
    list = [...list].sort((a, b) => (desc ? -1 : 1) * (key(a) - key(b) || a.receipt_id - b.receipt_id));
    return { status: 200, body: { count: list.length, results: page(list, q).map((r) => receiptJson(r, store.shop, true, store.forms)) } };
  },

  getShopReadinessStateDefinitions: (store, req) => {
    const guard = shopGuard(store, req) ?? ownerGuard(store, req);
    if (guard) return guard;
    const all = store.readinessStates.map((r) => ({
      shop_id: store.shop.shop_id,
      ...r,
      processing_days_display_label: `${r.min_processing_days}-${r.max_processing_days} days`,
    }));
    return { status: 200, body: { count: all.length, results: page(all, req.query) } };
  },
};

export function operationHandler(operationId: string): OpHandler | undefined {
  return handlers[operationId];
}

export const SUPPORTED_OPERATIONS = Object.keys(handlers);

function totalOf(l: SimListing): number {
  if (!l.inventory) return l.plainQuantity;
  return l.inventory.products.reduce((s, p) => s + p.offerings.reduce((t, o) => t + (o.is_enabled ? o.quantity : 0), 0), 0);
}

/** Spec (updateListing `state`): "Setting a sold_out listing to active will update the quantity to 1 and renew". */
function reviveSoldOut(l: SimListing): void {
  if (totalOf(l) > 0) return;
  if (!l.inventory) {
    l.plainQuantity = 1;
    return;
  }
  const offering = l.inventory.products.flatMap((p) => p.offerings).find((o) => o.is_enabled) ?? l.inventory.products[0]!.offerings[0]!;
  offering.is_enabled = true;
  offering.quantity = 1;
}
