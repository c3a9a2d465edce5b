/**
 * Which addresses Art Sync hands to the OS browser (shell.openExternal). A pure decision, pulled out
 * of the Electron glue so it is tested in plain Node (the pattern of Actual Budget's
 * desktop-electron/trusted-url.ts). openExternal with an attacker's URL can launch local programs
 * (file:, smb:, custom schemes), so only https pages on these hosts pass.
 */

/** Etsy pages the window links to (shop, listings, "Your apps", API docs). */
const ETSY_HOSTS = ['www.etsy.com', 'etsy.com', 'developers.etsy.com', 'help.etsy.com'];

/** The project's own help pages. Placeholder until the project has a published docs site: change it here only. */
export const DOCS_URL = 'https://art-sync.github.io/art-sync/';
const DOCS_ORIGIN = new URL(DOCS_URL).origin;
const DOCS_PATH = new URL(DOCS_URL).pathname;

export function isTrustedExternalUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:') return false;
  // user:pass@ can make an address read like another site's.
  if (url.username !== '' || url.password !== '') return false;
  // The default port only: https://www.etsy.com:8443 is not Etsy's site.
  if (url.port !== '') return false;
  const host = url.hostname.toLowerCase();
  if (ETSY_HOSTS.includes(host)) return true;
  return url.origin === DOCS_ORIGIN && url.pathname.startsWith(DOCS_PATH);
}

/**
 * The one place Art Sync calls shell.openExternal. `allowed` is the caller's rule: the allowlist
 * above for links from the window; the configured Etsy sign-in origin for OAuth.
 */
export async function openInBrowser(
  shell: { openExternal(url: string): Promise<void> },
  url: string,
  allowed: (url: string) => boolean,
): Promise<void> {
  if (!allowed(url)) throw new Error('Art Sync does not open this address.');
  // Checked by `allowed` just above (tested in test/desktop/trusted-url.test.ts); Electronegativity
  // flags every non-literal openExternal for review.
  await shell.openExternal(url); /* eng-disable OPEN_EXTERNAL_JS_CHECK */
}
