/**
 * Two machines, one shop (issue 13 item 2; docs/DATA_SAFETY.md "Two machines on one server"): the
 * Postgres side of the per-shop sync lease (`etsy_sync_leases`) and of the baselines a machine leaves
 * for the next one (`etsy_link_baselines`).
 *
 * Why a lease row and not `pg_advisory_lock`: a session advisory lock lives as long as one connection,
 * so it would need a connection held open for the whole run — dropped by a laptop's Wi-Fi (the lock
 * silently gone while the run goes on) and meaningless behind a transaction-mode pooler — and it cannot
 * say who holds it. PGlite behind pglite-socket (what `npm test` runs) also serves one session at a
 * time, so a second machine's connection would stall instead of being refused. The row is taken with
 * one atomic INSERT … ON CONFLICT … WHERE (free, expired, or ours), renewed while the run goes, released
 * at the end, and taken over once its holder stops renewing it (died, lost the network). Times are the
 * server's clock.
 */
import type pg from 'pg';
import { AppError } from '../../shared/errors';

export interface LeaseHolder {
  machineId: string;
  host: string;
  pid: number;
  what: string;
}

export type TakenLease =
  /** takeoverFrom: the machine that took the lease before this one, when it was another machine. */
  | { taken: true; takeoverFrom: { machineId: string; host: string } | null }
  | { taken: false; heldBy: HeldBy };

export interface HeldBy {
  host: string;
  pid: number | null;
  what: string | null;
  since: Date | null;
}

export interface LinkBaseline {
  listingId: number;
  productKey: string;
  sku: string;
  baselineEtsy: number;
  baselineCatalog: number;
}

/** Takes the shop's lease for `ttlMs`, or says which machine holds it. */
export async function takeShopLease(pool: pg.Pool, shopId: number, me: LeaseHolder, ttlMs: number): Promise<TakenLease> {
  // prior_* = the row's last_* before this statement (SET expressions read the old row), so a takeover
  // is known from the same atomic statement that takes the lease.
  const taken = await pool.query<{ prior_machine_id: string | null; prior_host: string | null }>(
    `INSERT INTO etsy_sync_leases AS l (shop_id, holder_machine_id, holder_host, holder_pid, holder_what, since, expires_at,
       last_machine_id, last_host, last_started_at, prior_machine_id, prior_host, updated_at)
     VALUES ($1, $2, $3, $4, $5, now(), now() + $6 * interval '1 millisecond', $2, $3, now(), NULL, NULL, now())
     ON CONFLICT (shop_id) DO UPDATE SET holder_machine_id = excluded.holder_machine_id, holder_host = excluded.holder_host,
       holder_pid = excluded.holder_pid, holder_what = excluded.holder_what, since = now(), expires_at = excluded.expires_at,
       prior_machine_id = l.last_machine_id, prior_host = l.last_host,
       last_machine_id = excluded.last_machine_id, last_host = excluded.last_host, last_started_at = now(), updated_at = now()
     WHERE l.holder_machine_id IS NULL OR l.expires_at IS NULL OR l.expires_at < now() OR l.holder_machine_id = excluded.holder_machine_id
     RETURNING prior_machine_id, prior_host`,
    // Our own machine id still holding it means a process of ours died: this data folder's own lease
    // (store/folder-lock.ts) already lets only one process of this folder sync at a time.
    [shopId, me.machineId, me.host, me.pid, me.what, ttlMs],
  );
  const row = taken.rows[0];
  if (row) {
    const prior = row.prior_machine_id;
    const takeoverFrom = prior !== null && prior !== me.machineId ? { machineId: prior, host: row.prior_host ?? 'another machine' } : null;
    return { taken: true, takeoverFrom };
  }
  const heldBy = await shopLeaseHolder(pool, shopId);
  return { taken: false, heldBy: heldBy ?? { host: 'another machine', pid: null, what: null, since: null } };
}

/** Extends the lease; false when it is no longer ours (expired and taken over). */
export async function renewShopLease(pool: pg.Pool, shopId: number, machineId: string, ttlMs: number): Promise<boolean> {
  const renewed = await pool.query(
    `UPDATE etsy_sync_leases SET expires_at = now() + $3 * interval '1 millisecond', updated_at = now()
     WHERE shop_id = $1 AND holder_machine_id = $2 AND expires_at >= now()`,
    [shopId, machineId, ttlMs],
  );
  return (renewed.rowCount ?? 0) > 0;
}

/**
 * Leaves this machine's baselines for the next machine and, with `free`, frees the lease — in one
 * transaction, and only while the lease is still this machine's: a machine taking over either sees the
 * lease held or the baselines of the run that held it. Returns false when the lease was no longer ours.
 */
export async function leaveShopBaselines(
  pool: pg.Pool,
  shopId: number,
  machineId: string,
  baselines: readonly LinkBaseline[],
  free: boolean,
): Promise<boolean> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('BEGIN');
    const mine = await client.query(`SELECT 1 FROM etsy_sync_leases WHERE shop_id = $1 AND holder_machine_id = $2 FOR UPDATE`, [shopId, machineId]);
    if ((mine.rowCount ?? 0) > 0) {
      if (baselines.length > 0) {
        await client.query(
          `INSERT INTO etsy_link_baselines (shop_id, listing_id, product_key, sku, baseline_etsy, baseline_catalog, machine_id, updated_at)
           SELECT $1, b.listing_id, b.product_key, b.sku, b.baseline_etsy, b.baseline_catalog, $2, now()
           FROM unnest($3::bigint[], $4::text[], $5::text[], $6::integer[], $7::integer[])
             AS b (listing_id, product_key, sku, baseline_etsy, baseline_catalog)
           ON CONFLICT (shop_id, listing_id, product_key) DO UPDATE SET sku = excluded.sku, baseline_etsy = excluded.baseline_etsy,
             baseline_catalog = excluded.baseline_catalog, machine_id = excluded.machine_id, updated_at = now()`,
          [
            shopId,
            machineId,
            baselines.map((b) => b.listingId),
            baselines.map((b) => b.productKey),
            baselines.map((b) => b.sku),
            baselines.map((b) => b.baselineEtsy),
            baselines.map((b) => b.baselineCatalog),
          ],
        );
      }
      if (free) {
        await client.query(
          `UPDATE etsy_sync_leases SET holder_machine_id = NULL, holder_host = NULL, holder_pid = NULL, holder_what = NULL,
             since = NULL, expires_at = NULL, updated_at = now() WHERE shop_id = $1`,
          [shopId],
        );
      }
    }
    // Not ours any more (it expired and another machine took it): that machine's baselines count.
    await client.query('COMMIT');
    return (mine.rowCount ?? 0) > 0;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {
      broken = true;
    });
    throw error;
  } finally {
    client.release(broken);
  }
}

/** The baselines the last machine left for the shop. */
export async function readShopBaselines(pool: pg.Pool, shopId: number): Promise<LinkBaseline[]> {
  const rows = await pool.query<{ listing_id: string; product_key: string; sku: string; baseline_etsy: number; baseline_catalog: number }>(
    `SELECT listing_id, product_key, sku, baseline_etsy, baseline_catalog FROM etsy_link_baselines WHERE shop_id = $1`,
    [shopId],
  );
  return rows.rows.map((r) => ({
    listingId: Number(r.listing_id),
    productKey: r.product_key,
    sku: r.sku,
    baselineEtsy: r.baseline_etsy,
    baselineCatalog: r.baseline_catalog,
  }));
}

/** Who holds the shop's lease now (not expired), or null. */
export async function shopLeaseHolder(pool: pg.Pool, shopId: number): Promise<HeldBy | null> {
  const held = await pool.query<{ holder_host: string | null; holder_pid: number | null; holder_what: string | null; since: Date | null }>(
    `SELECT holder_host, holder_pid, holder_what, since FROM etsy_sync_leases
     WHERE shop_id = $1 AND holder_machine_id IS NOT NULL AND expires_at >= now()`,
    [shopId],
  );
  const row = held.rows[0];
  return row ? { host: row.holder_host ?? 'another machine', pid: row.holder_pid, what: row.holder_what, since: row.since } : null;
}

/** "studio (pid 4242, inventory sync, since 2026-12-02 17:20:03 UTC)". */
export function describeHolder(held: HeldBy): string {
  const details = [
    held.pid !== null ? `pid ${held.pid}` : null,
    held.what,
    held.since ? `since ${held.since.toISOString().replace('T', ' ').slice(0, 19)} UTC` : null,
  ].filter((part): part is string => part !== null);
  return details.length > 0 ? `${held.host} (${details.join(', ')})` : held.host;
}

export function shopBusyError(held: HeldBy): AppError {
  return new AppError(
    'SYNC_IN_PROGRESS',
    `Another machine, ${describeHolder(held)}, is syncing this Etsy shop through the server; this sync did not run, so try again when it has finished.`,
    { action: 'Try again later' },
  );
}
