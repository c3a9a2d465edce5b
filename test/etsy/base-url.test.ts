import { describe, expect, it } from 'vitest';
import { checkEtsyUrl, isLoopbackHost, resolveEtsyBaseUrls } from '../../src/main/etsy/base-url';
import { AppError } from '../../src/shared/errors';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof AppError ? error.code : 'not-app-error';
  }
  return undefined;
}

describe('Etsy base URL policy', () => {
  it('defaults to Etsy over HTTPS', () => {
    expect(resolveEtsyBaseUrls({})).toEqual({ apiUrl: 'https://api.etsy.com', authUrl: 'https://www.etsy.com' });
    expect(resolveEtsyBaseUrls({ ART_SYNC_ETSY_API_URL: '', ART_SYNC_ETSY_AUTH_URL: ' ' }).apiUrl).toBe('https://api.etsy.com');
  });

  it('accepts overrides over HTTPS and loopback http, trimming trailing slashes', () => {
    expect(
      resolveEtsyBaseUrls({ ART_SYNC_ETSY_API_URL: 'https://openapi.etsy.com/', ART_SYNC_ETSY_AUTH_URL: 'http://127.0.0.1:4000/' }),
    ).toEqual({ apiUrl: 'https://openapi.etsy.com', authUrl: 'http://127.0.0.1:4000' });
    expect(checkEtsyUrl('http://localhost:3000', 'x')).toBe('http://localhost:3000');
    expect(checkEtsyUrl('http://[::1]:3000/sim/', 'x')).toBe('http://[::1]:3000/sim');
    expect(checkEtsyUrl('http://127.8.9.10', 'x')).toBe('http://127.8.9.10');
  });

  it.each([
    'http://api.etsy.com',
    'http://10.0.0.5:8080',
    'http://localhost.evil.com',
    'http://127.0.0.1.nip.io',
    'http://[::2]',
    'ftp://127.0.0.1',
    'ws://localhost',
  ])('refuses %s as INSECURE_URL', (url) => {
    expect(codeOf(() => checkEtsyUrl(url, 'Etsy API address'))).toBe('INSECURE_URL');
    expect(codeOf(() => resolveEtsyBaseUrls({ ART_SYNC_ETSY_API_URL: url }))).toBe('INSECURE_URL');
    expect(codeOf(() => resolveEtsyBaseUrls({ ART_SYNC_ETSY_AUTH_URL: url }))).toBe('INSECURE_URL');
  });

  it('refuses garbage and credentials in the URL', () => {
    expect(codeOf(() => checkEtsyUrl('not a url', 'x'))).toBe('INVALID_INPUT');
    expect(codeOf(() => checkEtsyUrl('https://user:pw@api.etsy.com', 'x'))).toBe('INVALID_INPUT');
  });

  it('knows which hosts are loopback', () => {
    expect(isLoopbackHost('localhost')).toBe(true);
    expect(isLoopbackHost('LOCALHOST')).toBe(true);
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('127.255.255.254')).toBe(true);
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('128.0.0.1')).toBe(false);
    expect(isLoopbackHost('0.0.0.0')).toBe(false);
    expect(isLoopbackHost('foo.localhost')).toBe(false);
  });
});
