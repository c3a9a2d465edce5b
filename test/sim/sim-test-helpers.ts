/** Small helpers for simulator tests: raw HTTP calls (deliberately not the app's Etsy client) and fixtures. */
import { FRAME_PROPERTY, SIZE_PROPERTY, type EtsySimulator, type ShopSeed } from '../../sim';

export interface Reply {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export function api(sim: EtsySimulator, token?: string) {
  const call = async (method: string, path: string, init: { body?: string; contentType?: string; apiKey?: string | null; bearer?: string | null } = {}): Promise<Reply> => {
    const headers: Record<string, string> = {};
    const key = init.apiKey === undefined ? sim.apiKey : init.apiKey;
    if (key !== null) headers['x-api-key'] = key;
    const bearer = init.bearer === undefined ? token : init.bearer;
    if (bearer) headers['authorization'] = `Bearer ${bearer}`;
    if (init.contentType) headers['content-type'] = init.contentType;
    const res = await fetch(`${sim.url}/v3/application${path}`, { method, headers, body: init.body });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  };
  return {
    get: (path: string, init?: { apiKey?: string | null; bearer?: string | null }) => call('GET', path, init),
    putJson: (path: string, body: unknown) => call('PUT', path, { body: JSON.stringify(body), contentType: 'application/json' }),
    patchForm: (path: string, form: Record<string, string>) =>
      call('PATCH', path, { body: new URLSearchParams(form).toString(), contentType: 'application/x-www-form-urlencoded' }),
    call,
  };
}

/** GET inventory → PUT body, the way Etsy asks: read-only fields dropped, price as a float (docs/ETSY_API_NOTES.md §6). */
export function toPutBody(inv: any): any { // eslint-disable-line @typescript-eslint/no-explicit-any
  return {
    products: inv.products.map((p: any) => ({ // eslint-disable-line @typescript-eslint/no-explicit-any
      sku: p.sku,
      property_values: p.property_values.map((pv: any) => ({ property_id: pv.property_id, property_name: pv.property_name, scale_id: pv.scale_id, value_ids: pv.value_ids, values: pv.values })), // eslint-disable-line @typescript-eslint/no-explicit-any
      offerings: p.offerings.map((o: any) => ({ price: o.price.amount / o.price.divisor, quantity: o.quantity, is_enabled: o.is_enabled, readiness_state_id: o.readiness_state_id })), // eslint-disable-line @typescript-eslint/no-explicit-any
    })),
    price_on_property: inv.price_on_property,
    quantity_on_property: inv.quantity_on_property,
    sku_on_property: inv.sku_on_property,
    readiness_state_on_property: inv.readiness_state_on_property,
  };
}

export const HERON = 1001;
export const OTTER = 1002;
export const HERON_GIFT = 1003;
export const FOX = 1004;
export const NO_SKU = 1005;
export const SOLD_OUT = 1006;
export const INACTIVE = 1007;
export const DRAFT = 1008;
export const OLD = 1009;

export function smallShop(): ShopSeed {
  return {
    listings: [
      { listing_id: HERON, title: 'Blue Heron Print', price: 2500, properties: [SIZE_PROPERTY], products: [{ values: ['A4'], sku: 'HERON-A4', quantity: 5 }, { values: ['A3'], sku: 'HERON-A3', quantity: 2, price: 3500 }] },
      { listing_id: OTTER, title: 'Otter Linocut', products: [{ sku: 'OTTER', quantity: 4 }] },
      { listing_id: HERON_GIFT, title: 'Blue Heron Print – Gift Edition', properties: [SIZE_PROPERTY], products: [{ values: ['A4'], sku: 'HERON-A4', quantity: 5 }, { values: ['A3'], sku: 'HERON-A3', quantity: 2 }] },
      {
        listing_id: FOX,
        title: 'Red Fox Print',
        properties: [SIZE_PROPERTY, FRAME_PROPERTY],
        products: [
          { values: ['A4', 'Unframed'], sku: 'FOX-A4-U', quantity: 1, price: 2000 },
          { values: ['A4', 'Oak frame'], sku: 'FOX-A4-OAK', quantity: 2, price: 4500 },
          { values: ['A3', 'Unframed'], sku: 'FOX-A3-U', quantity: 3, price: 3000 },
          { values: ['A3', 'Oak frame'], sku: 'FOX-A3-OAK', quantity: 0, price: 5500 },
        ],
      },
      { listing_id: NO_SKU, title: 'Wren Sketch', products: [{ quantity: 3 }] },
      { listing_id: SOLD_OUT, title: 'Puffin Print', products: [{ sku: 'PUFFIN', quantity: 0 }] },
      { listing_id: INACTIVE, title: 'Badger Print', state: 'inactive', products: [{ sku: 'BADGER', quantity: 1 }] },
      { listing_id: DRAFT, title: 'Hare Print', state: 'draft', products: [{ sku: 'HARE', quantity: 1 }] },
      { listing_id: OLD, title: 'Old Owl Print', hasInventoryRecord: false, products: [{ quantity: 2 }] },
    ],
  };
}
