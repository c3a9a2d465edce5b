import { describe, expect, it } from 'vitest';
import { buildAuthorizeUrl, createPkce, createState, ETSY_SCOPES, s256Challenge } from '../../../src/main/etsy/oauth/pkce';

describe('PKCE', () => {
  it('matches the RFC 7636 appendix B test vector', () => {
    expect(s256Challenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('creates a verifier of 43–128 unreserved characters whose S256 challenge matches', () => {
    const pkce = createPkce();
    expect(pkce.verifier.length).toBeGreaterThanOrEqual(43);
    expect(pkce.verifier.length).toBeLessThanOrEqual(128);
    expect(pkce.verifier).toMatch(/^[A-Za-z0-9\-._~]+$/);
    expect(pkce.challenge).toBe(s256Challenge(pkce.verifier));
    expect(pkce.method).toBe('S256');
    expect(createPkce().verifier).not.toBe(pkce.verifier);
  });

  it('creates a fresh state of at least 128 bits each time', () => {
    const state = createState();
    expect(Buffer.from(state, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
    expect(createState()).not.toBe(state);
  });
});

describe('buildAuthorizeUrl', () => {
  it('builds the Etsy connect URL with %20-separated scopes and S256', () => {
    const url = buildAuthorizeUrl({
      authUrl: 'https://www.etsy.com/',
      clientId: 'key123',
      redirectUri: 'http://localhost:3003/oauth/redirect',
      state: 'st_ate',
      codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    });
    expect(url).toBe(
      'https://www.etsy.com/oauth/connect?response_type=code&client_id=key123' +
        '&redirect_uri=http%3A%2F%2Flocalhost%3A3003%2Foauth%2Fredirect' +
        '&scope=listings_r%20listings_w%20shops_r%20transactions_r&state=st_ate' +
        '&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256',
    );
    const parsed = new URL(url);
    expect(parsed.searchParams.get('scope')?.split(' ')).toEqual([...ETSY_SCOPES]);
    expect(parsed.searchParams.get('client_id')).toBe('key123');
  });
});
