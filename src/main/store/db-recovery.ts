/**
 * A damaged database (docs/PRODUCT.md §10): found at open by SQLite's own check, moved aside (never
 * deleted), replaced by the newest backup that passes the same check, and the shop owner told what was
 * restored and from when. After a restore the product mirror is rebuilt from Etsy (its watermarks are
 * cleared, so the next product sync is a full pull) and receipts are read again from the backup's time.
 * The three-way merge needs nothing else: the backup's catalog, mirror and baselines are one consistent
 * snapshot, so what changed on Etsy since then is seen as Etsy-side change and counted once.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../../shared/errors';
import { humanTime } from '../../shared/text';
import { fileStamp, listBackups, writeRestoreNotice, type BackupFile, type RestoreNotice } from './backups';
import { FolderLock } from './folder-lock';

export const QUARANTINE_DIR_NAME = 'quarantine';

export type DatabaseHealth = { state: 'missing' } | { state: 'ok' } | { state: 'damaged'; detail: string };

const DAMAGE_CODES = /^SQLITE_(CORRUPT|NOTADB)/;

/**
 * `PRAGMA quick_check` on a file without changing a byte of it (the same in-memory copy trick as
 * migrate.ts's readAppliedMigrationsFromFile when there is no -wal file).
 */
export function checkDatabaseHealth(file: string, options: { nativeBinding?: string } = {}): DatabaseHealth {
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch {
    return { state: 'missing' };
  }
  if (size === 0) return { state: 'missing' };
  let probe: Database.Database | null = null;
  try {
    probe = openProbe(file, options);
    const rows = probe.pragma('quick_check') as { quick_check: string }[];
    const first = rows[0]?.quick_check ?? 'no answer';
    return first === 'ok' ? { state: 'ok' } : { state: 'damaged', detail: first };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && DAMAGE_CODES.test(code)) return { state: 'damaged', detail: (error as Error).message };
    // Anything else (no permission, a locked file) is not damage; opening it properly will say what it is.
    return { state: 'ok' };
  } finally {
    probe?.close();
  }
}

/** A read-only connection that changes no byte of `file` and creates no -wal/-shm next to it. */
function openProbe(file: string, options: { nativeBinding?: string }): Database.Database {
  if (fs.existsSync(`${file}-wal`)) return new Database(file, { readonly: true, fileMustExist: true, nativeBinding: options.nativeBinding });
  const bytes = fs.readFileSync(file);
  // An in-memory database cannot be in WAL mode: switch the copy's header to rollback mode (bytes 18/19).
  if (bytes.length >= 20 && bytes[18] === 2 && bytes[19] === 2) {
    bytes[18] = 1;
    bytes[19] = 1;
  }
  return new Database(bytes, { readonly: true, nativeBinding: options.nativeBinding });
}

/** The newest backup that passes quick_check, or null. */
export function newestGoodBackup(dataDir: string, options: { nativeBinding?: string } = {}): BackupFile | null {
  return listBackups(dataDir).find((b) => checkDatabaseHealth(b.path, options).state === 'ok') ?? null;
}

export interface RecoverOptions {
  dataDir: string;
  file: string;
  nativeBinding?: string;
  now: number;
}

/**
 * Quarantines a damaged database and restores the newest good backup. Holds the folder's sync lease
 * meanwhile (another process may be starting on the same folder); when that process already restored
 * it, returns null. Throws a clear DATABASE_ERROR when there is no good backup, leaving the file where
 * it is.
 */
export function recoverDamagedDatabase(options: RecoverOptions, detail: string): RestoreNotice | null {
  const lock = new FolderLock({ dataDir: options.dataDir, ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) });
  try {
    const lease = lock.acquireNow('sync', 'restoring a damaged database');
    try {
      if (checkDatabaseHealth(options.file, options).state !== 'damaged') return null;
      const backup = newestGoodBackup(options.dataDir, options);
      if (!backup) {
        throw new AppError(
          'DATABASE_ERROR',
          `Art Sync's database ${options.file} is damaged (${detail}) and there is no backup to restore it from; it was left where it is.`,
          { action: 'Restore a backup with "art-sync restore FILE"' },
        );
      }
      const movedTo = moveAside(options.file, path.join(options.dataDir, QUARANTINE_DIR_NAME), `art-sync-${fileStamp(options.now)}-damaged.db`);
      putInPlace(backup.path, options.file, backup.takenAt);
      const notice: RestoreNotice = {
        at: options.now,
        reason: 'damaged',
        restoredFrom: backup.path,
        backupTakenAt: backup.takenAt,
        movedTo,
        message: `Art Sync's database was damaged, so it was moved to ${movedTo} and the backup from ${humanTime(backup.takenAt)} was restored; the next sync reads your Etsy shop again, including the sales since then.`,
      };
      writeRestoreNotice(options.dataDir, notice);
      return notice;
    } finally {
      lease.release();
    }
  } finally {
    lock.close();
  }
}

/**
 * `art-sync restore [FILE]`: replaces the database with `from` (default: the newest good backup).
 * Refuses while another process (the app, the daemon) has the folder open, since it would keep writing
 * to the replaced file. The replaced database is moved to quarantine/, never deleted.
 */
export function restoreDatabase(options: RecoverOptions & { from?: string; lock: FolderLock }): RestoreNotice {
  const others = options.lock.otherOpeners();
  if (others.length > 0) {
    const who = others.map((o) => `${o.purpose.split(',')[0]} (pid ${o.pid} on ${o.host})`).join(', ');
    throw new AppError('SYNC_IN_PROGRESS', `Quit ${who} before restoring a backup; it is using this data folder.`, { action: 'Quit Art Sync' });
  }
  const lease = options.lock.acquireNow('sync', 'restoring a backup');
  try {
    let from = options.from ? path.resolve(options.from) : null;
    let takenAt: number | null = null;
    if (from === null) {
      const backup = newestGoodBackup(options.dataDir, options);
      if (!backup) throw new AppError('NOT_FOUND', `There is no backup in ${path.join(options.dataDir, 'backups')} to restore.`);
      from = backup.path;
      takenAt = backup.takenAt;
    } else {
      takenAt = listBackups(options.dataDir).find((b) => b.path === from)?.takenAt ?? null;
    }
    const health = checkDatabaseHealth(from, options);
    if (health.state === 'missing') throw new AppError('NOT_FOUND', `There is no database file at ${from}.`);
    if (health.state === 'damaged') throw new AppError('INVALID_INPUT', `The file ${from} is damaged (${health.detail}); nothing was restored.`);
    assertArtSyncDatabase(from, options);
    const movedTo = fs.existsSync(options.file)
      ? moveAside(options.file, path.join(options.dataDir, QUARANTINE_DIR_NAME), `art-sync-${fileStamp(options.now)}-replaced.db`)
      : null;
    putInPlace(from, options.file, takenAt ?? fs.statSync(from).mtimeMs);
    const when = takenAt !== null ? `the backup from ${humanTime(takenAt)}` : from;
    const notice: RestoreNotice = {
      at: options.now,
      reason: 'manual',
      restoredFrom: from,
      backupTakenAt: takenAt,
      movedTo,
      message: `Restored ${when}${movedTo ? `; the database it replaced was moved to ${movedTo}` : ''}; the next sync reads your Etsy shop again, including the sales since then.`,
    };
    writeRestoreNotice(options.dataDir, notice);
    return notice;
  } finally {
    lease.release();
  }
}

function assertArtSyncDatabase(file: string, options: { nativeBinding?: string }): void {
  const probe = openProbe(file, options);
  try {
    const row = probe.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'catalog_variants'`).get();
    if (row === undefined) throw new AppError('INVALID_INPUT', `The file ${file} is not an Art Sync database; nothing was restored.`);
  } finally {
    probe.close();
  }
}

/** Renames the database and its -wal/-shm together (SQLite needs them side by side to recover). */
function moveAside(file: string, folder: string, name: string): string {
  fs.mkdirSync(folder, { recursive: true });
  const target = path.join(folder, name);
  for (const suffix of ['', '-wal', '-shm', '-journal']) {
    if (fs.existsSync(`${file}${suffix}`)) fs.renameSync(`${file}${suffix}`, `${target}${suffix}`);
  }
  return target;
}

/**
 * Copies the backup into place (under a temporary name, then renamed) and marks what must be read
 * from Etsy again: the product mirror in full, and receipts from the backup's time.
 */
function putInPlace(from: string, file: string, takenAt: number): void {
  const partial = `${file}.restoring`;
  fs.copyFileSync(from, partial);
  const db = new Database(partial);
  try {
    db.pragma('journal_mode = DELETE'); // fold any WAL header state into the one file before the rename
    db.transaction(() => {
      const hasState = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sync_state'`).get();
      if (hasState === undefined) return;
      db.prepare(`DELETE FROM sync_state WHERE key IN ('products.updatedWatermarkTs', 'products.lastFullAt')`).run();
      const since = String(Math.floor(takenAt / 1000));
      db.prepare(
        `UPDATE sync_state SET value = ? WHERE key = 'receipts.lastModifiedWatermarkTs' AND CAST(value AS INTEGER) > CAST(? AS INTEGER)`,
      ).run(since, since);
    })();
  } finally {
    db.close();
  }
  fs.renameSync(partial, file);
}
