/**
 * Opens (creating if needed) the local SQLite store in a data folder: restores the newest good backup
 * when the file is damaged (db-recovery.ts), refuses a database from a newer build without touching it,
 * backs it up and applies missing migrations, and sets the connection pragmas.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { AppError, isAppError } from '../../shared/errors';
import { snapshotDatabase, type RestoreNotice } from './backups';
import { checkDatabaseHealth, recoverDamagedDatabase } from './db-recovery';
import { applyMigrations, checkDatabaseFileNotTooNew, loadMigrations } from './migrate';
import { storageError } from './storage-errors';
import * as schema from './schema';

export const DATABASE_FILE_NAME = 'art-sync.db';

export type StoreDb = BetterSQLite3Database<typeof schema>;

export interface Store {
  /** The raw connection, for pragmas, prepared statements and `sqlite.transaction`. */
  sqlite: Database.Database;
  /** Drizzle over the same connection, typed with the schema. */
  db: StoreDb;
  /** Absolute path of the database file. */
  path: string;
  /** Absolute path of the data folder. */
  dataDir: string;
  /** Set when this open found the database damaged and restored a backup: what to tell the shop owner. */
  recovered: RestoreNotice | null;
  close(): void;
}

export interface OpenStoreOptions {
  dataDir: string;
  /** Folder with drizzle-kit's output; defaults to the repo's drizzle/sqlite (see migrate.ts). */
  migrationsFolder?: string;
  /**
   * Path to a better-sqlite3 `.node` built for the running runtime. Electron needs its own ABI build
   * (scripts/start.mjs passes it as ART_SYNC_SQLITE_BINDING); plain Node leaves this unset.
   */
  nativeBinding?: string;
  /** Clock for backup names and the restore notice (tests). */
  now?: () => number;
}

export function openStore(options: OpenStoreOptions): Store {
  const dataDir = path.resolve(options.dataDir);
  const file = path.join(dataDir, DATABASE_FILE_NAME);
  const known = loadMigrations(options.migrationsFolder);
  const now = options.now ?? Date.now;
  const binding = options.nativeBinding ? { nativeBinding: options.nativeBinding } : {};

  try {
    fs.mkdirSync(dataDir, { recursive: true });
  } catch (cause) {
    throw storageError(cause, dataDir) ?? new AppError('DATABASE_ERROR', `Art Sync could not create its data folder at ${dataDir}.`, { cause });
  }

  // A damaged file is found before anything else reads it (else it reads as "not an Art Sync database").
  let recovered: RestoreNotice | null = null;
  const health = checkDatabaseHealth(file, binding);
  if (health.state === 'damaged') recovered = recoverDamagedDatabase({ dataDir, file, now: now(), ...binding }, health.detail);

  // Before anything can write (even the WAL pragma rewrites the header): refuse a newer database.
  checkDatabaseFileNotTooNew(file, known, { nativeBinding: options.nativeBinding });

  let sqlite: Database.Database;
  try {
    sqlite = new Database(file, { nativeBinding: options.nativeBinding });
  } catch (cause) {
    throw new AppError('DATABASE_ERROR', `Art Sync could not open its database at ${file}.`, { cause });
  }

  try {
    // busy_timeout first so the following statements wait for the desktop app / CLI instead of failing.
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('journal_mode = WAL');
    // FULL, not WAL's usual NORMAL: a commit that records "about to write to Etsy" (pending_writes) or a
    // new baseline must survive a power cut, or a sale could be applied twice. Per-commit cost is small
    // at our write volume, so one setting for every commit is simpler than switching per transaction.
    sqlite.pragma('synchronous = FULL');
    applyMigrations(sqlite, known, { beforeMigrate: () => void snapshotDatabase(sqlite, dataDir, 'pre-migration', now()) });
    sqlite.pragma('foreign_keys = ON');
  } catch (error) {
    sqlite.close();
    const storage = storageError(isAppError(error) ? error.cause ?? error : error, dataDir);
    if (storage) throw storage;
    if (isAppError(error)) throw error;
    throw new AppError('DATABASE_ERROR', `Art Sync could not prepare its database at ${file}.`, { cause: error });
  }

  const db = drizzle(sqlite, { schema });
  return {
    sqlite,
    db,
    path: file,
    dataDir,
    recovered,
    close: () => {
      if (sqlite.open) sqlite.close();
    },
  };
}
