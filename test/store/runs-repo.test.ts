import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyMigrations, loadMigrations } from '../../src/main/store/migrate';
import { RunsRepo } from '../../src/main/store/runs-repo';

describe('RunsRepo: the run summary is decoded where it is read', () => {
  let db: Database.Database;
  let runs: RunsRepo;

  beforeEach(() => {
    db = new Database(':memory:');
    applyMigrations(db, loadMigrations());
    runs = new RunsRepo(db);
  });
  afterEach(() => db.close());

  it('gives back the sentence the engine stored, not its JSON encoding', () => {
    const id = runs.startRun({ kind: 'inventory', trigger: 'manual', dryRun: false }, 1000);
    runs.finishRun(id, { status: 'ok', callsUsed: 2, changesCount: 3, summary: '3 changes' }, 2000);
    expect(runs.lastRun('inventory')?.summary).toBe('3 changes');
    expect(runs.listRuns(10)[0]?.summary).toBe('3 changes');
  });

  it('reads a run without a summary as null', () => {
    const id = runs.startRun({ kind: 'products', trigger: 'schedule', dryRun: false }, 1000);
    runs.finishRun(id, { status: 'failed', callsUsed: 0, changesCount: 0, errorMessage: 'Etsy is away.' }, 2000);
    expect(runs.lastRun('products')?.summary).toBeNull();
  });

  it('keeps a stored text that is not a JSON string as it is', () => {
    const insert = db.prepare(
      `INSERT INTO sync_runs (kind, trigger, dry_run, started_at, finished_at, status, calls_used, changes_count, summary)
       VALUES ('inventory', 'manual', 0, 1, 2, 'ok', 0, 0, ?)`,
    );
    insert.run('plain words');
    expect(runs.listRuns(1)[0]?.summary).toBe('plain words');
    insert.run('{"changes":3}');
    expect(runs.listRuns(1)[0]?.summary).toBe('{"changes":3}');
  });
});
