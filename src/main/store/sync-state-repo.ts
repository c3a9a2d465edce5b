import type Database from 'better-sqlite3';

/** Small named values the sync keeps between runs (watermarks, last full pull). */
export class SyncStateRepo {
  private readonly sqlite: Database.Database;

  constructor(sqlite: Database.Database) {
    this.sqlite = sqlite;
  }

  getState(key: string): string | undefined {
    const row = this.sqlite.prepare('SELECT value FROM sync_state WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value;
  }

  setState(key: string, value: string, now: number): void {
    this.sqlite
      .prepare(
        `INSERT INTO sync_state (key, value, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      )
      .run(key, value, now);
  }

  /** A counter that never goes back (kept across restarts): the next value, above both its last and `floor`. */
  nextSequence(key: string, floor: number, now: number): number {
    const last = Number(this.getState(key) ?? 0);
    const next = Math.max(Number.isSafeInteger(last) ? last : 0, floor) + 1;
    this.setState(key, String(next), now);
    return next;
  }
}
