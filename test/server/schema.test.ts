import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadServerMigrations, migrateServer, serverSchemaState } from '../../src/main/server/migrate';
import { startTestPg, type TestPg } from './pg-harness';

let pg: TestPg;
beforeEach(async () => {
  pg = await startTestPg();
});
afterEach(async () => {
  await pg.close();
});

const TABLES = [
  'products',
  'product_variants',
  'etsy_sync_config',
  'etsy_products',
  'etsy_inventory_sync_log',
  'etsy_sync_leases',
  'etsy_link_baselines',
  'art_sync_schema_migrations',
];

describe('server schema', () => {
  it('is missing until migrated, then current; a second migrate changes nothing', async () => {
    const known = loadServerMigrations();
    const client = await pg.admin.connect();
    try {
      expect(await serverSchemaState(client, known)).toEqual({ state: 'missing' });
      expect((await migrateServer(client, known)).length).toBe(known.length);
      expect(await serverSchemaState(client, known)).toEqual({ state: 'current', applied: known.length });
      expect(await migrateServer(client, known)).toEqual([]);
      // A build that knows fewer migrations sees a newer server.
      expect(await serverSchemaState(client, known.slice(0, 1))).toEqual({ state: 'newer' });
    } finally {
      client.release();
    }
  });

  it('has every table with foreign keys, a unique SKU, and a comment on every table and column', async () => {
    const client = await pg.admin.connect();
    try {
      await migrateServer(client);
      const uncommented = await client.query<{ what: string }>(
        `SELECT c.relname || coalesce('.' || a.attname, '') AS what
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
         WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname = ANY($1)
           AND obj_description(c.oid, 'pg_class') IS NULL
         UNION ALL
         SELECT c.relname || '.' || a.attname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
         WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname = ANY($1) AND col_description(c.oid, a.attnum) IS NULL`,
        [TABLES],
      );
      expect(uncommented.rows.map((r) => r.what)).toEqual([]);
      const fks = await client.query<{ name: string }>(`SELECT conname AS name FROM pg_constraint WHERE contype = 'f' ORDER BY conname`);
      expect(fks.rows.map((r) => r.name)).toEqual([
        'etsy_inventory_sync_log_variant_id_product_variants_id_fk',
        'etsy_products_product_id_products_id_fk',
        'etsy_products_variant_id_product_variants_id_fk',
        'product_variants_product_id_products_id_fk',
      ]);
      await client.query(`INSERT INTO products (title) VALUES ('Print')`);
      await client.query(`INSERT INTO product_variants (product_id, sku, price_amount, currency, stock) VALUES (1, 'A', 100, 'USD', 1)`);
      await expect(client.query(`INSERT INTO product_variants (product_id, sku, price_amount, currency, stock) VALUES (1, 'A', 100, 'USD', 1)`)).rejects.toThrow(/unique/i);
      await expect(client.query(`UPDATE product_variants SET stock = -1 WHERE sku = 'A'`)).rejects.toThrow(/check/i);
    } finally {
      client.release();
    }
  });
});
