import type Database from 'better-sqlite3';
import { TARGETED_TRIGGERS, type SyncRunKind, type SyncRunStatus, type SyncRunTrigger } from './schema';

const NOT_TARGETED = `trigger NOT IN (${TARGETED_TRIGGERS.map((t) => `'${t}'`).join(', ')})`;

export interface RunRow {
  id: number;
  kind: SyncRunKind;
  trigger: SyncRunTrigger;
  dryRun: boolean;
  startedAt: number;
  finishedAt: number | null;
  status: SyncRunStatus;
  callsUsed: number;
  changesCount: number;
  errorCode: string | null;
  errorMessage: string | null;
  /** The run's one-line summary as people read it ("3 changes"), decoded from its stored JSON. */
  summary: string | null;
}

/** Sync runs: started, finished, abandoned; the run summary is decoded where it is read. */
export class RunsRepo {
  private readonly sqlite: Database.Database;

  constructor(sqlite: Database.Database) {
    this.sqlite = sqlite;
  }

  startRun(input: { kind: SyncRunKind; trigger: SyncRunTrigger; dryRun: boolean }, now: number): number {
    const result = this.sqlite
      .prepare(`INSERT INTO sync_runs (kind, trigger, dry_run, started_at, status) VALUES (?, ?, ?, ?, 'running')`)
      .run(input.kind, input.trigger, input.dryRun ? 1 : 0, now);
    return Number(result.lastInsertRowid);
  }

  finishRun(
    runId: number,
    input: { status: SyncRunStatus; callsUsed: number; changesCount: number; errorCode?: string | null; errorMessage?: string | null; summary?: unknown },
    now: number,
  ): void {
    this.sqlite
      .prepare(
        `UPDATE sync_runs SET finished_at = ?, status = ?, calls_used = ?, changes_count = ?, error_code = ?,
           error_message = ?, summary = ? WHERE id = ?`,
      )
      .run(
        now,
        input.status,
        input.callsUsed,
        input.changesCount,
        input.errorCode ?? null,
        input.errorMessage ?? null,
        input.summary === undefined ? null : JSON.stringify(input.summary),
        runId,
      );
  }

  /** Runs left 'running' by a process that died: they did not finish. */
  closeAbandonedRuns(now: number): number {
    return this.sqlite
      .prepare(
        `UPDATE sync_runs SET status = 'failed', finished_at = ?, error_code = 'INTERRUPTED',
           error_message = 'Art Sync stopped before this sync finished.' WHERE status = 'running'`,
      )
      .run(now).changes;
  }

  /**
   * The job's last finished run. Targeted runs ('sale', 'edit') are left out unless asked for: they
   * sync a few SKUs, so they neither stand for the job's run nor move its schedule.
   */
  lastRun(kind: SyncRunKind, options: { includeDryRuns?: boolean; includeTargeted?: boolean } = {}): RunRow | undefined {
    const row = this.sqlite
      .prepare(
        `SELECT * FROM sync_runs WHERE kind = ? AND status != 'running' ${options.includeDryRuns ? '' : 'AND dry_run = 0'}
           ${options.includeTargeted ? '' : `AND ${NOT_TARGETED}`}
         ORDER BY id DESC LIMIT 1`,
      )
      .get(kind) as RunSqlRow | undefined;
    return row ? runFromSql(row) : undefined;
  }

  /** Calls used by the job's recent finished runs (not dry, not targeted), newest first: its cost per run. */
  recentCallsPerRun(kind: SyncRunKind, limit: number): number[] {
    return (
      this.sqlite
        .prepare(
          `SELECT calls_used AS n FROM sync_runs WHERE kind = ? AND status != 'running' AND dry_run = 0 AND ${NOT_TARGETED}
           ORDER BY id DESC LIMIT ?`,
        )
        .all(kind, limit) as { n: number }[]
    ).map((row) => row.n);
  }

  getRun(runId: number): RunRow | undefined {
    const row = this.sqlite.prepare('SELECT * FROM sync_runs WHERE id = ?').get(runId) as RunSqlRow | undefined;
    return row ? runFromSql(row) : undefined;
  }

  listRuns(limit: number): RunRow[] {
    return (this.sqlite.prepare('SELECT * FROM sync_runs ORDER BY id DESC LIMIT ?').all(limit) as RunSqlRow[]).map(runFromSql);
  }
}

interface RunSqlRow {
  id: number;
  kind: SyncRunKind;
  trigger: SyncRunTrigger;
  dry_run: number;
  started_at: number;
  finished_at: number | null;
  status: SyncRunStatus;
  calls_used: number;
  changes_count: number;
  error_code: string | null;
  error_message: string | null;
  summary: string | null;
}

function runFromSql(row: RunSqlRow): RunRow {
  return {
    id: row.id,
    kind: row.kind,
    trigger: row.trigger,
    dryRun: row.dry_run === 1,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    status: row.status,
    callsUsed: row.calls_used,
    changesCount: row.changes_count,
    errorCode: row.error_code,
    errorMessage: row.error_message,
    summary: readableSummary(row.summary),
  };
}

/**
 * finishRun stores the summary JSON-encoded; the engine's summaries are strings, so a JSON string
 * becomes its sentence. Anything else (another JSON value, text written by hand) is kept as stored.
 */
function readableSummary(stored: string | null): string | null {
  if (stored === null) return null;
  try {
    const parsed: unknown = JSON.parse(stored);
    return typeof parsed === 'string' ? parsed : stored;
  } catch {
    return stored;
  }
}
