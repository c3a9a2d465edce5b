import type Database from 'better-sqlite3';
import { SyncStateRepo } from './sync-state-repo';

export interface ReceiptItemInput {
  receiptId: number;
  receiptStatus: string | null;
  receiptCreatedTs: number;
  receiptUpdatedTs: number | null;
  transactionId: number;
  listingId: number | null;
  etsyProductId: number | null;
  sku: string | null;
  quantity: number;
  createdTs: number;
}

/**
 * Orders that no longer stand: their units were not sold. Etsy's document lists lowercase statuses,
 * real responses capitalise them ("Canceled", "Fully Refunded"; docs/ETSY_API_NOTES.md §9.23), so statuses are compared
 * lowercased with `_` read as a space. A partial refund leaves the order standing.
 */
const NOT_STANDING = ['canceled', 'cancelled', 'fully refunded'];
const STANDS = `coalesce(replace(lower(trim(r.status)), '_', ' '), '') NOT IN (${NOT_STANDING.map((s) => `'${s}'`).join(', ')})`;

const REREAD_SEQ_KEY = 'receipts.rereadSeq';

/** Etsy receipts and their transactions (sales), as read from getShopReceipts. */
export class ReceiptsRepo {
  private readonly sqlite: Database.Database;
  private readonly syncState: SyncStateRepo;

  constructor(sqlite: Database.Database, syncState: SyncStateRepo = new SyncStateRepo(sqlite)) {
    this.sqlite = sqlite;
    this.syncState = syncState;
  }

  /**
   * Stores receipts and their transactions. In the same transaction, the listing of every new sale and
   * of every order whose status changed (a cancellation may restock) joins the "to re-read" set.
   * `now` stamps those entries. Returns how many transactions were new.
   */
  saveReceiptItems(items: readonly ReceiptItemInput[], now: number): number {
    const previousStatus = this.sqlite.prepare('SELECT status FROM etsy_receipts WHERE receipt_id = ?');
    const receipt = this.sqlite.prepare(`
      INSERT INTO etsy_receipts (receipt_id, status, created_ts, updated_ts) VALUES (?, ?, ?, ?)
      ON CONFLICT (receipt_id) DO UPDATE SET status = excluded.status, updated_ts = excluded.updated_ts`);
    const item = this.sqlite.prepare(`
      INSERT INTO etsy_receipt_items (transaction_id, receipt_id, listing_id, etsy_product_id, sku, quantity, created_ts)
      VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (transaction_id) DO NOTHING`);
    let added = 0;
    this.sqlite.transaction(() => {
      const statusChanged = new Set<number>();
      for (const row of items) {
        if (!statusChanged.has(row.receiptId)) {
          const before = previousStatus.get(row.receiptId) as { status: string | null } | undefined;
          if (before !== undefined && before.status !== row.receiptStatus) statusChanged.add(row.receiptId);
        }
        receipt.run(row.receiptId, row.receiptStatus, row.receiptCreatedTs, row.receiptUpdatedTs);
        const isNew = item.run(row.transactionId, row.receiptId, row.listingId, row.etsyProductId, row.sku, row.quantity, row.createdTs).changes > 0;
        added += isNew ? 1 : 0;
        if ((isNew || statusChanged.has(row.receiptId)) && row.listingId !== null) this.addReread(row.listingId, now);
      }
    })();
    return added;
  }

  /**
   * `seq` never goes back, even once reads have emptied the set: the sales watcher acts on entries
   * above the last seq it saw, so a number handed out again would hide a sale from it. The high-water
   * mark lives in sync_state (through SyncStateRepo), since the set itself may be empty.
   */
  private addReread(listingId: number, now: number): void {
    const inSet = (this.sqlite.prepare('SELECT coalesce(max(seq), 0) AS seq FROM etsy_reread_listings').get() as { seq: number }).seq;
    const seq = this.syncState.nextSequence(REREAD_SEQ_KEY, inSet, now);
    this.sqlite
      .prepare(
        `INSERT INTO etsy_reread_listings (listing_id, seq, added_at) VALUES (?, ?, ?)
         ON CONFLICT (listing_id) DO UPDATE SET seq = excluded.seq, added_at = excluded.added_at`,
      )
      .run(listingId, seq, now);
  }

  /** The newest receipt's creation time (Etsy epoch seconds) among those read, 0 without any. */
  latestReceiptCreatedTs(): number {
    return (this.sqlite.prepare('SELECT coalesce(max(created_ts), 0) AS ts FROM etsy_receipts').get() as { ts: number }).ts;
  }

  /** Listings with a sale not yet reflected in a read of the listing (see schema.ts). */
  listingsToReread(): { listingId: number; seq: number }[] {
    return this.sqlite.prepare('SELECT listing_id AS listingId, seq FROM etsy_reread_listings ORDER BY listing_id').all() as {
      listingId: number;
      seq: number;
    }[];
  }

  /** These listings were read (or are gone): their entries leave the set unless a newer sale replaced them. */
  markReread(entries: readonly { listingId: number; seq: number }[]): void {
    const remove = this.sqlite.prepare('DELETE FROM etsy_reread_listings WHERE listing_id = ? AND seq <= ?');
    this.sqlite.transaction(() => {
      for (const entry of entries) remove.run(entry.listingId, entry.seq);
    })();
  }

  /** Units sold of one Etsy product id, by the standing orders stored so far. */
  soldOfProduct(etsyProductId: number): number {
    const row = this.sqlite
      .prepare(
        `SELECT coalesce(sum(i.quantity), 0) AS n FROM etsy_receipt_items i JOIN etsy_receipts r ON r.receipt_id = i.receipt_id
         WHERE i.etsy_product_id = ? AND ${STANDS}`,
      )
      .get(etsyProductId) as { n: number };
    return row.n;
  }

  /** Units sold of one Etsy product id in transactions created after a time (epoch seconds). */
  soldOfProductAfter(input: { etsyProductId: number; afterTs: number }): number {
    const { etsyProductId, afterTs } = input;
    const row = this.sqlite
      .prepare(
        `SELECT coalesce(sum(i.quantity), 0) AS n FROM etsy_receipt_items i JOIN etsy_receipts r ON r.receipt_id = i.receipt_id
         WHERE i.etsy_product_id = ? AND i.created_ts > ? AND ${STANDS}`,
      )
      .get(etsyProductId, afterTs) as { n: number };
    return row.n;
  }

  /** Standing orders' transactions stored since a time (epoch seconds), to explain Etsy-side decreases. */
  receiptItemsSince(sinceTs: number): ReceiptItemInput[] {
    return this.sqlite
      .prepare(
        `SELECT i.receipt_id AS receiptId, r.status AS receiptStatus, r.created_ts AS receiptCreatedTs,
           r.updated_ts AS receiptUpdatedTs, i.transaction_id AS transactionId, i.listing_id AS listingId,
           i.etsy_product_id AS etsyProductId, i.sku, i.quantity, i.created_ts AS createdTs
         FROM etsy_receipt_items i JOIN etsy_receipts r ON r.receipt_id = i.receipt_id
         WHERE i.created_ts >= ? AND ${STANDS} ORDER BY i.created_ts, i.transaction_id`,
      )
      .all(sinceTs) as ReceiptItemInput[];
  }
}
