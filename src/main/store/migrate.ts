/**
 * Migration runner for the local store. It reads the migrations drizzle-kit generated into
 * drizzle/sqlite and keeps drizzle's own bookkeeping table (`__drizzle_migrations`), but adds what
 * drizzle's migrator lacks: it refuses a database written by a newer build (a migration this build
 * does not know) before touching the file, and it applies every missing migration in one transaction.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { readMigrationFiles, type MigrationMeta } from 'drizzle-orm/migrator';
import { AppError } from '../../shared/errors';

export type KnownMigration = MigrationMeta;

export interface AppliedMigration {
  hash: string;
  createdAt: number;
}

export const MIGRATIONS_TABLE = '__drizzle_migrations';

/**
 * Where the migrations live when running from source (src/main/store → repo root). A packaged or
 * bundled app has no meaningful import.meta.url for this, so it passes its own folder instead.
 */
export function defaultMigrationsFolder(): string {
  return fileURLToPath(new URL('../../../drizzle/sqlite', import.meta.url));
}

/** Reads the journal and SQL files; a missing or broken folder is this build's fault, not the user's. */
export function loadMigrations(folder: string = defaultMigrationsFolder()): KnownMigration[] {
  try {
    return readMigrationFiles({ migrationsFolder: folder });
  } catch (cause) {
    throw new AppError('MIGRATION_FAILED', 'Art Sync could not find its database upgrade files; reinstall Art Sync.', {
      cause,
    });
  }
}

const TOO_NEW_MESSAGE =
  'This data folder was written by a newer version of Art Sync; update Art Sync to open it.';

/**
 * Lists the migrations recorded in a database file without changing a byte of it.
 * Opening a WAL database read-only still makes SQLite create -wal and -shm files, so when no -wal
 * exists we load a copy of the bytes into memory instead. The copy's header is switched from WAL to
 * rollback mode (bytes 18/19) because an in-memory database cannot be opened in WAL mode.
 * When a -wal file already exists it may hold committed rows the main file lacks, so we must read
 * through SQLite; the extra files exist already in that case.
 */
export function readAppliedMigrationsFromFile(dbPath: string, options: { nativeBinding?: string } = {}): AppliedMigration[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dbPath);
  } catch {
    return []; // No file yet: a brand-new data folder.
  }
  if (stat.size === 0) return [];

  let probe: Database.Database;
  try {
    if (fs.existsSync(`${dbPath}-wal`)) {
      probe = new Database(dbPath, { readonly: true, fileMustExist: true, nativeBinding: options.nativeBinding });
    } else {
      const bytes = fs.readFileSync(dbPath);
      if (bytes.length >= 20 && bytes[18] === 2 && bytes[19] === 2) {
        bytes[18] = 1;
        bytes[19] = 1;
      }
      probe = new Database(bytes, { readonly: true, nativeBinding: options.nativeBinding });
    }
  } catch (cause) {
    throw new AppError('DATABASE_ERROR', `Art Sync could not read its database at ${dbPath}.`, { cause });
  }
  try {
    return readAppliedMigrations(probe);
  } catch (cause) {
    throw new AppError('DATABASE_ERROR', `The file ${dbPath} is not an Art Sync database.`, { cause });
  } finally {
    probe.close();
  }
}

/** Reads `__drizzle_migrations` through an open connection; no table means nothing applied. */
export function readAppliedMigrations(sqlite: Database.Database): AppliedMigration[] {
  const table = sqlite
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?`)
    .get(MIGRATIONS_TABLE);
  if (table === undefined) return [];
  const rows = sqlite
    .prepare(`SELECT hash, created_at AS createdAt FROM "${MIGRATIONS_TABLE}" ORDER BY created_at`)
    .all() as Array<{ hash: string; createdAt: number | string | null }>;
  return rows.map((r) => ({ hash: r.hash, createdAt: Number(r.createdAt) }));
}

/**
 * A recorded migration is "known" when this build has a migration with the same timestamp (drizzle's
 * own identity) or the same hash. Matching on the timestamp keeps a checkout with different line
 * endings (different hash, same migration) from being mistaken for a newer build.
 */
export function unknownMigrations(applied: AppliedMigration[], known: KnownMigration[]): AppliedMigration[] {
  const millis = new Set(known.map((m) => m.folderMillis));
  const hashes = new Set(known.map((m) => m.hash));
  return applied.filter((a) => !millis.has(a.createdAt) && !hashes.has(a.hash));
}

export function assertNotTooNew(applied: AppliedMigration[], known: KnownMigration[]): void {
  if (unknownMigrations(applied, known).length > 0) {
    throw new AppError('DATABASE_TOO_NEW', TOO_NEW_MESSAGE, { action: 'Update Art Sync' });
  }
}

/** The read-only gate run before a database file is opened for writing. */
export function checkDatabaseFileNotTooNew(
  dbPath: string,
  known: KnownMigration[],
  options: { nativeBinding?: string } = {},
): void {
  assertNotTooNew(readAppliedMigrationsFromFile(dbPath, options), known);
}

export interface MigrateResult {
  /** Timestamps (folderMillis) of the migrations applied by this call, oldest first. */
  applied: number[];
}

/**
 * Applies every migration not yet recorded, all in one IMMEDIATE transaction: either the database
 * moves to this build's schema or it stays exactly as it was. Foreign keys are switched off for the
 * duration (SQLite's documented procedure for schema changes, and drizzle-kit's table rebuilds rely
 * on it — PRAGMA foreign_keys is a no-op inside a transaction) and checked before committing.
 * Errors are never swallowed: they come back as MIGRATION_FAILED (or DATABASE_TOO_NEW) with the cause.
 */
export interface ApplyMigrationsOptions {
  /**
   * Called inside the write transaction, before the first statement, when an existing database is about
   * to be upgraded (not for a brand-new one): open-store.ts takes the pre-migration backup here. A throw
   * stops the upgrade with nothing changed.
   */
  beforeMigrate?: () => void;
}

export function applyMigrations(sqlite: Database.Database, known: KnownMigration[], options: ApplyMigrationsOptions = {}): MigrateResult {
  const fkWasOn = Number(sqlite.pragma('foreign_keys', { simple: true })) === 1;
  sqlite.pragma('foreign_keys = OFF');
  try {
    sqlite.exec('BEGIN IMMEDIATE');
    try {
      // Re-read inside the write lock: another process may have migrated since the read-only check.
      const applied = readAppliedMigrations(sqlite);
      assertNotTooNew(applied, known);
      const done = new Set(applied.map((a) => a.createdAt));
      const todo = [...known].sort((a, b) => a.folderMillis - b.folderMillis).filter((m) => !done.has(m.folderMillis));
      if (todo.length > 0) {
        if (applied.length > 0) options.beforeMigrate?.();
        sqlite.exec(
          `CREATE TABLE IF NOT EXISTS "${MIGRATIONS_TABLE}" (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)`,
        );
        const record = sqlite.prepare(`INSERT INTO "${MIGRATIONS_TABLE}" (hash, created_at) VALUES (?, ?)`);
        for (const migration of todo) {
          for (const statement of migration.sql) {
            if (statement.trim() !== '') sqlite.exec(statement);
          }
          record.run(migration.hash, migration.folderMillis);
        }
        const violations = sqlite.pragma('foreign_key_check') as unknown[];
        if (violations.length > 0) {
          throw new Error(`foreign key check failed after migrating (${violations.length} rows)`);
        }
      }
      sqlite.exec('COMMIT');
      return { applied: todo.map((m) => m.folderMillis) };
    } catch (error) {
      if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
      throw error;
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('MIGRATION_FAILED', 'Art Sync could not upgrade its database; nothing was changed.', {
      cause: error,
    });
  } finally {
    if (fkWasOn) sqlite.pragma('foreign_keys = ON');
  }
}
