import type { Command } from 'commander';
import type { Core, CoreStatus } from '../app';
import type { JobName } from '../schedule/scheduler';
import { printJson, wantsJson, type CliContext } from './context';

export function registerStatusCommands(program: Command, ctx: CliContext): void {
  program
    .command('status')
    .description('connection, last/next runs, API budget and what needs attention')
    .option('--json', 'machine-readable output')
    .action(async (_options: unknown, command: Command) => {
      const report = await ctx.withCore(command, (core) => cliStatus(core));
      if (wantsJson(command)) printJson(ctx, report);
      else ctx.io.stdout(formatStatus(report));
    });
}

/**
 * core.status() for a process that does not run the scheduler: the scheduler only loads the stored
 * last runs when it starts, so a one-shot `status` fills them in from the store the same way.
 */
export async function cliStatus(core: Core): Promise<CoreStatus> {
  const status = await core.status();
  return {
    ...status,
    jobs: status.jobs.map((job) => {
      if (job.lastRunAt !== null) return job;
      const run = core.syncRepo.lastRun(job.name as JobName);
      if (!run?.finishedAt) return job;
      return { ...job, lastRunAt: run.finishedAt, lastResult: run.status === 'ok' || run.status === 'partial' ? 'ok' : 'failed' };
    }),
  };
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
  return `${lines.join('\n')}\n`;
}
