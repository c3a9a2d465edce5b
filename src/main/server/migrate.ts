/**
 * Server (Postgres) migrations: drizzle-kit's files in drizzle/postgres, applied only by
 * `art-sync server migrate`, all missing ones in one transaction under an advisory lock (Postgres DDL is
 * transactional, so the server moves to this build's schema or stays as it was). Applied migrations are
 * recorded in `art_sync_schema_migrations`, not drizzle's own table, which the Art Management Tool may
 * use for its own migrations.
 */
import { fileURLToPath } from 'node:url';
import { readMigrationFiles, type MigrationMeta } from 'drizzle-orm/migrator';
import { AppError } from '../../shared/errors';
import type { PgQueryable } from './connection';

export const SERVER_MIGRATIONS_TABLE = 'art_sync_schema_migrations';
/** Arbitrary constant: serialises two `server migrate` runs against one database. */
const MIGRATE_LOCK_KEY = 7_241_930_117;

export function defaultServerMigrationsFolder(): string {
  return fileURLToPath(new URL('../../../drizzle/postgres', import.meta.url));
}

export function loadServerMigrations(folder: string = defaultServerMigrationsFolder()): MigrationMeta[] {
  try {
    return readMigrationFiles({ migrationsFolder: folder });
  } catch (cause) {
    throw new AppError('MIGRATION_FAILED', 'Art Sync could not find its server upgrade files; reinstall Art Sync.', { cause });
  }
}

export type SchemaState =
  | { state: 'current'; applied: number }
  | { state: 'missing' }
  | { state: 'behind'; applied: number; known: number }
  | { state: 'newer' };

/** Compares what the server has applied with what this build ships, without changing anything. */
export async function serverSchemaState(client: PgQueryable, known: readonly MigrationMeta[]): Promise<SchemaState> {
  const exists = await client.query<{ ok: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS ok`, [SERVER_MIGRATIONS_TABLE]);
  if (!exists.rows[0]?.ok) return { state: 'missing' };
  const rows = await client.query<{ created_at: string }>(`SELECT created_at FROM ${SERVER_MIGRATIONS_TABLE}`);
  const applied = new Set(rows.rows.map((r) => Number(r.created_at)));
  const knownMillis = new Set(known.map((m) => m.folderMillis));
  if ([...applied].some((millis) => !knownMillis.has(millis))) return { state: 'newer' };
  const missing = known.filter((m) => !applied.has(m.folderMillis)).length;
  if (missing > 0) return applied.size === 0 ? { state: 'missing' } : { state: 'behind', applied: applied.size, known: known.length };
  return { state: 'current', applied: applied.size };
}

/** Applies every missing migration in one transaction; returns the timestamps applied. */
export async function migrateServer(client: PgQueryable, known: readonly MigrationMeta[] = loadServerMigrations()): Promise<number[]> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATE_LOCK_KEY]);
    const state = await serverSchemaState(client, known);
    if (state.state === 'newer') {
      throw new AppError('SERVER_SCHEMA', 'The server was upgraded by a newer version of Art Sync; update Art Sync first.', {
        action: 'Update Art Sync',
      });
    }
    let done = new Set<number>();
    if (state.state !== 'missing' || (await tableExists(client, SERVER_MIGRATIONS_TABLE))) {
      const rows = await client.query<{ created_at: string }>(`SELECT created_at FROM ${SERVER_MIGRATIONS_TABLE}`);
      done = new Set(rows.rows.map((r) => Number(r.created_at)));
    }
    const todo = [...known].sort((a, b) => a.folderMillis - b.folderMillis).filter((m) => !done.has(m.folderMillis));
    for (const migration of todo) {
      for (const statement of migration.sql) {
        if (statement.trim() !== '') await client.query(statement);
      }
      await client.query(`INSERT INTO ${SERVER_MIGRATIONS_TABLE} (hash, created_at) VALUES ($1, $2)`, [migration.hash, migration.folderMillis]);
    }
    await client.query('COMMIT');
    return todo.map((m) => m.folderMillis);
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    if (error instanceof AppError) throw error;
    throw new AppError('MIGRATION_FAILED', `Art Sync could not upgrade the server's tables; nothing was changed (${pgMessage(error)}).`, {
      cause: error,
    });
  }
}

async function tableExists(client: PgQueryable, name: string): Promise<boolean> {
  const result = await client.query<{ ok: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS ok`, [name]);
  return result.rows[0]?.ok === true;
}

function pgMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
