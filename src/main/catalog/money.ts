/**
 * Decimal price text <-> integer minor units, by the currency's own number of decimals (JPY 0,
 * USD 2, KWD 3). Pure: no Node imports, so it can move to src/shared when the window needs it.
 * Parsing works on the digits as text, never through floating point, so "0.29" is exactly 29.
 */

const supported = new Set(Intl.supportedValuesOf('currency'));

/** The ISO 4217 code in upper case, or undefined when it is not a currency this runtime knows. */
export function normalizeCurrency(code: string): string | undefined {
  const upper = code.trim().toUpperCase();
  return /^[A-Z]{3}$/.test(upper) && supported.has(upper) ? upper : undefined;
}

/** How many digits after the decimal point the currency uses (from Intl). */
export function currencyDecimals(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

export type ParsePriceResult = { ok: true; amount: number } | { ok: false; reason: string };

/** "12.50" USD → 1250; "1200" JPY → 1200. Refuses signs, exponents, separators and extra decimals. */
export function parsePrice(text: string, currency: string): ParsePriceResult {
  const value = text.trim();
  const match = /^(\d+)(?:\.(\d*))?$/.exec(value);
  if (match === null) {
    return { ok: false, reason: `price "${text}" is not a number like 12.50` };
  }
  const whole = match[1] ?? '';
  const fraction = match[2] ?? '';
  const decimals = currencyDecimals(currency);
  if (fraction.length > decimals) {
    return {
      ok: false,
      reason:
        decimals === 0
          ? `price "${text}" has decimals, but ${currency} has none`
          : `price "${text}" has more than ${decimals} decimals for ${currency}`,
    };
  }
  const amount = Number(whole + fraction.padEnd(decimals, '0'));
  if (!Number.isSafeInteger(amount)) return { ok: false, reason: `price "${text}" is too large` };
  return { ok: true, amount };
}

/** 1250 USD → "12.50"; 1200 JPY → "1200". The inverse of parsePrice. */
export function formatPrice(amount: number, currency: string): string {
  const decimals = currencyDecimals(currency);
  if (decimals === 0) return String(amount);
  const digits = String(Math.abs(amount)).padStart(decimals + 1, '0');
  const sign = amount < 0 ? '-' : '';
  return `${sign}${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}
