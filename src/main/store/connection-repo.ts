import type Database from 'better-sqlite3';

/** The one Etsy connection (a single row): which shop, and whether Etsy asked to connect again. */
export interface EtsyConnection {
  userId: number;
  shopId: number;
  shopName: string;
  /** null when Etsy did not say (the engine then assumes USD). */
  shopCurrency: string | null;
  connectedAt: number;
  needsReconnect: boolean;
  reconnectReason: string | null;
}

interface ConnectionSqlRow {
  user_id: number;
  shop_id: number;
  shop_name: string;
  shop_currency: string | null;
  connected_at: number;
  needs_reconnect: number;
  reconnect_reason: string | null;
}

/** The etsy_connection row; the keys and tokens themselves are in the secret store, never here. */
export class ConnectionRepo {
  private readonly sqlite: Database.Database;

  constructor(sqlite: Database.Database) {
    this.sqlite = sqlite;
  }

  get(): EtsyConnection | null {
    const row = this.sqlite.prepare('SELECT * FROM etsy_connection WHERE id = 1').get() as ConnectionSqlRow | undefined;
    if (!row) return null;
    return {
      userId: row.user_id,
      shopId: row.shop_id,
      shopName: row.shop_name,
      shopCurrency: row.shop_currency,
      connectedAt: row.connected_at,
      needsReconnect: row.needs_reconnect !== 0,
      reconnectReason: row.reconnect_reason,
    };
  }

  /** A new grant: stores the shop and clears any "connect again". */
  save(input: { userId: number; shopId: number; shopName: string; shopCurrency: string | null; connectedAt: number }): void {
    this.sqlite
      .prepare(
        `INSERT INTO etsy_connection (id, user_id, shop_id, shop_name, shop_currency, connected_at, needs_reconnect)
         VALUES (1, @userId, @shopId, @shopName, @shopCurrency, @connectedAt, 0)
         ON CONFLICT (id) DO UPDATE SET user_id = excluded.user_id, shop_id = excluded.shop_id,
           shop_name = excluded.shop_name, shop_currency = excluded.shop_currency,
           connected_at = excluded.connected_at, needs_reconnect = 0, reconnect_reason = NULL`,
      )
      .run(input);
  }

  clearReconnect(): void {
    this.sqlite.prepare('UPDATE etsy_connection SET needs_reconnect = 0, reconnect_reason = NULL').run();
  }

  markReconnect(reason: string): void {
    this.sqlite.prepare('UPDATE etsy_connection SET needs_reconnect = 1, reconnect_reason = ?').run(reason);
  }

  /** Forgets the connection; the mirror, catalog and history stay. */
  delete(): void {
    this.sqlite.prepare('DELETE FROM etsy_connection').run();
  }
}
