import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Settings } from '../../src/shared/settings';
import { createApp, type Core } from '../../src/main/app';
import { createOpenApiValidator, startEtsySimulator, type EtsySimulator, type OpenApiValidator, type ShopSeed } from '../../sim';
import { MemorySecretStore } from '../../src/main/secrets/memory-secret-store';
import { freePort } from '../../src/main/net/free-port';

export { freePort };

/**
 * A test world: the Etsy simulator (strict: every request and response checked against Etsy's
 * OpenAPI document) and a real core on a temporary data folder, connected through the real OAuth flow.
 */
let sharedValidator: OpenApiValidator | null = null;

export interface World {
  sim: EtsySimulator;
  core: Core;
  dataDir: string;
  env: Record<string, string>;
  secrets: MemorySecretStore;
  close(): Promise<void>;
}


export async function startWorld(options: {
  shop: ShopSeed;
  settings?: Partial<Settings>;
  strict?: boolean;
  dataDir?: string;
  keystring?: string;
  sharedSecret?: string;
  /** The core's clock (default Date.now), e.g. to move past a waiting period without waiting. */
  now?: () => number;
  /** The simulator's clock, i.e. Etsy's (default Date.now). */
  simNow?: () => number;
}): Promise<World> {
  sharedValidator ??= createOpenApiValidator();
  const sim = await startEtsySimulator({
    shop: options.shop,
    validator: sharedValidator,
    acceptAnyLoopbackRedirect: true,
    strict: options.strict ?? true,
    ...(options.simNow ? { now: options.simNow } : {}),
    ...(options.keystring ? { keystring: options.keystring } : {}),
    ...(options.sharedSecret ? { sharedSecret: options.sharedSecret } : {}),
  });
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'art-sync-world-'));
  const env = { ART_SYNC_ETSY_API_URL: sim.url, ART_SYNC_ETSY_AUTH_URL: sim.url, ART_SYNC_NO_KEYCHAIN: '1' };
  const secrets = new MemorySecretStore();
  const core = await createApp({ dataDir, env, secrets, ...(options.now ? { now: options.now } : {}) });
  if (options.settings) core.updateSettings(options.settings);
  const redirectUri = `http://127.0.0.1:${await freePort()}/oauth/redirect`;
  await core.connect({
    keystring: sim.keystring,
    sharedSecret: sim.sharedSecret,
    redirectUri,
    // Stands in for the browser: the simulator approves and redirects to our loopback listener.
    onAuthorizeUrl: (url) => void fetch(url).catch(() => undefined),
    timeoutMs: 10_000,
  });
  return {
    sim,
    core,
    dataDir,
    env,
    secrets,
    async close() {
      await core.stop();
      await sim.close();
      if (!options.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Stock per SKU as the catalog holds it. */
export function catalogStock(core: Core): Map<string, number> {
  return new Map(core.catalog.list().map((variant) => [variant.sku, variant.quantity]));
}

/**
 * What a buyer can buy on Etsy per SKU, per listing: a listing that is not active sells nothing,
 * so its stock counts as 0 (the app deactivates a listing instead of writing all zeros).
 */
export function etsySellable(sim: EtsySimulator): { listingId: number; sku: string; quantity: number }[] {
  const rows: { listingId: number; sku: string; quantity: number }[] = [];
  for (const listing of sim.snapshot()) {
    for (const product of listing.products) {
      if (product.sku === '') continue;
      rows.push({ listingId: listing.listing_id, sku: product.sku, quantity: listing.state === 'active' ? product.quantity : 0 });
    }
  }
  return rows;
}
