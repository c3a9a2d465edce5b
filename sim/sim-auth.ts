/**
 * The simulator's side of Etsy authentication: the `keystring:shared_secret` api key (docs/ETSY_API_NOTES.md §2), OAuth 2.0
 * authorization code + PKCE S256 (docs/ETSY_API_NOTES.md §3), refresh-token rotation with reuse detection, and bearer checks.
 */
import { createHash, randomBytes } from 'node:crypto';

export const ETSY_SCOPES = [
  'address_r', 'address_w', 'email_r', 'listings_d', 'listings_r', 'listings_w',
  'profile_r', 'profile_w', 'shops_r', 'shops_w', 'transactions_r', 'transactions_w',
] as const;

export interface SimApp {
  keystring: string;
  sharedSecret: string;
  redirectUris: string[];
}

export interface TokenSet {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
}

export interface AuthStats {
  /** Every POST to the token endpoint. */
  tokenRequests: number;
  authorizationCodeGrants: number;
  refreshGrants: number;
  /** Times an already-rotated refresh token was presented (each one revokes its grant). */
  refreshReuse: number;
}

export interface Caller {
  userId: number;
  scopes: string[];
  app: SimApp;
}

export type AuthFailure = { ok: false; status: number; body: Record<string, string> };

interface Grant {
  userId: number;
  scopes: string[];
  clientId: string;
  revoked: boolean;
}

interface AuthCode {
  clientId: string;
  redirectUri: string;
  challenge: string;
  scopes: string[];
  userId: number;
  expiresAt: number;
  used: boolean;
  grantId: number | undefined;
}

const CODE_TTL_MS = 5 * 60 * 1000;

export interface SimAuthOptions {
  apps: SimApp[];
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /** Accept any http://localhost|127.0.0.1:<port>/… redirect (handy for `art-sync demo`); Etsy itself does not. */
  acceptAnyLoopbackRedirect: boolean;
  ownerUserId: () => number;
}

export class SimAuth {
  readonly stats: AuthStats = { tokenRequests: 0, authorizationCodeGrants: 0, refreshGrants: 0, refreshReuse: 0 };
  consent: 'approve' | 'deny' = 'approve';
  private readonly grants = new Map<number, Grant>();
  private readonly access = new Map<string, { grantId: number; expiresAt: number }>();
  private readonly refresh = new Map<string, { grantId: number; expiresAt: number; used: boolean }>();
  private readonly codes = new Map<string, AuthCode>();
  private nextGrant = 1;

  constructor(private readonly nowMs: () => number, private readonly opts: SimAuthOptions) {}

  app(keystring: string): SimApp | undefined {
    return this.opts.apps.find((a) => a.keystring === keystring);
  }

  /** x-api-key must be `keystring:shared_secret` since 2026-02-09 (docs/ETSY_API_NOTES.md §2). */
  checkApiKey(header: string | undefined): { ok: true; app: SimApp } | AuthFailure {
    if (!header) return { ok: false, status: 403, body: { error: 'Missing x-api-key header.' } };
    const parts = header.split(':');
    if (parts.length === 1) return { ok: false, status: 403, body: { error: 'Shared secret is required in x-api-key header.' } };
    if (parts.length !== 2 || !parts[0] || !parts[1]) {
      return { ok: false, status: 403, body: { error: "Invalid API key: should be in the format 'keystring:shared_secret'." } };
    }
    const app = this.app(parts[0]);
    if (!app || app.sharedSecret !== parts[1]) return { ok: false, status: 403, body: { error: 'Invalid API key.' } };
    return { ok: true, app };
  }

  /** Bearer check for operations whose security requires oauth2 (and the scope it names). */
  authenticate(header: string | undefined, app: SimApp, requiredScopes: string[]): { ok: true; caller: Caller } | AuthFailure {
    const fail = (description: string, status = 401): AuthFailure => ({ ok: false, status, body: { error: 'invalid_token', error_description: description } });
    const m = /^Bearer (\S+)$/.exec(header ?? '');
    if (!m) return fail('access token is missing');
    const token = this.access.get(m[1]!);
    if (!token) return fail('access token is invalid');
    const grant = this.grants.get(token.grantId)!;
    if (grant.revoked) return fail('access token is revoked');
    if (this.nowMs() >= token.expiresAt) return fail('access token is expired');
    if (grant.clientId !== app.keystring) return fail('access token was issued to a different application');
    const missing = requiredScopes.filter((s) => !grant.scopes.includes(s));
    if (missing.length > 0) return { ok: false, status: 403, body: { error: `Insufficient scope: this request needs ${missing.join(' ')}.` } };
    return { ok: true, caller: { userId: grant.userId, scopes: grant.scopes, app } };
  }

  /**
   * GET /oauth/connect. Etsy shows a consent page; the simulator auto-approves (or denies, if told to) and
   * redirects. Without a registered redirect URI nothing may be redirected, so that is a plain 400 page.
   */
  authorize(q: URLSearchParams): { status: 302; location: string } | { status: 400; text: string } {
    const clientId = q.get('client_id') ?? '';
    const redirectUri = q.get('redirect_uri') ?? '';
    const app = this.app(clientId);
    if (!app) return { status: 400, text: 'Invalid client_id: no such application (use the keystring, not keystring:secret).' };
    if (!this.redirectAllowed(app, redirectUri)) return { status: 400, text: 'The requested redirect URL is not permitted.' };
    const state = q.get('state');
    const back = (params: Record<string, string>): { status: 302; location: string } => {
      const url = new URL(redirectUri);
      for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
      if (state) url.searchParams.set('state', state);
      return { status: 302, location: url.toString() };
    };
    const invalid = (description: string): { status: 302; location: string } => back({ error: 'invalid_request', error_description: description });
    if (q.get('response_type') !== 'code') return invalid('response_type must be code');
    if (!state) return invalid('state is required');
    const challenge = q.get('code_challenge');
    if (!challenge) return invalid('code_challenge is required');
    if (q.get('code_challenge_method') !== 'S256') return invalid('code_challenge_method must be S256');
    if (!/^[A-Za-z0-9_-]{43}$/.test(challenge)) return invalid('code_challenge is invalid');
    const scopes = (q.get('scope') ?? '').split(' ').filter((s) => s !== '');
    if (scopes.length === 0) return invalid('scope is required');
    const unknown = scopes.filter((s) => !(ETSY_SCOPES as readonly string[]).includes(s));
    if (unknown.length > 0) return back({ error: 'invalid_scope', error_description: `unknown scope: ${unknown.join(' ')}` });
    if (this.consent === 'deny') return back({ error: 'access_denied', error_description: 'The user denied access to your application.' });
    const code = randomToken();
    this.codes.set(code, { clientId, redirectUri, challenge, scopes, userId: this.opts.ownerUserId(), expiresAt: this.nowMs() + CODE_TTL_MS, used: false, grantId: undefined });
    return back({ code });
  }

  /** POST /v3/public/oauth/token (form-encoded; JSON accepted too). */
  token(form: URLSearchParams): { status: number; body: Record<string, unknown> } {
    this.stats.tokenRequests++;
    const err = (status: number, error: string, description: string): { status: number; body: Record<string, unknown> } => ({ status, body: { error, error_description: description } });
    const grantType = form.get('grant_type');
    const clientId = form.get('client_id') ?? '';
    if (grantType !== 'authorization_code' && grantType !== 'refresh_token') return err(400, 'unsupported_grant_type', 'grant_type must be authorization_code or refresh_token');
    if (!clientId) return err(400, 'invalid_request', 'client_id is required');
    if (clientId.includes(':')) return err(401, 'invalid_client', 'client_id must be the keystring alone, without the shared secret');
    if (!this.app(clientId)) return err(401, 'invalid_client', 'client_id is invalid');

    if (grantType === 'authorization_code') {
      this.stats.authorizationCodeGrants++;
      const code = this.codes.get(form.get('code') ?? '');
      const verifier = form.get('code_verifier') ?? '';
      const redirectUri = form.get('redirect_uri') ?? '';
      if (!code || code.clientId !== clientId) return err(400, 'invalid_grant', 'code is invalid');
      if (code.used) {
        // A replayed code means it leaked: revoke what it produced (RFC 6749 §4.1.2).
        if (code.grantId !== undefined) this.grants.get(code.grantId)!.revoked = true;
        return err(400, 'invalid_grant', 'code has already been used');
      }
      if (this.nowMs() >= code.expiresAt) return err(400, 'invalid_grant', 'code is expired');
      if (redirectUri !== code.redirectUri) return err(400, 'invalid_grant', 'redirect_uri does not match the authorization request');
      if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier)) return err(400, 'invalid_request', 'code_verifier is invalid');
      if (createHash('sha256').update(verifier).digest('base64url') !== code.challenge) return err(400, 'invalid_grant', 'code_verifier does not match code_challenge');
      code.used = true;
      const grantId = this.newGrant(code.userId, code.scopes, clientId);
      code.grantId = grantId;
      return { status: 200, body: { ...this.issue(grantId) } };
    }

    this.stats.refreshGrants++;
    const presented = form.get('refresh_token') ?? '';
    const entry = this.refresh.get(presented);
    if (!entry) return err(400, 'invalid_grant', 'refresh_token is invalid');
    const grant = this.grants.get(entry.grantId)!;
    if (grant.clientId !== clientId) return err(400, 'invalid_grant', 'refresh_token was issued to a different client');
    if (entry.used) {
      // Rotation with reuse detection: presenting a rotated token revokes the whole grant (docs/ETSY_API_NOTES.md §3, #353 #519).
      this.stats.refreshReuse++;
      grant.revoked = true;
      return err(400, 'invalid_grant', 'refresh_token is revoked');
    }
    if (grant.revoked) return err(400, 'invalid_grant', 'refresh_token is revoked');
    if (this.nowMs() >= entry.expiresAt) return err(400, 'invalid_grant', 'refresh_token is expired');
    entry.used = true;
    return { status: 200, body: { ...this.issue(entry.grantId) } };
  }

  /** Control: tokens for a user without going through the browser flow. */
  issueTokens(userId: number, scopes: string[], clientId: string): TokenSet {
    return this.issue(this.newGrant(userId, scopes, clientId));
  }

  expireAccessTokens(): void {
    const now = this.nowMs();
    for (const t of this.access.values()) t.expiresAt = Math.min(t.expiresAt, now);
  }

  /** Like a password change by the seller: every token of the user (default: all users) stops working. */
  revokeGrants(userId?: number): void {
    for (const g of this.grants.values()) if (userId === undefined || g.userId === userId) g.revoked = true;
  }

  registerRedirectUri(keystring: string, uri: string): void {
    const app = this.app(keystring);
    if (!app) throw new Error(`No simulated app with keystring ${keystring}`);
    if (!app.redirectUris.includes(uri)) app.redirectUris.push(uri);
  }

  private redirectAllowed(app: SimApp, uri: string): boolean {
    // Matched exactly: a trailing-slash difference is a different URL (docs/ETSY_API_NOTES.md §3).
    if (app.redirectUris.includes(uri)) return true;
    if (!this.opts.acceptAnyLoopbackRedirect) return false;
    try {
      const u = new URL(uri);
      return u.protocol === 'http:' && (u.hostname === '127.0.0.1' || u.hostname === 'localhost');
    } catch {
      return false;
    }
  }

  private newGrant(userId: number, scopes: string[], clientId: string): number {
    const id = this.nextGrant++;
    this.grants.set(id, { userId, scopes: [...scopes], clientId, revoked: false });
    return id;
  }

  private issue(grantId: number): TokenSet {
    const { userId } = this.grants.get(grantId)!;
    const now = this.nowMs();
    // Etsy tokens are "<user_id>.<opaque>" (docs/ETSY_API_NOTES.md §3).
    const accessToken = `${userId}.${randomToken()}`;
    const refreshToken = `${userId}.${randomToken()}`;
    this.access.set(accessToken, { grantId, expiresAt: now + this.opts.accessTokenTtlSeconds * 1000 });
    this.refresh.set(refreshToken, { grantId, expiresAt: now + this.opts.refreshTokenTtlSeconds * 1000, used: false });
    return { access_token: accessToken, token_type: 'Bearer', expires_in: this.opts.accessTokenTtlSeconds, refresh_token: refreshToken };
  }
}

function randomToken(): string {
  return randomBytes(30).toString('base64url');
}
