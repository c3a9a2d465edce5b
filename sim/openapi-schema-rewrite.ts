/**
 * Turns OpenAPI 3.0 schema objects from Etsy's document into JSON Schema that ajv 8 accepts.
 *
 * Why: the document is OpenAPI 3.0.2, where `nullable: true` is a sibling keyword (sometimes next to
 * `oneOf`/`$ref` with no `type`), which ajv rejects or ignores (docs/ETSY_API_NOTES.md §10). Descriptions, examples and
 * `x-*` extensions are dropped so the compiled code stays small; `$ref`s to components are pointed at
 * the per-component schemas the validator registers.
 */

export const COMPONENT_ID_PREFIX = 'https://etsy-openapi.local/components/schemas/';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type SchemaObject = { [key: string]: Json };

const DROPPED_KEYWORDS = new Set(['description', 'example', 'examples', 'default', 'externalDocs', 'xml', 'deprecated']);

function isObject(value: unknown): value is SchemaObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Rewrites one schema (recursively). Never mutates its input. */
export function rewriteSchema(schema: Json): Json {
  if (!isObject(schema)) return schema;
  const out: SchemaObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (DROPPED_KEYWORDS.has(key) || key.startsWith('x-') || key === 'nullable') continue;
    if (key === 'readOnly' || key === 'writeOnly') continue;
    if (key === 'properties' && isObject(value)) {
      const props: SchemaObject = {};
      // Keys here are property NAMES (a property may well be called "description"), not keywords.
      for (const [name, sub] of Object.entries(value)) props[name] = rewriteSchema(sub);
      out[key] = props;
    } else if ((key === 'items' || key === 'additionalProperties' || key === 'not') && isObject(value)) {
      out[key] = rewriteSchema(value);
    } else if ((key === 'allOf' || key === 'anyOf' || key === 'oneOf') && Array.isArray(value)) {
      out[key] = value.map(rewriteSchema);
    } else if (key === '$ref' && typeof value === 'string') {
      out[key] = rewriteRef(value);
    } else {
      out[key] = value;
    }
  }
  if (schema['nullable'] === true) return makeNullable(out);
  return out;
}

function rewriteRef(ref: string): string {
  const prefix = '#/components/schemas/';
  if (ref.startsWith(prefix)) return COMPONENT_ID_PREFIX + ref.slice(prefix.length);
  throw new Error(`Unsupported $ref in Etsy OpenAPI document: ${ref}`);
}

function makeNullable(schema: SchemaObject): SchemaObject {
  const type = schema['type'];
  if (typeof type === 'string' && schema['$ref'] === undefined) {
    const out: SchemaObject = { ...schema, type: [type, 'null'] };
    // An enum lists the allowed values exhaustively, so null must be added there as well.
    const en = schema['enum'];
    if (Array.isArray(en) && !en.includes(null)) out['enum'] = [...en, null];
    return out;
  }
  return { anyOf: [schema, { type: 'null' }] };
}

/**
 * Where real Etsy answers differ from its document and the difference is sourced (docs/ETSY_API_NOTES.md §9.23–24), the
 * validator accepts the real form as well, and nothing else: receipt `status` also in the capitalised
 * form real bodies carry ("Paid", "Fully Refunded"), and `listing: null` on getListingInventory's
 * ListingInventoryWithAssociations. Applied to the rewritten component schema; the document itself is
 * never changed (it stays byte-identical, test/sim/vendored-openapi.test.ts).
 */
export function withRealEtsyForms(componentName: string, schema: SchemaObject): SchemaObject {
  const props = schema['properties'];
  if (!isObject(props)) return schema;
  if (componentName === 'ShopReceipt' && isObject(props['status'])) {
    const status = props['status'];
    const values = Array.isArray(status['enum']) ? status['enum'].filter((v): v is string => typeof v === 'string') : [];
    const capitalised = values.map(capitalise).filter((v) => !values.includes(v));
    return { ...schema, properties: { ...props, status: { ...status, enum: [...values, ...capitalised] } } };
  }
  if (componentName === 'ListingInventoryWithAssociations' && props['listing'] !== undefined) {
    return { ...schema, properties: { ...props, listing: makeNullable(props['listing'] as SchemaObject) } };
  }
  return schema;
}

/** "fully refunded" → "Fully Refunded", as real receipts spell it. */
export function capitalise(status: string): string {
  return status.replace(/\b[a-z]/g, (c) => c.toUpperCase());
}
