/**
 * `art-sync history [--json] [--limit N] [--sku SKU]`: item changes, newest first, each with its
 * explanation. Reads the store only (no Etsy, no secrets).
 */
import type { Command } from 'commander';
import { AppError } from '../../shared/errors';
import { HISTORY_LIMIT_MAX, type HistoryItem } from '../../shared/ipc';
import { printJson, wantsJson, type CliContext } from './context';

export const DEFAULT_HISTORY_LIMIT = 50;
export const MAX_HISTORY_LIMIT = HISTORY_LIMIT_MAX;

interface HistoryOptions {
  limit: string;
  sku?: string;
}

export function registerHistoryCommands(program: Command, ctx: CliContext): void {
  program
    .command('history')
    .description('what changed, where and why, newest first')
    .option('--limit <n>', `how many changes to show (1–${MAX_HISTORY_LIMIT})`, String(DEFAULT_HISTORY_LIMIT))
    .option('--sku <sku>', 'only this SKU')
    .option('--json', 'machine-readable output: [{ at, runId, sku, listingId, side, before, after, reason, explanation }]')
    .action(async (options: HistoryOptions, command: Command) => {
      const limit = parseLimit(options.limit);
      const { items: rows } = await ctx.withCore(command, (core) =>
        core.history({ limit, ...(options.sku !== undefined ? { sku: options.sku } : {}) }),
      );
      if (wantsJson(command)) printJson(ctx, rows.map(historyJson));
      else ctx.io.stdout(formatHistory(rows, options.sku));
    });
}

export function parseLimit(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > MAX_HISTORY_LIMIT) {
    throw new AppError('INVALID_INPUT', `--limit "${text.slice(0, 50)}" is not valid: use a whole number from 1 to ${MAX_HISTORY_LIMIT}.`);
  }
  return Number(text);
}

/** The stable `history --json` row: the domain item with `at` as ISO text. */
export function historyJson(row: HistoryItem): Record<string, unknown> {
  return {
    at: new Date(row.at).toISOString(),
    runId: row.runId,
    sku: row.sku,
    listingId: row.listingId,
    side: row.side,
    field: row.field,
    before: row.before,
    after: row.after,
    reason: row.reason,
    explanation: row.explanation,
    receiptIds: row.receiptIds,
    status: row.status,
  };
}

export function formatHistory(rows: readonly HistoryItem[], sku: string | undefined): string {
  if (rows.length === 0) {
    return sku === undefined ? 'No changes yet. Run "art-sync sync" to sync with Etsy.\n' : `No changes recorded for SKU "${sku}".\n`;
  }
  const skuWidth = Math.max(...rows.map((r) => r.sku.length));
  const whereWidth = Math.max(...rows.map((r) => (r.listingId === null ? 1 : `listing ${r.listingId}`.length)));
  return `${rows
    .map((r) => {
      const at = localTime(r.at);
      const whereText = r.listingId === null ? '-' : `listing ${r.listingId}`;
      const side = r.side === 'etsy' ? 'Etsy' : 'catalog';
      const flag = r.status === 'applied' ? '' : ` [${r.status}]`;
      return `${at}  ${r.sku.padEnd(skuWidth)}  ${whereText.padEnd(whereWidth)}  ${side.padEnd(7)}  ${r.explanation}${flag}`;
    })
    .join('\n')}\n`;
}

/** 2025-03-14 09:05:00 in the machine's time zone, fixed width so the columns line up. */
export function localTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}
