/**
 * Turns a failed write to the data folder (read-only folder or disk, full disk, no permission) into one
 * sentence a shop owner understands. SQLite writes in transactions, so when one of these happens the
 * database is still exactly as it was before the write; the sentence says so.
 */
import { AppError, isAppError } from '../../shared/errors';

const READ_ONLY = new Set(['SQLITE_READONLY', 'EROFS', 'EACCES', 'EPERM']);
const FULL = new Set(['SQLITE_FULL', 'ENOSPC', 'EDQUOT']);

function codeOf(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : null;
}

/** 'read-only' | 'full' | null for any other error. Looks through `cause` chains too. */
export function storageProblem(error: unknown): 'read-only' | 'full' | null {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = codeOf(e);
    if (code === null) continue;
    const base = code.startsWith('SQLITE_') ? code.replace(/^(SQLITE_[A-Z]+).*$/, '$1') : code;
    if (READ_ONLY.has(base) || code.startsWith('SQLITE_READONLY') || code === 'SQLITE_CANTOPEN') return 'read-only';
    if (FULL.has(base)) return 'full';
  }
  return null;
}

/** The AppError for a storage problem in `dataDir`, or null when `error` is something else. */
export function storageError(error: unknown, dataDir: string): AppError | null {
  const problem = storageProblem(error);
  if (problem === 'read-only') {
    return new AppError(
      'DATABASE_ERROR',
      `Art Sync cannot write to its data folder ${dataDir} (it is read-only or not yours); nothing was changed, and the last saved state is intact.`,
      { action: 'Make the data folder writable', cause: error },
    );
  }
  if (problem === 'full') {
    return new AppError(
      'DATABASE_ERROR',
      `The disk holding Art Sync's data folder ${dataDir} is full; nothing was changed, and the last saved state is intact.`,
      { action: 'Free some disk space', cause: error },
    );
  }
  return null;
}

/** Rethrows `error` as the storage sentence when it is one; otherwise unchanged. */
export function asStorageError(error: unknown, dataDir: string): unknown {
  if (isAppError(error) && storageProblem(error.cause) === null) return error;
  return storageError(error, dataDir) ?? error;
}
