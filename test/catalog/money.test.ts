import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { currencyDecimals, formatPrice, normalizeCurrency, parsePrice } from '../../src/main/catalog/money';

describe('money', () => {
  it('knows each currency’s decimals', () => {
    expect(currencyDecimals('USD')).toBe(2);
    expect(currencyDecimals('JPY')).toBe(0);
    expect(currencyDecimals('KWD')).toBe(3);
  });

  it('normalizes known codes and rejects unknown ones', () => {
    expect(normalizeCurrency(' usd ')).toBe('USD');
    expect(normalizeCurrency('XYZ')).toBeUndefined();
    expect(normalizeCurrency('US')).toBeUndefined();
    expect(normalizeCurrency('')).toBeUndefined();
  });

  it('parses decimals exactly into minor units', () => {
    expect(parsePrice('12.50', 'USD')).toEqual({ ok: true, amount: 1250 });
    expect(parsePrice('12.5', 'USD')).toEqual({ ok: true, amount: 1250 });
    expect(parsePrice('12', 'USD')).toEqual({ ok: true, amount: 1200 });
    expect(parsePrice('0.29', 'USD')).toEqual({ ok: true, amount: 29 });
    expect(parsePrice('1200', 'JPY')).toEqual({ ok: true, amount: 1200 });
    expect(parsePrice('1.250', 'KWD')).toEqual({ ok: true, amount: 1250 });
  });

  it('refuses what is not a plain non-negative decimal in the currency’s precision', () => {
    for (const bad of ['-1', '1e3', '1,000', 'abc', '', '12.345', '$12', '.5']) {
      expect(parsePrice(bad, 'USD').ok, bad).toBe(false);
    }
    expect(parsePrice('1200.5', 'JPY')).toMatchObject({ ok: false, reason: expect.stringMatching(/JPY has none/) });
  });

  it('formatPrice is the inverse of parsePrice', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), fc.constantFrom('USD', 'JPY', 'KWD', 'EUR'), (amount, currency) => {
        expect(parsePrice(formatPrice(amount, currency), currency)).toEqual({ ok: true, amount });
      }),
    );
    expect(formatPrice(5, 'USD')).toBe('0.05');
    expect(formatPrice(1200, 'JPY')).toBe('1200');
  });
});
