/**
 * Use cases on a data folder that run with its database closed, so they are functions of the folder
 * and not Core methods: the backups kept there, and `art-sync restore` (which swaps the database file).
 * See docs/DATA_SAFETY.md.
 */
import path from 'node:path';
import { backupStatus, listBackups, type BackupFile, type BackupStatus, type RestoreNotice } from './store/backups';
import { restoreDatabase } from './store/db-recovery';
import { FolderLock } from './store/folder-lock';
import { DATABASE_FILE_NAME } from './store/open-store';

export function dataFolderBackups(dataDir: string): BackupStatus & { backups: BackupFile[] } {
  return { ...backupStatus(dataDir), backups: listBackups(dataDir) };
}

/**
 * Replaces the database with `from`, or with the newest good backup; the replaced file is kept in
 * quarantine. Refused while another process has the folder open (the folder lock says which).
 */
export function restoreDataFolder(dataDir: string, options: { from?: string; now: number }): RestoreNotice {
  const folder = path.resolve(dataDir);
  const lock = new FolderLock({ dataDir: folder });
  try {
    return restoreDatabase({ dataDir: folder, file: path.join(folder, DATABASE_FILE_NAME), now: options.now, lock, ...(options.from ? { from: options.from } : {}) });
  } finally {
    lock.close();
  }
}
