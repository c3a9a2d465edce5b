import Database from 'better-sqlite3';

/**
 * Notices catalog stock edits cheaply, whoever made them — this process (the window, a CSV import) or
 * another one (`art-sync catalog set-stock` while the app runs) — for the edit pusher (docs/SYNC.md
 * "Watching for sales"). It has its own read-only connection: `PRAGMA data_version` changes when
 * *another* connection commits, so a separate connection sees every commit, ours included, and costs
 * one pragma per look while nothing changed.
 */
export interface ChangedVariant {
  sku: string;
  version: number;
  updatedAt: number;
  /**
   * The stock differs from what the last sync left (`bL`) on some link of a live listing, or the SKU has
   * never been synced but a live listing shows it: a change to push. A sync's own catalog update moves
   * `bL` in the same transaction, so it never counts.
   */
  pending: boolean;
}

export class CatalogChangeProbe {
  private readonly sqlite: Database.Database;
  private readonly changedStmt: Database.Statement;

  constructor(file: string, options: { nativeBinding?: string | undefined } = {}) {
    const nativeBinding = options.nativeBinding ?? (process.env.ART_SYNC_SQLITE_BINDING || undefined);
    this.sqlite = new Database(file, { readonly: true, fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) });
    this.sqlite.pragma('busy_timeout = 2000');
    this.changedStmt = this.sqlite.prepare(`
      SELECT v.sku AS sku, v.version AS version, v.updated_at AS updatedAt,
        (EXISTS (SELECT 1 FROM sku_links k JOIN etsy_listings l ON l.listing_id = k.listing_id
                 WHERE k.variant_id = v.id AND k.baseline_catalog IS NOT NULL AND k.baseline_catalog != v.quantity
                   AND l.removed_at IS NULL AND l.state != 'removed')
         OR (NOT EXISTS (SELECT 1 FROM sku_links k WHERE k.variant_id = v.id AND k.baseline_catalog IS NOT NULL)
             AND EXISTS (SELECT 1 FROM etsy_products p JOIN etsy_listings l ON l.listing_id = p.listing_id
                         WHERE p.sku = v.sku AND p.is_deleted = 0 AND l.removed_at IS NULL AND l.state != 'removed'))
        ) AS pending
      FROM catalog_variants v WHERE v.updated_at >= ? ORDER BY v.updated_at, v.sku`);
  }

  /** Changes whenever another connection (this process's main one included) has committed. */
  dataVersion(): number {
    return this.sqlite.pragma('data_version', { simple: true }) as number;
  }

  /** Variants changed at or after `sinceMs` (their updated_at). */
  changedSince(sinceMs: number): ChangedVariant[] {
    return (this.changedStmt.all(sinceMs) as { sku: string; version: number; updatedAt: number; pending: number }[]).map((row) => ({
      ...row,
      pending: row.pending === 1,
    }));
  }

  close(): void {
    if (this.sqlite.open) this.sqlite.close();
  }
}
