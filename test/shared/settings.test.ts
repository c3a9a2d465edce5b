import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, isSettingKey, parseSettingText, settingsSchema } from '../../src/shared/settings';

describe('settings', () => {
  it('has the defaults docs/PRODUCT.md names', () => {
    expect(DEFAULT_SETTINGS.productSyncIntervalMinutes).toBe(120);
    expect(DEFAULT_SETTINGS.inventorySyncIntervalMinutes).toBe(60);
    expect(DEFAULT_SETTINGS.firstSyncSource).toBe('etsy');
    expect(DEFAULT_SETTINGS.redirectUri).toBe('http://localhost:3003/oauth/redirect');
    expect(DEFAULT_SETTINGS.pushPrices).toBe(false);
  });

  it('parses typed text per key', () => {
    expect(parseSettingText('buffer', '2')).toEqual({ ok: true, value: 2 });
    expect(parseSettingText('pushPrices', 'on')).toEqual({ ok: true, value: true });
    expect(parseSettingText('firstSyncSource', 'catalog')).toEqual({ ok: true, value: 'catalog' });
  });

  it.each([
    ['buffer', '-1', /buffer cannot be negative/],
    ['buffer', '1.5', /buffer must be a whole number/],
    ['buffer', 'abc', /buffer/],
    ['inventorySyncIntervalMinutes', '4', /at least 5 minutes/],
    ['pushPrices', 'maybe', /true or false/],
    ['redirectUri', 'not a url', /redirectUri cannot be used: it is not a valid web address/],
    ['redirectUri', 'http://example.com/cb', /redirectUri cannot be used: its host must be localhost, 127.0.0.1 or \[::1\]/],
  ] as const)('refuses %s=%s with a message naming the key', (key, text, message) => {
    const result = parseSettingText(key, text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  });

  it('knows its keys', () => {
    expect(isSettingKey('buffer')).toBe(true);
    expect(isSettingKey('password')).toBe(false);
    expect(Object.keys(settingsSchema.shape)).not.toContain('serverPassword');
  });
});
