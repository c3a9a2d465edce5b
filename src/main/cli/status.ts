import type { Command } from 'commander';
import { buildStatus, type StatusReport } from '../status';
import { printJson, wantsJson, type CliContext } from './context';

export function registerStatusCommands(program: Command, ctx: CliContext): void {
  program
    .command('status')
    .description('connection, last/next runs, API budget and what needs attention')
    .option('--json', 'machine-readable output')
    .action(async (_options: unknown, command: Command) => {
      const report = await ctx.withStore(command, (store) => buildStatus(store.db, { now: ctx.now() }));
      if (wantsJson(command)) printJson(ctx, report);
      else ctx.io.stdout(formatStatus(report));
    });
}

export function formatStatus(report: StatusReport): string {
  const lines: string[] = [];
  if (report.needsReconnect) lines.push('Etsy: connection lost — run "art-sync connect" to reconnect.');
  else if (report.shop === null) lines.push('Etsy: not connected — run "art-sync connect".');
  else lines.push(`Etsy: connected to ${report.shop.name} (shop ${report.shop.id}).`);
  for (const job of report.jobs) {
    const last = job.lastRunAt === null ? 'never run' : `last ${new Date(job.lastRunAt).toLocaleString()} (${job.lastResult ?? '?'})`;
    const next = !job.enabled ? 'off' : job.nextRunAt === null ? 'not scheduled' : `next ${new Date(job.nextRunAt).toLocaleString()}`;
    lines.push(`${job.name}: ${last}, ${next}.`);
  }
  const { usedToday, limitPerDay, limitPerSecond } = report.budget;
  lines.push(`Etsy API budget: ${usedToday} of ${limitPerDay} calls used in the last 24 h (${limitPerSecond} per second).`);
  lines.push(report.attention === 0 ? 'Nothing needs attention.' : `${report.attention} item(s) need attention.`);
  return `${lines.join('\n')}\n`;
}
