import { createHash, randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createOpenApiValidator, startEtsySimulator, type EtsySimulator } from '../../sim';
import { api, smallShop } from './sim-test-helpers';

const REDIRECT = 'http://localhost:3003/oauth/redirect';
let clock = Date.UTC(2026, 9, 1, 12, 0, 0);
let sim: EtsySimulator;

beforeAll(async () => {
  sim = await startEtsySimulator({ shop: smallShop(), validator: createOpenApiValidator(), now: () => clock, accessTokenTtlSeconds: 60 });
});
afterAll(() => sim.close());
afterEach(() => expect(sim.violations).toEqual([]));

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

function connectUrl(params: Record<string, string | undefined>): string {
  const base: Record<string, string | undefined> = {
    response_type: 'code',
    client_id: sim.keystring,
    redirect_uri: REDIRECT,
    scope: 'listings_r listings_w shops_r transactions_r',
    state: 'st4te',
    code_challenge_method: 'S256',
    ...params,
  };
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(base)) if (v !== undefined) q.set(k, v);
  return `${sim.authorizeUrl}?${q.toString()}`;
}

async function authorize(params: Record<string, string | undefined>) {
  const res = await fetch(connectUrl(params), { redirect: 'manual' });
  return { status: res.status, location: res.headers.get('location'), text: await res.text() };
}

async function token(form: Record<string, string>) {
  const res = await fetch(sim.tokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function fullConnect() {
  const { verifier, challenge } = pkce();
  const a = await authorize({ code_challenge: challenge });
  const code = new URL(a.location!).searchParams.get('code')!;
  return token({ grant_type: 'authorization_code', client_id: sim.keystring, redirect_uri: REDIRECT, code, code_verifier: verifier });
}

describe('x-api-key (docs/ETSY_API_NOTES.md §2)', () => {
  it('a key without ":secret" is 403 "Shared secret is required in x-api-key header."', async () => {
    const r = await api(sim).get(`/shops/${sim.shop.shop_id}`, { apiKey: sim.keystring });
    expect(r.status).toBe(403);
    expect(r.body).toEqual({ error: 'Shared secret is required in x-api-key header.' });
  });
  it('a wrong secret, a malformed key, and a missing key are 403', async () => {
    expect((await api(sim).get(`/shops/${sim.shop.shop_id}`, { apiKey: `${sim.keystring}:wrong` })).status).toBe(403);
    const malformed = await api(sim).get(`/shops/${sim.shop.shop_id}`, { apiKey: `${sim.keystring}:a:b` });
    expect(malformed.body.error).toBe("Invalid API key: should be in the format 'keystring:shared_secret'.");
    expect((await api(sim).get(`/shops/${sim.shop.shop_id}`, { apiKey: null })).status).toBe(403);
  });
});

describe('bearer token', () => {
  it('missing or expired → 401 invalid_token', async () => {
    expect((await api(sim).get('/users/me')).status).toBe(401);
    const t = sim.issueTokens();
    expect((await api(sim, t.access_token).get('/users/me')).status).toBe(200);
    clock += 61_000; // past the configured 60 s lifetime
    const r = await api(sim, t.access_token).get('/users/me');
    expect(r.status).toBe(401);
    expect(r.body).toEqual({ error: 'invalid_token', error_description: 'access token is expired' });
  });
  it('expireAccessTokens() expires every token at once', async () => {
    const t = sim.issueTokens();
    sim.expireAccessTokens();
    expect((await api(sim, t.access_token).get('/users/me')).body.error_description).toBe('access token is expired');
  });
  it('tokens look like <user_id>.<random>', () => {
    const t = sim.issueTokens();
    expect(t.access_token).toMatch(new RegExp(`^${sim.shop.user_id}\\.[A-Za-z0-9_-]{20,}$`));
    expect(t.refresh_token.startsWith(`${sim.shop.user_id}.`)).toBe(true);
  });
});

describe('GET /oauth/connect', () => {
  it('auto-approves with a 302 to redirect_uri carrying code and state', async () => {
    const a = await authorize({ code_challenge: pkce().challenge });
    expect(a.status).toBe(302);
    const loc = new URL(a.location!);
    expect(`${loc.origin}${loc.pathname}`).toBe(REDIRECT);
    expect(loc.searchParams.get('state')).toBe('st4te');
    expect(loc.searchParams.get('code')).toBeTruthy();
  });
  it('an unregistered (even trailing-slash) redirect URI is refused without redirecting', async () => {
    const a = await authorize({ code_challenge: pkce().challenge, redirect_uri: `${REDIRECT}/` });
    expect(a.status).toBe(400);
    expect(a.text).toBe('The requested redirect URL is not permitted.');
    expect((await authorize({ code_challenge: pkce().challenge, client_id: `${sim.keystring}:${sim.sharedSecret}` })).status).toBe(400);
  });
  it.each([
    [{ state: undefined }, 'state is required'],
    [{ code_challenge_method: 'plain' }, 'code_challenge_method must be S256'],
    [{ response_type: 'token' }, 'response_type must be code'],
    [{ code_challenge: undefined }, 'code_challenge is required'],
  ])('bad parameters redirect back with an error: %o', async (params, description) => {
    const a = await authorize({ code_challenge: pkce().challenge, ...params });
    expect(a.status).toBe(302);
    const loc = new URL(a.location!);
    expect(loc.searchParams.get('error')).toBe('invalid_request');
    expect(loc.searchParams.get('error_description')).toBe(description);
    expect(loc.searchParams.get('code')).toBeNull();
  });
  it('a denied consent redirects with access_denied', async () => {
    sim.setConsent('deny');
    try {
      const a = await authorize({ code_challenge: pkce().challenge });
      expect(new URL(a.location!).searchParams.get('error')).toBe('access_denied');
    } finally {
      sim.setConsent('approve');
    }
  });
  it('a redirect URI registered at run time is accepted', async () => {
    sim.registerRedirectUri('http://127.0.0.1:45678/oauth/redirect');
    expect((await authorize({ code_challenge: pkce().challenge, redirect_uri: 'http://127.0.0.1:45678/oauth/redirect' })).status).toBe(302);
  });
});

describe('POST /v3/public/oauth/token', () => {
  it('exchanges a code with the right PKCE verifier; the token works for the owner', async () => {
    const r = await fullConnect();
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ token_type: 'Bearer', expires_in: 60 });
    expect((await api(sim, r.body['access_token'] as string).get('/users/me')).body.shop_id).toBe(sim.shop.shop_id);
  });
  it('rejects a wrong verifier, a reused code and a different redirect_uri', async () => {
    const { verifier, challenge } = pkce();
    const code = new URL((await authorize({ code_challenge: challenge })).location!).searchParams.get('code')!;
    const base = { grant_type: 'authorization_code', client_id: sim.keystring, redirect_uri: REDIRECT, code };
    expect((await token({ ...base, code_verifier: pkce().verifier })).body['error']).toBe('invalid_grant');
    expect((await token({ ...base, redirect_uri: 'http://localhost:3003/other', code_verifier: verifier })).body['error']).toBe('invalid_grant');
    expect((await token({ ...base, code_verifier: verifier })).status).toBe(200);
    expect((await token({ ...base, code_verifier: verifier })).body).toMatchObject({ error: 'invalid_grant' });
  });
  it('refresh rotates: the new refresh token works, the old one is revoked, and reusing it revokes the whole grant', async () => {
    const first = (await fullConnect()).body;
    const refresh = (rt: unknown) => token({ grant_type: 'refresh_token', client_id: sim.keystring, refresh_token: rt as string });
    const second = await refresh(first['refresh_token']);
    expect(second.status).toBe(200);
    expect(second.body['refresh_token']).not.toBe(first['refresh_token']);
    const reuse = await refresh(first['refresh_token']);
    expect(reuse.status).toBe(400);
    expect(reuse.body).toEqual({ error: 'invalid_grant', error_description: 'refresh_token is revoked' });
    // The reuse revoked the grant: the rotated token and its access token are dead too.
    expect((await refresh(second.body['refresh_token'])).body['error_description']).toBe('refresh_token is revoked');
    expect((await api(sim, second.body['access_token'] as string).get('/users/me')).status).toBe(401);
    expect(sim.authStats.refreshReuse).toBe(1);
  });
  it('revokeGrant() (password change) makes refresh fail with invalid_grant', async () => {
    const t = sim.issueTokens();
    sim.revokeGrant();
    const r = await token({ grant_type: 'refresh_token', client_id: sim.keystring, refresh_token: t.refresh_token });
    expect(r.body).toEqual({ error: 'invalid_grant', error_description: 'refresh_token is revoked' });
  });
  it('client_id must be the bare keystring', async () => {
    const t = sim.issueTokens();
    const r = await token({ grant_type: 'refresh_token', client_id: sim.apiKey, refresh_token: t.refresh_token });
    expect(r.status).toBe(401);
    expect(r.body['error']).toBe('invalid_client');
  });
});

describe('acceptAnyLoopbackRedirect (for the demo)', () => {
  it('accepts any loopback http redirect, but never a non-loopback one', async () => {
    const demo = await startEtsySimulator({ acceptAnyLoopbackRedirect: true });
    try {
      const url = (redirect: string) =>
        `${demo.authorizeUrl}?${new URLSearchParams({ response_type: 'code', client_id: demo.keystring, redirect_uri: redirect, scope: 'listings_r', state: 's', code_challenge: pkce().challenge, code_challenge_method: 'S256' }).toString()}`;
      expect((await fetch(url('http://127.0.0.1:51234/cb'), { redirect: 'manual' })).status).toBe(302);
      expect((await fetch(url('http://example.com/cb'), { redirect: 'manual' })).status).toBe(400);
    } finally {
      await demo.close();
    }
  });
});
