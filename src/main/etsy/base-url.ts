import { isIP } from 'node:net';
import { AppError } from '../../shared/errors';

export const DEFAULT_ETSY_API_URL = 'https://api.etsy.com';
export const DEFAULT_ETSY_AUTH_URL = 'https://www.etsy.com';

export interface EtsyBaseUrls {
  /** Origin (plus optional path prefix) that `/v3/application/...` is appended to; no trailing slash. */
  apiUrl: string;
  /** Origin that `/oauth/connect` is appended to; no trailing slash. */
  authUrl: string;
}

/** True for 127.0.0.0/8, ::1 and `localhost` — the only hosts where plain http is tolerated. */
export function isLoopbackHost(hostname: string): boolean {
  // URL.hostname keeps the brackets around IPv6 literals.
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost') return true;
  const family = isIP(host);
  if (family === 4) return host.split('.')[0] === '127';
  if (family === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(host);
  return false;
}

/**
 * Parses and vets one endpoint URL. Tokens and the shared secret travel on these requests, so
 * anything but HTTPS is refused unless it stays on this machine (the simulator, tests).
 */
export function checkEtsyUrl(raw: string, what: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new AppError('INVALID_INPUT', `The ${what} "${raw}" is not a valid URL.`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new AppError('INVALID_INPUT', `The ${what} must not contain a user name or password.`);
  }
  if (url.protocol === 'https:') return stripTrailingSlash(url);
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return stripTrailingSlash(url);
  throw new AppError(
    'INSECURE_URL',
    `The ${what} "${url.origin}" is not HTTPS. Art Sync only talks to Etsy over HTTPS (plain http is allowed for this computer only).`,
    { action: 'Use an https:// address' },
  );
}

function stripTrailingSlash(url: URL): string {
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.origin}${path}`;
}

/** Reads ART_SYNC_ETSY_API_URL / ART_SYNC_ETSY_AUTH_URL (empty counts as unset) and vets both. */
export function resolveEtsyBaseUrls(env: Record<string, string | undefined> = process.env): EtsyBaseUrls {
  const api = env['ART_SYNC_ETSY_API_URL']?.trim() || DEFAULT_ETSY_API_URL;
  const auth = env['ART_SYNC_ETSY_AUTH_URL']?.trim() || DEFAULT_ETSY_AUTH_URL;
  return {
    apiUrl: checkEtsyUrl(api, 'Etsy API address (ART_SYNC_ETSY_API_URL)'),
    authUrl: checkEtsyUrl(auth, 'Etsy sign-in address (ART_SYNC_ETSY_AUTH_URL)'),
  };
}
