import { createHash, randomBytes } from 'node:crypto';

/** Scopes Art Sync asks for (docs/ETSY_API_NOTES.md §3); nothing legacy, no listings_d. */
export const ETSY_SCOPES = ['listings_r', 'listings_w', 'shops_r', 'transactions_r'] as const;

export interface Pkce {
  /** RFC 7636 code_verifier: 64 base64url characters from 48 CSPRNG bytes (the RFC allows 43–128). */
  verifier: string;
  /** BASE64URL(SHA256(verifier)); Etsy supports only S256. */
  challenge: string;
  method: 'S256';
}

export function createPkce(): Pkce {
  const verifier = randomBytes(48).toString('base64url');
  return { verifier, challenge: s256Challenge(verifier), method: 'S256' };
}

/** RFC 7636 §4.2: code_challenge = BASE64URL-ENCODE(SHA256(ASCII(code_verifier))). */
export function s256Challenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** A fresh OAuth `state`: 256 bits from the CSPRNG, base64url. */
export function createState(): string {
  return randomBytes(32).toString('base64url');
}

export interface AuthorizeUrlInput {
  /** Etsy's web origin, e.g. https://www.etsy.com (or the simulator's loopback URL). */
  authUrl: string;
  /** The app's keystring (OAuth client_id is the keystring alone, never keystring:secret). */
  clientId: string;
  redirectUri: string;
  state: string;
  codeChallenge: string;
  scopes?: readonly string[];
}

/**
 * `<authUrl>/oauth/connect?...`. Built by hand because URLSearchParams writes spaces as `+`, and the
 * scope list is documented as space-separated and URL-encoded (`%20`).
 */
export function buildAuthorizeUrl(input: AuthorizeUrlInput): string {
  const params: [string, string][] = [
    ['response_type', 'code'],
    ['client_id', input.clientId],
    ['redirect_uri', input.redirectUri],
    ['scope', (input.scopes ?? ETSY_SCOPES).join(' ')],
    ['state', input.state],
    ['code_challenge', input.codeChallenge],
    ['code_challenge_method', 'S256'],
  ];
  const query = params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
  return `${input.authUrl.replace(/\/+$/, '')}/oauth/connect?${query}`;
}
