import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exchangeCode, refreshTokens, tokenUrlFor, userIdFromAccessToken } from '../../../src/main/etsy/oauth/tokens';
import { freePort, startFakeEtsyOAuth, type FakeEtsyOAuth } from './fake-etsy-oauth';

const KEY = 'canarykeystring1';
const SECRET = 'canary-shared-secret-XYZ';
let etsy: FakeEtsyOAuth;

beforeEach(async () => {
  etsy = await startFakeEtsyOAuth({ keystring: KEY, sharedSecret: SECRET, userId: '4242', expiresIn: 3600 });
});
afterEach(async () => {
  await etsy.close();
});

/** Gets a real code from the fake authorize endpoint for this verifier's challenge. */
async function codeFor(challenge: string, redirectUri: string): Promise<string> {
  const url = `${etsy.url}/oauth/connect?response_type=code&client_id=${KEY}&redirect_uri=${encodeURIComponent(redirectUri)}&scope=x&state=s&code_challenge=${challenge}&code_challenge_method=S256`;
  const res = await fetch(url, { redirect: 'manual' });
  return new URL(res.headers.get('location') ?? '').searchParams.get('code') ?? '';
}

describe('token endpoint calls', () => {
  it('tokenUrlFor appends the public OAuth token path', () => {
    expect(tokenUrlFor('https://api.etsy.com/')).toBe('https://api.etsy.com/v3/public/oauth/token');
  });

  it('exchanges a code with a form-encoded POST carrying x-api-key keystring:secret', async () => {
    // RFC 7636 appendix B pair.
    const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
    const redirectUri = 'http://localhost:3003/oauth/redirect';
    const code = await codeFor('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', redirectUri);
    const tokens = await exchangeCode({
      tokenUrl: etsy.tokenUrl,
      clientId: KEY,
      sharedSecret: SECRET,
      redirectUri,
      code,
      codeVerifier: verifier,
      now: () => 1_000_000,
    });
    expect(tokens.userId).toBe('4242');
    expect(tokens.expiresAt).toBe(1_000_000 + 3_600_000);
    expect(etsy.tokenRequests).toHaveLength(1);
    expect(etsy.tokenRequests[0]).toEqual({
      grantType: 'authorization_code',
      apiKey: `${KEY}:${SECRET}`,
      form: { grant_type: 'authorization_code', client_id: KEY, redirect_uri: redirectUri, code, code_verifier: verifier },
    });
  });

  it('fails with OAUTH_FAILED, without echoing the code or verifier, when Etsy rejects the code', async () => {
    const error = await exchangeCode({
      tokenUrl: etsy.tokenUrl,
      clientId: KEY,
      sharedSecret: SECRET,
      redirectUri: 'http://localhost:3003/oauth/redirect',
      code: 'made-up-code-value',
      codeVerifier: 'made-up-verifier-value',
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'OAUTH_FAILED' });
    expect(JSON.stringify({ m: (error as Error).message, s: (error as Error).stack })).not.toMatch(/made-up|canary/);
  });

  it('maps a wrong shared secret to ETSY_REJECTED without the secret in the message', async () => {
    const error = await refreshTokens({ tokenUrl: etsy.tokenUrl, clientId: KEY, sharedSecret: 'wrong-secret-value', refreshToken: 'r' }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'ETSY_REJECTED' });
    expect((error as Error).message).not.toContain('wrong-secret-value');
  });

  it('maps invalid_grant on refresh to RECONNECT_ETSY without the refresh token in the message', async () => {
    const error = await refreshTokens({ tokenUrl: etsy.tokenUrl, clientId: KEY, sharedSecret: SECRET, refreshToken: 'unknown-refresh-token' }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'RECONNECT_ETSY', action: 'Reconnect Etsy' });
    expect((error as Error).message).not.toContain('unknown-refresh-token');
  });

  it('rotates the refresh token on refresh', async () => {
    etsy.grantRefreshToken('first-refresh');
    const tokens = await refreshTokens({ tokenUrl: etsy.tokenUrl, clientId: KEY, sharedSecret: SECRET, refreshToken: 'first-refresh' });
    expect(tokens.refreshToken).not.toBe('first-refresh');
    expect(etsy.tokenRequests[0]?.form).toEqual({ grant_type: 'refresh_token', client_id: KEY, refresh_token: 'first-refresh' });
  });

  it('reports an unreachable token endpoint as NETWORK', async () => {
    const port = await freePort();
    await expect(
      refreshTokens({ tokenUrl: `http://127.0.0.1:${port}/v3/public/oauth/token`, clientId: KEY, sharedSecret: SECRET, refreshToken: 'r' }),
    ).rejects.toMatchObject({ code: 'NETWORK' });
  });

  it('reads the user id from the access token prefix', () => {
    expect(userIdFromAccessToken('12345678.VJTv9abc')).toBe('12345678');
    expect(userIdFromAccessToken('opaque')).toBeNull();
  });
});
