/**
 * The largest stock the catalog accepts for one SKU: 0 to 999,999 (issue 15). One definition for every
 * place that checks a stock: the catalog repository, the CSV import, the CLI and the window's input
 * schemas. (Etsy itself takes at most 999 per offering; the sync caps what it writes there.)
 */
export const MAX_QUANTITY = 999_999;

/** A whole number from 0 to MAX_QUANTITY. */
export function isValidQuantity(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0 && value <= MAX_QUANTITY;
}

/**
 * MAX_QUANTITY as messages write it: "999,999". Grouped by hand: toLocaleString at module load would
 * start ICU in every `art-sync` command (about 7 MB more at start-up, docs/PERFORMANCE.md).
 */
export const MAX_QUANTITY_TEXT = String(MAX_QUANTITY).replace(/\B(?=(\d{3})+$)/g, ',');
