/**
 * Server link: pushing history rows to Postgres through the real outbox relay (src/main/server) vs a
 * raw batched INSERT of the same rows — same statement per row (variant lookup, ON CONFLICT DO
 * NOTHING), batches of the relay's size in one transaction each, but one multi-row INSERT per batch
 * instead of one round trip per row. Postgres is PGlite behind pglite-socket (over TCP, as the app
 * reaches a server), or ART_SYNC_BENCH_PG_URL when set.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import pg from 'pg';
import { DEFAULT_SETTINGS } from '../src/shared/settings';
import { migrateServer } from '../src/main/server/migrate';
import { OutboxRepo } from '../src/main/store/outbox-repo';
import { OutboxRelay } from '../src/main/server/outbox-relay';
import { openStore } from '../src/main/store/open-store';
import { RunsRepo } from '../src/main/store/runs-repo';
import type { ServerResult } from './server-result';
import type { HistorySql } from '../src/main/store/outbox-repo';

const BATCH = 200;

export async function benchServer(options: { rows: number; log(line: string): void }): Promise<ServerResult> {
  const external = process.env.ART_SYNC_BENCH_PG_URL;
  let lite: { db: PGlite; server: PGLiteSocketServer } | null = null;
  let poolConfig: pg.PoolConfig;
  if (external) {
    poolConfig = { connectionString: external, max: 1 };
  } else {
    const db = await PGlite.create();
    const server = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1' });
    await server.start();
    lite = { db, server };
    poolConfig = { host: '127.0.0.1', port: Number(server.getServerConn().split(':')[1]), user: 'postgres', database: 'postgres', max: 1 };
  }
  const pool = new pg.Pool(poolConfig);
  pool.on('error', () => undefined);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'art-sync-bench-server-'));
  const store = openStore({ dataDir });
  try {
    const client = await pool.connect();
    try {
      await migrateServer(client);
      await client.query('TRUNCATE etsy_inventory_sync_log');
    } finally {
      client.release();
    }

    // History as a sync writes it; the outbox triggers queue each row.
    const outbox = new OutboxRepo(store.sqlite, Date.now);
    outbox.enable();
    const runId = new RunsRepo(store.sqlite).startRun({ kind: 'inventory', trigger: 'manual', dryRun: false }, Date.now());
    const insert = store.sqlite.prepare(
      `INSERT INTO change_history (run_id, at, sku, listing_id, side, field, before_value, after_value, reason, explanation, receipt_ids, status)
       VALUES (?, ?, ?, ?, ?, 'quantity', ?, ?, ?, ?, ?, 'applied')`,
    );
    const base = Date.now() - options.rows * 1000;
    store.sqlite.transaction(() => {
      for (let i = 0; i < options.rows; i += 1) {
        const sold = i % 2 === 0;
        insert.run(runId, base + i * 1000, `PRINT-${String(i % 997).padStart(4, '0')}-A4`, 1_000_000 + (i % 5000), sold ? 'catalog' : 'etsy',
          String(5 + (i % 7)), String(4 + (i % 7)), sold ? 'sold_on_etsy' : 'edited_locally',
          sold ? `Sold on Etsy (receipt ${3_000_000 + i}).` : 'Stock edited in Art Sync.', sold ? `[${3_000_000 + i}]` : '[]');
      }
    })();
    const queued = outbox.pendingCount();

    const relay = new OutboxRelay({ outbox, pool: async () => pool, settings: () => DEFAULT_SETTINGS, batchSize: BATCH });
    let started = performance.now();
    const sent = await relay.drain();
    const pushMs = performance.now() - started;
    const pushed = await count(pool);
    if (sent !== queued || pushed < options.rows) throw new Error(`The relay sent ${sent} of ${queued} queued rows; the server has ${pushed}.`);
    options.log(`  relay: ${sent} rows in ${(pushMs / 1000).toFixed(2)} s`);

    // The same rows, raw: rebuilt from the local history before the clock starts.
    const rows = store.sqlite
      .prepare('SELECT id, run_id, at, sku, listing_id, side, field, before_value, after_value, reason, explanation, receipt_ids, status FROM change_history ORDER BY id')
      .all() as HistoryRow[];
    const batches: unknown[][] = [];
    for (let i = 0; i < rows.length; i += BATCH) batches.push(rows.slice(i, i + BATCH).flatMap(rawValues));
    await pool.query('TRUNCATE etsy_inventory_sync_log');
    started = performance.now();
    for (const values of batches) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query(rawInsertSql(values.length / COLUMNS), values);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    }
    const rawInsertMs = performance.now() - started;
    const inserted = await count(pool);
    if (inserted < options.rows) throw new Error(`The raw insert left ${inserted} of ${options.rows} rows.`);
    options.log(`  raw batched insert: ${inserted} rows in ${(rawInsertMs / 1000).toFixed(2)} s`);

    return {
      measured: true,
      rows: options.rows,
      batches: Math.ceil(queued / BATCH),
      target: external ? 'ART_SYNC_BENCH_PG_URL' : 'PGlite via pglite-socket',
      pushMs,
      rawInsertMs,
    };
  } finally {
    store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    await pool.end().catch(() => undefined);
    if (lite) {
      await lite.server.stop();
      await lite.db.close();
    }
  }
}

type HistoryRow = HistorySql;

const COLUMNS = 14;

/** The relay's values for one row (outbox-relay.ts sendHistory), parameters in the same order; a fresh event id. */
function rawValues(row: HistoryRow): unknown[] {
  return [
    crypto.randomUUID(), row.at, row.sku, row.listing_id, row.side, row.field,
    row.before_value ?? 'null', row.after_value ?? 'null', row.reason, row.explanation, row.receipt_ids, row.run_id, row.status, row.id,
  ];
}

function rawInsertSql(rowCount: number): string {
  const tuples: string[] = [];
  for (let r = 0; r < rowCount; r += 1) {
    const p = (i: number): string => `$${r * COLUMNS + i}`;
    tuples.push(
      `(${p(1)}, to_timestamp(${p(2)}::double precision / 1000), ${p(3)}::text, (SELECT id FROM product_variants WHERE sku = ${p(3)}::text), ${p(4)}::bigint, ${p(5)}, ${p(6)}, ` +
        `${p(7)}::jsonb, ${p(8)}::jsonb, ${p(9)}, ${p(10)}, ${p(11)}::jsonb, ${p(12)}::bigint, ${p(13)}, NULL, ${p(14)}::bigint)`,
    );
  }
  return `INSERT INTO etsy_inventory_sync_log (event_id, at, sku, variant_id, listing_id, side, field, before_value, after_value,
    reason, explanation, receipt_ids, run_id, status, error, local_id) VALUES ${tuples.join(', ')} ON CONFLICT (event_id) DO NOTHING`;
}

async function count(pool: pg.Pool): Promise<number> {
  const result = await pool.query<{ n: string }>('SELECT count(*) AS n FROM etsy_inventory_sync_log');
  return Number(result.rows[0]?.n ?? 0);
}
