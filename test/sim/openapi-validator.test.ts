import { beforeAll, describe, expect, it } from 'vitest';
import { createOpenApiValidator, type OpenApiValidator } from '../../sim/openapi-validator';
import { rewriteSchema } from '../../sim/openapi-schema-rewrite';

let v: OpenApiValidator;
beforeAll(() => {
  v = createOpenApiValidator();
});

describe('nullable rewrite (docs/ETSY_API_NOTES.md §10)', () => {
  it('adds null to the type, and to an enum, when a type is present', () => {
    expect(rewriteSchema({ type: 'string', nullable: true, enum: ['a', 'b'] })).toEqual({ type: ['string', 'null'], enum: ['a', 'b', null] });
  });
  it('wraps a typeless nullable schema (oneOf/$ref) in anyOf with null', () => {
    expect(rewriteSchema({ nullable: true, oneOf: [{ $ref: '#/components/schemas/Money' }], description: 'x' })).toEqual({
      anyOf: [{ oneOf: [{ $ref: 'https://etsy-openapi.local/components/schemas/Money' }] }, { type: 'null' }],
    });
  });
  it('keeps a property literally named "description"', () => {
    const out = rewriteSchema({ type: 'object', properties: { description: { type: 'string', description: 'the text' } } });
    expect(out).toEqual({ type: 'object', properties: { description: { type: 'string' } } });
  });
  it('lets real responses carry null where the document says nullable, and nothing else', () => {
    const listing = { listing_id: 1, state: 'active', who_made: null, inventory: null, shop_section_id: null };
    expect(v.validateResponse('getListingsByShop', 200, { count: 1, results: [listing] }).valid).toBe(true);
    expect(v.validateResponse('getListingsByShop', 200, { count: 1, results: [{ ...listing, listing_id: null }] }).valid).toBe(false);
  });
  it('ignores unknown formats such as "ISO 3166-1 alpha-2"', () => {
    expect(v.validateResponse('getShop', 200, { shop_id: 1, shipping_from_country_iso: 'not-a-country' }).valid).toBe(true);
  });
});

describe('validateRequest', () => {
  it('accepts a correct getListingsByShop request, coercing types and repeated array keys', () => {
    const r = v.validateRequest('getListingsByShop', {
      pathParams: { shop_id: '42' },
      query: new URLSearchParams('state=inactive&limit=100&offset=200&includes=Inventory&includes=Images&sort_on=updated&sort_order=desc'),
    });
    expect(r.errors).toEqual([]);
    expect(r.coerced.query).toEqual({ state: 'inactive', limit: 100, offset: 200, includes: ['Inventory', 'Images'], sort_on: 'updated', sort_order: 'desc' });
    expect(r.coerced.pathParams).toEqual({ shop_id: 42 });
  });
  it('rejects a bad query parameter type and an out-of-range limit', () => {
    const r = v.validateRequest('getListingsByShop', { pathParams: { shop_id: 1 }, query: { limit: 'ten', offset: '-1' } });
    expect(r.valid).toBe(false);
    expect(r.errors).toContain('query.limit must be integer');
    expect(r.errors).toContain('query.offset must be >= 0');
    expect(v.validateRequest('getListingsByShop', { pathParams: { shop_id: 1 }, query: { limit: 101 } }).errors).toEqual(['query.limit must be <= 100']);
  });
  it('rejects an unknown enum value, an unknown include and an unknown query parameter', () => {
    const r = v.validateRequest('getListingsByShop', { pathParams: { shop_id: 1 }, query: { state: 'sold', 'includes[]': 'Inventory' } });
    expect(r.errors.some((e) => e.startsWith('query.state must be equal to one of the allowed values'))).toBe(true);
    expect(r.errors).toContain('query must NOT have additional properties (includes[])');
  });
  it('checks path parameters (integer, minimum 1)', () => {
    expect(v.validateRequest('getListingInventory', { pathParams: { listing_id: 'abc' } }).errors).toEqual(['path.listing_id must be integer']);
    expect(v.validateRequest('getListingInventory', { pathParams: { listing_id: 0 } }).errors).toEqual(['path.listing_id must be >= 1']);
  });
  it('reports a missing required parameter', () => {
    expect(v.validateRequest('getListingsInventoryByListingIds', { query: {} }).errors).toEqual(["query must have required property 'listing_ids'"]);
  });
  it('accepts listing_ids comma-separated or repeated, and rejects a non-numeric id', () => {
    expect(v.validateRequest('getListingsInventoryByListingIds', { query: { listing_ids: '1,2,3' } }).coerced.query).toEqual({ listing_ids: [1, 2, 3] });
    expect(v.validateRequest('getListingsInventoryByListingIds', { query: new URLSearchParams('listing_ids=1&listing_ids=2') }).valid).toBe(true);
    expect(v.validateRequest('getListingsInventoryByListingIds', { query: { listing_ids: '1,x' } }).errors).toEqual(['query.listing_ids.1 must be integer']);
  });
  it('validates a JSON body against the requestBody schema', () => {
    const good = { products: [{ sku: 'A', property_values: [], offerings: [{ price: 25, quantity: 3, is_enabled: true, readiness_state_id: 7 }] }] };
    expect(v.validateRequest('updateListingInventory', { pathParams: { listing_id: 5 }, body: good, contentType: 'application/json' }).errors).toEqual([]);
    const bad = { products: [{ offerings: [{ price: { amount: 2500, divisor: 100, currency_code: 'GBP' }, quantity: 1.5, is_enabled: true }] }] };
    const errors = v.validateRequest('updateListingInventory', { pathParams: { listing_id: 5 }, body: bad, contentType: 'application/json' }).errors;
    expect(errors).toEqual(
      expect.arrayContaining([
        'body.products.0.offerings.0 must have required property \'readiness_state_id\'',
        'body.products.0.offerings.0.price must be number',
        'body.products.0.offerings.0.quantity must be integer',
      ]),
    );
    expect(v.validateRequest('updateListingInventory', { pathParams: { listing_id: 5 }, body: {}, contentType: 'application/json' }).errors).toEqual([
      "body must have required property 'products'",
    ]);
  });
  it('validates a form body, coercing booleans and integers, and checks the content type', () => {
    const ok = v.validateRequest('updateListing', { pathParams: { shop_id: 1, listing_id: 2 }, body: 'state=inactive&should_auto_renew=true&taxonomy_id=66', contentType: 'application/x-www-form-urlencoded' });
    expect(ok.errors).toEqual([]);
    expect(ok.coerced.body).toEqual({ state: 'inactive', should_auto_renew: true, taxonomy_id: 66 });
    const bad = v.validateRequest('updateListing', { pathParams: { shop_id: 1, listing_id: 2 }, body: 'state=sold_out&is_supply=maybe', contentType: 'application/x-www-form-urlencoded' });
    expect(bad.errors).toEqual(expect.arrayContaining(['body.is_supply must be boolean']));
    expect(bad.errors.some((e) => e.startsWith('body.state must be equal to one of the allowed values'))).toBe(true);
    const wrongType = v.validateRequest('updateListing', { pathParams: { shop_id: 1, listing_id: 2 }, body: { state: 'active' }, contentType: 'application/json' });
    expect(wrongType.errors).toEqual(['body content type application/json is not accepted (expected application/x-www-form-urlencoded)']);
  });
  it('follows additionalProperties: unknown body fields pass per the document, fail with unknownBodyFields "reject"', () => {
    const form = { body: 'state=active&is_personalizable=true', contentType: 'application/x-www-form-urlencoded', pathParams: { shop_id: 1, listing_id: 2 } };
    expect(v.validateRequest('updateListing', form).valid).toBe(true);
    const closed = createOpenApiValidator(undefined, { unknownBodyFields: 'reject' });
    expect(closed.validateRequest('updateListing', form).errors).toEqual(['body must NOT have additional properties (is_personalizable)']);
  });
});

describe('validateResponse', () => {
  it('rejects a body that breaks the declared schema', () => {
    const r = v.validateResponse('getListingInventory', 200, { products: [{ product_id: 0, offerings: [{ quantity: -1 }] }] });
    expect(r.valid).toBe(false);
    expect(r.errors).toEqual(expect.arrayContaining(['response.products.0.product_id must be >= 1']));
  });
  it('checks undeclared error statuses (e.g. 429) against ErrorSchema', () => {
    expect(v.validateResponse('getListingsInventoryByListingIds', 429, { error: 'Exceeded per second rate limit' })).toEqual({ valid: true, errors: [], declared: false });
    expect(v.validateResponse('getListingsInventoryByListingIds', 429, { message: 'no error field' }).valid).toBe(false);
  });
});

describe('matchOperation', () => {
  it('prefers literal segments: batch/inventory is not listing "batch"', () => {
    expect(v.matchOperation('GET', '/v3/application/listings/batch/inventory')).toEqual({ operationId: 'getListingsInventoryByListingIds', pathParams: {} });
    expect(v.matchOperation('GET', '/v3/application/listings/123/inventory?x=1')).toEqual({ operationId: 'getListingInventory', pathParams: { listing_id: '123' } });
    expect(v.matchOperation('PUT', '/v3/application/listings/123/inventory')?.operationId).toBe('updateListingInventory');
    expect(v.matchOperation('PATCH', '/v3/application/shops/9/listings/8')).toEqual({ operationId: 'updateListing', pathParams: { shop_id: '9', listing_id: '8' } });
  });
  it('returns undefined for unknown paths and methods', () => {
    expect(v.matchOperation('GET', '/v3/application/nope')).toBeUndefined();
    expect(v.matchOperation('DELETE', '/v3/application/users/me')).toBeUndefined();
  });
  it('knows the operations of the document and their oauth scopes', () => {
    expect(v.operationIds()).toHaveLength(105);
    expect(v.operation('updateListingInventory')?.oauthScopes).toEqual(['listings_w']);
    expect(v.operation('getShop')?.oauthScopes).toBeUndefined();
  });
});
