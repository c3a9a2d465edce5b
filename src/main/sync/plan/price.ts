import { currencyDecimals, formatPrice } from '../../catalog/money';
import type { PlanMoney } from './plan-input';

/**
 * Etsy Money (amount / divisor) in the currency's minor units, exactly: 1250/100 USD → 1250,
 * 12500/1000 USD → 1250. Returns null when the value is not a whole number of minor units (12505/1000
 * USD) or the input is not sane — the planner then treats the price as different from the catalog's,
 * because comparing through floats would hide a real difference.
 */
export function etsyMoneyToMinor(money: PlanMoney, currency: string = money.currency): number | null {
  const { amount, divisor } = money;
  if (!Number.isSafeInteger(amount) || !Number.isSafeInteger(divisor) || divisor <= 0 || amount < 0) return null;
  let scaled: bigint;
  try {
    scaled = BigInt(amount) * 10n ** BigInt(currencyDecimals(currency));
  } catch {
    return null; // unknown currency code
  }
  const d = BigInt(divisor);
  if (scaled % d !== 0n) return null;
  const minor = scaled / d;
  return minor <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(minor) : null;
}

/** Minor units rounded to the nearest (for showing an Etsy price that is not exact, and for new catalog rows). */
export function etsyMoneyToMinorRounded(money: PlanMoney): number {
  const exact = etsyMoneyToMinor(money);
  if (exact !== null) return exact;
  let decimals = 2;
  try {
    decimals = currencyDecimals(money.currency);
  } catch {
    // unknown currency: assume cents
  }
  const value = money.divisor > 0 ? (money.amount / money.divisor) * 10 ** decimals : 0;
  return Math.max(0, Math.round(value));
}

/** "12.50 EUR" — for explanations. */
export function describePrice(amount: number, currency: string): string {
  try {
    return `${formatPrice(amount, currency)} ${currency}`;
  } catch {
    return `${amount} (minor units) ${currency}`;
  }
}
