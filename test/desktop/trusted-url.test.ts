import { describe, expect, it } from 'vitest';
import { docsUrlFor, isTrustedExternalUrl } from '../../src/main/desktop/trusted-url';

const DOCS_URL = 'https://github.com/studio-tools/art-sync/blob/main/docs/';

describe('isTrustedExternalUrl', () => {
  it.each([
    'https://www.etsy.com/your/apps',
    'https://etsy.com/shop/Studio',
    'https://www.etsy.com/listing/123456/print?ref=shop',
    'https://developers.etsy.com/documentation/',
    'https://WWW.ETSY.COM/',
    DOCS_URL,
    `${DOCS_URL}ETSY_SETUP.md`,
  ])('opens %s', (url) => {
    expect(isTrustedExternalUrl(url, DOCS_URL)).toBe(true);
  });

  it.each([
    'http://www.etsy.com/',
    'https://www.etsy.com.evil.example/',
    'https://evil.example/www.etsy.com',
    'https://www.etsy.com@evil.example/',
    'https://user:pass@www.etsy.com/',
    'https://www.etsy.com:8443/',
    'https://api.etsy.com/v3/application/openapi-ping',
    'https://shop.etsy.com/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'smb://www.etsy.com/share',
    'ms-settings:privacy',
    'data:text/html,hi',
    '//www.etsy.com/',
    'www.etsy.com',
    '',
    'not a url',
    `${new URL(DOCS_URL).origin}/someone-else/`,
    'https://github.com/studio-tools/art-sync/blob/main/src/',
    'https://github.com/studio-tools/art-sync-fork/blob/main/docs/',
  ])('refuses %s', (url) => {
    expect(isTrustedExternalUrl(url, DOCS_URL)).toBe(false);
  });

  it('opens no help page when the build knows no repository', () => {
    expect(isTrustedExternalUrl(`${DOCS_URL}ETSY_SETUP.md`, null)).toBe(false);
    expect(isTrustedExternalUrl('https://www.etsy.com/developers/your-apps', null)).toBe(true);
  });
});

describe('docsUrlFor', () => {
  it.each([
    ['https://github.com/studio-tools/art-sync', DOCS_URL],
    ['https://github.com/studio-tools/art-sync/', DOCS_URL],
    ['https://github.com/studio-tools/art-sync.git', DOCS_URL],
  ])('%s → the docs folder on main', (repository, expected) => {
    expect(docsUrlFor(repository)).toBe(expected);
  });

  it.each(['', undefined, 'http://github.com/a/b', 'https://gitlab.com/a/b', 'https://github.com/a', 'https://github.com/a/b/c', 'https://github.com/a/b?x=1'])(
    'no help pages for %s',
    (repository) => {
      expect(docsUrlFor(repository)).toBeNull();
    },
  );
});

describe('openInBrowser', () => {
  it('opens only what the rule allows', async () => {
    const { openInBrowser } = await import('../../src/main/desktop/trusted-url');
    const opened: string[] = [];
    const shell = { openExternal: async (url: string) => void opened.push(url) };
    await openInBrowser(shell, 'https://www.etsy.com/', isTrustedExternalUrl);
    await expect(openInBrowser(shell, 'file:///etc/passwd', isTrustedExternalUrl)).rejects.toThrow();
    expect(opened).toEqual(['https://www.etsy.com/']);
  });
});
