/** Words and numbers as the window shows them. Pure; `now` is passed in so output is stable in tests. */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export function relativeTime(at: number | null | undefined, now: number): string {
  if (at === null || at === undefined) return 'never';
  const delta = at - now;
  const abs = Math.abs(delta);
  let text: string;
  if (abs < MINUTE) return delta <= 0 ? 'just now' : 'in less than a minute';
  if (abs < HOUR) text = plural(Math.round(abs / MINUTE), 'min');
  else if (abs < DAY) text = plural(Math.round(abs / HOUR), 'hour');
  else text = plural(Math.round(abs / DAY), 'day');
  return delta < 0 ? `${text} ago` : `in ${text}`;
}

export function clockTime(at: number): string {
  return new Date(at).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

export function dateTime(at: number): string {
  return new Date(at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function plural(n: number, word: string): string {
  return `${n.toLocaleString()} ${word}${n === 1 ? '' : 's'}`;
}

/** Parses an <input type="date"> value as local midnight (ms epoch), or undefined when empty. */
export function localDayStart(value: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return undefined;
  return new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3])).getTime();
}

/** The local midnight after the given day (an exclusive upper bound for "until this day"). */
export function localDayEnd(value: string): number | undefined {
  const start = localDayStart(value);
  if (start === undefined) return undefined;
  const date = new Date(start);
  date.setDate(date.getDate() + 1);
  return date.getTime();
}

const REASON_WORDS: Record<string, string> = {
  sold_on_etsy: 'Sold on Etsy',
  edited_on_etsy: 'Edited on Etsy',
  edited_locally: 'Edited in catalog',
  first_sync_from_etsy: 'First sync from Etsy',
  first_sync_from_catalog: 'First sync from catalog',
  new_listing_link: 'New listing link',
  buffer: 'Safety buffer',
  cap_999: 'Etsy limit of 999',
  deactivated_zero_stock: 'Deactivated (no stock)',
  reactivated_stock_returned: 'Reactivated (stock back)',
  price_sync: 'Price sync',
  resync: 'Re-sync',
  combined: 'Several causes',
  sold_in_person: 'Sold in person',
  undo_run: 'Undo of a run',
};

export function reasonLabel(reason: string): string {
  return REASON_WORDS[reason] ?? reason.replaceAll('_', ' ');
}

const ATTENTION_WORDS: Record<string, string> = {
  missing_sku: 'Missing SKU',
  unmatched_variant: 'Not on Etsy',
  unmatched_etsy: 'Not in catalog',
  write_failed: 'Update failed',
  conflict: 'Conflict',
  no_inventory: 'No inventory',
  invalid_item: 'Invalid item',
  sold_out_restock: 'Sold out',
  currency_mismatch: 'Currency mismatch',
};

export function attentionLabel(kind: string): string {
  return ATTENTION_WORDS[kind] ?? kind.replaceAll('_', ' ');
}

export function sideLabel(side: string): string {
  return side === 'etsy' ? 'Etsy' : side === 'catalog' ? 'Catalog' : side;
}

export function valueText(value: number | string | null, field: string): string {
  if (value === null) return '—';
  if (field === 'price' && typeof value === 'number') return (value / 100).toFixed(2);
  return String(value);
}

/** A price in minor units as money in its currency ("$24.00", "¥3,000"). */
export function moneyText(amount: number, currency: string): string {
  try {
    const format = new Intl.NumberFormat(undefined, { style: 'currency', currency });
    return format.format(amount / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2));
  } catch {
    return `${(amount / 100).toFixed(2)} ${currency}`;
  }
}
