import { AppError } from '../../../shared/errors';
import { checkRedirectUri, loopbackBindHost } from '../../../shared/settings';

/** What the user registers in their Etsy app unless they choose another (docs/PRODUCT.md §6). */
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
  // The rule itself lives with the setting (src/shared/settings.ts), so every door refuses the same URIs.
  const problem = checkRedirectUri(uri);
  if (problem !== null) throw invalid(uri, problem);
  const url = new URL(uri.trim());
  const bindHost = loopbackBindHost(url.hostname) ?? '127.0.0.1';
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  return {
    uri: url.href,
    protocol: url.protocol as 'http:' | 'https:',
    hostname: url.hostname,
    bindHost,
    port,
    path: url.pathname,
  };
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
