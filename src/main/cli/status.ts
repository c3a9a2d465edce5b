import type { Command } from 'commander';
import type { CoreStatus } from '../app';
import { printJson, wantsJson, type CliContext } from './context';

export function registerStatusCommands(program: Command, ctx: CliContext): void {
  program
    .command('status')
    .description('connection, last/next runs, API budget and what needs attention')
    .option('--json', 'machine-readable output')
    .action(async (_options: unknown, command: Command) => {
      const report = await ctx.withCore(command, (core) => core.status());
      if (wantsJson(command)) printJson(ctx, report);
      else ctx.io.stdout(formatStatus(report));
    });
}

export function formatStatus(report: CoreStatus): string {
  const lines: string[] = [];
  if (report.needsReconnect) lines.push('Etsy: connection lost — run "art-sync connect" to reconnect.');
  else if (report.shop === null) lines.push('Etsy: not connected — run "art-sync connect".');
  else {
    lines.push(`Etsy: connected to ${report.shop.name} (shop ${report.shop.id}).`);
    if (!report.credentialsAvailable) {
      lines.push(
        report.secretsInMemory
          ? 'Etsy keys: not available in this session (there is no system keychain, so they lived only in the process that connected).'
          : 'Etsy keys: missing from the keychain — run "art-sync connect" again.',
      );
    }
  }
  if (report.secretsInMemory) lines.push(report.secretsInMemory);
  for (const job of report.jobs) {
    const last = job.lastRunAt === null ? 'never run' : `last ${new Date(job.lastRunAt).toLocaleString()} (${job.lastResult ?? '?'})`;
    // One-shot commands do not run the scheduler; the desktop app or `art-sync daemon` does.
    const next = !job.enabled
      ? 'off'
      : job.nextRunAt === null
        ? 'runs while the app or "art-sync daemon" is running'
        : `next ${new Date(job.nextRunAt).toLocaleString()}`;
    lines.push(`${job.name}: ${last}, ${next}.`);
  }
  const { usedToday, limitPerDay, limitPerSecond } = report.budget;
  lines.push(`Etsy API budget: ${usedToday} of ${limitPerDay} calls used in the last 24 h (${limitPerSecond} per second).`);
  lines.push(report.attention === 0 ? 'Nothing needs attention.' : `${report.attention} item(s) need attention.`);
  if (report.serverQueue.enabled) {
    const queue = report.serverQueue;
    lines.push(
      `Server: ${queue.waiting === 0 ? 'up to date' : `${queue.waiting} change(s) waiting to be sent`}${queue.lastError ? ` — ${queue.lastError}` : ''}.`,
    );
  }
  return `${lines.join('\n')}\n`;
}
