import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { demoShop } from '../../sim';
import { parseStoredAccessToken } from '../../src/main/etsy/oauth/token-manager';
import { startWorld, type World } from '../sync/world';

/**
 * Canary: distinctive keystring, shared secret and the real tokens of a session must appear nowhere
 * under the data folder (database, WAL, anything else), nor in anything the core logs or returns —
 * raw, base64, base64url, URL-encoded or hex.
 */
const KEYSTRING = 'canarykeystring7q3z';
const SECRET = 'canarysharedsecret9x4w';

function encodings(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  return [value, bytes.toString('base64'), bytes.toString('base64url'), encodeURIComponent(value), bytes.toString('hex')]
    // A short tail of base64 can end in padding that differs by context; the body is enough.
    .map((form) => form.replace(/=+$/, ''));
}

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

let world: World | null = null;
afterEach(async () => {
  vi.restoreAllMocks();
  await world?.close();
  world = null;
});

describe('secrets never leak', () => {
  it('keeps keystring, shared secret and tokens out of the data folder, logs and results', async () => {
    const logged: string[] = [];
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        logged.push(args.map(String).join(' '));
      });
    }
    world = await startWorld({ shop: demoShop(), keystring: KEYSTRING, sharedSecret: SECRET });
    const { core, sim } = world;
    const results: unknown[] = [];
    results.push(await core.sync({ kinds: ['products', 'inventory'], trigger: 'cli' }));
    // Force a refresh so a rotated refresh token is in play too.
    sim.expireAccessTokens();
    const listing = sim.snapshot().find((l) => l.state === 'active' && l.products.some((p) => p.sku && p.quantity > 0))!;
    sim.sell(listing.listing_id, { sku: listing.products.find((p) => p.sku && p.quantity > 0)!.sku });
    results.push(await core.sync({ kinds: ['inventory'], trigger: 'cli' }));
    results.push(await core.status());
    // What the doors can ask the core for (core-api.ts), and the raw rows behind it.
    results.push(core.history({ limit: 1000 }), core.attention(), core.runs(100), core.listCatalog(), core.getSettings());
    results.push(await core.previewSync(), await core.testServer(), core.exportCatalogCsv());
    results.push(core.repos.history.listHistory({ limit: 1000 }), core.repos.attention.listAttention(), core.repos.runs.listRuns(100));
    // A failing call's error text must not carry the key either.
    sim.failNext(5, { status: 500 });
    results.push(await core.sync({ kinds: ['inventory'], trigger: 'cli' }).catch((error: unknown) => String(error)));

    const refresh = await world.secrets.get('etsy.refreshToken');
    const access = parseStoredAccessToken(await world.secrets.get('etsy.accessToken'));
    expect(refresh).toBeTruthy();
    expect(access?.token).toBeTruthy();
    const canaries = [KEYSTRING, SECRET, `${KEYSTRING}:${SECRET}`, refresh!, access!.token];

    core.store.sqlite.pragma('wal_checkpoint(PASSIVE)');
    const haystacks: [string, string][] = filesUnder(world.dataDir).map((file) => [file, fs.readFileSync(file).toString('latin1')]);
    haystacks.push(['console', logged.join('\n')], ['results', JSON.stringify(results)]);
    for (const canary of canaries) {
      for (const form of encodings(canary)) {
        for (const [where, text] of haystacks) {
          expect(text.includes(form), `${where} contains a secret`).toBe(false);
        }
      }
    }
  });
});
