/**
 * `art-sync sync [--products|--inventory] [--dry-run] [--full] [--json]`: one sync now, in this
 * process. Both kinds by default (products first, so inventory works on a fresh mirror). The JSON is
 * the stable docs/PRODUCT.md §7 shape plus `runs` and `attention`; the exit code is non-zero when a run
 * failed or an item could not be updated.
 */
import type { Command } from 'commander';
import { attentionOfLastPlan, syncErrors } from '../core-views';
import type { SyncKind, SyncReport } from '../sync/sync-engine';
import type { AppliedChange, SyncProgress } from '../sync/sync-context';
import { printJson, wantsJson, type CliContext } from './context';
import { withInterrupts } from './interrupts';

interface SyncOptions {
  products?: boolean;
  inventory?: boolean;
  dryRun?: boolean;
  full?: boolean;
}

export function registerSyncCommands(program: Command, ctx: CliContext): void {
  program
    .command('sync')
    .description('sync now: refresh the Etsy mirror (products), then merge and push stock (inventory)')
    .option('--products', 'only the product sync (read listings from Etsy into the mirror)')
    .option('--inventory', 'only the inventory sync (merge stock and push it)')
    .option('--dry-run', 'show what would change, and why, without writing anything anywhere')
    .option('--full', 'read every listing instead of only those changed since the last sync')
    .option('--json', 'machine-readable output: { runId, dryRun, changes, errors, runs, attention }')
    .action(async (options: SyncOptions, command: Command) => {
      const kinds: SyncKind[] = options.products === options.inventory ? ['products', 'inventory'] : options.products ? ['products'] : ['inventory'];
      const dryRun = options.dryRun === true;
      const json = wantsJson(command);
      const progress = ctx.terminal.stderrIsTTY ? progressLine(ctx) : null;
      const report = await ctx.withCore(command, (core) =>
        withInterrupts(ctx.interrupts, 'The sync was cancelled.', (signal) =>
          core
            .sync({
              kinds,
              trigger: 'cli',
              dryRun,
              full: options.full === true,
              signal,
              ...(progress ? { onProgress: progress.update } : {}),
            })
            .finally(() => progress?.clear()),
        ),
      );
      if (json) printJson(ctx, syncJson(report));
      else ctx.io.stdout(formatSyncReport(report));
      if (report.errors.length > 0 || report.runs.some((run) => run.status === 'failed' || run.status === 'cancelled')) {
        if (!json) for (const line of formatErrors(report)) ctx.io.stderr(`art-sync: ${line}\n`);
        ctx.fail(1);
      }
    });
}

/** The stable `sync --json` shape (docs/PRODUCT.md §7), with the per-kind runs and what needs attention. */
export function syncJson(report: SyncReport): unknown {
  return {
    runId: report.runId,
    dryRun: report.dryRun,
    changes: report.changes.map((c) => ({
      sku: c.sku,
      listingId: c.listingId,
      side: c.side,
      field: c.field,
      before: c.before,
      after: c.after,
      reason: c.reason,
      explanation: c.explanation,
      receiptIds: c.receiptIds,
      status: c.status,
    })),
    errors: syncErrors(report),
    runs: report.runs,
    attention: attentionOfLastPlan(report),
  };
}

export function formatSyncReport(report: SyncReport): string {
  const lines: string[] = [];
  if (report.dryRun) lines.push('Dry run — nothing was written.');
  const changes = report.changes;
  const ranInventory = report.runs.some((run) => run.kind === 'inventory');
  if (ranInventory) {
    if (changes.length === 0) lines.push(report.dryRun ? 'No changes planned: Etsy and the catalog agree.' : 'No stock changes: Etsy and the catalog agree.');
    else {
      lines.push(report.dryRun ? `Planned changes (${changes.length}):` : `Changes (${changes.length}):`);
      lines.push(...formatChanges(changes));
    }
    const attention = attentionOfLastPlan(report);
    if (attention.length > 0) {
      lines.push(`Needs attention (${attention.length}):`);
      for (const item of attention) lines.push(`  - ${item.message} → ${item.action}`);
    }
  }
  for (const run of report.runs) {
    lines.push(`${run.kind}: ${RUN_STATUS_WORDS[run.status]}${run.summary ? ` — ${run.summary}` : ''} (${run.callsUsed} Etsy call${run.callsUsed === 1 ? '' : 's'}).`);
  }
  if (!report.dryRun && ranInventory) {
    const applied = changes.filter((c) => c.status === 'applied').length;
    const failed = changes.filter((c) => c.status === 'failed' || c.status === 'unknown').length;
    lines.push(`Done: ${applied} change${applied === 1 ? '' : 's'} applied${failed ? `, ${failed} could not be confirmed or failed` : ''}.`);
  }
  return `${lines.join('\n')}\n`;
}

const RUN_STATUS_WORDS: Record<SyncReport['runs'][number]['status'], string> = {
  ok: 'done',
  partial: 'done with problems',
  failed: 'failed',
  cancelled: 'cancelled',
  held: 'waiting for the first preview',
};

/** `SKU  listing 123  Etsy     Sold 1 on Etsy (receipt 1234): 5 → 4` — the explanation ends in before → after. */
export function formatChanges(changes: readonly AppliedChange[]): string[] {
  const skuWidth = Math.max(...changes.map((c) => c.sku.length));
  const whereWidth = Math.max(...changes.map((c) => where(c).length));
  return changes.map((c) => {
    const flag = c.status === 'failed' || c.status === 'unknown' ? ` [${c.status === 'failed' ? 'failed' : 'outcome unknown'}]` : '';
    return `  ${c.sku.padEnd(skuWidth)}  ${where(c).padEnd(whereWidth)}  ${(c.side === 'etsy' ? 'Etsy' : 'catalog').padEnd(7)}  ${c.explanation}${flag}`;
  });
}

function where(change: AppliedChange): string {
  return change.listingId === null ? '-' : `listing ${change.listingId}`;
}

function formatErrors(report: SyncReport): string[] {
  return report.errors.map((e) => {
    const about = [e.sku, e.listingId !== undefined ? `listing ${e.listingId}` : undefined].filter(Boolean).join(', ');
    return about ? `${about}: ${e.message}` : e.message;
  });
}

/** One progress line on a terminal's stderr, rewritten in place. */
function progressLine(ctx: CliContext): { update(progress: SyncProgress & { kind: SyncKind }): void; clear(): void } {
  let last = '';
  return {
    update(progress) {
      const count = progress.total === null ? `${progress.done}` : `${progress.done} of ${progress.total}`;
      const text = `${progress.kind}: ${PHASE_WORDS[progress.phase]} ${count}`;
      if (text === last) return;
      last = text;
      ctx.io.stderr(`\r\x1b[K${text}`);
    },
    clear() {
      if (last !== '') ctx.io.stderr('\r\x1b[K');
      last = '';
    },
  };
}

const PHASE_WORDS: Record<SyncProgress['phase'], string> = {
  listings: 'reading listings',
  inventory: 'reading stock',
  receipts: 'reading sales',
  planning: 'planning',
  writing: 'writing to Etsy',
};
