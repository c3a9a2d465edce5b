/**
 * Rolling backups of the local database (docs/PRODUCT.md §10, docs/DATA_SAFETY.md). They live in
 * `<data folder>/backups/` as plain SQLite files named `art-sync-<UTC time>-<reason>.db`:
 *
 * - daily: when the app or daemon starts or a sync finishes and the newest backup is over 24 h old
 *   (SQLite's online backup API, so other processes keep writing meanwhile); 7 kept.
 * - pre-migration: a snapshot taken inside the upgrade's write transaction, so it is exactly the
 *   database the upgrade started from; 3 kept.
 * - manual (`art-sync backup`): 10 kept. pre-restore (the database replaced by `art-sync restore`): 3 kept.
 *
 * The last automatic restore is recorded in `backups/last-restore.json` so status can say what was
 * restored and from when.
 */
import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';

export const BACKUP_DIR_NAME = 'backups';
export const RESTORE_NOTICE_FILE = 'last-restore.json';
export const DAILY_MS = 24 * 60 * 60 * 1000;

export type BackupReason = 'daily' | 'pre-migration' | 'manual' | 'pre-restore';

export const BACKUPS_KEPT: Record<BackupReason, number> = { daily: 7, 'pre-migration': 3, manual: 10, 'pre-restore': 3 };

export interface BackupFile {
  path: string;
  reason: BackupReason;
  takenAt: number;
  bytes: number;
}

export interface RestoreNotice {
  /** When the restore happened. */
  at: number;
  reason: 'damaged' | 'manual';
  /** The backup (or the file named to `art-sync restore`) the database now comes from. */
  restoredFrom: string;
  /** When that backup was taken (ms), null for a file not made by Art Sync. */
  backupTakenAt: number | null;
  /** Where the replaced database went (never deleted). */
  movedTo: string | null;
  /** One sentence for the CLI, the window and status. */
  message: string;
}

export interface BackupStatus {
  folder: string;
  count: number;
  totalBytes: number;
  newestAt: number | null;
  newestPath: string | null;
  lastRestore: RestoreNotice | null;
}

const NAME = /^art-sync-(\d{8})-(\d{9})-(daily|pre-migration|manual|pre-restore)\.db$/;

export function backupFolder(dataDir: string): string {
  return path.join(path.resolve(dataDir), BACKUP_DIR_NAME);
}

/** "20261202-172500123": sorts by time, no characters Windows forbids in a file name. */
export function fileStamp(at: number): string {
  const iso = new Date(at).toISOString(); // 2026-12-02T17:25:00.123Z
  return `${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 23).replaceAll(':', '').replace('.', '')}`;
}


export function backupPath(dataDir: string, reason: BackupReason, at: number): string {
  return path.join(backupFolder(dataDir), `art-sync-${fileStamp(at)}-${reason}.db`);
}

/** The backups in the folder, newest first. Files with other names are left alone. */
export function listBackups(dataDir: string): BackupFile[] {
  const folder = backupFolder(dataDir);
  let names: string[];
  try {
    names = fs.readdirSync(folder);
  } catch {
    return [];
  }
  const files: BackupFile[] = [];
  for (const name of names) {
    const match = NAME.exec(name);
    if (!match) continue;
    const [, day, time, reason] = match as unknown as [string, string, string, BackupReason];
    const takenAt = Date.UTC(+day.slice(0, 4), +day.slice(4, 6) - 1, +day.slice(6, 8), +time.slice(0, 2), +time.slice(2, 4), +time.slice(4, 6), +time.slice(6, 9));
    try {
      files.push({ path: path.join(folder, name), reason, takenAt, bytes: fs.statSync(path.join(folder, name)).size });
    } catch {
      // Pruned by another process meanwhile.
    }
  }
  return files.sort((a, b) => b.takenAt - a.takenAt);
}

/** Online backup (other connections keep reading and writing); written under a temporary name first. */
export async function backupDatabase(sqlite: Database.Database, dataDir: string, reason: BackupReason, now: number): Promise<BackupFile> {
  const target = backupPath(dataDir, reason, now);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const partial = `${target}.partial`;
  try {
    await sqlite.backup(partial);
    fs.renameSync(partial, target);
  } finally {
    fs.rmSync(partial, { force: true });
  }
  pruneBackups(dataDir, reason);
  return { path: target, reason, takenAt: now, bytes: fs.statSync(target).size };
}

/** Copies a database to a file of the user's choosing (`art-sync backup FILE`). */
export async function backupDatabaseTo(sqlite: Database.Database, file: string): Promise<void> {
  const partial = `${file}.partial`;
  try {
    await sqlite.backup(partial);
    fs.renameSync(partial, file);
  } finally {
    fs.rmSync(partial, { force: true });
  }
}

/**
 * A synchronous snapshot through the same connection (sqlite3_serialize), for the migration runner,
 * which works inside one write transaction: the copy is exactly what the upgrade starts from.
 */
export function snapshotDatabase(sqlite: Database.Database, dataDir: string, reason: BackupReason, now: number): BackupFile {
  const target = backupPath(dataDir, reason, now);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const partial = `${target}.partial`;
  fs.writeFileSync(partial, sqlite.serialize());
  fs.renameSync(partial, target);
  pruneBackups(dataDir, reason);
  return { path: target, reason, takenAt: now, bytes: fs.statSync(target).size };
}

/** Takes the daily backup when the newest backup of any kind is older than a day. */
export async function dailyBackupIfDue(sqlite: Database.Database, dataDir: string, now: number): Promise<BackupFile | null> {
  const newest = listBackups(dataDir)[0];
  if (newest && now - newest.takenAt < DAILY_MS) return null;
  return backupDatabase(sqlite, dataDir, 'daily', now);
}

export function pruneBackups(dataDir: string, reason: BackupReason): void {
  const keep = BACKUPS_KEPT[reason];
  for (const old of listBackups(dataDir).filter((b) => b.reason === reason).slice(keep)) {
    fs.rmSync(old.path, { force: true });
  }
}

export function writeRestoreNotice(dataDir: string, notice: RestoreNotice): void {
  const file = path.join(backupFolder(dataDir), RESTORE_NOTICE_FILE);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(`${file}.partial`, JSON.stringify(notice, null, 2));
  fs.renameSync(`${file}.partial`, file);
}

export function readRestoreNotice(dataDir: string): RestoreNotice | null {
  try {
    const value = JSON.parse(fs.readFileSync(path.join(backupFolder(dataDir), RESTORE_NOTICE_FILE), 'utf8')) as RestoreNotice;
    return typeof value.message === 'string' && typeof value.at === 'number' ? value : null;
  } catch {
    return null;
  }
}

/** For status (helper "core" builds the status model): how many backups, their size, the newest, the last restore. */
export function backupStatus(dataDir: string): BackupStatus {
  const backups = listBackups(dataDir);
  return {
    folder: backupFolder(dataDir),
    count: backups.length,
    totalBytes: backups.reduce((sum, b) => sum + b.bytes, 0),
    newestAt: backups[0]?.takenAt ?? null,
    newestPath: backups[0]?.path ?? null,
    lastRestore: readRestoreNotice(dataDir),
  };
}
