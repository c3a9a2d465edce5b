/**
 * Which addresses Art Sync hands to the OS browser (shell.openExternal). A pure decision, pulled out
 * of the Electron glue so it is tested in plain Node (the pattern of Actual Budget's
 * desktop-electron/trusted-url.ts). openExternal with an attacker's URL can launch local programs
 * (file:, smb:, custom schemes), so only https pages on these hosts pass.
 */

/** Etsy pages the window links to (shop, listings, "Your apps", API docs). */
const ETSY_HOSTS = ['www.etsy.com', 'etsy.com', 'developers.etsy.com', 'help.etsy.com'];

/** Set by scripts/build.mjs: the repository the app is built from (GitHub Actions' repository, or package.json's homepage). */
declare const __REPOSITORY_URL__: string | undefined;

/**
 * The project's own help pages: the docs/ folder of the repository this copy was built from
 * (docs/ETSY_SETUP.md is the connect guide), on GitHub, where the installers are built. null when the
 * build knows no repository (a local development build): the window then shows no help link.
 */
export function docsUrlFor(repositoryUrl: string | undefined): string | null {
  const match = /^https:\/\/github\.com\/([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+?)(?:\.git)?\/?$/.exec(repositoryUrl?.trim() ?? '');
  if (!match) return null;
  return `https://github.com/${match[1]}/${match[2]}/blob/main/docs/`;
}

export const DOCS_URL: string | null = docsUrlFor(typeof __REPOSITORY_URL__ === 'string' ? __REPOSITORY_URL__ : undefined);

/** Only https pages on Etsy's hosts and the pages under `docsUrl` (the project's own help). */
export function isTrustedExternalUrl(value: string, docsUrl: string | null = DOCS_URL): boolean {
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
  if (docsUrl === null) return false;
  const docs = new URL(docsUrl);
  return url.origin === docs.origin && url.pathname.startsWith(docs.pathname);
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
