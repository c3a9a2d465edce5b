import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src/shared/errors';
import { loadMigrations, MIGRATIONS_TABLE } from '../../src/main/store/migrate';
import { DATABASE_FILE_NAME, openStore } from '../../src/main/store/open-store';

function sha256(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

describe('openStore', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'art-sync-store-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('creates the data folder and sets the pragmas', () => {
    const dataDir = path.join(dir, 'nested', 'data');
    const store = openStore({ dataDir });
    try {
      expect(store.path).toBe(path.join(dataDir, DATABASE_FILE_NAME));
      expect(store.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(store.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(store.sqlite.pragma('busy_timeout', { simple: true })).toBe(5000);
      expect(store.sqlite.pragma('synchronous', { simple: true })).toBe(2); // FULL
    } finally {
      store.close();
    }
  });

  it('applies every known migration once and re-opens without re-applying', () => {
    const known = loadMigrations();
    const first = openStore({ dataDir: dir });
    first.sqlite.prepare(`INSERT INTO settings (key, value, updated_at) VALUES ('k', '1', 0)`).run();
    first.close();

    const second = openStore({ dataDir: dir });
    try {
      const rows = second.sqlite.prepare(`SELECT created_at AS c FROM "${MIGRATIONS_TABLE}"`).all();
      expect(rows).toHaveLength(known.length);
      expect(second.sqlite.prepare(`SELECT value FROM settings WHERE key = 'k'`).get()).toEqual({ value: '1' });
    } finally {
      second.close();
    }
  });

  it('refuses a database written by a newer build and leaves the file byte-for-byte untouched', () => {
    const store = openStore({ dataDir: dir });
    store.sqlite
      .prepare(`INSERT INTO "${MIGRATIONS_TABLE}" (hash, created_at) VALUES ('from-the-future', ?)`)
      .run(Date.now() + 10 * 365 * 24 * 3600 * 1000);
    store.close();
    const file = path.join(dir, DATABASE_FILE_NAME);
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
    const before = sha256(file);
    const filesBefore = fs.readdirSync(dir).sort();

    let thrown: unknown;
    try {
      openStore({ dataDir: dir }).close();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect((thrown as AppError).code).toBe('DATABASE_TOO_NEW');
    expect((thrown as AppError).message).toMatch(/newer version of Art Sync/);

    expect(sha256(file)).toBe(before);
    expect(fs.readdirSync(dir).sort()).toEqual(filesBefore);
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
    expect(fs.existsSync(`${file}-shm`)).toBe(false);
  });

  it('refuses a newer database that was left with an open WAL', () => {
    const store = openStore({ dataDir: dir });
    // A second connection keeps the WAL alive, as after a crash of the newer build.
    const holder = new Database(store.path);
    holder.prepare(`INSERT INTO "${MIGRATIONS_TABLE}" (hash, created_at) VALUES ('future', ?)`).run(Date.now() * 2);
    try {
      expect(fs.existsSync(`${store.path}-wal`)).toBe(true);
      const before = sha256(store.path);
      expect(() => openStore({ dataDir: dir })).toThrow(/newer version/);
      expect(sha256(store.path)).toBe(before);
    } finally {
      holder.close();
      store.close();
    }
  });

  it('rolls back a failing migration and reports MIGRATION_FAILED with the cause', () => {
    const migrationsFolder = path.join(dir, 'migrations');
    fs.mkdirSync(path.join(migrationsFolder, 'meta'), { recursive: true });
    fs.writeFileSync(
      path.join(migrationsFolder, 'meta', '_journal.json'),
      JSON.stringify({
        version: '7',
        dialect: 'sqlite',
        entries: [
          { idx: 0, version: '6', when: 1000, tag: '0000_ok', breakpoints: true },
          { idx: 1, version: '6', when: 2000, tag: '0001_bad', breakpoints: true },
        ],
      }),
    );
    fs.writeFileSync(path.join(migrationsFolder, '0000_ok.sql'), 'CREATE TABLE a (x integer);');
    fs.writeFileSync(path.join(migrationsFolder, '0001_bad.sql'), 'CREATE TABLE b (x integer);\n--> statement-breakpoint\nNOT SQL;');
    const dataDir = path.join(dir, 'data');

    let thrown: unknown;
    try {
      openStore({ dataDir, migrationsFolder });
    } catch (error) {
      thrown = error;
    }
    expect((thrown as AppError).code).toBe('MIGRATION_FAILED');
    expect((thrown as AppError).cause).toBeInstanceOf(Error);

    const check = new Database(path.join(dataDir, DATABASE_FILE_NAME));
    const tables = check.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all();
    check.close();
    expect(tables).toEqual([]); // neither a, b nor the bookkeeping table: one transaction
  });
});
