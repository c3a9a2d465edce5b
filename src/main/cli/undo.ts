/**
 * `art-sync undo RUN_ID [--dry-run]`: reverts the stock changes of one run through the normal merge
 * (CoreApi.undoRun): the plan first with --dry-run, sales and edits made since are kept.
 */
import type { Command } from 'commander';
import { AppError } from '../../shared/errors';
import type { UndoRunResult } from '../../shared/ipc';
import { printJson, wantsJson, type CliContext } from './context';

export function registerUndoCommands(program: Command, ctx: CliContext): void {
  program
    .command('undo')
    .description("return the stock a run changed to its value before the run (sales made since are kept); the next sync tells Etsy")
    .argument('<run-id>', 'the run to undo (see Activity, or "art-sync history --json")')
    .option('--dry-run', 'show what would change and why, change nothing')
    .option('--json', 'machine-readable output: { undoneRunId, dryRun, runId, items: [{ sku, now, after, runBefore, runAfter, explanation }], skipped }')
    .action(async (runIdText: string, options: { dryRun?: boolean }, command: Command) => {
      if (!/^\d+$/.test(runIdText) || Number(runIdText) < 1 || !Number.isSafeInteger(Number(runIdText))) {
        throw new AppError('INVALID_INPUT', `"${runIdText}" is not a run id: use the number of a run, like 12.`);
      }
      const result = await ctx.withCore(command, (core) => core.undoRun(Number(runIdText), { dryRun: options.dryRun === true }));
      if (wantsJson(command)) printJson(ctx, result);
      else ctx.io.stdout(formatUndo(result));
    });
}

export function formatUndo(result: UndoRunResult): string {
  const lines: string[] = [];
  const run = result.undoneRunId;
  if (result.dryRun) lines.push(`Undo of run ${run} would change ${result.items.length} ${result.items.length === 1 ? 'item' : 'items'} (nothing changed yet):`);
  else if (result.runId === null) lines.push(`Undo of run ${run}: nothing to change, the stock is already as before the run.`);
  else lines.push(`Undid run ${run} as run ${result.runId}:`);
  for (const item of result.items) lines.push(`  ${item.sku}: ${item.now} → ${item.after}  ${item.explanation}`);
  for (const skip of result.skipped) lines.push(`  ${skip.sku}: left as it is (${skip.reason})`);
  if (!result.dryRun && result.runId !== null) lines.push('Etsy gets it within seconds from the running app or "art-sync daemon", else with the next "art-sync sync".');
  return `${lines.join('\n')}\n`;
}
