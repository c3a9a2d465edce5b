import { AppError } from '../../../shared/errors';

/** What the user registers in their Etsy app unless they choose another (PRODUCT.md §6). */
export const DEFAULT_REDIRECT_URI = 'http://localhost:3003/oauth/redirect';

export interface RedirectTarget {
  /** The URI exactly as it goes to Etsy (must equal the one registered in the Etsy app). */
  uri: string;
  protocol: 'http:' | 'https:';
  /** As written in the URI: localhost, 127.0.0.1 or [::1]. */
  hostname: string;
  /** The only address the listener binds: never 0.0.0.0 or ::. */
  bindHost: string;
  port: number;
  path: string;
}

/**
 * Validates a configured redirect URI: http(s) on a loopback host, no query or fragment. For
 * `localhost` we bind 127.0.0.1 only: binding by name could also pick up a non-loopback address on a
 * machine with an odd hosts file, and browsers fall back from ::1 to 127.0.0.1.
 */
export function parseRedirectUri(uri: string): RedirectTarget {
  let url: URL;
  try {
    url = new URL(uri.trim());
  } catch {
    throw invalid(uri, 'it is not a valid web address');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid(uri, 'it must start with http://');
  if (url.username || url.password) throw invalid(uri, 'it must not contain a user name or password');
  if (url.search || url.hash || uri.includes('?') || uri.includes('#')) {
    throw invalid(uri, 'it must not contain ? or #');
  }
  const bindHost = loopbackBindHost(url.hostname);
  if (bindHost === null) throw invalid(uri, 'its host must be localhost, 127.0.0.1 or [::1]');
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  return {
    uri: url.href,
    protocol: url.protocol,
    hostname: url.hostname,
    bindHost,
    port,
    path: url.pathname,
  };
}

function loopbackBindHost(hostname: string): string | null {
  const host = hostname.toLowerCase();
  if (host === 'localhost') return '127.0.0.1';
  if (host === '[::1]') return '::1';
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)) return host;
  return null;
}

function invalid(uri: string, why: string): AppError {
  return new AppError('INVALID_INPUT', `The redirect address "${uri.slice(0, 200)}" cannot be used: ${why}.`, {
    action: `Use ${DEFAULT_REDIRECT_URI} (and register the same address in your Etsy app)`,
  });
}

/** True when `candidate` names the same scheme, host, port and path as the registered target. */
export function sameRedirectTarget(candidate: URL, target: RedirectTarget): boolean {
  const port = candidate.port === '' ? (candidate.protocol === 'https:' ? 443 : 80) : Number(candidate.port);
  return (
    candidate.protocol === target.protocol &&
    candidate.hostname.toLowerCase() === target.hostname.toLowerCase() &&
    port === target.port &&
    candidate.pathname === target.path
  );
}
