import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A tiny stand-in for Etsy's OAuth endpoints, on 127.0.0.1 only: `/oauth/connect` auto-approves and
 * redirects with a code bound to the PKCE challenge; `/v3/public/oauth/token` exchanges codes and
 * rotates refresh tokens, revoking the whole grant when a refresh token is presented twice (as Etsy
 * does with rotation). Every token request is counted and logged.
 */
export interface FakeEtsyOAuth {
  /** Origin, e.g. http://127.0.0.1:41234 — used as both authUrl and apiUrl. */
  url: string;
  tokenUrl: string;
  tokenRequests: { grantType: string; form: Record<string, string>; apiKey: string | undefined }[];
  /** Every refresh token ever presented, in order. */
  presentedRefreshTokens: string[];
  /** Adds a refresh token the server will accept once. */
  grantRefreshToken(token: string): void;
  /** Set when a refresh token was presented twice. */
  revoked: boolean;
  /** When set, the token endpoint waits for this promise before answering. */
  gate: Promise<void> | null;
  /** Answer every authorize request with this OAuth error instead of a code. */
  authorizeError: string | null;
  close(): Promise<void>;
}

export interface FakeEtsyOAuthOptions {
  keystring: string;
  sharedSecret: string;
  userId?: string;
  expiresIn?: number;
}

export async function startFakeEtsyOAuth(options: FakeEtsyOAuthOptions): Promise<FakeEtsyOAuth> {
  const userId = options.userId ?? '12345678';
  const codes = new Map<string, { challenge: string; redirectUri: string }>();
  const validRefresh = new Set<string>();
  const usedRefresh = new Set<string>();
  let serial = 0;

  const state: Omit<FakeEtsyOAuth, 'url' | 'tokenUrl' | 'close' | 'grantRefreshToken'> = {
    tokenRequests: [],
    presentedRefreshTokens: [],
    revoked: false,
    gate: null,
    authorizeError: null,
  };

  const issueTokens = (): Record<string, unknown> => {
    serial += 1;
    const refresh = `fake-refresh-${serial}-${Math.random().toString(36).slice(2)}`;
    validRefresh.add(refresh);
    return {
      access_token: `${userId}.fake-access-${serial}`,
      token_type: 'Bearer',
      expires_in: options.expiresIn ?? 3600,
      refresh_token: refresh,
    };
  };

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const json = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };

    if (req.method === 'GET' && url.pathname === '/oauth/connect') {
      const p = url.searchParams;
      const redirectUri = p.get('redirect_uri') ?? '';
      const st = p.get('state');
      if (p.get('response_type') !== 'code' || p.get('client_id') !== options.keystring || !st) {
        return json(400, { error: 'invalid_request', error_description: 'state is required' });
      }
      if (p.get('code_challenge_method') !== 'S256' || !p.get('code_challenge')) {
        return json(400, { error: 'invalid_request', error_description: 'code_challenge is required' });
      }
      const target = new URL(redirectUri);
      if (state.authorizeError) {
        target.searchParams.set('error', state.authorizeError);
        target.searchParams.set('error_description', 'The user denied the request');
      } else {
        const code = `fake-code-${(serial += 1)}`;
        codes.set(code, { challenge: p.get('code_challenge') ?? '', redirectUri });
        target.searchParams.set('code', code);
      }
      target.searchParams.set('state', st);
      res.writeHead(302, { location: target.href });
      return res.end();
    }

    if (req.method === 'POST' && url.pathname === '/v3/public/oauth/token') {
      const form = Object.fromEntries(new URLSearchParams(await readBody(req)));
      const apiKey = req.headers['x-api-key'] as string | undefined;
      const grantType = form['grant_type'] ?? '';
      state.tokenRequests.push({ grantType, form, apiKey });
      if (state.gate) await state.gate;
      if (apiKey !== `${options.keystring}:${options.sharedSecret}`) {
        return json(403, { error: 'Shared secret is required in x-api-key header.' });
      }
      if (form['client_id'] !== options.keystring) return json(401, { error: 'invalid_client' });

      if (grantType === 'authorization_code') {
        const entry = codes.get(form['code'] ?? '');
        codes.delete(form['code'] ?? '');
        const challenge = createHash('sha256').update(form['code_verifier'] ?? '').digest('base64url');
        if (!entry || entry.challenge !== challenge || entry.redirectUri !== form['redirect_uri']) {
          return json(400, { error: 'invalid_grant', error_description: 'code is invalid' });
        }
        return json(200, issueTokens());
      }
      if (grantType === 'refresh_token') {
        const token = form['refresh_token'] ?? '';
        state.presentedRefreshTokens.push(token);
        if (usedRefresh.has(token)) {
          // Reuse of a rotated token: Etsy-style, the whole grant dies.
          state.revoked = true;
          validRefresh.clear();
          return json(400, { error: 'invalid_grant', error_description: 'refresh_token is revoked' });
        }
        if (state.revoked || !validRefresh.has(token)) {
          return json(400, { error: 'invalid_grant', error_description: 'refresh_token is revoked' });
        }
        validRefresh.delete(token);
        usedRefresh.add(token);
        return json(200, issueTokens());
      }
      return json(400, { error: 'unsupported_grant_type' });
    }
    json(404, { error: 'not found' });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(state, {
    url: origin,
    tokenUrl: `${origin}/v3/public/oauth/token`,
    grantRefreshToken: (token: string) => validRefresh.add(token),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export { freePort } from '../../../src/main/net/free-port';
