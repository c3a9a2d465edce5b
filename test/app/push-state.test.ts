import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type Core } from '../../src/main/app';
import { pushState } from '../../src/main/core-views';
import { MemorySecretStore } from '../../src/main/secrets/memory-secret-store';

/**
 * The push-state facts (store/push-state-repo.ts) on hand-made store rows, and how pushState words
 * them: which write intent counts (the newest per listing), in-flight writes, attention about the
 * SKU or its listing, and removed listings. The simulator-driven flow is in catalog-csv.test.ts.
 */
let core: Core;
let dataDir: string;
let clock = 1_000_000;

beforeEach(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'art-sync-push-state-'));
  core = await createApp({
    dataDir,
    env: { ART_SYNC_ETSY_API_URL: 'http://127.0.0.1:9', ART_SYNC_ETSY_AUTH_URL: 'http://127.0.0.1:9', ART_SYNC_NO_KEYCHAIN: '1' },
    secrets: new MemorySecretStore(),
    now: () => clock,
  });
  core.catalog.upsertMany(['A', 'B', 'C', 'D'].map((sku) => ({ sku, title: sku, quantity: 5, priceAmount: 100, currency: 'USD' })));
  const db = core.store.sqlite;
  const listing = db.prepare(`INSERT INTO etsy_listings (listing_id, shop_id, title, state, last_seen_at, removed_at) VALUES (?, 1, 't', ?, 0, ?)`);
  const link = db.prepare(`INSERT INTO sku_links (listing_id, product_key, variant_id, baseline_catalog, baseline_etsy, baseline_at) VALUES (?, 'k', (SELECT id FROM catalog_variants WHERE sku = ?), 5, 5, 0)`);
  // A, B, C on live listings 1, 2, 3; D only on a listing removed from Etsy.
  listing.run(1, 'active', null);
  listing.run(2, 'active', null);
  listing.run(3, 'inactive', null);
  listing.run(4, 'active', 123);
  for (const [id, sku] of [[1, 'A'], [2, 'B'], [3, 'C'], [4, 'D']] as const) link.run(id, sku);
});
afterEach(async () => {
  await core.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function write(listingId: number, status: string): void {
  core.store.sqlite
    .prepare(`INSERT INTO pending_writes (listing_id, run_id, kind, body, status, created_at, updated_at) VALUES (?, NULL, 'inventory', '{}', ?, 0, 0)`)
    .run(listingId, status);
}

const facts = (sku: string) => core.pushStates.facts([sku])[0]!;

describe('push-state facts', () => {
  it('on Etsy and nothing to carry: on Etsy; a listing removed from Etsy does not count', () => {
    expect(facts('A')).toMatchObject({ onEtsy: true, pending: false, inFlight: false, failedWrite: false, problems: [] });
    expect(facts('D')).toMatchObject({ onEtsy: false });
    expect(core.catalogPushStates(['A', 'D'])).toEqual([
      { sku: 'A', push: { state: 'on_etsy', message: null } },
      { sku: 'D', push: null },
    ]);
  });

  it('only the newest write to a listing counts: failed then done is on Etsy, done then failed is an error', () => {
    write(1, 'failed');
    write(1, 'done');
    write(2, 'done');
    write(2, 'failed');
    expect([facts('A').failedWrite, facts('B').failedWrite]).toEqual([false, true]);
    expect(core.catalogPushStates(['B'])[0]!.push).toEqual({ state: 'error', message: 'The last stock update did not reach Etsy; the next sync tries again.' });
    // The listing's open attention item gives the sentence and what to do.
    core.repos.attention.addAttention({ kind: 'write_failed', listingId: 2, message: 'Etsy did not accept the stock update for listing 2: nope', action: 'Open the listing on Etsy.' }, clock);
    expect(core.catalogPushStates(['B'])[0]!.push).toEqual({ state: 'error', message: 'Etsy did not accept the stock update for listing 2: nope Open the listing on Etsy.' });
    expect(core.catalogPushStates(['A'])[0]!.push?.state).toBe('on_etsy');
    // Listing-wide items that are not a refused write (a variation without a SKU) are not this SKU's error.
    core.repos.attention.addAttention({ kind: 'missing_sku', listingId: 3, message: 'A variation has no SKU.' }, clock);
    expect(facts('C').problems).toEqual([]);
  });

  it('a write planned, sent or of unknown outcome is pushing, whatever came before', () => {
    write(3, 'failed');
    write(3, 'unknown');
    expect(facts('C')).toMatchObject({ inFlight: true, failedWrite: false });
    expect(core.catalogPushStates(['C'])[0]!.push).toEqual({ state: 'pushing', message: null });
  });

  it('a local edit not carried yet: an error seen after the edit wins; an older one does not hide the new attempt', () => {
    core.repos.attention.addAttention({ kind: 'conflict', sku: 'A', message: 'Old trouble.' }, clock);
    clock += 1000;
    core.setStock('A', 7);
    expect(facts('A')).toMatchObject({ pending: true });
    // No background sync in this process: waiting, with why.
    expect(core.catalogPushStates(['A'])[0]!.push?.state).toBe('waiting');
    clock += 1000;
    core.repos.attention.addAttention({ kind: 'conflict', sku: 'A', message: 'New trouble.' }, clock);
    expect(core.catalogPushStates(['A'])[0]!.push).toEqual({ state: 'error', message: 'New trouble.' });
  });
});

describe('pushState words', () => {
  const base = { sku: 'A', onEtsy: true, pending: true, inFlight: false, failedWrite: false, updatedAt: 10, problems: [] };
  const idle = { lastPushAt: null, lastPushSkus: [], lastError: null };

  it('the edit pusher\'s failed push for this SKU since the edit is the error; for another SKU or before the edit it is not', () => {
    expect(pushState(base, { lastPushAt: 11, lastPushSkus: ['A'], lastError: 'Etsy is unreachable.' }, null)).toEqual({ state: 'error', message: 'Etsy is unreachable.' });
    expect(pushState(base, { lastPushAt: 11, lastPushSkus: ['B'], lastError: 'Etsy is unreachable.' }, null)).toEqual({ state: 'pushing', message: null });
    expect(pushState(base, { lastPushAt: 9, lastPushSkus: ['A'], lastError: 'Etsy is unreachable.' }, null)).toEqual({ state: 'pushing', message: null });
    expect(pushState(base, idle, 'Syncing is paused; it goes to Etsy when you resume.')).toEqual({ state: 'waiting', message: 'Syncing is paused; it goes to Etsy when you resume.' });
    expect(pushState({ ...base, onEtsy: false }, idle, null)).toBeNull();
  });
});
