/**
 * Stock changes the owner makes in the catalog that history must explain (a sale made in person, the
 * undo of a run): each batch is one run row of kind 'catalog' — history rows point at a run — plus
 * the catalog updates and their catalog-side history rows, in one immediate transaction, so a batch
 * is all or nothing and no other process's write lands between the read and the update. Etsy is not
 * touched: the next inventory sync's three-way merge carries the change (L − bL) to Etsy.
 */
import type Database from 'better-sqlite3';
import { AppError } from '../../shared/errors';
import { isValidQuantity, MAX_QUANTITY_TEXT } from '../../shared/quantity';
import { HistoryRepo } from './history-repo';
import { RunsRepo } from './runs-repo';
import type { SyncRunTrigger } from './schema';

export interface StockEdit {
  sku: string;
  /** The new stock from the current one; may throw AppError to refuse the whole batch. */
  target(current: number): number;
  reason: string;
  explanation(before: number, after: number): string;
}

export interface AppliedStockEdit {
  sku: string;
  before: number;
  after: number;
  explanation: string;
}

export class StockEditsRepo {
  private readonly runs: RunsRepo;
  private readonly history: HistoryRepo;

  constructor(
    private readonly sqlite: Database.Database,
    private readonly now: () => number,
  ) {
    this.runs = new RunsRepo(sqlite);
    this.history = new HistoryRepo(sqlite);
  }

  /**
   * Applies the edits as one 'catalog' run. An edit that leaves the stock as it is writes nothing; a
   * batch that changes nothing creates no run (runId null). UNKNOWN_SKU, or any error a target
   * throws, rolls everything back.
   */
  apply(input: { trigger: SyncRunTrigger; edits: readonly StockEdit[]; summary(changed: readonly AppliedStockEdit[]): string }): {
    runId: number | null;
    changes: AppliedStockEdit[];
  } {
    const read = this.sqlite.prepare('SELECT id, quantity FROM catalog_variants WHERE sku = ?');
    const update = this.sqlite.prepare('UPDATE catalog_variants SET quantity = ?, version = version + 1, updated_at = ? WHERE id = ?');
    const run = this.sqlite.transaction(() => {
      const at = this.now();
      const changes: AppliedStockEdit[] = [];
      const updates: { id: number; quantity: number; reason: string }[] = [];
      for (const edit of input.edits) {
        const row = read.get(edit.sku) as { id: number; quantity: number } | undefined;
        if (row === undefined) throw new AppError('UNKNOWN_SKU', `There is no SKU "${edit.sku}" in the catalog.`);
        const after = edit.target(row.quantity);
        if (!isValidQuantity(after)) {
          throw new AppError('INVALID_INPUT', `SKU ${edit.sku}: stock must be a whole number from 0 to ${MAX_QUANTITY_TEXT}.`);
        }
        if (after === row.quantity) continue;
        updates.push({ id: row.id, quantity: after, reason: edit.reason });
        changes.push({ sku: edit.sku, before: row.quantity, after, explanation: edit.explanation(row.quantity, after) });
      }
      if (changes.length === 0) return { runId: null, changes };
      const runId = this.runs.startRun({ kind: 'catalog', trigger: input.trigger, dryRun: false }, at);
      for (const { id, quantity } of updates) update.run(quantity, at, id);
      this.history.addHistory(
        changes.map((change, index) => ({
          runId,
          at,
          sku: change.sku,
          listingId: null,
          side: 'catalog' as const,
          field: 'quantity' as const,
          before: change.before,
          after: change.after,
          reason: updates[index]!.reason,
          explanation: change.explanation,
          receiptIds: [],
          status: 'applied' as const,
        })),
      );
      this.runs.finishRun(runId, { status: 'ok', callsUsed: 0, changesCount: changes.length, summary: input.summary(changes) }, at);
      return { runId, changes };
    });
    return run.immediate();
  }
}
