/**
 * The Postgres side of watching the server for stock edits (issue 14 item 4; the watching itself is
 * src/main/schedule/server-edit-watcher.ts):
 *
 * - `listenForVariantChanges` opens one dedicated connection (not from the pool: a pooled connection
 *   goes back to the pool and its LISTEN with it) and LISTENs on the channel migration 0004's trigger
 *   NOTIFYs when a product_variants row's stock changes or a row is added.
 * - `variantFingerprint` / `readVariantStates` are the fallback poll for when notifications are not
 *   delivered (a transaction-mode pooler accepts LISTEN and never delivers, a dropped connection): one
 *   aggregate row per poll, and the whole (sku, stock, version) list only when the aggregate moved.
 */
import pg from 'pg';
import type { PgQueryable } from './connection';

/** The channel migration 0004's trigger notifies (keep in step with drizzle/postgres/0004_variant_notify.sql). */
export const VARIANT_CHANNEL = 'art_sync_variant_changed';

/**
 * One announced change: the trigger's JSON payload. `sku` is null when it was too long to send. `probe`
 * is set instead for the watcher's own test notification (sendProbe): whether NOTIFY reaches us at all.
 */
export interface VariantChange {
  id: number | null;
  sku: string | null;
  version: number | null;
  stock: number | null;
  probe?: string;
}

/** Parses a payload; anything not of the trigger's shape gives null (the watcher then polls instead). */
export function parseVariantChange(payload: string | undefined): VariantChange | null {
  if (payload === undefined) return null;
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const row = value as Record<string, unknown>;
  if (typeof row.probe === 'string') return { id: null, sku: null, version: null, stock: null, probe: row.probe };
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const sku = typeof row.sku === 'string' && row.sku !== '' ? row.sku : null;
  const id = num(row.id);
  if (sku === null && id === null) return null;
  return { id, sku, version: num(row.version), stock: num(row.stock) };
}

/** A LISTEN connection while it lasts. */
export interface ListenSession {
  /** Settles when the connection ends: an error (server gone) or close(). */
  readonly ended: Promise<void>;
  close(): Promise<void>;
}

/**
 * Connects and LISTENs. `onChange` gets each parsed notification (null for one it could not read).
 * Throws when the connection or the LISTEN fails (the caller retries with backoff).
 */
export async function listenForVariantChanges(config: pg.ClientConfig, onChange: (change: VariantChange | null) => void): Promise<ListenSession> {
  // keepAlive: a LISTEN connection is idle for hours; without TCP keepalives a silently dropped
  // connection (laptop sleep, NAT timeout) would look alive forever and deliver nothing.
  const client = new pg.Client({ ...config, keepAlive: true });
  let finish!: () => void;
  const ended = new Promise<void>((resolve) => (finish = resolve));
  let closed = false;
  client.on('error', () => finish());
  client.on('end', () => finish());
  client.on('notification', (message) => {
    if (message.channel === VARIANT_CHANNEL) onChange(parseVariantChange(message.payload));
  });
  try {
    await client.connect();
    await client.query(`LISTEN ${VARIANT_CHANNEL}`);
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  return {
    ended,
    async close() {
      if (closed) return;
      closed = true;
      await client.end().catch(() => undefined);
      finish();
    },
  };
}

/**
 * Sends a test notification on the channel from another connection (the pool's): a listener that does
 * not hear it is behind something that does not deliver notifications (a transaction-mode pooler, or
 * PGlite behind its socket, which hands a NOTIFY back to the connection that sent it).
 */
export async function sendProbe(db: PgQueryable, token: string): Promise<void> {
  await db.query('SELECT pg_notify($1, $2)', [VARIANT_CHANNEL, JSON.stringify({ probe: token })]);
}

/**
 * A cheap summary of every variant's stock and version: changes whenever one of them does (up to a
 * 64-bit hash sum colliding). No sort and one row back, so polling it costs the server one scan.
 */
export async function variantFingerprint(db: PgQueryable): Promise<string> {
  const result = await db.query<{ n: string; h: string | null }>(
    `SELECT count(*)::text AS n, sum(hashtext(sku || ':' || stock || ':' || version)::bigint)::text AS h FROM product_variants`,
  );
  const row = result.rows[0];
  return `${row?.n ?? '0'}/${row?.h ?? '0'}`;
}

export interface VariantState {
  sku: string;
  stock: number;
  version: number;
}

/** Every variant's (sku, stock, version). */
export async function readVariantStates(db: PgQueryable): Promise<VariantState[]> {
  const result = await db.query<VariantState>('SELECT sku, stock, version FROM product_variants');
  return result.rows.map((r) => ({ sku: r.sku, stock: Number(r.stock), version: Number(r.version) }));
}
