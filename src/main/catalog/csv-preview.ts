/**
 * What importing a catalog CSV would change, as data (issue 15 item 3): each valid line compared with
 * the catalog as it is, the refused lines with their line numbers, and a token that names this exact
 * preview. Pure: no store, no writes; the caller hands in the current values.
 *
 * The token is a hash of every valid line's values *and* the catalog values they were compared with
 * (unchanged SKUs included), plus the refused lines. Applying recomputes the preview inside the write
 * transaction and applies only when the token is the same, so what is applied is exactly what the owner
 * saw; a stock edit, a sale or a sync in between changes the token and the apply is refused with the
 * SKUs that differ (previewDifferences).
 */
import { createHash } from 'node:crypto';
import type { CsvPreview, CsvPreviewItem, CsvValues } from '../../shared/ipc';
import type { ParsedCatalogCsv } from './csv';

export function buildCsvPreview(
  parsed: ParsedCatalogCsv,
  current: (sku: string) => CsvValues | undefined,
  /** The connected shop's currency; null when no shop is connected. */
  shopCurrency: string | null = null,
): CsvPreview {
  const items: CsvPreviewItem[] = [];
  const hashed: unknown[] = [];
  let unchanged = 0;
  for (const row of parsed.rows) {
    const after: CsvValues = { title: row.title, quantity: row.quantity, price: row.priceAmount, currency: row.currency };
    const before = current(row.sku) ?? null;
    hashed.push([row.line, row.sku, after, before]);
    if (before === null) items.push({ line: row.line, sku: row.sku, change: 'new', before: null, after });
    else if (sameValues(before, after)) unchanged += 1;
    else items.push({ line: row.line, sku: row.sku, change: 'update', before, after });
  }
  const errors = parsed.errors.map((error) => ({ line: error.line, reason: error.reason }));
  const token = createHash('sha256').update(JSON.stringify([hashed, errors])).digest('hex');
  const created = items.filter((item) => item.change === 'new').length;
  return {
    token,
    items,
    counts: { new: created, update: items.length - created, unchanged, errors: errors.length },
    errors,
    notes: shopCurrency === null ? [] : currencyNotes(items, shopCurrency),
  };
}

/**
 * "2 lines are priced in USD, but your Etsy shop uses GBP: …" per other currency, for the lines being
 * applied. Not an error: the stock syncs as usual; the sync sends no price in another currency and lists
 * the SKU under Needs attention (docs/SYNC.md).
 */
function currencyNotes(items: readonly CsvPreviewItem[], shopCurrency: string): string[] {
  const byCurrency = new Map<string, number>();
  for (const item of items) {
    if (item.after.currency !== shopCurrency) byCurrency.set(item.after.currency, (byCurrency.get(item.after.currency) ?? 0) + 1);
  }
  return [...byCurrency].map(
    ([currency, lines]) =>
      `${lines === 1 ? '1 line is' : `${lines} lines are`} priced in ${currency}, but your Etsy shop uses ${shopCurrency}: ` +
      `Art Sync does not send ${lines === 1 ? 'that price' : 'those prices'} to Etsy (the stock is synced as usual).`,
  );
}

/** The same comparison the catalog's upsert makes: title, stock, price and currency. */
export function sameValues(a: CsvValues, b: CsvValues): boolean {
  return a.title === b.title && a.quantity === b.quantity && a.price === b.price && a.currency === b.currency;
}

/**
 * SKUs whose preview line differs between two previews of the same file (a catalog value changed
 * in between): new ↔ update, a different "before", or a change that appeared or went away.
 */
export function previewDifferences(shown: CsvPreview, fresh: CsvPreview): string[] {
  const key = (item: CsvPreviewItem) => JSON.stringify([item.change, item.before, item.after]);
  const a = new Map(shown.items.map((item) => [item.sku, key(item)]));
  const b = new Map(fresh.items.map((item) => [item.sku, key(item)]));
  const skus = new Set([...a.keys(), ...b.keys()]);
  return [...skus].filter((sku) => a.get(sku) !== b.get(sku)).sort();
}

/** "The catalog changed since the preview (FOX-1, HARE-2): nothing was imported. Check the new preview and apply again." */
export function stalePreviewMessage(changedSkus: readonly string[]): string {
  const shown = changedSkus.slice(0, 5).join(', ');
  const more = changedSkus.length > 5 ? ` and ${changedSkus.length - 5} more` : '';
  const which = changedSkus.length > 0 ? ` (${shown}${more})` : '';
  return `The catalog changed since the preview${which}: nothing was imported. Check the new preview and apply again.`;
}
