/**
 * `art-sync daemon [--connect …]`: the scheduler in the foreground (docs/PRODUCT.md §4) until SIGINT or
 * SIGTERM, printing one line per finished run (and, with the server link on, how edits on the server are
 * noticed, when that is known or changes). Stopping waits for the sync in flight (Core.stop).
 * Without a system keychain the Etsy keys live only in the process that connected, so `--connect`
 * connects inside the daemon itself first — the way to run always-on on a headless machine.
 */
import type { Command } from 'commander';
import { AppError } from '../../shared/errors';
import { serverEditsText, type ServerQueueView } from '../../shared/status';
import type { CoreApi } from '../core-api';
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

async function runDaemon(ctx: CliContext, core: CoreApi, options: DaemonOptions): Promise<void> {
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
    const watch = runWatcher(status.jobs.map((job) => ({ name: job.name, lastRunAt: job.lastRunAt })));
    const unsubscribe = core.onSchedulerChange((scheduler) => {
      for (const line of watch(scheduler, core)) out(line);
    });
    // With the server link on: how edits on the server are noticed, once known and when it changes.
    const serverEdits = serverEditsWatcher();
    const looking = setInterval(() => {
      void core
        .status()
        .then((now) => {
          for (const line of serverEdits(now.serverQueue.edits)) out(line);
        })
        .catch(() => undefined);
    }, SERVER_EDITS_LOOK_MS);
    looking.unref();
    try {
      await core.start();
      const settings = core.getSettings();
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
      clearInterval(looking);
      unsubscribe();
    }
  });
}

/** How often the daemon looks at how server edits are noticed (a line only when that changes). */
const SERVER_EDITS_LOOK_MS = 10_000;

/** One line when the way server edits are noticed becomes known or changes ("listening" ↔ "polling"). */
export function serverEditsWatcher(): (edits: ServerQueueView['edits']) => string[] {
  let said: string | null = null;
  return (edits) => {
    const state = edits?.state ?? null;
    if (state === said) return [];
    said = state;
    return edits ? [`Server edits: ${serverEditsText(edits)}.`] : [];
  };
}

/**
 * Turns scheduler status changes into one line per finished run: a job's lastRunAt moving forward
 * means a run of it just ended. The stored run (when the engine got far enough to record one) adds
 * its id. A targeted run (a sale seen, a stock edit pushed) ending shows as `runningTargeted` going
 * back to null; its line comes from the newest stored run.
 */
export function runWatcher(
  initial: { name: JobName; lastRunAt: number | null }[],
): (status: SchedulerStatus, core: Pick<CoreApi, 'lastRun' | 'runs'>) => string[] {
  const seen = new Map<JobName, number | null>(initial.map((job) => [job.name, job.lastRunAt]));
  let targeted: SchedulerStatus['runningTargeted'] = null;
  let lastTargetedRunId: number | null = null;
  return (status, core) => {
    const lines: string[] = [];
    for (const job of status.jobs) {
      if (job.lastRunAt === null || job.lastRunAt === (seen.get(job.name) ?? null)) continue;
      const previous = seen.get(job.name) ?? null;
      seen.set(job.name, job.lastRunAt);
      const run = core.lastRun(job.name);
      const runId = run && run.finishedAt !== null && (previous === null || run.finishedAt > previous) ? ` (run ${run.id})` : '';
      const result = job.lastResult;
      const words = result === null ? 'finished' : result.ok ? 'done' : 'failed';
      lines.push(`${localTime(job.lastRunAt)}  ${job.name} sync ${words}${result?.summary ? ` — ${result.summary.replace(/\.$/, '')}` : ''}${runId}.`);
    }
    if (targeted !== null && status.runningTargeted === null) {
      const run = core.runs(1)[0];
      if (run && (run.trigger === 'sale' || run.trigger === 'edit' || run.trigger === 'server-edit') && run.id !== lastTargetedRunId && run.finishedAt !== null) {
        lastTargetedRunId = run.id;
        const what = run.trigger === 'sale' ? 'stock sync after a sale' : run.trigger === 'edit' ? 'stock sync after an edit' : 'stock sync after an edit on the server';
        const words = run.status === 'ok' ? 'done' : run.status === 'partial' ? 'done with problems' : run.status;
        lines.push(`${localTime(run.finishedAt)}  ${what} ${words}${run.summary ? ` — ${run.summary.replace(/\.$/, '')}` : ''} (run ${run.id}).`);
      }
    }
    targeted = status.runningTargeted;
    return lines;
  };
}
