import type { PlanReason } from '../../../shared/plan';

/**
 * Turns the causes of a quantity change into a reason code and a sentence a shop owner understands,
 * e.g. "Sold 2 on Etsy (receipt 1234) and edited locally +3: 10 → 11".
 */

/** What moved a number. Several causes → reason `combined`; the sentence lists them all. */
export type QuantityCause =
  | { kind: 'sold_on_etsy'; quantity: number; receiptIds: number[] }
  | { kind: 'edited_on_etsy'; delta: number }
  /** onServer: the catalog is the server's (server link) and the change was pulled from it. */
  | { kind: 'edited_locally'; delta: number; onServer?: boolean }
  | { kind: 'first_sync_from_etsy'; conflict: boolean }
  | { kind: 'first_sync_from_catalog' }
  | { kind: 'new_listing_link' }
  | { kind: 'buffer'; buffer: number }
  | { kind: 'cap_999' }
  | { kind: 'resync' };

/** Facts that shaped the number without being why it changed; appended to the sentence. */
export type QuantityNote =
  | { kind: 'buffer'; buffer: number }
  | { kind: 'cap_999' }
  | { kind: 'floored' };

export interface Explained {
  reason: PlanReason;
  explanation: string;
}

export function signed(delta: number): string {
  return delta > 0 ? `+${delta}` : String(delta);
}

export function receiptText(receiptIds: readonly number[]): string {
  if (receiptIds.length === 0) return '';
  return receiptIds.length === 1 ? ` (receipt ${receiptIds[0]})` : ` (receipts ${receiptIds.join(', ')})`;
}

function causeText(cause: QuantityCause): string {
  switch (cause.kind) {
    case 'sold_on_etsy':
      return `sold ${cause.quantity} on Etsy${receiptText(cause.receiptIds)}`;
    case 'edited_on_etsy':
      return `edited on Etsy ${signed(cause.delta)}`;
    case 'edited_locally':
      return `${cause.onServer ? 'edited on the server' : 'edited locally'} ${signed(cause.delta)}`;
    case 'first_sync_from_etsy':
      return cause.conflict
        ? "first sync, taken from Etsy (the Etsy listings with this SKU disagreed; the lowest stock was used)"
        : 'first sync, taken from Etsy';
    case 'first_sync_from_catalog':
      return 'first sync, taken from the catalog';
    case 'new_listing_link':
      return 'newly linked to the catalog, so Etsy takes the catalog stock';
    case 'buffer':
      return `${cause.buffer} kept back as safety stock`;
    case 'cap_999':
      return 'Etsy allows at most 999';
    case 'resync':
      return "Etsy did not show the catalog's stock yet";
  }
}

function noteText(note: QuantityNote): string {
  switch (note.kind) {
    case 'buffer':
      return `${note.buffer} kept back as safety stock`;
    case 'cap_999':
      return 'Etsy allows at most 999';
    case 'floored':
      return 'stock cannot go below 0';
  }
}

/** "a", "a and b", "a, b and c". */
export function joinWords(parts: readonly string[]): string {
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function explainQuantity(
  causes: readonly QuantityCause[],
  notes: readonly QuantityNote[],
  before: number | null,
  after: number,
): Explained {
  const first = causes[0];
  const reason: PlanReason = causes.length === 1 && first ? first.kind : causes.length === 0 ? 'resync' : 'combined';
  const head = causes.length === 0 ? causeText({ kind: 'resync' }) : joinWords(causes.map(causeText));
  const tail = notes.length === 0 ? '' : `; ${notes.map(noteText).join('; ')}`;
  const from = before === null ? 'new' : String(before);
  return { reason, explanation: `${capitalise(head)}${tail}: ${from} → ${after}` };
}
