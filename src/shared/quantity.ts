/**
 * The largest stock the catalog accepts for one SKU. One definition for every place that checks a
 * stock: the catalog repository, the CSV import, the CLI and the window's input schemas.
 */
export const MAX_QUANTITY = 1_000_000;

/** A whole number from 0 to MAX_QUANTITY. */
export function isValidQuantity(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0 && value <= MAX_QUANTITY;
}
