/**
 * Leases that several processes on one data folder take in turn (the window, `art-sync daemon`, a cron
 * `art-sync sync`): "sync" for a sync run, "etsy-token" for a token refresh. They live in their own
 * small SQLite file next to the database, not in it, so the lease can be held while the database
 * itself is checked, quarantined or restored. The file holds nothing else; deleting it while no Art
 * Sync process runs loses nothing. Policy (who may take a lease, when one is stale) is in
 * folder-lock.ts; this file only owns the SQL.
 */
import path from 'node:path';
import Database from 'better-sqlite3';

export const LOCKS_FILE_NAME = 'art-sync.locks.db';

export interface LeaseRow {
  name: string;
  /** Random per acquisition: release and heartbeat only touch the lease they took. */
  token: string;
  pid: number;
  host: string;
  /** What the holder is doing, in words ("art-sync sync, inventory sync"). */
  purpose: string;
  since: number;
  heartbeatAt: number;
}

export type TakeResult = { taken: true } | { taken: false; holder: LeaseRow };

export class LeaseRepo {
  private readonly sqlite: Database.Database;

  private constructor(sqlite: Database.Database) {
    this.sqlite = sqlite;
  }

  static open(dataDir: string, options: { nativeBinding?: string } = {}): LeaseRepo {
    const sqlite = new Database(path.join(dataDir, LOCKS_FILE_NAME), { nativeBinding: options.nativeBinding });
    try {
      sqlite.pragma('busy_timeout = 5000');
      // A rollback journal, not WAL: the file is tiny and a lease must be visible to the next reader at once.
      sqlite.exec(`CREATE TABLE IF NOT EXISTS lease (
        name TEXT PRIMARY KEY NOT NULL,
        token TEXT NOT NULL,
        pid INTEGER NOT NULL,
        host TEXT NOT NULL,
        purpose TEXT NOT NULL,
        since INTEGER NOT NULL,
        heartbeat_at INTEGER NOT NULL
      )`);
    } catch (error) {
      sqlite.close();
      throw error;
    }
    return new LeaseRepo(sqlite);
  }

  /**
   * Takes the lease when it is free, already ours, or `isStale(holder)`; all inside one BEGIN IMMEDIATE
   * so two processes can never both see it free.
   */
  tryTake(candidate: LeaseRow, isStale: (holder: LeaseRow) => boolean): TakeResult {
    this.sqlite.exec('BEGIN IMMEDIATE');
    try {
      const holder = this.current(candidate.name);
      if (holder && holder.token !== candidate.token && !isStale(holder)) {
        this.sqlite.exec('COMMIT');
        return { taken: false, holder };
      }
      this.sqlite
        .prepare(
          `INSERT INTO lease (name, token, pid, host, purpose, since, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (name) DO UPDATE SET token = excluded.token, pid = excluded.pid, host = excluded.host,
             purpose = excluded.purpose, since = excluded.since, heartbeat_at = excluded.heartbeat_at`,
        )
        .run(candidate.name, candidate.token, candidate.pid, candidate.host, candidate.purpose, candidate.since, candidate.heartbeatAt);
      this.sqlite.exec('COMMIT');
      return { taken: true };
    } catch (error) {
      if (this.sqlite.inTransaction) this.sqlite.exec('ROLLBACK');
      throw error;
    }
  }

  current(name: string): LeaseRow | undefined {
    return this.sqlite
      .prepare(
        `SELECT name, token, pid, host, purpose, since, heartbeat_at AS heartbeatAt FROM lease WHERE name = ?`,
      )
      .get(name) as LeaseRow | undefined;
  }

  /** Every lease whose name starts with `prefix` (the "open:" registrations of processes using the folder). */
  listByPrefix(prefix: string): LeaseRow[] {
    return this.sqlite
      .prepare(
        `SELECT name, token, pid, host, purpose, since, heartbeat_at AS heartbeatAt FROM lease WHERE substr(name, 1, ?) = ?`,
      )
      .all(prefix.length, prefix) as LeaseRow[];
  }

  /** Returns false when the lease is no longer ours (another process judged it stale and took it). */
  heartbeat(name: string, token: string, at: number): boolean {
    return this.sqlite.prepare('UPDATE lease SET heartbeat_at = ? WHERE name = ? AND token = ?').run(at, name, token).changes === 1;
  }

  release(name: string, token: string): void {
    this.sqlite.prepare('DELETE FROM lease WHERE name = ? AND token = ?').run(name, token);
  }

  close(): void {
    if (this.sqlite.open) this.sqlite.close();
  }
}
