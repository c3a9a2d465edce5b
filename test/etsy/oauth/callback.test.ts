import { describe, expect, it } from 'vitest';
import { parseRedirectedUrl } from '../../../src/main/etsy/oauth/callback';
import { DEFAULT_REDIRECT_URI, parseRedirectUri } from '../../../src/main/etsy/oauth/redirect-uri';
import type { AppError } from '../../../src/shared/errors';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return (error as AppError).code;
  }
  return undefined;
}

describe('parseRedirectUri', () => {
  it('binds 127.0.0.1 for the default localhost redirect URI', () => {
    expect(parseRedirectUri(DEFAULT_REDIRECT_URI)).toMatchObject({
      protocol: 'http:',
      hostname: 'localhost',
      bindHost: '127.0.0.1',
      port: 3003,
      path: '/oauth/redirect',
    });
  });

  it('binds the literal loopback address for 127.0.0.1 and [::1]', () => {
    expect(parseRedirectUri('http://127.0.0.1:8080/cb').bindHost).toBe('127.0.0.1');
    expect(parseRedirectUri('http://[::1]:8080/cb').bindHost).toBe('::1');
  });

  it.each([
    'http://example.com:3003/oauth/redirect',
    'http://0.0.0.0:3003/oauth/redirect',
    'http://192.168.1.5:3003/oauth/redirect',
    'ftp://localhost:3003/oauth/redirect',
    'http://localhost:3003/oauth/redirect?x=1',
    'http://localhost:3003/oauth/redirect#frag',
    'http://user:pw@localhost:3003/oauth/redirect',
    'not a url',
  ])('refuses %s', (uri) => {
    expect(codeOf(() => parseRedirectUri(uri))).toBe('INVALID_INPUT');
  });
});

describe('parseRedirectedUrl (manual paste path)', () => {
  const state = 'expected-state-value';

  it('returns the code from the registered redirect URI with the right state', () => {
    const pasted = `  ${DEFAULT_REDIRECT_URI}?code=abc123&state=${state}\n`;
    expect(parseRedirectedUrl(pasted, state, DEFAULT_REDIRECT_URI)).toBe('abc123');
  });

  it('rejects a wrong, missing or repeated state', () => {
    expect(codeOf(() => parseRedirectedUrl(`${DEFAULT_REDIRECT_URI}?code=c&state=other`, state, DEFAULT_REDIRECT_URI))).toBe(
      'OAUTH_STATE_MISMATCH',
    );
    expect(codeOf(() => parseRedirectedUrl(`${DEFAULT_REDIRECT_URI}?code=c`, state, DEFAULT_REDIRECT_URI))).toBe('OAUTH_STATE_MISMATCH');
    expect(
      codeOf(() => parseRedirectedUrl(`${DEFAULT_REDIRECT_URI}?code=c&state=${state}&state=x`, state, DEFAULT_REDIRECT_URI)),
    ).toBe('OAUTH_STATE_MISMATCH');
  });

  it('rejects an address that is not the registered redirect URI', () => {
    for (const other of [
      `http://localhost:3004/oauth/redirect?code=c&state=${state}`,
      `http://localhost:3003/other?code=c&state=${state}`,
      `https://localhost:3003/oauth/redirect?code=c&state=${state}`,
      `http://evil.example:3003/oauth/redirect?code=c&state=${state}`,
      'garbage',
    ]) {
      expect(codeOf(() => parseRedirectedUrl(other, state, DEFAULT_REDIRECT_URI))).toBe('INVALID_INPUT');
    }
  });

  it("reports Etsy's error when the user declined", () => {
    expect(() => parseRedirectedUrl(`${DEFAULT_REDIRECT_URI}?error=access_denied&state=${state}`, state, DEFAULT_REDIRECT_URI)).toThrow(
      /declined/,
    );
  });

  it('fails when Etsy came back without a code', () => {
    expect(codeOf(() => parseRedirectedUrl(`${DEFAULT_REDIRECT_URI}?state=${state}`, state, DEFAULT_REDIRECT_URI))).toBe('OAUTH_FAILED');
  });
});
