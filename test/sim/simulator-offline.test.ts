import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenApiValidator, startEtsySimulator, type EtsySimulator } from '../../sim';
import { api, smallShop } from './sim-test-helpers';

/**
 * Etsy unreachable (no network at a craft fair): the simulator stops listening, so connections are
 * refused, and comes back on the same address with the shop as it was.
 */
let sim: EtsySimulator;

beforeAll(async () => {
  sim = await startEtsySimulator({ shop: smallShop(), validator: createOpenApiValidator() });
});
afterAll(() => sim.close());

describe('offline switch', () => {
  it('refuses connections while offline and answers again on the same URL, shop kept', async () => {
    const owner = api(sim, sim.issueTokens({}).access_token);
    const listingId = sim.snapshot().find((listing) => listing.products.length === 1 && listing.quantity > 1)?.listing_id;
    expect(listingId).toBeDefined();
    const before = sim.getListing(listingId!);
    const url = sim.url;
    await sim.goOffline();
    expect(sim.offline).toBe(true);
    const refused = await fetch(`${url}/v3/application/openapi-ping`).then(
      () => 'answered',
      (error: unknown) => String((error as { cause?: { code?: string } }).cause?.code ?? error),
    );
    expect(refused).toBe('ECONNREFUSED');
    // Changes made on Etsy meanwhile (the simulator's own API) still happen.
    sim.sell(listingId!, undefined, 1);
    await sim.goOnline();
    expect(sim.offline).toBe(false);
    expect(sim.url).toBe(url);
    const reply = await owner.get(`/listings/${listingId}/inventory`);
    expect(reply.status).toBe(200);
    expect(reply.body.products[0].offerings[0].quantity).toBe(before!.products[0]!.quantity - 1);
    // Idempotent both ways.
    await sim.goOnline();
    await sim.goOffline();
    await sim.goOffline();
    await sim.goOnline();
    expect((await owner.get('/users/me')).status).toBe(200);
    expect(sim.violations).toEqual([]);
  });
});
