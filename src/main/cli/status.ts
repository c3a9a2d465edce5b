/**
 * `art-sync status [--json]`: the core's one status. The first line is statusHeadline's words, the
 * same the tray and the window show for that state; the lines after it give the details.
 */
import type { Command } from 'commander';
import { statusHeadline, type AppStatus, type WatchView } from '../../shared/status';
import { formatBytes } from '../../shared/text';
import { printJson, wantsJson, type CliContext } from './context';

export function registerStatusCommands(program: Command, ctx: CliContext): void {
  program
    .command('status')
    .description('connection, last/next runs, API budget and what needs attention')
    .option('--json', 'machine-readable output: { version, headline, connected, shop, jobs, budget, attention, lastError, … }')
    .action(async (_options: unknown, command: Command) => {
      const status = await ctx.withCore(command, (core) => core.status());
      if (wantsJson(command)) printJson(ctx, statusJson(status));
      else ctx.io.stdout(formatStatus(status));
    });
}

/** docs/PRODUCT.md §7's fields (connected, shop, jobs, budget, attention) stay; the rest are additions. */
export function statusJson(status: AppStatus): unknown {
  const { version, ...rest } = status;
  return { version, headline: statusHeadline(status, status.at).text, ...rest };
}

export function formatStatus(status: AppStatus, options: { formatClock?(ms: number): string } = {}): string {
  const lines: string[] = [statusHeadline(status, status.at, options).text];
  if (status.needsReconnect) lines.push('Etsy: connection lost — run "art-sync connect" to reconnect.');
  else if (status.shop === null) lines.push('Etsy: not connected — run "art-sync connect".');
  else {
    lines.push(`Etsy: connected to ${status.shop.name} (shop ${status.shop.id}).`);
    if (!status.credentialsAvailable) {
      lines.push(
        status.secretsInMemory
          ? 'Etsy keys: not available in this session (there is no system keychain, so they lived only in the process that connected).'
          : 'Etsy keys: missing from the keychain — run "art-sync connect" again.',
      );
    }
  }
  if (status.secretsInMemory) lines.push(status.secretsInMemory);
  for (const job of status.jobs) {
    const last = job.lastRunAt === null ? 'never run' : `last ${new Date(job.lastRunAt).toLocaleString()} (${job.lastResult ?? '?'})`;
    // One-shot commands do not run the scheduler; the desktop app or `art-sync daemon` does.
    const next = !job.enabled
      ? 'off'
      : job.nextRunAt === null
        ? 'runs while the app or "art-sync daemon" is running'
        : `next ${new Date(job.nextRunAt).toLocaleString()}`;
    lines.push(`${job.name}: ${last}, ${next}.`);
  }
  if (status.lastError !== null) lines.push(`Last error: ${status.lastError}`);
  const { usedToday, limitPerDay, limitPerSecond } = status.budget;
  lines.push(`Etsy API budget: ${usedToday} of ${limitPerDay} calls used in the last 24 h (${limitPerSecond} per second).`);
  lines.push(status.attention === 0 ? 'Nothing needs attention.' : `${status.attention} item(s) need attention.`);
  if (status.watch) lines.push(watchLine(status.watch));
  if (status.backups) {
    const b = status.backups;
    lines.push(
      b.count === 0
        ? 'Backups: none yet (one is taken daily while Art Sync syncs; "art-sync backup" takes one now).'
        : `Backups: ${b.count}, ${formatBytes(b.totalBytes)} in all, newest ${b.newestAt === null ? '?' : new Date(b.newestAt).toLocaleString()}.`,
    );
    if (b.lastRestore) lines.push(b.lastRestore.message);
  }
  if (status.serverQueue.enabled) {
    const queue = status.serverQueue;
    lines.push(
      `Server: ${queue.waiting === 0 ? 'up to date' : `${queue.waiting} change(s) waiting to be sent`}${queue.lastError ? ` — ${queue.lastError}` : ''}.`,
    );
    if (queue.syncingMachine) lines.push(`Shop syncing on: ${queue.syncingMachine}.`);
  }
  return `${lines.join('\n')}\n`;
}

/** "Watching for sales every ~60 s (1440 calls a day); last checked 14:02:10 (by the app or "art-sync daemon")." */
function watchLine(watch: WatchView): string {
  if (watch.state === 'off') return 'Watching for sales: off (sales reach the catalog with the scheduled syncs).';
  const where = watch.here ? '' : ' (by the app or "art-sync daemon")';
  const checked = watch.lastCheckAt === null ? 'not checked yet' : `last checked ${new Date(watch.lastCheckAt).toLocaleTimeString()}`;
  if (watch.state === 'waiting') return `Watching for sales: waiting${watch.note ? ` — ${watch.note}` : ''}; ${checked}${where}.`;
  const interval = watch.intervalMs === null ? null : watch.intervalMs < 90_000 ? `${Math.round(watch.intervalMs / 1000)} s` : `${Math.round(watch.intervalMs / 60_000)} min`;
  const every = interval === null ? '' : ` every ~${interval} (${watch.callsPerDay} calls a day)`;
  return `Watching for sales${every}; ${checked}${where}.`;
}
