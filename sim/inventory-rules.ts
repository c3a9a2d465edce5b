/**
 * Etsy's business rules for updateListingInventory, beyond what the OpenAPI schema can say (docs/ETSY_API_NOTES.md §6, §9).
 * A PUT replaces the whole inventory and issues new product and offering ids every time (#523 #432).
 */
import type { IdAllocator, SimInventory, SimMoney, SimProduct, SimPropertyValue, ValueRegistry } from './sim-model';

export const MAX_OFFERING_QUANTITY = 999;
export const MAX_VALUES_PER_PROPERTY = 70;
export const MIN_PRICE = 0.2;
export const MAX_PRICE = 50_000;

export interface InventoryContext {
  ids: IdAllocator;
  values: ValueRegistry;
  currency: SimMoney['currency_code'];
  readinessStateIds: ReadonlySet<number>;
  maxProperties: number;
}

export type InventoryResult = { ok: true; inventory: SimInventory } | { ok: false; error: string };

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);

// Fields Etsy returns on GET but refuses on PUT; echoing them fails (#159 #168).
const READ_ONLY_PRODUCT = ['product_id', 'is_deleted'];
const READ_ONLY_OFFERING = ['offering_id', 'is_deleted'];
const READ_ONLY_PROPERTY_VALUE = ['scale_name'];

class Reject extends Error {}
const reject = (message: string): never => {
  throw new Reject(message);
};

export function buildInventoryFromRequest(body: unknown, ctx: InventoryContext): InventoryResult {
  try {
    return { ok: true, inventory: build(body, ctx) };
  } catch (e) {
    if (e instanceof Reject) return { ok: false, error: e.message };
    throw e;
  }
}

function build(body: unknown, ctx: InventoryContext): SimInventory {
  if (!isRec(body)) reject('Expected a JSON object with "products".');
  const rawProducts = (body as Rec)['products'];
  if (!Array.isArray(rawProducts) || rawProducts.length === 0) reject('There was a problem with /products : cannot be empty');
  const raw = rawProducts as unknown[];

  let propertyIds: number[] | undefined;
  const seenCombos = new Set<string>();
  const distinctValues = new Map<number, Set<string>>();
  const parsed: { sku: string; pvs: SimPropertyValue[]; quantity: number; price: number; isEnabled: boolean; readiness: number }[] = [];

  raw.forEach((p, i) => {
    if (!isRec(p)) reject(`There was a problem with /products/${i} : must be an object`);
    const product = p as Rec;
    for (const f of READ_ONLY_PRODUCT) if (f in product) reject(`There was a problem with /products/${i}/${f} : is read-only and cannot be set`);
    const sku = product['sku'] ?? '';
    if (typeof sku !== 'string') reject(`There was a problem with /products/${i}/sku : must be a string`);

    const rawPvs = product['property_values'] ?? [];
    if (!Array.isArray(rawPvs)) reject(`There was a problem with /products/${i}/property_values : must be an array`);
    const pvs = (rawPvs as unknown[]).map((v, j) => parsePropertyValue(v, `/products/${i}/property_values/${j}`, ctx));
    const ids = pvs.map((pv) => pv.property_id);
    if (ids.length > ctx.maxProperties) reject(`There was a problem with /products/${i}/property_values : cannot have more than ${ctx.maxProperties} properties`);
    if (new Set(ids).size !== ids.length) reject(`There was a problem with /products/${i}/property_values : duplicate property_id`);
    if (propertyIds === undefined) propertyIds = ids;
    else if (ids.join(',') !== propertyIds.join(',')) {
      reject(`There was a problem with /products/${i}/property_values : every product must use the same properties in the same order`);
    }
    const combo = pvs.map((pv) => pv.values[0]).join('\u0000');
    if (seenCombos.has(combo)) reject(`There was a problem with /products/${i} : duplicate variation (${pvs.map((pv) => pv.values[0]).join(', ') || 'no properties'})`);
    seenCombos.add(combo);
    for (const pv of pvs) {
      const set = distinctValues.get(pv.property_id) ?? new Set<string>();
      set.add(pv.values[0]!);
      distinctValues.set(pv.property_id, set);
      if (set.size > MAX_VALUES_PER_PROPERTY) reject(`There was a problem with /values : cannot be more than ${MAX_VALUES_PER_PROPERTY} items`);
    }

    const offerings = product['offerings'];
    if (!Array.isArray(offerings) || offerings.length !== 1) reject(`There was a problem with /products/${i}/offerings : each product must have exactly one offering`);
    const o = (offerings as unknown[])[0];
    if (!isRec(o)) reject(`There was a problem with /products/${i}/offerings/0 : must be an object`);
    const offering = o as Rec;
    for (const f of READ_ONLY_OFFERING) if (f in offering) reject(`There was a problem with /products/${i}/offerings/0/${f} : is read-only and cannot be set`);
    const quantity = offering['quantity'];
    if (typeof quantity !== 'number' || !Number.isInteger(quantity)) reject('There was a problem with /quantity : must be an integer');
    if ((quantity as number) < 0) reject('There was a problem with /quantity : cannot be less than 0');
    if ((quantity as number) > MAX_OFFERING_QUANTITY) reject(`There was a problem with /quantity : cannot be greater than ${MAX_OFFERING_QUANTITY}`);
    const price = offering['price'];
    if (typeof price !== 'number' || !Number.isFinite(price)) reject('There was a problem with /price : must be a number (amount / divisor), not an object');
    if ((price as number) < MIN_PRICE || (price as number) > MAX_PRICE) reject(`There was a problem with /price : must be between ${MIN_PRICE} and ${MAX_PRICE}`);
    const isEnabled = offering['is_enabled'];
    if (typeof isEnabled !== 'boolean') reject(`There was a problem with /products/${i}/offerings/0/is_enabled : is required`);
    if (!('readiness_state_id' in offering)) reject(`There was a problem with /products/${i}/offerings/0/readiness_state_id : is required`);
    const readiness = offering['readiness_state_id'];
    // The schema allows null, but a physical listing's offering needs a processing profile (docs/ETSY_API_NOTES.md §6;
    // "processing profiles only" since 2025-09): a PUT echoing a read's null is rejected.
    if (readiness === null) reject(`There was a problem with /products/${i}/offerings/0/readiness_state_id : a processing profile is required`);
    if (typeof readiness !== 'number' || !ctx.readinessStateIds.has(readiness)) {
      reject(`There was a problem with /readiness_state_id : ${String(readiness)} is not a processing profile of this shop`);
    }
    parsed.push({ sku: sku as string, pvs, quantity: quantity as number, price: price as number, isEnabled: isEnabled as boolean, readiness: readiness as number });
  });

  if (!parsed.some((p) => p.isEnabled && p.quantity > 0)) reject('One offering must have quantity greater than 0');

  const props = propertyIds ?? [];
  if (props.length === 0 && parsed.length > 1) reject('There was a problem with /products : products without property_values must be a single product');

  const onProperty = (field: string, getter: (p: (typeof parsed)[number]) => unknown): number[] => {
    const rawList = (body as Rec)[field] ?? [];
    if (rawList === null && field === 'readiness_state_on_property') return checkOnProperty(field, [], props, parsed.map(getter), parsed.map((p) => p.pvs));
    if (!Array.isArray(rawList) || !rawList.every((x) => Number.isInteger(x))) reject(`There was a problem with /${field} : must be an array of property ids`);
    return checkOnProperty(field, rawList as number[], props, parsed.map(getter), parsed.map((p) => p.pvs));
  };
  const priceOn = onProperty('price_on_property', (p) => Math.round(p.price * 100));
  const quantityOn = onProperty('quantity_on_property', (p) => p.quantity);
  const skuOn = onProperty('sku_on_property', (p) => p.sku);
  const readinessOn = onProperty('readiness_state_on_property', (p) => p.readiness);

  const products: SimProduct[] = parsed.map((p) => ({
    product_id: ctx.ids.nextProduct(),
    sku: p.sku,
    property_values: p.pvs,
    offerings: [
      {
        offering_id: ctx.ids.nextOffering(),
        quantity: p.quantity,
        is_enabled: p.isEnabled,
        price: toMoney(p.price, ctx.currency),
        readiness_state_id: p.readiness,
      },
    ],
  }));
  return { products, price_on_property: priceOn, quantity_on_property: quantityOn, sku_on_property: skuOn, readiness_state_on_property: readinessOn };
}

function parsePropertyValue(v: unknown, where: string, ctx: InventoryContext): SimPropertyValue {
  if (!isRec(v)) return reject(`There was a problem with ${where} : must be an object`);
  for (const f of READ_ONLY_PROPERTY_VALUE) if (f in v) reject(`There was a problem with ${where}/${f} : is read-only and cannot be set`);
  const propertyId = v['property_id'];
  if (typeof propertyId !== 'number' || !Number.isInteger(propertyId) || propertyId < 1) {
    reject(`Expected int value for 'property_id' (got ${propertyId === undefined || propertyId === null ? 'NULL' : typeof propertyId})`);
  }
  const pid = propertyId as number;
  const values = v['values'];
  const valueIds = v['value_ids'] ?? [];
  if (!Array.isArray(values) || values.length !== 1 || typeof values[0] !== 'string' || values[0].trim() === '') {
    reject(`There was a problem with ${where}/values : must hold exactly one non-empty value`);
  }
  const value = (values as string[])[0]!;
  if (/[()]/.test(value)) reject(`There was a problem with /values : parentheses are not allowed ("${value}")`);
  if (!Array.isArray(valueIds) || valueIds.length > 1 || !valueIds.every((x) => Number.isInteger(x) && x >= 1)) {
    reject(`There was a problem with ${where}/value_ids : must hold at most one value id`);
  }
  // New custom values may be sent with value_ids: [] and get a seller-specific id (#375 #343).
  let valueId = (valueIds as number[])[0];
  if (valueId === undefined) valueId = ctx.values.valueId(pid, value);
  else ctx.values.remember(pid, value, valueId);
  const scaleId = v['scale_id'] ?? null;
  if (scaleId !== null && (typeof scaleId !== 'number' || !Number.isInteger(scaleId))) reject(`There was a problem with ${where}/scale_id : must be an integer`);
  const name = typeof v['property_name'] === 'string' ? (v['property_name'] as string) : ctx.values.propertyName(pid);
  return { property_id: pid, property_name: name, scale_id: scaleId as number | null, scale_name: ctx.values.scaleName(scaleId as number | null), value_ids: [valueId], values: [value] };
}

/**
 * `*_on_property` must name the properties along which the field varies, in the products' property
 * order (#375). Listing a property along which the field happens not to vary is accepted (a seller may
 * keep "price varies by size" with equal prices); omitting one along which it does vary is rejected.
 */
function checkOnProperty(field: string, listed: number[], props: number[], fieldValues: unknown[], pvs: SimPropertyValue[][]): number[] {
  for (const id of listed) if (!props.includes(id)) reject(`There was a problem with /${field} : property ${id} is not a property of these products`);
  if (new Set(listed).size !== listed.length) reject(`There was a problem with /${field} : duplicate property id`);
  const positions = listed.map((id) => props.indexOf(id));
  for (let i = 1; i < positions.length; i++) {
    if (positions[i]! < positions[i - 1]!) reject(`${field}: property IDs must be in the same order as in products`);
  }
  const seen = new Map<string, unknown>();
  fieldValues.forEach((value, i) => {
    const key = positions.map((pos) => pvs[i]![pos]!.values[0]).join('\u0000');
    if (!seen.has(key)) seen.set(key, value);
    else if (seen.get(key) !== value) {
      reject(`There was a problem with /${field} : values vary across properties not listed in ${field} (listed: [${listed.join(', ')}])`);
    }
  });
  return listed;
}

/** Smallest `*_on_property` list (in property order) that explains how a field varies; used for seeding. */
export function deriveOnProperty(props: number[], fieldValues: unknown[], pvs: SimPropertyValue[][]): number[] {
  // Every subset of property positions (up to three properties, docs/ETSY_API_NOTES.md §9.22), smallest first.
  const candidates: number[][] = [];
  for (let mask = 0; mask < 1 << props.length; mask++) candidates.push(props.map((_, i) => i).filter((i) => (mask & (1 << i)) !== 0));
  candidates.sort((a, b) => a.length - b.length);
  for (const positions of candidates) {
    const seen = new Map<string, unknown>();
    let ok = true;
    fieldValues.forEach((value, i) => {
      const key = positions.map((pos) => pvs[i]![pos]!.values[0]).join('\u0000');
      if (!seen.has(key)) seen.set(key, value);
      else if (seen.get(key) !== value) ok = false;
    });
    if (ok) return positions.map((pos) => props[pos]!);
  }
  return [...props];
}

export function toMoney(price: number, currency: string): SimMoney {
  return { amount: Math.round(price * 100), divisor: 100, currency_code: currency };
}
