import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TokenManager } from '../../../src/main/etsy/oauth/token-manager';
import { MemorySecretStore } from '../../../src/main/secrets/memory-secret-store';
import type { SecretName, SecretStore } from '../../../src/main/secrets/secret-store';
import { startFakeEtsyOAuth, type FakeEtsyOAuth } from './fake-etsy-oauth';

const KEY = 'keystring1';
const SECRET = 'shared-secret-1';
const NOW = 1_700_000_000_000;
let etsy: FakeEtsyOAuth;

beforeEach(async () => {
  etsy = await startFakeEtsyOAuth({ keystring: KEY, sharedSecret: SECRET, userId: '777' });
});
afterEach(async () => {
  await etsy.close();
});

async function connectedStore(opts: { accessExpiresAt?: number; store?: SecretStore } = {}): Promise<SecretStore> {
  const store = opts.store ?? new MemorySecretStore();
  await store.set('etsy.keystring', KEY);
  await store.set('etsy.sharedSecret', SECRET);
  await store.set('etsy.refreshToken', 'refresh-0');
  etsy.grantRefreshToken('refresh-0');
  await store.set('etsy.accessToken', JSON.stringify({ token: '777.old-access', expiresAt: opts.accessExpiresAt ?? NOW - 1 }));
  return store;
}

function manager(secrets: SecretStore, onReconnectRequired = vi.fn(), now = () => NOW): TokenManager {
  return new TokenManager({ secrets, tokenUrl: etsy.tokenUrl, onReconnectRequired, now });
}

describe('TokenManager', () => {
  it('returns a still-valid stored access token without any network request', async () => {
    const tm = manager(await connectedStore({ accessExpiresAt: NOW + 10 * 60_000 }));
    await expect(tm.getAccessToken()).resolves.toBe('777.old-access');
    expect(etsy.tokenRequests).toHaveLength(0);
  });

  it('treats a token inside the 60 s safety margin as expired', async () => {
    const tm = manager(await connectedStore({ accessExpiresAt: NOW + 59_000 }));
    await expect(tm.getAccessToken()).resolves.not.toBe('777.old-access');
    expect(etsy.tokenRequests).toHaveLength(1);
  });

  it('50 concurrent calls with an expired token cause exactly one token request', async () => {
    const store = await connectedStore();
    const tm = manager(store);
    let release!: () => void;
    etsy.gate = new Promise<void>((resolve) => (release = resolve));

    const calls = Array.from({ length: 50 }, () => tm.getAccessToken());
    await vi.waitFor(() => expect(etsy.tokenRequests).toHaveLength(1));
    release();
    const tokens = await Promise.all(calls);

    expect(new Set(tokens).size).toBe(1);
    expect(etsy.tokenRequests).toHaveLength(1);
    expect(etsy.presentedRefreshTokens).toEqual(['refresh-0']);
    expect(etsy.revoked).toBe(false);
    expect(await store.get('etsy.refreshToken')).not.toBe('refresh-0');
  });

  it('never presents a refresh token twice across successive expiries', async () => {
    let now = NOW;
    const store = await connectedStore();
    const tm = manager(store, vi.fn(), () => now);
    const first = await Promise.all(Array.from({ length: 10 }, () => tm.getAccessToken()));
    now += 2 * 3600_000; // the new token expired too
    const second = await Promise.all(Array.from({ length: 10 }, () => tm.getAccessToken()));
    tm.invalidate(second[0] ?? '');
    const third = await tm.getAccessToken();

    expect(new Set([first[0], second[0], third]).size).toBe(3);
    expect(etsy.tokenRequests).toHaveLength(3);
    expect(new Set(etsy.presentedRefreshTokens).size).toBe(3);
    expect(etsy.revoked).toBe(false);
  });

  it('invalidate() of a token other than the current one changes nothing', async () => {
    const tm = manager(await connectedStore({ accessExpiresAt: NOW + 3600_000 }));
    tm.invalidate('777.some-older-token');
    await expect(tm.getAccessToken()).resolves.toBe('777.old-access');
    expect(etsy.tokenRequests).toHaveLength(0);
  });

  it('stores the rotated refresh token before the new access token is stored or returned', async () => {
    const events: string[] = [];
    const inner = new MemorySecretStore();
    const spy: SecretStore = {
      kind: 'memory',
      get: (name) => inner.get(name),
      delete: (name) => inner.delete(name),
      set: async (name: SecretName, value: string) => {
        await inner.set(name, value);
        events.push(`set ${name}`);
      },
    };
    await connectedStore({ store: spy });
    events.length = 0;
    const tm = manager(spy);
    const token = await tm.getAccessToken();
    events.push('returned');
    expect(events).toEqual(['set etsy.refreshToken', 'set etsy.accessToken', 'returned']);
    expect(JSON.parse((await inner.get('etsy.accessToken')) ?? '{}')).toMatchObject({ token });
  });

  it('does not hand out the new access token when the rotated refresh token cannot be stored', async () => {
    const inner = await connectedStore();
    const failing: SecretStore = {
      kind: 'keychain',
      get: (name) => inner.get(name),
      delete: (name) => inner.delete(name),
      set: async (name, value) => {
        if (name === 'etsy.refreshToken') throw new Error('keychain locked');
        await inner.set(name, value);
      },
    };
    const tm = manager(failing);
    await expect(tm.getAccessToken()).rejects.toThrow('keychain locked');
    expect(JSON.parse((await inner.get('etsy.accessToken')) ?? '{}')).toMatchObject({ token: '777.old-access' });
  });

  it('invalid_grant → RECONNECT_ETSY once, then fails fast without the network', async () => {
    const store = await connectedStore();
    await store.set('etsy.refreshToken', 'revoked-refresh-token');
    const onReconnectRequired = vi.fn();
    const tm = manager(store, onReconnectRequired);

    const first = await tm.getAccessToken().catch((e: unknown) => e);
    expect(first).toMatchObject({ code: 'RECONNECT_ETSY', action: 'Reconnect Etsy' });
    expect((first as Error).message).not.toContain('revoked-refresh-token');
    expect(onReconnectRequired).toHaveBeenCalledTimes(1);
    expect(etsy.tokenRequests).toHaveLength(1);

    for (let i = 0; i < 5; i++) await expect(tm.getAccessToken()).rejects.toMatchObject({ code: 'RECONNECT_ETSY' });
    expect(etsy.tokenRequests).toHaveLength(1);
    expect(onReconnectRequired).toHaveBeenCalledTimes(1);

    // A new connection stores a new refresh token: the manager works again.
    etsy.grantRefreshToken('reconnected-refresh');
    await store.set('etsy.refreshToken', 'reconnected-refresh');
    await expect(tm.getAccessToken()).resolves.toMatch(/^777\./);
  });

  it('refuses a plain-http token endpoint that is not on this computer', () => {
    expect(
      () => new TokenManager({ secrets: new MemorySecretStore(), tokenUrl: 'http://api.etsy.example/v3/public/oauth/token', onReconnectRequired: vi.fn() }),
    ).toThrow(expect.objectContaining({ code: 'INSECURE_URL' }));
  });

  it('says NOT_CONNECTED without a network request when no refresh token is stored', async () => {
    const tm = manager(new MemorySecretStore());
    await expect(tm.getAccessToken()).rejects.toMatchObject({ code: 'NOT_CONNECTED' });
    expect(etsy.tokenRequests).toHaveLength(0);
  });

  it("one caller's abort does not cancel the shared refresh for the others", async () => {
    const tm = manager(await connectedStore());
    let release!: () => void;
    etsy.gate = new Promise<void>((resolve) => (release = resolve));
    const controller = new AbortController();
    const aborted = tm.getAccessToken(controller.signal);
    const other = tm.getAccessToken();
    await vi.waitFor(() => expect(etsy.tokenRequests).toHaveLength(1));
    controller.abort();
    await expect(aborted).rejects.toMatchObject({ code: 'CANCELLED' });
    release();
    await expect(other).resolves.toMatch(/^777\./);
    expect(etsy.tokenRequests).toHaveLength(1);
  });
});
