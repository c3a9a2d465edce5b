import { describe, expect, it } from 'vitest';
import { DOCS_URL, isTrustedExternalUrl } from '../../src/main/desktop/trusted-url';

describe('isTrustedExternalUrl', () => {
  it.each([
    'https://www.etsy.com/your/apps',
    'https://etsy.com/shop/Studio',
    'https://www.etsy.com/listing/123456/print?ref=shop',
    'https://developers.etsy.com/documentation/',
    'https://WWW.ETSY.COM/',
    DOCS_URL,
    `${DOCS_URL}connect-etsy`,
  ])('opens %s', (url) => {
    expect(isTrustedExternalUrl(url)).toBe(true);
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
  ])('refuses %s', (url) => {
    expect(isTrustedExternalUrl(url)).toBe(false);
  });
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
