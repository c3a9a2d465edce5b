/**
 * `art-sync daemon [--connect …]`: the scheduler in the foreground (PRODUCT.md §4) until SIGINT or
 * SIGTERM, printing one line per finished run. Stopping waits for the sync in flight (Core.stop).
 * Without a system keychain the Etsy keys live only in the process that connected, so `--connect`
 * connects inside the daemon itself first — the way to run always-on on a headless machine.
 */
import type { Command } from 'commander';
import { AppError } from '../../shared/errors';
import type { Core } from '../app';
import type { JobName, SchedulerStatus } from '../schedule/scheduler';
import { addConnectOptions, connectInteractively, type ConnectOptions } from './connect';
import type { CliContext } from './context';
import { localTime } from './history';
import { withInterrupts } from './interrupts';

interface DaemonOptions extends ConnectOptions {
  connect?: boolean;
}

export function registerDaemonCommands(program: Command, ctx: CliContext): void {
  addConnectOptions(
    program
      .command('daemon')
      .description('run the sync schedule in the foreground until Ctrl+C / SIGTERM')
      .option('--connect', 'connect Etsy first, in this process (needed when there is no system keychain); takes the connect options'),
  ).action(async (options: DaemonOptions, command: Command) => {
    await ctx.withCore(command, (core) => runDaemon(ctx, core, options));
  });
}

async function runDaemon(ctx: CliContext, core: Core, options: DaemonOptions): Promise<void> {
  const out = (line: string): void => ctx.io.stdout(`${line}\n`);
  if (options.connect) {
    const shop = await connectInteractively(ctx, core, options, false);
    out(`Connected to ${shop.shopName} (shop ${shop.shopId}).`);
  }
  const status = await core.status();
  if (!status.credentialsAvailable) {
    throw new AppError(
      'NOT_CONNECTED',
      status.secretsInMemory
        ? 'Etsy is not connected in this process (there is no system keychain): run "art-sync daemon --connect".'
        : 'Etsy is not connected: run "art-sync connect" first, or "art-sync daemon --connect".',
      { action: 'Connect Etsy' },
    );
  }
  await withInterrupts(ctx.interrupts, 'The daemon was stopped.', async (signal) => {
    const watch = runWatcher(status.jobs.map((job) => ({ name: job.name as JobName, lastRunAt: job.lastRunAt })));
    const unsubscribe = core.onSchedulerChange((scheduler) => {
      for (const line of watch(scheduler, core)) out(line);
    });
    try {
      await core.start();
      const settings = core.settings.get();
      const every = (enabled: boolean, minutes: number): string => (enabled ? `every ${minutes} min` : 'off');
      out(
        `Art Sync is running: product sync ${every(settings.productSyncEnabled, settings.productSyncIntervalMinutes)}, ` +
          `inventory sync ${every(settings.inventorySyncEnabled, settings.inventorySyncIntervalMinutes)}. Ctrl+C stops it.`,
      );
      await new Promise<void>((resolve) => {
        if (signal.aborted) resolve();
        else signal.addEventListener('abort', () => resolve(), { once: true });
      });
      out('Stopping (waiting for the sync in flight to end)…');
      await core.stop();
      out('Stopped.');
    } finally {
      unsubscribe();
    }
  });
}

/**
 * Turns scheduler status changes into one line per finished run: a job's lastRunAt moving forward
 * means a run of it just ended. The stored run (when the engine got far enough to record one) adds
 * its id.
 */
export function runWatcher(initial: { name: JobName; lastRunAt: number | null }[]): (status: SchedulerStatus, core: Pick<Core, 'repos'>) => string[] {
  const seen = new Map<JobName, number | null>(initial.map((job) => [job.name, job.lastRunAt]));
  return (status, core) => {
    const lines: string[] = [];
    for (const job of status.jobs) {
      if (job.lastRunAt === null || job.lastRunAt === (seen.get(job.name) ?? null)) continue;
      const previous = seen.get(job.name) ?? null;
      seen.set(job.name, job.lastRunAt);
      const run = core.repos.runs.lastRun(job.name);
      const runId = run && run.finishedAt !== null && (previous === null || run.finishedAt > previous) ? ` (run ${run.id})` : '';
      const result = job.lastResult;
      const words = result === null ? 'finished' : result.ok ? 'done' : 'failed';
      lines.push(`${localTime(job.lastRunAt)}  ${job.name} sync ${words}${result?.summary ? ` — ${result.summary.replace(/\.$/, '')}` : ''}${runId}.`);
    }
    return lines;
  };
}
