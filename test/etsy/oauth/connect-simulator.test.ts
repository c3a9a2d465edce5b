import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startEtsySimulator, type EtsySimulator } from '../../../sim/etsy-simulator';
import { connectEtsy } from '../../../src/main/etsy/oauth/connect';
import { TokenManager } from '../../../src/main/etsy/oauth/token-manager';
import { tokenUrlFor } from '../../../src/main/etsy/oauth/tokens';
import { MemorySecretStore } from '../../../src/main/secrets/memory-secret-store';
import { freePort } from './fake-etsy-oauth';

/** End to end against the Etsy simulator: a plain GET of the authorize URL completes the connection. */
describe('connect against the Etsy simulator', () => {
  let sim: EtsySimulator;
  let redirectUri: string;
  const secrets = new MemorySecretStore();

  beforeAll(async () => {
    redirectUri = `http://127.0.0.1:${await freePort()}/oauth/redirect`;
    sim = await startEtsySimulator({ redirectUris: [redirectUri] });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('connects: authorize URL → simulator redirect → loopback listener → token exchange', async () => {
    let browser: Promise<Response> | undefined;
    const result = await connectEtsy({
      keystring: sim.keystring,
      sharedSecret: sim.sharedSecret,
      redirectUri,
      authUrl: sim.url,
      apiUrl: sim.apiBaseUrl,
      secrets,
      onAuthorizeUrl: (url) => {
        browser = (async () => {
          const res = await fetch(url, { redirect: 'manual' });
          return fetch(res.headers.get('location') ?? '');
        })();
      },
      timeoutMs: 30_000,
    });
    expect((await browser)?.status).toBe(200);
    expect(result.userId).toBe(String(sim.shop.user_id));
    expect(sim.authStats.authorizationCodeGrants).toBe(1);
  });

  it('50 concurrent calls with an expired access token make one refresh, and no refresh token is reused', async () => {
    sim.expireAccessTokens();
    const onReconnectRequired = vi.fn();
    const tokens = new TokenManager({ secrets, tokenUrl: tokenUrlFor(sim.apiBaseUrl), onReconnectRequired });
    tokens.invalidate(JSON.parse((await secrets.get('etsy.accessToken')) ?? '{}').token);
    const before = sim.authStats.tokenRequests;

    const results = await Promise.all(Array.from({ length: 50 }, () => tokens.getAccessToken()));
    expect(new Set(results).size).toBe(1);
    expect(sim.authStats.tokenRequests - before).toBe(1);
    expect(sim.authStats.refreshGrants).toBe(1);
    expect(sim.authStats.refreshReuse).toBe(0);
    expect(onReconnectRequired).not.toHaveBeenCalled();

    // The rotated token works for the next refresh too.
    tokens.invalidate(results[0] ?? '');
    await tokens.getAccessToken();
    expect(sim.authStats.refreshReuse).toBe(0);
  });

  it('a revoked grant → RECONNECT_ETSY once, then no more token requests', async () => {
    sim.revokeGrant();
    const onReconnectRequired = vi.fn();
    const tokens = new TokenManager({ secrets, tokenUrl: tokenUrlFor(sim.apiBaseUrl), onReconnectRequired });
    tokens.invalidate(JSON.parse((await secrets.get('etsy.accessToken')) ?? '{}').token);
    const before = sim.authStats.tokenRequests;
    await expect(tokens.getAccessToken()).rejects.toMatchObject({ code: 'RECONNECT_ETSY' });
    await expect(tokens.getAccessToken()).rejects.toMatchObject({ code: 'RECONNECT_ETSY' });
    expect(sim.authStats.tokenRequests - before).toBe(1);
    expect(onReconnectRequired).toHaveBeenCalledTimes(1);
  });
});
